/*
 * lp-kpi: is a dataset version good enough to ship, and why.  Reads
 * labelled and rated records (any number of files: one per annotator is
 * usual), joins the labels of each item by id, and computes volume and
 * completeness, class balance, agreement between annotators (and with the
 * LLM judge), gold accuracy and stage latency; checks quality gates.
 *
 * The metrics are liblp's (metrics/kpi.h, breakdown.h, drift.h, gate.h,
 * report.h, html.h, openlineage.h); this file reads the options, runs the
 * record loop and decides where each output goes.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/data.h"
#include "core/error.h"
#include "core/json.h"
#include "core/secret.h"
#include "core/status.h"
#include "core/stream.h"
#include "metrics/breakdown.h"
#include "metrics/drift.h"
#include "metrics/gate.h"
#include "metrics/html.h"
#include "metrics/kpi.h"
#include "metrics/openlineage.h"
#include "metrics/report.h"
#include "review/gold.h"
#include "review/taxonomy.h"
#include "tool/access.h"
#include "tool/alert.h"
#include "tool/cli.h"
#include "tool/kpi_gates.h"
#include "tool/kpi_people.h"
#include "tool/log.h"
#include "tool/run.h"

enum {
	OPT_ALERT_URL = LP_OPT_TOOL_BASE,
	OPT_APPROVE_GATES,
	OPT_BASELINE,
	OPT_BOOTSTRAP,
	OPT_BY,
	OPT_CALIBRATION,
	OPT_CALIBRATION_TOP,
	OPT_FEEDBACK,
	OPT_FIELD,
	OPT_GATES,
	OPT_GOLD_KEY,
	OPT_HTML,
	OPT_JSON,
	OPT_MARKDOWN,
	OPT_NO_GATES,
	OPT_OPENLINEAGE,
	OPT_OVER,
	OPT_ROLES,
	OPT_RUN_STATS,
	OPT_SEED,
	OPT_STAGE_FAILED,
	OPT_TAXONOMY,
	OPT_VERIFY_AUDIT
};

static const struct lp_tool tool = {"lp-kpi",
    "[-qv] [--json | --markdown] [--html file]\n"
    "       [--gates file | --no-gates] [--alert-url url] [--baseline file]\n"
    "       [--gold-key file] [--feedback dir] [--calibration file]\n"
    "       [--run-stats file] [--by key] [--over day|week] [--field path]\n"
    "       [--bootstrap n] [--seed s] [--verify-audit file]\n"
    "       [--openlineage file] [--stage-failed name:status:file]\n"
    "       [--calibration-top n] [--roles file] [file ...]\n"
    "       lp-kpi --approve-gates file --roles file --audit file",
    "Measure a labelled dataset: completeness, balance, agreement, gold "
    "accuracy,\nlatency; check quality gates.",
    "      --json              write the metrics as one JSON object (the\n"
    "                          stable, documented format)\n"
    "      --markdown          write the report as Markdown tables\n"
    "      --html=FILE         also write a self-contained HTML report with\n"
    "                          charts to FILE\n"
    "      --taxonomy=FILE     the classes' names in the HTML report\n"
    "                          (default: the shipped "
    "guidelines/taxonomy.json)\n"
    "      --gates=FILE        the quality gates to check (default: the\n"
    "                          built-in guidelines/gates.json); exit 1 if\n"
    "                          one fails\n"
    "      --no-gates          check no gates\n"
    "      --gold-key=FILE     the gold answers (lp-sample --gold-key): gold\n"
    "                          rows are scored, and left out of the rest\n"
    "      --feedback=DIR      write each annotator's own report into DIR\n"
    "      --calibration=FILE  write the hardest items with every label and\n"
    "                          note as JSON Lines (FILE.md: Markdown)\n"
    "      --calibration-top=N how many items --calibration takes (20)\n"
    "      --alert-url=URL     when a gate fails, POST a JSON alert (Slack-\n"
    "                          compatible) to URL\n"
    "      --baseline=FILE     compare with an earlier --json report: drift\n"
    "                          of distributions, agreement and gold accuracy\n"
    "      --run-stats=FILE    a tool's --stats file, for reject rates; may\n"
    "                          be repeated\n"
    "      --by=KEY            every metric also per annotator,\n"
    "                          pipeline_version, dataset_version,\n"
    "                          taxonomy_version or task_id\n"
    "      --over=day|week     every metric also per day or ISO week\n"
    "      --field=PATH        also report the class balance of PATH; may\n"
    "                          be repeated\n"
    "      --bootstrap=N       resamples for confidence intervals of kappa\n"
    "                          and alpha (default 1000, 0 for none)\n"
    "      --seed=S            the bootstrap's seed (default 1)\n"
    "      --verify-audit=FILE check the audit log's hash chain\n"
    "      --openlineage=FILE  write OpenLineage events (START, COMPLETE or\n"
    "                          FAIL) for each run in the --audit log to FILE\n"
    "      --stage-failed=NAME:STATUS:FILE\n"
    "                          a stage of the build failed: alert --alert-url\n"
    "                          with its status and FILE's first line (its\n"
    "                          stderr), measure nothing, exit 1\n"
    "      --roles=FILE        enforce the roles of FILE (or LP_ROLES): a\n"
    "                          --gates file other than the built-in one\n"
    "                          needs a gate owner's approval in the audit log\n"
    "      --approve-gates=FILE  record, as a gate owner, the approval of\n"
    "                          the gates FILE in the audit log\n",
    1,
    "{in:record} measured[, {gates_passed:gate} passed, "
    "{gates_failed} failed]"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"alert-url", required_argument, NULL, OPT_ALERT_URL},
    {"approve-gates", required_argument, NULL, OPT_APPROVE_GATES},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
    {"by", required_argument, NULL, OPT_BY},
    {"calibration", required_argument, NULL, OPT_CALIBRATION},
    {"calibration-top", required_argument, NULL, OPT_CALIBRATION_TOP},
    {"feedback", required_argument, NULL, OPT_FEEDBACK},
    {"field", required_argument, NULL, OPT_FIELD},
    {"gates", required_argument, NULL, OPT_GATES},
    {"gold-key", required_argument, NULL, OPT_GOLD_KEY},
    {"html", required_argument, NULL, OPT_HTML},
    {"json", no_argument, NULL, OPT_JSON},
    {"markdown", no_argument, NULL, OPT_MARKDOWN},
    {"no-gates", no_argument, NULL, OPT_NO_GATES},
    {"openlineage", required_argument, NULL, OPT_OPENLINEAGE},
    {"over", required_argument, NULL, OPT_OVER},
    {"roles", required_argument, NULL, OPT_ROLES},
    {"run-stats", required_argument, NULL, OPT_RUN_STATS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"stage-failed", required_argument, NULL, OPT_STAGE_FAILED},
    {"taxonomy", required_argument, NULL, OPT_TAXONOMY},
    {"verify-audit", required_argument, NULL, OPT_VERIFY_AUDIT},
    {NULL, 0, NULL, 0}};

/* What the command line asked for. */
struct kpi_opts {
	const char *gates_path, *verify, *baseline, *html_path, *alert_url,
	    *ol_path, *gold_key, *stage_failed, *roles, *approve, *feedback,
	    *calibration, *taxonomy;
	const char **run_stats, **fields;
	size_t nrun_stats, nfields;
	const char *groupings[2]; /* --by and --over, in the order given */
	int ngroupings;
	int as_json, as_md, no_gates, nboot, top, over;
	unsigned long long seed;
	struct lp_taxonomy tax; /* --taxonomy or the shipped one */
};

/* The member of the report a grouping goes in: "over" (time) or "by". */
static const char *
where(const char *name)
{
	return lp_breakdown_over_time(name) ? "over" : "by";
}

/* --by KEY or --over UNIT: checked, then added to the groupings. */
static void
grouping(struct kpi_opts *o, int ch, const char *arg)
{
	static const char *const by[] = {"annotator", "pipeline_version",
	    "dataset_version", "taxonomy_version", "task_id"},
				 *over[] = {"day", "week"};
	const char *const *ok = ch == OPT_BY ? by : over;
	size_t nok = ch == OPT_BY ? 5 : 2, j;
	int i;

	for (j = 0; j < nok && strcmp(ok[j], arg) != 0; j++)
		;
	if (j == nok)
		lp_cli_usage("invalid %s '%s' (want %s)",
		    ch == OPT_BY ? "--by" : "--over", arg,
		    ch == OPT_BY ? "annotator, pipeline_version, "
				   "dataset_version, "
				   "taxonomy_version or task_id"
				 : "day or week");
	for (i = 0; i < o->ngroupings; i++)
		if ((where(o->groupings[i])[0] == 'o') == (ch == OPT_OVER))
			lp_cli_usage("one --by and one --over at most");
	o->groupings[o->ngroupings++] = ok[j];
	o->over |= ch == OPT_OVER;
}

/* One more of a repeatable option's values. */
static void
push(const char ***v, size_t *n, const char *arg)
{
	*v = lp_xrealloc(*v, sizeof(**v) * (*n + 1));
	(*v)[(*n)++] = arg;
}

/* The options into o; returns optind. */
static int
options(struct kpi_opts *o, int argc, char **argv)
{
	int ch;

	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_ALERT_URL:
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0)
				lp_cli_usage("--alert-url wants an http:// or "
					     "https:// URL, not '%s'",
				    optarg);
			o->alert_url = optarg;
			/* Slack's scheme: the URL is the credential. */
			lp_secret_add_url(optarg, 1);
			break;
		case OPT_APPROVE_GATES:
			o->approve = optarg;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_BOOTSTRAP:
			o->nboot =
			    (int)lp_cli_int("--bootstrap", optarg, 0, 100000);
			break;
		case OPT_BY:
		case OPT_OVER:
			grouping(o, ch, optarg);
			break;
		case OPT_CALIBRATION:
			o->calibration = optarg;
			break;
		case OPT_CALIBRATION_TOP:
			o->top = (int)lp_cli_int(
			    "--calibration-top", optarg, 1, 1000000);
			break;
		case OPT_FEEDBACK:
			o->feedback = optarg;
			break;
		case OPT_FIELD:
			push(&o->fields, &o->nfields, optarg);
			break;
		case OPT_GATES:
			o->gates_path = optarg;
			break;
		case OPT_GOLD_KEY:
			o->gold_key = optarg;
			break;
		case OPT_STAGE_FAILED:
			o->stage_failed = optarg;
			break;
		case OPT_TAXONOMY:
			o->taxonomy = optarg;
			break;
		case OPT_HTML:
			o->html_path = optarg;
			break;
		case OPT_JSON:
			o->as_json = 1;
			break;
		case OPT_MARKDOWN:
			o->as_md = 1;
			break;
		case OPT_NO_GATES:
			o->no_gates = 1;
			break;
		case OPT_OPENLINEAGE:
			o->ol_path = optarg;
			break;
		case OPT_ROLES:
			o->roles = optarg;
			break;
		case OPT_RUN_STATS:
			push(&o->run_stats, &o->nrun_stats, optarg);
			break;
		case OPT_SEED:
			o->seed = (unsigned long long)lp_cli_int(
			    "--seed", optarg, 0, 2147483647);
			break;
		case OPT_VERIFY_AUDIT:
			o->verify = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	return optind;
}

/* What the options cannot be together, as usage errors. */
static void
check_usage(const struct kpi_opts *o)
{
	if (o->top > 0 && o->calibration == NULL)
		lp_cli_usage("--calibration-top needs --calibration FILE");
	if (o->as_json && o->as_md)
		lp_cli_usage("--json and --markdown: choose one");
	if (o->no_gates && (o->gates_path != NULL || o->alert_url != NULL))
		lp_cli_usage("--no-gates with --gates or --alert-url: choose");
	if ((o->ol_path != NULL || o->approve != NULL) && lp_opts.audit == NULL)
		lp_cli_usage("%s the audit log: give --audit FILE or set "
			     "LP_AUDIT_LOG",
		    o->approve ? "--approve-gates writes"
			       : "--openlineage reads");
}

/* The old flags' new home, said once each (not under -q). */
static void
say_moved(const struct kpi_opts *o)
{
	if (o->verify != NULL && lp_verbosity >= 0)
		lp_warnx("--verify-audit: use 'lp-audit verify' (this flag "
			 "stays for old scripts)");
	if (o->ol_path != NULL && lp_verbosity >= 0)
		lp_warnx("--openlineage: use 'lp-audit openlineage' (this flag "
			 "stays for old scripts)");
}

/* --verify-audit: the exit status of the check. */
static int
verify_audit(const char *path)
{
	struct lp_error err = LP_ERROR_INIT;
	const char *why = err.msg;
	unsigned long line = 0;
	int rc = lp_audit_verify(path, &line, &err);

	if (rc == LP_FATAL)
		lp_errx(LP_EXIT_IOERR, "%s", err.msg);
	if (rc != LP_OK) {
		/* "line N: why" reads as file:N: why. */
		if (strncmp(why, "line ", 5) == 0 && strstr(why, ": ") != NULL)
			why = strstr(why, ": ") + 2;
		lp_warnx("%s:%lu: %s", path, line, why);
		return LP_EXIT_FAIL;
	}
	lp_summary("%s: the hash chain holds", path);
	return LP_EXIT_OK;
}

/* --gold-key: the gold answers, given to whole; NULL without it. */
static json_t *
gold_key(const struct kpi_opts *o, struct lp_kpi *whole)
{
	struct lp_error err = LP_ERROR_INIT;
	json_t *key;
	int rc;

	if (o->gold_key == NULL)
		return NULL;
	if ((rc = lp_gold_key_load(o->gold_key, &key, &err)) != LP_OK)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    err.msg);
	lp_kpi_gold_key(whole, key);
	return key;
}

/* The reject rates of the --run-stats files into m. */
static void
rejects(const struct kpi_opts *o, struct lp_kpi *whole, json_t *m)
{
	struct lp_error err = LP_ERROR_INIT;
	size_t i;

	for (i = 0; i < o->nrun_stats; i++) {
		json_t *st = lp_cli_json_file(o->run_stats[i]);

		if (lp_kpi_add_stats(whole, st, &err) != LP_OK)
			lp_errx(LP_EXIT_DATAERR, "%s: %s", o->run_stats[i],
			    err.msg);
		json_decref(st);
	}
	if (o->nrun_stats > 0) {
		json_object_set_new(m, "rejects", lp_kpi_rejects(whole));
		json_object_set_new(m, "runs", lp_kpi_runs(whole));
	}
}

/* The metrics: the whole input, each grouping, rejects and drift. */
static json_t *
report(
    const struct kpi_opts *o, struct lp_kpi *whole, struct lp_breakdown *groups)
{
	json_t *m = lp_kpi_metrics(whole, o->nboot, o->seed), *b;
	int i;

	for (i = 0; i < o->ngroupings; i++)
		json_object_set_new(m, where(groups[i].name),
		    json_pack("{s:o}", groups[i].name,
			lp_breakdown_metrics(&groups[i], whole, o->seed)));
	rejects(o, whole, m);
	if (o->baseline != NULL) {
		b = lp_cli_json_file(o->baseline);
		if (!json_is_object(json_object_get(b, "balance")) ||
		    !json_is_integer(json_object_get(b, "records")))
			lp_errx(LP_EXIT_DATAERR,
			    "%s: not an lp-kpi --json report", o->baseline);
		json_object_set_new(m, "drift", lp_drift_report(m, b));
		json_decref(b);
	}
	return m;
}

/* The report on stdout or -o: JSON, Markdown or text. */
static void
write_report(const struct kpi_opts *o, json_t *m, json_t *gs)
{
	const char *path = lp_opts.output;
	struct lp_buf b = LP_BUF_INIT;
	FILE *out = stdout;

	if (path != NULL && (out = fopen(path, "w")) == NULL)
		lp_err(LP_EXIT_IOERR, "cannot create '%s'", path);
	if (o->as_json) {
		lp_json_dump(m, &b);
		lp_buf_addc(&b, '\n');
	} else if (o->as_md)
		lp_report_markdown(&b, m, gs);
	else
		lp_report_text(&b, m, gs);
	if (b.len > 0)
		fwrite(b.p, 1, b.len, out);
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0))
		lp_err(LP_EXIT_IOERR, "%s", path ? path : "<stdout>");
	lp_buf_release(&b);
}

/* The side outputs: the HTML page and the OpenLineage events. */
static void
write_sides(const struct kpi_opts *o, struct lp_run *run, json_t *m, json_t *gs,
    const struct lp_kpi *whole, struct lp_writer *html_w,
    struct lp_writer *ol_w)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_buf page = LP_BUF_INIT;
	struct lp_html_info info = {lp_html_time(), whole, &o->tax};
	long nruns;
	int rc;

	if (o->html_path != NULL) {
		lp_html_report(&page, m, gs, &info);
		if (lp_writer_write(html_w, page.p, page.len) != LP_OK)
			lp_errx(LP_EXIT_IOERR, "%s", html_w->err.msg);
		lp_buf_release(&page);
	}
	if (o->ol_path == NULL)
		return;
	rc = lp_openlineage_export(lp_opts.audit, run->lineage.run_id,
	    lp_opts.max_line, ol_w, &nruns, &err);
	if (rc != LP_OK)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    err.msg);
	lp_run_count(run, "openlineage_runs", nruns);
}

/*
 * The report, the gates and the side outputs of a run whose stream ended
 * well; the run's exit status.
 */
static int
finish(const struct kpi_opts *o, struct lp_access *ac, struct lp_run *run,
    struct lp_kpi *whole, struct lp_breakdown *groups, struct lp_writer *html_w,
    struct lp_writer *ol_w, struct lp_kpi_people *people)
{
	struct lp_gates gates = {NULL, NULL, NULL, 0, NULL, NULL};
	json_t *m, *none = json_array(), *g;
	size_t i;
	int status;

	m = report(o, whole, groups);
	if (!o->no_gates)
		lp_kpi_gates_check(
		    &gates, o->gates_path, o->alert_url, ac, m, run);
	write_report(o, m, o->no_gates ? none : gates.results);
	write_sides(
	    o, run, m, o->no_gates ? none : gates.results, whole, html_w, ol_w);
	lp_kpi_people_write(people, m, whole, o->seed);
	lp_run_count(run, "gates_failed", gates.failed);
	json_array_foreach (gates.results, i, g)
		lp_run_say(run, "gates_passed",
		    json_is_true(json_object_get(g, "pass")));
	status = lp_run_close(run, gates.failed ? LP_EXIT_FAIL : LP_EXIT_OK);
	json_decref(m);
	json_decref(none);
	lp_gates_release(&gates);
	return status;
}

int
main(int argc, char **argv)
{
	struct kpi_opts o = {.nboot = 1000, .seed = 1};
	struct lp_kpi_people people;
	struct lp_access ac;
	struct lp_breakdown groups[2];
	struct lp_writer html_w, ol_w;
	struct lp_record *rec;
	struct lp_kpi *whole;
	struct lp_run run;
	json_t *key;
	int i, status;

	lp_cli_init(argc, argv, &tool);
	i = options(&o, argc, argv);
	argc -= i;
	argv += i;
	check_usage(&o);
	lp_access_open(&ac, o.roles);
	if (o.approve != NULL)
		return lp_kpi_gates_approve(&ac, o.approve);
	say_moved(&o);
	if (o.stage_failed != NULL)
		return lp_alert_stage_failed(o.alert_url, o.stage_failed);
	/* Only the check, unless there are records to measure ("-"). */
	if (o.verify != NULL &&
	    ((status = verify_audit(o.verify)) != LP_EXIT_OK || argc == 0))
		return status;
	/* Before the work: a bad file fails now, not after the records. */
	lp_cli_taxonomy(&o.tax, o.taxonomy);
	lp_run_open(&run, argc, argv, "kpi");
	/*
	 * Opened now, so a bad name fails before the work, not after.  The
	 * report names annotators and shows their notes and gold answers.
	 */
	if (o.html_path != NULL)
		lp_run_side_open_private(&run, &html_w, o.html_path, 1);
	if (o.ol_path != NULL)
		lp_run_side_open(&run, &ol_w, o.ol_path);
	whole = lp_kpi_new(o.fields, o.nfields, NULL);
	if (o.html_path != NULL)
		lp_kpi_keep_evidence(whole);
	key = gold_key(&o, whole);
	lp_kpi_people_open(&people, &run, o.feedback, o.calibration,
	    o.top ? (size_t)o.top : LP_KPI_PEOPLE_TOP, key, o.over, &o.tax);
	for (i = 0; i < o.ngroupings; i++) {
		lp_breakdown_init(
		    &groups[i], o.groupings[i], o.fields, o.nfields);
		groups[i].gold_key = key;
	}
	while (lp_run_next(&run, &rec) == LP_OK) {
		lp_kpi_add(whole, rec);
		for (i = 0; i < o.ngroupings; i++)
			lp_breakdown_add(&groups[i], rec);
		lp_kpi_people_add(&people, rec);
		lp_run_drop(&run);
	}
	/* A stream that broke gives no figures: they would be wrong. */
	if (run.status != LP_EXIT_OK)
		status = lp_run_close(&run, LP_EXIT_OK);
	else
		status = finish(
		    &o, &ac, &run, whole, groups, &html_w, &ol_w, &people);
	lp_kpi_people_release(&people);
	lp_access_close(&ac);
	for (i = 0; i < o.ngroupings; i++)
		lp_breakdown_release(&groups[i]);
	lp_kpi_free(whole);
	lp_taxonomy_release(&o.tax);
	json_decref(key);
	free(o.fields);
	free(o.run_stats);
	return status;
}
