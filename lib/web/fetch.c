#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "core/clock.h"
#include "web/fetch.h"
#include "web/header.h"
#include "web/robots.h"
#include "web/transfer.h"

/* A host's delay doubles on 429 and 503 answers up to this. */
#define DELAY_MAX 60.0
/* Redirects followed for a page, at most. */
#define HOPS_MAX 5

/*
 * Retries: 1 s doubling to a minute, after Retry-After when the server
 * gives one, up to two minutes.
 */
static const struct lp_transfer_policy fetch_policy = {
    .first = 1.0,
    .cap = DELAY_MAX,
    .retry_after_max = 120.0,
    .clamp_retry_after = 1,
};

struct host;

struct job {
	struct lp_xfer x; /* first: a job is its transfer */
	struct job *next;
	char *asked;	 /* the URL asked for */
	char *url;	 /* this hop's: asked, or where it was redirected */
	char *path;	 /* path and query, for robots.txt */
	int hops, tries; /* redirects followed; attempts at hops before */
	void *user;
	struct host *h;
	int is_robots, keep_raw;
	double not_before;
	struct lp_buf request, head;
	char ctype[128];
};

struct host {
	struct host *next;
	char *key;  /* scheme://host:port */
	char *name; /* host, and :port if not the scheme's, for messages */
	struct lp_robots *robots;
	int robots_state; /* 0 not asked, 1 asking, 2 known */
	double next_at, delay, base;
	int inflight;
	struct job *queue, *tail;
	struct job *robots_retry; /* robots.txt, waiting to be asked again */
};

struct lp_fetch {
	struct lp_fetch_config cfg;
	struct lp_transfer *xfer;
	struct host *hosts;
	struct lp_fetch_result **done;
	size_t ndone, headdone, capdone;
	size_t pending; /* added and not yet returned */
	long long n_req, n_retry, n_throttle;
};

static void landed(struct lp_xfer *x, const struct lp_transfer_end *e);
static void on_header(struct lp_xfer *x, const char *p, size_t len);

struct lp_fetch *
lp_fetch_new(const struct lp_fetch_config *cfg, struct lp_error *err)
{
	struct lp_fetch *f = calloc(1, sizeof(*f));
	struct lp_transfer_config tc;

	if (f == NULL)
		abort();
	f->cfg = *cfg;
	if (f->cfg.per_host <= 0)
		f->cfg.per_host = 2;
	if (f->cfg.timeout_ms <= 0)
		f->cfg.timeout_ms = 30000;
	if (f->cfg.max_bytes == 0)
		f->cfg.max_bytes = 8u << 20;
	memset(&tc, 0, sizeof(tc));
	tc.user_agent = cfg->user_agent;
	tc.timeout_ms = f->cfg.timeout_ms;
	/* Keep connections for reuse, whatever the number of hosts. */
	tc.max_connects = 64;
	tc.retry = fetch_policy;
	tc.retry.max_retries = cfg->max_retries;
	if ((f->xfer = lp_transfer_new(&tc, err)) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

/*
 * scheme://host:port and the path with its query, or -1 (an http or
 * https URL only).
 */
static int
split_url(const char *url, char **key, char **path)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *q = NULL;
	int rc = -1;

	if ((strncasecmp(url, "http://", 7) == 0 ||
		strncasecmp(url, "https://", 8) == 0) &&
	    curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
		CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &p, 0) == CURLUE_OK) {
		size_t n = strlen(scheme) + strlen(host) + strlen(port) + 8;

		*key = lp_xmalloc(n);
		snprintf(*key, n, "%s://%s:%s", scheme, host, port);
		curl_url_get(u, CURLUPART_QUERY, &q, 0);
		n = strlen(p) + (q ? strlen(q) + 1 : 0) + 1;
		*path = lp_xmalloc(n);
		snprintf(*path, n, "%s%s%s", p, q ? "?" : "", q ? q : "");
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(p);
	curl_free(q);
	curl_url_cleanup(u);
	return rc;
}

static struct host *
host_of(struct lp_fetch *f, const char *key)
{
	const char *name = strstr(key, "://") + 3, *port;
	struct host *h;
	size_t n;

	for (h = f->hosts; h != NULL; h = h->next)
		if (strcmp(h->key, key) == 0)
			return h;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		abort();
	h->key = lp_xstrdup(key);
	/* The scheme's own port goes without saying. */
	port = strrchr(name, ':');
	n = (strncmp(key, "http:", 5) == 0 && strcmp(port, ":80") == 0) ||
		(strncmp(key, "https:", 6) == 0 && strcmp(port, ":443") == 0)
	    ? (size_t)(port - name)
	    : strlen(name);
	h->name = lp_xmalloc(n + 1);
	memcpy(h->name, name, n);
	h->name[n] = '\0';
	h->delay = h->base = f->cfg.delay;
	h->next = f->hosts;
	f->hosts = h;
	return h;
}

static void
enqueue(struct host *h, struct job *j, int front)
{
	j->next = NULL;
	if (front) {
		j->next = h->queue;
		h->queue = j;
		if (h->tail == NULL)
			h->tail = j;
	} else {
		if (h->tail != NULL)
			h->tail->next = j;
		else
			h->queue = j;
		h->tail = j;
	}
}

/* A user pointer the fetcher will not hand back. */
static void
drop(struct lp_fetch *f, void *user)
{
	if (f->cfg.drop != NULL && user != NULL)
		f->cfg.drop(user);
}

static struct job *
job_new(struct lp_fetch *f, const char *url, void *user)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j == NULL)
		abort();
	j->asked = lp_xstrdup(url);
	j->url = lp_xstrdup(url);
	j->user = user;
	j->x.done = landed;
	j->x.header = on_header;
	j->x.arg = f;
	j->x.max_body = f->cfg.max_bytes;
	return j;
}

static void
job_free(struct job *j)
{
	lp_buf_release(&j->x.body);
	lp_buf_release(&j->request);
	lp_buf_release(&j->head);
	free(j->asked);
	free(j->url);
	free(j->path);
	free(j);
}

static void
ip_of(CURL *easy, char *out, size_t n)
{
	char *ip = NULL;

	snprintf(out, n, "%s",
	    easy != NULL &&
		    curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) ==
			CURLE_OK &&
		    ip != NULL
		? ip
		: "");
}

/* A result for j, which goes; easy is its last attempt's, or NULL. */
static void
finish(struct lp_fetch *f, struct job *j, CURL *easy, enum lp_fetch_why why,
    long status, const char *err)
{
	struct lp_fetch_result *r = calloc(1, sizeof(*r));

	if (r == NULL)
		abort();
	r->user = j->user;
	r->url = j->asked;
	r->final_url = j->url;
	r->why = why;
	r->status = status;
	r->attempts = j->tries + j->x.attempts;
	r->body = j->x.body;
	r->request = j->request;
	r->head = j->head;
	ip_of(easy, r->ip, sizeof(r->ip));
	r->ms = (lp_clock() - j->x.t0) * 1000;
	snprintf(r->content_type, sizeof(r->content_type), "%s", j->ctype);
	snprintf(r->err, sizeof(r->err), "%s", err ? err : "");
	if (f->ndone == f->capdone) {
		f->capdone = f->capdone ? f->capdone * 2 : 16;
		f->done = lp_xrealloc(f->done, sizeof(*f->done) * f->capdone);
	}
	f->done[f->ndone++] = r;
	free(j->path);
	free(j);
}

void
lp_fetch_add(struct lp_fetch *f, const char *url, void *user)
{
	struct job *j = job_new(f, url, user);
	char *key;

	f->pending++;
	if (split_url(url, &key, &j->path) != 0) {
		finish(f, j, NULL, LP_FETCH_NETWORK, 0,
		    "not an http or https URL");
		return;
	}
	j->h = host_of(f, key);
	free(key);
	enqueue(j->h, j, 0);
}

/* The request headers as sent (kept for an archive). */
static int
on_debug(CURL *easy, curl_infotype type, char *p, size_t n, void *arg)
{
	struct job *j = arg;

	(void)easy;
	if (type == CURLINFO_HEADER_OUT) {
		lp_buf_reset(&j->request); /* a redirect: the last one counts */
		lp_buf_add(&j->request, p, n);
	}
	return 0;
}

static void
on_header(struct lp_xfer *x, const char *p, size_t len)
{
	struct job *j = (struct job *)x;

	if (j->keep_raw) {
		/* Each response (a redirect, a 100) starts again. */
		if (lp_header_status(p, len) >= 0)
			lp_buf_reset(&j->head);
		lp_buf_add(&j->head, p, len);
	}
	lp_header_match(p, len, "content-type", j->ctype, sizeof(j->ctype));
}

static void
start(struct lp_fetch *f, struct job *j, double now)
{
	char robots_url[1024];
	const char *url = j->url;
	CURL *e;

	if (j->is_robots) {
		snprintf(
		    robots_url, sizeof(robots_url), "%s/robots.txt", j->h->key);
		url = robots_url;
	}
	e = lp_transfer_easy(f->xfer, &j->x, url);
	j->ctype[0] = '\0';
	/*
	 * robots.txt follows its redirects (RFC 9309 2.3.1.2); a page's are
	 * followed here (redirect()), each hop under its host's robots.txt
	 * and pace.
	 */
	if (j->is_robots) {
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)HOPS_MAX);
		curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	}
	/* A stalled server: under 100 bytes/s for 15 s. */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 100L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 15L);
	curl_easy_setopt(
	    e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->cfg.max_bytes);
	j->keep_raw = f->cfg.keep_raw || f->cfg.exchange != NULL;
	lp_buf_reset(&j->request);
	lp_buf_reset(&j->head);
	if (j->keep_raw) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, j);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	f->n_req++;
	f->n_retry += j->x.attempts > 0;
	j->h->inflight++;
	lp_transfer_start(f->xfer, &j->x, now);
}

static void
robots_known(struct host *h, struct lp_robots *r)
{
	double cd = lp_robots_crawl_delay(r);

	h->robots = r;
	h->robots_state = 2;
	/* The site may ask for more time between requests, never less. */
	if (cd > h->base) {
		h->base = cd;
		if (h->delay < cd)
			h->delay = cd;
	}
}

/* What went wrong with an attempt, for people; "" for a 2xx answer. */
static void
describe(const struct lp_fetch *f, const struct lp_transfer_end *e, char *err,
    size_t n)
{
	err[0] = '\0';
	if (e->kind == LP_TRANSFER_TOO_LARGE)
		snprintf(err, n, "the page is larger than %zu bytes",
		    f->cfg.max_bytes);
	else if (e->kind == LP_TRANSFER_NO_ANSWER)
		snprintf(err, n, "%s", e->error);
	else if (e->status < 200 || e->status >= 300)
		snprintf(err, n, "HTTP %ld", e->status);
}

/*
 * The host's pace after an answer: 429 and 503 double its delay
 * (multiplicative decrease of the rate); a success takes a tenth of the
 * base delay (or 0.1 s) off again (additive recovery).
 */
static void
pace(
    struct lp_fetch *f, struct host *h, const struct lp_transfer_end *e, int ok)
{
	if (e->kind == LP_TRANSFER_ANSWERED &&
	    (e->status == 429 || e->status == 503)) {
		f->n_throttle++;
		h->delay = h->delay > 0 ? h->delay * 2 : 1;
		if (h->delay > DELAY_MAX)
			h->delay = DELAY_MAX;
	} else if (ok && h->delay > h->base)
		h->delay = fmax(h->base, h->delay - fmax(h->base / 10, 0.1));
}

/* An answer that is not a result's own goes to the archive now. */
static void
archive(struct lp_fetch *f, struct job *j, const struct lp_transfer_end *e)
{
	struct lp_fetch_result x;
	char robots_url[1024];

	memset(&x, 0, sizeof(x));
	snprintf(robots_url, sizeof(robots_url), "%s/robots.txt", j->h->key);
	x.url = x.final_url = j->is_robots ? robots_url : j->url;
	x.status = e->status;
	x.body = j->x.body;
	x.request = j->request;
	x.head = j->head;
	ip_of(e->easy, x.ip, sizeof(x.ip));
	f->cfg.exchange(f->cfg.exchange_arg, &x);
}

/* RFC 9309 2.3.1: a 2xx is the rules; 4xx allows all; 5xx or none, none. */
static void
robots_landed(struct lp_fetch *f, struct job *j, long status, int ok)
{
	struct lp_robots *r = ok
	    ? lp_robots_parse(
		  j->x.body.p ? j->x.body.p : "", j->x.body.len, f->cfg.agent)
	    : status >= 400 && status < 500 ? lp_robots_new(1)
					    : lp_robots_new(0);

	robots_known(j->h, r);
	job_free(j);
}

/*
 * A page's 3xx answer: 1 if it was followed (j queued again, for the host
 * it points to, whose robots.txt and pace then apply) or ended j (too
 * many hops, not http); 0 when it has no Location (the answer is the
 * page's).  libcurl resolves the Location against the URL asked.
 */
static int
redirect(struct lp_fetch *f, struct job *j, const struct lp_transfer_end *e)
{
	char *to = NULL, *key, *path;

	if (curl_easy_getinfo(e->easy, CURLINFO_REDIRECT_URL, &to) !=
		CURLE_OK ||
	    to == NULL)
		return 0;
	if (f->cfg.exchange != NULL)
		archive(f, j, e);
	if (j->hops == HOPS_MAX) {
		finish(f, j, e->easy, LP_FETCH_HTTP, e->status,
		    "more than 5 redirects");
		return 1;
	}
	if (split_url(to, &key, &path) != 0) {
		finish(f, j, e->easy, LP_FETCH_HTTP, e->status,
		    "redirected to a URL that is not http or https");
		return 1;
	}
	free(j->url);
	j->url = lp_xstrdup(to);
	free(j->path);
	j->path = path;
	j->hops++;
	j->tries += j->x.attempts;
	j->x.attempts = 0;
	j->not_before = 0;
	j->h = host_of(f, key);
	free(key);
	enqueue(j->h, j, 0);
	return 1;
}

/* An attempt ended: done, redirected, retried, or failed. */
static void
landed(struct lp_xfer *x, const struct lp_transfer_end *e)
{
	struct job *j = (struct job *)x;
	struct lp_fetch *f = x->arg;
	struct host *h = j->h;
	double delay = 0;
	int retry;
	char err[256];

	if (e->kind == LP_TRANSFER_CANCELLED) {
		drop(f, j->user);
		job_free(j);
		return;
	}
	h->inflight--;
	if (!j->is_robots && e->kind == LP_TRANSFER_ANSWERED &&
	    e->status >= 300 && e->status < 400 && redirect(f, j, e))
		return;
	describe(f, e, err, sizeof(err));
	pace(f, h, e, err[0] == '\0');
	retry = lp_transfer_again(
	    f->xfer, x, lp_transfer_retryable(f->xfer, e), &delay);
	if (f->cfg.exchange != NULL && e->status > 0 && (j->is_robots || retry))
		archive(f, j, e);
	if (retry) {
		j->not_before = e->now + delay;
		if (j->is_robots)
			h->robots_retry = j;
		else
			enqueue(h, j, 1);
	} else if (j->is_robots)
		robots_landed(f, j, e->status, err[0] == '\0');
	else
		finish(f, j, e->easy,
		    err[0] == '\0'			   ? LP_FETCH_OK
			: e->kind == LP_TRANSFER_TOO_LARGE ? LP_FETCH_TOO_LARGE
			: e->status > 0			   ? LP_FETCH_HTTP
							   : LP_FETCH_NETWORK,
		    e->status, err[0] ? err : NULL);
}

/* robots.txt for h: asked first, and again after a retryable failure. */
static double
schedule_robots(struct lp_fetch *f, struct host *h, double now, double wait)
{
	struct job *r;

	if (h->robots_state == 0) {
		if (f->cfg.ignore_robots) {
			robots_known(h, lp_robots_new(1));
			return wait;
		}
		r = job_new(f, h->key, NULL);
		r->is_robots = 1;
		r->h = h;
		h->robots_state = 1;
		start(f, r, now);
		h->next_at = now + h->delay;
	} else if (h->robots_state == 1 && (r = h->robots_retry) != NULL) {
		if (r->not_before > now)
			return fmin(wait, r->not_before - now);
		h->robots_retry = NULL;
		start(f, r, now);
	}
	return wait;
}

/* j is not fetched: robots.txt of its host (asked or redirected to). */
static void
disallowed(struct lp_fetch *f, struct job *j)
{
	char err[320]; /* cut to a result's 256 by finish() */

	if (j->hops == 0)
		snprintf(err, sizeof(err), "robots.txt disallows it");
	else
		snprintf(err, sizeof(err),
		    "redirected to %.100s: robots.txt of %.40s disallows %.60s",
		    j->url, j->h->name, j->path);
	finish(f, j, NULL, LP_FETCH_ROBOTS, 0, err);
}

/* Start what h allows; the wait until it could start more. */
static double
schedule_host(struct lp_fetch *f, struct host *h, double now, double wait)
{
	while (h->queue != NULL && h->inflight < f->cfg.per_host) {
		struct job *j = h->queue, *prev = NULL;

		if (now < h->next_at)
			return fmin(wait, h->next_at - now);
		/* The first job whose backoff is over. */
		while (j != NULL && j->not_before > now) {
			wait = fmin(wait, j->not_before - now);
			prev = j;
			j = j->next;
		}
		if (j == NULL)
			break;
		if (prev != NULL)
			prev->next = j->next;
		else
			h->queue = j->next;
		if (h->tail == j)
			h->tail = prev;
		if (j->x.attempts == 0 &&
		    !lp_robots_allowed(h->robots, j->path)) {
			disallowed(f, j);
			continue;
		}
		start(f, j, now);
		h->next_at = now + h->delay;
	}
	return wait;
}

/* Start what the hosts allow; seconds until more could start. */
static double
schedule(struct lp_fetch *f, double now)
{
	double wait = 0.25;
	struct host *h;

	for (h = f->hosts; h != NULL; h = h->next) {
		if (h->queue == NULL)
			continue;
		if (h->robots_state != 2) {
			int asking = h->robots_state == 1;

			wait = schedule_robots(f, h, now, wait);
			/* Known at once (ignored): go on to the pages. */
			if (asking || h->robots_state != 2)
				continue;
		}
		wait = schedule_host(f, h, now, wait);
	}
	return wait;
}

static int
busy(const struct lp_fetch *f)
{
	const struct host *h;

	if (lp_transfer_running(f->xfer) > 0)
		return 1;
	for (h = f->hosts; h != NULL; h = h->next)
		if (h->queue != NULL || h->robots_retry != NULL)
			return 1;
	return 0;
}

struct lp_fetch_result *
lp_fetch_wait(struct lp_fetch *f)
{
	while (f->headdone == f->ndone && busy(f)) {
		double wait;

		/* Every wait below is short (schedule() gives at most a
		 * quarter second) and a signal cuts it shorter. */
		if (f->cfg.stop != NULL && *f->cfg.stop)
			return NULL;
		wait = schedule(f, lp_clock());

		/* Something ended (robots.txt): no waiting, schedule again. */
		lp_transfer_step(f->xfer, f->headdone == f->ndone ? wait : -1);
	}
	if (f->headdone == f->ndone)
		return NULL;
	f->pending--;
	return f->done[f->headdone++];
}

void
lp_fetch_result_free(struct lp_fetch_result *r)
{
	if (r == NULL)
		return;
	free(r->url);
	free(r->final_url);
	lp_buf_release(&r->body);
	lp_buf_release(&r->request);
	lp_buf_release(&r->head);
	free(r);
}

void
lp_fetch_counts(const struct lp_fetch *f, long long *requests,
    long long *retries, long long *throttled)
{
	*requests = f->n_req;
	*retries = f->n_retry;
	*throttled = f->n_throttle;
}

void
lp_fetch_free(struct lp_fetch *f)
{
	struct host *h;
	struct job *j;

	if (f == NULL)
		return;
	/* The jobs in flight go first (landed() frees them). */
	lp_transfer_free(f->xfer);
	while ((h = f->hosts) != NULL) {
		f->hosts = h->next;
		while ((j = h->queue) != NULL) {
			h->queue = j->next;
			drop(f, j->user);
			job_free(j);
		}
		if (h->robots_retry != NULL)
			job_free(h->robots_retry);
		lp_robots_free(h->robots);
		free(h->key);
		free(h->name);
		free(h);
	}
	while (f->headdone < f->ndone) {
		drop(f, f->done[f->headdone]->user);
		lp_fetch_result_free(f->done[f->headdone++]);
	}
	free(f->done);
	free(f);
}

char *
lp_url_resolve(const char *base, const char *ref)
{
	CURLU *u = curl_url();
	char *out = NULL, *copy = NULL;

	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		copy = lp_xstrdup(out);
	curl_free(out);
	curl_url_cleanup(u);
	return copy;
}
