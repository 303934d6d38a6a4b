#include <math.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/record.h"
#include "metrics/kpi.h"
#include "test.h"

/* Two labelled items (agreeing on a, not on b) and an unlabelled one. */
static const char *const lines[] = {
    "{\"id\":\"a\",\"title\":\"T\",\"url\":\"u\",\"price\":1,"
    "\"condition\":\"new\",\"translation\":{\"text\":\"x\"},"
    "\"rating\":{\"score\":3,\"confidence\":0.95},\"labels\":["
    "{\"annotator_id\":\"alice\",\"label\":3,\"time_to_label_ms\":1000},"
    "{\"annotator_id\":\"bob\",\"label\":3,\"time_to_label_ms\":2000}],"
    "\"gold\":{\"label\":3},\"lineage\":{\"steps\":[{\"tool\":\"lp-clean\","
    "\"at\":1000},{\"tool\":\"lp-rate\",\"at\":1500}]}}",
    "{\"id\":\"b\",\"title\":\"\",\"labels\":["
    "{\"annotator_id\":\"alice\",\"label\":2,\"time_to_label_ms\":1000},"
    "{\"annotator_id\":\"bob\",\"label\":4,\"time_to_label_ms\":2000}],"
    "\"gold\":{\"label\":4}}",
    "{\"id\":\"c\", \"title\": \"spaced: not a canonical line\"}"};

static char *
dump(json_t *v)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_json_dump(v, &b);
	return b.p;
}

static void
add_all(struct lp_kpi *k)
{
	struct lp_record rec;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		lp_record_init(&rec);
		assert_eq_int(
		    lp_record_parse(&rec, lines[i], strlen(lines[i])), LP_OK);
		lp_kpi_add(k, &rec);
		lp_record_release(&rec);
	}
}

/* The figure at path of m as a double (NAN if not a number). */
static double
fig(json_t *m, const char *path)
{
	json_t *v = lp_kpi_get(m, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

TEST(counts_and_completeness)
{
	struct lp_kpi *k = lp_kpi_new(NULL, 0, NULL);
	json_t *m;

	add_all(k);
	m = lp_kpi_metrics(k, 0, 1);
	assert_eq_int(fig(m, "records"), 3);
	assert_eq_int(fig(m, "labelled"), 2);
	assert_true(fig(m, "completeness.id") == 1);
	/* "" is not there: two titles of three. */
	assert_true(fig(m, "completeness.title") == 0.666667);
	assert_true(fig(m, "completeness.url") == 0.333333);
	/* A key with a dot is no path. */
	assert_true(
	    json_real_value(json_object_get(json_object_get(m, "completeness"),
		"rating.score")) == 0.333333);
	json_decref(m);
	lp_kpi_free(k);
}

TEST(balance_agreement_gold_latency)
{
	const char *field = "condition";
	struct lp_kpi *k = lp_kpi_new(&field, 1, NULL);
	json_t *m;
	char *s;

	add_all(k);
	m = lp_kpi_metrics(k, 0, 1);
	s = dump(json_object_get(m, "balance"));
	assert_eq_str(s,
	    "{\"rating.score\":{\"3\":1},\"condition\":"
	    "{\"new\":1},\"labels\":{\"3\":2,\"2\":1,\"4\":1}}");
	free(s);
	assert_true(fig(m, "agreement.percent") == 0.5);
	/* Alice: right on a, wrong on b; Bob right on both. */
	assert_true(fig(m, "gold.accuracy") == 0.75);
	assert_true(fig(m, "gold.by_annotator.alice") == 0.5);
	/* Two labels in two seconds: 3600 an hour. */
	assert_true(fig(m, "throughput.alice.per_hour") == 3600);
	assert_true(fig(m, "throughput.bob.per_hour") == 1800);
	s = dump(json_object_get(m, "latency_ms"));
	assert_eq_str(s,
	    "{\"lp-rate\":{\"p50\":500.0,\"p95\":500.0,"
	    "\"max\":500.0,\"n\":1},\"end_to_end\":{\"p50\":500.0,"
	    "\"p95\":500.0,\"max\":500.0,\"n\":1}}");
	free(s);
	/* One judged item, one class: kappa is undefined, said as null. */
	assert_true(json_is_null(lp_kpi_get(m, "judge.kappa_vs_humans")));
	json_decref(m);
	lp_kpi_free(k);
}

TEST(only_one_annotator)
{
	struct lp_kpi *k = lp_kpi_new(NULL, 0, "bob");
	json_t *m;

	add_all(k);
	m = lp_kpi_metrics(k, 0, 1);
	assert_true(fig(m, "gold.accuracy") == 1);
	assert_eq_str(json_string_value(lp_kpi_get(m, "agreement.undefined")),
	    "fewer than two annotators");
	json_decref(m);
	lp_kpi_free(k);
}

TEST(reject_rates)
{
	struct lp_kpi *k = lp_kpi_new(NULL, 0, NULL);
	struct lp_error err = LP_ERROR_INIT;
	json_t *a = json_pack("{s:s,s:i,s:i}", "tool", "lp-clean", "in", 100,
		   "skipped", 10),
	       *b = json_pack("{s:s,s:i,s:i}", "tool", "lp-dedup", "in", 100,
		   "quarantined", 30),
	       *bad = json_pack("{s:i}", "in", 3), *r;
	char *s;

	assert_true(lp_kpi_rejects(k) == NULL);
	assert_eq_int(lp_kpi_add_stats(k, a, &err), LP_OK);
	assert_eq_int(lp_kpi_add_stats(k, b, &err), LP_OK);
	assert_eq_int(lp_kpi_add_stats(k, bad, &err), LP_FAILED);
	assert_eq_str(err.msg, "not a --stats file (no tool and in)");
	r = lp_kpi_rejects(k);
	s = dump(r);
	assert_eq_str(s,
	    "{\"lp-clean\":{\"in\":100,\"rejected\":10,\"rate\":"
	    "0.1},\"lp-dedup\":{\"in\":100,\"rejected\":30,"
	    "\"rate\":0.3},\"rate\":0.2}");
	free(s);
	json_decref(r);
	json_decref(a);
	json_decref(b);
	json_decref(bad);
	lp_kpi_free(k);
}

TEST(paths_and_numbers)
{
	json_t *m = json_pack("{s:{s:{s:i}}}", "a", "b", "c", 7), *v;

	assert_eq_int(json_integer_value(lp_kpi_get(m, "a.b.c")), 7);
	assert_eq_int(json_integer_value(lp_kpi_get(m, "a..b.c")), 7);
	assert_true(lp_kpi_get(m, "a.x.c") == NULL);
	v = lp_kpi_num(2.0 / 3);
	assert_true(json_real_value(v) == 0.666667);
	json_decref(v);
	v = lp_kpi_num(NAN);
	assert_true(json_is_null(v));
	json_decref(m);
}

/* Versions and notes, both as canonical lines and as spaced ones. */
static const char *const noted[] = {
    "{\"id\":\"p\",\"labels\":[{\"annotator_id\":\"al\",\"label\":1,"
    "\"note\":\"blurry\",\"taxonomy_version\":\"t-1\","
    "\"guidelines_version\":\"g-1\"},{\"annotator_id\":\"bo\",\"label\":2,"
    "\"taxonomy_version\":\"t-2\"}],\"adjudication\":{\"label\":2},"
    "\"lineage\":{\"dataset_version\":\"d-1\",\"pipeline_version\":\"p-1\","
    "\"steps\":[]},\"rating\":{\"score\":2,\"confidence\":0.5}}",
    "{\"id\": \"q\", \"labels\": [{\"annotator_id\": \"al\", \"label\": 1, "
    "\"note\": \"same\"}, {\"annotator_id\": \"bo\", \"label\": 1}], "
    "\"lineage\": {\"dataset_version\": \"d-2\"}, \"rating\": {\"score\": "
    "2}}",
    "{\"id\":\"g\",\"labels\":[{\"annotator_id\":\"al\",\"label\":1},"
    "{\"annotator_id\":\"bo\",\"label\":2}],\"gold\":{\"label\":2}}"};

TEST(versions_and_evidence)
{
	struct lp_kpi *k = lp_kpi_new(NULL, 0, NULL);
	struct lp_record rec;
	json_t *v, *e;
	char *s;
	size_t i;

	lp_kpi_keep_evidence(k);
	for (i = 0; i < sizeof(noted) / sizeof(*noted); i++) {
		lp_record_init(&rec);
		assert_eq_int(
		    lp_record_parse(&rec, noted[i], strlen(noted[i])), LP_OK);
		lp_kpi_add(k, &rec);
		lp_record_release(&rec);
	}
	v = lp_kpi_versions(k);
	s = dump(v);
	assert_eq_str(s,
	    "{\"dataset_version\":[\"d-1\",\"d-2\"],\"pipeline_version\":"
	    "[\"p-1\"],\"taxonomy_version\":[\"t-1\",\"t-2\"],"
	    "\"guidelines_version\":[\"g-1\"]}");
	free(s);
	/* p and g are disputed; g is a gold miss (al); q a judge miss. */
	e = lp_kpi_evidence(k, 1);
	s = dump(json_object_get(e, "disputed"));
	assert_eq_str(s,
	    "{\"items\":2,\"rows\":[{\"id\":\"p\",\"labels\":{\"al\":\"1\","
	    "\"bo\":\"2\"},\"judge\":\"2\",\"confidence\":0.5,"
	    "\"adjudicated\":\"2\",\"notes\":\"al: blurry\"}]}");
	free(s);
	s = dump(json_object_get(e, "gold_misses"));
	assert_eq_str(s,
	    "{\"items\":1,\"rows\":[{\"id\":\"g\",\"labels\":{\"al\":\"1\","
	    "\"bo\":\"2\"},\"gold\":\"2\"}]}");
	free(s);
	/* p: a tie goes to the first class (1), not the judge's 2; q: 1. */
	assert_eq_int(
	    (int)json_integer_value(lp_kpi_get(e, "judge_misses.items")), 2);
	json_decref(v);
	json_decref(e);
	lp_kpi_free(k);
}

/* The first disputed item's notes after adding lines, or NULL. */
static char *
notes_of(const char *const *in, size_t n, int keep)
{
	struct lp_kpi *k = lp_kpi_new(NULL, 0, NULL);
	struct lp_record rec;
	json_t *e, *v;
	char *s = NULL;
	size_t i;

	if (keep)
		lp_kpi_keep_evidence(k);
	for (i = 0; i < n; i++) {
		lp_record_init(&rec);
		assert_eq_int(
		    lp_record_parse(&rec, in[i], strlen(in[i])), LP_OK);
		lp_kpi_add(k, &rec);
		lp_record_release(&rec);
	}
	e = lp_kpi_evidence(k, 1);
	v = lp_kpi_get(e, "/disputed/rows/0/notes");
	if (json_is_string(v))
		s = strdup(json_string_value(v));
	json_decref(e);
	lp_kpi_free(k);
	return s;
}

/* A note cut at the limit inside a character keeps the whole ones. */
TEST(notes_cut_at_a_character)
{
	struct lp_buf line = LP_BUF_INIT, want = LP_BUF_INIT;
	const char *in[1];
	char *s;
	int i;

	/* "al: " and 395 bytes leave the limit (400) inside the first é. */
	lp_buf_adds(&want, "al: ");
	for (i = 0; i < 395; i++)
		lp_buf_adds(&want, "a");
	lp_buf_addf(&line,
	    "{\"id\":\"p\",\"labels\":[{\"annotator_id\":\"al\","
	    "\"label\":1,\"note\":\"%s\u00e9\u00e9\u00e9\"},"
	    "{\"annotator_id\":\"bo\",\"label\":2}]}",
	    want.p + 4);
	in[0] = line.p;
	s = notes_of(in, 1, 1);
	assert_true(s != NULL);
	assert_eq_str(s, want.p);
	free(s);
	lp_buf_release(&line);
	lp_buf_release(&want);
}

/*
 * The copies of an item (a file per annotator, then the adjudicated one)
 * give each annotator's note once, the last one given.
 */
TEST(notes_once_per_annotator)
{
	static const char *const in[] = {
	    "{\"id\":\"p\",\"labels\":[{\"annotator_id\":\"al\","
	    "\"label\":1,\"note\":\"x\"}]}",
	    "{\"id\":\"p\",\"labels\":[{\"annotator_id\":\"bo\","
	    "\"label\":2,\"note\":\"y\"}]}",
	    "{\"id\":\"p\",\"labels\":[{\"annotator_id\":\"al\","
	    "\"label\":1,\"note\":\"x\"},{\"annotator_id\":\"bo\","
	    "\"label\":2,\"note\":\"y2\"}],\"adjudication\":{\"label\":2}}"};
	char *s = notes_of(in, 3, 1);

	assert_true(s != NULL);
	assert_eq_str(s, "al: x; bo: y2");
	free(s);
	/* Without lp_kpi_keep_evidence() nothing of it is kept. */
	assert_true(notes_of(in, 3, 0) == NULL);
}

RUN_TESTS()
