#include <math.h>

#include "core/status.h"
#include "metrics/chart.h"
#include "test.h"

/* Count the occurrences of needle in hay. */
static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/*
 * Well-formed enough for a browser and an XML parser: tags balance (by a
 * stack of names), and no text holds a raw '<' or an unescaped '&'.
 */
static int
balanced(const char *s)
{
	char stack[64][16];
	int depth = 0;

	while (*s != '\0') {
		if (*s == '&' && strncmp(s, "&amp;", 5) &&
		    strncmp(s, "&lt;", 4) && strncmp(s, "&gt;", 4) &&
		    strncmp(s, "&quot;", 6))
			return 0;
		if (*s != '<') {
			s++;
			continue;
		}
		if (s[1] == '/') {
			size_t n = strcspn(s + 2, ">");

			if (depth == 0 || strlen(stack[depth - 1]) != n ||
			    strncmp(stack[depth - 1], s + 2, n) != 0)
				return 0;
			depth--;
			s += n + 3;
		} else {
			size_t n = strcspn(s + 1, " >/");
			const char *end = strchr(s, '>');

			if (end == NULL || n >= 16 || depth == 64)
				return 0;
			if (end[-1] != '/') {
				memcpy(stack[depth], s + 1, n);
				stack[depth++][n] = '\0';
			}
			s = end + 1;
		}
	}
	return depth == 0;
}

TEST(escape)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_html_escape(&b, "a<b & \"c\">");
	assert_eq_str(b.p, "a&lt;b &amp; &quot;c&quot;&gt;");
	lp_buf_release(&b);
}

TEST(bars_scale_and_undefined)
{
	static const char *const labels[] = {"yes", "no <b>", "none"};
	const double v[] = {0.5, 1.0, NAN}, back[] = {0.75, NAN, NAN};
	struct lp_buf b = LP_BUF_INIT;

	lp_chart_bars(&b, "Balance & co", labels, v, NULL, 3, 0, "");
	assert_true(balanced(b.p));
	assert_eq_int(count(b.p, "<svg"), 1);
	/* 640 - 180 - 80 = 380 px for the largest value. */
	assert_true(strstr(b.p, "width=\"190.0\"") != NULL);
	assert_true(strstr(b.p, "width=\"380.0\"") != NULL);
	assert_true(strstr(b.p, ">n/a<") != NULL);
	assert_true(strstr(b.p, "no &lt;b&gt;") != NULL);
	assert_true(strstr(b.p, "<title>Balance &amp; co</title>") != NULL);
	assert_true(strstr(b.p, "nan") == NULL);
	lp_buf_reset(&b);
	/* A fixed scale, and the lighter bar behind. */
	lp_chart_bars(&b, "p50 / p95", labels, v, back, 3, 2.0, " ms");
	assert_true(balanced(b.p));
	/* 640 - 180 - 150 = 310 px for 2.0. */
	assert_true(strstr(b.p, "width=\"77.5\"") != NULL);
	assert_true(strstr(b.p, ">0.5 ms / 0.75 ms<") != NULL);
	lp_buf_release(&b);
}

TEST(durations_read_as_people_say_them)
{
	static const char *const labels[] = {"a", "b", "c", "d", "e"};
	const double v[] = {950, 1500, 90000, 1.5e6 * 6, 123456};
	struct lp_buf b = LP_BUF_INIT;

	lp_chart_bars(&b, "t", labels, v, NULL, 5, 0, " ms");
	assert_true(strstr(b.p, ">950 ms<") != NULL);
	assert_true(strstr(b.p, ">1.50 s<") != NULL);
	assert_true(strstr(b.p, ">1.5 min<") != NULL);
	assert_true(strstr(b.p, ">2.5 h<") != NULL);
	assert_true(strstr(b.p, ">2.1 min<") != NULL);
	lp_buf_reset(&b);
	/* Large counts in full, not in e-notation. */
	lp_chart_bars(&b, "t", labels + 4, v + 4, NULL, 1, 0, "");
	assert_true(strstr(b.p, ">123456<") != NULL);
	lp_buf_release(&b);
}

TEST(long_labels_cut_on_characters)
{
	static const char *const labels[] = {
	    "全新苹果手机保护壳黑色全新苹果手机保护壳黑色全新苹果手机保护壳"};
	const double v[] = {1};
	struct lp_buf b = LP_BUF_INIT;

	lp_chart_bars(&b, "t", labels, v, NULL, 1, 0, "");
	/* 26 characters and an ellipsis, never half a character. */
	assert_true(
	    strstr(
		b.p, "全新苹果手机保护壳黑色全新苹果手机保护壳黑色全新苹果…") !=
	    NULL);
	lp_buf_release(&b);
}

TEST(heat_colours)
{
	static const char *const who[] = {"alice", "bob"};
	const double k[] = {1.0, 0.4, NAN, -0.2};
	struct lp_buf b = LP_BUF_INIT;

	lp_chart_heat(&b, "kappa", who, who, k, 2, 2);
	assert_true(balanced(b.p));
	assert_eq_int(count(b.p, "<rect"), 4);
	assert_true(strstr(b.p, "fill=\"#1a9650\"") != NULL); /* 1: green */
	assert_true(strstr(b.p, "fill=\"#d73027\"") != NULL); /* <0: red */
	assert_true(strstr(b.p, "fill=\"#dddddd\"") != NULL); /* n/a */
	assert_true(strstr(b.p, ">0.40<") != NULL);
	assert_true(strstr(b.p, ">-0.20<") != NULL);
	lp_buf_release(&b);
}

TEST(lines_break_at_gaps)
{
	static const char *const xs[] = {"d1", "d2", "d3", "d4"},
				 *names[] = {"agreement", "gold"};
	const double y[] = {0.5, NAN, 0.7, 0.8, 1.0, 0.9, 0.8, 0.7};
	struct lp_buf b = LP_BUF_INIT;

	lp_chart_lines(&b, "over time", xs, 4, names, y, 2);
	assert_true(balanced(b.p));
	/* The axes and two series; the first starts again after its gap. */
	assert_eq_int(count(b.p, "d=\"M"), 3);
	assert_eq_int(count(b.p, " M"), 1);
	assert_eq_int(count(b.p, "<circle"), 7);
	assert_true(strstr(b.p, ">agreement<") != NULL);
	lp_buf_release(&b);
}

RUN_TESTS()
