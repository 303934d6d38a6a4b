/*
 * Quantiles of a stream of non-negative values (latencies) in bounded
 * memory: exact while there are at most LP_QUANTILE_EXACT values, then a
 * histogram of 1%-wide logarithmic buckets (about 16 KB), so a quantile is
 * within 1% of the true one.  The maximum is always exact.
 */
#ifndef LP_METRICS_QUANTILE_H
#define LP_METRICS_QUANTILE_H

#include <stddef.h>
#include <stdint.h>

#define LP_QUANTILE_EXACT 65536

struct lp_quantile {
	double *v; /* exact values, until there are too many */
	size_t n, cap;
	uint32_t *hist; /* then bucket counts */
	double max;
};

void lp_quantile_add(struct lp_quantile *q, double x);
/*
 * The value of the given rank (0 for the smallest, n - 1 for the largest)
 * in sorted order; NAN if there are no values or rank is past them.
 */
double lp_quantile_at(struct lp_quantile *q, size_t rank);
void lp_quantile_release(struct lp_quantile *q);

#endif
