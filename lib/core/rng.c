#include <stdint.h>

#include "core/status.h"
#include "core/rng.h"

uint64_t
lp_rng_next(struct lp_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t
lp_rng_below(struct lp_rng *r, uint64_t n)
{
	return n ? lp_rng_next(r) % n : 0;
}

double
lp_rng_unit(struct lp_rng *r)
{
	/* The top 53 bits over 2^53: every double in [0, 1) on that grid. */
	return (double)(lp_rng_next(r) >> 11) / 9007199254740992.0;
}
