/*
 * Locality-sensitive hashing of MinHash signatures (dedup/minhash.h): a
 * signature is cut into bands of rows; two signatures that agree on every
 * row of some band become candidates.  lp_lsh_plan() chooses the bands,
 * and struct lp_lsh is the candidate index.
 *
 * The index maps each band key to an item id, in one open-addressing table
 * of 8-byte entries (32-bit key fingerprint, id) kept at a load of at most
 * 0.8, with Robin Hood probing.  Two keys sharing a fingerprint make a
 * stray candidate, which the caller's verification rejects: it costs
 * time, never a wrong answer.  An index that failed (out of memory) says
 * why in err and holds what it held before.
 *
 * Entries stay in the order they were added within the run of each home
 * slot (an insertion shifts the rest of its cluster up by one, and growing
 * rehashes from the start of a cluster), so the ids of one band key lie
 * in ascending order.  A query merges its bands' runs and hands out the
 * candidates earliest first, each once, as far as the caller wants: one
 * that stops at the first match never walks the rest.
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

struct lp_lsh_entry {
	uint32_t fp; /* 0: empty */
	uint32_t id;
};

/* Where a query stands in one band's run. */
struct lp_lsh_cursor {
	size_t i, d;	 /* slot, and its distance from the home slot */
	uint32_t fp, id; /* the band key's fingerprint; the id at slot i */
};

struct lp_lsh {
	int bands, rows;
	struct lp_lsh_entry *t;
	size_t cap, n; /* cap a power of two; n entries used */
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
/* Index id under every band key.  LP_OK, or LP_FAILED (err). */
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
