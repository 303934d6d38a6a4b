#include "core/status.h"
#include "core/buf.h"
#include "metrics/report.h"
#include "test.h"

/* A small report: one annotator pair short, a failed and a skipped gate. */
static json_t *
tiny(json_t **gs)
{
	*gs = json_pack("[{s:s,s:s,s:f,s:f,s:b},{s:s,s:s,s:f,s:n,s:n}]",
	    "metric", "gold.accuracy", "op", ">", "threshold", 0.9, "value",
	    0.75, "pass", 0, "metric", "judge.kappa_vs_humans", "op", ">",
	    "threshold", 0.5, "value", "pass");
	return json_pack("{s:i,s:i,s:{s:f},s:{s:[s,s],s:i,s:s},s:{s:n},"
			 "s:{s:f}}",
	    "records", 3, "labelled", 2, "completeness", "id", 1.0, "agreement",
	    "annotators", "alice", "bob", "items", 2, "undefined",
	    "fewer than two annotators", "judge", "kappa_vs_humans", "gold",
	    "accuracy", 0.75);
}

TEST(text)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *gs, *m = tiny(&gs);

	lp_report_text(&b, m, gs);
	assert_eq_str(b.p,
	    "records 3, labelled 2\n"
	    "completeness\n"
	    "  id                           1.0000\n"
	    "agreement (2 annotators, 2 items)\n"
	    "  agreement                    fewer than two annotators\n"
	    "  judge kappa vs humans        undefined\n"
	    "  gold accuracy                0.7500\n"
	    "gate gold.accuracy            FAIL > 0.9 (value 0.75)\n"
	    "gate judge.kappa_vs_humans    skip > 0.5 (value undefined)\n");
	lp_buf_release(&b);
	json_decref(m);
	json_decref(gs);
}

TEST(markdown)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *gs, *m = tiny(&gs);

	lp_report_markdown(&b, m, gs);
	assert_eq_str(b.p,
	    "# Dataset quality\n\n3 records, 2 labelled.\n\n"
	    "## Completeness\n\n| field | share |\n| --- | ---: |\n"
	    "| id | 1.0000 |\n\n"
	    "## Agreement\n\n| measure | value |\n| --- | ---: |\n"
	    "| agreement | fewer than two annotators |\n"
	    "| judge kappa vs humans | undefined |\n"
	    "| gold accuracy | 0.7500 |\n\n"
	    "## Gates\n\n| metric | result | rule | value |\n"
	    "| --- | --- | --- | ---: |\n"
	    "| gold.accuracy | **FAIL** | > 0.9 | 0.75 |\n"
	    "| judge.kappa\\_vs\\_humans | skip | > 0.5 | undefined |\n");
	lp_buf_release(&b);
	json_decref(m);
	json_decref(gs);
}

TEST(groups_and_drift)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *m = json_pack("{s:{s:{s:{s:i,s:{s:f}}}},s:{s:{s:f,s:f,s:b}}}",
	    "over", "day", "2025-12-01", "records", 4, "agreement", "percent",
	    0.5, "drift", "labels", "psi", 0.25, "js", 0.05, "shift", 1);

	lp_report_text(&b, m, NULL);
	assert_true(strstr(b.p,
			"drift labels                 PSI 0.2500, JS 0.0500  "
			"SHIFT\n") != NULL);
	assert_true(strstr(b.p,
			"over day\n  2025-12-01                4  0.5000  "
			"undefined  undefined\n") != NULL);
	lp_buf_release(&b);
	json_decref(m);
}

/* Outside text in Markdown: no HTML, no markup, one line, one cell. */
TEST(md_escape)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_md_escape(&b,
	    "<img src=x onerror=alert(1)> & *b* _i_ `c` [l](u) "
	    "a|b \\ x\ny\rz");
	assert_eq_str(b.p,
	    "&lt;img src=x onerror=alert(1)&gt; &amp; \\*b\\* \\_i\\_ "
	    "\\`c\\` \\[l\\](u) a\\|b \\\\ x y z");
	lp_buf_reset(&b);
	lp_md_escape(&b, NULL);
	lp_md_escape(&b, "Éé 三星");
	assert_eq_str(b.p, "Éé 三星");
	lp_buf_release(&b);
}

/* A group's key comes from the records: escaped in Markdown. */
TEST(markdown_group_key_escaped)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *m = json_pack(
	    "{s:{s:{s:{s:i}}}}", "by", "annotator", "<b>x_y</b>", "records", 4);

	lp_report_markdown(&b, m, NULL);
	assert_true(strstr(b.p, "| &lt;b&gt;x\\_y&lt;/b&gt; | 4 | ") != NULL);
	assert_true(strstr(b.p, "<b>") == NULL);
	lp_buf_release(&b);
	json_decref(m);
}

TEST(alert)
{
	struct lp_buf b = LP_BUF_INIT;
	json_t *gs, *m = tiny(&gs);

	lp_report_alert(&b, gs, 1, "v3");
	assert_eq_str(b.p,
	    "lp-kpi: 1 of 2 quality gates failed for dataset "
	    "v3\n\xe2\x80\xa2 gold.accuracy > 0.9: 0.75");
	lp_buf_release(&b);
	json_decref(m);
	json_decref(gs);
}

RUN_TESTS()
