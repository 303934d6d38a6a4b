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
#include <sys/stat.h>
#include <unistd.h>

#include "lp/lp.h"
#include "lp/buf.h"
#include "lp/session.h"

/* mkdir -p of the folder part of path. */
static int
make_folder(const char *path)
{
	char *d = lp_xstrdup(path), *p;
	int rc = 0;

	for (p = d + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(d, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(d);
	return rc;
}

static int
read_all(int fd, struct lp_buf *b)
{
	char tmp[65536];
	ssize_t n;

	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		lp_buf_add(b, tmp, (size_t)n);
	}
	return 0;
}

int
lp_session_open(struct lp_session *s, const char *path, json_t **events,
    int *torn, char *err, size_t errlen)
{
	struct lp_buf b = LP_BUF_INIT;
	size_t at = 0, good = 0;
	unsigned long line = 0;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	*torn = 0;
	*events = json_array();
	make_folder(path);
	if ((s->fd = open(
		 path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto bad;
	}
	if (flock(s->fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errlen, "%s: %s", path,
		    errno == EWOULDBLOCK ? "in use by another lp-label"
					 : strerror(errno));
		goto bad;
	}
	if (read_all(s->fd, &b) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto bad;
	}
	while (at < b.len) {
		char *nl = memchr(b.p + at, '\n', b.len - at);
		size_t end = nl != NULL ? (size_t)(nl - b.p) : b.len;
		json_error_t je;
		json_t *ev = NULL;

		line++;
		if (nl != NULL)
			ev = json_loadb(b.p + at, end - at, 0, &je);
		if (!json_is_object(ev)) {
			json_decref(ev);
			/* Torn: the last line, cut short by a crash. */
			if (nl == NULL || end + 1 == b.len) {
				*torn = 1;
				break;
			}
			snprintf(err, errlen,
			    "%s:%lu: not a session event (the log is "
			    "damaged before its end; lp-label will not "
			    "guess)",
			    path, line);
			goto bad;
		}
		json_array_append_new(*events, ev);
		at = good = end + 1;
	}
	if (*torn &&
	    (ftruncate(s->fd, (off_t)good) != 0 || fsync(s->fd) != 0)) {
		snprintf(err, errlen, "%s: cannot cut the torn last line: %s",
		    path, strerror(errno));
		goto bad;
	}
	s->lines = (unsigned long)json_array_size(*events);
	s->path = lp_xstrdup(path);
	lp_buf_release(&b);
	return LP_OK;
bad:
	lp_buf_release(&b);
	json_decref(*events);
	*events = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	return LP_FAILED;
}

int
lp_session_append(
    struct lp_session *s, const json_t *event, char *err, size_t errlen)
{
	char *text = json_dumps(event, JSON_COMPACT);
	size_t n = strlen(text), done = 0;

	/* One write for the whole line: O_APPEND puts it at the end. */
	text = lp_xrealloc(text, n + 2);
	text[n++] = '\n';
	text[n] = '\0';
	while (done < n) {
		ssize_t w = write(s->fd, text + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(
			    err, errlen, "%s: %s", s->path, strerror(errno));
			free(text);
			return LP_FAILED;
		}
		done += (size_t)w;
	}
	free(text);
	if (fsync(s->fd) != 0) {
		snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
		return LP_FAILED;
	}
	s->lines++;
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
