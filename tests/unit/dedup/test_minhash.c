#include <math.h>

#include "core/hash.h"
#include "dedup/minhash.h"
#include "test.h"

TEST(minhash_estimates_jaccard)
{
	uint64_t x[1000], y[1000];
	uint32_t sx[256], sy[256];
	int i, same = 0;

	/* 750 shared of 1250 distinct: J = 0.6 */
	for (i = 0; i < 1000; i++) {
		x[i] = lp_hash64(&i, sizeof(i), 1);
		y[i] = i < 750 ? x[i] : lp_hash64(&i, sizeof(i), 2);
	}
	lp_minhash(x, 1000, 256, sx);
	lp_minhash(y, 1000, 256, sy);
	for (i = 0; i < 256; i++)
		same += sx[i] == sy[i];
	/* Standard error sqrt(.6 * .4 / 256) = 0.031: allow 4 of them. */
	assert_true(fabs(same / 256.0 - 0.6) < 0.125);
}

TEST(fixed_across_runs)
{
	uint64_t set[3] = {1, 2, 3};
	uint32_t s1[8], s2[8];
	int i;

	/* The same set, the same signature; a permutation of it too. */
	lp_minhash(set, 3, 8, s1);
	set[0] = 3;
	set[2] = 1;
	lp_minhash(set, 3, 8, s2);
	for (i = 0; i < 8; i++)
		assert_eq_int(s1[i], s2[i]);
	/* Each entry is the least of three values, so not all ones. */
	assert_true(s1[0] != ~0U);
}

RUN_TESTS()
