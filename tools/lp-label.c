/*
 * lp-label: people review the sampled items on the terminal (/dev/tty),
 * one screen per item, and their labels are appended to the records.
 *
 * The session log is the truth: every decision is appended and fsync'ed
 * before the next item appears, and a run replays the log first, so the
 * same command resumes after a crash, a kill or a quit.  The output is
 * written only when every item is decided (or on --export), from the held
 * queue and the replayed decisions; an unfinished run commits nothing.
 *
 * --adjudicate merges several annotators' outputs by id, settles what the
 * consensus rule settles and puts the rest before an adjudicator, through
 * the same screen, session log and answers machinery.
 *
 * The machinery is liblp's review/: the queue (queue.h), decisions with
 * undo and replay (decision.h), the desk where keys or answers become
 * logged decisions (desk.h), the screen (screen.h), answers files
 * (answers.h) and consensus (adjudication.h); roles are checked by
 * tool/access.h.  This file parses options, reads the queue, connects the
 * desk to the terminal (tool/deskterm.h) and writes the output.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/data.h"
#include "core/error.h"
#include "core/status.h"
#include "review/adjudication.h"
#include "review/annotator.h"
#include "review/answers.h"
#include "review/decision.h"
#include "review/desk.h"
#include "review/queue.h"
#include "review/taxonomy.h"
#include "tool/access.h"
#include "tool/cli.h"
#include "tool/deskterm.h"
#include "tool/editor.h"
#include "tool/log.h"
#include "tool/run.h"
#include "tool/term.h"

enum {
	OPT_ADJUDICATE = LP_OPT_TOOL_BASE,
	OPT_ANNOTATOR,
	OPT_ANSWERS,
	OPT_APPROVE_TAXONOMY,
	OPT_CONSENSUS,
	OPT_EXPORT,
	OPT_PAUSE,
	OPT_ROLES,
	OPT_ROUND,
	OPT_SESSION,
	OPT_SHOW_LABELS,
	OPT_TAXONOMY
};

static const struct lp_tool tool = {"lp-label",
    "[-qv] [-o file] --annotator id [--round n] [--taxonomy file]\n"
    "       [--session file] [--answers file | --export] [--pause s]\n"
    "       [--show-labels] [--roles file] [file ...]\n"
    "       lp-label --adjudicate --annotator id [--consensus rule] file ...\n"
    "       lp-label --approve-taxonomy file --roles file --audit file",
    "Review sampled items on the terminal; labels go onto the records.",
    "      --annotator=ID      who is labelling (or LP_ANNOTATOR); required\n"
    "      --round=N           the annotation round (default 1)\n"
    "      --taxonomy=FILE     the label set (default: the shipped\n"
    "                          guidelines/taxonomy.json)\n"
    "      --session=FILE      the session log (default beside -o FILE, else\n"
    "                          in $XDG_STATE_HOME/labelpipe)\n"
    "      --answers=FILE      take decisions from FILE (JSON Lines of\n"
    "                          {id, label, correction, note, status}), "
    "no\n"
    "                          terminal; then write as --export does\n"
    "      --export            write the records with the decisions so "
    "far\n"
    "      --pause=SECONDS     a gap between keys longer than this is a\n"
    "                          pause, not work (default 120)\n"
    "      --show-labels       show other annotators' labels (not blind)\n"
    "      --adjudicate        merge annotators' outputs by id and decide\n"
    "                          where they disagree\n"
    "      --consensus=RULE    unanimous (default) or majority: which "
    "items\n"
    "                          settle without an adjudicator\n"
    "      --roles=FILE        enforce the roles of FILE (or LP_ROLES)\n"
    "      --approve-taxonomy=FILE  record, as the taxonomy owner, the\n"
    "                          approval of FILE in the audit log\n"
    "\n"
    "On the screen: a label key (the taxonomy's: 1-4, a, r) decides; c\n"
    "corrects, e opens $EDITOR, n notes, s skips, u undoes, Left and Right\n"
    "go to other items, ? shows the guide, q stops (the same command\n"
    "resumes).\n",
    0, "{decided-skips} labelled, {skips} skipped, {queue-decided} left"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"adjudicate", no_argument, NULL, OPT_ADJUDICATE},
    {"annotator", required_argument, NULL, OPT_ANNOTATOR},
    {"answers", required_argument, NULL, OPT_ANSWERS},
    {"approve-taxonomy", required_argument, NULL, OPT_APPROVE_TAXONOMY},
    {"consensus", required_argument, NULL, OPT_CONSENSUS},
    {"export", no_argument, NULL, OPT_EXPORT},
    {"pause", required_argument, NULL, OPT_PAUSE},
    {"roles", required_argument, NULL, OPT_ROLES},
    {"round", required_argument, NULL, OPT_ROUND},
    {"session", required_argument, NULL, OPT_SESSION},
    {"show-labels", no_argument, NULL, OPT_SHOW_LABELS},
    {"taxonomy", required_argument, NULL, OPT_TAXONOMY}, {NULL, 0, NULL, 0}};

/* The run: options, the queue and the desk where it is decided. */
struct label {
	const char *annotator, *answers, *session, *taxonomy, *roles, *approve;
	long round;
	int adjudicate, majority, export, show_labels, consensus_given;
	long long pause_ms;
	struct lp_taxonomy tax;
	struct lp_queue q;
	struct lp_desk desk;
	struct lp_run run;
	struct lp_access ac;
	struct lp_record rec;		   /* a record being written */
	struct lp_annotator_others others; /* whom the rest is for */
};

static size_t
find(void *arg, const char *id)
{
	return lp_queue_find(&((struct label *)arg)->q, id);
}

static const char *
settled(void *arg, size_t i)
{
	return lp_queue_settled(&((struct label *)arg)->q, i);
}

/* Add a record's labels to item i's, for adjudication. */
static void
merge(struct label *lb, size_t i, struct lp_record *rec)
{
	size_t dup = lp_adjudication_merge(
	    &lb->q.item[i].adj, lp_record_get(rec, "labels"));

	if (dup > 0)
		lp_run_count(
		    &lb->run, "merged_duplicate_labels", (long long)dup);
}

/* Records for others but none for us: say whose the queue is; stop. */
static int
routed_elsewhere(struct label *lb)
{
	if (lb->adjudicate || lp_queue_count(&lb->q) > 0 || lb->others.n == 0)
		return 0;
	lp_warnx("the queue routes no item to '%s' (it is for %s)",
	    lb->annotator, lp_annotator_others_text(&lb->others));
	lb->run.discard = 1;
	lb->run.status = LP_EXIT_FAIL;
	return 1;
}

static void
add(struct label *lb, struct lp_record *rec, const char *id)
{
	size_t i = lp_queue_add(&lb->q, id, rec);

	if (i == LP_QUEUE_NONE)
		lp_errx(LP_EXIT_FAIL, "%s", lb->q.held.err.msg);
	if (lb->adjudicate)
		merge(lb, i, rec);
	if (lp_record_get_str(rec, "translation.text") == NULL)
		lp_run_count(&lb->run, "no_translation", 1);
}

/* Read the queue; LP_OK, or LP_EOF when the run must stop. */
static int
read_queue(struct label *lb)
{
	struct lp_record *rec;

	while (lp_run_next(&lb->run, &rec) == LP_OK) {
		const char *id = lp_record_get_str(rec, "id");
		size_t i;
		char why[160];

		if (id == NULL || *id == '\0') {
			if (lp_run_reject(&lb->run, rec,
				"no \"id\" (labels are joined to records by "
				"id)") != LP_OK)
				return LP_EOF;
		} else if ((i = lp_queue_find(&lb->q, id)) != LP_QUEUE_NONE &&
		    lb->adjudicate) {
			merge(lb, i, rec);
			lp_run_drop(&lb->run);
			lp_run_count(&lb->run, "merged_records", 1);
		} else if (i != LP_QUEUE_NONE) {
			snprintf(why, sizeof(why),
			    "a second record with id \"%.80s\"", id);
			if (lp_run_reject(&lb->run, rec, why) != LP_OK)
				return LP_EOF;
		} else if (!lb->adjudicate &&
		    !lp_annotator_assigned(
			lp_record_get(rec, "sample.assignees"), lb->annotator,
			&lb->others)) {
			lp_run_drop(&lb->run);
			lp_run_count(&lb->run, "not_assigned", 1);
		} else
			add(lb, rec, id);
	}
	return lb->run.status == LP_EXIT_OK ? LP_OK : LP_EOF;
}

/* ---- the desk on the terminal ---- */

static long long
io_now(void *arg)
{
	return lp_lineage_now(&((struct label *)arg)->run.lineage);
}

static void
io_audit(void *arg, const char *kind, json_t *fields)
{
	lp_run_audit(&((struct label *)arg)->run, kind, fields);
}

/* The log cannot be written: the decision is lost, the run ends (74). */
static void
fatal(struct label *lb)
{
	lp_term_close();
	lp_errx(LP_EXIT_IOERR, "%s", lb->desk.err.msg);
}

/* Set up the desk and open the session log; exits when it is unusable. */
static void
open_desk(struct label *lb)
{
	const struct lp_desk_io io = {lp_deskterm_key, lp_clock, lp_term_size,
	    lp_term_write, lp_deskterm_edit, lp_editor_edit, lp_deskterm_stop,
	    io_now, io_audit, lb};
	struct lp_desk *d = &lb->desk;
	struct lp_buf path = LP_BUF_INIT;
	char hex[65];
	int rc;

	d->q = &lb->q;
	d->tax = &lb->tax;
	d->annotator = lb->annotator;
	d->round = lb->round;
	d->show_labels = lb->show_labels;
	d->pause_ms = lb->pause_ms;
	d->io = io;
	if (lb->session == NULL) {
		lp_queue_digest(&lb->q, hex);
		if (lp_session_default_path(&path, lp_opts.output,
			getenv("XDG_STATE_HOME"), getenv("HOME"), lb->annotator,
			hex, &d->err) != LP_OK)
			lp_errx(LP_EXIT_USAGE, "%s", d->err.msg);
		lb->session = path.p; /* kept to the end of the run */
	}
	lp_run_note_input(&lb->run, lb->answers);
	lp_run_check_output(&lb->run, "--session", lb->session);
	if ((rc = lp_desk_open(d, lb->session)) == LP_FATAL)
		fatal(lb);
	if (rc != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s", d->err.msg);
	if (d->log.torn)
		lp_warnx("%s: the last line was cut short (a crash while "
			 "saving); it is dropped and the item will be shown "
			 "again",
		    lb->session);
}

/* Check the whole answers file, then apply it: all or nothing. */
static void
apply_answers(struct label *lb)
{
	const struct lp_answers_queue q = {&lb->tax, find, settled, lb};
	struct lp_answers as;
	struct lp_error err;
	size_t i;
	int rc;

	rc = lp_answers_load(&as, lb->answers, lp_opts.max_line, &q, &err);
	if (rc != LP_OK)
		lp_errx(rc == LP_FAILED ? LP_EXIT_DATAERR : LP_EXIT_IOERR, "%s",
		    err.msg);
	/*
	 * One fsync for the batch: a crash part-way loses only answers that
	 * the same command applies again.
	 */
	lb->desk.log.batch = 1;
	for (i = 0; i < as.n; i++) {
		const struct lp_answer *a = &as.all[i];

		if (lb->q.dec.item[a->item].state != LP_DECISION_OPEN)
			lp_run_count(&lb->run, "already_decided", 1);
		else if (lp_desk_decide(&lb->desk, a->item, a->label,
			     a->correction, a->note, a->ttl_ms, 0) != LP_OK)
			fatal(lb);
		else
			lp_run_count(&lb->run, "answers_applied", 1);
	}
	lb->desk.log.batch = 0;
	if (lp_session_sync(&lb->desk.log) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", lb->desk.log.err.msg);
	lp_answers_release(&as);
}

/* Review on the terminal: 0 when done, 1 after q, 130 on a stop. */
static int
review(struct label *lb)
{
	int rc;

	if (lp_term_open() != LP_OK)
		lp_err(LP_EXIT_USAGE, "/dev/tty");
	if ((rc = lp_desk_run(&lb->desk)) == LP_FATAL)
		fatal(lb);
	lp_term_close();
	return rc == LP_OK ? LP_EXIT_OK
	    : rc == LP_EOF ? LP_EXIT_FAIL
			   : LP_EXIT_INTR;
}

/* ---- output ---- */

static void
write_out(struct label *lb)
{
	size_t i;

	for (i = 0; i < lb->q.n; i++) {
		const struct lp_decision *dec = &lb->q.dec.item[i];
		json_t *e;

		lp_queue_record(&lb->q, i, &lb->rec);
		if (lb->adjudicate) {
			lp_record_put(&lb->rec, "labels",
			    json_incref(lb->q.item[i].adj.labels));
			if ((e = lp_adjudication_result(&lb->q.item[i].adj, dec,
				 lb->annotator, io_now(lb))) != NULL)
				lp_record_put(&lb->rec, "adjudication", e);
		} else if ((e = lp_decision_label(dec, lb->annotator, lb->round,
				&lb->tax)) != NULL)
			lp_record_put(&lb->rec, "labels",
			    lp_decision_labels_with(
				lp_record_get(&lb->rec, "labels"),
				lb->annotator, lb->round, e));
		if (lp_run_emit(&lb->run, &lb->rec) != LP_OK)
			break;
	}
}

/* ---- main ---- */

/* Parse the options into lb; the number of arguments taken. */
static int
options(struct label *lb, int argc, char **argv)
{
	int ch;

	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1)
		switch (ch) {
		case OPT_ADJUDICATE:
			lb->adjudicate = 1;
			break;
		case OPT_ANNOTATOR:
			lb->annotator = optarg;
			break;
		case OPT_ANSWERS:
			lb->answers = optarg;
			break;
		case OPT_APPROVE_TAXONOMY:
			lb->approve = optarg;
			break;
		case OPT_CONSENSUS:
			if (strcmp(optarg, "unanimous") != 0 &&
			    strcmp(optarg, "majority") != 0)
				lp_cli_usage("invalid --consensus '%s' (want "
					     "unanimous or majority)",
				    optarg);
			lb->majority = optarg[0] == 'm';
			lb->consensus_given = 1;
			break;
		case OPT_EXPORT:
			lb->export = 1;
			break;
		case OPT_PAUSE:
			lb->pause_ms =
			    1000LL * lp_cli_int("--pause", optarg, 1, 86400);
			break;
		case OPT_ROLES:
			lb->roles = optarg;
			break;
		case OPT_ROUND:
			lb->round = lp_cli_int("--round", optarg, 1, 1000000);
			break;
		case OPT_SESSION:
			lb->session = optarg;
			break;
		case OPT_SHOW_LABELS:
			lb->show_labels = 1;
			break;
		case OPT_TAXONOMY:
			lb->taxonomy = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	return optind;
}

/* The options that go together, and the annotator. */
static void
check_options(struct label *lb)
{
	struct lp_error err;

	if (lb->annotator == NULL || *lb->annotator == '\0')
		lp_cli_usage("--annotator ID (or LP_ANNOTATOR) is required: "
			     "every label says who gave it");
	if (lp_annotator_check(lb->annotator, &err) != LP_OK)
		lp_cli_usage("%s", err.msg);
	if (lb->consensus_given && !lb->adjudicate)
		lp_cli_usage("--consensus goes with --adjudicate");
}

/* The roles (tool/access.h): the account's role, id and taxonomy. */
static void
check_access(struct label *lb)
{
	enum lp_role role =
	    lb->adjudicate ? LP_ROLE_ADJUDICATOR : LP_ROLE_ANNOTATOR;

	lp_access_need(&lb->ac, &lb->run, role);
	lp_access_need_id(&lb->ac, &lb->run, role, lb->annotator);
	if (lb->taxonomy != NULL)
		lp_access_need_approval(&lb->ac, &lb->run, "taxonomy",
		    LP_ROLE_TAXONOMY_OWNER, lb->taxonomy, lb->tax.root,
		    lp_data_taxonomy, lp_data_taxonomy_len);
}

/* --approve-taxonomy: the taxonomy owner's approval in the audit log. */
static int
approve_taxonomy(struct label *lb)
{
	int status;

	if (!lb->ac.on || lp_opts.audit == NULL)
		lp_cli_usage("--approve-taxonomy needs --roles FILE (or "
			     "LP_ROLES) and --audit FILE (or LP_AUDIT_LOG)");
	lb->taxonomy = lb->approve;
	lp_cli_taxonomy(&lb->tax, lb->taxonomy);
	status = lp_access_approve_run(&lb->ac, "taxonomy",
	    LP_ROLE_TAXONOMY_OWNER, lb->approve, lb->tax.root);
	lp_taxonomy_release(&lb->tax);
	return status;
}

/* Without --answers or --export a terminal is needed: say so up front. */
static int
need_terminal(struct label *lb)
{
	int fd;

	if (lb->answers != NULL || lb->export)
		return 0;
	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0)
		lp_errx(LP_EXIT_USAGE,
		    "no terminal (/dev/tty): %s; --answers FILE labels without "
		    "one, --export writes what is decided",
		    strerror(errno));
	close(fd);
	return 1;
}

/* Open the run: inputs, output and a config digest of the mode. */
static void
open_run(struct label *lb, int argc, char **argv)
{
	struct lp_buf config = LP_BUF_INIT;
	const char *nc = getenv("NO_COLOR");

	lb->desk.screen.color = nc == NULL || *nc == '\0';
	lp_buf_addf(&config,
	    "{\"mode\":\"%s\",\"round\":%ld,\"taxonomy\":\"%s\"%s}",
	    lb->adjudicate ? "adjudicate" : "label", lb->round, lb->tax.version,
	    lb->adjudicate ? (lb->majority ? ",\"consensus\":\"majority\""
					   : ",\"consensus\":\"unanimous\"")
			   : "");
	lp_run_open(&lb->run, argc, argv, config.p);
	lp_run_audit_version(
	    &lb->run, "taxonomy", lb->tax.version, lb->tax.root);
	lp_run_audit_version(
	    &lb->run, "guidelines", lb->tax.guidelines_version, lb->tax.root);
	lp_buf_release(&config);
	lp_queue_init(&lb->q, lb->adjudicate);
	lp_record_init(&lb->rec);
}

/* After the review: write the output, or say why not.  The status. */
static int
finish(struct label *lb, int status)
{
	size_t total = lp_queue_count(&lb->q);
	size_t open_n = total - lp_queue_decided(&lb->q);

	if (status == LP_EXIT_FAIL)
		lp_warnx("stopped with %zu of %zu items decided; the same "
			 "command resumes (session %s); --export writes what "
			 "is done",
		    total - open_n, total, lb->session);
	if (status != LP_EXIT_OK) {
		lb->run.discard = 1;
		return status;
	}
	write_out(lb);
	if (open_n > 0) {
		lp_warnx("%zu of %zu items are not decided yet; their records "
			 "carry no decision of %s (session %s)",
		    open_n, total, lb->annotator, lb->session);
		status = LP_EXIT_FAIL;
	}
	return status;
}

int
main(int argc, char **argv)
{
	static struct label lb;
	size_t i;
	int status = LP_EXIT_OK, interactive;

	lp_cli_init(argc, argv, &tool);
	lb.annotator = getenv("LP_ANNOTATOR");
	lb.round = 1;
	lb.pause_ms = 120000;
	lp_opts.private_output = 1; /* notes and who labelled what */
	i = (size_t)options(&lb, argc, argv);
	argc -= (int)i;
	argv += i;
	lp_access_open(&lb.ac, lb.roles);
	if (lb.approve != NULL)
		return approve_taxonomy(&lb);
	check_options(&lb);
	lp_cli_taxonomy(&lb.tax, lb.taxonomy);
	interactive = need_terminal(&lb);
	open_run(&lb, argc, argv);
	check_access(&lb);
	if (read_queue(&lb) != LP_OK || routed_elsewhere(&lb))
		goto done;
	if (lb.adjudicate)
		for (i = 0; i < lb.q.n; i++)
			lp_run_count(&lb.run,
			    lp_adjudication_settle(
				&lb.q.item[i].adj, lb.majority),
			    1);
	lp_access_need_not_labelled(&lb.ac, &lb.run, &lb.q, lb.annotator);
	open_desk(&lb);
	if (lb.answers != NULL)
		apply_answers(&lb);
	if (interactive && lp_queue_decided(&lb.q) < lp_queue_count(&lb.q))
		status = review(&lb);
	status = finish(&lb, status);
done:
	lp_run_count(&lb.run, "queue", (long long)lp_queue_count(&lb.q));
	lp_run_count(&lb.run, "decided", (long long)lp_queue_decided(&lb.q));
	lp_run_say(&lb.run, "skips", (long long)lp_queue_skipped(&lb.q));
	status = lp_run_close(&lb.run, status);
	lp_desk_close(&lb.desk);
	lp_queue_release(&lb.q);
	lp_record_release(&lb.rec);
	lp_taxonomy_release(&lb.tax);
	lp_access_close(&lb.ac);
	lp_annotator_others_release(&lb.others);
	return status;
}
