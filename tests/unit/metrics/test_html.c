#include "core/status.h"
#include "core/buf.h"
#include "metrics/html.h"
#include "test.h"

TEST(page)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *gs = json_pack("[{s:s,s:s,s:f,s:f,s:b}]", "metric",
		   "gold.accuracy", "op", ">", "threshold", 0.9, "value", 0.75,
		   "pass", 0),
	       *m = json_pack("{s:i,s:i,s:{s:f},s:{s:s},s:{s:{s:i,s:i}}}",
		   "records", 3, "labelled", 2, "completeness", "a<b", 1.0,
		   "agreement", "undefined", "no labels", "balance",
		   "rating.score", "1", 2, "4", 1);

	lp_html_report(&b, m, gs);
	assert_true(strncmp(b.p,
			"<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
			"charset=\"utf-8\">",
			51) == 0);
	assert_true(
	    strstr(b.p, "<title>Dataset quality: 3 records</title>") != NULL);
	/* The gate, and a field name from the data, escaped. */
	assert_true(strstr(b.p,
			"<tr><td>gold.accuracy</td><td class=\"fail\">FAIL"
			"</td><td>&gt; 0.9</td><td class=\"n\">0.7500</td>"
			"</tr>\n") != NULL);
	assert_true(strstr(b.p,
			"<tr><td>a&lt;b</td><td class=\"n\">1.0000</td></tr>"
			"\n") != NULL);
	assert_true(strstr(b.p,
			"<tr><td>agreement</td><td class=\"n\">no "
			"labels</td></tr>") != NULL);
	/* The rating histogram is drawn; no time, so no trends. */
	assert_true(strstr(b.p,
			"<title>Rating histogram (rating.score)"
			"</title>") != NULL);
	assert_true(
	    strstr(b.p, "Trends over time: run with --over day") != NULL);
	assert_true(
	    b.len > 16 && strcmp(b.p + b.len - 15, "</body></html>\n") == 0);
	lp_buf_release(&b);
	json_decref(m);
	json_decref(gs);
}

RUN_TESTS()
