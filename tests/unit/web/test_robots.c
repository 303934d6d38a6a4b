/*
 * robots.txt: the examples of RFC 9309 and of Google's robots.txt
 * documentation, percent-encoding, and malformed input.
 */
#include <time.h>

#include "web/robots.h"
#include "test.h"

static struct lp_robots *
parse(const char *text, const char *agent)
{
	return lp_robots_parse(text, strlen(text), agent);
}

/* RFC 9309 section 5.1. */
static const char rfc[] = "User-Agent: *\n"
			  "Disallow: *.gif$\n"
			  "Disallow: /example/\n"
			  "Allow: /publications/\n"
			  "\n"
			  "User-Agent: foobot\n"
			  "Disallow:/\n"
			  "Allow:/example/page.html\n"
			  "Allow:/example/allowed.gif\n"
			  "\n"
			  "User-Agent: barbot\n"
			  "User-Agent: bazbot\n"
			  "Disallow: /example/page.html\n"
			  "\n"
			  "User-Agent: quxbot\n";

TEST(rfc_example)
{
	struct lp_robots *r = parse(rfc, "foobot");

	assert_eq_int(lp_robots_allowed(r, "/example/page.html"), 1);
	assert_eq_int(lp_robots_allowed(r, "/example/allowed.gif"), 1);
	assert_eq_int(lp_robots_allowed(r, "/other"), 0);
	assert_eq_int(lp_robots_allowed(r, "/robots.txt"), 1);
	lp_robots_free(r);
	/* Two user-agent lines, one group; it replaces "*". */
	r = parse(rfc, "bazbot");
	assert_eq_int(lp_robots_allowed(r, "/example/page.html"), 0);
	assert_eq_int(lp_robots_allowed(r, "/example/other"), 1);
	assert_eq_int(lp_robots_allowed(r, "/a.gif"), 1);
	lp_robots_free(r);
	/* An empty group: everything allowed. */
	r = parse(rfc, "quxbot");
	assert_eq_int(lp_robots_allowed(r, "/example/x"), 1);
	lp_robots_free(r);
	/* Anyone else: the "*" group. */
	r = parse(rfc, "labelpipe");
	assert_eq_int(lp_robots_allowed(r, "/a.gif"), 0);
	assert_eq_int(lp_robots_allowed(r, "/a.gif?x"), 1); /* $ anchors */
	assert_eq_int(lp_robots_allowed(r, "/example/x"), 0);
	assert_eq_int(lp_robots_allowed(r, "/publications/x"), 1);
	assert_eq_int(lp_robots_allowed(r, "/"), 1);
	assert_eq_int((int)lp_robots_nwarnings(r), 0);
	lp_robots_free(r);
}

TEST(longest_match_and_ties)
{
	struct lp_robots *r;

	r = parse("user-agent: *\nallow: /p\ndisallow: /\n", "x");
	assert_eq_int(lp_robots_allowed(r, "/page"), 1);
	assert_eq_int(lp_robots_allowed(r, "/other"), 0);
	lp_robots_free(r);
	r = parse("user-agent: *\nallow: /folder\ndisallow: /folder\n", "x");
	assert_eq_int(lp_robots_allowed(r, "/folder/page"), 1); /* a tie */
	lp_robots_free(r);
	r = parse("user-agent: *\nallow: /page\ndisallow: /*.htm\n", "x");
	assert_eq_int(lp_robots_allowed(r, "/page.htm"), 0);
	assert_eq_int(lp_robots_allowed(r, "/page"), 1);
	lp_robots_free(r);
	r = parse("user-agent: *\nallow: /$\ndisallow: /\n", "x");
	assert_eq_int(lp_robots_allowed(r, "/"), 1);
	assert_eq_int(lp_robots_allowed(r, "/page.htm"), 0);
	lp_robots_free(r);
	r = parse("user-agent: *\ndisallow: /fish*.php\n", "x");
	assert_eq_int(lp_robots_allowed(r, "/fish.php"), 0);
	assert_eq_int(lp_robots_allowed(r, "/fishheads/catfish.php?p"), 0);
	assert_eq_int(lp_robots_allowed(r, "/Fish.PHP"), 1); /* case */
	lp_robots_free(r);
	/* Disallow with nothing: allows all. */
	r = parse("user-agent: *\ndisallow:\n", "x");
	assert_eq_int(lp_robots_allowed(r, "/any"), 1);
	lp_robots_free(r);
}

TEST(agents)
{
	/* Case-insensitive product token; groups for it merged. */
	struct lp_robots *r = parse("User-agent: LabelPipe/1.0\n"
				    "Disallow: /a\n"
				    "User-agent: *\n"
				    "Disallow: /\n"
				    "user-agent: labelpipe\n"
				    "disallow: /b\n"
				    "crawl-delay: 2.5\n",
	    "labelpipe");

	assert_eq_int(lp_robots_allowed(r, "/a"), 0);
	assert_eq_int(lp_robots_allowed(r, "/b/c"), 0);
	assert_eq_int(lp_robots_allowed(r, "/c"), 1);
	assert_true(lp_robots_crawl_delay(r) == 2.5);
	lp_robots_free(r);
	/* Not a prefix match of the token. */
	r = parse("User-agent: label\nDisallow: /\n", "labelpipe");
	assert_eq_int(lp_robots_allowed(r, "/x"), 1);
	assert_true(lp_robots_crawl_delay(r) == -1);
	lp_robots_free(r);
}

TEST(percent_encoding)
{
	struct lp_robots *r = parse("user-agent: *\n"
				    "disallow: /%7efoo\n"
				    "disallow: /foo/bar?baz=quz\n"
				    "disallow: /\xc3\xa4\n"
				    "disallow: /x%2fy\n",
	    "x");

	assert_eq_int(lp_robots_allowed(r, "/~foo"), 0);
	assert_eq_int(lp_robots_allowed(r, "/%7Efoo/x"), 0);
	assert_eq_int(lp_robots_allowed(r, "/foo/bar?baz=quz"), 0);
	assert_eq_int(lp_robots_allowed(r, "/foo/bar?baz=other"), 1);
	assert_eq_int(lp_robots_allowed(r, "/%C3%A4"), 0);
	assert_eq_int(lp_robots_allowed(r, "/%c3%a4"), 0);
	/* An encoded slash is not a slash. */
	assert_eq_int(lp_robots_allowed(r, "/x/y"), 1);
	assert_eq_int(lp_robots_allowed(r, "/x%2Fy"), 0);
	lp_robots_free(r);
}

TEST(malformed)
{
	const char text[] = "\xef\xbb\xbf"
			    "Disallow: /early\r\n"
			    "User-agent: *\r\n"
			    "Disalow /typo\r\n"
			    "Crawl-delay: soon\r"
			    "Noindex: /x\n"
			    "Sitemap: https://example.org/s.xml\n"
			    "Disallow: /private # secret\n"
			    "   \n"
			    "# a comment\n"
			    "Allow /also-typo";
	struct lp_robots *r = parse(text, "x");
	unsigned long line;

	assert_eq_int(lp_robots_allowed(r, "/early"), 1);
	assert_eq_int(lp_robots_allowed(r, "/typo"), 1);
	assert_eq_int(lp_robots_allowed(r, "/private"), 0);
	assert_eq_int(lp_robots_allowed(r, "/private2"), 0);
	assert_eq_int((int)lp_robots_nwarnings(r), 5);
	assert_eq_str(lp_robots_warning(r, 0, &line),
	    "a rule before any user-agent line");
	assert_eq_int(line, 1);
	assert_eq_str(
	    lp_robots_warning(r, 1, &line), "no colon: not \"field: value\"");
	assert_eq_int(line, 3);
	assert_eq_str(lp_robots_warning(r, 2, &line),
	    "crawl-delay 'soon' is not a number of seconds");
	assert_eq_int(line, 4);
	assert_eq_str(
	    lp_robots_warning(r, 3, &line), "unknown field 'Noindex' ignored");
	assert_eq_int(line, 5);
	assert_eq_int((lp_robots_warning(r, 4, &line), line), 10);
	lp_robots_free(r);
	/* Empty, and binary junk: no rules, no crash. */
	r = lp_robots_parse("", 0, "x");
	assert_eq_int(lp_robots_allowed(r, "/"), 1);
	lp_robots_free(r);
	r = lp_robots_parse("\0\0:\xff\xfe", 6, "x");
	assert_eq_int(lp_robots_allowed(r, "/"), 1);
	lp_robots_free(r);
}

TEST(limits_and_defaults)
{
	size_t n = LP_ROBOTS_MAX_BYTES + 100, i;
	char *big = malloc(n + 64);
	struct lp_robots *r;
	clock_t t0;

	/* Past 500 KiB is ignored: the rule there does not count. */
	strcpy(big, "user-agent: *\n");
	for (i = strlen(big); i < LP_ROBOTS_MAX_BYTES - 2; i++)
		big[i] = i % 80 == 0 ? '\n' : '#';
	strcpy(big + LP_ROBOTS_MAX_BYTES - 2, "\ndisallow: /late\n");
	r = lp_robots_parse(big, strlen(big), "x");
	assert_eq_int(lp_robots_allowed(r, "/late"), 1);
	lp_robots_free(r);
	free(big);
	/* 4xx: all allowed; 5xx or unreachable: nothing but robots.txt. */
	r = lp_robots_new(1);
	assert_eq_int(lp_robots_allowed(r, "/x"), 1);
	lp_robots_free(r);
	r = lp_robots_new(0);
	assert_eq_int(lp_robots_allowed(r, "/x"), 0);
	assert_eq_int(lp_robots_allowed(r, "/robots.txt"), 1);
	lp_robots_free(r);
	/* Many stars against a long path: no blow-up. */
	r = parse("user-agent: *\ndisallow: /*a*a*a*a*a*a*a*a*a*b$\n", "x");
	big = malloc(20002);
	big[0] = '/';
	memset(big + 1, 'a', 20000);
	big[20001] = '\0';
	t0 = clock();
	assert_eq_int(lp_robots_allowed(r, big), 1);
	assert_true(clock() - t0 < CLOCKS_PER_SEC);
	free(big);
	lp_robots_free(r);
}

RUN_TESTS()
