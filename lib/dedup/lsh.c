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

int
lp_lsh_init(struct lp_lsh *l, int bands, int rows)
{
	memset(l, 0, sizeof(*l));
	lp_error_clear(&l->err);
	l->bands = bands;
	l->rows = rows;
	if ((l->sh = calloc(LP_LSH_SHARDS, sizeof(*l->sh))) == NULL)
		return lp_error_set(&l->err, "out of memory (LSH index)");
	l->heap = lp_xmalloc(sizeof(*l->heap) * (size_t)bands);
	l->fp = lp_xmalloc(sizeof(*l->fp) * (size_t)bands);
	l->fresh = lp_xmalloc((size_t)bands);
	l->held = lp_xmalloc((size_t)bands);
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
 * A key's fingerprint: its top 32 bits, never 0, times an odd constant.
 * The product is one to one, so two keys share it exactly when their top
 * bits agree; its top half picks the shard and its low half, stored in
 * the entry, the home slot, so a shard can grow without the full keys.
 */
static uint32_t
fingerprint(uint64_t key)
{
	uint32_t fp = (uint32_t)(key >> 32);

	return (fp != 0 ? fp : 1) * 0x9e3779b1U;
}

static struct lp_lsh_shard *
shard_of(const struct lp_lsh *l, uint32_t fp)
{
	return &l->sh[fp >> (32 - LP_LSH_SHARD_BITS)];
}

/* The home slot of a low half in a shard of cap slots: any cap will do. */
static uint32_t
home(uint16_t fp, uint32_t cap)
{
	return (uint32_t)((uint64_t)fp * cap >> 16);
}

/* The word of an empty slot (its low half is all ones too). */
#define EMPTY 0xffffffffU

/*
 * A shard's most entries per 1000 slots, and growth by 1 / LSH_GROW.  A
 * new key moves the entries after it up to the next empty slot: 5 of
 * them on average over a million records, but the runs grow fast with
 * the load (expected 23 at 0.85, 50 at 0.9), and a load of 0.9 cost more
 * time than its memory was worth.
 */
#define LSH_LOAD 850
#define LSH_GROW 2

/* The value bits of an entry's word, and the fingerprint bits above. */
#define VAL_MASK ((1U << LP_LSH_VAL_BITS) - 1)

static uint32_t
tag(uint32_t fp)
{
	return fp >> 16 << LP_LSH_VAL_BITS;
}

static uint32_t
value(const struct lp_lsh_entry *e)
{
	return (uint32_t)e->hi << 16 | e->lo;
}

static void
set_value(struct lp_lsh_entry *e, uint32_t v)
{
	e->lo = (uint16_t)(v & 0xffff);
	e->hi = (uint16_t)(v >> 16);
}

/* The most entries a shard of cap slots holds. */
static uint32_t
max_load(uint32_t cap)
{
	return (uint32_t)((uint64_t)cap * LSH_LOAD / 1000);
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

/*
 * Slots past the last home: entries pushed beyond it stay in order, and
 * the last is always empty, so a scan stops without a bound.
 */
static uint32_t
slots_of(uint32_t cap)
{
	return cap + cap / 32 + 4;
}

/*
 * The entry of fingerprint fp in s, or NULL.  A shard's entries are in
 * the order of their low halves, each at or after its home slot with no
 * empty slot between: a lookup scans from its home past smaller ones,
 * then compares the 4 bits beside the value of those with the same low
 * half.  An empty slot's low half is 0xffff, above any it is asked for
 * or equal to it, so it stops the scan too.
 */
static struct lp_lsh_entry *
lsh_find(const struct lp_lsh_shard *s, uint32_t fp)
{
	struct lp_lsh_entry *e;
	uint16_t lo = (uint16_t)fp;

	if (s->cap == 0)
		return NULL;
	for (e = &s->e[home(lo, s->cap)]; e->fp < lo; e++)
		;
	for (; e->fp == lo && value(e) != EMPTY; e++)
		if ((value(e) & ~VAL_MASK) == tag(fp))
			return e;
	return NULL;
}

/*
 * Put e, whose key s lacks, in its place, moving those after it up a
 * slot: 0 if that would fill the last slot.
 */
static int
lsh_put(struct lp_lsh_shard *s, struct lp_lsh_entry e)
{
	uint32_t i = home(e.fp, s->cap), j, last = slots_of(s->cap) - 1;

	while (s->e[i].fp < e.fp)
		i++;
	for (j = i; value(&s->e[j]) != EMPTY; j++)
		;
	if (j == last)
		return 0;
	memmove(&s->e[i + 1], &s->e[i], (j - i) * sizeof(e));
	s->e[i] = e;
	return 1;
}

/* Take the entry e out of s, moving back those after it that may. */
static void
lsh_remove(struct lp_lsh_shard *s, struct lp_lsh_entry *e)
{
	uint32_t j = (uint32_t)(e - s->e);

	while (
	    value(&s->e[j + 1]) != EMPTY && home(s->e[j + 1].fp, s->cap) <= j) {
		s->e[j] = s->e[j + 1];
		j++;
	}
	memset(&s->e[j], 0xff, sizeof(*s->e));
}

/*
 * Lay the entries of s out in t for cap homes: in order, each at its
 * home or just after the one before.  0 if they pass the last slot.
 */
static int
lsh_spread(const struct lp_lsh_shard *s, struct lp_lsh_entry *t, uint32_t cap)
{
	uint32_t i, at = 0, h, last = slots_of(cap) - 1;

	memset(t, 0xff, (size_t)slots_of(cap) * sizeof(*t));
	for (i = 0; s->cap != 0 && i < slots_of(s->cap); i++) {
		if (value(&s->e[i]) == EMPTY)
			continue;
		h = home(s->e[i].fp, cap);
		if (h > at)
			at = h;
		if (at >= last)
			return 0;
		t[at++] = s->e[i];
	}
	return 1;
}

/*
 * Grow s to hold want entries at a load of at most 0.85, and more than
 * its slots hold now: by half (doubling while small), so its load stays
 * between 0.57 and 0.85, and only this shard is held twice while it
 * moves.  As the entries are in order, moving is one pass.
 */
static int
shard_grow(struct lp_lsh *l, struct lp_lsh_shard *s, uint32_t want)
{
	struct lp_lsh_entry *t = NULL;
	uint32_t cap = s->cap ? s->cap : 4;

	do {
		do
			cap = cap < 64 ? cap * 2 : cap + cap / LSH_GROW;
		while (max_load(cap) < want);
		free(t);
		if ((t = malloc((size_t)slots_of(cap) * sizeof(*t))) == NULL)
			return lp_error_set(&l->err,
			    "out of memory (LSH index of %zu MiB)",
			    l->slots * sizeof(*t) >> 20);
	} while (!lsh_spread(s, t, cap));
	free(s->e);
	l->slots += slots_of(cap) - (s->cap ? slots_of(s->cap) : 0);
	s->e = t;
	s->cap = cap;
	return LP_OK;
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

/* Add id to the ids of entry e. */
static void
lsh_append(struct lp_lsh *l, struct lp_lsh_entry *e, uint32_t id)
{
	uint32_t b, *bp, v = value(e) & VAL_MASK;

	if (v & LP_LSH_LIST) {
		block_append(l, v & ~LP_LSH_LIST, id);
		return;
	}
	/* A second id: the key moves to a list of blocks. */
	b = block_new(l); /* e stays valid: the shard is not touched */
	bp = l->blk + (size_t)b * LP_LSH_BLOCK;
	bp[BLK_TAIL] = b;
	bp[BLK_N] = 2;
	bp[BLK_IDS] = v;
	bp[BLK_IDS + 1] = id;
	set_value(e, (value(e) & ~VAL_MASK) | LP_LSH_LIST | b);
}

/* What lp_lsh_add() did with a band: fresh[b]. */
enum { KEY_HELD, KEY_COUNTED, KEY_PUT };

/* Undo what lp_lsh_add() did for the bands before failing: LP_FAILED. */
static int
add_undo(struct lp_lsh *l)
{
	int b;

	for (b = 0; b < l->bands; b++) {
		struct lp_lsh_shard *s = shard_of(l, l->fp[b]);

		if (l->fresh[b] == KEY_PUT) {
			lsh_remove(s, lsh_find(s, l->fp[b]));
			l->n--;
		}
		if (l->fresh[b] != KEY_HELD)
			s->n--;
	}
	return LP_FAILED;
}

/* Put a new key of id, counted in its shard.  LP_OK or LP_FAILED. */
static int
add_new(struct lp_lsh *l, int b, uint32_t id)
{
	struct lp_lsh_shard *s = shard_of(l, l->fp[b]);
	struct lp_lsh_entry n;
	int c;

	/* An earlier band of the same id may have put the key. */
	for (c = 0; c < b; c++)
		if (l->fresh[c] == KEY_PUT && l->fp[c] == l->fp[b]) {
			s->n--;
			l->fresh[b] = KEY_HELD;
			return LP_OK;
		}
	n.fp = (uint16_t)l->fp[b];
	set_value(&n, tag(l->fp[b]) | id);
	/* Rarely, the last slots are reached before the load is. */
	while (!lsh_put(s, n))
		if (shard_grow(l, s, s->n) != LP_OK)
			return LP_FAILED;
	l->fresh[b] = KEY_PUT;
	l->n++;
	return LP_OK;
}

/*
 * Room first for every new key, then the new keys, then id added to
 * those held: an index that cannot grow is put back as it was.
 */
int
lp_lsh_add(struct lp_lsh *l, const uint64_t *keys, uint32_t id)
{
	int b, c;

	if (id >= LP_LSH_LIST || l->nblk + (size_t)l->bands >= LP_LSH_LIST - 1)
		return lp_error_set(
		    &l->err, "too many items for the LSH index");
	/* Right after a query of the same keys, its lookups still hold. */
	for (b = 0; b < l->bands; b++) {
		uint32_t fp = fingerprint(keys[b]);

		l->known &= fp == l->fp[b];
		l->fp[b] = fp;
	}
	for (b = 0; b < l->bands; b++) {
		struct lp_lsh_shard *s = shard_of(l, l->fp[b]);

		l->fresh[b] = KEY_HELD;
		if (l->known ? l->held[b] : lsh_find(s, l->fp[b]) != NULL)
			continue;
		if (s->n + 1 > max_load(s->cap) &&
		    shard_grow(l, s, s->n + 1) != LP_OK) {
			for (c = b + 1; c < l->bands; c++)
				l->fresh[c] = KEY_HELD;
			l->known = 0;
			return add_undo(l);
		}
		s->n++;
		l->fresh[b] = KEY_COUNTED;
	}
	for (b = 0; b < l->bands; b++)
		if (l->fresh[b] == KEY_COUNTED && add_new(l, b, id) != LP_OK) {
			l->known = 0;
			return add_undo(l);
		}
	for (b = 0; b < l->bands; b++)
		if (l->fresh[b] == KEY_HELD)
			lsh_append(
			    l, lsh_find(shard_of(l, l->fp[b]), l->fp[b]), id);
	l->known = 0;
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

	/*
	 * Ask for every band's shard, then its home slot, before probing
	 * any: the misses overlap.
	 */
	for (b = 0; b < l->bands; b++) {
		l->fp[b] = fingerprint(keys[b]);
		PREFETCH(shard_of(l, l->fp[b]));
	}
	for (b = 0; b < l->bands; b++) {
		const struct lp_lsh_shard *s = shard_of(l, l->fp[b]);

		if (s->cap != 0) {
			const char *p =
			    (const char *)&s
				->e[home((uint16_t)l->fp[b], s->cap)];
			PREFETCH(p);
			PREFETCH(p + 64);
		}
	}
	l->nheap = 0;
	l->given = 0;
	for (b = 0; b < l->bands; b++) {
		const struct lp_lsh_entry *e =
		    lsh_find(shard_of(l, l->fp[b]), l->fp[b]);
		struct lp_lsh_cursor *c = &l->heap[l->nheap];
		uint32_t v;

		l->held[b] = e != NULL;
		if (e == NULL)
			continue;
		l->nheap++;
		c->pos = 0;
		if ((v = value(e) & VAL_MASK) & LP_LSH_LIST) {
			/* Its first id is read below, the misses overlapping. */
			c->blk = v & ~LP_LSH_LIST;
			PREFETCH(l->blk + (size_t)c->blk * LP_LSH_BLOCK);
		} else {
			c->blk = 0;
			c->id = v;
		}
	}
	for (k = 0; k < l->nheap; k++)
		if (l->heap[k].blk != 0)
			l->heap[k].id =
			    l->blk[(size_t)l->heap[k].blk * LP_LSH_BLOCK +
				BLK_IDS];
	l->known = 1;
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
	return (l->sh != NULL ? LP_LSH_SHARDS * sizeof(*l->sh) : 0) +
	    l->slots * sizeof(struct lp_lsh_entry) +
	    l->blkcap * LP_LSH_BLOCK * sizeof(*l->blk);
}

void
lp_lsh_release(struct lp_lsh *l)
{
	size_t i;

	if (l->sh != NULL)
		for (i = 0; i < LP_LSH_SHARDS; i++)
			free(l->sh[i].e);
	free(l->sh);
	free(l->heap);
	free(l->fp);
	free(l->fresh);
	free(l->held);
	free(l->blk);
	l->sh = NULL;
	l->heap = NULL;
	l->fp = NULL;
	l->fresh = l->held = NULL;
	l->blk = NULL;
	l->slots = l->n = l->nblk = l->blkcap = 0;
	l->nheap = 0;
}
