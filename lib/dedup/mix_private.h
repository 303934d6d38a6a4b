/*
 * The 64-bit mix (splitmix64's finaliser) that both the MinHash
 * permutations and the LSH band keys are made with.  Private to dedup/:
 * changing it changes every signature and band key.
 */
#ifndef LP_DEDUP_MIX_PRIVATE_H
#define LP_DEDUP_MIX_PRIVATE_H

#include <stdint.h>

static inline uint64_t
lp_dedup_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
