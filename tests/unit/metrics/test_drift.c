#include <math.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "metrics/drift.h"
#include "test.h"

#define NEAR(x, y, eps) (fabs((x) - (y)) < (eps))

TEST(drift)
{
	double p[] = {50, 30, 20}, q[] = {50, 30, 20}, r[] = {20, 30, 50},
	       s[] = {100, 0, 0}, t[] = {0, 0, 100};

	assert_true(NEAR(lp_psi(p, q, 3), 0, 1e-12));
	assert_true(NEAR(lp_js_distance(p, q, 3), 0, 1e-12));
	/* (0.5-0.2) ln(2.5) + 0 + (0.2-0.5) ln(0.4) = 0.6 ln 2.5 */
	assert_true(NEAR(lp_psi(p, r, 3), 0.6 * log(2.5), 1e-9));
	/* Disjoint distributions: distance near 1 (smoothing keeps it below).
	 */
	assert_true(lp_js_distance(s, t, 3) > 0.99);
	assert_true(lp_js_distance(s, t, 3) <= 1);
}

/* The JSON text of v, for comparing a whole result at once. */
static char *
dump(json_t *v)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_json_dump(v, &b);
	return b.p;
}

TEST(counts_over_the_union_of_values)
{
	json_t *now = json_pack("{s:i,s:i}", "a", 50, "b", 50),
	       *then = json_pack("{s:i,s:i}", "a", 80, "c", 20), *d;

	/*
	 * Over a, b, c: now 0.5, 0.5, 1e-4; then 0.8, 1e-4, 0.2 (before
	 * renormalising): PSI is far past 0.2, a shift.
	 */
	d = lp_drift_counts(now, then);
	assert_true(json_number_value(json_object_get(d, "psi")) > 4);
	assert_true(json_is_true(json_object_get(d, "shift")));
	json_decref(d);
	/* The same counts: no drift at all. */
	d = lp_drift_counts(now, now);
	{
		char *s = dump(d);

		assert_eq_str(s, "{\"psi\":0.0,\"js\":0.0,\"shift\":false}");
		free(s);
	}
	json_decref(d);
	json_decref(then);
	/* Nothing on either side: no figure. */
	then = json_object();
	d = lp_drift_counts(then, then);
	assert_true(json_is_null(d));
	json_decref(d);
	json_decref(now);
	json_decref(then);
}

TEST(report_drift_of_figures)
{
	json_t *base = json_pack("{s:{},s:{s:f},s:{s:f}}", "balance",
		   "agreement", "percent", 0.9, "gold", "accuracy", 0.8),
	       *m = json_pack("{s:{},s:{s:f},s:{s:f}}", "balance", "agreement",
		   "percent", 0.8, "gold", "accuracy", 0.78),
	       *d = lp_drift_report(m, base);
	char *s = dump(d);

	/* 0.9 to 0.8 drops by 0.1 (> 0.05): a shift; 0.8 to 0.78 is not. */
	assert_eq_str(s,
	    "{\"agreement.percent\":{\"baseline\":0.9,\"now\":0.8,"
	    "\"change\":-0.1,\"shift\":true},\"gold.accuracy\":{\"baseline\":"
	    "0.8,\"now\":0.78,\"change\":-0.02,\"shift\":false}}");
	free(s);
	json_decref(d);
	json_decref(m);
	json_decref(base);
}

RUN_TESTS()
