#include <string.h>

#include "core/status.h"
#include "core/data.h"
#include "review/decision.h"
#include "fixture.h"
#include "test.h"

static json_t *
ev_label(const char *id, json_int_t v, const char *corr, long long at)
{
	json_t *l = json_integer(v);
	json_t *ev = lp_decision_event(id, l, corr, NULL, 1200, 0, at);

	json_decref(l);
	return ev;
}

/* Apply ev to item i and keep it, as the session log would. */
static void
apply(struct lp_decisions *d, json_t *log, size_t i, json_t *ev)
{
	lp_decisions_apply(d, i, ev);
	json_array_append_new(log, ev);
}

static long long
label_of(const struct lp_decisions *d, size_t i)
{
	return json_integer_value(d->item[i].label);
}

TEST(events_decide)
{
	struct lp_decisions d;
	json_t *log = json_array();

	lp_decisions_init(&d);
	assert_eq_int(lp_decisions_add(&d), 0);
	assert_eq_int(lp_decisions_add(&d), 1);
	assert_eq_int(d.item[0].state, LP_DECISION_OPEN);
	assert_eq_int(d.item[0].ttl_ms, -1);
	apply(&d, log, 0, ev_label("a", 3, "fixed", 10));
	apply(&d, log, 1, lp_decision_event("b", NULL, "", "odd", -1, 0, 11));
	assert_eq_int(d.item[0].state, LP_DECISION_SUBMITTED);
	assert_eq_int(label_of(&d, 0), 3);
	assert_eq_str(d.item[0].correction, "fixed");
	assert_eq_int(d.item[0].ttl_ms, 1200);
	assert_eq_int(d.item[0].at, 10);
	assert_eq_int(d.item[1].state, LP_DECISION_SKIPPED);
	assert_true(d.item[1].label == NULL);
	assert_true(d.item[1].correction == NULL); /* "" is none */
	assert_eq_str(d.item[1].note, "odd");
	assert_eq_int(d.item[1].ttl_ms, -1);
	assert_eq_int(lp_decisions_last(&d), 1);
	json_decref(log);
	lp_decisions_release(&d);
}

/* Undo of a second decision brings the first back, not an open item. */
TEST(undo_restores_the_replaced_decision)
{
	struct lp_decisions d;
	json_t *log = json_array();

	lp_decisions_init(&d);
	lp_decisions_add(&d);
	lp_decisions_add(&d);
	apply(&d, log, 0, ev_label("a", 4, NULL, 1));
	apply(&d, log, 1, ev_label("b", 2, NULL, 2));
	apply(&d, log, 0, ev_label("a", 1, "second look", 3));
	assert_eq_int(label_of(&d, 0), 1);
	assert_eq_int(lp_decisions_last(&d), 0);
	lp_decisions_undo(&d);
	assert_eq_int(d.item[0].state, LP_DECISION_SUBMITTED);
	assert_eq_int(label_of(&d, 0), 4);
	assert_true(d.item[0].correction == NULL);
	assert_eq_int(d.item[0].at, 1);
	/* Then b, then a's first decision: open again. */
	lp_decisions_undo(&d);
	assert_eq_int(d.item[1].state, LP_DECISION_OPEN);
	assert_true(d.item[1].label == NULL);
	lp_decisions_undo(&d);
	assert_eq_int(d.item[0].state, LP_DECISION_OPEN);
	assert_eq_int(lp_decisions_last(&d), d.n); /* nothing left */
	lp_decisions_undo(&d);			   /* and nothing happens */
	assert_eq_int(d.item[0].state, LP_DECISION_OPEN);
	json_decref(log);
	lp_decisions_release(&d);
}

TEST(drafts_only_on_open_items)
{
	struct lp_decisions d;
	json_t *log = json_array();

	lp_decisions_init(&d);
	lp_decisions_add(&d);
	assert_eq_int(lp_decisions_draft(&d, 0, "half"), 1);
	assert_eq_str(d.item[0].draft, "half");
	apply(&d, log, 0, ev_label("a", 2, "whole", 5));
	assert_true(d.item[0].draft == NULL); /* decided with */
	assert_eq_int(lp_decisions_draft(&d, 0, "later"), 0);
	assert_true(d.item[0].draft == NULL);
	json_decref(log);
	lp_decisions_release(&d);
}

/* The item with id, for replay; d->n for none. */
static size_t
item_of(const struct lp_decisions *d, const json_t *ev)
{
	const char *id = json_string_value(json_object_get(ev, "id"));

	if (id == NULL || strlen(id) != 1 || id[0] < 'a' ||
	    (size_t)(id[0] - 'a') >= d->n)
		return d->n;
	return (size_t)(id[0] - 'a');
}

static int
same(const struct lp_decision *x, const struct lp_decision *y)
{
	return x->state == y->state &&
	    (x->label == y->label || json_equal(x->label, y->label)) &&
	    ((x->correction == NULL && y->correction == NULL) ||
		(x->correction && y->correction &&
		    strcmp(x->correction, y->correction) == 0)) &&
	    ((x->draft == NULL && y->draft == NULL) ||
		(x->draft && y->draft && strcmp(x->draft, y->draft) == 0)) &&
	    x->ttl_ms == y->ttl_ms && x->at == y->at;
}

/* Replaying the log of a session gives the state the session had. */
TEST(replay_gives_the_same_state)
{
	struct lp_decisions d, r;
	struct lp_error err = LP_ERROR_INIT;
	json_t *log = json_array(), *ev;
	size_t i;

	lp_decisions_init(&d);
	lp_decisions_init(&r);
	for (i = 0; i < 3; i++) {
		lp_decisions_add(&d);
		lp_decisions_add(&r);
	}
	json_array_append_new(
	    log, json_pack("{s:s,s:s}", "event", "start", "queue", "Q"));
	apply(&d, log, 0, ev_label("a", 4, NULL, 1));
	apply(&d, log, 1, ev_label("b", 2, NULL, 2));
	apply(&d, log, 1, ev_label("b", 3, "x", 3));
	lp_decisions_undo(&d);
	json_array_append_new(log, lp_decision_undo_event("b", 4));
	lp_decisions_draft(&d, 2, "typed");
	json_array_append_new(log, lp_decision_draft_event("c", "typed", 5));
	/* An id not in the queue changes nothing. */
	json_array_append_new(log, ev_label("zz", 1, NULL, 6));
	json_array_foreach (log, i, ev)
		assert_eq_int(
		    lp_decisions_replay(&r, ev, item_of(&r, ev), "Q", &err),
		    LP_OK);
	for (i = 0; i < 3; i++)
		assert_true(same(&d.item[i], &r.item[i]));
	assert_eq_int(label_of(&r, 1), 2);
	assert_eq_str(r.item[2].draft, "typed");
	assert_eq_int(r.nsteps, d.nsteps);
	/* The log of another queue is refused. */
	assert_eq_int(
	    lp_decisions_replay(&r, json_array_get(log, 0), r.n, "other", &err),
	    LP_FAILED);
	assert_eq_str(err.msg,
	    "this session is for another queue (other items or order); give "
	    "another --session");
	json_decref(log);
	lp_decisions_release(&d);
	lp_decisions_release(&r);
}

TEST(event_and_label_bytes)
{
	struct lp_decisions d;
	struct lp_taxonomy tax;
	struct lp_error err;
	json_t *ev, *l = json_integer(3), *e, *old, *with;
	char *s;

	assert_eq_int(builtin_taxonomy(&tax, &err), LP_OK);
	ev = lp_decision_event("a", l, "c", NULL, 8421, 1500, 1764028800000);
	s = json_dumps(ev, JSON_COMPACT);
	assert_eq_str(s,
	    "{\"event\":\"decision\",\"id\":\"a\",\"status\":\"submitted\","
	    "\"label\":3,\"correction\":\"c\",\"note\":null,"
	    "\"time_to_label_ms\":8421,\"paused_ms\":1500,"
	    "\"at\":1764028800000}");
	free(s);
	lp_decisions_init(&d);
	lp_decisions_add(&d);
	assert_true(lp_decision_label(&d.item[0], "al", 1, &tax) == NULL);
	lp_decisions_apply(&d, 0, ev);
	e = lp_decision_label(&d.item[0], "al", 2, &tax);
	old = json_loads("[{\"annotator_id\":\"al\",\"round\":2},"
			 "{\"annotator_id\":\"al\",\"round\":1},"
			 "{\"annotator_id\":\"bo\",\"round\":2}]",
	    0, NULL);
	with = lp_decision_labels_with(old, "al", 2, e);
	s = json_dumps(with, JSON_COMPACT);
	assert_eq_str(s,
	    "[{\"annotator_id\":\"al\",\"round\":1},{\"annotator_id\":\"bo\","
	    "\"round\":2},{\"annotator_id\":\"al\",\"round\":2,\"status\":"
	    "\"submitted\",\"label\":3,\"correction\":\"c\",\"note\":null,"
	    "\"time_to_label_ms\":8421,\"paused\":true,\"paused_ms\":1500,"
	    "\"at\":1764028800000,\"guidelines_version\":\"guide-1\","
	    "\"taxonomy_version\":\"taxonomy-1\"}]");
	free(s);
	json_decref(with);
	json_decref(old);
	json_decref(ev);
	json_decref(l);
	lp_decisions_release(&d);
	lp_taxonomy_release(&tax);
}

RUN_TESTS()
