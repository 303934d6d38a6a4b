#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/erasure.h"
#include "core/retention.h"
#include "core/status.h"
#include "tool/cli.h"
#include "tool/erase.h"
#include "tool/log.h"
#include "web/warccut.h"

/* Who runs the erasure, as the audit event names them. */
static const char *
who(void)
{
	const struct passwd *pw = getpwuid(geteuid());
	const char *u = getenv("USER");

	if (pw != NULL && pw->pw_name != NULL)
		return pw->pw_name;
	return u != NULL ? u : "unknown";
}

/* A failure of the library: its reason, and the end of the run. */
static void
fail(int rc, const struct lp_error *err)
{
	lp_errx(
	    rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s", err->msg);
}

/* Append the event kind (fields stolen) to the log, or end the run. */
static void
log_event(const char *log, const char *tool, const char *run_id,
    const char *kind, json_t *fields)
{
	struct lp_audit a;

	if (lp_audit_open(&a, log, tool, run_id) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", a.err.msg);
	if (lp_audit_event(&a, kind, fields) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", a.err.msg);
	lp_audit_close(&a);
}

/* The datasets, then what their dropped records lead to. */
static void
erase_files(struct lp_erase_job *j, json_t *counts)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_erasure_count n;
	long recs = 0, labels = 0, events = 0, cut = 0, w;
	json_t *kept = json_array(), *needles = json_array();
	int i, rc;

	for (i = 0; i < j->ndatasets; i++) {
		if ((rc = lp_erasure_dataset(
			 &j->e, j->datasets[i], &n, &err)) != LP_OK)
			fail(rc, &err);
		recs += n.records;
		labels += n.labels;
	}
	for (i = 0; i < j->nsessions; i++) {
		if ((rc = lp_erasure_session(
			 &j->e, j->sessions[i], &n, &err)) != LP_OK)
			fail(rc, &err);
		events += n.records;
	}
	json_object_set_new(counts, "datasets",
	    json_pack("{s:i,s:I,s:I}", "files", j->ndatasets, "records",
		(json_int_t)recs, "labels", (json_int_t)labels));
	json_object_set_new(counts, "sessions",
	    json_pack("{s:i,s:I}", "files", j->nsessions, "events",
		(json_int_t)events));
	if (j->cache != NULL) {
		if ((rc = lp_erasure_cache(&j->e, j->cache, &n, &err)) != LP_OK)
			fail(rc, &err);
		json_object_set_new(counts, "llm_cache",
		    json_pack("{s:I}", "entries", (json_int_t)n.records));
	}
	/* A results page links the item page: its URL finds it too. */
	json_array_extend(needles, j->e.traces);
	json_array_extend(needles, j->e.urls);
	for (i = 0; i < j->nwarcs; i++) {
		if ((rc = lp_warc_cut(j->warcs[i], j->e.urls, needles, &w, kept,
			 &err)) != LP_OK)
			fail(rc, &err);
		cut += w;
	}
	json_decref(needles);
	for (size_t k = 0; k < json_array_size(kept); k++)
		lp_warnx("kept: %s holds an erased listing among others "
			 "(a results page is not cut)",
		    json_string_value(json_array_get(kept, k)));
	json_object_set_new(counts, "warc",
	    json_pack("{s:i,s:I,s:I}", "files", j->nwarcs, "records",
		(json_int_t)cut, "pages_kept",
		(json_int_t)json_array_size(kept)));
	json_decref(kept);
}

json_t *
lp_erase_run(struct lp_erase_job *j)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_erasure_count n;
	json_t *counts = json_object();
	int rc;

	erase_files(j, counts);
	if ((rc = lp_erasure_audit(&j->e, j->log, NULL, 0, &n, &err)) != LP_OK)
		fail(rc, &err);
	json_object_set_new(counts, "audit",
	    json_pack("{s:I}", "events", (json_int_t)n.records));
	log_event(j->log, j->tool, j->run_id, "erasure",
	    json_pack("{s:s,s:o,s:O}", "by", who(), "subjects",
		lp_erasure_subjects(&j->e), "counts", counts));
	return counts;
}

/* The kinds of artefact a policy names, and whether a folder is walked. */
static const char *const kinds[] = {
    "datasets", "sessions", "warc", "llm_cache", "audit"};

/* One rule of the policy: its pattern (or the log) and its cutoff. */
static const char *
rule(const char *kind, const json_t *r, const char *log, time_t *cutoff)
{
	const json_t *days = json_object_get(r, "days");
	const char *p = json_string_value(json_object_get(r, "glob"));

	if (p == NULL)
		p = json_string_value(json_object_get(r, "path"));
	if (p == NULL && strcmp(kind, "audit") == 0)
		p = log;
	if (!json_is_object(r) || p == NULL || !json_is_integer(days) ||
	    json_integer_value(days) < 0)
		lp_errx(LP_EXIT_DATAERR,
		    "policy: %s: want {\"glob\" or \"path\": ..., \"days\": N}",
		    kind);
	*cutoff = time(NULL) - (time_t)json_integer_value(days) * 86400;
	return p;
}

/* The log's events older than cutoff, tombstoned (or counted). */
static long
retain_log(const char *path, time_t cutoff, int dry)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_erasure_count n;
	struct lp_erasure none;
	char before[80];
	int rc;

	lp_erasure_init(&none);
	lp_iso_time((long long)cutoff * 1000, before, sizeof(before));
	if ((rc = lp_erasure_audit(&none, path, before, dry, &n, &err)) !=
	    LP_OK)
		fail(rc, &err);
	lp_erasure_release(&none);
	return n.records;
}

json_t *
lp_retain_run(const json_t *policy, const char *log, int dry, const char *tool,
    const char *run_id)
{
	struct lp_error err = LP_ERROR_INIT;
	json_t *out = json_object(), *counts = json_object(), *r;
	const char *kind;

	if (!json_is_object(policy))
		lp_errx(LP_EXIT_DATAERR, "policy: not a JSON object");
	json_object_foreach ((json_t *)policy, kind, r) {
		size_t k;

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strcmp(kind, kinds[k]) == 0)
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			lp_errx(LP_EXIT_DATAERR,
			    "policy: unknown kind '%s' (want datasets, "
			    "sessions, warc, llm_cache or audit)",
			    kind);
	}
	json_object_foreach ((json_t *)policy, kind, r) {
		time_t cutoff;
		const char *p = rule(kind, r, log, &cutoff);
		json_t *gone = json_array();

		if (strcmp(kind, "audit") == 0)
			json_object_set_new(counts, kind,
			    json_integer(retain_log(p, cutoff, dry)));
		else {
			if (lp_retention_files(p, cutoff, dry, gone, &err) !=
			    LP_OK)
				fail(LP_FATAL, &err);
			json_object_set_new(
			    counts, kind, json_integer(json_array_size(gone)));
			json_object_set(out, kind, gone);
		}
		json_decref(gone);
	}
	if (!dry)
		log_event(log, tool, run_id, "retention",
		    json_pack("{s:s,s:O}", "by", who(), "counts", counts));
	json_object_set_new(out, "dry_run", json_boolean(dry));
	json_object_set_new(out, "counts", counts);
	return out;
}
