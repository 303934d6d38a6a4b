/*
 * WARC writing and reading.  Each record is built whole in memory (a page
 * is bounded by --max-page), compressed as one gzip member and written in
 * one write(2): an archive is always a run of whole members, bar the last
 * after a crash, which a reader reports as torn and a resuming writer
 * cuts off.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/status.h"
#include "core/clock.h"
#include "core/audit.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/file.h"
#include "core/stream.h"
#include "core/version.h"
#include "web/header.h"
#include "web/warc.h"

static int
werr(struct lp_warc *w, const char *what)
{
	return lp_error_set(&w->err, "%s: %s%s%s", w->path, what,
	    errno ? ": " : "", errno ? strerror(errno) : "");
}

int
lp_warc_create(struct lp_warc *w, const char *path, int append)
{
	memset(w, 0, sizeof(*w));
	w->path = lp_xstrdup(path);
	/* An archive is appended to: never through a symbolic link. */
	w->fd = lp_file_open(
	    path, O_WRONLY | (append ? O_APPEND : O_TRUNC), LP_FILE_SHARED);
	if (w->fd < 0)
		return lp_error_set(&w->err, "%s: cannot open: %s", path,
		    lp_file_strerror(errno));
	return LP_OK;
}

/* Compress b into one gzip member, appended to out. */
static int
gzip_member(const struct lp_buf *b, struct lp_buf *out)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return -1;
	lp_buf_grow(out, deflateBound(&z, (uLong)b->len) + 32);
	z.next_in = (Bytef *)b->p;
	z.avail_in = (uInt)b->len;
	z.next_out = (Bytef *)out->p + out->len;
	z.avail_out = (uInt)(out->cap - out->len);
	rc = deflate(&z, Z_FINISH);
	out->len += (size_t)z.total_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

void
lp_warc_uuid(const char hex[65], char *out, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	char v = digits[(strchr(digits, hex[16]) - digits) % 4 + 8];

	/* Version 5 (named by a digest) and the variant bits 10. */
	snprintf(out, size, "urn:uuid:%.8s-%.4s-5%.3s-%c%.3s-%.12s", hex,
	    hex + 8, hex + 13, v, hex + 17, hex + 20);
}

void
lp_warc_base32(const unsigned char *p, size_t n, char *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned long acc = 0;
	size_t i, o = 0;
	int bits = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8 | p[i]) & 0xfffful;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = abc[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[o++] = abc[(acc << (5 - bits)) & 31];
	while (o % 8 != 0)
		out[o++] = '=';
	out[o] = '\0';
}

void
lp_warc_payload_digest(const void *block, size_t n, char out[64])
{
	const char *p = block, *end = memmem(p, n, "\r\n\r\n", 4);
	struct lp_sha256 c;
	unsigned char md[32];

	p = end != NULL ? end + 4 : p + n;
	lp_sha256_init(&c);
	lp_sha256_update(&c, p, n - (size_t)(p - (const char *)block));
	lp_sha256_final(&c, md);
	memcpy(out, "sha256:", 7);
	lp_warc_base32(md, sizeof(md), out + 7);
}

int
lp_warc_put(struct lp_warc *w, const char *type, const char *target,
    long long at_ms, const char *content_type, const char *extra,
    const void *block, size_t n, char *id)
{
	struct lp_sha256 c;
	char when[40], digest[65], rid[48], all[65];

	/* The id: a digest of what the record says, as a UUID's shape. */
	lp_sha256_hex(block, n, digest);
	lp_iso_time(at_ms, when, sizeof(when));
	lp_sha256_init(&c);
	lp_sha256_update(&c, type, strlen(type) + 1);
	if (target != NULL)
		lp_sha256_update(&c, target, strlen(target) + 1);
	lp_sha256_update(&c, when, strlen(when) + 1);
	if (extra != NULL)
		lp_sha256_update(&c, extra, strlen(extra) + 1);
	lp_sha256_update(&c, digest, 64);
	lp_sha256_final_hex(&c, all);
	lp_warc_uuid(all, rid, sizeof(rid));
	lp_buf_reset(&w->rec);
	lp_buf_addf(&w->rec,
	    "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <%s>\r\n"
	    "WARC-Date: %s\r\n",
	    type, rid, when);
	if (target != NULL)
		lp_buf_addf(&w->rec, "WARC-Target-URI: %s\r\n", target);
	if (extra != NULL)
		lp_buf_adds(&w->rec, extra);
	lp_buf_addf(&w->rec,
	    "WARC-Block-Digest: sha256:%s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n\r\n",
	    digest, content_type, n);
	lp_buf_add(&w->rec, block, n);
	lp_buf_adds(&w->rec, "\r\n\r\n");
	lp_buf_reset(&w->gz);
	if (gzip_member(&w->rec, &w->gz) != 0) {
		errno = 0;
		return werr(w, "cannot compress a record");
	}
	if (lp_write_all(w->fd, w->gz.p, w->gz.len) != 0)
		return werr(w, "cannot write");
	if (id != NULL)
		snprintf(id, 48, "%s", rid);
	return LP_OK;
}

int
lp_warc_put_warcinfo(struct lp_warc *w, long long at_ms, const char *tool,
    int obey_robots, const char *user_agent)
{
	struct lp_buf info = LP_BUF_INIT;
	int rc;

	lp_buf_addf(&info,
	    "software: %s/%s (labelpipe)\r\n"
	    "format: WARC File Format 1.1\r\n"
	    "conformsTo: "
	    "http://iipc.github.io/warc-specifications/specifications/"
	    "warc-format/warc-1.1/\r\n"
	    "robots: %s\r\nhttp-header-user-agent: %s\r\n",
	    tool, LP_VERSION, obey_robots ? "obey" : "ignore", user_agent);
	rc = lp_warc_put(w, "warcinfo", NULL, at_ms, "application/warc-fields",
	    NULL, info.p, info.len, NULL);
	lp_buf_release(&info);
	return rc;
}

int
lp_warc_put_exchange(struct lp_warc *w, const char *url, long long at_ms,
    const char *ip, const struct lp_buf *req, const struct lp_buf *resp,
    const char *extra)
{
	struct lp_buf x = LP_BUF_INIT;
	char id[48] = "", pd[64];
	int rc = LP_OK;

	if (ip != NULL && *ip != '\0')
		lp_buf_addf(&x, "WARC-IP-Address: %s\r\n", ip);
	if (req->len > 0)
		rc = lp_warc_put(w, "request", url, at_ms,
		    "application/http;msgtype=request", x.p, req->p, req->len,
		    id);
	if (id[0] != '\0')
		lp_buf_addf(&x, "WARC-Concurrent-To: <%s>\r\n", id);
	lp_warc_payload_digest(resp->p, resp->len, pd);
	lp_buf_addf(&x, "WARC-Payload-Digest: %s\r\n", pd);
	if (extra != NULL)
		lp_buf_adds(&x, extra);
	if (rc == LP_OK)
		rc = lp_warc_put(w, "response", url, at_ms,
		    "application/http;msgtype=response", x.p, resp->p,
		    resp->len, NULL);
	lp_buf_release(&x);
	return rc;
}

void
lp_warc_response_block(
    const struct lp_buf *head, const struct lp_buf *body, struct lp_buf *out)
{
	const char *p = head->p, *end = p + head->len;

	lp_buf_reset(out);
	while (p != NULL && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((eol != NULL ? eol + 1 : end) - p);

		if (n > 2 && strncasecmp(p, "content-encoding:", 17) != 0 &&
		    strncasecmp(p, "transfer-encoding:", 18) != 0 &&
		    strncasecmp(p, "content-length:", 15) != 0)
			lp_buf_add(out, p, n);
		p += n;
	}
	lp_buf_addf(out, "Content-Length: %zu\r\n\r\n", body->len);
	lp_buf_add(out, body->p, body->len);
}

int
lp_warc_close(struct lp_warc *w)
{
	int rc = LP_OK;

	if (w->fd >= 0 && close(w->fd) != 0)
		rc = werr(w, "cannot close");
	w->fd = -1;
	free(w->path);
	w->path = NULL;
	lp_buf_release(&w->rec);
	lp_buf_release(&w->gz);
	return rc;
}

/* ---- Reading. */

static int
rerr(struct lp_warc_reader *r, long long off, const char *why)
{
	return lp_error_set(&r->err, "%s: record %lu at byte %lld: %s", r->path,
	    r->n + 1, off, why);
}

int
lp_warc_reader_open(struct lp_warc_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->path = lp_xstrdup(path);
	if ((r->f = fopen(path, "rb")) == NULL)
		return lp_error_set(&r->err, "%s: %s", path, strerror(errno));
	if (inflateInit2(&r->z, 15 + 16) != Z_OK)
		return lp_error_set(&r->err, "%s: no memory", path);
	r->zinit = 1;
	return LP_OK;
}

/*
 * Inflate the next member into r->member: 1, 0 at the end, -1 on damage
 * (r->torn when the file ends inside it).
 */
static int
next_member(struct lp_warc_reader *r)
{
	unsigned char out[65536];
	int rc;

	lp_buf_reset(&r->member);
	r->at = 0;
	r->in_member = 0;
	r->member_off = r->consumed;
	if (r->z.avail_in == 0) {
		r->z.avail_in = (uInt)fread(r->in, 1, sizeof(r->in), r->f);
		r->z.next_in = r->in;
		if (r->z.avail_in == 0)
			return ferror(r->f) ? -1 : 0;
	}
	if (r->z.avail_in >= 2 &&
	    (r->z.next_in[0] != 0x1f || r->z.next_in[1] != 0x8b)) {
		rerr(r, r->consumed,
		    "not a gzip member (lp-scrape reads WARC files with one "
		    "gzip member per record, .warc.gz)");
		return -1;
	}
	inflateReset(&r->z);
	for (;;) {
		uInt before = r->z.avail_in;

		r->z.next_out = out;
		r->z.avail_out = sizeof(out);
		rc = inflate(&r->z, Z_NO_FLUSH);
		lp_buf_add(&r->member, out, sizeof(out) - r->z.avail_out);
		r->consumed += before - r->z.avail_in;
		if (rc == Z_STREAM_END)
			return 1;
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			rerr(r, r->member_off, "corrupt gzip data");
			return -1;
		}
		if (r->z.avail_in == 0) {
			r->z.avail_in =
			    (uInt)fread(r->in, 1, sizeof(r->in), r->f);
			r->z.next_in = r->in;
			if (r->z.avail_in == 0) {
				r->torn = !ferror(r->f);
				r->consumed =
				    r->member_off; /* the whole part */
				rerr(r, r->member_off,
				    r->torn ? "the archive ends inside this "
					      "record (cut short)"
					    : strerror(errno));
				return -1;
			}
		}
	}
}

/* "2026-12-03T03:30:00.123Z" (fraction optional) to ms; -1 if not. */
static long long
parse_date(const char *s)
{
	struct tm tm;
	int ms = 0, k = 0;
	char frac[16] = "";

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
		&tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &k) != 6)
		return -1;
	if (s[k] == '.' && sscanf(s + k + 1, "%15[0-9]", frac) == 1) {
		frac[3] = frac[3] != '\0' ? '\0' : frac[3];
		ms = (int)strtol(frac, NULL, 10);
		ms *= strlen(frac) == 1 ? 100 : strlen(frac) == 2 ? 10 : 1;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm) * 1000 + ms;
}

int
lp_warc_next(struct lp_warc_reader *r, struct lp_warc_record *rec)
{
	const char *p, *hend, *cl;
	char v[64];
	size_t left, hlen, avail;
	long long len;

	lp_buf_reset(&rec->head);
	lp_buf_reset(&rec->block);
	while (r->at >= r->member.len) {
		int rc = next_member(r);

		if (rc <= 0)
			return rc == 0 ? LP_EOF : LP_FAILED;
	}
	p = r->member.p + r->at;
	left = r->member.len - r->at;
	rec->offset = r->member_off;
	rec->skip = r->in_member++;
	if (left < 9 || memcmp(p, "WARC/1.", 7) != 0)
		return rerr(r, r->member_off, "no WARC/1.x version line");
	hend = memmem(p, left, "\r\n\r\n", 4);
	if (hend == NULL)
		return rerr(r, r->member_off, "the header never ends");
	hlen = (size_t)(hend - p) + 2;
	lp_buf_add(&rec->head, p, hlen);
	lp_header_field(rec->head.p, rec->head.len, "WARC-Type", rec->type,
	    sizeof(rec->type));
	lp_header_field(rec->head.p, rec->head.len, "WARC-Target-URI",
	    rec->target, sizeof(rec->target));
	rec->at_ms = lp_header_field(
			 rec->head.p, rec->head.len, "WARC-Date", v, sizeof(v))
	    ? parse_date(v)
	    : -1;
	if (rec->type[0] == '\0')
		return rerr(r, r->member_off, "no WARC-Type");
	if (!lp_header_field(
		rec->head.p, rec->head.len, "Content-Length", v, sizeof(v)) ||
	    (len = strtoll(v, NULL, 10)) < 0 || !isdigit((unsigned char)v[0]))
		return rerr(r, r->member_off, "no valid Content-Length");
	cl = hend + 4;
	avail = left - (size_t)(cl - p);
	/* Unsigned: a Content-Length near LLONG_MAX must not wrap. */
	if (avail < 4 || (unsigned long long)len > avail - 4 ||
	    memcmp(cl + len, "\r\n\r\n", 4) != 0)
		return rerr(r, r->member_off,
		    "the block is shorter than its Content-Length");
	lp_buf_add(&rec->block, cl, (size_t)len);
	r->at += (size_t)(cl - p) + (size_t)len + 4;
	r->n++;
	return LP_OK;
}

int
lp_warc_seek(struct lp_warc_reader *r, long long offset, unsigned skip)
{
	struct lp_warc_record rec;
	int rc = LP_OK;

	if (fseeko(r->f, (off_t)offset, SEEK_SET) != 0)
		return lp_error_set(
		    &r->err, "%s: %s", r->path, strerror(errno));
	r->z.avail_in = 0;
	r->consumed = offset;
	lp_buf_reset(&r->member);
	r->at = 0;
	r->torn = 0;
	/* Another tool may put several records in one member. */
	memset(&rec, 0, sizeof(rec));
	while (skip-- > 0 && rc == LP_OK)
		rc = lp_warc_next(r, &rec);
	lp_warc_record_release(&rec);
	return rc;
}

void
lp_warc_reader_close(struct lp_warc_reader *r)
{
	if (r->f != NULL)
		fclose(r->f);
	if (r->zinit)
		inflateEnd(&r->z);
	lp_buf_release(&r->member);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

void
lp_warc_record_release(struct lp_warc_record *rec)
{
	lp_buf_release(&rec->head);
	lp_buf_release(&rec->block);
}

int
lp_http_response_split(
    const char *p, size_t n, long *status, size_t *head_len, size_t *body_off)
{
	const char *end = memmem(p, n, "\r\n\r\n", 4), *eol;

	if (end == NULL)
		return LP_FAILED;
	/* The status line: up to the first line end (end's at the latest). */
	eol = memmem(p, n, "\r\n", 2);
	if ((*status = lp_header_status(p, (size_t)(eol - p))) < 0)
		return LP_FAILED;
	*head_len = (size_t)(end - p) + 2;
	*body_off = (size_t)(end - p) + 4;
	return LP_OK;
}
