/*
 * The decisions of a review: for each item of the queue whether it is
 * open, submitted (with a label) or skipped, with its correction, note,
 * time to label and draft; and, in the order they were made, the
 * decisions undo can take back, each with the decision it replaced (an
 * item decided a second time gets its first decision back, not an open
 * item).
 *
 * This is the state machine the session log records: a decision, an undo
 * and a draft are each one event, and applying the events of a log in
 * order (lp_decisions_replay) gives the state the run that wrote them
 * had.  The keyboard, an answers file and the log of an earlier run all
 * go through the same events.  Nothing here writes the log, reads a
 * terminal or knows the clock: the tool appends each event to the session
 * (review/session.h) and applies it here.
 *
 * Items are numbered 0..n-1 in queue order.  A decision owns its strings
 * and holds a reference to its label.
 */
#ifndef LP_REVIEW_DECISION_H
#define LP_REVIEW_DECISION_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "review/taxonomy.h"

enum lp_decision_state {
	LP_DECISION_OPEN,
	LP_DECISION_SUBMITTED,
	LP_DECISION_SKIPPED
};

/* One item's decision. */
struct lp_decision {
	enum lp_decision_state state;
	json_t *label;	     /* the decided value, or NULL */
	char *correction;    /* or NULL */
	char *note;	     /* or NULL */
	long long ttl_ms;    /* time to label, or -1 when not known */
	long long paused_ms; /* pauses left out of ttl_ms */
	long long at;	     /* when, in ms since the epoch */
	/*
	 * A correction begun on the open item and not yet decided with, or
	 * NULL.  Not part of what undo restores: an item has one draft.
	 */
	char *draft;
};

struct lp_decision_step; /* an undoable decision (private) */

struct lp_decisions {
	struct lp_decision *item; /* n of them */
	size_t n, cap;
	struct lp_decision_step *steps; /* decisions in order, for undo */
	size_t nsteps;
};

/* An empty set of decisions (no allocation). */
void lp_decisions_init(struct lp_decisions *d);
/* Free every decision and the undo steps. */
void lp_decisions_release(struct lp_decisions *d);
/* Add an open item at the end; its number. */
size_t lp_decisions_add(struct lp_decisions *d);

/*
 * Apply a decision event (lp_decision_event) to item i: it is submitted
 * or skipped with the event's label, correction, note and times, and its
 * draft goes.  The decision it replaces is kept for undo.
 */
void lp_decisions_apply(struct lp_decisions *d, size_t i, const json_t *ev);
/*
 * The item the last decision was about, which lp_decisions_undo brings
 * back; d->n when there is nothing to undo.
 */
size_t lp_decisions_last(const struct lp_decisions *d);
/*
 * Take back the last decision: its item is as it was before (open, or
 * with the decision it had).  Nothing when there is nothing to undo.
 */
void lp_decisions_undo(struct lp_decisions *d);
/*
 * Keep text as the draft of item i (NULL: none).  Only an open item has a
 * draft: 1 if it was kept, 0 (nothing changed) for a decided item.
 */
int lp_decisions_draft(struct lp_decisions *d, size_t i, const char *text);
/*
 * Apply one event of a session log: "start" (its "queue" must be queue),
 * "decision", "undo" or "draft"; item is the number of the event's "id"
 * (d->n when the queue has no such item: the event changes nothing).
 * Unknown events change nothing.  LP_OK, or LP_FAILED with err when the
 * log was made for another queue.
 */
int lp_decisions_replay(struct lp_decisions *d, const json_t *ev, size_t item,
    const char *queue, struct lp_error *err);

/*
 * The session-log event of a decision on item id: the label (NULL: a
 * skip), the correction and note (NULL or "" for none), the time to label
 * (-1: not known) and the pauses left out of it (0: none), and when.
 */
json_t *lp_decision_event(const char *id, const json_t *label,
    const char *correction, const char *note, long long ttl_ms,
    long long paused_ms, long long at);
/* The session-log events of an undo and of a draft. */
json_t *lp_decision_undo_event(const char *id, long long at);
json_t *lp_decision_draft_event(const char *id, const char *text, long long at);

/*
 * The label entry a decision puts on its record (who, round, status,
 * label, correction, note, times, versions), or NULL for an open item
 * without a draft.  An open item with a draft gives status "draft".
 */
json_t *lp_decision_label(const struct lp_decision *dec, const char *annotator,
    long round, const struct lp_taxonomy *tax);
/*
 * labels (a record's array, or NULL) with the entries of annotator in
 * round left out and mine (stolen) appended: a new array.
 */
json_t *lp_decision_labels_with(
    const json_t *labels, const char *annotator, long round, json_t *mine);

#endif
