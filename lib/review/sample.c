#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "core/rng.h"
#include "core/stream.h"
#include "review/sample.h"

static const char *const reason_names[] = {"questionable", "random", "stratum"};

/* One stream per purpose, so adding a rule leaves the others' draws. */
static struct lp_rng
rng_for(uint64_t seed, uint64_t purpose)
{
	struct lp_rng r = {seed * 0x2545f4914f6cdd1dULL + purpose};

	lp_rng_next(&r);
	return r;
}

void
lp_sample_init(struct lp_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->random_share = -1;
	s->random_n = -1;
	s->max = -1;
	s->seed = 1;
}

static int
reservoir_init(struct lp_sample *s, struct lp_reservoir *r, size_t cap)
{
	r->slots = calloc(cap ? cap : 1, sizeof(*r->slots));
	r->cap = r->slots != NULL ? cap : 0;
	r->n = 0;
	r->offered = 0;
	if (r->slots == NULL)
		return lp_error_set(
		    &s->err, "out of memory (a reservoir of %zu)", cap);
	return LP_OK;
}

static void
reservoir_release(struct lp_reservoir *r)
{
	size_t i;

	for (i = 0; i < r->cap; i++)
		lp_buf_release(&r->slots[i].line);
	free(r->slots);
	r->slots = NULL;
}

int
lp_sample_start(struct lp_sample *s)
{
	s->deferred = s->random_n >= 0 || s->per_stratum > 0 || s->max >= 0 ||
	    s->gold_rate > 0;
	s->r_share = rng_for(s->seed, 1);
	s->r_res = rng_for(s->seed, 2);
	s->r_strata = rng_for(s->seed, 3);
	s->r_max = rng_for(s->seed, 4);
	s->r_gold = rng_for(s->seed, 5);
	s->r_route = rng_for(s->seed, 6);
	if (s->random_n >= 0)
		return reservoir_init(s, &s->rand, (size_t)s->random_n);
	return LP_OK;
}

unsigned
lp_sample_reasons(struct lp_sample *s, struct lp_record *rec)
{
	unsigned reasons = 0;

	if (s->questionable != NULL && lp_expr_eval(s->questionable, rec))
		reasons |= LP_SAMPLE_QUESTIONABLE;
	if (s->random_share >= 0 && lp_rng_unit(&s->r_share) < s->random_share)
		reasons |= LP_SAMPLE_RANDOM;
	if (!s->deferred) {
		s->n_questionable += (reasons & LP_SAMPLE_QUESTIONABLE) != 0;
		s->n_random += (reasons & LP_SAMPLE_RANDOM) != 0;
	}
	return reasons;
}

int
lp_sample_stratum_new(struct lp_sample *s, size_t *stratum)
{
	size_t i = s->nstrata++;

	s->strata = lp_xrealloc(s->strata, s->nstrata * sizeof(*s->strata));
	*stratum = i;
	return reservoir_init(s, &s->strata[i], (size_t)s->per_stratum);
}

/* 1 if record index i is among the held streaming selections. */
static int
in_sel(const struct lp_sample *s, uint64_t i)
{
	size_t lo = 0, hi = s->sel.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->sel_index[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->sel.n && s->sel_index[lo] == i;
}

/* 1 if the record in sl is still selected some other way. */
static int
held_elsewhere(const struct lp_sample *s, const struct lp_sample_slot *sl)
{
	return in_sel(s, sl->index) ||
	    (sl->twin != NULL && sl->twin->index == sl->index);
}

/*
 * Algorithm R: the k-th record offered replaces a random slot with
 * probability N/k, so every record ends in the reservoir with probability
 * N/n.  Returns the slot rec went in, or NULL.  What it pushed out goes to
 * dropped[] unless it is selected some other way: its line is swapped
 * there, not copied.
 */
static struct lp_sample_slot *
offer(struct lp_sample *s, struct lp_reservoir *r, struct lp_rng *g,
    const struct lp_record *rec, uint64_t index)
{
	struct lp_sample_slot *sl, *d;
	struct lp_buf t;
	uint64_t j;

	r->offered++;
	if (r->n < r->cap)
		sl = &r->slots[r->n++];
	else if ((j = lp_rng_below(g, r->offered)) < r->cap) {
		sl = &r->slots[j];
		if (!held_elsewhere(s, sl)) {
			d = &s->dropped[s->ndropped++];
			t = d->line;
			d->line = sl->line;
			sl->line = t;
			d->file = sl->file;
			d->lineno = sl->lineno;
			d->index = sl->index;
		}
	} else
		return NULL;
	lp_buf_reset(&sl->line);
	lp_buf_add(&sl->line, rec->text, rec->len);
	sl->file = rec->file;
	sl->lineno = rec->line;
	sl->index = index;
	sl->twin = NULL;
	return sl;
}

/* Hold rec, selected by the streaming rules for reasons. */
static int
hold(struct lp_sample *s, const struct lp_record *rec, unsigned reasons,
    uint64_t index)
{
	if (s->sel.n == s->nsel_cap) {
		s->nsel_cap = s->nsel_cap ? s->nsel_cap * 2 : 1024;
		s->sel_index = lp_xrealloc(
		    s->sel_index, s->nsel_cap * sizeof(*s->sel_index));
		s->sel_reasons = lp_xrealloc(
		    s->sel_reasons, s->nsel_cap * sizeof(*s->sel_reasons));
	}
	s->sel_index[s->sel.n] = index;
	s->sel_reasons[s->sel.n] = reasons;
	if (lp_held_add(&s->sel, rec, NULL) != LP_OK) {
		s->err = s->sel.err;
		return LP_FAILED;
	}
	return LP_OK;
}

int
lp_sample_take(struct lp_sample *s, const struct lp_record *rec,
    unsigned reasons, size_t stratum, int *kept)
{
	struct lp_sample_slot *a = NULL, *b = NULL;
	uint64_t index = s->taken++;

	s->ndropped = 0;
	*kept = 0;
	if (reasons) {
		if (hold(s, rec, reasons, index) != LP_OK)
			return LP_FAILED;
		*kept = 1;
	}
	if (s->random_n >= 0)
		a = offer(s, &s->rand, &s->r_res, rec, index);
	if (s->per_stratum > 0)
		b = offer(s, &s->strata[stratum], &s->r_strata, rec, index);
	if (a != NULL && b != NULL) {
		a->twin = b;
		b->twin = a;
	}
	*kept |= a != NULL || b != NULL;
	return LP_OK;
}

void
lp_sample_slot_record(const struct lp_sample_slot *sl, struct lp_record *rec)
{
	lp_record_reset(rec);
	/* It parsed when it was read, so it parses again. */
	if (lp_record_parse(rec, sl->line.p, sl->line.len) != LP_OK)
		abort();
	rec->file = sl->file;
	rec->line = sl->lineno;
}

static int
cmp_pick(const void *a, const void *b)
{
	const struct lp_sample_pick *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static void
push_pick(struct lp_sample *s, size_t *cap, struct lp_sample_pick p)
{
	if (s->npicks == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		s->picks = lp_xrealloc(s->picks, *cap * sizeof(*s->picks));
	}
	s->picks[s->npicks++] = p;
}

void
lp_sample_collect(struct lp_sample *s)
{
	struct lp_sample_pick *p;
	size_t cap = 0, i, j, st;

	for (i = 0; i < s->sel.n; i++)
		push_pick(s, &cap,
		    (struct lp_sample_pick){
			s->sel_index[i], s->sel_reasons[i], 0, i, 0});
	for (i = 0; i < s->rand.n; i++)
		push_pick(s, &cap,
		    (struct lp_sample_pick){
			s->rand.slots[i].index, LP_SAMPLE_RANDOM, 1, i, 0});
	for (st = 0; st < s->nstrata; st++)
		for (i = 0; i < s->strata[st].n; i++)
			push_pick(s, &cap,
			    (struct lp_sample_pick){
				s->strata[st].slots[i].index, LP_SAMPLE_STRATUM,
				2, i, st});
	p = s->picks;
	qsort(p, s->npicks, sizeof(*p), cmp_pick);
	/* One pick per record: the first source, every reason. */
	for (i = j = 0; i < s->npicks; i++) {
		if (j > 0 && p[j - 1].index == p[i].index) {
			p[j - 1].reasons |= p[i].reasons;
			continue;
		}
		p[j++] = p[i];
	}
	s->npicks = j;
	for (i = 0; i < s->npicks; i++) {
		s->n_questionable +=
		    (p[i].reasons & LP_SAMPLE_QUESTIONABLE) != 0;
		s->n_random += (p[i].reasons & LP_SAMPLE_RANDOM) != 0;
		s->n_stratum += (p[i].reasons & LP_SAMPLE_STRATUM) != 0;
	}
}

size_t
lp_sample_cap(struct lp_sample *s)
{
	size_t n = s->npicks, max = (size_t)s->max, i;

	if (s->max < 0 || n <= max)
		return 0;
	for (i = 0; i < n; i++) {
		size_t r = i + (size_t)lp_rng_below(&s->r_max, n - i);
		struct lp_sample_pick t = s->picks[i];

		s->picks[i] = s->picks[r];
		s->picks[r] = t;
	}
	s->npicks = max;
	s->n_cut = (long long)(n - max);
	qsort(s->picks, max, sizeof(*s->picks), cmp_pick);
	return n - max;
}

void
lp_sample_pick_record(
    const struct lp_sample *s, size_t i, struct lp_record *rec)
{
	const struct lp_sample_pick *p = &s->picks[i];

	if (p->src == 0)
		lp_held_get(&s->sel, p->where, rec);
	else if (p->src == 1)
		lp_sample_slot_record(&s->rand.slots[p->where], rec);
	else
		lp_sample_slot_record(
		    &s->strata[p->stratum].slots[p->where], rec);
}

/* Read the gold items of path into s->gold. */
static int
gold_read(struct lp_sample *s, struct lp_reader *gr, const char *path)
{
	struct lp_record g;
	const char *line;
	size_t len;
	int rc, bad = LP_OK;

	lp_record_init(&g);
	while (
	    bad == LP_OK && (rc = lp_reader_next(gr, &line, &len)) == LP_OK) {
		lp_record_reset(&g);
		g.file = s->gold_name;
		g.line = lp_reader_lineno(gr);
		if (lp_record_parse(&g, line, len) != LP_OK)
			bad = lp_error_set(
			    &s->err, "%s:%lu: %s", path, g.line, g.err.msg);
		else if (lp_record_get(&g, "gold") == NULL)
			bad = lp_error_set(&s->err,
			    "%s:%lu: a gold item needs its answer in \"gold\"",
			    path, g.line);
		else if (lp_held_add(&s->gold, &g, NULL) != LP_OK)
			bad = lp_error_set(&s->err, "%s", s->gold.err.msg);
	}
	lp_record_release(&g);
	if (bad != LP_OK)
		return bad;
	if (rc == LP_EOF)
		return LP_OK;
	lp_error_set(&s->err, "%s", gr->err.msg);
	return gr->ioerr ? LP_FATAL : LP_FAILED;
}

int
lp_sample_gold_load(struct lp_sample *s, const char *path)
{
	struct lp_reader gr;
	char *files[1];
	int rc;

	files[0] = (char *)path;
	if (lp_reader_open(&gr, files, 1, LP_MAX_LINE_DEFAULT) != LP_OK) {
		lp_error_set(&s->err, "%s", gr.err.msg);
		return LP_FATAL;
	}
	free(s->gold_name);
	s->gold_name = lp_xstrdup(lp_reader_name(&gr));
	rc = gold_read(s, &gr, path);
	lp_reader_close(&gr);
	return rc;
}

size_t
lp_sample_gold_choose(struct lp_sample *s)
{
	size_t want, i, n = s->gold.n;

	/* Rate g / (picks + g); which items and where, by the seed. */
	want = (size_t)llround(
	    (double)s->npicks * s->gold_rate / (1.0 - s->gold_rate));
	s->ngold = want < n ? want : n;
	/* Which: the first ngold of a seeded shuffle. */
	free(s->goldpos);
	s->goldpos = lp_xmalloc((n ? n : 1) * sizeof(*s->goldpos));
	for (i = 0; i < n; i++)
		s->goldpos[i] = i;
	for (i = 0; i < s->ngold; i++) {
		size_t r = i + (size_t)lp_rng_below(&s->r_gold, n - i);
		size_t t = s->goldpos[i];

		s->goldpos[i] = s->goldpos[r];
		s->goldpos[r] = t;
	}
	s->n_gold = (long long)s->ngold;
	return want;
}

/*
 * Walk the picks + ngold places; each is gold with probability (gold
 * left) / (places left): ngold places, uniformly spread.
 */
int
lp_sample_gold_check(struct lp_sample *s)
{
	struct lp_record rec;
	struct lp_error why;
	size_t i;
	int rc = LP_OK;

	lp_record_init(&rec);
	lp_gold_look_release(&s->look);
	for (i = 0; i < s->npicks; i++) {
		lp_record_reset(&rec);
		lp_sample_pick_record(s, i, &rec);
		lp_gold_look_add(&s->look, lp_record_root(&rec));
	}
	for (i = 0; i < s->ngold && rc == LP_OK; i++) {
		json_t *root;

		lp_record_reset(&rec);
		lp_held_get(&s->gold, s->goldpos[i], &rec);
		root = lp_record_root(&rec);
		if (lp_gold_look_check(&s->look, root, &why) != LP_OK)
			rc = lp_error_set(&s->err,
			    "%s: gold item '%s' would stand out: %s",
			    s->gold_name,
			    json_string_value(json_object_get(root, "id")),
			    why.msg);
	}
	lp_record_release(&rec);
	return rc;
}

/* Take the answer out of gold item rec; give it a real item's lineage. */
static void
disguise(struct lp_sample *s, struct lp_record *rec)
{
	json_t *root = lp_record_root(rec);

	json_decref(s->answer);
	s->answer = json_incref(json_object_get(root, "gold"));
	json_object_del(root, "gold");
	if (s->look.lineage != NULL)
		json_object_set_new(
		    root, "lineage", json_deep_copy(s->look.lineage));
}

int
lp_sample_next(struct lp_sample *s, struct lp_record *rec, unsigned *reasons)
{
	size_t i = s->next_pick, m = s->next_gold;

	if (i >= s->npicks && m >= s->ngold)
		return 0;
	if (m < s->ngold &&
	    lp_rng_below(&s->r_gold, (s->npicks - i) + (s->ngold - m)) <
		s->ngold - m) {
		lp_held_get(&s->gold, s->goldpos[s->next_gold++], rec);
		disguise(s, rec);
		*reasons = LP_SAMPLE_GOLD;
	} else {
		lp_sample_pick_record(s, s->next_pick, rec);
		*reasons = s->picks[s->next_pick++].reasons;
	}
	return 1;
}

void
lp_sample_key_line(
    const struct lp_sample *s, const char *id, struct lp_buf *out)
{
	json_t *k = json_pack("{s:s,s:O}", "id", id != NULL ? id : "", "gold",
	    s->answer != NULL ? s->answer : json_null());

	lp_json_dump(k, out);
	lp_buf_addc(out, '\n');
	json_decref(k);
}

json_t *
lp_sample_object(const struct lp_sample *s, unsigned reasons,
    char *const *names, const int *who, int k)
{
	json_t *sample = json_object(), *why = json_array(), *a;
	int i;

	/*
	 * A gold item's reason reads "random", the cover any spot check
	 * has: what a reviewer may see gives nothing away.  Its answer is
	 * not in it (lp_sample_next() took it out for the key file).
	 */
	if (reasons & LP_SAMPLE_GOLD)
		reasons = LP_SAMPLE_RANDOM;
	for (i = 0; i < 3; i++)
		if (reasons & (1u << i))
			json_array_append_new(
			    why, json_string(reason_names[i]));
	json_object_set_new(sample, "reason", why);
	json_object_set_new(sample, "seed", json_integer((json_int_t)s->seed));
	if (s->round > 0)
		json_object_set_new(
		    sample, "round", json_integer((json_int_t)s->round));
	if (who != NULL) {
		a = json_array();
		for (i = 0; i < k; i++)
			json_array_append_new(a, json_string(names[who[i]]));
		json_object_set_new(sample, "assignees", a);
	}
	return sample;
}

void
lp_sample_release(struct lp_sample *s)
{
	size_t i;

	if (s->random_n >= 0)
		reservoir_release(&s->rand);
	for (i = 0; i < s->nstrata; i++)
		reservoir_release(&s->strata[i]);
	free(s->strata);
	lp_held_release(&s->sel);
	lp_held_release(&s->gold);
	lp_gold_look_release(&s->look);
	json_decref(s->answer);
	s->answer = NULL;
	free(s->sel_index);
	free(s->sel_reasons);
	lp_buf_release(&s->dropped[0].line);
	lp_buf_release(&s->dropped[1].line);
	free(s->picks);
	free(s->gold_name);
	free(s->goldpos);
	s->strata = NULL;
	s->picks = NULL;
	s->gold_name = NULL;
	s->goldpos = NULL;
}
