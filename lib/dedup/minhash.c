/*
 * Built with -O3 (lib/CMakeLists.txt): the loop below wants the
 * vectoriser, which -O2 keeps to trivial loops.
 */
#include "dedup/minhash.h"
#include "dedup/mix_private.h"

/*
 * Permutation p maps x to a_p * x + b_p (mod 2^32) with odd a_p, over the
 * low half of shingle hashes that are already well mixed: one multiply-add
 * per shingle and permutation.  The coefficients are fixed, so signatures
 * are comparable across runs and machines.  Compiled twice where the
 * compiler can (AVX2 and baseline), picked at load time: eight lanes at a
 * time make it about seven times faster.
 */
#define MAX_PERMS LP_MINHASH_MAX_PERMS

#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define LP_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef LP_CLONES
#define LP_CLONES
#endif

static uint32_t perm_a[MAX_PERMS], perm_b[MAX_PERMS];

LP_CLONES static void
minhash_loop(const uint64_t *set, size_t n, int nperm, uint32_t *sig)
{
	const uint32_t *a = perm_a, *b = perm_b;
	size_t i;
	int p;

	for (p = 0; p < nperm; p++)
		sig[p] = ~0U;
	for (i = 0; i < n; i++) {
		uint32_t x = (uint32_t)set[i];

		for (p = 0; p < nperm; p++) {
			uint32_t h = a[p] * x + b[p];

			sig[p] = h < sig[p] ? h : sig[p];
		}
	}
}

void
lp_minhash(const uint64_t *set, size_t n, int nperm, uint32_t *sig)
{
	int p;

	if (perm_a[0] == 0)
		for (p = 0; p < MAX_PERMS; p++) {
			perm_a[p] =
			    (uint32_t)lp_dedup_mix((uint64_t)p * 2 + 1) | 1;
			perm_b[p] = (uint32_t)lp_dedup_mix((uint64_t)p * 2 + 2);
		}
	minhash_loop(set, n, nperm > MAX_PERMS ? MAX_PERMS : nperm, sig);
}
