/*
 * A streaming near-duplicate index over texts: each text is compared with
 * the kept ones through LSH candidates (dedup/lsh.h over MinHash
 * signatures of its shingles), and each candidate is verified by its true
 * Jaccard similarity, so no pair below the threshold is ever reported.  A
 * candidate's shingles are recomputed from its text: storing text costs a
 * tenth of storing shingles.
 *
 * On a redundant catalogue the same kept items are candidates again and
 * again, and most fall short.  So an item verified once keeps a 16-bit
 * fingerprint of each of its shingles (2 bytes a shingle, only for items
 * ever verified), and a later candidate is first bounded from above: the
 * fingerprints that hit a bitmap of the text's own count every shared
 * shingle, and maybe a few more, so a bound below the threshold rejects it
 * exactly, without shingling it again.  Only a candidate that passes is
 * verified.  The answers are those of verifying every candidate.
 *
 * Items are numbered 0, 1, ... in the order they are added.  Memory per
 * kept item: its normalised text, 12 bytes of offsets, and one LSH entry
 * per band (8 bytes at a load of 0.4 to 0.8: 20 to 40 bytes a band), and
 * the fingerprints of those verified.  A call
 * that fails (out of memory) returns LP_FAILED with the reason in err.
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

struct lp_near {
	struct lp_shingling sh;
	double threshold;
	int nperm;
	struct lp_lsh lsh;
	struct lp_buf text;   /* texts of kept items, back to back */
	struct lp_u64s offs;  /* per item: where its text starts */
	struct lp_u64s cur;   /* shingles of the text last looked up */
	struct lp_u64s other; /* shingles of a candidate */
	struct lp_u64s cand;  /* candidate ids */
	const char *cur_text; /* the text last looked up (caller's) */
	size_t cur_len;
	int cur_sorted;
	uint32_t *sig;
	uint64_t *keys;
	uint32_t *fpat;	   /* per item: 1 + where its fingerprints are, or 0 */
	size_t fpat_cap;   /* items fpat has room for */
	uint16_t *fp;	   /* per verified item: count, then fingerprints */
	size_t fpn, fpcap; /* fp used and allocated */
	uint64_t *bits;	   /* the current text's fingerprints, 2^16 bits */
	int bits_set;	   /* bits hold the current text's */
	size_t na_fp;	   /* distinct fingerprints in bits */
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
