#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/status.h"
#include "core/clock.h"
#include "web/fetch.h"
#include "llm/llm.h"
#include "web/robots.h"

#define RETRY_AFTER_MAX 120.0
#define DELAY_MAX 60.0
#define BACKOFF_FIRST 1.0

struct host;

struct job {
	struct job *next;
	char *url;
	char *path; /* path and query, for robots.txt */
	void *user;
	struct host *h;
	int attempts, is_robots, too_large, keep_raw;
	size_t max;
	double not_before, t0, retry_after;
	CURL *easy;
	struct curl_slist *headers;
	struct lp_buf body, request, head;
	char ctype[128];
	char cerr[CURL_ERROR_SIZE];
};

struct host {
	struct host *next;
	char *key; /* scheme://host:port */
	struct lp_robots *robots;
	int robots_state; /* 0 not asked, 1 asking, 2 known */
	double next_at, delay, base;
	int inflight;
	struct job *queue, *tail;
	struct job *robots_retry; /* robots.txt, waiting to be asked again */
};

struct lp_fetch {
	struct lp_fetch_config cfg;
	CURLM *multi;
	struct host *hosts;
	struct job *flying;
	struct lp_fetch_result **done;
	size_t ndone, headdone, capdone;
	size_t pending; /* added and not yet returned */
	long long n_req, n_retry, n_throttle;
	unsigned int seed;
};

struct lp_fetch *
lp_fetch_new(const struct lp_fetch_config *cfg)
{
	struct lp_fetch *f = calloc(1, sizeof(*f));

	if (f == NULL)
		abort();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	f->cfg = *cfg;
	if (f->cfg.per_host <= 0)
		f->cfg.per_host = 2;
	if (f->cfg.timeout_ms <= 0)
		f->cfg.timeout_ms = 30000;
	if (f->cfg.max_bytes == 0)
		f->cfg.max_bytes = 8u << 20;
	f->multi = curl_multi_init();
	/* Keep connections for reuse, whatever the number of hosts. */
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, 64L);
	f->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	return f;
}

/* scheme://host:port and the path with its query, or -1. */
static int
split_url(const char *url, char **key, char **path)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *q = NULL;
	int rc = -1;

	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
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
	struct host *h;

	for (h = f->hosts; h != NULL; h = h->next)
		if (strcmp(h->key, key) == 0)
			return h;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		abort();
	h->key = lp_xstrdup(key);
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

static void
ip_of(CURL *easy, char *out, size_t n)
{
	char *ip = NULL;

	snprintf(out, n, "%s",
	    curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
		    ip != NULL
		? ip
		: "");
}

static void
finish(struct lp_fetch *f, struct job *j, enum lp_fetch_why why, long status,
    const char *err)
{
	struct lp_fetch_result *r = calloc(1, sizeof(*r));
	char *eff = NULL;

	if (r == NULL)
		abort();
	r->user = j->user;
	r->url = j->url;
	r->why = why;
	r->status = status;
	r->attempts = j->attempts;
	r->body = j->body;
	r->request = j->request;
	r->head = j->head;
	if (j->easy != NULL)
		ip_of(j->easy, r->ip, sizeof(r->ip));
	r->ms = (lp_clock() - j->t0) * 1000;
	snprintf(r->content_type, sizeof(r->content_type), "%s", j->ctype);
	snprintf(r->err, sizeof(r->err), "%s", err ? err : "");
	if (j->easy != NULL &&
	    curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &eff) ==
		CURLE_OK &&
	    eff != NULL)
		r->final_url = lp_xstrdup(eff);
	else
		r->final_url = lp_xstrdup(j->url);
	if (j->easy != NULL)
		curl_easy_cleanup(j->easy);
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
	struct job *j = calloc(1, sizeof(*j));
	char *key;

	if (j == NULL)
		abort();
	j->url = lp_xstrdup(url);
	j->user = user;
	f->pending++;
	if (split_url(url, &key, &j->path) != 0 ||
	    (strncasecmp(url, "http://", 7) != 0 &&
		strncasecmp(url, "https://", 8) != 0)) {
		finish(f, j, LP_FETCH_NETWORK, 0, "not an http or https URL");
		return;
	}
	j->h = host_of(f, key);
	free(key);
	enqueue(j->h, j, 0);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct job *j = arg;

	/* Over the limit: stop here; the page is an error, not cut short. */
	if (j->body.len + size * n > j->max) {
		j->too_large = 1;
		return 0;
	}
	lp_buf_add(&j->body, p, size * n);
	return size * n;
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

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	size_t len = size * n;

	if (j->keep_raw) {
		/* Each response (a redirect, a 100) starts again. */
		if (len > 5 && strncmp(p, "HTTP/", 5) == 0)
			lp_buf_reset(&j->head);
		lp_buf_add(&j->head, p, len);
	}

	if (len > 12 && strncasecmp(p, "retry-after:", 12) == 0) {
		char v[64];

		snprintf(v, sizeof(v), "%.*s", (int)(len - 12), p + 12);
		j->retry_after = lp_llm_retry_after(v, (double)time(NULL));
	} else if (len > 13 && strncasecmp(p, "content-type:", 13) == 0) {
		size_t k = 13;

		while (k < len && p[k] == ' ')
			k++;
		while (len > k && (p[len - 1] == '\r' || p[len - 1] == '\n'))
			len--;
		snprintf(
		    j->ctype, sizeof(j->ctype), "%.*s", (int)(len - k), p + k);
	}
	return size * n;
}

static void
start(struct lp_fetch *f, struct job *j, double now)
{
	char robots_url[1024];
	const char *url = j->url;

	if (j->is_robots) {
		snprintf(
		    robots_url, sizeof(robots_url), "%s/robots.txt", j->h->key);
		url = robots_url;
	}
	j->easy = curl_easy_init();
	lp_buf_reset(&j->body);
	j->ctype[0] = j->cerr[0] = '\0';
	j->retry_after = -1;
	j->too_large = 0;
	j->max = f->cfg.max_bytes;
	curl_easy_setopt(j->easy, CURLOPT_URL, url);
	curl_easy_setopt(j->easy, CURLOPT_USERAGENT, f->cfg.user_agent);
	curl_easy_setopt(j->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(j->easy, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(j->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(j->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(j->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(j->easy, CURLOPT_TIMEOUT_MS, f->cfg.timeout_ms);
	curl_easy_setopt(j->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    f->cfg.timeout_ms < 10000 ? f->cfg.timeout_ms : 10000L);
	/* A stalled server: under 100 bytes/s for 15 s. */
	curl_easy_setopt(j->easy, CURLOPT_LOW_SPEED_LIMIT, 100L);
	curl_easy_setopt(j->easy, CURLOPT_LOW_SPEED_TIME, 15L);
	curl_easy_setopt(
	    j->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->cfg.max_bytes);
	curl_easy_setopt(j->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(j->easy, CURLOPT_ERRORBUFFER, j->cerr);
	curl_easy_setopt(j->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(j->easy, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(j->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(j->easy, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
	j->keep_raw = f->cfg.keep_raw || f->cfg.exchange != NULL;
	lp_buf_reset(&j->request);
	lp_buf_reset(&j->head);
	if (j->keep_raw) {
		curl_easy_setopt(j->easy, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(j->easy, CURLOPT_DEBUGDATA, j);
		curl_easy_setopt(j->easy, CURLOPT_VERBOSE, 1L);
	}
	j->attempts++;
	j->t0 = now;
	f->n_req++;
	f->n_retry += j->attempts > 1;
	j->h->inflight++;
	j->next = f->flying;
	f->flying = j;
	curl_multi_add_handle(f->multi, j->easy);
}

static double
backoff(struct lp_fetch *f, const struct job *j)
{
	double d = BACKOFF_FIRST * pow(2, j->attempts - 1);

	if (j->retry_after >= 0)
		return j->retry_after < RETRY_AFTER_MAX ? j->retry_after
							: RETRY_AFTER_MAX;
	if (d > DELAY_MAX)
		d = DELAY_MAX;
	return d * (1 - 0.25 * ((double)rand_r(&f->seed) / RAND_MAX));
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

/* A transfer ended: done, retried, or failed. */
static void
landed(struct lp_fetch *f, struct job *j, CURLcode cc, double now)
{
	struct host *h = j->h;
	long status = 0;
	int retry = 0, throttled = 0;
	char err[256];

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(f->multi, j->easy);
	h->inflight--;
	err[0] = '\0';
	if (j->too_large || cc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, sizeof(err), "the page is larger than %zu bytes",
		    f->cfg.max_bytes);
	} else if (cc != CURLE_OK) {
		snprintf(err, sizeof(err), "%s",
		    j->cerr[0] ? j->cerr : curl_easy_strerror(cc));
		retry = cc != CURLE_URL_MALFORMAT &&
		    cc != CURLE_UNSUPPORTED_PROTOCOL &&
		    cc != CURLE_TOO_MANY_REDIRECTS &&
		    cc != CURLE_PEER_FAILED_VERIFICATION;
		status = 0;
	} else if (status == 429 || status == 503) {
		throttled = retry = 1;
		snprintf(err, sizeof(err), "HTTP %ld", status);
	} else if (status == 408 || status >= 500) {
		retry = 1;
		snprintf(err, sizeof(err), "HTTP %ld", status);
	} else if (status < 200 || status >= 300)
		snprintf(err, sizeof(err), "HTTP %ld", status);
	if (throttled) {
		/* Multiplicative decrease of the host's rate. */
		f->n_throttle++;
		h->delay = h->delay > 0 ? h->delay * 2 : 1;
		if (h->delay > DELAY_MAX)
			h->delay = DELAY_MAX;
	} else if (err[0] == '\0' && h->delay > h->base)
		/* Additive recovery: a tenth of the base delay (or 0.1 s). */
		h->delay = fmax(h->base, h->delay - fmax(h->base / 10, 0.1));
	/* An answer that is not a result's own goes to the archive now. */
	if (f->cfg.exchange != NULL && status > 0 &&
	    (j->is_robots || (retry && j->attempts <= f->cfg.max_retries))) {
		struct lp_fetch_result x;
		char robots_url[1024];

		memset(&x, 0, sizeof(x));
		snprintf(
		    robots_url, sizeof(robots_url), "%s/robots.txt", h->key);
		x.url = x.final_url = j->is_robots ? robots_url : j->url;
		x.status = status;
		x.body = j->body;
		x.request = j->request;
		x.head = j->head;
		ip_of(j->easy, x.ip, sizeof(x.ip));
		f->cfg.exchange(f->cfg.exchange_arg, &x);
	}
	if (retry && j->attempts <= f->cfg.max_retries) {
		j->not_before = now + backoff(f, j);
		curl_easy_cleanup(j->easy);
		j->easy = NULL;
		if (j->is_robots)
			h->robots_retry = j;
		else
			enqueue(h, j, 1);
		return;
	}
	if (j->is_robots) {
		/* RFC 9309 2.3.1: 4xx allows all; 5xx or nothing, none. */
		struct lp_robots *r = err[0] == '\0'
		    ? lp_robots_parse(
			  j->body.p ? j->body.p : "", j->body.len, f->cfg.agent)
		    : status >= 400 && status < 500 ? lp_robots_new(1)
						    : lp_robots_new(0);

		robots_known(h, r);
		curl_easy_cleanup(j->easy);
		lp_buf_release(&j->body);
		lp_buf_release(&j->request);
		lp_buf_release(&j->head);
		free(j->url);
		free(j->path);
		free(j);
		return;
	}
	finish(f, j,
	    err[0] == '\0' ? LP_FETCH_OK
		: j->too_large || cc == CURLE_FILESIZE_EXCEEDED
		? LP_FETCH_TOO_LARGE
		: status > 0 ? LP_FETCH_HTTP
			     : LP_FETCH_NETWORK,
	    status, err[0] ? err : NULL);
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
		if (h->robots_state == 0) {
			if (f->cfg.ignore_robots)
				robots_known(h, lp_robots_new(1));
			else {
				struct job *r = calloc(1, sizeof(*r));

				if (r == NULL)
					abort();
				r->is_robots = 1;
				r->h = h;
				r->url = lp_xstrdup(h->key);
				h->robots_state = 1;
				start(f, r, now);
				h->next_at = now + h->delay;
				continue;
			}
		}
		if (h->robots_state == 1 && h->robots_retry != NULL) {
			struct job *r = h->robots_retry;

			if (r->not_before > now) {
				wait = fmin(wait, r->not_before - now);
				continue;
			}
			h->robots_retry = NULL;
			start(f, r, now);
			continue;
		}
		if (h->robots_state != 2)
			continue;
		while (h->queue != NULL && h->inflight < f->cfg.per_host) {
			struct job *j = h->queue, *prev = NULL;

			if (now < h->next_at) {
				wait = fmin(wait, h->next_at - now);
				break;
			}
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
			if (j->attempts == 0 &&
			    !lp_robots_allowed(h->robots, j->path)) {
				finish(f, j, LP_FETCH_ROBOTS, 0,
				    "robots.txt disallows it");
				continue;
			}
			start(f, j, now);
			h->next_at = now + h->delay;
		}
	}
	return wait;
}

static int
busy(const struct lp_fetch *f)
{
	const struct host *h;

	if (f->flying != NULL)
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
		double now = lp_clock(), wait = schedule(f, now);
		int running, left, any = 0;
		CURLMsg *m;

		curl_multi_perform(f->multi, &running);
		while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
			struct job *j, **pp;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(
			    m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			for (pp = &f->flying; *pp != NULL && *pp != j;
			     pp = &(*pp)->next)
				;
			if (*pp != NULL)
				*pp = j->next;
			landed(f, j, m->data.result, lp_clock());
			any = 1;
		}
		/* Something ended (robots.txt, a retry): schedule at once. */
		if (f->headdone == f->ndone && !any)
			curl_multi_poll(
			    f->multi, NULL, 0, (int)(wait * 1000) + 1, NULL);
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
	while ((j = f->flying) != NULL) {
		f->flying = j->next;
		curl_multi_remove_handle(f->multi, j->easy);
		curl_easy_cleanup(j->easy);
		lp_buf_release(&j->body);
		lp_buf_release(&j->request);
		lp_buf_release(&j->head);
		free(j->url);
		free(j->path);
		free(j);
	}
	while ((h = f->hosts) != NULL) {
		f->hosts = h->next;
		while ((j = h->queue) != NULL) {
			h->queue = j->next;
			lp_buf_release(&j->body);
			lp_buf_release(&j->request);
			lp_buf_release(&j->head);
			free(j->url);
			free(j->path);
			free(j);
		}
		if ((j = h->robots_retry) != NULL) {
			lp_buf_release(&j->body);
			lp_buf_release(&j->request);
			lp_buf_release(&j->head);
			free(j->url);
			free(j->path);
			free(j);
		}
		lp_robots_free(h->robots);
		free(h->key);
		free(h);
	}
	while (f->headdone < f->ndone)
		lp_fetch_result_free(f->done[f->headdone++]);
	free(f->done);
	curl_multi_cleanup(f->multi);
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
