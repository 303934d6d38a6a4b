#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "dedup/cluster.h"
#include "text/text.h"

static const char *const keep_names[] = {"first", "longest", "cheapest"};

int
lp_keep_parse(const char *s, enum lp_keep *keep, struct lp_error *err)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, keep_names[i]) == 0) {
			*keep = (enum lp_keep)i;
			return LP_OK;
		}
	return lp_error_set(err, "want first, longest or cheapest");
}

const char *
lp_keep_name(enum lp_keep keep)
{
	return keep_names[keep];
}

double
lp_keep_score(
    enum lp_keep keep, struct lp_record *rec, const char *key, size_t n)
{
	json_t *p;

	switch (keep) {
	case LP_KEEP_CHEAPEST:
		p = lp_record_get(rec, "price.amount");
		return json_is_number(p) ? json_number_value(p) : HUGE_VAL;
	case LP_KEEP_LONGEST:
		return -(double)lp_utf8_count(key, n);
	default:
		return 0;
	}
}

struct lp_cluster_member *
lp_cluster_add(struct lp_cluster *c, double score, int nokey)
{
	struct lp_cluster_member *x;

	if (c->n == UINT32_MAX - 1) {
		lp_error_set(&c->err, "too many records to hold");
		return NULL;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4096;
		c->m = lp_xrealloc(c->m, c->cap * sizeof(*c->m));
	}
	x = &c->m[c->n];
	x->parent = (uint32_t)c->n++;
	x->seen = LP_NO_ITEM;
	x->nokey = nokey != 0;
	x->seen_near = 0;
	x->seen_sim = 0;
	x->score = score;
	return x;
}

/*
 * Member m's text is not exactly a kept one's: the earliest near match is
 * an earlier run's item, or m joins the cluster of every member it
 * matches.  Earlier runs' items are the earliest, so if the first match
 * is not one of theirs, no match is.
 */
static int
add_near(struct lp_cluster *c, struct lp_kept *kp, uint32_t m, const char *key,
    size_t n)
{
	struct lp_cluster_member *x = &c->m[m];
	double sim;
	size_t i;

	lp_kept_near_find_all(kp, key, n, &c->matches, &sim);
	if (c->matches.n > 0 && c->matches.v[0] < kp->nseen) {
		x->seen = (uint32_t)c->matches.v[0];
		x->seen_near = 1;
		x->seen_sim = (float)sim;
		return LP_OK;
	}
	for (i = 0; i < c->matches.n; i++)
		lp_cluster_join(c, m, (uint32_t)c->matches.v[i] - kp->nseen);
	if (lp_kept_near_add(kp, kp->nseen + m) != LP_OK) {
		c->err = kp->err;
		return LP_FAILED;
	}
	return LP_OK;
}

int
lp_cluster_add_key(struct lp_cluster *c, struct lp_kept *kp, const char *key,
    size_t n, double score)
{
	struct lp_cluster_member *x;
	struct lp_key128 k = lp_key128_of(key, n);
	uint32_t m = (uint32_t)c->n, item;

	if ((x = lp_cluster_add(c, score, 0)) == NULL)
		return LP_FAILED;
	if (lp_kept_key_find(kp, k, &item)) {
		if (item < kp->nseen) {
			x->seen = item;
			x->seen_sim = 1;
			x->seen_near = 0;
		} else
			lp_cluster_join(c, m, item - kp->nseen);
		return LP_OK;
	}
	if (lp_kept_key_add(kp, k, kp->nseen + m) != LP_OK) {
		c->err = kp->err;
		return LP_FAILED;
	}
	return kp->near ? add_near(c, kp, m, key, n) : LP_OK;
}

uint32_t
lp_cluster_root(struct lp_cluster *c, uint32_t i)
{
	struct lp_cluster_member *h = c->m;

	while (h[i].parent != i) {
		h[i].parent = h[h[i].parent].parent; /* halving */
		i = h[i].parent;
	}
	return i;
}

void
lp_cluster_join(struct lp_cluster *c, uint32_t a, uint32_t b)
{
	a = lp_cluster_root(c, a);
	b = lp_cluster_root(c, b);
	if (a < b)
		c->m[b].parent = a;
	else if (b < a)
		c->m[a].parent = b;
}

/* 1 if member i stands apart from every cluster. */
static int
apart(const struct lp_cluster *c, uint32_t i)
{
	return c->m[i].nokey || c->m[i].seen != LP_NO_ITEM;
}

void
lp_cluster_choose(struct lp_cluster *c)
{
	uint32_t i, r;

	free(c->best);
	c->best = lp_xmalloc((c->n ? c->n : 1) * sizeof(*c->best));
	for (i = 0; i < c->n; i++)
		c->best[i] = LP_NO_ITEM;
	for (i = 0; i < c->n; i++) {
		if (apart(c, i))
			continue;
		r = lp_cluster_root(c, i);
		if (c->best[r] == LP_NO_ITEM ||
		    c->m[i].score < c->m[c->best[r]].score)
			c->best[r] = i;
	}
}

uint32_t
lp_cluster_survivor(struct lp_cluster *c, uint32_t i)
{
	if (apart(c, i))
		return i;
	return c->best[lp_cluster_root(c, i)];
}

void
lp_cluster_release(struct lp_cluster *c)
{
	free(c->m);
	free(c->best);
	lp_u64s_release(&c->matches);
	c->m = NULL;
	c->best = NULL;
	c->n = c->cap = 0;
}
