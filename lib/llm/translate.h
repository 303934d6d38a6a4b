/*
 * Translating listing titles, the work of lp-translate: the requests, and
 * the translation member each record gets from the model's answer.
 *
 * In JSON mode (the default) a request carries one or more titles as
 * {"items":[{"id":"1","text":...},...]} and the model answers
 * {"items":[{"id","text"}]} under a strict response_format; ids given back
 * as numbers count too, and an item left out is the caller's to ask for
 * again.  In plain mode a request carries one title and the answer is the
 * translation itself, surrounding white space dropped.  The glossary's
 * terms that a request's titles use are added to its system text; a
 * translation that lacks one gets "glossary_missed".
 *
 * The translation member: {"lang","model","prompt_version","text",
 * "usage","latency_ms","cached",...} (answer.h), or {"lang","model",
 * "prompt_version","error"} for a failed item.  Requests are built from a
 * template (llm.h), so they give the same bytes and digests as a body
 * built whole.
 *
 * The settings are plain members, set after lp_translate_init() and before
 * lp_translate_prompt(); the counters in n grow with each member made.
 */
#ifndef LP_LLM_TRANSLATE_H
#define LP_LLM_TRANSLATE_H

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/record.h"
#include "llm/glossary.h"
#include "llm/llm.h"

/* The members made so far. */
struct lp_translate_stats {
	long long done;		   /* translated */
	long long failed;	   /* an error member */
	long long budget;	   /* an error: the token budget was spent */
	long long cached;	   /* translated from the cache */
	long long glossary_missed; /* translated without a glossary term */
};

struct lp_translate {
	const char *model;  /* the model asked (borrowed) */
	const char *target; /* the target language's code (borrowed) */
	int json_mode;	    /* JSON requests and answers (the default) */
	double temperature;
	long seed;
	struct lp_glossary glossary;
	/* From the prompt (borrowed from it). */
	const char *prompt_version, *glossary_text;
	char *system;	/* the system text, filled in */
	json_t *format; /* the answer's shape, in JSON mode */
	struct lp_llm_tmpl tpl;
	struct lp_buf sys, user; /* scratch for a request's two texts */
	struct lp_translate_stats n;
};

/* The defaults: JSON mode, no glossary. */
void lp_translate_init(struct lp_translate *t);
/*
 * Take the prompt ("version", "system", "system_plain" and "glossary"
 * strings) and make the request template.  LP_OK, or LP_FAILED with what
 * is wrong in err.  prompt must outlive t.
 */
int lp_translate_prompt(
    struct lp_translate *t, const json_t *prompt, struct lp_error *err);
/*
 * The request for texts[0..n) (n > 1 only in JSON mode), appended to
 * body, and its digest.
 */
void lp_translate_request(struct lp_translate *t, char *const *texts, int n,
    struct lp_buf *body, char digest[65]);
/*
 * A JSON-mode answer's items as an object id -> text (empty texts left
 * out), or NULL if content is not {"items":[...]}.
 */
json_t *lp_translate_items(const char *content);
/*
 * Check an answer's content: in JSON mode it must hold at least one
 * translated item.  LP_OK, or LP_FAILED with what is wrong in err.
 */
int lp_translate_check(
    const struct lp_translate *t, const char *content, struct lp_error *err);
/*
 * The translation of item i of a request answered by res (successful):
 * the content in plain mode, else the text of id i + 1 in items (from
 * lp_translate_items()); NULL if the answer left it out.
 */
const char *lp_translate_text(const struct lp_translate *t,
    const struct lp_llm_result *res, const json_t *items, int i);
/*
 * The member for source text src translated as text by res, one of n
 * items of its request.  Counts it in t->n.
 */
json_t *lp_translate_member(struct lp_translate *t,
    const struct lp_llm_result *res, const char *src, const char *text, int n);
/*
 * The member for an item whose request failed (res), or with left_out
 * set, that a successful answer left out.  Counts it in t->n.
 */
json_t *lp_translate_failure(
    struct lp_translate *t, const struct lp_llm_result *res, int left_out);
/* Free the glossary, system text, format, template and buffers. */
void lp_translate_release(struct lp_translate *t);
/*
 * The source text of rec, its length in *len: the member at path field,
 * or with field NULL the cased display form lp-clean keeps
 * (title_display), else title.  NULL when there is none.  What
 * lp-translate translates and lp-rate judges the translation against.
 */
const char *lp_translate_source(
    struct lp_record *rec, const char *field, size_t *len);
/* The name of that source in a config or a message. */
#define LP_TRANSLATE_SOURCE_NAME(field)                                        \
	((field) != NULL ? (field) : "title_display|title")

#endif
