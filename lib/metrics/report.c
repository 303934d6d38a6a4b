#include <stdio.h>

#include "core/status.h"
#include "metrics/kpi.h"
#include "metrics/report.h"

void
lp_md_escape(struct lp_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '<':
			lp_buf_adds(b, "&lt;");
			break;
		case '>':
			lp_buf_adds(b, "&gt;");
			break;
		case '&':
			lp_buf_adds(b, "&amp;");
			break;
		case '\\':
		case '`':
		case '*':
		case '_':
		case '[':
		case ']':
		case '|':
			lp_buf_addc(b, '\\');
			lp_buf_addc(b, *s);
			break;
		case '\n':
		case '\r':
			lp_buf_addc(b, ' ');
			break;
		default:
			lp_buf_addc(b, *s);
		}
}

void
lp_report_figure(struct lp_buf *b, json_t *v)
{
	if (json_is_number(v))
		lp_buf_addf(b, "%.4f", json_number_value(v));
	else if (json_is_string(v))
		lp_buf_adds(b, json_string_value(v));
	else
		lp_buf_adds(b, "undefined");
}

static void
text_row(struct lp_buf *b, const char *label, json_t *v)
{
	lp_buf_addf(b, "  %-28s ", label);
	lp_report_figure(b, v);
	lp_buf_addc(b, '\n');
}

static void
md_row(struct lp_buf *b, const char *label, json_t *v)
{
	lp_buf_adds(b, "| ");
	lp_md_escape(b, label);
	lp_buf_adds(b, " | ");
	lp_report_figure(b, v);
	lp_buf_adds(b, " |\n");
}

void
lp_report_agreement_rows(struct lp_buf *b, json_t *m,
    void (*row)(struct lp_buf *, const char *, json_t *))
{
	json_t *ag = json_object_get(m, "agreement"), *p;
	size_t i;

	if (json_object_get(ag, "undefined") != NULL)
		row(b, "agreement", json_object_get(ag, "undefined"));
	else {
		row(b, "percent", json_object_get(ag, "percent"));
		row(b, "Fleiss' kappa", json_object_get(ag, "fleiss_kappa"));
		row(b, "Krippendorff's alpha, ord.",
		    lp_kpi_get(ag, "kripp_alpha.ordinal"));
		row(b, "Gwet's AC1", json_object_get(ag, "gwet_ac1"));
		json_array_foreach (json_object_get(ag, "pairs"), i, p) {
			char label[96];

			snprintf(label, sizeof(label),
			    "Cohen's kappa, %s and %s",
			    json_string_value(json_object_get(p, "a")),
			    json_string_value(json_object_get(p, "b")));
			row(b, label, json_object_get(p, "kappa"));
		}
	}
	row(b, "judge kappa vs humans", lp_kpi_get(m, "judge.kappa_vs_humans"));
	row(b, "gold accuracy", lp_kpi_get(m, "gold.accuracy"));
	if (json_object_get(m, "rejects") != NULL)
		row(b, "reject rate", lp_kpi_get(m, "rejects.rate"));
}

/* One line of a group: records and the main figures. */
static void
group_line(struct lp_buf *b, const char *key, json_t *gm, int md)
{
	if (md) {
		lp_buf_adds(b, "| ");
		lp_md_escape(b, key);
		lp_buf_addf(b, " | %lld | ",
		    (long long)json_integer_value(
			json_object_get(gm, "records")));
	} else
		lp_buf_addf(b, "  %-20s %6lld  ", key,
		    (long long)json_integer_value(
			json_object_get(gm, "records")));
	lp_report_figure(b, lp_kpi_get(gm, "agreement.percent"));
	lp_buf_adds(b, md ? " | " : "  ");
	lp_report_figure(b, lp_kpi_get(gm, "agreement.kripp_alpha.ordinal"));
	lp_buf_adds(b, md ? " | " : "  ");
	lp_report_figure(b, lp_kpi_get(gm, "gold.accuracy"));
	lp_buf_adds(b, md ? " |\n" : "\n");
}

/* The groups of --by and --over, a line each. */
static void
groups_block(struct lp_buf *b, json_t *m, int md)
{
	static const char *const where[] = {"by", "over"};
	json_t *per, *gm;
	const char *gname, *key;
	size_t w;

	for (w = 0; w < 2; w++)
		json_object_foreach (json_object_get(m, where[w]), gname, per) {
			if (md) {
				lp_buf_addf(b, "\n## %s ", where[w]);
				lp_md_escape(b, gname);
				lp_buf_adds(b, "\n\n| ");
				lp_md_escape(b, gname);
				lp_buf_adds(b,
				    " | records | agreement | alpha (ord.) | "
				    "gold |\n| --- | ---: | ---: | ---: | ---: "
				    "|\n");
			} else
				lp_buf_addf(b, "%s %s\n", where[w], gname);
			json_object_foreach (per, key, gm)
				group_line(b, key, gm, md);
		}
}

/* A gate's verdict as a word (md: Markdown, a failure in bold). */
static const char *
verdict(json_t *gate, int md)
{
	json_t *pass = json_object_get(gate, "pass");

	if (json_is_null(pass))
		return "skip";
	if (json_is_true(pass))
		return "pass";
	return md ? "**FAIL**" : "FAIL";
}

/* A gate's value as "%.4g", or "undefined". */
static void
gate_value(struct lp_buf *b, json_t *gate)
{
	json_t *val = json_object_get(gate, "value");

	if (json_is_number(val))
		lp_buf_addf(b, "%.4g", json_number_value(val));
	else
		lp_buf_adds(b, "undefined");
}

/* A row a gate: text lines, or (md) the rows of a Markdown table. */
static void
gate_rows(struct lp_buf *b, json_t *gs, int md)
{
	json_t *p;
	size_t i;

	json_array_foreach (gs, i, p) {
		const char *metric =
		    json_string_value(json_object_get(p, "metric"));
		const char *op = json_string_value(json_object_get(p, "op"));
		double at = json_number_value(json_object_get(p, "threshold"));

		if (md) {
			lp_buf_adds(b, "| ");
			lp_md_escape(b, metric);
			lp_buf_addf(
			    b, " | %s | %s %g | ", verdict(p, md), op, at);
		} else
			lp_buf_addf(b, "gate %-24s %-4s %s %g (value ", metric,
			    verdict(p, md), op, at);
		gate_value(b, p);
		lp_buf_adds(b, md ? " |\n" : ")\n");
	}
}

/* The drift lines: PSI and JS of a balance, or a figure's change. */
static void
drift_lines(struct lp_buf *b, json_t *m)
{
	json_t *v, *x;
	const char *key;

	json_object_foreach (json_object_get(m, "drift"), key, v) {
		const char *shift =
		    json_is_true(json_object_get(v, "shift")) ? "  SHIFT" : "";

		if ((x = json_object_get(v, "psi")) != NULL)
			lp_buf_addf(b, "drift %-22s PSI %.4f, JS %.4f%s\n", key,
			    json_number_value(x),
			    json_number_value(json_object_get(v, "js")), shift);
		else if ((x = json_object_get(v, "change")) != NULL)
			lp_buf_addf(b, "drift %-22s %+.4f (from %.4f)%s\n", key,
			    json_number_value(x),
			    json_number_value(json_object_get(v, "baseline")),
			    shift);
	}
}

/* A figure of a run, or "-" when its --stats did not carry it. */
static void
run_figure(struct lp_buf *b, json_t *r, const char *key, const char *fmt)
{
	json_t *v = json_object_get(r, key);

	if (json_is_number(v))
		lp_buf_addf(b, fmt, json_number_value(v));
	else
		lp_buf_adds(b, "-");
}

/*
 * Each stage's wall time, records per second and peak memory, from the
 * --run-stats files (m's runs section): text lines or Markdown rows.
 */
static void
run_rows(struct lp_buf *b, json_t *m, int md)
{
	json_t *runs = json_object_get(m, "runs"), *r;
	const char *tool;

	if (json_object_size(runs) == 0)
		return;
	lp_buf_adds(b,
	    md ? "\n## Stages\n\n| stage | wall s | records/s | "
		 "peak MB |\n| --- | ---: | ---: | ---: |\n"
	       : "stages (wall s, records/s, peak MB)\n");
	json_object_foreach (runs, tool, r) {
		if (md) {
			lp_buf_adds(b, "| ");
			lp_md_escape(b, tool);
			lp_buf_adds(b, " | ");
		} else
			lp_buf_addf(b, "  %-20s ", tool);
		run_figure(b, r, "wall_s", "%.3f");
		lp_buf_adds(b, md ? " | " : " ");
		run_figure(b, r, "records_per_s", "%.0f");
		lp_buf_adds(b, md ? " | " : " ");
		if (json_is_integer(json_object_get(r, "max_rss_kb")))
			lp_buf_addf(b, "%.1f",
			    (double)json_integer_value(
				json_object_get(r, "max_rss_kb")) /
				1024);
		else
			lp_buf_adds(b, "-");
		lp_buf_adds(b, md ? " |\n" : "\n");
	}
}

void
lp_report_text(struct lp_buf *b, json_t *m, json_t *gs)
{
	json_t *ag = json_object_get(m, "agreement"), *v;
	const char *key;

	lp_buf_addf(b, "records %lld, labelled %lld\n",
	    (long long)json_integer_value(json_object_get(m, "records")),
	    (long long)json_integer_value(json_object_get(m, "labelled")));
	lp_buf_adds(b, "completeness\n");
	json_object_foreach (json_object_get(m, "completeness"), key, v)
		text_row(b, key, v);
	lp_buf_addf(b, "agreement (%zu annotators, %lld items)\n",
	    json_array_size(json_object_get(ag, "annotators")),
	    (long long)json_integer_value(json_object_get(ag, "items")));
	lp_report_agreement_rows(b, m, text_row);
	drift_lines(b, m);
	groups_block(b, m, 0);
	run_rows(b, m, 0);
	gate_rows(b, gs, 0);
}

void
lp_report_markdown(struct lp_buf *b, json_t *m, json_t *gs)
{
	json_t *v;
	const char *key;

	lp_buf_addf(b, "# Dataset quality\n\n%lld records, %lld labelled.\n\n",
	    (long long)json_integer_value(json_object_get(m, "records")),
	    (long long)json_integer_value(json_object_get(m, "labelled")));
	lp_buf_adds(
	    b, "## Completeness\n\n| field | share |\n| --- | ---: |\n");
	json_object_foreach (json_object_get(m, "completeness"), key, v)
		md_row(b, key, v);
	lp_buf_adds(
	    b, "\n## Agreement\n\n| measure | value |\n| --- | ---: |\n");
	lp_report_agreement_rows(b, m, md_row);
	groups_block(b, m, 1);
	run_rows(b, m, 1);
	if (json_array_size(gs) == 0)
		return;
	lp_buf_adds(b,
	    "\n## Gates\n\n| metric | result | rule | value "
	    "|\n| --- | --- | --- | ---: |\n");
	gate_rows(b, gs, 1);
}

void
lp_report_alert(struct lp_buf *b, json_t *gs, int failed, const char *dataset)
{
	json_t *p;
	size_t i;

	lp_buf_addf(b, "lp-kpi: %d of %zu quality gate%s failed", failed,
	    json_array_size(gs), json_array_size(gs) == 1 ? "" : "s");
	if (dataset != NULL)
		lp_buf_addf(b, " for dataset %s", dataset);
	json_array_foreach (gs, i, p) {
		if (!json_is_false(json_object_get(p, "pass")))
			continue;
		lp_buf_addf(b, "\n• %s %s %g: ",
		    json_string_value(json_object_get(p, "metric")),
		    json_string_value(json_object_get(p, "op")),
		    json_number_value(json_object_get(p, "threshold")));
		gate_value(b, p);
	}
}

void
lp_report_stage_alert(struct lp_buf *b, const char *stage, int status,
    const char *error, const char *dataset)
{
	lp_buf_addf(b, "lp-kpi: stage %s failed with status %d", stage, status);
	if (dataset != NULL)
		lp_buf_addf(b, " for dataset %s", dataset);
	if (error != NULL && *error != '\0')
		lp_buf_addf(b, "\n• %s", error);
}
