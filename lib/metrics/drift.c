#include <math.h>
#include <stdlib.h>

#include "core/status.h"
#include "core/buf.h"
#include "metrics/drift.h"
#include "metrics/kpi.h"

/* Shares of counts, with empty classes smoothed. */
static void
shares(const double *c, int k, double *p)
{
	double total = 0, sum = 0;
	int i;

	for (i = 0; i < k; i++)
		total += c[i];
	for (i = 0; i < k; i++) {
		p[i] = total > 0 ? c[i] / total : 0;
		if (p[i] < 1e-4)
			p[i] = 1e-4;
		sum += p[i];
	}
	for (i = 0; i < k; i++)
		p[i] /= sum;
}

/* Both distributions as smoothed shares: a[0..k) and a[k..2k). */
static double *
both_shares(const double *p, const double *q, int k)
{
	double *a = lp_xmalloc(sizeof(double) * (size_t)k * 2);

	shares(p, k, a);
	shares(q, k, a + k);
	return a;
}

double
lp_psi(const double *p, const double *q, int k)
{
	double *a = both_shares(p, q, k), *b = a + k, s = 0;
	int i;

	for (i = 0; i < k; i++)
		s += (a[i] - b[i]) * log(a[i] / b[i]);
	free(a);
	return s;
}

double
lp_js_distance(const double *p, const double *q, int k)
{
	double *a = both_shares(p, q, k), *b = a + k, js = 0;
	int i;

	for (i = 0; i < k; i++) {
		double m = (a[i] + b[i]) / 2;

		js += a[i] / 2 * log2(a[i] / m) + b[i] / 2 * log2(b[i] / m);
	}
	free(a);
	return sqrt(js > 0 ? js : 0);
}

json_t *
lp_drift_counts(json_t *now, json_t *then)
{
	json_t *keys = json_object(), *v;
	const char *key;
	double *p, *q, psi, js;
	size_t n, i = 0;

	json_object_foreach (now, key, v)
		json_object_set(keys, key, json_null());
	json_object_foreach (then, key, v)
		json_object_set(keys, key, json_null());
	n = json_object_size(keys);
	if (n == 0) {
		json_decref(keys);
		return json_null();
	}
	p = lp_xmalloc(sizeof(double) * n * 2);
	q = p + n;
	json_object_foreach (keys, key, v) {
		p[i] = (double)json_integer_value(json_object_get(now, key));
		q[i++] = (double)json_integer_value(json_object_get(then, key));
	}
	psi = lp_psi(p, q, (int)n);
	js = lp_js_distance(p, q, (int)n);
	free(p);
	json_decref(keys);
	return json_pack("{s:o,s:o,s:b}", "psi", lp_kpi_num(psi), "js",
	    lp_kpi_num(js), "shift", psi > LP_DRIFT_PSI || js > LP_DRIFT_JS);
}

json_t *
lp_drift_report(json_t *m, json_t *base)
{
	static const char *const figures[] = {"agreement.percent",
	    "agreement.kripp_alpha.ordinal", "gold.accuracy",
	    "judge.kappa_vs_humans"};
	json_t *out = json_object(), *bal = json_object_get(m, "balance"), *v;
	const char *key;
	size_t i;

	json_object_foreach (bal, key, v)
		json_object_set_new(out, key,
		    lp_drift_counts(
			v, lp_kpi_get(json_object_get(base, "balance"), key)));
	for (i = 0; i < sizeof(figures) / sizeof(*figures); i++) {
		json_t *a = lp_kpi_get(base, figures[i]),
		       *b = lp_kpi_get(m, figures[i]);
		double was, now;

		if (!json_is_number(a) || !json_is_number(b))
			continue;
		was = json_number_value(a);
		now = json_number_value(b);
		json_object_set_new(out, figures[i],
		    json_pack("{s:o,s:o,s:o,s:b}", "baseline", lp_kpi_num(was),
			"now", lp_kpi_num(now), "change", lp_kpi_num(now - was),
			"shift", was - now > LP_DRIFT_DROP));
	}
	return out;
}
