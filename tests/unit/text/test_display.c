#include <string.h>

#include "core/status.h"
#include "text/display.h"
#include "test.h"

TEST(widths)
{
	assert_eq_int(lp_display_width("abc", 3), 3);
	/* CJK takes two columns, a combining mark none. */
	assert_eq_int(lp_display_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4);
	assert_eq_int(lp_display_width("e\xcc\x81", 3), 1);
	assert_eq_int(lp_display_width("\xef\xbc\xa1", 3), 2); /* fullwidth A */
	assert_eq_int(lp_display_width("\xff", 1), 1);
}

TEST(safe_text)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_display_safe("a\tb\nc\033[31md\x7f\xff\xe2\x80\xaez", 17, &b);
	assert_eq_str(b.p,
	    "a b c\xef\xbf\xbd[31md\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbdz");
	lp_buf_reset(&b);
	lp_display_safe("\xe4\xb8\xad\xc2\x85", 5, &b); /* NEL, a C1 control */
	assert_eq_str(b.p, "\xe4\xb8\xad\xef\xbf\xbd");
	lp_buf_release(&b);
}

/* Wrap s into width; lines joined with '|'. */
static void
wrap(const char *s, int width, struct lp_buf *out)
{
	size_t n = strlen(s), at = 0, next;

	lp_buf_reset(out);
	while (at < n) {
		size_t len = lp_display_line(s + at, n - at, width, &next);

		assert_true(lp_display_width(s + at, len) <= width);
		if (out->len > 0)
			lp_buf_addc(out, '|');
		lp_buf_add(out, s + at, len);
		at += next;
	}
}

TEST(wrapping)
{
	struct lp_buf b = LP_BUF_INIT;

	wrap("Apple iPhone 13 128GB Blue", 10, &b);
	assert_eq_str(b.p, "Apple|iPhone 13|128GB Blue");
	wrap("abcdefghijkl", 5, &b);
	assert_eq_str(b.p, "abcde|fghij|kl");
	/* Wide characters never straddle the edge: 5 columns hold two. */
	wrap("\xe8\x8b\xb9\xe6\x9e\x9c\xe6\x89\x8b\xe6\x9c\xba", 5, &b);
	assert_eq_str(b.p, "\xe8\x8b\xb9\xe6\x9e\x9c|\xe6\x89\x8b\xe6\x9c\xba");
	wrap("\xe8\x8b\xb9\xe6\x9e\x9c iPhone 13 \xe6\x89\x8b\xe6\x9c\xba", 8,
	    &b);
	assert_eq_str(b.p,
	    "\xe8\x8b\xb9\xe6\x9e\x9c|iPhone|13 "
	    "\xe6\x89\x8b\xe6\x9c\xba");
	wrap("fits exactly", 12, &b);
	assert_eq_str(b.p, "fits exactly");
	lp_buf_release(&b);
}

RUN_TESTS()
