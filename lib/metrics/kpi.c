#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/status.h"
#include "metrics/kpi.h"
#include "metrics/names.h"
#include "metrics/quantile.h"
#include "metrics/ratings.h"

/* Fields whose presence makes a record complete. */
static const char *const complete_fields[] = {"id", "title", "url", "price",
    "condition", "translation.text", "rating.score"};
#define NCOMPLETE (sizeof(complete_fields) / sizeof(*complete_fields))

/* Objects nested this deep are as far as raw_get() reads a line. */
#define RAW_DEPTH 4

/* The versions named in the records, by key: lineage's, then labels'. */
static const char *const version_keys[] = {"dataset_version",
    "pipeline_version", "taxonomy_version", "guidelines_version"};
#define NVERSION_KEYS 4
/* Distinct values kept of each (a report names a few, not thousands). */
#define NVERSIONS 4
/* Bytes of an item's notes shown (and of each annotator's note kept). */
#define NOTES_MAX 400

struct versions_seen {
	char *v[NVERSIONS];
	size_t n;
	int more; /* a value beyond the NVERSIONS kept was seen */
};

/* An annotator's note on an item: the last one given. */
struct item_note {
	size_t who; /* index in the ratings' annotators */
	char *text; /* cut at NOTES_MAX bytes, at a character */
};

/* What an item's labels said besides their class, for the evidence. */
struct item_extra {
	struct item_note *notes; /* one per annotator, as first seen */
	size_t nnotes;
	char *adjudicated; /* the adjudicated label's JSON, or NULL */
};

struct lp_kpi {
	char **fields; /* --field paths */
	size_t nfields;
	char *only_annot; /* --by annotator: that one's labels */
	long long records, labelled, complete[NCOMPLETE];
	json_t *balance; /* path -> {value: count} */
	struct lp_ratings ratings;
	/* latency: tool -> ms since the step before */
	struct lp_names stages;
	struct lp_quantile *lat; /* per stage */
	struct lp_quantile e2e;
	/* reject rates from --stats files */
	json_t *rejects;
	json_t *runs;	  /* tool -> wall time, speed, CPU and memory */
	json_t *gold_key; /* id -> gold answer (--gold-key), or NULL */
	long long gold_rows;
	long long rej_in, rej_out;
	struct versions_seen versions[NVERSION_KEYS];
	struct item_extra *ext; /* by item index of ratings */
	size_t next;
	int keep_evidence; /* notes, labels' versions, adjudicated labels */
	/* Scratch for the hot path (reused from record to record). */
	struct lp_buf scratch;
	struct lp_json_members lin, st, sub[RAW_DEPTH];
};

struct lp_kpi *
lp_kpi_new(const char *const *fields, size_t nfields, const char *only_annot)
{
	struct lp_kpi *k = calloc(1, sizeof(*k));
	size_t i;

	if (k == NULL)
		abort();
	k->fields = lp_xmalloc(sizeof(*k->fields) * (nfields ? nfields : 1));
	for (i = 0; i < nfields; i++)
		k->fields[i] = lp_xstrdup(fields[i]);
	k->nfields = nfields;
	k->only_annot = only_annot ? lp_xstrdup(only_annot) : NULL;
	k->balance = json_object();
	return k;
}

/* The counts of path's values, made on first use. */
static json_t *
counts(struct lp_kpi *k, const char *path)
{
	json_t *b = json_object_get(k->balance, path);

	if (b == NULL) {
		b = json_object();
		json_object_set_new(k->balance, path, b);
	}
	return b;
}

/* One more of value key in the counts b: in place, no new value. */
static void
count_key(json_t *b, const char *key)
{
	json_t *n;

	if ((n = json_object_get(b, key)) != NULL)
		json_integer_set(n, json_integer_value(n) + 1);
	else
		json_object_set_new(b, key, json_integer(1));
}

/* Count v in the balance of path: a string by its text, else its JSON. */
static void
count_value(struct lp_kpi *k, const char *path, json_t *v)
{
	json_t *b = counts(k, path);

	if (json_is_string(v))
		count_key(b, json_string_value(v));
	else {
		lp_buf_reset(&k->scratch);
		lp_json_dump(v, &k->scratch);
		count_key(b, k->scratch.p);
	}
}

/* Version value p[0..len) of key kv seen: kept if new and room is left. */
static void
version_seen(struct lp_kpi *k, int kv, const char *p, size_t len)
{
	struct versions_seen *s = &k->versions[kv];
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strncmp(s->v[i], p, len) == 0 && s->v[i][len] == '\0')
			return;
	if (s->n == NVERSIONS) {
		s->more = 1;
		return;
	}
	s->v[s->n] = lp_xmalloc(len + 1);
	memcpy(s->v[s->n], p, len);
	s->v[s->n++][len] = '\0';
}

/* The versions of the lineage, from a record that is not a plain line. */
static void
lineage_versions(struct lp_kpi *k, struct lp_record *rec)
{
	static const char *const paths[] = {
	    "lineage.dataset_version", "lineage.pipeline_version"};
	const char *s;
	int kv;

	for (kv = 0; kv < 2; kv++)
		if ((s = lp_record_get_str(rec, paths[kv])) != NULL)
			version_seen(k, kv, s, strlen(s));
}

static void
add_latency(struct lp_kpi *k, const char *stage, size_t len, double ms)
{
	size_t before = k->stages.n, s = lp_names_index(&k->stages, stage, len);

	if (k->stages.n > before) {
		k->lat = lp_xrealloc(k->lat, sizeof(*k->lat) * k->stages.n);
		memset(&k->lat[s], 0, sizeof(*k->lat));
	}
	lp_quantile_add(&k->lat[s], ms);
}

/* Latency from lineage steps, fed one step at a time. */
struct steps {
	struct lp_kpi *k;
	size_t n;
	double first, prev;
};

/* The next step: its tool (NULL if it names none) and time. */
static void
step_add(struct steps *sp, const char *stage, size_t len, double at)
{
	if (sp->n == 0)
		sp->first = at;
	else if (stage != NULL)
		add_latency(sp->k, stage, len, at - sp->prev);
	sp->prev = at;
	sp->n++;
}

/* End to end: from the first step to the last. */
static void
steps_done(struct steps *sp)
{
	if (sp->n >= 2)
		lp_quantile_add(&sp->k->e2e, sp->prev - sp->first);
}

/* Whether rec is a plain canonical line, to be read without Jansson. */
static int
plain_line(const struct lp_record *rec)
{
	return rec->canonical && rec->root == NULL && rec->nedits == 0;
}

/* A step object's time: a number's token, or 0 as json_number_value(). */
static double
step_at(const char *e, const struct lp_json_members *st)
{
	const struct lp_json_member *a = lp_json_find(e, st, "at", 2);
	char num[40];

	if (a == NULL || a->vallen >= sizeof(num) ||
	    !(e[a->val] == '-' || (e[a->val] >= '0' && e[a->val] <= '9')))
		return 0;
	memcpy(num, e + a->val, a->vallen);
	num[a->vallen] = '\0';
	return strtod(num, NULL);
}

/*
 * The steps read straight from a canonical line: tools and times without
 * building the lineage (most of a record's bytes) as Jansson values.
 * Returns 0 when the record is not a plain canonical line.
 */
static int
steps_fast(struct lp_kpi *k, struct lp_record *rec)
{
	const struct lp_json_member *m, *t;
	struct steps sp = {k, 0, 0, 0};
	const char *p, *e;
	size_t pos = 0, start, len;

	if (!plain_line(rec))
		return 0;
	if ((m = lp_json_find(rec->text, &rec->ms, "lineage", 7)) == NULL)
		return 1;
	p = rec->text + m->val;
	if (p[0] != '{' || !lp_json_scan_trusted(p, m->vallen, &k->lin))
		return 1;
	/* The versions, while the lineage is at hand (plain strings). */
	for (pos = 0; pos < 2; pos++) {
		m = lp_json_find(
		    p, &k->lin, version_keys[pos], strlen(version_keys[pos]));
		if (m != NULL && p[m->val] == '"' &&
		    memchr(p + m->val, '\\', m->vallen) == NULL)
			version_seen(
			    k, (int)pos, p + m->val + 1, m->vallen - 2);
	}
	pos = 0;
	if ((m = lp_json_find(p, &k->lin, "steps", 5)) == NULL)
		return 1;
	p += m->val;
	while (lp_json_array_next(p, m->vallen, &pos, &start, &len)) {
		double at;

		e = p + start;
		if (e[0] != '{' || !lp_json_scan_trusted(e, len, &k->st))
			continue;
		at = step_at(e, &k->st);
		t = lp_json_find(e, &k->st, "tool", 4);
		if (t != NULL && e[t->val] == '"' &&
		    memchr(e + t->val, '\\', t->vallen) == NULL)
			step_add(&sp, e + t->val + 1, t->vallen - 2, at);
		else
			step_add(&sp, NULL, 0, at);
	}
	steps_done(&sp);
	return 1;
}

/* Latency: each lineage step since the one before. */
static void
count_steps(struct lp_kpi *k, struct lp_record *rec)
{
	struct steps sp = {k, 0, 0, 0};
	json_t *steps, *st;
	size_t j;

	if (steps_fast(k, rec))
		return;
	lineage_versions(k, rec);
	steps = lp_record_get(rec, "lineage.steps");
	json_array_foreach (steps, j, st) {
		json_t *t = json_object_get(st, "tool");

		step_add(&sp, json_string_value(t), json_string_length(t),
		    json_number_value(json_object_get(st, "at")));
	}
	steps_done(&sp);
}

/*
 * The raw text of a dotted path in a plain canonical line: 1 with its span
 * (which is its canonical form), 0 when absent, -1 when the record is not
 * such a line (use lp_record_get()).  Spares building Jansson values for
 * the fields that are only looked at.
 */
static int
raw_get(struct lp_kpi *k, struct lp_record *rec, const char *path,
    const char **p, size_t *n)
{
	const struct lp_json_members *ms = &rec->ms;
	const char *text = rec->text;
	int depth = 0;

	if (!plain_line(rec))
		return -1;
	for (;;) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);
		const struct lp_json_member *m =
		    lp_json_find(text, ms, path, len);

		if (m == NULL)
			return 0;
		*p = text + m->val;
		*n = m->vallen;
		if (dot == NULL)
			return 1;
		if (**p != '{')
			return 0;
		if (depth == RAW_DEPTH)
			return -1;
		if (!lp_json_scan_trusted(*p, *n, &k->sub[depth]))
			return -1;
		text = *p;
		ms = &k->sub[depth++];
		path = dot + 1;
	}
}

/* Count a field's value in the balance, from the line when it can. */
static void
count_field(struct lp_kpi *k, struct lp_record *rec, const char *path)
{
	const char *p;
	size_t n;
	int rc = raw_get(k, rec, path, &p, &n);
	json_t *v;

	if (rc == 0)
		return;
	if (rc < 0) {
		if ((v = lp_record_get(rec, path)) != NULL)
			count_value(k, path, v);
		return;
	}
	/* A string counts by its text, anything else by its JSON. */
	lp_buf_reset(&k->scratch);
	if (p[0] == '"' && memchr(p, '\\', n) == NULL)
		lp_buf_add(&k->scratch, p + 1, n - 2);
	else if (p[0] == '"') {
		v = lp_json_load(p, n, JSON_DECODE_ANY, NULL);
		lp_buf_adds(&k->scratch, json_string_value(v));
		json_decref(v);
	} else
		lp_buf_add(&k->scratch, p, n);
	count_key(counts(k, path), k->scratch.p);
}

/* Completeness: the fields present, neither null nor "". */
static void
count_complete(struct lp_kpi *k, struct lp_record *rec)
{
	size_t i;

	for (i = 0; i < NCOMPLETE; i++) {
		const char *p;
		size_t n;
		int rc = raw_get(k, rec, complete_fields[i], &p, &n);
		json_t *v;

		if (rc >= 0) {
			k->complete[i] += rc == 1 &&
			    !(n == 4 && memcmp(p, "null", 4) == 0) &&
			    !(n == 2 && memcmp(p, "\"\"", 2) == 0);
			continue;
		}
		v = lp_record_get(rec, complete_fields[i]);
		k->complete[i] += v != NULL && !json_is_null(v) &&
		    !(json_is_string(v) && json_string_length(v) == 0);
	}
}

/* The extras of item i, grown to fit. */
static struct item_extra *
extra(struct lp_kpi *k, size_t i)
{
	size_t cap = k->next;

	if (i >= cap) {
		while (cap <= i)
			cap = cap ? cap * 2 : 64;
		k->ext = lp_xrealloc(k->ext, sizeof(*k->ext) * cap);
		memset(k->ext + k->next, 0, sizeof(*k->ext) * (cap - k->next));
		k->next = cap;
	}
	return &k->ext[i];
}

/* The length of p[0..n) cut to at most max bytes, at a character. */
static size_t
utf8_cut(const char *p, size_t n, size_t max)
{
	if (n <= max)
		return n;
	for (n = max; n > 0 && (p[n] & 0xc0) == 0x80; n--)
		;
	return n;
}

/*
 * A label's note and versions, for the evidence: an annotator's later note
 * on the item replaces the earlier, as lp_ratings_add() does its label, so
 * the copies of an item (a file per annotator, then the adjudicated one)
 * give each note once.
 */
static void
label_extras(struct lp_kpi *k, size_t i, const char *who, json_t *l)
{
	json_t *n = json_object_get(l, "note"), *v;
	struct item_extra *e;
	size_t a, m, len;
	int kv;

	for (kv = 2; kv < NVERSION_KEYS; kv++)
		if (json_is_string(v = json_object_get(l, version_keys[kv])))
			version_seen(
			    k, kv, json_string_value(v), json_string_length(v));
	if (!json_is_string(n) || json_string_length(n) == 0 ||
	    !lp_names_find(&k->ratings.annot, who, strlen(who), &a))
		return;
	e = extra(k, i);
	for (m = 0; m < e->nnotes && e->notes[m].who != a; m++)
		;
	if (m == e->nnotes) {
		e->notes =
		    lp_xrealloc(e->notes, sizeof(*e->notes) * (e->nnotes + 1));
		e->notes[m].who = a;
		e->notes[m].text = NULL;
		e->nnotes++;
	}
	len = utf8_cut(json_string_value(n), json_string_length(n), NOTES_MAX);
	free(e->notes[m].text);
	e->notes[m].text = lp_xmalloc(len + 1);
	memcpy(e->notes[m].text, json_string_value(n), len);
	e->notes[m].text[len] = '\0';
}

/* The adjudicated label of item i, as its JSON. */
static void
adjudicated(struct lp_kpi *k, size_t i, struct lp_record *rec)
{
	json_t *v = lp_record_get(rec, "adjudication.label");
	struct item_extra *e;

	if (v == NULL || json_is_null(v))
		return;
	e = extra(k, i);
	lp_buf_reset(&k->scratch);
	lp_json_dump(v, &k->scratch);
	free(e->adjudicated);
	e->adjudicated = lp_xstrdup(k->scratch.p);
}

/*
 * The labels of rec, its gold answer and the judge's score.  A gold item
 * of the key (answer not NULL) is scored against it, and its labels are
 * left out of labelled and the balance: it is not part of the dataset.
 */
static void
count_labels(struct lp_kpi *k, struct lp_record *rec, json_t *answer)
{
	struct lp_ratings *r = &k->ratings;
	json_t *labels = lp_record_get(rec, "labels"), *l, *g;
	const char *id = lp_record_get_str(rec, "id");
	size_t i, j;

	if (!json_is_array(labels) || json_array_size(labels) == 0 ||
	    id == NULL)
		return;
	k->labelled += answer == NULL;
	i = lp_ratings_item(r, id);
	json_array_foreach (labels, j, l) {
		const char *who =
		    json_string_value(json_object_get(l, "annotator_id"));
		json_t *lab = json_object_get(l, "label");

		if (who == NULL || lab == NULL || json_is_null(lab) ||
		    (k->only_annot != NULL && strcmp(who, k->only_annot) != 0))
			continue;
		lp_ratings_add(r, i, who, lab,
		    json_integer_value(json_object_get(l, "time_to_label_ms")));
		if (k->keep_evidence)
			label_extras(k, i, who, l);
		if (answer == NULL)
			count_value(k, "labels", lab);
	}
	if (answer != NULL) {
		if ((g = json_object_get(answer, "label")) != NULL ||
		    (g = json_object_get(answer, "score")) != NULL)
			r->it[i].gold = lp_ratings_class(r, g);
	} else if ((g = lp_record_get(rec, "gold.label")) != NULL ||
	    (g = lp_record_get(rec, "gold.score")) != NULL)
		r->it[i].gold = lp_ratings_class(r, g);
	if (k->keep_evidence)
		adjudicated(k, i, rec);
	if ((g = lp_record_get(rec, "rating.score")) != NULL)
		r->it[i].judge = lp_ratings_class(r, g);
	if (json_is_number(g = lp_record_get(rec, "rating.confidence")))
		r->it[i].conf = json_number_value(g);
}

void
lp_kpi_add(struct lp_kpi *k, struct lp_record *rec)
{
	size_t i;
	const char *id;
	json_t *answer;

	/* A gold row counts only for the gold accuracy. */
	if (k->gold_key != NULL &&
	    (id = lp_record_get_str(rec, "id")) != NULL &&
	    (answer = json_object_get(k->gold_key, id)) != NULL) {
		k->gold_rows++;
		count_labels(k, rec, answer);
		return;
	}
	k->records++;
	count_complete(k, rec);
	count_field(k, rec, "rating.score");
	for (i = 0; i < k->nfields; i++)
		count_field(k, rec, k->fields[i]);
	count_steps(k, rec);
	count_labels(k, rec, NULL);
}

void
lp_kpi_keep_evidence(struct lp_kpi *k)
{
	k->keep_evidence = 1;
}

int
lp_kpi_gold_key(struct lp_kpi *k, json_t *key)
{
	json_decref(k->gold_key);
	k->gold_key = json_incref(key);
	return LP_OK;
}

void
lp_kpi_fill_from(struct lp_kpi *k, const struct lp_kpi *whole)
{
	lp_ratings_fill_from(&k->ratings, &whole->ratings);
}

json_t *
lp_kpi_num(double x)
{
	return isnan(x) ? json_null() : json_real(round(x * 1e6) / 1e6);
}

/* p50 (the lower median), p95 (rank ceil(0.95 (n - 1))) and max. */
static json_t *
percentiles(struct lp_quantile *q)
{
	size_t n = q->n;

	if (n == 0)
		return json_null();
	return json_pack("{s:f,s:f,s:f,s:I}", "p50",
	    lp_quantile_at(q, (n - 1) / 2), "p95",
	    lp_quantile_at(q, (size_t)ceil(0.95 * (double)(n - 1))), "max",
	    lp_quantile_at(q, n - 1), "n", (json_int_t)n);
}

json_t *
lp_kpi_metrics(struct lp_kpi *k, int nboot, unsigned long long seed)
{
	json_t *out = json_object(), *comp = json_object(),
	       *lat = json_object();
	size_t i;

	json_object_set_new(out, "records", json_integer(k->records));
	json_object_set_new(out, "labelled", json_integer(k->labelled));
	for (i = 0; i < NCOMPLETE; i++)
		json_object_set_new(comp, complete_fields[i],
		    k->records ? lp_kpi_num((double)k->complete[i] /
				     (double)k->records)
			       : json_null());
	json_object_set_new(out, "completeness", comp);
	json_object_set_new(out, "balance", json_incref(k->balance));
	json_object_set_new(
	    out, "agreement", lp_ratings_agreement(&k->ratings, nboot, seed));
	json_object_set_new(out, "judge", lp_ratings_judge(&k->ratings));
	json_object_set_new(out, "gold", lp_ratings_gold(&k->ratings));
	if (k->gold_key != NULL)
		json_object_set_new(json_object_get(out, "gold"), "rows",
		    json_integer(k->gold_rows));
	json_object_set_new(
	    out, "throughput", lp_ratings_throughput(&k->ratings));
	for (i = 0; i < k->stages.n; i++)
		json_object_set_new(
		    lat, k->stages.v[i], percentiles(&k->lat[i]));
	json_object_set_new(lat, "end_to_end", percentiles(&k->e2e));
	json_object_set_new(out, "latency_ms", lat);
	return out;
}

/*
 * A stage's run figures from its --stats: wall_s, records_per_s, user_s,
 * sys_s and max_rss_kb, those it has, under the tool's name (numbered
 * from its second stage on).
 */
static void
add_run(struct lp_kpi *k, const char *tool, json_t *stats)
{
	static const char *const keys[] = {
	    "wall_s", "records_per_s", "user_s", "sys_s", "max_rss_kb"};
	json_t *r = json_object(), *v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_is_number(v = json_object_get(stats, keys[i])))
			json_object_set_new(r, keys[i],
			    json_is_integer(v)
				? json_incref(v)
				: lp_kpi_num(json_real_value(v)));
	if (k->runs == NULL)
		k->runs = json_object();
	/* One tool in several stages (lp-label): "lp-label 2", ... */
	lp_buf_reset(&k->scratch);
	lp_buf_adds(&k->scratch, tool);
	for (i = 2; json_object_get(k->runs, k->scratch.p) != NULL; i++) {
		lp_buf_reset(&k->scratch);
		lp_buf_addf(&k->scratch, "%s %zu", tool, i);
	}
	json_object_set_new(k->runs, k->scratch.p, r);
}

json_t *
lp_kpi_runs(const struct lp_kpi *k)
{
	return k->runs != NULL ? json_deep_copy(k->runs) : NULL;
}

int
lp_kpi_add_stats(struct lp_kpi *k, json_t *stats, struct lp_error *err)
{
	const char *tool = json_string_value(json_object_get(stats, "tool"));
	long long in, rej;
	json_t *t;

	if (tool == NULL || !json_is_integer(json_object_get(stats, "in")))
		return lp_error_set(err, "not a --stats file (no tool and in)");
	if (k->rejects == NULL)
		k->rejects = json_object();
	in = json_integer_value(json_object_get(stats, "in"));
	rej = json_integer_value(json_object_get(stats, "skipped")) +
	    json_integer_value(json_object_get(stats, "quarantined"));
	k->rej_in += in;
	k->rej_out += rej;
	if ((t = json_object_get(k->rejects, tool)) != NULL) {
		in += json_integer_value(json_object_get(t, "in"));
		rej += json_integer_value(json_object_get(t, "rejected"));
	}
	add_run(k, tool, stats);
	json_object_set_new(k->rejects, tool,
	    json_pack("{s:I,s:I,s:o}", "in", (json_int_t)in, "rejected",
		(json_int_t)rej, "rate",
		in ? lp_kpi_num((double)rej / (double)in) : json_null()));
	return LP_OK;
}

json_t *
lp_kpi_rejects(const struct lp_kpi *k)
{
	json_t *out;

	if (k->rejects == NULL)
		return NULL;
	out = json_deep_copy(k->rejects);
	json_object_set_new(out, "rate",
	    k->rej_in ? lp_kpi_num((double)k->rej_out / (double)k->rej_in)
		      : json_null());
	return out;
}

/*
 * The value at a JSON Pointer (RFC 6901) into m: "/" parts, "~1" for a
 * "/" and "~0" for a "~" in a key, an array index as a number.
 */
static json_t *
pointer_get(json_t *m, const char *path)
{
	struct lp_buf key;
	const char *p = path;

	lp_buf_init(&key);
	while (m != NULL && *p == '/') {
		char *end;
		unsigned long i;

		lp_buf_reset(&key);
		for (p++; *p != '\0' && *p != '/'; p++) {
			if (*p == '~' && (p[1] == '0' || p[1] == '1'))
				lp_buf_addc(&key, *++p == '0' ? '~' : '/');
			else
				lp_buf_addc(&key, *p);
		}
		lp_buf_addc(&key, '\0');
		if (json_is_array(m)) {
			i = strtoul(key.p, &end, 10);
			m = *key.p != '\0' && *end == '\0'
			    ? json_array_get(m, i)
			    : NULL;
		} else
			m = json_object_get(m, key.p);
	}
	lp_buf_release(&key);
	return m;
}

json_t *
lp_kpi_get(json_t *m, const char *path)
{
	char *copy, *save = NULL, *p;

	if (path[0] == '/')
		return pointer_get(m, path);
	copy = lp_xstrdup(path);
	for (p = strtok_r(copy, ".", &save); p != NULL && m != NULL;
	     p = strtok_r(NULL, ".", &save))
		m = json_object_get(m, p);
	free(copy);
	return m;
}

json_t *
lp_kpi_versions(const struct lp_kpi *k)
{
	json_t *out = json_object(), *a;
	size_t kv, i;

	for (kv = 0; kv < NVERSION_KEYS; kv++) {
		const struct versions_seen *s = &k->versions[kv];

		if (s->n == 0)
			continue;
		a = json_array();
		for (i = 0; i < s->n; i++)
			json_array_append_new(a, json_string(s->v[i]));
		if (s->more)
			json_array_append_new(a, json_string("..."));
		json_object_set_new(out, version_keys[kv], a);
	}
	return out;
}

/* The item's notes as "who: note; who: note", cut at a character. */
static json_t *
notes(const struct lp_kpi *k, const struct item_extra *e)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *out;
	size_t m;

	for (m = 0; m < e->nnotes; m++)
		lp_buf_addf(&b, "%s%s: %s", m ? "; " : "",
		    k->ratings.annot.v[e->notes[m].who], e->notes[m].text);
	out = json_stringn(b.p, utf8_cut(b.p, b.len, NOTES_MAX));
	lp_buf_release(&b);
	return out;
}

/* The item's row of the evidence: id, labels by annotator, and the rest. */
static json_t *
evidence_row(const struct lp_kpi *k, size_t i)
{
	const struct lp_ratings *r = &k->ratings;
	const struct lp_ratings_item *it = &r->it[i];
	const struct item_extra *e = i < k->next ? &k->ext[i] : NULL;
	json_t *row = json_object(), *labels = json_object();
	int j;

	json_object_set_new(row, "id", json_string(r->items.v[i]));
	for (j = 0; j < it->n; j++)
		json_object_set_new(labels, r->annot.v[it->who[j]],
		    json_string(r->classes.v[it->cls[j]]));
	json_object_set_new(row, "labels", labels);
	if (it->gold >= 0)
		json_object_set_new(
		    row, "gold", json_string(r->classes.v[it->gold]));
	if (it->judge >= 0)
		json_object_set_new(
		    row, "judge", json_string(r->classes.v[it->judge]));
	if (it->conf >= 0)
		json_object_set_new(row, "confidence", lp_kpi_num(it->conf));
	if (e != NULL && e->adjudicated != NULL)
		json_object_set_new(
		    row, "adjudicated", json_string(e->adjudicated));
	if (e != NULL && e->nnotes > 0)
		json_object_set_new(row, "notes", notes(k, e));
	return row;
}

/* The class most of the item's labels give (the first of a tie), or -1. */
static int
majority(const struct lp_ratings_item *it)
{
	int j, m, best = -1, bestn = 0;

	for (j = 0; j < it->n; j++) {
		int n = 0;

		for (m = 0; m < it->n; m++)
			n += it->cls[m] == it->cls[j];
		if (n > bestn) {
			best = it->cls[j];
			bestn = n;
		}
	}
	return best;
}

/* One more item of a list: counted, and a row while there is room. */
static void
evidence_add(const struct lp_kpi *k, json_t *list, size_t i, size_t cap)
{
	json_t *n = json_object_get(list, "items"),
	       *rows = json_object_get(list, "rows");

	json_integer_set(n, json_integer_value(n) + 1);
	if (json_array_size(rows) < cap)
		json_array_append_new(rows, evidence_row(k, i));
}

json_t *
lp_kpi_evidence(const struct lp_kpi *k, size_t cap)
{
	static const char *const lists[] = {
	    "disputed", "gold_misses", "judge_misses"};
	const struct lp_ratings *r = &k->ratings;
	json_t *out = json_object(), *l[3];
	size_t i;
	int j, x;

	for (x = 0; x < 3; x++) {
		l[x] = json_pack("{s:i,s:[]}", "items", 0, "rows");
		json_object_set_new(out, lists[x], l[x]);
	}
	for (i = 0; i < r->items.n; i++) {
		const struct lp_ratings_item *it = &r->it[i];
		int split = 0, missed = 0;

		for (j = 1; j < it->n; j++)
			split |= it->cls[j] != it->cls[0];
		for (j = 0; j < it->n; j++)
			missed |= it->gold >= 0 && it->cls[j] != it->gold;
		if (split)
			evidence_add(k, l[0], i, cap);
		if (missed)
			evidence_add(k, l[1], i, cap);
		if (it->judge >= 0 && it->n > 0 && majority(it) != it->judge)
			evidence_add(k, l[2], i, cap);
	}
	return out;
}

void
lp_kpi_free(struct lp_kpi *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->nfields; i++)
		free(k->fields[i]);
	free(k->fields);
	free(k->only_annot);
	json_decref(k->balance);
	lp_ratings_release(&k->ratings);
	for (i = 0; i < k->stages.n; i++)
		lp_quantile_release(&k->lat[i]);
	free(k->lat);
	lp_names_release(&k->stages);
	lp_quantile_release(&k->e2e);
	json_decref(k->rejects);
	json_decref(k->runs);
	json_decref(k->gold_key);
	for (i = 0; i < NVERSION_KEYS; i++)
		while (k->versions[i].n > 0)
			free(k->versions[i].v[--k->versions[i].n]);
	for (i = 0; i < k->next; i++) {
		while (k->ext[i].nnotes > 0)
			free(k->ext[i].notes[--k->ext[i].nnotes].text);
		free(k->ext[i].notes);
		free(k->ext[i].adjudicated);
	}
	free(k->ext);
	lp_buf_release(&k->scratch);
	lp_json_members_release(&k->lin);
	lp_json_members_release(&k->st);
	for (i = 0; i < RAW_DEPTH; i++)
		lp_json_members_release(&k->sub[i]);
	free(k);
}
