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
	l->nheap = 0;
	l->given = 0;
	l->heap = lp_xmalloc(sizeof(*l->heap) * (size_t)bands);
	if ((l->t = lsh_table(l, l->cap)) == NULL) {
		free(l->heap);
		l->heap = NULL;
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
 * Robin Hood insertion: an entry passes over those as far from their home
 * as it is from its own or further, so entries of one fingerprint stay
 * together and a lookup stops where its fingerprint would have been.  On
 * a redundant catalogue many items share band keys; with plain linear
 * probing their runs merged and a lookup walked through other keys' runs.
 * Where it stops, the rest of the cluster moves up one slot rather than
 * being swapped past, so each home slot's entries keep the order they
 * came in: a band key's ids ascend.
 */
static void
lsh_put(struct lp_lsh_entry *t, size_t cap, uint32_t fp, uint32_t id)
{
	struct lp_lsh_entry e = {fp, id}, x;
	size_t i = slot_of(fp, cap), d = 0;

	while (t[i].fp != 0 && dist(t, cap, i) >= d) {
		i = (i + 1) & (cap - 1);
		d++;
	}
	while (t[i].fp != 0) {
		x = t[i];
		t[i] = e;
		e = x;
		i = (i + 1) & (cap - 1);
	}
	t[i] = e;
}

/*
 * Move the entries of l->t into a table of cap slots.  They are taken
 * from just after an empty slot on, round the end: a cluster that wraps
 * is taken in its order, which keeps each band key's ids ascending.
 */
static void
lsh_rehash(struct lp_lsh *l, struct lp_lsh_entry *t, size_t cap)
{
	size_t start = 0, k, i;

	while (l->t[start].fp != 0)
		start++;
	for (k = 1; k <= l->cap; k++) {
		i = (start + k) & (l->cap - 1);
		if (l->t[i].fp != 0)
			lsh_put(t, cap, l->t[i].fp, l->t[i].id);
	}
}

int
lp_lsh_add(struct lp_lsh *l, const uint64_t *keys, uint32_t id)
{
	int b;

	/* Grow past a load of 0.8: unsuccessful probes stay short. */
	if ((l->n + (size_t)l->bands) * 5 > l->cap * 4) {
		size_t cap = l->cap * 2;
		struct lp_lsh_entry *t = lsh_table(l, cap);

		if (t == NULL)
			return LP_FAILED;
		lsh_rehash(l, t, cap);
		free(l->t);
		l->t = t;
		l->cap = cap;
	}
	for (b = 0; b < l->bands; b++)
		lsh_put(l->t, l->cap, fingerprint(keys[b]), id);
	l->n += (size_t)l->bands;
	return LP_OK;
}

/*
 * Move c to the first entry of its fingerprint at or after its slot: 1,
 * or 0 once the run of its home slot is behind it.
 */
static int
seek(const struct lp_lsh *l, struct lp_lsh_cursor *c)
{
	const struct lp_lsh_entry *t = l->t;
	size_t i = c->i, d = c->d;

	for (; t[i].fp != 0 && dist(t, l->cap, i) >= d;
	     i = (i + 1) & (l->cap - 1), d++)
		if (t[i].fp == c->fp) {
			c->i = i;
			c->d = d;
			c->id = t[i].id;
			return 1;
		}
	return 0;
}

/* Sift the cursor at k down the heap of n. */
static void
heap_down(struct lp_lsh_cursor *h, int n, int k)
{
	struct lp_lsh_cursor x = h[k];
	int c;

	while ((c = 2 * k + 1) < n) {
		if (c + 1 < n && h[c + 1].id < h[c].id)
			c++;
		if (x.id <= h[c].id)
			break;
		h[k] = h[c];
		k = c;
	}
	h[k] = x;
}

void
lp_lsh_start(struct lp_lsh *l, const uint64_t *keys)
{
	int b, k;

	/* Ask for every band's slot before probing any: the misses overlap. */
	for (b = 0; b < l->bands; b++)
		PREFETCH(&l->t[slot_of(fingerprint(keys[b]), l->cap)]);
	l->nheap = 0;
	l->given = 0;
	for (b = 0; b < l->bands; b++) {
		struct lp_lsh_cursor *c = &l->heap[l->nheap];

		c->fp = fingerprint(keys[b]);
		c->i = slot_of(c->fp, l->cap);
		c->d = 0;
		if (seek(l, c))
			l->nheap++;
	}
	for (k = l->nheap / 2; k-- > 0;)
		heap_down(l->heap, l->nheap, k);
}

int
lp_lsh_next(struct lp_lsh *l, uint32_t *id)
{
	while (l->nheap > 0) {
		struct lp_lsh_cursor *c = &l->heap[0];
		uint32_t x = c->id;

		/* The band's next entry, or the band is done. */
		c->i = (c->i + 1) & (l->cap - 1);
		c->d++;
		if (!seek(l, c))
			l->heap[0] = l->heap[--l->nheap];
		heap_down(l->heap, l->nheap, 0);
		/* An id in several bands comes out of them one after another. */
		if (l->given && x == l->last)
			continue;
		l->given = 1;
		l->last = x;
		*id = x;
		return 1;
	}
	return 0;
}

void
lp_lsh_query(struct lp_lsh *l, const uint64_t *keys, struct lp_u64s *out)
{
	uint32_t id;

	lp_lsh_start(l, keys);
	out->n = 0;
	while (lp_lsh_next(l, &id))
		lp_u64s_push(out, id);
}

size_t
lp_lsh_bytes(const struct lp_lsh *l)
{
	return l->cap * sizeof(*l->t);
}

void
lp_lsh_release(struct lp_lsh *l)
{
	free(l->t);
	free(l->heap);
	l->t = NULL;
	l->heap = NULL;
	l->cap = l->n = 0;
	l->nheap = 0;
}
