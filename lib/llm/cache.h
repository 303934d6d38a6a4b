/*
 * The on-disk cache of LLM replies: one file per request digest,
 * "DIR/ab/abcdef....json" holding {"response": reply, "latency_ms": ms},
 * written whole to a temporary name and renamed, so that concurrent runs
 * sharing the folder see an entry whole or not at all.
 *
 * Entries can be looked up at once (lp_llm_cache_get) or asked of the
 * cache's reader, a thread that opens and parses entries while the caller
 * goes on (parsing is most of the cost of a cached item, so a cached rerun
 * then uses two cores): asks go in with lp_llm_cache_ask() and come back,
 * found or not, from lp_llm_cache_answers(), after the wake callback has
 * been called from the reader's thread.  Everything but the reader's own
 * work happens on the caller's thread.
 *
 * Entries are written by the same thread (lp_llm_cache_put), so a miss's
 * answer costs the caller no file system calls; lp_llm_cache_free()
 * writes what is still queued before it returns.
 *
 * Replies the caller is done with go to lp_llm_cache_dispose(), which
 * leaves freeing them to a running reader (a tenth of a cached item's
 * cost): process-wide, so a reply may outlive its cache.
 */
#ifndef LP_LLM_CACHE_H
#define LP_LLM_CACHE_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

struct lp_llm_cache;

/* A lookup asked of the reader, embedded in the caller's request. */
struct lp_llm_cache_ask {
	struct lp_llm_cache_ask *next;
	const char *digest; /* borrowed, until the answer comes back */
	json_t *hit;	    /* the reply found (owned), or NULL */
	double latency;	    /* the entry's latency_ms */
};

/*
 * The cache in folder dir (copied; made when first written); wake(arg) is
 * called from the reader's thread when answers are ready.
 */
struct lp_llm_cache *lp_llm_cache_new(
    const char *dir, void (*wake)(void *), void *arg);
/*
 * Stop the reader and free the cache; the asks it still held (their hits
 * freed) are returned as a chain for the caller to free.
 */
struct lp_llm_cache_ask *lp_llm_cache_free(struct lp_llm_cache *c);
/* The reply cached for digest (a new reference) and its latency, or NULL. */
json_t *lp_llm_cache_get(
    struct lp_llm_cache *c, const char *digest, double *latency);
/*
 * Cache reply (borrowed) for digest.  The entry's text is made at once;
 * the file is written by the reader's thread (started if need be), off
 * the caller's event loop, when lp_llm_cache_flush() says (a lookup
 * meanwhile finds it queued).  With
 * no reader, it is written at once.  LP_OK, or LP_FAILED when an entry
 * written at once could not be (a rerun then asks again); every failure is
 * counted, and the first kept ("cannot write 'PATH': why").
 */
int lp_llm_cache_put(
    struct lp_llm_cache *c, const char *digest, json_t *reply, double latency);
/*
 * Wake the reader for the entries put since (the caller's event loop, once
 * it has sent what was ready); a put wakes it by itself only when many
 * wait.
 */
void lp_llm_cache_flush(struct lp_llm_cache *c);
/* Wait until every entry put so far is written (or failed). */
void lp_llm_cache_sync(struct lp_llm_cache *c);
/* Entries that could not be written so far (lp_llm_cache_sync() first to
 * count them all). */
long long lp_llm_cache_failures(struct lp_llm_cache *c);
/* The first failure to write an entry so far, or NULL. */
const char *lp_llm_cache_failure(struct lp_llm_cache *c);
/*
 * Hand a lookup to the reader (started by the first ask): 0, or -1 if no
 * reader runs (then look up with lp_llm_cache_get()).
 */
int lp_llm_cache_ask(struct lp_llm_cache *c, struct lp_llm_cache_ask *a);
/* The answered asks, in the order asked (a chain), or NULL. */
struct lp_llm_cache_ask *lp_llm_cache_answers(struct lp_llm_cache *c);
/* Asks handed to the reader and not yet taken back. */
size_t lp_llm_cache_asked(const struct lp_llm_cache *c);
/* Free reply (NULL is fine), on a reader's thread if one runs. */
void lp_llm_cache_dispose(json_t *reply);

#endif
