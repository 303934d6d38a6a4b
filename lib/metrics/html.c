#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/status.h"
#include "metrics/chart.h"
#include "metrics/html.h"
#include "metrics/kpi.h"

/* What the renderers take from struct lp_html_info, made ready. */
struct ctx {
	long long at;
	json_t *versions, *evidence, *class_names; /* or NULL */
};

/* Rows of a table of items at most (the engine may keep more). */
#define ITEM_ROWS 50
/* Annotators drawn in a chart of lines at most (the palette's colours). */
#define MAX_SERIES 8

/*
 * The banner's colours are the pixel test's too (tests/cli/lp-kpi-html.sh
 * looks for them at the top of a screenshot).
 */
static const char html_style[] =
    "*{box-sizing:border-box}body{font-family:system-ui,sans-serif;"
    "max-width:64em;margin:0 auto;padding:0 1em 2em;color:#222;"
    "line-height:1.4}h2{margin-top:1.8em;border-bottom:1px solid #ddd}"
    ".banner{margin:0 -1em 1em;padding:0.8em 1em;color:#fff}"
    ".banner.v-pass{background:#1a7f37}.banner.v-fail{background:#cf222e}"
    ".banner.v-none{background:#57606a}.banner a{color:#fff}"
    ".verdict{font-size:2em;font-weight:bold;margin:0}"
    ".banner ul{margin:0.3em 0;padding-left:1.2em}.meta{margin:0.3em 0;"
    "opacity:0.95}.cards{display:grid;grid-template-columns:repeat("
    "auto-fit,minmax(11em,1fr));gap:0.7em}.card{border:1px solid #ddd;"
    "border-radius:6px;padding:0.5em 0.7em}.card .v{font-size:1.6em;"
    "font-weight:bold}.card .ci{color:#555;font-size:0.85em}"
    ".scroll{overflow-x:auto;"
    "max-width:100%}table{border-collapse:collapse;margin:0.5em 0 1.5em}"
    "td,th{border-bottom:1px solid #ddd;padding:0.2em 0.6em;"
    "text-align:left;vertical-align:top;overflow-wrap:break-word}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}.pass{color:#1a7f37}.fail{color:#cf222e;"
    "font-weight:bold}.skip{color:#777}.banner .fail,.banner .pass{"
    "color:#fff}svg{display:block;width:100%;height:auto;max-width:36em;"
    "margin:0.5em 0 1.5em}.grid{display:grid;grid-template-columns:"
    "repeat(auto-fill,minmax(18em,1fr));gap:0 1em}p.note{color:#555}nav "
    "a{margin-right:0.8em}"
    "@media print{.scroll{overflow:visible}}"
    /* On a narrow screen each item is a block of named lines. */
    "@media (max-width:40em){table.items,table.items tbody,table.items tr,"
    "table.items td{display:block}table.items tr:first-child{display:none}"
    "table.items tr{border-bottom:2px solid #ddd;padding:0.3em 0}"
    "table.items td{border:0;padding:0.1em 0.3em}table.items td:empty{"
    "display:none}table.items td::before{content:attr(data-k);color:#666;"
    "display:inline-block;min-width:6.5em;vertical-align:top}"
    "table.items td>span{display:inline-block}}";

/* A number as a percentage with one decimal, or "n/a". */
static void
pct(struct lp_buf *b, json_t *v)
{
	if (json_is_number(v))
		lp_buf_addf(b, "%.1f%%", 100 * json_number_value(v));
	else
		lp_buf_adds(b, "n/a");
}

/* A coefficient (kappa, alpha) with three decimals, a message, or n/a. */
static void
coef(struct lp_buf *b, json_t *v)
{
	if (json_is_number(v))
		lp_buf_addf(b, "%.3f", json_number_value(v));
	else
		lp_html_escape(
		    b, json_is_string(v) ? json_string_value(v) : "n/a");
}

/* Whether a figure's path names a share (shown as a percentage). */
static int
is_share(const char *path)
{
	return strstr(path, "percent") != NULL ||
	    strstr(path, "accuracy") != NULL || strstr(path, "rate") != NULL ||
	    strstr(path, "completeness") != NULL;
}

/* A figure of path, as a share or a coefficient. */
static void
figure(struct lp_buf *b, const char *path, json_t *v)
{
	if (is_share(path) && json_is_number(v))
		pct(b, v);
	else
		coef(b, v);
}

/*
 * The section a figure's path is explained by: the items behind it, or
 * its table.  Every anchor named here is on every page.
 */
static const char *
anchor_of(const char *path)
{
	if (strstr(path, "gold") != NULL)
		return "gold-misses";
	if (strstr(path, "judge") != NULL)
		return "judge-misses";
	if (strstr(path, "agreement") != NULL || strstr(path, "kappa") ||
	    strstr(path, "alpha") != NULL)
		return "disputed";
	if (strstr(path, "reject") != NULL || strstr(path, "runs") != NULL)
		return "stages";
	if (strstr(path, "drift") != NULL)
		return "drift";
	if (strstr(path, "completeness") != NULL)
		return "completeness";
	return "gates";
}

/*
 * A class by its taxonomy name and value, "correct (4)"; by its name
 * alone when that is its value ("accept" for "\"accept\""); else as it is.
 */
static void
class_label(struct lp_buf *b, const struct ctx *info, const char *cls)
{
	json_t *names = info ? info->class_names : NULL, *n;
	char quoted[256];
	const char *name;

	n = json_object_get(names, cls);
	if (n == NULL) {
		/* A balance names a string class by its text. */
		snprintf(quoted, sizeof(quoted), "\"%s\"", cls);
		n = json_object_get(names, quoted);
	}
	if (!json_is_string(n)) {
		lp_buf_adds(b, cls);
		return;
	}
	name = json_string_value(n);
	snprintf(quoted, sizeof(quoted), "\"%s\"", name);
	if (strcmp(cls, name) == 0 || strcmp(cls, quoted) == 0)
		lp_buf_adds(b, name);
	else
		lp_buf_addf(b, "%s (%s)", name, cls);
}

/* The 95% Wilson interval of a share p of n, as "95% CI lo–hi%". */
static void
wilson(struct lp_buf *b, double p, long long n)
{
	const double z = 1.959964;
	double d, c, h;

	if (n <= 0)
		return;
	d = 1 + z * z / (double)n;
	c = (p + z * z / (2.0 * (double)n)) / d;
	h = z * sqrt(p * (1 - p) / (double)n + z * z / (4.0 * n * n)) / d;
	lp_buf_addf(b, "95%% CI %.1f–%.1f%%", 100 * fmax(0, c - h),
	    100 * fmin(1, c + h));
}

/* Each gate's state: 1 pass, 0 fail, -1 skipped. */
static int
gate_state(json_t *g)
{
	json_t *pass = json_object_get(g, "pass");

	return json_is_null(pass) ? -1 : json_is_true(pass);
}

/* A gate's state as a CSS class and as a word: the two go together. */
static const char *
gate_class(json_t *g)
{
	return gate_state(g) < 0 ? "skip" : gate_state(g) ? "pass" : "fail";
}

static const char *
gate_word(json_t *g)
{
	return gate_state(g) < 0 ? "skipped" : gate_state(g) ? "pass" : "FAIL";
}

/* A gate as a line of the banner: its metric, rule and value. */
static void
gate_line(struct lp_buf *b, json_t *g)
{
	const char *metric = json_string_value(json_object_get(g, "metric"));

	if (metric == NULL)
		metric = "?";
	lp_buf_addf(b, "<li><a href=\"#%s\">", anchor_of(metric));
	lp_html_escape(b, metric);
	lp_buf_adds(b, "</a> ");
	figure(b, metric, json_object_get(g, "value"));
	lp_buf_addf(b, ", wants ");
	lp_html_escape(b, json_string_value(json_object_get(g, "op")));
	lp_buf_adds(b, " ");
	figure(b, metric, json_object_get(g, "threshold"));
	lp_buf_addf(
	    b, ": <b class=\"%s\">%s</b></li>\n", gate_class(g), gate_word(g));
}

/* Versions and time, a line of the banner. */
static void
meta_line(struct lp_buf *b, const struct ctx *info)
{
	static const char *const keys[] = {"dataset_version",
	    "pipeline_version", "taxonomy_version", "guidelines_version"},
				 *says[] = {"dataset", "pipeline", "taxonomy",
				     "guidelines"};
	json_t *vs = info ? info->versions : NULL, *a, *v;
	size_t k, i;

	lp_buf_adds(b, "<p class=\"meta\">");
	for (k = 0; k < 4; k++) {
		lp_buf_addf(b, "%s%s <b>", k ? " · " : "", says[k]);
		a = json_object_get(vs, keys[k]);
		json_array_foreach (a, i, v) {
			lp_buf_adds(b, i ? ", " : "");
			lp_html_escape(b, json_string_value(v));
		}
		lp_buf_adds(b, json_array_size(a) ? "</b>" : "unknown</b>");
	}
	if (info != NULL && info->at >= 0) {
		time_t t = (time_t)info->at;
		struct tm tm;
		char when[40];

		if (gmtime_r(&t, &tm) != NULL &&
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm))
			lp_buf_addf(b, " · measured <b>%s</b>", when);
	}
	lp_buf_adds(b, "</p>\n");
}

/* The verdict: PASS or FAIL, failing gates first, then the others. */
static void
banner(struct lp_buf *b, json_t *gs, const struct ctx *info)
{
	size_t i, n = json_array_size(gs), failed = 0, skipped = 0;
	json_t *g;
	int pass;

	json_array_foreach (gs, i, g) {
		failed += gate_state(g) == 0;
		skipped += gate_state(g) < 0;
	}
	lp_buf_addf(b, "<header class=\"banner %s\" id=\"verdict\">",
	    n == 0	 ? "v-none"
		: failed ? "v-fail"
			 : "v-pass");
	if (n == 0)
		lp_buf_adds(b,
		    "<p class=\"verdict\">NO GATES</p><p>No quality "
		    "gate was checked.</p>\n");
	else
		lp_buf_addf(b,
		    "<p class=\"verdict\">%s</p><p>%zu of %zu gates failed"
		    "%s</p>\n<ul>\n",
		    failed ? "FAIL" : "PASS", failed, n,
		    skipped ? " (some could not be measured: skipped)" : "");
	for (pass = 0; pass <= 1 && n > 0; pass++)
		json_array_foreach (gs, i, g)
			if ((gate_state(g) == 0) != pass)
				gate_line(b, g);
	if (n > 0)
		lp_buf_adds(b, "</ul>\n");
	meta_line(b, info);
	lp_buf_adds(b, "</header>\n");
}

/* A headline card: a figure, its interval, a link to what is behind it. */
static void
card(struct lp_buf *b, const char *title, const char *path, json_t *v,
    const char *ci, const char *href)
{
	lp_buf_adds(b, "<div class=\"card\"><div>");
	lp_html_escape(b, title);
	lp_buf_adds(b, "</div><div class=\"v\">");
	if (href != NULL)
		lp_buf_addf(b, "<a href=\"#%s\">", href);
	figure(b, path, v);
	lp_buf_adds(b, href != NULL ? "</a>" : "");
	lp_buf_adds(b, "</div><div class=\"ci\">");
	lp_buf_adds(b, ci != NULL ? ci : "");
	lp_buf_adds(b, "</div></div>\n");
}

/* "95% CI a–b" of a bootstrap interval [lo, hi], into out. */
static const char *
boot_ci(json_t *iv, char *out, size_t n)
{
	json_t *lo = json_array_get(iv, 0), *hi = json_array_get(iv, 1);

	if (!json_is_number(lo) || !json_is_number(hi))
		return "no interval (--bootstrap 0)";
	snprintf(out, n, "95%% CI %.3f–%.3f (bootstrap)", json_number_value(lo),
	    json_number_value(hi));
	return out;
}

/* The headline figures. */
static void
headline(struct lp_buf *b, json_t *m)
{
	struct lp_buf ci = LP_BUF_INIT;
	json_t *ag = json_object_get(m, "agreement"),
	       *gold = json_object_get(m, "gold");
	char alpha_ci[80];
	long long n;

	lp_buf_addf(b,
	    "<h2 id=\"headline\">Headline</h2>\n<p>%lld records, %lld "
	    "labelled.</p>\n<div class=\"cards\">\n",
	    (long long)json_integer_value(json_object_get(m, "records")),
	    (long long)json_integer_value(json_object_get(m, "labelled")));
	n = (long long)json_integer_value(json_object_get(ag, "items"));
	if (json_is_number(json_object_get(ag, "percent")))
		wilson(
		    &ci, json_number_value(json_object_get(ag, "percent")), n);
	lp_buf_addc(&ci, '\0');
	card(b, "Agreement (items alike)", "agreement.percent",
	    json_object_get(ag, "percent"), ci.p, "disputed");
	card(b, "Krippendorff's alpha (ordinal)", "agreement.kripp_alpha",
	    lp_kpi_get(ag, "kripp_alpha.ordinal"),
	    boot_ci(json_object_get(ag, "kripp_alpha_ordinal_ci95"), alpha_ci,
		sizeof(alpha_ci)),
	    "disputed");
	lp_buf_reset(&ci);
	n = (long long)json_integer_value(
	    json_object_get(gold, "items_labelled"));
	if (json_is_number(json_object_get(gold, "accuracy")))
		wilson(&ci,
		    json_number_value(json_object_get(gold, "accuracy")), n);
	lp_buf_addc(&ci, '\0');
	card(b, "Gold accuracy", "gold.accuracy",
	    json_object_get(gold, "accuracy"), ci.p, "gold-misses");
	card(b, "Judge vs people (kappa)", "judge.kappa_vs_humans",
	    lp_kpi_get(m, "judge.kappa_vs_humans"), NULL, "judge-misses");
	if (json_object_get(m, "rejects") != NULL)
		card(b, "Reject rate", "rejects.rate",
		    lp_kpi_get(m, "rejects.rate"), NULL, "stages");
	lp_buf_adds(b, "</div>\n");
	lp_buf_release(&ci);
}

static void
gates_table(struct lp_buf *b, json_t *gs)
{
	json_t *p;
	size_t i;

	lp_buf_adds(b, "<h2 id=\"gates\">Quality gates</h2>\n");
	if (json_array_size(gs) == 0) {
		lp_buf_adds(b, "<p class=\"note\">No gates checked.</p>\n");
		return;
	}
	lp_buf_adds(b,
	    "<div class=\"scroll\"><table><tr><th>metric</th><th>result"
	    "</th><th>rule</th><th>value</th></tr>\n");
	json_array_foreach (gs, i, p) {
		const char *metric =
		    json_string_value(json_object_get(p, "metric"));

		lp_buf_adds(b, "<tr><td>");
		lp_html_escape(b, metric ? metric : "?");
		lp_buf_addf(b, "</td><td class=\"%s\">%s</td><td>",
		    gate_class(p), gate_word(p));
		lp_html_escape(b, json_string_value(json_object_get(p, "op")));
		lp_buf_addf(b, " %g</td><td class=\"n\">",
		    json_number_value(json_object_get(p, "threshold")));
		figure(b, metric ? metric : "", json_object_get(p, "value"));
		lp_buf_adds(b, "</td></tr>\n");
	}
	lp_buf_adds(b, "</table></div>\n");
}

/* A row of a two-column table: a label and a figure of path. */
static void
row(struct lp_buf *b, const char *label, const char *path, json_t *v,
    const char *ci)
{
	lp_buf_adds(b, "<tr><td>");
	lp_html_escape(b, label);
	lp_buf_adds(b, "</td><td class=\"n\">");
	figure(b, path, v);
	lp_buf_addf(b, "</td><td>%s</td></tr>\n", ci ? ci : "");
}

static void
completeness(struct lp_buf *b, json_t *m)
{
	const char *key;
	json_t *v;

	lp_buf_adds(b,
	    "<h2 id=\"completeness\">Completeness</h2>\n<div class=\"scroll\">"
	    "<table><tr><th>field</th><th>present</th><th></th></tr>\n");
	json_object_foreach (json_object_get(m, "completeness"), key, v)
		row(b, key, "completeness", v, NULL);
	lp_buf_adds(b, "</table></div>\n");
}

/* The agreement measures, each with its interval where there is one. */
static void
agreement_table(struct lp_buf *b, json_t *m)
{
	json_t *ag = json_object_get(m, "agreement"), *p;
	char ci[80], label[160];
	size_t i;

	lp_buf_adds(b,
	    "<div class=\"scroll\"><table><tr><th>measure</th><th>value</th>"
	    "<th>interval</th></tr>\n");
	if (json_object_get(ag, "undefined") != NULL)
		row(b, "agreement", "", json_object_get(ag, "undefined"), NULL);
	else {
		row(b, "items alike (percent)", "percent",
		    json_object_get(ag, "percent"), NULL);
		row(b, "Fleiss' kappa", "", json_object_get(ag, "fleiss_kappa"),
		    NULL);
		row(b, "Krippendorff's alpha, ordinal", "",
		    lp_kpi_get(ag, "kripp_alpha.ordinal"),
		    boot_ci(json_object_get(ag, "kripp_alpha_ordinal_ci95"), ci,
			sizeof(ci)));
		row(b, "Krippendorff's alpha, nominal", "",
		    lp_kpi_get(ag, "kripp_alpha.nominal"),
		    boot_ci(json_object_get(ag, "kripp_alpha_nominal_ci95"), ci,
			sizeof(ci)));
		row(b, "Gwet's AC1", "", json_object_get(ag, "gwet_ac1"), NULL);
		json_array_foreach (json_object_get(ag, "pairs"), i, p) {
			snprintf(label, sizeof(label),
			    "Cohen's kappa, %s and %s",
			    json_string_value(json_object_get(p, "a")),
			    json_string_value(json_object_get(p, "b")));
			row(b, label, "", json_object_get(p, "kappa"), NULL);
		}
	}
	row(b, "judge kappa vs humans", "",
	    lp_kpi_get(m, "judge.kappa_vs_humans"), NULL);
	lp_buf_adds(b, "</table></div>\n");
}

/* The class names of the agreement section, by the taxonomy. */
static const char **
class_names(json_t *classes, const struct ctx *info, struct lp_buf *store)
{
	size_t n = json_array_size(classes), i, *at;
	const char **out = lp_xmalloc(sizeof(*out) * (n + 1));
	json_t *c;

	at = lp_xmalloc(sizeof(*at) * (n + 1));
	lp_buf_reset(store);
	json_array_foreach (classes, i, c) {
		at[i] = store->len;
		class_label(store, info, json_string_value(c));
		lp_buf_addc(store, '\0');
	}
	/* The store is complete: its bytes do not move any more. */
	for (i = 0; i < n; i++)
		out[i] = store->p + at[i];
	free(at);
	return out;
}

/* Each class's kappa (one against the rest), the mean over the pairs. */
static void
per_class(struct lp_buf *b, json_t *ag, const char **names)
{
	json_t *classes = json_object_get(ag, "classes"), *p;
	size_t n = json_array_size(classes), i, j;
	double *sum = calloc(n + 1, sizeof(double)),
	       *cnt = calloc(n + 1, sizeof(double));

	if (sum == NULL || cnt == NULL)
		abort();
	json_array_foreach (json_object_get(ag, "pairs"), j, p) {
		json_t *pc = json_object_get(p, "kappa_per_class"), *v;

		for (i = 0; i < n; i++) {
			v = json_object_get(
			    pc, json_string_value(json_array_get(classes, i)));
			if (json_is_number(v)) {
				sum[i] += json_number_value(v);
				cnt[i]++;
			}
		}
	}
	for (i = 0; i < n; i++)
		sum[i] = cnt[i] > 0 ? sum[i] / cnt[i] : NAN;
	if (n > 0)
		lp_chart_bars(b,
		    "Agreement per class (kappa, one class against the rest)",
		    names, sum, NULL, n, 1.0, "");
	free(sum);
	free(cnt);
}

/* The confusion matrix of every annotator pair. */
static void
confusions(struct lp_buf *b, json_t *ag, const char **names)
{
	size_t nc = json_array_size(json_object_get(ag, "classes")), i, r, c;
	long long *v = lp_xmalloc(sizeof(*v) * (nc * nc + 1));
	const char **cols = lp_xmalloc(sizeof(*cols) * (nc + 1));
	char title[200];
	json_t *p;

	for (r = 0; r < nc; r++)
		cols[r] = json_string_value(
		    json_array_get(json_object_get(ag, "classes"), r));
	/* Side by side where the page is wide enough, else one a row. */
	lp_buf_adds(b, "<div class=\"grid\">\n");
	json_array_foreach (json_object_get(ag, "pairs"), i, p) {
		json_t *cm = json_object_get(p, "confusion");

		for (r = 0; r < nc; r++)
			for (c = 0; c < nc; c++)
				v[r * nc + c] = json_integer_value(
				    json_array_get(json_array_get(cm, r), c));
		snprintf(title, sizeof(title),
		    "Confusion: %s (rows) × %s (cols)",
		    json_string_value(json_object_get(p, "a")),
		    json_string_value(json_object_get(p, "b")));
		/* Columns by value, rows by name and value: they fit. */
		if (nc > 0)
			lp_chart_counts(b, title, names, cols, v, nc, nc);
	}
	lp_buf_adds(b, "</div>\n");
	free(cols);
	free(v);
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

static void
agreement(struct lp_buf *b, json_t *m, const struct ctx *info)
{
	json_t *ag = json_object_get(m, "agreement");
	struct lp_buf store = LP_BUF_INIT;
	const char **names;

	lp_buf_adds(b,
	    "<h2 id=\"agreement\">Agreement</h2>\n<p>Items the "
	    "annotators disagree on are listed under <a href=\""
	    "#disputed\">disputed items</a>.</p>\n");
	agreement_table(b, m);
	names = class_names(json_object_get(ag, "classes"), info, &store);
	per_class(b, ag, names);
	kappa_heat(b, ag);
	confusions(b, ag, names);
	free(names);
	lp_buf_release(&store);
}

struct named {
	const char *name;
	double v, back;
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

/* How chart_of() draws: a member (or the values), sorted or not. */
struct bars {
	const char *member; /* NULL: the object's values themselves */
	int sorted;
	double vmax, scale; /* scale: values are drawn times it */
	const char *unit;
	const char *back_member; /* drawn lighter behind, or NULL */
	int classes;		 /* the keys are classes: name them */
};

/* A number of x (its member, or itself) times scale, or NAN. */
static double
number_of(json_t *x, const char *member, double scale)
{
	json_t *y = member ? lp_kpi_get(x, member) : x;

	return json_is_number(y) ? json_number_value(y) * scale : NAN;
}

/* The members of obj as bars. */
static void
chart_of(struct lp_buf *b, json_t *obj, const char *title,
    const struct bars *how, const struct ctx *info)
{
	size_t n = json_object_size(obj), i = 0, *at;
	struct named *e = lp_xmalloc(sizeof(*e) * (n + 1));
	const char **names = lp_xmalloc(sizeof(*names) * (n + 1));
	double *v = lp_xmalloc(sizeof(*v) * (n + 1)),
	       *back = lp_xmalloc(sizeof(*back) * (n + 1));
	struct lp_buf store = LP_BUF_INIT;
	const char *key;
	json_t *x;

	json_object_foreach (obj, key, x) {
		e[i].name = key;
		e[i].v = number_of(x, how->member, how->scale);
		e[i++].back = how->back_member
		    ? number_of(x, how->back_member, how->scale)
		    : NAN;
	}
	if (how->sorted)
		qsort(e, n, sizeof(*e), cmp_named);
	at = lp_xmalloc(sizeof(*at) * (n + 1));
	for (i = 0; i < n; i++) {
		at[i] = store.len;
		if (how->classes)
			class_label(&store, info, e[i].name);
		else
			lp_buf_adds(&store, e[i].name);
		lp_buf_addc(&store, '\0');
		v[i] = e[i].v;
		back[i] = e[i].back;
	}
	for (i = 0; i < n; i++)
		names[i] = store.p + at[i];
	if (n > 0)
		lp_chart_bars(b, title, names, v,
		    how->back_member ? back : NULL, n, how->vmax, how->unit);
	free(at);
	free(e);
	free(names);
	free(v);
	free(back);
	lp_buf_release(&store);
}

/* The class balance: the rating histogram, then each other balance. */
static void
balance(struct lp_buf *b, json_t *bal, const struct ctx *info)
{
	static const struct bars plain = {NULL, 1, 0, 1, "", NULL, 1};
	const char *key;
	json_t *v;

	lp_buf_adds(b, "<h2 id=\"balance\">Class balance</h2>\n");
	chart_of(b, json_object_get(bal, "rating.score"),
	    "Rating histogram (rating.score)", &plain, info);
	json_object_foreach (bal, key, v) {
		char title[160];

		if (strcmp(key, "rating.score") == 0)
			continue;
		snprintf(title, sizeof(title), "Class balance: %s", key);
		chart_of(b, v, title, &plain, info);
	}
	if (json_object_size(bal) == 0)
		lp_buf_adds(b,
		    "<p class=\"note\">No labels, ratings or --field values."
		    "</p>\n");
}

/* Gold accuracy per annotator, and the judge's calibration. */
static void
gold_and_judge(struct lp_buf *b, json_t *m, const struct ctx *info)
{
	static const struct bars gold = {NULL, 1, 100, 100, "%", NULL, 0};
	json_t *cal = lp_kpi_get(m, "judge.calibration"), *c;
	size_t n = json_array_size(cal), i;
	double *from = lp_xmalloc(sizeof(double) * (n + 1)),
	       *to = lp_xmalloc(sizeof(double) * (n + 1)),
	       *acc = lp_xmalloc(sizeof(double) * (n + 1));
	long long *items = lp_xmalloc(sizeof(long long) * (n + 1));

	lp_buf_adds(b,
	    "<h2 id=\"gold\">Gold accuracy</h2>\n<p>Each miss is "
	    "listed under <a href=\"#gold-misses\">gold misses</a>."
	    "</p>\n");
	chart_of(b, lp_kpi_get(m, "gold.by_annotator"),
	    "Gold accuracy per annotator", &gold, info);
	lp_buf_adds(b,
	    "<h2 id=\"judge\">Judge calibration</h2>\n<p>How often "
	    "the LLM judge agrees with the annotators' majority, "
	    "per tenth of its confidence: a calibrated judge's bars "
	    "reach the diagonal.  Disagreements are listed under <a "
	    "href=\"#judge-misses\">judge misses</a>.</p>\n");
	json_array_foreach (cal, i, c) {
		from[i] = number_of(c, "from", 1);
		to[i] = number_of(c, "to", 1);
		acc[i] = number_of(c, "accuracy", 1);
		items[i] = json_integer_value(json_object_get(c, "items"));
	}
	if (n > 0)
		lp_chart_calibration(b,
		    "Judge calibration: accuracy per confidence bin", from, to,
		    acc, items, n);
	else
		lp_buf_adds(b,
		    "<p class=\"note\">No judged items with "
		    "labels.</p>\n");
	free(from);
	free(to);
	free(acc);
	free(items);
}

/* Throughput per annotator and latency per stage. */
static void
throughput(struct lp_buf *b, json_t *m, const struct ctx *info)
{
	static const struct bars rate = {"per_hour", 1, 0, 1, "", NULL, 0},
				 lat = {"p50", 0, 0, 1, " ms", "p95", 0};

	lp_buf_adds(b, "<h2 id=\"throughput\">Throughput and latency</h2>\n");
	chart_of(b, json_object_get(m, "throughput"),
	    "Throughput per annotator (labels per hour)", &rate, info);
	/* Stages in the order records pass them. */
	chart_of(b, json_object_get(m, "latency_ms"),
	    "Latency per stage, p50 (dark) and p95 (light)", &lat, info);
}

/* The groups of one unit of time, in time's order. */
struct periods {
	const char **xs;
	json_t **g;
	size_t n;
};

/* Lines of paths (times scale) over the periods. */
static void
lines_of(struct lp_buf *b, const char *title, const struct periods *pe,
    const char *const *names, const char *const *paths, size_t ns, double scale)
{
	double *y = lp_xmalloc(sizeof(double) * (ns * pe->n + 1));
	size_t s, i;

	for (s = 0; s < ns; s++)
		for (i = 0; i < pe->n; i++)
			y[s * pe->n + i] = number_of(pe->g[i], paths[s], scale);
	lp_chart_lines(b, title, pe->xs, pe->n, names, y, ns);
	free(y);
}

/* Labels per hour of all annotators in group g, or NAN. */
static double
per_hour(json_t *g)
{
	double labels = 0, hours = 0;
	const char *who;
	json_t *t;

	json_object_foreach (json_object_get(g, "throughput"), who, t) {
		double n = number_of(t, "labels", 1),
		       r = number_of(t, "per_hour", 1);

		if (!isnan(n) && !isnan(r) && r > 0) {
			labels += n;
			hours += n / r;
		}
	}
	return hours > 0 ? labels / hours : NAN;
}

/* Gold accuracy of each annotator (MAX_SERIES at most) per period. */
static void
gold_lines(struct lp_buf *b, const char *title, const struct periods *pe)
{
	const char *names[MAX_SERIES], *who;
	double *y;
	size_t ns = 0, s, i;
	json_t *v;

	for (i = 0; i < pe->n; i++)
		json_object_foreach (
		    lp_kpi_get(pe->g[i], "gold.by_annotator"), who, v) {
			for (s = 0; s < ns && strcmp(names[s], who) != 0; s++)
				;
			if (s == ns && ns < MAX_SERIES)
				names[ns++] = who;
		}
	if (ns == 0)
		return;
	y = lp_xmalloc(sizeof(double) * ns * pe->n);
	for (s = 0; s < ns; s++)
		for (i = 0; i < pe->n; i++)
			y[s * pe->n + i] =
			    number_of(lp_kpi_get(pe->g[i], "gold.by_annotator"),
				names[s], 100);
	lp_chart_lines(b, title, pe->xs, pe->n, names, y, ns);
	free(y);
}

/* The charts of one unit of time: per the groups in per. */
static void
trend(struct lp_buf *b, const char *unit, json_t *per)
{
	static const char *const agn[] = {"agreement", "gold accuracy"},
				 *agp[] = {"agreement.percent",
				     "gold.accuracy"},
				 *kn[] = {"alpha ord.", "alpha nom.",
				     "Fleiss kappa"},
				 *kp[] = {"agreement.kripp_alpha.ordinal",
				     "agreement.kripp_alpha.nominal",
				     "agreement.fleiss_kappa"},
				 *cn[] = {"records", "labelled"},
				 *ln[] = {"p50", "p95"},
				 *lpth[] = {"latency_ms.end_to_end.p50",
				     "latency_ms.end_to_end.p95"},
				 *hn[] = {"labels/hour"};
	struct periods pe = {NULL, NULL, 0};
	size_t n = json_object_size(per), i;
	const char *key;
	char title[96];
	double *y;
	json_t *g;

	pe.xs = lp_xmalloc(sizeof(*pe.xs) * (n + 1));
	pe.g = lp_xmalloc(sizeof(*pe.g) * (n + 1));
	/* Keys are dates or ISO weeks, sorted; "(no time)" is no time. */
	json_object_foreach (per, key, g)
		if (key[0] != '(') {
			pe.xs[pe.n] = key;
			pe.g[pe.n++] = g;
		}
	if (pe.n == 0)
		lp_buf_adds(b, "<p class=\"note\">No record has a time.</p>\n");
	else {
		snprintf(title, sizeof(title),
		    "Agreement and gold accuracy per %s", unit);
		lines_of(b, title, &pe, agn, agp, 2, 1);
		snprintf(title, sizeof(title),
		    "Agreement per %s: alpha and Fleiss' kappa", unit);
		lines_of(b, title, &pe, kn, kp, 3, 1);
		snprintf(title, sizeof(title),
		    "Gold accuracy per annotator per %s (%%)", unit);
		gold_lines(b, title, &pe);
		snprintf(
		    title, sizeof(title), "Throughput: records per %s", unit);
		lines_of(b, title, &pe, cn, cn, 2, 1);
		y = lp_xmalloc(sizeof(double) * pe.n);
		for (i = 0; i < pe.n; i++)
			y[i] = per_hour(pe.g[i]);
		snprintf(title, sizeof(title),
		    "Throughput per %s: samples labelled per hour", unit);
		lp_chart_lines(b, title, pe.xs, pe.n, hn, y, 1);
		free(y);
		snprintf(title, sizeof(title),
		    "End-to-end latency per %s (seconds)", unit);
		lines_of(b, title, &pe, ln, lpth, 2, 1e-3);
	}
	free(pe.xs);
	free(pe.g);
}

/* Agreement, gold accuracy, throughput and latency per day or week. */
static void
trends(struct lp_buf *b, json_t *m)
{
	json_t *over = json_object_get(m, "over"), *per;
	const char *unit;

	lp_buf_adds(b, "<h2 id=\"trends\">Over time</h2>\n");
	json_object_foreach (over, unit, per)
		trend(b, unit, per);
	if (over == NULL)
		lp_buf_adds(b,
		    "<p class=\"note\">Trends over time: run with --over day "
		    "or --over week.</p>\n");
}

/* Drift against the baseline: each balance and key figure, flagged. */
static void
drift(struct lp_buf *b, json_t *m)
{
	json_t *d = json_object_get(m, "drift"), *v;
	const char *key;

	lp_buf_adds(b, "<h2 id=\"drift\">Drift against the baseline</h2>\n");
	if (d == NULL) {
		lp_buf_adds(b,
		    "<p class=\"note\">No baseline: run with "
		    "--baseline an earlier --json report.</p>\n");
		return;
	}
	lp_buf_adds(b,
	    "<div class=\"scroll\"><table><tr><th>what</th>"
	    "<th>baseline → now, or PSI / JS</th><th>flag</th>"
	    "</tr>\n");
	json_object_foreach (d, key, v) {
		int shift = json_is_true(json_object_get(v, "shift"));

		lp_buf_adds(b, "<tr><td>");
		lp_html_escape(b, key);
		lp_buf_adds(b, "</td><td class=\"n\">");
		if (json_object_get(v, "psi") != NULL) {
			lp_buf_adds(b, "PSI ");
			coef(b, json_object_get(v, "psi"));
			lp_buf_adds(b, " / JS ");
			coef(b, json_object_get(v, "js"));
		} else {
			figure(b, key, json_object_get(v, "baseline"));
			lp_buf_adds(b, " → ");
			figure(b, key, json_object_get(v, "now"));
		}
		lp_buf_addf(b, "</td><td class=\"%s\">%s</td></tr>\n",
		    shift ? "fail" : "pass", shift ? "SHIFT" : "ok");
	}
	lp_buf_adds(b,
	    "</table></div>\n<p class=\"note\">A balance shifts "
	    "when PSI passes 0.2 or the JS distance 0.1; a figure "
	    "when it drops by more than 0.05.</p>\n");
}

/*
 * Each stage's wall time, records per second and peak memory, from the
 * --run-stats files; one row a line, marked class "run" (the figures
 * vary between runs, and a comparison of two builds can pass them over).
 * Then the reject rate of each tool.
 */
static void
stages(struct lp_buf *b, json_t *m)
{
	json_t *runs = json_object_get(m, "runs"),
	       *rej = json_object_get(m, "rejects"), *r, *v;
	const char *tool;

	lp_buf_adds(b, "<h2 id=\"stages\">Stages</h2>\n");
	if (json_object_size(runs) == 0) {
		lp_buf_adds(b,
		    "<p class=\"note\">No stage figures: give each "
		    "stage's --stats with --run-stats.</p>\n");
		return;
	}
	lp_buf_adds(b,
	    "<div class=\"scroll\"><table><tr><th>stage</th><th>wall s</th>"
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
	lp_buf_adds(b,
	    "</table></div>\n<div class=\"scroll\"><table><tr><th>"
	    "tool</th><th>in</th><th>rejected</th><th>rate</th>"
	    "</tr>\n");
	json_object_foreach (rej, tool, r) {
		if (!json_is_object(r))
			continue;
		lp_buf_adds(b, "<tr><td>");
		lp_html_escape(b, tool);
		lp_buf_addf(b,
		    "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
		    "<td class=\"n\">",
		    (long long)json_integer_value(json_object_get(r, "in")),
		    (long long)json_integer_value(
			json_object_get(r, "rejected")));
		pct(b, json_object_get(r, "rate"));
		lp_buf_adds(b, "</td></tr>\n");
	}
	lp_buf_adds(b, "</table></div>\n");
}

/* A cell of a class (its JSON text) by name, or empty. */
static void
class_cell(struct lp_buf *b, const char *k, json_t *cls, const struct ctx *info)
{
	struct lp_buf t = LP_BUF_INIT;

	lp_buf_addf(b, "<td data-k=\"%s\">", k);
	if (json_is_string(cls)) {
		class_label(&t, info, json_string_value(cls));
		lp_buf_addc(&t, '\0');
		lp_html_escape(b, t.p);
	}
	lp_buf_adds(b, "</td>");
	lp_buf_release(&t);
}

/* One table of items behind a number, with its anchor id. */
static void
items_table(struct lp_buf *b, const char *id, const char *title,
    const char *about, json_t *list, const struct ctx *info)
{
	json_t *rows = json_object_get(list, "rows"), *r, *l;
	long long n = json_integer_value(json_object_get(list, "items"));
	size_t i, shown = 0;
	const char *who;

	lp_buf_addf(b,
	    "<h3 id=\"%s\">%s: %lld</h3>\n<p class=\"note\">%s"
	    "</p>\n",
	    id, title, n, about);
	if (list == NULL) {
		lp_buf_adds(b, "<p class=\"note\">Not measured.</p>\n");
		return;
	}
	if (n == 0)
		return;
	lp_buf_adds(b,
	    "<div class=\"scroll\"><table class=\"items\"><tr><th>id</th><th>"
	    "labels</th><th>gold</th><th>judge</th><th>"
	    "adjudicated</th><th>notes</th></tr>\n");
	json_array_foreach (rows, i, r) {
		if (i == ITEM_ROWS)
			break;
		lp_buf_adds(b, "<tr><td data-k=\"id\">");
		lp_html_escape(b, json_string_value(json_object_get(r, "id")));
		lp_buf_adds(b, "</td><td data-k=\"labels\"><span>");
		json_object_foreach (json_object_get(r, "labels"), who, l) {
			struct lp_buf t = LP_BUF_INIT;

			class_label(&t, info, json_string_value(l));
			lp_buf_addc(&t, '\0');
			lp_html_escape(b, who);
			lp_buf_adds(b, ": ");
			lp_html_escape(b, t.p);
			lp_buf_adds(b, "<br>");
			lp_buf_release(&t);
		}
		lp_buf_adds(b, "</span></td>");
		class_cell(b, "gold", json_object_get(r, "gold"), info);
		class_cell(b, "judge", json_object_get(r, "judge"), info);
		class_cell(
		    b, "adjudicated", json_object_get(r, "adjudicated"), info);
		lp_buf_adds(b, "<td data-k=\"notes\">");
		if (json_is_string(json_object_get(r, "notes")))
			lp_html_escape(
			    b, json_string_value(json_object_get(r, "notes")));
		lp_buf_adds(b, "</td></tr>\n");
		shown++;
	}
	lp_buf_adds(b, "</table></div>\n");
	if ((long long)shown < n)
		lp_buf_addf(b,
		    "<p class=\"note\">%lld more not shown (the "
		    "first %zu are).</p>\n",
		    n - (long long)shown, shown);
}

/* The items behind the numbers, each list where its figures link. */
static void
evidence(struct lp_buf *b, const struct ctx *info)
{
	json_t *ev = info ? info->evidence : NULL;

	lp_buf_adds(b, "<h2 id=\"items\">Items behind the numbers</h2>\n");
	items_table(b, "disputed", "Disputed items",
	    "Items whose annotators gave different labels: what lowers "
	    "agreement.",
	    json_object_get(ev, "disputed"), info);
	items_table(b, "gold-misses", "Gold misses",
	    "Gold items with a label other than the gold answer: what lowers "
	    "gold accuracy.",
	    json_object_get(ev, "gold_misses"), info);
	items_table(b, "judge-misses", "Judge misses",
	    "Items where the LLM judge's score differs from the annotators' "
	    "majority.",
	    json_object_get(ev, "judge_misses"), info);
}

/* The names of t's classes by their values' canonical JSON. */
static json_t *
class_names_of(const struct lp_taxonomy *t)
{
	json_t *out = json_object();
	struct lp_buf key = LP_BUF_INIT;
	int i;

	for (i = 0; i < t->nlabels; i++) {
		lp_buf_reset(&key);
		lp_json_dump(t->labels[i].value, &key);
		lp_buf_addc(&key, '\0');
		json_object_set_new(out, key.p, json_string(t->labels[i].name));
	}
	lp_buf_release(&key);
	return out;
}

void
lp_html_report(
    struct lp_buf *b, json_t *m, json_t *gs, const struct lp_html_info *in)
{
	struct ctx c = {-1, NULL, NULL, NULL}, *info = &c;
	long long nrec =
	    (long long)json_integer_value(json_object_get(m, "records"));

	if (in != NULL) {
		c.at = in->at;
		c.versions = in->kpi ? lp_kpi_versions(in->kpi) : NULL;
		c.evidence =
		    in->kpi ? lp_kpi_evidence(in->kpi, ITEM_ROWS) : NULL;
		c.class_names = in->tax ? class_names_of(in->tax) : NULL;
	}

	lp_buf_addf(b,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,"
	    "initial-scale=1\"><title>Dataset quality: %lld records</title>"
	    "<style>%s</style></head>\n<body>\n",
	    nrec, html_style);
	banner(b, gs, info);
	lp_buf_adds(b,
	    "<h1>Dataset quality</h1>\n<nav><a href=\"#gates\">"
	    "gates</a> <a href=\"#agreement\">agreement</a> <a "
	    "href=\"#gold\">gold</a> <a href=\"#judge\">judge</a> "
	    "<a href=\"#balance\">balance</a> <a href=\"#trends\">"
	    "over time</a> <a href=\"#drift\">drift</a> <a href=\""
	    "#stages\">stages</a> <a href=\"#items\">items</a>"
	    "</nav>\n");
	headline(b, m);
	gates_table(b, gs);
	completeness(b, m);
	agreement(b, m, info);
	gold_and_judge(b, m, info);
	balance(b, json_object_get(m, "balance"), info);
	throughput(b, m, info);
	trends(b, m);
	drift(b, m);
	stages(b, m);
	evidence(b, info);
	lp_buf_adds(b, "</body></html>\n");
	json_decref(c.versions);
	json_decref(c.evidence);
	json_decref(c.class_names);
}

long long
lp_html_time(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (sde != NULL && *sde != '\0') {
		t = strtoll(sde, &end, 10);
		if (*end == '\0' && t >= 0)
			return t;
	}
	return (long long)time(NULL);
}
