#include <math.h>

#include "core/status.h"
#include "dedup/near.h"
#include "test.h"

static const char *const titles[] = {
    "apple iphone 13 128 gb midnight unlocked smartphone",
    "samsung galaxy s21 256 gb phantom grey boxed",
    "apple iphone 13 128 gb midnight unlocked smartphones",
    "sony playstation 5 console disc edition with controller",
};

static void
near_new(struct lp_near *nd)
{
	struct lp_shingling sh;

	assert_eq_int(lp_shingling_parse(&sh, "chars:5", NULL), LP_OK);
	assert_eq_int(lp_near_init(nd, &sh, 0.8, 128), LP_OK);
}

TEST(find_then_add)
{
	struct lp_near nd;
	uint32_t id = 99;
	double sim = 0;
	int i;

	near_new(&nd);
	for (i = 0; i < 2; i++) {
		const char *t = titles[i];

		assert_true(!lp_near_find(&nd, t, strlen(t), &id, &sim));
		assert_eq_int(lp_near_add(&nd), LP_OK);
	}
	/* One character more: 46 of 47 distinct shingles shared. */
	assert_true(lp_near_find(&nd, titles[2], strlen(titles[2]), &id, &sim));
	assert_eq_int(id, 0);
	assert_true(fabs(sim - 46.0 / 47.0) < 1e-12);
	assert_true(
	    !lp_near_find(&nd, titles[3], strlen(titles[3]), &id, &sim));
	assert_true(nd.checked >= 1);
	assert_true(lp_near_bytes(&nd) > 0);
	lp_near_release(&nd);
}

TEST(find_all_in_id_order)
{
	struct lp_near nd;
	struct lp_u64s ids = {NULL, 0, 0};
	double first = 0;

	near_new(&nd);
	assert_eq_int(lp_near_insert(&nd, titles[1], strlen(titles[1])), LP_OK);
	assert_eq_int(lp_near_insert(&nd, titles[0], strlen(titles[0])), LP_OK);
	assert_eq_int(lp_near_insert(&nd, titles[2], strlen(titles[2])), LP_OK);
	lp_near_find_all(&nd, titles[0], strlen(titles[0]), &ids, &first);
	assert_eq_int(ids.n, 2);
	assert_eq_int(ids.n == 2 ? ids.v[0] : 0, 1);
	assert_eq_int(ids.n == 2 ? ids.v[1] : 0, 2);
	assert_true(first == 1.0);
	lp_u64s_release(&ids);
	lp_near_release(&nd);
}

RUN_TESTS()
