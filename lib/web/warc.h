/*
 * WARC/1.1 archives (ISO 28500) of what lp-scrape fetched: one gzip member
 * per record, as wget and Heritrix write them, so a reader can start at
 * any record and a crash costs at most the record being written.
 */
#ifndef LP_WARC_H
#define LP_WARC_H

#include <stddef.h>
#include <stdio.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/error.h"
#include "web/header.h" /* lp_header_field(), for WARC heads */

struct lp_warc {
	int fd;
	char *path;
	struct lp_buf rec, gz; /* scratch: one record, then its member */
	struct lp_error err;
};

/*
 * Open path for writing: created, or with append set extended after its
 * last whole record.  LP_OK, or LP_FAILED with w->err.
 */
int lp_warc_create(struct lp_warc *w, const char *path, int append);
/*
 * Write one record: type ("warcinfo", "request", "response"), target URI
 * (NULL for none), time in ms, the Content-Type of the block, extra header
 * lines ("Name: value\r\n"..., or NULL) and the block.  The record id is a
 * digest of all of it, so equal input gives equal archives; it is copied
 * to id (45 bytes with the NUL) when id is not NULL.  LP_OK or LP_FAILED.
 */
int lp_warc_put(struct lp_warc *w, const char *type, const char *target,
    long long at_ms, const char *content_type, const char *extra,
    const void *block, size_t n, char *id);
/*
 * The warcinfo record that opens an archive: the software (the tool, as
 * "lp-scrape/0.1.0 (labelpipe)"), whether robots.txt was obeyed and the
 * User-Agent.  LP_OK or LP_FAILED with w->err.
 */
int lp_warc_put_warcinfo(struct lp_warc *w, long long at_ms, const char *tool,
    int obey_robots, const char *user_agent);
/*
 * One HTTP exchange with url from the server at ip (or NULL): the request
 * as sent (none when req is empty) and the response as archived (see
 * lp_warc_response_block()), linked by WARC-Concurrent-To, the response
 * with the extra header lines (or NULL).  LP_OK, or LP_FAILED with w->err
 * at the first record that could not be written.
 */
int lp_warc_put_exchange(struct lp_warc *w, const char *url, long long at_ms,
    const char *ip, const struct lp_buf *req, const struct lp_buf *resp,
    const char *extra);
/*
 * A response as archived, into out (reset first): the status line and
 * header lines as received, less the encodings the transfer undid
 * (Content-Encoding, Transfer-Encoding) and with the Content-Length of
 * the body as decoded, then that body: the archive replays without a
 * decoder.
 */
void lp_warc_response_block(
    const struct lp_buf *head, const struct lp_buf *body, struct lp_buf *out);
/*
 * A record id from a digest's 64 hex digits, into out (45 bytes with the
 * NUL): "urn:uuid:" and a UUID with the version (5, named by a digest) and
 * variant (10) bits set, so readers that check UUIDs take it.
 */
void lp_warc_uuid(const char hex[65], char *out, size_t size);
/*
 * n bytes as RFC 4648 base32 (upper case, padded with '=') into out,
 * which takes (n + 4) / 5 * 8 + 1 bytes.
 */
void lp_warc_base32(const unsigned char *p, size_t n, char *out);
/*
 * The WARC-Payload-Digest of an HTTP response block: the SHA-256 of what
 * follows its head, as "sha256:" and base32 (the form wget and warcio
 * write for sha1, used here for sha256 too), into out (64 bytes).
 */
void lp_warc_payload_digest(const void *block, size_t n, char out[64]);
/* Close the archive: LP_OK, or LP_FAILED with w->err. */
int lp_warc_close(struct lp_warc *w);

/* One record as read. */
struct lp_warc_record {
	char type[32];
	char target[2048];
	long long at_ms;     /* WARC-Date, -1 if unreadable */
	struct lp_buf head;  /* the WARC header lines */
	struct lp_buf block; /* the content block */
	long long offset;    /* where its gzip member starts in the file */
	unsigned skip;	     /* records before it in that member */
};

struct lp_warc_reader {
	FILE *f;
	char *path;
	z_stream z;
	int zinit;
	unsigned char in[65536];
	long long consumed;   /* compressed bytes taken by whole members */
	struct lp_buf member; /* the current member, inflated */
	size_t at;	      /* next record in member */
	unsigned in_member;   /* records read from it */
	long long member_off;
	unsigned long n; /* records read */
	int torn;	 /* the last member is cut short */
	struct lp_error err;
};

/* LP_OK, or LP_FAILED with r->err. */
int lp_warc_reader_open(struct lp_warc_reader *r, const char *path);
/*
 * The next record: LP_OK; LP_EOF at the end; LP_FAILED with r->err
 * ("path: record N at byte B: why") when the archive is damaged.  A last
 * member cut short is LP_FAILED with r->torn set; r->consumed is then the
 * length of the whole part.
 */
int lp_warc_next(struct lp_warc_reader *r, struct lp_warc_record *rec);
/*
 * Go back (or on) to a record read before, by its offset and skip:
 * LP_OK, or LP_FAILED with r->err.
 */
int lp_warc_seek(struct lp_warc_reader *r, long long offset, unsigned skip);
void lp_warc_reader_close(struct lp_warc_reader *r);
void lp_warc_record_release(struct lp_warc_record *rec);
/*
 * Split an HTTP response block: the status (of its status line, read by
 * lp_header_status()), the header lines and the body's offset in the
 * block.  LP_OK, or LP_FAILED if it is not an HTTP response (the callers
 * say so in their own words).
 */
int lp_http_response_split(
    const char *p, size_t n, long *status, size_t *head_len, size_t *body_off);

#endif
