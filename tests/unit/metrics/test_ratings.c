#include <math.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "metrics/ratings.h"
#include "test.h"

static char *
dump(json_t *v)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_json_dump(v, &b);
	return b.p;
}

/* Label item id by who with the integer class c. */
static void
label(struct lp_ratings *r, const char *id, const char *who, int c)
{
	json_t *v = json_integer(c);

	lp_ratings_add(r, lp_ratings_item(r, id), who, v, 1000);
	json_decref(v);
}

/*
 * Alice says 2 2 10 10, Bob 2 10 10 10 on items a b c d: they agree on 3
 * of 4.  Alice's shares 0.5 0.5, Bob's 0.25 0.75: chance agreement
 * 0.5 * 0.25 + 0.5 * 0.75 = 0.5, so kappa = (0.75 - 0.5) / 0.5 = 0.5.
 */
static void
two_raters(struct lp_ratings *r)
{
	label(r, "a", "alice", 2);
	label(r, "b", "alice", 2);
	label(r, "c", "alice", 10);
	label(r, "d", "alice", 10);
	label(r, "a", "bob", 2);
	label(r, "b", "bob", 10);
	label(r, "c", "bob", 10);
	label(r, "d", "bob", 10);
}

TEST(agreement_of_two_raters)
{
	struct lp_ratings r = {0};
	json_t *ag, *p;
	char *s;

	two_raters(&r);
	ag = lp_ratings_agreement(&r, 0, 1);
	assert_eq_int(json_integer_value(json_object_get(ag, "items")), 4);
	assert_true(json_real_value(json_object_get(ag, "percent")) == 0.75);
	p = json_array_get(json_object_get(ag, "pairs"), 0);
	assert_eq_str(json_string_value(json_object_get(p, "a")), "alice");
	assert_true(json_real_value(json_object_get(p, "kappa")) == 0.5);
	/* Classes by value, not by name: 2 before 10. */
	s = dump(json_object_get(ag, "classes"));
	assert_eq_str(s, "[\"2\",\"10\"]");
	free(s);
	s = dump(json_object_get(p, "confusion"));
	assert_eq_str(s, "[[1,1],[0,2]]");
	free(s);
	assert_true(json_object_get(ag, "bootstrap") == NULL);
	json_decref(ag);
	lp_ratings_release(&r);
}

TEST(one_rater_is_undefined)
{
	struct lp_ratings r = {0};
	json_t *ag;

	label(&r, "a", "alice", 1);
	ag = lp_ratings_agreement(&r, 100, 1);
	assert_eq_str(json_string_value(json_object_get(ag, "undefined")),
	    "fewer than two annotators");
	json_decref(ag);
	lp_ratings_release(&r);
}

TEST(a_later_label_replaces_the_earlier)
{
	struct lp_ratings r = {0};

	label(&r, "a", "alice", 1);
	label(&r, "a", "alice", 3);
	assert_eq_int(r.it[0].n, 1);
	assert_eq_str(r.classes.v[r.it[0].cls[0]], "3");
	/* Both count for throughput: two labels in two seconds. */
	assert_eq_int(r.labels_by[0], 2);
	lp_ratings_release(&r);
}

TEST(gold_judge_and_throughput)
{
	struct lp_ratings r = {0}, whole = {0};
	json_t *g, *j, *t, *two = json_integer(2), *ten = json_integer(10);
	char *s;

	two_raters(&r);
	/* Gold 2 on a and b: alice right twice, bob once. */
	r.it[0].gold = r.it[1].gold = lp_ratings_class(&r, two);
	g = lp_ratings_gold(&r);
	s = dump(g);
	assert_eq_str(s,
	    "{\"items_labelled\":4,\"accuracy\":0.75,"
	    "\"by_annotator\":{\"alice\":1.0,\"bob\":0.5}}");
	free(s);
	/* The judge says 10 on d (majority 10) with confidence 0.95. */
	r.it[3].judge = lp_ratings_class(&r, ten);
	r.it[3].conf = 0.95;
	j = lp_ratings_judge(&r);
	s = dump(json_object_get(j, "calibration"));
	assert_eq_str(
	    s, "[{\"from\":0.9,\"to\":1.0,\"items\":1,\"accuracy\":1.0}]");
	free(s);
	/* Four labels in four seconds: 3600 an hour. */
	t = lp_ratings_throughput(&r);
	s = dump(json_object_get(t, "bob"));
	assert_eq_str(s, "{\"labels\":4,\"per_hour\":3600.0}");
	free(s);
	/* A group without the gold copy takes it from the whole. */
	label(&whole, "a", "carol", 2);
	lp_ratings_fill_from(&whole, &r);
	assert_eq_str(whole.classes.v[whole.it[0].gold], "2");
	assert_eq_int(whole.it[0].judge, -1);
	json_decref(g);
	json_decref(j);
	json_decref(t);
	json_decref(two);
	json_decref(ten);
	lp_ratings_release(&r);
	lp_ratings_release(&whole);
}

RUN_TESTS()
