#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "metrics/agree.h"
#include "metrics/chart.h"
#include "metrics/feedback.h"
#include "metrics/kpi.h"
#include "metrics/report.h"

/*
 * The figures are found in two passes: each annotator's own first, then
 * the cohort's (the median of everyone's) written beside them.
 */

/* The median of the n numbers of v that are not NaN (v is sorted). */
static double
median(double *v, size_t n)
{
	size_t i, m = 0, j;

	for (i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[m++] = v[i];
	if (m == 0)
		return NAN;
	for (i = 1; i < m; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
}

/* A figure of the report as a double: NaN for null or absent. */
static double
num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A share of two counts as a figure. */
static json_t *
share(long long right, long long n)
{
	return n > 0 ? lp_kpi_num((double)right / (double)n) : json_null();
}

/* The classes of all labels, numbered for kappa: {json text: index}. */
static int
class_of(json_t *classes, json_t *v)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *i;
	int c;

	lp_json_dump(v, &b);
	if ((i = json_object_get(classes, b.p)) == NULL) {
		i = json_integer((json_int_t)json_object_size(classes));
		json_object_set_new(classes, b.p, i);
	}
	c = (int)json_integer_value(i);
	lp_buf_release(&b);
	return c;
}

/* The section of the guide that defines the label v. */
static void
section(json_t *miss, json_t *v, const struct lp_taxonomy *t)
{
	const struct lp_label_def *d = t ? lp_taxonomy_find(t, v) : NULL;
	const char *gv =
	    t && t->guidelines_version ? t->guidelines_version : "the guide";

	json_object_set_new(miss, "section", json_sprintf("%s, The scale", gv));
	if (d != NULL && d->definition[0] != '\0')
		json_object_set_new(
		    miss, "definition", json_string(d->definition));
}

/* who's agreement with each peer, from the report's pairs. */
static json_t *
peers(json_t *m, const char *who)
{
	json_t *out = json_array(), *p;
	size_t i;

	json_array_foreach (lp_kpi_get(m, "agreement.pairs"), i, p) {
		const char *a = json_string_value(json_object_get(p, "a")),
			   *b = json_string_value(json_object_get(p, "b"));

		if (a == NULL || b == NULL ||
		    (strcmp(a, who) != 0 && strcmp(b, who) != 0))
			continue;
		json_array_append_new(out,
		    json_pack("{s:s,s:O,s:O,s:O}", "peer",
			strcmp(a, who) == 0 ? b : a, "items",
			json_object_get(p, "items"), "percent",
			json_object_get(p, "percent"), "kappa",
			json_object_get(p, "kappa")));
	}
	return out;
}

/* An item's adjudicated (final) label, or NULL. */
static json_t *
final(json_t *it)
{
	json_t *v =
	    json_object_get(json_object_get(it, "adjudication"), "label");

	return v != NULL && !json_is_null(v) ? v : NULL;
}

/* An item the adjudicator settled against who's label. */
static json_t *
overridden(json_t *it, json_t *mine, json_t *fin)
{
	json_t *adj = json_object_get(it, "adjudication"), *x, *v;

	x = json_pack("{s:O,s:O,s:O}", "id", json_object_get(it, "id"), "yours",
	    mine, "final", fin);
	if ((v = json_object_get(it, "title")) != NULL)
		json_object_set(x, "title", v);
	if ((v = json_object_get(adj, "by")) != NULL)
		json_object_set(x, "by", v);
	if ((v = json_object_get(adj, "note")) != NULL)
		json_object_set(x, "note", v);
	return x;
}

/*
 * The reference classes seen, in the taxonomy's order and then in the
 * order first seen: an array of label values.
 */
static json_t *
reference_classes(json_t *items, const struct lp_taxonomy *t)
{
	json_t *seen = json_array(), *out = json_array(), *it, *r, *v;
	size_t i, j;
	int l;

	json_array_foreach (items, i, it) {
		if ((r = lp_items_reference(it)) == NULL)
			continue;
		json_array_foreach (seen, j, v)
			if (json_equal(v, r))
				break;
		if (j == json_array_size(seen))
			json_array_append(seen, r);
	}
	for (l = 0; t != NULL && l < t->nlabels; l++)
		json_array_foreach (seen, j, v)
			if (lp_taxonomy_find(t, v) == &t->labels[l]) {
				json_array_append(out, v);
				json_array_remove(seen, j);
				break;
			}
	json_array_extend(out, seen);
	json_decref(seen);
	return out;
}

/*
 * What one annotator's labels came to, summed in one pass over the items
 * (for every annotator at once: the work grows with the labels, not with
 * labels times annotators).
 */
struct tally {
	long long labels, gold_n, gold_right, adj_agree;
	json_t *misses, *over; /* gold misses, items decided otherwise */
	int *x, *y;	       /* classes of own and final labels, for kappa */
	size_t adj_n, adj_cap; /* x and y grow with what was labelled */
	long long *cls_n, *cls_right; /* by reference class */
};

/* One label v of annotator tl on item it. */
static void
tally_label(struct tally *tl, json_t *it, json_t *v, json_t *classes,
    json_t *refs, const struct lp_taxonomy *t)
{
	json_t *g = json_object_get(it, "gold"), *fin = final(it),
	       *ref = lp_items_reference(it), *x, *c;
	const char *method = json_string_value(
	    json_object_get(json_object_get(it, "adjudication"), "method"));
	size_t r;

	tl->labels++;
	if (g != NULL) {
		tl->gold_n++;
		if (json_equal(g, v))
			tl->gold_right++;
		else {
			x = json_pack("{s:O,s:O,s:O}", "id",
			    json_object_get(it, "id"), "yours", v, "expected",
			    g);
			if (json_object_get(it, "title") != NULL)
				json_object_set(
				    x, "title", json_object_get(it, "title"));
			section(x, g, t);
			json_array_append_new(tl->misses, x);
		}
	}
	if (fin != NULL) {
		if (tl->adj_n == tl->adj_cap) {
			tl->adj_cap = tl->adj_cap ? tl->adj_cap * 2 : 16;
			tl->x = lp_xrealloc(tl->x, sizeof(int) * tl->adj_cap);
			tl->y = lp_xrealloc(tl->y, sizeof(int) * tl->adj_cap);
		}
		tl->x[tl->adj_n] = class_of(classes, v);
		tl->y[tl->adj_n] = class_of(classes, fin);
		if (tl->x[tl->adj_n] == tl->y[tl->adj_n])
			tl->adj_agree++;
		else if (method != NULL && strcmp(method, "adjudicator") == 0)
			json_array_append_new(tl->over, overridden(it, v, fin));
		tl->adj_n++;
	}
	json_array_foreach (refs, r, c)
		if (ref != NULL && json_equal(c, ref)) {
			tl->cls_n[r]++;
			tl->cls_right[r] += json_equal(v, c);
		}
}

/* The figures of tally tl, with the peers and pace from the report. */
static json_t *
tally_figures(struct tally *tl, json_t *classes, json_t *refs)
{
	json_t *cls = json_array(), *c;
	size_t r;

	json_array_foreach (refs, r, c)
		if (tl->cls_n[r] > 0)
			json_array_append_new(cls,
			    json_pack("{s:O,s:I,s:I,s:o}", "class", c, "items",
				(json_int_t)tl->cls_n[r], "right",
				(json_int_t)tl->cls_right[r], "accuracy",
				share(tl->cls_right[r], tl->cls_n[r])));
	return json_pack("{s:I,s:{s:I,s:I,s:o,s:o},s:{s:I,s:I,s:o,s:o,s:o},"
			 "s:o}",
	    "labels", (json_int_t)tl->labels, "gold", "items",
	    (json_int_t)tl->gold_n, "right", (json_int_t)tl->gold_right,
	    "accuracy", share(tl->gold_right, tl->gold_n), "misses", tl->misses,
	    "adjudicated", "items", (json_int_t)tl->adj_n, "agree",
	    (json_int_t)tl->adj_agree, "percent",
	    share(tl->adj_agree, (long long)tl->adj_n), "kappa",
	    lp_kpi_num(tl->adj_n
		    ? lp_cohen_kappa(tl->x, tl->y, tl->adj_n,
			  (int)json_object_size(classes), LP_W_NONE, NULL)
		    : NAN),
	    "overridden", tl->over, "classes", cls);
}

/*
 * The figures of every annotator named in names ({who: index}) from the
 * items, into fb ({who: figures}).
 */
static void
tally_all(json_t *fb, json_t *names, json_t *items, json_t *refs,
    const struct lp_taxonomy *t)
{
	size_t na = json_object_size(names), a, i, j;
	struct tally *tl = calloc(na + 1, sizeof(*tl));
	json_t *classes = json_object(), *it, *l, *v, *k;
	const char *who;

	if (tl == NULL)
		abort();
	for (a = 0; a < na; a++) {
		tl[a].misses = json_array();
		tl[a].over = json_array();
		tl[a].cls_n =
		    calloc(json_array_size(refs) + 1, sizeof(long long));
		tl[a].cls_right =
		    calloc(json_array_size(refs) + 1, sizeof(long long));
		if (tl[a].cls_n == NULL || tl[a].cls_right == NULL)
			abort();
	}
	json_array_foreach (items, i, it)
		json_array_foreach (json_object_get(it, "labels"), j, l) {
			v = json_object_get(l, "label");
			k = json_object_get(names,
			    json_string_value(
				json_object_get(l, "annotator_id")));
			if (v != NULL && !json_is_null(v) && k != NULL)
				tally_label(&tl[json_integer_value(k)], it, v,
				    classes, refs, t);
		}
	json_object_foreach (names, who, k) {
		a = (size_t)json_integer_value(k);
		json_object_set_new(
		    fb, who, tally_figures(&tl[a], classes, refs));
		free(tl[a].x);
		free(tl[a].y);
		free(tl[a].cls_n);
		free(tl[a].cls_right);
	}
	free(tl);
	json_decref(classes);
}

/* The period keys of periods in time order, the last few of them. */
static json_t *
last_periods(json_t *periods)
{
	json_t *keys = json_array(), *v, *out = json_array();
	const char *k;
	size_t i, j, n;

	json_object_foreach (periods, k, v) {
		n = json_array_size(keys);
		for (i = 0; i < n &&
		     strcmp(json_string_value(json_array_get(keys, i)), k) < 0;
		     i++)
			;
		json_array_insert_new(keys, i, json_string(k));
	}
	n = json_array_size(keys);
	for (j = n > LP_FEEDBACK_PERIODS ? n - LP_FEEDBACK_PERIODS : 0; j < n;
	     j++)
		json_array_append(out, json_array_get(keys, j));
	json_decref(keys);
	return out;
}

/* who's pace: overall and over the last periods. */
static json_t *
pace(json_t *m, json_t *periods, json_t *keys, const char *who)
{
	json_t *trend = json_array(), *k;
	size_t i;

	json_array_foreach (keys, i, k) {
		json_t *tp = json_object_get(
		    json_object_get(
			json_object_get(periods, json_string_value(k)),
			"throughput"),
		    who);

		json_array_append_new(trend,
		    json_pack("{s:O,s:O}", "period", k, "per_hour",
			tp ? json_object_get(tp, "per_hour") : json_null()));
	}
	k = json_object_get(json_object_get(m, "throughput"), who);
	return json_pack("{s:O,s:o}", "per_hour",
	    k && json_object_get(k, "per_hour") ? json_object_get(k, "per_hour")
						: json_null(),
	    "trend", trend);
}

/* The median of the figure at path in every annotator's figures. */
static json_t *
cohort(json_t *fb, const char *path)
{
	double *v = lp_xmalloc(sizeof(double) * (json_object_size(fb) + 1));
	const char *who;
	json_t *a, *out;
	size_t n = 0;

	json_object_foreach (fb, who, a)
		v[n++] = num(lp_kpi_get(a, path));
	out = lp_kpi_num(median(v, n));
	free(v);
	return out;
}

/* The median of key over the array at path of every annotator, where
 * member match equals want (NULL: every element). */
static json_t *
cohort_of(json_t *fb, const char *path, const char *match, json_t *want,
    const char *key)
{
	size_t cap = 8, n = 0, i;
	double *v = lp_xmalloc(sizeof(double) * cap);
	const char *who;
	json_t *a, *e, *out;

	json_object_foreach (fb, who, a)
		json_array_foreach (lp_kpi_get(a, path), i, e) {
			if (match != NULL &&
			    !json_equal(json_object_get(e, match), want))
				continue;
			if (n == cap)
				v = lp_xrealloc(v, sizeof(double) * (cap *= 2));
			v[n++] = num(json_object_get(e, key));
		}
	out = lp_kpi_num(median(v, n));
	free(v);
	return out;
}

/* The cohort's figures beside each annotator's. */
static void
add_cohort(json_t *fb, json_t *m)
{
	json_t *ga = cohort(fb, "gold.accuracy"),
	       *aa = cohort(fb, "adjudicated.percent"),
	       *pa = cohort(fb, "pace.per_hour"), *a, *e, *pairs, *pc;
	const char *who;
	size_t i;

	pairs = json_pack("{s:{s:O}}", "x", "p",
	    lp_kpi_get(m, "agreement.pairs") ? lp_kpi_get(m, "agreement.pairs")
					     : json_null());
	pc = json_pack("{s:o,s:o}", "percent",
	    cohort_of(pairs, "p", NULL, NULL, "percent"), "kappa",
	    cohort_of(pairs, "p", NULL, NULL, "kappa"));
	json_object_foreach (fb, who, a) {
		json_object_set(json_object_get(a, "gold"), "cohort", ga);
		json_object_set(
		    json_object_get(a, "adjudicated"), "cohort", aa);
		json_object_set(json_object_get(a, "pace"), "cohort", pa);
		json_object_set(a, "peers_cohort", pc);
		json_array_foreach (json_object_get(a, "classes"), i, e)
			json_object_set_new(e, "cohort",
			    cohort_of(fb, "classes", "class",
				json_object_get(e, "class"), "accuracy"));
		json_array_foreach (lp_kpi_get(a, "pace.trend"), i, e)
			json_object_set_new(e, "cohort",
			    cohort_of(fb, "pace.trend", "period",
				json_object_get(e, "period"), "per_hour"));
	}
	json_decref(ga);
	json_decref(aa);
	json_decref(pa);
	json_decref(pc);
	json_decref(pairs);
}

json_t *
lp_feedback_build(const struct lp_items *s, json_t *m, json_t *periods,
    const struct lp_taxonomy *t)
{
	json_t *items = lp_items_list(s), *fb = json_object(),
	       *names = json_object(), *refs = reference_classes(items, t),
	       *keys = last_periods(periods), *tp, *a;
	const char *who;

	/* The annotators as the report's throughput has them, in order. */
	json_object_foreach (json_object_get(m, "throughput"), who, tp)
		json_object_set_new(names, who,
		    json_integer((json_int_t)json_object_size(names)));
	tally_all(fb, names, items, refs, t);
	json_object_foreach (fb, who, a) {
		json_object_set_new(a, "peers", peers(m, who));
		json_object_set_new(a, "pace", pace(m, periods, keys, who));
	}
	add_cohort(fb, m);
	json_decref(names);
	json_decref(refs);
	json_decref(keys);
	return fb;
}

/*
 * The report is written once, as a document: sections of paragraphs and
 * tables of plain text ({"h", "blocks": [{"p"} | {"head", "rows"}]}),
 * which the Markdown and HTML writers below lay out.
 */

/* The width of a figure's text. */
#define FIG 32

/* A label as people know it: "major errors (2)", else its JSON. */
static json_t *
cname(json_t *v, const struct lp_taxonomy *t)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *out;

	lp_items_label_name(&b, v, t);
	out = json_string(b.p ? b.p : "");
	lp_buf_release(&b);
	return out;
}

/* A share as a percentage, "91.5%"; "n/a" when undefined. */
static const char *
pct(char *buf, json_t *v)
{
	if (!json_is_number(v))
		return "n/a";
	snprintf(buf, FIG, "%.1f%%", json_number_value(v) * 100);
	return buf;
}

/* A kappa with two decimals; "n/a" when undefined. */
static const char *
kap(char *buf, json_t *v)
{
	if (!json_is_number(v))
		return "n/a";
	snprintf(buf, FIG, "%.2f", json_number_value(v));
	return buf;
}

/* A rate of labels an hour, whole; "n/a" when unknown. */
static const char *
rate(char *buf, json_t *v)
{
	if (!json_is_number(v))
		return "n/a";
	snprintf(buf, FIG, "%.0f", json_number_value(v));
	return buf;
}

/* A string member of o as a new string, "" when absent. */
static json_t *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return json_string(s ? s : "");
}

/* A new section titled h; its blocks. */
static json_t *
sect(json_t *doc, const char *h)
{
	json_t *blocks = json_array();

	json_array_append_new(
	    doc, json_pack("{s:s,s:o}", "h", h, "blocks", blocks));
	return blocks;
}

/* A paragraph (text stolen). */
static void
para(json_t *blocks, json_t *text)
{
	json_array_append_new(blocks, json_pack("{s:o}", "p", text));
}

/* A table with the columns of head (stolen) and no rows yet; its rows. */
static json_t *
table(json_t *blocks, json_t *head)
{
	json_t *rows = json_array();

	json_array_append_new(
	    blocks, json_pack("{s:o,s:o}", "head", head, "rows", rows));
	return rows;
}

/* The misses' table, and the definitions of the labels expected. */
static void
doc_misses(json_t *b, json_t *misses, const struct lp_taxonomy *t)
{
	json_t *rows, *x, *defs = json_object(), *e;
	const char *k;
	size_t i;

	para(b,
	    json_string("The gold items you missed, with the answer "
			"expected and the part of the guide that "
			"defines it:"));
	rows = table(b,
	    json_pack("[s,s,s,s,s]", "item", "title", "your label", "expected",
		"guide"));
	json_array_foreach (misses, i, x) {
		e = cname(json_object_get(x, "expected"), t);
		json_array_append_new(rows,
		    json_pack("[o,o,o,O,o]", str(x, "id"), str(x, "title"),
			cname(json_object_get(x, "yours"), t), e,
			str(x, "section")));
		if (json_object_get(x, "definition") != NULL)
			json_object_set_new(
			    defs, json_string_value(e), str(x, "definition"));
		json_decref(e);
	}
	json_object_foreach (defs, k, x)
		para(b, json_sprintf("%s: %s", k, json_string_value(x)));
	json_decref(defs);
}

static void
doc_gold(json_t *doc, json_t *a, const struct lp_taxonomy *t)
{
	json_t *g = json_object_get(a, "gold"), *b = sect(doc, "Gold items");
	long long n = json_integer_value(json_object_get(g, "items"));
	char f1[FIG], f2[FIG];

	if (n == 0) {
		para(b,
		    json_string("None of the items you labelled was a "
				"gold item (an item whose answer is "
				"known), so there is no gold accuracy "
				"to show."));
		return;
	}
	para(b,
	    json_sprintf("You gave the known answer on %lld of the %lld "
			 "gold items you labelled: %s (the team's "
			 "median: %s).",
		(long long)json_integer_value(json_object_get(g, "right")), n,
		pct(f1, json_object_get(g, "accuracy")),
		pct(f2, json_object_get(g, "cohort"))));
	if (json_array_size(json_object_get(g, "misses")) > 0)
		doc_misses(b, json_object_get(g, "misses"), t);
}

static void
doc_peers(json_t *doc, json_t *a)
{
	json_t *b = sect(doc, "Agreement with the other annotators"), *rows, *p,
	       *pc = json_object_get(a, "peers_cohort");
	char f1[FIG], f2[FIG];
	size_t i;

	if (json_array_size(json_object_get(a, "peers")) == 0) {
		para(b,
		    json_string("No other annotator labelled the items you "
				"labelled, so there is no agreement to "
				"show."));
		return;
	}
	para(b,
	    json_string("How often you and each other annotator gave the "
			"same label to the items you both labelled, and "
			"Cohen's kappa (1: always the same; 0: as often "
			"as chance alone would give):"));
	rows = table(
	    b, json_pack("[s,s,s,s]", "with", "items", "same label", "kappa"));
	json_array_foreach (json_object_get(a, "peers"), i, p)
		json_array_append_new(rows,
		    json_pack("[o,o,s,s]", str(p, "peer"),
			json_sprintf("%lld",
			    (long long)json_integer_value(
				json_object_get(p, "items"))),
			pct(f1, json_object_get(p, "percent")),
			kap(f2, json_object_get(p, "kappa"))));
	para(b,
	    json_sprintf("The team's median over every pair of "
			 "annotators: %s the same label, kappa %s.",
		pct(f1, json_object_get(pc, "percent")),
		kap(f2, json_object_get(pc, "kappa"))));
}

static void
doc_final(json_t *doc, json_t *a, const struct lp_taxonomy *t)
{
	json_t *d = json_object_get(a, "adjudicated"), *rows, *x,
	       *b = sect(doc, "Agreement with the final labels");
	long long n = json_integer_value(json_object_get(d, "items"));
	char f1[FIG], f2[FIG], f3[FIG];
	size_t i;

	if (n == 0) {
		para(b,
		    json_string("None of the items you labelled has a "
				"final (adjudicated) label yet."));
		return;
	}
	para(b,
	    json_sprintf("Of the %lld items you labelled that have a "
			 "final label (agreed by all, or decided by the "
			 "adjudicator), yours was the final one on %lld: "
			 "%s, kappa %s (the team's median: %s).",
		n, (long long)json_integer_value(json_object_get(d, "agree")),
		pct(f1, json_object_get(d, "percent")),
		kap(f2, json_object_get(d, "kappa")),
		pct(f3, json_object_get(d, "cohort"))));
	if (json_array_size(json_object_get(d, "overridden")) == 0)
		return;
	para(b,
	    json_string("The items where the adjudicator decided "
			"otherwise than you, with the adjudicator's "
			"note:"));
	rows = table(b,
	    json_pack(
		"[s,s,s,s,s]", "item", "title", "your label", "final", "note"));
	json_array_foreach (json_object_get(d, "overridden"), i, x)
		json_array_append_new(rows,
		    json_pack("[o,o,o,o,o]", str(x, "id"), str(x, "title"),
			cname(json_object_get(x, "yours"), t),
			cname(json_object_get(x, "final"), t), str(x, "note")));
}

static void
doc_classes(json_t *doc, json_t *a, const struct lp_taxonomy *t)
{
	json_t *b = sect(doc, "Your accuracy per class"), *rows, *c;
	char f1[FIG], f2[FIG];
	size_t i;

	if (json_array_size(json_object_get(a, "classes")) == 0) {
		para(b,
		    json_string("None of the items you labelled has a "
				"gold answer or a final label yet."));
		return;
	}
	para(b,
	    json_string("How often you gave the right label, by the right "
			"label (the gold answer, else the final label):"));
	rows = table(b,
	    json_pack("[s,s,s,s,s]", "right label", "items", "you gave it",
		"your accuracy", "team median"));
	json_array_foreach (json_object_get(a, "classes"), i, c)
		json_array_append_new(rows,
		    json_pack("[o,o,o,s,s]",
			cname(json_object_get(c, "class"), t),
			json_sprintf("%lld",
			    (long long)json_integer_value(
				json_object_get(c, "items"))),
			json_sprintf("%lld",
			    (long long)json_integer_value(
				json_object_get(c, "right"))),
			pct(f1, json_object_get(c, "accuracy")),
			pct(f2, json_object_get(c, "cohort"))));
}

static void
doc_pace(json_t *doc, json_t *a)
{
	json_t *p = json_object_get(a, "pace"), *b = sect(doc, "Your pace"),
	       *rows, *e;
	char f1[FIG], f2[FIG];
	size_t i;

	para(b,
	    json_sprintf("You gave %lld labels at %s labels an hour "
			 "(from the time each label took, long pauses "
			 "left out; the team's median: %s an hour).",
		(long long)json_integer_value(json_object_get(a, "labels")),
		rate(f1, json_object_get(p, "per_hour")),
		rate(f2, json_object_get(p, "cohort"))));
	if (json_array_size(json_object_get(p, "trend")) < 2)
		return;
	para(b, json_string("Your pace over the last periods:"));
	rows = table(b,
	    json_pack(
		"[s,s,s]", "period", "your labels an hour", "team median"));
	json_array_foreach (json_object_get(p, "trend"), i, e)
		json_array_append_new(rows,
		    json_pack("[o,s,s]", str(e, "period"),
			rate(f1, json_object_get(e, "per_hour")),
			rate(f2, json_object_get(e, "cohort"))));
}

/* The whole report of who as a document. */
static json_t *
document(json_t *fb, const char *who, const struct lp_taxonomy *t)
{
	json_t *a = json_object_get(fb, who), *doc = json_array(), *b;

	b = sect(doc, "");
	para(b,
	    json_sprintf("This page is for you, %s: how your labels "
			 "compare with the gold answers, with the other "
			 "annotators and with the final labels, and how "
			 "fast you work.  Beside each of your figures is "
			 "the team's: the median of the %zu annotators' "
			 "figures.  "
			 "The labels are named as in the guide%s%s%s.",
		who, json_object_size(fb), t ? " (" : "",
		t && t->guidelines_version ? t->guidelines_version : "",
		t ? ")" : ""));
	doc_gold(doc, a, t);
	doc_peers(doc, a);
	doc_final(doc, a, t);
	doc_classes(doc, a, t);
	doc_pace(doc, a);
	return doc;
}

/* A row of cells (an array of strings) in Markdown. */
static void
md_row(struct lp_buf *b, json_t *cells)
{
	json_t *c;
	size_t i;

	lp_buf_adds(b, "|");
	json_array_foreach (cells, i, c) {
		lp_buf_addc(b, ' ');
		lp_md_escape(b, json_string_value(c));
		lp_buf_adds(b, " |");
	}
	lp_buf_addc(b, '\n');
}

void
lp_feedback_markdown(
    struct lp_buf *b, json_t *fb, const char *who, const struct lp_taxonomy *t)
{
	json_t *doc = document(fb, who, t), *s, *x, *r;
	size_t i, j, k;

	/* The text is plain (some of it from outside): all of it escaped. */
	lp_buf_adds(b, "# Your labelling feedback, ");
	lp_md_escape(b, who);
	lp_buf_addc(b, '\n');
	json_array_foreach (doc, i, s) {
		if (*json_string_value(json_object_get(s, "h")) != '\0') {
			lp_buf_adds(b, "\n## ");
			lp_md_escape(
			    b, json_string_value(json_object_get(s, "h")));
			lp_buf_addc(b, '\n');
		}
		json_array_foreach (json_object_get(s, "blocks"), j, x) {
			lp_buf_addc(b, '\n');
			if (json_object_get(x, "p") != NULL) {
				lp_md_escape(b,
				    json_string_value(json_object_get(x, "p")));
				lp_buf_addc(b, '\n');
				continue;
			}
			md_row(b, json_object_get(x, "head"));
			lp_buf_adds(b, "|");
			for (k = 0;
			     k < json_array_size(json_object_get(x, "head"));
			     k++)
				lp_buf_adds(b, " --- |");
			lp_buf_addc(b, '\n');
			json_array_foreach (json_object_get(x, "rows"), k, r)
				md_row(b, r);
		}
	}
	json_decref(doc);
}

/* A table in HTML. */
static void
html_table(struct lp_buf *b, json_t *x)
{
	json_t *c, *r;
	size_t i, k;

	lp_buf_adds(b, "<div class=t><table>\n<tr>");
	json_array_foreach (json_object_get(x, "head"), i, c) {
		lp_buf_adds(b, "<th>");
		lp_html_escape(b, json_string_value(c));
		lp_buf_adds(b, "</th>");
	}
	lp_buf_adds(b, "</tr>\n");
	json_array_foreach (json_object_get(x, "rows"), k, r) {
		lp_buf_adds(b, "<tr>");
		json_array_foreach (r, i, c) {
			/* The column's name, for the narrow screen's cards. */
			lp_buf_adds(b, "<td data-h=\"");
			lp_html_escape(b,
			    json_string_value(
				json_array_get(json_object_get(x, "head"), i)));
			lp_buf_adds(b, "\">");
			lp_html_escape(b, json_string_value(c));
			lp_buf_adds(b, "</td>");
		}
		lp_buf_adds(b, "</tr>\n");
	}
	lp_buf_adds(b, "</table></div>\n");
}

void
lp_feedback_html(
    struct lp_buf *b, json_t *fb, const char *who, const struct lp_taxonomy *t)
{
	json_t *doc = document(fb, who, t), *s, *x;
	size_t i, j;

	lp_buf_adds(b,
	    "<!DOCTYPE html>\n<html lang=en>\n<head>\n"
	    "<meta charset=utf-8>\n<meta name=viewport "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>Your labelling feedback, ");
	lp_html_escape(b, who);
	lp_buf_adds(b,
	    "</title>\n<style>\n"
	    "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;"
	    "max-width:52em;padding:0 1em;color:#222;background:#fff}\n"
	    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}\n"
	    ".t{overflow-x:auto;max-width:100%}\n"
	    "table{border-collapse:collapse}\n"
	    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;"
	    "vertical-align:top;overflow-wrap:break-word}\n"
	    "th{background:#f3f3f3}\n"
	    /* On a narrow screen each row is a card of "column: value". */
	    "@media (max-width:40em){table,tbody,tr,td{display:block}"
	    "tr:first-child{display:none}"
	    "tr{border:1px solid #ccc;margin:0 0 .5em;padding:.25em .5em}"
	    "td{border:0;padding:.1em 0}"
	    "td::before{content:attr(data-h) \": \";font-weight:bold}}\n"
	    "</style>\n</head>\n<body>\n<h1>"
	    "Your labelling feedback, ");
	lp_html_escape(b, who);
	lp_buf_adds(b, "</h1>\n");
	json_array_foreach (doc, i, s) {
		if (*json_string_value(json_object_get(s, "h")) != '\0') {
			lp_buf_adds(b, "<h2>");
			lp_html_escape(
			    b, json_string_value(json_object_get(s, "h")));
			lp_buf_adds(b, "</h2>\n");
		}
		json_array_foreach (json_object_get(s, "blocks"), j, x) {
			if (json_object_get(x, "p") == NULL) {
				html_table(b, x);
				continue;
			}
			lp_buf_adds(b, "<p>");
			lp_html_escape(
			    b, json_string_value(json_object_get(x, "p")));
			lp_buf_adds(b, "</p>\n");
		}
	}
	lp_buf_adds(b, "</body>\n</html>\n");
	json_decref(doc);
}
