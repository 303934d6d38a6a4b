/*
 * Decisions and their undo.  A decision replaced by a later one on the
 * same item is kept in the undo step of the later one; undo swaps it back.
 * An undo without one leaves the item open with the times it had (the
 * output of a draft shows them), which is what earlier runs wrote, so a
 * log replays to the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "review/decision.h"

struct lp_decision_step {
	size_t item;
	int replaced; /* was holds the decision this one replaced */
	struct lp_decision was;
};

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

/* Exchange the decisions of a and b (not their drafts). */
static void
swap(struct lp_decision *a, struct lp_decision *b)
{
	struct lp_decision t = *a;

	*a = *b;
	*b = t;
	b->draft = a->draft;
	a->draft = t.draft;
}

static void
clear(struct lp_decision *dec)
{
	json_decref(dec->label);
	free(dec->correction);
	free(dec->note);
	dec->label = NULL;
	dec->correction = dec->note = NULL;
}

void
lp_decisions_init(struct lp_decisions *d)
{
	memset(d, 0, sizeof(*d));
}

void
lp_decisions_release(struct lp_decisions *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		clear(&d->item[i]);
		free(d->item[i].draft);
	}
	for (i = 0; i < d->nsteps; i++)
		clear(&d->steps[i].was);
	free(d->item);
	free(d->steps);
	memset(d, 0, sizeof(*d));
}

size_t
lp_decisions_add(struct lp_decisions *d)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->item = lp_xrealloc(d->item, d->cap * sizeof(*d->item));
	}
	memset(&d->item[d->n], 0, sizeof(d->item[0]));
	d->item[d->n].ttl_ms = -1;
	return d->n++;
}

void
lp_decisions_apply(struct lp_decisions *d, size_t i, const json_t *ev)
{
	struct lp_decision *dec = &d->item[i];
	json_t *v = json_object_get(ev, "label");
	json_t *ttl = json_object_get(ev, "time_to_label_ms");
	const char *st = json_string_value(json_object_get(ev, "status"));
	struct lp_decision_step step;

	memset(&step, 0, sizeof(step));
	step.item = i;
	if (dec->state != LP_DECISION_OPEN) {
		/* A change of mind (the item was visited again): keep the
		 * earlier decision for undo, and start from an open item. */
		step.replaced = 1;
		swap(dec, &step.was);
	}
	dec->state = st != NULL && strcmp(st, "skipped") == 0
	    ? LP_DECISION_SKIPPED
	    : LP_DECISION_SUBMITTED;
	json_decref(dec->label);
	dec->label = v != NULL && !json_is_null(v) ? json_incref(v) : NULL;
	set_str(&dec->correction,
	    json_string_value(json_object_get(ev, "correction")));
	set_str(&dec->note, json_string_value(json_object_get(ev, "note")));
	set_str(&dec->draft, NULL);
	dec->ttl_ms = json_is_integer(ttl) ? json_integer_value(ttl) : -1;
	dec->paused_ms = json_integer_value(json_object_get(ev, "paused_ms"));
	dec->at = json_integer_value(json_object_get(ev, "at"));
	if ((d->nsteps & (d->nsteps - 1)) == 0) /* at 0, 1, 2, 4 ...: double */
		d->steps = lp_xrealloc(d->steps,
		    (d->nsteps ? 2 * d->nsteps : 1) * sizeof(*d->steps));
	d->steps[d->nsteps++] = step;
}

size_t
lp_decisions_last(const struct lp_decisions *d)
{
	return d->nsteps > 0 ? d->steps[d->nsteps - 1].item : d->n;
}

void
lp_decisions_undo(struct lp_decisions *d)
{
	struct lp_decision_step *s;
	struct lp_decision *dec;

	if (d->nsteps == 0)
		return;
	s = &d->steps[--d->nsteps];
	dec = &d->item[s->item];
	clear(dec);
	dec->state = LP_DECISION_OPEN;
	if (s->replaced)
		swap(dec, &s->was);
}

int
lp_decisions_draft(struct lp_decisions *d, size_t i, const char *text)
{
	if (d->item[i].state != LP_DECISION_OPEN)
		return 0;
	set_str(&d->item[i].draft, text);
	return 1;
}

int
lp_decisions_replay(struct lp_decisions *d, const json_t *ev, size_t item,
    const char *queue, struct lp_error *err)
{
	const char *kind = json_string_value(json_object_get(ev, "event"));
	const char *q = json_string_value(json_object_get(ev, "queue"));

	if (kind == NULL)
		return LP_OK;
	if (strcmp(kind, "start") == 0 && (q == NULL || strcmp(q, queue) != 0))
		return lp_error_set(err,
		    "this session is for another queue (other items or "
		    "order); give another --session");
	if (strcmp(kind, "decision") == 0 && item < d->n)
		lp_decisions_apply(d, item, ev);
	else if (strcmp(kind, "undo") == 0)
		lp_decisions_undo(d);
	else if (strcmp(kind, "draft") == 0 && item < d->n)
		lp_decisions_draft(d, item,
		    json_string_value(json_object_get(ev, "correction")));
	return LP_OK;
}

json_t *
lp_decision_event(const char *id, const json_t *label, const char *correction,
    const char *note, long long ttl_ms, long long paused_ms, long long at)
{
	json_t *ev = json_object();

	json_object_set_new(ev, "event", json_string("decision"));
	json_object_set_new(ev, "id", json_string(id));
	json_object_set_new(
	    ev, "status", json_string(label != NULL ? "submitted" : "skipped"));
	json_object_set_new(ev, "label",
	    label != NULL ? json_incref((json_t *)label) : json_null());
	json_object_set_new(ev, "correction", str_or_null(correction));
	json_object_set_new(ev, "note", str_or_null(note));
	json_object_set_new(ev, "time_to_label_ms",
	    ttl_ms >= 0 ? json_integer(ttl_ms) : json_null());
	if (paused_ms > 0)
		json_object_set_new(ev, "paused_ms", json_integer(paused_ms));
	json_object_set_new(ev, "at", json_integer(at));
	return ev;
}

json_t *
lp_decision_undo_event(const char *id, long long at)
{
	return json_pack(
	    "{s:s,s:s,s:I}", "event", "undo", "id", id, "at", (json_int_t)at);
}

json_t *
lp_decision_draft_event(const char *id, const char *text, long long at)
{
	return json_pack("{s:s,s:s,s:s,s:I}", "event", "draft", "id", id,
	    "correction", text, "at", (json_int_t)at);
}

static const char *
status_name(enum lp_decision_state st)
{
	return st == LP_DECISION_SUBMITTED ? "submitted"
	    : st == LP_DECISION_SKIPPED	   ? "skipped"
					   : "draft";
}

json_t *
lp_decision_label(const struct lp_decision *dec, const char *annotator,
    long round, const struct lp_taxonomy *tax)
{
	int open = dec->state == LP_DECISION_OPEN;
	json_t *e;

	if (open && dec->draft == NULL)
		return NULL;
	e = json_object();
	json_object_set_new(e, "annotator_id", json_string(annotator));
	json_object_set_new(e, "round", json_integer(round));
	json_object_set_new(e, "status", json_string(status_name(dec->state)));
	json_object_set_new(
	    e, "label", dec->label ? json_incref(dec->label) : json_null());
	json_object_set_new(
	    e, "correction", str_or_null(open ? dec->draft : dec->correction));
	json_object_set_new(e, "note", str_or_null(dec->note));
	json_object_set_new(e, "time_to_label_ms",
	    dec->ttl_ms >= 0 ? json_integer(dec->ttl_ms) : json_null());
	if (dec->paused_ms > 0) {
		json_object_set_new(e, "paused", json_true());
		json_object_set_new(
		    e, "paused_ms", json_integer(dec->paused_ms));
	}
	json_object_set_new(
	    e, "at", !open ? json_integer(dec->at) : json_null());
	json_object_set_new(
	    e, "guidelines_version", json_string(tax->guidelines_version));
	json_object_set_new(e, "taxonomy_version", json_string(tax->version));
	return e;
}

json_t *
lp_decision_labels_with(
    const json_t *labels, const char *annotator, long round, json_t *mine)
{
	json_t *out = json_array(), *l;
	size_t i;

	json_array_foreach (labels, i, l) {
		const char *who =
		    json_string_value(json_object_get(l, "annotator_id"));

		if (who != NULL && strcmp(who, annotator) == 0 &&
		    json_integer_value(json_object_get(l, "round")) == round)
			continue;
		json_array_append(out, l);
	}
	json_array_append_new(out, mine);
	return out;
}
