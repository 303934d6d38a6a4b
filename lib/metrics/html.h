/*
 * The KPI report as one self-contained HTML page for the people who decide
 * whether a dataset ships: inline CSS and SVG charts (metrics/chart.h), no
 * scripts, nothing fetched, every text from the data escaped, readable
 * from a 400-pixel phone to a wide screen (charts scale to the width, wide
 * tables scroll in their own box).
 *
 * From the top: a banner with the verdict of the gates (PASS, FAIL, or no
 * gates), the failing gates first with their thresholds, the versions of
 * dataset, pipeline, taxonomy and guidelines and the report's time; the
 * headline figures as percentages with 95% intervals; the gates; then
 * agreement (per class, per annotator pair, the confusion matrix of each
 * pair), gold accuracy, the judge's calibration, class balance (classes
 * by their taxonomy names), throughput and latency, the trends over time
 * when the report has "over", drift against the baseline, the stages;
 * last, the items behind the numbers (disputed items, gold misses, judge
 * misses), which the failing and disputed figures above link to.
 */
#ifndef LP_METRICS_HTML_H
#define LP_METRICS_HTML_H

#include <jansson.h>

#include "core/buf.h"
#include "metrics/kpi.h"
#include "review/taxonomy.h"

/* What the page shows besides the report and the gates. */
struct lp_html_info {
	long long at; /* the report's time, s since the epoch; < 0: none */
	/* The engine of the report: its versions and evidence, or NULL. */
	const struct lp_kpi *kpi;
	/* The taxonomy that names the classes, or NULL. */
	const struct lp_taxonomy *tax;
};

/*
 * The page for report m and gate results gs, appended to b; info may be
 * NULL (no time, versions, items or class names).  Tables of items show
 * 50 rows at most, and say how many more there are.
 */
void lp_html_report(
    struct lp_buf *b, json_t *m, json_t *gs, const struct lp_html_info *info);
/*
 * The time to stamp a report with: SOURCE_DATE_EPOCH when it is set (a
 * rebuild gives the same bytes), else now.
 */
long long lp_html_time(void);

#endif
