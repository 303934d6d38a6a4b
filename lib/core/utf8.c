#include <stdint.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/utf8.h"

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
