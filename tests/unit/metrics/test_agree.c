#include <math.h>

#include "core/status.h"
#include "metrics/agree.h"
#include "test.h"

#define NEAR(x, y, eps) (fabs((x) - (y)) < (eps))

/* Wikipedia, "Cohen's kappa": 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no. */
static void
cohen_table(int *a, int *b)
{
	int i;

	for (i = 0; i < 50; i++) {
		a[i] = i < 25 ? 0 : 1;
		b[i] = i < 20 ? 0 : i < 25 ? 1 : i < 35 ? 0 : 1;
	}
}

TEST(cohen_kappa_textbook)
{
	int a[50], b[50];
	double po;

	cohen_table(a, b);
	assert_true(
	    NEAR(lp_cohen_kappa(a, b, 50, 2, LP_W_NONE, &po), 0.4, 1e-12));
	assert_true(NEAR(po, 0.7, 1e-12));
	assert_true(NEAR(lp_pabak(po, 2), 0.4, 1e-12));
}

/* Hand-computed: 13/25 unweighted, 5/8 linear, 17/23 quadratic. */
TEST(cohen_kappa_weighted)
{
	int a[] = {0, 0, 0, 1, 2, 2}, b[] = {0, 0, 1, 1, 1, 2};

	assert_true(NEAR(
	    lp_cohen_kappa(a, b, 6, 3, LP_W_NONE, NULL), 13.0 / 25, 1e-12));
	assert_true(NEAR(
	    lp_cohen_kappa(a, b, 6, 3, LP_W_LINEAR, NULL), 5.0 / 8, 1e-12));
	assert_true(NEAR(lp_cohen_kappa(a, b, 6, 3, LP_W_QUADRATIC, NULL),
	    17.0 / 23, 1e-12));
}

/* Wikipedia, "Fleiss' kappa": 10 subjects, 14 raters, 5 categories. */
TEST(fleiss_kappa_wikipedia)
{
	static const int counts[10][5] = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2},
	    {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1}, {7, 7, 0, 0, 0},
	    {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}};
	int ratings[10 * 14], i, j, c, r;

	for (i = 0; i < 10; i++)
		for (j = r = 0; j < 5; j++)
			for (c = 0; c < counts[i][j]; c++)
				ratings[i * 14 + r++] = j;
	/* The source gives 0.210. */
	assert_true(NEAR(lp_fleiss_kappa(ratings, 10, 14, 5), 0.210, 0.0005));
}

/*
 * Krippendorff (2011), "Computing Krippendorff's alpha-reliability": four
 * observers, twelve units, missing values; alpha = .743 nominal, .815
 * ordinal, .849 interval.
 */
TEST(krippendorff_alpha_2011)
{
	static const int data[12][4] = {{1, 1, -1, 1}, {2, 2, 3, 2},
	    {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
	    {4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {-1, 5, 5, 5},
	    {-1, -1, 1, 1}, {-1, -1, 3, -1}};
	int ratings[48], i;

	/* Values 1..5 as categories 0..4. */
	for (i = 0; i < 48; i++)
		ratings[i] =
		    data[i / 4][i % 4] < 0 ? -1 : data[i / 4][i % 4] - 1;
	assert_true(NEAR(lp_kripp_alpha(ratings, 12, 4, 5, LP_NOMINAL, NULL),
	    0.743, 0.0005));
	assert_true(NEAR(lp_kripp_alpha(ratings, 12, 4, 5, LP_ORDINAL, NULL),
	    0.815, 0.0005));
	assert_true(NEAR(lp_kripp_alpha(ratings, 12, 4, 5, LP_INTERVAL, NULL),
	    0.849, 0.0005));
}

/* Gwet's AC1 on the Cohen table, by hand: (0.7 - 0.495) / 0.505. */
TEST(gwet_ac1)
{
	int a[50], b[50], ratings[100], i;

	cohen_table(a, b);
	for (i = 0; i < 50; i++) {
		ratings[2 * i] = a[i];
		ratings[2 * i + 1] = b[i];
	}
	assert_true(NEAR(
	    lp_gwet_ac(ratings, 50, 2, 2, LP_W_NONE), 0.205 / 0.505, 1e-12));
	/* With two categories, quadratic AC2 is AC1. */
	assert_true(NEAR(lp_gwet_ac(ratings, 50, 2, 2, LP_W_QUADRATIC),
	    0.205 / 0.505, 1e-12));
}

TEST(undefined_is_nan)
{
	int same[] = {1, 1, 1, 1}, one[] = {0, -1, 1, -1, 2, -1};

	assert_true(isnan(lp_cohen_kappa(same, same, 4, 3, LP_W_NONE, NULL)));
	/* One rating per item: nothing pairs. */
	assert_true(isnan(lp_kripp_alpha(one, 3, 2, 3, LP_NOMINAL, NULL)));
	assert_true(isnan(lp_gwet_ac(one, 3, 2, 3, LP_W_NONE)));
	assert_true(isnan(lp_fleiss_kappa(one, 3, 2, 3)));
	assert_true(isnan(lp_pabak(1, 1)));
}

TEST(class_kappa_and_confusion)
{
	int a[] = {0, 0, 0, 1, 2, 2}, b[] = {0, 0, 1, 1, 1, 2};
	unsigned long m[9];

	/* Class 0 vs rest: yes-yes 2, yes-no 1, no-no 3: po 5/6, pe 1/2. */
	assert_true(NEAR(lp_cohen_kappa_class(a, b, 6, 0), 2.0 / 3, 1e-12));
	assert_eq_int((long long)lp_confusion(a, b, 6, 3, m), 6);
	assert_eq_int((long long)m[0 * 3 + 0], 2);
	assert_eq_int((long long)m[0 * 3 + 1], 1);
	assert_eq_int((long long)m[2 * 3 + 1], 1);
	assert_eq_int((long long)m[1 * 3 + 0], 0);
}

static double
kappa_fn(const int *r, size_t n, int nraters, int k, void *arg)
{
	(void)arg;
	return lp_kripp_alpha(r, n, nraters, k, LP_NOMINAL, NULL);
}

TEST(bootstrap_interval)
{
	int r[400], i;
	double lo, hi, lo2, hi2, point;

	/* 200 items, two raters, agreeing 80% of the time. */
	for (i = 0; i < 200; i++) {
		r[2 * i] = i % 3;
		r[2 * i + 1] = i % 5 == 0 ? (i + 1) % 3 : i % 3;
	}
	point = kappa_fn(r, 200, 2, 3, NULL);
	assert_eq_int(
	    lp_bootstrap(kappa_fn, NULL, r, 200, 2, 3, 500, 7, 0.95, &lo, &hi),
	    LP_OK);
	assert_true(lo < point && point < hi);
	assert_true(hi - lo > 0.02 && hi - lo < 0.3);
	/* The same seed, the same interval. */
	lp_bootstrap(kappa_fn, NULL, r, 200, 2, 3, 500, 7, 0.95, &lo2, &hi2);
	assert_true(lo == lo2 && hi == hi2);
}

static double
ordinal_fn(const int *r, size_t n, int nraters, int k, void *arg)
{
	(void)arg;
	return lp_kripp_alpha(r, n, nraters, k, LP_ORDINAL, NULL);
}

/*
 * The fast alpha bootstrap draws what the general one draws: the same
 * intervals, for every metric at once, with missing values and an item
 * no pair can be made of.
 */
TEST(kripp_bootstrap_matches_the_general_one)
{
	static const enum lp_metric ms[] = {LP_ORDINAL, LP_NOMINAL};
	int r[300 * 3], i;
	double lo[2], hi[2], glo, ghi;

	for (i = 0; i < 300; i++) {
		r[3 * i] = i % 4;
		r[3 * i + 1] = i % 7 == 0 ? (i + 1) % 4 : i % 4;
		r[3 * i + 2] = i % 3 == 0 ? -1 : (i % 11 == 0 ? 0 : i % 4);
	}
	r[3 * 5 + 1] = r[3 * 5 + 2] = -1; /* item 5: one value */
	assert_eq_int(
	    lp_kripp_bootstrap(r, 300, 3, 4, ms, 2, NULL, 400, 9, 0.95, lo, hi),
	    LP_OK);
	lp_bootstrap(ordinal_fn, NULL, r, 300, 3, 4, 400, 9, 0.95, &glo, &ghi);
	assert_true(NEAR(lo[0], glo, 1e-12) && NEAR(hi[0], ghi, 1e-12));
	lp_bootstrap(kappa_fn, NULL, r, 300, 3, 4, 400, 9, 0.95, &glo, &ghi);
	assert_true(NEAR(lo[1], glo, 1e-12) && NEAR(hi[1], ghi, 1e-12));
	assert_true(lo[0] < hi[0] && lo[1] < hi[1]);
	/* Nothing pairable: undefined, said so. */
	for (i = 0; i < 300; i++)
		r[3 * i + 1] = r[3 * i + 2] = -1;
	assert_eq_int(
	    lp_kripp_bootstrap(r, 300, 3, 4, ms, 2, NULL, 50, 9, 0.95, lo, hi),
	    LP_FAILED);
	assert_true(isnan(lo[0]) && isnan(hi[1]));
}

RUN_TESTS()
