/*
 * The calibration pack (lp-kpi --calibration): the items most worth an
 * hour of the team's time, ranked by how hard they proved, each with
 * every label, note and correction, the title and translation, the
 * judge's score and the gold answer, ready for a review session or for
 * lp-label.
 *
 * An item's score is the weighted sum of five parts, each from 0 to 1:
 *
 *   disagreement    (n - m) / (n - 1) of its n labels (skips left out),
 *                   m of them the most common label; 0 when n < 2
 *   override        the share of its labels the adjudicator decided
 *                   against (adjudication.method "adjudicator"), else 0
 *   judge           the share of its labels that differ from the judge's
 *                   score (rating.score), 0 without one
 *   low_confidence  1 - the judge's confidence (rating.confidence), 0
 *                   without one
 *   gold_miss       the share of its labels that miss the gold answer,
 *                   0 for an item that is not gold
 *
 * with the weights below: score = 3 disagreement + 2 override + 2 judge
 * + 1 low_confidence + 3 gold_miss (0 to 11).  Items are ranked by score,
 * then by more labels, then by id; items scoring 0 are left out.
 */
#ifndef LP_METRICS_CALIBRATION_H
#define LP_METRICS_CALIBRATION_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "metrics/items.h"
#include "review/taxonomy.h"

#define LP_CALIBRATION_W_DISAGREEMENT 3.0
#define LP_CALIBRATION_W_OVERRIDE 2.0
#define LP_CALIBRATION_W_JUDGE 2.0
#define LP_CALIBRATION_W_LOW_CONFIDENCE 1.0
#define LP_CALIBRATION_W_GOLD_MISS 3.0

/*
 * The score's parts of one item (one of lp_items_list()'s), {disagreement,
 * override, judge, low_confidence, gold_miss}, into *parts (a new
 * reference); returns the score.
 */
double lp_calibration_score(json_t *item, json_t **parts);
/*
 * The top hardest items (at most top), ranked: an array of records, each
 * {id, title, translation: {text}, rating, gold: {label}, adjudication,
 * labels, calibration: {rank, score, parts}} with the members the item
 * has.  New reference.
 */
json_t *lp_calibration_rank(const struct lp_items *s, size_t top);
/* The ranked records as JSON Lines, one item a line. */
void lp_calibration_jsonl(struct lp_buf *b, json_t *ranked);
/*
 * The ranked records as a Markdown agenda for the session: per item its
 * score and parts, title, translation, the judge's view, the gold answer,
 * every label with its note and correction, and the adjudication; labels
 * named from the taxonomy t (or NULL).
 */
void lp_calibration_markdown(
    struct lp_buf *b, json_t *ranked, const struct lp_taxonomy *t);

#endif
