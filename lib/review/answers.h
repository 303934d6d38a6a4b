/*
 * An answers file (lp-label --answers): decisions made elsewhere, as JSON
 * Lines {"id", "label", "status", "correction", "note",
 * "time_to_label_ms"}, gzip or plain, read through the one reader every
 * input uses (core/stream.h).
 *
 * The whole file is checked against the queue and the taxonomy before
 * anything is applied, so a bad file applies nothing: each line must be a
 * JSON object with the id of an item waiting for a decision, a status of
 * "submitted" (with a known label: its value, its value as text, its name
 * or a shortcut's name) or "skipped" (the default without a label),
 * string or null correction and note, a whole time_to_label_ms >= 0, and
 * no id may be answered twice.  What is wrong is named with the file and
 * line ("answers.jsonl:2: unknown label 5 (...)").
 *
 * The answers own their strings; labels point into the taxonomy.
 */
#ifndef LP_REVIEW_ANSWERS_H
#define LP_REVIEW_ANSWERS_H

#include <stddef.h>

#include "core/error.h"
#include "review/taxonomy.h"

/* One checked answer. */
struct lp_answer {
	size_t item;			  /* its item's number in the queue */
	const struct lp_label_def *label; /* NULL: skipped */
	char *correction, *note;	  /* or NULL */
	long long ttl_ms;		  /* -1 when not given */
};

struct lp_answers {
	struct lp_answer *all; /* in file order */
	size_t n, cap;
};

/* What the answers are checked against. */
struct lp_answers_queue {
	const struct lp_taxonomy *tax;
	/* The number of the item with id, or (size_t)-1 when there is none. */
	size_t (*find)(void *arg, const char *id);
	/*
	 * NULL when item i waits for a decision; else why it does not (how
	 * consensus settled it: "unanimous", "no labels").  NULL function:
	 * every item waits.
	 */
	const char *(*settled)(void *arg, size_t i);
	void *arg;
};

/*
 * Read and check the answers at path (lines up to max_line bytes) into a.
 * LP_OK; LP_FAILED when the file is bad (err: "path:line: why", or why the
 * gzip stream is corrupt); LP_FATAL when it cannot be read (err:
 * "path: system error").  On failure a holds nothing.
 */
int lp_answers_load(struct lp_answers *a, const char *path, size_t max_line,
    const struct lp_answers_queue *q, struct lp_error *err);
void lp_answers_release(struct lp_answers *a);

#endif
