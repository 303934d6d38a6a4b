#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"
#include "review/session.h"
#include "fixture.h"
#include "test.h"

static void
append_raw(const char *path, const char *text)
{
	FILE *f = fopen(path, "ab");

	fputs(text, f);
	fclose(f);
}

/* Collect the replayed events into the array arg. */
static int
collect(void *arg, json_t *ev, unsigned long line, struct lp_error *err)
{
	(void)line;
	(void)err;
	json_array_append((json_t *)arg, ev);
	return LP_OK;
}

static int
open_log(struct lp_session *s, const char *path, json_t **ev)
{
	int rc;

	*ev = json_array();
	rc = lp_session_open(s, path, collect, *ev);
	if (rc != LP_OK) {
		json_decref(*ev);
		*ev = NULL;
	}
	return rc;
}

TEST(append_and_read_back)
{
	struct lp_session s;
	json_t *ev, *e;

	/* The folder is made on the way. */
	assert_eq_int(open_log(&s, path_in("a/b/one.log"), &ev), LP_OK);
	assert_eq_int((long long)json_array_size(ev), 0);
	json_decref(ev);
	e = json_pack("{s:s,s:i}", "event", "decision", "label", 4);
	assert_eq_int(lp_session_append(&s, e), LP_OK);
	assert_eq_int(lp_session_append(&s, e), LP_OK);
	json_decref(e);
	lp_session_close(&s);
	assert_eq_int(open_log(&s, path_in("a/b/one.log"), &ev), LP_OK);
	assert_eq_int((long long)json_array_size(ev), 2);
	assert_eq_int(s.torn, 0);
	assert_eq_int(
	    json_integer_value(json_object_get(json_array_get(ev, 1), "label")),
	    4);
	json_decref(ev);
	lp_session_close(&s);
}

TEST(one_process_at_a_time)
{
	struct lp_session s, t;
	json_t *ev;

	assert_eq_int(open_log(&s, path_in("lock.log"), &ev), LP_OK);
	json_decref(ev);
	assert_eq_int(open_log(&t, path_in("lock.log"), &ev), LP_FATAL);
	assert_true(
	    strstr(t.err.msg, "lock.log: in use by another lp-label") != NULL);
	lp_session_close(&s);
	assert_eq_int(open_log(&t, path_in("lock.log"), &ev), LP_OK);
	json_decref(ev);
	lp_session_close(&t);
}

/* A crash cut the last line short: it goes, the rest stays. */
TEST(torn_last_line_is_cut)
{
	struct lp_session s;
	json_t *ev, *e = json_pack("{s:s}", "event", "undo");
	const char *p = path_in("torn.log");

	append_raw(p, "{\"event\":\"start\"}\n{\"event\":\"deci");
	assert_eq_int(open_log(&s, p, &ev), LP_OK);
	assert_eq_int(s.torn, 1);
	assert_eq_int((long long)json_array_size(ev), 1);
	assert_eq_int(file_size(p), 18);
	/* New events follow the last whole line. */
	assert_eq_int(lp_session_append(&s, e), LP_OK);
	json_decref(ev);
	lp_session_close(&s);
	assert_eq_int(open_log(&s, p, &ev), LP_OK);
	assert_eq_int(s.torn, 0);
	assert_eq_int((long long)json_array_size(ev), 2);
	json_decref(ev);
	json_decref(e);
	lp_session_close(&s);
	/* A whole line that is not JSON, at the end, is torn too. */
	append_raw(p, "{\"event\n");
	assert_eq_int(open_log(&s, p, &ev), LP_OK);
	assert_eq_int(s.torn, 1);
	json_decref(ev);
	lp_session_close(&s);
}

/* Damage before the end is not a crash: refuse, naming the line. */
TEST(damage_inside_is_refused)
{
	struct lp_session s;
	json_t *ev;
	char want[512];
	const char *p = path_in("bad.log");

	append_raw(
	    p, "{\"event\":\"start\"}\nnot json\n{\"event\":\"undo\"}\n");
	assert_eq_int(open_log(&s, p, &ev), LP_FAILED);
	snprintf(want, sizeof(want),
	    "%s:2: not a session event (the log is damaged before its end; "
	    "lp-label will not guess)",
	    p);
	assert_eq_str(s.err.msg, want);
	assert_true(ev == NULL);
	/* Nothing was cut. */
	assert_eq_int(file_size(p), 44);
}

TEST(unusable_path)
{
	struct lp_session s;
	json_t *ev;

	assert_eq_int(open_log(&s, "/proc/nope/x.log", &ev), LP_FATAL);
	assert_true(strstr(s.err.msg, "/proc/nope/x.log: ") == s.err.msg);
}

/* Refuses every event after the first. */
static int
refuse(void *arg, json_t *ev, unsigned long line, struct lp_error *err)
{
	(void)arg;
	(void)ev;
	return line > 1 ? lp_error_set(err, "not for this queue") : LP_OK;
}

/* What the replay refuses stops the open, naming the line. */
TEST(replay_can_refuse)
{
	struct lp_session s;
	char want[512];
	const char *p = path_in("refused.log");

	append_raw(p, "{\"event\":\"start\"}\n{\"event\":\"undo\"}\n");
	assert_eq_int(lp_session_open(&s, p, refuse, NULL), LP_FAILED);
	snprintf(want, sizeof(want), "%s:2: not for this queue", p);
	assert_eq_str(s.err.msg, want);
	assert_eq_int(s.fd, -1);
}

/* Beside the output file, else in the state directory; never "./". */
TEST(default_path)
{
	static const char hex[] = "0123456789abcdef0123";
	struct lp_buf p = LP_BUF_INIT;
	struct lp_error err;

	assert_eq_int(lp_session_default_path(&p, "out/x/a.jsonl.gz", "/s",
			  "/h", "alice", hex, &err),
	    LP_OK);
	assert_eq_str(p.p, "out/x/.lp-label-alice-0123456789ab.log");
	lp_buf_reset(&p);
	assert_eq_int(lp_session_default_path(
			  &p, "a.jsonl", "/s", "/h", "alice", hex, &err),
	    LP_OK);
	assert_eq_str(p.p, ".lp-label-alice-0123456789ab.log");
	lp_buf_reset(&p);
	assert_eq_int(
	    lp_session_default_path(&p, NULL, "/s", "/h", "alice", hex, &err),
	    LP_OK);
	assert_eq_str(p.p, "/s/labelpipe/alice-0123456789ab.log");
	lp_buf_reset(&p);
	assert_eq_int(
	    lp_session_default_path(&p, "-", "rel", "/h", "bob", hex, &err),
	    LP_OK);
	assert_eq_str(p.p, "/h/.local/state/labelpipe/bob-0123456789ab.log");
	lp_buf_reset(&p);
	assert_eq_int(
	    lp_session_default_path(&p, NULL, NULL, NULL, "bob", hex, &err),
	    LP_FAILED);
	assert_eq_str(err.msg,
	    "no HOME or XDG_STATE_HOME for the session log; "
	    "give --session FILE");
	lp_buf_release(&p);
}

RUN_TESTS()
