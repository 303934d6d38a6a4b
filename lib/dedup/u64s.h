/*
 * A growable vector of 64-bit values, used as a sorted set of shingle
 * hashes and as a list of item ids.  v holds n values in cap slots; a
 * zeroed struct is an empty vector, and lp_u64s_release() frees it.
 */
#ifndef LP_DEDUP_U64S_H
#define LP_DEDUP_U64S_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct lp_u64s {
	uint64_t *v;
	size_t n, cap;
};

/*
 * Append x.  Inline: it runs once per shingle, where a call across files
 * would cost more than the store.
 */
static inline void
lp_u64s_push(struct lp_u64s *a, uint64_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = lp_xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}

/* Sort and drop repeats (an inline sort: sets are small and many). */
void lp_u64s_sort_unique(struct lp_u64s *v);
/* Free the values; the vector is empty and usable again. */
void lp_u64s_release(struct lp_u64s *v);

#endif
