/*
 * A Bloom filter over 128-bit keys, for key sets too large to hold
 * exactly: a fixed number of bits, k bit positions per key by double
 * hashing of the key's two halves (the keys are digests already).  A key
 * added is always found; a key never added is found with the false
 * positive rate, which grows as keys are added past the capacity the
 * filter was sized for.
 */
#ifndef LP_DEDUP_BLOOM_H
#define LP_DEDUP_BLOOM_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "dedup/keyset.h"

struct lp_bloom {
	uint64_t *bits;
	uint64_t nbits; /* a multiple of 64 */
	int k;		/* bit positions per key */
	uint64_t n;	/* keys added */
	double rate;	/* the false positive rate it was sized for */
};

/*
 * A filter of about bytes bytes sized for rate: k = log2(1/rate)
 * positions.  LP_OK, or LP_FAILED with err set if the memory cannot be
 * had (b is then empty: lp_bloom_release() is safe).
 */
int lp_bloom_init(
    struct lp_bloom *b, size_t bytes, double rate, struct lp_error *err);
/* Add k: 1 if it was (probably) new, 0 if it was (probably) there. */
int lp_bloom_add(struct lp_bloom *b, struct lp_key128 k);
int lp_bloom_has(const struct lp_bloom *b, struct lp_key128 k);
/* How many keys the filter holds at its rate. */
uint64_t lp_bloom_capacity(const struct lp_bloom *b);
/* The false positive rate now, from the keys added. */
double lp_bloom_rate_now(const struct lp_bloom *b);
size_t lp_bloom_bytes(const struct lp_bloom *b);
void lp_bloom_release(struct lp_bloom *b);

#endif
