/*
 * Records held until the input ends, for tools whose choice needs all of
 * it (lp-dedup --keep longest, lp-sample with a reservoir or gold): each
 * is kept as its line, with the file and line it came from, and parsed
 * again when it is needed.  A line costs its length plus 24 bytes.
 */
#ifndef LP_HELD_H
#define LP_HELD_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/record.h"

struct lp_held_ref {
	uint64_t off; /* in lines */
	const char *file;
	unsigned long line;
	uint32_t len;
};

struct lp_held {
	struct lp_buf lines;
	struct lp_held_ref *refs;
	size_t n, cap;
};

#define LP_HELD_INIT                                                           \
	{                                                                      \
		LP_BUF_INIT, NULL, 0, 0                                        \
	}

/*
 * Hold rec as read (before any change: the line is what is kept).
 * Returns its index, 0, 1, ...
 */
size_t lp_held_add(struct lp_held *h, const struct lp_record *rec);
/* Record i, parsed again into rec (lp_record_init()ed by the caller). */
void lp_held_get(const struct lp_held *h, size_t i, struct lp_record *rec);
void lp_held_release(struct lp_held *h);

#endif
