#include <stdlib.h>

#include "dedup/u64s.h"

/*
 * Sort: quicksort with a median of three, insertion sort below 16.  Inline
 * comparisons: shingle sets are small and there is one or two per record,
 * where qsort()'s call per comparison is most of the cost.
 */
static void
sort_u64(uint64_t *v, size_t n)
{
	while (n > 16) {
		size_t i = 0, j = n - 1, m = n / 2;
		uint64_t p, t;

		/* Median of three as the pivot. */
		if (v[m] < v[0]) {
			t = v[m], v[m] = v[0], v[0] = t;
		}
		if (v[j] < v[m]) {
			t = v[j], v[j] = v[m], v[m] = t;
			if (v[m] < v[0]) {
				t = v[m], v[m] = v[0], v[0] = t;
			}
		}
		p = v[m];
		for (;;) {
			while (v[i] < p)
				i++;
			while (p < v[j])
				j--;
			if (i >= j)
				break;
			t = v[i], v[i] = v[j], v[j] = t;
			i++;
			j--;
		}
		/* Recurse into the smaller side, loop on the larger. */
		if (j + 1 < n - j - 1) {
			sort_u64(v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_u64(v + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void
lp_u64s_sort_unique(struct lp_u64s *v)
{
	size_t i, j;

	sort_u64(v->v, v->n);
	for (i = j = 0; i < v->n; i++)
		if (j == 0 || v->v[j - 1] != v->v[i])
			v->v[j++] = v->v[i];
	v->n = j;
}

void
lp_u64s_release(struct lp_u64s *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}
