/*
 * The queue's id index is an open-addressing table of item numbers keyed
 * by a hash of the id: ids are compared in full, so a collision costs a
 * probe, never a wrong item.
 */
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/hash.h"
#include "review/queue.h"

void
lp_queue_init(struct lp_queue *q, int adjudicating)
{
	memset(q, 0, sizeof(*q));
	q->adjudicating = adjudicating;
	lp_decisions_init(&q->dec);
}

void
lp_queue_release(struct lp_queue *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		free(q->item[i].id);
		lp_adjudication_release(&q->item[i].adj);
	}
	free(q->item);
	free(q->slot);
	lp_decisions_release(&q->dec);
	lp_held_release(&q->held);
	memset(q, 0, sizeof(*q));
}

/* The slot of id: where it is, or the free one where it would go. */
static size_t
slot_of(const struct lp_queue *q, const char *id)
{
	size_t mask = q->nslot - 1;
	size_t s = (size_t)lp_hash64(id, strlen(id), 0) & mask;

	while (q->slot[s] != 0 && strcmp(q->item[q->slot[s] - 1].id, id) != 0)
		s = (s + 1) & mask;
	return s;
}

/* Keep at most half the slots used, so probes stay short. */
static void
grow_index(struct lp_queue *q)
{
	size_t i, n = q->nslot ? q->nslot * 2 : 512;

	free(q->slot);
	q->slot = lp_xmalloc(n * sizeof(*q->slot));
	memset(q->slot, 0, n * sizeof(*q->slot));
	q->nslot = n;
	for (i = 0; i < q->n; i++)
		q->slot[slot_of(q, q->item[i].id)] = (uint32_t)i + 1;
}

size_t
lp_queue_add(struct lp_queue *q, const char *id, const struct lp_record *rec)
{
	struct lp_queue_item *it;

	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 256;
		q->item = lp_xrealloc(q->item, q->cap * sizeof(*q->item));
	}
	if (lp_held_add(&q->held, rec, NULL) != LP_OK)
		return LP_QUEUE_NONE;
	if (2 * (q->n + 1) > q->nslot)
		grow_index(q);
	it = &q->item[q->n];
	memset(it, 0, sizeof(*it));
	it->id = lp_xstrdup(id);
	lp_decisions_add(&q->dec);
	q->slot[slot_of(q, id)] = (uint32_t)q->n + 1;
	return q->n++;
}

size_t
lp_queue_find(const struct lp_queue *q, const char *id)
{
	size_t s;

	if (id == NULL || q->nslot == 0)
		return LP_QUEUE_NONE;
	s = slot_of(q, id);
	return q->slot[s] != 0 ? q->slot[s] - 1 : LP_QUEUE_NONE;
}

void
lp_queue_record(const struct lp_queue *q, size_t i, struct lp_record *rec)
{
	lp_record_reset(rec);
	lp_held_get(&q->held, i, rec);
}

const char *
lp_queue_settled(const struct lp_queue *q, size_t i)
{
	const struct lp_adjudication *a = &q->item[i].adj;

	if (!q->adjudicating || lp_adjudication_open(a))
		return NULL;
	return a->how ? a->how : "no labels";
}

size_t
lp_queue_count(const struct lp_queue *q)
{
	return lp_queue_position(q, q->n);
}

size_t
lp_queue_decided(const struct lp_queue *q)
{
	size_t i, k = 0;

	for (i = 0; i < q->n; i++)
		k += lp_queue_settled(q, i) == NULL &&
		    q->dec.item[i].state != LP_DECISION_OPEN;
	return k;
}

size_t
lp_queue_skipped(const struct lp_queue *q)
{
	size_t i, k = 0;

	for (i = 0; i < q->n; i++)
		k += lp_queue_settled(q, i) == NULL &&
		    q->dec.item[i].state == LP_DECISION_SKIPPED;
	return k;
}

size_t
lp_queue_position(const struct lp_queue *q, size_t i)
{
	size_t k, pos = 0;

	for (k = 0; k < i; k++)
		pos += lp_queue_settled(q, k) == NULL;
	return pos;
}

size_t
lp_queue_neighbour(const struct lp_queue *q, size_t i, int dir)
{
	while (dir < 0 ? i-- > 0 : ++i < q->n)
		if (lp_queue_settled(q, i) == NULL)
			return i;
	return q->n;
}

size_t
lp_queue_first_open(const struct lp_queue *q)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		if (lp_queue_settled(q, i) == NULL &&
		    q->dec.item[i].state == LP_DECISION_OPEN)
			break;
	return i;
}

void
lp_queue_digest(const struct lp_queue *q, char hex[65])
{
	struct lp_sha256 c;
	size_t i;

	lp_sha256_init(&c);
	lp_sha256_update(&c, q->adjudicating ? "adjudicate\n" : "label\n",
	    q->adjudicating ? 11 : 6);
	for (i = 0; i < q->n; i++)
		lp_sha256_update(&c, q->item[i].id, strlen(q->item[i].id) + 1);
	lp_sha256_final_hex(&c, hex);
}
