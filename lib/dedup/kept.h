/*
 * What a duplicate can be "of": the items kept so far, found by exact key
 * or, with a near index, by near-duplicate text.
 *
 * Items are numbered 0, 1, ... as they are made: first the kept records of
 * earlier runs (items below nseen), then this run's.  Exact keys are
 * 128-bit digests in a key set that maps each to its item; with a memory
 * budget, once the set would pass a third of it, every key moves into a
 * Bloom filter of the other two thirds, which knows no items (a key found
 * there is of LP_NO_ITEM).  The near index (dedup/near.h) numbers its own
 * texts; near_item maps them to items.  Names (a record's id, or
 * file:line) are kept only when tracking, and not for items made after
 * the switch to the filter unless the near index can still find them.
 * A call that fails (out of memory, too many names) returns LP_FAILED and
 * says why in err.
 */
#ifndef LP_DEDUP_KEPT_H
#define LP_DEDUP_KEPT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/record.h"
#include "dedup/bloom.h"
#include "dedup/keyset.h"
#include "dedup/near.h"

/* No item. */
#define LP_NO_ITEM UINT32_MAX

/* The Bloom filter is sized for this false positive rate. */
#define LP_KEPT_BLOOM_RATE 0.001

struct lp_kept_u32s {
	uint32_t *v;
	size_t n, cap;
};

struct lp_kept {
	int track;	  /* keep names, for dup.of */
	int near;	  /* a near index too */
	long long budget; /* bytes for exact keys; 0: unbounded */
	struct lp_keyset keys;
	struct lp_bloom bloom; /* instead of keys, once bloomed */
	int bloomed;
	unsigned long long bloom_from; /* keys held when it switched */
	struct lp_near nd;
	struct lp_kept_u32s near_item; /* near index id -> item */
	struct lp_buf names;	       /* item names, NUL-terminated */
	struct lp_kept_u32s item_name; /* item -> offset in names */
	uint32_t nitems, nseen;
	struct lp_error err;
};

/*
 * An empty set.  track: keep names; values: the key set maps keys to
 * items (needed to name them, or to tell earlier runs' items apart);
 * budget: bytes for exact keys, 0 for no bound.
 */
void lp_kept_init(struct lp_kept *k, int track, int values, long long budget);
/*
 * Add a near index (see lp_near_init()).  LP_OK or LP_FAILED (err).
 */
int lp_kept_near_init(struct lp_kept *k, const struct lp_shingling *sh,
    double threshold, int nperm);
/* The items made so far are earlier runs': set nseen. */
void lp_kept_mark_seen(struct lp_kept *k);
/* A new item named name, in *item.  LP_OK or LP_FAILED (err). */
int lp_kept_item_new(struct lp_kept *k, const char *name, uint32_t *item);
/* The name of item, or NULL (not tracking, or LP_NO_ITEM). */
const char *lp_kept_item_name(const struct lp_kept *k, uint32_t item);
/*
 * 1 if key was kept, with *item (LP_NO_ITEM when the Bloom filter says
 * so); else 0.
 */
int lp_kept_key_find(
    const struct lp_kept *k, struct lp_key128 key, uint32_t *item);
/*
 * Keep key for item, switching to the Bloom filter first if the key set
 * would pass its share of the budget (k->bloomed turns 1: the caller may
 * say so).  LP_OK or LP_FAILED (err).
 */
int lp_kept_key_add(struct lp_kept *k, struct lp_key128 key, uint32_t item);
/*
 * The earliest item whose text reaches the near threshold with
 * text[0..n): 1 with *item and *sim; else 0.  As with lp_near_find(),
 * text must stay valid until lp_kept_near_add() if that follows.
 */
int lp_kept_near_find(
    struct lp_kept *k, const char *text, size_t n, uint32_t *item, double *sim);
/*
 * Every item whose text reaches the threshold, in item order, into items;
 * the first one's similarity in *first_sim.
 */
void lp_kept_near_find_all(struct lp_kept *k, const char *text, size_t n,
    struct lp_u64s *items, double *first_sim);
/* Keep the text last looked up for item.  LP_OK or LP_FAILED (err). */
int lp_kept_near_add(struct lp_kept *k, uint32_t item);
/* Keep text[0..n) for item, unlooked.  LP_OK or LP_FAILED (err). */
int lp_kept_near_insert(
    struct lp_kept *k, const char *text, size_t n, uint32_t item);
/*
 * A new item named name, kept under key and, with a near index, under
 * text[0..n) or, text NULL, the text last looked up: lp_kept_item_new(),
 * lp_kept_key_add(), then lp_kept_near_insert() or lp_kept_near_add().
 * LP_OK or LP_FAILED (err).
 */
int lp_kept_add(struct lp_kept *k, const char *name, struct lp_key128 key,
    const char *text, size_t n);
/*
 * Mark rec a duplicate of item (dedup/dup.h): of and cluster are the
 * item's name, seen whether it is an earlier run's.
 */
void lp_kept_dup_set(const struct lp_kept *k, struct lp_record *rec,
    uint32_t item, double sim, int near);
/* Where rec can be named: its id, else file:line, in name. */
const char *lp_kept_name_of(struct lp_record *rec, struct lp_buf *name);
void lp_kept_release(struct lp_kept *k);

#endif
