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

/* Whether x names a file: stdin and stdout ("-") are not datasets. */
static int
is_file(json_t *x)
{
	return json_is_string(x) && strcmp(json_string_value(x), "-") != 0;
}

/* Files as OpenLineage datasets, with rows when there is one file. */
static json_t *
datasets(json_t *names, const char *host, const char *facet, const char *schema,
    json_t *rows)
{
	json_t *out = json_array(), *x;
	char ns[300];
	size_t i, n = 0;

	snprintf(ns, sizeof(ns), "file://%s", host);
	json_array_foreach (names, i, x)
		n += is_file(x);
	json_array_foreach (names, i, x) {
		json_t *d;

		if (!is_file(x))
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
	    "_schemaURL", "urn:labelpipe:facet:run:1");
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

/* The errorMessage facet of a FAIL: the exit status. */
static void
error_facet(json_t *out, json_t *end)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "exit status %lld",
	    (long long)json_integer_value(json_object_get(end, "status")));
	json_object_set_new(
	    json_object_get(json_object_get(out, "run"), "facets"),
	    "errorMessage",
	    json_pack("{s:s,s:s,s:s,s:s}", "_producer", OL_PRODUCER,
		"_schemaURL",
		"https://openlineage.io/spec/facets/1-0-1/"
		"ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
		"message", msg, "programmingLanguage", "C"));
}

/* The RunEvent of type for a run's start event (and end event, or NULL). */
static json_t *
run_event(const char *type, json_t *start, json_t *end)
{
	json_t *ev = end ? end : start, *out, *outs = json_array();
	const char *host = json_string_value(json_object_get(start, "host"));
	char uuid[37];

	run_uuid(json_string_value(json_object_get(start, "run_id")),
	    (long long)json_integer_value(json_object_get(start, "seq")), uuid);
	if (json_object_get(start, "output") != NULL)
		json_array_append(outs, json_object_get(start, "output"));
	out = json_pack("{s:s,s:O,s:s,s:s,s:{s:s,s:{s:o}},s:{s:s,s:O},s:o,s:o}",
	    "eventType", type, "eventTime", json_object_get(ev, "at"),
	    "producer", OL_PRODUCER, "schemaURL", OL_SCHEMA, "run", "runId",
	    uuid, "facets", "labelpipe", run_facet(start, end), "job",
	    "namespace", "labelpipe", "name", json_object_get(start, "tool"),
	    "inputs",
	    datasets(json_object_get(start, "inputs"), host ? host : "",
		"inputStatistics",
		"https://openlineage.io/spec/facets/1-0-0/"
		"InputStatisticsInputDatasetFacet.json"
		"#/$defs/InputStatisticsInputDatasetFacet",
		end ? json_object_get(end, "in") : NULL),
	    "outputs",
	    datasets(outs, host ? host : "", "outputStatistics",
		"https://openlineage.io/spec/facets/1-0-2/"
		"OutputStatisticsOutputDatasetFacet.json"
		"#/$defs/OutputStatisticsOutputDatasetFacet",
		end ? json_object_get(end, "out") : NULL));
	json_decref(outs);
	if (strcmp(type, "FAIL") == 0)
		error_facet(out, end);
	return out;
}

/* A pass over the log: its reader, the event at hand and the output. */
struct pass {
	struct lp_reader r;
	const char *path;
	struct lp_writer *w;
	struct lp_buf line;
	json_t *open_runs; /* run id -> start event, until its end */
	long long own;	   /* the exporting run's start seq, or -1 */
	long nruns;
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
		return lp_error_set(err, "%s:%lu: not an audit event", p->path,
		    lp_reader_lineno(&p->r));
	}
	return LP_OK;
}

/* The RunEvent that audit event e makes, or NULL. */
static json_t *
event_of(struct pass *p, json_t *e)
{
	const char *kind = json_string_value(json_object_get(e, "event")),
		   *id = json_string_value(json_object_get(e, "run_id"));
	long long seq = json_integer_value(json_object_get(e, "seq"));
	json_t *ev = NULL;

	if (strcmp(kind, "run_start") == 0 && seq != p->own) {
		ev = run_event("START", e, NULL);
		json_object_set(p->open_runs, id, e);
		p->nruns++;
	} else if (strcmp(kind, "run_end") == 0 &&
	    json_object_get(p->open_runs, id) != NULL) {
		json_int_t st =
		    json_integer_value(json_object_get(e, "status"));

		/* 1 is "done, some items failed": complete. */
		ev = run_event(st == 0 || st == 1 ? "COMPLETE" : "FAIL",
		    json_object_get(p->open_runs, id), e);
		json_object_del(p->open_runs, id);
	}
	return ev;
}

/* Write RunEvent ev (stolen) as a line. */
static int
emit(struct pass *p, json_t *ev, struct lp_error *err)
{
	lp_buf_reset(&p->line);
	lp_json_dump(ev, &p->line);
	lp_buf_addc(&p->line, '\n');
	json_decref(ev);
	if (lp_writer_write(p->w, p->line.p, p->line.len) != LP_OK) {
		lp_error_set(err, "%s", p->w->err.msg);
		return LP_FATAL;
	}
	return LP_OK;
}

/*
 * One pass over the log: the first (export 0) finds the exporting run's
 * start, the second writes the events.
 */
static int
pass_over(struct pass *p, const char *own_run_id, size_t max_line, int export,
    struct lp_error *err)
{
	char *files[1] = {(char *)p->path};
	json_t *e, *ev;
	int rc;

	if (lp_reader_open(&p->r, files, 1, max_line) != LP_OK) {
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
				own_run_id) == 0)
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
lp_openlineage_export(const char *path, const char *own_run_id, size_t max_line,
    struct lp_writer *w, long *nruns, struct lp_error *err)
{
	struct pass p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.path = path;
	p.w = w;
	p.own = -1;
	p.open_runs = json_object();
	if ((rc = pass_over(&p, own_run_id, max_line, 0, err)) == LP_OK)
		rc = pass_over(&p, own_run_id, max_line, 1, err);
	*nruns = p.nruns;
	lp_buf_release(&p.line);
	json_decref(p.open_runs);
	return rc;
}
