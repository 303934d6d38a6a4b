#include <stdint.h>

#include "core/status.h"
#include "core/rng.h"
#include "test.h"

/*
 * The reference splitmix64 sequence: a seed means the same numbers on
 * every machine, which reproducible samples rely on.
 */
TEST(known_sequence)
{
	struct lp_rng r = {0};

	assert_true(lp_rng_next(&r) == 0xe220a8397b1dcdafULL);
	assert_true(lp_rng_next(&r) == 0x6e789e6aa1b965f4ULL);
	assert_true(lp_rng_next(&r) == 0x06c45d188009454fULL);
}

TEST(same_seed_same_numbers)
{
	struct lp_rng a = {1234567}, b = {1234567}, c = {1234568};
	int i, differ = 0;

	for (i = 0; i < 100; i++) {
		uint64_t x = lp_rng_next(&a), z = lp_rng_next(&c);

		assert_true(x == lp_rng_next(&b));
		differ += x != z;
	}
	assert_eq_int(differ, 100);
}

TEST(below_stays_below_and_covers)
{
	struct lp_rng r = {42};
	int seen[7] = {0}, i;

	assert_true(lp_rng_below(&r, 0) == 0);
	assert_true(lp_rng_below(&r, 1) == 0);
	for (i = 0; i < 7000; i++) {
		uint64_t k = lp_rng_below(&r, 7);

		assert_true(k < 7);
		if (k < 7)
			seen[k]++;
	}
	/* About 1000 each; far outside 800..1200 would be a broken draw. */
	for (i = 0; i < 7; i++)
		assert_true(seen[i] > 800 && seen[i] < 1200);
}

TEST(unit_in_half_open_interval)
{
	struct lp_rng r = {7};
	double sum = 0;
	int i;

	for (i = 0; i < 10000; i++) {
		double u = lp_rng_unit(&r);

		assert_true(u >= 0.0 && u < 1.0);
		sum += u;
	}
	assert_true(sum / 10000 > 0.48 && sum / 10000 < 0.52);
}

RUN_TESTS()
