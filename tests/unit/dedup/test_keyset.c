#include "core/status.h"
#include "dedup/keyset.h"
#include "test.h"

TEST(add_find_grow)
{
	struct lp_keyset s;
	uint32_t old = 0;
	char buf[32];
	int i, added = 0;

	lp_keyset_init(&s, 1);
	for (i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof(buf), "key-%d", i % 60000);

		added += lp_keyset_add(
		    &s, lp_key128_of(buf, (size_t)n), (uint32_t)i);
	}
	assert_eq_int(added, 60000);
	assert_eq_int(s.n, 60000);
	/* The value of a repeated key is the first one's. */
	assert_eq_int(lp_keyset_add(&s, lp_key128_of("key-7", 5), 99), 0);
	assert_eq_int(lp_keyset_get(&s, lp_key128_of("key-7", 5), &old), 1);
	assert_eq_int(old, 7);
	assert_true(lp_keyset_has(&s, lp_key128_of("key-59999", 9)));
	assert_true(!lp_keyset_has(&s, lp_key128_of("key-60000", 9)));
	/* At most 40 bytes a key without values. */
	assert_true(lp_keyset_bytes(&s) <= 60000 * (16 + 4) * 2.5);
	lp_keyset_release(&s);
}

TEST(zero_key)
{
	struct lp_keyset s;
	struct lp_key128 z = {0, 0};

	lp_keyset_init(&s, 0);
	assert_eq_int(lp_keyset_add(&s, z, 0), 1);
	assert_eq_int(lp_keyset_add(&s, z, 0), 0);
	assert_true(lp_keyset_has(&s, z));
	lp_keyset_release(&s);
}

/* Clusters that wrap round the table's end, through several doublings. */
TEST(wrapping_clusters_survive_growth)
{
	struct lp_keyset s;
	uint32_t old;
	uint64_t i;
	int missing = 0, wrong = 0;

	lp_keyset_init(&s, 1);
	for (i = 0; i < 20000; i++) {
		/* Homes crowd the last slots of every table size. */
		struct lp_key128 k = {(uint64_t)-1 - (i % 7), i + 1};

		assert_eq_int(lp_keyset_add(&s, k, (uint32_t)i), 1);
		if (i % 3 == 0) {
			struct lp_key128 r = {i * 0x9e3779b97f4a7c15ULL, ~i};

			lp_keyset_add(&s, r, 7);
		}
	}
	for (i = 0; i < 20000; i++) {
		struct lp_key128 k = {(uint64_t)-1 - (i % 7), i + 1};

		if (!lp_keyset_has(&s, k))
			missing++;
		old = 0;
		if (lp_keyset_add(&s, k, 0) != 0 ||
		    !lp_keyset_get(&s, k, &old) || old != (uint32_t)i)
			wrong++;
	}
	assert_eq_int(missing, 0);
	assert_eq_int(wrong, 0);
	lp_keyset_release(&s);
}

TEST(walk_and_full)
{
	struct lp_keyset s;
	struct lp_key128 k;
	size_t pos = 0, n = 0;
	uint64_t i, sum = 0;

	lp_keyset_init(&s, 0);
	/* 1024 slots grow past a load of 0.8: the 820th key doubles them. */
	for (i = 0; i < 819; i++) {
		struct lp_key128 x = {i + 1, i * 3};

		assert_true(!lp_keyset_full(&s));
		lp_keyset_add(&s, x, 0);
	}
	assert_true(lp_keyset_full(&s));
	while (lp_keyset_next(&s, &pos, &k)) {
		n++;
		sum += k.lo;
	}
	assert_eq_int((long long)n, 819);
	assert_eq_int((long long)sum, 819 * 820 / 2);
	lp_keyset_release(&s);
}

RUN_TESTS()
