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
#include "core/hash.h"
#include "core/held.h"
#include "core/status.h"
#include "dedup/keyset.h"
#include "review/adjudication.h"
#include "review/annotator.h"
#include "review/answers.h"
#include "review/decision.h"
#include "review/screen.h"
#include "review/session.h"
#include "review/taxonomy.h"
#include "tool/cli.h"
#include "tool/editor.h"
#include "tool/log.h"
#include "tool/run.h"
#include "tool/term.h"

enum {
	OPT_ADJUDICATE = LP_OPT_TOOL_BASE,
	OPT_ANNOTATOR,
	OPT_ANSWERS,
	OPT_CONSENSUS,
	OPT_EXPORT,
	OPT_PAUSE,
	OPT_ROUND,
	OPT_SESSION,
	OPT_SHOW_LABELS,
	OPT_TAXONOMY
};

static const struct lp_tool tool = {"lp-label",
    "[-qv] [-o file] --annotator id [--round n] [--taxonomy file]\n"
    "       [--session file] [--answers file | --export] [--pause s]\n"
    "       [--show-labels] [file ...]\n"
    "       lp-label --adjudicate --annotator id [--consensus rule] file ...",
    "Review sampled items on the terminal; labels go onto the records.",
    "      --annotator=ID      who is labelling (or LP_ANNOTATOR); required\n"
    "      --round=N           the annotation round (default 1)\n"
    "      --taxonomy=FILE     the label set (default: the shipped\n"
    "                          guidelines/taxonomy.json)\n"
    "      --session=FILE      the session log (default\n"
    "                          .lp-label/ID-QUEUE.log)\n"
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
    "\n"
    "On the screen: a label key (the taxonomy's: 1-4, a, r) decides; c\n"
    "corrects, e opens $EDITOR, n notes, s skips, u undoes, Left and Right\n"
    "go to other items, ? shows the guide, q stops (the same command\n"
    "resumes).\n",
    0};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"adjudicate", no_argument, NULL, OPT_ADJUDICATE},
    {"annotator", required_argument, NULL, OPT_ANNOTATOR},
    {"answers", required_argument, NULL, OPT_ANSWERS},
    {"consensus", required_argument, NULL, OPT_CONSENSUS},
    {"export", no_argument, NULL, OPT_EXPORT},
    {"pause", required_argument, NULL, OPT_PAUSE},
    {"round", required_argument, NULL, OPT_ROUND},
    {"session", required_argument, NULL, OPT_SESSION},
    {"show-labels", no_argument, NULL, OPT_SHOW_LABELS},
    {"taxonomy", required_argument, NULL, OPT_TAXONOMY}, {NULL, 0, NULL, 0}};

/* An item of the queue: its record, and the labels to adjudicate. */
struct item {
	size_t held;
	char *id;
	struct lp_adjudication adj; /* --adjudicate only */
};

/* The run: options, the queue, its decisions and the session log. */
struct label {
	const char *annotator, *answers, *session, *taxonomy;
	long round;
	int adjudicate, majority, export, show_labels, consensus_given;
	long long pause_ms;
	struct lp_taxonomy tax;
	struct lp_screen screen;
	struct lp_held held;
	struct lp_keyset ids;
	struct item *it;
	size_t n, cap;
	struct lp_decisions dec; /* it[i]'s decision is dec.item[i] */
	struct lp_session log;
	struct lp_run run;
	struct lp_record rec; /* the record on the screen */
	char digest[65];      /* of the queue, for the session log */
};

/* ---- the queue ---- */

/* The number of the item with id, or (size_t)-1. */
static size_t
find(void *arg, const char *id)
{
	struct label *lb = arg;
	uint32_t i;

	if (id == NULL ||
	    !lp_keyset_get(&lb->ids, lp_key128_of(id, strlen(id)), &i))
		return (size_t)-1;
	return i;
}

/* NULL when item i waits for a person in this mode, else why not. */
static const char *
settled(void *arg, size_t i)
{
	struct label *lb = arg;
	const struct lp_adjudication *a = &lb->it[i].adj;

	if (!lb->adjudicate || lp_adjudication_open(a))
		return NULL;
	return a->how ? a->how : "no labels";
}

static int
in_queue(struct label *lb, size_t i)
{
	return settled(lb, i) == NULL;
}

static void
merge(struct label *lb, struct item *it, struct lp_record *rec)
{
	size_t dup =
	    lp_adjudication_merge(&it->adj, lp_record_get(rec, "labels"));

	if (dup > 0)
		lp_run_count(
		    &lb->run, "merged_duplicate_labels", (long long)dup);
}

/* Whether the record is for this annotator (sample.assignees). */
static int
assigned(struct label *lb, struct lp_record *rec)
{
	json_t *who = lp_record_get(rec, "sample.assignees"), *w;
	size_t i;

	if (!json_is_array(who))
		return 1;
	json_array_foreach (who, i, w)
		if (json_is_string(w) &&
		    strcmp(json_string_value(w), lb->annotator) == 0)
			return 1;
	return 0;
}

static void
add_item(struct label *lb, struct lp_record *rec, const char *id)
{
	struct item *it;

	if (lb->n == lb->cap) {
		lb->cap = lb->cap ? lb->cap * 2 : 256;
		lb->it = lp_xrealloc(lb->it, lb->cap * sizeof(*lb->it));
	}
	it = &lb->it[lb->n];
	memset(it, 0, sizeof(*it));
	it->id = lp_xstrdup(id);
	it->held = lp_held_add(&lb->held, rec);
	lp_decisions_add(&lb->dec);
	if (lb->adjudicate)
		merge(lb, it, rec);
	if (lp_record_get_str(rec, "translation.text") == NULL)
		lp_run_count(&lb->run, "no_translation", 1);
	lp_keyset_add(
	    &lb->ids, lp_key128_of(id, strlen(id)), (uint32_t)lb->n++);
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
			continue;
		}
		if ((i = find(lb, id)) != (size_t)-1 && lb->adjudicate) {
			merge(lb, &lb->it[i], rec);
			lp_run_drop(&lb->run);
			lp_run_count(&lb->run, "merged_records", 1);
		} else if (i != (size_t)-1) {
			snprintf(why, sizeof(why),
			    "a second record with id \"%.80s\"", id);
			if (lp_run_reject(&lb->run, rec, why) != LP_OK)
				return LP_EOF;
		} else if (!lb->adjudicate && !assigned(lb, rec)) {
			lp_run_drop(&lb->run);
			lp_run_count(&lb->run, "not_assigned", 1);
		} else
			add_item(lb, rec, id);
	}
	return lb->run.status == LP_EXIT_OK ? LP_OK : LP_EOF;
}

static size_t
count_decided(struct label *lb)
{
	size_t i, k = 0;

	for (i = 0; i < lb->n; i++)
		k += in_queue(lb, i) &&
		    lb->dec.item[i].state != LP_DECISION_OPEN;
	return k;
}

static size_t
count_queue(struct label *lb)
{
	size_t i, k = 0;

	for (i = 0; i < lb->n; i++)
		k += in_queue(lb, i);
	return k;
}

/* ---- the session log ---- */

static long long
now_ms(struct label *lb)
{
	return lp_lineage_now(&lb->run.lineage);
}

/* Append an event; a log that cannot be written ends the run (74). */
static void
log_event(struct label *lb, json_t *ev)
{
	if (lp_session_append(&lb->log, ev) != LP_OK) {
		lp_term_close();
		lp_errx(LP_EXIT_IOERR, "%s (the last decision was not saved)",
		    lb->log.err.msg);
	}
	json_decref(ev);
}

/* The digest of what is reviewed: the mode and the ids in order. */
static void
queue_digest(struct label *lb)
{
	struct lp_sha256 c;
	size_t i;

	lp_sha256_init(&c);
	lp_sha256_update(&c, lb->adjudicate ? "adjudicate\n" : "label\n",
	    lb->adjudicate ? 11 : 6);
	for (i = 0; i < lb->n; i++)
		lp_sha256_update(&c, lb->it[i].id, strlen(lb->it[i].id) + 1);
	lp_sha256_final_hex(&c, lb->digest);
}

/* Replay one event of the session log. */
static int
replay(void *arg, json_t *ev, unsigned long line, struct lp_error *err)
{
	struct label *lb = arg;
	size_t i = find(lb, json_string_value(json_object_get(ev, "id")));

	(void)line;
	return lp_decisions_replay(
	    &lb->dec, ev, i == (size_t)-1 ? lb->n : i, lb->digest, err);
}

/* Open the log and replay it; exits on a log that cannot be used. */
static void
open_session(struct label *lb)
{
	struct lp_buf path = LP_BUF_INIT;
	int rc;

	queue_digest(lb);
	if (lb->session == NULL) {
		lp_buf_addf(
		    &path, ".lp-label/%s-%.12s.log", lb->annotator, lb->digest);
		lb->session = lp_xstrdup(path.p);
	}
	lp_buf_release(&path);
	if ((rc = lp_session_open(&lb->log, lb->session, replay, lb)) != LP_OK)
		lp_errx(rc == LP_FAILED ? LP_EXIT_DATAERR : LP_EXIT_IOERR, "%s",
		    lb->log.err.msg);
	if (lb->log.torn)
		lp_warnx("%s: the last line was cut short (a crash while "
			 "saving); it is dropped and the item will be shown "
			 "again",
		    lb->session);
	log_event(lb,
	    json_pack("{s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s,s:I}", "event", "start",
		"queue", lb->digest, "annotator", lb->annotator, "round",
		(json_int_t)lb->round, "mode",
		lb->adjudicate ? "adjudicate" : "label", "items",
		(json_int_t)lb->n, "taxonomy_version", lb->tax.version,
		"guidelines_version", lb->tax.guidelines_version, "at",
		(json_int_t)now_ms(lb)));
}

/* Record a decision: session log (fsync'ed) first, then the audit log. */
static void
decide(struct label *lb, size_t i, const struct lp_label_def *d,
    const char *corr, const char *note, long long ttl_ms, long long paused_ms)
{
	json_t *ev = lp_decision_event(lb->it[i].id, d ? d->value : NULL, corr,
		   note, ttl_ms, paused_ms, now_ms(lb)),
	       *aud;

	lp_decisions_apply(&lb->dec, i, ev);
	aud = json_deep_copy(ev);
	json_object_del(aud, "event");
	json_object_set_new(aud, "annotator_id", json_string(lb->annotator));
	json_object_set_new(aud, "round", json_integer(lb->round));
	log_event(lb, ev);
	lp_run_audit(
	    &lb->run, lb->adjudicate ? "adjudication" : "annotation", aud);
}

static void
log_undo(struct label *lb, size_t i)
{
	log_event(lb, lp_decision_undo_event(lb->it[i].id, now_ms(lb)));
	lp_run_audit(&lb->run, "annotation_undone",
	    json_pack("{s:s,s:s}", "id", lb->it[i].id, "annotator_id",
		lb->annotator));
	lp_decisions_undo(&lb->dec);
}

/* Only an open item has a draft: a decided one keeps its decision. */
static void
log_draft(struct label *lb, size_t i, const char *text)
{
	if (lp_decisions_draft(&lb->dec, i, text))
		log_event(lb,
		    lp_decision_draft_event(lb->it[i].id, text, now_ms(lb)));
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
	lb->log.batch = 1;
	for (i = 0; i < as.n; i++) {
		const struct lp_answer *a = &as.all[i];

		if (lb->dec.item[a->item].state != LP_DECISION_OPEN)
			lp_run_count(&lb->run, "already_decided", 1);
		else {
			decide(lb, a->item, a->label, a->correction, a->note,
			    a->ttl_ms, 0);
			lp_run_count(&lb->run, "answers_applied", 1);
		}
	}
	lb->log.batch = 0;
	if (lp_session_sync(&lb->log) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", lb->log.err.msg);
	lp_answers_release(&as);
}

/* ---- review ---- */

/* One item on the screen, as the reviewer works on it. */
struct view {
	size_t i;		    /* the item */
	char *corr, *note;	    /* kept so far, for its decision */
	char hint[256];		    /* for the bottom line, once */
	struct lp_buf head;	    /* the top line */
	double shown, last, paused; /* when it came, the last key, pauses */
	size_t next; /* the item to show next; n: the first open */
};

/* Results of a key besides an exit status: stay on the item, or go on. */
enum { STAY = -1, NEXT = -2 };

/* Draw the item's screen (loading its record), or the guide. */
static void
show(struct label *lb, struct view *v, const char *hint,
    const struct lp_screen_edit *ed)
{
	struct lp_buf o = LP_BUF_INIT;
	struct item *it = &lb->it[v->i];
	struct lp_screen_item si = {it->id, &lb->rec, &lb->dec.item[v->i], NULL,
	    lb->annotator, v->corr, v->note};

	lp_term_size(&lb->screen.rows, &lb->screen.cols);
	lp_record_reset(&lb->rec);
	lp_held_get(&lb->held, it->held, &lb->rec);
	if (lb->adjudicate) {
		si.labels = it->adj.labels;
		si.hide = NULL;
	} else if (lb->show_labels)
		si.labels = lp_record_get(&lb->rec, "labels");
	lp_screen_item(&lb->screen, &si, v->head.p, hint, ed, &o);
	lp_term_write(o.p, o.len);
	lp_buf_release(&o);
}

/* The guide until a key; a signal or a lost terminal stops the review. */
static void
guide(struct label *lb)
{
	struct lp_buf o = LP_BUF_INIT;
	int key;

	do {
		lp_term_size(&lb->screen.rows, &lb->screen.cols);
		lp_buf_reset(&o);
		lp_screen_guide(&lb->screen,
		    "Guide: what each label means (any key goes back)", &o);
		lp_term_write(o.p, o.len);
	} while ((key = lp_term_key(-1)) == LP_KEY_RESIZE);
	if (key == LP_KEY_INTR || key == LP_KEY_EOF)
		lp_interrupted = 1;
	lp_buf_release(&o);
}

/* The text a correction starts from: the one so far, a draft, or none. */
static const char *
correction_base(struct label *lb, struct view *v)
{
	if (v->corr != NULL)
		return v->corr;
	if (lb->dec.item[v->i].draft != NULL)
		return lb->dec.item[v->i].draft;
	return lp_record_get_str(&lb->rec, "translation.text");
}

/* The line editor at the bottom: LP_EDIT_DONE, _CANCEL, or a stop key. */
static int
line_edit(
    struct label *lb, struct view *v, const char *prompt, struct lp_edit *ed)
{
	for (;;) {
		struct lp_screen_edit se = {
		    prompt, ed->text.p, ed->text.len, ed->cur};
		int key, r;

		show(lb, v, NULL, &se);
		key = lp_term_key(-1);
		if (key == LP_KEY_INTR || key == LP_KEY_EOF)
			return key;
		if (key == LP_KEY_RESIZE)
			continue;
		if ((r = lp_edit_key(ed, key)) != LP_EDIT_MORE)
			return r;
	}
}

/* c or n: edit the correction or the note.  STAY, or 130. */
static int
edit_field(struct label *lb, struct view *v, int key)
{
	char **field = key == 'c' ? &v->corr : &v->note;
	struct lp_edit ed;
	int r;

	lp_edit_init(&ed, key == 'n' ? v->note : correction_base(lb, v));
	r = line_edit(lb, v, key == 'c' ? "Correction:" : "Note:", &ed);
	if (r == LP_EDIT_DONE) {
		free(*field);
		*field = ed.text.len ? lp_xstrdup(ed.text.p) : NULL;
	} else if (r == LP_KEY_INTR || r == LP_KEY_EOF) {
		if (key == 'c')
			log_draft(lb, v->i, ed.text.p);
		lp_edit_release(&ed);
		return LP_EXIT_INTR;
	}
	lp_edit_release(&ed);
	return STAY;
}

/* e: the correction in $EDITOR. */
static void
edit_external(struct label *lb, struct view *v)
{
	const char *from = correction_base(lb, v);
	struct lp_error err;
	char *n = lp_editor_edit(from ? from : "", &err);

	if (n != NULL) {
		free(v->corr);
		v->corr = n;
	} else
		snprintf(v->hint, sizeof(v->hint), "%.255s", err.msg);
}

/* The item before (dir -1) or after (1) item i in the queue, or n. */
static size_t
neighbour(struct label *lb, size_t i, int dir)
{
	while (dir < 0 ? i-- > 0 : ++i < lb->n)
		if (in_queue(lb, i))
			return i;
	return lb->n;
}

/* Left or Right: STAY (at an end), or NEXT to the item there. */
static int
move(struct label *lb, struct view *v, int key)
{
	size_t i = neighbour(lb, v->i, key == LP_KEY_LEFT ? -1 : 1);

	if (i == lb->n) {
		snprintf(v->hint, sizeof(v->hint), "this is the %s item",
		    key == LP_KEY_LEFT ? "first" : "last");
		return STAY;
	}
	/* Typing on an open item is kept as a draft. */
	if (v->corr != NULL)
		log_draft(lb, v->i, v->corr);
	v->next = i;
	return NEXT;
}

/* u: STAY (nothing to undo), or NEXT to the item undone. */
static int
undo(struct label *lb, struct view *v)
{
	if ((v->next = lp_decisions_last(&lb->dec)) == lb->dec.n) {
		v->next = lb->n;
		snprintf(v->hint, sizeof(v->hint),
		    "nothing to undo in this session");
		return STAY;
	}
	log_undo(lb, v->next);
	return NEXT;
}

/* A key other than a label, quit or a resize: STAY, NEXT or 130. */
static int
other_key(struct label *lb, struct view *v, int key, long long ttl_ms,
    long long paused_ms)
{
	switch (key) {
	case 's':
		decide(lb, v->i, NULL, v->corr, v->note, ttl_ms, paused_ms);
		return NEXT;
	case 'c':
	case 'n':
		return edit_field(lb, v, key);
	case 'e':
		edit_external(lb, v);
		return STAY;
	case LP_KEY_LEFT:
	case LP_KEY_RIGHT:
		return move(lb, v, key);
	case 'u':
		return undo(lb, v);
	case '?':
		guide(lb);
		return STAY;
	}
	if (key >= 0x20 && key < 0x7f)
		snprintf(v->hint, sizeof(v->hint),
		    "'%c' does nothing here; ? shows the guide", key);
	else
		snprintf(v->hint, sizeof(v->hint),
		    "that key does nothing here; ? shows the guide");
	return STAY;
}

/* Take keys on the item until it is left: NEXT, or 1 (q) or 130. */
static int
keys(struct label *lb, struct view *v)
{
	for (;;) {
		const struct lp_label_def *d;
		long long ttl, paused;
		double t;
		int key, r;

		show(lb, v, v->hint, NULL);
		v->hint[0] = '\0';
		key = lp_term_key(-1);
		t = lp_clock();
		if ((t - v->last) * 1000 > (double)lb->pause_ms)
			v->paused += t - v->last;
		v->last = t;
		ttl = (long long)((t - v->shown - v->paused) * 1000);
		paused = (long long)(v->paused * 1000);
		if (key == LP_KEY_RESIZE)
			continue;
		if (key == LP_KEY_INTR || key == LP_KEY_EOF || key == 'q') {
			if (v->corr != NULL)
				log_draft(lb, v->i, v->corr);
			return key == 'q' ? LP_EXIT_FAIL : LP_EXIT_INTR;
		}
		if (key > 0 && key < 128 &&
		    (d = lp_taxonomy_key(&lb->tax, key)) != NULL) {
			decide(lb, v->i, d->to, v->corr, v->note, ttl, paused);
			return NEXT;
		}
		if ((r = other_key(lb, v, key, ttl, paused)) != STAY)
			return r;
	}
}

/* Put item i on the screen: the header, and a decision to start from. */
static void
view_start(struct label *lb, struct view *v, size_t i, size_t total)
{
	const struct lp_decision *dec = &lb->dec.item[i];
	size_t k, pos = 0;

	memset(v, 0, sizeof(*v));
	v->i = i;
	v->next = lb->n;
	if (dec->state != LP_DECISION_OPEN) {
		/* Deciding again keeps what it had unless changed. */
		v->corr = dec->correction ? lp_xstrdup(dec->correction) : NULL;
		v->note = dec->note ? lp_xstrdup(dec->note) : NULL;
	}
	for (k = 0; k < i; k++)
		pos += in_queue(lb, k);
	lp_screen_head(&v->head, lb->adjudicate, lb->annotator, lb->round,
	    pos + 1, total, count_decided(lb));
	v->shown = v->last = lp_clock();
}

/* Review until done (0), quit (1) or a signal (130). */
static int
review(struct label *lb)
{
	size_t total = count_queue(lb), i = lb->n;

	for (;;) {
		struct view v;
		int r;

		if (i == lb->n)
			for (i = 0; i < lb->n; i++)
				if (in_queue(lb, i) &&
				    lb->dec.item[i].state == LP_DECISION_OPEN)
					break;
		if (i == lb->n)
			return LP_EXIT_OK;
		view_start(lb, &v, i, total);
		r = keys(lb, &v);
		i = v.next;
		free(v.corr);
		free(v.note);
		lp_buf_release(&v.head);
		if (r != NEXT)
			return r;
	}
}

/* ---- output ---- */

static void
write_out(struct label *lb)
{
	size_t i;

	for (i = 0; i < lb->n; i++) {
		struct item *it = &lb->it[i];
		const struct lp_decision *dec = &lb->dec.item[i];
		json_t *e;

		lp_record_reset(&lb->rec);
		lp_held_get(&lb->held, it->held, &lb->rec);
		if (lb->adjudicate) {
			lp_record_put(
			    &lb->rec, "labels", json_incref(it->adj.labels));
			if ((e = lp_adjudication_result(&it->adj, dec,
				 lb->annotator, now_ms(lb))) != NULL)
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

/* The taxonomy: --taxonomy, or the shipped one.  Exits when it is bad. */
static void
load_taxonomy(struct label *lb)
{
	struct lp_error err;
	json_t *root = lb->taxonomy != NULL
	    ? lp_cli_json_file(lb->taxonomy)
	    : json_loadb((const char *)lp_data_taxonomy, lp_data_taxonomy_len,
		  0, NULL);

	if (lp_taxonomy_init(&lb->tax, root, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s: %s",
		    lb->taxonomy ? lb->taxonomy : "taxonomy", err.msg);
	lb->screen.tax = &lb->tax;
}

/* Without --answers or --export a terminal is needed: say so up front. */
static int
need_terminal(struct label *lb)
{
	const char *nc = getenv("NO_COLOR");
	int fd;

	lb->screen.color = nc == NULL || *nc == '\0';
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

	lp_buf_addf(&config,
	    "{\"mode\":\"%s\",\"round\":%ld,\"taxonomy\":\"%s\"%s}",
	    lb->adjudicate ? "adjudicate" : "label", lb->round, lb->tax.version,
	    lb->adjudicate ? (lb->majority ? ",\"consensus\":\"majority\""
					   : ",\"consensus\":\"unanimous\"")
			   : "");
	lp_run_open(&lb->run, argc, argv, config.p);
	lp_buf_release(&config);
	lp_keyset_init(&lb->ids, 1);
	lp_record_init(&lb->rec);
	lp_decisions_init(&lb->dec);
}

/* After the review: write the output, or say why not.  The status. */
static int
finish(struct label *lb, int status)
{
	size_t total = count_queue(lb), open_n = total - count_decided(lb);

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

static void
release(struct label *lb)
{
	size_t i;

	for (i = 0; i < lb->n; i++) {
		free(lb->it[i].id);
		lp_adjudication_release(&lb->it[i].adj);
	}
	free(lb->it);
	lp_decisions_release(&lb->dec);
	lp_session_close(&lb->log);
	lp_held_release(&lb->held);
	lp_keyset_release(&lb->ids);
	lp_record_release(&lb->rec);
	lp_taxonomy_release(&lb->tax);
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
	i = (size_t)options(&lb, argc, argv);
	argc -= (int)i;
	argv += i;
	check_options(&lb);
	load_taxonomy(&lb);
	interactive = need_terminal(&lb);
	open_run(&lb, argc, argv);
	if (read_queue(&lb) != LP_OK)
		goto done;
	if (lb.adjudicate)
		for (i = 0; i < lb.n; i++)
			lp_run_count(&lb.run,
			    lp_adjudication_settle(&lb.it[i].adj, lb.majority),
			    1);
	open_session(&lb);
	if (lb.answers != NULL)
		apply_answers(&lb);
	if (interactive && count_decided(&lb) < count_queue(&lb)) {
		if (lp_term_open() != LP_OK)
			lp_err(LP_EXIT_USAGE, "/dev/tty");
		status = review(&lb);
		lp_term_close();
	}
	status = finish(&lb, status);
done:
	lp_run_count(&lb.run, "queue", (long long)count_queue(&lb));
	lp_run_count(&lb.run, "decided", (long long)count_decided(&lb));
	status = lp_run_close(&lb.run, status);
	release(&lb);
	return status;
}
