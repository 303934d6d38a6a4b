#include "core/hash.h"
#include "core/rng.h"
#include "review/route.h"
#include "review/sample.h"
#include "test.h"

TEST(every_pair_meets_evenly)
{
	struct lp_rng g = {42};
	struct lp_route r;
	int pairs[3][3] = {{0}}, i;

	/* Three annotators, two an item, 300 items: 200 each, 100 a pair. */
	lp_route_init(&r, 3, 2, &g);
	assert_eq_int((long long)r.ncombos, 3);
	for (i = 0; i < 300; i++) {
		const int *c = lp_route_next(&r);

		assert_true(c[0] < c[1]);
		pairs[c[0]][c[1]]++;
	}
	for (i = 0; i < 3; i++)
		assert_eq_int(r.assigned[i], 200);
	assert_eq_int(pairs[0][1], 100);
	assert_eq_int(pairs[0][2], 100);
	assert_eq_int(pairs[1][2], 100);
	lp_route_release(&r);
}

TEST(seeded_turn_order)
{
	static const char *const want[] = {"ac", "bd", "cd", "ab", "bc", "ad"};
	struct lp_sample s;
	struct lp_route r;
	char got[3] = "";
	int i;

	/*
	 * lp-sample --seed 9 --annotators a,b,c,d --overlap 2: the routing
	 * stream of the sample's seed picks this order of the 6 pairs.
	 */
	lp_sample_init(&s);
	s.seed = 9;
	lp_sample_start(&s);
	lp_route_init(&r, 4, 2, &s.r_route);
	for (i = 0; i < 12; i++) {
		const int *c = lp_route_next(&r);

		got[0] = (char)('a' + c[0]);
		got[1] = (char)('a' + c[1]);
		/* The next round repeats the order. */
		assert_eq_str(got, want[i % 6]);
	}
	lp_route_release(&r);
	lp_sample_release(&s);
}

RUN_TESTS()
