#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "test.h"

TEST(utf8_valid_and_invalid)
{
	size_t bad = 99;

	assert_true(lp_utf8_valid("plain", 5, NULL));
	assert_true(lp_utf8_valid(
	    "\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80", 11, NULL));
	assert_true(!lp_utf8_valid("ab\xff", 3, &bad));
	assert_eq_int(bad, 2);
	/* overlong "/" */
	assert_true(!lp_utf8_valid("\xc0\xaf", 2, &bad));
	assert_eq_int(bad, 0);
	/* surrogate U+D800 */
	assert_true(!lp_utf8_valid("x\xed\xa0\x80", 4, &bad));
	assert_eq_int(bad, 1);
	/* past U+10FFFF */
	assert_true(!lp_utf8_valid("\xf4\x90\x80\x80", 4, &bad));
	/* truncated sequence at the end */
	assert_true(!lp_utf8_valid("ok\xe4\xb8", 4, &bad));
	assert_eq_int(bad, 2);
	/* lone continuation byte */
	assert_true(!lp_utf8_valid("\x80", 1, &bad));
}

/* The 8-bytes-at-a-time ASCII path finds a bad byte wherever it is. */
TEST(utf8_valid_long_ascii)
{
	char buf[64];
	size_t at, bad;

	for (at = 0; at < 40; at++) {
		memset(buf, 'a', sizeof(buf));
		buf[at] = (char)0xff;
		bad = 999;
		assert_eq_int(lp_utf8_valid(buf, 40, &bad), 0);
		assert_eq_int((long long)bad, (long long)at);
		/* A valid character there instead: all fine. */
		memcpy(buf + at, "\xc3\xa9", 2);
		assert_eq_int(lp_utf8_valid(buf, 41, &bad), 1);
		/* Cut inside the character. */
		assert_eq_int(lp_utf8_valid(buf, at + 1, &bad), 0);
		assert_eq_int((long long)bad, (long long)at);
	}
}

TEST(utf8_count)
{
	assert_eq_int((long long)lp_utf8_count("", 0), 0);
	assert_eq_int((long long)lp_utf8_count("abc", 3), 3);
	/* e-acute, a CJK character, an emoji: 3 code points in 9 bytes. */
	assert_eq_int(
	    (long long)lp_utf8_count("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x94\xa5", 9),
	    3);
}

/* Each ill-formed byte becomes U+FFFD; good text is copied as it is. */
TEST(utf8_repair)
{
	struct lp_buf b = LP_BUF_INIT;

	assert_eq_int((long long)lp_utf8_repair("ok", 2, &b), 0);
	assert_eq_str(b.p, "ok");
	lp_buf_reset(&b);
	assert_eq_int((long long)lp_utf8_repair("a\xff"
						"b\xc0\xaf",
			  5, &b),
	    3);
	assert_eq_str(b.p,
	    "a\xef\xbf\xbd"
	    "b\xef\xbf\xbd\xef\xbf\xbd");
	assert_true(lp_utf8_valid(b.p, b.len, NULL));
	lp_buf_release(&b);
}

RUN_TESTS()
