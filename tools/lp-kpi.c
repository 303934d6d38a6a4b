/*
 * lp-kpi: is a dataset version good enough to ship, and why.  Reads
 * labelled and rated records (any number of files: one per annotator is
 * usual), joins the labels of each item by id, and computes volume and
 * completeness, class balance, agreement between annotators (and with the
 * LLM judge), gold accuracy and stage latency; checks quality gates.
 *
 * Memory grows with the labelled items, annotators and classes, not with
 * all records: unlabelled records only add to counts.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/status.h"
#include "metrics/agree.h"
#include "core/audit.h"
#include "metrics/chart.h"
#include "tool/cli.h"
#include "core/hash.h"
#include "web/http.h"
#include "core/json.h"
#include "dedup/keyset.h"
#include "tool/log.h"
#include "metrics/quantile.h"
#include "tool/run.h"
#include "core/stream.h"
#include "core/data.h"

enum {
	OPT_ALERT_URL = LP_OPT_TOOL_BASE,
	OPT_BASELINE,
	OPT_BOOTSTRAP,
	OPT_BY,
	OPT_FIELD,
	OPT_GATES,
	OPT_HTML,
	OPT_JSON,
	OPT_MARKDOWN,
	OPT_NO_GATES,
	OPT_OPENLINEAGE,
	OPT_OVER,
	OPT_RUN_STATS,
	OPT_SEED,
	OPT_VERIFY_AUDIT
};

static const struct lp_tool tool = {"lp-kpi",
    "[-qv] [--json | --markdown] [--html file]\n"
    "       [--gates file | --no-gates] [--alert-url url] [--baseline file]\n"
    "       [--run-stats file] [--by key] [--over day|week] [--field path]\n"
    "       [--bootstrap n] [--seed s] [--verify-audit file]\n"
    "       [--openlineage file] [file ...]",
    "Measure a labelled dataset: completeness, balance, agreement, gold "
    "accuracy,\nlatency; check quality gates.",
    "      --json              write the metrics as one JSON object (the\n"
    "                          stable, documented format)\n"
    "      --markdown          write the report as Markdown tables\n"
    "      --html=FILE         also write a self-contained HTML report with\n"
    "                          charts to FILE\n"
    "      --gates=FILE        the quality gates to check (default: the\n"
    "                          built-in guidelines/gates.json); exit 1 if\n"
    "                          one fails\n"
    "      --no-gates          check no gates\n"
    "      --alert-url=URL     when a gate fails, POST a JSON alert (Slack-\n"
    "                          compatible) to URL\n"
    "      --baseline=FILE     compare with an earlier --json report: drift\n"
    "                          of distributions, agreement and gold accuracy\n"
    "      --run-stats=FILE    a tool's --stats file, for reject rates; may\n"
    "                          be repeated\n"
    "      --by=KEY            every metric also per annotator,\n"
    "                          pipeline_version, dataset_version,\n"
    "                          taxonomy_version or task_id\n"
    "      --over=day|week     every metric also per day or ISO week\n"
    "      --field=PATH        also report the class balance of PATH; may\n"
    "                          be repeated\n"
    "      --bootstrap=N       resamples for confidence intervals of kappa\n"
    "                          and alpha (default 1000, 0 for none)\n"
    "      --seed=S            the bootstrap's seed (default 1)\n"
    "      --verify-audit=FILE check the audit log's hash chain\n"
    "      --openlineage=FILE  write OpenLineage events (START, COMPLETE or\n"
    "                          FAIL) for each run in the --audit log to FILE\n",
    1};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"alert-url", required_argument, NULL, OPT_ALERT_URL},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
    {"by", required_argument, NULL, OPT_BY},
    {"field", required_argument, NULL, OPT_FIELD},
    {"gates", required_argument, NULL, OPT_GATES},
    {"html", required_argument, NULL, OPT_HTML},
    {"json", no_argument, NULL, OPT_JSON},
    {"markdown", no_argument, NULL, OPT_MARKDOWN},
    {"no-gates", no_argument, NULL, OPT_NO_GATES},
    {"openlineage", required_argument, NULL, OPT_OPENLINEAGE},
    {"over", required_argument, NULL, OPT_OVER},
    {"run-stats", required_argument, NULL, OPT_RUN_STATS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"verify-audit", required_argument, NULL, OPT_VERIFY_AUDIT},
    {NULL, 0, NULL, 0}};

/* Fields whose presence makes a record complete. */
static const char *const complete_fields[] = {"id", "title", "url", "price",
    "condition", "translation.text", "rating.score"};
#define NCOMPLETE (sizeof(complete_fields) / sizeof(*complete_fields))

/* A small string-keyed table: names to indices, in first-seen order. */
struct names {
	struct lp_keyset idx;
	char **v;
	size_t n;
};

static size_t
name_index(struct names *t, const char *s, size_t len)
{
	struct lp_key128 k = lp_key128_of(s, len);
	uint32_t i;

	if (t->idx.slots == NULL)
		lp_keyset_init(&t->idx, 1);
	if (lp_keyset_get(&t->idx, k, &i))
		return i;
	t->v = lp_xrealloc(t->v, sizeof(*t->v) * (t->n + 1));
	t->v[t->n] = lp_xmalloc(len + 1);
	memcpy(t->v[t->n], s, len);
	t->v[t->n][len] = '\0';
	lp_keyset_add(&t->idx, k, (uint32_t)t->n);
	return t->n++;
}

/* The labels given to one item: (annotator, class) pairs. */
struct item {
	int *who, *cls;
	int n;
	int gold;    /* class of the gold answer, or -1 */
	int judge;   /* class of the judge's score, or -1 */
	double conf; /* the judge's confidence, or -1 */
};

struct kstate {
	struct names items, annot, classes;
	struct item *it;
	size_t nit;
	long long records, labelled, complete[NCOMPLETE];
	json_t *balance; /* path -> {value: count} */
	/* latency: tool -> list of ms since the step before */
	struct names stages;
	struct lp_quantile *lat; /* per stage */
	struct lp_quantile e2e;
	long long *labels_by, *time_by;
};

/* --field paths, for every state alike. */
static char **fields;
static int nfields;

/* Scratch for the value texts the hot path names (reused). */
static struct lp_buf scratch;

/* The state being filled: the whole input, or one group's share. */
static struct kstate k;

/*
 * Drill-down and trends: the same metrics per group.  Each record is
 * counted once for the whole input and once for each group it belongs to,
 * by swapping the group's state in.
 */
struct group {
	char *key;
	struct kstate st;
};

struct grouping {
	const char *name; /* annotator, pipeline_version, ..., day, week */
	struct group *g;
	size_t n;
};

static struct grouping groupings[2];
static int ngroupings;

/* Groups by key: days and ISO weeks sort into time order. */
static int
cmp_group(const void *x, const void *y)
{
	return strcmp(
	    ((const struct group *)x)->key, ((const struct group *)y)->key);
}
static const char *only_annot; /* --by annotator: that one's labels */

static void
count_value(const char *path, json_t *v)
{
	json_t *b = json_object_get(k.balance, path), *n;
	const char *key;

	if (b == NULL) {
		b = json_object();
		json_object_set_new(k.balance, path, b);
	}
	if (json_is_string(v))
		key = json_string_value(v);
	else {
		lp_buf_reset(&scratch);
		lp_json_dump(v, &scratch);
		key = scratch.p;
	}
	/* Counts change in place: no new value per record. */
	if ((n = json_object_get(b, key)) != NULL)
		json_integer_set(n, json_integer_value(n) + 1);
	else
		json_object_set_new(b, key, json_integer(1));
}

/* The class index of a label value (canonical JSON as its name). */
static int
class_of(json_t *v)
{
	lp_buf_reset(&scratch);
	lp_json_dump(v, &scratch);
	return (int)name_index(&k.classes, scratch.p, scratch.len);
}

static void
add_latency(const char *stage, size_t len, double ms)
{
	size_t before = k.stages.n, s = name_index(&k.stages, stage, len);

	if (k.stages.n > before) {
		k.lat = lp_xrealloc(k.lat, sizeof(*k.lat) * k.stages.n);
		memset(&k.lat[s], 0, sizeof(*k.lat));
	}
	lp_quantile_add(&k.lat[s], ms);
}

/* Latency from lineage steps, fed one step at a time. */
struct steps {
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
		add_latency(stage, len, at - sp->prev);
	sp->prev = at;
	sp->n++;
}

/* End to end: from the first step to the last. */
static void
steps_done(struct steps *sp)
{
	if (sp->n >= 2)
		lp_quantile_add(&k.e2e, sp->prev - sp->first);
}

/*
 * The steps read straight from a canonical line: tools and times without
 * building the lineage (most of a record's bytes) as Jansson values.
 * Returns 0 when the record is not a plain canonical line.
 */
static int
steps_fast(struct lp_record *rec)
{
	static struct lp_json_members lin, st;
	const struct lp_json_member *m;
	struct steps sp = {0, 0, 0};
	const char *p, *e;
	size_t pos = 0, start, len;

	if (!rec->canonical || rec->root != NULL || rec->nedits != 0)
		return 0;
	if ((m = lp_json_find(rec->text, &rec->ms, "lineage", 7)) == NULL)
		return 1;
	p = rec->text + m->val;
	if (p[0] != '{' || !lp_json_scan_trusted(p, m->vallen, &lin) ||
	    (m = lp_json_find(p, &lin, "steps", 5)) == NULL)
		return 1;
	p += m->val;
	while (lp_json_array_next(p, m->vallen, &pos, &start, &len)) {
		const struct lp_json_member *t, *a;
		char num[40];
		double at = 0;

		e = p + start;
		if (e[0] != '{' || !lp_json_scan_trusted(e, len, &st))
			continue;
		/* A number's token, or 0 as json_number_value() gives. */
		if ((a = lp_json_find(e, &st, "at", 2)) != NULL &&
		    a->vallen < sizeof(num) &&
		    (e[a->val] == '-' ||
			(e[a->val] >= '0' && e[a->val] <= '9'))) {
			memcpy(num, e + a->val, a->vallen);
			num[a->vallen] = '\0';
			at = strtod(num, NULL);
		}
		t = lp_json_find(e, &st, "tool", 4);
		if (t != NULL && e[t->val] == '"' &&
		    memchr(e + t->val, '\\', t->vallen) == NULL)
			step_add(&sp, e + t->val + 1, t->vallen - 2, at);
		else
			step_add(&sp, NULL, 0, at);
	}
	steps_done(&sp);
	return 1;
}

/* The index of annotator who, with their counters grown to fit. */
static int
annotator(const char *who)
{
	size_t before = k.annot.n, a = name_index(&k.annot, who, strlen(who));

	if (k.annot.n > before) {
		k.labels_by =
		    lp_xrealloc(k.labels_by, sizeof(long long) * k.annot.n);
		k.time_by =
		    lp_xrealloc(k.time_by, sizeof(long long) * k.annot.n);
		k.labels_by[a] = k.time_by[a] = 0;
	}
	return (int)a;
}

/*
 * The raw text of a dotted path in a plain canonical line: 1 with its span
 * (which is its canonical form), 0 when absent, -1 when the record is not
 * such a line (use lp_record_get()).  Spares building Jansson values for
 * the fields that are only looked at.
 */
static int
raw_get(struct lp_record *rec, const char *path, const char **p, size_t *n)
{
	static struct lp_json_members sub[4];
	const struct lp_json_members *ms = &rec->ms;
	const char *text = rec->text;
	int depth = 0;

	if (!rec->canonical || rec->root != NULL || rec->nedits != 0)
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
		if (depth == 4)
			return -1;
		if (!lp_json_scan_trusted(*p, *n, &sub[depth]))
			return -1;
		text = *p;
		ms = &sub[depth++];
		path = dot + 1;
	}
}

/* Count a field's value in the balance, from the line when it can. */
static void
count_field(struct lp_record *rec, const char *path)
{
	const char *p;
	size_t n;
	int rc = raw_get(rec, path, &p, &n);
	json_t *v, *b, *c;

	if (rc == 0)
		return;
	if (rc < 0) {
		if ((v = lp_record_get(rec, path)) != NULL)
			count_value(path, v);
		return;
	}
	/* A string counts by its text, anything else by its JSON. */
	lp_buf_reset(&scratch);
	if (p[0] == '"' && memchr(p, '\\', n) == NULL)
		lp_buf_add(&scratch, p + 1, n - 2);
	else if (p[0] == '"') {
		v = lp_json_load(p, n, JSON_DECODE_ANY, NULL);
		lp_buf_adds(&scratch, json_string_value(v));
		json_decref(v);
	} else
		lp_buf_add(&scratch, p, n);
	if ((b = json_object_get(k.balance, path)) == NULL) {
		b = json_object();
		json_object_set_new(k.balance, path, b);
	}
	if ((c = json_object_get(b, scratch.p)) != NULL)
		json_integer_set(c, json_integer_value(c) + 1);
	else
		json_object_set_new(b, scratch.p, json_integer(1));
}

static void
record(struct lp_record *rec)
{
	json_t *labels, *l, *steps, *st, *g;
	const char *id;
	size_t i, j;
	struct item *it;

	k.records++;
	for (i = 0; i < NCOMPLETE; i++) {
		const char *p;
		size_t n;
		int rc = raw_get(rec, complete_fields[i], &p, &n);
		json_t *v;

		if (rc >= 0) {
			k.complete[i] += rc == 1 &&
			    !(n == 4 && memcmp(p, "null", 4) == 0) &&
			    !(n == 2 && memcmp(p, "\"\"", 2) == 0);
			continue;
		}
		v = lp_record_get(rec, complete_fields[i]);
		k.complete[i] += v != NULL && !json_is_null(v) &&
		    !(json_is_string(v) && json_string_length(v) == 0);
	}
	count_field(rec, "rating.score");
	for (i = 0; i < (size_t)nfields; i++)
		count_field(rec, fields[i]);
	/* Latency: each lineage step since the one before. */
	if (!steps_fast(rec)) {
		struct steps sp = {0, 0, 0};

		steps = lp_record_get(rec, "lineage.steps");
		json_array_foreach (steps, j, st) {
			json_t *t = json_object_get(st, "tool");

			step_add(&sp, json_string_value(t),
			    json_string_length(t),
			    json_number_value(json_object_get(st, "at")));
		}
		steps_done(&sp);
	}
	labels = lp_record_get(rec, "labels");
	id = lp_record_get_str(rec, "id");
	if (!json_is_array(labels) || json_array_size(labels) == 0 ||
	    id == NULL)
		return;
	k.labelled++;
	i = name_index(&k.items, id, strlen(id));
	if (i == k.nit) {
		k.it = lp_xrealloc(k.it, sizeof(*k.it) * (k.nit + 1));
		memset(&k.it[k.nit], 0, sizeof(*k.it));
		k.it[k.nit].gold = k.it[k.nit].judge = -1;
		k.it[k.nit].conf = -1;
		k.nit++;
	}
	it = &k.it[i];
	json_array_foreach (labels, j, l) {
		const char *who =
		    json_string_value(json_object_get(l, "annotator_id"));
		json_t *lab = json_object_get(l, "label");
		int a, c, m;

		if (who == NULL || lab == NULL || json_is_null(lab) ||
		    (only_annot != NULL && strcmp(who, only_annot) != 0))
			continue;
		a = annotator(who);
		c = class_of(lab);
		count_value("labels", lab);
		/* One label per annotator and item: the last one counts. */
		for (m = 0; m < it->n && it->who[m] != a; m++)
			;
		if (m == it->n) {
			it->who = lp_xrealloc(
			    it->who, sizeof(int) * (size_t)(it->n + 1));
			it->cls = lp_xrealloc(
			    it->cls, sizeof(int) * (size_t)(it->n + 1));
			it->n++;
		}
		it->who[m] = a;
		it->cls[m] = c;
		k.labels_by[a]++;
		k.time_by[a] +=
		    json_integer_value(json_object_get(l, "time_to_label_ms"));
	}
	if ((g = lp_record_get(rec, "gold.label")) != NULL ||
	    (g = lp_record_get(rec, "gold.score")) != NULL)
		it->gold = class_of(g);
	if ((g = lp_record_get(rec, "rating.score")) != NULL)
		it->judge = class_of(g);
	if (json_is_number(g = lp_record_get(rec, "rating.confidence")))
		it->conf = json_number_value(g);
}

/* The group keys of rec under grouping name, into keys (strings). */
static void
group_keys(struct lp_record *rec, const char *name, json_t *keys)
{
	json_t *labels = lp_record_get(rec, "labels"), *l, *at = NULL;
	struct lp_buf path = LP_BUF_INIT;
	const char *s;
	size_t i;

	json_array_clear(keys);
	if (strcmp(name, "annotator") == 0) {
		json_array_foreach (labels, i, l)
			if (json_is_string(json_object_get(l, "annotator_id")))
				json_array_append(
				    keys, json_object_get(l, "annotator_id"));
		return;
	}
	if (strcmp(name, "taxonomy_version") == 0) {
		s = json_string_value(json_object_get(
		    json_array_get(labels, 0), "taxonomy_version"));
		json_array_append_new(keys, json_string(s ? s : "(none)"));
		return;
	}
	if (strcmp(name, "day") != 0 && strcmp(name, "week") != 0) {
		lp_buf_addf(&path, "lineage.%s", name);
		s = lp_record_get_str(rec, path.p);
		json_array_append_new(keys, json_string(s ? s : "(none)"));
		lp_buf_release(&path);
		return;
	}
	/* Time: the first label's, else the last lineage step's. */
	at = json_object_get(json_array_get(labels, 0), "at");
	if (at == NULL) {
		json_t *steps = lp_record_get(rec, "lineage.steps");

		at = json_object_get(
		    json_array_get(steps, json_array_size(steps) - 1), "at");
	}
	if (json_is_number(at) || json_is_string(at)) {
		struct tm tm;
		time_t t;
		char buf[32];

		memset(&tm, 0, sizeof(tm));
		if (json_is_number(at))
			t = (time_t)(json_number_value(at) / 1000);
		else if (sscanf(json_string_value(at), "%4d-%2d-%2d",
			     &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			t = timegm(&tm);
		} else
			t = (time_t)-1;
		if (t != (time_t)-1 && gmtime_r(&t, &tm) != NULL) {
			strftime(buf, sizeof(buf),
			    name[0] == 'd' ? "%Y-%m-%d" : "%G-W%V", &tm);
			json_array_append_new(keys, json_string(buf));
			return;
		}
	}
	json_array_append_new(keys, json_string("(no time)"));
}

static struct group *
group_of(struct grouping *gr, const char *key)
{
	size_t i;

	for (i = 0; i < gr->n; i++)
		if (strcmp(gr->g[i].key, key) == 0)
			return &gr->g[i];
	gr->g = lp_xrealloc(gr->g, sizeof(*gr->g) * (gr->n + 1));
	memset(&gr->g[gr->n], 0, sizeof(gr->g[0]));
	gr->g[gr->n].key = lp_xstrdup(key);
	gr->g[gr->n].st.balance = json_object();
	return &gr->g[gr->n++];
}

/* Count rec in every group it belongs to. */
static void
record_groups(struct lp_record *rec, json_t *keys)
{
	struct kstate whole;
	json_t *key;
	size_t i;
	int gi;

	for (gi = 0; gi < ngroupings; gi++) {
		group_keys(rec, groupings[gi].name, keys);
		json_array_foreach (keys, i, key) {
			struct group *g =
			    group_of(&groupings[gi], json_string_value(key));

			whole = k;
			k = g->st;
			only_annot =
			    strcmp(groupings[gi].name, "annotator") == 0
			    ? json_string_value(key)
			    : NULL;
			record(rec);
			g->st = k;
			k = whole;
		}
	}
	only_annot = NULL;
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

/* A number or null (undefined results are said, never NaN). */
static json_t *
num(double x)
{
	return isnan(x) ? json_null() : json_real(round(x * 1e6) / 1e6);
}

/*
 * Classes ordered for the ordinal measures: numbers by value, then the
 * rest by name.  Fills rank[class] and returns the ordered values.
 */
static double *
class_order(int *rank)
{
	size_t n = k.classes.n, i, j;
	double *val = lp_xmalloc(sizeof(double) * (n ? n : 1));
	int *ord = lp_xmalloc(sizeof(int) * (n ? n : 1));

	for (i = 0; i < n; i++) {
		char *end;

		val[i] = strtod(k.classes.v[i], &end);
		if (*end != '\0')
			val[i] = HUGE_VAL;
		ord[i] = (int)i;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			int a = ord[j - 1], b = ord[j];

			if (val[a] > val[b] ||
			    (val[a] == val[b] &&
				strcmp(k.classes.v[a], k.classes.v[b]) > 0)) {
				ord[j - 1] = b;
				ord[j] = a;
			} else
				break;
		}
	for (i = 0; i < n; i++)
		rank[ord[i]] = (int)i;
	for (i = 0; i < n; i++)
		val[i] = (double)i; /* interval over ranks when not numbers */
	for (i = 0; i < n; i++) {
		char *end;
		double x = strtod(k.classes.v[ord[i]], &end);

		if (*end == '\0')
			val[i] = x;
	}
	free(ord);
	return val;
}

static json_t *
agreement(int nboot, unsigned long long seed)
{
	size_t na = k.annot.n, nc = k.classes.n, i;
	int *rank = lp_xmalloc(sizeof(int) * (nc ? nc : 1)), *m, a, b, c;
	double *vals = class_order(rank);
	json_t *out = json_object(), *pairs = json_array(),
	       *names = json_array();
	long long agree = 0, pairable = 0;

	for (i = 0; i < na; i++)
		json_array_append_new(names, json_string(k.annot.v[i]));
	json_object_set_new(out, "annotators", names);
	json_object_set_new(out, "items", json_integer((json_int_t)k.nit));
	if (na < 2 || nc == 0) {
		json_object_set_new(out, "undefined",
		    json_string(
			na < 2 ? "fewer than two annotators" : "no labels"));
		free(rank);
		free(vals);
		json_decref(pairs);
		return out;
	}
	/* Dense items x annotators, classes in their order, -1 missing. */
	m = lp_xmalloc(sizeof(int) * (k.nit ? k.nit : 1) * na);
	for (i = 0; i < k.nit * na; i++)
		m[i] = -1;
	for (i = 0; i < k.nit; i++)
		for (a = 0; a < k.it[i].n; a++)
			m[i * na + (size_t)k.it[i].who[a]] =
			    rank[k.it[i].cls[a]];
	/* Percent agreement over pairs of labels on the same item. */
	for (i = 0; i < k.nit; i++)
		for (a = 0; a < (int)na; a++)
			for (b = a + 1; b < (int)na; b++) {
				int x = m[i * na + (size_t)a],
				    y = m[i * na + (size_t)b];

				if (x < 0 || y < 0)
					continue;
				pairable++;
				agree += x == y;
			}
	json_object_set_new(out, "percent",
	    pairable ? num((double)agree / (double)pairable) : json_null());
	json_object_set_new(out, "fleiss_kappa",
	    num(lp_fleiss_kappa(m, k.nit, (int)na, (int)nc)));
	json_object_set_new(out, "kripp_alpha",
	    json_pack("{s:o,s:o,s:o}", "nominal",
		num(lp_kripp_alpha(
		    m, k.nit, (int)na, (int)nc, LP_NOMINAL, NULL)),
		"ordinal",
		num(lp_kripp_alpha(
		    m, k.nit, (int)na, (int)nc, LP_ORDINAL, NULL)),
		"interval",
		num(lp_kripp_alpha(
		    m, k.nit, (int)na, (int)nc, LP_INTERVAL, vals))));
	json_object_set_new(out, "gwet_ac1",
	    num(lp_gwet_ac(m, k.nit, (int)na, (int)nc, LP_W_NONE)));
	json_object_set_new(out, "gwet_ac2",
	    num(lp_gwet_ac(m, k.nit, (int)na, (int)nc, LP_W_QUADRATIC)));
	/*
	 * Each resample costs a pass over the items: past 20 million item
	 * passes the resamples are cut (to 100 at least) and the report says
	 * how many were made.
	 */
	if (nboot > 0 && (double)nboot * (double)k.nit > 2e7)
		nboot = k.nit > 200000 ? 100 : (int)(2e7 / (double)k.nit);
	if (nboot > 0) {
		json_object_set_new(out, "bootstrap", json_integer(nboot));
		static const enum lp_metric ms[] = {LP_ORDINAL, LP_NOMINAL};
		double los[2], his[2];

		lp_kripp_bootstrap(m, k.nit, (int)na, (int)nc, ms, 2, NULL,
		    nboot, seed, 0.95, los, his);
		if (!isnan(los[0]))
			json_object_set_new(out, "kripp_alpha_ordinal_ci95",
			    json_pack("[o,o]", num(los[0]), num(his[0])));
		if (!isnan(los[1]))
			json_object_set_new(out, "kripp_alpha_nominal_ci95",
			    json_pack("[o,o]", num(los[1]), num(his[1])));
	}
	/*
	 * Every pair of annotators who labelled an item in common: kappas and
	 * the confusion matrix.
	 */
	for (a = 0; a < (int)na; a++)
		for (b = a + 1; b < (int)na; b++) {
			int *x = lp_xmalloc(sizeof(int) * (k.nit ? k.nit : 1)),
			    *y = lp_xmalloc(sizeof(int) * (k.nit ? k.nit : 1));
			unsigned long *cm = lp_xmalloc(sizeof(*cm) * nc * nc);
			json_t *p, *rows = json_array();
			size_t both;
			double po;

			for (i = 0; i < k.nit; i++) {
				x[i] = m[i * na + (size_t)a];
				y[i] = m[i * na + (size_t)b];
			}
			both = lp_confusion(x, y, k.nit, (int)nc, cm);
			/* Annotators who never met say nothing of each other.
			 */
			if (both == 0) {
				json_decref(rows);
				free(x);
				free(y);
				free(cm);
				continue;
			}
			for (c = 0; c < (int)nc; c++) {
				json_t *row = json_array();
				int d;

				for (d = 0; d < (int)nc; d++)
					json_array_append_new(row,
					    json_integer((json_int_t)
						    cm[c * (int)nc + d]));
				json_array_append_new(rows, row);
			}
			p = json_pack("{s:s,s:s,s:I,s:o,s:o,s:o}", "a",
			    k.annot.v[a], "b", k.annot.v[b], "items",
			    (json_int_t)both, "kappa",
			    num(lp_cohen_kappa(
				x, y, k.nit, (int)nc, LP_W_NONE, &po)),
			    "kappa_linear",
			    num(lp_cohen_kappa(
				x, y, k.nit, (int)nc, LP_W_LINEAR, NULL)),
			    "kappa_quadratic",
			    num(lp_cohen_kappa(
				x, y, k.nit, (int)nc, LP_W_QUADRATIC, NULL)));
			json_object_set_new(p, "percent", num(po));
			json_object_set_new(
			    p, "pabak", num(lp_pabak(po, (int)nc)));
			{
				json_t *per = json_object();
				int *ord = lp_xmalloc(sizeof(int) * nc);

				for (i = 0; i < nc; i++)
					ord[rank[i]] = (int)i;
				for (c = 0; c < (int)nc; c++)
					json_object_set_new(per,
					    k.classes.v[ord[c]],
					    num(lp_cohen_kappa_class(
						x, y, k.nit, c)));
				json_object_set_new(p, "kappa_per_class", per);
				free(ord);
			}
			json_object_set_new(p, "confusion", rows);
			json_array_append_new(pairs, p);
			free(x);
			free(y);
			free(cm);
		}
	json_object_set_new(out, "pairs", pairs);
	{
		json_t *cls = json_array();
		int *ord = lp_xmalloc(sizeof(int) * nc);

		for (i = 0; i < nc; i++)
			ord[rank[i]] = (int)i;
		for (i = 0; i < nc; i++)
			json_array_append_new(
			    cls, json_string(k.classes.v[ord[i]]));
		json_object_set_new(out, "classes", cls);
		free(ord);
	}
	free(m);
	free(rank);
	free(vals);
	return out;
}

static json_t *
gold(void)
{
	json_t *out = json_object(), *by = json_object();
	long long right = 0, seen = 0, *gold_right, *gold_seen;
	size_t i, a;
	int j;

	gold_right = calloc(k.annot.n + 1, sizeof(long long));
	gold_seen = calloc(k.annot.n + 1, sizeof(long long));
	for (i = 0; i < k.nit; i++) {
		if (k.it[i].gold < 0)
			continue;
		for (j = 0; j < k.it[i].n; j++) {
			a = (size_t)k.it[i].who[j];
			gold_seen[a]++;
			gold_right[a] += k.it[i].cls[j] == k.it[i].gold;
			seen++;
			right += k.it[i].cls[j] == k.it[i].gold;
		}
	}
	for (a = 0; a < k.annot.n; a++)
		json_object_set_new(by, k.annot.v[a],
		    gold_seen[a]
			? num((double)gold_right[a] / (double)gold_seen[a])
			: json_null());
	json_object_set_new(out, "items_labelled", json_integer(seen));
	json_object_set_new(out, "accuracy",
	    seen ? num((double)right / (double)seen) : json_null());
	json_object_set_new(out, "by_annotator", by);
	free(gold_right);
	free(gold_seen);
	return out;
}

/* The judge against the annotators' majority label, as kappa. */
static json_t *
judge(void)
{
	int *a = lp_xmalloc(sizeof(int) * (k.nit ? k.nit : 1)),
	    *b = lp_xmalloc(sizeof(int) * (k.nit ? k.nit : 1)),
	    *votes = calloc(k.classes.n + 1, sizeof(int));
	size_t i, n = 0;
	double kap;
	json_t *cal;

	for (i = 0; i < k.nit; i++) {
		int j, best = -1;

		if (k.it[i].judge < 0 || k.it[i].n == 0)
			continue;
		memset(votes, 0, sizeof(int) * (k.classes.n + 1));
		for (j = 0; j < k.it[i].n; j++)
			votes[k.it[i].cls[j]]++;
		for (j = 0; j < (int)k.classes.n; j++)
			if (best < 0 || votes[j] > votes[best])
				best = j;
		a[n] = best;
		b[n++] = k.it[i].judge;
	}
	kap = lp_cohen_kappa(a, b, n, (int)k.classes.n, LP_W_NONE, NULL);
	/*
	 * Calibration: the judge's accuracy against the human majority per
	 * tenth of its confidence; a calibrated judge is right about as
	 * often as it is confident.
	 */
	{
		long long right[10] = {0}, seen[10] = {0};
		size_t m = 0;

		for (i = 0; i < k.nit; i++) {
			int bin;

			if (k.it[i].judge < 0 || k.it[i].n == 0)
				continue;
			if (k.it[i].conf >= 0 && k.it[i].conf <= 1) {
				bin = (int)(k.it[i].conf * 10);
				bin = bin > 9 ? 9 : bin;
				seen[bin]++;
				right[bin] += a[m] == b[m];
			}
			m++;
		}
		cal = json_array();
		for (i = 0; i < 10; i++)
			if (seen[i] > 0)
				json_array_append_new(cal,
				    json_pack("{s:f,s:f,s:I,s:o}", "from",
					(double)i / 10, "to",
					(double)(i + 1) / 10, "items",
					(json_int_t)seen[i], "accuracy",
					num((double)right[i] /
					    (double)seen[i])));
	}
	free(a);
	free(b);
	free(votes);
	return json_pack("{s:I,s:o,s:o}", "items", (json_int_t)n,
	    "kappa_vs_humans", num(kap), "calibration", cal);
}

/*
 * A group sees only its own records, but an item's gold answer and the
 * judge's score may come with another annotator's copy of the record:
 * take them from the whole input where the group has none.
 */
static void
fill_from(const struct kstate *whole)
{
	size_t i;

	for (i = 0; i < k.nit; i++) {
		const char *id = k.items.v[i];
		const struct item *w;
		uint32_t wi;

		if (!lp_keyset_get(
			&whole->items.idx, lp_key128_of(id, strlen(id)), &wi))
			continue;
		w = &whole->it[wi];
		if (k.it[i].gold < 0 && w->gold >= 0)
			k.it[i].gold = (int)name_index(&k.classes,
			    whole->classes.v[w->gold],
			    strlen(whole->classes.v[w->gold]));
		if (k.it[i].judge < 0 && w->judge >= 0)
			k.it[i].judge = (int)name_index(&k.classes,
			    whole->classes.v[w->judge],
			    strlen(whole->classes.v[w->judge]));
		if (k.it[i].conf < 0)
			k.it[i].conf = w->conf;
	}
}

static json_t *
metrics(int nboot, unsigned long long seed)
{
	json_t *out = json_object(), *comp = json_object(),
	       *lat = json_object();
	size_t i;

	json_object_set_new(out, "records", json_integer(k.records));
	json_object_set_new(out, "labelled", json_integer(k.labelled));
	for (i = 0; i < NCOMPLETE; i++)
		json_object_set_new(comp, complete_fields[i],
		    k.records ? num((double)k.complete[i] / (double)k.records)
			      : json_null());
	json_object_set_new(out, "completeness", comp);
	json_object_set_new(out, "balance", json_incref(k.balance));
	json_object_set_new(out, "agreement", agreement(nboot, seed));
	json_object_set_new(out, "judge", judge());
	json_object_set_new(out, "gold", gold());
	{
		json_t *tp = json_object();

		for (i = 0; i < k.annot.n; i++)
			json_object_set_new(tp, k.annot.v[i],
			    json_pack("{s:I,s:o}", "labels",
				(json_int_t)k.labels_by[i], "per_hour",
				k.time_by[i] > 0
				    ? num((double)k.labels_by[i] * 3.6e6 /
					  (double)k.time_by[i])
				    : json_null()));
		json_object_set_new(out, "throughput", tp);
	}
	for (i = 0; i < k.stages.n; i++)
		json_object_set_new(lat, k.stages.v[i], percentiles(&k.lat[i]));
	json_object_set_new(lat, "end_to_end", percentiles(&k.e2e));
	json_object_set_new(out, "latency_ms", lat);
	return out;
}

/* Thresholds beyond which drift is flagged (see the man page). */
#define PSI_SHIFT 0.2
#define JS_SHIFT 0.1
#define DROP_SHIFT 0.05

static json_t *at_path(json_t *m, const char *path);

/* PSI and JS distance of two {value: count} maps, over their union. */
static json_t *
dist_drift(json_t *now, json_t *then)
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
	return json_pack("{s:o,s:o,s:b}", "psi", num(psi), "js", num(js),
	    "shift", psi > PSI_SHIFT || js > JS_SHIFT);
}

/* Drift against an earlier report: distributions, then key figures. */
static json_t *
drift(json_t *m, json_t *base)
{
	static const char *const figures[] = {"agreement.percent",
	    "agreement.kripp_alpha.ordinal", "gold.accuracy",
	    "judge.kappa_vs_humans"};
	json_t *out = json_object(), *bal = json_object_get(m, "balance"), *v;
	const char *key;
	size_t i;

	json_object_foreach (bal, key, v)
		json_object_set_new(out, key,
		    dist_drift(
			v, at_path(json_object_get(base, "balance"), key)));
	for (i = 0; i < sizeof(figures) / sizeof(*figures); i++) {
		json_t *a = at_path(base, figures[i]),
		       *b = at_path(m, figures[i]);

		if (!json_is_number(a) || !json_is_number(b))
			continue;
		json_object_set_new(out, figures[i],
		    json_pack("{s:o,s:o,s:o,s:b}", "baseline",
			num(json_number_value(a)), "now",
			num(json_number_value(b)), "change",
			num(json_number_value(b) - json_number_value(a)),
			"shift",
			json_number_value(a) - json_number_value(b) >
			    DROP_SHIFT));
	}
	return out;
}

/* Reject rates from tools' --stats files: skipped + quarantined over in. */
static json_t *
rejects(char **files, int n)
{
	json_t *out = json_object();
	long long tin = 0, trej = 0;
	int i;

	for (i = 0; i < n; i++) {
		json_t *st = lp_cli_json_file(files[i]), *t;
		const char *tool_name;
		long long in, rej;

		tool_name = json_string_value(json_object_get(st, "tool"));
		if (tool_name == NULL ||
		    !json_is_integer(json_object_get(st, "in")))
			lp_errx(LP_EXIT_DATAERR,
			    "%s: not a --stats file (no tool and in)",
			    files[i]);
		in = json_integer_value(json_object_get(st, "in"));
		rej = json_integer_value(json_object_get(st, "skipped")) +
		    json_integer_value(json_object_get(st, "quarantined"));
		if ((t = json_object_get(out, tool_name)) != NULL) {
			in += json_integer_value(json_object_get(t, "in"));
			rej +=
			    json_integer_value(json_object_get(t, "rejected"));
		}
		json_object_set_new(out, tool_name,
		    json_pack("{s:I,s:I,s:o}", "in", (json_int_t)in, "rejected",
			(json_int_t)rej, "rate",
			in ? num((double)rej / (double)in) : json_null()));
		tin += json_integer_value(json_object_get(st, "in"));
		trej += json_integer_value(json_object_get(st, "skipped")) +
		    json_integer_value(json_object_get(st, "quarantined"));
		json_decref(st);
	}
	json_object_set_new(
	    out, "rate", tin ? num((double)trej / (double)tin) : json_null());
	return out;
}

/* The value at a dotted path of the metrics, or NULL. */
static json_t *
at_path(json_t *m, const char *path)
{
	char *copy = lp_xstrdup(path), *save = NULL, *p;

	for (p = strtok_r(copy, ".", &save); p != NULL && m != NULL;
	     p = strtok_r(NULL, ".", &save))
		m = json_object_get(m, p);
	free(copy);
	return m;
}

/*
 * Gates: [{"metric": path, "op": "<"|"<="|">"|">=", "value": number,
 * "undefined": "fail"|"skip"}], or an object holding them under "gates";
 * path NULL means the built-in guidelines/gates.json.  Returns the number
 * that failed; results into out.
 */
static int
gates(const char *path, json_t *m, json_t *out, struct lp_run *run)
{
	json_t *g = path ? lp_cli_json_file(path)
			 : json_loadb((const char *)lp_data_gates,
			       lp_data_gates_len, 0, NULL),
	       *x;
	const char *name = path ? path : "built-in gates";
	size_t i;
	int failed = 0;

	if (json_is_object(g) && json_is_array(json_object_get(g, "gates"))) {
		x = json_incref(json_object_get(g, "gates"));
		json_decref(g);
		g = x;
	}
	if (!json_is_array(g))
		lp_errx(LP_EXIT_DATAERR, "%s: expected a list of gates", name);
	json_array_foreach (g, i, x) {
		const char *metric =
			       json_string_value(json_object_get(x, "metric")),
			   *op = json_string_value(json_object_get(x, "op")),
			   *undef = json_string_value(
			       json_object_get(x, "undefined"));
		json_t *want = json_object_get(x, "value"), *have, *res;
		double v, t;
		int pass;

		if (metric == NULL || op == NULL || !json_is_number(want) ||
		    (strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") &&
			strcmp(op, ">=")))
			lp_errx(LP_EXIT_DATAERR,
			    "%s: gate %zu needs metric, op (< <= > >=) and "
			    "a number",
			    name, i + 1);
		if (undef != NULL && strcmp(undef, "fail") &&
		    strcmp(undef, "skip"))
			lp_errx(LP_EXIT_DATAERR,
			    "%s: gate %zu: undefined is fail or skip, not '%s'",
			    name, i + 1, undef);
		have = at_path(m, metric);
		t = json_number_value(want);
		v = json_is_number(have) ? json_number_value(have) : NAN;
		pass = !isnan(v) &&
		    (op[0] == '<' ? (op[1] ? v <= t : v < t)
				  : (op[1] ? v >= t : v > t));
		res = json_pack("{s:s,s:s,s:f,s:o}", "metric", metric, "op", op,
		    "threshold", t, "value",
		    isnan(v) ? json_null() : json_real(v));
		/* pass: true, false, or null when skipped as undefined. */
		if (isnan(v) && undef != NULL && strcmp(undef, "skip") == 0)
			json_object_set_new(res, "pass", json_null());
		else {
			json_object_set_new(res, "pass", json_boolean(pass));
			failed += !pass;
		}
		lp_run_audit(run, "gate", json_deep_copy(res));
		json_array_append_new(out, res);
	}
	json_decref(g);
	return failed;
}

/* A figure as text: four decimals, a message as is, or "undefined". */
static void
figure(FILE *f, json_t *v)
{
	if (json_is_number(v))
		fprintf(f, "%.4f", json_number_value(v));
	else if (json_is_string(v))
		fprintf(f, "%s", json_string_value(v));
	else
		fprintf(f, "undefined");
}

static void
fmt(FILE *f, const char *label, json_t *v)
{
	fprintf(f, "  %-28s ", label);
	figure(f, v);
	fprintf(f, "\n");
}

static void
md_row(FILE *f, const char *label, json_t *v)
{
	fprintf(f, "| %s | ", label);
	figure(f, v);
	fprintf(f, " |\n");
}

/* The agreement, judge and gold rows, through a row printer. */
static void
agreement_rows(FILE *f, json_t *m, void (*row)(FILE *, const char *, json_t *))
{
	json_t *ag = json_object_get(m, "agreement"), *p;
	size_t i;

	if (json_object_get(ag, "undefined") != NULL)
		row(f, "agreement", json_object_get(ag, "undefined"));
	else {
		row(f, "percent", json_object_get(ag, "percent"));
		row(f, "Fleiss' kappa", json_object_get(ag, "fleiss_kappa"));
		row(f, "Krippendorff's alpha, ord.",
		    at_path(ag, "kripp_alpha.ordinal"));
		row(f, "Gwet's AC1", json_object_get(ag, "gwet_ac1"));
		json_array_foreach (json_object_get(ag, "pairs"), i, p) {
			char label[96];

			snprintf(label, sizeof(label),
			    "Cohen's kappa, %s and %s",
			    json_string_value(json_object_get(p, "a")),
			    json_string_value(json_object_get(p, "b")));
			row(f, label, json_object_get(p, "kappa"));
		}
	}
	row(f, "judge kappa vs humans", at_path(m, "judge.kappa_vs_humans"));
	row(f, "gold accuracy", at_path(m, "gold.accuracy"));
	if (json_object_get(m, "rejects") != NULL)
		row(f, "reject rate", at_path(m, "rejects.rate"));
}

/* One line per group: records and the main figures. */
static void
groups_block(FILE *f, json_t *m, int md)
{
	static const char *const where[] = {"by", "over"};
	json_t *per, *gm;
	const char *gname, *key;
	size_t w;

	for (w = 0; w < 2; w++)
		json_object_foreach (json_object_get(m, where[w]), gname, per) {
			if (md)
				fprintf(f,
				    "\n## %s %s\n\n| %s | records | agreement "
				    "| alpha (ord.) | gold |\n| --- | ---: | "
				    "---: | ---: | ---: |\n",
				    where[w], gname, gname);
			else
				fprintf(f, "%s %s\n", where[w], gname);
			json_object_foreach (per, key, gm) {
				fprintf(f,
				    md ? "| %s | %lld | " : "  %-20s %6lld  ",
				    key,
				    (long long)json_integer_value(
					json_object_get(gm, "records")));
				figure(f, at_path(gm, "agreement.percent"));
				fprintf(f, md ? " | " : "  ");
				figure(f,
				    at_path(
					gm, "agreement.kripp_alpha.ordinal"));
				fprintf(f, md ? " | " : "  ");
				figure(f, at_path(gm, "gold.accuracy"));
				fprintf(f, md ? " |\n" : "\n");
			}
		}
}

static void
table(FILE *f, json_t *m, json_t *gs)
{
	json_t *ag = json_object_get(m, "agreement"), *p, *v;
	const char *key;
	size_t i;

	fprintf(f, "records %lld, labelled %lld\n",
	    (long long)json_integer_value(json_object_get(m, "records")),
	    (long long)json_integer_value(json_object_get(m, "labelled")));
	fprintf(f, "completeness\n");
	json_object_foreach (json_object_get(m, "completeness"), key, v)
		fmt(f, key, v);
	fprintf(f, "agreement (%zu annotators, %lld items)\n",
	    json_array_size(json_object_get(ag, "annotators")),
	    (long long)json_integer_value(json_object_get(ag, "items")));
	agreement_rows(f, m, fmt);
	json_object_foreach (json_object_get(m, "drift"), key, v) {
		json_t *x = json_object_get(v, "psi");

		if (x != NULL)
			fprintf(f, "drift %-22s PSI %.4f, JS %.4f%s\n", key,
			    json_number_value(x),
			    json_number_value(json_object_get(v, "js")),
			    json_is_true(json_object_get(v, "shift"))
				? "  SHIFT"
				: "");
		else if ((x = json_object_get(v, "change")) != NULL)
			fprintf(f, "drift %-22s %+.4f (from %.4f)%s\n", key,
			    json_number_value(x),
			    json_number_value(json_object_get(v, "baseline")),
			    json_is_true(json_object_get(v, "shift"))
				? "  SHIFT"
				: "");
	}
	groups_block(f, m, 0);
	json_array_foreach (gs, i, p) {
		json_t *val = json_object_get(p, "value");

		fprintf(f, "gate %-24s %-4s %s %g (value ",
		    json_string_value(json_object_get(p, "metric")),
		    json_is_null(json_object_get(p, "pass"))	   ? "skip"
			: json_is_true(json_object_get(p, "pass")) ? "pass"
								   : "FAIL",
		    json_string_value(json_object_get(p, "op")),
		    json_number_value(json_object_get(p, "threshold")));
		if (json_is_number(val))
			fprintf(f, "%.4g)\n", json_number_value(val));
		else
			fprintf(f, "undefined)\n");
	}
}

static void
markdown(FILE *f, json_t *m, json_t *gs)
{
	json_t *p, *v;
	const char *key;
	size_t i;

	fprintf(f, "# Dataset quality\n\n%lld records, %lld labelled.\n\n",
	    (long long)json_integer_value(json_object_get(m, "records")),
	    (long long)json_integer_value(json_object_get(m, "labelled")));
	fprintf(f, "## Completeness\n\n| field | share |\n| --- | ---: |\n");
	json_object_foreach (json_object_get(m, "completeness"), key, v)
		md_row(f, key, v);
	fprintf(f, "\n## Agreement\n\n| measure | value |\n| --- | ---: |\n");
	agreement_rows(f, m, md_row);
	groups_block(f, m, 1);
	if (json_array_size(gs) > 0) {
		fprintf(f,
		    "\n## Gates\n\n| metric | result | rule | value "
		    "|\n| --- | --- | --- | ---: |\n");
		json_array_foreach (gs, i, p) {
			json_t *val = json_object_get(p, "value");

			fprintf(f, "| %s | %s | %s %g | ",
			    json_string_value(json_object_get(p, "metric")),
			    json_is_null(json_object_get(p, "pass")) ? "skip"
				: json_is_true(json_object_get(p, "pass"))
				? "pass"
				: "**FAIL**",
			    json_string_value(json_object_get(p, "op")),
			    json_number_value(json_object_get(p, "threshold")));
			if (json_is_number(val))
				fprintf(f, "%.4g |\n", json_number_value(val));
			else
				fprintf(f, "undefined |\n");
		}
	}
}

/* ---- The HTML report: one file, inline CSS and SVG, nothing fetched. */

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
html_figure(FILE *f, json_t *v)
{
	struct lp_buf b = LP_BUF_INIT;

	if (json_is_number(v))
		fprintf(f, "%.4f", json_number_value(v));
	else {
		lp_html_escape(
		    &b, json_is_string(v) ? json_string_value(v) : "undefined");
		fputs(b.p, f);
	}
	lp_buf_release(&b);
}

static void
html_text(FILE *f, const char *s)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_html_escape(&b, s);
	fputs(b.p, f);
	lp_buf_release(&b);
}

static void
html_row(FILE *f, const char *label, json_t *v)
{
	fputs("<tr><td>", f);
	html_text(f, label);
	fputs("</td><td class=\"n\">", f);
	html_figure(f, v);
	fputs("</td></tr>\n", f);
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
		json_t *y = member ? at_path(x, member) : x;

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

static void
chart_of(FILE *f, json_t *obj, const char *member, int sorted,
    const char *title, double vmax, const char *unit, const char *back_member)
{
	struct lp_buf b = LP_BUF_INIT;
	const char **names, **unused;
	double *v, *back = NULL;
	size_t n = series(obj, member, sorted, &names, &v);

	if (back_member != NULL) {
		series(obj, back_member, sorted, &unused, &back);
		free(unused);
	}
	if (n > 0) {
		lp_chart_bars(&b, title, names, v, back, n, vmax, unit);
		fputs(b.p, f);
	}
	lp_buf_release(&b);
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
kappa_heat(FILE *f, json_t *ag)
{
	json_t *who = json_object_get(ag, "annotators"), *p;
	size_t n = json_array_size(who), i, r, c;
	const char **names;
	struct lp_buf b = LP_BUF_INIT;
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
	    &b, "Cohen's kappa per annotator pair", names, names, kv, n, n);
	fputs(b.p, f);
	lp_buf_release(&b);
	free(names);
	free(kv);
}

/* Agreement and gold accuracy, and records, per day or week. */
static void
trends(FILE *f, json_t *m)
{
	json_t *over = json_object_get(m, "over"), *per, *g;
	const char *unit, *key;
	static const char *const names[] = {"agreement", "gold accuracy"},
				 *counted[] = {"records", "labelled"};

	json_object_foreach (over, unit, per) {
		size_t n = 0, i = 0;
		const char **xs;
		double *y, *cnt;
		struct lp_buf b = LP_BUF_INIT;
		char title[64];

		/* "(no time)" is no point in time. */
		json_object_foreach (per, key, g)
			n += key[0] != '(';
		xs = lp_xmalloc(sizeof(*xs) * (n + 1));
		y = lp_xmalloc(sizeof(*y) * 2 * (n + 1));
		cnt = lp_xmalloc(sizeof(*cnt) * 2 * (n + 1));
		/* Keys are dates or ISO weeks, sorted: time's order. */
		json_object_foreach (per, key, g) {
			json_t *a = at_path(g, "agreement.percent"),
			       *gd = at_path(g, "gold.accuracy");

			if (key[0] == '(')
				continue;
			xs[i] = key;
			y[i] = json_is_number(a) ? json_number_value(a) : NAN;
			y[n + i] =
			    json_is_number(gd) ? json_number_value(gd) : NAN;
			cnt[i] = (double)json_integer_value(
			    json_object_get(g, "records"));
			cnt[n + i++] = (double)json_integer_value(
			    json_object_get(g, "labelled"));
		}
		if (n > 0) {
			snprintf(title, sizeof(title),
			    "Agreement and gold accuracy per %s", unit);
			lp_chart_lines(&b, title, xs, n, names, y, 2);
			snprintf(title, sizeof(title),
			    "Throughput: records per %s", unit);
			lp_chart_lines(&b, title, xs, n, counted, cnt, 2);
			fputs(b.p, f);
		} else
			fputs(
			    "<p class=\"note\">No record has a time.</p>\n", f);
		lp_buf_release(&b);
		free(xs);
		free(y);
		free(cnt);
	}
	if (over == NULL)
		fputs("<p class=\"note\">Trends over time: run with --over day "
		      "or --over week.</p>\n",
		    f);
}

static void
gates_html(FILE *f, json_t *gs)
{
	json_t *p;
	size_t i;

	if (json_array_size(gs) == 0)
		return;
	fputs("<h2>Quality gates</h2>\n<table><tr><th>metric</th><th>result"
	      "</th><th>rule</th><th>value</th></tr>\n",
	    f);
	json_array_foreach (gs, i, p) {
		json_t *pass = json_object_get(p, "pass");

		fputs("<tr><td>", f);
		html_text(f, json_string_value(json_object_get(p, "metric")));
		fprintf(f, "</td><td class=\"%s\">%s</td><td>",
		    json_is_null(pass)	     ? "skip"
			: json_is_true(pass) ? "pass"
					     : "fail",
		    json_is_null(pass)	     ? "skipped"
			: json_is_true(pass) ? "pass"
					     : "FAIL");
		html_text(f, json_string_value(json_object_get(p, "op")));
		fprintf(f, " %g</td><td class=\"n\">",
		    json_number_value(json_object_get(p, "threshold")));
		html_figure(f, json_object_get(p, "value"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
html(FILE *f, json_t *m, json_t *gs)
{
	json_t *bal = json_object_get(m, "balance"), *v;
	const char *key;
	long long nrec =
	    (long long)json_integer_value(json_object_get(m, "records"));

	fprintf(f,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>Dataset quality: %lld records</title><style>%s</style>"
	    "</head>\n<body>\n<h1>Dataset quality</h1>\n<p>%lld records, %lld "
	    "labelled.</p>\n",
	    nrec, html_style, nrec,
	    (long long)json_integer_value(json_object_get(m, "labelled")));
	gates_html(f, gs);
	fputs("<h2>Completeness</h2>\n<table><tr><th>field</th><th>share"
	      "</th></tr>\n",
	    f);
	json_object_foreach (json_object_get(m, "completeness"), key, v)
		html_row(f, key, v);
	fputs("</table>\n<h2>Agreement</h2>\n<table><tr><th>measure</th>"
	      "<th>value</th></tr>\n",
	    f);
	agreement_rows(f, m, html_row);
	fputs("</table>\n", f);
	kappa_heat(f, json_object_get(m, "agreement"));
	fputs("<h2>Class balance</h2>\n", f);
	chart_of(f, json_object_get(bal, "rating.score"), NULL, 1,
	    "Rating histogram (rating.score)", 0, "", NULL);
	json_object_foreach (bal, key, v) {
		char title[160];

		if (strcmp(key, "rating.score") == 0)
			continue;
		snprintf(title, sizeof(title), "Class balance: %s", key);
		chart_of(f, v, NULL, 1, title, 0, "", NULL);
	}
	if (json_object_size(bal) == 0)
		fputs("<p class=\"note\">No labels, ratings or --field values."
		      "</p>\n",
		    f);
	fputs("<h2>Gold accuracy and throughput</h2>\n", f);
	chart_of(f, at_path(m, "gold.by_annotator"), NULL, 1,
	    "Gold accuracy per annotator", 1.0, "", NULL);
	chart_of(f, json_object_get(m, "throughput"), "per_hour", 1,
	    "Throughput per annotator (labels per hour)", 0, "", NULL);
	fputs("<h2>Latency per stage</h2>\n", f);
	/* Stages in the order records pass them. */
	chart_of(f, json_object_get(m, "latency_ms"), "p50", 0,
	    "Latency per stage, p50 (dark) and p95 (light)", 0, " ms", "p95");
	fputs("<h2>Over time</h2>\n", f);
	trends(f, m);
	fputs("</body></html>\n", f);
}

/* ---- Alerts: a Slack-compatible JSON body to a webhook. */

static void
alert(const char *url, json_t *gs, int failed)
{
	struct lp_buf text = LP_BUF_INIT, body = LP_BUF_INIT;
	json_t *msg, *p;
	struct lp_error err;
	size_t i;
	long st;

	lp_buf_addf(&text, "lp-kpi: %d of %zu quality gate%s failed", failed,
	    json_array_size(gs), json_array_size(gs) == 1 ? "" : "s");
	if (lp_opts.dataset_version != NULL)
		lp_buf_addf(&text, " for dataset %s", lp_opts.dataset_version);
	json_array_foreach (gs, i, p) {
		json_t *val = json_object_get(p, "value");

		if (!json_is_false(json_object_get(p, "pass")))
			continue;
		lp_buf_addf(&text, "\n• %s %s %g: ",
		    json_string_value(json_object_get(p, "metric")),
		    json_string_value(json_object_get(p, "op")),
		    json_number_value(json_object_get(p, "threshold")));
		if (json_is_number(val))
			lp_buf_addf(&text, "%.4g", json_number_value(val));
		else
			lp_buf_adds(&text, "undefined");
	}
	msg = json_pack("{s:s,s:O}", "text", text.p, "gates", gs);
	lp_json_dump(msg, &body);
	st = lp_http_post_json(
	    url, body.p, 10000, lp_http_user_agent(lp_tool->name), &err);
	if (st < 200 || st > 299) {
		if (st > 0)
			lp_error_set(&err, "%s: HTTP status %ld", url, st);
		lp_warnx("alert not delivered: %s", err.msg);
	} else if (lp_verbosity > 0)
		lp_warnx("alert posted to %s", url);
	json_decref(msg);
	lp_buf_release(&text);
	lp_buf_release(&body);
}

/* ---- OpenLineage: a START and a COMPLETE (or FAIL) per audited run. */

#define OL_PRODUCER "urn:labelpipe:lp-kpi:" LP_VERSION
#define OL_SCHEMA                                                              \
	"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"

/*
 * A UUID (version 8, name-based) for a run: from its id and the sequence
 * number of its start in the log (ids repeat under SOURCE_DATE_EPOCH), so
 * the same run gets the same UUID in every export.
 */
static void
run_uuid(const char *run_id, long long seq, char out[37])
{
	struct lp_sha256 c;
	unsigned char d[32];
	char num[32];
	int i, o = 0;

	snprintf(num, sizeof(num), ":%lld", seq);
	lp_sha256_init(&c);
	lp_sha256_update(&c, "labelpipe:", 10);
	lp_sha256_update(&c, run_id, strlen(run_id));
	lp_sha256_update(&c, num, strlen(num));
	lp_sha256_final(&c, d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x80);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		snprintf(out + o, 3, "%02x", d[i]);
		o += 2;
	}
	out[36] = '\0';
}

/* Files as OpenLineage datasets; stdin and stdout ("-") are not. */
static json_t *
ol_datasets(json_t *names, const char *host, const char *facet,
    const char *schema, json_t *rows)
{
	json_t *out = json_array(), *x;
	char ns[300];
	size_t i, n = 0;

	snprintf(ns, sizeof(ns), "file://%s", host);
	json_array_foreach (names, i, x)
		n +=
		    json_is_string(x) && strcmp(json_string_value(x), "-") != 0;
	json_array_foreach (names, i, x) {
		json_t *d;

		if (!json_is_string(x) ||
		    strcmp(json_string_value(x), "-") == 0)
			continue;
		d = json_pack("{s:s,s:O}", "namespace", ns, "name", x);
		/* Counts are per run: they belong to a dataset when only one.
		 */
		if (rows != NULL && n == 1)
			json_object_set_new(d,
			    facet[0] == 'i' ? "inputFacets" : "outputFacets",
			    json_pack("{s:{s:s,s:s,s:O}}", facet, "_producer",
				OL_PRODUCER, "_schemaURL", schema, "rowCount",
				rows));
		json_array_append_new(out, d);
	}
	return out;
}

static json_t *
ol_event(const char *type, json_t *start, json_t *end)
{
	static const char *const carried[] = {"tool", "run_id", "version",
	    "argv", "config", "host", "pipeline_version", "dataset_version",
	    "task_id"};
	json_t *ev = end ? end : start, *facet, *out, *outs;
	const char *host = json_string_value(json_object_get(start, "host"));
	char uuid[37];
	size_t i;

	run_uuid(json_string_value(json_object_get(start, "run_id")),
	    (long long)json_integer_value(json_object_get(start, "seq")), uuid);
	facet = json_pack("{s:s,s:s}", "_producer", OL_PRODUCER, "_schemaURL",
	    "urn:labelpipe:facet:run:1");
	for (i = 0; i < sizeof(carried) / sizeof(*carried); i++)
		if (json_object_get(start, carried[i]) != NULL)
			json_object_set(facet, carried[i],
			    json_object_get(start, carried[i]));
	if (end != NULL) {
		static const char *const counted[] = {"in", "out", "dropped",
		    "skipped", "quarantined", "status", "wall_ms"};

		for (i = 0; i < sizeof(counted) / sizeof(*counted); i++)
			if (json_object_get(end, counted[i]) != NULL)
				json_object_set(facet, counted[i],
				    json_object_get(end, counted[i]));
	}
	outs = json_array();
	if (json_object_get(start, "output") != NULL)
		json_array_append(outs, json_object_get(start, "output"));
	out = json_pack("{s:s,s:O,s:s,s:s,s:{s:s,s:{s:o}},s:{s:s,s:O},s:o,s:o}",
	    "eventType", type, "eventTime", json_object_get(ev, "at"),
	    "producer", OL_PRODUCER, "schemaURL", OL_SCHEMA, "run", "runId",
	    uuid, "facets", "labelpipe", facet, "job", "namespace", "labelpipe",
	    "name", json_object_get(start, "tool"), "inputs",
	    ol_datasets(json_object_get(start, "inputs"), host ? host : "",
		"inputStatistics",
		"https://openlineage.io/spec/facets/1-0-0/"
		"InputStatisticsInputDatasetFacet.json"
		"#/$defs/InputStatisticsInputDatasetFacet",
		end ? json_object_get(end, "in") : NULL),
	    "outputs",
	    ol_datasets(outs, host ? host : "", "outputStatistics",
		"https://openlineage.io/spec/facets/1-0-2/"
		"OutputStatisticsOutputDatasetFacet.json"
		"#/$defs/OutputStatisticsOutputDatasetFacet",
		end ? json_object_get(end, "out") : NULL));
	json_decref(outs);
	if (strcmp(type, "FAIL") == 0) {
		char msg[64];

		snprintf(msg, sizeof(msg), "exit status %lld",
		    (long long)json_integer_value(
			json_object_get(end, "status")));
		json_object_set_new(
		    json_object_get(json_object_get(out, "run"), "facets"),
		    "errorMessage",
		    json_pack("{s:s,s:s,s:s,s:s}", "_producer", OL_PRODUCER,
			"_schemaURL",
			"https://openlineage.io/spec/facets/1-0-1/"
			"ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
			"message", msg, "programmingLanguage", "C"));
	}
	return out;
}

/* The next audit event of r, or NULL at the end; exits on a bad line. */
static json_t *
next_event(struct lp_reader *r, const char *path)
{
	const char *line;
	size_t len;
	json_t *e;
	int rc = lp_reader_next(r, &line, &len);

	if (rc == LP_EOF)
		return NULL;
	if (rc != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", r->err);
	e = lp_json_load(line, len, 0, NULL);
	if (!json_is_string(json_object_get(e, "event")) ||
	    !json_is_string(json_object_get(e, "run_id")))
		lp_errx(LP_EXIT_DATAERR, "%s:%lu: not an audit event", path,
		    lp_reader_lineno(r));
	return e;
}

/*
 * Every run of the audit log as OpenLineage events, to w; returns the
 * number of runs.  A run with no end (one that died) gets its START only.
 * This run is left out: its start is the last one with its id, found by
 * a first pass.
 */
static long
openlineage(struct lp_run *run, struct lp_writer *w)
{
	struct lp_reader r;
	char *path = lp_xstrdup(lp_opts.audit);
	json_t *open_runs = json_object(), *e;
	struct lp_buf b = LP_BUF_INIT;
	long long own = -1;
	long nruns = 0;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if (lp_reader_open(&r, &path, 1, lp_opts.max_line) != LP_OK)
			lp_errx(LP_EXIT_IOERR, "%s", r.err);
		while ((e = next_event(&r, path)) != NULL) {
			const char *kind = json_string_value(
				       json_object_get(e, "event")),
				   *id = json_string_value(
				       json_object_get(e, "run_id"));
			long long seq =
			    json_integer_value(json_object_get(e, "seq"));
			json_t *ev = NULL;

			if (pass == 0) {
				if (strcmp(kind, "run_start") == 0 &&
				    strcmp(id, run->lineage.run_id) == 0)
					own = seq;
			} else if (strcmp(kind, "run_start") == 0 &&
			    seq != own) {
				ev = ol_event("START", e, NULL);
				json_object_set(open_runs, id, e);
				nruns++;
			} else if (strcmp(kind, "run_end") == 0 &&
			    json_object_get(open_runs, id) != NULL) {
				json_int_t st = json_integer_value(
				    json_object_get(e, "status"));

				/* 1 is "done, some items failed": complete. */
				ev = ol_event(
				    st == 0 || st == 1 ? "COMPLETE" : "FAIL",
				    json_object_get(open_runs, id), e);
				json_object_del(open_runs, id);
			}
			if (ev != NULL) {
				lp_buf_reset(&b);
				lp_json_dump(ev, &b);
				lp_buf_addc(&b, '\n');
				if (lp_writer_write(w, b.p, b.len) != LP_OK)
					lp_errx(LP_EXIT_IOERR, "%s", w->err);
				json_decref(ev);
			}
			json_decref(e);
		}
		lp_reader_close(&r);
	}
	lp_buf_release(&b);
	json_decref(open_runs);
	free(path);
	return nruns;
}

int
main(int argc, char **argv)
{
	const char *gates_path = NULL, *verify = NULL, *report,
		   *baseline = NULL, *html_path = NULL, *alert_url = NULL,
		   *ol_path = NULL;
	struct lp_writer html_w, ol_w;
	char **run_stats = NULL;
	int nrun_stats = 0, as_md = 0;
	FILE *out = stdout;
	struct lp_record *rec;
	struct lp_run run;
	json_t *m, *gs, *keys;
	int ch, as_json = 0, nboot = 1000, failed = 0, status, i, no_gates = 0;
	unsigned long long seed = 1;

	lp_cli_init(argc, argv, &tool);
	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_BY:
		case OPT_OVER: {
			static const char *const by[] = {"annotator",
			    "pipeline_version", "dataset_version",
			    "taxonomy_version", "task_id"},
						 *over[] = {"day", "week"};
			const char *const *ok = ch == OPT_BY ? by : over;
			size_t nok = ch == OPT_BY ? 5 : 2, j;

			for (j = 0; j < nok && strcmp(ok[j], optarg) != 0; j++)
				;
			if (j == nok)
				lp_cli_usage("invalid %s '%s' (want %s)",
				    ch == OPT_BY ? "--by" : "--over", optarg,
				    ch == OPT_BY
					? "annotator, pipeline_version, "
					  "dataset_version, "
					  "taxonomy_version or task_id"
					: "day or week");
			for (i = 0; i < ngroupings; i++)
				if ((groupings[i].name[0] == 'd' ||
					groupings[i].name[0] == 'w') ==
				    (ch == OPT_OVER))
					lp_cli_usage("one --by and one --over "
						     "at most");
			groupings[ngroupings++].name = ok[j];
			break;
		}
		case OPT_ALERT_URL:
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0)
				lp_cli_usage("--alert-url wants an http:// or "
					     "https:// URL, not '%s'",
				    optarg);
			alert_url = optarg;
			break;
		case OPT_BASELINE:
			baseline = optarg;
			break;
		case OPT_HTML:
			html_path = optarg;
			break;
		case OPT_NO_GATES:
			no_gates = 1;
			break;
		case OPT_OPENLINEAGE:
			ol_path = optarg;
			break;
		case OPT_MARKDOWN:
			as_md = 1;
			break;
		case OPT_RUN_STATS:
			run_stats = lp_xrealloc(run_stats,
			    sizeof(*run_stats) * (size_t)(nrun_stats + 1));
			run_stats[nrun_stats++] = optarg;
			break;
		case OPT_BOOTSTRAP:
			nboot =
			    (int)lp_cli_int("--bootstrap", optarg, 0, 100000);
			break;
		case OPT_FIELD:
			fields = lp_xrealloc(
			    fields, sizeof(*fields) * (size_t)(nfields + 1));
			fields[nfields++] = optarg;
			break;
		case OPT_GATES:
			gates_path = optarg;
			break;
		case OPT_JSON:
			as_json = 1;
			break;
		case OPT_SEED:
			seed = (unsigned long long)lp_cli_int(
			    "--seed", optarg, 0, 2147483647);
			break;
		case OPT_VERIFY_AUDIT:
			verify = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (as_json && as_md)
		lp_cli_usage("--json and --markdown: choose one");
	if (no_gates && (gates_path != NULL || alert_url != NULL))
		lp_cli_usage("--no-gates with --gates or --alert-url: choose");
	if (ol_path != NULL && lp_opts.audit == NULL)
		lp_cli_usage("--openlineage reads the audit log: give --audit "
			     "FILE or set LP_AUDIT_LOG");
	if (verify != NULL) {
		unsigned long line = 0;
		char err[256];
		int rc = lp_audit_verify(verify, &line, err, sizeof(err));

		if (rc == LP_FATAL)
			lp_errx(LP_EXIT_IOERR, "%s", err);
		if (rc != LP_OK) {
			const char *why = err;

			/* "line N: why" reads as file:N: why. */
			if (strncmp(why, "line ", 5) == 0 &&
			    strstr(why, ": ") != NULL)
				why = strstr(why, ": ") + 2;
			lp_warnx("%s:%lu: %s", verify, line, why);
			return LP_EXIT_FAIL;
		}
		if (lp_verbosity >= 0)
			lp_warnx("%s: the hash chain holds", verify);
		/* Only the check, unless there are records to measure ("-"). */
		if (argc == 0)
			return LP_EXIT_OK;
	}
	k.balance = json_object();
	gs = json_array();
	report = lp_opts.output;
	lp_run_open(&run, argc, argv, "kpi");
	/* Opened now, so a bad name fails before the work, not after. */
	if (html_path != NULL)
		lp_run_side_open(&run, &html_w, html_path);
	if (ol_path != NULL)
		lp_run_side_open(&run, &ol_w, ol_path);
	keys = json_array();
	while (lp_run_next(&run, &rec) == LP_OK) {
		record(rec);
		if (ngroupings > 0)
			record_groups(rec, keys);
		lp_run_drop(&run);
	}
	json_decref(keys);
	/* A stream that broke gives no figures: they would be wrong. */
	if (run.status != LP_EXIT_OK) {
		json_decref(gs);
		json_decref(k.balance);
		return lp_run_close(&run, LP_EXIT_OK);
	}
	m = metrics(nboot, seed);
	for (i = 0; i < ngroupings; i++) {
		struct grouping *gr = &groupings[i];
		const char *where =
		    gr->name[0] == 'd' || gr->name[0] == 'w' ? "over" : "by";
		json_t *per = json_object();
		size_t j;

		/* The index from key to group is done with: sort the groups. */
		qsort(gr->g, gr->n, sizeof(*gr->g), cmp_group);
		for (j = 0; j < gr->n; j++) {
			struct kstate whole = k;

			/* No bootstrap per group: it would cost more than all.
			 */
			k = gr->g[j].st;
			fill_from(&whole);
			json_object_set_new(
			    per, gr->g[j].key, metrics(0, seed));
			gr->g[j].st = k;
			k = whole;
		}
		json_object_set_new(
		    m, where, json_pack("{s:o}", gr->name, per));
	}
	if (nrun_stats > 0)
		json_object_set_new(
		    m, "rejects", rejects(run_stats, nrun_stats));
	if (baseline != NULL) {
		json_t *b = lp_cli_json_file(baseline);

		if (!json_is_object(json_object_get(b, "balance")) ||
		    !json_is_integer(json_object_get(b, "records")))
			lp_errx(LP_EXIT_DATAERR,
			    "%s: not an lp-kpi --json report", baseline);
		json_object_set_new(m, "drift", drift(m, b));
		json_decref(b);
	}
	if (!no_gates) {
		failed = gates(gates_path, m, gs, &run);
		json_object_set_new(m, "gates", json_incref(gs));
		if (failed && alert_url != NULL)
			alert(alert_url, gs, failed);
	}
	if (report != NULL && (out = fopen(report, "w")) == NULL)
		lp_err(LP_EXIT_IOERR, "cannot create '%s'", report);
	if (as_json) {
		struct lp_buf b = LP_BUF_INIT;

		lp_json_dump(m, &b);
		fprintf(out, "%s\n", b.p);
		lp_buf_release(&b);
	} else if (as_md)
		markdown(out, m, gs);
	else
		table(out, m, gs);
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0))
		lp_err(LP_EXIT_IOERR, "%s", report ? report : "<stdout>");
	if (html_path != NULL) {
		char *page = NULL;
		size_t len = 0;
		FILE *mf = open_memstream(&page, &len);

		html(mf, m, gs);
		fclose(mf);
		if (lp_writer_write(&html_w, page, len) != LP_OK)
			lp_errx(LP_EXIT_IOERR, "%s", html_w.err);
		free(page);
	}
	if (ol_path != NULL)
		lp_run_count(
		    &run, "openlineage_runs", openlineage(&run, &ol_w));
	lp_run_count(&run, "gates_failed", failed);
	status = lp_run_close(&run, failed ? LP_EXIT_FAIL : LP_EXIT_OK);
	json_decref(m);
	json_decref(gs);
	json_decref(k.balance);
	for (i = 0; i < (int)k.nit; i++) {
		free(k.it[i].who);
		free(k.it[i].cls);
	}
	free(k.it);
	free(fields);
	lp_buf_release(&scratch);
	free(k.labels_by);
	free(k.time_by);
	for (i = 0; i < (int)k.stages.n; i++)
		lp_quantile_release(&k.lat[i]);
	free(k.lat);
	lp_quantile_release(&k.e2e);
	free(run_stats);
	return status;
}
