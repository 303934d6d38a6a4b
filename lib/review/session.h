/*
 * A review session's log: append-only JSON Lines, one event per line, each
 * written whole and fsync'ed before the tool goes on, so a crash (SIGKILL
 * included) loses at most the event being written.  A lock keeps a second
 * process off the same log.
 */
#ifndef LP_SESSION_H
#define LP_SESSION_H

#include <jansson.h>
#include <stddef.h>

struct lp_session {
	int fd;
	char *path;
	unsigned long lines; /* events in the log */
	int batch; /* set: appends are not synced one by one (lp_session_sync)
		    */
};

/*
 * Open (creating it and its folder) and lock the log at path, and replay
 * it: each(arg, event, line) for every event in order (the event is
 * borrowed).  A last line cut short by a crash is cut off and counted in
 * *torn (0 or 1): the log is whole again.  LP_OK; LP_FAILED with err
 * ("path:line: why", or why the log cannot be used: in use by another
 * process, unreadable, damaged before its end).
 */
int lp_session_open(struct lp_session *s, const char *path,
    void (*each)(void *arg, json_t *event, unsigned long line), void *arg,
    int *torn, char *err, size_t errlen);
/* Append an event and fsync (unless batch).  LP_OK, or LP_FAILED with err. */
int lp_session_append(
    struct lp_session *s, const json_t *event, char *err, size_t errlen);
/* Flush what batch appends wrote.  LP_OK, or LP_FAILED with err. */
int lp_session_sync(struct lp_session *s, char *err, size_t errlen);
void lp_session_close(struct lp_session *s);

#endif
