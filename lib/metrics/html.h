/*
 * The KPI report as one self-contained HTML page: inline CSS and SVG
 * charts (metrics/chart.h), no scripts, nothing fetched, every text from
 * the data escaped.  Sections: gates, completeness, agreement (with a
 * kappa heat map), class balance, gold accuracy and throughput, latency
 * per stage, and trends over time when the report has "over".
 */
#ifndef LP_METRICS_HTML_H
#define LP_METRICS_HTML_H

#include <jansson.h>

#include "core/buf.h"

/* The page for report m and gate results gs, appended to b. */
void lp_html_report(struct lp_buf *b, json_t *m, json_t *gs);

#endif
