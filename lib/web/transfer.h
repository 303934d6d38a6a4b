/*
 * The transfer engine: every concurrent HTTP transfer of liblp (the pages
 * of lp-scrape, the calls of the LLM tools) runs here, on one libcurl multi
 * handle that the engine owns, with one event loop, one header parser
 * (web/header.h) and one retry policy.
 *
 * A client embeds a struct lp_xfer in each of its jobs, sets its done
 * callback (and, if it reads headers, its header callback), gets an easy
 * handle with the common options from lp_transfer_easy(), adds its own
 * options, and starts it; lp_transfer_step() then moves the transfers along
 * and calls done once for each attempt that ends.  Between attempts the
 * client keeps the job: what to start when (per-host politeness, rate
 * limits) is its own business; how long to wait before trying again is the
 * policy's (lp_transfer_again()).
 *
 * The retry policy: a network error is retried unless waiting cannot mend
 * it (a bad URL or protocol, too many redirects, a certificate or CA
 * problem); an answer is retried if its status is 408, 429, 5xx (and 409
 * where the client says so).  The wait doubles from first up to cap, less
 * up to a quarter at random (jitter), unless the server said how long in
 * Retry-After (seconds or an HTTP date) or, where the client reads it,
 * retry-after-ms; a longer wait than retry_after_max is either cut to it or
 * ignored for the usual backoff, as the client says.
 *
 * The engine is for one thread, but for lp_transfer_wakeup().  It never
 * prints and never exits.
 */
#ifndef LP_WEB_TRANSFER_H
#define LP_WEB_TRANSFER_H

#include <curl/curl.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

struct lp_transfer;

struct lp_transfer_policy {
	int max_retries;   /* attempts after the first */
	double first, cap; /* backoff: first * 2^(attempt - 1), at most cap */
	double retry_after_max; /* the longest wait a server is granted */
	int clamp_retry_after;	/* longer: cut to the max (1) or backoff (0) */
	int retry_409;		/* 409 Conflict is retried too */
	int retry_after_ms;	/* retry-after-ms (milliseconds) wins */
};

struct lp_transfer_config {
	const char *user_agent; /* the User-Agent header (copied) */
	long timeout_ms;	/* per attempt; connecting at most 10 s of it */
	long max_connects;	/* connections kept for reuse */
	struct lp_transfer_policy retry;
};

enum lp_transfer_kind {
	LP_TRANSFER_ANSWERED,  /* a status came (any status) */
	LP_TRANSFER_NO_ANSWER, /* a network error: cc and error say which */
	LP_TRANSFER_TOO_LARGE, /* the body went over max_body */
	LP_TRANSFER_CANCELLED  /* the engine is being freed: free the job */
};

/* How an attempt ended, for the done callback. */
struct lp_transfer_end {
	enum lp_transfer_kind kind;
	CURLcode cc;
	long status;	   /* the HTTP status; 0 with NO_ANSWER */
	const char *error; /* NO_ANSWER: libcurl's words; else "" */
	double now;	   /* lp_clock() when it ended */
	double ms;	   /* how long the attempt took */
	CURL *easy;	   /* the attempt's handle, for curl_easy_getinfo() */
};

/*
 * One transfer, embedded in a client's job.  The client sets done, header,
 * arg and max_body; the engine fills the rest.  body is reset at each
 * attempt and released by the client (who may take it in done).  easy and
 * headers (request headers the client may append to, freed by the engine)
 * are set from lp_transfer_easy() until the attempt ends (done then finds
 * the handle in its struct lp_transfer_end).
 */
struct lp_xfer {
	void (*done)(struct lp_xfer *x, const struct lp_transfer_end *e);
	/* Each response header line as received (CRLF included); or NULL. */
	void (*header)(struct lp_xfer *x, const char *line, size_t len);
	void *arg;
	size_t max_body; /* 0: no limit; counted as decoded (gzip inflated) */

	CURL *easy;
	struct curl_slist *headers;
	struct lp_buf body;
	int attempts;	    /* started so far */
	double t0;	    /* when the attempt started */
	double retry_after; /* seconds the server asked for; -1: none */
	double retry_after_ms;
	int too_large;
	/* The body of a POST (lp_transfer_post()), sent once per attempt. */
	const char *post;
	size_t post_len, post_off;
	int resend_refused; /* libcurl wanted to send it again */
	char cerr[CURL_ERROR_SIZE];
	struct lp_xfer *prev, *next; /* in flight */
};

/* NULL with err set when libcurl cannot start. */
struct lp_transfer *lp_transfer_new(
    const struct lp_transfer_config *cfg, struct lp_error *err);
/* Cancel what is in flight (done with LP_TRANSFER_CANCELLED), then free. */
void lp_transfer_free(struct lp_transfer *t);
/*
 * A new easy handle for x's next attempt at url, with the options every
 * transfer has (user agent, timeouts, http and https only, compression,
 * x's callbacks), in x->easy; x's per-attempt state is reset.  A body
 * limit (max_body) applies to the body as decoded, so a small compressed
 * reply cannot inflate past it.  Like
 * lp_xmalloc(), it aborts if there is no memory for one.
 */
CURL *lp_transfer_easy(
    struct lp_transfer *t, struct lp_xfer *x, const char *url);
/*
 * Make x's attempt a POST of body[0..len) (borrowed until the attempt
 * ends).  The body is sent once per attempt: when a reused connection
 * turns out dead after the request went out, libcurl would send it again
 * on a fresh one by itself, unseen by the retry limit, the budget, the
 * counts and the audit log; that is refused, and the attempt ends as a
 * network error ("the connection closed before an answer") that the
 * client's retry policy counts and decides on like any other.
 */
void lp_transfer_post(struct lp_xfer *x, const char *body, size_t len);
/* Start x (after lp_transfer_easy() and the client's own options). */
void lp_transfer_start(struct lp_transfer *t, struct lp_xfer *x, double now);
/*
 * Move the transfers along, call done for each attempt that ended, and if
 * none did and wait > 0, wait at most wait seconds (rounded up to the
 * millisecond) for activity or lp_transfer_wakeup(); a wait of 0 only
 * looks, and never sleeps.  Returns the number that ended.
 */
int lp_transfer_step(struct lp_transfer *t, double wait);
/* Transfers in flight. */
int lp_transfer_running(const struct lp_transfer *t);
/* Wake a lp_transfer_step() that waits (from any thread). */
void lp_transfer_wakeup(struct lp_transfer *t);

/* Whether an attempt that ended so may be worth another (see above). */
int lp_transfer_retryable(
    const struct lp_transfer *t, const struct lp_transfer_end *e);
/* A network error that waiting cannot mend. */
int lp_transfer_permanent(CURLcode cc);
/*
 * Whether x is tried again: retryable (lp_transfer_retryable(), or the
 * client's own judgement of an answer) and attempts left.  1 with *delay
 * the seconds to wait first, else 0.
 */
int lp_transfer_again(struct lp_transfer *t, const struct lp_xfer *x,
    int retryable, double *delay);
/*
 * The seconds to wait after attempt number attempts (1 the first) under
 * policy p, with a Retry-After of retry_after seconds (-1: none) and unit,
 * a random number in [0, 1), for the jitter.
 */
double lp_transfer_backoff(const struct lp_transfer_policy *p, int attempts,
    double retry_after, double unit);

#endif
