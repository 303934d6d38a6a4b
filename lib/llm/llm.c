#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/status.h"
#include "core/clock.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/rng.h"
#include "web/http.h"
#include "core/json.h"
#include "llm/llm.h"
#include "core/file.h"
#include "core/thread.h"

/* The official SDKs' backoff: 0.5 s doubling to 8 s, less up to 25%. */
#define BACKOFF_FIRST 0.5
#define BACKOFF_MAX 8.0
/* A server asking for longer than this is not waited for. */
#define RETRY_AFTER_MAX 60.0

struct req {
	struct req *next;
	void *user;
	char *body;
	size_t body_len;
	char digest[65];
	double est_tokens;
	int attempts, bad_replies;
	double not_before; /* monotonic seconds */
	double t_start;
	CURL *easy;
	struct curl_slist *headers;
	struct lp_buf resp;
	/* From the reply's headers. */
	double retry_after;
	long rl_left_req, rl_left_tok;
	double rl_reset_req, rl_reset_tok;
	char cerr[CURL_ERROR_SIZE];
	struct lp_llm_result *res;
	json_t *hit;	/* the cache reader's find, or NULL */
	double hit_lat; /* its latency */
};

/*
 * The cache reader: a thread that opens and parses cache entries while the
 * main thread writes records, so a cached rerun uses both cores (parsing
 * an entry is most of the cost of a cached item).  Requests go in at
 * submit and come back, found or not, to the main thread, which alone
 * touches everything else.
 */
struct reader {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct req *in, *in_tail, *out, *out_tail;
	size_t n;     /* requests at the reader */
	int on, quit; /* on: the thread runs */
	const char *dir;
	CURLM *wake; /* curl_multi_wakeup() tells the main thread */
	struct lp_buf scratch;
};

struct lp_llm {
	struct lp_llm_config cfg;
	char *url;
	char *auth; /* the header line with the key */
	CURLM *multi;
	struct req *queue, *queue_tail; /* waiting to be sent, FIFO */
	struct req *flying;		/* in flight */
	int nflying;
	struct lp_llm_result **done; /* finished, not yet handed out */
	size_t ndone, capdone, headdone;
	size_t pending;
	double req_tokens, tok_tokens, refilled; /* rate buckets */
	double hold_until; /* the server said it is nearly out */
	long long used_tokens, reserved_tokens;
	long long n_calls, n_retries, n_cached, n_failed, n_prompt, n_compl;
	long long n_ok, n_network; /* results answered, and unanswered */
	int stopped;
	char stop_msg[512];
	struct lp_rng rng;
	struct lp_buf scratch; /* cache reads */
	struct reader rd;
};

double
lp_llm_duration(const char *v)
{
	double total = 0;
	int any = 0;

	while (*v == ' ')
		v++;
	while (*v != '\0' && *v != '\r' && *v != '\n' && *v != ' ') {
		char *end;
		double x = strtod(v, &end);

		if (end == v)
			return -1;
		v = end;
		if (strncmp(v, "ms", 2) == 0) {
			total += x / 1000;
			v += 2;
		} else if (*v == 's') {
			total += x;
			v++;
		} else if (*v == 'm') {
			total += x * 60;
			v++;
		} else if (*v == 'h') {
			total += x * 3600;
			v++;
		} else if (*v == '\0' || *v == '\r' || *v == '\n') {
			total += x; /* a bare number: seconds */
		} else
			return -1;
		any = 1;
	}
	return any ? total : -1;
}

double
lp_llm_retry_after(const char *v, double now_unix)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char m[4] = "", *end;
	int d, y, hh, mm, ss, i;
	double secs;
	struct tm tm;

	while (*v == ' ')
		v++;
	secs = strtod(v, &end);
	if (end != v && (*end == '\0' || *end == '\r' || *end == '\n'))
		return secs >= 0 ? secs : -1;
	/* An HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT". */
	if (sscanf(v, "%*3s, %d %3s %d %d:%d:%d GMT", &d, m, &y, &hh, &mm,
		&ss) != 6)
		return -1;
	for (i = 0; i < 12 && strcmp(mon[i], m) != 0; i++)
		;
	if (i == 12)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = i;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	secs = (double)timegm(&tm) - now_unix;
	return secs > 0 ? secs : 0;
}

void
lp_llm_digest(const json_t *body, char hex[65])
{
	struct lp_buf b = LP_BUF_INIT;

	lp_json_dump(body, &b);
	lp_sha256_hex(b.p, b.len, hex);
	lp_buf_release(&b);
}

/* ---- Request templates. */

json_t *
lp_llm_hole(void)
{
	return json_stringn("", 1);
}

int
lp_llm_tmpl_init(struct lp_llm_tmpl *t, const json_t *body)
{
	static const char hole[] = "\"\\u0000\"";
	struct lp_buf b = LP_BUF_INIT;
	const char *p, *q;

	memset(t, 0, sizeof(*t));
	lp_json_dump(body, &b);
	lp_buf_addc(&b, '\0');
	for (p = b.p; (q = strstr(p, hole)) != NULL; p = q + 8) {
		if (t->nholes == LP_LLM_HOLES) {
			lp_buf_release(&b);
			lp_llm_tmpl_free(t);
			return -1;
		}
		lp_buf_add(&t->part[t->nholes++], p, (size_t)(q - p));
	}
	lp_buf_adds(&t->part[t->nholes], p);
	lp_buf_release(&b);
	if (t->nholes == 0) {
		lp_llm_tmpl_free(t);
		return -1;
	}
	lp_sha256_init(&t->part0_hash);
	lp_sha256_update(&t->part0_hash, t->part[0].p, t->part[0].len);
	return 0;
}

void
lp_llm_tmpl_pin(struct lp_llm_tmpl *t, const char *text, size_t len)
{
	lp_buf_reset(&t->pre);
	lp_buf_add(&t->pre, t->part[0].p, t->part[0].len);
	lp_json_dump_str(text, len, &t->pre);
	lp_buf_add(&t->pre, t->part[1].p, t->part[1].len);
	lp_sha256_init(&t->pre_hash);
	lp_sha256_update(&t->pre_hash, t->pre.p, t->pre.len);
	t->pinned = 1;
}

void
lp_llm_tmpl_fill(const struct lp_llm_tmpl *t, const char *const *text,
    const size_t *len, struct lp_buf *out, char hex[65])
{
	struct lp_sha256 h;
	size_t start = out->len, hashed;
	int i = 0;

	if (text[0] == NULL && t->pinned) {
		lp_buf_add(out, t->pre.p, t->pre.len);
		h = t->pre_hash;
		hashed = t->pre.len;
		i = 1;
	} else {
		lp_buf_add(out, t->part[0].p, t->part[0].len);
		h = t->part0_hash;
		hashed = t->part[0].len;
	}
	for (; i < t->nholes; i++) {
		lp_json_dump_str(text[i], len[i], out);
		lp_buf_add(out, t->part[i + 1].p, t->part[i + 1].len);
	}
	lp_sha256_update(
	    &h, out->p + start + hashed, out->len - start - hashed);
	lp_sha256_final_hex(&h, hex);
}

void
lp_llm_tmpl_free(struct lp_llm_tmpl *t)
{
	int i;

	for (i = 0; i <= LP_LLM_HOLES; i++)
		lp_buf_release(&t->part[i]);
	lp_buf_release(&t->pre);
	t->nholes = t->pinned = 0;
}

struct lp_llm *
lp_llm_new(const struct lp_llm_config *cfg, char *err, size_t errlen)
{
	struct lp_llm *c;
	size_t n;

	if (cfg->base == NULL ||
	    (strncmp(cfg->base, "http://", 7) != 0 &&
		strncmp(cfg->base, "https://", 8) != 0)) {
		snprintf(err, errlen,
		    "the API base must be an http:// or https:// URL, not "
		    "'%s'",
		    cfg->base ? cfg->base : "");
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "cannot start libcurl");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		abort();
	c->cfg = *cfg;
	if (c->cfg.jobs <= 0)
		c->cfg.jobs = 8;
	if (c->cfg.max_retries < 0)
		c->cfg.max_retries = 5;
	if (c->cfg.timeout_ms <= 0)
		c->cfg.timeout_ms = 60000;
	n = strlen(cfg->base) + 64 +
	    (cfg->api_version ? strlen(cfg->api_version) : 0);
	c->url = lp_xmalloc(n);
	snprintf(c->url, n, "%.*s/chat/completions%s%s",
	    (int)(strlen(cfg->base) -
		(cfg->base[strlen(cfg->base) - 1] == '/')),
	    cfg->base, cfg->api_version ? "?api-version=" : "",
	    cfg->api_version ? cfg->api_version : "");
	if (cfg->key != NULL && cfg->key[0] != '\0') {
		n = strlen(cfg->key) + 32;
		c->auth = lp_xmalloc(n);
		snprintf(c->auth, n,
		    cfg->azure ? "api-key: %s" : "Authorization: Bearer %s",
		    cfg->key);
	}
	c->multi = curl_multi_init();
	/* Reuse connections: one per request in flight. */
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->cfg.jobs);
	c->req_tokens = c->cfg.rpm > 0 ? fmax(1, c->cfg.rpm / 60) : 0;
	c->tok_tokens = c->cfg.tpm > 0 ? c->cfg.tpm / 60 : 0;
	c->refilled = lp_clock();
	c->rng.s = (unsigned long long)time(NULL) ^
	    ((unsigned long long)getpid() << 32);
	return c;
}

/* ---- Results. */

static struct lp_llm_result *
new_result(struct req *r)
{
	struct lp_llm_result *res = calloc(1, sizeof(*res));

	if (res == NULL)
		abort();
	res->user = r->user;
	memcpy(res->digest, r->digest, sizeof(res->digest));
	return res;
}

static void
finish(struct lp_llm *c, struct req *r, struct lp_llm_result *res)
{
	if (c->ndone == c->capdone) {
		/* Compact what was handed out before growing. */
		if (c->headdone > 0) {
			memmove(c->done, c->done + c->headdone,
			    sizeof(*c->done) * (c->ndone - c->headdone));
			c->ndone -= c->headdone;
			c->headdone = 0;
		}
		if (c->ndone == c->capdone) {
			c->capdone = c->capdone ? c->capdone * 2 : 64;
			c->done =
			    lp_xrealloc(c->done, sizeof(*c->done) * c->capdone);
		}
	}
	res->attempts = r->attempts;
	if (res->why != LP_LLM_OK && res->why != LP_LLM_BUDGET)
		c->n_failed++;
	c->n_ok += res->why == LP_LLM_OK;
	c->n_network += res->why == LP_LLM_NETWORK;
	c->done[c->ndone++] = res;
	free(r->body);
	lp_buf_release(&r->resp);
	free(r);
}

/* Fill a successful result from a response body; 0, or -1 with why. */
static int
take_reply(struct lp_llm_result *res, json_t *reply, char *why, size_t n)
{
	json_t *choice, *msg;

	choice = json_array_get(json_object_get(reply, "choices"), 0);
	msg = json_object_get(choice, "message");
	if (!json_is_object(reply) || !json_is_object(choice) ||
	    !json_is_string(json_object_get(msg, "content"))) {
		snprintf(why, n, "the reply has no choices[0].message.content");
		return -1;
	}
	res->reply = reply;
	res->content = json_string_value(json_object_get(msg, "content"));
	res->finish_reason =
	    json_string_value(json_object_get(choice, "finish_reason"));
	res->model = json_string_value(json_object_get(reply, "model"));
	res->usage = json_object_get(reply, "usage");
	res->logprobs = json_object_get(choice, "logprobs");
	if (json_is_null(res->logprobs))
		res->logprobs = NULL;
	return 0;
}

/* ---- The cache: one file per digest, written whole and renamed. */

static char *
cache_path(const struct lp_llm *c, const char *digest, int mk)
{
	size_t n = strlen(c->cfg.cache_dir) + 80;
	char *p = lp_xmalloc(n);

	snprintf(p, n, "%s/%.2s/%s.json", c->cfg.cache_dir, digest, digest);
	/* The folder is usually there: mkdir -p only when it is not. */
	if (mk) {
		char *slash = strrchr(p, '/');

		*slash = '\0';
		if (mkdir(p, 0777) != 0 && errno == ENOENT) {
			*slash = '/';
			lp_make_parents(p);
		}
		*slash = '/';
	}
	return p;
}

static json_t *
cache_read(const struct lp_llm *c, const char *digest, struct lp_buf *scratch,
    double *latency)
{
	char *p;
	int fd;
	ssize_t n;
	json_t *e, *reply;

	if (c->cfg.cache_dir == NULL)
		return NULL;
	p = cache_path(c, digest, 0);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	free(p);
	if (fd < 0)
		return NULL;
	/*
	 * Entries are small: one read into a reused buffer.  A regular file
	 * gives less than asked only at its end, which saves the read that
	 * returns 0 (syscalls are most of a cached run).
	 */
	lp_buf_reset(scratch);
	do {
		size_t want;

		lp_buf_grow(scratch, 65536);
		want = scratch->cap - scratch->len;
		n = read(fd, scratch->p + scratch->len, want);
		if (n > 0)
			scratch->len += (size_t)n;
		if (n >= 0 && (size_t)n < want)
			n = 0;
	} while (n > 0);
	close(fd);
	e = n == 0 ? lp_json_load(scratch->p, scratch->len, 0, NULL) : NULL;
	reply = json_object_get(e, "response");
	if (reply == NULL) {
		json_decref(e);
		return NULL;
	}
	*latency = json_number_value(json_object_get(e, "latency_ms"));
	json_incref(reply);
	json_decref(e);
	return reply;
}

static void
cache_put(
    const struct lp_llm *c, const char *digest, json_t *reply, double latency)
{
	struct lp_buf b = LP_BUF_INIT;
	char *p, *tmp;
	size_t n;
	int fd;

	if (c->cfg.cache_dir == NULL)
		return;
	p = cache_path(c, digest, 1);
	n = strlen(p) + 16;
	tmp = lp_xmalloc(n);
	snprintf(tmp, n, "%s.XXXXXX", p);
	/* Concurrent runs share the cache: a reader sees all or nothing. */
	if ((fd = mkstemp(tmp)) >= 0) {
		json_t *e = json_pack(
		    "{s:O,s:f}", "response", reply, "latency_ms", latency);

		lp_json_dump(e, &b);
		lp_buf_addc(&b, '\n');
		json_decref(e);
		if (write(fd, b.p, b.len) == (ssize_t)b.len && close(fd) == 0)
			rename(tmp, p);
		else {
			close(fd);
			unlink(tmp);
		}
	}
	lp_buf_release(&b);
	free(tmp);
	free(p);
}

/* ---- Submitting. */

static double
estimate_tokens(const json_t *body, size_t len)
{
	json_t *mt = json_object_get(body, "max_tokens");

	if (mt == NULL)
		mt = json_object_get(body, "max_completion_tokens");
	/* About four bytes a token; the answer as long as asked, or as the
	 * question. */
	return (double)len / 4 +
	    (json_is_integer(mt) ? (double)json_integer_value(mt)
				 : (double)len / 4);
}

static int submit(
    struct lp_llm *c, char *body, size_t len, double est, struct req *r);

int
lp_llm_submit(struct lp_llm *c, json_t *body, void *user)
{
	struct lp_buf b = LP_BUF_INIT;
	struct req *r = calloc(1, sizeof(*r));
	double est;

	if (r == NULL)
		abort();
	r->user = user;
	lp_json_dump(body, &b);
	lp_sha256_hex(b.p, b.len, r->digest);
	est = estimate_tokens(body, b.len);
	json_decref(body);
	return submit(c, b.p, b.len, est, r);
}

int
lp_llm_submit_raw(
    struct lp_llm *c, char *body, size_t len, const char digest[65], void *user)
{
	struct req *r = calloc(1, sizeof(*r));

	if (r == NULL)
		abort();
	r->user = user;
	memcpy(r->digest, digest, 65);
	return submit(c, body, len, (double)len / 2, r);
}

/* A cache entry found for r: its result.  0, or -1 if it is unusable. */
static int
from_cache(struct lp_llm *c, struct req *r, json_t *cached, double lat)
{
	struct lp_llm_result *res = new_result(r);
	char why[256];

	if (take_reply(res, cached, why, sizeof(why)) == 0) {
		res->cached = 1;
		res->latency_ms = lat;
		c->n_cached++;
		finish(c, r, res);
		return 0;
	}
	json_decref(cached);
	free(res);
	return -1;
}

/* Not in the cache: send it, within the budget. */
static int
to_send(struct lp_llm *c, struct req *r)
{
	/* Within the budget only if this request's estimate fits too. */
	if (c->stopped ||
	    (c->cfg.max_tokens > 0 &&
		(double)(c->used_tokens + c->reserved_tokens) + r->est_tokens >
		    (double)c->cfg.max_tokens)) {
		struct lp_llm_result *res = new_result(r);

		res->why = c->stopped ? LP_LLM_FATAL : LP_LLM_BUDGET;
		snprintf(res->message, sizeof(res->message), "%s",
		    c->stopped ? c->stop_msg
			       : "the token budget (--max-tokens-total) is "
				 "spent");
		finish(c, r, res);
		return LP_FAILED;
	}
	c->reserved_tokens += (long long)r->est_tokens;
	if (c->queue_tail != NULL)
		c->queue_tail->next = r;
	else
		c->queue = r;
	c->queue_tail = r;
	return LP_OK;
}

/*
 * Replies the tools are done with, freed by a cache reader (freeing a
 * parsed reply costs a tenth of a cached item): process-wide, so a result
 * may outlive its client.  With no reader running they are freed at once.
 */
static pthread_mutex_t trash_mu = PTHREAD_MUTEX_INITIALIZER;
static json_t **trash;
static size_t ntrash, captrash;
static int readers;

/* Free what is in the trash (any thread). */
static void
empty_trash(void)
{
	json_t **t;
	size_t n, i;

	pthread_mutex_lock(&trash_mu);
	t = trash;
	n = ntrash;
	trash = NULL;
	ntrash = captrash = 0;
	pthread_mutex_unlock(&trash_mu);
	for (i = 0; i < n; i++)
		json_decref(t[i]);
	free(t);
}

static void *
reader_main(void *arg)
{
	struct lp_llm *c = arg;
	struct reader *rd = &c->rd;
	struct req *r;
	unsigned long done = 0;

	pthread_mutex_lock(&rd->mu);
	for (;;) {
		while (rd->in == NULL && !rd->quit)
			pthread_cond_wait(&rd->cv, &rd->mu);
		if (rd->quit)
			break;
		r = rd->in;
		if ((rd->in = r->next) == NULL)
			rd->in_tail = NULL;
		pthread_mutex_unlock(&rd->mu);
		if (++done % 32 == 0)
			empty_trash();
		r->hit = cache_read(c, r->digest, &rd->scratch, &r->hit_lat);
		r->next = NULL;
		pthread_mutex_lock(&rd->mu);
		if (rd->out_tail != NULL)
			rd->out_tail->next = r;
		else {
			/* The first in a batch wakes the main thread; it then
			 * takes the batch whole. */
			rd->out = r;
			curl_multi_wakeup(rd->wake);
		}
		rd->out_tail = r;
	}
	pthread_mutex_unlock(&rd->mu);
	return NULL;
}

/* Take what the cache reader has looked up. */
static void
collect(struct lp_llm *c)
{
	struct reader *rd = &c->rd;
	struct req *r, *next;

	if (!rd->on || rd->n == 0)
		return;
	pthread_mutex_lock(&rd->mu);
	r = rd->out;
	rd->out = rd->out_tail = NULL;
	pthread_mutex_unlock(&rd->mu);
	for (; r != NULL; r = next) {
		next = r->next;
		r->next = NULL;
		rd->n--;
		if (r->hit == NULL || from_cache(c, r, r->hit, r->hit_lat) != 0)
			to_send(c, r);
	}
}

static int
submit(struct lp_llm *c, char *body, size_t len, double est, struct req *r)
{
	struct reader *rd = &c->rd;
	json_t *cached;
	double lat = 0;

	r->body = body;
	r->body_len = len;
	r->est_tokens = est;
	c->pending++;
	if (c->cfg.cache_dir != NULL && !c->stopped && !rd->on) {
		/* The first request that may be cached starts the reader. */
		pthread_mutex_init(&rd->mu, NULL);
		pthread_cond_init(&rd->cv, NULL);
		rd->wake = c->multi;
		rd->on = lp_thread_start(&rd->th, reader_main, c) == 0;
		if (rd->on) {
			pthread_mutex_lock(&trash_mu);
			readers++;
			pthread_mutex_unlock(&trash_mu);
		}
	}
	if (rd->on && !c->stopped) {
		pthread_mutex_lock(&rd->mu);
		if (rd->in_tail != NULL)
			rd->in_tail->next = r;
		else
			rd->in = r;
		rd->in_tail = r;
		rd->n++;
		pthread_cond_signal(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
		return LP_OK;
	}
	if ((cached = cache_read(c, r->digest, &c->scratch, &lat)) != NULL &&
	    from_cache(c, r, cached, lat) == 0)
		return LP_OK;
	return to_send(c, r);
}

/* ---- Sending. */

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct req *r = arg;

	lp_buf_add(&r->resp, p, size * n);
	return size * n;
}

static int
header_is(const char *h, size_t n, const char *name, const char **val)
{
	size_t l = strlen(name);

	if (n <= l + 1 || strncasecmp(h, name, l) != 0 || h[l] != ':')
		return 0;
	*val = h + l + 1;
	return 1;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct req *r = arg;
	size_t len = size * n;
	char h[256];
	const char *v;

	if (len >= sizeof(h))
		return len;
	memcpy(h, p, len);
	h[len] = '\0';
	if (header_is(h, len, "retry-after-ms", &v))
		r->retry_after = strtod(v, NULL) / 1000;
	else if (header_is(h, len, "retry-after", &v) && r->retry_after < 0)
		r->retry_after = lp_llm_retry_after(v, (double)time(NULL));
	else if (header_is(h, len, "x-ratelimit-remaining-requests", &v))
		r->rl_left_req = strtol(v, NULL, 10);
	else if (header_is(h, len, "x-ratelimit-remaining-tokens", &v))
		r->rl_left_tok = strtol(v, NULL, 10);
	else if (header_is(h, len, "x-ratelimit-reset-requests", &v))
		r->rl_reset_req = lp_llm_duration(v);
	else if (header_is(h, len, "x-ratelimit-reset-tokens", &v))
		r->rl_reset_tok = lp_llm_duration(v);
	return len;
}

static void
start(struct lp_llm *c, struct req *r, double now)
{
	r->easy = curl_easy_init();
	if (r->easy == NULL)
		abort();
	r->headers = curl_slist_append(NULL, "Content-Type: application/json");
	r->headers = curl_slist_append(r->headers, "Expect:");
	if (c->auth != NULL)
		r->headers = curl_slist_append(r->headers, c->auth);
	lp_buf_reset(&r->resp);
	r->retry_after = -1;
	r->rl_left_req = r->rl_left_tok = -1;
	r->rl_reset_req = r->rl_reset_tok = -1;
	r->cerr[0] = '\0';
	curl_easy_setopt(r->easy, CURLOPT_URL, c->url);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->body);
	curl_easy_setopt(
	    r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, lp_http_user_agent());
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, c->cfg.timeout_ms);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    c->cfg.timeout_ms < 10000 ? c->cfg.timeout_ms : 10000L);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->cerr);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_ACCEPT_ENCODING, "");
	r->attempts++;
	r->t_start = now;
	if (r->attempts > 1)
		c->n_retries++;
	c->n_calls++;
	curl_multi_add_handle(c->multi, r->easy);
	r->next = c->flying;
	c->flying = r;
	c->nflying++;
}

static void
refill(struct lp_llm *c, double now)
{
	double dt = now - c->refilled;

	c->refilled = now;
	if (c->cfg.rpm > 0)
		c->req_tokens = fmin(fmax(1, c->cfg.rpm / 60),
		    c->req_tokens + dt * c->cfg.rpm / 60);
	if (c->cfg.tpm > 0)
		c->tok_tokens =
		    fmin(c->cfg.tpm / 60, c->tok_tokens + dt * c->cfg.tpm / 60);
}

/*
 * Start what the limits allow; returns seconds until something more could
 * start (a large number when nothing waits).
 */
static double
launch(struct lp_llm *c, double now)
{
	double wait = 3600;

	refill(c, now);
	while (c->queue != NULL && c->nflying < c->cfg.jobs) {
		struct req *r = NULL, *prev = NULL, *p;

		if (now < c->hold_until)
			return c->hold_until - now;
		/* The first request whose backoff is over. */
		for (p = c->queue; p != NULL; prev = p, p = p->next)
			if (p->not_before <= now) {
				r = p;
				break;
			} else if (p->not_before - now < wait)
				wait = p->not_before - now;
		if (r == NULL)
			return wait;
		if (c->cfg.rpm > 0 && c->req_tokens < 1)
			return (1 - c->req_tokens) * 60 / c->cfg.rpm;
		/* A request larger than a second's tokens waits for a full
		 * bucket, then goes. */
		if (c->cfg.tpm > 0 &&
		    c->tok_tokens < fmin(r->est_tokens, c->cfg.tpm / 60))
			return (fmin(r->est_tokens, c->cfg.tpm / 60) -
				   c->tok_tokens) *
			    60 / c->cfg.tpm;
		if (prev != NULL)
			prev->next = r->next;
		else
			c->queue = r->next;
		if (c->queue_tail == r)
			c->queue_tail = prev;
		r->next = NULL;
		if (c->cfg.rpm > 0)
			c->req_tokens -= 1;
		if (c->cfg.tpm > 0)
			c->tok_tokens -= r->est_tokens;
		start(c, r, now);
	}
	return c->queue != NULL ? 0.05 : wait;
}

static void
requeue(struct lp_llm *c, struct req *r, double delay, double now)
{
	r->not_before = now + delay;
	r->next = NULL;
	if (c->queue_tail != NULL)
		c->queue_tail->next = r;
	else
		c->queue = r;
	c->queue_tail = r;
}

static double
backoff(struct lp_llm *c, struct req *r)
{
	double d = BACKOFF_FIRST * pow(2, r->attempts - 1);

	if (r->retry_after >= 0 && r->retry_after <= RETRY_AFTER_MAX)
		return r->retry_after;
	if (d > BACKOFF_MAX)
		d = BACKOFF_MAX;
	return d * (1 - 0.25 * lp_rng_unit(&c->rng));
}

/* The error message of an error reply, if it has one. */
static void
reply_error(struct req *r, long status, char *out, size_t n)
{
	json_t *b =
	    lp_json_load(r->resp.p ? r->resp.p : "", r->resp.len, 0, NULL);
	const char *msg = json_string_value(
	    json_object_get(json_object_get(b, "error"), "message"));

	if (msg == NULL)
		msg = json_string_value(json_object_get(b, "error"));
	if (msg == NULL)
		msg = json_string_value(json_object_get(b, "message"));
	snprintf(out, n, "HTTP %ld%s%.400s", status, msg ? ": " : "",
	    msg ? msg : "");
	json_decref(b);
}

static void
audit(struct lp_llm *c, struct req *r, long status, double ms, json_t *usage,
    const char *error)
{
	json_t *ev;

	if (c->cfg.audit == NULL)
		return;
	ev = json_pack("{s:s,s:i,s:i,s:f}", "digest", r->digest, "attempt",
	    r->attempts, "status", (int)status, "latency_ms",
	    round(ms * 10) / 10);
	if (usage != NULL) {
		json_object_set(ev, "prompt_tokens",
		    json_object_get(usage, "prompt_tokens"));
		json_object_set(ev, "completion_tokens",
		    json_object_get(usage, "completion_tokens"));
	}
	if (error != NULL)
		json_object_set_new(ev, "error", json_string(error));
	c->cfg.audit(ev, c->cfg.audit_arg);
}

/* Stop: every queued request fails the same way. */
static void
stop(struct lp_llm *c, const char msg[512])
{
	struct req *r;

	c->stopped = 1;
	snprintf(c->stop_msg, sizeof(c->stop_msg), "%s", msg);
	while ((r = c->queue) != NULL) {
		struct lp_llm_result *res = new_result(r);

		c->queue = r->next;
		res->why = LP_LLM_FATAL;
		snprintf(res->message, sizeof(res->message), "%s", msg);
		c->reserved_tokens -= (long long)r->est_tokens;
		finish(c, r, res);
	}
	c->queue_tail = NULL;
}

/* A finished transfer: done, retried, or failed. */
static void
landed(struct lp_llm *c, struct req *r, CURLcode cc, double now)
{
	struct lp_llm_result *res;
	long status = 0;
	double ms = (now - r->t_start) * 1000;
	char why[512] = "";
	int retry = 0, fatal = 0;
	json_t *reply = NULL, *usage;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(c->multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	r->easy = NULL;
	r->headers = NULL;
	c->nflying--;
	/* Nearly out of quota: hold new requests until the window resets. */
	if ((r->rl_left_req >= 0 && r->rl_left_req < c->cfg.jobs) ||
	    (r->rl_left_tok >= 0 && r->rl_left_tok < r->est_tokens * 2))
		c->hold_until = now +
		    (r->rl_left_req >= 0 && r->rl_left_req < c->cfg.jobs
			    ? (r->rl_reset_req > 0 ? r->rl_reset_req : 1)
			    : (r->rl_reset_tok > 0 ? r->rl_reset_tok : 1));
	if (cc != CURLE_OK) {
		snprintf(why, sizeof(why), "%s",
		    r->cerr[0] ? r->cerr : curl_easy_strerror(cc));
		/* A URL or TLS problem does not get better by waiting. */
		fatal = cc == CURLE_UNSUPPORTED_PROTOCOL ||
		    cc == CURLE_URL_MALFORMAT ||
		    cc == CURLE_PEER_FAILED_VERIFICATION ||
		    cc == CURLE_SSL_CACERT_BADFILE;
		retry = !fatal;
		status = 0;
	} else if (status >= 200 && status < 300) {
		json_error_t je;

		reply = lp_json_load(
		    r->resp.p ? r->resp.p : "", r->resp.len, 0, &je);
		if (reply == NULL) {
			snprintf(why, sizeof(why),
			    "a reply that is not JSON: %s", je.text);
			retry = 1;
		}
	} else {
		reply_error(r, status, why, sizeof(why));
		retry = status == 408 || status == 409 || status == 429 ||
		    status >= 500;
		fatal = status == 401 || status == 403 || status == 404;
	}
	usage = json_object_get(reply, "usage");
	audit(c, r, status, ms, usage, why[0] ? why : NULL);
	if (json_is_integer(json_object_get(usage, "total_tokens"))) {
		long long t =
		    json_integer_value(json_object_get(usage, "total_tokens"));

		c->used_tokens += t;
		c->n_prompt +=
		    json_integer_value(json_object_get(usage, "prompt_tokens"));
		c->n_compl += json_integer_value(
		    json_object_get(usage, "completion_tokens"));
		/* The estimate was taken from the bucket: settle the
		 * difference. */
		if (c->cfg.tpm > 0)
			c->tok_tokens += r->est_tokens - (double)t;
	}
	if (reply != NULL) {
		res = new_result(r);
		if (take_reply(res, reply, why, sizeof(why)) != 0)
			json_decref(reply); /* why says what is missing */
		else if (res->content[0] == '\0')
			snprintf(why, sizeof(why), "an empty reply");
		else if (c->cfg.validate != NULL &&
		    c->cfg.validate(res->content, r->user, why, sizeof(why)) !=
			0 &&
		    why[0] == '\0')
			snprintf(why, sizeof(why),
			    "the reply is not in the form asked for");
		if (why[0] == '\0') {
			if (c->cfg.trim != NULL) {
				c->cfg.trim(reply);
				res->logprobs = json_object_get(
				    json_array_get(
					json_object_get(reply, "choices"), 0),
				    "logprobs");
			}
			res->latency_ms = ms;
			c->reserved_tokens -= (long long)r->est_tokens;
			cache_put(c, r->digest, reply, ms);
			finish(c, r, res);
			return;
		}
		/* There, but unusable: one repair try, never cached. */
		lp_llm_result_free(res);
		if (r->bad_replies++ == 0 &&
		    r->attempts <= c->cfg.max_retries) {
			requeue(c, r, 0, now);
			return;
		}
		res = new_result(r);
		res->why = LP_LLM_REPLY;
		res->status = status;
		snprintf(res->message, sizeof(res->message), "%s", why);
		c->reserved_tokens -= (long long)r->est_tokens;
		finish(c, r, res);
		return;
	}
	if (retry && r->attempts <= c->cfg.max_retries && !c->stopped) {
		requeue(c, r, backoff(c, r), now);
		return;
	}
	res = new_result(r);
	res->status = status;
	res->why = fatal ? LP_LLM_FATAL
	    : status > 0 ? LP_LLM_HTTP
			 : LP_LLM_NETWORK;
	snprintf(res->message, sizeof(res->message), "%s", why);
	c->reserved_tokens -= (long long)r->est_tokens;
	if (fatal) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%.200s: %.300s", c->url, why);
		stop(c, msg);
	}
	finish(c, r, res);
}

/* Move transfers along for at most timeout seconds. */
static void
step(struct lp_llm *c, double timeout)
{
	double now, wait;
	int running, left;
	CURLMsg *m;

	collect(c);
	now = lp_clock();
	wait = launch(c, now);

	curl_multi_perform(c->multi, &running);
	while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
		struct req *r, **pp;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(
		    m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		for (pp = &c->flying; *pp != NULL && *pp != r;
		     pp = &(*pp)->next)
			;
		if (*pp != NULL)
			*pp = r->next;
		landed(c, r, m->data.result, lp_clock());
	}
	if (c->ndone > c->headdone)
		return;
	if (wait > timeout)
		wait = timeout;
	/* The cache reader wakes the poll when it has something. */
	if (c->nflying > 0 || c->rd.n > 0)
		curl_multi_poll(
		    c->multi, NULL, 0, (int)(wait * 1000) + 1, NULL);
	else if (wait > 0)
		usleep((useconds_t)(wait * 1e6));
}

static struct lp_llm_result *
take(struct lp_llm *c)
{
	if (c->headdone == c->ndone)
		return NULL;
	c->pending--;
	return c->done[c->headdone++];
}

struct lp_llm_result *
lp_llm_poll(struct lp_llm *c)
{
	/* Never waits: what the cache reader has not read yet comes later. */
	collect(c);
	if (c->ndone == c->headdone && (c->queue != NULL || c->nflying > 0))
		step(c, 0);
	return take(c);
}

struct lp_llm_result *
lp_llm_wait(struct lp_llm *c)
{
	collect(c);
	while (c->ndone == c->headdone &&
	    (c->queue != NULL || c->nflying > 0 || c->rd.n > 0))
		step(c, 0.25);
	return take(c);
}

size_t
lp_llm_pending(const struct lp_llm *c)
{
	return c->pending;
}

int
lp_llm_stopped(const struct lp_llm *c)
{
	return c->stopped;
}

int
lp_llm_unusable(const struct lp_llm *c)
{
	return c->stopped ||
	    (c->n_ok == 0 && c->n_network > 0 && c->n_network == c->n_failed);
}

void
lp_llm_result_free(struct lp_llm_result *r)
{
	json_t *reply;

	if (r == NULL)
		return;
	reply = r->reply;
	free(r);
	if (reply == NULL)
		return;
	pthread_mutex_lock(&trash_mu);
	if (readers > 0) {
		if (ntrash == captrash) {
			captrash = captrash ? captrash * 2 : 256;
			trash = lp_xrealloc(trash, captrash * sizeof(*trash));
		}
		trash[ntrash++] = reply;
		reply = NULL;
	}
	pthread_mutex_unlock(&trash_mu);
	json_decref(reply);
}

json_t *
lp_llm_describe(struct lp_llm *c, const json_t *body)
{
	json_t *h = json_object();

	json_object_set_new(h, "Content-Type", json_string("application/json"));
	if (c->auth != NULL)
		json_object_set_new(h,
		    c->cfg.azure ? "api-key" : "Authorization",
		    json_string(c->cfg.azure ? "***" : "Bearer ***"));
	return json_pack("{s:s,s:s,s:o,s:O}", "method", "POST", "url", c->url,
	    "headers", h, "body", body);
}

json_t *
lp_llm_stats(const struct lp_llm *c)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "llm_calls",
	    (json_int_t)c->n_calls, "llm_retries", (json_int_t)c->n_retries,
	    "llm_cached", (json_int_t)c->n_cached, "llm_failed",
	    (json_int_t)c->n_failed, "prompt_tokens", (json_int_t)c->n_prompt,
	    "completion_tokens", (json_int_t)c->n_compl, "total_tokens",
	    (json_int_t)c->used_tokens);
}

void
lp_llm_free(struct lp_llm *c)
{
	struct req *r;

	if (c == NULL)
		return;
	if (c->rd.on) {
		pthread_mutex_lock(&c->rd.mu);
		c->rd.quit = 1;
		pthread_cond_signal(&c->rd.cv);
		pthread_mutex_unlock(&c->rd.mu);
		pthread_join(c->rd.th, NULL);
		pthread_mutex_lock(&trash_mu);
		readers--;
		pthread_mutex_unlock(&trash_mu);
		empty_trash();
		/* What it still held: back to the lists freed below. */
		for (r = c->rd.in; r != NULL; r = r->next)
			r->hit = NULL;
		if (c->rd.out_tail != NULL) {
			c->rd.out_tail->next = c->rd.in;
			c->rd.in = c->rd.out;
		}
		while ((r = c->rd.in) != NULL) {
			c->rd.in = r->next;
			json_decref(r->hit);
			r->next = c->queue;
			c->queue = r;
		}
		pthread_mutex_destroy(&c->rd.mu);
		pthread_cond_destroy(&c->rd.cv);
		lp_buf_release(&c->rd.scratch);
	}
	while ((r = c->flying) != NULL) {
		c->flying = r->next;
		curl_multi_remove_handle(c->multi, r->easy);
		curl_easy_cleanup(r->easy);
		curl_slist_free_all(r->headers);
		free(r->body);
		lp_buf_release(&r->resp);
		free(r);
	}
	while ((r = c->queue) != NULL) {
		c->queue = r->next;
		free(r->body);
		lp_buf_release(&r->resp);
		free(r);
	}
	while (c->headdone < c->ndone)
		lp_llm_result_free(c->done[c->headdone++]);
	free(c->done);
	curl_multi_cleanup(c->multi);
	if (c->auth != NULL) {
		/* The key does not outlive its use in memory either. */
		memset(c->auth, 0, strlen(c->auth));
		free(c->auth);
	}
	free(c->url);
	lp_buf_release(&c->scratch);
	free(c);
}
