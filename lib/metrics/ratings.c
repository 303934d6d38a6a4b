#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "metrics/agree.h"
#include "metrics/kpi.h"
#include "metrics/ratings.h"

size_t
lp_ratings_item(struct lp_ratings *r, const char *id)
{
	size_t before = r->items.n,
	       i = lp_names_index(&r->items, id, strlen(id));

	if (r->items.n > before) {
		/* Grown by doubling: the index has just reached a power of 2. */
		if ((i & (i - 1)) == 0)
			r->it = lp_xrealloc(
			    r->it, sizeof(*r->it) * (i ? i * 2 : 1));
		memset(&r->it[i], 0, sizeof(*r->it));
		r->it[i].gold = r->it[i].judge = -1;
		r->it[i].conf = -1;
	}
	return i;
}

int
lp_ratings_class(struct lp_ratings *r, json_t *label)
{
	lp_buf_reset(&r->scratch);
	lp_json_dump(label, &r->scratch);
	return (int)lp_names_index(&r->classes, r->scratch.p, r->scratch.len);
}

/* The index of annotator who, with their counters grown to fit. */
static int
annotator(struct lp_ratings *r, const char *who)
{
	size_t before = r->annot.n,
	       a = lp_names_index(&r->annot, who, strlen(who));

	if (r->annot.n > before) {
		r->labels_by =
		    lp_xrealloc(r->labels_by, sizeof(long long) * r->annot.n);
		r->time_by =
		    lp_xrealloc(r->time_by, sizeof(long long) * r->annot.n);
		r->labels_by[a] = r->time_by[a] = 0;
	}
	return (int)a;
}

void
lp_ratings_add(struct lp_ratings *r, size_t item, const char *who,
    json_t *label, long long ms)
{
	struct lp_ratings_item *it = &r->it[item];
	int a = annotator(r, who), c = lp_ratings_class(r, label), m;

	for (m = 0; m < it->n && it->who[m] != a; m++)
		;
	if (m == it->n) {
		it->who =
		    lp_xrealloc(it->who, sizeof(int) * (size_t)(it->n + 1));
		it->cls =
		    lp_xrealloc(it->cls, sizeof(int) * (size_t)(it->n + 1));
		it->n++;
	}
	it->who[m] = a;
	it->cls[m] = c;
	r->labels_by[a]++;
	r->time_by[a] += ms;
}

/* Class c of whole as a class of r. */
static int
class_from(struct lp_ratings *r, const struct lp_ratings *whole, int c)
{
	const char *name = whole->classes.v[c];

	return (int)lp_names_index(&r->classes, name, strlen(name));
}

void
lp_ratings_fill_from(struct lp_ratings *r, const struct lp_ratings *whole)
{
	size_t i, wi;

	for (i = 0; i < r->items.n; i++) {
		const char *id = r->items.v[i];
		const struct lp_ratings_item *w;

		if (!lp_names_find(&whole->items, id, strlen(id), &wi))
			continue;
		w = &whole->it[wi];
		if (r->it[i].gold < 0 && w->gold >= 0)
			r->it[i].gold = class_from(r, whole, w->gold);
		if (r->it[i].judge < 0 && w->judge >= 0)
			r->it[i].judge = class_from(r, whole, w->judge);
		if (r->it[i].conf < 0)
			r->it[i].conf = w->conf;
	}
}

/* Insertion sort of ord by (val, name): numbers by value, then names. */
static void
sort_classes(const struct lp_ratings *r, const double *val, int *ord)
{
	size_t n = r->classes.n, i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			int a = ord[j - 1], b = ord[j];

			if (val[a] > val[b] ||
			    (val[a] == val[b] &&
				strcmp(r->classes.v[a], r->classes.v[b]) > 0)) {
				ord[j - 1] = b;
				ord[j] = a;
			} else
				break;
		}
}

/*
 * Classes ordered for the ordinal measures: numbers by value, then the
 * rest by name.  Fills rank[class] and returns the ordered values (the
 * class's number, or its rank when it is not a number).
 */
static double *
class_order(const struct lp_ratings *r, int *rank)
{
	size_t n = r->classes.n, i;
	double *val = lp_xmalloc(sizeof(double) * (n ? n : 1));
	int *ord = lp_xmalloc(sizeof(int) * (n ? n : 1));

	for (i = 0; i < n; i++) {
		char *end;

		val[i] = strtod(r->classes.v[i], &end);
		if (*end != '\0')
			val[i] = HUGE_VAL;
		ord[i] = (int)i;
	}
	sort_classes(r, val, ord);
	for (i = 0; i < n; i++)
		rank[ord[i]] = (int)i;
	for (i = 0; i < n; i++) {
		char *end;
		double x = strtod(r->classes.v[ord[i]], &end);

		val[i] = *end == '\0' ? x : (double)i;
	}
	free(ord);
	return val;
}

/* The agreement being put together: the dense matrix and its shape. */
struct panel {
	const struct lp_ratings *r;
	int *m; /* items x annotators, classes by rank, -1 missing */
	size_t nit, na, nc;
	int *rank;    /* class index to rank */
	double *vals; /* values by rank, for the interval metric */
};

static void
panel_fill(struct panel *p)
{
	size_t i;
	int a;

	p->m = lp_xmalloc(sizeof(int) * (p->nit ? p->nit : 1) * p->na);
	for (i = 0; i < p->nit * p->na; i++)
		p->m[i] = -1;
	for (i = 0; i < p->nit; i++)
		for (a = 0; a < p->r->it[i].n; a++)
			p->m[i * p->na + (size_t)p->r->it[i].who[a]] =
			    p->rank[p->r->it[i].cls[a]];
}

/* Percent agreement over pairs of labels on the same item. */
static json_t *
percent(const struct panel *p)
{
	long long agree = 0, pairable = 0;
	size_t i, a, b;

	for (i = 0; i < p->nit; i++)
		for (a = 0; a < p->na; a++)
			for (b = a + 1; b < p->na; b++) {
				int x = p->m[i * p->na + a],
				    y = p->m[i * p->na + b];

				if (x < 0 || y < 0)
					continue;
				pairable++;
				agree += x == y;
			}
	return pairable ? lp_kpi_num((double)agree / (double)pairable)
			: json_null();
}

/* Fleiss' kappa, Krippendorff's alpha and Gwet's AC1 and AC2 into out. */
static void
many_raters(const struct panel *p, json_t *out)
{
	int na = (int)p->na, nc = (int)p->nc;

	json_object_set_new(out, "fleiss_kappa",
	    lp_kpi_num(lp_fleiss_kappa(p->m, p->nit, na, nc)));
	json_object_set_new(out, "kripp_alpha",
	    json_pack("{s:o,s:o,s:o}", "nominal",
		lp_kpi_num(
		    lp_kripp_alpha(p->m, p->nit, na, nc, LP_NOMINAL, NULL)),
		"ordinal",
		lp_kpi_num(
		    lp_kripp_alpha(p->m, p->nit, na, nc, LP_ORDINAL, NULL)),
		"interval",
		lp_kpi_num(lp_kripp_alpha(
		    p->m, p->nit, na, nc, LP_INTERVAL, p->vals))));
	json_object_set_new(out, "gwet_ac1",
	    lp_kpi_num(lp_gwet_ac(p->m, p->nit, na, nc, LP_W_NONE)));
	json_object_set_new(out, "gwet_ac2",
	    lp_kpi_num(lp_gwet_ac(p->m, p->nit, na, nc, LP_W_QUADRATIC)));
}

/* Bootstrap intervals of alpha (ordinal, nominal) into out. */
static void
intervals(
    const struct panel *p, int nboot, unsigned long long seed, json_t *out)
{
	static const enum lp_metric ms[] = {LP_ORDINAL, LP_NOMINAL};
	double los[2], his[2];

	/*
	 * Each resample costs a pass over the items: past 20 million item
	 * passes the resamples are cut (to 100 at least) and the report says
	 * how many were made.
	 */
	if (nboot > 0 && (double)nboot * (double)p->nit > 2e7)
		nboot = p->nit > 200000 ? 100 : (int)(2e7 / (double)p->nit);
	if (nboot <= 0)
		return;
	json_object_set_new(out, "bootstrap", json_integer(nboot));
	lp_kripp_bootstrap(p->m, p->nit, (int)p->na, (int)p->nc, ms, 2, NULL,
	    nboot, seed, 0.95, los, his);
	if (!isnan(los[0]))
		json_object_set_new(out, "kripp_alpha_ordinal_ci95",
		    json_pack("[o,o]", lp_kpi_num(los[0]), lp_kpi_num(his[0])));
	if (!isnan(los[1]))
		json_object_set_new(out, "kripp_alpha_nominal_ci95",
		    json_pack("[o,o]", lp_kpi_num(los[1]), lp_kpi_num(his[1])));
}

/* The class names by rank. */
static const char **
names_by_rank(const struct panel *p)
{
	const char **ord = lp_xmalloc(sizeof(*ord) * (p->nc ? p->nc : 1));
	size_t i;

	for (i = 0; i < p->nc; i++)
		ord[p->rank[i]] = p->r->classes.v[i];
	return ord;
}

/* The confusion matrix cm as rows of counts. */
static json_t *
confusion_rows(const unsigned long *cm, size_t nc)
{
	json_t *rows = json_array();
	size_t c, d;

	for (c = 0; c < nc; c++) {
		json_t *row = json_array();

		for (d = 0; d < nc; d++)
			json_array_append_new(
			    row, json_integer((json_int_t)cm[c * nc + d]));
		json_array_append_new(rows, row);
	}
	return rows;
}

/* Kappas of x against y (both by rank) and per class. */
static json_t *
pair_kappas(const struct panel *p, const int *x, const int *y, size_t both,
    size_t a, size_t b)
{
	const char **ord = names_by_rank(p);
	json_t *out, *per = json_object();
	int nc = (int)p->nc, c;
	double po;

	out = json_pack("{s:s,s:s,s:I,s:o,s:o,s:o}", "a", p->r->annot.v[a], "b",
	    p->r->annot.v[b], "items", (json_int_t)both, "kappa",
	    lp_kpi_num(lp_cohen_kappa(x, y, p->nit, nc, LP_W_NONE, &po)),
	    "kappa_linear",
	    lp_kpi_num(lp_cohen_kappa(x, y, p->nit, nc, LP_W_LINEAR, NULL)),
	    "kappa_quadratic",
	    lp_kpi_num(lp_cohen_kappa(x, y, p->nit, nc, LP_W_QUADRATIC, NULL)));
	json_object_set_new(out, "percent", lp_kpi_num(po));
	json_object_set_new(out, "pabak", lp_kpi_num(lp_pabak(po, nc)));
	for (c = 0; c < nc; c++)
		json_object_set_new(per, ord[c],
		    lp_kpi_num(lp_cohen_kappa_class(x, y, p->nit, c)));
	json_object_set_new(out, "kappa_per_class", per);
	free(ord);
	return out;
}

/*
 * Annotators a and b: kappas and the confusion matrix, or NULL when they
 * never labelled an item in common (then they say nothing of each other).
 */
static json_t *
pair(const struct panel *p, size_t a, size_t b)
{
	size_t n = p->nit ? p->nit : 1, i, both;
	int *x = lp_xmalloc(sizeof(int) * n), *y = lp_xmalloc(sizeof(int) * n);
	unsigned long *cm = lp_xmalloc(sizeof(*cm) * p->nc * p->nc);
	json_t *out = NULL;

	for (i = 0; i < p->nit; i++) {
		x[i] = p->m[i * p->na + a];
		y[i] = p->m[i * p->na + b];
	}
	both = lp_confusion(x, y, p->nit, (int)p->nc, cm);
	if (both > 0) {
		out = pair_kappas(p, x, y, both, a, b);
		json_object_set_new(
		    out, "confusion", confusion_rows(cm, p->nc));
	}
	free(x);
	free(y);
	free(cm);
	return out;
}

/* The measures over the panel, into out. */
static void
measures(const struct panel *p, int nboot, unsigned long long seed, json_t *out)
{
	json_t *pairs = json_array(), *x, *cls = json_array();
	const char **ord;
	size_t a, b, i;

	json_object_set_new(out, "percent", percent(p));
	many_raters(p, out);
	intervals(p, nboot, seed, out);
	for (a = 0; a < p->na; a++)
		for (b = a + 1; b < p->na; b++)
			if ((x = pair(p, a, b)) != NULL)
				json_array_append_new(pairs, x);
	json_object_set_new(out, "pairs", pairs);
	ord = names_by_rank(p);
	for (i = 0; i < p->nc; i++)
		json_array_append_new(cls, json_string(ord[i]));
	json_object_set_new(out, "classes", cls);
	free(ord);
}

json_t *
lp_ratings_agreement(
    const struct lp_ratings *r, int nboot, unsigned long long seed)
{
	struct panel p = {
	    r, NULL, r->items.n, r->annot.n, r->classes.n, NULL, NULL};
	json_t *out = json_object(), *names = json_array();
	size_t i;

	for (i = 0; i < p.na; i++)
		json_array_append_new(names, json_string(r->annot.v[i]));
	json_object_set_new(out, "annotators", names);
	json_object_set_new(out, "items", json_integer((json_int_t)p.nit));
	if (p.na < 2 || p.nc == 0) {
		json_object_set_new(out, "undefined",
		    json_string(
			p.na < 2 ? "fewer than two annotators" : "no labels"));
		return out;
	}
	p.rank = lp_xmalloc(sizeof(int) * p.nc);
	p.vals = class_order(r, p.rank);
	panel_fill(&p);
	measures(&p, nboot, seed, out);
	free(p.m);
	free(p.rank);
	free(p.vals);
	return out;
}

json_t *
lp_ratings_gold(const struct lp_ratings *r)
{
	json_t *out = json_object(), *by = json_object();
	size_t na = r->annot.n, i, a;
	long long right = 0, seen = 0,
		  *gold_right = calloc(na + 1, sizeof(long long)),
		  *gold_seen = calloc(na + 1, sizeof(long long));
	int j;

	if (gold_right == NULL || gold_seen == NULL)
		abort();
	for (i = 0; i < r->items.n; i++) {
		const struct lp_ratings_item *it = &r->it[i];

		if (it->gold < 0)
			continue;
		for (j = 0; j < it->n; j++) {
			a = (size_t)it->who[j];
			gold_seen[a]++;
			gold_right[a] += it->cls[j] == it->gold;
			seen++;
			right += it->cls[j] == it->gold;
		}
	}
	for (a = 0; a < na; a++)
		json_object_set_new(by, r->annot.v[a],
		    gold_seen[a] ? lp_kpi_num((double)gold_right[a] /
				       (double)gold_seen[a])
				 : json_null());
	json_object_set_new(out, "items_labelled", json_integer(seen));
	json_object_set_new(out, "accuracy",
	    seen ? lp_kpi_num((double)right / (double)seen) : json_null());
	json_object_set_new(out, "by_annotator", by);
	free(gold_right);
	free(gold_seen);
	return out;
}

/*
 * The judged items with labels: the annotators' majority class into
 * major[] and the judge's into judged[]; returns how many.
 */
static size_t
majorities(const struct lp_ratings *r, int *major, int *judged)
{
	size_t nc = r->classes.n, i, n = 0;
	int *votes = calloc(nc + 1, sizeof(int));

	if (votes == NULL)
		abort();
	for (i = 0; i < r->items.n; i++) {
		const struct lp_ratings_item *it = &r->it[i];
		int j, best = -1;

		if (it->judge < 0 || it->n == 0)
			continue;
		memset(votes, 0, sizeof(int) * (nc + 1));
		for (j = 0; j < it->n; j++)
			votes[it->cls[j]]++;
		for (j = 0; j < (int)nc; j++)
			if (best < 0 || votes[j] > votes[best])
				best = j;
		major[n] = best;
		judged[n++] = it->judge;
	}
	free(votes);
	return n;
}

/*
 * Calibration: the judge's accuracy against the human majority per tenth
 * of its confidence; a calibrated judge is right about as often as it is
 * confident.
 */
static json_t *
calibration(const struct lp_ratings *r, const int *major, const int *judged)
{
	long long right[10] = {0}, seen[10] = {0};
	json_t *cal = json_array();
	size_t i, m = 0;

	for (i = 0; i < r->items.n; i++) {
		const struct lp_ratings_item *it = &r->it[i];
		int bin;

		if (it->judge < 0 || it->n == 0)
			continue;
		if (it->conf >= 0 && it->conf <= 1) {
			bin = (int)(it->conf * 10);
			bin = bin > 9 ? 9 : bin;
			seen[bin]++;
			right[bin] += major[m] == judged[m];
		}
		m++;
	}
	for (i = 0; i < 10; i++)
		if (seen[i] > 0)
			json_array_append_new(cal,
			    json_pack("{s:f,s:f,s:I,s:o}", "from",
				(double)i / 10, "to", (double)(i + 1) / 10,
				"items", (json_int_t)seen[i], "accuracy",
				lp_kpi_num(
				    (double)right[i] / (double)seen[i])));
	return cal;
}

json_t *
lp_ratings_judge(const struct lp_ratings *r)
{
	size_t nit = r->items.n ? r->items.n : 1, n;
	int *a = lp_xmalloc(sizeof(int) * nit),
	    *b = lp_xmalloc(sizeof(int) * nit);
	double kap;
	json_t *cal;

	n = majorities(r, a, b);
	kap = lp_cohen_kappa(a, b, n, (int)r->classes.n, LP_W_NONE, NULL);
	cal = calibration(r, a, b);
	free(a);
	free(b);
	return json_pack("{s:I,s:o,s:o}", "items", (json_int_t)n,
	    "kappa_vs_humans", lp_kpi_num(kap), "calibration", cal);
}

json_t *
lp_ratings_throughput(const struct lp_ratings *r)
{
	json_t *tp = json_object();
	size_t i;

	for (i = 0; i < r->annot.n; i++)
		json_object_set_new(tp, r->annot.v[i],
		    json_pack("{s:I,s:o}", "labels",
			(json_int_t)r->labels_by[i], "per_hour",
			r->time_by[i] > 0 ? lp_kpi_num((double)r->labels_by[i] *
						3.6e6 / (double)r->time_by[i])
					  : json_null()));
	return tp;
}

void
lp_ratings_release(struct lp_ratings *r)
{
	size_t i;

	for (i = 0; i < r->items.n; i++) {
		free(r->it[i].who);
		free(r->it[i].cls);
	}
	free(r->it);
	free(r->labels_by);
	free(r->time_by);
	lp_names_release(&r->items);
	lp_names_release(&r->annot);
	lp_names_release(&r->classes);
	lp_buf_release(&r->scratch);
	memset(r, 0, sizeof(*r));
}
