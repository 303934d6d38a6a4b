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
	memset(l, 0, sizeof(*l));
	lp_error_clear(&l->err);
	l->bands = bands;
	l->rows = rows;
	l->cap = 4096;
	if ((l->t = lsh_table(l, l->cap)) == NULL) {
		l->cap = 0;
		return LP_FAILED;
	}
	l->heap = lp_xmalloc(sizeof(*l->heap) * (size_t)bands);
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

/* The words of a block: next block, ids held, last block (in the first). */
#define BLK_NEXT 0
#define BLK_N 1
#define BLK_TAIL 2
#define BLK_IDS 3

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
 * The entry of fingerprint fp, or NULL.  Robin Hood order: a lookup stops
 * at an entry nearer its home than fp would be to its own.
 */
static struct lp_lsh_entry *
lsh_find(const struct lp_lsh *l, uint32_t fp)
{
	size_t i = slot_of(fp, l->cap), d = 0;

	for (; l->t[i].fp != 0 && dist(l->t, l->cap, i) >= d;
	     i = (i + 1) & (l->cap - 1), d++)
		if (l->t[i].fp == fp)
			return &l->t[i];
	return NULL;
}

/*
 * Robin Hood insertion of a new fingerprint: an entry passes over those
 * as far from their home as it is from its own or further, so probes stay
 * short at a load of 0.8.
 */
static void
lsh_put(struct lp_lsh_entry *t, size_t cap, struct lp_lsh_entry e)
{
	struct lp_lsh_entry x;
	size_t i = slot_of(e.fp, cap), d = 0, di;

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

/* A new empty block, by number.  Block 0 is never used: it means none. */
static uint32_t
block_new(struct lp_lsh *l)
{
	uint32_t b;

	if (l->nblk == 0)
		l->nblk = 1;
	if (l->nblk >= l->blkcap) {
		l->blkcap = l->blkcap ? l->blkcap * 2 : 1024;
		l->blk = lp_xrealloc(
		    l->blk, l->blkcap * LP_LSH_BLOCK * sizeof(*l->blk));
	}
	b = (uint32_t)l->nblk++;
	memset(l->blk + (size_t)b * LP_LSH_BLOCK, 0,
	    LP_LSH_BLOCK * sizeof(*l->blk));
	return b;
}

/* Append id to the list of blocks whose first is h. */
static void
block_append(struct lp_lsh *l, uint32_t h, uint32_t id)
{
	uint32_t t = l->blk[(size_t)h * LP_LSH_BLOCK + BLK_TAIL], *tb;

	tb = l->blk + (size_t)t * LP_LSH_BLOCK;
	if (tb[BLK_N] == LP_LSH_BLOCK - BLK_IDS) {
		uint32_t n = block_new(l);

		/* block_new() may move the blocks. */
		l->blk[(size_t)t * LP_LSH_BLOCK + BLK_NEXT] = n;
		l->blk[(size_t)h * LP_LSH_BLOCK + BLK_TAIL] = n;
		tb = l->blk + (size_t)n * LP_LSH_BLOCK;
	}
	tb[BLK_IDS + tb[BLK_N]++] = id;
}

/* File id under fingerprint fp. */
static void
lsh_add_one(struct lp_lsh *l, uint32_t fp, uint32_t id)
{
	struct lp_lsh_entry *e = lsh_find(l, fp), n = {fp, id};
	uint32_t b, *bp;

	if (e == NULL) {
		lsh_put(l->t, l->cap, n);
		l->n++;
	} else if (e->v & LP_LSH_LIST) {
		block_append(l, e->v & ~LP_LSH_LIST, id);
	} else {
		/* A second id: the key moves to a list of blocks. */
		uint32_t first = e->v;

		b = block_new(l); /* e stays valid: the table is not touched */
		bp = l->blk + (size_t)b * LP_LSH_BLOCK;
		bp[BLK_TAIL] = b;
		bp[BLK_N] = 2;
		bp[BLK_IDS] = first;
		bp[BLK_IDS + 1] = id;
		e->v = b | LP_LSH_LIST;
	}
}

int
lp_lsh_add(struct lp_lsh *l, const uint64_t *keys, uint32_t id)
{
	int b;

	if (id >= LP_LSH_LIST)
		return lp_error_set(
		    &l->err, "too many items for the LSH index");
	/* Grow past a load of 0.8: unsuccessful probes stay short. */
	if ((l->n + (size_t)l->bands) * 5 > l->cap * 4) {
		size_t cap = l->cap * 2, i;
		struct lp_lsh_entry *t = lsh_table(l, cap);

		if (t == NULL)
			return LP_FAILED;
		for (i = 0; i < l->cap; i++)
			if (l->t[i].fp != 0)
				lsh_put(t, cap, l->t[i]);
		free(l->t);
		l->t = t;
		l->cap = cap;
	}
	for (b = 0; b < l->bands; b++)
		lsh_add_one(l, fingerprint(keys[b]), id);
	return LP_OK;
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
		struct lp_lsh_entry *e = lsh_find(l, fingerprint(keys[b]));
		struct lp_lsh_cursor *c = &l->heap[l->nheap];

		if (e == NULL)
			continue;
		l->nheap++;
		c->pos = 0;
		if (e->v & LP_LSH_LIST) {
			c->blk = e->v & ~LP_LSH_LIST;
			c->id = l->blk[(size_t)c->blk * LP_LSH_BLOCK + BLK_IDS];
		} else {
			c->blk = 0;
			c->id = e->v;
		}
	}
	for (k = l->nheap / 2; k-- > 0;)
		heap_down(l->heap, l->nheap, k);
}

/* Move c to its next id: 1, or 0 once its list is done. */
static int
advance(const struct lp_lsh *l, struct lp_lsh_cursor *c)
{
	const uint32_t *bp;

	if (c->blk == 0)
		return 0;
	bp = l->blk + (size_t)c->blk * LP_LSH_BLOCK;
	if (++c->pos == bp[BLK_N]) {
		if ((c->blk = bp[BLK_NEXT]) == 0)
			return 0;
		c->pos = 0;
		bp = l->blk + (size_t)c->blk * LP_LSH_BLOCK;
	}
	c->id = bp[BLK_IDS + c->pos];
	return 1;
}

int
lp_lsh_next(struct lp_lsh *l, uint32_t *id)
{
	while (l->nheap > 0) {
		uint32_t x = l->heap[0].id;

		if (!advance(l, &l->heap[0]))
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
	return l->cap * sizeof(*l->t) +
	    l->blkcap * LP_LSH_BLOCK * sizeof(*l->blk);
}

void
lp_lsh_release(struct lp_lsh *l)
{
	free(l->t);
	free(l->heap);
	free(l->blk);
	l->t = NULL;
	l->heap = NULL;
	l->blk = NULL;
	l->cap = l->n = l->nblk = l->blkcap = 0;
	l->nheap = 0;
}
