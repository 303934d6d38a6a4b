/*
 * Adjudication of one item that several annotators labelled: their labels
 * merged (one per annotator and round, the first copy kept), settled by a
 * consensus rule where it can be, and the adjudication written on the
 * record: by consensus, or by the adjudicator's decision.
 *
 * Rules: one label given settles the item ("single"); all labels given
 * the same ("unanimous"); with majority, more than half the same
 * ("majority").  Skips (labels without a value) do not count.  Anything
 * else waits for the adjudicator, unless no annotator labelled it at all
 * (an item with skips only is "unlabelled" but waits).
 *
 * The adjudication holds references to the labels and the settled value.
 */
#ifndef LP_REVIEW_ADJUDICATION_H
#define LP_REVIEW_ADJUDICATION_H

#include <jansson.h>
#include <stddef.h>

#include "review/decision.h"

struct lp_adjudication {
	json_t *labels;	 /* every annotator's labels, merged; an array */
	const char *how; /* "single", "unanimous", "majority", or NULL */
	json_t *settled; /* the value consensus settled on, or NULL */
};

/*
 * Merge a record's labels (an array, or NULL) into a->labels (made on the
 * first call): a label of an annotator and round already there is left
 * out.  The labels left out; labels without an annotator are ignored.
 */
size_t lp_adjudication_merge(struct lp_adjudication *a, const json_t *labels);
/*
 * Settle by consensus (majority: the majority rule too): sets how and
 * settled when a rule settles it.  What it came to, for counting: how, or
 * "contested" (for the adjudicator), or "unlabelled".
 */
const char *lp_adjudication_settle(struct lp_adjudication *a, int majority);
/* Whether the item waits for the adjudicator: has labels, not settled. */
int lp_adjudication_open(const struct lp_adjudication *a);
/*
 * The record's "adjudication" object: the consensus (by "consensus", at
 * now), else the adjudicator's submitted decision dec (by adjudicator,
 * with its correction and note); NULL when there is neither.
 */
json_t *lp_adjudication_result(const struct lp_adjudication *a,
    const struct lp_decision *dec, const char *adjudicator, long long now);
void lp_adjudication_release(struct lp_adjudication *a);

#endif
