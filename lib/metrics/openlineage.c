#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/status.h"
#include "core/version.h"
#include "metrics/openlineage.h"

#define OL_PRODUCER LP_OPENLINEAGE_PRODUCER
#define OL_SCHEMA                                                              \
	"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
#define OL_FACETS "https://openlineage.io/spec/facets/"
/* The labelpipe run facet's schema, in the repository at this release. */
#define OL_LABELPIPE_FACET                                                     \
	"https://raw.githubusercontent.com/labelpipe/labelpipe/v" LP_VERSION   \
	"/tests/data/openlineage/LabelpipeRunFacet.json"                       \
	"#/$defs/LabelpipeRunFacet"

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

/*
 * Whether x names a dataset: stdin and stdout ("-") are not, nor devices
 * and the files of /proc (/dev/null, a shell's pipe as /dev/fd/63).
 */
static int
is_dataset(json_t *x)
{
	const char *s = json_string_value(x);

	return s != NULL && s[0] != '\0' && strcmp(s, "-") != 0 &&
	    strncmp(s, "/dev/", 5) != 0 && strncmp(s, "/proc/", 6) != 0;
}

/* The datasets among the names of a and b, each once, in order. */
static json_t *
dataset_names(json_t *a, json_t *b)
{
	json_t *out = json_array(), *lists[2] = {a, b}, *x, *y;
	size_t i, j, k;
	int seen;

	for (k = 0; k < 2; k++)
		json_array_foreach (lists[k], i, x) {
			if (!is_dataset(x))
				continue;
			seen = 0;
			json_array_foreach (out, j, y)
				seen |= json_equal(x, y);
			if (!seen)
				json_array_append(out, x);
		}
	return out;
}

/*
 * The datasets of names (stolen), with rows (a count, may be NULL) in the
 * statistics facet when there is one: counts are per run, they belong to
 * a dataset only when it is the only one.
 */
static json_t *
datasets(json_t *names, const char *host, int input, json_t *rows)
{
	json_t *out = json_array(), *x;
	const char *facet = input ? "inputStatistics" : "outputStatistics";
	char ns[300];
	size_t i;

	snprintf(ns, sizeof(ns), "file://%s", host);
	json_array_foreach (names, i, x) {
		json_t *d = json_pack("{s:s,s:O}", "namespace", ns, "name", x);

		if (json_is_integer(rows) && json_array_size(names) == 1)
			json_object_set_new(d,
			    input ? "inputFacets" : "outputFacets",
			    json_pack("{s:{s:s,s:s,s:O}}", facet, "_producer",
				OL_PRODUCER, "_schemaURL",
				input ? OL_FACETS
				    "1-0-0/InputStatisticsInputDatasetFacet"
				    ".json#/$defs/"
				    "InputStatisticsInputDatasetFacet"
				      : OL_FACETS
				    "1-0-2/OutputStatisticsOutputDatasetFacet"
				    ".json#/$defs/"
				    "OutputStatisticsOutputDatasetFacet",
				"rowCount", rows));
		json_array_append_new(out, d);
	}
	json_decref(names);
	return out;
}

/* The labelpipe run facet: what the start (and end) events say. */
static json_t *
run_facet(json_t *start, json_t *end)
{
	static const char *const carried[] = {"tool", "run_id", "version",
	    "argv", "config", "host", "pipeline_version", "dataset_version",
	    "task_id"},
				 *counted[] = {"in", "out", "dropped",
				     "skipped", "quarantined", "status",
				     "wall_ms"};
	json_t *facet = json_pack("{s:s,s:s}", "_producer", OL_PRODUCER,
	    "_schemaURL", OL_LABELPIPE_FACET);
	size_t i;

	for (i = 0; i < sizeof(carried) / sizeof(*carried); i++)
		if (json_object_get(start, carried[i]) != NULL)
			json_object_set(facet, carried[i],
			    json_object_get(start, carried[i]));
	for (i = 0; end != NULL && i < sizeof(counted) / sizeof(*counted); i++)
		if (json_object_get(end, counted[i]) != NULL)
			json_object_set(facet, counted[i],
			    json_object_get(end, counted[i]));
	return facet;
}

/*
 * The errorMessage facet of a FAIL: the first line of the error the run
 * recorded, else its exit status.
 */
static void
error_facet(json_t *out, json_t *end)
{
	const char *e = json_string_value(json_object_get(end, "error"));
	char msg[1024];

	if (e != NULL && e[0] != '\0')
		snprintf(msg, sizeof(msg), "%.*s", (int)strcspn(e, "\n"), e);
	else
		snprintf(msg, sizeof(msg), "exit status %lld",
		    (long long)json_integer_value(
			json_object_get(end, "status")));
	json_object_set_new(
	    json_object_get(json_object_get(out, "run"), "facets"),
	    "errorMessage",
	    json_pack("{s:s,s:s,s:s,s:s}", "_producer", OL_PRODUCER,
		"_schemaURL",
		OL_FACETS "1-0-1/ErrorMessageRunFacet.json"
			  "#/$defs/ErrorMessageRunFacet",
		"message", msg, "programmingLanguage", "C"));
}

/*
 * The RunEvent of type for a run's start event (and end event, or NULL),
 * its job in namespace ns.
 */
static json_t *
run_event(const char *type, const char *ns, json_t *start, json_t *end)
{
	json_t *ev = end ? end : start, *out, *outs = json_array(), *ins,
	       *in_rows = NULL;
	const char *host = json_string_value(json_object_get(start, "host"));
	char uuid[37];

	run_uuid(json_string_value(json_object_get(start, "run_id")),
	    (long long)json_integer_value(json_object_get(start, "seq")), uuid);
	/*
	 * The count of records read belongs to the one record input, not to
	 * a file read beside them (an archive, answers).
	 */
	ins = dataset_names(json_object_get(start, "inputs"), NULL);
	if (end != NULL && json_array_size(ins) == 1)
		in_rows = json_object_get(end, "in");
	json_decref(ins);
	ins = dataset_names(json_object_get(start, "inputs"),
	    end ? json_object_get(end, "inputs") : NULL);
	/* Only a run that kept its output has one. */
	if (strcmp(type, "COMPLETE") == 0 &&
	    json_object_get(start, "output") != NULL)
		json_array_append(outs, json_object_get(start, "output"));
	out = json_pack("{s:s,s:O,s:s,s:s,s:{s:s,s:{s:o}},s:{s:s,s:O},s:o,s:o}",
	    "eventType", type, "eventTime", json_object_get(ev, "at"),
	    "producer", OL_PRODUCER, "schemaURL", OL_SCHEMA, "run", "runId",
	    uuid, "facets", "labelpipe", run_facet(start, end), "job",
	    "namespace", ns, "name", json_object_get(start, "tool"), "inputs",
	    datasets(ins, host ? host : "", 1, in_rows), "outputs",
	    datasets(dataset_names(outs, NULL), host ? host : "", 0,
		end ? json_object_get(end, "out") : NULL));
	json_decref(outs);
	if (strcmp(type, "FAIL") == 0)
		error_facet(out, end);
	return out;
}

/* A pass over the log: its reader, the event at hand and the output. */
struct pass {
	struct lp_reader r;
	struct lp_openlineage_export *x;
	struct lp_buf line;
	json_t *open_runs; /* run id -> start event, until its end */
	long long own;	   /* the exporting run's start seq, or -1 */
};

/*
 * The next audit event into *e (NULL at the end).  LP_FATAL if the log
 * cannot be read, LP_FAILED if a line is not an audit event.
 */
static int
next_event(struct pass *p, json_t **e, struct lp_error *err)
{
	const char *line;
	size_t len;
	int rc = lp_reader_next(&p->r, &line, &len);

	*e = NULL;
	if (rc == LP_EOF)
		return LP_OK;
	if (rc != LP_OK) {
		lp_error_set(err, "%s", p->r.err.msg);
		return LP_FATAL;
	}
	*e = lp_json_load(line, len, 0, NULL);
	if (!json_is_string(json_object_get(*e, "event")) ||
	    !json_is_string(json_object_get(*e, "run_id"))) {
		json_decref(*e);
		*e = NULL;
		return lp_error_set(err, "%s:%lu: not an audit event",
		    p->x->path, lp_reader_lineno(&p->r));
	}
	return LP_OK;
}

/* The RunEvent that audit event e makes, or NULL. */
static json_t *
event_of(struct pass *p, json_t *e)
{
	const char *kind = json_string_value(json_object_get(e, "event")),
		   *id = json_string_value(json_object_get(e, "run_id")),
		   *ns = p->x->job_namespace ? p->x->job_namespace
					     : LP_OPENLINEAGE_NAMESPACE;
	long long seq = json_integer_value(json_object_get(e, "seq"));
	json_t *ev = NULL;

	if (strcmp(kind, "run_start") == 0 && seq != p->own) {
		ev = run_event("START", ns, e, NULL);
		json_object_set(p->open_runs, id, e);
		p->x->nruns++;
	} else if (strcmp(kind, "run_end") == 0 &&
	    json_object_get(p->open_runs, id) != NULL) {
		json_int_t st =
		    json_integer_value(json_object_get(e, "status"));

		/* 1 is "done, some items failed": complete. */
		ev = run_event(st == 0 || st == 1 ? "COMPLETE" : "FAIL", ns,
		    json_object_get(p->open_runs, id), e);
		json_object_del(p->open_runs, id);
	}
	return ev;
}

/* Hand RunEvent ev (stolen) over as a line. */
static int
emit(struct pass *p, json_t *ev, struct lp_error *err)
{
	lp_buf_reset(&p->line);
	lp_json_dump(ev, &p->line);
	lp_buf_addc(&p->line, '\n');
	json_decref(ev);
	return p->x->event(p->x->arg, p->line.p, p->line.len, err);
}

/*
 * One pass over the log: the first (export 0) finds the exporting run's
 * start, the second makes the events.
 */
static int
pass_over(struct pass *p, int export, struct lp_error *err)
{
	char *files[1] = {(char *)p->x->path};
	json_t *e, *ev;
	int rc;

	if (lp_reader_open(&p->r, files, 1, p->x->max_line) != LP_OK) {
		lp_error_set(err, "%s", p->r.err.msg);
		return LP_FATAL;
	}
	while ((rc = next_event(p, &e, err)) == LP_OK && e != NULL) {
		if (!export) {
			if (strcmp(
				json_string_value(json_object_get(e, "event")),
				"run_start") == 0 &&
			    strcmp(
				json_string_value(json_object_get(e, "run_id")),
				p->x->own_run_id) == 0)
				p->own = json_integer_value(
				    json_object_get(e, "seq"));
		} else if ((ev = event_of(p, e)) != NULL)
			rc = emit(p, ev, err);
		json_decref(e);
		if (rc != LP_OK)
			break;
	}
	lp_reader_close(&p->r);
	return rc;
}

int
lp_openlineage_export_each(
    struct lp_openlineage_export *x, struct lp_error *err)
{
	struct pass p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.x = x;
	p.own = -1;
	p.open_runs = json_object();
	x->nruns = 0;
	if (x->own_run_id == NULL)
		x->own_run_id = "";
	if ((rc = pass_over(&p, 0, err)) == LP_OK)
		rc = pass_over(&p, 1, err);
	lp_buf_release(&p.line);
	json_decref(p.open_runs);
	return rc;
}

/* An event into the writer arg. */
static int
to_writer(void *arg, const char *line, size_t len, struct lp_error *err)
{
	struct lp_writer *w = arg;

	if (lp_writer_write(w, line, len) != LP_OK) {
		lp_error_set(err, "%s", w->err.msg);
		return LP_FATAL;
	}
	return LP_OK;
}

int
lp_openlineage_export(const char *path, const char *own_run_id, size_t max_line,
    struct lp_writer *w, long *nruns, struct lp_error *err)
{
	struct lp_openlineage_export x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.path = path;
	x.own_run_id = own_run_id;
	x.max_line = max_line;
	x.event = to_writer;
	x.arg = w;
	rc = lp_openlineage_export_each(&x, err);
	*nruns = x.nruns;
	return rc;
}
