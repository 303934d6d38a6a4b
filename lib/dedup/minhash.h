/*
 * Near-duplicate detection: shingles, MinHash signatures, LSH banding and
 * the exact Jaccard similarity that verifies a candidate.
 *
 * Text is shingled after lp_text_normalize() (case folded): "words:K" takes
 * every run of K words, "chars:K" every run of K code points (spaces
 * included).  A text shorter than one shingle is one shingle.  Shingles
 * are 64-bit hashes, kept sorted and unique, so the Jaccard similarity of
 * two sets is a merge.  A signature holds, for each of nperm hash
 * functions, the least hash over the set; the share of equal entries
 * estimates the Jaccard similarity.
 */
#ifndef LP_MINHASH_H
#define LP_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct lp_shingling {
	int words; /* 1: words, 0: code points */
	int k;
};

struct lp_u64s {
	uint64_t *v;
	size_t n, cap;
};

/* Parse "words:3" or "chars:5".  LP_OK or LP_FAILED. */
int lp_shingling_parse(struct lp_shingling *sh, const char *spec);
/* The sorted, unique shingle hashes of normalised text s[0..n). */
void lp_shingles(const struct lp_shingling *sh, const char *s, size_t n,
    struct lp_u64s *out);
/* Jaccard similarity of two sorted unique sets; 1 for two empty sets. */
double lp_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);
/*
 * sig[0..nperm) of a shingle set (nperm at most 1024): 32-bit minima, which
 * halves memory traffic and lets the loop run in vector registers.
 */
void lp_minhash(const uint64_t *set, size_t n, int nperm, uint32_t *sig);
/*
 * Bands and rows (bands * rows <= nperm) so that a pair at the threshold
 * becomes a candidate with probability at least 0.995, with as few
 * candidates below it as that allows.  Returns that probability.
 */
double lp_lsh_plan(double threshold, int nperm, int *bands, int *rows);
/* Probability that a pair of similarity j becomes a candidate. */
double lp_lsh_prob(double j, int bands, int rows);
/* Sort and drop repeats (an inline sort: sets are small and many). */
void lp_u64s_sort_unique(struct lp_u64s *v);
void lp_u64s_release(struct lp_u64s *v);

/*
 * An LSH index: for each band of a signature, band key -> item id, in one
 * open-addressing table of 8-byte entries (32-bit key fingerprint, id).
 * Two keys sharing a fingerprint make a stray candidate, which the caller's
 * verification rejects; it costs time, never a wrong answer.
 */
struct lp_lsh_entry {
	uint32_t fp; /* 0: empty */
	uint32_t id;
};

struct lp_lsh {
	int bands, rows;
	struct lp_lsh_entry *t;
	size_t cap, n;
};

void lp_lsh_init(struct lp_lsh *l, int bands, int rows);
/* The band keys of sig: keys[0..bands), computed once per text. */
void lp_lsh_keys(const struct lp_lsh *l, const uint32_t *sig, uint64_t *keys);
void lp_lsh_add(struct lp_lsh *l, const uint64_t *keys, uint32_t id);
/* The ids sharing at least one band key, sorted and unique, into out. */
void lp_lsh_query(
    const struct lp_lsh *l, const uint64_t *keys, struct lp_u64s *out);
size_t lp_lsh_bytes(const struct lp_lsh *l);
void lp_lsh_release(struct lp_lsh *l);

/*
 * A streaming near-duplicate index over texts: each text is compared with
 * the kept ones through LSH candidates, each candidate verified by its true
 * Jaccard similarity (its shingles are recomputed from its text: storing
 * text costs a tenth of storing shingles, and candidates are few).  Items
 * are numbered 0, 1, ... in the order they are added.  Memory per kept
 * item: its normalised text, 8 bytes of offset, and one LSH entry per band
 * (8 bytes at a load of 0.4 to 0.8: 20 to 40 bytes a band).
 */
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
	unsigned long long checked; /* candidates verified */
};

void lp_near_init(struct lp_near *nd, const struct lp_shingling *sh,
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
/* Keep the text last looked up; returns its id. */
uint32_t lp_near_add(struct lp_near *nd);
/* Keep text without looking it up first; returns its id. */
uint32_t lp_near_insert(struct lp_near *nd, const char *text, size_t n);
size_t lp_near_bytes(const struct lp_near *nd);
void lp_near_release(struct lp_near *nd);

#endif
