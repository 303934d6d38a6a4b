#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/status.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/rng.h"
#include "web/header.h"
#include "web/transfer.h"

/* The jitter takes up to this share off a backoff. */
#define JITTER 0.25
/* Connecting may take at most this much of an attempt's time. */
#define CONNECT_MAX_MS 10000L

struct lp_transfer {
	struct lp_transfer_config cfg;
	char *user_agent;
	CURLM *multi;
	struct lp_xfer *flying; /* doubly linked, newest first */
	int running;
	struct lp_rng rng; /* the jitter */
};

struct lp_transfer *
lp_transfer_new(const struct lp_transfer_config *cfg, struct lp_error *err)
{
	struct lp_transfer *t;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		lp_error_set(err, "cannot start libcurl");
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		abort();
	t->cfg = *cfg;
	t->user_agent = lp_xstrdup(cfg->user_agent ? cfg->user_agent : "");
	t->cfg.user_agent = t->user_agent;
	if ((t->multi = curl_multi_init()) == NULL) {
		free(t->user_agent);
		free(t);
		lp_error_set(err, "cannot start libcurl");
		return NULL;
	}
	/* Keep connections for reuse. */
	curl_multi_setopt(t->multi, CURLMOPT_MAXCONNECTS, cfg->max_connects);
	t->rng.s = (unsigned long long)time(NULL) ^
	    ((unsigned long long)getpid() << 32);
	return t;
}

static void
unlink_xfer(struct lp_transfer *t, struct lp_xfer *x)
{
	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		t->flying = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
	t->running--;
}

/*
 * The attempt of x ended: tell its client, then free the handle.  The
 * client may free x in done, so what the engine still needs is taken out
 * first.
 */
static void
end(struct lp_transfer *t, struct lp_xfer *x, struct lp_transfer_end *e)
{
	CURL *easy = x->easy;
	struct curl_slist *headers = x->headers;

	curl_multi_remove_handle(t->multi, easy);
	unlink_xfer(t, x);
	x->easy = NULL;
	x->headers = NULL;
	e->easy = easy;
	x->done(x, e);
	curl_easy_cleanup(easy);
	curl_slist_free_all(headers);
}

void
lp_transfer_free(struct lp_transfer *t)
{
	struct lp_transfer_end e;

	if (t == NULL)
		return;
	memset(&e, 0, sizeof(e));
	e.kind = LP_TRANSFER_CANCELLED;
	e.error = "";
	while (t->flying != NULL)
		end(t, t->flying, &e);
	curl_multi_cleanup(t->multi);
	free(t->user_agent);
	free(t);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct lp_xfer *x = arg;

	/* Over the limit: stop here; the body is an error, not cut short. */
	if (x->max_body > 0 && x->body.len + size * n > x->max_body) {
		x->too_large = 1;
		return 0;
	}
	lp_buf_add(&x->body, p, size * n);
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct lp_xfer *x = arg;
	size_t len = size * n;
	char v[64];

	if (lp_header_match(p, len, "retry-after-ms", v, sizeof(v)))
		x->retry_after_ms = strtod(v, NULL) / 1000;
	else if (lp_header_match(p, len, "retry-after", v, sizeof(v)))
		x->retry_after = lp_header_retry_after(v, (double)time(NULL));
	if (x->header != NULL)
		x->header(x, p, len);
	return len;
}

/* The POST body, for libcurl's upload: from where it stopped. */
static size_t
on_read(char *p, size_t size, size_t n, void *arg)
{
	struct lp_xfer *x = arg;
	size_t k = x->post_len - x->post_off;

	if (k > size * n)
		k = size * n;
	memcpy(p, x->post + x->post_off, k);
	x->post_off += k;
	return k;
}

/*
 * libcurl asks to send the body again: a reused connection died after the
 * request went out.  Refused, so the retry is the client's, and counted.
 */
static int
on_seek(void *arg, curl_off_t offset, int origin)
{
	struct lp_xfer *x = arg;

	if (offset == 0 && origin == SEEK_SET && x->post_off == 0)
		return CURL_SEEKFUNC_OK;
	x->resend_refused = 1;
	return CURL_SEEKFUNC_CANTSEEK;
}

void
lp_transfer_post(struct lp_xfer *x, const char *body, size_t len)
{
	x->post = body;
	x->post_len = len;
	x->post_off = 0;
	curl_easy_setopt(x->easy, CURLOPT_POST, 1L);
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(x->easy, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(x->easy, CURLOPT_READDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_SEEKFUNCTION, on_seek);
	curl_easy_setopt(x->easy, CURLOPT_SEEKDATA, x);
}

CURL *
lp_transfer_easy(struct lp_transfer *t, struct lp_xfer *x, const char *url)
{
	CURL *e;

	if ((x->easy = e = curl_easy_init()) == NULL)
		abort();
	x->headers = NULL;
	lp_buf_reset(&x->body);
	x->retry_after = x->retry_after_ms = -1;
	x->too_large = 0;
	x->post = NULL;
	x->post_len = x->post_off = 0;
	x->resend_refused = 0;
	x->cerr[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_USERAGENT, t->user_agent);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, t->cfg.timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    t->cfg.timeout_ms < CONNECT_MAX_MS ? t->cfg.timeout_ms
					       : CONNECT_MAX_MS);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->cerr);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	return e;
}

void
lp_transfer_start(struct lp_transfer *t, struct lp_xfer *x, double now)
{
	if (x->headers != NULL)
		curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	x->attempts++;
	x->t0 = now;
	x->prev = NULL;
	x->next = t->flying;
	if (t->flying != NULL)
		t->flying->prev = x;
	t->flying = x;
	t->running++;
	curl_multi_add_handle(t->multi, x->easy);
}

/* What a finished message says about its transfer. */
static void
ended(struct lp_transfer *t, CURLMsg *m)
{
	struct lp_transfer_end e;
	struct lp_xfer *x;

	curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
	memset(&e, 0, sizeof(e));
	e.cc = m->data.result;
	e.now = lp_clock();
	e.ms = (e.now - x->t0) * 1000;
	e.error = "";
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &e.status);
	if (x->too_large || e.cc == CURLE_FILESIZE_EXCEEDED)
		e.kind = LP_TRANSFER_TOO_LARGE;
	else if (e.cc != CURLE_OK) {
		e.kind = LP_TRANSFER_NO_ANSWER;
		e.status = 0;
		e.error = x->cerr[0] ? x->cerr : curl_easy_strerror(e.cc);
		if (x->resend_refused)
			e.error = "the connection closed before an answer";
	} else
		e.kind = LP_TRANSFER_ANSWERED;
	end(t, x, &e);
}

int
lp_transfer_step(struct lp_transfer *t, double wait)
{
	int still, left, n = 0;
	CURLMsg *m;

	curl_multi_perform(t->multi, &still);
	while ((m = curl_multi_info_read(t->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		ended(t, m);
		n++;
	}
	/*
	 * A wait of 0 only looks (the caller has work of its own); any
	 * other wait is rounded up to the next millisecond, so a short one
	 * does not spin.
	 */
	if (n == 0 && wait >= 0)
		curl_multi_poll(
		    t->multi, NULL, 0, (int)ceil(wait * 1000), NULL);
	return n;
}

int
lp_transfer_running(const struct lp_transfer *t)
{
	return t->running;
}

void
lp_transfer_wakeup(struct lp_transfer *t)
{
	curl_multi_wakeup(t->multi);
}

int
lp_transfer_permanent(CURLcode cc)
{
	return cc == CURLE_URL_MALFORMAT || cc == CURLE_UNSUPPORTED_PROTOCOL ||
	    cc == CURLE_TOO_MANY_REDIRECTS ||
	    cc == CURLE_PEER_FAILED_VERIFICATION ||
	    cc == CURLE_SSL_CACERT_BADFILE;
}

int
lp_transfer_retryable(
    const struct lp_transfer *t, const struct lp_transfer_end *e)
{
	switch (e->kind) {
	case LP_TRANSFER_NO_ANSWER:
		return !lp_transfer_permanent(e->cc);
	case LP_TRANSFER_ANSWERED:
		return e->status == 408 || e->status == 429 ||
		    e->status >= 500 ||
		    (e->status == 409 && t->cfg.retry.retry_409);
	default:
		return 0;
	}
}

double
lp_transfer_backoff(const struct lp_transfer_policy *p, int attempts,
    double retry_after, double unit)
{
	double d = p->first * pow(2, attempts - 1);

	if (retry_after >= 0 && retry_after <= p->retry_after_max)
		return retry_after;
	if (retry_after >= 0 && p->clamp_retry_after)
		return p->retry_after_max;
	if (d > p->cap)
		d = p->cap;
	return d * (1 - JITTER * unit);
}

int
lp_transfer_again(struct lp_transfer *t, const struct lp_xfer *x, int retryable,
    double *delay)
{
	const struct lp_transfer_policy *p = &t->cfg.retry;
	double ra = p->retry_after_ms && x->retry_after_ms >= 0
	    ? x->retry_after_ms
	    : x->retry_after;

	if (!retryable || x->attempts > p->max_retries)
		return 0;
	*delay = lp_transfer_backoff(p, x->attempts, ra, lp_rng_unit(&t->rng));
	return 1;
}
