#include <stdio.h>
#include <string.h>

#include "core/status.h"
#include "review/queue.h"
#include "test.h"

/* Add a record {"id": id, "labels": labels} to q. */
static size_t
add(struct lp_queue *q, const char *id, const char *labels)
{
	struct lp_record rec;
	char line[256];
	size_t i;

	snprintf(
	    line, sizeof(line), "{\"id\":\"%s\",\"labels\":%s}", id, labels);
	lp_record_init(&rec);
	assert_eq_int(lp_record_parse(&rec, line, strlen(line)), LP_OK);
	i = lp_queue_add(q, id, &rec);
	if (q->adjudicating)
		lp_adjudication_merge(
		    &q->item[i].adj, lp_record_get(&rec, "labels"));
	lp_record_release(&rec);
	return i;
}

TEST(items_by_id)
{
	struct lp_queue q;
	struct lp_record rec;
	char id[32];
	size_t i;

	lp_queue_init(&q, 0);
	assert_eq_int(lp_queue_find(&q, "a"), LP_QUEUE_NONE);
	/* Enough to grow the index a few times. */
	for (i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "ebay-uk:%zu", i);
		assert_eq_int(add(&q, id, "[]"), i);
	}
	for (i = 0; i < 3000; i += 7) {
		snprintf(id, sizeof(id), "ebay-uk:%zu", i);
		assert_eq_int(lp_queue_find(&q, id), i);
	}
	assert_eq_int(lp_queue_find(&q, "ebay-uk:3000"), LP_QUEUE_NONE);
	assert_eq_int(lp_queue_find(&q, NULL), LP_QUEUE_NONE);
	lp_record_init(&rec);
	lp_queue_record(&q, 42, &rec);
	assert_eq_str(lp_record_get_str(&rec, "id"), "ebay-uk:42");
	lp_record_release(&rec);
	assert_eq_int(lp_queue_count(&q), 3000);
	assert_eq_int(lp_queue_decided(&q), 0);
	assert_eq_int(lp_queue_first_open(&q), 0);
	lp_queue_release(&q);
}

/* Adjudicating, only contested items wait; moves skip the rest. */
TEST(what_waits)
{
	struct lp_queue q;
	json_t *ev;

	lp_queue_init(&q, 1);
	add(&q, "a", "[{\"annotator_id\":\"x\",\"label\":4}]");
	add(&q, "b",
	    "[{\"annotator_id\":\"x\",\"label\":4},{\"annotator_id\":\"y\","
	    "\"label\":1}]");
	add(&q, "c", "[]");
	add(&q, "d",
	    "[{\"annotator_id\":\"x\",\"label\":2},{\"annotator_id\":\"y\","
	    "\"label\":3}]");
	lp_adjudication_settle(&q.item[0].adj, 0);
	lp_adjudication_settle(&q.item[1].adj, 0);
	lp_adjudication_settle(&q.item[2].adj, 0);
	lp_adjudication_settle(&q.item[3].adj, 0);
	assert_eq_str(lp_queue_settled(&q, 0), "single");
	assert_true(lp_queue_settled(&q, 1) == NULL);
	assert_eq_str(lp_queue_settled(&q, 2), "no labels");
	assert_eq_int(lp_queue_count(&q), 2);
	assert_eq_int(lp_queue_position(&q, 3), 1);
	assert_eq_int(lp_queue_first_open(&q), 1);
	assert_eq_int(lp_queue_neighbour(&q, 1, 1), 3);
	assert_eq_int(lp_queue_neighbour(&q, 3, -1), 1);
	assert_eq_int(lp_queue_neighbour(&q, 1, -1), q.n);
	assert_eq_int(lp_queue_neighbour(&q, 3, 1), q.n);
	ev = lp_decision_event("b", NULL, NULL, NULL, -1, 0, 1);
	lp_decisions_apply(&q.dec, 1, ev);
	json_decref(ev);
	assert_eq_int(lp_queue_decided(&q), 1);
	assert_eq_int(lp_queue_skipped(&q), 1);
	assert_eq_int(lp_queue_first_open(&q), 3);
	lp_queue_release(&q);
}

/* The digest names the mode and the ids in order, nothing else. */
TEST(digest)
{
	struct lp_queue q, r;
	char h1[65], h2[65];

	lp_queue_init(&q, 0);
	lp_queue_init(&r, 0);
	add(&q, "a", "[]");
	add(&q, "b", "[]");
	add(&r, "a", "[{\"annotator_id\":\"x\",\"label\":4}]");
	add(&r, "b", "[]");
	lp_queue_digest(&q, h1);
	lp_queue_digest(&r, h2);
	assert_eq_str(h1, h2);
	lp_queue_release(&r);
	lp_queue_init(&r, 0);
	add(&r, "b", "[]");
	add(&r, "a", "[]");
	lp_queue_digest(&r, h2);
	assert_true(strcmp(h1, h2) != 0);
	lp_queue_release(&r);
	lp_queue_init(&r, 1);
	add(&r, "a", "[]");
	add(&r, "b", "[]");
	lp_queue_digest(&r, h2);
	assert_true(strcmp(h1, h2) != 0);
	lp_queue_release(&r);
	lp_queue_release(&q);
}

RUN_TESTS()
