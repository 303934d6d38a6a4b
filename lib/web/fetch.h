/*
 * A polite fetcher of web pages (lp-scrape), on libcurl's multi interface.
 *
 * Per host: robots.txt first (RFC 9309: fetched once and kept; a 4xx
 * answer allows everything, a 5xx or no answer nothing), then at most
 * per_host requests at once, started at least delay seconds apart, or the
 * site's Crawl-delay if longer.  429 and 503 double the host's delay (up
 * to a minute) and each success takes a tenth of the base delay off again:
 * the rate backs off fast and recovers slowly.  Timeouts, connection
 * errors, 429 and 5xx are retried with exponential backoff and jitter,
 * after Retry-After when the server gives one (a longer one is cut to two
 * minutes).  A page's redirects are followed here, not by libcurl (at
 * most 5, the Location resolved against the URL that answered): each hop
 * is a request to its own host, after that host's robots.txt and under
 * its pace, and a hop robots.txt disallows ends the page (LP_FETCH_ROBOTS,
 * "redirected to URL: robots.txt of HOST disallows PATH").  Transfers may
 * be compressed, and a page larger than max_bytes is an error, never a
 * truncated page.  The transfers, retries and backoff are the transfer
 * engine's (web/transfer.h).
 *
 * Every wait (a host's delay, a backoff, a Retry-After, a stalled
 * transfer) is cut into steps of at most a quarter second, so a stop flag
 * set by a signal handler ends lp_fetch_wait() at once.
 *
 * A result says what went wrong with its page in err (text for people,
 * like an LLM result's message); the fetcher itself fails only to start.
 */
#ifndef LP_FETCH_H
#define LP_FETCH_H

#include <signal.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

struct lp_fetch_result;

struct lp_fetch_config {
	const char *agent;	/* robots.txt product token ("labelpipe") */
	const char *user_agent; /* the User-Agent header */
	double delay;		/* seconds between requests to a host */
	int per_host;		/* requests in flight per host */
	int max_retries;
	long timeout_ms;  /* per attempt */
	size_t max_bytes; /* largest page */
	int ignore_robots;
	/*
	 * Each HTTP answer that is not a result's own (robots.txt, attempts
	 * retried), for an archive; NULL: none.  The exchange is borrowed.
	 */
	void (*exchange)(void *arg, const struct lp_fetch_result *x);
	void *exchange_arg;
	int keep_raw; /* keep request and response heads in results */
	/*
	 * Set (by a signal handler, say): lp_fetch_wait() returns NULL
	 * within a quarter second, whatever it waits for.  NULL: never.
	 */
	volatile sig_atomic_t *stop;
	/*
	 * Frees the user pointer of each URL the fetcher still holds when it
	 * is freed (queued, in flight, or done but not taken, as after an
	 * interrupt).  NULL: the caller keeps track of them.
	 */
	void (*drop)(void *user);
};

enum lp_fetch_why {
	LP_FETCH_OK,	   /* a 2xx answer */
	LP_FETCH_HTTP,	   /* another status, after the retries */
	LP_FETCH_NETWORK,  /* no answer, after the retries */
	LP_FETCH_ROBOTS,   /* robots.txt disallows it (or a redirect) */
	LP_FETCH_TOO_LARGE /* over max_bytes */
};

struct lp_fetch_result {
	void *user;
	char *url;	 /* as asked */
	char *final_url; /* after redirects (the last hop asked) */
	enum lp_fetch_why why;
	long status;
	char content_type[128];
	struct lp_buf body;
	char err[256];
	int attempts; /* over every hop */
	double ms;    /* of the attempt that answered */
	/* With keep_raw: the last request as sent, the response's status
	 * line and headers as received (the body is decoded), the server. */
	struct lp_buf request, head;
	char ip[64];
};

/* A fetcher (cfg is copied); NULL with err set if libcurl cannot start. */
struct lp_fetch *lp_fetch_new(
    const struct lp_fetch_config *cfg, struct lp_error *err);
/* Queue url (http or https). */
void lp_fetch_add(struct lp_fetch *f, const char *url, void *user);
/*
 * The next finished page, waiting for one; NULL when none is left, or
 * when the config's stop flag is set (what is in flight stays so).
 */
struct lp_fetch_result *lp_fetch_wait(struct lp_fetch *f);
/* Free a result from lp_fetch_wait() (NULL is fine). */
void lp_fetch_result_free(struct lp_fetch_result *r);
/* Requests made (robots.txt included), retries, 429/503 answers seen. */
void lp_fetch_counts(const struct lp_fetch *f, long long *requests,
    long long *retries, long long *throttled);
/* Stop what is in flight and free f and the results not yet taken. */
void lp_fetch_free(struct lp_fetch *f);
/* ref resolved against base (RFC 3986), malloc'd; NULL if it cannot be. */
char *lp_url_resolve(const char *base, const char *ref);

#endif
