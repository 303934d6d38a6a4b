/*
 * The desk's review loop.  Each key is handled on the item's screen
 * (keys) or by what it opens (other_key: editors, the guide, moves, undo);
 * leaving the item is NEXT, with d->next saying where to go.  A decision,
 * an undo and a draft are written to the session log before they count,
 * and a log that cannot be written stops the review (LP_FATAL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "review/desk.h"

/* Besides the statuses: stay on the item, or leave it for d->next. */
enum { STAY = 100, NEXT };

/* Append an event (taken); LP_OK, or LP_FATAL with err. */
static int
log_event(struct lp_desk *d, json_t *ev)
{
	int rc = lp_session_append(&d->log, ev);

	json_decref(ev);
	if (rc == LP_OK)
		return LP_OK;
	lp_error_set(
	    &d->err, "%s (the last decision was not saved)", d->log.err.msg);
	return LP_FATAL;
}

/* What a replay needs: the desk, and the digest of its queue. */
struct replay {
	struct lp_desk *d;
	char digest[65];
};

/* Replay one event of the session log. */
static int
replay(void *arg, json_t *ev, unsigned long line, struct lp_error *err)
{
	struct replay *r = arg;
	struct lp_queue *q = r->d->q;
	size_t i =
	    lp_queue_find(q, json_string_value(json_object_get(ev, "id")));

	(void)line;
	return lp_decisions_replay(
	    &q->dec, ev, i == LP_QUEUE_NONE ? q->n : i, r->digest, err);
}

int
lp_desk_open(struct lp_desk *d, const char *path)
{
	struct replay ctx = {d, ""};
	int rc;

	lp_record_init(&d->rec);
	lp_buf_init(&d->head);
	d->screen.tax = d->tax;
	lp_queue_digest(d->q, ctx.digest);
	if ((rc = lp_session_open(&d->log, path, replay, &ctx)) != LP_OK) {
		d->err = d->log.err;
		return rc;
	}
	return log_event(d,
	    json_pack("{s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s,s:I}", "event", "start",
		"queue", ctx.digest, "annotator", d->annotator, "round",
		(json_int_t)d->round, "mode",
		d->q->adjudicating ? "adjudicate" : "label", "items",
		(json_int_t)d->q->n, "taxonomy_version", d->tax->version,
		"guidelines_version", d->tax->guidelines_version, "at",
		(json_int_t)d->io.now_ms(d->io.arg)));
}

void
lp_desk_close(struct lp_desk *d)
{
	if (d->q == NULL) /* never opened */
		return;
	lp_session_close(&d->log);
	lp_record_release(&d->rec);
	lp_buf_release(&d->head);
	free(d->corr);
	free(d->note);
	d->corr = d->note = NULL;
}

int
lp_desk_decide(struct lp_desk *d, size_t i, const struct lp_label_def *label,
    const char *correction, const char *note, long long ttl_ms,
    long long paused_ms)
{
	json_t *ev = lp_decision_event(d->q->item[i].id,
		   label ? label->value : NULL, correction, note, ttl_ms,
		   paused_ms, d->io.now_ms(d->io.arg)),
	       *aud;

	lp_decisions_apply(&d->q->dec, i, ev);
	aud = json_deep_copy(ev);
	json_object_del(aud, "event");
	json_object_set_new(aud, "annotator_id", json_string(d->annotator));
	json_object_set_new(aud, "round", json_integer(d->round));
	if (log_event(d, ev) != LP_OK) {
		json_decref(aud);
		return LP_FATAL;
	}
	d->io.audit(
	    d->io.arg, d->q->adjudicating ? "adjudication" : "annotation", aud);
	return LP_OK;
}

/* Keep text as the open item's draft, logged; a decided item keeps its. */
static int
draft(struct lp_desk *d, const char *text)
{
	if (!lp_decisions_draft(&d->q->dec, d->i, text))
		return LP_OK;
	return log_event(d,
	    lp_decision_draft_event(
		d->q->item[d->i].id, text, d->io.now_ms(d->io.arg)));
}

/* Draw the item's screen, with the hint or the line editor. */
static void
draw(struct lp_desk *d, const char *hint, const struct lp_screen_edit *ed)
{
	struct lp_buf o = LP_BUF_INIT;
	struct lp_screen_item si = {d->q->item[d->i].id, &d->rec,
	    &d->q->dec.item[d->i], NULL, d->annotator, d->corr, d->note};

	d->io.size(&d->screen.rows, &d->screen.cols);
	lp_queue_record(d->q, d->i, &d->rec);
	if (d->q->adjudicating) {
		si.labels = d->q->item[d->i].adj.labels;
		si.hide = NULL;
	} else if (d->show_labels)
		si.labels = lp_record_get(&d->rec, "labels");
	lp_screen_item(&d->screen, &si, d->head.p, hint, ed, &o);
	d->io.write(o.p, o.len);
	lp_buf_release(&o);
}

void
lp_desk_draw(struct lp_desk *d, const struct lp_screen_edit *ed)
{
	draw(d, NULL, ed);
}

/* The guide until a key. */
static void
guide(struct lp_desk *d)
{
	struct lp_buf o = LP_BUF_INIT;
	int key;

	do {
		d->io.size(&d->screen.rows, &d->screen.cols);
		lp_buf_reset(&o);
		lp_screen_guide(&d->screen,
		    "Guide: what each label means (any key goes back)", &o);
		d->io.write(o.p, o.len);
	} while ((key = d->io.key()) == LP_DESK_REDRAW);
	if (key == LP_DESK_STOP)
		d->io.stop();
	lp_buf_release(&o);
}

/* The text a correction starts from: the one so far, a draft, or none. */
static const char *
correction_base(struct lp_desk *d)
{
	if (d->corr != NULL)
		return d->corr;
	if (d->q->dec.item[d->i].draft != NULL)
		return d->q->dec.item[d->i].draft;
	return lp_record_get_str(&d->rec, "translation.text");
}

/* c or n: the correction or the note on the bottom line. */
static int
edit_field(struct lp_desk *d, int key)
{
	char **field = key == 'c' ? &d->corr : &d->note, *text = NULL;
	int r = d->io.edit(d, key == 'c' ? "Correction:" : "Note:",
		key == 'n' ? d->note : correction_base(d), &text),
	    rc = STAY;

	if (r == LP_DESK_EDIT_DONE) {
		free(*field);
		*field = text != NULL && *text != '\0' ? text : NULL;
		if (*field == NULL)
			free(text);
		return STAY;
	}
	if (r == LP_DESK_EDIT_STOP) {
		rc = key == 'c' ? draft(d, text) : LP_OK;
		rc = rc == LP_OK ? LP_FAILED : rc;
	}
	free(text);
	return rc;
}

/* e: the correction in an editor. */
static void
edit_external(struct lp_desk *d)
{
	const char *from = correction_base(d);
	struct lp_error err = LP_ERROR_INIT;
	char *n = d->io.editor(from ? from : "", &err);

	if (n != NULL) {
		free(d->corr);
		d->corr = n;
	} else
		snprintf(d->hint, sizeof(d->hint), "%.255s", err.msg);
}

/* Left or Right: STAY at an end, else NEXT to the item there. */
static int
move(struct lp_desk *d, int key)
{
	size_t i = lp_queue_neighbour(d->q, d->i, key == LP_DESK_PREV ? -1 : 1);
	int rc;

	if (i == d->q->n) {
		snprintf(d->hint, sizeof(d->hint), "this is the %s item",
		    key == LP_DESK_PREV ? "first" : "last");
		return STAY;
	}
	/* Typing on an open item is kept as a draft. */
	if (d->corr != NULL && (rc = draft(d, d->corr)) != LP_OK)
		return rc;
	d->next = i;
	return NEXT;
}

/* u: STAY with nothing to undo, else NEXT to the item undone. */
static int
undo(struct lp_desk *d)
{
	size_t i = lp_decisions_last(&d->q->dec);
	const char *id;

	if (i == d->q->dec.n) {
		snprintf(d->hint, sizeof(d->hint),
		    "nothing to undo in this session");
		return STAY;
	}
	id = d->q->item[i].id;
	if (log_event(d, lp_decision_undo_event(id, d->io.now_ms(d->io.arg))) !=
	    LP_OK)
		return LP_FATAL;
	d->io.audit(d->io.arg, "annotation_undone",
	    json_pack("{s:s,s:s}", "id", id, "annotator_id", d->annotator));
	lp_decisions_undo(&d->q->dec);
	d->next = i;
	return NEXT;
}

/* A key other than a label, q, a stop or a redraw. */
static int
other_key(struct lp_desk *d, int key, long long ttl_ms, long long paused_ms)
{
	switch (key) {
	case 's':
		if (lp_desk_decide(d, d->i, NULL, d->corr, d->note, ttl_ms,
			paused_ms) != LP_OK)
			return LP_FATAL;
		return NEXT;
	case 'c':
	case 'n':
		return edit_field(d, key);
	case 'e':
		edit_external(d);
		return STAY;
	case LP_DESK_PREV:
	case LP_DESK_NEXT:
		return move(d, key);
	case 'u':
		return undo(d);
	case '?':
		guide(d);
		return STAY;
	}
	if (key >= 0x20 && key < 0x7f)
		snprintf(d->hint, sizeof(d->hint),
		    "'%c' does nothing here; ? shows the guide", key);
	else
		snprintf(d->hint, sizeof(d->hint),
		    "that key does nothing here; ? shows the guide");
	return STAY;
}

/* Keys on the item until it is left: NEXT, or a status to stop with. */
static int
keys(struct lp_desk *d)
{
	for (;;) {
		const struct lp_label_def *def;
		long long ttl, paused;
		double t;
		int key, r;

		draw(d, d->hint, NULL);
		d->hint[0] = '\0';
		key = d->io.key();
		t = d->io.clock();
		/*
		 * A gap longer than the pause threshold counts up to the
		 * threshold: the reviewer may have been reading all along,
		 * so only the part beyond it is a pause.
		 */
		if ((t - d->last) * 1000 > (double)d->pause_ms)
			d->paused += t - d->last - (double)d->pause_ms / 1000;
		d->last = t;
		ttl = (long long)((t - d->shown - d->paused) * 1000);
		paused = (long long)(d->paused * 1000);
		if (key == LP_DESK_REDRAW)
			continue;
		if (key == LP_DESK_STOP || key == 'q') {
			if (d->corr != NULL && draft(d, d->corr) != LP_OK)
				return LP_FATAL;
			return key == 'q' ? LP_EOF : LP_FAILED;
		}
		if (key > 0 && key < 128 &&
		    (def = lp_taxonomy_key(d->tax, key)) != NULL)
			return lp_desk_decide(d, d->i, def->to, d->corr,
				   d->note, ttl, paused) == LP_OK
			    ? NEXT
			    : LP_FATAL;
		if ((r = other_key(d, key, ttl, paused)) != STAY)
			return r;
	}
}

/* Put item i on the screen: its header, and the decision it had. */
static void
start(struct lp_desk *d, size_t i, size_t total)
{
	const struct lp_decision *dec = &d->q->dec.item[i];

	d->i = i;
	d->next = d->q->n;
	d->hint[0] = '\0';
	d->paused = 0;
	if (dec->state != LP_DECISION_OPEN) {
		/* Deciding again keeps what it had unless changed. */
		d->corr = dec->correction ? lp_xstrdup(dec->correction) : NULL;
		d->note = dec->note ? lp_xstrdup(dec->note) : NULL;
	}
	lp_buf_reset(&d->head);
	lp_screen_head(&d->head, d->q->adjudicating, d->annotator, d->round,
	    lp_queue_position(d->q, i) + 1, total, lp_queue_decided(d->q));
	d->shown = d->last = d->io.clock();
}

int
lp_desk_run(struct lp_desk *d)
{
	size_t total = lp_queue_count(d->q), i = d->q->n;

	for (;;) {
		int r;

		if (i == d->q->n)
			i = lp_queue_first_open(d->q);
		if (i == d->q->n)
			return LP_OK;
		start(d, i, total);
		r = keys(d);
		i = d->next;
		free(d->corr);
		free(d->note);
		d->corr = d->note = NULL;
		if (r != NEXT)
			return r;
	}
}
