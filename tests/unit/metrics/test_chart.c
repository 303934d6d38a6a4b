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
	/* 480 - 180 - 80 = 220 px for the largest value. */
	assert_true(strstr(b.p, "width=\"110.0\"") != NULL);
	assert_true(strstr(b.p, "width=\"220.0\"") != NULL);
	/* As wide as its box, whatever the window: no fixed width. */
	assert_true(
	    strstr(b.p,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"role=\"img\" width=\"100%\" viewBox=\"0 0 480 ") != NULL);
	assert_true(strstr(b.p, ">n/a<") != NULL);
	assert_true(strstr(b.p, "no &lt;b&gt;") != NULL);
	assert_true(strstr(b.p, "<title>Balance &amp; co</title>") != NULL);
	assert_true(strstr(b.p, "nan") == NULL);
	lp_buf_reset(&b);
	/* A fixed scale, and the lighter bar behind. */
	lp_chart_bars(&b, "p50 / p95", labels, v, back, 3, 2.0, " ms");
	assert_true(balanced(b.p));
	/* 480 - 180 - 150 = 150 px for 2.0. */
	assert_true(strstr(b.p, "width=\"37.5\"") != NULL);
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
	/* 22 characters and an ellipsis, never half a character. */
	assert_true(
	    strstr(b.p, ">全新苹果手机保护壳黑色全新苹果手机保护壳黑色…<") !=
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

/* The x positions of the labels under the axis of a chart of lines. */
static int
axis_labels(const char *svg, double *x, int max)
{
	const char *p = svg;
	int n = 0;

	while ((p = strstr(p, "text-anchor=\"middle\">")) != NULL && n < max) {
		const char *at = p;

		while (at > svg && strncmp(at, "x=\"", 3) != 0)
			at--;
		x[n++] = strtod(at + 3, NULL);
		p++;
	}
	return n;
}

TEST(date_labels_do_not_overlap)
{
	static const char *days[60];
	static char text[60][16];
	double y[60], x[60];
	struct lp_buf b = LP_BUF_INIT;
	int i, n;

	for (i = 0; i < 60; i++) {
		snprintf(text[i], sizeof(text[i]), "2026-%02d-%02d", 1 + i / 28,
		    1 + i % 28);
		days[i] = text[i];
		y[i] = i;
	}
	/* Few short labels all fit; 60 dates of 10 characters do not. */
	assert_eq_int((int)lp_chart_label_step(days, 3, 280), 1);
	assert_eq_int((int)lp_chart_label_step(days, 60, 280), 18);
	lp_chart_lines(&b, "per day", days, 60, days, y, 1);
	assert_true(balanced(b.p));
	n = axis_labels(b.p, x, 60);
	/* 0, 18, 36 and the last (59): each 85 px or more from the next. */
	assert_eq_int(n, 4);
	for (i = 1; i < n; i++)
		assert_true(x[i] - x[i - 1] >= 10 * 7.5 + 10);
	assert_true(strstr(b.p, ">2026-02-09<") != NULL);
	lp_buf_release(&b);
}

TEST(counts_and_calibration)
{
	static const char *const names[] = {"bad (1)", "good & fine (2)"},
				 *vals[] = {"1", "2"};
	const long long cm[] = {3, 1, 0, 6}, items[] = {4, 10};
	const double from[] = {0.5, 0.9}, to[] = {0.6, 1.0},
		     acc[] = {0.25, NAN};
	struct lp_buf b = LP_BUF_INIT;

	lp_chart_counts(&b, "Confusion", names, vals, cm, 2, 2);
	assert_true(balanced(b.p));
	assert_true(strstr(b.p, ">good &amp; fine (2)<") != NULL);
	/* Each cell shaded by its share of the row: 3 of 4, 0 of 6. */
	assert_true(strstr(b.p, "fill-opacity=\"0.79\"") != NULL);
	assert_true(strstr(b.p, "fill-opacity=\"0.00\"") != NULL);
	assert_true(strstr(b.p, ">6</text>") != NULL);
	lp_buf_reset(&b);
	lp_chart_calibration(&b, "Judge", from, to, acc, items, 2);
	assert_true(balanced(b.p));
	/* The diagonal, a bar a quarter high, and n/a for no accuracy. */
	assert_true(strstr(b.p, "stroke-dasharray") != NULL);
	assert_true(strstr(b.p, "height=\"50.0\"") != NULL);
	assert_true(strstr(b.p, ">0.5-0.6: 25.0% of 4<") != NULL);
	assert_true(strstr(b.p, ">0.9-1.0: n/a of 10<") != NULL);
	assert_true(strstr(b.p, "nan") == NULL);
	lp_buf_release(&b);
}

RUN_TESTS()
