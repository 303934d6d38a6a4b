#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/data.h"
#include "core/status.h"
#include "metrics/gate.h"
#include "metrics/kpi.h"

int
lp_gates_load(struct lp_gates *g, const char *path, struct lp_error *err)
{
	json_error_t e;
	json_t *x;

	memset(g, 0, sizeof(*g));
	g->name = lp_xstrdup(path ? path : "built-in gates");
	g->results = json_array();
	if (path != NULL && (g->list = json_load_file(path, 0, &e)) == NULL) {
		/* No line: it could not be read ("unable to open ..."). */
		if (e.line <= 0) {
			lp_error_set(err, "%s", e.text);
			return LP_FATAL;
		}
		return lp_error_set(err, "%s:%d: %s", path, e.line, e.text);
	}
	if (path == NULL)
		g->list = json_loadb(
		    (const char *)lp_data_gates, lp_data_gates_len, 0, NULL);
	g->doc = json_incref(g->list);
	g->version = json_string_value(json_object_get(g->doc, "version"));
	if (json_is_object(g->list) &&
	    json_is_array(json_object_get(g->list, "gates"))) {
		x = json_incref(json_object_get(g->list, "gates"));
		json_decref(g->list);
		g->list = x;
	}
	if (!json_is_array(g->list))
		return lp_error_set(
		    err, "%s: expected a list of gates", g->name);
	return LP_OK;
}

size_t
lp_gates_count(const struct lp_gates *g)
{
	return json_array_size(g->list);
}

/* Whether v passes "op t" (op one of < <= > >=); never if v is NaN. */
static int
holds(double v, const char *op, double t)
{
	return !isnan(v) &&
	    (op[0] == '<' ? (op[1] ? v <= t : v < t)
			  : (op[1] ? v >= t : v > t));
}

int
lp_gates_check(struct lp_gates *g, size_t i, json_t *m, struct lp_error *err)
{
	json_t *x = json_array_get(g->list, i),
	       *want = json_object_get(x, "value"), *have, *res;
	const char *metric = json_string_value(json_object_get(x, "metric")),
		   *op = json_string_value(json_object_get(x, "op")),
		   *undef = json_string_value(json_object_get(x, "undefined"));
	double v, t;
	int pass;

	if (metric == NULL || op == NULL || !json_is_number(want) ||
	    (strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") &&
		strcmp(op, ">=")))
		return lp_error_set(err,
		    "%s: gate %zu needs metric, op (< <= > >=) and a number",
		    g->name, i + 1);
	if (undef != NULL && strcmp(undef, "fail") && strcmp(undef, "skip"))
		return lp_error_set(err,
		    "%s: gate %zu: undefined is fail or skip, not '%s'",
		    g->name, i + 1, undef);
	have = lp_kpi_get(m, metric);
	t = json_number_value(want);
	v = json_is_number(have) ? json_number_value(have) : NAN;
	pass = holds(v, op, t);
	res = json_pack("{s:s,s:s,s:f,s:o}", "metric", metric, "op", op,
	    "threshold", t, "value", isnan(v) ? json_null() : json_real(v));
	/* pass: true, false, or null when skipped as undefined. */
	if (isnan(v) && undef != NULL && strcmp(undef, "skip") == 0)
		json_object_set_new(res, "pass", json_null());
	else {
		json_object_set_new(res, "pass", json_boolean(pass));
		g->failed += !pass;
	}
	json_array_append_new(g->results, res);
	return LP_OK;
}

void
lp_gates_release(struct lp_gates *g)
{
	json_decref(g->list);
	json_decref(g->results);
	json_decref(g->doc);
	free(g->name);
	memset(g, 0, sizeof(*g));
}
