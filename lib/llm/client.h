/*
 * The LLM client: requests to an OpenAI-compatible Chat Completions API
 * (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp server, gateways), run
 * concurrently by the transfer engine (web/transfer.h) within requests-
 * and tokens-per-minute limits and a token budget, retried like the
 * official SDKs (0.5 s doubling to 8 s, less up to a quarter; 408, 409,
 * 429, 5xx and network errors; retry-after-ms or Retry-After up to a
 * minute), and answered from the on-disk cache (llm/cache.h) when the same
 * request was answered before.  Results come back as they complete; the
 * tool puts them in order.
 *
 * The client holds the requests from submit until their result is taken
 * (lp_llm_wait, lp_llm_poll) and owns each reply until its result is
 * freed.  A 401, 403 or 404 stops it: what is queued fails the same way.
 * The key is sent as "Authorization: Bearer" (or Azure's "api-key") and
 * never appears in results, audit events, digests or errors: result
 * messages pass through the secret scrubber (core/secret.h), with which
 * the caller registers the key and the base URL's password.  TLS
 * certificates are always verified.
 *
 * Hostile servers: a reply is at most max_reply bytes as decoded (a gzip
 * reply that inflates past it fails, not retried); usage that is missing,
 * negative or absurd counts as the request's own estimate against the
 * budget (counted as llm_usage_estimated; such a result has no usage and
 * usage_invalid set); a rate-limit reset further away than a minute
 * fails the requests that would wait for it instead of holding them; a
 * request libcurl would silently send again is retried by the client's
 * policy instead (web/transfer.h), so every request is counted.  When
 * *stop becomes nonzero (a signal), lp_llm_wait() returns at once (within
 * a quarter second) with what is done, or NULL.
 */
#ifndef LP_LLM_CLIENT_H
#define LP_LLM_CLIENT_H

#include <jansson.h>
#include <signal.h>
#include <stddef.h>

#include "core/error.h"

struct lp_llm;
struct lp_llm_result;

struct lp_llm_config {
	const char *base;	 /* "https://api.openai.com/v1" */
	const char *key;	 /* NULL: no key (local servers) */
	int azure;		 /* api-key header instead of Bearer */
	const char *api_version; /* Azure: ?api-version=... */
	/*
	 * Azure by its endpoint: base is "https://RESOURCE.openai.azure.com"
	 * and each request goes to its model's deployment,
	 * {base}/openai/deployments/{model}/chat/completions.
	 */
	int azure_deployments;
	/* The OpenAI-Organization and OpenAI-Project headers; NULL: none. */
	const char *organization, *project;
	int jobs;	       /* requests in flight (default 8) */
	double rpm, tpm;       /* limits per minute; 0 for none */
	int max_retries;       /* after the first attempt (default 5) */
	long timeout_ms;       /* per attempt (default 60000) */
	const char *cache_dir; /* NULL: no cache */
	long long max_tokens;  /* budget over uncached calls; 0: none */
	/*
	 * Checks a reply's content (the tool knows its shape): LP_OK, or
	 * LP_FAILED with err set for a bad reply, which is retried once
	 * without the cache, then reported.  NULL accepts any non-empty
	 * content.
	 */
	int (*validate)(const char *content, void *user, struct lp_error *err);
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
	/*
	 * Told of each failed attempt, for people (-v): "POST URL: attempt
	 * 2/6: HTTP 500: why; again in 0.4 s" (or "; giving up"), the URL
	 * without secrets.  NULL: not told.
	 */
	void (*attempt_failed)(const char *msg, void *arg);
	void *attempt_arg;
	/* The User-Agent header (copied); NULL: lp_http_user_agent("liblp"). */
	const char *user_agent;
	/* The largest reply body, decoded; 0: LP_LLM_MAX_REPLY. */
	size_t max_reply;
	/* Set (by a signal handler) to stop waiting; NULL: never. */
	const volatile sig_atomic_t *stop;
	/*
	 * Frees the user pointer of each request the client still holds when
	 * it is freed (queued, in flight, or done but not taken, as after an
	 * interrupt), as web/fetch.h's drop does.  NULL: the caller keeps
	 * track of them.
	 */
	void (*drop)(void *user);
};

/* The default largest reply: 32 MiB, decoded. */
#define LP_LLM_MAX_REPLY ((size_t)32 << 20)
/* A server asking to hold requests longer than this (s) is not waited for. */
#define LP_LLM_LONGEST_HOLD 60.0

enum lp_llm_why {
	LP_LLM_OK,
	LP_LLM_HTTP,	/* an error status after the retries */
	LP_LLM_NETWORK, /* no answer (connection, timeout) after retries */
	LP_LLM_REPLY,	/* an answer that was not usable, twice */
	LP_LLM_FATAL,	/* 401/403/404: every call would fail */
	LP_LLM_BUDGET,	/* --max-tokens-total spent: not sent */
	LP_LLM_RATE	/* the server's rate limit resets too late: not sent */
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
	json_t *usage;	   /* borrowed from reply; NULL if none or invalid */
	int usage_invalid; /* the reply's usage was there but not believable */
	json_t *logprobs;
	char digest[65]; /* of the request, the cache key */
};

/*
 * A client for cfg (copied, with the strings it points to borrowed but
 * for user_agent); NULL with err set when the configuration cannot work.
 */
struct lp_llm *lp_llm_client_new(
    const struct lp_llm_config *cfg, struct lp_error *err);
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
/* Free a result (NULL is fine); it may outlive its client. */
void lp_llm_result_free(struct lp_llm_result *r);
/*
 * The request as it would be sent: {"method","url","headers","body"},
 * the key shown as "***" (for --dry-run).
 */
json_t *lp_llm_describe(struct lp_llm *c, const json_t *body);
/*
 * Counters: calls, retries, cached, failed, tokens, replies whose usage
 * was estimated, failed cache writes.
 */
json_t *lp_llm_stats(const struct lp_llm *c);
/*
 * The first failure to write a cache entry ("cannot write 'PATH': why"),
 * or NULL; every one is counted (llm_cache_write_failed).
 */
const char *lp_llm_cache_error(const struct lp_llm *c);
/*
 * The last failure for people: "POST URL: HTTP 500: the provider's
 * message (6 attempts)" or "POST URL: curl's words (6 attempts)", the URL
 * without userinfo or query values but api-version; "" if none.
 */
const char *lp_llm_last_error(const struct lp_llm *c);
/* Why the client stopped (lp_llm_stopped): "URL: HTTP 401: why", or "". */
const char *lp_llm_stop_reason(const struct lp_llm *c);
/* The endpoint's URL as shown (no userinfo, no query values). */
const char *lp_llm_url(const struct lp_llm *c);
/* Set when a FATAL result came: stop sending, every call would fail. */
int lp_llm_stopped(const struct lp_llm *c);
/* Stopped, or every failure so far unanswered and nothing answered. */
int lp_llm_unusable(const struct lp_llm *c);
/* Stop what is in flight; free c and the results not yet taken. */
void lp_llm_free(struct lp_llm *c);

#endif
