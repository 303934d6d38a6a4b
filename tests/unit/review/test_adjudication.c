#include <string.h>

#include "core/status.h"
#include "review/adjudication.h"
#include "test.h"

/* Settle the labels (JSON text) by the rule; what it came to. */
static const char *
settle(const char *labels, int majority, struct lp_adjudication *a)
{
	json_t *l = json_loads(labels, 0, NULL);

	memset(a, 0, sizeof(*a));
	lp_adjudication_merge(a, l);
	json_decref(l);
	return lp_adjudication_settle(a, majority);
}

TEST(consensus_rules)
{
	struct lp_adjudication a;

	assert_eq_str(
	    settle("[{\"annotator_id\":\"a\",\"label\":4}]", 0, &a), "single");
	assert_eq_int(json_integer_value(a.settled), 4);
	assert_eq_int(lp_adjudication_open(&a), 0);
	lp_adjudication_release(&a);
	assert_eq_str(settle("[{\"annotator_id\":\"a\",\"label\":4},"
			     "{\"annotator_id\":\"b\",\"label\":4},"
			     "{\"annotator_id\":\"c\",\"label\":null}]",
			  0, &a),
	    "unanimous");
	lp_adjudication_release(&a);
	assert_eq_str(settle("[{\"annotator_id\":\"a\",\"label\":4},"
			     "{\"annotator_id\":\"b\",\"label\":4},"
			     "{\"annotator_id\":\"c\",\"label\":1}]",
			  0, &a),
	    "contested");
	assert_eq_int(lp_adjudication_open(&a), 1);
	assert_true(a.settled == NULL);
	lp_adjudication_release(&a);
	assert_eq_str(settle("[{\"annotator_id\":\"a\",\"label\":4},"
			     "{\"annotator_id\":\"b\",\"label\":4},"
			     "{\"annotator_id\":\"c\",\"label\":1}]",
			  1, &a),
	    "majority");
	lp_adjudication_release(&a);
	/* Half is not more than half. */
	assert_eq_str(settle("[{\"annotator_id\":\"a\",\"label\":4},"
			     "{\"annotator_id\":\"b\",\"label\":1}]",
			  1, &a),
	    "contested");
	lp_adjudication_release(&a);
	/* Skips only: unlabelled, yet it waits (someone looked at it). */
	assert_eq_str(
	    settle("[{\"annotator_id\":\"a\",\"label\":null}]", 1, &a),
	    "unlabelled");
	assert_eq_int(lp_adjudication_open(&a), 1);
	lp_adjudication_release(&a);
	assert_eq_str(settle("[]", 1, &a), "unlabelled");
	assert_eq_int(lp_adjudication_open(&a), 0);
	lp_adjudication_release(&a);
}

TEST(merge_keeps_one_label_per_annotator_and_round)
{
	struct lp_adjudication a;
	json_t *x = json_loads("[{\"annotator_id\":\"a\",\"round\":1,"
			       "\"label\":4},{\"label\":2}]",
		   0, NULL),
	       *y = json_loads("[{\"annotator_id\":\"a\",\"round\":1,"
			       "\"label\":1},{\"annotator_id\":\"a\","
			       "\"round\":2,\"label\":3}]",
		   0, NULL);

	memset(&a, 0, sizeof(a));
	assert_eq_int(lp_adjudication_merge(&a, NULL), 0);
	assert_eq_int(json_array_size(a.labels), 0);
	assert_eq_int(lp_adjudication_merge(&a, x), 0);
	assert_eq_int(lp_adjudication_merge(&a, y), 1);
	assert_eq_int(json_array_size(a.labels), 2);
	assert_eq_int(json_integer_value(json_object_get(
			  json_array_get(a.labels, 0), "label")),
	    4); /* the first copy */
	json_decref(x);
	json_decref(y);
	lp_adjudication_release(&a);
}

TEST(result_by_consensus_or_adjudicator)
{
	struct lp_adjudication a;
	struct lp_decision dec;
	json_t *r;
	char *s;

	memset(&dec, 0, sizeof(dec));
	settle("[{\"annotator_id\":\"a\",\"label\":4}]", 0, &a);
	r = lp_adjudication_result(&a, &dec, "judy", 7);
	s = json_dumps(r, JSON_COMPACT);
	assert_eq_str(s,
	    "{\"label\":4,\"by\":\"consensus\",\"method\":"
	    "\"single\",\"at\":7}");
	free(s);
	json_decref(r);
	lp_adjudication_release(&a);
	settle("[{\"annotator_id\":\"a\",\"label\":4},"
	       "{\"annotator_id\":\"b\",\"label\":1}]",
	    0, &a);
	assert_true(lp_adjudication_result(&a, &dec, "judy", 7) == NULL);
	dec.state = LP_DECISION_SUBMITTED;
	dec.label = json_integer(1);
	dec.note = "checked";
	dec.at = 9;
	r = lp_adjudication_result(&a, &dec, "judy", 7);
	s = json_dumps(r, JSON_COMPACT);
	assert_eq_str(s,
	    "{\"label\":1,\"by\":\"judy\",\"method\":"
	    "\"adjudicator\",\"at\":9,\"note\":\"checked\"}");
	free(s);
	json_decref(r);
	json_decref(dec.label);
	lp_adjudication_release(&a);
}

RUN_TESTS()
