/*
 * The one header parser: field lines (as libcurl hands them over and in a
 * block), status lines, Retry-After and rate-limit durations.
 */
#include <time.h>

#include "web/header.h"
#include "test.h"

/* A line and its length. */
#define LINE(s) s, strlen(s)

TEST(match_line)
{
	char v[64];

	snprintf(v, sizeof(v), "untouched");
	assert_true(!lp_header_match(
	    LINE("Retry-After-Ms: 5\r\n"), "retry-after", v, sizeof(v)));
	assert_eq_str(v, "untouched");
	assert_true(lp_header_match(
	    LINE("Retry-After: 5\r\n"), "retry-after", v, sizeof(v)));
	assert_eq_str(v, "5");
	/* Blanks around the value go, inner ones stay. */
	assert_true(
	    lp_header_match(LINE("content-type:\t text/html; q=1 \t\r\n"),
		"Content-Type", v, sizeof(v)));
	assert_eq_str(v, "text/html; q=1");
	/* An empty value is a value. */
	assert_true(lp_header_match(LINE("X-A:\r\n"), "x-a", v, sizeof(v)));
	assert_eq_str(v, "");
	/* No colon right after the name: not this field. */
	assert_true(!lp_header_match(LINE("X-A : 1\r\n"), "x-a", v, sizeof(v)));
	assert_true(!lp_header_match(LINE("X-A"), "x-a", v, sizeof(v)));
	/* Only len bytes count, and the copy is cut to the buffer. */
	assert_true(lp_header_match("X-A: 12345", 7, "x-a", v, sizeof(v)));
	assert_eq_str(v, "12");
	assert_true(lp_header_match("X-A: 12345", 10, "x-a", v, 4));
	assert_eq_str(v, "123");
}

TEST(field_in_block)
{
	static const char head[] = "WARC/1.1\r\n"
				   "WARC-Type: response\r\n"
				   "Content-Length: 42 \r\n"
				   "lp-page: 3\n"
				   "Last: x";
	char v[32];

	assert_true(
	    lp_header_field(head, sizeof(head) - 1, "warc-type", v, sizeof(v)));
	assert_eq_str(v, "response");
	assert_true(lp_header_field(
	    head, sizeof(head) - 1, "Content-Length", v, sizeof(v)));
	assert_eq_str(v, "42");
	assert_true(
	    lp_header_field(head, sizeof(head) - 1, "LP-Page", v, sizeof(v)));
	assert_eq_str(v, "3");
	/* The last line needs no line end. */
	assert_true(
	    lp_header_field(head, sizeof(head) - 1, "last", v, sizeof(v)));
	assert_eq_str(v, "x");
	assert_true(
	    !lp_header_field(head, sizeof(head) - 1, "missing", v, sizeof(v)));
	assert_eq_str(v, "");
	assert_true(!lp_header_field("", 0, "a", v, sizeof(v)));
}

TEST(status_line)
{
	assert_eq_int(lp_header_status("HTTP/1.1 200 OK\r\n", 17), 200);
	assert_eq_int(lp_header_status("HTTP/2 429 \r\n", 13), 429);
	assert_eq_int(lp_header_status("HTTP/1.0 503", 12), 503);
	assert_eq_int(lp_header_status("HTTP/1.1 20", 11), -1);
	assert_eq_int(lp_header_status("HTTP/1.1 abc", 12), -1);
	assert_eq_int(lp_header_status("Http/1.1 200", 12), -1);
	assert_eq_int(lp_header_status("Retry-After: 1", 14), -1);
}

TEST(retry_after)
{
	struct tm tm = {0};
	double at;

	assert_true(lp_header_retry_after("3", 0) == 3);
	assert_true(lp_header_retry_after(" 1.5\r\n", 0) == 1.5);
	assert_true(lp_header_retry_after("-1", 0) == -1);
	assert_true(lp_header_retry_after("", 0) == -1);
	assert_true(lp_header_retry_after("later", 0) == -1);
	tm.tm_year = 115;
	tm.tm_mon = 9;
	tm.tm_mday = 21;
	tm.tm_hour = 7;
	tm.tm_min = 28;
	at = (double)timegm(&tm);
	assert_true(lp_header_retry_after(
			"Wed, 21 Oct 2015 07:28:00 GMT", at - 10) == 10);
	/* A date past: go now. */
	assert_true(lp_header_retry_after(
			"Wed, 21 Oct 2015 07:28:00 GMT", at + 99) == 0);
	assert_true(
	    lp_header_retry_after("Wed, 21 Foo 2015 07:28:00 GMT", at) == -1);
	assert_true(lp_header_retry_after("Wed, 21 Oct 2015 07:28", at) == -1);
}

TEST(duration)
{
	assert_true(lp_header_duration("1s") == 1);
	assert_true(lp_header_duration("6m0s") == 360);
	assert_true(lp_header_duration("20ms") == 0.02);
	assert_true(lp_header_duration("1h2m3.5s") == 3723.5);
	assert_true(lp_header_duration(" 7") == 7);
	assert_true(lp_header_duration("2s\r\n") == 2);
	assert_true(lp_header_duration("") == -1);
	assert_true(lp_header_duration("soon") == -1);
	assert_true(lp_header_duration("5x") == -1);
	assert_true(lp_header_duration("1s2") == 3); /* trailing bare seconds */
}

RUN_TESTS()
