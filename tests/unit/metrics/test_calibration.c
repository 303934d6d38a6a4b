#include "core/buf.h"
#include "metrics/calibration.h"
#include "test.h"

#include "feedback_input.h"

/* A member of a ranked record, to four decimals or as text. */
static const char *
at(json_t *ranked, size_t i, const char *path)
{
	static char out[128];
	json_t *v = lp_kpi_get(json_array_get(ranked, i), path);

	if (json_is_number(v))
		snprintf(out, sizeof(out), "%.4f", json_number_value(v));
	else
		snprintf(out, sizeof(out), "%s",
		    json_is_string(v) ? json_string_value(v) : "absent");
	return out;
}

/*
 * The scores worked out by hand (tests/data/feedback/README):
 * item 2 5.0333 (3 x 0.5 + 2 x 2/3 + 0.2 + 3 x 2/3), item 4 3.9 (3 x 0.5
 * + 2 x 2/3 + 2 x 1/3 + 0.4), item 1 3.2667 (3 x 0.5 + 2 x 1/3 + 0.1 +
 * 3 x 1/3), item 5 2.5 (2 x 1 + 0.5), item 3 0.05; item 6 scores 0.
 */
TEST(rank)
{
	struct input in;
	json_t *r;

	input_read(&in);
	r = lp_calibration_rank(in.items, 20);
	assert_eq_int(json_array_size(r), 5);
	assert_eq_str(at(r, 0, "id"), "ebay-uk:100000000002");
	assert_eq_str(at(r, 0, "calibration.score"), "5.0333");
	assert_eq_str(at(r, 0, "calibration.rank"), "1.0000");
	assert_eq_str(at(r, 0, "calibration.parts.disagreement"), "0.5000");
	assert_eq_str(at(r, 0, "calibration.parts.override"), "0.0000");
	assert_eq_str(at(r, 0, "calibration.parts.judge"), "0.6667");
	assert_eq_str(at(r, 0, "calibration.parts.low_confidence"), "0.2000");
	assert_eq_str(at(r, 0, "calibration.parts.gold_miss"), "0.6667");
	assert_eq_str(at(r, 0, "gold.label"), "2.0000");
	assert_eq_str(at(r, 1, "id"), "ebay-uk:100000000004");
	assert_eq_str(at(r, 1, "calibration.score"), "3.9000");
	assert_eq_str(at(r, 1, "calibration.parts.override"), "0.6667");
	assert_eq_str(at(r, 1, "adjudication.note"),
	    "the capacity changed: a key attribute");
	assert_eq_str(
	    at(r, 1, "translation.text"), "三星 Galaxy S21 5G 256GB 黑色");
	assert_eq_str(at(r, 2, "id"), "ebay-uk:100000000001");
	assert_eq_str(at(r, 2, "calibration.score"), "3.2667");
	assert_eq_str(at(r, 3, "id"), "ebay-uk:100000000005");
	assert_eq_str(at(r, 3, "calibration.score"), "2.5000");
	assert_eq_str(at(r, 4, "id"), "ebay-uk:100000000003");
	assert_eq_str(at(r, 4, "calibration.score"), "0.0500");
	json_decref(r);
	/* The top 2 only. */
	r = lp_calibration_rank(in.items, 2);
	assert_eq_int(json_array_size(r), 2);
	assert_eq_str(at(r, 1, "id"), "ebay-uk:100000000004");
	json_decref(r);
	input_release(&in);
}

/* Every label with its note and correction reaches the pack. */
TEST(labels)
{
	struct input in;
	json_t *r, *l;

	input_read(&in);
	r = lp_calibration_rank(in.items, 2);
	l = json_array_get(lp_kpi_get(json_array_get(r, 1), "labels"), 1);
	assert_eq_str(
	    json_string_value(json_object_get(l, "annotator_id")), "bob");
	assert_eq_str(json_string_value(json_object_get(l, "note")),
	    "256GB is not 128GB");
	assert_eq_str(json_string_value(json_object_get(l, "correction")),
	    "三星 Galaxy S21 128GB");
	assert_eq_int(
	    json_array_size(lp_kpi_get(json_array_get(r, 1), "labels")), 3);
	json_decref(r);
	input_release(&in);
}

/* Ties: the item with more labels first, then by id. */
TEST(ties)
{
	struct lp_items *s = lp_items_new(NULL);
	const char *lines[] = {
	    "{\"id\":\"b\",\"labels\":[{\"annotator_id\":\"x\",\"label\":1},"
	    "{\"annotator_id\":\"y\",\"label\":2}]}",
	    "{\"id\":\"a\",\"labels\":[{\"annotator_id\":\"x\",\"label\":1},"
	    "{\"annotator_id\":\"y\",\"label\":2}]}",
	    "{\"id\":\"c\",\"labels\":[{\"annotator_id\":\"x\",\"label\":1},"
	    "{\"annotator_id\":\"y\",\"label\":2},{\"annotator_id\":\"z\","
	    "\"label\":3}]}"};
	json_t *r;
	size_t i;

	for (i = 0; i < 3; i++) {
		struct lp_record rec;

		lp_record_init(&rec);
		assert_eq_int(
		    lp_record_parse(&rec, lines[i], strlen(lines[i])), LP_OK);
		lp_items_add(s, &rec);
		lp_record_release(&rec);
	}
	r = lp_calibration_rank(s, 10);
	assert_eq_str(at(r, 0, "id"), "c");
	assert_eq_str(at(r, 0, "calibration.score"), "3.0000");
	assert_eq_str(at(r, 1, "id"), "a");
	assert_eq_str(at(r, 2, "id"), "b");
	json_decref(r);
	lp_items_free(s);
}

/* One line an item; the Markdown agenda names the labels. */
TEST(output)
{
	struct input in;
	struct lp_buf b = LP_BUF_INIT;
	json_t *r;

	input_read(&in);
	r = lp_calibration_rank(in.items, 3);
	lp_calibration_jsonl(&b, r);
	assert_eq_int(b.len > 0 && b.p[b.len - 1] == '\n', 1);
	assert_eq_int(strchr(b.p, '\n') - b.p > 0, 1);
	lp_buf_reset(&b);
	lp_calibration_markdown(&b, r, &in.tax);
	assert_true(strstr(b.p,
			"# Calibration session: the 3 hardest "
			"items\n") != NULL);
	assert_true(strstr(b.p,
			"## 2. ebay-uk:100000000004\n\nScore 3.90: "
			"disagreement 0.50, override 0.67, judge "
			"0.33, low confidence 0.40, gold miss "
			"0.00.\n") != NULL);
	assert_true(strstr(b.p,
			"- Final label: major errors (2) "
			"(adjudicator, judy)\n") != NULL);
	assert_true(strstr(b.p,
			"| bob | major errors (2) | 256GB is not "
			"128GB | 三星 Galaxy S21 128GB |\n") != NULL);
	assert_true(strstr(b.p, "- Gold answer: major errors (2)\n") != NULL);
	lp_buf_reset(&b);
	json_decref(r);
	r = json_array();
	lp_calibration_markdown(&b, r, &in.tax);
	assert_eq_str(b.p,
	    "# Calibration session\n\nNo item to discuss: "
	    "no labelled item scored above 0.\n");
	lp_buf_release(&b);
	json_decref(r);
	input_release(&in);
}

RUN_TESTS()
