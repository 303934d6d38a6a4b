/*
 * Feedback to annotators (lp-kpi --feedback): for each annotator, a
 * report written to be read by that annotator ("You ..."), not by a
 * manager.  It holds their gold accuracy with every miss (the item, their
 * label, the expected label and the section of the guide it falls under),
 * their agreement with each peer (raw agreement and Cohen's kappa, from
 * the KPI report's agreement.pairs) and with the adjudicated label, their
 * accuracy per class (against the gold answer, else the adjudicated
 * label), and their pace (labels an hour, from the KPI report's
 * throughput) overall and over the last periods; each figure beside the
 * cohort's, the median of every annotator's figure.
 *
 * Classes are named from the taxonomy ("major errors (2)"); a label the
 * taxonomy does not know reads as its JSON.  The section of the guide a
 * class falls under is the guide's "The scale", where each label is
 * defined, with the taxonomy's definition of the expected label: the
 * guide (guidelines/guide.md, the version the taxonomy names) defines
 * each label there and nowhere else.
 *
 * The report is made in two steps: lp_feedback_build() computes the
 * figures of everyone (a JSON object the unit tests read), and
 * lp_feedback_markdown() and lp_feedback_html() write one annotator's.
 */
#ifndef LP_METRICS_FEEDBACK_H
#define LP_METRICS_FEEDBACK_H

#include <jansson.h>

#include "core/buf.h"
#include "metrics/items.h"
#include "review/taxonomy.h"

/* The periods of the pace trend: the last this many. */
#define LP_FEEDBACK_PERIODS 4

/*
 * The figures of every annotator, {annotator: {...}}, in the order of the
 * KPI report's throughput.  m is the KPI report (lp_kpi_metrics()),
 * periods a breakdown over time ({period: metrics}, from
 * lp_breakdown_metrics()) or NULL, t the taxonomy or NULL.  Per
 * annotator: "labels" (given, one per item however many copies of it
 * the input held); "gold" {items, right, accuracy, cohort, misses:
 * [{id, title, yours, expected, section, definition}]}; "peers" [{peer,
 * items, percent, kappa}] and "peers_cohort" {percent, kappa};
 * "adjudicated" {items, agree, percent, kappa, cohort, overridden: [{id,
 * title, yours, final, by, note}]}; "classes" [{class, items, right,
 * accuracy, cohort}]; "pace" {per_hour, cohort, trend: [{period,
 * per_hour, cohort}]}.  Figures are numbers (shares from 0 to 1) or null;
 * labels are the labels' values.  New reference.
 */
json_t *lp_feedback_build(const struct lp_items *s, json_t *m, json_t *periods,
    const struct lp_taxonomy *t);
/* Annotator who's report (fb: lp_feedback_build()'s) as Markdown. */
void lp_feedback_markdown(
    struct lp_buf *b, json_t *fb, const char *who, const struct lp_taxonomy *t);
/*
 * The same as a self-contained HTML page: no script, no outside URL,
 * readable on a 400 px wide screen.
 */
void lp_feedback_html(
    struct lp_buf *b, json_t *fb, const char *who, const struct lp_taxonomy *t);

#endif
