#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/erasure.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/status.h"
#include "core/stream.h"

/* Traces shorter than this would match too much to be worth a removal. */
#define TRACE_MIN 4

void
lp_erasure_init(struct lp_erasure *e)
{
	e->ids = json_array();
	e->sellers = json_array();
	e->annotators = json_array();
	e->traces = json_array();
	e->urls = json_array();
}

void
lp_erasure_release(struct lp_erasure *e)
{
	json_decref(e->ids);
	json_decref(e->sellers);
	json_decref(e->annotators);
	json_decref(e->traces);
	json_decref(e->urls);
	memset(e, 0, sizeof(*e));
}

int
lp_erasure_add(struct lp_erasure *e, const char *subject, struct lp_error *err)
{
	static const char *const kinds[] = {"id=", "seller=", "annotator="};
	json_t *lists[] = {e->ids, e->sellers, e->annotators};
	size_t i;

	for (i = 0; i < 3; i++) {
		size_t k = strlen(kinds[i]);

		if (strncmp(subject, kinds[i], k) == 0 && subject[k] != '\0') {
			json_array_append_new(
			    lists[i], json_string(subject + k));
			return LP_OK;
		}
	}
	return lp_error_set(err,
	    "invalid subject '%s' (want id=, seller= or annotator=)", subject);
}

json_t *
lp_erasure_subjects(const struct lp_erasure *e)
{
	static const char *const kinds[] = {"id", "seller", "annotator"};
	const json_t *lists[] = {e->ids, e->sellers, e->annotators};
	json_t *out = json_array(), *v;
	struct lp_buf b = LP_BUF_INIT;
	size_t i, j;
	char hex[65];

	for (i = 0; i < 3; i++)
		json_array_foreach ((json_t *)lists[i], j, v) {
			lp_buf_reset(&b);
			lp_buf_addf(
			    &b, "%s=%s", kinds[i], json_string_value(v));
			lp_sha256_hex(b.p, b.len, hex);
			json_array_append_new(out,
			    json_pack(
				"{s:s,s:s}", "kind", kinds[i], "sha256", hex));
		}
	lp_buf_release(&b);
	return out;
}

/* Whether the string s is one of list's. */
static int
listed(const json_t *list, const char *s)
{
	size_t i;
	json_t *v;

	if (s == NULL)
		return 0;
	json_array_foreach ((json_t *)list, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

int
lp_erasure_mentions(const struct lp_erasure *e, const json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		return listed(e->ids, s) || listed(e->sellers, s) ||
		    listed(e->annotators, s);
	}
	if (json_is_object(v))
		json_object_foreach ((json_t *)v, k, x)
			if (lp_erasure_mentions(e, x))
				return 1;
	if (json_is_array(v))
		json_array_foreach ((json_t *)v, i, x)
			if (lp_erasure_mentions(e, x))
				return 1;
	return 0;
}

/* Keep a string of a dropped record to find it elsewhere by. */
static void
trace(json_t *list, const json_t *v)
{
	const char *s = json_string_value(v);

	if (s != NULL && strlen(s) >= TRACE_MIN && !listed(list, s))
		json_array_append_new(list, json_string(s));
}

/*
 * What erasure does to one record (parsed): 1 drop it, else remove the
 * annotators' labels and adjudication (counted in *labels).
 */
static int
erase_record(struct lp_erasure *e, json_t *rec, long *labels)
{
	json_t *l = json_object_get(rec, "labels"), *adj, *x;
	size_t i;

	if (listed(e->ids, json_string_value(json_object_get(rec, "id"))) ||
	    listed(e->sellers,
		json_string_value(json_object_get(rec, "seller")))) {
		trace(e->traces, json_object_get(rec, "id"));
		trace(e->traces, json_object_get(rec, "title"));
		trace(e->traces,
		    json_object_get(
			json_object_get(rec, "translation"), "text"));
		/* Its own page; source.url is the results page it was on. */
		trace(e->urls, json_object_get(rec, "url"));
		return 1;
	}
	for (i = 0; json_is_array(l) && i < json_array_size(l);) {
		x = json_object_get(json_array_get(l, i), "annotator_id");
		if (listed(e->annotators, json_string_value(x))) {
			json_array_remove(l, i);
			(*labels)++;
		} else
			i++;
	}
	adj = json_object_get(rec, "adjudication");
	if (listed(
		e->annotators, json_string_value(json_object_get(adj, "by")))) {
		json_object_del(rec, "adjudication");
		(*labels)++;
	}
	return 0;
}

/* Whether the file at path starts with the gzip magic. */
static int
is_gzip(const char *path)
{
	unsigned char m[2] = {0, 0};
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return 0;
	if (fread(m, 1, 2, f) != 2)
		m[0] = 0;
	fclose(f);
	return m[0] == 0x1f && m[1] == 0x8b;
}

/* One line of a dataset into w: as it was, changed, or not at all. */
static int
dataset_line(struct lp_erasure *e, struct lp_writer *w, const char *line,
    size_t len, struct lp_erasure_count *n, struct lp_buf *b)
{
	json_t *rec;
	long before = n->labels;
	int rc = LP_OK;

	if (len == 0)
		return lp_writer_write(w, "\n", 1);
	if ((rec = lp_json_load(line, len, 0, NULL)) == NULL ||
	    !json_is_object(rec)) {
		json_decref(rec);
		return LP_FAILED;
	}
	if (erase_record(e, rec, &n->labels))
		n->records++;
	else if (n->labels == before) {
		if (lp_writer_write(w, line, len) != LP_OK ||
		    lp_writer_write(w, "\n", 1) != LP_OK)
			rc = LP_FATAL;
	} else {
		lp_buf_reset(b);
		lp_json_dump(rec, b);
		lp_buf_addc(b, '\n');
		rc = lp_writer_write(w, b->p, b->len);
	}
	json_decref(rec);
	return rc;
}

int
lp_erasure_dataset(struct lp_erasure *e, const char *path,
    struct lp_erasure_count *n, struct lp_error *err)
{
	struct lp_buf b = LP_BUF_INIT;
	struct lp_reader r;
	struct lp_writer w;
	char *files[] = {(char *)path};
	const char *line;
	size_t len;
	int rc;

	memset(n, 0, sizeof(*n));
	if (lp_reader_open(&r, files, 1, (size_t)1 << 30) != LP_OK) {
		lp_error_set(err, "%s", r.err.msg);
		return LP_FATAL;
	}
	if (lp_writer_open(&w, path, is_gzip(path) ? lp_gzip_level() : 0) !=
	    LP_OK) {
		lp_error_set(err, "%s", w.err.msg);
		lp_reader_close(&r);
		return LP_FATAL;
	}
	while ((rc = lp_reader_next(&r, &line, &len)) == LP_OK &&
	    (rc = dataset_line(e, &w, line, len, n, &b)) == LP_OK)
		;
	if (rc == LP_FAILED)
		lp_error_set(err, "%s:%lu: not a JSON object", path,
		    lp_reader_lineno(&r));
	else if (rc == LP_FATAL)
		lp_error_set(
		    err, "%s", r.err.msg[0] != '\0' ? r.err.msg : w.err.msg);
	lp_reader_close(&r);
	lp_buf_release(&b);
	if (rc != LP_EOF) {
		lp_writer_close(&w, 0);
		return rc;
	}
	/* Nothing erased: the file stays as it was, to the byte. */
	if (lp_writer_close(&w, n->records + n->labels > 0) != LP_OK) {
		lp_error_set(err, "%s", w.err.msg);
		return LP_FATAL;
	}
	return LP_OK;
}

/*
 * Replace the file at path by out[0..n): a temporary file beside it,
 * given path's mode, renamed into place.
 */
static int
replace(const char *path, const struct lp_buf *out, struct lp_error *err)
{
	char *tmp = NULL;
	int fd = lp_file_tmp_create(path, &tmp);

	if (fd < 0 || lp_write_all(fd, out->p, out->len) != LP_OK ||
	    fchmod(fd, lp_file_mode_for(path, 0600)) != 0 || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		lp_error_set(
		    err, "cannot rewrite '%s': %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return LP_FATAL;
	}
	free(tmp);
	return LP_OK;
}

/* Whether the event opens a session of one of the annotators asked for. */
static int
by_annotator(const struct lp_erasure *e, const json_t *ev)
{
	const char *kind = json_string_value(json_object_get(ev, "event"));

	return kind != NULL && strcmp(kind, "start") == 0 &&
	    listed(e->annotators,
		json_string_value(json_object_get(ev, "annotator")));
}

int
lp_erasure_session(struct lp_erasure *e, const char *path,
    struct lp_erasure_count *n, struct lp_error *err)
{
	struct lp_buf in = LP_BUF_INIT, out = LP_BUF_INIT;
	int fd, rc = LP_OK, theirs = 0;
	char *p, *nl;

	memset(n, 0, sizeof(*n));
	/* lp-label holds the lock while it runs: wait for no one. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    flock(fd, LOCK_EX | LOCK_NB) != 0) {
		lp_error_set(err, "cannot lock '%s': %s", path,
		    errno == EWOULDBLOCK ? "in use" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return LP_FATAL;
	}
	if (lp_file_read_all(path, &in, err) != LP_OK) {
		rc = LP_FATAL;
		goto out;
	}
	for (p = in.p; p < in.p + in.len; p = nl + 1) {
		json_t *ev;
		int drop;

		if ((nl = memchr(p, '\n', in.len - (size_t)(p - in.p))) == NULL)
			nl = in.p + in.len;
		ev = lp_json_load(p, (size_t)(nl - p), 0, NULL);
		theirs |= by_annotator(e, ev);
		drop = lp_erasure_mentions(e, ev);
		json_decref(ev);
		if (drop)
			n->records++;
		else if (nl > p)
			lp_buf_add(&out, p, (size_t)(nl - p + 1));
	}
	if (theirs) {
		n->records = 0;
		for (p = in.p;
		     (p = memchr(p, '\n', in.len - (size_t)(p - in.p))) != NULL;
		     p++)
			n->records++;
		if (unlink(path) != 0) {
			lp_error_set(err, "cannot remove '%s': %s", path,
			    strerror(errno));
			rc = LP_FATAL;
		}
	} else if (n->records > 0)
		rc = replace(path, &out, err);
out:
	close(fd);
	lp_buf_release(&in);
	lp_buf_release(&out);
	return rc;
}

/* Whether a string anywhere in v holds one of the traces. */
static int
holds_trace(const json_t *traces, const json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_string(v)) {
		json_array_foreach ((json_t *)traces, i, x)
			if (strstr(json_string_value(v),
				json_string_value(x)) != NULL)
				return 1;
		return 0;
	}
	if (json_is_object(v))
		json_object_foreach ((json_t *)v, k, x)
			if (holds_trace(traces, x))
				return 1;
	if (json_is_array(v))
		json_array_foreach ((json_t *)v, i, x)
			if (holds_trace(traces, x))
				return 1;
	return 0;
}

/* One entry file: removed (counted) if it holds a trace. */
static int
cache_entry(const struct lp_erasure *e, const char *path,
    struct lp_erasure_count *n, struct lp_error *err)
{
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error ignored = LP_ERROR_INIT;
	json_t *v;
	int rc = LP_OK;

	if (lp_file_read_all(path, &b, &ignored) != LP_OK) {
		lp_buf_release(&b);
		return LP_OK; /* gone meanwhile, or not a file */
	}
	v = lp_json_load(b.p, b.len, 0, NULL);
	if (holds_trace(e->traces, v)) {
		if (unlink(path) == 0)
			n->records++;
		else
			rc = lp_error_set(err, "cannot remove '%s': %s", path,
			    strerror(errno));
	}
	json_decref(v);
	lp_buf_release(&b);
	return rc == LP_OK ? LP_OK : LP_FATAL;
}

/* The files of dir and of its folders one level down into each(). */
static int
walk(const char *dir, int depth,
    int (*each)(const struct lp_erasure *, const char *,
	struct lp_erasure_count *, struct lp_error *),
    const struct lp_erasure *e, struct lp_erasure_count *n,
    struct lp_error *err)
{
	struct lp_buf p = LP_BUF_INIT;
	struct dirent *d;
	struct stat st;
	DIR *dp = opendir(dir);
	int rc = LP_OK;

	if (dp == NULL) {
		lp_error_set(err, "cannot open '%s': %s", dir, strerror(errno));
		return LP_FATAL;
	}
	while (rc == LP_OK && (d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		lp_buf_reset(&p);
		lp_buf_addf(&p, "%s/%s", dir, d->d_name);
		if (lstat(p.p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0)
			rc = walk(p.p, depth - 1, each, e, n, err);
		else if (S_ISREG(st.st_mode))
			rc = each(e, p.p, n, err);
	}
	closedir(dp);
	lp_buf_release(&p);
	return rc;
}

int
lp_erasure_cache(struct lp_erasure *e, const char *dir,
    struct lp_erasure_count *n, struct lp_error *err)
{
	memset(n, 0, sizeof(*n));
	if (json_array_size(e->traces) == 0)
		return LP_OK;
	return walk(dir, 1, cache_entry, e, n, err);
}

/* The tombstone of an event (ev, its line line[0..len)) into out. */
static void
tombstone(const json_t *ev, const char *line, size_t len, struct lp_buf *out)
{
	char hex[65];
	json_t *t;

	lp_sha256_hex(line, len, hex);
	t = json_pack("{s:O,s:O,s:s,s:s,s:O}", "seq",
	    json_object_get(ev, "seq"), "at", json_object_get(ev, "at"),
	    "event", "erased", "digest", hex, "prev",
	    json_object_get(ev, "prev"));
	lp_json_dump(t, out);
	json_decref(t);
}

/* Whether the event at line should go (and can: an event, not a seal). */
static int
goes(const struct lp_erasure *e, const json_t *ev, const char *before)
{
	const char *kind = json_string_value(json_object_get(ev, "event"));
	const json_t *t = json_object_get(ev, "at");
	const char *at = json_string_value(t);
	char iso[80];

	/* Some events carry their own time in ms where "at" would be. */
	if (json_is_integer(t)) {
		lp_iso_time(json_integer_value(t), iso, sizeof(iso));
		at = iso;
	}
	if (kind == NULL || at == NULL || json_object_get(ev, "prev") == NULL ||
	    !json_is_integer(json_object_get(ev, "seq")) ||
	    strcmp(kind, "seal") == 0 || lp_audit_tombstone_digest(ev) != NULL)
		return 0;
	if (before != NULL)
		return strcmp(at, before) < 0;
	return lp_erasure_mentions(e, ev);
}

/* The log in (whole) with its erased events tombstoned, into out. */
static void
tombstones(const struct lp_erasure *e, const struct lp_buf *in,
    const char *before, struct lp_buf *out, struct lp_erasure_count *n)
{
	const char *p, *nl;

	for (p = in->p; p < in->p + in->len; p = nl + 1) {
		json_t *ev;
		size_t len;

		if ((nl = memchr(p, '\n', in->len - (size_t)(p - in->p))) ==
		    NULL)
			nl = in->p + in->len;
		len = (size_t)(nl - p);
		ev = lp_json_load(p, len, 0, NULL);
		if (goes(e, ev, before)) {
			tombstone(ev, p, len, out);
			n->records++;
		} else
			lp_buf_add(out, p, len);
		if (nl < in->p + in->len)
			lp_buf_addc(out, '\n');
		json_decref(ev);
	}
}

/*
 * Write out over the log fd (path) in place.  The new log goes to
 * "path.erasing" (0600) first, so that a run killed half way leaves it
 * whole beside a damaged log; it is removed once the log is written.
 */
static int
overwrite(
    int fd, const char *path, const struct lp_buf *out, struct lp_error *err)
{
	struct lp_buf side = LP_BUF_INIT;
	int sfd, rc = LP_OK;

	lp_buf_addf(&side, "%s.erasing", path);
	unlink(side.p);
	sfd = lp_file_open(side.p, O_WRONLY | O_TRUNC, LP_FILE_PRIVATE);
	if (sfd < 0 || lp_write_all(sfd, out->p, out->len) != LP_OK ||
	    fsync(sfd) != 0) {
		lp_error_set(
		    err, "cannot write '%s': %s", side.p, strerror(errno));
		rc = LP_FATAL;
	} else if (pwrite(fd, out->p, out->len, 0) != (ssize_t)out->len ||
	    ftruncate(fd, (off_t)out->len) != 0 || fsync(fd) != 0) {
		lp_error_set(
		    err, "cannot rewrite '%s': %s", path, strerror(errno));
		rc = LP_FATAL;
	}
	if (sfd >= 0)
		close(sfd);
	/* Kept when the log could not be written: it is the log to use. */
	if (rc == LP_OK || sfd < 0)
		unlink(side.p);
	lp_buf_release(&side);
	return rc;
}

int
lp_erasure_audit(const struct lp_erasure *e, const char *path,
    const char *before, int dry, struct lp_erasure_count *n,
    struct lp_error *err)
{
	struct lp_buf in = LP_BUF_INIT, out = LP_BUF_INIT;
	int fd, rc = LP_OK;

	memset(n, 0, sizeof(*n));
	if ((fd = lp_file_open(path, O_RDWR, LP_FILE_PRIVATE)) < 0) {
		lp_error_set(err, "cannot open audit log '%s': %s", path,
		    lp_file_strerror(errno));
		return LP_FATAL;
	}
	/*
	 * In place, under the appenders' lock: a rename would leave a run
	 * that has the log open appending to the old file.
	 */
	flock(fd, LOCK_EX);
	if (lp_file_read_all(path, &in, err) != LP_OK)
		rc = LP_FATAL;
	else
		tombstones(e, &in, before, &out, n);
	if (rc == LP_OK && n->records > 0 && !dry)
		rc = overwrite(fd, path, &out, err);
	flock(fd, LOCK_UN);
	close(fd);
	lp_buf_release(&in);
	lp_buf_release(&out);
	return rc;
}
