/*
 * Display text: columns from utf8proc's character widths (a negative
 * width, for a character utf8proc does not know, counts as one column, as
 * terminals show a replacement).
 */
#include <utf8proc.h>

#include "core/status.h"
#include "text/display.h"

int
lp_display_cwidth(int32_t c)
{
	int w = utf8proc_charwidth(c);

	return w < 0 ? 1 : w;
}

int
lp_display_width(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	int w = 0;

	while (n > 0) {
		utf8proc_ssize_t len =
		    utf8proc_iterate(p, (utf8proc_ssize_t)n, &c);

		if (len <= 0) {
			w++;
			len = 1;
		} else
			w += lp_display_cwidth(c);
		p += len;
		n -= (size_t)len;
	}
	return w;
}

void
lp_display_safe(const char *s, size_t n, struct lp_buf *out)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;

	while (n > 0) {
		utf8proc_ssize_t len =
		    utf8proc_iterate(p, (utf8proc_ssize_t)n, &c);

		if (len <= 0) {
			lp_buf_adds(out, "\xef\xbf\xbd");
			len = 1;
		} else if (c == '\t' || c == '\n' || c == '\r')
			lp_buf_addc(out, ' ');
		else if (c < 0x20 || (c >= 0x7f && c < 0xa0) ||
		    (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069))
			lp_buf_adds(out, "\xef\xbf\xbd");
		else
			lp_buf_add(out, p, (size_t)len);
		p += len;
		n -= (size_t)len;
	}
}

size_t
lp_display_line(const char *s, size_t n, int width, size_t *next)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t at = 0, space = 0;
	int w = 0, have_space = 0;

	while (at < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t len =
		    utf8proc_iterate(p + at, (utf8proc_ssize_t)(n - at), &c);
		int cw = len <= 0 ? 1 : lp_display_cwidth(c);

		if (len <= 0)
			len = 1;
		if (c == ' ' && len == 1) {
			space = at;
			have_space = 1;
		}
		if (w + cw > width && at > 0) {
			if (c == ' ') { /* the break falls on a space */
				*next = at + 1;
				return at;
			}
			if (have_space) {
				*next = space + 1;
				return space;
			}
			*next = at;
			return at;
		}
		w += cw;
		at += (size_t)len;
	}
	*next = n;
	return n;
}
