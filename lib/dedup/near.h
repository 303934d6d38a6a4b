/*
 * A streaming near-duplicate index over texts: each text is compared with
 * the kept ones through LSH candidates (dedup/lsh.h over MinHash
 * signatures of its shingles), and each candidate is verified by its true
 * Jaccard similarity, so no pair below the threshold is ever reported.  A
 * candidate's shingles are recomputed from its text: storing text costs a
 * tenth of storing shingles.
 *
 * On a redundant catalogue the same kept items are candidates again and
 * again, and most fall short.  So an item verified once keeps a 1024-bit
 * map of its shingles (LP_NEAR_BM_WORDS words, two cache lines, and its
 * count of shingles; only for items ever verified), and a later candidate
 * is first bounded from above: a shingle of one text whose bit is not in
 * the other's map is in one text only, so the bits each map has and the
 * other lacks bound the intersection, and a bound below the threshold
 * rejects it exactly, without shingling it again.  Only a candidate that
 * passes is verified.  Candidates come from the LSH index earliest first
 * (dedup/lsh.h), and a search for the earliest match stops there.  The
 * answers are those of verifying every candidate.
 *
 * Items are numbered 0, 1, ... in the order they are added.  Memory per
 * kept item: its normalised text, 8 bytes of offset, 8 saying where its
 * map is, and one LSH entry per band (dedup/lsh.h: 6 bytes at a load of
 * 0.57 to 0.85, 9 bytes a band on average); and the 128-byte map of
 * those verified.  At 21 bands and 75-byte texts, about 280 bytes an
 * item.  A call that fails (out of memory) returns LP_FAILED with the
 * reason in err.
 */
#ifndef LP_DEDUP_NEAR_H
#define LP_DEDUP_NEAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "dedup/lsh.h"
#include "dedup/shingle.h"
#include "dedup/u64s.h"

/* Words of a shingle map, and candidates looked up ahead of their turn. */
#define LP_NEAR_BM_WORDS 16
#define LP_NEAR_AHEAD 8

struct lp_near {
	struct lp_shingling sh;
	double threshold;
	int nperm;
	struct lp_lsh lsh;
	struct lp_buf text;   /* texts of kept items, back to back */
	struct lp_u64s offs;  /* per item: where its text starts */
	struct lp_u64s cur;   /* shingles of the text last looked up */
	struct lp_u64s other; /* shingles of a candidate */
	const char *cur_text; /* the text last looked up (caller's) */
	size_t cur_len;
	/*
	 * The current text's distinct shingles in an open-addressing set
	 * (0 marks an empty slot, so a shingle of 0 is a flag), made at its
	 * first verification, and a set a candidate's are counted in: true
	 * Jaccard similarity without sorting either.
	 */
	uint64_t *cset, *oset;
	size_t cset_cap, oset_cap; /* slots allocated */
	size_t cset_n, na;	   /* slots in use; distinct shingles */
	int cset_ok, cur_zero;
	uint32_t *sig;
	uint64_t *keys;
	/* Per item: 0, or 1 + the number of its map << 16 | its count. */
	uint64_t *bmat;
	size_t bmat_cap;   /* items bmat has room for */
	uint64_t *bm;	   /* maps of verified items, 64-byte aligned */
	size_t nbm, bmcap; /* maps made and allocated */
	uint64_t cur_bm[LP_NEAR_BM_WORDS]; /* the current text's map */
	size_t cur_hi, cur_lo; /* bounds on its count of distinct shingles */
	int bm_set;	       /* cur_bm and its bounds hold */
	uint32_t ahead[LP_NEAR_AHEAD]; /* candidates taken from the index */
	int ahead_at, ahead_n, ahead_end;
	unsigned long long checked;  /* candidates looked at */
	unsigned long long verified; /* of those, verified by true Jaccard */
	struct lp_error err;
};

/*
 * An empty index for shingling sh, a similarity threshold in (0, 1] and
 * nperm MinHash permutations (8 to LP_MINHASH_MAX_PERMS).  LP_OK or
 * LP_FAILED (err).
 */
int lp_near_init(struct lp_near *nd, const struct lp_shingling *sh,
    double threshold, int nperm);
/*
 * The earliest kept item whose Jaccard similarity to text reaches the
 * threshold: 1 with *id and *sim set; else 0.  text must stay valid until
 * lp_near_add() if that follows.
 */
int lp_near_find(
    struct lp_near *nd, const char *text, size_t n, uint32_t *id, double *sim);
/*
 * Every kept item whose similarity to text reaches the threshold, in id
 * order, into ids; the first one's similarity in *first_sim.  As with
 * lp_near_find(), text must stay valid until lp_near_add() if that
 * follows.
 */
void lp_near_find_all(struct lp_near *nd, const char *text, size_t n,
    struct lp_u64s *ids, double *first_sim);
/* Keep the text last looked up, as the next id.  LP_OK or LP_FAILED. */
int lp_near_add(struct lp_near *nd);
/* Keep text without looking it up first.  LP_OK or LP_FAILED. */
int lp_near_insert(struct lp_near *nd, const char *text, size_t n);
/* Bytes held: the LSH table, the texts and their offsets. */
size_t lp_near_bytes(const struct lp_near *nd);
void lp_near_release(struct lp_near *nd);

#endif
