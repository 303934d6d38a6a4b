#include <curl/curl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/secret.h"
#include "llm/cache.h"
#include "llm/client.h"
#include "web/header.h"
#include "web/http.h"
#include "web/transfer.h"

/*
 * The official SDKs' retries: 0.5 s doubling to 8 s, less up to 25%; a
 * server asking for longer than a minute is not waited for.
 */
#define BUDGET_SPENT "the token budget (--max-tokens-total) is spent"

static const struct lp_transfer_policy llm_policy = {
    .first = 0.5,
    .cap = 8.0,
    .retry_after_max = 60.0,
    .clamp_retry_after = 0,
    .retry_409 = 1,
    .retry_after_ms = 1,
};

struct req {
	struct lp_xfer x; /* first: a request is its transfer */
	struct req *next;
	char *url; /* Azure deployments: this request's; else NULL */
	struct lp_llm_cache_ask ask; /* while the cache reader has it */
	void *user;
	char *body;
	size_t body_len;
	char digest[65];
	double est_tokens;
	int reserved; /* est_tokens is counted in reserved_tokens */
	int bad_replies;
	double not_before; /* monotonic seconds */
	/* From the reply's headers. */
	long rl_left_req, rl_left_tok;
	double rl_reset_req, rl_reset_tok;
};

struct lp_llm {
	struct lp_llm_config cfg;
	char *url;
	char *shown;	      /* url without secrets, for messages */
	char *auth;	      /* the header line with the key */
	char *org, *project;  /* OpenAI-Organization, OpenAI-Project lines */
	char last_error[600]; /* the last failure, for people */
	struct lp_transfer *xfer;
	struct lp_llm_cache *cache;	/* NULL: none */
	struct req *queue, *queue_tail; /* waiting to be sent, FIFO */
	struct lp_llm_result **done;	/* finished, not yet handed out */
	size_t ndone, capdone, headdone;
	size_t pending;
	double req_tokens, tok_tokens, refilled; /* rate buckets */
	double hold_until; /* the server said it is nearly out */
	int hold_tokens;   /* ... of tokens (else of requests) */
	long long used_tokens, reserved_tokens;
	long long n_calls, n_retries, n_cached, n_failed, n_prompt, n_compl;
	long long n_ok, n_network; /* results answered, and unanswered */
	long long n_usage_est;	   /* replies whose usage was estimated */
	int stopped;
	char stop_msg[512];
};

static void landed(struct lp_xfer *x, const struct lp_transfer_end *e);
static void on_header(struct lp_xfer *x, const char *line, size_t len);
static void hold_too_long(struct lp_llm *c, double now);

/* The reader found answers: wake the event loop. */
static void
wake(void *arg)
{
	lp_transfer_wakeup(arg);
}

/*
 * {base}/chat/completions, or {base}/openai/deployments/{model}/chat/
 * completions for Azure's deployments (model percent-encoded), with
 * Azure's api-version.  A query in base (a gateway's "?key=...") is kept
 * after the path, a fragment dropped.
 */
static char *
endpoint(const struct lp_llm_config *cfg, const char *model)
{
	struct lp_buf b = LP_BUF_INIT;
	size_t bl = strcspn(cfg->base, "?#"), ql = 0;
	const char *q = cfg->base + bl, *m;

	if (*q == '?')
		ql = strcspn(++q, "#");
	lp_buf_add(&b, cfg->base, bl - (bl > 0 && cfg->base[bl - 1] == '/'));
	if (cfg->azure_deployments) {
		lp_buf_adds(&b, "/openai/deployments/");
		for (m = model ? model : ""; *m != '\0'; m++)
			if (strchr("-_.~{}", *m) != NULL ||
			    (*m >= 'a' && *m <= 'z') ||
			    (*m >= 'A' && *m <= 'Z') ||
			    (*m >= '0' && *m <= '9'))
				lp_buf_addc(&b, *m);
			else
				lp_buf_addf(&b, "%%%02X", (unsigned char)*m);
	}
	lp_buf_adds(&b, "/chat/completions");
	if (ql > 0 || cfg->api_version != NULL)
		lp_buf_addc(&b, '?');
	lp_buf_add(&b, q, ql);
	if (ql > 0 && cfg->api_version != NULL)
		lp_buf_addc(&b, '&');
	if (cfg->api_version != NULL)
		lp_buf_addf(&b, "api-version=%s", cfg->api_version);
	lp_buf_addc(&b, '\0');
	return b.p;
}

/*
 * url as it may be shown: no userinfo ("user:password@"), and the value of
 * every query parameter but api-version as "***" (a gateway's key).
 */
static char *
shown_url(const char *url)
{
	struct lp_buf b = LP_BUF_INIT;
	const char *p = url, *host = strstr(url, "://"), *at, *end;
	size_t nl, vl;

	if (host != NULL) {
		host += 3;
		end = host + strcspn(host, "/?#");
		at = memchr(host, '@', (size_t)(end - host));
		lp_buf_add(&b, url, (size_t)(host - url));
		p = at != NULL ? at + 1 : host;
	}
	nl = strcspn(p, "?");
	lp_buf_add(&b, p, nl);
	p += nl;
	while (*p != '\0') {
		/* At '?' or '&': the name, then the value hidden. */
		lp_buf_addc(&b, *p++);
		nl = strcspn(p, "=&");
		lp_buf_add(&b, p, nl);
		p += nl;
		if (*p != '=')
			continue;
		vl = strcspn(p + 1, "&");
		if (nl == 11 && strncmp(p - nl, "api-version", 11) == 0)
			lp_buf_add(&b, p, vl + 1);
		else
			lp_buf_adds(&b, "=" LP_SECRET_MASK);
		p += vl + 1;
	}
	lp_buf_addc(&b, '\0');
	return b.p;
}

/* "Name: value" (malloc'd). */
static char *
header_line(const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 3;
	char *h = lp_xmalloc(n);

	snprintf(h, n, "%s: %s", name, value);
	return h;
}

struct lp_llm *
lp_llm_client_new(const struct lp_llm_config *cfg, struct lp_error *err)
{
	struct lp_transfer_config tc;
	struct lp_llm *c;
	size_t n;

	if (cfg->base == NULL ||
	    (strncmp(cfg->base, "http://", 7) != 0 &&
		strncmp(cfg->base, "https://", 8) != 0)) {
		lp_error_set(err,
		    "the API base must be an http:// or https:// URL, not '%s'",
		    cfg->base ? cfg->base : "");
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		abort();
	c->cfg = *cfg;
	if (c->cfg.jobs <= 0)
		c->cfg.jobs = 8;
	if (c->cfg.max_retries < 0)
		c->cfg.max_retries = 5;
	if (c->cfg.timeout_ms <= 0)
		c->cfg.timeout_ms = 60000;
	if (c->cfg.max_reply == 0)
		c->cfg.max_reply = LP_LLM_MAX_REPLY;
	memset(&tc, 0, sizeof(tc));
	tc.user_agent =
	    cfg->user_agent ? cfg->user_agent : lp_http_user_agent("liblp");
	tc.timeout_ms = c->cfg.timeout_ms;
	/* Reuse connections: one per request in flight. */
	tc.max_connects = c->cfg.jobs;
	tc.retry = llm_policy;
	tc.retry.max_retries = c->cfg.max_retries;
	if ((c->xfer = lp_transfer_new(&tc, err)) == NULL) {
		free(c);
		return NULL;
	}
	c->cfg.user_agent = NULL; /* the engine has its copy */
	c->url = endpoint(cfg, "{model}");
	c->shown = shown_url(c->url);
	if (cfg->organization != NULL)
		c->org = header_line("OpenAI-Organization", cfg->organization);
	if (cfg->project != NULL)
		c->project = header_line("OpenAI-Project", cfg->project);
	if (cfg->key != NULL && cfg->key[0] != '\0') {
		n = strlen(cfg->key) + 32;
		c->auth = lp_xmalloc(n);
		snprintf(c->auth, n,
		    cfg->azure ? "api-key: %s" : "Authorization: Bearer %s",
		    cfg->key);
	}
	if (cfg->cache_dir != NULL)
		c->cache = lp_llm_cache_new(cfg->cache_dir, wake, c->xfer);
	c->req_tokens = c->cfg.rpm > 0 ? fmax(1, c->cfg.rpm / 60) : 0;
	c->tok_tokens = c->cfg.tpm > 0 ? c->cfg.tpm / 60 : 0;
	c->refilled = lp_clock();
	return c;
}

/* ---- Results. */

/* A user pointer the client will not hand back. */
static void
drop(struct lp_llm *c, void *user)
{
	if (c->cfg.drop != NULL && user != NULL)
		c->cfg.drop(user);
}

static struct req *
req_new(void *user)
{
	struct req *r = calloc(1, sizeof(*r));

	if (r == NULL)
		abort();
	r->user = user;
	r->x.done = landed;
	r->x.header = on_header;
	r->ask.digest = r->digest;
	return r;
}

static void
req_free(struct req *r)
{
	free(r->url);
	free(r->body);
	lp_buf_release(&r->x.body);
	free(r);
}

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

/* r is done: its result goes out, r goes. */
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
	res->attempts = r->x.attempts;
	if (res->why != LP_LLM_OK && res->why != LP_LLM_BUDGET)
		c->n_failed++;
	c->n_ok += res->why == LP_LLM_OK;
	c->n_network += res->why == LP_LLM_NETWORK;
	c->done[c->ndone++] = res;
	req_free(r);
}

/* r's URL as shown (in buf, if it is r's own). */
static const char *
shown(const struct lp_llm *c, const struct req *r, char buf[256])
{
	char *s;

	if (r->url == NULL)
		return c->shown;
	s = shown_url(r->url);
	snprintf(buf, 256, "%s", s);
	free(s);
	return buf;
}

/* A failed result for r, with why; r goes. */
static void
fail(struct lp_llm *c, struct req *r, enum lp_llm_why why, long status,
    const char *msg)
{
	struct lp_llm_result *res = new_result(r);

	res->why = why;
	res->status = status;
	snprintf(res->message, sizeof(res->message), "%s", msg);
	/* An API or a proxy may echo the key, a URL its password. */
	lp_secret_scrub(res->message, sizeof(res->message));
	if (why != LP_LLM_BUDGET && why != LP_LLM_FATAL) {
		char url[256];

		snprintf(c->last_error, sizeof(c->last_error),
		    "POST %.250s: %.300s (%d attempt%s)", shown(c, r, url),
		    res->message, r->x.attempts, r->x.attempts == 1 ? "" : "s");
	}
	finish(c, r, res);
}

/*
 * The tokens usage says were used, or -1 when it is missing or not to be
 * believed (negative, not whole, absurdly large).
 */
static long long
usage_total(const json_t *usage)
{
	static const char *const keys[] = {
	    "prompt_tokens", "completion_tokens", "total_tokens"};
	size_t i;

	for (i = 0; i < 3; i++) {
		json_t *v = json_object_get(usage, keys[i]);

		if (v != NULL &&
		    (!json_is_integer(v) || json_integer_value(v) < 0 ||
			json_integer_value(v) > 1000000000))
			return -1;
	}
	if (!json_is_integer(json_object_get(usage, "total_tokens")))
		return -1;
	return json_integer_value(json_object_get(usage, "total_tokens"));
}

/* Fill a successful result from a response body: LP_OK, or LP_FAILED. */
static int
take_reply(struct lp_llm_result *res, json_t *reply, struct lp_error *why)
{
	json_t *choice, *msg;

	choice = json_array_get(json_object_get(reply, "choices"), 0);
	msg = json_object_get(choice, "message");
	if (!json_is_object(reply) || !json_is_object(choice) ||
	    !json_is_string(json_object_get(msg, "content")))
		return lp_error_set(
		    why, "the reply has no choices[0].message.content");
	res->reply = reply;
	res->content = json_string_value(json_object_get(msg, "content"));
	res->finish_reason =
	    json_string_value(json_object_get(choice, "finish_reason"));
	res->model = json_string_value(json_object_get(reply, "model"));
	res->usage = json_object_get(reply, "usage");
	if (res->usage != NULL && usage_total(res->usage) < 0) {
		res->usage = NULL;
		res->usage_invalid = 1;
	}
	res->logprobs = json_object_get(choice, "logprobs");
	if (json_is_null(res->logprobs))
		res->logprobs = NULL;
	return LP_OK;
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
	struct req *r = req_new(user);
	double est;

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
	struct req *r = req_new(user);

	memcpy(r->digest, digest, 65);
	return submit(c, body, len, (double)len / 2, r);
}

/* A cache entry found for r: its result.  0, or -1 if it is unusable. */
static int
from_cache(struct lp_llm *c, struct req *r, json_t *cached, double lat)
{
	struct lp_llm_result *res = new_result(r);
	struct lp_error why;

	if (take_reply(res, cached, &why) == LP_OK) {
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

/* r's estimate no longer counts against the budget. */
static void
unreserve(struct lp_llm *c, struct req *r)
{
	if (r->reserved)
		c->reserved_tokens -= (long long)r->est_tokens;
	r->reserved = 0;
}

/*
 * Not in the cache: queue it to be sent, unless the budget is spent
 * already.  Its estimate is reserved when it is sent (launch()), so the
 * answers of the requests before it settle what they really used first.
 */
static int
to_send(struct lp_llm *c, struct req *r)
{
	if (c->stopped ||
	    (c->cfg.max_tokens > 0 &&
		(double)c->used_tokens + r->est_tokens >
		    (double)c->cfg.max_tokens)) {
		fail(c, r, c->stopped ? LP_LLM_FATAL : LP_LLM_BUDGET, 0,
		    c->stopped ? c->stop_msg : BUDGET_SPENT);
		return LP_FAILED;
	}
	if (c->queue_tail != NULL)
		c->queue_tail->next = r;
	else
		c->queue = r;
	c->queue_tail = r;
	return LP_OK;
}

/* Take what the cache reader has looked up. */
static void
collect(struct lp_llm *c)
{
	struct lp_llm_cache_ask *a, *next;

	if (c->cache == NULL)
		return;
	for (a = lp_llm_cache_answers(c->cache); a != NULL; a = next) {
		struct req *r =
		    (struct req *)((char *)a - offsetof(struct req, ask));

		next = a->next;
		a->next = NULL;
		if (a->hit == NULL || from_cache(c, r, a->hit, a->latency) != 0)
			to_send(c, r);
	}
}

static int
submit(struct lp_llm *c, char *body, size_t len, double est, struct req *r)
{
	json_t *cached;
	double lat = 0;

	r->body = body;
	r->body_len = len;
	r->est_tokens = est;
	c->pending++;
	if (c->cfg.azure_deployments) {
		/* Each model is its own deployment (Azure only: a parse). */
		json_t *b = lp_json_load(body, len, 0, NULL);

		r->url = endpoint(
		    &c->cfg, json_string_value(json_object_get(b, "model")));
		json_decref(b);
	}
	if (c->cache == NULL)
		return to_send(c, r);
	/* Stopped: the cache still answers, but at once. */
	if (!c->stopped && lp_llm_cache_ask(c->cache, &r->ask) == 0)
		return LP_OK;
	if ((cached = lp_llm_cache_get(c->cache, r->digest, &lat)) != NULL &&
	    from_cache(c, r, cached, lat) == 0)
		return LP_OK;
	return to_send(c, r);
}

/* ---- Sending. */

static void
on_header(struct lp_xfer *x, const char *line, size_t len)
{
	struct req *r = (struct req *)x;
	char v[64];

	if (lp_header_match(
		line, len, "x-ratelimit-remaining-requests", v, sizeof(v)))
		r->rl_left_req = strtol(v, NULL, 10);
	else if (lp_header_match(
		     line, len, "x-ratelimit-remaining-tokens", v, sizeof(v)))
		r->rl_left_tok = strtol(v, NULL, 10);
	else if (lp_header_match(
		     line, len, "x-ratelimit-reset-requests", v, sizeof(v)))
		r->rl_reset_req = lp_header_duration(v);
	else if (lp_header_match(
		     line, len, "x-ratelimit-reset-tokens", v, sizeof(v)))
		r->rl_reset_tok = lp_header_duration(v);
}

static void
start(struct lp_llm *c, struct req *r, double now)
{
	lp_transfer_easy(c->xfer, &r->x, r->url ? r->url : c->url);
	r->x.arg = c;
	r->x.headers =
	    curl_slist_append(NULL, "Content-Type: application/json");
	r->x.headers = curl_slist_append(r->x.headers, "Expect:");
	if (c->auth != NULL)
		r->x.headers = curl_slist_append(r->x.headers, c->auth);
	if (c->org != NULL)
		r->x.headers = curl_slist_append(r->x.headers, c->org);
	if (c->project != NULL)
		r->x.headers = curl_slist_append(r->x.headers, c->project);
	r->rl_left_req = r->rl_left_tok = -1;
	r->rl_reset_req = r->rl_reset_tok = -1;
	r->x.max_body = c->cfg.max_reply;
	lp_transfer_post(&r->x, r->body, r->body_len);
	if (r->x.attempts > 0)
		c->n_retries++;
	c->n_calls++;
	lp_transfer_start(c->xfer, &r->x, now);
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
	int over;

	refill(c, now);
	while (c->queue != NULL && lp_transfer_running(c->xfer) < c->cfg.jobs) {
		struct req *r = NULL, *prev = NULL, *p;

		if (now < c->hold_until &&
		    c->hold_until - now <= LP_LLM_LONGEST_HOLD)
			return c->hold_until - now;
		if (now < c->hold_until) {
			hold_too_long(c, now);
			break;
		}
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
		/*
		 * Over the budget with answers still to come: they may
		 * settle for less than their estimates, so wait for them.
		 */
		over = !r->reserved && c->cfg.max_tokens > 0 &&
		    (double)(c->used_tokens + c->reserved_tokens) +
			    r->est_tokens >
			(double)c->cfg.max_tokens;
		if (over && lp_transfer_running(c->xfer) > 0)
			return wait;
		if (prev != NULL)
			prev->next = r->next;
		else
			c->queue = r->next;
		if (c->queue_tail == r)
			c->queue_tail = prev;
		r->next = NULL;
		if (over) {
			fail(c, r, LP_LLM_BUDGET, 0, BUDGET_SPENT);
			continue;
		}
		if (!r->reserved)
			c->reserved_tokens += (long long)r->est_tokens;
		r->reserved = 1;
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

/* ---- Answers. */

/* The error message of an error reply, if it has one. */
static void
reply_error(struct req *r, long status, struct lp_error *out)
{
	json_t *b = lp_json_load(
	    r->x.body.p ? r->x.body.p : "", r->x.body.len, 0, NULL);
	const char *msg = json_string_value(
	    json_object_get(json_object_get(b, "error"), "message"));

	if (msg == NULL)
		msg = json_string_value(json_object_get(b, "error"));
	if (msg == NULL)
		msg = json_string_value(json_object_get(b, "message"));
	lp_error_set(
	    out, "HTTP %ld%s%.400s", status, msg ? ": " : "", msg ? msg : "");
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
	    r->x.attempts, "status", (int)status, "latency_ms",
	    round(ms * 10) / 10);
	if (usage != NULL && usage_total(usage) < 0)
		json_object_set_new(ev, "usage_invalid", json_true());
	else if (usage != NULL) {
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
		c->queue = r->next;
		unreserve(c, r);
		fail(c, r, LP_LLM_FATAL, 0, msg);
	}
	c->queue_tail = NULL;
}

/* Nearly out of quota: hold new requests until the window resets. */
static void
note_limits(struct lp_llm *c, const struct req *r, double now)
{
	int few_req = r->rl_left_req >= 0 && r->rl_left_req < c->cfg.jobs;

	if (few_req ||
	    (r->rl_left_tok >= 0 && r->rl_left_tok < r->est_tokens * 2)) {
		c->hold_until = now +
		    (few_req ? (r->rl_reset_req > 0 ? r->rl_reset_req : 1)
			     : (r->rl_reset_tok > 0 ? r->rl_reset_tok : 1));
		c->hold_tokens = !few_req;
	}
}

/*
 * The server asked to hold requests longer than anyone waits: what is
 * queued fails now, not after a sleep nothing could interrupt.
 */
static void
hold_too_long(struct lp_llm *c, double now)
{
	char msg[512];
	struct req *r;

	snprintf(msg, sizeof(msg),
	    "the API's rate limit resets in %.0f s (x-ratelimit-reset-%s), "
	    "more than the %.0f s a request waits",
	    c->hold_until - now, c->hold_tokens ? "tokens" : "requests",
	    LP_LLM_LONGEST_HOLD);
	while ((r = c->queue) != NULL) {
		c->queue = r->next;
		unreserve(c, r);
		fail(c, r, LP_LLM_RATE, 0, msg);
	}
	c->queue_tail = NULL;
}

/*
 * The tokens a reply used: counted, and settled with the bucket.  Usage
 * missing or not to be believed counts as the request's estimate, so no
 * server lifts the budget by leaving it out or by going negative.
 */
static void
count_usage(struct lp_llm *c, const struct req *r, json_t *reply)
{
	json_t *usage = json_object_get(reply, "usage");
	long long t;

	if (reply == NULL)
		return;
	if ((t = usage_total(usage)) < 0) {
		t = (long long)r->est_tokens;
		c->n_usage_est++;
	} else {
		c->n_prompt +=
		    json_integer_value(json_object_get(usage, "prompt_tokens"));
		c->n_compl += json_integer_value(
		    json_object_get(usage, "completion_tokens"));
	}
	c->used_tokens += t;
	/* The estimate was taken from the bucket: settle the difference. */
	if (c->cfg.tpm > 0)
		c->tok_tokens += r->est_tokens - (double)t;
}

/*
 * What an attempt brought: the parsed body of a 2xx answer, or NULL with
 * why filled and *retry, *fatal saying what to do about it.
 */
static json_t *
judge(struct lp_llm *c, struct req *r, const struct lp_transfer_end *e,
    struct lp_error *why, int *retry, int *fatal)
{
	json_error_t je;
	json_t *reply;

	*retry = *fatal = 0;
	if (e->kind == LP_TRANSFER_TOO_LARGE) {
		/* Asking again would fetch it again: not retried. */
		lp_error_set(why,
		    "a reply larger than %zu bytes decompressed "
		    "(--max-reply-size)",
		    c->cfg.max_reply);
		return NULL;
	}
	if (e->kind != LP_TRANSFER_ANSWERED) {
		lp_error_set(why, "%s", e->error);
		/* A URL or TLS problem does not get better by waiting. */
		*fatal = lp_transfer_permanent(e->cc);
		*retry = !*fatal;
		return NULL;
	}
	if (e->status < 200 || e->status >= 300) {
		reply_error(r, e->status, why);
		*retry = lp_transfer_retryable(c->xfer, e);
		*fatal =
		    e->status == 401 || e->status == 403 || e->status == 404;
		return NULL;
	}
	reply =
	    lp_json_load(r->x.body.p ? r->x.body.p : "", r->x.body.len, 0, &je);
	if (reply == NULL) {
		lp_error_set(why, "a reply that is not JSON: %s", je.text);
		*retry = 1;
	}
	return reply;
}

/*
 * A 2xx reply that parsed: r's result if it is usable (cached too);
 * otherwise one repair try, never cached, then a REPLY failure.
 */
static void
answer(struct lp_llm *c, struct req *r, json_t *reply,
    const struct lp_transfer_end *e, struct lp_error *why)
{
	struct lp_llm_result *res = new_result(r);

	if (take_reply(res, reply, why) != LP_OK)
		json_decref(reply); /* why says what is missing */
	else if (res->content[0] == '\0')
		lp_error_set(why, "an empty reply");
	else if (c->cfg.validate != NULL &&
	    c->cfg.validate(res->content, r->user, why) != LP_OK &&
	    why->msg[0] == '\0')
		lp_error_set(why, "the reply is not in the form asked for");
	if (why->msg[0] == '\0') {
		if (c->cfg.trim != NULL) {
			c->cfg.trim(reply);
			res->logprobs = json_object_get(
			    json_array_get(
				json_object_get(reply, "choices"), 0),
			    "logprobs");
		}
		res->latency_ms = e->ms;
		unreserve(c, r);
		if (c->cache != NULL)
			lp_llm_cache_put(c->cache, r->digest, reply, e->ms);
		finish(c, r, res);
		return;
	}
	lp_llm_result_free(res);
	if (r->bad_replies++ == 0 && r->x.attempts <= c->cfg.max_retries) {
		requeue(c, r, 0, e->now);
		return;
	}
	unreserve(c, r);
	fail(c, r, LP_LLM_REPLY, e->status, why->msg);
}

/*
 * An attempt of r failed with why: told to the caller's attempt_failed
 * with the wait before the next (delay < 0: none), key and URL password
 * scrubbed.
 */
static void
tell_attempt(struct lp_llm *c, struct req *r, const char *why, double delay)
{
	char url[256], msg[700];
	int total = c->cfg.max_retries + 1;

	if (c->cfg.attempt_failed == NULL)
		return;
	if (delay >= 0)
		snprintf(msg, sizeof(msg),
		    "POST %.250s: attempt %d/%d: %.300s; again in %.2f s",
		    shown(c, r, url), r->x.attempts, total, why, delay);
	else
		snprintf(msg, sizeof(msg),
		    "POST %.250s: attempt %d/%d: %.300s; giving up",
		    shown(c, r, url), r->x.attempts, total, why);
	lp_secret_scrub(msg, sizeof(msg));
	c->cfg.attempt_failed(msg, c->cfg.attempt_arg);
}

/* A finished attempt: done, retried, or failed. */
static void
landed(struct lp_xfer *x, const struct lp_transfer_end *e)
{
	struct req *r = (struct req *)x;
	struct lp_llm *c = x->arg;
	struct lp_error why = LP_ERROR_INIT;
	char msg[512], url[256];
	int retry, fatal;
	double delay;
	json_t *reply;

	if (e->kind == LP_TRANSFER_CANCELLED) {
		drop(c, r->user);
		req_free(r);
		return;
	}
	note_limits(c, r, e->now);
	reply = judge(c, r, e, &why, &retry, &fatal);
	audit(c, r, e->status, e->ms, json_object_get(reply, "usage"),
	    why.msg[0] ? why.msg : NULL);
	count_usage(c, r, reply);
	if (reply != NULL) {
		answer(c, r, reply, e, &why);
		return;
	}
	if (!c->stopped && lp_transfer_again(c->xfer, x, retry, &delay)) {
		tell_attempt(c, r, why.msg, delay);
		requeue(c, r, delay, e->now);
		return;
	}
	tell_attempt(c, r, why.msg, -1);
	unreserve(c, r);
	if (fatal) {
		snprintf(msg, sizeof(msg), "%.200s: %.300s", shown(c, r, url),
		    why.msg);
		stop(c, msg);
	}
	fail(c, r,
	    fatal				   ? LP_LLM_FATAL
		: e->kind == LP_TRANSFER_TOO_LARGE ? LP_LLM_REPLY
		: e->status > 0			   ? LP_LLM_HTTP
						   : LP_LLM_NETWORK,
	    e->status, why.msg);
}

/* ---- The loop. */

/* Move transfers along for at most timeout seconds. */
static void
step(struct lp_llm *c, double timeout)
{
	double wait;

	collect(c);
	wait = launch(c, lp_clock());
	/* What was ready went out: now the cache writes its entries. */
	lp_llm_cache_flush(c->cache);
	if (wait > timeout)
		wait = timeout;
	/*
	 * Results to hand out: only look.  Nothing in flight or at the cache
	 * reader and nothing to wait for: neither.
	 */
	if (c->ndone > c->headdone ||
	    (wait <= 0 && lp_transfer_running(c->xfer) == 0 &&
		(c->cache == NULL || lp_llm_cache_asked(c->cache) == 0)))
		wait = -1;
	lp_transfer_step(c->xfer, wait);
}

static struct lp_llm_result *
take(struct lp_llm *c)
{
	if (c->headdone == c->ndone)
		return NULL;
	c->pending--;
	return c->done[c->headdone++];
}

/*
 * Requests wait and a slot is free (answers came): send them now, before
 * the caller handles the answers, so that handling them does not hold
 * back the next round.
 */
static void
refill_slots(struct lp_llm *c)
{
	if (c->queue == NULL || lp_transfer_running(c->xfer) >= c->cfg.jobs)
		return;
	launch(c, lp_clock());
	lp_transfer_step(c->xfer, -1);
}

struct lp_llm_result *
lp_llm_poll(struct lp_llm *c)
{
	/* Never waits: what the cache reader has not read yet comes later. */
	collect(c);
	if (c->ndone == c->headdone &&
	    (c->queue != NULL || lp_transfer_running(c->xfer) > 0))
		step(c, 0);
	else {
		refill_slots(c);
		lp_llm_cache_flush(c->cache);
	}
	return take(c);
}

/* The caller asked to stop waiting (a signal came). */
static int
stopping(const struct lp_llm *c)
{
	return c->cfg.stop != NULL && *c->cfg.stop;
}

struct lp_llm_result *
lp_llm_wait(struct lp_llm *c)
{
	collect(c);
	/* A quarter second at most per step: a signal is seen in time
	 * even when it lands on another thread. */
	while (c->ndone == c->headdone && !stopping(c) &&
	    (c->queue != NULL || lp_transfer_running(c->xfer) > 0 ||
		(c->cache != NULL && lp_llm_cache_asked(c->cache) > 0)))
		step(c, 0.25);
	if (!stopping(c))
		refill_slots(c);
	return take(c);
}

size_t
lp_llm_pending(const struct lp_llm *c)
{
	return c->pending;
}

const char *
lp_llm_last_error(const struct lp_llm *c)
{
	return c->last_error;
}

const char *
lp_llm_stop_reason(const struct lp_llm *c)
{
	return c->stop_msg;
}

const char *
lp_llm_url(const struct lp_llm *c)
{
	return c->shown;
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
	lp_llm_cache_dispose(reply);
}

json_t *
lp_llm_describe(struct lp_llm *c, const json_t *body)
{
	json_t *h = json_object(), *d;
	char *url;

	json_object_set_new(h, "Content-Type", json_string("application/json"));
	if (c->auth != NULL)
		json_object_set_new(h,
		    c->cfg.azure ? "api-key" : "Authorization",
		    json_string(c->cfg.azure ? "***" : "Bearer ***"));
	if (c->org != NULL)
		json_object_set_new(
		    h, "OpenAI-Organization", json_string(c->cfg.organization));
	if (c->project != NULL)
		json_object_set_new(
		    h, "OpenAI-Project", json_string(c->cfg.project));
	url = c->cfg.azure_deployments
	    ? endpoint(
		  &c->cfg, json_string_value(json_object_get(body, "model")))
	    : NULL;
	d = json_pack("{s:s,s:s,s:o,s:O}", "method", "POST", "url",
	    url ? url : c->url, "headers", h, "body", body);
	free(url);

	/* The URL's password, if it has one, is shown as the key is. */
	lp_secret_scrub_json(json_object_get(d, "url"));
	return d;
}

json_t *
lp_llm_stats(const struct lp_llm *c)
{
	/* The counts are final: the cache entries queued are written. */
	lp_llm_cache_sync(c->cache);
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "llm_calls",
	    (json_int_t)c->n_calls, "llm_retries", (json_int_t)c->n_retries,
	    "llm_cached", (json_int_t)c->n_cached, "llm_failed",
	    (json_int_t)c->n_failed, "prompt_tokens", (json_int_t)c->n_prompt,
	    "completion_tokens", (json_int_t)c->n_compl, "total_tokens",
	    (json_int_t)c->used_tokens, "llm_usage_estimated",
	    (json_int_t)c->n_usage_est, "llm_cache_write_failed",
	    (json_int_t)(c->cache ? lp_llm_cache_failures(c->cache) : 0));
}

const char *
lp_llm_cache_error(const struct lp_llm *c)
{
	return c->cache != NULL ? lp_llm_cache_failure(c->cache) : NULL;
}

void
lp_llm_free(struct lp_llm *c)
{
	struct lp_llm_cache_ask *a, *next;
	struct req *r;

	if (c == NULL)
		return;
	/* What the cache reader still held, then what is in flight. */
	for (a = lp_llm_cache_free(c->cache); a != NULL; a = next) {
		next = a->next;
		r = (struct req *)((char *)a - offsetof(struct req, ask));
		drop(c, r->user);
		req_free(r);
	}
	lp_transfer_free(c->xfer);
	while ((r = c->queue) != NULL) {
		c->queue = r->next;
		drop(c, r->user);
		req_free(r);
	}
	while (c->headdone < c->ndone) {
		drop(c, c->done[c->headdone]->user);
		lp_llm_result_free(c->done[c->headdone++]);
	}
	free(c->done);
	if (c->auth != NULL) {
		/* The key does not outlive its use in memory either. */
		memset(c->auth, 0, strlen(c->auth));
		free(c->auth);
	}
	free(c->url);
	free(c->shown);
	free(c->org);
	free(c->project);
	free(c);
}
