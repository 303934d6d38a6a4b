/*
 * A table of names (annotators, classes, item ids, stages) that gives each
 * a dense index, 0, 1, ..., in the order they were first seen, so counts
 * and matrices can be plain arrays.  Names are compared by a 128-bit hash
 * of their bytes (lp_hash128()), which two different names share with odds
 * of 2^-64 or less.  The table owns copies of its names; v[i] is name i,
 * NUL-terminated.  A zeroed struct is an empty table.
 */
#ifndef LP_METRICS_NAMES_H
#define LP_METRICS_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct lp_names_slot {
	uint64_t lo, hi;
	uint32_t idx; /* index + 1; 0 marks an empty slot */
};

struct lp_names {
	struct lp_names_slot *slots;
	size_t cap; /* slots, a power of two, at most half full */
	char **v;   /* the names by index */
	size_t n;
};

/* The index of s[0..len), added at the end if it is new. */
size_t lp_names_index(struct lp_names *t, const char *s, size_t len);
/* 1 with *i the index of s[0..len) if the table has it, else 0. */
int lp_names_find(
    const struct lp_names *t, const char *s, size_t len, size_t *i);
/* Free the names and the table; t is empty again. */
void lp_names_release(struct lp_names *t);

#endif
