/*
 * Routing review items to annotators: each item goes to k of n
 * annotators.  The items take the combinations of k annotators in turn,
 * in an order shuffled by a seeded random stream, so over each round of
 * combinations every annotator gets the same number of items and every
 * pair of annotators shares items (which agreement measures need), and
 * which pairs meet first depends on the seed only.
 *
 * Annotators are numbers 0 .. n-1 (the caller keeps their names).
 * assigned[a] counts the items routed to annotator a.
 */
#ifndef LP_REVIEW_ROUTE_H
#define LP_REVIEW_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "core/hash.h"
#include "core/rng.h"

struct lp_route {
	int n, k;
	int *combos; /* ncombos rows of k annotators, in turn order */
	size_t ncombos;
	uint64_t routed; /* items routed so far */
	long long *assigned;
};

/*
 * Routes to k of n annotators (1 <= k <= n <= 64), the turn order drawn
 * from rng.
 */
void lp_route_init(struct lp_route *r, int n, int k, struct lp_rng *rng);
/*
 * The k annotators of the next item, in increasing order; valid until
 * lp_route_release().
 */
const int *lp_route_next(struct lp_route *r);
void lp_route_release(struct lp_route *r);

#endif
