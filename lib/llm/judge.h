/*
 * An LLM judge's score as a distribution.  The judge answers JSON
 * {"score": k, ...}; with logprobs asked for, the reply carries, for each
 * token of that answer, its log probability and the top alternatives.
 * The score's distribution is read at the token that holds the score's
 * value: the alternatives that are digits 1..n, their probabilities
 * exp(logprob) summed per digit and renormalised to sum to 1.
 */
#ifndef LP_JUDGE_H
#define LP_JUDGE_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

#define LP_JUDGE_MAX 9 /* the largest scale: one digit */

struct lp_judge_dist {
	int n;			    /* scale 1..n */
	double p[LP_JUDGE_MAX + 1]; /* p[1..n], summing to 1 */
	double mass;		    /* the digits' share before renormalising */
	int score;		    /* the most likely (ties: the lower) */
	double confidence;	    /* p[score] */
	double expected;	    /* sum of k * p[k] */
};

/*
 * The byte offset in content (a JSON object) of the value of its
 * top-level member key, or -1.
 */
long lp_judge_value_at(const char *content, const char *key);
/*
 * The distribution over 1..n of the value of key in content, from
 * logprobs ({"content": [{"token", "logprob", "bytes", "top_logprobs"}]}).
 * LP_OK, or LP_FAILED with err saying why: no such member, no token
 * there, or no digit among the alternatives.
 */
int lp_judge_dist(const char *content, const json_t *logprobs, const char *key,
    int n, struct lp_judge_dist *d, struct lp_error *err);
/*
 * Cut logprobs down to what lp_judge_dist() reads for key: the tokens
 * before the one holding its value merged into one, that token with its
 * alternatives, nothing after.  Left whole if the value is not found.
 */
void lp_judge_trim(json_t *logprobs, const char *content, const char *key);
/*
 * Fill score, confidence and expected from p[1..n] (which must sum to
 * 1).
 */
void lp_judge_summarise(struct lp_judge_dist *d);

#endif
