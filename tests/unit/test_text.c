#include "lp/lp.h"
#include "lp/text.h"
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

TEST(parse_size)
{
	assert_eq_int(lp_parse_size("4096"), 4096);
	assert_eq_int(lp_parse_size("64k"), 65536);
	assert_eq_int(lp_parse_size("16M"), 16 << 20);
	assert_eq_int(lp_parse_size("1GiB"), 1LL << 30);
	assert_eq_int(lp_parse_size("x"), -1);
	assert_eq_int(lp_parse_size("12q"), -1);
	assert_eq_int(lp_parse_size("-5"), -1);
}

RUN_TESTS()
