#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#include "core/status.h"
#include "dedup/lsh.h"
#include "dedup/mix_private.h"

double
lp_lsh_prob(double j, int bands, int rows)
{
	return 1.0 - pow(1.0 - pow(j, rows), bands);
}

double
lp_lsh_plan(double threshold, int nperm, int *bands, int *rows)
{
	int r;

	/* The most rows (fewest stray candidates) that still find the pairs. */
	for (r = nperm; r >= 1; r--) {
		int b = nperm / r;

		if (lp_lsh_prob(threshold, b, r) >= 0.995) {
			*bands = b;
			*rows = r;
			return lp_lsh_prob(threshold, b, r);
		}
	}
	*bands = nperm;
	*rows = 1;
	return lp_lsh_prob(threshold, nperm, 1);
}

static struct lp_lsh_entry *
lsh_table(struct lp_lsh *l, size_t cap)
{
	struct lp_lsh_entry *t = calloc(cap, sizeof(*t));

	if (t == NULL)
		lp_error_set(&l->err, "out of memory (LSH index of %zu MiB)",
		    cap * sizeof(*t) >> 20);
	return t;
}

int
lp_lsh_init(struct lp_lsh *l, int bands, int rows)
{
	lp_error_clear(&l->err);
	l->bands = bands;
	l->rows = rows;
	l->cap = 4096;
	l->n = 0;
	l->stamp = NULL;
	l->nstamp = 0;
	l->query = 0;
	if ((l->t = lsh_table(l, l->cap)) == NULL) {
		l->cap = 0;
		return LP_FAILED;
	}
	return LP_OK;
}

/*
 * A band key: the band's rows folded two at a time, then mixed.  The band
 * number goes in first, so equal rows in different bands differ.
 */
void
lp_lsh_keys(const struct lp_lsh *l, const uint32_t *sig, uint64_t *keys)
{
	int b, r;

	for (b = 0; b < l->bands; b++) {
		const uint32_t *row = sig + (size_t)b * (size_t)l->rows;
		uint64_t h = (uint64_t)b * 0x9e3779b97f4a7c15ULL;

		for (r = 0; r < l->rows; r++) {
			h = (h ^ row[r]) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		keys[b] = lp_dedup_mix(h);
	}
}

/*
 * The slot comes from the fingerprint alone, so the table can grow without
 * the full keys.
 */
static uint32_t
fingerprint(uint64_t key)
{
	uint32_t fp = (uint32_t)(key >> 32);

	return fp != 0 ? fp : 1;
}

static size_t
slot_of(uint32_t fp, size_t cap)
{
	return (size_t)(fp * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* How far slot i is from the home slot of the entry in it. */
static size_t
dist(const struct lp_lsh_entry *t, size_t cap, size_t i)
{
	return (i - slot_of(t[i].fp, cap)) & (cap - 1);
}

/*
 * Robin Hood insertion: an entry passes over those nearer their home
 * than it is to its own, so entries of one fingerprint stay together and
 * a lookup stops where its fingerprint would have been.  On a redundant
 * catalogue many items share band keys; with plain linear probing their
 * runs merged and a lookup walked through other keys' runs.
 */
static void
lsh_put(struct lp_lsh_entry *t, size_t cap, uint32_t fp, uint32_t id)
{
	struct lp_lsh_entry e = {fp, id}, x;
	size_t i = slot_of(fp, cap), d = 0, di;

	while (t[i].fp != 0) {
		if ((di = dist(t, cap, i)) < d) {
			x = t[i];
			t[i] = e;
			e = x;
			d = di;
		}
		i = (i + 1) & (cap - 1);
		d++;
	}
	t[i] = e;
}

int
lp_lsh_add(struct lp_lsh *l, const uint64_t *keys, uint32_t id)
{
	int b;

	/* Grow past a load of 0.8: unsuccessful probes stay short. */
	if ((l->n + (size_t)l->bands) * 5 > l->cap * 4) {
		size_t cap = l->cap * 2, i;
		struct lp_lsh_entry *t = lsh_table(l, cap);

		if (t == NULL)
			return LP_FAILED;
		for (i = 0; i < l->cap; i++)
			if (l->t[i].fp != 0)
				lsh_put(t, cap, l->t[i].fp, l->t[i].id);
		free(l->t);
		l->t = t;
		l->cap = cap;
	}
	if (id >= l->nstamp) {
		size_t n = l->nstamp ? l->nstamp : 1024;

		while (n <= id)
			n *= 2;
		l->stamp = lp_xrealloc(l->stamp, n * sizeof(*l->stamp));
		memset(l->stamp + l->nstamp, 0,
		    (n - l->nstamp) * sizeof(*l->stamp));
		l->nstamp = n;
	}
	for (b = 0; b < l->bands; b++)
		lsh_put(l->t, l->cap, fingerprint(keys[b]), id);
	l->n += (size_t)l->bands;
	return LP_OK;
}

void
lp_lsh_candidates(struct lp_lsh *l, const uint64_t *keys, struct lp_u64s *out)
{
	size_t i;
	int b;

	/* Number 0 marks no query: start the stamps afresh on a wrap. */
	if (++l->query == 0) {
		memset(l->stamp, 0, l->nstamp * sizeof(*l->stamp));
		l->query = 1;
	}

	/* Ask for every band's slot before probing any: the misses overlap. */
	for (b = 0; b < l->bands; b++)
		PREFETCH(&l->t[slot_of(fingerprint(keys[b]), l->cap)]);
	out->n = 0;
	for (b = 0; b < l->bands; b++) {
		uint32_t fp = fingerprint(keys[b]);
		size_t d = 0;

		for (i = slot_of(fp, l->cap);
		     l->t[i].fp != 0 && dist(l->t, l->cap, i) >= d;
		     i = (i + 1) & (l->cap - 1), d++)
			if (l->t[i].fp == fp &&
			    l->stamp[l->t[i].id] != l->query) {
				l->stamp[l->t[i].id] = l->query;
				lp_u64s_push(out, l->t[i].id);
			}
	}
}

void
lp_lsh_query(struct lp_lsh *l, const uint64_t *keys, struct lp_u64s *out)
{
	lp_lsh_candidates(l, keys, out);
	lp_u64s_sort_unique(out);
}

size_t
lp_lsh_bytes(const struct lp_lsh *l)
{
	return l->cap * sizeof(*l->t) + l->nstamp * sizeof(*l->stamp);
}

void
lp_lsh_release(struct lp_lsh *l)
{
	free(l->t);
	free(l->stamp);
	l->t = NULL;
	l->stamp = NULL;
	l->cap = l->n = l->nstamp = 0;
}
