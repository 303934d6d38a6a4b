/*
 * Session logs.  Recovery is deliberately narrow: only the last line may be
 * damaged (the one a crash can cut short); damage anywhere else means the
 * file was edited or the disk lost data, and the tool must not guess.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/status.h"
#include "core/json.h"
#include "core/buf.h"
#include "review/session.h"
#include "core/file.h"

/* Read and replay the log; on failure the caller closes. */
static int
replay(struct lp_session *s, const char *path,
    int (*each)(
	void *arg, json_t *event, unsigned long line, struct lp_error *err),
    void *arg)
{
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	off_t good = 0;
	unsigned long ln = 0, bad = 0;
	int fd, rc = LP_OK;

	/* Read line by line: a log is as long as a review. */
	if ((fd = dup(s->fd)) < 0 || (f = fdopen(fd, "r")) == NULL) {
		lp_error_set(&s->err, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return LP_FATAL;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *ev = NULL;

		ln++;
		if (bad) {
			rc = lp_error_set(&s->err,
			    "%s:%lu: not a session event (the log is "
			    "damaged before its end; lp-label will not "
			    "guess)",
			    path, bad);
			goto done;
		}
		if (line[n - 1] == '\n')
			ev = lp_json_load(line, (size_t)n - 1, 0, &je);
		if (!json_is_object(ev)) {
			/* Torn if it is the last line: a crash cut it. */
			json_decref(ev);
			bad = ln;
			continue;
		}
		rc = each(arg, ev, ln, &s->err);
		json_decref(ev);
		if (rc != LP_OK) {
			lp_error_prefix(&s->err, "%s:%lu", path, ln);
			rc = LP_FAILED;
			goto done;
		}
		good += n;
		s->lines++;
	}
	if (ferror(f)) {
		lp_error_set(&s->err, "%s: %s", path, strerror(errno));
		rc = LP_FATAL;
	} else if (bad) {
		s->torn = 1;
		if (ftruncate(s->fd, good) != 0 || fsync(s->fd) != 0) {
			lp_error_set(&s->err,
			    "%s: cannot cut the torn last line: %s", path,
			    strerror(errno));
			rc = LP_FATAL;
		}
	}
done:
	fclose(f);
	free(line);
	return rc;
}

int
lp_session_default_path(struct lp_buf *path, const char *output,
    const char *state_home, const char *home, const char *id, const char *hex,
    struct lp_error *err)
{
	const char *slash;

	if (output != NULL && strcmp(output, "-") != 0) {
		if ((slash = strrchr(output, '/')) != NULL)
			lp_buf_add(path, output, (size_t)(slash - output) + 1);
		lp_buf_addf(path, ".lp-label-%s-%.12s.log", id, hex);
		return LP_OK;
	}
	/* The XDG spec: a relative path there is to be ignored. */
	if (state_home != NULL && state_home[0] == '/')
		lp_buf_addf(path, "%s/labelpipe/", state_home);
	else if (home != NULL && home[0] == '/')
		lp_buf_addf(path, "%s/.local/state/labelpipe/", home);
	else
		return lp_error_set(err,
		    "no HOME or XDG_STATE_HOME for the "
		    "session log; give --session FILE");
	lp_buf_addf(path, "%s-%.12s.log", id, hex);
	return LP_OK;
}

int
lp_session_open(struct lp_session *s, const char *path,
    int (*each)(
	void *arg, json_t *event, unsigned long line, struct lp_error *err),
    void *arg)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	lp_make_parents(path);
	if ((s->fd = lp_file_open(path, O_RDWR | O_APPEND, LP_FILE_PRIVATE)) <
	    0) {
		lp_error_set(&s->err, "%s: %s", path, lp_file_strerror(errno));
		return LP_FATAL;
	}
	if (flock(s->fd, LOCK_EX | LOCK_NB) != 0) {
		lp_error_set(&s->err, "%s: %s", path,
		    errno == EWOULDBLOCK ? "in use by another lp-label"
					 : strerror(errno));
		close(s->fd);
		s->fd = -1;
		return LP_FATAL;
	}
	if ((rc = replay(s, path, each, arg)) != LP_OK) {
		close(s->fd);
		s->fd = -1;
		return rc;
	}
	s->path = lp_xstrdup(path);
	return LP_OK;
}

int
lp_session_append(struct lp_session *s, const json_t *event)
{
	char *text = json_dumps(event, JSON_COMPACT);
	size_t n = strlen(text);

	/* One write for the whole line: O_APPEND puts it at the end. */
	text = lp_xrealloc(text, n + 2);
	text[n++] = '\n';
	text[n] = '\0';
	if (lp_write_all(s->fd, text, n) != 0) {
		lp_error_set(&s->err, "%s: %s", s->path, strerror(errno));
		free(text);
		return LP_FAILED;
	}
	free(text);
	s->lines++;
	return s->batch ? LP_OK : lp_session_sync(s);
}

int
lp_session_sync(struct lp_session *s)
{
	if (fsync(s->fd) != 0)
		return lp_error_set(
		    &s->err, "%s: %s", s->path, strerror(errno));
	return LP_OK;
}

void
lp_session_close(struct lp_session *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}
