/*
 * One run of a tool over its record stream: inputs, output, error policy,
 * quarantine, lineage, audit log, stats, progress and the closing summary.
 * Tool side of liblp: it prints diagnostics through log.h.
 *
 * Accounting: every record read is counted once as out, dropped (by the
 * tool's design), skipped or quarantined (bad input), or failed (the bad
 * line that stopped a run under --on-error=fail), so at the end
 * in = out + dropped + skipped + quarantined + failed.  committed is how
 * many of the out records are in an output that was kept: out for stdout
 * or a committed -o file, 0 when the -o file was discarded.
 *
 * No output may be an input: each output path (-o, --quarantine,
 * --stats, --audit, side outputs, and what a tool checks with
 * lp_run_check_output()) is compared with the input files by device and
 * inode, and a match is a usage error naming both.
 */
#ifndef LP_RUN_H
#define LP_RUN_H

#include <jansson.h>
#include <sys/types.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/lineage.h"
#include "core/record.h"
#include "core/stream.h"

/* An input file as the output check knows it. */
struct lp_run_input {
	dev_t dev;
	ino_t ino;
	const char *name;
};

struct lp_run {
	struct lp_reader in;
	struct lp_writer out;
	struct lp_writer quar;
	int have_quar;
	struct lp_writer **sides; /* side outputs, closed with the run */
	int nsides;
	struct lp_audit audit;
	int have_audit;
	struct lp_lineage lineage;
	struct lp_record rec;
	struct lp_buf obuf;
	int repair_utf8;     /* set by the tool: repair, do not reject */
	struct lp_buf fixed; /* a repaired line */
	unsigned long long n_repaired;
	unsigned long long n_in, n_out, n_dropped, n_skipped, n_quar;
	unsigned long long n_failed, n_committed;
	struct lp_run_input *inputs; /* the inputs' identities */
	int ninputs;
	json_t *counters; /* the tool's own counts, for --stats */
	json_t *said;	  /* counts for the summary only (lp_run_say()) */
	double t0, last_progress;
	int progress;	/* this stage draws the progress line */
	char note[128]; /* the tool's own progress figures */
	int discard;	/* set by the tool: commit no output (-o), keep none */
	int status;
};

/*
 * Open inputs (files, or stdin when nfiles is 0), output, quarantine and
 * audit log; set up lineage with config (the options that change output,
 * as canonical text).  Exits with a message if something cannot be opened.
 */
void lp_run_open(
    struct lp_run *run, int nfiles, char **files, const char *config);
/*
 * The next good record.  Bad lines are handled by the error policy here.
 * LP_OK, or LP_EOF when the stream ended (or must end: a fatal error or
 * an interrupt; lp_run_close() returns the status).
 */
int lp_run_next(struct lp_run *run, struct lp_record **rec);
/*
 * The pieces of lp_run_next(), for a tool that parses elsewhere
 * (tool/lanes.h).  lp_run_read(): the next line, borrowed until the next
 * read: LP_OK; LP_FAILED for a line the reader refused (reason in
 * run->in.err, the line cut short), left to lp_run_bad(); LP_FATAL when
 * the input cannot be read on (reason in run->in.err, said by
 * lp_run_read_failed() once the lines before it are dealt with); or
 * LP_EOF at the end, or on an interrupt (run->status says so).  lp_run_parse(): parse line into rec, repairing its
 * UTF-8 into fixed first if the tool asked (counted in *n_repaired; line
 * and len then name the repaired text); LP_OK, or LP_FAILED (rec->err).
 * It touches only its arguments, so it may run on another thread.
 */
int lp_run_read(struct lp_run *run, const char **line, size_t *len);
void lp_run_read_failed(struct lp_run *run);
int lp_run_parse(const struct lp_run *run, struct lp_record *rec,
    struct lp_buf *fixed, const char **line, size_t *len,
    unsigned long long *n_repaired);
/*
 * Apply the error policy to a bad line of file (cut short if truncated):
 * LP_OK to go on, LP_EOF to stop.
 */
int lp_run_bad(struct lp_run *run, const char *file, unsigned long line,
    const char *reason, const char *text, size_t len, int truncated);
/* Write nrec stamped records, p[0..n): LP_OK, or LP_EOF (output gone). */
int lp_run_write(struct lp_run *run, const char *p, size_t n, size_t nrec);
/* Stamp and write a record.  LP_OK, or LP_EOF when output is gone. */
int lp_run_emit(struct lp_run *run, struct lp_record *rec);
/*
 * Exit with a usage error (2) if path, the value of option (named in the
 * message; NULL: found on the command line), is one of the run's input
 * files.  For outputs a tool opens itself (an archive, a session log).
 */
void lp_run_check_output(
    const struct lp_run *run, const char *option, const char *path);
/*
 * Count path (kept, not copied) as an input too, for
 * lp_run_check_output(): a file a tool reads beside its records (answers,
 * a state file).
 */
void lp_run_note_input(struct lp_run *run, const char *path);
/*
 * Open a side output (dropped records, say): gzip when the name ends in
 * ".gz", plain otherwise.  An input file is refused as
 * lp_run_check_output() does.  Exits with a message on failure.  lp_run_close()
 * closes it, and like -o it is renamed into place only when the run
 * succeeds.
 */
void lp_run_side_open(
    struct lp_run *run, struct lp_writer *w, const char *path);
/*
 * As lp_run_side_open(), the file created 0600 when private is set: a
 * side output that holds answers or personal data (a gold key).
 */
void lp_run_side_open_private(
    struct lp_run *run, struct lp_writer *w, const char *path, int private);
/*
 * Stamp and write a record to a side output (not counted as out).  LP_OK;
 * LP_FAILED when the record could not be stamped (the error policy has
 * handled it); LP_EOF when the run must stop.
 */
int lp_run_emit_to(
    struct lp_run *run, struct lp_record *rec, struct lp_writer *w);
/*
 * Stamp rec once and write the same bytes to the output (counted as out)
 * and to the side outputs ws[0..n).  As lp_run_emit().
 */
int lp_run_emit_also(
    struct lp_run *run, struct lp_record *rec, struct lp_writer **ws, int n);
/* A record the tool leaves out by design. */
void lp_run_drop(struct lp_run *run);
/*
 * A record the tool finds unusable (a schema failure, say): the error
 * policy decides as for a bad line.  LP_OK to go on, LP_EOF to stop.
 */
int lp_run_reject(
    struct lp_run *run, struct lp_record *rec, const char *reason);
/* Add n to the tool counter name (shown in --stats). */
void lp_run_count(struct lp_run *run, const char *name, long long n);
/*
 * Add n to the count name that only the closing summary reads (struct
 * lp_tool's summary): not in --stats or the audit log.
 */
void lp_run_say(struct lp_run *run, const char *name, long long n);
/*
 * lp_run_count() for the library's counters (lp_clean_counts(),
 * lp_crawl_counts()): run is the struct lp_run.
 */
void lp_run_count_each(void *run, const char *name, long long n);
/* Append an audit event if an audit log is open (fields stolen). */
void lp_run_audit(struct lp_run *run, const char *kind, json_t *fields);
/*
 * Record that this run uses version (NULL: unversioned) of kind
 * ("taxonomy", "guidelines", "prompt", "rubric", "gates", "rules"): a
 * version_in_use event {kind, version, digest}, written only when the
 * log holds none with the same three, so the run that first uses a
 * version records it.  digest is the SHA-256 of doc's canonical JSON, the
 * document that declares the version; no audit log, no event.
 */
void lp_run_audit_version(struct lp_run *run, const char *kind,
    const char *version, const json_t *doc);
/* As lp_run_audit_version(), with the digest (64 hex digits) given. */
void lp_run_audit_version_digest(struct lp_run *run, const char *kind,
    const char *version, const char *digest);
/*
 * Progress on a terminal (at most four times a second): records read,
 * rate, share of the input and time left, and run->note if set.  Called
 * by lp_run_next(); a tool that waits elsewhere calls it too.
 *
 * One progress line per pipeline: only the stage whose output does not go
 * into a pipe draws (the last labelpipe stage of "a | b | c > out"), so
 * stages sharing a terminal do not overwrite each other's line.
 */
void lp_run_progress(struct lp_run *run);
/* Whether lp_run_progress() would print now: fill run->note only then. */
int lp_run_progress_due(const struct lp_run *run);
/*
 * Finish: flush and commit output, write stats, the audit end event and
 * the summary (the tool's words, then skipped and quarantined lines, the
 * time and the rate of records read, or of records written by a tool that
 * reads none), said as lp_summary_due() decides, and for an interrupted
 * run on any stderr (not under -q).  Returns the exit status; status is
 * the tool's own verdict (LP_EXIT_OK or LP_EXIT_FAIL) unless the run
 * already failed.
 */
int lp_run_close(struct lp_run *run, int status);

#endif
