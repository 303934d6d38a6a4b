/*
 * Replay: the pages of a crawl read back from its WARC archive
 * (web/warc), for a dataset rebuilt offline (--from-warc) and for an
 * interrupted crawl that goes on (--resume).
 *
 * lp-scrape writes each result page's response record with three fields
 * of its own, made by lp_replay_fields(): LP-Start (which start, counted
 * from 0), LP-Page (its page number) and LP-URL (the URL asked for, before
 * redirects).  The index of an archive lists its page responses in the
 * order they belong in: by start, then page, then place in the file.  In
 * an archive of another tool (no LP- fields) every HTML response with a
 * 2xx status is a start of its own, after ours.  Nothing else (requests,
 * robots.txt, retried answers, warcinfo) is a page.
 *
 * A struct lp_replay is the caller's: zeroed (or opened), used, then
 * closed with lp_replay_close(), which a zeroed one allows too.
 */
#ifndef LP_WEB_REPLAY_H
#define LP_WEB_REPLAY_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "web/warc.h"

/* A page response in an archive, and where it belongs. */
struct lp_replay_entry {
	long long start, page; /* LP-Start and LP-Page (1 if none) */
	long long offset;      /* where its gzip member starts */
	unsigned skip;	       /* records before it in that member */
};

struct lp_replay {
	struct lp_warc_reader r;
	struct lp_replay_entry *e; /* the index, in order */
	size_t n;
	int most;	 /* the most pages of one start (at least 1) */
	json_t *urls;	 /* LP-URL -> offset, when indexed by URL */
	int torn;	 /* the archive ends inside a record */
	long long whole; /* with torn: the length of the records before it */
	struct lp_error err;
};

/* Open the archive at path: LP_OK, or LP_FAILED with rp->err. */
int lp_replay_open(struct lp_replay *rp, const char *path);
/*
 * Index the archive's page responses in one pass (by_url: remember each
 * LP-URL for lp_replay_find() too).  LP_OK; LP_FAILED with rp->err when
 * the archive is damaged.  A record cut short at the end (an interrupted
 * crawl) ends the index: LP_OK with rp->torn set, its reason in rp->err
 * and rp->whole the length of the whole part.
 */
int lp_replay_index(struct lp_replay *rp, int by_url);
/*
 * Cut a torn archive (rp->torn after lp_replay_index()) back to its whole
 * records, so that appending goes on after them: LP_OK, or LP_FATAL with
 * rp->err set.
 */
int lp_replay_cut(struct lp_replay *rp, const char *path);
/* How many entries from entry i on belong to i's start. */
size_t lp_replay_group(const struct lp_replay *rp, size_t i);
/* Whether the page asked for as url is archived; *offset its record. */
int lp_replay_find(
    const struct lp_replay *rp, const char *url, long long *offset);
/*
 * The record at offset (skip records into its member) into rec (zeroed
 * before first use, released by the caller): LP_OK, or LP_FAILED with
 * rp->err.
 */
int lp_replay_read(struct lp_replay *rp, long long offset, unsigned skip,
    struct lp_warc_record *rec);
void lp_replay_close(struct lp_replay *rp);

/*
 * The HTTP answer an archived response holds: LP_OK for a 2xx answer,
 * with *status, its Content-Type copied to ctype (n bytes at most; "" if
 * none) and *body_off where the body starts in rec->block; LP_FAILED with
 * err ("HTTP 404 (archived)", *status set; "the archived response is not
 * HTTP") otherwise.
 */
int lp_replay_response(const struct lp_warc_record *rec, long *status,
    char *ctype, size_t n, size_t *body_off, struct lp_error *err);
/*
 * Append the LP- fields of a page's response record to out ("Name:
 * value\r\n" lines for lp_warc_put()): its start, its page number and,
 * when not NULL, the URL asked for.
 */
void lp_replay_fields(
    struct lp_buf *out, size_t start, int page, const char *asked);

#endif
