#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "review/route.h"

/* Every combination of k of n, in lexicographic order. */
static void
all_combos(struct lp_route *r)
{
	int k = r->k, *c = lp_xmalloc(sizeof(*c) * (size_t)k), i;
	size_t cap = 0;

	for (i = 0; i < k; i++)
		c[i] = i;
	for (;;) {
		if (r->ncombos == cap) {
			cap = cap ? cap * 2 : 64;
			r->combos = lp_xrealloc(
			    r->combos, cap * (size_t)k * sizeof(*r->combos));
		}
		memcpy(r->combos + r->ncombos++ * (size_t)k, c,
		    (size_t)k * sizeof(*c));
		/* The next combination in lexicographic order. */
		for (i = k - 1; i >= 0 && c[i] == r->n - k + i; i--)
			;
		if (i < 0)
			break;
		c[i]++;
		for (i++; i < k; i++)
			c[i] = c[i - 1] + 1;
	}
	free(c);
}

void
lp_route_init(struct lp_route *r, int n, int k, struct lp_rng *rng)
{
	size_t j, i, kk = (size_t)k;

	memset(r, 0, sizeof(*r));
	r->n = n;
	r->k = k;
	r->assigned = calloc((size_t)n, sizeof(*r->assigned));
	if (r->assigned == NULL)
		abort();
	all_combos(r);
	/* Fisher-Yates: which pairs meet first depends on the seed only. */
	for (j = r->ncombos; j > 1; j--) {
		size_t x = (size_t)lp_rng_below(rng, j);

		for (i = 0; i < kk; i++) {
			int t = r->combos[(j - 1) * kk + i];

			r->combos[(j - 1) * kk + i] = r->combos[x * kk + i];
			r->combos[x * kk + i] = t;
		}
	}
}

const int *
lp_route_next(struct lp_route *r)
{
	const int *c =
	    r->combos + (size_t)(r->routed++ % r->ncombos) * (size_t)r->k;
	int i;

	for (i = 0; i < r->k; i++)
		r->assigned[c[i]]++;
	return c;
}

void
lp_route_release(struct lp_route *r)
{
	free(r->combos);
	free(r->assigned);
	r->combos = NULL;
	r->assigned = NULL;
}
