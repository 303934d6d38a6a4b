/*
 * A model's help with cleaning listing titles, the work of lp-clean --llm:
 * the requests, the answers checked against their shape and the guards
 * (text/guard.h), and what a record keeps of them.
 *
 * A request carries one title as {"title": ...}: the record's original
 * (raw.title, else title; personal data already redacted by the rules),
 * under the prompt's system text and, as a strict response_format, the
 * prompt's schema: {"title","brand","model","attributes","condition",
 * "edits":[{"kind","from","to"}]}.
 *
 * An answer is put in the rules' form (the same normalisation, rules,
 * units and case folding as the rules' title) and checked by the guards.
 * Accepted: the record's title becomes the model's, raw.title keeps the
 * original, and attributes the rules did not find are added to attrs
 * (those of the model's answer, and brand and model).  Either way the
 * record gets clean.llm: {"model","prompt_version","accepted","edits",
 * "brand","product","condition", "rules_title" (accepted) or "llm_title"
 * and "rejected": why, "guard": which (rejected), usage, latency_ms,
 * cached, finish_reason}; a request that failed gives {"model",
 * "prompt_version","error"} and the record keeps the rules' result.  An
 * answer that is not JSON of the schema's shape is rejected by the guard
 * "malformed", its first 200 bytes kept as "llm_reply".
 *
 * The settings are plain members, set after lp_cleaner_init() and before
 * lp_cleaner_prompt(); the counters in n grow with each record done.
 */
#ifndef LP_LLM_CLEANER_H
#define LP_LLM_CLEANER_H

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/record.h"
#include "llm/llm.h"
#include "text/guard.h"
#include "text/rules.h"
#include "text/text.h"

struct lp_cleaner_stats {
	long long doubtful; /* records the rules had doubts about */
	long long sent;	    /* requests made (lp_cleaner_request()) */
	long long accepted, rejected;
	long long by[LP_GUARD_NVERDICTS]; /* rejections, per guard */
	long long failed, budget;	  /* requests that failed */
	long long cached;		  /* answers from the cache */
};

struct lp_cleaner {
	const char *model; /* the model asked (borrowed) */
	double temperature;
	long seed;
	int max_edits; /* the edit guard's budget (default 5) */
	int lower;     /* fold case as the rules do (the default) */
	/*
	 * The rules for the model's title (borrowed); their hit counts
	 * are left as they were.
	 */
	struct lp_rules *rules;
	const char *prompt_version, *system; /* borrowed from the prompt */
	json_t *format;
	struct lp_llm_tmpl tpl;
	struct lp_text text;
	struct lp_buf user, a, b, d; /* d: the display form */
	long long *hits;	     /* scratch for the rules' hit counts */
	struct lp_cleaner_stats n;
};

/* The defaults: 5 edits, case folded. */
void lp_cleaner_init(struct lp_cleaner *c);
/*
 * Take the prompt ("version" and "system" strings, "schema" an object)
 * and make the request template.  LP_OK, or LP_FAILED with what is wrong
 * in err.  prompt must outlive c.
 */
int lp_cleaner_prompt(
    struct lp_cleaner *c, const json_t *prompt, struct lp_error *err);
/*
 * The text a request for rec carries (raw.title, else title) and its
 * length; NULL if rec has no title.  Valid until rec changes.
 */
const char *lp_cleaner_source(struct lp_record *rec, size_t *len);
/*
 * The rules' doubts about rec, cleaned: lp_guard_doubts() of its title,
 * and LP_DOUBT_PRICE for a price text that held no price.  A record with
 * doubts is counted in n.doubtful.
 */
unsigned lp_cleaner_doubts(struct lp_cleaner *c, struct lp_record *rec);
/*
 * The request for src[0..len), appended to body, and its digest; counted
 * in n.sent.
 */
void lp_cleaner_request(struct lp_cleaner *c, const char *src, size_t len,
    struct lp_buf *body, char digest[65]);
/*
 * Use res, the answer to the request for rec (which the rules cleaned),
 * as the header says: rec gets clean.llm and, when the guards accept the
 * answer, the model's title and attributes.  Counts it in c->n.
 */
void lp_cleaner_apply(struct lp_cleaner *c, const struct lp_llm_result *res,
    struct lp_record *rec);
/* Free the format, template and buffers. */
void lp_cleaner_release(struct lp_cleaner *c);

#endif
