/*
 * A review session's log: append-only JSON Lines, one event per line, each
 * written whole and fsync'ed before the tool goes on, so a crash (SIGKILL
 * included) loses at most the event being written.  A lock keeps a second
 * process off the same log.  What the events mean is not this module's
 * business (review/decision.h replays them); it only keeps them safe.
 *
 * The session owns its descriptor and path; err holds the reason of the
 * last call that failed.
 */
#ifndef LP_SESSION_H
#define LP_SESSION_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

struct lp_session {
	int fd;
	char *path;
	unsigned long lines; /* events in the log */
	int batch; /* set: appends are not synced one by one (lp_session_sync)
		    */
	int torn;  /* open cut off a last line a crash had cut short */
	struct lp_error err;
};

/*
 * Open (creating it and its folder) and lock the log at path, and replay
 * it: each(arg, event, line, err) for every event in order (the event is
 * borrowed), which returns LP_OK, or LP_FAILED with err saying why the log
 * cannot be used.  A last line cut short by a crash is cut off
 * and s->torn set: the log is whole again.  LP_OK; LP_FAILED when the log
 * holds what cannot be used ("path:line: why": damage before its end, or
 * what each refused); LP_FATAL when it cannot be opened, locked (in use by
 * another process), read or mended.  s->err says why.
 */
/*
 * Where annotator id's session log on the queue with digest hex goes
 * unless told, into path: ".lp-label-ID-DIGEST.log" beside output when
 * that is a file (not NULL or "-"), else "ID-DIGEST.log" in
 * state_home/labelpipe ($XDG_STATE_HOME, when absolute) or
 * home/.local/state/labelpipe: never the current directory's business.
 * LP_OK, or LP_FAILED with err when neither directory is known.
 */
int lp_session_default_path(struct lp_buf *path, const char *output,
    const char *state_home, const char *home, const char *id, const char *hex,
    struct lp_error *err);
int lp_session_open(struct lp_session *s, const char *path,
    int (*each)(
	void *arg, json_t *event, unsigned long line, struct lp_error *err),
    void *arg);
/* Append an event and fsync (unless batch).  LP_OK, or LP_FAILED (s->err). */
int lp_session_append(struct lp_session *s, const json_t *event);
/* Flush what batch appends wrote.  LP_OK, or LP_FAILED (s->err). */
int lp_session_sync(struct lp_session *s);
/* Unlock and close; s may then be opened again. */
void lp_session_close(struct lp_session *s);

#endif
