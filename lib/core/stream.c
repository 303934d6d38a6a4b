#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"
#include "core/file.h"
#include "core/stream.h"
#include "core/thread.h"

#define IN_SIZE (128u << 10)
#define DEC_SIZE (256u << 10)
#define OUT_FLUSH (128u << 10)

int
lp_reader_open(struct lp_reader *r, char **files, int nfiles, size_t max_line)
{
	static char *stdin_name[] = {"-"};
	int i;

	memset(r, 0, sizeof(*r));
	if (files == NULL || nfiles == 0) {
		files = stdin_name;
		nfiles = 1;
	}
	r->nfiles = nfiles;
	r->names = lp_xmalloc(sizeof(char *) * (size_t)nfiles);
	r->fds = lp_xmalloc(sizeof(int) * (size_t)nfiles);
	r->max_line = max_line ? max_line : LP_MAX_LINE_DEFAULT;
	r->in = lp_xmalloc(IN_SIZE);
	r->dec = lp_xmalloc(DEC_SIZE);
	for (i = 0; i < nfiles; i++)
		r->fds[i] = -1;
	for (i = 0; i < nfiles; i++) {
		if (strcmp(files[i], "-") == 0) {
			r->names[i] = "<stdin>";
			r->fds[i] = STDIN_FILENO;
			r->raw_total = -1;
			continue;
		}
		r->names[i] = files[i];
		if ((r->fds[i] = open(files[i], O_RDONLY | O_CLOEXEC)) < 0) {
			struct lp_error err;

			/* Nothing stays open or allocated; err survives. */
			lp_error_set(&err, "cannot open '%s': %s", files[i],
			    strerror(errno));
			lp_reader_close(r);
			r->err = err;
			return LP_FATAL;
		}
		/* Regular files give progress a total; a pipe has none. */
		if (r->raw_total >= 0) {
			struct stat st;

			if (fstat(r->fds[i], &st) == 0 && S_ISREG(st.st_mode))
				r->raw_total += (long long)st.st_size;
			else
				r->raw_total = -1;
		}
	}
	r->cur = 0;
	r->gz = -1; /* not decided yet */
	return LP_OK;
}

/* An interrupt ends a blocked read: the tool then stops and saves. */
static int
stopped(const struct lp_reader *r)
{
	return r->stop != NULL && *r->stop;
}

/* Read more raw bytes, keeping the unread ones.  0 at end of file. */
static ssize_t
read_raw(struct lp_reader *r)
{
	ssize_t n;

	if (r->in_pos > 0) {
		memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
		r->in_len -= r->in_pos;
		r->in_pos = 0;
	}
	if (r->file_eof)
		return 0;
	do
		n = read(
		    r->fds[r->cur], r->in + r->in_len, IN_SIZE - r->in_len);
	while (n < 0 && errno == EINTR && !stopped(r));
	if (n < 0) {
		lp_error_set(&r->err, "%s: read error: %s", r->names[r->cur],
		    strerror(errno));
		r->ioerr = 1;
		return -1;
	}
	if (n == 0)
		r->file_eof = 1;
	r->in_len += (size_t)n;
	r->dec_raw += (unsigned long long)n;
	return n;
}

/* Ensure at least k raw bytes are buffered, unless the file ends first. */
static int
want_raw(struct lp_reader *r, size_t k)
{
	while (r->in_len - r->in_pos < k && !r->file_eof)
		if (read_raw(r) < 0)
			return LP_FATAL;
	return LP_OK;
}

static int
is_gzip_magic(const struct lp_reader *r)
{
	return r->in_len - r->in_pos >= 2 && r->in[r->in_pos] == 0x1f &&
	    r->in[r->in_pos + 1] == 0x8b;
}

/* fill() for a plain file: the bytes as they are. */
static int
fill_plain(struct lp_reader *r)
{
	if (r->in_pos < r->in_len) {
		size_t n = r->in_len - r->in_pos;

		if (n > DEC_SIZE)
			n = DEC_SIZE;
		memcpy(r->dec, r->in + r->in_pos, n);
		r->in_pos += n;
		r->dec_len = n;
		return LP_OK;
	}
	if (r->file_eof)
		return LP_EOF;
	r->in_pos = r->in_len = 0;
	for (;;) {
		ssize_t n = read(r->fds[r->cur], r->dec, DEC_SIZE);

		if (n < 0 && errno == EINTR && !stopped(r))
			continue;
		if (n < 0) {
			lp_error_set(&r->err, "%s: read error: %s",
			    r->names[r->cur], strerror(errno));
			r->ioerr = 1;
			return LP_FATAL;
		}
		if (n == 0) {
			r->file_eof = 1;
			return LP_EOF;
		}
		r->dec_len = (size_t)n;
		r->dec_raw += (unsigned long long)n;
		return LP_OK;
	}
}

/*
 * fill() for a gzip file: inflate, member after member, into out (of
 * DEC_SIZE bytes), *outlen bytes of it.
 */
static int
fill_gzip(struct lp_reader *r, char *out, size_t *outlen)
{
	*outlen = 0;
	while (*outlen == 0) {
		int zr;

		if (!r->zactive) {
			/* Between members: another member, or the end. */
			if (want_raw(r, 2) != LP_OK)
				return LP_FATAL;
			if (r->in_pos == r->in_len)
				return LP_EOF;
			if (!is_gzip_magic(r)) {
				lp_error_set(&r->err,
				    "%s: trailing garbage after gzip member",
				    r->names[r->cur]);
				return LP_FATAL;
			}
			inflateReset(&r->z);
			r->zactive = 1;
		}
		if (r->in_pos == r->in_len) {
			if (read_raw(r) < 0)
				return LP_FATAL;
			if (r->in_len == 0) {
				lp_error_set(&r->err,
				    "%s: unexpected end of gzip stream "
				    "(truncated file)",
				    r->names[r->cur]);
				return LP_FATAL;
			}
		}
		r->z.next_in = r->in + r->in_pos;
		r->z.avail_in = (uInt)(r->in_len - r->in_pos);
		r->z.next_out = (unsigned char *)out;
		r->z.avail_out = DEC_SIZE;
		zr = inflate(&r->z, Z_NO_FLUSH);
		r->in_pos = r->in_len - r->z.avail_in;
		*outlen = DEC_SIZE - r->z.avail_out;
		if (zr == Z_STREAM_END) {
			r->zactive = 0;
		} else if (zr == Z_BUF_ERROR && *outlen == 0 &&
		    r->z.avail_in == 0) {
			continue; /* needs more input */
		} else if (zr != Z_OK) {
			lp_error_set(&r->err, "%s: corrupt gzip stream: %s",
			    r->names[r->cur],
			    r->z.msg ? r->z.msg : "inflate failed");
			return LP_FATAL;
		}
	}
	return LP_OK;
}

/*
 * The inflating thread and the tool hand two buffers back and forth:
 * while the thread inflates into buf, the tool reads lines from r->dec.
 * Only the thread touches the z_stream, the raw buffer, the file and
 * r->err while busy.
 */
struct lp_inflater {
	struct lp_worker w;
	struct lp_reader *r;
	char *buf;
	size_t len;
	int rc;
	int pending; /* a buffer is being or was inflated, not yet taken */
};

/* The worker's job: the next buffer of the file into buf. */
static void
inflate_job(void *arg)
{
	struct lp_inflater *d = arg;

	d->rc = fill_gzip(d->r, d->buf, &d->len);
}

/* Ask the thread for the next buffer. */
static void
inflater_post(struct lp_inflater *d)
{
	d->pending = 1;
	lp_worker_post(&d->w);
}

static void
inflater_stop(struct lp_reader *r)
{
	struct lp_inflater *d = r->bg;

	if (d == NULL)
		return;
	lp_worker_stop(&d->w);
	free(d->buf);
	free(d);
	r->bg = NULL;
}

/* Start the thread: LP_OK, or LP_FAILED when none can start. */
static int
inflater_start(struct lp_reader *r)
{
	struct lp_inflater *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return LP_FAILED;
	d->buf = lp_xmalloc(DEC_SIZE);
	d->r = r;
	if (lp_worker_start(&d->w, inflate_job, d) != 0) {
		free(d->buf);
		free(d);
		return LP_FAILED;
	}
	r->bg = d;
	return LP_OK;
}

/*
 * fill_gzip() one buffer ahead: take the buffer the thread inflated
 * (asking for it first if it was not), and, unless the file ended or
 * failed there, ask for the next one into the buffer just read.
 */
static int
fill_ahead(struct lp_reader *r)
{
	struct lp_inflater *d = r->bg;
	char *t;
	int rc;

	if (!d->pending)
		inflater_post(d);
	lp_worker_wait(&d->w);
	d->pending = 0;
	r->raw_read = r->dec_raw; /* the thread is idle: its count holds */
	rc = d->rc;
	t = r->dec;
	r->dec = d->buf;
	r->dec_len = d->len;
	d->buf = t;
	if (rc == LP_OK)
		inflater_post(d);
	return rc;
}

/* Whether the current file may be inflated ahead: a regular file. */
static int
may_go_ahead(struct lp_reader *r)
{
	struct stat st;

	if (fstat(r->fds[r->cur], &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	return r->bg != NULL || inflater_start(r) == LP_OK;
}

/*
 * Fill r->dec with more decoded bytes of the current file.  LP_OK with
 * dec_len > 0, LP_EOF at its end, LP_FATAL on errors.
 */
static int
fill(struct lp_reader *r)
{
	int rc;

	r->dec_pos = r->dec_len = 0;
	if (r->gz == -1) {
		if (want_raw(r, 2) != LP_OK)
			return LP_FATAL;
		r->gz = is_gzip_magic(r);
		if (r->gz) {
			if (!r->zinit) {
				if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK)
					abort();
				r->zinit = 1;
			} else
				inflateReset(&r->z);
			r->zactive = 1;
			r->ahead = may_go_ahead(r);
		}
	}
	if (r->gz && r->ahead)
		rc = fill_ahead(r);
	else if (r->gz)
		rc = fill_gzip(r, r->dec, &r->dec_len);
	else
		rc = fill_plain(r);
	if (!r->ahead)
		r->raw_read = r->dec_raw;
	return rc;
}

static void
next_file(struct lp_reader *r)
{
	if (r->fds[r->cur] > STDIN_FILENO)
		close(r->fds[r->cur]);
	r->fds[r->cur] = -1;
	r->cur++;
	r->gz = -1;
	r->ahead = 0;
	r->zactive = 0;
	r->file_eof = 0;
	r->in_pos = r->in_len = 0;
	r->dec_pos = r->dec_len = 0;
	r->lineno = 0;
}

/* The next line, blank or not. */
static int
next_line(struct lp_reader *r, const char **line, size_t *len)
{
	int over = 0;

	lp_buf_reset(&r->line);
	for (;;) {
		char *p, *nl;
		size_t avail;
		int rc;

		if (r->cur >= r->nfiles)
			return LP_EOF;
		if (r->dec_pos == r->dec_len) {
			rc = fill(r);
			if (rc == LP_FATAL)
				return LP_FATAL;
			if (rc == LP_EOF) {
				if (r->line.len > 0 || over) {
					/* A last line without newline. */
					r->lineno++;
					goto got;
				}
				next_file(r);
				continue;
			}
		}
		p = r->dec + r->dec_pos;
		avail = r->dec_len - r->dec_pos;
		nl = memchr(p, '\n', avail);
		if (nl != NULL) {
			size_t n = (size_t)(nl - p);

			r->dec_pos += n + 1;
			r->lineno++;
			if (r->line.len == 0 && !over && n <= r->max_line) {
				/* The whole line is in the buffer: no copy. */
				*line = p;
				*len = n;
				goto trim;
			}
			if (!over && r->line.len + n > r->max_line)
				over = 1;
			if (!over)
				lp_buf_add(&r->line, p, n);
			else if (r->line.len < r->max_line)
				lp_buf_add(
				    &r->line, p, r->max_line - r->line.len);
			goto got;
		}
		if (!over && r->line.len + avail > r->max_line) {
			lp_buf_add(&r->line, p, r->max_line - r->line.len);
			over = 1;
		} else if (!over)
			lp_buf_add(&r->line, p, avail);
		r->dec_pos = r->dec_len;
	}
got:
	*line = r->line.p;
	*len = r->line.len;
	if (over) {
		return lp_error_set(
		    &r->err, "line longer than %zu bytes", r->max_line);
	}
trim:
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	return LP_OK;
}

/*
 * Whether a line is blank: empty, or only spaces and tabs.  A record
 * starts with '{', so a line pays one comparison.
 */
static int
blank(const char *line, size_t len)
{
	size_t i;

	if (len == 0)
		return 1;
	if (line[0] != ' ' && line[0] != '\t')
		return 0;
	for (i = 1; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return 0;
	return 1;
}

int
lp_reader_next(struct lp_reader *r, const char **line, size_t *len)
{
	int rc;

	/* Blank lines are skipped (a loop: a file of them is no deep stack). */
	while ((rc = next_line(r, line, len)) == LP_OK && blank(*line, *len))
		;
	return rc;
}

const char *
lp_reader_name(const struct lp_reader *r)
{
	return r->names[r->cur < r->nfiles ? r->cur : r->nfiles - 1];
}

unsigned long
lp_reader_lineno(const struct lp_reader *r)
{
	return r->lineno;
}

void
lp_reader_close(struct lp_reader *r)
{
	int i;

	inflater_stop(r);
	for (i = 0; i < r->nfiles; i++)
		if (r->fds != NULL && r->fds[i] > STDIN_FILENO)
			close(r->fds[i]);
	if (r->zinit)
		inflateEnd(&r->z);
	free(r->names);
	free(r->fds);
	free(r->in);
	free(r->dec);
	lp_buf_release(&r->line);
	memset(r, 0, sizeof(*r));
}

int
lp_gzip_level(void)
{
	const char *v = getenv("LP_GZIP_LEVEL");

	if (v != NULL && v[0] >= '1' && v[0] <= '9' && v[1] == '\0')
		return v[0] - '0';
	/*
	 * Level 1: every stage of a pipeline compresses again, and level 1
	 * is the fastest for some more bytes.  Datasets
	 * kept for long can be written with LP_GZIP_LEVEL=9.
	 */
	return 1;
}

/* Only a regular file (or a new name) is replaced atomically by rename. */
static int
regular_or_new(const char *path)
{
	struct stat st;

	return stat(path, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
}

/*
 * Open the writer; a new file gets mode (LP_FILE_SHARED or
 * LP_FILE_PRIVATE, less the umask), a file it replaces keeps its own.
 */
static int
writer_open(struct lp_writer *w, const char *path, int level, mode_t mode)
{
	memset(w, 0, sizeof(*w));
	w->fd = STDOUT_FILENO;
	if (path != NULL && strcmp(path, "-") != 0 && !regular_or_new(path)) {
		/* A FIFO, a device, /dev/stdout: write straight to it. */
		w->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (w->fd < 0) {
			lp_error_set(&w->err, "cannot open '%s': %s", path,
			    strerror(errno));
			return LP_FATAL;
		}
		w->direct = 1;
		w->name = lp_xstrdup(path);
	} else if (path != NULL && strcmp(path, "-") != 0) {
		/* Partial data stays 0600 until the rename (core/file.h). */
		w->mode = lp_file_mode_for(path, mode);
		if ((w->fd = lp_file_tmp_create(path, &w->tmp)) < 0) {
			lp_error_set(&w->err, "cannot create '%s': %s", path,
			    strerror(errno));
			return LP_FATAL;
		}
		w->path = lp_xstrdup(path);
		w->name = lp_xstrdup(path);
	}
	if (level > 0) {
		w->gz = 1;
		/* libdeflate's gzip header: no name, mtime 0. */
		if ((w->dc = libdeflate_alloc_compressor(level)) == NULL)
			abort();
		w->zcap = libdeflate_gzip_compress_bound(w->dc, OUT_FLUSH * 2);
		w->zout = lp_xmalloc(w->zcap);
	}
	lp_buf_grow(&w->buf, OUT_FLUSH);
	return LP_OK;
}

int
lp_writer_open(struct lp_writer *w, const char *path, int level)
{
	return writer_open(w, path, level, LP_FILE_SHARED);
}

int
lp_writer_open_private(struct lp_writer *w, const char *path, int level)
{
	return writer_open(w, path, level, LP_FILE_PRIVATE);
}

/*
 * All of data to w's file; else why in err (naming the file, stdout by
 * no name), or *broken for a closed pipe.
 */
static int
put_fd(const struct lp_writer *w, const void *data, size_t n, int *broken,
    struct lp_error *err)
{
	if (lp_write_all(w->fd, data, n) == LP_OK)
		return LP_OK;
	if (errno == EPIPE)
		*broken = 1;
	else if (w->name != NULL)
		lp_error_set(
		    err, "cannot write '%s': %s", w->name, strerror(errno));
	else
		lp_error_set(err, "write error: %s", strerror(errno));
	return LP_FATAL;
}

static int
write_all(struct lp_writer *w, const void *data, size_t n)
{
	if (put_fd(w, data, n, &w->broken_pipe, &w->err) == LP_OK)
		return LP_OK;
	w->failed = 1;
	return LP_FATAL;
}

/*
 * Compress p[0..n) into the file as one gzip member; failures reported as
 * put_fd does.  libdeflate compresses a whole buffer at a time, about
 * twice as fast as zlib's level 1 and a little smaller; a member per
 * buffer of OUT_FLUSH costs 18 bytes of header and trailer.
 */
static int
deflate_to(struct lp_writer *w, const void *p, size_t n, int *broken,
    struct lp_error *err)
{
	size_t need = libdeflate_gzip_compress_bound(w->dc, n), m;

	if (need > w->zcap) {
		w->zout = lp_xrealloc(w->zout, need);
		w->zcap = need;
	}
	if ((m = libdeflate_gzip_compress(w->dc, p, n, w->zout, w->zcap)) == 0)
		abort(); /* the bound was given */
	w->members++;
	return put_fd(w, w->zout, m, broken, err);
}

static int
deflate_out(struct lp_writer *w, const void *p, size_t n)
{
	if (deflate_to(w, p, n, &w->broken_pipe, &w->err) == LP_OK)
		return LP_OK;
	w->failed = 1;
	return LP_FATAL;
}

/*
 * The helper thread and the tool hand one buffer back and forth: while
 * the thread deflates and writes job, the tool fills w->buf.  Only the
 * thread touches the compressor and the file while busy; its failure is
 * copied into the writer when the tool next waits for it.
 */
struct lp_deflater {
	struct lp_worker w;
	struct lp_writer *wr;
	struct lp_buf job;
	int failed, broken_pipe;
	struct lp_error err;
};

/* The worker's job: deflate and write job, unless a write failed. */
static void
deflate_job(void *arg)
{
	struct lp_deflater *d = arg;

	if (!d->failed &&
	    deflate_to(d->wr, d->job.p, d->job.len, &d->broken_pipe, &d->err) !=
		LP_OK)
		d->failed = 1;
	lp_buf_reset(&d->job);
}

/* Wait until the thread is idle; LP_FATAL if it failed. */
static int
deflater_wait(struct lp_writer *w)
{
	struct lp_deflater *d = w->bg;

	lp_worker_wait(&d->w);
	if (d->failed && !w->failed) {
		w->failed = 1;
		w->broken_pipe = d->broken_pipe;
		w->err = d->err;
	}
	return w->failed ? LP_FATAL : LP_OK;
}

static void
deflater_stop(struct lp_writer *w)
{
	struct lp_deflater *d = w->bg;

	if (d == NULL)
		return;
	deflater_wait(w);
	lp_worker_stop(&d->w);
	lp_buf_release(&d->job);
	free(d);
	w->bg = NULL;
}

/* Start the helper thread: LP_OK, or LP_FAILED when none can start. */
static int
deflater_start(struct lp_writer *w)
{
	struct lp_deflater *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return LP_FAILED;
	d->wr = w;
	if (lp_worker_start(&d->w, deflate_job, d) != 0) {
		free(d);
		return LP_FAILED;
	}
	w->bg = d;
	return LP_OK;
}

/*
 * Give the full buffer to the thread (started the first time), or
 * compress it here when no thread can start.  LP_OK or LP_FATAL.
 */
static int
hand_off(struct lp_writer *w)
{
	struct lp_deflater *d;
	struct lp_buf t;

	if (w->bg == NULL && deflater_start(w) != LP_OK)
		return lp_writer_flush(w);
	d = w->bg;
	if (deflater_wait(w) != LP_OK)
		return LP_FATAL;
	t = d->job;
	d->job = w->buf;
	w->buf = t;
	lp_buf_grow(&w->buf, OUT_FLUSH);
	lp_worker_post(&d->w);
	return LP_OK;
}

int
lp_writer_flush(struct lp_writer *w)
{
	int rc;

	if (w->bg != NULL && deflater_wait(w) != LP_OK)
		return LP_FATAL;
	if (w->failed)
		return LP_FATAL;
	if (w->buf.len == 0)
		return LP_OK;
	rc = w->gz ? deflate_out(w, w->buf.p, w->buf.len)
		   : write_all(w, w->buf.p, w->buf.len);
	lp_buf_reset(&w->buf);
	return rc;
}

int
lp_writer_write(struct lp_writer *w, const void *p, size_t n)
{
	if (w->failed)
		return LP_FATAL;
	lp_buf_add(&w->buf, p, n);
	if (w->buf.len < OUT_FLUSH)
		return LP_OK;
	return w->gz ? hand_off(w) : lp_writer_flush(w);
}

int
lp_writer_close(struct lp_writer *w, int commit)
{
	int rc = LP_OK;

	deflater_stop(w);
	if (commit || w->path == NULL) {
		/* stdout gets what was done even when the run failed. */
		/* An empty output is still a gzip file: one empty member. */
		if (lp_writer_flush(w) != LP_OK ||
		    (w->gz && w->members == 0 &&
			deflate_out(w, "", 0) != LP_OK))
			rc = LP_FATAL;
	}
	if (w->dc != NULL)
		libdeflate_free_compressor(w->dc);
	w->dc = NULL;
	if (w->path != NULL) {
		if (rc == LP_OK && commit && fchmod(w->fd, w->mode) != 0) {
			lp_error_set(&w->err, "cannot set the mode of '%s': %s",
			    w->path, strerror(errno));
			rc = LP_FATAL;
		}
		if (rc == LP_OK && commit && fsync(w->fd) != 0) {
			lp_error_set(&w->err, "cannot sync '%s': %s", w->path,
			    strerror(errno));
			rc = LP_FATAL;
		}
		if (close(w->fd) != 0 && rc == LP_OK) {
			lp_error_set(&w->err, "cannot close '%s': %s", w->path,
			    strerror(errno));
			rc = LP_FATAL;
		}
		if (rc == LP_OK && commit && rename(w->tmp, w->path) != 0) {
			lp_error_set(&w->err, "cannot rename to '%s': %s",
			    w->path, strerror(errno));
			rc = LP_FATAL;
		}
		if (rc != LP_OK || !commit)
			unlink(w->tmp);
	} else if (rc == LP_OK && close(w->fd) != 0 && errno != EPIPE) {
		/* A full disk shows up here for redirected stdout. */
		lp_error_set(&w->err, "write error: %s", strerror(errno));
		rc = LP_FATAL;
	}
	free(w->name);
	w->name = NULL;
	free(w->path);
	free(w->tmp);
	free(w->zout);
	lp_buf_release(&w->buf);
	w->path = w->tmp = NULL;
	w->zout = NULL;
	return w->broken_pipe ? LP_OK : rc;
}
