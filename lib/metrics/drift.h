/*
 * Drift: how far a dataset version has moved from an earlier one.  For two
 * distributions over the same classes (counts, not shares), the population
 * stability index and the Jensen-Shannon distance; for two KPI reports
 * (lp-kpi --json), the drift of every class balance and the change of the
 * key figures (agreement, alpha, gold accuracy, the judge's kappa).
 *
 * A shift is flagged when PSI passes 0.2 or the JS distance 0.1, or when a
 * key figure drops by more than 0.05 (the thresholds of lp-kpi(1)).
 */
#ifndef LP_METRICS_DRIFT_H
#define LP_METRICS_DRIFT_H

#include <jansson.h>

#define LP_DRIFT_PSI 0.2
#define LP_DRIFT_JS 0.1
#define LP_DRIFT_DROP 0.05

/*
 * The population stability index of p against q over k classes,
 * sum (p - q) ln(p / q) of their shares, and the Jensen-Shannon distance
 * (base 2, from 0 to 1).  Empty classes are smoothed by 1e-4 so a class
 * that appears does not make PSI infinite.
 */
double lp_psi(const double *p, const double *q, int k);
double lp_js_distance(const double *p, const double *q, int k);

/*
 * PSI and JS distance of two {value: count} objects over the union of
 * their values, {"psi", "js", "shift"}; null when both are empty.  New
 * reference.
 */
json_t *lp_drift_counts(json_t *now, json_t *then);
/*
 * The drift section of report m against the earlier report base: each
 * balance of m by its path, then each key figure both reports have, as
 * {"baseline", "now", "change", "shift"}.  New reference.
 */
json_t *lp_drift_report(json_t *m, json_t *base);

#endif
