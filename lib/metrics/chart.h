/*
 * Charts as inline SVG, for self-contained HTML reports: no scripts, no
 * fonts or styles from the network, text escaped.  Each function appends
 * one <svg> element (with a <title> for screen readers) to a buffer,
 * width="100%" with a viewBox: it scales to the width of its box.
 * Undefined values are NAN: drawn as "n/a", never as a number.
 */
#ifndef LP_METRICS_CHART_H
#define LP_METRICS_CHART_H

#include <stddef.h>

#include "core/buf.h"

/* Text with &, <, >, " escaped for HTML and SVG. */
void lp_html_escape(struct lp_buf *b, const char *s);

/*
 * Horizontal bars, one per label, scaled to vmax (0: the largest value).
 * back, if not NULL, is drawn lighter behind each bar (a p95 behind a
 * p50, say).  unit follows each printed value ("", "%", " ms").
 */
void lp_chart_bars(struct lp_buf *b, const char *title,
    const char *const *labels, const double *v, const double *back, size_t n,
    double vmax, const char *unit);
/*
 * A heat map of v[r * ncols + c] in [-1, 1] (kappa, say): red at 0 and
 * below, through yellow, to green at 1.
 */
void lp_chart_heat(struct lp_buf *b, const char *title, const char *const *rows,
    const char *const *cols, const double *v, size_t nrows, size_t ncols);
/*
 * Lines over x (evenly spaced, labelled xs): series s has y[s * nx + i];
 * NAN leaves a gap.  y runs from min(0, lowest) to the highest value.
 */
void lp_chart_lines(struct lp_buf *b, const char *title, const char *const *xs,
    size_t nx, const char *const *names, const double *y, size_t nseries);
/*
 * A matrix of counts v[r * ncols + c] (a confusion matrix: rows one
 * annotator's classes, columns the other's), each cell shaded by its
 * share of its row, the diagonal green and the rest orange.
 */
void lp_chart_counts(struct lp_buf *b, const char *title,
    const char *const *rows, const char *const *cols, const long long *v,
    size_t nrows, size_t ncols);
/*
 * A reliability diagram: for each of n bins of confidence [from, to), a
 * bar as high as the accuracy in it (NAN: none), against the dashed
 * diagonal where accuracy equals confidence; beside it each bin's
 * accuracy and items.
 */
void lp_chart_calibration(struct lp_buf *b, const char *title,
    const double *from, const double *to, const double *acc,
    const long long *items, size_t n);
/*
 * Label every how many points of nx, evenly spread over span pixels, so
 * that labels xs (13-pixel text, cut at 12 characters) do not overlap:
 * 1 when all fit.  lp_chart_lines() labels every step-th point and the
 * last.
 */
size_t lp_chart_label_step(const char *const *xs, size_t nx, int span);

#endif
