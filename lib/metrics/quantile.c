#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "metrics/quantile.h"

#define NBUCKETS 4096
#define STEP 0.00995033085316809 /* ln 1.01 */

static size_t
bucket(double x)
{
	double b = x > 0 ? log1p(x) / STEP : 0;

	return b >= NBUCKETS - 1 ? NBUCKETS - 1 : (size_t)b;
}

void
lp_quantile_add(struct lp_quantile *q, double x)
{
	size_t i;

	if (q->n == 0 || x > q->max)
		q->max = x;
	if (q->hist == NULL && q->n < LP_QUANTILE_EXACT) {
		if (q->n == q->cap) {
			q->cap = q->cap ? q->cap * 2 : 64;
			q->v = lp_xrealloc(q->v, sizeof(*q->v) * q->cap);
		}
		q->v[q->n++] = x;
		return;
	}
	if (q->hist == NULL) {
		/* Too many to keep: from now on, counts per bucket. */
		q->hist = calloc(NBUCKETS, sizeof(*q->hist));
		if (q->hist == NULL)
			abort();
		for (i = 0; i < q->n; i++)
			q->hist[bucket(q->v[i])]++;
		free(q->v);
		q->v = NULL;
		q->cap = 0;
	}
	q->hist[bucket(x)]++;
	q->n++;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

double
lp_quantile_at(struct lp_quantile *q, size_t rank)
{
	size_t seen = 0, b;

	if (rank >= q->n)
		return NAN;
	if (q->hist == NULL) {
		/* Sorting in place keeps later adds and gets correct. */
		qsort(q->v, q->n, sizeof(*q->v), cmp_double);
		return q->v[rank];
	}
	for (b = 0; b < NBUCKETS; b++) {
		seen += q->hist[b];
		if (seen > rank)
			break;
	}
	if (rank == q->n - 1)
		return q->max;
	/* The bucket's middle, never above the largest value seen. */
	return fmin(expm1(((double)b + 0.5) * STEP), q->max);
}

void
lp_quantile_release(struct lp_quantile *q)
{
	free(q->v);
	free(q->hist);
	memset(q, 0, sizeof(*q));
}
