#include <stdlib.h>

#include "core/status.h"
#include "core/held.h"

int
lp_held_add(struct lp_held *h, const struct lp_record *rec, size_t *index)
{
	struct lp_held_ref *r;

	if (rec->len > UINT32_MAX)
		return lp_error_set(&h->err, "%s:%lu: line too long to hold",
		    rec->file, rec->line);
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 4096;
		h->refs = lp_xrealloc(h->refs, h->cap * sizeof(*h->refs));
	}
	r = &h->refs[h->n];
	r->off = h->lines.len;
	r->len = (uint32_t)rec->len;
	r->file = rec->file;
	r->line = rec->line;
	lp_buf_add(&h->lines, rec->text, rec->len);
	if (index != NULL)
		*index = h->n;
	h->n++;
	return LP_OK;
}

void
lp_held_get(const struct lp_held *h, size_t i, struct lp_record *rec)
{
	const struct lp_held_ref *r = &h->refs[i];

	lp_record_reset(rec);
	/* It parsed when it was read, so it parses again. */
	if (lp_record_parse(rec, h->lines.p + r->off, r->len) != LP_OK)
		abort();
	rec->file = r->file;
	rec->line = r->line;
}

void
lp_held_release(struct lp_held *h)
{
	lp_buf_release(&h->lines);
	free(h->refs);
	h->refs = NULL;
	h->n = h->cap = 0;
}
