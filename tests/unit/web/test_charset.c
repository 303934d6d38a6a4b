/*
 * Page charsets: what a page declares (Content-Type first, then a
 * charset= near its top), Latin-1 and windows-1252 converted, UTF-8 kept
 * (a byte order mark too) or repaired, other charsets refused.
 */
#define _GNU_SOURCE /* memmem */
#include "core/status.h"
#include "text/text.h"
#include "web/charset.h"
#include "test.h"

/* Convert text as a page declared by ctype; the status, *done, b. */
static int
convert(const char *ctype, const char *text, size_t n, struct lp_buf *b,
    enum lp_charset_done *done, struct lp_error *err)
{
	lp_buf_reset(b);
	lp_buf_add(b, text, n);
	return lp_charset_to_utf8(b, ctype, done, err);
}

TEST(detect)
{
	static const char meta[] = "<html><head><meta charset=\"ISO-8859-1\">";
	static const char equiv[] =
	    "<meta http-equiv=Content-Type content='text/html; "
	    "charset=windows-1252'>";
	char cs[40];

	lp_charset_detect(
	    "text/html; charset=\"Shift_JIS\"", "", 0, cs, sizeof(cs));
	assert_eq_str(cs, "Shift_JIS");
	/* The Content-Type wins over the page. */
	lp_charset_detect(
	    "text/html;charset=utf-8", meta, sizeof(meta) - 1, cs, sizeof(cs));
	assert_eq_str(cs, "utf-8");
	lp_charset_detect("text/html", meta, sizeof(meta) - 1, cs, sizeof(cs));
	assert_eq_str(cs, "ISO-8859-1");
	lp_charset_detect(NULL, equiv, sizeof(equiv) - 1, cs, sizeof(cs));
	assert_eq_str(cs, "windows-1252");
	lp_charset_detect(NULL, "<p>no charset</p>", 17, cs, sizeof(cs));
	assert_eq_str(cs, "");
	/* A NUL before the meta does not hide it. */
	lp_charset_detect(
	    NULL, "<!-- \0 --><meta charset=latin1>", 31, cs, sizeof(cs));
	assert_eq_str(cs, "latin1");
	lp_charset_detect(NULL, NULL, 0, cs, sizeof(cs));
	assert_eq_str(cs, "");
}

/* Only the top 2 KiB of a page are read for its charset. */
TEST(detect_top_only)
{
	struct lp_buf b = LP_BUF_INIT;
	char cs[40];
	size_t i;

	for (i = 0; i < 2048; i++)
		lp_buf_addc(&b, ' ');
	lp_buf_adds(&b, "<meta charset=latin1>");
	lp_charset_detect(NULL, b.p, b.len, cs, sizeof(cs));
	assert_eq_str(cs, "");
	lp_charset_detect(NULL, b.p + 64, b.len - 64, cs, sizeof(cs));
	assert_eq_str(cs, "latin1");
	lp_buf_release(&b);
}

TEST(latin1)
{
	static const char page[] = "<meta charset=iso-8859-1>Caf\xe9 \xa3"
				   "4";
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	enum lp_charset_done done;

	assert_eq_int(
	    convert(NULL, page, sizeof(page) - 1, &b, &done, &err), LP_OK);
	assert_eq_int(done, LP_CHARSET_CONVERTED);
	assert_eq_mem(b.p, b.len,
	    "<meta charset=iso-8859-1>Caf\xc3\xa9 \xc2\xa3"
	    "4",
	    (size_t)34);
	/* Declared by the Content-Type, in any case. */
	assert_eq_int(
	    convert("text/html; charset=LATIN1", "\xff", 1, &b, &done, &err),
	    LP_OK);
	assert_eq_int(done, LP_CHARSET_CONVERTED);
	assert_eq_mem(b.p, b.len, "\xc3\xbf", (size_t)2);
	lp_buf_release(&b);
}

/* windows-1252's 0x80-0x9f are taken as Latin-1 (C1 controls). */
TEST(windows_1252)
{
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	enum lp_charset_done done;

	assert_eq_int(convert("text/html; charset=Windows-1252",
			  "\x80 \x93q\x94 \xe9", 7, &b, &done, &err),
	    LP_OK);
	assert_eq_int(done, LP_CHARSET_CONVERTED);
	assert_eq_mem(
	    b.p, b.len, "\xc2\x80 \xc2\x93q\xc2\x94 \xc3\xa9", (size_t)11);
	lp_buf_release(&b);
}

TEST(utf8_kept)
{
	static const char bom[] = "\xef\xbb\xbf<p>caf\xc3\xa9</p>";
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	enum lp_charset_done done;
	char *before;

	/* A byte order mark is valid UTF-8: the page is left alone. */
	assert_eq_int(
	    convert(NULL, bom, sizeof(bom) - 1, &b, &done, &err), LP_OK);
	assert_eq_int(done, LP_CHARSET_KEPT);
	assert_eq_mem(b.p, b.len, bom, sizeof(bom) - 1);
	before = b.p;
	assert_eq_int(convert("text/html; charset=UTF-8", bom, sizeof(bom) - 1,
			  &b, &done, &err),
	    LP_OK);
	assert_true(b.p == before); /* not copied */
	assert_eq_int(
	    convert("text/html; charset=us-ascii", "a", 1, &b, &done, &err),
	    LP_OK);
	assert_eq_int(done, LP_CHARSET_KEPT);
	assert_eq_int(convert(NULL, "", 0, &b, &done, &err), LP_OK);
	assert_eq_int(done, LP_CHARSET_KEPT);
	lp_buf_release(&b);
}

/* Malformed UTF-8 (cut sequences, stray continuation bytes) is repaired. */
TEST(malformed_repaired)
{
	static const char bad[] = "<p>caf\xc3</p>\x80\xfe ok \xe2\x82";
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	enum lp_charset_done done;

	assert_eq_int(
	    convert(NULL, bad, sizeof(bad) - 1, &b, &done, &err), LP_OK);
	assert_eq_int(done, LP_CHARSET_REPAIRED);
	assert_true(lp_utf8_valid(b.p, b.len, NULL));
	assert_true(b.len > 0 && memmem(b.p, b.len, " ok ", 4) != NULL);
	assert_true(strncmp(b.p, "<p>caf", 6) == 0);
	lp_buf_release(&b);
}

TEST(unknown_refused)
{
	static const char page[] = "<meta charset=\"shift_jis\">\x82\xa0";
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	enum lp_charset_done done;

	assert_eq_int(
	    convert(NULL, page, sizeof(page) - 1, &b, &done, &err), LP_FAILED);
	assert_eq_str(
	    err.msg, "the page is in shift_jis, not UTF-8 or Latin-1");
	assert_eq_mem(b.p, b.len, page, sizeof(page) - 1); /* untouched */
	assert_eq_int(
	    convert("text/html; charset=koi8-r", "x", 1, &b, &done, &err),
	    LP_FAILED);
	assert_eq_str(err.msg, "the page is in koi8-r, not UTF-8 or Latin-1");
	lp_buf_release(&b);
}

RUN_TESTS()
