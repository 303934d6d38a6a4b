#include <math.h>
#include <stdlib.h>

#include "core/status.h"
#include "dedup/bloom.h"

int
lp_bloom_init(
    struct lp_bloom *b, size_t bytes, double rate, struct lp_error *err)
{
	size_t words = bytes / 8 > 0 ? bytes / 8 : 1;

	b->nbits = (uint64_t)words * 64;
	b->k = (int)ceil(-log2(rate));
	if (b->k < 1)
		b->k = 1;
	b->n = 0;
	b->rate = rate;
	if ((b->bits = calloc(words, 8)) == NULL)
		return lp_error_set(err,
		    "out of memory (Bloom filter of %zu MiB)", bytes >> 20);
	return LP_OK;
}

/*
 * Position i of key k: lo + i * hi, the Kirsch-Mitzenmacher double
 * hashing; hi made odd so that the positions never repeat early.
 */
static uint64_t
position(const struct lp_bloom *b, struct lp_key128 k, int i)
{
	uint64_t h = k.lo + (uint64_t)i * (k.hi | 1);

	return h % b->nbits;
}

int
lp_bloom_add(struct lp_bloom *b, struct lp_key128 k)
{
	int i, fresh = 0;

	for (i = 0; i < b->k; i++) {
		uint64_t p = position(b, k, i), m = 1ULL << (p & 63);

		if (!(b->bits[p >> 6] & m)) {
			b->bits[p >> 6] |= m;
			fresh = 1;
		}
	}
	b->n += (uint64_t)fresh;
	return fresh;
}

int
lp_bloom_has(const struct lp_bloom *b, struct lp_key128 k)
{
	int i;

	for (i = 0; i < b->k; i++) {
		uint64_t p = position(b, k, i);

		if (!(b->bits[p >> 6] & 1ULL << (p & 63)))
			return 0;
	}
	return 1;
}

uint64_t
lp_bloom_capacity(const struct lp_bloom *b)
{
	/* The optimum n for m bits and k = log2(1/rate): m ln 2 / k. */
	return (uint64_t)((double)b->nbits * log(2.0) / b->k);
}

double
lp_bloom_rate_now(const struct lp_bloom *b)
{
	return pow(
	    1.0 - exp(-(double)b->k * (double)b->n / (double)b->nbits), b->k);
}

size_t
lp_bloom_bytes(const struct lp_bloom *b)
{
	return (size_t)(b->nbits / 8);
}

void
lp_bloom_release(struct lp_bloom *b)
{
	free(b->bits);
	b->bits = NULL;
}
