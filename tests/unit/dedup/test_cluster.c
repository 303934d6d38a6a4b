#include <jansson.h>
#include <math.h>

#include "core/status.h"
#include "dedup/cluster.h"
#include "dedup/kept.h"
#include "test.h"

static void
parse(struct lp_record *r, const char *s)
{
	lp_record_reset(r);
	assert_eq_int(lp_record_parse(r, s, strlen(s)), LP_OK);
}

TEST(keep_rules)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_record r;
	enum lp_keep k;

	assert_eq_int(lp_keep_parse("cheapest", &k, &err), LP_OK);
	assert_eq_int(k, LP_KEEP_CHEAPEST);
	assert_eq_str(lp_keep_name(k), "cheapest");
	assert_eq_int(lp_keep_parse("longest", &k, &err), LP_OK);
	assert_eq_int(lp_keep_parse("last", &k, &err), LP_FAILED);
	assert_eq_str(err.msg, "want first, longest or cheapest");
	lp_record_init(&r);
	parse(&r, "{\"price\":{\"amount\":649.99}}");
	assert_true(lp_keep_score(LP_KEEP_CHEAPEST, &r, "", 0) == 649.99);
	parse(&r, "{\"price\":{\"amount\":\"cheap\"}}");
	assert_true(lp_keep_score(LP_KEEP_CHEAPEST, &r, "", 0) == HUGE_VAL);
	/* Code points, not bytes: "café" is 4. */
	assert_true(lp_keep_score(LP_KEEP_LONGEST, &r, "caf\xc3\xa9", 5) == -4);
	lp_record_release(&r);
}

TEST(joined_transitively)
{
	struct lp_cluster c = LP_CLUSTER_INIT;
	uint32_t i;

	for (i = 0; i < 6; i++)
		assert_true(lp_cluster_add(&c, 0, 0) != NULL);
	/* 1 joins 0, 3 joins 2, then 4 joins both: one cluster of five. */
	lp_cluster_join(&c, 1, 0);
	lp_cluster_join(&c, 3, 2);
	lp_cluster_join(&c, 4, 3);
	lp_cluster_join(&c, 4, 1);
	for (i = 0; i < 5; i++)
		assert_eq_int(lp_cluster_root(&c, i), 0);
	assert_eq_int(lp_cluster_root(&c, 5), 5);
	lp_cluster_release(&c);
}

TEST(survivor_by_score_ties_to_earliest)
{
	static const double score[] = {5, 3, 3, 9, 1, 0};
	struct lp_cluster c = LP_CLUSTER_INIT;
	uint32_t i;

	for (i = 0; i < 6; i++)
		lp_cluster_add(&c, score[i], i == 5);
	lp_cluster_join(&c, 1, 0);
	lp_cluster_join(&c, 2, 1);
	lp_cluster_join(&c, 3, 0);
	c.m[4].seen = 7; /* repeats an earlier run's item */
	lp_cluster_choose(&c);
	/* 1 and 2 tie at 3: the earlier one survives. */
	for (i = 0; i < 4; i++)
		assert_eq_int(lp_cluster_survivor(&c, i), 1);
	/* Apart: the earlier run's repeat and the record without a key. */
	assert_eq_int(lp_cluster_survivor(&c, 4), 4);
	assert_eq_int(lp_cluster_survivor(&c, 5), 5);
	lp_cluster_release(&c);
}

/*
 * Keys through a kept set: exact repeats and chains of near ones join;
 * a repeat of an earlier run's item stands apart, named by dup.of.
 */
TEST(add_key_near_chain_and_seen)
{
	static const char *const t[] = {
	    "apple iphone 13 128 gb midnight unlocked smartphone",
	    "apple iphone 13 128 gb midnight unlocked smartphones",
	    "samsung galaxy s21 256 gb phantom grey boxed",
	    "apple iphone 13 128 gb midnight unlocked smartphone",
	    "sony playstation 5 console disc edition with controller",
	    "apple iphone 13 128gb midnight unlocked smartphones!",
	};
	struct lp_cluster c = LP_CLUSTER_INIT;
	struct lp_shingling sh = {0, 5};
	struct lp_kept k;
	struct lp_record r;
	json_t *dup;
	size_t i;

	lp_kept_init(&k, 1, 1, 0);
	assert_eq_int(lp_kept_near_init(&k, &sh, 0.8, 128), LP_OK);
	/* An earlier run kept the playstation. */
	assert_eq_int(lp_kept_add(&k, "ps5", lp_key128_of(t[4], strlen(t[4])),
			  t[4], strlen(t[4])),
	    LP_OK);
	lp_kept_mark_seen(&k);
	for (i = 0; i < 6; i++)
		assert_eq_int(
		    lp_cluster_add_key(&c, &k, t[i], strlen(t[i]), (double)i),
		    LP_OK);
	lp_cluster_choose(&c);
	/* 0, 1 (near), 3 (exact) and 5 (near 1, not 0) are one cluster. */
	assert_eq_int(lp_cluster_root(&c, 1), 0);
	assert_eq_int(lp_cluster_root(&c, 3), 0);
	assert_eq_int(lp_cluster_root(&c, 5), 0);
	assert_eq_int(lp_cluster_survivor(&c, 5), 0);
	assert_eq_int(lp_cluster_survivor(&c, 2), 2);
	assert_eq_int(c.m[4].seen, 0);
	assert_true(c.m[4].seen_sim == 1 && !c.m[4].seen_near);
	lp_record_init(&r);
	parse(&r, "{\"id\":\"x\"}");
	lp_kept_dup_set(&k, &r, c.m[4].seen, c.m[4].seen_sim, 0);
	dup = lp_record_get(&r, "dup");
	assert_eq_str(json_string_value(json_object_get(dup, "of")), "ps5");
	assert_eq_str(
	    json_string_value(json_object_get(dup, "method")), "exact");
	assert_true(json_is_true(json_object_get(dup, "seen")));
	lp_record_release(&r);
	lp_kept_release(&k);
	lp_cluster_release(&c);
}

RUN_TESTS()
