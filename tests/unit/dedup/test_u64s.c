#include "dedup/u64s.h"
#include "test.h"

TEST(push_sort_unique)
{
	struct lp_u64s v = {NULL, 0, 0};
	uint64_t i;

	/* Past the insertion-sort size and the first growth. */
	for (i = 0; i < 200; i++)
		lp_u64s_push(&v, (i * 37) % 100);
	assert_eq_int(v.n, 200);
	lp_u64s_sort_unique(&v);
	assert_eq_int(v.n, 100);
	for (i = 0; i < v.n; i++)
		assert_eq_int(v.v[i], i);
	lp_u64s_release(&v);
	assert_true(v.v == NULL && v.n == 0 && v.cap == 0);
	lp_u64s_sort_unique(&v);
	assert_eq_int(v.n, 0);
}

TEST(extremes)
{
	struct lp_u64s v = {NULL, 0, 0};

	lp_u64s_push(&v, UINT64_MAX);
	lp_u64s_push(&v, 0);
	lp_u64s_push(&v, UINT64_MAX);
	lp_u64s_sort_unique(&v);
	assert_eq_int(v.n, 2);
	assert_true(v.v[0] == 0 && v.v[1] == UINT64_MAX);
	lp_u64s_release(&v);
}

RUN_TESTS()
