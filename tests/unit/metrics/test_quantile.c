#include <math.h>

#include "core/status.h"
#include "core/rng.h"
#include "metrics/quantile.h"
#include "test.h"

TEST(exact_while_small)
{
	struct lp_quantile q = {0};
	int i;

	assert_true(isnan(lp_quantile_at(&q, 0)));
	for (i = 50; i >= 1; i--)
		lp_quantile_add(&q, i * 10.0);
	/* 10, 20, ..., 500 by rank. */
	assert_true(lp_quantile_at(&q, 25) == 260.0);
	assert_true(lp_quantile_at(&q, 47) == 480.0);
	assert_true(lp_quantile_at(&q, 49) == 500.0);
	assert_true(lp_quantile_at(&q, 0) == 10.0);
	assert_true(isnan(lp_quantile_at(&q, 50)));
	assert_true(q.hist == NULL);
	lp_quantile_release(&q);
}

static int
cmp_double_test(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/*
 * Past the exact limit, memory stops growing and quantiles stay within
 * 1% of the true ones (checked against the sorted values).
 */
TEST(within_one_percent_when_large)
{
	static double all[500000];
	static const double ps[] = {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999};
	struct lp_quantile q = {0};
	struct lp_rng r = {42};
	size_t i, j, n = sizeof(all) / sizeof(*all);

	for (i = 0; i < n; i++) {
		/* Log-normal-ish latencies from 1 ms to hours, and zeros. */
		all[i] = i % 97 == 0 ? 0 : exp(lp_rng_unit(&r) * 16);
		lp_quantile_add(&q, all[i]);
	}
	assert_true(q.v == NULL && q.hist != NULL);
	assert_eq_int((long long)q.n, (long long)n);
	qsort(all, n, sizeof(*all), cmp_double_test);
	for (j = 0; j < sizeof(ps) / sizeof(*ps); j++) {
		size_t rank = (size_t)ceil(ps[j] * (double)(n - 1));
		double want = all[rank], got = lp_quantile_at(&q, rank);

		if (!(fabs(got - want) <= 0.01 * want + 0.5))
			FAIL("p%g: %g, want %g", ps[j] * 100, got, want);
	}
	assert_true(lp_quantile_at(&q, n - 1) == all[n - 1]);
	lp_quantile_release(&q);
}

RUN_TESTS()
