/*
 * lp-audit: the audit log's own tool, for the trail and for compliance.
 * Subcommands, git-like: verify checks the hash chain, the seals (with
 * the key) and a head published elsewhere; seal appends a keyed
 * checkpoint; head prints the head to publish; openlineage exports the
 * runs; pii-scan counts what still looks like personal data in datasets;
 * erase removes a data subject from the artefacts named and retain what
 * a retention policy says is too old.  The checks and the seal are
 * core/audit, the HMAC core/hmac, the export metrics/openlineage (sent
 * on by tool/olsink), the scan text/piiscan, erasure and retention
 * tool/erase; this file reads the options, picks the subcommand from its
 * table and says what came out.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/error.h"
#include "core/hmac.h"
#include "core/lineage.h"
#include "core/record.h"
#include "core/status.h"
#include "core/stream.h"
#include "metrics/openlineage.h"
#include "text/piiscan.h"
#include "tool/cli.h"
#include "tool/erase.h"
#include "tool/log.h"
#include "tool/olsink.h"

enum {
	OPT_HEAD = LP_OPT_TOOL_BASE,
	OPT_KEY,
	OPT_NAMES,
	OPT_SUBJECT,
	OPT_DATASET,
	OPT_CACHE,
	OPT_SESSION,
	OPT_WARC,
	OPT_POLICY,
	OPT_DRY_RUN
};

static const struct lp_tool tool = {"lp-audit",
    "verify [-qv] [--key file] [--head seq:hash] [log]\n"
    "       lp-audit seal [-qv] --key file [log]\n"
    "       lp-audit head [-qv] [--key file] [log]\n"
    "       lp-audit openlineage [-qv] [-o file] [log]\n"
    "       lp-audit pii-scan [-qv] [--names file] [file ...]\n"
    "       lp-audit erase [-qv] --subject kind=value ... [--dataset file]"
    " ...\n"
    "                [--cache dir] [--session file] ... [--warc file] ..."
    " [log]\n"
    "       lp-audit retain [-qv] --policy file [--dry-run] [log]",
    "Check, seal and export the audit log (the log named, else --audit or\n"
    "LP_AUDIT_LOG).\n"
    "\n"
    "Commands:\n"
    "  verify                  check the hash chain, the seals' heads and,\n"
    "                          with --key, their HMACs; exit 1 naming the\n"
    "                          first line that fails\n"
    "  seal                    append a seal: an HMAC-SHA-256 of the\n"
    "                          chain's head under --key; print the new head\n"
    "  head                    check the chain, print its head as SEQ:HASH\n"
    "  openlineage             write OpenLineage events (START, COMPLETE or\n"
    "                          FAIL) for each run of the log; send them to\n"
    "                          OPENLINEAGE_URL too when it is set\n"
    "  pii-scan                count what still looks like personal data in\n"
    "                          the records of the files (e-mail, phone, UK\n"
    "                          postcode, card, IBAN, names) per field, as\n"
    "                          JSON; exit 1 if anything is found\n"
    "  erase                   remove a data subject (a listing id, a\n"
    "                          seller, an annotator) from the artefacts\n"
    "                          named, tombstone its events in the log\n"
    "                          (the chain still holds) and log the erasure\n"
    "  retain                  remove what a retention policy says is too\n"
    "                          old: files by mtime, log events by time",
    "      --key=FILE          the seals' key: a file readable by its owner\n"
    "                          only (mode 600), at least 16 bytes\n"
    "      --head=SEQ:HASH     verify: the log must hold the event SEQ with\n"
    "                          this hash (a head published elsewhere)\n"
    "      --names=FILE        pii-scan: the person-name fields, a JSON\n"
    "                          list of paths (default [\"seller\"])\n"
    "      --subject=KIND=VALUE\n"
    "                          erase: id=LISTING, seller=PSEUDONYM or\n"
    "                          annotator=ID (repeatable)\n"
    "      --dataset=FILE      erase: a dataset to rewrite (repeatable)\n"
    "      --cache=DIR         erase: the LLM cache folder\n"
    "      --session=FILE      erase: an lp-label session log (repeatable)\n"
    "      --warc=FILE         erase: a WARC archive to rewrite "
    "(repeatable)\n"
    "      --policy=FILE       retain: the retention policy (JSON)\n"
    "      --dry-run           retain: say what would go, remove nothing\n",
    1, NULL};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"head", required_argument, NULL, OPT_HEAD},
    {"key", required_argument, NULL, OPT_KEY},
    {"names", required_argument, NULL, OPT_NAMES},
    {"subject", required_argument, NULL, OPT_SUBJECT},
    {"dataset", required_argument, NULL, OPT_DATASET},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"session", required_argument, NULL, OPT_SESSION},
    {"warc", required_argument, NULL, OPT_WARC},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN}, {NULL, 0, NULL, 0}};

/* What the command line asked for. */
struct audit_opts {
	const char *log;
	char **files; /* pii-scan: the datasets */
	int nfiles;
	const char *names_path;
	const char *key_path;
	const char *head;
	long long head_seq;
	char head_hash[65];
	unsigned char key[LP_HMAC_KEY_MAX];
	size_t keylen;
	struct lp_erase_job job; /* erase: subjects and artefacts */
	int erase_opts;		 /* erase's options given */
	const char *policy;
	int dry_run;
};

/* One subcommand: its name, what it may be given, what it does. */
struct command {
	const char *name;
	int key;    /* 1: --key required, 0: allowed, -1: refused */
	int head;   /* --head allowed */
	int output; /* -o allowed */
	int files;  /* 1: takes datasets, not a log */
	int erase;  /* takes erase's options */
	int (*run)(struct audit_opts *o);
};

/* --head SEQ:HASH into o, or a usage error. */
static void
parse_head(struct audit_opts *o, const char *arg)
{
	char *end;
	size_t i;

	errno = 0;
	o->head_seq = strtoll(arg, &end, 10);
	if (errno != 0 || end == arg || *end != ':' || o->head_seq < 1 ||
	    strlen(end + 1) != 64)
		goto bad;
	for (i = 1; i <= 64; i++)
		if (strchr("0123456789abcdef", end[i]) == NULL)
			goto bad;
	memcpy(o->head_hash, end + 1, 65);
	o->head = arg;
	return;
bad:
	lp_cli_usage("invalid --head '%s' (want SEQ:HASH, as 'lp-audit head' "
		     "prints it)",
	    arg);
}

/* The key file's key into o; exits 65 (74) if it cannot be used (read). */
static void
read_key(struct audit_opts *o)
{
	struct lp_error err = LP_ERROR_INIT;
	int rc;

	if (o->key_path == NULL)
		return;
	rc = lp_hmac_key_read(o->key_path, o->key, &o->keylen, &err);
	if (rc != LP_OK)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    err.msg);
}

/*
 * The check of verify, head and seal: the chain, the seals, the published
 * head.  Exits 74 if the log cannot be read; 1 (naming the line) if the
 * check fails.
 */
static void
check(struct audit_opts *o, struct lp_audit_check *c)
{
	struct lp_error err = LP_ERROR_INIT;
	const char *why = err.msg;
	unsigned long line = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	c->key = o->key_path != NULL ? o->key : NULL;
	c->keylen = o->keylen;
	c->want_seq = o->head != NULL ? o->head_seq : 0;
	c->want_hash = o->head_hash;
	if ((rc = lp_audit_check(o->log, c, &line, &err)) == LP_FATAL)
		lp_errx(LP_EXIT_IOERR, "%s", err.msg);
	if (rc != LP_OK) {
		/* "line N: why" reads as file:N: why. */
		if (strncmp(why, "line ", 5) == 0 && strstr(why, ": ") != NULL)
			why = strstr(why, ": ") + 2;
		lp_warnx("%s:%lu: %s", o->log, line, why);
		exit(LP_EXIT_FAIL);
	}
}

static int
cmd_verify(struct audit_opts *o)
{
	struct lp_audit_check c;

	check(o, &c);
	if (lp_verbosity < 0)
		return LP_EXIT_OK;
	if (c.key != NULL)
		lp_summary("%s: the hash chain holds, %lu seal%s verified%s",
		    o->log, c.seals, c.seals == 1 ? "" : "s",
		    o->head ? ", the published head is in it" : "");
	else if (c.seals > 0 || o->head != NULL)
		lp_summary("%s: the hash chain holds%s%s", o->log,
		    o->head ? ", the published head is in it" : "",
		    c.seals > 0 ? " (seals not checked: no --key)" : "");
	else
		lp_summary("%s: the hash chain holds", o->log);
	return LP_EXIT_OK;
}

static int
cmd_head(struct audit_opts *o)
{
	struct lp_audit_check c;

	check(o, &c);
	printf("%lld:%s\n", c.seq, c.head);
	return LP_EXIT_OK;
}

static int
cmd_seal(struct audit_opts *o)
{
	struct lp_audit_check c;
	struct lp_lineage lg;
	struct lp_audit a;
	char hash[65];
	long long seq;

	/* Sealing a log that is already broken would vouch for it. */
	if (access(o->log, F_OK) != 0)
		lp_err(LP_EXIT_IOERR, "cannot open audit log '%s'", o->log);
	check(o, &c);
	lp_lineage_init(&lg, tool.name, "seal", NULL, NULL, NULL);
	if (lp_audit_open(&a, o->log, tool.name, lg.run_id) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", a.err.msg);
	if (lp_audit_seal(&a, o->key, o->keylen, &seq, hash) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", a.err.msg);
	lp_audit_close(&a);
	lp_lineage_release(&lg);
	printf("%lld:%s\n", seq, hash);
	lp_summary("%s: sealed at seq %lld", o->log, seq);
	return LP_EXIT_OK;
}

static int
cmd_openlineage(struct audit_opts *o)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_openlineage_export x = {0};
	const char *out = lp_opts.output;
	size_t n = out != NULL ? strlen(out) : 0;
	struct lp_olsink sink;
	struct lp_writer w;
	int rc;

	if (lp_writer_open(&w, out,
		n > 3 && strcmp(out + n - 3, ".gz") == 0 ? lp_gzip_level()
							 : 0) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", w.err.msg);
	/* Every event to the file; to OPENLINEAGE_URL too when set. */
	lp_olsink_init(&sink, &w);
	x.path = o->log;
	x.job_namespace = sink.job_namespace;
	x.max_line = lp_opts.max_line;
	x.event = lp_olsink_event;
	x.arg = &sink;
	/* No run of lp-audit is in the log: none to leave out. */
	if ((rc = lp_openlineage_export_each(&x, &err)) != LP_OK) {
		lp_writer_close(&w, 0);
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    err.msg);
	}
	if (lp_writer_close(&w, 1) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", w.err.msg);
	lp_summary("%s: %ld runs exported", o->log, x.nruns);
	return lp_olsink_finish(&sink, out);
}

/* The records of the files into the scan; a bad line is fatal (65). */
static void
scan_files(struct audit_opts *o, struct lp_piiscan *s)
{
	struct lp_reader r;
	struct lp_record rec;
	const char *line;
	size_t len;
	int rc;

	if (lp_reader_open(&r, o->files, o->nfiles, lp_opts.max_line) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", r.err.msg);
	lp_record_init(&rec);
	while ((rc = lp_reader_next(&r, &line, &len)) == LP_OK) {
		if (len == 0)
			continue;
		if (lp_record_parse(&rec, line, len) != LP_OK)
			lp_errx(LP_EXIT_DATAERR, "%s:%lu: %s",
			    lp_reader_name(&r), lp_reader_lineno(&r),
			    rec.err.msg);
		lp_piiscan_record(s, &rec);
	}
	if (rc != LP_EOF)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR,
		    "%s:%lu: %s", lp_reader_name(&r), lp_reader_lineno(&r),
		    rc == LP_FATAL ? r.err.msg : "line too long");
	lp_record_release(&rec);
	lp_reader_close(&r);
}

static int
cmd_pii_scan(struct audit_opts *o)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_buf report = LP_BUF_INIT;
	json_t *names = NULL;
	struct lp_piiscan *s;
	long long found;

	if (o->names_path != NULL)
		names = lp_cli_json_file(o->names_path);
	if ((s = lp_piiscan_new(names, &err)) == NULL)
		lp_errx(LP_EXIT_DATAERR, "%s: %s", o->names_path, err.msg);
	json_decref(names);
	scan_files(o, s);
	lp_piiscan_report(s, &report);
	printf("%s\n", report.p);
	found = lp_piiscan_total(s);
	if (found > 0 && lp_verbosity >= 0)
		lp_warnx("%lld pieces of what looks like personal data", found);
	lp_buf_release(&report);
	lp_piiscan_free(s);
	return found > 0 ? LP_EXIT_FAIL : LP_EXIT_OK;
}

/* Print a summary (stolen) as one JSON line. */
static void
print_json(json_t *v)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_json_dump(v, &b);
	printf("%s\n", b.p);
	lp_buf_release(&b);
	json_decref(v);
}

/* counts[kind][what], or 0. */
static long long
count_of(const json_t *counts, const char *kind, const char *what)
{
	return json_integer_value(
	    json_object_get(json_object_get(counts, kind), what));
}

static int
cmd_erase(struct audit_opts *o)
{
	struct lp_erase_job *j = &o->job;
	struct lp_lineage lg;
	json_t *counts;

	if (json_array_size(j->e.ids) + json_array_size(j->e.sellers) +
		json_array_size(j->e.annotators) ==
	    0)
		lp_cli_usage("erase needs --subject KIND=VALUE");
	lp_lineage_init(&lg, tool.name, "erase", NULL, NULL, NULL);
	j->log = o->log;
	j->tool = tool.name;
	j->run_id = lg.run_id;
	counts = lp_erase_run(j);
	lp_summary("%s: erased %lld records, %lld labels, %lld session "
		   "events, %lld audit events",
	    o->log, count_of(counts, "datasets", "records"),
	    count_of(counts, "datasets", "labels"),
	    count_of(counts, "sessions", "events"),
	    count_of(counts, "audit", "events"));
	print_json(counts);
	lp_lineage_release(&lg);
	return LP_EXIT_OK;
}

static int
cmd_retain(struct audit_opts *o)
{
	struct lp_lineage lg;
	json_t *policy;

	if (o->policy == NULL)
		lp_cli_usage("retain needs --policy FILE");
	policy = lp_cli_json_file(o->policy);
	lp_lineage_init(&lg, tool.name, "retain", NULL, NULL, NULL);
	print_json(
	    lp_retain_run(policy, o->log, o->dry_run, tool.name, lg.run_id));
	lp_lineage_release(&lg);
	json_decref(policy);
	return LP_EXIT_OK;
}

/* The subcommands, sorted: one row each. */
static const struct command commands[] = {
    {"erase", -1, 0, 0, 0, 1, cmd_erase},
    {"head", 0, 0, 0, 0, 0, cmd_head},
    {"openlineage", -1, 0, 1, 0, 0, cmd_openlineage},
    {"pii-scan", -1, 0, 0, 1, 0, cmd_pii_scan},
    {"retain", -1, 0, 0, 0, 2, cmd_retain},
    {"seal", 1, 0, 0, 0, 0, cmd_seal},
    {"verify", 0, 1, 0, 0, 0, cmd_verify},
};

/* The subcommand named, or a usage error listing them. */
static const struct command *
command(int argc, char **argv)
{
	size_t i, n = sizeof(commands) / sizeof(commands[0]);

	if (argc == 0)
		lp_cli_usage("no command (want erase, head, openlineage, "
			     "pii-scan, retain, seal or verify)");
	for (i = 0; i < n; i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return &commands[i];
	lp_cli_usage("unknown command '%s' (want erase, head, openlineage, "
		     "pii-scan, retain, seal or verify)",
	    argv[0]);
}

/* A repeatable option's value onto the list *v (of *n). */
static void
push(char ***v, int *n, char *arg)
{
	*v = realloc(*v, (size_t)(*n + 1) * sizeof(**v));
	if (*v == NULL)
		lp_err(LP_EXIT_IOERR, "out of memory");
	(*v)[(*n)++] = arg;
}

/* An option of erase or retain into o; 0 if ch is none of theirs. */
static int
erase_option(struct audit_opts *o, int ch, char *arg)
{
	struct lp_erase_job *j = &o->job;
	struct lp_error err = LP_ERROR_INIT;

	o->erase_opts |= ch == OPT_POLICY || ch == OPT_DRY_RUN ? 2 : 1;
	switch (ch) {
	case OPT_SUBJECT:
		if (lp_erasure_add(&j->e, arg, &err) != LP_OK)
			lp_cli_usage("%s", err.msg);
		return 1;
	case OPT_DATASET:
		push(&j->datasets, &j->ndatasets, arg);
		return 1;
	case OPT_CACHE:
		j->cache = arg;
		return 1;
	case OPT_SESSION:
		push(&j->sessions, &j->nsessions, arg);
		return 1;
	case OPT_WARC:
		push(&j->warcs, &j->nwarcs, arg);
		return 1;
	case OPT_POLICY:
		o->policy = arg;
		return 1;
	case OPT_DRY_RUN:
		o->dry_run = 1;
		return 1;
	}
	return 0;
}

/* The options into o (getopt permutes: they may come before the command). */
static void
options(struct audit_opts *o, int argc, char **argv)
{
	int ch;

	lp_erasure_init(&o->job.e);
	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_HEAD:
			parse_head(o, optarg);
			break;
		case OPT_KEY:
			o->key_path = optarg;
			break;
		case OPT_NAMES:
			o->names_path = optarg;
			break;
		default:
			if (ch < OPT_SUBJECT || !erase_option(o, ch, optarg))
				lp_cli_common(ch, optarg);
		}
	}
}

int
main(int argc, char **argv)
{
	static struct audit_opts o;
	const struct command *cmd;
	int status;

	lp_cli_init(argc, argv, &tool);
	options(&o, argc, argv);
	argc -= optind;
	argv += optind;
	cmd = command(argc, argv);
	if (cmd->files) {
		o.files = argv + 1;
		o.nfiles = argc - 1;
	} else if (o.names_path != NULL)
		lp_cli_usage("%s takes no --names", cmd->name);
	else if (argc > 2)
		lp_cli_usage("%s: one log at most", cmd->name);
	if (!cmd->files &&
	    (o.log = argc == 2 ? argv[1] : lp_opts.audit) == NULL)
		lp_cli_usage(
		    "%s: no log (name one, or give --audit FILE or set "
		    "LP_AUDIT_LOG)",
		    cmd->name);
	if (cmd->key == 1 && o.key_path == NULL)
		lp_cli_usage("%s needs --key FILE", cmd->name);
	if (cmd->key == -1 && o.key_path != NULL)
		lp_cli_usage("%s takes no --key", cmd->name);
	if (!cmd->head && o.head != NULL)
		lp_cli_usage("%s takes no --head", cmd->name);
	if (!cmd->output && lp_opts.output != NULL)
		lp_cli_usage("%s takes no -o", cmd->name);
	if ((o.erase_opts & ~cmd->erase) != 0)
		lp_cli_usage("%s takes no %s", cmd->name,
		    o.erase_opts & 1 ? "--subject, --dataset, --cache, "
				       "--session or --warc"
				     : "--policy or --dry-run");
	read_key(&o);
	status = cmd->run(&o);
	lp_hmac_wipe(o.key, sizeof(o.key));
	lp_erasure_release(&o.job.e);
	free(o.job.datasets);
	free(o.job.sessions);
	free(o.job.warcs);
	if (fflush(stdout) != 0 || ferror(stdout))
		lp_err(LP_EXIT_IOERR, "<stdout>");
	return status;
}
