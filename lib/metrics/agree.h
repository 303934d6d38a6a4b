/*
 * Agreement between annotators (for lp-kpi): percent agreement, Cohen's
 * kappa (unweighted, linear and quadratic weights), PABAK, Fleiss' kappa,
 * Gwet's AC1 and AC2, and Krippendorff's alpha (nominal, ordinal,
 * interval) with missing values.  Undefined results (one category only,
 * no pairable values) are NAN: callers say so instead of printing it.
 *
 * Ratings are category indices 0..k-1 (ordered, for the weighted forms),
 * or -1 for missing.
 */
#ifndef LP_METRICS_AGREE_H
#define LP_METRICS_AGREE_H

#include <stddef.h>

#include "core/status.h"

enum lp_weight { LP_W_NONE, LP_W_LINEAR, LP_W_QUADRATIC };
enum lp_metric { LP_NOMINAL, LP_ORDINAL, LP_INTERVAL };

/* Weight of categories i and j among k: 1 on the diagonal, less apart. */
double lp_weight(enum lp_weight w, int i, int j, int k);
/*
 * Two raters, n items (pairs with a missing value are left out).  *po
 * gets the observed (weighted) agreement if po is not NULL.
 */
double lp_cohen_kappa(
    const int *a, const int *b, size_t n, int k, enum lp_weight w, double *po);
/* Prevalence- and bias-adjusted kappa from observed agreement. */
double lp_pabak(double po, int k);
/*
 * Many raters: ratings[i * nraters + r].  Fleiss' kappa needs every item
 * rated by the same number of raters (items with fewer are left out);
 * Gwet's AC1 (w none) or AC2 and Krippendorff's alpha take missing values.
 */
double lp_fleiss_kappa(const int *ratings, size_t n, int nraters, int k);
double lp_gwet_ac(
    const int *ratings, size_t n, int nraters, int k, enum lp_weight w);
/* values are the category values for the interval metric (NULL: 0..k-1). */
double lp_kripp_alpha(const int *ratings, size_t n, int nraters, int k,
    enum lp_metric m, const double *values);

/* Cohen's kappa of class c against the rest (one-vs-rest). */
double lp_cohen_kappa_class(const int *a, const int *b, size_t n, int c);
/*
 * The k-by-k confusion matrix of a (rows) against b (columns), pairs with
 * a missing value left out, into m[a * k + b].  Returns the pairs counted.
 */
size_t lp_confusion(
    const int *a, const int *b, size_t n, int k, unsigned long *m);

/*
 * A percentile bootstrap interval for fn, a statistic over many-rater
 * ratings (arg passed through): nboot resamples of the items
 * (with replacement, from seed), the central share level (0.95) of the
 * defined results in *lo and *hi.  LP_OK, or LP_FAILED if fewer than half
 * the resamples gave a defined result.
 */
enum lp_status lp_bootstrap(
    double (*fn)(const int *ratings, size_t n, int nraters, int k, void *arg),
    void *arg, const int *ratings, size_t n, int nraters, int k, int nboot,
    unsigned long long seed, double level, double *lo, double *hi);
/*
 * The same intervals for Krippendorff's alpha under each of the nm metrics
 * ms, into lo[j] and hi[j], fast: each item's share of the coincidence
 * matrix is found once, and a resample (the same draws as lp_bootstrap()
 * with this seed) only sums the shares of the items drawn.  LP_FAILED if
 * an interval is undefined (its lo and hi are NAN).
 */
enum lp_status lp_kripp_bootstrap(const int *ratings, size_t n, int nraters,
    int k, const enum lp_metric *ms, int nm, const double *values, int nboot,
    unsigned long long seed, double level, double *lo, double *hi);

#endif
