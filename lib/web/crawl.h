/*
 * A crawl: its starts (URLs, saved pages, a search), the pages of each as
 * they come in, in any order, and the records they become, handed back in
 * output order: the starts in the order they were added, each start's
 * pages in order.
 *
 * The crawl fetches nothing itself.  The caller fetches (web/fetch),
 * reads an archive (web/replay) or a file, and hands each page in:
 * lp_crawl_page_in() says which page it is, then one of lp_crawl_read(),
 * lp_crawl_read_archived() or lp_crawl_read_file() makes it UTF-8
 * (web/charset) and its records (web/profile).  Each read may note the
 * start's next page to ask for (the page's next link, or the search's
 * next page), which lp_crawl_next_ask() hands out.  lp_crawl_ready() and
 * lp_crawl_written() walk the pages that are in, in output order;
 * lp_crawl_record() makes each item's record, its "source" added.
 * lp_crawl_begin() (a start: a file read, or its first page asked for),
 * lp_crawl_replay() (--from-warc) and lp_crawl_resume() (--resume) do
 * the usual sequences in one call.
 *
 * A page with the same items as the page before ends its start (the site
 * ran out of pages and shows the last again).  A page that is a bot check
 * stops the crawl (blocked): it never becomes zero records silently.
 */
#ifndef LP_WEB_CRAWL_H
#define LP_WEB_CRAWL_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/lineage.h"
#include "core/record.h"
#include "web/profile.h"
#include "web/replay.h"
#include "web/warc.h"

/* One page of a start, once it is in. */
struct lp_crawl_page {
	size_t start;	/* its start, by index */
	int n;		/* its number, 1, 2, ...; 0 until it is in */
	json_t *items;	/* its records; NULL if it failed or repeated */
	char *url;	/* where it came from (after redirects) */
	long status;	/* HTTP status, 0 for a file */
	long long at;	/* when it was fetched, ms */
	char *ids;	/* its items' ids, to see a repeated page */
	int blocked;	/* a bot check (the crawl is blocked too) */
	int no_results; /* the site's "no results" page */
	/*
	 * The caller's, for an archive written in output order: kept until
	 * the page's turn, released by lp_crawl_written().
	 */
	struct lp_buf req, resp;
	char *asked;
	char ip[64];
};

/* A start (a URL, a file, the search) and its pages. */
struct lp_crawl_start {
	char *url;
	int is_file;	/* a file or an archived page: no next page */
	int query;	/* the search: its next page is the search's */
	int asked, got; /* pages asked for, pages in */
	int emitted;	/* pages handed back by lp_crawl_written() */
	struct lp_crawl_page *pages; /* npages of them, by index */
};

/* What the crawl saw, for --stats.  The caller counts its own failures
 * (robots and failed fetches) in robots and failed. */
/*
 * What a crawl counted, for --stats: each counter by its name (pages,
 * pages_failed, robots_disallowed, pages_repeated, items_skipped,
 * pages_converted, pages_repaired, pages_from_archive) to count(arg, ...).
 */
struct lp_crawl_counts;
/*
 * Where an unfinished crawl stands, for the note of an interrupted run:
 * "start 1 of 2 (URL), page 3" appended to out.
 */
struct lp_crawl;
void lp_crawl_where(const struct lp_crawl *c, struct lp_buf *out);
/*
 * Archive a fetch that is not a page of the crawl (robots.txt, a retried
 * attempt) as it comes, at ms since the epoch: LP_OK, or w's error.
 */
struct lp_fetch_result;
int lp_crawl_archive_exchange(
    struct lp_warc *w, const struct lp_fetch_result *x, long long at);
void lp_crawl_counts(const struct lp_crawl_counts *n,
    void (*count)(void *arg, const char *name, long long n), void *arg);

struct lp_crawl_counts {
	long long pages;     /* pages in */
	long long failed;    /* pages that gave no records by error */
	long long robots;    /* pages robots.txt kept out */
	long long repeated;  /* pages that repeated the one before */
	long long skipped;   /* items skipped (placeholders, excluded) */
	long long converted; /* pages converted to UTF-8 */
	long long repaired;  /* pages of invalid UTF-8 repaired */
	long long archived;  /* pages read from an archive */
};

/* A page to ask for: which start, which page, its URL. */
struct lp_crawl_ask {
	size_t start;
	int n;
	char *url;
	struct lp_crawl_ask *next; /* private: the queue */
};

struct lp_crawl {
	const struct lp_profile *profile;
	const struct lp_lineage *lineage; /* the clock of fetch times */
	const char *site, *query;
	int npages; /* pages per start; set before the first start */
	struct lp_crawl_start *starts;
	size_t nstarts;
	size_t head; /* the first start not all handed back */
	struct lp_crawl_counts counts;
	int blocked;
	/*
	 * The largest page read, in bytes (0: any size): a larger file is
	 * not read on, a larger page (archived, or fetched and handed in)
	 * is not parsed; either fails with "the page is larger than N
	 * bytes".  Set before the first page.
	 */
	size_t max_page;
	/* Private: the page being read, pruned; the asks not handed out. */
	struct lp_buf pruned;
	struct lp_crawl_ask *asks, **asks_end;
};

/*
 * Set up a crawl with profile p (borrowed), the source.site of its
 * records, the search text (or NULL), the pages per start and the
 * lineage whose clock times pages (borrowed); every pointer must outlive
 * the crawl.
 */
void lp_crawl_init(struct lp_crawl *c, const struct lp_profile *p,
    const char *site, const char *query, int npages,
    const struct lp_lineage *lg);
/* Free what the crawl holds. */
void lp_crawl_release(struct lp_crawl *c);

/*
 * The profile's search URL for query and page: {query} replaced by the
 * query form-encoded (spaces as '+'), {page} by the number; malloc'd, or
 * NULL when the profile has no "search".
 */
char *lp_crawl_search_url(
    const struct lp_profile *p, const char *query, int page);
/* The local file a start names (a file:// URL, or anything without
 * "://": a path, there or not), or NULL when it is fetched. */
const char *lp_crawl_local_path(const char *url);

/*
 * Add the search's first page as a start: LP_OK, or LP_FAILED when the
 * profile has no "search" URL.
 */
int lp_crawl_add_search(struct lp_crawl *c);
/* Add a start (query: it is the search's first page); its index. */
size_t lp_crawl_add_start(struct lp_crawl *c, const char *url, int query);
/*
 * A start from a line of input (without its newline): a URL, or a record
 * (a JSON object) with a "url".  LP_OK (a blank line adds none), or
 * LP_FAILED with err for a record without a url.
 */
int lp_crawl_add_line(
    struct lp_crawl *c, const char *line, size_t len, struct lp_error *err);
/*
 * The next page to ask for, in the order noted, or NULL when there is
 * none.  It is the caller's, to keep with the fetch (as its user
 * pointer) and free with lp_crawl_ask_free().
 */
struct lp_crawl_ask *lp_crawl_next_ask(struct lp_crawl *c);
void lp_crawl_ask_free(struct lp_crawl_ask *a);
/* lp_crawl_ask_free() as a fetcher's drop hook (struct lp_fetch_config). */
void lp_crawl_ask_drop(void *a);

/*
 * Page k (by index; number n) of start i is in, from url (NULL: set by
 * lp_crawl_read_file()) with an HTTP status (0 for none), fetched at at
 * (ms; negative: now).  Counted; the page, for a read or the caller's
 * note of why it gave nothing.
 */
struct lp_crawl_page *lp_crawl_page_in(struct lp_crawl *c, size_t i, int k,
    int n, const char *url, long status, long long at);
/*
 * The records of page pg from its body (made UTF-8 in place, ctype the
 * Content-Type or NULL).  LP_OK: read, pg->blocked and pg->no_results
 * say what it was, and its next page may be noted; LP_FAILED with err
 * when it is larger than max_page or in a charset not read ("the page is
 * in shift_jis, not UTF-8 or Latin-1"), counted as failed.
 */
int lp_crawl_read(struct lp_crawl *c, struct lp_crawl_page *pg,
    struct lp_buf *body, const char *ctype, struct lp_error *err);
/*
 * As lp_crawl_read(), the page from an archived response record; also
 * LP_FAILED (counted) when the record holds no 2xx HTTP answer.
 */
int lp_crawl_read_archived(struct lp_crawl *c, struct lp_crawl_page *pg,
    const struct lp_warc_record *rec, struct lp_error *err);
/*
 * As lp_crawl_read(), the page from the file at path, its start made a
 * file's (no next page) and pg->url its file:// URL; also LP_FATAL with
 * err when the file cannot be read ("cannot open 'x': why").  A file
 * larger than max_page is read no further than that (LP_FAILED).
 */
int lp_crawl_read_file(struct lp_crawl *c, struct lp_crawl_page *pg,
    const char *path, struct lp_error *err);

/*
 * Entry i of an archive's index (web/replay) as a page, read into rec
 * (zeroed before first use, released by the caller): its start added
 * when it is the first of its group (a start whose pages are all in the
 * archive: nothing is asked for), *pg the page.  LP_FATAL with err when
 * the archive cannot be read; else as lp_crawl_read_archived().
 */
int lp_crawl_replay(struct lp_crawl *c, struct lp_replay *rp, size_t i,
    struct lp_warc_record *rec, struct lp_crawl_page **pg,
    struct lp_error *err);

/*
 * The page a asks for, from the archive rp if it holds it (--resume),
 * read into rec as for lp_crawl_replay().  LP_EOF when it
 * does not (the page is to be fetched); LP_FATAL with err when the
 * archive cannot be read; else as lp_crawl_read_archived(), *pg the page.
 */
int lp_crawl_resume(struct lp_crawl *c, struct lp_replay *rp,
    const struct lp_crawl_ask *a, struct lp_warc_record *rec,
    struct lp_crawl_page **pg, struct lp_error *err);

/*
 * Begin start i: a local file (lp_crawl_local_path()) is read at once,
 * as lp_crawl_read_file(), *pg its page and err's text prefixed with its
 * path when its charset is not read; a URL's first page is asked for
 * (LP_EOF: nothing read yet).
 */
int lp_crawl_begin(struct lp_crawl *c, size_t i, struct lp_crawl_page **pg,
    struct lp_error *err);

/*
 * Keep a fetched page's exchange for the archive until its turn: the
 * request as sent (taken: req is left empty), the response as archived
 * (lp_warc_response_block() of head and body), the URL asked and the
 * server's address.
 */
void lp_crawl_page_keep(struct lp_crawl_page *pg, struct lp_buf *req,
    const struct lp_buf *head, const struct lp_buf *body, const char *asked,
    const char *ip);
/*
 * Archive a page kept so, in its turn, with the LP- fields that put it
 * back where it came from (lp_replay_fields()).  LP_OK (nothing to write
 * is OK too), or LP_FAILED with w->err.
 */
int lp_crawl_archive(const struct lp_crawl_page *pg, struct lp_warc *w);

/*
 * Archive the pages that are in but not yet handed back (a later start's,
 * waiting for an earlier one), as lp_crawl_archive() does: a run that
 * stops early keeps every page it fetched, for --resume.  LP_OK, or
 * LP_FAILED with w->err.
 */
int lp_crawl_archive_rest(const struct lp_crawl *c, struct lp_warc *w);
/* The next page in output order if it is in, or NULL (none yet). */
struct lp_crawl_page *lp_crawl_ready(struct lp_crawl *c);
/* The page lp_crawl_ready() gave is written: its records go. */
void lp_crawl_written(struct lp_crawl *c);
/*
 * Item i of page pg as a record (rec, initialised by the caller), its
 * "source" added (site, url, page, rank, fetched_at, http_status), made
 * through scratch: lp_record_parse()'s status.
 */
int lp_crawl_record(const struct lp_crawl *c, const struct lp_crawl_page *pg,
    size_t i, struct lp_buf *scratch, struct lp_record *rec);

#endif
