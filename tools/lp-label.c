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
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/status.h"
#include "core/error.h"
#include "review/annotator.h"
#include "core/clock.h"
#include "tool/cli.h"
#include "core/hash.h"
#include "core/held.h"
#include "core/json.h"
#include "dedup/keyset.h"
#include "tool/log.h"
#include "tool/run.h"
#include "review/session.h"
#include "review/taxonomy.h"
#include "tool/term.h"
#include "text/display.h"
#include "core/data.h"

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

enum state { OPEN, SUBMITTED, SKIPPED };

struct item {
	size_t held;
	char *id;
	enum state state;
	json_t *label; /* the decided value, or NULL */
	char *correction, *note, *draft;
	long long ttl_ms, paused_ms, at;
	json_t *labels;	 /* adjudication: every annotator's labels */
	const char *how; /* adjudication: how consensus settled it, or NULL */
	json_t *settled; /* ... and on what */
};

/* An item's decision, kept when a later one replaces it (for undo). */
struct was {
	enum state state;
	json_t *label;
	char *correction, *note;
	long long ttl_ms, paused_ms, at;
};

/* A decision in the order made: its item and what it replaced. */
struct step {
	int item;
	struct was *was; /* NULL: the item was open */
};

static struct {
	const char *annotator, *answers, *session, *taxonomy;
	long round;
	int adjudicate, majority, export, show_labels, color;
	long long pause_ms;
	struct lp_taxonomy tax;
	struct lp_held held;
	struct lp_keyset ids;
	struct item *it;
	size_t n, cap;
	struct step *stack; /* decisions, in order, for undo */
	size_t nstack;
	struct lp_session log;
	struct lp_run run;
	struct lp_record rec;
} L;

/* ---- the queue ---- */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? lp_xstrdup(s) : NULL;
}

/* A JSON string, or null for NULL or "". */
static json_t *
str_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

static void
set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = dup_or_null(s);
}

/* The item with id, or NULL. */
static struct item *
find(const char *id)
{
	uint32_t i;

	if (id == NULL ||
	    !lp_keyset_get(&L.ids, lp_key128_of(id, strlen(id)), &i))
		return NULL;
	return &L.it[i];
}

/* The latest label per annotator (by round), for adjudication. */
static void
merge_labels(struct item *it, json_t *labels)
{
	json_t *l, *m;
	size_t i, j;

	json_array_foreach (labels, i, l) {
		const char *who =
		    json_string_value(json_object_get(l, "annotator_id"));
		int dup = 0;

		if (who == NULL)
			continue;
		json_array_foreach (it->labels, j, m)
			if (strcmp(who,
				json_string_value(
				    json_object_get(m, "annotator_id"))) == 0 &&
			    json_equal(json_object_get(l, "round"),
				json_object_get(m, "round")))
				dup = 1;
		if (dup)
			lp_run_count(&L.run, "merged_duplicate_labels", 1);
		else
			json_array_append(it->labels, l);
	}
}

/* Whether the record is for this annotator (sample.assignees). */
static int
assigned(struct lp_record *rec)
{
	json_t *who = lp_record_get(rec, "sample.assignees"), *w;
	size_t i;

	if (!json_is_array(who))
		return 1;
	json_array_foreach (who, i, w)
		if (json_is_string(w) &&
		    strcmp(json_string_value(w), L.annotator) == 0)
			return 1;
	return 0;
}

/* Read the queue; LP_OK, or LP_EOF when the run must stop. */
static int
read_queue(void)
{
	struct lp_record *rec;

	while (lp_run_next(&L.run, &rec) == LP_OK) {
		const char *id = lp_record_get_str(rec, "id");
		struct item *it;
		char why[160];

		if (id == NULL || *id == '\0') {
			if (lp_run_reject(&L.run, rec,
				"no \"id\" (labels are joined to records by "
				"id)") != LP_OK)
				return LP_EOF;
			continue;
		}
		if ((it = find(id)) != NULL) {
			if (L.adjudicate) {
				merge_labels(it, lp_record_get(rec, "labels"));
				lp_run_drop(&L.run);
				lp_run_count(&L.run, "merged_records", 1);
				continue;
			}
			snprintf(why, sizeof(why),
			    "a second record with id \"%.80s\"", id);
			if (lp_run_reject(&L.run, rec, why) != LP_OK)
				return LP_EOF;
			continue;
		}
		if (!L.adjudicate && !assigned(rec)) {
			lp_run_drop(&L.run);
			lp_run_count(&L.run, "not_assigned", 1);
			continue;
		}
		if (L.n == L.cap) {
			L.cap = L.cap ? L.cap * 2 : 256;
			L.it = lp_xrealloc(L.it, L.cap * sizeof(*L.it));
		}
		it = &L.it[L.n];
		memset(it, 0, sizeof(*it));
		it->id = lp_xstrdup(id);
		it->held = lp_held_add(&L.held, rec);
		it->ttl_ms = -1;
		if (L.adjudicate) {
			it->labels = json_array();
			merge_labels(it, lp_record_get(rec, "labels"));
		}
		if (lp_record_get_str(rec, "translation.text") == NULL)
			lp_run_count(&L.run, "no_translation", 1);
		lp_keyset_add(
		    &L.ids, lp_key128_of(id, strlen(id)), (uint32_t)L.n++);
	}
	return L.run.status == LP_EXIT_OK ? LP_OK : LP_EOF;
}

/* ---- consensus (adjudication) ---- */

/* Settle it by the rule, or leave it for the adjudicator. */
static void
settle(struct item *it)
{
	json_t *vals = json_array(), *l, *v;
	size_t i, j, best = 0, bestn = 0, n;

	json_array_foreach (it->labels, i, l)
		if ((v = json_object_get(l, "label")) != NULL &&
		    !json_is_null(v))
			json_array_append(vals, v);
	n = json_array_size(vals);
	for (i = 0; i < n; i++) {
		size_t c = 0;

		for (j = 0; j < n; j++)
			c += json_equal(
			    json_array_get(vals, i), json_array_get(vals, j));
		if (c > bestn) {
			bestn = c;
			best = i;
		}
	}
	if (n == 1)
		it->how = "single";
	else if (n > 1 && bestn == n)
		it->how = "unanimous";
	else if (n > 1 && L.majority && 2 * bestn > n)
		it->how = "majority";
	if (it->how != NULL)
		it->settled = json_incref(json_array_get(vals, best));
	lp_run_count(&L.run,
	    it->how ? it->how
		: n ? "contested"
		    : "unlabelled",
	    1);
	json_decref(vals);
}

/* Whether the item waits for a person in this mode. */
static int
in_queue(const struct item *it)
{
	return !L.adjudicate ||
	    (it->how == NULL && json_array_size(it->labels));
}

/* ---- the session log ---- */

static long long
now_ms(void)
{
	return lp_lineage_now(&L.run.lineage);
}

/* Append an event; a log that cannot be written ends the run (74). */
static void
log_event(json_t *ev)
{
	if (lp_session_append(&L.log, ev) != LP_OK) {
		lp_term_close();
		lp_errx(LP_EXIT_IOERR, "%s (the last decision was not saved)",
		    L.log.err.msg);
	}
	json_decref(ev);
}

/* Exchange an item's decision with w's. */
static void
swap_decision(struct item *it, struct was *w)
{
	struct was t = {it->state, it->label, it->correction, it->note,
	    it->ttl_ms, it->paused_ms, it->at};

	it->state = w->state;
	it->label = w->label;
	it->correction = w->correction;
	it->note = w->note;
	it->ttl_ms = w->ttl_ms;
	it->paused_ms = w->paused_ms;
	it->at = w->at;
	*w = t;
}

static void
apply_decision(struct item *it, json_t *ev)
{
	json_t *v = json_object_get(ev, "label");
	const char *st = json_string_value(json_object_get(ev, "status"));
	struct was *was = NULL;

	if (it->state != OPEN) {
		/* A change of mind (the item was visited again): keep the
		 * earlier decision for undo, and start from an open item. */
		was = lp_xmalloc(sizeof(*was));
		memset(was, 0, sizeof(*was)); /* OPEN, nothing */
		swap_decision(it, was);
	}
	it->state =
	    st != NULL && strcmp(st, "skipped") == 0 ? SKIPPED : SUBMITTED;
	json_decref(it->label);
	it->label = v != NULL && !json_is_null(v) ? json_incref(v) : NULL;
	set_str(&it->correction,
	    json_string_value(json_object_get(ev, "correction")));
	set_str(&it->note, json_string_value(json_object_get(ev, "note")));
	set_str(&it->draft, NULL);
	it->ttl_ms = json_is_integer(json_object_get(ev, "time_to_label_ms"))
	    ? json_integer_value(json_object_get(ev, "time_to_label_ms"))
	    : -1;
	it->paused_ms = json_integer_value(json_object_get(ev, "paused_ms"));
	it->at = json_integer_value(json_object_get(ev, "at"));
	if ((L.nstack & (L.nstack - 1)) == 0) /* at 0, 1, 2, 4 ...: double */
		L.stack = lp_xrealloc(
		    L.stack, (L.nstack ? 2 * L.nstack : 1) * sizeof(*L.stack));
	L.stack[L.nstack].item = (int)(it - L.it);
	L.stack[L.nstack++].was = was;
}

/* Take back the last decision: the item is as it was before it. */
static void
undo_last(void)
{
	struct step *s = &L.stack[--L.nstack];
	struct item *it = &L.it[s->item];
	struct was *was = s->was;

	json_decref(it->label);
	free(it->correction);
	free(it->note);
	it->state = OPEN;
	it->label = NULL;
	it->correction = it->note = NULL;
	if (was != NULL) {
		swap_decision(it, was);
		free(was);
	}
}

/* The digest of what is reviewed: the mode and the ids in order. */
static void
queue_digest(char hex[65])
{
	struct lp_sha256 c;
	size_t i;

	lp_sha256_init(&c);
	lp_sha256_update(&c, L.adjudicate ? "adjudicate\n" : "label\n",
	    L.adjudicate ? 11 : 6);
	for (i = 0; i < L.n; i++) {
		lp_sha256_update(&c, L.it[i].id, strlen(L.it[i].id) + 1);
	}
	lp_sha256_final_hex(&c, hex);
}

/* Replay one event of the session log. */
static int
replay(void *arg, json_t *ev, unsigned long line, struct lp_error *err)
{
	const char *kind = json_string_value(json_object_get(ev, "event"));
	const char *q = json_string_value(json_object_get(ev, "queue"));
	struct item *it = find(json_string_value(json_object_get(ev, "id")));

	(void)line;
	if (kind == NULL)
		return LP_OK;
	if (strcmp(kind, "start") == 0 && (q == NULL || strcmp(q, arg) != 0))
		return lp_error_set(err,
		    "this session is for another queue (other items "
		    "or order); give another --session");
	else if (strcmp(kind, "decision") == 0 && it != NULL)
		apply_decision(it, ev);
	else if (strcmp(kind, "undo") == 0 && L.nstack > 0)
		undo_last();
	else if (strcmp(kind, "draft") == 0 && it != NULL && it->state == OPEN)
		set_str(&it->draft,
		    json_string_value(json_object_get(ev, "correction")));
	return LP_OK;
}

/* Open the log and replay it; exits on a log that cannot be used. */
static void
open_session(void)
{
	struct lp_buf path = LP_BUF_INIT;
	char hex[65];
	int rc;

	queue_digest(hex);
	if (L.session == NULL) {
		lp_buf_addf(&path, ".lp-label/%s-%.12s.log", L.annotator, hex);
		L.session = lp_xstrdup(path.p);
	}
	lp_buf_release(&path);
	if ((rc = lp_session_open(&L.log, L.session, replay, hex)) != LP_OK)
		lp_errx(rc == LP_FAILED ? LP_EXIT_DATAERR : LP_EXIT_IOERR, "%s",
		    L.log.err.msg);
	if (L.log.torn)
		lp_warnx("%s: the last line was cut short (a crash while "
			 "saving); it is dropped and the item will be shown "
			 "again",
		    L.session);
	log_event(json_pack("{s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s,s:I}", "event",
	    "start", "queue", hex, "annotator", L.annotator, "round",
	    (json_int_t)L.round, "mode", L.adjudicate ? "adjudicate" : "label",
	    "items", (json_int_t)L.n, "taxonomy_version", L.tax.version,
	    "guidelines_version", L.tax.guidelines_version, "at",
	    (json_int_t)now_ms()));
}

/* Record a decision: session log (fsync'ed) first, then the audit log. */
static void
decide(struct item *it, const struct lp_label_def *d, const char *corr,
    const char *note, long long ttl_ms, long long paused_ms)
{
	json_t *ev = json_object(), *aud;

	json_object_set_new(ev, "event", json_string("decision"));
	json_object_set_new(ev, "id", json_string(it->id));
	json_object_set_new(
	    ev, "status", json_string(d != NULL ? "submitted" : "skipped"));
	json_object_set_new(
	    ev, "label", d != NULL ? json_incref(d->value) : json_null());
	json_object_set_new(ev, "correction", str_or_null(corr));
	json_object_set_new(ev, "note", str_or_null(note));
	json_object_set_new(ev, "time_to_label_ms",
	    ttl_ms >= 0 ? json_integer(ttl_ms) : json_null());
	if (paused_ms > 0)
		json_object_set_new(ev, "paused_ms", json_integer(paused_ms));
	json_object_set_new(ev, "at", json_integer(now_ms()));
	apply_decision(it, ev);
	aud = json_deep_copy(ev);
	json_object_del(aud, "event");
	json_object_set_new(aud, "annotator_id", json_string(L.annotator));
	json_object_set_new(aud, "round", json_integer(L.round));
	log_event(ev);
	lp_run_audit(&L.run, L.adjudicate ? "adjudication" : "annotation", aud);
}

static void
log_undo(struct item *it)
{
	log_event(json_pack("{s:s,s:s,s:I}", "event", "undo", "id", it->id,
	    "at", (json_int_t)now_ms()));
	lp_run_audit(&L.run, "annotation_undone",
	    json_pack("{s:s,s:s}", "id", it->id, "annotator_id", L.annotator));
	undo_last();
}

static void
log_draft(struct item *it, const char *text)
{
	/* Only an open item has a draft: a decided one keeps its decision. */
	if (it->state != OPEN)
		return;
	set_str(&it->draft, text);
	log_event(json_pack("{s:s,s:s,s:s,s:I}", "event", "draft", "id", it->id,
	    "correction", text, "at", (json_int_t)now_ms()));
}

/* ---- answers ---- */

/* Check the whole answers file, then apply it: all or nothing. */
static void
apply_answers(void)
{
	FILE *f = fopen(L.answers, "r");
	struct answer {
		struct item *it;
		const struct lp_label_def *d;
		char *corr, *note;
		long long ttl;
	} *all = NULL;
	size_t nall = 0, capall = 0;
	json_t *a;
	struct lp_keyset seen;
	char *line = NULL, list[256];
	size_t cap = 0, i;
	unsigned long ln = 0;
	ssize_t len;

	if (f == NULL)
		lp_err(LP_EXIT_IOERR, "%s", L.answers);
	lp_keyset_init(&seen, 1);
	lp_taxonomy_list(&L.tax, list, sizeof(list));
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		const char *id, *st, *why = NULL;
		struct item *it;
		json_t *lab, *o;
		uint32_t first;
		char msg[512];

		ln++;
		while (
		    len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		/* Not inside json_is_object(): it is a macro. */
		a = lp_json_load(line, (size_t)len, 0, &je);
		if (!json_is_object(a)) {
			json_decref(a);
			lp_errx(LP_EXIT_DATAERR,
			    "%s:%lu: not a JSON object%s%s", L.answers, ln,
			    je.text[0] ? ": " : "", je.text);
		}
		id = json_string_value(json_object_get(a, "id"));
		st = json_string_value(json_object_get(a, "status"));
		lab = json_object_get(a, "label");
		it = find(id);
		if (st == NULL)
			st = lab != NULL && !json_is_null(lab) ? "submitted"
							       : "skipped";
		if (id == NULL)
			why = "no \"id\"";
		else if (it == NULL) {
			snprintf(msg, sizeof(msg),
			    "id \"%.80s\" is not in the queue", id);
			why = msg;
		} else if (!in_queue(it)) {
			snprintf(msg, sizeof(msg),
			    "\"%.80s\" is settled by consensus (%s); nothing "
			    "to adjudicate",
			    id, it->how ? it->how : "no labels");
			why = msg;
		} else if (strcmp(st, "submitted") != 0 &&
		    strcmp(st, "skipped") != 0)
			why = "\"status\" must be \"submitted\" or \"skipped\"";
		else if (strcmp(st, "submitted") == 0 &&
		    lp_taxonomy_find(&L.tax, lab) == NULL) {
			char *t = lab != NULL ? json_dumps(lab, JSON_ENCODE_ANY)
					      : NULL;

			snprintf(msg, sizeof(msg),
			    "unknown label %.40s (%s has %s)",
			    t != NULL ? t : "(none)", L.tax.version, list);
			free(t);
			why = msg;
		} else if (((o = json_object_get(a, "correction")) != NULL &&
			       !json_is_string(o) && !json_is_null(o)) ||
		    ((o = json_object_get(a, "note")) != NULL &&
			!json_is_string(o) && !json_is_null(o)))
			why = "\"correction\" and \"note\" must be strings";
		else if ((o = json_object_get(a, "time_to_label_ms")) != NULL &&
		    !(json_is_integer(o) && json_integer_value(o) >= 0) &&
		    !json_is_null(o))
			why =
			    "\"time_to_label_ms\" must be a whole number >= 0";
		else if (lp_keyset_get(
			     &seen, lp_key128_of(id, strlen(id)), &first)) {
			snprintf(msg, sizeof(msg),
			    "a second answer for \"%.80s\" (the first is on "
			    "line %u)",
			    id, first);
			why = msg;
		}
		if (why != NULL)
			lp_errx(
			    LP_EXIT_DATAERR, "%s:%lu: %s", L.answers, ln, why);
		lp_keyset_add(
		    &seen, lp_key128_of(id, strlen(id)), (uint32_t)ln);
		/* Kept small: an answers file may hold a whole queue. */
		if (nall == capall) {
			capall = capall ? capall * 2 : 256;
			all = lp_xrealloc(all, capall * sizeof(*all));
		}
		o = json_object_get(a, "time_to_label_ms");
		all[nall].it = it;
		all[nall].d = strcmp(st, "skipped") == 0
		    ? NULL
		    : lp_taxonomy_find(&L.tax, lab);
		all[nall].corr = dup_or_null(
		    json_string_value(json_object_get(a, "correction")));
		all[nall].note =
		    dup_or_null(json_string_value(json_object_get(a, "note")));
		all[nall++].ttl =
		    json_is_integer(o) ? json_integer_value(o) : -1;
		json_decref(a);
	}
	if (ferror(f))
		lp_err(LP_EXIT_IOERR, "%s", L.answers);
	fclose(f);
	free(line);
	lp_keyset_release(&seen);
	/*
	 * One fsync for the batch: a crash part-way loses only answers that
	 * the same command applies again.
	 */
	L.log.batch = 1;
	for (i = 0; i < nall; i++) {
		if (all[i].it->state != OPEN)
			lp_run_count(&L.run, "already_decided", 1);
		else {
			decide(all[i].it, all[i].d, all[i].corr, all[i].note,
			    all[i].ttl, 0);
			lp_run_count(&L.run, "answers_applied", 1);
		}
		free(all[i].corr);
		free(all[i].note);
	}
	L.log.batch = 0;
	if (lp_session_sync(&L.log) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", L.log.err.msg);
	free(all);
}

/* ---- the screen ---- */

#define TITLE_W 12

struct frame {
	int rows, cols;
	struct lp_buf *line; /* content lines */
	int n, cap;
};

static struct lp_buf *
new_line(struct frame *f)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->line =
		    lp_xrealloc(f->line, (size_t)f->cap * sizeof(*f->line));
	}
	lp_buf_init(&f->line[f->n]);
	return &f->line[f->n++];
}

static void
sgr(struct lp_buf *b, const char *code)
{
	if (L.color)
		lp_buf_addf(b, "\033[%sm", code);
}

/* A titled block: text made safe and wrapped beside the title (if any). */
static void
block(struct frame *f, const char *title, const char *text, size_t n)
{
	struct lp_buf safe = LP_BUF_INIT;
	size_t at = 0, next;
	int w = f->cols - (title != NULL ? TITLE_W : 0) - 1;

	lp_display_safe(text, n, &safe);
	if (w < 8)
		w = 8;
	do {
		struct lp_buf *l = new_line(f);
		size_t len =
		    lp_display_line(safe.p + at, safe.len - at, w, &next);

		if (title != NULL && at == 0) {
			sgr(l, "1");
			lp_buf_addf(l, "%-*s", TITLE_W, title);
			sgr(l, "0");
		} else if (title != NULL)
			lp_buf_addf(l, "%*s", TITLE_W, "");
		lp_buf_add(l, safe.p + at, len);
		at += next;
	} while (at < safe.len);
	lp_buf_release(&safe);
}

static void
blocks(struct frame *f, const char *title, const char *text)
{
	block(f, title, text, strlen(text));
}

/* "3 minor issues" for a label value. */
static void
label_text(const json_t *v, struct lp_buf *b)
{
	const struct lp_label_def *d = lp_taxonomy_find(&L.tax, v);
	char *t = json_dumps(v, JSON_ENCODE_ANY);

	if (json_is_string(v))
		lp_buf_adds(b, json_string_value(v));
	else
		lp_buf_adds(b, t);
	if (d != NULL &&
	    !(json_is_string(v) && strcmp(json_string_value(v), d->name) == 0))
		lp_buf_addf(b, " %s", d->name);
	free(t);
}

static void
add_labels(struct frame *f, struct lp_record *rec, struct item *it)
{
	json_t *labels = it->labels ? it->labels : lp_record_get(rec, "labels");
	json_t *l, *v;
	size_t i;
	int any = 0;

	json_array_foreach (labels, i, l) {
		struct lp_buf b = LP_BUF_INIT;
		const char *who = json_string_value(
			       json_object_get(l, "annotator_id")),
			   *s;

		if (who == NULL ||
		    (!L.adjudicate && strcmp(who, L.annotator) == 0))
			continue;
		lp_buf_addf(&b, "%s: ", who);
		v = json_object_get(l, "label");
		if (v != NULL && !json_is_null(v))
			label_text(v, &b);
		else
			lp_buf_adds(&b, "(no label)");
		if ((s = json_string_value(json_object_get(l, "correction"))))
			lp_buf_addf(&b, "; correction: %s", s);
		if ((s = json_string_value(json_object_get(l, "note"))))
			lp_buf_addf(&b, "; note: %s", s);
		blocks(f, any++ ? "" : "Labels", b.p);
		lp_buf_release(&b);
	}
}

/* What the reviewer sees of a record: never gold, never other labels. */
static void
item_lines(struct frame *f, struct item *it, const char *corr, const char *note)
{
	struct lp_record *rec = &L.rec;
	struct lp_buf b = LP_BUF_INIT;
	json_t *why, *v;
	const char *s, *t;
	size_t i;

	lp_record_reset(rec);
	lp_held_get(&L.held, it->held, rec);
	blocks(f, "Item", it->id);
	why = lp_record_get(rec, "sample.reason");
	json_array_foreach (why, i, v)
		if (json_is_string(v))
			lp_buf_addf(&b, "%s%s", b.len ? ", " : "",
			    json_string_value(v));
	if (b.len)
		blocks(f, "Sampled", b.p);
	s = lp_record_get_str(rec, "raw.title");
	t = lp_record_get_str(rec, "title");
	if (s != NULL && (t == NULL || strcmp(s, t) != 0))
		blocks(f, "Original", s);
	if (t != NULL)
		blocks(f, s != NULL ? "Cleaned" : "Title", t);
	if ((s = lp_record_get_str(rec, "translation.text")) != NULL)
		blocks(f, "Translation", s);
	else {
		lp_buf_reset(&b);
		s = lp_record_get_str(rec, "translation.error");
		lp_buf_addf(&b, "(none: %s)", s ? s : "no translation");
		blocks(f, "Translation", b.p);
	}
	lp_buf_reset(&b);
	if ((v = lp_record_get(rec, "rating.score")) != NULL) {
		label_text(v, &b);
		if ((v = lp_record_get(rec, "rating.confidence")) != NULL &&
		    json_is_number(v))
			lp_buf_addf(
			    &b, "   confidence %.2f", json_number_value(v));
		blocks(f, "Judge", b.p);
	} else if ((s = lp_record_get_str(rec, "rating.error")) != NULL) {
		lp_buf_addf(&b, "(none: %s)", s);
		blocks(f, "Judge", b.p);
	}
	if ((s = lp_record_get_str(rec, "rating.rationale")) != NULL)
		blocks(f, "Why", s);
	if (L.adjudicate || L.show_labels)
		add_labels(f, rec, it);
	if (it->state != OPEN) {
		/* Visited again: what was decided, which a key changes. */
		lp_buf_reset(&b);
		if (it->state == SKIPPED)
			lp_buf_adds(&b, "skipped");
		else
			label_text(it->label, &b);
		lp_buf_adds(&b, "   (a label key or s decides it again)");
		blocks(f, "Decided", b.p);
	}
	if (corr != NULL)
		blocks(f, "Correction", corr);
	else if (it->draft != NULL)
		blocks(f, "Draft", it->draft);
	if (note != NULL)
		blocks(f, "Note", note);
	lp_buf_release(&b);
}

/* The key lines: labels from the taxonomy, then lp-label's own. */
static const char other_keys[] =
    "c correct  e editor  n note  s skip  u undo  <- -> move  ? guide  q quit";

static void
key_lines(struct frame *f)
{
	struct lp_buf b = LP_BUF_INIT;
	int i;

	for (i = 0; i < L.tax.nlabels + L.tax.nshortcuts; i++)
		lp_buf_addf(&b, "%s%c %s", i ? "  " : "", L.tax.labels[i].key,
		    L.tax.labels[i].name);
	block(f, NULL, b.p, b.len);
	block(f, NULL, other_keys, strlen(other_keys));
	lp_buf_release(&b);
}

/*
 * Draw: header, content (cut to fit), keys, the hint or an edit line
 * (prompt, text scrolled so the cursor shows).  One write.
 */
static void
draw(struct frame *content, struct frame *keys, const char *head,
    const char *hint, const char *prompt, struct lp_edit *ed)
{
	struct lp_buf o = LP_BUF_INIT, h = LP_BUF_INIT;
	int room = content->rows - 2 - keys->n - 1, i, cur_col = 0;
	size_t next, len;

	lp_buf_adds(&o, "\033[?25l\033[H\033[2J");
	lp_display_safe(head, strlen(head), &h);
	len = lp_display_line(h.p, h.len, content->cols, &next);
	sgr(&o, "7");
	lp_buf_add(&o, h.p, len);
	lp_buf_addf(&o, "%*s", content->cols - lp_display_width(h.p, len), "");
	sgr(&o, "0");
	lp_buf_adds(&o, "\r\n\r\n");
	for (i = 0; i < content->n && i < room; i++) {
		if (i == room - 1 && content->n > room) {
			lp_buf_adds(&o,
			    "\xe2\x80\xa6 (more than fits: a larger "
			    "window shows the rest)\r\n");
			break;
		}
		lp_buf_add(&o, content->line[i].p, content->line[i].len);
		lp_buf_adds(&o, "\r\n");
	}
	lp_buf_addf(&o, "\033[%d;1H", content->rows - keys->n);
	for (i = 0; i < keys->n; i++) {
		lp_buf_add(&o, keys->line[i].p, keys->line[i].len);
		lp_buf_adds(&o, "\r\n");
	}
	if (ed != NULL) {
		int avail = content->cols - (int)strlen(prompt) - 1;
		size_t start = 0;

		while (lp_display_width(ed->text.p + start, ed->cur - start) >
		    avail - 1)
			while (++start < ed->cur &&
			    (ed->text.p[start] & 0xc0) == 0x80)
				;
		lp_buf_reset(&h);
		lp_display_safe(ed->text.p + start, ed->text.len - start, &h);
		len = lp_display_line(h.p, h.len, avail, &next);
		lp_buf_addf(&o, "%s ", prompt);
		lp_buf_add(&o, h.p, len);
		cur_col = (int)strlen(prompt) + 2 +
		    lp_display_width(ed->text.p + start, ed->cur - start);
		lp_buf_addf(&o, "\033[%d;%dH\033[?25h", content->rows, cur_col);
	} else if (hint != NULL && *hint) {
		lp_buf_reset(&h);
		lp_display_safe(hint, strlen(hint), &h);
		sgr(&o, "33");
		lp_buf_add(
		    &o, h.p, lp_display_line(h.p, h.len, content->cols, &next));
		sgr(&o, "0");
	}
	lp_term_write(o.p, o.len);
	lp_buf_release(&o);
	lp_buf_release(&h);
}

static void
frame_release(struct frame *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		lp_buf_release(&f->line[i]);
	f->n = 0;
}

/* The screen for the item (or the guide when it is NULL). */
static void
show(struct item *it, const char *head, const char *corr, const char *note,
    const char *hint, const char *prompt, struct lp_edit *ed)
{
	struct frame c = {0, 0, NULL, 0, 0}, k = {0, 0, NULL, 0, 0};
	int i;

	lp_term_size(&c.rows, &c.cols);
	k.rows = c.rows;
	k.cols = c.cols;
	if (it != NULL)
		item_lines(&c, it, corr, note);
	else
		for (i = 0; i < L.tax.nlabels + L.tax.nshortcuts; i++) {
			const struct lp_label_def *d = &L.tax.labels[i];
			struct lp_buf b = LP_BUF_INIT;
			char key[8];

			snprintf(key, sizeof(key), "  %c", d->key);
			if (d->to != d) {
				lp_buf_addf(&b, "%s: the same as ", d->name);
				label_text(d->to->value, &b);
			} else {
				label_text(d->value, &b);
				lp_buf_addf(&b, ": %s", d->definition);
			}
			blocks(&c, key, b.p);
			lp_buf_release(&b);
		}
	key_lines(&k);
	draw(&c, &k, head, hint, prompt, ed);
	frame_release(&c);
	frame_release(&k);
	free(c.line);
	free(k.line);
}

/* ---- review ---- */

/* Edit text in $VISUAL or $EDITOR; the new text, or NULL if it failed. */
static char *
external_edit(const char *text, char *hint, size_t hintlen)
{
	char path[] = "/tmp/lp-label-XXXXXX";
	const char *ed = getenv("VISUAL");
	struct lp_buf b = LP_BUF_INIT;
	int fd = mkstemp(path), st = -1;
	char *out = NULL, buf[4096];
	ssize_t r;
	pid_t pid;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	if (fd < 0) {
		snprintf(
		    hint, hintlen, "no temporary file: %s", strerror(errno));
		return NULL;
	}
	if (write(fd, text, strlen(text)) < 0 || write(fd, "\n", 1) < 0) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	lp_term_pause();
	if ((pid = fork()) == 0) {
		setenv("LP_LABEL_EDITOR", ed, 1);
		execl("/bin/sh", "sh", "-c", "$LP_LABEL_EDITOR \"$1\"", "sh",
		    path, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	lp_term_resume();
	if (pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	    (fd = open(path, O_RDONLY)) >= 0) {
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			lp_buf_add(&b, buf, (size_t)r);
		close(fd);
		/* One line: newlines become spaces, the last one goes. */
		while (b.len > 0 &&
		    (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == ' '))
			b.p[--b.len] = '\0';
		for (r = 0; (size_t)r < b.len; r++)
			if (b.p[r] == '\n')
				b.p[r] = ' ';
		out = lp_xstrdup(b.p ? b.p : "");
	} else
		snprintf(hint, hintlen,
		    "the editor (%s) failed; nothing changed", ed);
	unlink(path);
	lp_buf_release(&b);
	return out;
}

/* The line editor at the bottom: LP_EDIT_DONE, _CANCEL, or a stop key. */
static int
line_edit(struct item *it, const char *head, const char *prompt,
    struct lp_edit *ed, const char *corr, const char *note)
{
	for (;;) {
		int key, r;

		show(it, head, corr, note, NULL, prompt, ed);
		key = lp_term_key(-1);
		if (key == LP_KEY_INTR || key == LP_KEY_EOF)
			return key;
		if (key == LP_KEY_RESIZE)
			continue;
		if ((r = lp_edit_key(ed, key)) != LP_EDIT_MORE)
			return r;
	}
}

static size_t
count_decided(void)
{
	size_t i, k = 0;

	for (i = 0; i < L.n; i++)
		k += in_queue(&L.it[i]) && L.it[i].state != OPEN;
	return k;
}

static size_t
count_queue(void)
{
	size_t i, k = 0;

	for (i = 0; i < L.n; i++)
		k += in_queue(&L.it[i]);
	return k;
}

/* The item before (dir -1) or after (1) it in the queue, or L.n. */
static size_t
neighbour(const struct item *it, int dir)
{
	size_t i = (size_t)(it - L.it);

	while (dir < 0 ? i-- > 0 : ++i < L.n)
		if (in_queue(&L.it[i]))
			return i;
	return L.n;
}

/* Review until done (0), quit (1) or a signal (130). */
static int
review(void)
{
	size_t total = count_queue();
	struct item *it = NULL;
	int back = -1;

	for (;;) {
		char *corr = NULL, *note = NULL, hint[256] = "";
		struct lp_buf head = LP_BUF_INIT;
		double shown, last, paused = 0;
		size_t i, pos = 0;
		int stop = 0;

		if (back >= 0)
			it = &L.it[back];
		else
			for (it = NULL, i = 0; i < L.n && it == NULL; i++)
				if (in_queue(&L.it[i]) && L.it[i].state == OPEN)
					it = &L.it[i];
		back = -1;
		if (it == NULL)
			return 0;
		if (it->state != OPEN) {
			/* Deciding again keeps what it had unless changed. */
			corr = dup_or_null(it->correction);
			note = dup_or_null(it->note);
		}
		for (i = 0; &L.it[i] != it; i++)
			pos += in_queue(&L.it[i]);
		lp_buf_addf(&head,
		    " lp-label  %s %s  round %ld  item %zu of %zu  (%zu done)",
		    L.adjudicate ? "adjudicator" : "annotator", L.annotator,
		    L.round, pos + 1, total, count_decided());
		shown = last = lp_clock();
		while (!stop) {
			const struct lp_label_def *d;
			struct lp_edit ed;
			double t;
			int key, r;

			show(it, head.p, corr, note, hint, NULL, NULL);
			hint[0] = '\0';
			key = lp_term_key(-1);
			t = lp_clock();
			if ((t - last) * 1000 > (double)L.pause_ms)
				paused += t - last;
			last = t;
			if (key == LP_KEY_RESIZE)
				continue;
			if (key == LP_KEY_INTR || key == LP_KEY_EOF ||
			    key == 'q') {
				if (corr != NULL)
					log_draft(it, corr);
				free(corr);
				free(note);
				lp_buf_release(&head);
				return key == 'q' ? 1 : 130;
			}
			if (key > 0 && key < 128 &&
			    (d = lp_taxonomy_key(&L.tax, key)) != NULL) {
				decide(it, d->to, corr, note,
				    (long long)((t - shown - paused) * 1000),
				    (long long)(paused * 1000));
				stop = 1;
				continue;
			}
			switch (key) {
			case 's':
				decide(it, NULL, corr, note,
				    (long long)((t - shown - paused) * 1000),
				    (long long)(paused * 1000));
				stop = 1;
				break;
			case 'c':
			case 'n':
				lp_edit_init(&ed,
				    key == 'n'	    ? note
					: corr	    ? corr
					: it->draft ? it->draft
						    : lp_record_get_str(&L.rec,
							  "translation.text"));
				r = line_edit(it, head.p,
				    key == 'c' ? "Correction:" : "Note:", &ed,
				    corr, note);
				if (r == LP_EDIT_DONE && key == 'c')
					set_str(&corr,
					    ed.text.len ? ed.text.p : NULL);
				else if (r == LP_EDIT_DONE)
					set_str(&note,
					    ed.text.len ? ed.text.p : NULL);
				else if (r == LP_KEY_INTR || r == LP_KEY_EOF) {
					if (key == 'c')
						log_draft(it, ed.text.p);
					lp_edit_release(&ed);
					free(corr);
					free(note);
					lp_buf_release(&head);
					return 130;
				}
				lp_edit_release(&ed);
				break;
			case 'e': {
				const char *from = corr ? corr
				    : it->draft		? it->draft
						: lp_record_get_str(&L.rec,
						      "translation.text");
				char *n = external_edit(
				    from ? from : "", hint, sizeof(hint));

				if (n != NULL) {
					free(corr);
					corr = n;
				}
				break;
			}
			case LP_KEY_LEFT:
			case LP_KEY_RIGHT:
				i = neighbour(it, key == LP_KEY_LEFT ? -1 : 1);
				if (i == L.n) {
					snprintf(hint, sizeof(hint),
					    "this is the %s item",
					    key == LP_KEY_LEFT ? "first"
							       : "last");
					break;
				}
				/* Typing on an open item is kept as a draft. */
				if (corr != NULL)
					log_draft(it, corr);
				back = (int)i;
				stop = 1;
				break;
			case 'u':
				if (L.nstack == 0) {
					snprintf(hint, sizeof(hint),
					    "nothing to undo in this session");
					break;
				}
				back = L.stack[L.nstack - 1].item;
				log_undo(&L.it[back]);
				stop = 1;
				break;
			case '?':
				do
					show(NULL,
					    "Guide: what each label means (any "
					    "key goes back)",
					    NULL, NULL, NULL, NULL, NULL);
				while (
				    (key = lp_term_key(-1)) == LP_KEY_RESIZE);
				if (key == LP_KEY_INTR || key == LP_KEY_EOF)
					lp_interrupted = 1;
				break;
			default:
				if (key >= 0x20 && key < 0x7f)
					snprintf(hint, sizeof(hint),
					    "'%c' does nothing here; ? shows "
					    "the guide",
					    key);
				else
					snprintf(hint, sizeof(hint),
					    "that key does nothing here; ? "
					    "shows the guide");
			}
		}
		free(corr);
		free(note);
		lp_buf_release(&head);
	}
}

/* ---- output ---- */

static json_t *
label_entry(const struct item *it)
{
	json_t *e;

	if (it->state == OPEN && it->draft == NULL)
		return NULL;
	e = json_object();
	json_object_set_new(e, "annotator_id", json_string(L.annotator));
	json_object_set_new(e, "round", json_integer(L.round));
	json_object_set_new(e, "status",
	    json_string(it->state == SUBMITTED ? "submitted"
		    : it->state == SKIPPED     ? "skipped"
					       : "draft"));
	json_object_set_new(
	    e, "label", it->label ? json_incref(it->label) : json_null());
	json_object_set_new(e, "correction",
	    str_or_null(it->state == OPEN ? it->draft : it->correction));
	json_object_set_new(e, "note", str_or_null(it->note));
	json_object_set_new(e, "time_to_label_ms",
	    it->ttl_ms >= 0 ? json_integer(it->ttl_ms) : json_null());
	if (it->paused_ms > 0) {
		json_object_set_new(e, "paused", json_true());
		json_object_set_new(
		    e, "paused_ms", json_integer(it->paused_ms));
	}
	json_object_set_new(
	    e, "at", it->state != OPEN ? json_integer(it->at) : json_null());
	json_object_set_new(
	    e, "guidelines_version", json_string(L.tax.guidelines_version));
	json_object_set_new(e, "taxonomy_version", json_string(L.tax.version));
	return e;
}

/* The record's labels with this annotator's (for this round) replaced. */
static json_t *
labels_with(struct lp_record *rec, json_t *mine)
{
	json_t *old = lp_record_get(rec, "labels"), *out = json_array(), *l;
	size_t i;

	json_array_foreach (old, i, l) {
		const char *who =
		    json_string_value(json_object_get(l, "annotator_id"));

		if (who != NULL && strcmp(who, L.annotator) == 0 &&
		    json_integer_value(json_object_get(l, "round")) == L.round)
			continue;
		json_array_append(out, l);
	}
	json_array_append_new(out, mine);
	return out;
}

static json_t *
adjudication(const struct item *it)
{
	json_t *a;

	if (it->how != NULL)
		return json_pack("{s:O,s:s,s:s,s:I}", "label", it->settled,
		    "by", "consensus", "method", it->how, "at",
		    (json_int_t)now_ms());
	if (it->state != SUBMITTED)
		return NULL;
	a = json_pack("{s:O,s:s,s:s,s:I}", "label", it->label, "by",
	    L.annotator, "method", "adjudicator", "at", (json_int_t)it->at);
	if (it->correction != NULL)
		json_object_set_new(
		    a, "correction", json_string(it->correction));
	if (it->note != NULL)
		json_object_set_new(a, "note", json_string(it->note));
	return a;
}

static void
write_out(void)
{
	size_t i;

	for (i = 0; i < L.n; i++) {
		struct item *it = &L.it[i];
		json_t *e;

		lp_record_reset(&L.rec);
		lp_held_get(&L.held, it->held, &L.rec);
		if (L.adjudicate) {
			lp_record_put(
			    &L.rec, "labels", json_incref(it->labels));
			if ((e = adjudication(it)) != NULL)
				lp_record_put(&L.rec, "adjudication", e);
		} else if ((e = label_entry(it)) != NULL)
			lp_record_put(&L.rec, "labels", labels_with(&L.rec, e));
		if (lp_run_emit(&L.run, &L.rec) != LP_OK)
			break;
	}
}

/* ---- main ---- */

static void
check_annotator(const char *a)
{
	struct lp_error err;

	if (a == NULL || *a == '\0')
		lp_cli_usage("--annotator ID (or LP_ANNOTATOR) is required: "
			     "every label says who gave it");
	if (lp_annotator_check(a, &err) != LP_OK)
		lp_cli_usage("%s", err.msg);
}

int
main(int argc, char **argv)
{
	struct lp_buf config = LP_BUF_INIT;
	json_t *troot;
	struct lp_error err;
	size_t i, open_n = 0, total;
	int ch, status = LP_EXIT_OK, interactive, consensus_given = 0;

	lp_cli_init(argc, argv, &tool);
	L.annotator = getenv("LP_ANNOTATOR");
	L.round = 1;
	L.pause_ms = 120000;
	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1)
		switch (ch) {
		case OPT_ADJUDICATE:
			L.adjudicate = 1;
			break;
		case OPT_ANNOTATOR:
			L.annotator = optarg;
			break;
		case OPT_ANSWERS:
			L.answers = optarg;
			break;
		case OPT_CONSENSUS:
			if (strcmp(optarg, "unanimous") != 0 &&
			    strcmp(optarg, "majority") != 0)
				lp_cli_usage("invalid --consensus '%s' (want "
					     "unanimous or majority)",
				    optarg);
			L.majority = optarg[0] == 'm';
			consensus_given = 1;
			break;
		case OPT_EXPORT:
			L.export = 1;
			break;
		case OPT_PAUSE:
			L.pause_ms =
			    1000LL * lp_cli_int("--pause", optarg, 1, 86400);
			break;
		case OPT_ROUND:
			L.round = lp_cli_int("--round", optarg, 1, 1000000);
			break;
		case OPT_SESSION:
			L.session = optarg;
			break;
		case OPT_SHOW_LABELS:
			L.show_labels = 1;
			break;
		case OPT_TAXONOMY:
			L.taxonomy = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	argc -= optind;
	argv += optind;
	check_annotator(L.annotator);
	if (consensus_given && !L.adjudicate)
		lp_cli_usage("--consensus goes with --adjudicate");
	troot = L.taxonomy != NULL ? lp_cli_json_file(L.taxonomy)
				   : json_loadb((const char *)lp_data_taxonomy,
					 lp_data_taxonomy_len, 0, NULL);
	if (lp_taxonomy_init(&L.tax, troot, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s: %s",
		    L.taxonomy ? L.taxonomy : "taxonomy", err.msg);
	interactive = L.answers == NULL && !L.export;
	if (interactive) {
		int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);

		if (fd < 0)
			lp_errx(LP_EXIT_USAGE,
			    "no terminal (/dev/tty): %s; --answers FILE "
			    "labels without one, --export writes what is "
			    "decided",
			    strerror(errno));
		close(fd);
	}
	{
		const char *v = getenv("NO_COLOR");

		L.color = v == NULL || *v == '\0';
	}
	lp_buf_addf(&config,
	    "{\"mode\":\"%s\",\"round\":%ld,\"taxonomy\":\"%s\"%s}",
	    L.adjudicate ? "adjudicate" : "label", L.round, L.tax.version,
	    L.adjudicate ? (L.majority ? ",\"consensus\":\"majority\""
				       : ",\"consensus\":\"unanimous\"")
			 : "");
	lp_run_open(&L.run, argc, argv, config.p);
	lp_keyset_init(&L.ids, 1);
	lp_record_init(&L.rec);
	if (read_queue() != LP_OK)
		goto done;
	if (L.adjudicate)
		for (i = 0; i < L.n; i++)
			settle(&L.it[i]);
	open_session();
	if (L.answers != NULL)
		apply_answers();
	if (interactive && count_decided() < count_queue()) {
		if (lp_term_open() != LP_OK)
			lp_err(LP_EXIT_USAGE, "/dev/tty");
		status = review();
		lp_term_close();
	}
	total = count_queue();
	open_n = total - count_decided();
	if (status == LP_EXIT_FAIL)
		lp_warnx("stopped with %zu of %zu items decided; the same "
			 "command resumes (session %s); --export writes what "
			 "is done",
		    total - open_n, total, L.session);
	if (status != LP_EXIT_OK) {
		L.run.discard = 1;
		goto done;
	}
	write_out();
	if (open_n > 0) {
		lp_warnx("%zu of %zu items are not decided yet; their records "
			 "carry no decision of %s (session %s)",
		    open_n, total, L.annotator, L.session);
		status = LP_EXIT_FAIL;
	}
done:
	lp_run_count(&L.run, "queue", (long long)count_queue());
	lp_run_count(&L.run, "decided", (long long)count_decided());
	status = lp_run_close(&L.run, status);
	for (i = 0; i < L.n; i++) {
		struct item *it = &L.it[i];

		free(it->id);
		json_decref(it->label);
		free(it->correction);
		free(it->note);
		free(it->draft);
		json_decref(it->labels);
		json_decref(it->settled);
	}
	free(L.it);
	for (i = 0; i < L.nstack; i++)
		if (L.stack[i].was != NULL) {
			json_decref(L.stack[i].was->label);
			free(L.stack[i].was->correction);
			free(L.stack[i].was->note);
			free(L.stack[i].was);
		}
	free(L.stack);
	lp_session_close(&L.log);
	lp_held_release(&L.held);
	lp_keyset_release(&L.ids);
	lp_record_release(&L.rec);
	lp_taxonomy_release(&L.tax);
	lp_buf_release(&config);
	return status;
}
