/*
 * Request bodies of the LLM client: their canonical JSON bytes and the
 * digest of those bytes (SHA-256), which keys the cache; and templates for
 * a body built many times with only some strings changing.
 *
 * A template's body is dumped once with "holes" (strings of one NUL
 * character, which nothing else can contain), and each request fills
 * them, giving the same canonical bytes and digest as building and
 * dumping it whole.  The hash state after the fixed start is kept, so a
 * request hashes only what follows it; hole 0 can also be pinned to a
 * value that most requests use, and then the state after that is kept
 * too.  A template is caller-owned: lp_llm_tmpl_init(), then
 * lp_llm_tmpl_free().
 */
#ifndef LP_LLM_TEMPLATE_H
#define LP_LLM_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/hash.h"

#define LP_LLM_HOLES 4

struct lp_llm_tmpl {
	struct lp_buf part[LP_LLM_HOLES + 1]; /* part0 HOLE part1 ... */
	int nholes, pinned;
	struct lp_buf pre; /* part0, the pinned text, part1 */
	struct lp_sha256 pre_hash, part0_hash;
};

/*
 * A template of body: LP_OK, or LP_FAILED with err set (and t left empty)
 * if body has no hole or more than LP_LLM_HOLES.
 */
int lp_llm_tmpl_init(
    struct lp_llm_tmpl *t, const json_t *body, struct lp_error *err);
/* Pin hole 0 to text (len bytes, valid UTF-8). */
void lp_llm_tmpl_pin(struct lp_llm_tmpl *t, const char *text, size_t len);
/*
 * Append the body with hole i filled with text[i] (len[i] bytes, valid
 * UTF-8) to out, and its digest to hex; text[0] NULL takes the pinned
 * value.
 */
void lp_llm_tmpl_fill(const struct lp_llm_tmpl *t, const char *const *text,
    const size_t *len, struct lp_buf *out, char hex[65]);
/* Free the template's contents. */
void lp_llm_tmpl_free(struct lp_llm_tmpl *t);
/* A hole, for the body given to lp_llm_tmpl_init(). */
json_t *lp_llm_hole(void);

/* The digest of a request body: lp_json_digest() of it. */
void lp_llm_digest(const json_t *body, char hex[65]);

#endif
