#include <utf8proc.h>

#include "core/status.h"
#include "core/buf.h"
#include "text/text.h"
#include "test.h"

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

static const char *
norm(const char *s, unsigned flags)
{
	static struct lp_text t;
	static struct lp_buf b;

	lp_buf_reset(&b);
	if (lp_text_normalize(&t, s, strlen(s), flags, &b) != LP_OK)
		return "(failed)";
	return b.p ? b.p : "";
}

TEST(normalize_unicode)
{
	/* Full-width letters and digits, a ligature, NBSP, soft hyphen. */
	assert_eq_str(norm("\xef\xbc\xa9\xef\xbd\x90\xef\xbd\x88\xef\xbd\x8f"
			   "\xef\xbd\x8e\xef\xbd\x85 \xef\xbc\x91\xef\xbc\x93",
			  LP_TEXT_FOLD),
	    "iphone 13");
	assert_eq_str(norm("\xef\xac\x81ne\xc2\xa0print", 0), "fine print");
	assert_eq_str(norm("co\xc2\xadoperate", 0), "cooperate");
	/* Zero-width space, controls, tabs and line breaks. */
	assert_eq_str(norm("  a\xe2\x80\x8b"
			   "b\t\tc\r\nd\x01 ",
			  0),
	    "ab c d");
	/* Unicode case folding, not just ASCII. */
	assert_eq_str(
	    norm(
		"STRASSE \xc3\x84PFEL \xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91",
		LP_TEXT_FOLD),
	    "strasse \xc3\xa4pfel \xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1");
	assert_eq_str(norm("Stra\xc3\x9f"
			   "e",
			  LP_TEXT_FOLD),
	    "strasse");
	/* CJK stays as it is; case kept without the flag. */
	assert_eq_str(norm("\xe4\xb8\xad\xe6\x96\x87 ABC", 0),
	    "\xe4\xb8\xad\xe6\x96\x87 ABC");
	assert_eq_str(norm("", LP_TEXT_FOLD), "");
	assert_eq_str(norm("   ", LP_TEXT_FOLD), "");
	assert_eq_str(norm("bad \xff", LP_TEXT_FOLD), "(failed)");
}

TEST(ascii_shortcut_matches_utf8proc)
{
	static const char *const cases[] = {"  Apple  iPhone 13 PRO  ",
	    "L@@K!!! 128GB", "a", " ", "~{}|", "MiXeD   CaSe   "};
	char a[256];
	size_t i;
	unsigned f;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		for (f = 0; f <= LP_TEXT_FOLD; f++) {
			snprintf(a, sizeof(a), "%s", norm(cases[i], f));
			assert_eq_str(
			    a, norm(cases[i], f | LP_TEXT_NO_SHORTCUT));
		}
}

/* Code point c as UTF-8 into b; returns the length. */
static size_t
enc(int32_t c, char *b)
{
	return (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)b);
}

/*
 * Every emoji of Unicode's emoji-test.txt (fully-qualified, minimally
 * qualified, unqualified and components), between two letters, goes; the
 * digits, '#' and '*' of keycaps stay.
 */
TEST(no_emoji_of_emoji_test_survives)
{
	const char *path = "/usr/share/unicode/emoji/emoji-test.txt";
	FILE *f = fopen(path, "r");
	static struct lp_text t;
	struct lp_buf in = LP_BUF_INIT, out = LP_BUF_INIT, want = LP_BUF_INIT;
	char line[1024];
	int n = 0, bad = 0;

	if (f == NULL) {
		fprintf(stderr, "%s missing (Debian: unicode-data)\n", path);
		assert_true(f != NULL);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *semi = strchr(line, ';'), *p = line, *end;

		if (line[0] == '#' || semi == NULL)
			continue;
		lp_buf_reset(&in);
		lp_buf_reset(&want);
		lp_buf_adds(&in, "a");
		lp_buf_adds(&want, "a");
		for (;;) {
			long c = strtol(p, &end, 16);
			char b[4];

			if (end == p || end > semi)
				break;
			lp_buf_add(&in, b, enc((int32_t)c, b));
			if ((c >= '0' && c <= '9') || c == '#' || c == '*')
				lp_buf_addc(&want, (char)c);
			p = end;
		}
		lp_buf_adds(&in, "b");
		lp_buf_adds(&want, "b");
		lp_buf_reset(&out);
		lp_text_normalize(&t, in.p, in.len, LP_TEXT_NO_EMOJI, &out);
		if (strcmp(out.p, want.p) != 0 && bad++ < 5)
			fprintf(stderr, "survives: %s", line);
		n++;
	}
	fclose(f);
	/* Unicode 15 lists 4,700 and more. */
	assert_true(n > 4700);
	assert_eq_int(bad, 0);
	lp_buf_release(&in);
	lp_buf_release(&out);
	lp_buf_release(&want);
	lp_text_release(&t);
}

/* No letter, digit or meaningful symbol is lost with emoji removal. */
TEST(no_letter_or_digit_lost)
{
	static struct lp_text t;
	struct lp_buf a = LP_BUF_INIT, b = LP_BUF_INIT;
	int32_t c;
	int lost = 0;
	char s[8];

	for (c = 0x20; c < 0x110000; c++) {
		utf8proc_category_t cat = utf8proc_category(c);
		size_t n;

		if (!(cat >= UTF8PROC_CATEGORY_LU &&
			cat <= UTF8PROC_CATEGORY_LO) &&
		    !(cat >= UTF8PROC_CATEGORY_ND &&
			cat <= UTF8PROC_CATEGORY_NO) &&
		    !(c < 0x80 && strchr("$%+/&\"#*", (int)c) != NULL) &&
		    c != 0xa3 && c != 0x20ac)
			continue;
		/* U+2139 INFORMATION SOURCE is a letter (Ll) and an emoji. */
		if (c == 0x2139)
			continue;
		n = enc(c, s);
		lp_buf_reset(&a);
		lp_buf_reset(&b);
		lp_text_normalize(&t, s, n, 0, &a);
		lp_text_normalize(&t, s, n, LP_TEXT_NO_EMOJI, &b);
		if (strcmp(a.p, b.p) != 0 && lost++ < 5)
			fprintf(stderr, "lost U+%04X\n", (unsigned)c);
	}
	assert_eq_int(lost, 0);
	lp_buf_release(&a);
	lp_buf_release(&b);
	lp_text_release(&t);
}

RUN_TESTS()
