/*
 * Locality-sensitive hashing of MinHash signatures (dedup/minhash.h): a
 * signature is cut into bands of rows; two signatures that agree on every
 * row of some band become candidates.  lp_lsh_plan() chooses the bands,
 * and struct lp_lsh is the candidate index.
 *
 * The index maps each band key to its ids through the key's 32-bit
 * fingerprint.  Its top 12 bits choose one of 4096 shards, each an
 * open-addressing table of its own, grown on its own by half at a load
 * of 0.85: so the index stays at a load of 0.57 to 0.85 however many
 * keys it holds, and growing holds one shard twice, never the whole
 * index.  An entry is 6 bytes: the fingerprint's low 16 bits, which place
 * it, and a word of the 4 bits left over and 28 of value, an id or where
 * a list is (ids and blocks stay below 2^27: over 100 million items).  A
 * shard keeps its entries in the order of their low bits, each at or
 * after its home slot, so a lookup scans a few slots from home, and the
 * shard grows in one pass without the keys.  9 bytes a key on average,
 * 7 to 11 from one size to another.
 *
 * A key with one id (most of them, on data with few repeats) holds it in
 * its entry; a key with more holds a list of 64-byte blocks of ids, in
 * the order they were added.  So a key is one entry however many items
 * share it (a redundant catalogue: probes stay short), and its ids
 * ascend.  Two keys sharing a fingerprint make a stray candidate, which
 * the caller's verification rejects: it costs time, never a wrong
 * answer.  An index that failed (out of memory) says why in err and
 * holds what it held before.
 *
 * A query merges its bands' lists and hands out the candidates earliest
 * first, each once, as far as the caller wants: one that stops at the
 * first match never walks the rest.
 */
#ifndef LP_DEDUP_LSH_H
#define LP_DEDUP_LSH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "dedup/u64s.h"

/*
 * Bands and rows (bands * rows <= nperm) so that a pair at the threshold
 * becomes a candidate with probability at least 0.995, with as few
 * candidates below it as that allows.  Returns that probability.
 */
double lp_lsh_plan(double threshold, int nperm, int *bands, int *rows);
/* Probability that a pair of similarity j becomes a candidate. */
double lp_lsh_prob(double j, int bands, int rows);

/*
 * Uint32s in a block of ids; the flag of an entry's list, and the bits of
 * its value (so ids and blocks are below LP_LSH_LIST).
 */
#define LP_LSH_BLOCK 16
#define LP_LSH_LIST 0x08000000U
#define LP_LSH_VAL_BITS 28
/* The index is cut into shards, chosen by a fingerprint's top bits. */
#define LP_LSH_SHARD_BITS 12
#define LP_LSH_SHARDS (1U << LP_LSH_SHARD_BITS)

/*
 * An entry: the fingerprint's low 16 bits, then a word of the 4 bits
 * its shard does not tell above LP_LSH_VAL_BITS bits of value (an id, or
 * LP_LSH_LIST | the first block of a list), in two halves; all ones is
 * an empty slot.  Six bytes, aligned to two.
 */
struct lp_lsh_entry {
	uint16_t fp, lo, hi;
};

/* A shard: a Robin Hood table of its own, grown on its own. */
struct lp_lsh_shard {
	struct lp_lsh_entry *e; /* cap slots; NULL while cap is 0 */
	uint32_t cap, n;	/* slots, and entries (or room promised) */
};

/* Where a query stands in one band's ids. */
struct lp_lsh_cursor {
	uint32_t blk, pos; /* block (0: the entry's one id) and place in it */
	uint32_t id;	   /* the id there */
};

struct lp_lsh {
	int bands, rows;
	struct lp_lsh_shard *sh; /* LP_LSH_SHARDS of them */
	size_t slots, n;	 /* slots in all shards; keys held */
	uint32_t *blk;		 /* blocks of LP_LSH_BLOCK: the lists of ids */
	size_t nblk, blkcap;	 /* blocks used (from 1) and allocated */
	uint32_t *fp;		 /* per band: the fingerprints at hand */
	unsigned char *fresh;	 /* per band: a key new to the index */
	unsigned char *held;	 /* per band: the last query found its key */
	int known;		 /* fp and held are of the index as it is */
	/* The current query: a min-heap of its bands' cursors by id. */
	struct lp_lsh_cursor *heap;
	int nheap;
	uint32_t last; /* the id handed out last */
	int given;     /* whether one was */
	struct lp_error err;
};

/* An empty index.  LP_OK, or LP_FAILED (err) if memory cannot be had. */
int lp_lsh_init(struct lp_lsh *l, int bands, int rows);
/* The band keys of sig: keys[0..bands), computed once per text. */
void lp_lsh_keys(const struct lp_lsh *l, const uint32_t *sig, uint64_t *keys);
/*
 * Index id (below LP_LSH_LIST, and above every id indexed before) under
 * every band key.  LP_OK, or LP_FAILED (err).
 */
int lp_lsh_add(struct lp_lsh *l, const uint64_t *keys, uint32_t id);
/*
 * Start a query: the ids sharing at least one band key with keys, to be
 * taken by lp_lsh_next().  No lp_lsh_add() until the query is done.
 */
void lp_lsh_start(struct lp_lsh *l, const uint64_t *keys);
/*
 * The next id of the query, in ascending order, each once: 1 with *id
 * set, 0 once none is left.
 */
int lp_lsh_next(struct lp_lsh *l, uint32_t *id);
/* Every id of a query (lp_lsh_start(), then lp_lsh_next()), into out. */
void lp_lsh_query(struct lp_lsh *l, const uint64_t *keys, struct lp_u64s *out);
/* Bytes held by the table. */
size_t lp_lsh_bytes(const struct lp_lsh *l);
void lp_lsh_release(struct lp_lsh *l);

#endif
