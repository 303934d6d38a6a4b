#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
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
#include "core/hmac.h"
#include "core/json.h"
#include "core/secret.h"

static const char genesis[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

const char *
lp_audit_tombstone_digest(const json_t *ev)
{
	const char *kind = json_string_value(json_object_get(ev, "event"));
	const char *d = json_string_value(json_object_get(ev, "digest"));

	if (kind == NULL || strcmp(kind, "erased") != 0 || d == NULL ||
	    strlen(d) != 64 || strspn(d, "0123456789abcdef") != 64)
		return NULL;
	return d;
}

void
lp_audit_line_hash(const json_t *ev, const char *line, size_t n, char hex[65])
{
	const char *d = lp_audit_tombstone_digest(ev);

	/* A tombstone stands for the line it replaced: its hash is that one's. */
	if (d != NULL)
		memcpy(hex, d, 65);
	else
		lp_sha256_hex(line, n, hex);
}

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
		ev = lp_json_load(b.p, b.len, 0, NULL);
		if (end == c->size - 1)
			lp_audit_line_hash(ev, b.p, b.len, c->prev);
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

/*
 * Who the event is by: the real uid and its account name, so an event
 * says which person's account ran the step (roles, approvals).  Looked
 * up once per process; an uid without an account has no "account".
 */
static void
stamp_account(json_t *ev)
{
	static char name[256];
	static int looked;
	uid_t uid = getuid();
	struct passwd *pw;

	if (!looked) {
		looked = 1;
		if ((pw = getpwuid(uid)) != NULL)
			snprintf(name, sizeof(name), "%s", pw->pw_name);
	}
	json_object_set_new(ev, "uid", json_integer((json_int_t)uid));
	if (name[0] != '\0')
		json_object_set_new(ev, "account", json_string(name));
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
	/* After the fields, so no event can claim another account. */
	stamp_account(ev);
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

/*
 * The message a seal's HMAC is over: the head it seals, seq and hash of
 * the last event, in a form no other use of the key can give.
 */
static void
seal_tag(const unsigned char *key, size_t keylen, long long seq,
    const char *hash, char hex[65])
{
	char msg[128];
	int n = snprintf(
	    msg, sizeof(msg), "labelpipe-audit-seal-1:%lld:%s", seq, hash);

	lp_hmac_hex(key, keylen, msg, (size_t)n, hex);
}

/*
 * Whether the log (size bytes, under the lock) already holds an event of
 * kind whose members named in fields all have the same values.  Lines
 * that do not mention the kind are not parsed.
 */
static int
logged_before(struct lp_audit *a, off_t size, const char *kind,
    const json_t *fields, int *found)
{
	struct lp_buf tag = LP_BUF_INIT, rest = LP_BUF_INIT;
	char chunk[65536];
	off_t at = 0;

	*found = 0;
	lp_buf_addf(&tag, "\"event\":\"%s\"", kind);
	while (at < size && !*found) {
		size_t k = size - at > (off_t)sizeof(chunk)
		    ? sizeof(chunk)
		    : (size_t)(size - at);
		char *p, *nl;

		if (read_at(a->fd, chunk, k, at) != LP_OK)
			break;
		at += (off_t)k;
		lp_buf_add(&rest, chunk, k);
		for (p = rest.p; !*found &&
		     (nl = memchr(p, '\n', rest.len - (size_t)(p - rest.p))) !=
			 NULL;
		     p = nl + 1) {
			json_t *ev;
			const char *name;
			json_t *v;

			*nl = '\0';
			if (strstr(p, tag.p) == NULL)
				continue;
			ev = lp_json_load(p, (size_t)(nl - p), 0, NULL);
			*found = ev != NULL;
			json_object_foreach ((json_t *)fields, name, v)
				if (!json_equal(json_object_get(ev, name), v))
					*found = 0;
			json_decref(ev);
		}
		memmove(rest.p, p, rest.len - (size_t)(p - rest.p));
		rest.len -= (size_t)(p - rest.p);
	}
	lp_buf_release(&tag);
	lp_buf_release(&rest);
	return at >= size || *found ? LP_OK : LP_FATAL;
}

/* What an append does besides writing its event. */
struct how {
	const unsigned char *key; /* a seal: the HMAC of the head */
	size_t keylen;
	int once;	/* not if an equal event is logged already */
	long long *seq; /* the new event's seq and hash, if wanted */
	char *hash;
};

/* Append under the lock, repairing a torn last line first. */
static int
append_locked(struct lp_audit *a, const char *when, const char *kind,
    json_t *fields, const struct how *how)
{
	struct chain c;
	char tag[65];
	int found = 0;

	if (chain_read(a, &c) != LP_OK ||
	    (how->once &&
		logged_before(a, c.size, kind, fields, &found) != LP_OK)) {
		lp_error_set(
		    &a->err, "cannot read '%s': %s", a->path, strerror(errno));
		json_decref(fields);
		return LP_FATAL;
	}
	if (found) {
		json_decref(fields);
		return LP_OK;
	}
	if (c.cut > 0 &&
	    append(a, &c, when, "audit_repair",
		json_pack("{s:I,s:s}", "cut_bytes", (json_int_t)c.cut,
		    "cut_sha256", c.cut_sha256)) != LP_OK) {
		json_decref(fields);
		return LP_FATAL;
	}
	if (how->key != NULL) {
		seal_tag(how->key, how->keylen, c.seq - 1, c.prev, tag);
		json_object_set_new(
		    fields, "head_seq", json_integer(c.seq - 1));
		json_object_set_new(fields, "head", json_string(c.prev));
		json_object_set_new(fields, "mac", json_string("hmac-sha256"));
		json_object_set_new(fields, "hmac", json_string(tag));
	}
	if (append(a, &c, when, kind, fields) != LP_OK)
		return LP_FATAL;
	if (how->seq != NULL)
		*how->seq = c.seq - 1;
	if (how->hash != NULL)
		memcpy(how->hash, c.prev, sizeof(c.prev));
	return LP_OK;
}

/* An event as asked: stamped, locked, appended. */
static int
event(
    struct lp_audit *a, const char *kind, json_t *fields, const struct how *how)
{
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
	rc = append_locked(a, when, kind, fields, how);
	flock(a->fd, LOCK_UN);
	return rc;
}

int
lp_audit_event(struct lp_audit *a, const char *kind, json_t *fields)
{
	const struct how how = {NULL, 0, 0, NULL, NULL};

	return event(a, kind, fields, &how);
}

int
lp_audit_event_once(struct lp_audit *a, const char *kind, json_t *fields)
{
	const struct how how = {NULL, 0, 1, NULL, NULL};

	if (fields == NULL)
		fields = json_object();
	return event(a, kind, fields, &how);
}

int
lp_audit_seal(struct lp_audit *a, const unsigned char *key, size_t keylen,
    long long *seq, char hash[65])
{
	const struct how how = {key, keylen, 0, seq, hash};

	return event(a, "seal", json_object(), &how);
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
 * Whether the audit event ev (line no) carries the hash of the line
 * before, prev.  LP_FAILED with err naming the line if not.
 */
static int
check_line(
    const json_t *ev, unsigned long no, const char *prev, struct lp_error *err)
{
	const char *p = json_string_value(json_object_get(ev, "prev"));

	if (p == NULL)
		return lp_error_set(err, "line %lu is not an audit event", no);
	if (strcmp(p, prev) != 0)
		return lp_error_set(err,
		    "line %lu: hash chain broken: 'prev' does not match the "
		    "line before (edited, inserted or deleted line)",
		    no);
	return LP_OK;
}

/*
 * A seal (line no) against the event before it (seq pseq, hash prev):
 * the head it names must be that event, and with a key its HMAC must be
 * the key's.
 */
static int
check_seal(const json_t *ev, unsigned long no, long long pseq, const char *prev,
    const struct lp_audit_check *c, struct lp_error *err)
{
	const json_t *hs = json_object_get(ev, "head_seq");
	const char *head = json_string_value(json_object_get(ev, "head"));
	const char *mac = json_string_value(json_object_get(ev, "hmac"));
	char tag[65];

	if (!json_is_integer(hs) || head == NULL || mac == NULL)
		return lp_error_set(
		    err, "line %lu: seal without head_seq, head and hmac", no);
	if (json_integer_value(hs) != pseq)
		return lp_error_set(err,
		    "line %lu: the seal's head is seq %lld, but the event "
		    "before it is seq %lld (lines removed, inserted or the "
		    "chain recomputed)",
		    no, (long long)json_integer_value(hs), pseq);
	if (strcmp(head, prev) != 0)
		return lp_error_set(err,
		    "line %lu: the seal's head is not the line before it "
		    "(lines removed, inserted or the chain recomputed)",
		    no);
	if (c->key == NULL)
		return LP_OK;
	seal_tag(c->key, c->keylen, pseq, prev, tag);
	if (!lp_hmac_equal(tag, mac))
		return lp_error_set(err,
		    "line %lu: seal does not verify with this key (forged, "
		    "made with another key, or the chain recomputed)",
		    no);
	return LP_OK;
}

/*
 * One whole line (NUL-terminated, n bytes, number no) of the log: the
 * chain, a seal, the published head.  c->seq and c->head are the event
 * before on entry and this one on return.
 */
static int
check_event(char *line, size_t n, unsigned long no, struct lp_audit_check *c,
    struct lp_error *err)
{
	json_t *ev = lp_json_load(line, n, 0, NULL);
	const char *kind = json_string_value(json_object_get(ev, "event"));
	long long seq = json_integer_value(json_object_get(ev, "seq"));
	char hash[65];
	int rc;

	if ((rc = check_line(ev, no, c->head, err)) == LP_OK && kind != NULL &&
	    strcmp(kind, "seal") == 0 &&
	    (rc = check_seal(ev, no, c->seq, c->head, c, err)) == LP_OK)
		c->seals++;
	if (rc == LP_OK)
		lp_audit_line_hash(ev, line, n, hash);
	json_decref(ev);
	if (rc != LP_OK)
		return rc;
	if (c->want_seq > 0 && seq == c->want_seq) {
		c->found = 1;
		if (strcmp(hash, c->want_hash) != 0)
			return lp_error_set(err,
			    "line %lu: seq %lld is not the published head "
			    "(its hash is %.12s..., the published one "
			    "%.12s...)",
			    no, seq, hash, c->want_hash);
	}
	c->seq = seq;
	memcpy(c->head, hash, sizeof(hash));
	return LP_OK;
}

int
lp_audit_check(const char *path, struct lp_audit_check *c,
    unsigned long *lineno, struct lp_error *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long no = 0;
	int rc = LP_OK;

	*lineno = 0;
	c->seq = 0;
	c->seals = 0;
	c->found = 0;
	memcpy(c->head, genesis, sizeof(genesis));
	if ((f = fopen(path, "r")) == NULL) {
		lp_error_set(
		    err, "cannot open '%s': %s", path, strerror(errno));
		return LP_FATAL;
	}
	/* Appenders wait: the check sees whole appends only. */
	flock(fileno(f), LOCK_SH);
	while ((n = getline(&line, &cap, f)) > 0) {
		no++;
		if (line[n - 1] != '\n') {
			rc = lp_error_set(
			    err, "line %lu is not terminated (torn write)", no);
			break;
		}
		line[--n] = '\0';
		if ((rc = check_event(line, (size_t)n, no, c, err)) != LP_OK)
			break;
	}
	c->lines = no;
	if (rc == LP_OK && ferror(f)) {
		lp_error_set(
		    err, "cannot read '%s': %s", path, strerror(errno));
		rc = LP_FATAL;
	} else if (rc == LP_OK && c->want_seq > 0 && !c->found)
		rc = lp_error_set(err,
		    "line %lu: the log ends at seq %lld, before the published "
		    "head seq %lld (events cut off)",
		    no, c->seq, c->want_seq);
	if (rc == LP_FAILED)
		*lineno = no;
	free(line);
	fclose(f);
	return rc;
}

int
lp_audit_verify(const char *path, unsigned long *lineno, struct lp_error *err)
{
	struct lp_audit_check c;

	memset(&c, 0, sizeof(c));
	return lp_audit_check(path, &c, lineno, err);
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
