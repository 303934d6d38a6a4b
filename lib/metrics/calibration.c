#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "metrics/calibration.h"
#include "metrics/kpi.h"
#include "metrics/report.h"

/* The labels given (skips left out) of an item. */
static json_t *
given(json_t *item)
{
	json_t *out = json_array(), *l, *v;
	size_t i;

	json_array_foreach (json_object_get(item, "labels"), i, l)
		if ((v = json_object_get(l, "label")) != NULL &&
		    !json_is_null(v))
			json_array_append(out, v);
	return out;
}

/* (n - m) / (n - 1), m the count of the most common label. */
static double
disagreement(json_t *labels)
{
	size_t n = json_array_size(labels), i, j, m = 0;

	if (n < 2)
		return 0;
	for (i = 0; i < n; i++) {
		size_t c = 0;

		for (j = 0; j < n; j++)
			c += json_equal(json_array_get(labels, i),
			    json_array_get(labels, j));
		m = c > m ? c : m;
	}
	return (double)(n - m) / (double)(n - 1);
}

/* The share of labels that differ from v (NULL: 0). */
static double
differ(json_t *labels, json_t *v)
{
	size_t n = json_array_size(labels), i, d = 0;

	if (v == NULL || json_is_null(v) || n == 0)
		return 0;
	for (i = 0; i < n; i++)
		d += !json_equal(json_array_get(labels, i), v);
	return (double)d / (double)n;
}

double
lp_calibration_score(json_t *item, json_t **parts)
{
	json_t *labels = given(item),
	       *adj = json_object_get(item, "adjudication"),
	       *rating = json_object_get(item, "rating"), *conf;
	const char *method = json_string_value(json_object_get(adj, "method"));
	double d = disagreement(labels), o = 0, j, c = 0, g, score;

	if (method != NULL && strcmp(method, "adjudicator") == 0)
		o = differ(labels, json_object_get(adj, "label"));
	j = differ(labels, json_object_get(rating, "score"));
	conf = json_object_get(rating, "confidence");
	if (json_is_number(conf) && json_number_value(conf) >= 0 &&
	    json_number_value(conf) <= 1)
		c = 1 - json_number_value(conf);
	g = differ(labels, json_object_get(item, "gold"));
	json_decref(labels);
	score = LP_CALIBRATION_W_DISAGREEMENT * d +
	    LP_CALIBRATION_W_OVERRIDE * o + LP_CALIBRATION_W_JUDGE * j +
	    LP_CALIBRATION_W_LOW_CONFIDENCE * c +
	    LP_CALIBRATION_W_GOLD_MISS * g;
	*parts = json_pack("{s:o,s:o,s:o,s:o,s:o}", "disagreement",
	    lp_kpi_num(d), "override", lp_kpi_num(o), "judge", lp_kpi_num(j),
	    "low_confidence", lp_kpi_num(c), "gold_miss", lp_kpi_num(g));
	return score;
}

/* An item with its score, for sorting. */
struct scored {
	double score;
	size_t nlabels;
	const char *id;
	json_t *item, *parts;
};

/* Higher score first, then more labels, then id. */
static int
by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->nlabels != y->nlabels)
		return x->nlabels > y->nlabels ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The record of a ranked item. */
static json_t *
record(const struct scored *s, size_t rank)
{
	json_t *r = json_pack("{s:O}", "id", json_object_get(s->item, "id")),
	       *v;

	if ((v = json_object_get(s->item, "title")) != NULL)
		json_object_set(r, "title", v);
	if ((v = json_object_get(s->item, "translation")) != NULL)
		json_object_set_new(
		    r, "translation", json_pack("{s:O}", "text", v));
	if ((v = json_object_get(s->item, "rating")) != NULL)
		json_object_set(r, "rating", v);
	if ((v = json_object_get(s->item, "gold")) != NULL)
		json_object_set_new(r, "gold", json_pack("{s:O}", "label", v));
	json_object_set(r, "labels", json_object_get(s->item, "labels"));
	if ((v = json_object_get(s->item, "adjudication")) != NULL)
		json_object_set(r, "adjudication", v);
	json_object_set_new(r, "calibration",
	    json_pack("{s:I,s:o,s:O}", "rank", (json_int_t)rank, "score",
		lp_kpi_num(s->score), "parts", s->parts));
	return r;
}

json_t *
lp_calibration_rank(const struct lp_items *s, size_t top)
{
	json_t *items = lp_items_list(s), *out = json_array(), *it;
	size_t n = json_array_size(items), i, k = 0;
	struct scored *v = lp_xmalloc(sizeof(*v) * (n ? n : 1));

	json_array_foreach (items, i, it) {
		v[k].item = it;
		v[k].id = json_string_value(json_object_get(it, "id"));
		v[k].nlabels = json_array_size(json_object_get(it, "labels"));
		v[k].score = lp_calibration_score(it, &v[k].parts);
		/* Rounded as reported, so equal figures tie. */
		v[k].score = round(v[k].score * 1e6) / 1e6;
		if (v[k].score > 0)
			k++;
		else
			json_decref(v[k].parts);
	}
	qsort(v, k, sizeof(*v), by_score);
	for (i = 0; i < k; i++) {
		if (i < top)
			json_array_append_new(out, record(&v[i], i + 1));
		json_decref(v[i].parts);
	}
	free(v);
	return out;
}

void
lp_calibration_jsonl(struct lp_buf *b, json_t *ranked)
{
	json_t *r;
	size_t i;

	json_array_foreach (ranked, i, r) {
		lp_json_dump(r, b);
		lp_buf_addc(b, '\n');
	}
}

/* Label v by its taxonomy name, escaped (the taxonomy is a file). */
static void
md_label(struct lp_buf *b, json_t *v, const struct lp_taxonomy *t)
{
	struct lp_buf name = LP_BUF_INIT;

	lp_items_label_name(&name, v, t);
	lp_md_escape(b, name.p);
	lp_buf_release(&name);
}

/* "- what: text" when o has a string member key. */
static void
md_line(struct lp_buf *b, const char *what, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (s == NULL)
		return;
	lp_buf_addf(b, "- %s: ", what);
	lp_md_escape(b, s);
	lp_buf_addc(b, '\n');
}

/* The judge's view, the gold answer and the final label. */
static void
md_answers(struct lp_buf *b, json_t *r, const struct lp_taxonomy *t)
{
	json_t *rt = json_object_get(r, "rating"), *v,
	       *adj = json_object_get(r, "adjudication");

	if ((v = json_object_get(rt, "score")) != NULL) {
		lp_buf_adds(b, "- Judge: ");
		md_label(b, v, t);
		if (json_is_number(v = json_object_get(rt, "confidence")))
			lp_buf_addf(b, ", confidence %.0f%%",
			    json_number_value(v) * 100);
		if ((v = json_object_get(rt, "rationale")) != NULL) {
			lp_buf_adds(b, ": ");
			lp_md_escape(b, json_string_value(v));
		}
		lp_buf_addc(b, '\n');
	}
	if ((v = json_object_get(json_object_get(r, "gold"), "label"))) {
		lp_buf_adds(b, "- Gold answer: ");
		md_label(b, v, t);
		lp_buf_addc(b, '\n');
	}
	if ((v = json_object_get(adj, "label")) != NULL && !json_is_null(v)) {
		lp_buf_adds(b, "- Final label: ");
		md_label(b, v, t);
		lp_buf_adds(b, " (");
		lp_md_escape(
		    b, json_string_value(json_object_get(adj, "method")));
		if (json_string_value(json_object_get(adj, "by")) != NULL) {
			lp_buf_adds(b, ", ");
			lp_md_escape(
			    b, json_string_value(json_object_get(adj, "by")));
		}
		lp_buf_adds(b, ")\n");
		md_line(b, "Adjudicator's note", adj, "note");
		md_line(b, "Adjudicator's correction", adj, "correction");
	}
}

/* One item of the agenda. */
static void
md_item(struct lp_buf *b, json_t *r, const struct lp_taxonomy *t)
{
	json_t *cal = json_object_get(r, "calibration"),
	       *p = json_object_get(cal, "parts"), *l, *v;
	size_t i;

	lp_buf_addf(b, "\n## %lld. ",
	    (long long)json_integer_value(json_object_get(cal, "rank")));
	lp_md_escape(b, json_string_value(json_object_get(r, "id")));
	lp_buf_addf(b,
	    "\n\nScore %.2f: disagreement %.2f, override %.2f, judge %.2f, "
	    "low confidence %.2f, gold miss %.2f.\n\n",
	    json_number_value(json_object_get(cal, "score")),
	    json_number_value(json_object_get(p, "disagreement")),
	    json_number_value(json_object_get(p, "override")),
	    json_number_value(json_object_get(p, "judge")),
	    json_number_value(json_object_get(p, "low_confidence")),
	    json_number_value(json_object_get(p, "gold_miss")));
	md_line(b, "Title", r, "title");
	md_line(b, "Translation", json_object_get(r, "translation"), "text");
	md_answers(b, r, t);
	lp_buf_adds(b,
	    "\n| annotator | label | note | correction |\n"
	    "| --- | --- | --- | --- |\n");
	json_array_foreach (json_object_get(r, "labels"), i, l) {
		lp_buf_adds(b, "| ");
		lp_md_escape(
		    b, json_string_value(json_object_get(l, "annotator_id")));
		lp_buf_adds(b, " | ");
		if ((v = json_object_get(l, "label")) == NULL ||
		    json_is_null(v))
			lp_buf_adds(b, "(skipped)");
		else
			md_label(b, v, t);
		lp_buf_adds(b, " | ");
		lp_md_escape(b, json_string_value(json_object_get(l, "note")));
		lp_buf_adds(b, " | ");
		lp_md_escape(
		    b, json_string_value(json_object_get(l, "correction")));
		lp_buf_adds(b, " |\n");
	}
}

void
lp_calibration_markdown(
    struct lp_buf *b, json_t *ranked, const struct lp_taxonomy *t)
{
	json_t *r;
	size_t i;

	if (json_array_size(ranked) == 0) {
		lp_buf_adds(b,
		    "# Calibration session\n\nNo item to discuss: "
		    "no labelled item scored above 0.\n");
		return;
	}
	lp_buf_addf(b,
	    "# Calibration session: the %zu hardest items\n\n"
	    "Ranked by score = %.0f disagreement + %.0f override + %.0f judge "
	    "+ %.0f low confidence + %.0f gold miss (each part 0 to 1; "
	    "lp-kpi(1), CALIBRATION).  Record what the session changed in "
	    "guidelines/CHANGELOG.md.\n",
	    json_array_size(ranked), LP_CALIBRATION_W_DISAGREEMENT,
	    LP_CALIBRATION_W_OVERRIDE, LP_CALIBRATION_W_JUDGE,
	    LP_CALIBRATION_W_LOW_CONFIDENCE, LP_CALIBRATION_W_GOLD_MISS);
	json_array_foreach (ranked, i, r)
		md_item(b, r, t);
}
