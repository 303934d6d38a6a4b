#include <unistd.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "metrics/gate.h"
#include "test.h"

static const char gates_json[] =
    "{\"gates\":["
    "{\"metric\":\"agreement.percent\",\"op\":\">=\",\"value\":0.6},"
    "{\"metric\":\"agreement.percent\",\"op\":\">\",\"value\":0.85},"
    "{\"metric\":\"gold.accuracy\",\"op\":\">\",\"value\":0.9,"
    "\"undefined\":\"skip\"},"
    "{\"metric\":\"gold.accuracy\",\"op\":\"<\",\"value\":0.9}]}";

TEST(pass_fail_skip)
{
	char *path = tmpfile_with(gates_json, sizeof(gates_json) - 1);
	struct lp_error err = LP_ERROR_INIT;
	struct lp_gates g;
	json_t *m = json_pack("{s:{s:f},s:{s:n}}", "agreement", "percent", 0.7,
	    "gold", "accuracy");
	struct lp_buf b = LP_BUF_INIT;
	size_t i;

	assert_eq_int(lp_gates_load(&g, path, &err), LP_OK);
	assert_eq_int(lp_gates_count(&g), 4);
	for (i = 0; i < lp_gates_count(&g); i++)
		assert_eq_int(lp_gates_check(&g, i, m, &err), LP_OK);
	/* 0.7 >= 0.6 holds, 0.7 > 0.85 not; undefined skips or fails. */
	lp_json_dump(g.results, &b);
	assert_eq_str(b.p,
	    "[{\"metric\":\"agreement.percent\",\"op\":\">=\",\"threshold\":"
	    "0.6,\"value\":0.7,\"pass\":true},{\"metric\":\"agreement."
	    "percent\","
	    "\"op\":\">\",\"threshold\":0.85,\"value\":0.7,\"pass\":false},"
	    "{\"metric\":\"gold.accuracy\",\"op\":\">\",\"threshold\":0.9,"
	    "\"value\":null,\"pass\":null},{\"metric\":\"gold.accuracy\","
	    "\"op\":\"<\",\"threshold\":0.9,\"value\":null,\"pass\":false}]");
	assert_eq_int(g.failed, 2);
	lp_buf_release(&b);
	lp_gates_release(&g);
	json_decref(m);
	unlink(path);
	free(path);
}

/* A JSON Pointer reaches a key with dots, and one with a slash. */
TEST(pointer_reaches_any_key)
{
	static const char js[] =
	    "[{\"metric\":\"/drift/rating.score/psi\",\"op\":\"<\","
	    "\"value\":0.2},{\"metric\":\"/a~1b/~0c/1\",\"op\":\">\","
	    "\"value\":1},{\"metric\":\"drift.rating.score.psi\","
	    "\"op\":\"<\",\"value\":0.2}]";
	char *path = tmpfile_with(js, sizeof(js) - 1);
	struct lp_error err = LP_ERROR_INIT;
	struct lp_gates g;
	json_t *m = json_loads("{\"drift\":{\"rating.score\":{\"psi\":0.1}},"
			       "\"a/b\":{\"~c\":[1,2]}}",
	    0, NULL);
	size_t i;

	assert_eq_int(lp_gates_load(&g, path, &err), LP_OK);
	for (i = 0; i < lp_gates_count(&g); i++)
		assert_eq_int(lp_gates_check(&g, i, m, &err), LP_OK);
	assert_true(json_is_true(
	    json_object_get(json_array_get(g.results, 0), "pass")));
	assert_true(json_is_true(
	    json_object_get(json_array_get(g.results, 1), "pass")));
	/* The dotted form cannot tell the key's dots from the path's. */
	assert_true(json_is_false(
	    json_object_get(json_array_get(g.results, 2), "pass")));
	assert_eq_int(g.failed, 1);
	lp_gates_release(&g);
	json_decref(m);
	unlink(path);
	free(path);
}

TEST(all_pass)
{
	static const char one[] =
	    "[{\"metric\":\"records\",\"op\":\"<=\",\"value\":3}]";
	char *path = tmpfile_with(one, sizeof(one) - 1);
	struct lp_error err = LP_ERROR_INIT;
	struct lp_gates g;
	json_t *m = json_pack("{s:i}", "records", 3);

	assert_eq_int(lp_gates_load(&g, path, &err), LP_OK);
	assert_eq_int(lp_gates_check(&g, 0, m, &err), LP_OK);
	assert_eq_int(g.failed, 0);
	lp_gates_release(&g);
	json_decref(m);
	unlink(path);
	free(path);
}

/* Load text as a gates file and check gate 1: the error of either. */
static void
bad(const char *text, int load_rc, const char *want)
{
	char *path = tmpfile_with(text, strlen(text));
	struct lp_error err = LP_ERROR_INIT;
	struct lp_gates g;
	char msg[600];
	json_t *m = json_object();

	assert_eq_int(lp_gates_load(&g, path, &err), load_rc);
	if (load_rc == LP_OK)
		assert_eq_int(lp_gates_check(&g, 0, m, &err), LP_FAILED);
	snprintf(msg, sizeof(msg), want, path);
	assert_eq_str(err.msg, msg);
	lp_gates_release(&g);
	json_decref(m);
	unlink(path);
	free(path);
}

TEST(malformed)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_gates g;

	bad("{\"a\":1}", LP_FAILED, "%s: expected a list of gates");
	/* Not JSON: Jansson's message after the file and line. */
	bad("[1,", LP_FAILED, "%s:1: ']' expected near end of file");
	bad("[{\"metric\":\"x\",\"op\":\"=\",\"value\":1}]", LP_OK,
	    "%s: gate 1 needs metric, op (< <= > >=) and a number");
	bad("[{\"metric\":\"x\",\"op\":\"<\",\"value\":1,\"undefined\":"
	    "\"pass\"}]",
	    LP_OK, "%s: gate 1: undefined is fail or skip, not 'pass'");
	assert_eq_int(
	    lp_gates_load(&g, "/nonexistent/gates.json", &err), LP_FATAL);
	assert_true(strstr(err.msg, "/nonexistent/gates.json") != NULL);
	lp_gates_release(&g);
}

TEST(built_in)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_gates g;

	assert_eq_int(lp_gates_load(&g, NULL, &err), LP_OK);
	assert_true(lp_gates_count(&g) > 0);
	assert_eq_str(g.name, "built-in gates");
	lp_gates_release(&g);
}

RUN_TESTS()
