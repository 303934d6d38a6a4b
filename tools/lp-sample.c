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
#include "review/annotator.h"
#include "tool/cli.h"
#include "text/expr.h"
#include "core/hash.h"
#include "core/held.h"
#include "core/json.h"
#include "dedup/keyset.h"
#include "tool/log.h"
#include "tool/run.h"

enum {
	OPT_ANNOTATORS = LP_OPT_TOOL_BASE,
	OPT_GOLD,
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
    "       [--gold file --gold-rate p%] [--annotators a,b,... [--overlap "
    "k]]\n"
    "       [--split dir] [--round n] [--rest file] [file ...]",
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
    "      --gold=FILE         gold items (records with the answer in gold)\n"
    "      --gold-rate=P%      share of gold items in the output\n"
    "      --annotators=NAMES  route each item to annotators (a,b,c)\n"
    "      --overlap=K         annotators per item (default 1)\n"
    "      --split=DIR         also write DIR/NAME.jsonl.gz per annotator\n"
    "      --round=N           stamp the annotation round\n"
    "      --rest=FILE         write every record not selected to FILE\n",
    0};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"annotators", required_argument, NULL, OPT_ANNOTATORS},
    {"gold", required_argument, NULL, OPT_GOLD},
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

/* Reasons, as bits, in the order they are written. */
enum { R_QUESTIONABLE = 1, R_RANDOM = 2, R_STRATUM = 4, R_GOLD = 8 };
static const char *const reason_names[] = {"questionable", "random", "stratum"};

/* One stream per purpose, so adding a rule leaves the others' draws. */
static struct lp_rng
rng_for(uint64_t seed, uint64_t purpose)
{
	struct lp_rng r = {seed * 0x2545f4914f6cdd1dULL + purpose};

	lp_rng_next(&r);
	return r;
}

/* A reservoir of N slots, each holding one record's line. */
struct slot {
	struct lp_buf line;
	const char *file;
	unsigned long lineno;
	uint64_t index;
	/* The slot of the other reservoir that took the same record. */
	struct slot *twin;
};

struct reservoir {
	struct slot *slots;
	size_t n, cap;	  /* filled, size */
	uint64_t offered; /* records offered */
};

/* A selected record, held until the end. */
struct pick {
	uint64_t index; /* input position; gold items after them all */
	unsigned reasons;
	int src;      /* 0: sel (held), 1: random slot, 2: stratum slot */
	size_t where; /* held index, or slot */
	size_t stratum;
};

static struct {
	struct lp_expr *questionable;
	double random_share; /* 0..1, or -1 */
	long long random_n;  /* or -1 */
	const char *stratify;
	long long per_stratum, max, round;
	uint64_t seed;
	const char *gold;
	double gold_rate;
	char **annot;
	int nannot, overlap;
	const char *split;
	int deferred;

	struct lp_rng r_share, r_res, r_strata, r_max, r_gold, r_route;
	struct reservoir rand;
	struct reservoir *strata;
	size_t nstrata;
	struct lp_keyset stratum_of; /* stratum key -> index */
	struct lp_held sel;	     /* selected by streaming rules */
	uint64_t *sel_index;
	unsigned *sel_reasons;
	size_t nsel_cap;

	/* Routing: the combinations of overlap annotators, in turn. */
	int *combos;
	size_t ncombos;
	uint64_t routed;
	long long *assigned;
	struct lp_writer *queues;
	struct lp_writer **qptr;

	struct lp_writer rest;
	int have_rest;
	long long n_questionable, n_random, n_stratum, n_cut, n_gold;
	struct lp_buf key;
} s;

static void
reservoir_init(struct reservoir *r, size_t cap)
{
	r->slots = calloc(cap ? cap : 1, sizeof(*r->slots));
	if (r->slots == NULL)
		lp_errx(
		    LP_EXIT_FAIL, "out of memory (a reservoir of %zu)", cap);
	r->cap = cap;
	r->n = 0;
	r->offered = 0;
}

static void
reservoir_release(struct reservoir *r)
{
	size_t i;

	for (i = 0; i < r->cap; i++)
		lp_buf_release(&r->slots[i].line);
	free(r->slots);
}

/* 1 if record index i is among the held streaming selections. */
static int
in_sel(uint64_t i)
{
	size_t lo = 0, hi = s.sel.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s.sel_index[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s.sel.n && s.sel_index[lo] == i;
}

/* The record in a slot, parsed again (it parsed when it was read). */
static void
slot_record(const struct slot *sl, struct lp_record *rec)
{
	lp_record_reset(rec);
	if (lp_record_parse(rec, sl->line.p, sl->line.len) != LP_OK)
		abort();
	rec->file = sl->file;
	rec->line = sl->lineno;
}

/* Write the record in a slot to --rest (or count it dropped). */
static void
slot_to_rest(struct lp_run *run, struct slot *sl)
{
	struct lp_record rec;

	lp_run_drop(run);
	if (!s.have_rest)
		return;
	lp_record_init(&rec);
	slot_record(sl, &rec);
	lp_run_emit_to(run, &rec, &s.rest);
	lp_record_release(&rec);
}

/* 1 if the record in sl is still selected some other way. */
static int
held_elsewhere(const struct slot *sl)
{
	return in_sel(sl->index) ||
	    (sl->twin != NULL && sl->twin->index == sl->index);
}

/*
 * Algorithm R: the k-th record offered replaces a random slot with
 * probability N/k, so every record ends in the reservoir with probability
 * N/n.  Returns the slot rec went in, or NULL (whatever it pushed out went
 * to --rest unless it is selected some other way).
 */
static struct slot *
offer(struct lp_run *run, struct reservoir *r, struct lp_rng *g,
    struct lp_record *rec, uint64_t index)
{
	struct slot *sl;
	uint64_t j;

	r->offered++;
	if (r->n < r->cap)
		sl = &r->slots[r->n++];
	else if ((j = lp_rng_below(g, r->offered)) < r->cap) {
		sl = &r->slots[j];
		if (!held_elsewhere(sl))
			slot_to_rest(run, sl);
	} else
		return NULL;
	lp_buf_reset(&sl->line);
	lp_buf_add(&sl->line, rec->text, rec->len);
	sl->file = rec->file;
	sl->lineno = rec->line;
	sl->index = index;
	sl->twin = NULL;
	return sl;
}

/* The stratum of rec: its FIELD as canonical JSON ("null" if absent). */
static struct reservoir *
stratum(struct lp_record *rec, size_t *which)
{
	json_t *v = lp_record_get(rec, s.stratify);
	struct lp_key128 k;
	uint32_t i;

	lp_buf_reset(&s.key);
	if (v == NULL)
		lp_buf_adds(&s.key, "null");
	else
		lp_json_dump(v, &s.key);
	k = lp_key128_of(s.key.p, s.key.len);
	if (!lp_keyset_get(&s.stratum_of, k, &i)) {
		i = (uint32_t)s.nstrata++;
		s.strata = lp_xrealloc(s.strata, s.nstrata * sizeof(*s.strata));
		reservoir_init(&s.strata[i], (size_t)s.per_stratum);
		lp_keyset_add(&s.stratum_of, k, i);
	}
	*which = i;
	return &s.strata[i];
}

/* Combinations of overlap annotators out of nannot, seeded order. */
static void
make_combos(void)
{
	int k = s.overlap, *c = lp_xmalloc(sizeof(*c) * (size_t)k), i;
	size_t cap = 0, j;

	for (i = 0; i < k; i++)
		c[i] = i;
	for (;;) {
		if (s.ncombos == cap) {
			cap = cap ? cap * 2 : 64;
			s.combos = lp_xrealloc(
			    s.combos, cap * (size_t)k * sizeof(*s.combos));
		}
		memcpy(s.combos + s.ncombos++ * (size_t)k, c,
		    (size_t)k * sizeof(*c));
		/* The next combination in lexicographic order. */
		for (i = k - 1; i >= 0 && c[i] == s.nannot - k + i; i--)
			;
		if (i < 0)
			break;
		c[i]++;
		for (i++; i < k; i++)
			c[i] = c[i - 1] + 1;
	}
	/* Fisher-Yates: which pairs meet first depends on the seed only. */
	for (j = s.ncombos; j > 1; j--) {
		size_t r = (size_t)lp_rng_below(&s.r_route, j);

		for (i = 0; i < k; i++) {
			int t = s.combos[(j - 1) * (size_t)k + (size_t)i];

			s.combos[(j - 1) * (size_t)k + (size_t)i] =
			    s.combos[r * (size_t)k + (size_t)i];
			s.combos[r * (size_t)k + (size_t)i] = t;
		}
	}
	free(c);
}

/* Tag and write one selected record; LP_EOF to stop. */
static int
emit_pick(struct lp_run *run, struct lp_record *rec, unsigned reasons)
{
	json_t *sample = json_object(), *why = json_array(), *who;
	int i, nq = 0;

	/*
	 * A gold item's reason reads "random", the cover any spot check
	 * has: what a reviewer may see gives nothing away.  Its marker is
	 * its answer, in "gold", which lp-label never shows.
	 */
	if (reasons & R_GOLD)
		reasons = R_RANDOM;
	for (i = 0; i < 3; i++)
		if (reasons & (1u << i))
			json_array_append_new(
			    why, json_string(reason_names[i]));
	json_object_set_new(sample, "reason", why);
	json_object_set_new(sample, "seed", json_integer((json_int_t)s.seed));
	if (s.round > 0)
		json_object_set_new(
		    sample, "round", json_integer((json_int_t)s.round));
	if (s.nannot > 0) {
		const int *c = s.combos +
		    (size_t)(s.routed++ % s.ncombos) * (size_t)s.overlap;

		who = json_array();
		for (i = 0; i < s.overlap; i++) {
			json_array_append_new(who, json_string(s.annot[c[i]]));
			s.assigned[c[i]]++;
			if (s.split != NULL)
				s.qptr[nq++] = &s.queues[c[i]];
		}
		json_object_set_new(sample, "assignees", who);
	}
	lp_record_set(rec, "sample", sample);
	return lp_run_emit_also(run, rec, s.qptr, nq);
}

static int
cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* Fetch pick p's record into rec. */
static void
pick_record(const struct pick *p, struct lp_record *rec)
{
	const struct slot *sl;

	if (p->src == 0) {
		lp_held_get(&s.sel, p->where, rec);
		return;
	}
	sl = p->src == 1 ? &s.rand.slots[p->where]
			 : &s.strata[p->stratum].slots[p->where];
	slot_record(sl, rec);
}

static void
push_pick(struct pick **v, size_t *n, size_t *cap, struct pick p)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		*v = lp_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = p;
}

/*
 * The end of a deferred run: the union of the selections in input order,
 * the cap, the gold items at random places, then routing and output.
 */
static void
finish(struct lp_run *run)
{
	struct pick *picks = NULL;
	struct lp_held gold = LP_HELD_INIT;
	struct lp_record rec;
	size_t n = 0, cap = 0, i, j, st, m;
	size_t *goldpos = NULL, ngold = 0;

	for (i = 0; i < s.sel.n; i++)
		push_pick(&picks, &n, &cap,
		    (struct pick){s.sel_index[i], s.sel_reasons[i], 0, i, 0});
	for (i = 0; i < s.rand.n; i++)
		push_pick(&picks, &n, &cap,
		    (struct pick){s.rand.slots[i].index, R_RANDOM, 1, i, 0});
	for (st = 0; st < s.nstrata; st++)
		for (i = 0; i < s.strata[st].n; i++)
			push_pick(&picks, &n, &cap,
			    (struct pick){s.strata[st].slots[i].index,
				R_STRATUM, 2, i, st});
	qsort(picks, n, sizeof(*picks), cmp_pick);
	/* One pick per record: the first source, every reason. */
	for (i = j = 0; i < n; i++) {
		if (j > 0 && picks[j - 1].index == picks[i].index) {
			picks[j - 1].reasons |= picks[i].reasons;
			continue;
		}
		picks[j++] = picks[i];
	}
	n = j;
	for (i = 0; i < n; i++) {
		s.n_questionable += (picks[i].reasons & R_QUESTIONABLE) != 0;
		s.n_random += (picks[i].reasons & R_RANDOM) != 0;
		s.n_stratum += (picks[i].reasons & R_STRATUM) != 0;
	}
	lp_record_init(&rec);
	/* The cap: a seeded choice of max, still in input order. */
	if (s.max >= 0 && n > (size_t)s.max) {
		for (i = 0; i < n; i++) {
			size_t r = i + (size_t)lp_rng_below(&s.r_max, n - i);
			struct pick t = picks[i];

			picks[i] = picks[r];
			picks[r] = t;
		}
		for (i = (size_t)s.max; i < n; i++) {
			pick_record(&picks[i], &rec);
			lp_run_drop(run);
			if (s.have_rest)
				lp_run_emit_to(run, &rec, &s.rest);
			s.n_cut++;
		}
		n = (size_t)s.max;
		qsort(picks, n, sizeof(*picks), cmp_pick);
	}
	/* Gold: rate g / (n + g); which items and where, by the seed. */
	if (s.gold != NULL) {
		struct lp_reader gr;
		const char *line;
		size_t len;
		size_t want;
		char *files[1];
		int rc;

		files[0] = (char *)s.gold;
		if (lp_reader_open(&gr, files, 1, LP_MAX_LINE_DEFAULT) != LP_OK)
			lp_errx(LP_EXIT_IOERR, "%s", gr.err);
		while ((rc = lp_reader_next(&gr, &line, &len)) == LP_OK) {
			struct lp_record g;

			lp_record_init(&g);
			if (lp_record_parse(&g, line, len) != LP_OK)
				lp_errx(LP_EXIT_DATAERR, "%s:%lu: %s", s.gold,
				    lp_reader_lineno(&gr), g.err);
			if (lp_record_get(&g, "gold") == NULL)
				lp_errx(LP_EXIT_DATAERR,
				    "%s:%lu: a gold item needs its answer in "
				    "\"gold\"",
				    s.gold, lp_reader_lineno(&gr));
			g.file = lp_reader_name(&gr);
			g.line = lp_reader_lineno(&gr);
			lp_held_add(&gold, &g);
			lp_record_release(&g);
		}
		if (rc != LP_EOF)
			lp_errx(gr.ioerr ? LP_EXIT_IOERR : LP_EXIT_DATAERR,
			    "%s", gr.err);
		want = (size_t)llround(
		    (double)n * s.gold_rate / (1.0 - s.gold_rate));
		if (want > gold.n) {
			lp_warnx("%s holds %zu gold items, %zu wanted for "
				 "--gold-rate: all are used",
			    s.gold, gold.n, want);
			want = gold.n;
		}
		ngold = want;
		/* Which: the first ngold of a seeded shuffle. */
		goldpos = lp_xmalloc((gold.n ? gold.n : 1) * sizeof(*goldpos));
		for (i = 0; i < gold.n; i++)
			goldpos[i] = i;
		for (i = 0; i < ngold; i++) {
			size_t r =
			    i + (size_t)lp_rng_below(&s.r_gold, gold.n - i);
			size_t t = goldpos[i];

			goldpos[i] = goldpos[r];
			goldpos[r] = t;
		}
		s.n_gold = (long long)ngold;
		lp_reader_close(&gr);
	}
	/*
	 * Walk the n + ngold places; each is gold with probability (gold
	 * left) / (places left): ngold places, uniformly spread.
	 */
	for (i = j = m = 0; i < n || m < ngold;) {
		int rc;

		if (m < ngold &&
		    lp_rng_below(&s.r_gold, (n - i) + (ngold - m)) <
			ngold - m) {
			lp_held_get(&gold, goldpos[m++], &rec);
			rc = emit_pick(run, &rec, R_GOLD);
		} else {
			pick_record(&picks[i++], &rec);
			rc = emit_pick(run, &rec, picks[i - 1].reasons);
		}
		if (rc != LP_OK)
			break;
	}
	lp_record_release(&rec);
	lp_held_release(&gold);
	free(goldpos);
	free(picks);
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
parse_annotators(const char *arg)
{
	struct lp_error err;
	int i, j;

	lp_cli_list_free(s.annot, s.nannot);
	s.annot = NULL;
	s.nannot = 0;
	lp_cli_list(arg, &s.annot, &s.nannot);
	for (i = 0; i < s.nannot; i++) {
		const char *a = s.annot[i];

		if (lp_annotator_check(a, &err) != LP_OK)
			lp_cli_usage("%s", err.msg);
		for (j = 0; j < i; j++)
			if (strcmp(s.annot[j], a) == 0)
				lp_cli_usage("annotator '%s' named twice", a);
	}
	if (s.nannot == 0)
		lp_cli_usage("invalid --annotators '%s' (want a,b,...)", arg);
}

static void
open_queues(struct lp_run *run)
{
	struct lp_buf path = LP_BUF_INIT;
	int i;

	if (mkdir(s.split, 0777) != 0 && errno != EEXIST)
		lp_err(LP_EXIT_IOERR, "cannot create '%s'", s.split);
	s.queues = lp_xmalloc(sizeof(*s.queues) * (size_t)s.nannot);
	for (i = 0; i < s.nannot; i++) {
		lp_buf_reset(&path);
		lp_buf_addf(&path, "%s/%s.jsonl%s", s.split, s.annot[i],
		    lp_opts.plain ? "" : ".gz");
		lp_run_side_open(run, &s.queues[i], path.p);
	}
	lp_buf_release(&path);
}

/* The sampling frame, for the audit log and --stats. */
static json_t *
frame(const char *qsrc, const char *rsrc, const char *grate)
{
	json_t *f = json_object(), *a = json_array();
	int i;

	json_object_set_new(f, "seed", json_integer((json_int_t)s.seed));
	if (qsrc != NULL)
		json_object_set_new(f, "questionable", json_string(qsrc));
	if (rsrc != NULL)
		json_object_set_new(f, "random", json_string(rsrc));
	if (s.stratify != NULL) {
		json_object_set_new(f, "stratify", json_string(s.stratify));
		json_object_set_new(
		    f, "per_stratum", json_integer((json_int_t)s.per_stratum));
	}
	if (s.max >= 0)
		json_object_set_new(f, "max", json_integer((json_int_t)s.max));
	if (s.gold != NULL) {
		json_object_set_new(f, "gold", json_string(s.gold));
		json_object_set_new(f, "gold_rate", json_string(grate));
	}
	for (i = 0; i < s.nannot; i++)
		json_array_append_new(a, json_string(s.annot[i]));
	json_object_set_new(f, "annotators", a);
	json_object_set_new(f, "overlap", json_integer(s.overlap));
	if (s.round > 0)
		json_object_set_new(
		    f, "round", json_integer((json_int_t)s.round));
	return f;
}

int
main(int argc, char **argv)
{
	const char *qsrc = NULL, *rsrc = NULL, *grate = NULL, *rest = NULL;
	struct lp_buf config = LP_BUF_INIT;
	struct lp_record *rec;
	struct lp_run run;
	json_t *fr;
	char *cfg;
	uint64_t index = 0;
	int ch, status, i;

	s.random_share = -1;
	s.random_n = -1;
	s.max = -1;
	s.seed = 1;
	s.overlap = 1;
	lp_cli_init(argc, argv, &tool);
	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		struct lp_error err;
		int col;

		switch (ch) {
		case OPT_QUESTIONABLE:
			qsrc = optarg;
			lp_expr_free(s.questionable);
			s.questionable = lp_expr_compile(optarg, &col, &err);
			if (s.questionable == NULL)
				lp_cli_usage("invalid --questionable at column "
					     "%d: %s\n  %s\n  %*s^",
				    col, err.msg, optarg, col - 1, "");
			break;
		case OPT_RANDOM:
			rsrc = optarg;
			s.random_share = percent(optarg);
			s.random_n = -1;
			if (s.random_share < 0)
				s.random_n = lp_cli_int(
				    "--random", optarg, 0, 100000000);
			break;
		case OPT_STRATIFY:
			s.stratify = optarg;
			break;
		case OPT_PER_STRATUM:
			s.per_stratum =
			    lp_cli_int("--per-stratum", optarg, 1, 10000000);
			break;
		case OPT_MAX:
			s.max = lp_cli_int("--max", optarg, 0, 100000000);
			break;
		case OPT_SEED: {
			char *end;

			errno = 0;
			s.seed = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    *optarg == '-')
				lp_cli_usage("invalid --seed '%s' (want a "
					     "whole number)",
				    optarg);
			break;
		}
		case OPT_GOLD:
			s.gold = optarg;
			break;
		case OPT_GOLD_RATE:
			grate = optarg;
			s.gold_rate = percent(optarg);
			if (!(s.gold_rate > 0 && s.gold_rate < 1))
				lp_cli_usage("invalid --gold-rate '%s' (want "
					     "a share like 5%%, below 100%%)",
				    optarg);
			break;
		case OPT_ANNOTATORS:
			parse_annotators(optarg);
			break;
		case OPT_OVERLAP:
			s.overlap = (int)lp_cli_int("--overlap", optarg, 1, 64);
			break;
		case OPT_SPLIT:
			s.split = optarg;
			break;
		case OPT_ROUND:
			s.round = lp_cli_int("--round", optarg, 1, 1000000);
			break;
		case OPT_REST:
			rest = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;

	if ((s.stratify != NULL) != (s.per_stratum > 0))
		lp_cli_usage("--stratify and --per-stratum go together");
	if ((s.gold != NULL) != (grate != NULL))
		lp_cli_usage("--gold and --gold-rate go together");
	if (s.questionable == NULL && rsrc == NULL && s.stratify == NULL)
		lp_cli_usage("nothing to select: give --questionable, "
			     "--random or --stratify");
	if (s.nannot > 0 && s.overlap > s.nannot)
		lp_cli_usage("--overlap %d is more than the %d annotators",
		    s.overlap, s.nannot);
	if (s.split != NULL && s.nannot == 0)
		lp_cli_usage("--split needs --annotators");
	if (s.nannot == 0 && s.overlap > 1)
		lp_cli_usage("--overlap needs --annotators");
	s.deferred = s.random_n >= 0 || s.stratify != NULL || s.max >= 0 ||
	    s.gold != NULL;

	fr = frame(qsrc, rsrc, grate);
	cfg = json_dumps(fr, JSON_COMPACT | JSON_SORT_KEYS);
	lp_buf_adds(&config, cfg);
	free(cfg);
	s.r_share = rng_for(s.seed, 1);
	s.r_res = rng_for(s.seed, 2);
	s.r_strata = rng_for(s.seed, 3);
	s.r_max = rng_for(s.seed, 4);
	s.r_gold = rng_for(s.seed, 5);
	s.r_route = rng_for(s.seed, 6);
	if (s.nannot > 0) {
		make_combos();
		s.assigned = calloc((size_t)s.nannot, sizeof(*s.assigned));
		s.qptr = lp_xmalloc(sizeof(*s.qptr) * (size_t)s.overlap);
	}
	if (s.random_n >= 0)
		reservoir_init(&s.rand, (size_t)s.random_n);
	if (s.stratify != NULL)
		lp_keyset_init(&s.stratum_of, 1);

	lp_run_open(&run, argc, argv, config.p);
	if (rest != NULL) {
		lp_run_side_open(&run, &s.rest, rest);
		s.have_rest = 1;
	}
	if (s.split != NULL)
		open_queues(&run);
	while (lp_run_next(&run, &rec) == LP_OK) {
		struct slot *a = NULL, *b = NULL;
		unsigned reasons = 0;
		int rc, kept = 0;

		if (s.questionable != NULL && lp_expr_eval(s.questionable, rec))
			reasons |= R_QUESTIONABLE;
		if (s.random_share >= 0 &&
		    lp_rng_unit(&s.r_share) < s.random_share)
			reasons |= R_RANDOM;
		if (!s.deferred) {
			if (reasons) {
				s.n_questionable +=
				    (reasons & R_QUESTIONABLE) != 0;
				s.n_random += (reasons & R_RANDOM) != 0;
				rc = emit_pick(&run, rec, reasons);
			} else {
				lp_run_drop(&run);
				rc = s.have_rest
				    ? lp_run_emit_to(&run, rec, &s.rest)
				    : LP_OK;
				rc = rc == LP_FAILED ? LP_OK : rc;
			}
			if (rc != LP_OK)
				break;
			index++;
			continue;
		}
		/* Deferred: hold what is selected, offer to reservoirs. */
		if (reasons) {
			if (s.sel.n == s.nsel_cap) {
				s.nsel_cap = s.nsel_cap ? s.nsel_cap * 2 : 1024;
				s.sel_index = lp_xrealloc(s.sel_index,
				    s.nsel_cap * sizeof(*s.sel_index));
				s.sel_reasons = lp_xrealloc(s.sel_reasons,
				    s.nsel_cap * sizeof(*s.sel_reasons));
			}
			s.sel_index[s.sel.n] = index;
			s.sel_reasons[s.sel.n] = reasons;
			lp_held_add(&s.sel, rec);
			kept = 1;
		}
		if (s.random_n >= 0)
			a = offer(&run, &s.rand, &s.r_res, rec, index);
		if (s.stratify != NULL) {
			size_t w;
			struct reservoir *r = stratum(rec, &w);

			b = offer(&run, r, &s.r_strata, rec, index);
		}
		if (a != NULL && b != NULL) {
			a->twin = b;
			b->twin = a;
		}
		kept |= a != NULL || b != NULL;
		if (!kept) {
			lp_run_drop(&run);
			if (s.have_rest &&
			    lp_run_emit_to(&run, rec, &s.rest) == LP_EOF)
				break;
		}
		index++;
	}
	if (s.deferred &&
	    (run.status == LP_EXIT_OK || run.status == LP_EXIT_FAIL))
		finish(&run);

	json_object_set_new(fr, "in", json_integer((json_int_t)run.n_in));
	json_object_set_new(
	    fr, "selected", json_integer((json_int_t)run.n_out));
	lp_run_audit(&run, "sample_frame", fr);
	lp_run_count(&run, "selected_questionable", s.n_questionable);
	lp_run_count(&run, "selected_random", s.n_random);
	if (s.stratify != NULL) {
		lp_run_count(&run, "selected_stratum", s.n_stratum);
		lp_run_count(&run, "strata", (long long)s.nstrata);
	}
	if (s.max >= 0)
		lp_run_count(&run, "cut_by_max", s.n_cut);
	if (s.gold != NULL)
		lp_run_count(&run, "gold_added", s.n_gold);
	for (i = 0; i < s.nannot; i++) {
		struct lp_buf name = LP_BUF_INIT;

		lp_buf_addf(&name, "assigned_%s", s.annot[i]);
		lp_run_count(&run, name.p, s.assigned[i]);
		lp_buf_release(&name);
	}
	lp_run_count(&run, "seed", (long long)s.seed);
	status = lp_run_close(&run, LP_EXIT_OK);

	lp_expr_free(s.questionable);
	if (s.random_n >= 0)
		reservoir_release(&s.rand);
	for (i = 0; (size_t)i < s.nstrata; i++)
		reservoir_release(&s.strata[i]);
	free(s.strata);
	if (s.stratify != NULL)
		lp_keyset_release(&s.stratum_of);
	lp_held_release(&s.sel);
	free(s.sel_index);
	free(s.sel_reasons);
	free(s.combos);
	free(s.assigned);
	free(s.queues);
	free(s.qptr);
	lp_cli_list_free(s.annot, s.nannot);
	lp_buf_release(&s.key);
	lp_buf_release(&config);
	return status;
}
