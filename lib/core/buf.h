/*
 * A growable byte buffer (after git's strbuf).  p is always NUL-terminated
 * after the len bytes, so it can be handed to C string functions when it
 * holds no NUL itself.  Allocation failure aborts: labelpipe treats
 * running out of memory as fatal.
 */
#ifndef LP_BUF_H
#define LP_BUF_H

#include <stddef.h>
#include <string.h>

struct lp_buf {
	char *p;
	size_t len;
	size_t cap;
};

#define LP_BUF_INIT                                                            \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* An empty buffer, as LP_BUF_INIT (no allocation: p is NULL until used). */
void lp_buf_init(struct lp_buf *b);
/* Make room for n more bytes. */
void lp_buf_grow(struct lp_buf *b, size_t n);
/*
 * Append p[0..n).  Inline, as lp_buf_addc(): they are on every record's
 * path, and most calls need no growth.  buf.c holds the definitions the
 * library exports, for callers built without these headers' inlines.
 */
inline void
lp_buf_add(struct lp_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		lp_buf_grow(b, n);
	/* Nothing to copy may come as a NULL pointer (an empty body). */
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}
/* Append the string s. */
void lp_buf_adds(struct lp_buf *b, const char *s);
/* Append one byte. */
inline void
lp_buf_addc(struct lp_buf *b, char c)
{
	if (b->cap - b->len <= 1)
		lp_buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}
/* Append printf-style text. */
void lp_buf_addf(struct lp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empty the buffer, keeping its memory for reuse. */
void lp_buf_reset(struct lp_buf *b);
/* Free the memory; the buffer is then as lp_buf_init() left it. */
void lp_buf_release(struct lp_buf *b);

/* xmalloc-style helpers: abort on failure. */
void *lp_xmalloc(size_t n);
void *lp_xrealloc(void *p, size_t n);
char *lp_xstrdup(const char *s);

#endif
