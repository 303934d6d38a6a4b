/*
 * Shingles: the set a text is compared by, and the Jaccard similarity of
 * two such sets.
 *
 * Text is shingled after lp_text_normalize() (case folded): "words:K" takes
 * every run of K words, "chars:K" every run of K code points (spaces
 * included).  A text shorter than one shingle is one shingle; an empty
 * text has none.  Shingles are 64-bit hashes (lp_hash64()), kept sorted
 * and unique, so the Jaccard similarity of two sets is a merge.  Only the
 * first 1023 units of a text count.
 */
#ifndef LP_DEDUP_SHINGLE_H
#define LP_DEDUP_SHINGLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "dedup/u64s.h"

struct lp_shingling {
	int words; /* 1: words, 0: code points */
	int k;	   /* units a shingle, 1 to 64 */
};

/*
 * Parse "words:3" or "chars:5" into sh.  LP_OK, or LP_FAILED with err
 * saying what a shingling looks like.
 */
int lp_shingling_parse(
    struct lp_shingling *sh, const char *spec, struct lp_error *err);
/* The sorted, unique shingle hashes of normalised text s[0..n). */
void lp_shingles(const struct lp_shingling *sh, const char *s, size_t n,
    struct lp_u64s *out);
/*
 * The same hashes unsorted, with repeats: enough for a MinHash signature,
 * which repeats do not change, and cheaper.
 */
void lp_shingles_raw(const struct lp_shingling *sh, const char *s, size_t n,
    struct lp_u64s *out);
/* Jaccard similarity of two sorted unique sets; 1 for two empty sets. */
double lp_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);
/*
 * The Jaccard similarity of the shingle sets of texts a[0..na) and
 * b[0..nb): exactly 1 for equal texts, without shingling them.  sa and sb
 * are scratch space.
 */
double lp_shingle_similarity(const struct lp_shingling *sh, const char *a,
    size_t na, const char *b, size_t nb, struct lp_u64s *sa,
    struct lp_u64s *sb);

#endif
