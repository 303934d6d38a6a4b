#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"

void *
lp_xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		abort();
	return p;
}

void *
lp_xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		abort();
	return p;
}

char *
lp_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(lp_xmalloc(n), s, n);
}

/* The exported definitions of the inline functions of buf.h. */
extern inline void lp_buf_add(struct lp_buf *b, const void *p, size_t n);
extern inline void lp_buf_addc(struct lp_buf *b, char c);

void
lp_buf_init(struct lp_buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
}

void
lp_buf_grow(struct lp_buf *b, size_t n)
{
	size_t want = b->len + n + 1;

	if (want <= b->cap)
		return;
	if (want < b->cap * 2)
		want = b->cap * 2;
	if (want < 64)
		want = 64;
	b->p = lp_xrealloc(b->p, want);
	b->cap = want;
}

void
lp_buf_adds(struct lp_buf *b, const char *s)
{
	lp_buf_add(b, s, strlen(s));
}

void
lp_buf_addf(struct lp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	lp_buf_grow(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if ((size_t)n >= b->cap - b->len) {
		lp_buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
lp_buf_reset(struct lp_buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
lp_buf_release(struct lp_buf *b)
{
	free(b->p);
	lp_buf_init(b);
}
