/*
 * A seeded stream of random numbers (splitmix64): fast, and the same on
 * every machine and every build, so a seed makes a run reproducible
 * (lp-sample's draws, the bootstrap in metrics/agree, retry jitter).  Not
 * for secrets.
 *
 * The state is one 64-bit word that the caller owns and seeds directly
 * (struct lp_rng r = {seed}); any value, 0 included, is a good seed, and
 * two generators with the same seed give the same numbers.
 */
#ifndef LP_CORE_RNG_H
#define LP_CORE_RNG_H

#include <stdint.h>

struct lp_rng {
	uint64_t s;
};

/* The next 64 random bits. */
uint64_t lp_rng_next(struct lp_rng *r);
/* Uniform in [0, n) (by modulo: the bias is n / 2^64); 0 when n is 0. */
uint64_t lp_rng_below(struct lp_rng *r, uint64_t n);
/* Uniform in [0, 1), 53 bits. */
double lp_rng_unit(struct lp_rng *r);

#endif
