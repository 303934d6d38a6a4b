#include <math.h>

#include "core/status.h"
#include "dedup/bloom.h"
#include "test.h"

static struct lp_key128
key(uint64_t i)
{
	return lp_key128_of(&i, sizeof(i));
}

TEST(no_false_negatives_and_rate_holds)
{
	struct lp_bloom b;
	uint64_t i, cap, fp = 0, fresh = 0;

	assert_eq_int(lp_bloom_init(&b, 1 << 16, 0.001, NULL), LP_OK);
	assert_eq_int(b.k, 10);
	cap = lp_bloom_capacity(&b);
	/* 2^19 bits * ln 2 / 10 = 36,340.9 keys. */
	assert_eq_int((long long)cap, 36340);
	/* A new key is seen as old at most at the rate so far. */
	for (i = 0; i < cap; i++)
		fresh += (uint64_t)lp_bloom_add(&b, key(i));
	assert_true(fresh > cap - 40);
	for (i = 0; i < cap; i++)
		if (!lp_bloom_has(&b, key(i)))
			break;
	assert_eq_int((long long)i, (long long)cap);
	assert_eq_int(lp_bloom_add(&b, key(7)), 0);
	for (i = cap; i < cap + 200000; i++)
		fp += (uint64_t)lp_bloom_has(&b, key(i));
	/* At capacity the rate is about 0.001: 200 expected; allow 2x. */
	assert_true(fp > 50 && fp < 400);
	assert_true(fabs(lp_bloom_rate_now(&b) - 0.001) < 0.0003);
	assert_eq_int((long long)lp_bloom_bytes(&b), 1 << 16);
	lp_bloom_release(&b);
}

TEST(rate_grows_past_capacity)
{
	struct lp_bloom b;
	uint64_t i;

	assert_eq_int(lp_bloom_init(&b, 4096, 0.01, NULL), LP_OK);
	for (i = 0; i < 3 * lp_bloom_capacity(&b); i++)
		lp_bloom_add(&b, key(i));
	assert_true(lp_bloom_rate_now(&b) > 0.2);
	lp_bloom_release(&b);
}

RUN_TESTS()
