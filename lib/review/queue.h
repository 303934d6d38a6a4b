/*
 * A review queue: the items a reviewer (or an adjudicator) works through,
 * in input order, each with its record (held, parsed again when shown or
 * written), its id (unique, found by lp_queue_find) and its decision
 * (dec.item[i]); when adjudicating, also the annotators' labels
 * (review/adjudication.h), and then only the items consensus did not
 * settle wait for a person.
 *
 * Items are numbered 0..n-1; "waiting" items are the queue the reviewer
 * sees (every item when labelling).  The queue owns ids, records,
 * adjudications and decisions.
 */
#ifndef LP_REVIEW_QUEUE_H
#define LP_REVIEW_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/held.h"
#include "core/record.h"
#include "review/adjudication.h"
#include "review/decision.h"

#define LP_QUEUE_NONE ((size_t)-1)

struct lp_queue_item {
	char *id;
	struct lp_adjudication adj; /* adjudicating only */
};

struct lp_queue {
	int adjudicating;
	struct lp_queue_item *item;
	size_t n, cap;
	struct lp_decisions dec; /* item i's decision is dec.item[i] */
	struct lp_held held;	 /* item i's record is held i */
	uint32_t *slot;		 /* id index: item + 1, 0 for a free slot */
	size_t nslot;		 /* a power of two, at least 2n */
};

/* An empty queue (no allocation). */
void lp_queue_init(struct lp_queue *q, int adjudicating);
void lp_queue_release(struct lp_queue *q);
/*
 * Add an item (open, undecided) for rec with id (not in q yet); its number,
 * or LP_QUEUE_NONE with the reason in q->held.err (a line too long to hold).
 */
size_t lp_queue_add(
    struct lp_queue *q, const char *id, const struct lp_record *rec);
/* The number of the item with id, or LP_QUEUE_NONE. */
size_t lp_queue_find(const struct lp_queue *q, const char *id);
/* Item i's record, parsed again into rec (reset first). */
void lp_queue_record(const struct lp_queue *q, size_t i, struct lp_record *rec);
/*
 * NULL when item i waits for a person; else why not, for messages (how
 * consensus settled it, or "no labels").
 */
const char *lp_queue_settled(const struct lp_queue *q, size_t i);
/* The waiting items, and how many of them are decided. */
size_t lp_queue_count(const struct lp_queue *q);
size_t lp_queue_decided(const struct lp_queue *q);
/* How many of the decided items were skipped (decided without a label). */
size_t lp_queue_skipped(const struct lp_queue *q);
/* How many waiting items come before item i. */
size_t lp_queue_position(const struct lp_queue *q, size_t i);
/* The waiting item before (dir < 0) or after item i, or q->n. */
size_t lp_queue_neighbour(const struct lp_queue *q, size_t i, int dir);
/* The first waiting item still open, or q->n. */
size_t lp_queue_first_open(const struct lp_queue *q);
/*
 * The digest (sha256, hex) of what is reviewed: the mode and the ids in
 * order.  A session log belongs to one digest.
 */
void lp_queue_digest(const struct lp_queue *q, char hex[65]);

#endif
