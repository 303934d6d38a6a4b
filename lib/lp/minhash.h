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
/* sig[0..nperm) of a shingle set (nperm at most 1024). */
void lp_minhash(const uint64_t *set, size_t n, int nperm, uint64_t *sig);
/*
 * Bands and rows (bands * rows <= nperm) so that a pair at the threshold
 * becomes a candidate with probability at least 0.995, with as few
 * candidates below it as that allows.  Returns that probability.
 */
double lp_lsh_plan(double threshold, int nperm, int *bands, int *rows);
/* Probability that a pair of similarity j becomes a candidate. */
double lp_lsh_prob(double j, int bands, int rows);
/* Hash of band b of a signature. */
uint64_t lp_lsh_band(const uint64_t *sig, int b, int rows);
void lp_u64s_release(struct lp_u64s *v);

/*
 * An LSH index: for each band of a signature, band hash -> item id.  Open
 * addressing; one 16-byte entry per band per item.
 */
struct lp_lsh_entry {
	uint64_t key; /* 0: empty */
	uint32_t id;
};

struct lp_lsh {
	int bands, rows;
	struct lp_lsh_entry *t;
	size_t cap, n;
};

void lp_lsh_init(struct lp_lsh *l, int bands, int rows);
void lp_lsh_add(struct lp_lsh *l, const uint64_t *sig, uint32_t id);
/*
 * The ids that share at least one band with sig, sorted and unique, into
 * out (as uint64).
 */
void lp_lsh_query(
    const struct lp_lsh *l, const uint64_t *sig, struct lp_u64s *out);
size_t lp_lsh_bytes(const struct lp_lsh *l);
void lp_lsh_release(struct lp_lsh *l);

/*
 * A streaming near-duplicate index over texts: each text is compared with
 * the kept ones through LSH candidates, each candidate verified by its true
 * Jaccard similarity.  Items are numbered 0, 1, ... in the order they are
 * added.  Memory per kept item: its shingles (8 bytes each) and one LSH
 * entry per band (about 450 bytes at 21 bands).
 */
struct lp_near {
	struct lp_shingling sh;
	double threshold;
	int nperm;
	struct lp_lsh lsh;
	struct lp_u64s arena;	  /* shingles of kept items, back to back */
	struct lp_u64s offs;	  /* per item: start in arena << 16 | count */
	struct lp_u64s cur, cand; /* the text last looked up */
	uint64_t *sig;
	unsigned long long checked; /* candidates verified */
};

void lp_near_init(struct lp_near *nd, const struct lp_shingling *sh,
    double threshold, int nperm);
/*
 * The earliest kept item whose Jaccard similarity to text reaches the
 * threshold: 1 with *id and *sim set; else 0.
 */
int lp_near_find(
    struct lp_near *nd, const char *text, size_t n, uint32_t *id, double *sim);
/* Keep the text last passed to lp_near_find(); returns its id. */
uint32_t lp_near_add(struct lp_near *nd);
size_t lp_near_bytes(const struct lp_near *nd);
void lp_near_release(struct lp_near *nd);

#endif
