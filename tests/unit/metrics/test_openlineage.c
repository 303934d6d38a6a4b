#include <unistd.h>

#include "core/status.h"
#include "core/audit.h"
#include "core/buf.h"
#include "core/stream.h"
#include "metrics/openlineage.h"
#include "test.h"

/* One run in the log: its start, and its end unless status < 0. */
static void
run(const char *log, const char *id, int status)
{
	struct lp_audit a;

	assert_eq_int(lp_audit_open(&a, log, "lp-clean", id), LP_OK);
	lp_audit_event(&a, "run_start",
	    json_pack("{s:s,s:[s],s:s}", "host", "h1", "inputs", "/d/in.jsonl",
		"output", "-"));
	if (status >= 0)
		lp_audit_event(&a, "run_end",
		    json_pack(
			"{s:i,s:i,s:i}", "status", status, "in", 5, "out", 4));
	lp_audit_close(&a);
}

/* Export log into a fresh file; returns its text (or NULL) and status. */
static char *export(
    const char *log, const char *own, long *n, int *rc, struct lp_error *err)
{
	char *out = tmpfile_with("", 0);
	struct lp_writer w;
	struct lp_buf text = LP_BUF_INIT;
	char chunk[4096];
	size_t got;
	FILE *f;

	assert_eq_int(lp_writer_open(&w, out, 0), LP_OK);
	*rc = lp_openlineage_export(log, own, 1 << 20, &w, n, err);
	assert_eq_int(lp_writer_close(&w, 1), LP_OK);
	f = fopen(out, "r");
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		lp_buf_add(&text, chunk, got);
	fclose(f);
	unlink(out);
	free(out);
	return text.p;
}

static int
count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s++;
	}
	return n;
}

TEST(a_start_and_an_end_per_run)
{
	char *log = tmpfile_with("", 0), *text;
	struct lp_error err = LP_ERROR_INIT;
	long n = 0;
	int rc;

	run(log, "r1", 0);
	run(log, "r2", 65);
	run(log, "r3", -1); /* died, or is the exporting run */
	run(log, "own", -1);
	text = export(log, "own", &n, &rc, &err);
	assert_eq_int(rc, LP_OK);
	assert_eq_int(n, 3);
	assert_eq_int(count(text, "\n"), 5);
	assert_eq_int(count(text, "\"eventType\":\"START\""), 3);
	assert_eq_int(count(text, "\"eventType\":\"COMPLETE\""), 1);
	assert_eq_int(count(text, "\"eventType\":\"FAIL\""), 1);
	assert_eq_int(count(text, "\"message\":\"exit status 65\""), 1);
	/* One input file: its dataset carries the count; "-" is no file. */
	assert_true(strstr(text,
			"\"inputs\":[{\"namespace\":\"file://h1\",\"name\":"
			"\"/d/in.jsonl\",\"inputFacets\":{\"inputStatistics\":"
			"{") != NULL);
	assert_eq_int(count(text, "\"rowCount\":5"), 2);
	assert_eq_int(count(text, "\"outputs\":[]"), 5);
	assert_true(strstr(text,
			"\"job\":{\"namespace\":\"labelpipe\","
			"\"name\":\"lp-clean\"}") != NULL);
	free(text);
	unlink(log);
	free(log);
}

TEST(a_bad_line_is_named)
{
	char *log = tmpfile_with("", 0), *text, want[600];
	struct lp_error err = LP_ERROR_INIT;
	long n;
	int rc;
	FILE *f;

	run(log, "r1", 0);
	f = fopen(log, "a");
	fputs("{\"seq\":3}\n", f);
	fclose(f);
	text = export(log, "own", &n, &rc, &err);
	assert_eq_int(rc, LP_FAILED);
	snprintf(want, sizeof(want), "%s:3: not an audit event", log);
	assert_eq_str(err.msg, want);
	free(text);
	rc = lp_openlineage_export(
	    "/nonexistent/audit.log", "own", 1 << 20, NULL, &n, &err);
	assert_eq_int(rc, LP_FATAL);
	assert_true(strstr(err.msg, "/nonexistent/audit.log") != NULL);
	unlink(log);
	free(log);
}

/* An event into a buffer (arg), for lp_openlineage_export_each(). */
static int
to_buf(void *arg, const char *line, size_t len, struct lp_error *err)
{
	(void)err;
	lp_buf_add(arg, line, len);
	return LP_OK;
}

TEST(only_what_the_run_did)
{
	char *log = tmpfile_with("", 0);
	struct lp_error err = LP_ERROR_INIT;
	struct lp_openlineage_export x;
	struct lp_buf text = LP_BUF_INIT;
	struct lp_audit a;
	int k;

	/* A run that kept /d/out.jsonl, one that failed, one to /dev/null. */
	for (k = 0; k < 3; k++) {
		assert_eq_int(lp_audit_open(&a, log, "lp-scrape", "r"), LP_OK);
		lp_audit_event(&a, "run_start",
		    json_pack("{s:s,s:[s,s],s:s}", "host", "h1", "inputs", "-",
			"/dev/fd/63", "output",
			k == 2 ? "/dev/null" : "/d/out.jsonl"));
		lp_audit_event(&a, "run_end",
		    json_pack("{s:i,s:i,s:i,s:[s,s],s:s}", "status",
			k == 1 ? 65 : 0, "in", 3, "out", 3, "inputs",
			"/d/a.warc.gz", "/d/a.warc.gz", "error",
			"/d/a.warc.gz:7: not a WARC record\nmore"));
		lp_audit_close(&a);
	}
	memset(&x, 0, sizeof(x));
	x.path = log;
	x.job_namespace = "team-a";
	x.max_line = 1 << 20;
	x.event = to_buf;
	x.arg = &text;
	assert_eq_int(lp_openlineage_export_each(&x, &err), LP_OK);
	assert_eq_int(x.nruns, 3);
	/* The archive read, once per end event; no "-", no /dev. */
	assert_eq_int(count(text.p, "\"name\":\"/d/a.warc.gz\""), 3);
	assert_eq_int(count(text.p, "/dev/"), 0);
	assert_eq_int(count(text.p, "\"name\":\"-\""), 0);
	/* The output in the one COMPLETE that kept a file: not in START. */
	assert_eq_int(count(text.p, "\"name\":\"/d/out.jsonl\""), 1);
	assert_eq_int(count(text.p, "\"outputs\":[]"), 5);
	assert_eq_int(count(text.p,
			  "\"message\":\"/d/a.warc.gz:7: not a WARC "
			  "record\""),
	    1);
	assert_eq_int(count(text.p, "\"namespace\":\"team-a\""), 6);
	assert_eq_int(count(text.p, "urn:"), 0);
	assert_eq_int(
	    count(text.p, "\"producer\":\"https://github.com/labelpipe/"), 6);
	lp_buf_release(&text);
	unlink(log);
	free(log);
}

RUN_TESTS()
