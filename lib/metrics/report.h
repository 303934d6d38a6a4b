/*
 * The KPI report (lp_kpi_metrics(), with the gate results) for people: as
 * aligned text, as Markdown tables, and as the text of an alert when gates
 * fail.  Renderers append to a buffer the caller owns and prints; figures
 * read with four decimals, undefined ones as "undefined".  The HTML page
 * is in metrics/html.h.
 */
#ifndef LP_METRICS_REPORT_H
#define LP_METRICS_REPORT_H

#include <jansson.h>

#include "core/buf.h"

/*
 * The report m as text: counts, completeness, agreement, drift, the
 * groups of --by and --over, then the gates (the results gs).
 */
void lp_report_text(struct lp_buf *b, json_t *m, json_t *gs);
/* The report m as a Markdown document, gates last. */
void lp_report_markdown(struct lp_buf *b, json_t *m, json_t *gs);
/*
 * The text of an alert: how many of the gates gs failed (failed of them),
 * for dataset (NULL: none named), then one line for each that failed.
 */
void lp_report_alert(
    struct lp_buf *b, json_t *gs, int failed, const char *dataset);
/*
 * The text of an alert for a stage of a build that failed, as a failed
 * gate's reads: "lp-kpi: stage translate failed with status 69 for
 * dataset D" and "• " with the stage's first error line (when not NULL
 * or empty), into b.
 */
void lp_report_stage_alert(struct lp_buf *b, const char *stage, int status,
    const char *error, const char *dataset);

/*
 * Text from outside (a title, an annotator's id or note, a group's key)
 * into Markdown as the characters it is, on one line: <, > and & as
 * entities, so no viewer takes it for HTML; \, `, *, _, [, ] and | behind a
 * backslash, so it makes no emphasis, link, code or table cell; line
 * breaks as spaces.  s NULL appends nothing.
 */
void lp_md_escape(struct lp_buf *b, const char *s);
/* A figure: four decimals, a message as it is, or "undefined". */
void lp_report_figure(struct lp_buf *b, json_t *v);
/*
 * The agreement, judge, gold and reject-rate rows of m, each given to row
 * with its label and value: the table they make is the renderer's.
 */
void lp_report_agreement_rows(struct lp_buf *b, json_t *m,
    void (*row)(struct lp_buf *, const char *, json_t *));

#endif
