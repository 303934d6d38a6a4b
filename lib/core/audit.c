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
#include "core/file.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/secret.h"

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
	a->write = write;
	if (sde != NULL && *sde != '\0') {
		a->fixed_time = 1;
		a->epoch_ms = strtoll(sde, NULL, 10) * 1000;
	}
	/* Private: the log holds command lines, hosts and every decision. */
	a->fd = lp_file_open(path, O_RDWR | O_APPEND, LP_FILE_PRIVATE);
	if (a->fd < 0) {
		lp_error_set(&a->err, "cannot open audit log '%s': %s", path,
		    lp_file_strerror(errno));
		return LP_FATAL;
	}
	a->path = lp_xstrdup(path);
	return LP_OK;
}

/* pread(2) of exactly n bytes; else LP_FATAL, errno EIO for a short one. */
static int
read_at(int fd, void *p, size_t n, off_t at)
{
	ssize_t k = pread(fd, p, n, at);

	if (k == (ssize_t)n)
		return LP_OK;
	if (k >= 0)
		errno = EIO;
	return LP_FATAL;
}

/*
 * The line that ends at offset end (its newline, or the end of the file)
 * into b, without the newline; *start is where it begins.  Reads
 * backwards, so the cost follows the line, not the log.
 */
static int
line_before(int fd, off_t end, struct lp_buf *b, off_t *start)
{
	off_t pos = end;
	char chunk[4096];

	lp_buf_reset(b);
	while (pos > 0) {
		size_t k =
		    pos > (off_t)sizeof(chunk) ? sizeof(chunk) : (size_t)pos;
		char *nl = NULL;

		if (read_at(fd, chunk, k, pos - (off_t)k) != LP_OK)
			return LP_FATAL;
		pos -= (off_t)k;
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
	if (end > pos && read_at(fd, b->p, (size_t)(end - pos), pos) != LP_OK)
		return LP_FATAL;
	b->len = (size_t)(end - pos);
	b->p[b->len] = '\0';
	*start = pos;
	return LP_OK;
}

/* Where the log stands: what the next event chains onto. */
struct chain {
	off_t size;	     /* the log's length */
	long long seq;	     /* the next event's seq */
	char prev[65];	     /* the hash of the last line */
	off_t cut;	     /* bytes of a torn last line just cut */
	char cut_sha256[65]; /* their hash */
};

/*
 * Cut a last line that has no newline (a writer died mid-write).  The
 * log then ends in a whole line, or is empty.
 */
static int
cut_torn(struct lp_audit *a, struct chain *c, struct lp_buf *b)
{
	off_t start;
	char last;

	if (c->size == 0)
		return LP_OK;
	if (read_at(a->fd, &last, 1, c->size - 1) != LP_OK)
		return LP_FATAL;
	if (last == '\n')
		return LP_OK;
	if (line_before(a->fd, c->size, b, &start) != LP_OK)
		return LP_FATAL;
	lp_sha256_hex(b->p, b->len, c->cut_sha256);
	if (ftruncate(a->fd, start) != 0)
		return LP_FATAL;
	c->cut = c->size - start;
	a->cut += (unsigned long long)c->cut;
	c->size = start;
	return LP_OK;
}

/*
 * Read where the log stands (under the lock): cut a torn last line, hash
 * the last line, and find the last event's seq, looking further back
 * past lines that are not events.
 */
static int
chain_read(struct lp_audit *a, struct chain *c)
{
	struct lp_buf b = LP_BUF_INIT;
	struct stat st;
	off_t end, start;
	int rc = LP_FATAL;

	memset(c, 0, sizeof(*c));
	memcpy(c->prev, genesis, sizeof(genesis));
	c->seq = 1;
	if (fstat(a->fd, &st) != 0)
		goto out;
	c->size = S_ISREG(st.st_mode) ? st.st_size : 0;
	if (cut_torn(a, c, &b) != LP_OK)
		goto out;
	for (end = c->size - 1; end > 0; end = start - 1) {
		json_t *ev, *seq;

		if (line_before(a->fd, end, &b, &start) != LP_OK)
			goto out;
		if (end == c->size - 1)
			lp_sha256_hex(b.p, b.len, c->prev);
		ev = lp_json_load(b.p, b.len, 0, NULL);
		seq = json_object_get(ev, "seq");
		if (json_is_integer(seq))
			c->seq = json_integer_value(seq) + 1;
		json_decref(ev);
		if (seq != NULL)
			break;
	}
	rc = LP_OK;
out:
	lp_buf_release(&b);
	return rc;
}

/*
 * Write line[0..n) at the end of the log: whole, or not at all.  A write
 * that stops part way (a full disk) is cut back off; a short write with
 * no error is reported as the full disk it is.
 */
static int
put_line(struct lp_audit *a, struct chain *c, const char *line, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t k = a->write(a->fd, line + done, n - done);
		int e;

		if (k > 0) {
			done += (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		e = k < 0 ? errno : ENOSPC;
		if (done > 0 && ftruncate(a->fd, c->size) != 0) {
			/* The torn line stays: the next append cuts it. */
		}
		lp_error_set(
		    &a->err, "cannot write '%s': %s", a->path, strerror(e));
		return LP_FATAL;
	}
	c->size += (off_t)n;
	return LP_OK;
}

/* Append one event of kind (fields stolen) onto the chain c. */
static int
append(struct lp_audit *a, struct chain *c, const char *when, const char *kind,
    json_t *fields)
{
	struct lp_buf line = LP_BUF_INIT;
	json_t *ev;
	int rc;

	ev = json_pack("{s:I,s:s,s:s,s:s,s:s}", "seq", (json_int_t)c->seq, "at",
	    when, "event", kind, "tool", a->tool, "run_id", a->run_id);
	if (fields != NULL) {
		json_object_update(ev, fields);
		json_decref(fields);
	}
	json_object_set_new(ev, "prev", json_string(c->prev));
	lp_json_dump(ev, &line);
	json_decref(ev);
	lp_sha256_hex(line.p, line.len, c->prev);
	lp_buf_addc(&line, '\n');
	/* One write(2) under the lock: no other appender can come between. */
	rc = put_line(a, c, line.p, line.len);
	c->seq++;
	lp_buf_release(&line);
	return rc;
}

int
lp_audit_event(struct lp_audit *a, const char *kind, json_t *fields)
{
	struct chain c;
	struct timespec ts;
	char when[80];
	long long ms;
	int rc;

	if (a->fixed_time)
		ms = a->epoch_ms;
	else {
		clock_gettime(CLOCK_REALTIME, &ts);
		ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	lp_iso_time(ms, when, sizeof(when));
	/* Text from outside (an API's error) may echo a secret. */
	if (fields != NULL)
		lp_secret_scrub_json(fields);
	if (flock(a->fd, LOCK_EX) != 0) {
		lp_error_set(
		    &a->err, "cannot lock '%s': %s", a->path, strerror(errno));
		json_decref(fields);
		return LP_FATAL;
	}
	if (chain_read(a, &c) != LP_OK) {
		lp_error_set(
		    &a->err, "cannot read '%s': %s", a->path, strerror(errno));
		json_decref(fields);
		rc = LP_FATAL;
	} else if (c.cut > 0 &&
	    append(a, &c, when, "audit_repair",
		json_pack("{s:I,s:s}", "cut_bytes", (json_int_t)c.cut,
		    "cut_sha256", c.cut_sha256)) != LP_OK) {
		json_decref(fields);
		rc = LP_FATAL;
	} else
		rc = append(a, &c, when, kind, fields);
	flock(a->fd, LOCK_UN);
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
	/* A webhook's URL is its credential (Slack's scheme). */
	static const char *const words[] = {"key", "token", "secret",
	    "password", "passwd", "auth", "hook", "alert-url"};
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
	/* Any other secret: a URL's password, a key known by now. */
	lp_secret_scrub_json(a);
	return a;
}
