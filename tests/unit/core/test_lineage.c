#include <stdlib.h>

#include "core/status.h"
#include "core/lineage.h"
#include "gen.h"
#include "test.h"

/* Stamp via the fast path and via the tree; both must give equal bytes. */
static void
both_paths(struct lp_lineage *lg, const char *line, size_t len)
{
	struct lp_record fast, slow;
	struct lp_buf a = LP_BUF_INIT, b = LP_BUF_INIT;
	int ra, rb;

	lp_record_init(&fast);
	lp_record_init(&slow);
	assert_eq_int(lp_record_parse(&fast, line, len), 0);
	assert_eq_int(lp_record_parse(&slow, line, len), 0);
	lp_record_root(&slow);
	ra = lp_lineage_stamp(lg, &fast, 1700000000123LL, &a);
	rb = lp_lineage_stamp(lg, &slow, 1700000000123LL, &b);
	assert_eq_int(ra, rb);
	if (ra == LP_OK)
		assert_eq_mem(a.p, a.len, b.p, b.len);
	lp_record_release(&fast);
	lp_record_release(&slow);
	lp_buf_release(&a);
	lp_buf_release(&b);
}

TEST(fast_path_equals_slow_path)
{
	struct lp_lineage lg[3];
	struct lp_buf line = LP_BUF_INIT;
	static const char *const fixed[] = {
	    "{}",
	    "{\"id\":\"a\"}",
	    "{\"id\":\"a\",\"lineage\":{}}",
	    "{\"lineage\":{\"steps\":[]},\"z\":1}",
	    "{\"lineage\":{\"pipeline_version\":\"p1\",\"steps\":[{\"tool\":"
	    "\"x\"}]}}",
	    "{\"lineage\":{\"pipeline_version\":\"old\",\"steps\":[1]}}",
	    "{\"lineage\":{\"steps\":{}}}",
	    "{\"lineage\":\"nope\"}",
	    "{\"lineage\":{\"task_id\":\"t\",\"pipeline_version\":\"p1\","
	    "\"dataset_version\":\"d\",\"steps\":[]}}",
	};
	size_t i;
	int k;

	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	lp_lineage_init(&lg[0], "lp-test", "", NULL, NULL, NULL);
	lp_lineage_init(&lg[1], "lp-test", "x=1", "p1", NULL, NULL);
	lp_lineage_init(&lg[2], "lp-test", "", "p1", "d\"q", "t");
	for (k = 0; k < 3; k++)
		for (i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
			both_paths(&lg[k], fixed[i], strlen(fixed[i]));
	gen_state = 7;
	for (i = 0; i < 5000; i++) {
		json_t *r = gen_record();

		if (i % 3 == 0) {
			json_t *lin = gen_record();

			if (i % 2)
				json_object_set_new(lin, "steps", json_array());
			if (i % 5 == 0)
				json_object_set_new(
				    lin, "pipeline_version", json_string("p1"));
			json_object_set_new(r, "lineage", lin);
		}
		lp_buf_reset(&line);
		lp_json_dump(r, &line);
		both_paths(&lg[i % 3], line.p, line.len);
		json_decref(r);
	}
	for (k = 0; k < 3; k++)
		lp_lineage_release(&lg[k]);
	lp_buf_release(&line);
	unsetenv("SOURCE_DATE_EPOCH");
}

TEST(step_shape_and_fixed_run_id)
{
	struct lp_lineage a, b;
	struct lp_record r;
	struct lp_buf out = LP_BUF_INIT;
	const char *in = "{\"id\":\"x\"}";
	json_t *v, *step;

	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	lp_lineage_init(&a, "lp-clean", "case=lower", "pv", "dv", "task");
	lp_lineage_init(&b, "lp-clean", "case=lower", "pv", "dv", "task");
	assert_eq_str(a.run_id, b.run_id);
	assert_eq_int(strlen(a.run_id), 12);
	lp_record_init(&r);
	lp_record_parse(&r, in, strlen(in));
	assert_eq_int(lp_lineage_stamp(&a, &r, lp_lineage_now(&a), &out), 0);
	v = json_loadb(out.p, out.len, 0, NULL);
	assert_eq_str(json_string_value(json_object_get(
			  json_object_get(v, "lineage"), "task_id")),
	    "task");
	step = json_array_get(
	    json_object_get(json_object_get(v, "lineage"), "steps"), 0);
	assert_eq_str(
	    json_string_value(json_object_get(step, "tool")), "lp-clean");
	assert_eq_int(
	    json_integer_value(json_object_get(step, "at")), 1700000000000LL);
	/* A step is tens of bytes, not hundreds. */
	assert_true(out.len - strlen(in) < 200);
	json_decref(v);
	lp_record_release(&r);
	lp_buf_release(&out);
	lp_lineage_release(&a);
	lp_lineage_release(&b);
	unsetenv("SOURCE_DATE_EPOCH");
	lp_lineage_init(&a, "lp-clean", "", NULL, NULL, NULL);
	lp_lineage_init(&b, "lp-clean", "", NULL, NULL, NULL);
	assert_true(strcmp(a.run_id, b.run_id) != 0);
	lp_lineage_release(&a);
	lp_lineage_release(&b);
}

TEST(env_versions)
{
	struct lp_lineage a;

	setenv("LP_PIPELINE_VERSION", "env-pv", 1);
	lp_lineage_init(&a, "t", "", NULL, NULL, NULL);
	assert_eq_str(a.pipeline_version, "env-pv");
	lp_lineage_release(&a);
	lp_lineage_init(&a, "t", "", "flag-pv", NULL, NULL);
	assert_eq_str(a.pipeline_version, "flag-pv");
	lp_lineage_release(&a);
	unsetenv("LP_PIPELINE_VERSION");
}

RUN_TESTS()
