#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/record.h"
#include "metrics/html.h"
#include "metrics/kpi.h"
#include "review/taxonomy.h"
#include "test.h"

/* Every href="#x" of page has an id="x": no link leads nowhere. */
static int
anchors_resolve(const char *page)
{
	const char *p = page;
	char want[96];

	while ((p = strstr(p, "href=\"#")) != NULL) {
		size_t n = strcspn(p + 7, "\"");

		if (n == 0 || n > 80)
			return 0;
		snprintf(want, sizeof(want), "id=\"%.*s\"", (int)n, p + 7);
		if (strstr(page, want) == NULL)
			return 0;
		p += 7;
	}
	return 1;
}

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

	lp_html_report(&b, m, gs, NULL);
	assert_true(strncmp(b.p,
			"<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
			"charset=\"utf-8\">",
			51) == 0);
	assert_true(
	    strstr(b.p, "<title>Dataset quality: 3 records</title>") != NULL);
	/* The verdict, the gate, and a field name from the data, escaped. */
	assert_true(strstr(b.p,
			"<header class=\"banner v-fail\" id=\"verdict\">"
			"<p class=\"verdict\">FAIL</p><p>1 of 1 gates "
			"failed</p>") != NULL);
	assert_true(strstr(b.p,
			"<tr><td>gold.accuracy</td><td class=\"fail\">FAIL"
			"</td><td>&gt; 0.9</td><td class=\"n\">75.0%</td>"
			"</tr>\n") != NULL);
	assert_true(
	    strstr(b.p, "<tr><td>a&lt;b</td><td class=\"n\">100.0%</td>") !=
	    NULL);
	assert_true(strstr(b.p,
			"<tr><td>agreement</td><td class=\"n\">no "
			"labels</td>") != NULL);
	/* The rating histogram is drawn; no time, so no trends. */
	assert_true(strstr(b.p,
			"<title>Rating histogram (rating.score)"
			"</title>") != NULL);
	assert_true(
	    strstr(b.p, "Trends over time: run with --over day") != NULL);
	assert_true(anchors_resolve(b.p));
	assert_true(
	    b.len > 16 && strcmp(b.p + b.len - 15, "</body></html>\n") == 0);
	lp_buf_reset(&b);
	/* No gates: no verdict to give, and the banner says so. */
	json_array_clear(gs);
	lp_html_report(&b, m, gs, NULL);
	assert_true(strstr(b.p, "class=\"banner v-none\"") != NULL);
	assert_true(strstr(b.p, ">NO GATES<") != NULL);
	lp_buf_release(&b);
	json_decref(m);
	json_decref(gs);
}

/* Two annotators, a gold item, a judge, versions and a note. */
static const char *const lines[] = {
    "{\"id\":\"p<1>\",\"labels\":[{\"annotator_id\":\"al\",\"label\":1,"
    "\"note\":\"blurry & <dark>\",\"taxonomy_version\":\"t-1\","
    "\"guidelines_version\":\"g-1\",\"at\":86400000},"
    "{\"annotator_id\":\"bo\",\"label\":2}],\"lineage\":{"
    "\"dataset_version\":\"d-1\",\"pipeline_version\":\"p-1\",\"steps\":"
    "[]},\"rating\":{\"score\":2,\"confidence\":0.85}}",
    "{\"id\":\"q\",\"labels\":[{\"annotator_id\":\"al\",\"label\":2},"
    "{\"annotator_id\":\"bo\",\"label\":2}],\"rating\":{\"score\":2,"
    "\"confidence\":0.95}}",
    "{\"id\":\"g\",\"labels\":[{\"annotator_id\":\"al\",\"label\":1},"
    "{\"annotator_id\":\"bo\",\"label\":2}],\"gold\":{\"label\":2}}"};

TEST(page_with_engine_and_taxonomy)
{
	struct lp_kpi *k = lp_kpi_new(NULL, 0, NULL);
	struct lp_error err = LP_ERROR_INIT;
	struct lp_taxonomy tax;
	struct lp_html_info info = {0, k, &tax};
	struct lp_buf b = LP_BUF_INIT;
	struct lp_record rec;
	json_t *m, *gs;
	const char *fail, *pass;
	size_t i;

	/* As lp-kpi --html sets it: the notes and versions are kept. */
	lp_kpi_keep_evidence(k);
	assert_eq_int(
	    lp_taxonomy_init(&tax,
		json_pack("{s:s,s:s,s:[{s:i,s:s,s:s,s:s},{s:i,s:s,"
			  "s:s,s:s}]}",
		    "version", "t-1", "guidelines_version", "g-1", "labels",
		    "value", 1, "key", "1", "name", "bad", "definition", "",
		    "value", 2, "key", "2", "name", "good", "definition", ""),
		&err),
	    LP_OK);
	for (i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		lp_record_init(&rec);
		assert_eq_int(
		    lp_record_parse(&rec, lines[i], strlen(lines[i])), LP_OK);
		lp_kpi_add(k, &rec);
		lp_record_release(&rec);
	}
	m = lp_kpi_metrics(k, 0, 1);
	gs = json_pack("[{s:s,s:s,s:f,s:f,s:b},{s:s,s:s,s:f,s:f,s:b}]",
	    "metric", "agreement.percent", "op", ">", "threshold", 0.1, "value",
	    0.33, "pass", 1, "metric", "gold.accuracy", "op", ">", "threshold",
	    0.9, "value", 0.5, "pass", 0);
	lp_html_report(&b, m, gs, &info);
	/* The failing gate first in the banner, linked to its items. */
	fail = strstr(b.p,
	    "<li><a href=\"#gold-misses\">gold.accuracy</a> "
	    "50.0%, wants &gt; 90.0%: <b class=\"fail\">FAIL"
	    "</b></li>");
	pass = strstr(b.p, "<li><a href=\"#disputed\">agreement.percent</a>");
	assert_true(fail != NULL && pass != NULL && fail < pass);
	assert_true(strstr(b.p,
			"dataset <b>d-1</b> · pipeline <b>p-1</b> · "
			"taxonomy <b>t-1</b> · guidelines <b>g-1</b> · "
			"measured <b>1970-01-01 00:00 UTC</b>") != NULL);
	/* Classes by name; the items behind the numbers, escaped. */
	assert_true(strstr(b.p, ">good (2)<") != NULL);
	assert_true(
	    strstr(b.p, "<h3 id=\"disputed\">Disputed items: 2</h3>") != NULL);
	assert_true(
	    strstr(b.p,
		"<tr><td data-k=\"id\">p&lt;1&gt;</td><td data-k=\""
		"labels\"><span>al: bad (1)<br>bo: good (2)<br></span></td><td "
		"data-k=\"gold\"></td><td data-k=\"judge\">good (2)"
		"</td><td data-k=\"adjudicated\"></td><td data-k=\""
		"notes\">al: blurry &amp; &lt;dark&gt;</td></tr>") != NULL);
	assert_true(
	    strstr(b.p, "<h3 id=\"gold-misses\">Gold misses: 1</h3>") != NULL);
	/* The judge's reliability diagram and the pair's confusion. */
	assert_true(strstr(b.p, "<title>Judge calibration") != NULL);
	assert_true(
	    strstr(b.p, "<title>Confusion: al (rows) × bo (cols)") != NULL);
	assert_true(anchors_resolve(b.p));
	assert_true(strstr(b.p, "<script") == NULL);
	assert_true(strstr(b.p, "nan") == NULL);
	lp_buf_release(&b);
	json_decref(m);
	json_decref(gs);
	lp_taxonomy_release(&tax);
	lp_kpi_free(k);
}

RUN_TESTS()
