#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "metrics/agree.h"
#include "core/buf.h"
#include "core/rng.h"

/* n zeroed elements of size bytes; like lp_xmalloc(), aborts when out. */
static void *
zeroed(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		abort();
	return p;
}

double
lp_weight(enum lp_weight w, int i, int j, int k)
{
	double d = k > 1 ? (double)abs(i - j) / (double)(k - 1) : 0;

	switch (w) {
	case LP_W_LINEAR:
		return 1 - d;
	case LP_W_QUADRATIC:
		return 1 - d * d;
	default:
		return i == j;
	}
}

double
lp_cohen_kappa(
    const int *a, const int *b, size_t n, int k, enum lp_weight w, double *po)
{
	double *pa = zeroed((size_t)k, sizeof(double)),
	       *pb = zeroed((size_t)k, sizeof(double)), o = 0, e = 0, m = 0;
	size_t i;
	int x, y;

	for (i = 0; i < n; i++) {
		if (a[i] < 0 || b[i] < 0 || a[i] >= k || b[i] >= k)
			continue;
		o += lp_weight(w, a[i], b[i], k);
		pa[a[i]]++;
		pb[b[i]]++;
		m++;
	}
	if (m > 0) {
		o /= m;
		for (x = 0; x < k; x++)
			for (y = 0; y < k; y++)
				e += lp_weight(w, x, y, k) * pa[x] / m * pb[y] /
				    m;
	}
	free(pa);
	free(pb);
	if (po != NULL)
		*po = m > 0 ? o : NAN;
	/* One category only on both sides: chance explains everything. */
	if (m == 0 || e >= 1)
		return NAN;
	return (o - e) / (1 - e);
}

double
lp_pabak(double po, int k)
{
	return k > 1 ? ((double)k * po - 1) / (double)(k - 1) : NAN;
}

/* The labels of item i per class into cnt[0..k); returns how many. */
static int
count_item(const int *ratings, size_t i, int nraters, int k, int *cnt)
{
	int r, m = 0;

	memset(cnt, 0, sizeof(int) * (size_t)k);
	for (r = 0; r < nraters; r++) {
		int v = ratings[i * (size_t)nraters + (size_t)r];

		if (v >= 0 && v < k) {
			cnt[v]++;
			m++;
		}
	}
	return m;
}

double
lp_fleiss_kappa(const int *ratings, size_t n, int nraters, int k)
{
	double *p = zeroed((size_t)k, sizeof(double)), pbar = 0, pe = 0;
	int *cnt = zeroed((size_t)k, sizeof(int)), j, full = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int m = count_item(ratings, i, nraters, k, cnt);
		double agree = 0;

		if (m != nraters || m < 2)
			continue;
		for (j = 0; j < k; j++) {
			agree += (double)cnt[j] * (cnt[j] - 1);
			p[j] += cnt[j];
		}
		pbar += agree / ((double)m * (m - 1));
		full++;
	}
	if (full > 0) {
		pbar /= full;
		for (j = 0; j < k; j++) {
			p[j] /= (double)full * nraters;
			pe += p[j] * p[j];
		}
	}
	free(p);
	free(cnt);
	if (full == 0 || pe >= 1)
		return NAN;
	return (pbar - pe) / (1 - pe);
}

double
lp_gwet_ac(const int *ratings, size_t n, int nraters, int k, enum lp_weight w)
{
	double *pi = zeroed((size_t)k, sizeof(double)), pa = 0, pe = 0, tw = 0;
	int *cnt = zeroed((size_t)k, sizeof(int)), j, l;
	size_t i, rated = 0, pairable = 0;

	for (i = 0; i < n; i++) {
		int m = count_item(ratings, i, nraters, k, cnt);

		if (m == 0)
			continue;
		rated++;
		for (j = 0; j < k; j++)
			pi[j] += (double)cnt[j] / m;
		if (m < 2)
			continue;
		pairable++;
		/* Agreement with weighted counts r*_ik = sum_l w_kl r_il. */
		for (j = 0; j < k; j++) {
			double star = 0;

			for (l = 0; l < k; l++)
				star += lp_weight(w, j, l, k) * cnt[l];
			pa +=
			    (double)cnt[j] * (star - 1) / ((double)m * (m - 1));
		}
	}
	if (pairable == 0 || k < 2) {
		free(pi);
		free(cnt);
		return NAN;
	}
	pa /= (double)pairable;
	for (j = 0; j < k; j++) {
		pi[j] /= (double)rated;
		pe += pi[j] * (1 - pi[j]);
		for (l = 0; l < k; l++)
			tw += lp_weight(w, j, l, k);
	}
	pe *= tw / ((double)k * (k - 1));
	free(pi);
	free(cnt);
	return pe >= 1 ? NAN : (pa - pe) / (1 - pe);
}

/* The squared difference of categories c and d under metric m. */
static double
delta2(enum lp_metric m, int c, int d, const double *nc, const double *val)
{
	double s = 0;
	int g, lo = c < d ? c : d, hi = c < d ? d : c;

	if (c == d)
		return 0;
	switch (m) {
	case LP_NOMINAL:
		return 1;
	case LP_ORDINAL:
		/* The categories between them, half of each end. */
		for (g = lo; g <= hi; g++)
			s += nc[g];
		s -= (nc[lo] + nc[hi]) / 2;
		return s * s;
	default:
		s = (val ? val[c] : c) - (val ? val[d] : d);
		return s * s;
	}
}

/* Alpha from the k-by-k coincidence matrix o. */
static double
alpha_of(const double *o, int k, enum lp_metric m, const double *values)
{
	double *nc = zeroed((size_t)k, sizeof(double)), total = 0, dobs = 0,
	       dexp = 0;
	int c, d;

	for (c = 0; c < k; c++)
		for (d = 0; d < k; d++) {
			nc[c] += o[c * k + d];
			total += o[c * k + d];
		}
	for (c = 0; c < k; c++)
		for (d = 0; d < k; d++) {
			double dd = delta2(m, c, d, nc, values);

			dobs += o[c * k + d] * dd;
			dexp += nc[c] * nc[d] * dd;
		}
	free(nc);
	if (total < 2 || dexp == 0)
		return NAN;
	/* 1 - Do / De with Do = sum o dd / n and De = sum nc nd dd / n(n-1). */
	return 1 - (total - 1) * dobs / dexp;
}

double
lp_kripp_alpha(const int *ratings, size_t n, int nraters, int k,
    enum lp_metric m, const double *values)
{
	double *o = zeroed((size_t)k * (size_t)k, sizeof(double)), a;
	int *cnt = zeroed((size_t)k, sizeof(int)), c, d;
	size_t i;

	/* The coincidence matrix: each pairable value pairs with the rest. */
	for (i = 0; i < n; i++) {
		int mu = count_item(ratings, i, nraters, k, cnt);

		if (mu < 2)
			continue;
		for (c = 0; c < k; c++)
			for (d = 0; d < k; d++)
				o[c * k + d] += (double)cnt[c] *
				    (cnt[d] - (c == d)) / (mu - 1);
	}
	a = alpha_of(o, k, m, values);
	free(o);
	free(cnt);
	return a;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* The central share level of v[0..got) of nboot resamples. */
static enum lp_status
interval(double *v, size_t got, int nboot, double level, double *lo, double *hi)
{
	if (nboot <= 0 || got * 2 < (size_t)nboot) {
		*lo = *hi = NAN;
		return LP_FAILED;
	}
	qsort(v, got, sizeof(*v), cmp_double);
	*lo = v[(size_t)floor((1 - level) / 2 * (double)(got - 1))];
	*hi = v[(size_t)ceil((1 + level) / 2 * (double)(got - 1))];
	return LP_OK;
}

enum lp_status
lp_kripp_bootstrap(const int *ratings, size_t n, int nraters, int k,
    const enum lp_metric *ms, int nm, const double *values, int nboot,
    unsigned long long seed, double level, double *lo, double *hi)
{
	/* Each pairable item's share of the coincidence matrix, sparse. */
	size_t *first = lp_xmalloc(sizeof(size_t) * (n + 1)), ne = 0, cap = 64,
	       i;
	uint32_t *cell = lp_xmalloc(sizeof(uint32_t) * cap), *drawn;
	double *w = lp_xmalloc(sizeof(double) * cap), *o, *v;
	int *cnt = zeroed((size_t)k, sizeof(int)), c, d, b, j;
	enum lp_status rc = LP_OK;
	size_t *got = zeroed((size_t)nm, sizeof(size_t));
	struct lp_rng rng = {seed};

	for (i = 0; i < n; i++) {
		int mu = count_item(ratings, i, nraters, k, cnt);

		first[i] = ne;
		if (mu < 2)
			continue;
		for (c = 0; c < k; c++)
			for (d = 0; d < k && cnt[c] > 0; d++) {
				if (cnt[d] - (c == d) <= 0)
					continue;
				if (ne == cap) {
					cap *= 2;
					cell = lp_xrealloc(
					    cell, sizeof(*cell) * cap);
					w = lp_xrealloc(w, sizeof(*w) * cap);
				}
				cell[ne] = (uint32_t)(c * k + d);
				w[ne++] = (double)cnt[c] * (cnt[d] - (c == d)) /
				    (mu - 1);
			}
	}
	first[n] = ne;
	drawn = lp_xmalloc(sizeof(*drawn) * (n ? n : 1));
	o = lp_xmalloc(sizeof(double) * (size_t)k * (size_t)k);
	v = lp_xmalloc(
	    sizeof(double) * (size_t)(nboot > 0 ? nboot : 1) * (size_t)nm);
	/* One resample serves every metric: draw, then sum the shares. */
	for (b = 0; b < nboot; b++) {
		memset(drawn, 0, sizeof(*drawn) * n);
		for (i = 0; i < n; i++)
			drawn[lp_rng_below(&rng, n)]++;
		memset(o, 0, sizeof(double) * (size_t)k * (size_t)k);
		for (i = 0; i < n; i++) {
			size_t e;

			if (drawn[i] == 0)
				continue;
			for (e = first[i]; e < first[i + 1]; e++)
				o[cell[e]] += drawn[i] * w[e];
		}
		for (j = 0; j < nm; j++) {
			double x = alpha_of(o, k, ms[j], values);

			if (!isnan(x))
				v[(size_t)j * (size_t)nboot + got[j]++] = x;
		}
	}
	for (j = 0; j < nm; j++)
		if (interval(v + (size_t)j * (size_t)(nboot > 0 ? nboot : 1),
			got[j], nboot, level, &lo[j], &hi[j]) != LP_OK)
			rc = LP_FAILED;
	free(first);
	free(cell);
	free(w);
	free(cnt);
	free(got);
	free(drawn);
	free(o);
	free(v);
	return rc;
}

double
lp_cohen_kappa_class(const int *a, const int *b, size_t n, int c)
{
	int *x = lp_xmalloc(sizeof(int) * (n ? n : 1)),
	    *y = lp_xmalloc(sizeof(int) * (n ? n : 1));
	double kappa;
	size_t i;

	for (i = 0; i < n; i++) {
		x[i] = a[i] < 0 ? -1 : a[i] == c;
		y[i] = b[i] < 0 ? -1 : b[i] == c;
	}
	kappa = lp_cohen_kappa(x, y, n, 2, LP_W_NONE, NULL);
	free(x);
	free(y);
	return kappa;
}

size_t
lp_confusion(const int *a, const int *b, size_t n, int k, unsigned long *m)
{
	size_t i, pairs = 0;

	memset(m, 0, sizeof(*m) * (size_t)k * (size_t)k);
	for (i = 0; i < n; i++)
		if (a[i] >= 0 && b[i] >= 0 && a[i] < k && b[i] < k) {
			m[a[i] * k + b[i]]++;
			pairs++;
		}
	return pairs;
}

enum lp_status
lp_bootstrap(
    double (*fn)(const int *ratings, size_t n, int nraters, int k, void *arg),
    void *arg, const int *ratings, size_t n, int nraters, int k, int nboot,
    unsigned long long seed, double level, double *lo, double *hi)
{
	int *re = lp_xmalloc(sizeof(int) * (n ? n : 1) * (size_t)nraters);
	double *v =
	    lp_xmalloc(sizeof(double) * (size_t)(nboot > 0 ? nboot : 1));
	struct lp_rng rng = {seed};
	size_t i, got = 0;
	enum lp_status rc;
	int b;

	for (b = 0; b < nboot; b++) {
		double x;

		for (i = 0; i < n; i++) {
			size_t pick = (size_t)lp_rng_below(&rng, n);

			memcpy(re + i * (size_t)nraters,
			    ratings + pick * (size_t)nraters,
			    sizeof(int) * (size_t)nraters);
		}
		x = fn(re, n, nraters, k, arg);
		if (!isnan(x))
			v[got++] = x;
	}
	free(re);
	rc = interval(v, got, nboot, level, lo, hi);
	free(v);
	return rc;
}
