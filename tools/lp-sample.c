/*
 * lp-sample: decide what people review.  Records are selected by rules
 * (questionable, random share, random count, strata), capped, mixed with
 * hidden gold items, and routed to annotators; every selected record gets
 * sample {reason, seed[, round][, assignees]}, the rest go to --rest.
 *
 * Rules that decide a record on its own (--questionable, --random P%)
 * stream.  A count (--random N, --per-stratum N), a cap (--max) or gold
 * needs the end of the input: then the selected records are held (the
 * reservoirs hold only their N slots) and written at the end in input
 * order.  Every choice comes from --seed, so reruns are byte-identical.
 * The sampling is review/sample.h, the routing review/route.h; the map
 * from a stratum's value to its number is here, over dedup/keyset.h,
 * which the review layer may not use.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/status.h"
#include "core/error.h"
#include "core/json.h"
#include "dedup/keyset.h"
#include "review/annotator.h"
#include "review/gold.h"
#include "review/route.h"
#include "review/sample.h"
#include "text/expr.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/run.h"

enum {
	OPT_ANNOTATORS = LP_OPT_TOOL_BASE,
	OPT_DROP_IDS,
	OPT_GOLD,
	OPT_GOLD_KEY,
	OPT_GOLD_RATE,
	OPT_MAX,
	OPT_OVERLAP,
	OPT_PER_STRATUM,
	OPT_QUESTIONABLE,
	OPT_RANDOM,
	OPT_REST,
	OPT_ROUND,
	OPT_SEED,
	OPT_SPLIT,
	OPT_STRATIFY
};

static const struct lp_tool tool = {"lp-sample",
    "[-qv] [-o file] [--questionable expr] [--random p%|n]\n"
    "       [--stratify field --per-stratum n] [--max n] [--seed s]\n"
    "       [--gold file --gold-rate p% --gold-key file]\n"
    "       [--annotators a,b,... [--overlap k]]\n"
    "       [--split dir] [--round n] [--rest file] [--drop-ids file]\n"
    "       [file ...]",
    "Select records for people to review, with gold items and routing.",
    "      --questionable=EXPR select records for which EXPR holds, e.g.\n"
    "                          'rating.score <= 2 || rating.confidence < "
    "0.6'\n"
    "      --random=P%|N       a seeded random spot check: a share of the\n"
    "                          records, or exactly N (reservoir sampling)\n"
    "      --stratify=FIELD    balance classes: up to --per-stratum N\n"
    "      --per-stratum=N     records for each value of FIELD\n"
    "      --max=N             select at most N in all (a seeded choice)\n"
    "      --seed=S            the seed of every random choice (default 1)\n"
    "      --gold=FILE         gold items (full records, the answer in gold)\n"
    "      --gold-key=FILE     write the gold items' ids and answers (0600)\n"
    "                          to FILE, the only place they go\n"
    "      --gold-rate=P%      share of gold items in the output\n"
    "      --annotators=NAMES  route each item to annotators (a,b,c)\n"
    "      --overlap=K         annotators per item (default 1)\n"
    "      --split=DIR         also write DIR/NAME.jsonl.gz per annotator\n"
    "      --round=N           stamp the annotation round\n"
    "      --rest=FILE         write every record not selected to FILE\n"
    "      --drop-ids=FILE     drop the records whose id is in FILE (JSON\n"
    "                          Lines with id: a gold key); with no rule,\n"
    "                          pass every other record\n",
    0,
    "{out} of {in} selected for review ({selected_questionable} "
    "doubtful, {selected_random} spot checks[, {selected_stratum} by "
    "stratum], {gold_added} gold)"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"annotators", required_argument, NULL, OPT_ANNOTATORS},
    {"drop-ids", required_argument, NULL, OPT_DROP_IDS},
    {"gold", required_argument, NULL, OPT_GOLD},
    {"gold-key", required_argument, NULL, OPT_GOLD_KEY},
    {"gold-rate", required_argument, NULL, OPT_GOLD_RATE},
    {"max", required_argument, NULL, OPT_MAX},
    {"overlap", required_argument, NULL, OPT_OVERLAP},
    {"per-stratum", required_argument, NULL, OPT_PER_STRATUM},
    {"questionable", required_argument, NULL, OPT_QUESTIONABLE},
    {"random", required_argument, NULL, OPT_RANDOM},
    {"rest", required_argument, NULL, OPT_REST},
    {"round", required_argument, NULL, OPT_ROUND},
    {"seed", required_argument, NULL, OPT_SEED},
    {"split", required_argument, NULL, OPT_SPLIT},
    {"stratify", required_argument, NULL, OPT_STRATIFY}, {NULL, 0, NULL, 0}};

/* The whole state of a run. */
struct sampling {
	struct lp_sample s;
	struct lp_expr *questionable;
	const char *qsrc, *rsrc, *grate, *rest_path, *stratify, *gold, *split;
	const char *gold_key, *drop_path;
	json_t *drop; /* --drop-ids: the ids (review/gold.h) */
	int pass_all; /* no rule: --drop-ids alone */
	char **annot;
	int nannot, overlap;
	json_t *frame;

	struct lp_keyset strata; /* stratum value digest -> number */
	struct lp_route route;
	struct lp_writer *queues;
	struct lp_writer **qptr;
	struct lp_writer rest, key_w; /* --rest, --gold-key */
	struct lp_record scratch;
	struct lp_buf key, config;
};

/* Report a library failure that ends the run. */
static void
must(int rc, const struct lp_error *err)
{
	if (rc != LP_OK)
		lp_errx(LP_EXIT_FAIL, "%s", err->msg);
}

/* The stratum of rec: its FIELD as canonical JSON ("null" if absent). */
static size_t
stratum_of(struct sampling *sp, struct lp_record *rec)
{
	json_t *v = lp_record_get(rec, sp->stratify);
	struct lp_key128 k;
	uint32_t i;
	size_t w;

	lp_buf_reset(&sp->key);
	if (v == NULL)
		lp_buf_adds(&sp->key, "null");
	else
		lp_json_dump(v, &sp->key);
	k = lp_key128_of(sp->key.p, sp->key.len);
	if (lp_keyset_get(&sp->strata, k, &i))
		return i;
	must(lp_sample_stratum_new(&sp->s, &w), &sp->s.err);
	lp_keyset_add(&sp->strata, k, (uint32_t)w);
	return w;
}

/* Tag and write one selected record; LP_EOF to stop. */
static int
emit_pick(struct sampling *sp, struct lp_run *run, struct lp_record *rec,
    unsigned reasons)
{
	const int *who = NULL;
	int i, nq = 0;

	if (sp->nannot > 0) {
		who = lp_route_next(&sp->route);
		for (i = 0; sp->split != NULL && i < sp->overlap; i++)
			sp->qptr[nq++] = &sp->queues[who[i]];
	}
	lp_record_set(rec, "sample",
	    lp_sample_object(&sp->s, reasons, sp->annot, who, sp->overlap));
	if (reasons == LP_SAMPLE_GOLD) { /* the answer: to the key alone */
		lp_buf_reset(&sp->key);
		lp_sample_key_line(
		    &sp->s, lp_record_get_str(rec, "id"), &sp->key);
		if (lp_writer_write(&sp->key_w, sp->key.p, sp->key.len) !=
		    LP_OK)
			lp_errx(LP_EXIT_IOERR, "%s", sp->key_w.err.msg);
	}
	return lp_run_emit_also(run, rec, sp->qptr, nq);
}

/* A record no rule holds: dropped, or written to --rest. */
static int
unselected(struct sampling *sp, struct lp_run *run, struct lp_record *rec)
{
	lp_run_drop(run);
	if (sp->rest_path == NULL)
		return LP_OK;
	return lp_run_emit_to(run, rec, &sp->rest);
}

/* Deferred: hold what is selected, offer to reservoirs.  LP_EOF to stop. */
static int
take(struct sampling *sp, struct lp_run *run, struct lp_record *rec,
    unsigned reasons)
{
	size_t stratum = sp->stratify != NULL ? stratum_of(sp, rec) : 0;
	int kept, i;

	must(lp_sample_take(&sp->s, rec, reasons, stratum, &kept), &sp->s.err);
	for (i = 0; i < sp->s.ndropped; i++) {
		lp_sample_slot_record(&sp->s.dropped[i], &sp->scratch);
		unselected(sp, run, &sp->scratch);
	}
	if (kept || unselected(sp, run, rec) != LP_EOF)
		return LP_OK;
	return LP_EOF;
}

/*
 * The end of a deferred run: the union of the selections in input order,
 * the cap, the gold items at random places, then routing and output.
 */
static void
finish(struct sampling *sp, struct lp_run *run)
{
	struct lp_sample *s = &sp->s;
	unsigned reasons;
	size_t i, cut, want;
	int rc;

	lp_sample_collect(s);
	cut = lp_sample_cap(s);
	for (i = s->npicks; i < s->npicks + cut; i++) {
		lp_sample_pick_record(s, i, &sp->scratch);
		unselected(sp, run, &sp->scratch);
	}
	if (sp->gold != NULL) {
		if ((rc = lp_sample_gold_load(s, sp->gold)) != LP_OK)
			lp_errx(
			    rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR,
			    "%s", s->err.msg);
		if ((want = lp_sample_gold_choose(s)) > s->gold.n)
			lp_warnx("%s holds %zu gold items, %zu wanted for "
				 "--gold-rate: all are used",
			    sp->gold, s->gold.n, want);
		if (lp_sample_gold_check(s) != LP_OK)
			lp_errx(LP_EXIT_DATAERR, "%s", s->err.msg);
	}
	while (lp_sample_next(s, &sp->scratch, &reasons))
		if (emit_pick(sp, run, &sp->scratch, reasons) != LP_OK)
			break;
}

/* "5%" as 0.05, or -1 if s is not a percentage. */
static double
percent(const char *arg)
{
	char *end;
	double p = strtod(arg, &end);

	if (end == arg || strcmp(end, "%") != 0 || !(p >= 0 && p <= 100))
		return -1;
	return p / 100;
}

static void
parse_annotators(struct sampling *sp, const char *arg)
{
	struct lp_error err;
	int i, j;

	lp_cli_list_free(sp->annot, sp->nannot);
	sp->annot = NULL;
	sp->nannot = 0;
	lp_cli_list(arg, &sp->annot, &sp->nannot);
	for (i = 0; i < sp->nannot; i++) {
		const char *a = sp->annot[i];

		if (lp_annotator_check(a, &err) != LP_OK)
			lp_cli_usage("%s", err.msg);
		for (j = 0; j < i; j++)
			if (strcmp(sp->annot[j], a) == 0)
				lp_cli_usage("annotator '%s' named twice", a);
	}
	if (sp->nannot == 0)
		lp_cli_usage("invalid --annotators '%s' (want a,b,...)", arg);
}

static void
parse_questionable(struct sampling *sp, const char *arg)
{
	struct lp_error err;
	int col;

	sp->qsrc = arg;
	lp_expr_free(sp->questionable);
	sp->questionable = lp_expr_compile(arg, &col, &err);
	if (sp->questionable == NULL)
		lp_cli_usage("invalid --questionable at column %d: %s\n  %s\n  "
			     "%*s^",
		    col, err.msg, arg, col - 1, "");
	sp->s.questionable = sp->questionable;
}

static uint64_t
parse_seed(const char *arg)
{
	char *end;
	uint64_t seed;

	errno = 0;
	seed = strtoull(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || errno != 0 || *arg == '-')
		lp_cli_usage("invalid --seed '%s' (want a whole number)", arg);
	return seed;
}

static void
parse_options(struct sampling *sp, int argc, char **argv)
{
	struct lp_sample *s = &sp->s;
	int ch;

	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_ANNOTATORS:
			parse_annotators(sp, optarg);
			break;
		case OPT_DROP_IDS:
			sp->drop_path = optarg;
			break;
		case OPT_GOLD:
			sp->gold = optarg;
			break;
		case OPT_GOLD_KEY:
			sp->gold_key = optarg;
			break;
		case OPT_GOLD_RATE:
			sp->grate = optarg;
			s->gold_rate = percent(optarg);
			if (!(s->gold_rate > 0 && s->gold_rate < 1))
				lp_cli_usage("invalid --gold-rate '%s' (want "
					     "a share like 5%%, below 100%%)",
				    optarg);
			break;
		case OPT_MAX:
			s->max = lp_cli_int("--max", optarg, 0, 100000000);
			break;
		case OPT_OVERLAP:
			sp->overlap =
			    (int)lp_cli_int("--overlap", optarg, 1, 64);
			break;
		case OPT_PER_STRATUM:
			s->per_stratum =
			    lp_cli_int("--per-stratum", optarg, 1, 10000000);
			break;
		case OPT_QUESTIONABLE:
			parse_questionable(sp, optarg);
			break;
		case OPT_RANDOM:
			sp->rsrc = optarg;
			s->random_share = percent(optarg);
			s->random_n = -1;
			if (s->random_share < 0)
				s->random_n = lp_cli_int(
				    "--random", optarg, 0, 100000000);
			break;
		case OPT_REST:
			sp->rest_path = optarg;
			break;
		case OPT_ROUND:
			s->round = lp_cli_int("--round", optarg, 1, 1000000);
			break;
		case OPT_SEED:
			s->seed = parse_seed(optarg);
			break;
		case OPT_SPLIT:
			sp->split = optarg;
			break;
		case OPT_STRATIFY:
			sp->stratify = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
}

static void
check_options(struct sampling *sp)
{
	struct lp_sample *s = &sp->s;

	if ((sp->stratify != NULL) != (s->per_stratum > 0))
		lp_cli_usage("--stratify and --per-stratum go together");
	if ((sp->gold != NULL) != (sp->grate != NULL) ||
	    (sp->gold != NULL) != (sp->gold_key != NULL))
		lp_cli_usage("--gold, --gold-rate and --gold-key go together");
	sp->pass_all = sp->questionable == NULL && sp->rsrc == NULL &&
	    sp->stratify == NULL;
	if (sp->pass_all && sp->drop_path == NULL)
		lp_cli_usage("nothing to select: give --questionable, "
			     "--random or --stratify");
	if (sp->nannot > 0 && sp->overlap > sp->nannot)
		lp_cli_usage("--overlap %d is more than the %d annotators",
		    sp->overlap, sp->nannot);
	if (sp->split != NULL && sp->nannot == 0)
		lp_cli_usage("--split needs --annotators");
	if (sp->nannot == 0 && sp->overlap > 1)
		lp_cli_usage("--overlap needs --annotators");
}

static void
open_queues(struct sampling *sp, struct lp_run *run)
{
	struct lp_buf path = LP_BUF_INIT;
	int i;

	if (mkdir(sp->split, 0777) != 0 && errno != EEXIST)
		lp_err(LP_EXIT_IOERR, "cannot create '%s'", sp->split);
	sp->queues = lp_xmalloc(sizeof(*sp->queues) * (size_t)sp->nannot);
	for (i = 0; i < sp->nannot; i++) {
		lp_buf_reset(&path);
		lp_buf_addf(&path, "%s/%s.jsonl%s", sp->split, sp->annot[i],
		    lp_opts.plain ? "" : ".gz");
		lp_run_side_open(run, &sp->queues[i], path.p);
	}
	lp_buf_release(&path);
}

/* Whether rec's id is one --drop-ids names (then it is dropped). */
static int
dropped_id(struct sampling *sp, struct lp_run *run, struct lp_record *rec)
{
	const char *id = lp_record_get_str(rec, "id");

	if (id == NULL || json_object_get(sp->drop, id) == NULL)
		return 0;
	lp_run_drop(run);
	return 1;
}

/* The sampling frame, for the audit log and --stats. */
static json_t *
frame(const struct sampling *sp)
{
	const struct lp_sample *s = &sp->s;
	json_t *f = json_object(), *a = json_array();
	int i;

	json_object_set_new(f, "seed", json_integer((json_int_t)s->seed));
	if (sp->qsrc != NULL)
		json_object_set_new(f, "questionable", json_string(sp->qsrc));
	if (sp->rsrc != NULL)
		json_object_set_new(f, "random", json_string(sp->rsrc));
	if (sp->stratify != NULL) {
		json_object_set_new(f, "stratify", json_string(sp->stratify));
		json_object_set_new(
		    f, "per_stratum", json_integer((json_int_t)s->per_stratum));
	}
	if (s->max >= 0)
		json_object_set_new(f, "max", json_integer((json_int_t)s->max));
	if (sp->gold != NULL) {
		json_object_set_new(f, "gold", json_string(sp->gold));
		json_object_set_new(f, "gold_rate", json_string(sp->grate));
	}
	for (i = 0; i < sp->nannot; i++)
		json_array_append_new(a, json_string(sp->annot[i]));
	json_object_set_new(f, "annotators", a);
	json_object_set_new(f, "overlap", json_integer(sp->overlap));
	if (s->round > 0)
		json_object_set_new(
		    f, "round", json_integer((json_int_t)s->round));
	return f;
}

/* Set up the sample, the routing and the outputs. */
static void
open_all(struct sampling *sp, struct lp_run *run, int argc, char **argv)
{
	struct lp_error err = LP_ERROR_INIT;
	char *cfg;
	int rc;

	sp->frame = frame(sp);
	cfg = json_dumps(sp->frame, JSON_COMPACT | JSON_SORT_KEYS);
	lp_buf_adds(&sp->config, cfg);
	free(cfg);
	must(lp_sample_start(&sp->s), &sp->s.err);
	if (sp->nannot > 0) {
		lp_route_init(
		    &sp->route, sp->nannot, sp->overlap, &sp->s.r_route);
		sp->qptr = lp_xmalloc(sizeof(*sp->qptr) * (size_t)sp->overlap);
	}
	if (sp->stratify != NULL)
		lp_keyset_init(&sp->strata, 1);
	lp_record_init(&sp->scratch);
	lp_run_open(run, argc, argv, sp->config.p);
	if (sp->rest_path != NULL)
		lp_run_side_open(run, &sp->rest, sp->rest_path);
	if (sp->split != NULL)
		open_queues(sp, run);
	if (sp->drop_path != NULL &&
	    (rc = lp_gold_key_load(sp->drop_path, &sp->drop, &err)) != LP_OK)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    err.msg);
	if (sp->gold_key != NULL)
		lp_run_side_open_private(run, &sp->key_w, sp->gold_key, 1);
}

/* The sampling frame to the audit log; the counts for --stats. */
static void
report(struct sampling *sp, struct lp_run *run)
{
	const struct lp_sample *s = &sp->s;
	struct lp_buf name = LP_BUF_INIT;
	int i;

	json_object_set_new(
	    sp->frame, "in", json_integer((json_int_t)run->n_in));
	json_object_set_new(
	    sp->frame, "selected", json_integer((json_int_t)run->n_out));
	lp_run_audit(run, "sample_frame", sp->frame);
	lp_run_count(run, "selected_questionable", s->n_questionable);
	lp_run_count(run, "selected_random", s->n_random);
	if (sp->stratify != NULL) {
		lp_run_count(run, "selected_stratum", s->n_stratum);
		lp_run_count(run, "strata", (long long)s->nstrata);
	}
	if (s->max >= 0)
		lp_run_count(run, "cut_by_max", s->n_cut);
	if (sp->gold != NULL)
		lp_run_count(run, "gold_added", s->n_gold);
	for (i = 0; i < sp->nannot; i++) {
		lp_buf_reset(&name);
		lp_buf_addf(&name, "assigned_%s", sp->annot[i]);
		lp_run_count(run, name.p, sp->route.assigned[i]);
	}
	lp_buf_release(&name);
	lp_run_count(run, "seed", (long long)s->seed);
}

static void
release(struct sampling *sp)
{
	lp_sample_release(&sp->s);
	lp_expr_free(sp->questionable);
	if (sp->stratify != NULL)
		lp_keyset_release(&sp->strata);
	if (sp->nannot > 0)
		lp_route_release(&sp->route);
	lp_record_release(&sp->scratch);
	json_decref(sp->drop);
	free(sp->queues);
	free(sp->qptr);
	lp_cli_list_free(sp->annot, sp->nannot);
	lp_buf_release(&sp->key);
	lp_buf_release(&sp->config);
}

int
main(int argc, char **argv)
{
	static struct sampling sp;
	struct lp_record *rec;
	struct lp_run run;
	int status;

	lp_sample_init(&sp.s);
	sp.overlap = 1;
	lp_cli_init(argc, argv, &tool);
	parse_options(&sp, argc, argv);
	argc -= optind;
	argv += optind;
	check_options(&sp);

	open_all(&sp, &run, argc, argv);
	while (lp_run_next(&run, &rec) == LP_OK) {
		unsigned reasons;
		int rc;

		if (sp.drop_path != NULL && dropped_id(&sp, &run, rec))
			continue;
		reasons = lp_sample_reasons(&sp.s, rec);
		if (sp.pass_all) /* --drop-ids alone: a filter */
			rc = lp_run_emit(&run, rec) == LP_EOF ? LP_EOF : LP_OK;
		else if (sp.s.deferred)
			rc = take(&sp, &run, rec, reasons);
		else if (reasons)
			rc = emit_pick(&sp, &run, rec, reasons);
		else
			rc = unselected(&sp, &run, rec) == LP_EOF ? LP_EOF
								  : LP_OK;
		if (rc != LP_OK)
			break;
	}
	if (sp.s.deferred &&
	    (run.status == LP_EXIT_OK || run.status == LP_EXIT_FAIL))
		finish(&sp, &run);
	report(&sp, &run);
	status = lp_run_close(&run, LP_EXIT_OK);
	release(&sp);
	return status;
}
