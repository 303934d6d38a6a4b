#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/status.h"
#include "core/buf.h"
#include "text/text.h"

long long
lp_parse_size(const char *s)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
		return v;
	case 'k':
	case 'K':
		v <<= 10;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		break;
	default:
		return -1;
	}
	if (end[1] != '\0' && !(end[1] == 'B' && end[2] == '\0') &&
	    !(end[1] == 'i' && end[2] == 'B' && end[3] == '\0'))
		return -1;
	return v;
}

/* Printable ASCII: NFKC is the identity and folding is tolower. */
static int
plain_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			return 0;
	}
	return 1;
}

static int
is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    utf8proc_category(c) == UTF8PROC_CATEGORY_ZS ||
	    utf8proc_category(c) == UTF8PROC_CATEGORY_ZL ||
	    utf8proc_category(c) == UTF8PROC_CATEGORY_ZP;
}

int
lp_is_emoji(int32_t c)
{
	int b;

	if ((c >= 0x1f1e6 && c <= 0x1f1ff) || /* regional indicators */
	    (c >= 0x1f3fb && c <= 0x1f3ff) || /* skin tones */
	    (c >= 0xe0020 && c <= 0xe007f) || /* tags */
	    c == 0x20e3 || c == 0xfe0f || c == 0xfe0e || c == 0x200d)
		return 1;
	b = utf8proc_get_property(c)->boundclass;
	return b == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
	    b == UTF8PROC_BOUNDCLASS_E_ZWG;
}

/* s without its emoji, into t->pre; the count in t->emoji. */
static void
drop_emoji(struct lp_text *t, const char **s, size_t *n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)*s;
	utf8proc_ssize_t i = 0, k;
	utf8proc_int32_t c;

	lp_buf_reset(&t->pre);
	while (i < (utf8proc_ssize_t)*n) {
		k = utf8proc_iterate(p + i, (utf8proc_ssize_t)*n - i, &c);
		if (k <= 0)
			break; /* checked valid before */
		if (lp_is_emoji(c))
			t->emoji++;
		else
			lp_buf_add(&t->pre, (const char *)p + i, (size_t)k);
		i += k;
	}
	*s = t->pre.p != NULL ? t->pre.p : "";
	*n = t->pre.len;
}

int
lp_text_normalize(struct lp_text *t, const char *s, size_t n, unsigned flags,
    struct lp_buf *out)
{
	utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT | UTF8PROC_IGNORE | UTF8PROC_STRIPCC;
	utf8proc_ssize_t len, i;
	size_t start = out->len;
	int space = 1;

	t->emoji = 0;
	if (!(flags & LP_TEXT_NO_SHORTCUT) && plain_ascii(s, n)) {
		lp_buf_grow(out, n);
		for (i = 0; i < (utf8proc_ssize_t)n; i++) {
			char c = s[i];

			if (c == ' ') {
				if (!space)
					out->p[out->len++] = ' ';
				space = 1;
				continue;
			}
			space = 0;
			if ((flags & LP_TEXT_FOLD) && c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			out->p[out->len++] = c;
		}
		goto trim;
	}
	if (!lp_utf8_valid(s, n, NULL))
		return LP_FAILED;
	if (flags & LP_TEXT_NO_EMOJI)
		drop_emoji(t, &s, &n);
	if (flags & LP_TEXT_FOLD)
		opt |= UTF8PROC_CASEFOLD;
	for (;;) {
		len = utf8proc_decompose((const utf8proc_uint8_t *)s,
		    (utf8proc_ssize_t)n, t->u, (utf8proc_ssize_t)t->cap, opt);
		if (len < 0)
			return LP_FAILED;
		if ((size_t)len < t->cap)
			break;
		t->cap = (size_t)len + 16;
		t->u = lp_xrealloc(t->u, t->cap * sizeof(*t->u));
	}
	len = utf8proc_normalize_utf32(t->u, len, opt);
	if (len < 0)
		return LP_FAILED;
	lp_buf_grow(out, (size_t)len * 4);
	for (i = 0; i < len; i++) {
		int32_t c = t->u[i];

		if (is_space(c)) {
			if (!space)
				out->p[out->len++] = ' ';
			space = 1;
			continue;
		}
		space = 0;
		out->len += (size_t)utf8proc_encode_char(
		    c, (utf8proc_uint8_t *)out->p + out->len);
	}
trim:
	if (out->len > start && out->p[out->len - 1] == ' ')
		out->len--;
	out->p[out->len] = '\0';
	return LP_OK;
}

void
lp_text_release(struct lp_text *t)
{
	free(t->u);
	t->u = NULL;
	t->cap = 0;
	lp_buf_release(&t->pre);
}
