#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "dedup/dup.h"
#include "dedup/kept.h"

static void
u32s_push(struct lp_kept_u32s *a, uint32_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		a->v = lp_xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}

void
lp_kept_init(struct lp_kept *k, int track, int values, long long budget)
{
	memset(k, 0, sizeof(*k));
	k->track = track;
	k->budget = budget;
	lp_keyset_init(&k->keys, values);
}

int
lp_kept_near_init(struct lp_kept *k, const struct lp_shingling *sh,
    double threshold, int nperm)
{
	k->near = 1;
	if (lp_near_init(&k->nd, sh, threshold, nperm) != LP_OK) {
		k->err = k->nd.err;
		return LP_FAILED;
	}
	return LP_OK;
}

void
lp_kept_mark_seen(struct lp_kept *k)
{
	k->nseen = k->nitems;
}

/*
 * A name is kept only when something will show it: not once exact keys
 * are in the Bloom filter, unless the near index may name it.
 */
int
lp_kept_item_new(struct lp_kept *k, const char *name, uint32_t *item)
{
	if (k->track && (!k->bloomed || k->near)) {
		if (k->names.len > UINT32_MAX - 4096)
			return lp_error_set(&k->err,
			    "too many kept ids to name for --mark or "
			    "--dropped");
		u32s_push(&k->item_name, (uint32_t)k->names.len);
		lp_buf_adds(&k->names, name);
		lp_buf_addc(&k->names, '\0');
	}
	*item = k->nitems++;
	return LP_OK;
}

const char *
lp_kept_item_name(const struct lp_kept *k, uint32_t item)
{
	return k->track && item != LP_NO_ITEM
	    ? k->names.p + k->item_name.v[item]
	    : NULL;
}

int
lp_kept_key_find(const struct lp_kept *k, struct lp_key128 key, uint32_t *item)
{
	*item = LP_NO_ITEM;
	if (k->bloomed)
		return lp_bloom_has(&k->bloom, key);
	return lp_keyset_get(&k->keys, key, item);
}

/* Move every key into a Bloom filter of two thirds of the budget. */
static int
to_bloom(struct lp_kept *k)
{
	struct lp_key128 key;
	size_t pos = 0;

	if (lp_bloom_init(&k->bloom, (size_t)(k->budget / 3 * 2),
		LP_KEPT_BLOOM_RATE, &k->err) != LP_OK)
		return LP_FAILED;
	while (lp_keyset_next(&k->keys, &pos, &key))
		lp_bloom_add(&k->bloom, key);
	k->bloom_from = k->keys.n;
	lp_keyset_release(&k->keys);
	k->bloomed = 1;
	return LP_OK;
}

int
lp_kept_key_add(struct lp_kept *k, struct lp_key128 key, uint32_t item)
{
	if (!k->bloomed && k->budget > 0 && lp_keyset_full(&k->keys) &&
	    (long long)lp_keyset_bytes(&k->keys) * 2 > k->budget / 3 &&
	    to_bloom(k) != LP_OK)
		return LP_FAILED;
	if (k->bloomed)
		lp_bloom_add(&k->bloom, key);
	else
		lp_keyset_add(&k->keys, key, item);
	return LP_OK;
}

int
lp_kept_near_find(
    struct lp_kept *k, const char *text, size_t n, uint32_t *item, double *sim)
{
	uint32_t id;

	if (!lp_near_find(&k->nd, text, n, &id, sim))
		return 0;
	*item = k->near_item.v[id];
	return 1;
}

void
lp_kept_near_find_all(struct lp_kept *k, const char *text, size_t n,
    struct lp_u64s *items, double *first_sim)
{
	size_t i;

	lp_near_find_all(&k->nd, text, n, items, first_sim);
	for (i = 0; i < items->n; i++)
		items->v[i] = k->near_item.v[items->v[i]];
}

int
lp_kept_near_add(struct lp_kept *k, uint32_t item)
{
	if (lp_near_add(&k->nd) != LP_OK) {
		k->err = k->nd.err;
		return LP_FAILED;
	}
	u32s_push(&k->near_item, item);
	return LP_OK;
}

int
lp_kept_near_insert(
    struct lp_kept *k, const char *text, size_t n, uint32_t item)
{
	if (lp_near_insert(&k->nd, text, n) != LP_OK) {
		k->err = k->nd.err;
		return LP_FAILED;
	}
	u32s_push(&k->near_item, item);
	return LP_OK;
}

int
lp_kept_add(struct lp_kept *k, const char *name, struct lp_key128 key,
    const char *text, size_t n)
{
	uint32_t item;

	if (lp_kept_item_new(k, name, &item) != LP_OK ||
	    lp_kept_key_add(k, key, item) != LP_OK)
		return LP_FAILED;
	if (!k->near)
		return LP_OK;
	if (text != NULL)
		return lp_kept_near_insert(k, text, n, item);
	return lp_kept_near_add(k, item);
}

void
lp_kept_dup_set(const struct lp_kept *k, struct lp_record *rec, uint32_t item,
    double sim, int near)
{
	const char *of = lp_kept_item_name(k, item);

	lp_dup_set(rec, of, sim, near, of, item < k->nseen);
}

const char *
lp_kept_name_of(struct lp_record *rec, struct lp_buf *name)
{
	const char *id = lp_record_get_str(rec, "id");

	lp_buf_reset(name);
	if (id != NULL)
		lp_buf_adds(name, id);
	else
		lp_buf_addf(name, "%s:%lu", rec->file, rec->line);
	return name->p;
}

void
lp_kept_release(struct lp_kept *k)
{
	if (k->bloomed)
		lp_bloom_release(&k->bloom);
	else
		lp_keyset_release(&k->keys);
	if (k->near)
		lp_near_release(&k->nd);
	lp_buf_release(&k->names);
	free(k->item_name.v);
	free(k->near_item.v);
	k->item_name.v = k->near_item.v = NULL;
}
