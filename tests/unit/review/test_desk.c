#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/data.h"
#include "review/desk.h"
#include "fixture.h"
#include "test.h"

static struct lp_taxonomy tax;

/* The world of a test: keys to type, a clock, what was drawn, audited. */
static const int *script;
static double now, step = 2; /* seconds each key takes */
static struct lp_buf screen;
static int naudit, stopped;
static const char *edit_text; /* what the line editor gives back */
static int edit_result;

static int
key(void)
{
	now += step;
	return *script != 0 ? *script++ : LP_DESK_STOP;
}

static double
clock_(void)
{
	return now;
}

static void
size(int *rows, int *cols)
{
	*rows = 24;
	*cols = 80;
}

static void
write_(const char *p, size_t n)
{
	lp_buf_reset(&screen);
	lp_buf_add(&screen, p, n);
}

static int
edit(struct lp_desk *d, const char *prompt, const char *text, char **out)
{
	(void)d;
	(void)prompt;
	(void)text;
	*out = edit_text != NULL ? lp_xstrdup(edit_text) : NULL;
	return edit_result;
}

static char *
editor(const char *text, struct lp_error *err)
{
	(void)text;
	lp_error_set(err, "the editor (false) failed; nothing changed");
	return NULL;
}

static void
stop(void)
{
	stopped = 1;
}

static long long
now_ms(void *arg)
{
	(void)arg;
	return 1700000000000LL;
}

static void
audit(void *arg, const char *kind, json_t *fields)
{
	(void)arg;
	(void)kind;
	naudit++;
	json_decref(fields);
}

/* A queue of items a, b, c and a desk on it with the log at path. */
static void
open_desk(struct lp_queue *q, struct lp_desk *d, const char *path)
{
	static const char *ids[] = {"a", "b", "c"};
	const struct lp_desk_io io = {
	    key, clock_, size, write_, edit, editor, stop, now_ms, audit, NULL};
	size_t i;

	lp_queue_init(q, 0);
	for (i = 0; i < 3; i++) {
		struct lp_record rec;
		char line[128];

		snprintf(line, sizeof(line),
		    "{\"id\":\"%s\",\"translation\":{\"text\":\"t%s\"}}",
		    ids[i], ids[i]);
		lp_record_init(&rec);
		assert_eq_int(lp_record_parse(&rec, line, strlen(line)), LP_OK);
		lp_queue_add(q, ids[i], &rec);
		lp_record_release(&rec);
	}
	memset(d, 0, sizeof(*d));
	d->q = q;
	d->tax = &tax;
	d->annotator = "al";
	d->round = 1;
	d->pause_ms = 120000;
	d->io = io;
	assert_eq_int(lp_desk_open(d, path), LP_OK);
}

static void
close_desk(struct lp_queue *q, struct lp_desk *d)
{
	lp_desk_close(d);
	lp_queue_release(q);
}

static long long
label(const struct lp_queue *q, size_t i)
{
	return q->dec.item[i].label ? json_integer_value(q->dec.item[i].label)
				    : -1;
}

static int
shows(const char *s)
{
	return screen.p != NULL && strstr(screen.p, s) != NULL;
}

/* Keys decide; the log replays to the same decisions. */
TEST(keys_decide_and_the_log_replays)
{
	static const int keys[] = {'x', '4', 's', 'a', 0};
	struct lp_queue q;
	struct lp_desk d;
	const char *p = path_in("one.log");

	open_desk(&q, &d, p);
	script = keys;
	naudit = 0;
	assert_eq_int(lp_desk_run(&d), LP_OK);
	assert_eq_int(label(&q, 0), 4);
	assert_eq_int(q.dec.item[0].ttl_ms, 4000); /* two keys, 2 s each */
	assert_eq_int(q.dec.item[1].state, LP_DECISION_SKIPPED);
	assert_eq_int(label(&q, 2), 4); /* a: accept is 4 */
	assert_eq_int(naudit, 3);
	assert_true(shows("item 3 of 3  (2 done)"));
	close_desk(&q, &d);
	open_desk(&q, &d, p);
	assert_eq_int(label(&q, 0), 4);
	assert_eq_int(q.dec.item[1].state, LP_DECISION_SKIPPED);
	assert_eq_int(label(&q, 2), 4);
	assert_eq_int(lp_desk_run(&d), LP_OK); /* nothing left to do */
	close_desk(&q, &d);
}

/*
 * A gap longer than the pause counts up to the pause, then the rest is
 * left out: 6 s on an item with a 2 s pause is 2000 ms, plus the active
 * time of the next key.
 */
TEST(pause_caps_the_time_to_label)
{
	struct lp_queue q;
	struct lp_desk d;

	open_desk(&q, &d, path_in("pause.log"));
	d.pause_ms = 2000;
	script = (const int[]){'4', 0};
	step = 6;
	assert_eq_int(lp_desk_run(&d), LP_FAILED);
	assert_eq_int(q.dec.item[0].ttl_ms, 2000);
	assert_eq_int(q.dec.item[0].paused_ms, 4000);
	close_desk(&q, &d);
	open_desk(&q, &d, path_in("pause2.log"));
	d.pause_ms = 2000;
	script = (const int[]){'x', '4', 0};
	step = 6;
	assert_eq_int(lp_desk_run(&d), LP_FAILED);
	assert_eq_int(q.dec.item[0].ttl_ms, 4000); /* two gaps, capped */
	close_desk(&q, &d);
	step = 2;
}

/* Moving back and deciding again; undo brings the first decision back. */
TEST(second_look_and_undo)
{
	static const int keys[] = {'4', '2', LP_DESK_PREV, LP_DESK_PREV,
	    LP_DESK_PREV, '1', 'u', 'u', 'q', 0};
	struct lp_queue q;
	struct lp_desk d;

	open_desk(&q, &d, path_in("two.log"));
	script = keys;
	assert_eq_int(lp_desk_run(&d), LP_EOF);
	/* a: 4, then 1 on a second look, undone to 4; b: 2, undone. */
	assert_eq_int(label(&q, 0), 4);
	assert_eq_int(q.dec.item[1].state, LP_DECISION_OPEN);
	assert_true(shows("item 2 of 3  (1 done)"));
	close_desk(&q, &d);
}

TEST(hints)
{
	static const int keys[] = {'x', LP_DESK_OTHER, LP_DESK_PREV, 'u', 'e'};
	static const char *want[] = {"'x' does nothing here; ? shows the guide",
	    "that key does nothing here; ? shows the guide",
	    "this is the first item", "nothing to undo in this session",
	    "the editor (false) failed; nothing changed"};
	struct lp_queue q;
	struct lp_desk d;
	size_t i;

	open_desk(&q, &d, path_in("hints.log"));
	for (i = 0; i < 5; i++) {
		int k[] = {keys[i], 'q', 0};

		/* The last frame, before q, shows the hint. */
		script = k;
		assert_eq_int(lp_desk_run(&d), LP_EOF);
		assert_true(shows(want[i]));
	}
	close_desk(&q, &d);
}

/* A correction being typed when a stop comes is kept as a draft. */
TEST(stop_keeps_a_draft)
{
	static const int keys[] = {'c', 0};
	struct lp_queue q;
	struct lp_desk d;
	const char *p = path_in("draft.log");

	open_desk(&q, &d, p);
	script = keys;
	edit_text = "half done";
	edit_result = LP_DESK_EDIT_STOP;
	assert_eq_int(lp_desk_run(&d), LP_FAILED);
	assert_eq_str(q.dec.item[0].draft, "half done");
	close_desk(&q, &d);
	open_desk(&q, &d, p);
	assert_eq_str(q.dec.item[0].draft, "half done");
	/* Kept with Enter, then decided: the correction goes with it. */
	script = (const int[]){'c', '3', 'q', 0};
	edit_text = "whole";
	edit_result = LP_DESK_EDIT_DONE;
	assert_eq_int(lp_desk_run(&d), LP_EOF);
	assert_eq_str(q.dec.item[0].correction, "whole");
	assert_true(q.dec.item[0].draft == NULL);
	close_desk(&q, &d);
	edit_text = NULL;
}

TEST(guide_and_stop_in_it)
{
	struct lp_queue q;
	struct lp_desk d;

	open_desk(&q, &d, path_in("guide.log"));
	script = (const int[]){'?', LP_DESK_REDRAW, 'z', 'q', 0};
	stopped = 0;
	assert_eq_int(lp_desk_run(&d), LP_EOF);
	assert_eq_int(stopped, 0);
	script = (const int[]){'?', LP_DESK_STOP, 0};
	assert_eq_int(lp_desk_run(&d), LP_FAILED);
	assert_eq_int(stopped, 1);
	close_desk(&q, &d);
}

int
main(int argc, char **argv)
{
	int rc = run_tests_with_taxonomy(&tax, argc, argv);

	lp_taxonomy_release(&tax);
	lp_buf_release(&screen);
	return rc;
}
