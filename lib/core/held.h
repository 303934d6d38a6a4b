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
#include "core/error.h"
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
	struct lp_error err; /* why the last lp_held_add() failed */
};

#define LP_HELD_INIT                                                           \
	{                                                                      \
		LP_BUF_INIT, NULL, 0, 0, LP_ERROR_INIT                         \
	}

/*
 * Hold rec as read (before any change: the line is what is kept), as
 * index 0, 1, ... in the order added, stored in *index unless it is NULL.
 * LP_OK, or LP_FAILED with err set (a line of 4 GiB or more).
 */
int lp_held_add(struct lp_held *h, const struct lp_record *rec, size_t *index);
/* Record i, parsed again into rec (lp_record_init()ed by the caller). */
void lp_held_get(const struct lp_held *h, size_t i, struct lp_record *rec);
void lp_held_release(struct lp_held *h);

#endif
