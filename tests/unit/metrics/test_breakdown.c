#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/record.h"
#include "metrics/breakdown.h"
#include "test.h"

/*
 * Item a, labelled by alice and bob on 2025-12-01 (an ISO date, then ms);
 * item b by alice on 2025-12-08 in dataset v2, with its gold answer only
 * in the v1 copy; and a record with no labels and no time.
 */
static const char *const lines[] = {
    "{\"id\":\"a\",\"labels\":[{\"annotator_id\":\"alice\",\"label\":1,"
    "\"at\":\"2025-12-01T10:00:00Z\"},{\"annotator_id\":\"bob\","
    "\"label\":2}],\"lineage\":{\"dataset_version\":\"v1\"}}",
    "{\"id\":\"b\",\"labels\":[{\"annotator_id\":\"alice\",\"label\":1,"
    "\"at\":1765152000000}],\"lineage\":{\"dataset_version\":\"v2\"}}",
    "{\"id\":\"b\",\"labels\":[{\"annotator_id\":\"bob\",\"label\":1}],"
    "\"gold\":{\"label\":1},\"lineage\":{\"dataset_version\":\"v1\"}}",
    "{\"id\":\"c\"}"};

static void
add_all(struct lp_kpi *whole, struct lp_breakdown *b)
{
	struct lp_record rec;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		lp_record_init(&rec);
		assert_eq_int(
		    lp_record_parse(&rec, lines[i], strlen(lines[i])), LP_OK);
		lp_kpi_add(whole, &rec);
		lp_breakdown_add(b, &rec);
		lp_record_release(&rec);
	}
}

/* The group keys of m with their record counts: "k:n k:n". */
static void
keys_of(json_t *m, struct lp_buf *out)
{
	const char *key;
	json_t *g;

	json_object_foreach (m, key, g)
		lp_buf_addf(out, "%s%s:%lld", out->len ? " " : "", key,
		    (long long)json_integer_value(
			json_object_get(g, "records")));
}

static void
check(const char *name, const char *want)
{
	struct lp_kpi *whole = lp_kpi_new(NULL, 0, NULL);
	struct lp_buf got = LP_BUF_INIT;
	struct lp_breakdown b;
	json_t *m;

	lp_breakdown_init(&b, name, NULL, 0);
	add_all(whole, &b);
	m = lp_breakdown_metrics(&b, whole, 1);
	keys_of(m, &got);
	assert_eq_str(got.p, want);
	lp_buf_release(&got);
	json_decref(m);
	lp_breakdown_release(&b);
	lp_kpi_free(whole);
}

TEST(groups_by_key)
{
	/* One group per annotator who labelled a record; sorted by key. */
	check("annotator", "alice:2 bob:2");
	check("dataset_version", "(none):1 v1:2 v2:1");
	check("taxonomy_version", "(none):4");
	check("day", "(no time):2 2025-12-01:1 2025-12-08:1");
	check("week", "(no time):2 2025-W49:1 2025-W50:1");
	assert_eq_int(lp_breakdown_over_time("week"), 1);
	assert_eq_int(lp_breakdown_over_time("task_id"), 0);
}

TEST(an_annotators_group_has_their_labels_and_the_gold)
{
	struct lp_kpi *whole = lp_kpi_new(NULL, 0, NULL);
	struct lp_breakdown b;
	json_t *m;

	lp_breakdown_init(&b, "annotator", NULL, 0);
	add_all(whole, &b);
	m = lp_breakdown_metrics(&b, whole, 1);
	/* Alice labelled a and b; b's gold (1) came with Bob's copy. */
	assert_eq_int(
	    json_integer_value(lp_kpi_get(m, "alice.gold.items_labelled")), 1);
	assert_true(json_real_value(lp_kpi_get(m, "alice.gold.accuracy")) == 1);
	assert_eq_int(
	    json_integer_value(lp_kpi_get(m, "alice.throughput.alice.labels")),
	    2);
	assert_true(lp_kpi_get(m, "alice.throughput.bob") == NULL);
	json_decref(m);
	lp_breakdown_release(&b);
	lp_kpi_free(whole);
}

RUN_TESTS()
