#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/status.h"
#include "core/buf.h"
#include "text/text.h"

int
lp_utf8_valid(const char *s, size_t n, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t k;
		unsigned cp, min;

		if (c < 0x80) {
			uint64_t w;

			/* ASCII runs (most of any page or record) 8 bytes at
			 * a time. */
			while (i + 8 <= n &&
			    (memcpy(&w, p + i, 8),
				(w & 0x8080808080808080ULL) == 0))
				i += 8;
			if (i < n && p[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else
			goto fail;
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (p[i + j] & 0xc0) != 0x80)
				goto fail;
			cp = cp << 6 | (p[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto fail;
		i += k + 1;
	}
	return 1;
fail:
	if (bad != NULL)
		*bad = i;
	return 0;
}

size_t
lp_utf8_count(const char *p, size_t n)
{
	size_t i, count = 0;

	/* Every byte but a continuation byte starts a code point. */
	for (i = 0; i < n; i++)
		count += ((unsigned char)p[i] & 0xc0) != 0x80;
	return count;
}

size_t
lp_utf8_repair(const char *s, size_t n, struct lp_buf *out)
{
	size_t i = 0, bad, fixes = 0;

	while (i < n) {
		if (lp_utf8_valid(s + i, n - i, &bad)) {
			lp_buf_add(out, s + i, n - i);
			break;
		}
		lp_buf_add(out, s + i, bad);
		lp_buf_adds(out, "\xef\xbf\xbd");
		fixes++;
		i += bad + 1;
	}
	lp_buf_addc(out, '\0');
	out->len--;
	return fixes;
}

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
