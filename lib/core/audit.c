#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/status.h"
#include "core/clock.h"
#include "core/audit.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/json.h"

static const char genesis[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

int
lp_audit_open(
    struct lp_audit *a, const char *path, const char *tool, const char *run_id)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	memset(a, 0, sizeof(*a));
	a->tool = tool;
	a->run_id = run_id;
	if (sde != NULL && *sde != '\0') {
		a->fixed_time = 1;
		a->epoch_ms = strtoll(sde, NULL, 10) * 1000;
	}
	a->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (a->fd < 0) {
		snprintf(a->err, sizeof(a->err),
		    "cannot open audit log '%s': %s", path, strerror(errno));
		return LP_FATAL;
	}
	a->path = lp_xstrdup(path);
	return LP_OK;
}

/*
 * The last line of the file (without its newline) into b.  Reads backwards, so
 * cost follows the last line, not the log.
 */
static int
last_line(int fd, struct lp_buf *b)
{
	struct stat st;
	off_t end, pos;
	char chunk[4096];

	lp_buf_reset(b);
	if (fstat(fd, &st) != 0)
		return LP_FATAL;
	end = st.st_size;
	if (end > 0) {
		char c;

		if (pread(fd, &c, 1, end - 1) != 1)
			return LP_FATAL;
		if (c == '\n')
			end--;
	}
	pos = end;
	while (pos > 0) {
		size_t k =
		    pos > (off_t)sizeof(chunk) ? sizeof(chunk) : (size_t)pos;
		char *nl;

		if (pread(fd, chunk, k, pos - (off_t)k) != (ssize_t)k)
			return LP_FATAL;
		pos -= (off_t)k;
		nl = NULL;
		for (size_t i = k; i > 0; i--)
			if (chunk[i - 1] == '\n') {
				nl = chunk + i - 1;
				break;
			}
		if (nl != NULL) {
			pos += (off_t)(nl - chunk) + 1;
			break;
		}
	}
	lp_buf_grow(b, (size_t)(end - pos));
	if (end > pos &&
	    pread(fd, b->p, (size_t)(end - pos), pos) != (ssize_t)(end - pos))
		return LP_FATAL;
	b->len = (size_t)(end - pos);
	b->p[b->len] = '\0';
	return LP_OK;
}

int
lp_audit_event(struct lp_audit *a, const char *kind, json_t *fields)
{
	struct lp_buf last = LP_BUF_INIT, line = LP_BUF_INIT;
	json_t *ev, *prev_seq;
	char hex[65], when[80];
	long long ms, seq = 1;
	struct timespec ts;
	int rc = LP_OK;

	if (a->fixed_time)
		ms = a->epoch_ms;
	else {
		clock_gettime(CLOCK_REALTIME, &ts);
		ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	lp_iso_time(ms, when, sizeof(when));
	if (flock(a->fd, LOCK_EX) != 0) {
		snprintf(a->err, sizeof(a->err), "cannot lock '%s': %s",
		    a->path, strerror(errno));
		json_decref(fields);
		return LP_FATAL;
	}
	if (last_line(a->fd, &last) != LP_OK) {
		snprintf(a->err, sizeof(a->err), "cannot read '%s': %s",
		    a->path, strerror(errno));
		rc = LP_FATAL;
		goto out;
	}
	if (last.len > 0) {
		json_t *prev = lp_json_load(last.p, last.len, 0, NULL);

		lp_sha256_hex(last.p, last.len, hex);
		if ((prev_seq = json_object_get(prev, "seq")) != NULL)
			seq = json_integer_value(prev_seq) + 1;
		json_decref(prev);
	} else
		memcpy(hex, genesis, sizeof(genesis));
	ev = json_pack("{s:I,s:s,s:s,s:s,s:s}", "seq", (json_int_t)seq, "at",
	    when, "event", kind, "tool", a->tool, "run_id", a->run_id);
	if (fields != NULL) {
		json_object_update(ev, fields);
		json_decref(fields);
		fields = NULL;
	}
	json_object_set_new(ev, "prev", json_string(hex));
	lp_json_dump(ev, &line);
	lp_buf_addc(&line, '\n');
	json_decref(ev);
	/* One write(2) under the lock: no other appender can come between. */
	if (write(a->fd, line.p, line.len) != (ssize_t)line.len) {
		snprintf(a->err, sizeof(a->err), "cannot write '%s': %s",
		    a->path, strerror(errno));
		rc = LP_FATAL;
	}
out:
	flock(a->fd, LOCK_UN);
	json_decref(fields);
	lp_buf_release(&last);
	lp_buf_release(&line);
	return rc;
}

void
lp_audit_close(struct lp_audit *a)
{
	if (a->fd >= 0)
		close(a->fd);
	free(a->path);
	a->path = NULL;
	a->fd = -1;
}

/*
 * Whether the audit line no (NUL-terminated, n bytes) carries the hash of
 * the line before, prev.  LP_FAILED with err naming the line if not.
 */
static int
check_line(const char *line, size_t n, unsigned long no, const char *prev,
    struct lp_error *err)
{
	json_t *ev = lp_json_load(line, n, 0, NULL);
	const char *p = json_string_value(json_object_get(ev, "prev"));
	int rc = LP_OK;

	if (p == NULL)
		rc = lp_error_set(err, "line %lu is not an audit event", no);
	else if (strcmp(p, prev) != 0)
		rc = lp_error_set(err,
		    "line %lu: hash chain broken: 'prev' does not match the "
		    "line before (edited, inserted or deleted line)",
		    no);
	json_decref(ev);
	return rc;
}

int
lp_audit_verify(const char *path, unsigned long *lineno, struct lp_error *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	char prev[65];
	unsigned long no = 0;
	int rc = LP_OK;

	*lineno = 0;
	if ((f = fopen(path, "r")) == NULL) {
		lp_error_set(
		    err, "cannot open '%s': %s", path, strerror(errno));
		return LP_FATAL;
	}
	memcpy(prev, genesis, sizeof(genesis));
	while ((n = getline(&line, &cap, f)) > 0) {
		no++;
		if (line[n - 1] != '\n') {
			rc = lp_error_set(
			    err, "line %lu is not terminated (torn write)", no);
			break;
		}
		line[--n] = '\0';
		if ((rc = check_line(line, (size_t)n, no, prev, err)) != LP_OK)
			break;
		lp_sha256_hex(line, (size_t)n, prev);
	}
	if (rc != LP_OK)
		*lineno = no;
	else if (ferror(f)) {
		lp_error_set(
		    err, "cannot read '%s': %s", path, strerror(errno));
		rc = LP_FATAL;
	}
	free(line);
	fclose(f);
	return rc;
}

static int
is_secret(const char *opt)
{
	static const char *const words[] = {
	    "key", "token", "secret", "password", "passwd", "auth"};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(opt, words[i]) != NULL)
			return 1;
	return 0;
}

json_t *
lp_audit_argv(int argc, char **argv)
{
	json_t *a = json_array();
	int i, hide_next = 0;

	for (i = 0; i < argc; i++) {
		const char *s = argv[i];
		const char *eq;

		if (hide_next) {
			json_array_append_new(a, json_string("***"));
			hide_next = 0;
			continue;
		}
		if (strncmp(s, "--", 2) == 0 && is_secret(s)) {
			if ((eq = strchr(s, '=')) != NULL) {
				json_array_append_new(a,
				    json_sprintf("%.*s=***", (int)(eq - s), s));
				continue;
			}
			/* Files holding a secret are fine to name. */
			hide_next = strstr(s, "-file") == NULL;
		}
		json_array_append_new(a, json_string(s));
	}
	return a;
}
