/*
 * The reviewer's desk: where decisions on a queue are made and recorded.
 * Keys (or the lines of an answers file) become decisions; each is
 * appended to the session log and fsync'ed before the next item appears,
 * then applied (review/decision.h) and handed to the audit.
 *
 * The interactive review (lp_desk_run) is a state machine over keys: one
 * item at a time (the first open one, or the one moved to), a label key
 * decides, s skips, c and n edit the correction and the note, e hands the
 * correction to an editor, Left and Right move, u undoes, ? shows the
 * guide, q stops.  Time to label runs from the item's first frame to the
 * deciding key, less the part of each gap between keys beyond pause_ms
 * (a gap counts up to pause_ms, the cap).  Everything
 * outside (the terminal, the clock, the editors, the audit log) is
 * reached through io, so a test drives a desk with a script of keys.
 *
 * The desk owns its session log and the record on the screen; the queue
 * and the taxonomy are the caller's.
 */
#ifndef LP_REVIEW_DESK_H
#define LP_REVIEW_DESK_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/record.h"
#include "review/queue.h"
#include "review/screen.h"
#include "review/session.h"
#include "review/taxonomy.h"

/* Keys besides characters (a character is its code point). */
enum {
	LP_DESK_PREV = -1,   /* Left: the item before */
	LP_DESK_NEXT = -2,   /* Right: the item after */
	LP_DESK_REDRAW = -3, /* the window changed: draw again */
	LP_DESK_STOP = -4,   /* a signal, or the terminal went away */
	LP_DESK_OTHER = -5   /* a key the desk has no use for */
};

/* What the line editor (io.edit) came to. */
enum { LP_DESK_EDIT_DONE, LP_DESK_EDIT_CANCEL, LP_DESK_EDIT_STOP };

struct lp_desk;

/* The world outside the desk. */
struct lp_desk_io {
	/* The next key: a character or an LP_DESK_ key. */
	int (*key)(void);
	/* Seconds on a steady clock, for time to label. */
	double (*clock)(void);
	/* The screen's size now. */
	void (*size)(int *rows, int *cols);
	/* Show a frame. */
	void (*write)(const char *p, size_t n);
	/*
	 * Edit text on the bottom line after prompt, drawing each state
	 * with lp_desk_draw: LP_DESK_EDIT_DONE with the text in *out (to
	 * free), LP_DESK_EDIT_CANCEL, or LP_DESK_EDIT_STOP with the text
	 * typed so far in *out.
	 */
	int (*edit)(struct lp_desk *d, const char *prompt, const char *text,
	    char **out);
	/* Edit text in an editor: the new text (to free), or NULL and why. */
	char *(*editor)(const char *text, struct lp_error *err);
	/* The guide was left by LP_DESK_STOP: the tool is to stop. */
	void (*stop)(void);
	/* Milliseconds since the epoch, for the decisions' "at". */
	long long (*now_ms)(void *arg);
	/* An audit event of kind (fields stolen). */
	void (*audit)(void *arg, const char *kind, json_t *fields);
	void *arg; /* for now_ms and audit */
};

struct lp_desk {
	/* Set by the caller before lp_desk_open. */
	struct lp_queue *q;
	const struct lp_taxonomy *tax;
	const char *annotator;
	long round;
	int show_labels;	 /* other annotators' labels on the screen */
	long long pause_ms;	 /* a longer gap between keys is a pause */
	struct lp_screen screen; /* color set by the caller */
	struct lp_desk_io io;

	struct lp_session log;
	struct lp_record rec; /* the record on the screen */
	struct lp_error err;
	/* The item being worked on. */
	size_t i;
	char *corr, *note; /* what its decision will carry */
	char hint[256];	   /* for the bottom line, once */
	struct lp_buf head;
	double shown, last, paused;
	size_t next; /* the item to show next; q->n: the first open one */
};

/*
 * Open the session log at path (made for the queue's digest, see
 * lp_queue_digest) and replay it into the queue's decisions, then log the
 * start of this run.  LP_OK; LP_FAILED when the log cannot be used (made
 * for another queue, damaged); LP_FATAL when it cannot be opened or
 * written.  err says why.  d->log.torn says a torn last line was cut.
 */
int lp_desk_open(struct lp_desk *d, const char *path);
/* Close the log and free what the desk holds. */
void lp_desk_close(struct lp_desk *d);
/*
 * Decide item i: label (NULL: skip), correction, note, time to label (-1:
 * not known) and pauses.  Logged, applied, audited.  LP_OK, or LP_FATAL
 * when the log cannot be written (err).
 */
int lp_desk_decide(struct lp_desk *d, size_t i,
    const struct lp_label_def *label, const char *correction, const char *note,
    long long ttl_ms, long long paused_ms);
/*
 * Review on the screen until every waiting item is decided (LP_OK), q
 * (LP_EOF) or a stop (LP_FAILED); LP_FATAL when the log cannot be written
 * (err).
 */
int lp_desk_run(struct lp_desk *d);
/* Draw the current item's screen, with the line editor ed if not NULL. */
void lp_desk_draw(struct lp_desk *d, const struct lp_screen_edit *ed);

#endif
