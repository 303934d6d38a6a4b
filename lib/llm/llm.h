/*
 * A client for OpenAI-compatible Chat Completions APIs (OpenAI, Azure
 * OpenAI, Ollama, vLLM, llama.cpp server, gateways), shared by the LLM
 * tools.  Requests run concurrently through libcurl's multi interface,
 * within requests- and tokens-per-minute limits, with retries and backoff
 * like the official SDKs, and with answers cached on disk by a digest of
 * the request.  Results come back as they complete; the tool puts them in
 * order.
 *
 *	struct lp_llm *c = lp_llm_new(&cfg, err, sizeof(err));
 *	lp_llm_submit(c, body, item);          (body: model, messages, ...)
 *	while ((r = lp_llm_wait(c)) != NULL) { ...; lp_llm_result_free(r); }
 *
 * The key is sent as "Authorization: Bearer" (or Azure's "api-key") and
 * never appears in results, audit events, digests or errors.  TLS
 * certificates are always verified.
 */
#ifndef LP_LLM_H
#define LP_LLM_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/hash.h"

struct lp_llm_result;

struct lp_llm_config {
	const char *base;	 /* "https://api.openai.com/v1" */
	const char *key;	 /* NULL: no key (local servers) */
	int azure;		 /* api-key header instead of Bearer */
	const char *api_version; /* Azure: ?api-version=... */
	int jobs;		 /* requests in flight (default 8) */
	double rpm, tpm;	 /* limits per minute; 0 for none */
	int max_retries;	 /* after the first attempt (default 5) */
	long timeout_ms;	 /* per attempt (default 60000) */
	const char *cache_dir;	 /* NULL: no cache */
	long long max_tokens;	 /* budget over uncached calls; 0: none */
	/*
	 * Checks a reply's content (the tool knows its shape); nonzero with
	 * why filled means "bad reply": retried once without the cache, then
	 * reported.  NULL accepts any non-empty content.
	 */
	int (*validate)(
	    const char *content, void *user, char *why, size_t whylen);
	/*
	 * Called on each usable fresh reply before it is cached and returned:
	 * drops what the tool will never read (lp-rate keeps the logprobs
	 * only up to the score), so that cached replies stay small.  NULL
	 * keeps replies whole.
	 */
	void (*trim)(json_t *reply);
	/* One event per HTTP attempt (stolen), for the audit log. */
	void (*audit)(json_t *event, void *arg);
	void *audit_arg;
};

enum lp_llm_why {
	LP_LLM_OK,
	LP_LLM_HTTP,	/* an error status after the retries */
	LP_LLM_NETWORK, /* no answer (connection, timeout) after retries */
	LP_LLM_REPLY,	/* an answer that was not usable, twice */
	LP_LLM_FATAL,	/* 401/403/404: every call would fail */
	LP_LLM_BUDGET	/* --max-tokens-total spent: not sent */
};

struct lp_llm_result {
	void *user;
	enum lp_llm_why why;
	long status;	     /* last HTTP status, 0 if none */
	char message[512];   /* what went wrong, for people */
	int attempts;	     /* HTTP attempts made */
	int cached;	     /* answered from the cache */
	double latency_ms;   /* of the attempt that answered */
	json_t *reply;	     /* the response body (on success) */
	const char *content; /* choices[0].message.content, in reply */
	const char *finish_reason;
	const char *model;
	json_t *usage; /* borrowed from reply, or NULL */
	json_t *logprobs;
	char digest[65]; /* of the request, the cache key */
};

/* NULL with err set when the configuration cannot work. */
struct lp_llm *lp_llm_new(
    const struct lp_llm_config *cfg, char *err, size_t errlen);
/*
 * Queue a request body (stolen; "model" and "messages" at least).  With a
 * cache, a thread of the client reads and parses the entry while the
 * caller goes on; the answer comes from lp_llm_poll()/lp_llm_wait() like
 * any other.  LP_FAILED (and a BUDGET result) when the token budget is
 * spent.
 */
int lp_llm_submit(struct lp_llm *c, json_t *body, void *user);
/*
 * The same with the body already as canonical JSON bytes (malloc'd,
 * stolen) and its digest (lp_llm_digest's, computed by the caller, who
 * may reuse the hash state of a fixed prefix).
 */
int lp_llm_submit_raw(struct lp_llm *c, char *body, size_t len,
    const char digest[65], void *user);
/* The next finished request, waiting for one; NULL when none is left. */
struct lp_llm_result *lp_llm_wait(struct lp_llm *c);
/* A finished request if one is ready, without waiting. */
struct lp_llm_result *lp_llm_poll(struct lp_llm *c);
/* Requests submitted and not yet returned by lp_llm_wait(). */
size_t lp_llm_pending(const struct lp_llm *c);
void lp_llm_result_free(struct lp_llm_result *r);
/*
 * The request as it would be sent: {"method","url","headers","body"},
 * the key shown as "***" (for --dry-run).
 */
json_t *lp_llm_describe(struct lp_llm *c, const json_t *body);
/*
 * A request body built many times with only some strings changing: the
 * body is dumped once with "holes" (strings of one NUL character, which
 * nothing else can contain), and each request fills them, giving the
 * same canonical bytes and digest as building and dumping it whole.
 * The hash state after the fixed start is kept, so a request hashes only
 * what follows it; hole 0 can also be pinned to a value that most
 * requests use, and then the state after that is kept too.
 */
#define LP_LLM_HOLES 4
struct lp_llm_tmpl {
	struct lp_buf part[LP_LLM_HOLES + 1]; /* part0 HOLE part1 ... */
	int nholes, pinned;
	struct lp_buf pre; /* part0, the pinned text, part1 */
	struct lp_sha256 pre_hash, part0_hash;
};
/* 0, or -1 if body has no hole or too many. */
int lp_llm_tmpl_init(struct lp_llm_tmpl *t, const json_t *body);
void lp_llm_tmpl_pin(struct lp_llm_tmpl *t, const char *text, size_t len);
/*
 * Append the body with hole i filled with text[i] (len[i] bytes, valid
 * UTF-8) to out, and its digest to hex; text[0] NULL takes the pinned
 * value.
 */
void lp_llm_tmpl_fill(const struct lp_llm_tmpl *t, const char *const *text,
    const size_t *len, struct lp_buf *out, char hex[65]);
void lp_llm_tmpl_free(struct lp_llm_tmpl *t);
/* A hole, for the body given to lp_llm_tmpl_init(). */
json_t *lp_llm_hole(void);

/* The digest of a request body: SHA-256 of its canonical JSON. */
void lp_llm_digest(const json_t *body, char hex[65]);
/* Counters: calls, retries, cached, tokens, failed. */
json_t *lp_llm_stats(const struct lp_llm *c);
/* Set when a FATAL result came: stop sending, every call would fail. */
int lp_llm_stopped(const struct lp_llm *c);
/* Stopped, or every failure so far unanswered and nothing answered. */
int lp_llm_unusable(const struct lp_llm *c);
void lp_llm_free(struct lp_llm *c);

/*
 * Seconds of a Retry-After value: a number of seconds or an HTTP date
 * (relative to now, a Unix time).  -1 if it is neither.
 */
double lp_llm_retry_after(const char *value, double now);
/* "1s", "6m0s", "20ms", "1h2m3.5s" (x-ratelimit-reset-*): seconds, or -1. */
double lp_llm_duration(const char *value);

#endif
