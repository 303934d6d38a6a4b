/*
 * The KPI engine of lp-kpi: records go in one at a time, and out comes the
 * metrics report, one JSON object with records, labelled, completeness,
 * balance, agreement, judge, gold, throughput and latency_ms (the
 * documented format of lp-kpi --json).
 *
 * A struct lp_kpi is a heap object (lp_kpi_new/lp_kpi_free) that owns all
 * it holds.  Memory grows with the labelled items, annotators, classes and
 * counted values, not with the records: an unlabelled record only adds to
 * counts.  Adding a record reads what it can straight from a canonical
 * line, without building Jansson values for it.
 *
 * The report's figures are numbers rounded to six decimals, or null where
 * they are undefined (never NaN).
 */
#ifndef LP_METRICS_KPI_H
#define LP_METRICS_KPI_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "core/record.h"

struct lp_kpi;

/*
 * A new, empty engine.  fields (copied) are the paths whose class balance
 * is counted besides rating.score and labels (lp-kpi --field).  If
 * only_annot is not NULL (copied), only that annotator's labels count
 * (lp-kpi --by annotator).
 */
struct lp_kpi *lp_kpi_new(
    const char *const *fields, size_t nfields, const char *only_annot);
/*
 * The gold key (lp-sample --gold-key, read by lp_gold_key_load() of
 * review/gold.h): an object of id -> gold answer
 * ({"label": ...} or {"score": ...}), referenced, not copied.  A record
 * whose id is in it is a gold row: scored for gold accuracy against its
 * answer, left out of records, labelled, completeness, balance and
 * latency (the report's gold.rows counts them).  Set before adding.
 */
int lp_kpi_gold_key(struct lp_kpi *k, json_t *key);
/*
 * Keep what only lp_kpi_versions() and lp_kpi_evidence() show (the HTML
 * report): the labels' notes and versions and the adjudicated labels.  Off
 * by default, as it costs work on every labelled record; a group's engine
 * never needs it.  Set before adding.
 */
void lp_kpi_keep_evidence(struct lp_kpi *k);
/* Count rec. */
void lp_kpi_add(struct lp_kpi *k, struct lp_record *rec);
/*
 * Take each item's gold answer and judge's score from whole where k has
 * none: a group's share of the input may lack the copy of a record that
 * carried them.  Call once, before lp_kpi_metrics().
 */
void lp_kpi_fill_from(struct lp_kpi *k, const struct lp_kpi *whole);
/*
 * The metrics report of what was added; nboot bootstrap resamples (from
 * seed) for the intervals of alpha, 0 for none.  New reference.
 */
json_t *lp_kpi_metrics(struct lp_kpi *k, int nboot, unsigned long long seed);
/*
 * Add a tool's --stats object (it needs "tool" and an integer "in") to the
 * reject rates: skipped and quarantined over in, per tool and overall.
 * LP_FAILED if stats is not one.
 */
int lp_kpi_add_stats(struct lp_kpi *k, json_t *stats, struct lp_error *err);
/*
 * The rejects section, {tool: {in, rejected, rate}, ..., rate}, or NULL
 * when no --stats was added.  New reference.
 */
json_t *lp_kpi_rejects(const struct lp_kpi *k);
/*
 * The runs section, {tool: {wall_s, records_per_s, user_s, sys_s,
 * max_rss_kb}, ...} with what each --stats file carried (a tool's second
 * file as "TOOL 2", and so on), or NULL when no --stats was added.  New
 * reference.
 */
json_t *lp_kpi_runs(const struct lp_kpi *k);
/*
 * The versions the records name: {"dataset_version": [...],
 * "pipeline_version": [...], "taxonomy_version": [...],
 * "guidelines_version": [...]}, those seen, each the first few distinct
 * values in the order seen ("..." last when there were more).  From the
 * lineage and (with lp_kpi_keep_evidence()) the labels of the records
 * that are not gold rows.  New reference.
 */
json_t *lp_kpi_versions(const struct lp_kpi *k);
/*
 * The items behind the numbers, for a reader to look at:
 * {"disputed": L, "gold_misses": L, "judge_misses": L}, each
 * L = {"items": how many, "rows": [the first cap of them]}.  Disputed
 * items have labels that differ; a gold miss has a label other than its
 * gold answer; a judge miss a judge's score other than the annotators'
 * majority (the first class of a tie).  A row is {"id", "labels": {who:
 * class}, "gold", "judge", "confidence", "adjudicated", "notes"} with
 * those it has; classes are the labels' canonical JSON ("4", "\"bad\""),
 * notes the labels' "note"s as "who: note; ..." (an annotator's last note
 * on the item, once; the whole cut at 400 bytes, at a character).
 * Notes and adjudicated labels only with lp_kpi_keep_evidence().  Items in
 * the order first seen.  New reference.
 */
json_t *lp_kpi_evidence(const struct lp_kpi *k, size_t cap);
void lp_kpi_free(struct lp_kpi *k);

/* A figure of the report: x rounded to six decimals, or null if NaN. */
json_t *lp_kpi_num(double x);
/*
 * The value at a dotted path ("agreement.kripp_alpha.ordinal") of a
 * report, or NULL.  Empty parts of the path are passed over.  A path
 * that starts with "/" is a JSON Pointer (RFC 6901), which reaches any
 * key, one with dots too: "/drift/rating.score/psi", "~1" for "/" and
 * "~0" for "~" in a key.  Borrowed.
 */
json_t *lp_kpi_get(json_t *m, const char *path);

#endif
