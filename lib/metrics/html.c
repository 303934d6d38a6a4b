#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "metrics/chart.h"
#include "metrics/html.h"
#include "metrics/kpi.h"
#include "metrics/report.h"

static const char html_style[] =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;"
    "padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em}"
    "td,th{border-bottom:1px solid #ddd;padding:0.2em 0.8em;"
    "text-align:left}td.n{text-align:right;font-variant-numeric:"
    "tabular-nums}.pass{color:#1a7f37}.fail{color:#cf222e;"
    "font-weight:bold}.skip{color:#777}svg{display:block;margin:0.5em 0 "
    "1.5em}p.note{color:#555}";

/* A figure as HTML text (escaped). */
static void
figure(struct lp_buf *b, json_t *v)
{
	if (json_is_number(v))
		lp_buf_addf(b, "%.4f", json_number_value(v));
	else
		lp_html_escape(
		    b, json_is_string(v) ? json_string_value(v) : "undefined");
}

static void
row(struct lp_buf *b, const char *label, json_t *v)
{
	lp_buf_adds(b, "<tr><td>");
	lp_html_escape(b, label);
	lp_buf_adds(b, "</td><td class=\"n\">");
	figure(b, v);
	lp_buf_adds(b, "</td></tr>\n");
}

struct named {
	const char *name;
	double v;
};

/* Numbers by value before other names, those by name. */
static int
cmp_named(const void *x, const void *y)
{
	const char *a = ((const struct named *)x)->name,
		   *b = ((const struct named *)y)->name;
	char *ea, *eb;
	double da = strtod(a, &ea), db = strtod(b, &eb);
	int na = *a != '\0' && *ea == '\0', nb = *b != '\0' && *eb == '\0';

	if (na && nb)
		return (da > db) - (da < db);
	return na != nb ? nb - na : strcmp(a, b);
}

/*
 * The members of an object (their member, or themselves) as parallel
 * arrays of names and numbers; sorted, or in the object's order.
 */
static size_t
series(json_t *obj, const char *member, int sorted, const char ***names,
    double **v)
{
	size_t cap = json_object_size(obj) + 1, n = 0, i;
	struct named *e = lp_xmalloc(sizeof(*e) * cap);
	const char *key;
	json_t *x;

	json_object_foreach (obj, key, x) {
		json_t *y = member ? lp_kpi_get(x, member) : x;

		e[n].name = key;
		e[n++].v = json_is_number(y) ? json_number_value(y) : NAN;
	}
	if (sorted)
		qsort(e, n, sizeof(*e), cmp_named);
	*names = lp_xmalloc(sizeof(**names) * cap);
	*v = lp_xmalloc(sizeof(**v) * cap);
	for (i = 0; i < n; i++) {
		(*names)[i] = e[i].name;
		(*v)[i] = e[i].v;
	}
	free(e);
	return n;
}

/* How chart_of() draws: a member (or the values), sorted or not. */
struct bars {
	const char *member; /* NULL: the object's values themselves */
	int sorted;
	double vmax;
	const char *unit;
	const char *back_member; /* drawn lighter behind, or NULL */
};

static void
chart_of(
    struct lp_buf *b, json_t *obj, const char *title, const struct bars *how)
{
	const char **names, **unused;
	double *v, *back = NULL;
	size_t n = series(obj, how->member, how->sorted, &names, &v);

	if (how->back_member != NULL) {
		series(obj, how->back_member, how->sorted, &unused, &back);
		free(unused);
	}
	if (n > 0)
		lp_chart_bars(
		    b, title, names, v, back, n, how->vmax, how->unit);
	free(names);
	free(v);
	free(back);
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Kappa of every annotator pair as a symmetric heat map, names sorted. */
static void
kappa_heat(struct lp_buf *b, json_t *ag)
{
	json_t *who = json_object_get(ag, "annotators"), *p;
	size_t n = json_array_size(who), i, r, c;
	const char **names;
	double *kv;

	if (n < 2 || json_array_size(json_object_get(ag, "pairs")) == 0)
		return;
	names = lp_xmalloc(sizeof(*names) * n);
	kv = lp_xmalloc(sizeof(*kv) * n * n);
	for (i = 0; i < n; i++)
		names[i] = json_string_value(json_array_get(who, i));
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n * n; i++)
		kv[i] = i % (n + 1) == 0 ? 1.0 : NAN;
	json_array_foreach (json_object_get(ag, "pairs"), i, p) {
		json_t *x = json_object_get(p, "kappa");
		const char *a = json_string_value(json_object_get(p, "a")),
			   *bn = json_string_value(json_object_get(p, "b"));

		for (r = 0; r < n && strcmp(names[r], a) != 0; r++)
			;
		for (c = 0; c < n && strcmp(names[c], bn) != 0; c++)
			;
		if (r < n && c < n && json_is_number(x))
			kv[r * n + c] = kv[c * n + r] = json_number_value(x);
	}
	lp_chart_heat(
	    b, "Cohen's kappa per annotator pair", names, names, kv, n, n);
	free(names);
	free(kv);
}

/* The charts of one unit of time: per the groups in per. */
static void
trend(struct lp_buf *b, const char *unit, json_t *per)
{
	static const char *const names[] = {"agreement", "gold accuracy"},
				 *counted[] = {"records", "labelled"};
	size_t n = 0, i = 0;
	const char **xs, *key;
	double *y, *cnt;
	char title[64];
	json_t *g;

	/* "(no time)" is no point in time. */
	json_object_foreach (per, key, g)
		n += key[0] != '(';
	if (n == 0) {
		lp_buf_adds(b, "<p class=\"note\">No record has a time.</p>\n");
		return;
	}
	xs = lp_xmalloc(sizeof(*xs) * (n + 1));
	y = lp_xmalloc(sizeof(*y) * 2 * (n + 1));
	cnt = lp_xmalloc(sizeof(*cnt) * 2 * (n + 1));
	/* Keys are dates or ISO weeks, sorted: time's order. */
	json_object_foreach (per, key, g) {
		json_t *a = lp_kpi_get(g, "agreement.percent"),
		       *gd = lp_kpi_get(g, "gold.accuracy");

		if (key[0] == '(')
			continue;
		xs[i] = key;
		y[i] = json_is_number(a) ? json_number_value(a) : NAN;
		y[n + i] = json_is_number(gd) ? json_number_value(gd) : NAN;
		cnt[i] =
		    (double)json_integer_value(json_object_get(g, "records"));
		cnt[n + i++] =
		    (double)json_integer_value(json_object_get(g, "labelled"));
	}
	snprintf(
	    title, sizeof(title), "Agreement and gold accuracy per %s", unit);
	lp_chart_lines(b, title, xs, n, names, y, 2);
	snprintf(title, sizeof(title), "Throughput: records per %s", unit);
	lp_chart_lines(b, title, xs, n, counted, cnt, 2);
	free(xs);
	free(y);
	free(cnt);
}

/* Agreement and gold accuracy, and records, per day or week. */
static void
trends(struct lp_buf *b, json_t *m)
{
	json_t *over = json_object_get(m, "over"), *per;
	const char *unit;

	json_object_foreach (over, unit, per)
		trend(b, unit, per);
	if (over == NULL)
		lp_buf_adds(b,
		    "<p class=\"note\">Trends over time: run with --over day "
		    "or --over week.</p>\n");
}

static void
gates_table(struct lp_buf *b, json_t *gs)
{
	json_t *p;
	size_t i;

	if (json_array_size(gs) == 0)
		return;
	lp_buf_adds(b,
	    "<h2>Quality gates</h2>\n<table><tr><th>metric</th><th>result"
	    "</th><th>rule</th><th>value</th></tr>\n");
	json_array_foreach (gs, i, p) {
		json_t *pass = json_object_get(p, "pass");

		lp_buf_adds(b, "<tr><td>");
		lp_html_escape(
		    b, json_string_value(json_object_get(p, "metric")));
		lp_buf_addf(b, "</td><td class=\"%s\">%s</td><td>",
		    json_is_null(pass)	     ? "skip"
			: json_is_true(pass) ? "pass"
					     : "fail",
		    json_is_null(pass)	     ? "skipped"
			: json_is_true(pass) ? "pass"
					     : "FAIL");
		lp_html_escape(b, json_string_value(json_object_get(p, "op")));
		lp_buf_addf(b, " %g</td><td class=\"n\">",
		    json_number_value(json_object_get(p, "threshold")));
		figure(b, json_object_get(p, "value"));
		lp_buf_adds(b, "</td></tr>\n");
	}
	lp_buf_adds(b, "</table>\n");
}

/* The class balance: the rating histogram, then each other balance. */
static void
balance(struct lp_buf *b, json_t *bal)
{
	static const struct bars plain = {NULL, 1, 0, "", NULL};
	const char *key;
	json_t *v;

	lp_buf_adds(b, "<h2>Class balance</h2>\n");
	chart_of(b, json_object_get(bal, "rating.score"),
	    "Rating histogram (rating.score)", &plain);
	json_object_foreach (bal, key, v) {
		char title[160];

		if (strcmp(key, "rating.score") == 0)
			continue;
		snprintf(title, sizeof(title), "Class balance: %s", key);
		chart_of(b, v, title, &plain);
	}
	if (json_object_size(bal) == 0)
		lp_buf_adds(b,
		    "<p class=\"note\">No labels, ratings or --field values."
		    "</p>\n");
}

/* Gold accuracy, throughput and latency per annotator and stage. */
static void
people_and_stages(struct lp_buf *b, json_t *m)
{
	static const struct bars gold = {NULL, 1, 1.0, "", NULL},
				 rate = {"per_hour", 1, 0, "", NULL},
				 lat = {"p50", 0, 0, " ms", "p95"};

	lp_buf_adds(b, "<h2>Gold accuracy and throughput</h2>\n");
	chart_of(b, lp_kpi_get(m, "gold.by_annotator"),
	    "Gold accuracy per annotator", &gold);
	chart_of(b, json_object_get(m, "throughput"),
	    "Throughput per annotator (labels per hour)", &rate);
	lp_buf_adds(b, "<h2>Latency per stage</h2>\n");
	/* Stages in the order records pass them. */
	chart_of(b, json_object_get(m, "latency_ms"),
	    "Latency per stage, p50 (dark) and p95 (light)", &lat);
}

/*
 * Each stage's wall time, records per second and peak memory, from the
 * --run-stats files; one row a line, marked class "run" (the figures
 * vary between runs, and a comparison of two builds can pass them over).
 */
static void
runs_table(struct lp_buf *b, json_t *runs)
{
	json_t *r, *v;
	const char *tool;

	if (json_object_size(runs) == 0)
		return;
	lp_buf_adds(b,
	    "<h2>Stages</h2>\n<table><tr><th>stage</th><th>wall s</th>"
	    "<th>records/s</th><th>peak MB</th></tr>\n");
	json_object_foreach (runs, tool, r) {
		lp_buf_adds(b, "<tr class=\"run\"><td>");
		lp_html_escape(b, tool);
		v = json_object_get(r, "wall_s");
		lp_buf_addf(
		    b, "</td><td class=\"n\">%.3f</td>", json_number_value(v));
		v = json_object_get(r, "records_per_s");
		lp_buf_addf(
		    b, "<td class=\"n\">%.0f</td>", json_number_value(v));
		v = json_object_get(r, "max_rss_kb");
		lp_buf_addf(b, "<td class=\"n\">%.1f</td></tr>\n",
		    (double)json_integer_value(v) / 1024);
	}
	lp_buf_adds(b, "</table>\n");
}

void
lp_html_report(struct lp_buf *b, json_t *m, json_t *gs)
{
	json_t *v;
	const char *key;
	long long nrec =
	    (long long)json_integer_value(json_object_get(m, "records"));

	lp_buf_addf(b,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>Dataset quality: %lld records</title><style>%s</style>"
	    "</head>\n<body>\n<h1>Dataset quality</h1>\n<p>%lld records, %lld "
	    "labelled.</p>\n",
	    nrec, html_style, nrec,
	    (long long)json_integer_value(json_object_get(m, "labelled")));
	gates_table(b, gs);
	lp_buf_adds(b,
	    "<h2>Completeness</h2>\n<table><tr><th>field</th>"
	    "<th>share</th></tr>\n");
	json_object_foreach (json_object_get(m, "completeness"), key, v)
		row(b, key, v);
	lp_buf_adds(b,
	    "</table>\n<h2>Agreement</h2>\n<table><tr><th>measure"
	    "</th><th>value</th></tr>\n");
	lp_report_agreement_rows(b, m, row);
	lp_buf_adds(b, "</table>\n");
	kappa_heat(b, json_object_get(m, "agreement"));
	balance(b, json_object_get(m, "balance"));
	people_and_stages(b, m);
	runs_table(b, json_object_get(m, "runs"));
	lp_buf_adds(b, "<h2>Over time</h2>\n");
	trends(b, m);
	lp_buf_adds(b, "</body></html>\n");
}
