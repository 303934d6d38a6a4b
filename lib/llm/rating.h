/*
 * A record's rating by LLM judges, the work of lp-rate: the requests, each
 * judge's verdict read from its answer, and the verdicts pooled.
 *
 * A judge is asked with the rubric's scale in its system text and
 * {"source","translation"} as the user message, and answers JSON
 * {"score","confidence"[,"rationale"]}.  Its verdict takes the score's
 * distribution from the logprobs where the server gave them (judge.h),
 * else the self-reported confidence ("method": "self-report", with
 * "logprobs_missing" saying why).  Several judges (models) are pooled:
 * their distributions averaged (a self-report puts its confidence on its
 * score and spreads the rest evenly), with "disagreement" when their
 * scores are more than one apart and each verdict under "judges".  Every
 * rating carries the rubric's and the prompt's versions.
 *
 * The settings are plain members, set after lp_rating_init() and before
 * lp_rating_rubric() and lp_rating_prompt(), which make the requests'
 * templates; the counters in n grow with each rating.
 */
#ifndef LP_LLM_RATING_H
#define LP_LLM_RATING_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "llm/llm.h"

/* The ratings made so far. */
struct lp_rating_stats {
	long long rated;      /* by at least one judge */
	long long failed;     /* by none */
	long long partial;    /* rated, but some judge failed */
	long long budget;     /* by none: the token budget was spent */
	long long selfreport; /* some verdict had no logprobs */
	long long disagree;   /* judges more than one point apart */
};

struct lp_rating {
	char **models; /* the judges (borrowed) */
	int nmodels;
	const char *target; /* the translation's language code */
	int rationale;	    /* ask for a rationale (default) */
	int logprobs;	    /* ask for logprobs (default) */
	int top;	    /* alternatives per token (default 10) */
	double temperature;
	long seed;
	/* From the rubric and the prompt (versions borrowed from them). */
	int nscale; /* scores 1..nscale */
	const char *rubric_version, *prompt_version;
	char *system;		 /* the system text, filled in */
	struct lp_llm_tmpl *tpl; /* one request template per judge */
	struct lp_buf user;	 /* the user message being built */
	struct lp_rating_stats n;
};

/* The defaults: rationale and logprobs asked for, 10 alternatives. */
void lp_rating_init(struct lp_rating *r);
/*
 * Take the rubric: "version" and 2 to LP_JUDGE_MAX "labels" with values
 * 1..n in order, each with a name and a definition.  LP_OK, or LP_FAILED
 * with what is wrong in err.  rubric must outlive r.
 */
int lp_rating_rubric(
    struct lp_rating *r, const json_t *rubric, struct lp_error *err);
/*
 * Take the judge prompt ("version", "system" and "rationale" strings) and
 * make each judge's request template, the rubric's labels filled in.
 * LP_OK, or LP_FAILED with what is wrong in err.  Both must outlive r.
 */
int lp_rating_prompt(struct lp_rating *r, const json_t *prompt,
    const json_t *rubric, struct lp_error *err);
/*
 * Check an answer's content: a JSON object with an integer score on the
 * scale, a confidence from 0 to 1 and (when asked for) a rationale.
 * LP_OK with the object in *out (new reference; out may be NULL), or
 * LP_FAILED with what is wrong in err.
 */
int lp_rating_check(const struct lp_rating *r, const char *content,
    json_t **out, struct lp_error *err);
/*
 * Keep of a reply (before it is cached) only what the verdict reads: the
 * logprobs up to the score.  Fits lp_llm_config's trim.
 */
void lp_rating_trim(json_t *reply);
/* The user message for src[0..srclen) and its translation tr[0..trlen). */
void lp_rating_user(struct lp_rating *r, const char *src, size_t srclen,
    const char *tr, size_t trlen);
/* Judge j's request with the last user message, appended to body. */
void lp_rating_request(
    const struct lp_rating *r, int judge, struct lp_buf *body, char digest[65]);
/* Judge j's verdict from its result (an "error" member if it failed). */
json_t *lp_rating_verdict(
    const struct lp_rating *r, const struct lp_llm_result *res, int judge);
/*
 * The rating from all judges' verdicts (an array, one per judge; its
 * verdicts' figures are rounded to four decimals in place): one verdict
 * as it is, several pooled; the first error when no judge gave one.
 * Counts it in r->n.
 */
json_t *lp_rating_pool(struct lp_rating *r, json_t *verdicts);
/*
 * The rating of a record with nothing to rate, an error with reason
 * no_input: no source (at field), or no translation, because it failed
 * with the message failure (else NULL).
 */
json_t *lp_rating_no_input(const struct lp_rating *r, const char *field,
    int no_source, const char *failure);
/* Free the system text, templates and buffer. */
void lp_rating_release(struct lp_rating *r);

#endif
