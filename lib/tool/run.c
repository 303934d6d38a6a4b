#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/status.h"
#include "core/version.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/json.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/run.h"
#include "tool/summary.h"
#include "text/pii.h"
#include "text/text.h"

static json_t *
counts(const struct lp_run *run)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "in",
	    (json_int_t)run->n_in, "out", (json_int_t)run->n_out, "dropped",
	    (json_int_t)run->n_dropped, "skipped", (json_int_t)run->n_skipped,
	    "quarantined", (json_int_t)run->n_quar, "failed",
	    (json_int_t)run->n_failed, "committed",
	    (json_int_t)run->n_committed);
}

/* Remember the input files (regular ones) for lp_run_check_output(). */
static void
note_inputs(struct lp_run *run)
{
	struct stat st;
	int i;

	run->inputs = lp_xmalloc(sizeof(*run->inputs) * (size_t)run->in.nfiles);
	for (i = 0; i < run->in.nfiles; i++)
		if (fstat(run->in.fds[i], &st) == 0 && S_ISREG(st.st_mode)) {
			run->inputs[run->ninputs].dev = st.st_dev;
			run->inputs[run->ninputs].ino = st.st_ino;
			run->inputs[run->ninputs++].name = run->in.names[i];
		}
}

void
lp_run_note_input(struct lp_run *run, const char *path)
{
	struct stat st;

	if (path == NULL || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	run->inputs = lp_xrealloc(
	    run->inputs, sizeof(*run->inputs) * (size_t)(run->ninputs + 1));
	run->inputs[run->ninputs].dev = st.st_dev;
	run->inputs[run->ninputs].ino = st.st_ino;
	run->inputs[run->ninputs++].name = path;
}

/*
 * The option on the command line whose value is the string at path (as
 * getopt_long hands it over: the next argument, or the text after '=' or
 * after a short option), into buf; NULL if none is.
 */
static const char *
option_of(const char *path, char *buf, size_t n)
{
	uintptr_t p = (uintptr_t)path;
	int i;

	for (i = 1; i < lp_opts.argc; i++) {
		const char *a = lp_opts.argv[i];
		uintptr_t s = (uintptr_t)a;

		if (p == s && lp_opts.argv[i - 1][0] == '-') {
			snprintf(buf, n, "%s", lp_opts.argv[i - 1]);
			return buf;
		}
		if (p > s && p <= s + strlen(a) && a[0] == '-') {
			int k = (int)(p - s) - (path[-1] == '=' ? 1 : 0);

			snprintf(buf, n, "%.*s", k, a);
			return buf;
		}
	}
	return NULL;
}

void
lp_run_check_output(
    const struct lp_run *run, const char *option, const char *path)
{
	struct stat st;
	char opt[64];
	int i;

	if (path == NULL || strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return;
	if (option == NULL &&
	    (option = option_of(path, opt, sizeof(opt))) == NULL)
		option = "output";
	for (i = 0; i < run->ninputs; i++)
		if (run->inputs[i].dev == st.st_dev &&
		    run->inputs[i].ino == st.st_ino)
			lp_cli_usage("%s '%s' is the input '%s': an output may "
				     "not overwrite an input",
			    option, path, run->inputs[i].name);
}

/* The run's own outputs must not be inputs. */
static void
check_outputs(const struct lp_run *run)
{
	char opt[64];

	lp_run_check_output(run,
	    lp_opts.output != NULL &&
		    option_of(lp_opts.output, opt, sizeof(opt)) != NULL
		? opt
		: "-o",
	    lp_opts.output);
	lp_run_check_output(run, NULL, lp_opts.quarantine);
	lp_run_check_output(run, NULL, lp_opts.stats);
	if (lp_opts.audit != NULL &&
	    option_of(lp_opts.audit, opt, sizeof(opt)) == NULL)
		lp_run_check_output(run, "LP_AUDIT_LOG", lp_opts.audit);
	else
		lp_run_check_output(run, NULL, lp_opts.audit);
}

/*
 * A named side file: gzip when the name ends in ".gz", plain otherwise;
 * private (0600) when it may hold personal data.
 */
static void
open_named(struct lp_writer *w, const char *path, int private)
{
	size_t n = strlen(path);
	int level =
	    n > 3 && strcmp(path + n - 3, ".gz") == 0 ? lp_gzip_level() : 0;
	int rc = private ? lp_writer_open_private(w, path, level)
			 : lp_writer_open(w, path, level);

	if (rc != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", w->err.msg);
}

/*
 * A file as the audit log names it: absolute, so lineage tools can join
 * one run's output to the next run's input; "-" for stdin and stdout.
 */
static json_t *
dataset_name(const char *name)
{
	char cwd[4096];
	json_t *v;
	size_t n;
	char *p;

	if (name == NULL || strcmp(name, "-") == 0)
		return json_string("-");
	if (name[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return json_string(name);
	n = strlen(cwd) + strlen(name) + 2;
	p = lp_xmalloc(n);
	snprintf(p, n, "%s/%s", cwd, name);
	v = json_string(p);
	free(p);
	return v;
}

/*
 * Open the audit log and append the run_start event: what ran, on what,
 * with which options.  Exits 74 when the log cannot be written.
 */
static void
audit_start(struct lp_run *run, int nfiles, char **files, const char *config)
{
	char host[256] = "";
	json_t *f;
	int i;

	if (lp_audit_open(&run->audit, lp_opts.audit, lp_tool->name,
		run->lineage.run_id) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", run->audit.err.msg);
	run->have_audit = 1;
	gethostname(host, sizeof(host) - 1);
	/*
	 * The text behind the records' config digest (rules, prompt
	 * and rubric versions, models ...), so a step can be traced.
	 */
	f = json_pack("{s:s,s:o,s:s,s:s,s:s,s:I}", "version",
	    lp_version_details(lp_tool->name), "argv",
	    lp_audit_argv(lp_opts.argc, lp_opts.argv), "config",
	    run->lineage.config, "config_text", config, "host", host, "pid",
	    (json_int_t)getpid());
	if (run->lineage.pipeline_version != NULL)
		json_object_set_new(f, "pipeline_version",
		    json_string(run->lineage.pipeline_version));
	if (run->lineage.dataset_version != NULL)
		json_object_set_new(f, "dataset_version",
		    json_string(run->lineage.dataset_version));
	if (run->lineage.task_id != NULL)
		json_object_set_new(
		    f, "task_id", json_string(run->lineage.task_id));
	json_object_set_new(f, "inputs", json_array());
	for (i = 0; i < nfiles; i++)
		json_array_append_new(
		    json_object_get(f, "inputs"), dataset_name(files[i]));
	if (nfiles == 0)
		json_array_append_new(
		    json_object_get(f, "inputs"), json_string("-"));
	if (!lp_tool->report || lp_opts.output != NULL)
		json_object_set_new(f, "output", dataset_name(lp_opts.output));
	lp_run_audit(run, "run_start", f);
	/* The log must hold every run: a run it cannot record does not start. */
	if (run->status != LP_EXIT_OK) {
		if (!lp_tool->report)
			lp_writer_close(&run->out, 0);
		if (run->have_quar)
			lp_writer_close(&run->quar, 0);
		exit(LP_EXIT_IOERR);
	}
}

/*
 * Whether this stage draws the progress line: not under -q, stderr a
 * terminal, and its output not going into a pipe.  The stages of
 * "lp-clean | lp-dedup > out" share one terminal; each drawing its own
 * line there would overwrite the other's, turn by turn.  A stage writing
 * into a pipe knows another reads after it and keeps quiet, so the last
 * stage alone draws, one line for the pipeline (its count is what came
 * through).  A report tool's stdout (its report) is looked at the same
 * way; with -o the file named is.  A pipeline ending in another program
 * ("lp-dedup | gzip") draws nothing: -o gives the line back.
 */
static int
draws_progress(void)
{
	struct stat st;
	int rc;

	if (lp_verbosity < 0 || !isatty(STDERR_FILENO))
		return 0;
	if (lp_opts.output != NULL && strcmp(lp_opts.output, "-") != 0)
		rc = stat(lp_opts.output, &st);
	else
		rc = fstat(STDOUT_FILENO, &st);
	return rc != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

void
lp_run_open(struct lp_run *run, int nfiles, char **files, const char *config)
{
	int level;

	memset(run, 0, sizeof(*run));
	run->t0 = lp_clock();
	run->counters = json_object();
	run->said = json_object();
	lp_record_init(&run->rec);

	if (lp_opts.quarantine != NULL && lp_opts.on_error == LP_ON_ERROR_FAIL)
		lp_opts.on_error = LP_ON_ERROR_QUARANTINE;
	if (lp_opts.on_error == LP_ON_ERROR_QUARANTINE &&
	    lp_opts.quarantine == NULL)
		lp_cli_usage("--on-error=quarantine needs --quarantine FILE");
	if (lp_opts.on_error == LP_ON_ERROR_SKIP && lp_opts.quarantine != NULL)
		lp_cli_usage("--quarantine goes with --on-error=quarantine");

	lp_lineage_init(&run->lineage, lp_tool->name, config,
	    lp_opts.pipeline_version, lp_opts.dataset_version, lp_opts.task_id);

	/* Open everything before the first record is read. */
	if (lp_reader_open(&run->in, files, nfiles, lp_opts.max_line) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", run->in.err.msg);
	run->in.stop = &lp_interrupted;
	note_inputs(run);
	check_outputs(run);
	level =
	    lp_opts.plain || (lp_opts.output == NULL && isatty(STDOUT_FILENO))
	    ? 0
	    : lp_gzip_level();
	/* A report tool writes its report itself: -o is that, not records. */
	if (!lp_tool->report &&
	    (lp_opts.private_output
		    ? lp_writer_open_private(&run->out, lp_opts.output, level)
		    : lp_writer_open(&run->out, lp_opts.output, level)) !=
		LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", run->out.err.msg);
	if (lp_opts.on_error == LP_ON_ERROR_QUARANTINE) {
		/* Raw bad lines may hold personal data: 0600. */
		open_named(&run->quar, lp_opts.quarantine, 1);
		run->have_quar = 1;
	}
	if (lp_opts.audit != NULL)
		audit_start(run, nfiles, files, config);
	run->progress = draws_progress();
}

void
lp_run_audit(struct lp_run *run, const char *kind, json_t *fields)
{
	unsigned long long cut = run->audit.cut;

	if (!run->have_audit) {
		json_decref(fields);
		return;
	}
	if (lp_audit_event(&run->audit, kind, fields) != LP_OK) {
		lp_warnx("%s", run->audit.err.msg);
		run->status = LP_EXIT_IOERR;
	}
	if (run->audit.cut > cut)
		lp_warnx("%s: cut a torn last line (%llu bytes) left by an "
			 "interrupted write; the log notes it",
		    run->audit.path, run->audit.cut - cut);
}

void
lp_run_audit_version_digest(struct lp_run *run, const char *kind,
    const char *version, const char *digest)
{
	if (!run->have_audit)
		return;
	if (lp_audit_event_once(&run->audit, "version_in_use",
		json_pack("{s:s,s:s?,s:s}", "kind", kind, "version", version,
		    "digest", digest)) != LP_OK) {
		lp_warnx("%s", run->audit.err.msg);
		run->status = LP_EXIT_IOERR;
	}
}

void
lp_run_audit_version(struct lp_run *run, const char *kind, const char *version,
    const json_t *doc)
{
	char hex[65];

	if (!run->have_audit)
		return;
	lp_json_digest(doc, hex);
	lp_run_audit_version_digest(run, kind, version, hex);
}

int
lp_run_progress_due(const struct lp_run *run)
{
	return run->progress && lp_clock() - run->last_progress >= 0.25;
}

void
lp_run_progress(struct lp_run *run)
{
	double t = lp_clock();

	if (!run->progress || t - run->last_progress < 0.25)
		return;
	run->last_progress = t;
	fprintf(stderr, "\r%s: %llu records, %.0f/s", lp_tool->name, run->n_in,
	    (double)run->n_in / (t - run->t0 + 1e-9));
	/* Input files of known size: share read and time left. */
	if (run->in.raw_total > 0 && run->in.raw_read > 0) {
		double f = (double)run->in.raw_read / (double)run->in.raw_total;
		double left = (t - run->t0) * (1 - f) / f;

		fprintf(stderr, ", %.0f%%, ETA %d:%02d", f * 100,
		    (int)(left / 60), (int)left % 60);
	}
	if (run->note[0] != '\0')
		fprintf(stderr, ", %s", run->note);
	fputs("\033[K", stderr);
}

/* Quarantine line: {"file","line","reason","text"|"base64"}. */
static int
quarantine(struct lp_run *run, const char *file, unsigned long line,
    const char *reason, const char *text, size_t len, int truncated)
{
	struct lp_buf b = LP_BUF_INIT;
	int rc;

	lp_buf_adds(&b, "{\"file\":");
	lp_json_dump_str(file, strlen(file), &b);
	lp_buf_addf(&b, ",\"line\":%lu,\"reason\":", line);
	lp_json_dump_str(reason, strlen(reason), &b);
	if (truncated)
		lp_buf_adds(&b, ",\"truncated\":true");
	if (memchr(text, '\0', len) == NULL && lp_utf8_valid(text, len, NULL)) {
		lp_buf_adds(&b, ",\"text\":");
		lp_json_dump_str(text, len, &b);
	} else {
		/* Not UTF-8: keep the bytes exactly, as base64. */
		static const char tab[] =
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789+/";
		const unsigned char *p = (const unsigned char *)text;
		size_t i;

		lp_buf_adds(&b, ",\"base64\":\"");
		for (i = 0; i + 2 < len; i += 3) {
			unsigned v =
			    (unsigned)p[i] << 16 | p[i + 1] << 8 | p[i + 2];

			lp_buf_addc(&b, tab[v >> 18]);
			lp_buf_addc(&b, tab[v >> 12 & 63]);
			lp_buf_addc(&b, tab[v >> 6 & 63]);
			lp_buf_addc(&b, tab[v & 63]);
		}
		if (i < len) {
			unsigned v = (unsigned)p[i] << 16 |
			    (i + 1 < len ? p[i + 1] << 8 : 0);

			lp_buf_addc(&b, tab[v >> 18]);
			lp_buf_addc(&b, tab[v >> 12 & 63]);
			lp_buf_addc(&b, i + 1 < len ? tab[v >> 6 & 63] : '=');
			lp_buf_addc(&b, '=');
		}
		lp_buf_addc(&b, '"');
	}
	lp_buf_adds(&b, "}\n");
	rc = lp_writer_write(&run->quar, b.p, b.len);
	lp_buf_release(&b);
	if (rc != LP_OK) {
		lp_warnx("%s", run->quar.err.msg);
		run->status = LP_EXIT_IOERR;
		return LP_EOF;
	}
	return LP_OK;
}

int
lp_run_bad(struct lp_run *run, const char *file, unsigned long line,
    const char *reason, const char *text, size_t len, int truncated)
{
	switch (lp_opts.on_error) {
	case LP_ON_ERROR_FAIL:
		lp_warnx("%s:%lu: %s", file, line, reason);
		run->n_failed++;
		run->status = LP_EXIT_DATAERR;
		return LP_EOF;
	case LP_ON_ERROR_SKIP:
		if (lp_verbosity >= 0)
			lp_warnx("%s:%lu: %s (skipped)", file, line, reason);
		run->n_skipped++;
		return LP_OK;
	case LP_ON_ERROR_QUARANTINE:
		if (lp_verbosity >= 0)
			lp_warnx(
			    "%s:%lu: %s (quarantined)", file, line, reason);
		run->n_quar++;
		return quarantine(
		    run, file, line, reason, text, len, truncated);
	}
	return LP_EOF;
}

int
lp_run_read(struct lp_run *run, const char **line, size_t *len)
{
	int rc;

	if (lp_interrupted) {
		run->status = LP_EXIT_INTR;
		return LP_EOF;
	}
	rc = lp_reader_next(&run->in, line, len);
	if (rc == LP_EOF) {
		if (lp_interrupted)
			run->status = LP_EXIT_INTR;
		return LP_EOF;
	}
	if (rc == LP_FATAL) {
		if (lp_interrupted) {
			run->status = LP_EXIT_INTR;
			return LP_EOF;
		}
		return LP_FATAL;
	}
	run->n_in++;
	if (run->progress && (run->n_in & 4095) == 0)
		lp_run_progress(run);
	return rc;
}

void
lp_run_read_failed(struct lp_run *run)
{
	lp_warnx("%s", run->in.err.msg);
	run->status = run->in.ioerr ? LP_EXIT_IOERR : LP_EXIT_DATAERR;
}

int
lp_run_parse(const struct lp_run *run, struct lp_record *rec,
    struct lp_buf *fixed, const char **line, size_t *len,
    unsigned long long *n_repaired)
{
	/* Repair only what would fail: valid lines pay one scan. */
	if (run->repair_utf8 && !lp_utf8_valid(*line, *len, NULL)) {
		lp_buf_reset(fixed);
		lp_utf8_repair(*line, *len, fixed);
		*line = fixed->p;
		*len = fixed->len;
		(*n_repaired)++;
	}
	return lp_record_parse(rec, *line, *len);
}

int
lp_run_next(struct lp_run *run, struct lp_record **recp)
{
	const char *line;
	size_t len;
	int rc;

	for (;;) {
		if ((rc = lp_run_read(run, &line, &len)) == LP_FATAL)
			lp_run_read_failed(run);
		if (rc == LP_EOF || rc == LP_FATAL)
			return LP_EOF;
		if (rc == LP_FAILED) {
			if (lp_run_bad(run, lp_reader_name(&run->in),
				lp_reader_lineno(&run->in), run->in.err.msg,
				line, len, 1) != LP_OK)
				return LP_EOF;
			continue;
		}
		if (lp_run_parse(run, &run->rec, &run->fixed, &line, &len,
			&run->n_repaired) != LP_OK) {
			if (lp_run_bad(run, lp_reader_name(&run->in),
				lp_reader_lineno(&run->in), run->rec.err.msg,
				line, len, 0) != LP_OK)
				return LP_EOF;
			continue;
		}
		run->rec.file = lp_reader_name(&run->in);
		run->rec.line = lp_reader_lineno(&run->in);
		*recp = &run->rec;
		return LP_OK;
	}
}

int
lp_run_reject(struct lp_run *run, struct lp_record *rec, const char *reason)
{
	return lp_run_bad(
	    run, rec->file, rec->line, reason, rec->text, rec->len, 0);
}

void
lp_run_side_open(struct lp_run *run, struct lp_writer *w, const char *path)
{
	lp_run_side_open_private(run, w, path, 0);
}

void
lp_run_side_open_private(
    struct lp_run *run, struct lp_writer *w, const char *path, int private)
{
	lp_run_check_output(run, NULL, path);
	open_named(w, path, private);
	run->sides = lp_xrealloc(
	    run->sides, sizeof(*run->sides) * (size_t)(run->nsides + 1));
	run->sides[run->nsides++] = w;
}

/* Stamp rec into obuf; LP_FAILED (handled by the policy) or LP_EOF. */
static int
stamp(struct lp_run *run, struct lp_record *rec)
{
	lp_buf_reset(&run->obuf);
	if (lp_lineage_stamp(&run->lineage, rec, lp_lineage_now(&run->lineage),
		&run->obuf) != LP_OK) {
		char reason[sizeof(rec->err.msg)];

		memcpy(reason, rec->err.msg, sizeof(reason));
		return lp_run_reject(run, rec, reason) == LP_OK ? LP_FAILED
								: LP_EOF;
	}
	return LP_OK;
}

static int
put_bytes(struct lp_run *run, struct lp_writer *w, const char *p, size_t n)
{
	if (lp_writer_write(w, p, n) != LP_OK) {
		if (!w->broken_pipe) {
			lp_warnx("%s", w->err.msg);
			run->status = LP_EXIT_IOERR;
		}
		return LP_EOF;
	}
	return LP_OK;
}

static int
put(struct lp_run *run, struct lp_writer *w)
{
	return put_bytes(run, w, run->obuf.p, run->obuf.len);
}

int
lp_run_write(struct lp_run *run, const char *p, size_t n, size_t nrec)
{
	if (put_bytes(run, &run->out, p, n) != LP_OK)
		return LP_EOF;
	run->n_out += nrec;
	return LP_OK;
}

int
lp_run_emit_to(struct lp_run *run, struct lp_record *rec, struct lp_writer *w)
{
	int rc = stamp(run, rec);

	return rc != LP_OK ? rc : put(run, w);
}

int
lp_run_emit_also(
    struct lp_run *run, struct lp_record *rec, struct lp_writer **ws, int n)
{
	int rc = stamp(run, rec), i;

	if (rc == LP_FAILED)
		return LP_OK;
	if (rc != LP_OK || put(run, &run->out) != LP_OK)
		return LP_EOF;
	run->n_out++;
	for (i = 0; i < n; i++)
		if (put(run, ws[i]) != LP_OK)
			return LP_EOF;
	return LP_OK;
}

int
lp_run_emit(struct lp_run *run, struct lp_record *rec)
{
	return lp_run_emit_also(run, rec, NULL, 0);
}

void
lp_run_drop(struct lp_run *run)
{
	run->n_dropped++;
}

void
lp_run_count_each(void *run, const char *name, long long n)
{
	lp_run_count(run, name, n);
}

void
lp_run_say(struct lp_run *run, const char *name, long long n)
{
	json_t *v = json_object_get(run->said, name);

	json_object_set_new(
	    run->said, name, json_integer(json_integer_value(v) + n));
}

void
lp_run_count(struct lp_run *run, const char *name, long long n)
{
	json_t *v = json_object_get(run->counters, name);

	json_object_set_new(
	    run->counters, name, json_integer(json_integer_value(v) + n));
}

/*
 * The CPU time and peak memory of this process so far: user_s and sys_s
 * in seconds, max_rss_kb in kilobytes (Linux's ru_maxrss unit).
 */
static void
add_rusage(json_t *s)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	json_object_set_new(s, "user_s",
	    json_real((double)ru.ru_utime.tv_sec +
		(double)ru.ru_utime.tv_usec / 1e6));
	json_object_set_new(s, "sys_s",
	    json_real((double)ru.ru_stime.tv_sec +
		(double)ru.ru_stime.tv_usec / 1e6));
	json_object_set_new(
	    s, "max_rss_kb", json_integer((json_int_t)ru.ru_maxrss));
}

static void
write_stats(struct lp_run *run, double wall)
{
	struct lp_writer w;
	struct lp_buf b = LP_BUF_INIT;
	json_t *s = counts(run);

	json_object_set_new(s, "tool", json_string(lp_tool->name));
	json_object_set_new(s, "run_id", json_string(run->lineage.run_id));
	json_object_set_new(s, "status", json_integer(run->status));
	json_object_set_new(s, "wall_s", json_real(wall));
	json_object_set_new(s, "records_per_s",
	    json_real(wall > 0 ? (double)run->n_in / wall : 0));
	add_rusage(s);
	json_object_update(s, run->counters);
	lp_json_dump(s, &b);
	lp_buf_addc(&b, '\n');
	json_decref(s);
	if (lp_writer_open(&w, lp_opts.stats, 0) != LP_OK ||
	    lp_writer_write(&w, b.p, b.len) != LP_OK ||
	    lp_writer_close(&w, 1) != LP_OK) {
		lp_warnx("%s", w.err.msg);
		run->status = LP_EXIT_IOERR;
	}
	lp_buf_release(&b);
}

/* A count for the summary: the tool's, said for it, or the run's. */
static long long
summary_count(void *arg, const char *name)
{
	const struct lp_run *run = arg;
	static const char *const std[] = {
	    "in", "out", "dropped", "skipped", "quarantined", "failed"};
	const unsigned long long n[] = {run->n_in, run->n_out, run->n_dropped,
	    run->n_skipped, run->n_quar, run->n_failed};
	json_t *v;
	size_t i;

	/* The tool's own count wins, as in --stats ("failed"). */
	if ((v = json_object_get(run->counters, name)) != NULL ||
	    (v = json_object_get(run->said, name)) != NULL)
		return json_integer_value(v);
	for (i = 0; i < sizeof(std) / sizeof(std[0]); i++)
		if (strcmp(name, std[i]) == 0)
			return (long long)n[i];
	return 0;
}

/*
 * The closing line, in the tool's words (struct lp_tool's summary), when
 * lp_summary_due() or the run was interrupted (how far it got is worth a
 * line in a script too): "lp-scrape: 118 listings from 3 pages in 2.10 s
 * (56 records/s)".  The rate is of records read, or of records written by
 * a tool that reads none (lp-scrape).
 */
static void
summary(struct lp_run *run, double wall)
{
	struct lp_buf b = LP_BUF_INIT;
	unsigned long long n = run->n_in > 0 ? run->n_in : run->n_out;
	int intr = run->status == LP_EXIT_INTR;

	if (!lp_summary_due() && !(intr && lp_verbosity >= 0))
		return;
	lp_summary_format(&b,
	    lp_tool->summary != NULL
		? lp_tool->summary
		: "{in} in, {out} out[, {dropped} dropped]",
	    summary_count, run);
	lp_summary_format(&b,
	    "[, {skipped} skipped][, {quarantined} quarantined]", summary_count,
	    run);
	lp_buf_addf(&b, " in %.2f s (%.0f records/s)", wall,
	    wall > 0 ? (double)n / wall : 0.0);
	/* Read less written is what an interrupt left unfinished. */
	if (intr)
		lp_buf_addf(&b, ", interrupted: %llu read, %llu written",
		    run->n_in, run->n_out);
	lp_summary_always("%s", b.p);
	lp_buf_release(&b);
}

/*
 * What run_end says beside the counts: the files read beside the records
 * (lp_run_note_input(): they are inputs too, as "inputs") and, for a failed run (not
 * 0 or 1), the first line of its error: the last diagnostic printed.
 */
static void
end_facts(struct lp_run *run, json_t *f)
{
	json_t *in = json_array();
	int i, k;

	/* The record inputs are in run_start (stdin under no name). */
	for (i = 0; i < run->ninputs; i++) {
		for (k = 0; k < run->in.nfiles; k++)
			if (run->inputs[i].name == run->in.names[k])
				break;
		if (k == run->in.nfiles)
			json_array_append_new(
			    in, dataset_name(run->inputs[i].name));
	}
	json_object_set_new(f, "inputs", in);
	if (run->status == LP_EXIT_INTR)
		json_object_set_new(f, "error", json_string("interrupted"));
	else if (run->status != LP_EXIT_OK && run->status != LP_EXIT_FAIL &&
	    lp_log_last()[0] != '\0') {
		struct lp_buf b = LP_BUF_INIT;
		long long emails = 0, phones = 0;

		/*
		 * A message may quote a record ("near '...'"): the audit log
		 * and the lineage server get it redacted, as raw.* is.
		 */
		lp_pii_redact(
		    lp_log_last(), strlen(lp_log_last()), &b, &emails, &phones);
		json_object_set_new(f, "error", json_stringn(b.p, b.len));
		lp_buf_release(&b);
	}
}

int
lp_run_close(struct lp_run *run, int status)
{
	double wall;
	int i;
	int commit;

	if (run->status == LP_EXIT_OK)
		run->status = status;
	/* A file output is kept only for a run that did its job. */
	commit = (run->status == LP_EXIT_OK || run->status == LP_EXIT_FAIL) &&
	    !run->discard;
	if (!lp_tool->report && lp_writer_close(&run->out, commit) != LP_OK) {
		lp_warnx("%s", run->out.err.msg);
		run->status = LP_EXIT_IOERR;
		commit = 0;
	}
	/* stdout cannot take back what it was given. */
	run->n_committed = commit || lp_opts.output == NULL || run->out.direct
	    ? run->n_out
	    : 0;
	/* Side outputs are part of the result: kept on the same terms. */
	for (i = 0; i < run->nsides; i++)
		if (lp_writer_close(run->sides[i], commit) != LP_OK) {
			lp_warnx("%s", run->sides[i]->err.msg);
			run->status = LP_EXIT_IOERR;
		}
	free(run->sides);
	run->sides = NULL;
	/* The quarantine is the account of bad input: always kept. */
	if (run->have_quar && lp_writer_close(&run->quar, 1) != LP_OK) {
		lp_warnx("%s", run->quar.err.msg);
		run->status = LP_EXIT_IOERR;
	}
	wall = lp_clock() - run->t0;
	if (run->progress && run->last_progress > 0)
		fputs("\r\033[K", stderr);
	if (lp_opts.stats != NULL)
		write_stats(run, wall);
	if (run->have_audit) {
		json_t *f = counts(run);

		json_object_set_new(f, "status", json_integer(run->status));
		json_object_set_new(
		    f, "wall_ms", json_integer((json_int_t)(wall * 1000)));
		json_object_update(f, run->counters);
		end_facts(run, f);
		lp_run_audit(run, "run_end", f);
		lp_audit_close(&run->audit);
	}
	if (!run->out.broken_pipe)
		summary(run, wall);
	if (run->status == LP_EXIT_OK && run->out.broken_pipe)
		run->status = LP_EXIT_OK;
	lp_reader_close(&run->in);
	lp_record_release(&run->rec);
	lp_lineage_release(&run->lineage);
	lp_buf_release(&run->obuf);
	lp_buf_release(&run->fixed);
	free(run->inputs);
	run->inputs = NULL;
	json_decref(run->counters);
	json_decref(run->said);
	return run->status;
}
