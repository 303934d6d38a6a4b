#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp/lp.h"
#include "lp/agree.h"

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
	double *pa = calloc((size_t)k, sizeof(double)),
	       *pb = calloc((size_t)k, sizeof(double)), o = 0, e = 0, m = 0;
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

double
lp_fleiss_kappa(const int *ratings, size_t n, int nraters, int k)
{
	double *p = calloc((size_t)k, sizeof(double)), pbar = 0, pe = 0;
	int *cnt = calloc((size_t)k, sizeof(int)), r, j, full = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int m = 0;
		double agree = 0;

		memset(cnt, 0, sizeof(int) * (size_t)k);
		for (r = 0; r < nraters; r++) {
			int v = ratings[i * (size_t)nraters + (size_t)r];

			if (v >= 0 && v < k) {
				cnt[v]++;
				m++;
			}
		}
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
	double *pi = calloc((size_t)k, sizeof(double)), pa = 0, pe = 0, tw = 0;
	int *cnt = calloc((size_t)k, sizeof(int)), r, j, l;
	size_t i, rated = 0, pairable = 0;

	for (i = 0; i < n; i++) {
		int m = 0;

		memset(cnt, 0, sizeof(int) * (size_t)k);
		for (r = 0; r < nraters; r++) {
			int v = ratings[i * (size_t)nraters + (size_t)r];

			if (v >= 0 && v < k) {
				cnt[v]++;
				m++;
			}
		}
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

double
lp_kripp_alpha(const int *ratings, size_t n, int nraters, int k,
    enum lp_metric m, const double *values)
{
	double *o = calloc((size_t)k * (size_t)k, sizeof(double)),
	       *nc = calloc((size_t)k, sizeof(double)), total = 0, dobs = 0,
	       dexp = 0;
	int *cnt = calloc((size_t)k, sizeof(int)), r, c, d;
	size_t i;

	/* The coincidence matrix: each pairable value pairs with the rest. */
	for (i = 0; i < n; i++) {
		int mu = 0;

		memset(cnt, 0, sizeof(int) * (size_t)k);
		for (r = 0; r < nraters; r++) {
			int v = ratings[i * (size_t)nraters + (size_t)r];

			if (v >= 0 && v < k) {
				cnt[v]++;
				mu++;
			}
		}
		if (mu < 2)
			continue;
		for (c = 0; c < k; c++)
			for (d = 0; d < k; d++)
				o[c * k + d] += (double)cnt[c] *
				    (cnt[d] - (c == d)) / (mu - 1);
	}
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
	free(o);
	free(nc);
	free(cnt);
	if (total < 2 || dexp == 0)
		return NAN;
	/* 1 - Do / De with Do = sum o dd / n and De = sum nc nd dd / n(n-1). */
	return 1 - (total - 1) * dobs / dexp;
}
