/*
 * lp-dedup: drop records whose key was seen before, exactly or nearly,
 * keeping an account of what went.
 *
 * Keys are one or more fields, compared after liblp's text normalisation
 * (NFKC, case folding, white space) and stored as 128-bit digests.  Near
 * duplicates are found through MinHash and LSH and verified by their true
 * Jaccard similarity.  Two ways to run:
 *
 *   streaming (--keep first): each record is compared with those kept so
 *     far; the first of a kind wins and output flows as input arrives;
 *   holding (--keep longest|cheapest): the survivor of a cluster is known
 *     only at the end, so every line is held, clusters are joined by
 *     union-find, and output is written in input order once input ends.
 *
 * Anything that a duplicate can be "of" is an item (dedup/kept.h): the
 * kept records of earlier versions (--seen) come first, then this run's
 * records.  The key text is dedup/keytext.h, the clusters and the keep
 * rule dedup/cluster.h, the state file dedup/statefile.h.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/status.h"
#include "core/held.h"
#include "dedup/cluster.h"
#include "dedup/dup.h"
#include "dedup/kept.h"
#include "dedup/keytext.h"
#include "dedup/shingle.h"
#include "dedup/statefile.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/run.h"

enum {
	OPT_DROPPED = LP_OPT_TOOL_BASE,
	OPT_KEEP,
	OPT_MARK,
	OPT_MEMORY,
	OPT_NEAR,
	OPT_PERMS,
	OPT_SEEN,
	OPT_SHINGLE,
	OPT_THRESHOLD,
	OPT_UPDATE_SEEN
};

static const struct lp_tool tool = {"lp-dedup",
    "[-qv] [-o file] [-k field[,field...]] [--near] [--threshold t]\n"
    "       [--shingle words:k|chars:k] [--keep first|longest|cheapest]\n"
    "       [--dropped file] [--mark] [--seen state [--update-seen]]\n"
    "       [--memory size] [file ...]",
    "Drop exact and near-duplicate records, accounting for each.",
    "  -k, --key=FIELDS        fields that make the key, comma-separated\n"
    "                          dotted paths (default id, or title with\n"
    "                          --near); text is compared after\n"
    "                          normalisation (NFKC, case, spaces)\n"
    "      --near              also drop near duplicates (MinHash + LSH,\n"
    "                          verified by true Jaccard similarity)\n"
    "      --threshold=T       Jaccard similarity that makes a near\n"
    "                          duplicate (default 0.8)\n"
    "      --shingle=SPEC      words:K or chars:K (default chars:5)\n"
    "      --perms=N           MinHash permutations (default 128)\n"
    "      --keep=RULE         which record of a cluster survives: first\n"
    "                          (default; streams), longest (key text) or\n"
    "                          cheapest (price.amount); the last two hold\n"
    "                          the input until it ends\n"
    "      --dropped=FILE      write each dropped record to FILE with\n"
    "                          dup {of, similarity, method, cluster}\n"
    "      --mark              keep every record; mark duplicates with dup\n"
    "                          instead of dropping them\n"
    "      --seen=STATE        drop what earlier runs kept (a state file)\n"
    "      --update-seen       write STATE anew with this run's kept\n"
    "                          records added (atomically, on success)\n"
    "      --memory=SIZE       bound the exact-key set (e.g. 512M); past a\n"
    "                          third of it keys go to a Bloom filter with\n"
    "                          0.1% false positives\n",
    0,
    "kept {out}, dropped {dropped_exact} exact and {dropped_near} near "
    "duplicates[ and {dropped_seen} seen before][; marked {marked_exact} "
    "exact, {marked_near} near and {marked_seen} seen before]"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"dropped", required_argument, NULL, OPT_DROPPED},
    {"keep", required_argument, NULL, OPT_KEEP},
    {"key", required_argument, NULL, 'k'},
    {"mark", no_argument, NULL, OPT_MARK},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"near", no_argument, NULL, OPT_NEAR},
    {"perms", required_argument, NULL, OPT_PERMS},
    {"seen", required_argument, NULL, OPT_SEEN},
    {"shingle", required_argument, NULL, OPT_SHINGLE},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"update-seen", no_argument, NULL, OPT_UPDATE_SEEN}, {NULL, 0, NULL, 0}};

/* The whole state of a run. */
struct dedup {
	/* Options. */
	char **fields;
	int nfields, near, mark, track, update, perms;
	enum lp_keep keep;
	long long budget;
	double threshold;
	const char *keyspec, *shspec, *dropped, *seen;
	struct lp_shingling sh;

	struct lp_keytext kt;
	struct lp_kept kept;
	struct lp_writer dw;	/* --dropped */
	struct lp_writer state; /* --update-seen */
	int have_state, bloom_said;
	unsigned long long nstate;

	struct lp_buf key, other, name, cname, line, spec, config;
	struct lp_u64s sa, sb;
	struct lp_held lines; /* --keep longest|cheapest */
	struct lp_cluster cl;
	long long exact, nearc, seen_n, nokey;
};

/* Report a library failure that ends the run. */
static void
must(int rc, const struct lp_error *err)
{
	if (rc != LP_OK)
		lp_errx(LP_EXIT_FAIL, "%s", err->msg);
}

/* Say once that the exact keys moved to a Bloom filter. */
static void
note_bloom(struct dedup *dd)
{
	struct lp_kept *kp = &dd->kept;

	if (!kp->bloomed || dd->bloom_said++ > 0 || lp_verbosity < 0)
		return;
	lp_warnx("%llu keys fill a third of --memory %lld: keys go to a Bloom "
		 "filter of %zu MiB from now on (%llu keys at 0.1%% false "
		 "positives); duplicates it finds are not named",
	    kp->bloom_from, kp->budget, lp_bloom_bytes(&kp->bloom) >> 20,
	    (unsigned long long)lp_bloom_capacity(&kp->bloom));
}

/* A line (s[0..n) and, unless it ends in one, a newline) to the state. */
static void
state_write_raw(struct dedup *dd, const char *s, size_t n)
{
	if (lp_writer_write(&dd->state, s, n) != LP_OK ||
	    ((n == 0 || s[n - 1] != '\n') &&
		lp_writer_write(&dd->state, "\n", 1) != LP_OK))
		lp_errx(LP_EXIT_IOERR, "%s", dd->state.err.msg);
}

/* Remember a kept record in the new state: its name and key text. */
static void
state_put(struct dedup *dd, const char *name, const char *key, size_t keylen)
{
	if (!dd->have_state)
		return;
	lp_statefile_item(&dd->line, name, key, keylen);
	state_write_raw(dd, dd->line.p, dd->line.len);
	dd->nstate++;
}

/*
 * Load the kept records of earlier runs as the first items.  With
 * --update-seen each line goes to the new state as it is read.
 */
static void
load_seen(struct dedup *dd)
{
	struct lp_statefile sf;
	const char *line, *of, *key;
	size_t len, klen;
	int rc;

	/* The first run of a daily job starts from nothing. */
	if (dd->update && access(dd->seen, F_OK) != 0 && errno == ENOENT)
		goto fresh;
	if ((rc = lp_statefile_open(&sf, dd->seen)) == LP_OK &&
	    sf.key != NULL && strcmp(sf.key, dd->keyspec) != 0)
		lp_errx(LP_EXIT_USAGE, "%s holds keys of -k %s, not -k %s",
		    dd->seen, sf.key, dd->keyspec);
	while (rc == LP_OK &&
	    (rc = lp_statefile_next(&sf, &of, &key, &klen, &line, &len)) ==
		LP_OK) {
		must(lp_kept_add(
			 &dd->kept, of, lp_key128_of(key, klen), key, klen),
		    &dd->kept.err);
		note_bloom(dd);
		if (dd->update)
			state_write_raw(dd, line, len);
		dd->nstate++;
	}
	if (rc != LP_EOF)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    sf.err.msg);
	lp_statefile_close(&sf);
fresh:
	lp_kept_mark_seen(&dd->kept);
}

/* Count a duplicate and mark, drop or divert it.  LP_EOF to stop. */
static int
duplicate(struct dedup *dd, struct lp_run *run, struct lp_record *rec, int near,
    int seen)
{
	if (near)
		dd->nearc++;
	else
		dd->exact++;
	dd->seen_n += seen;
	if (dd->mark)
		return lp_run_emit(run, rec);
	lp_run_drop(run);
	if (dd->dropped != NULL && lp_run_emit_to(run, rec, &dd->dw) == LP_EOF)
		return LP_EOF;
	return LP_OK;
}

/* A record that repeats no kept one: keep it.  LP_EOF to stop. */
static int
keep_new(struct dedup *dd, struct lp_run *run, struct lp_record *rec,
    struct lp_key128 k)
{
	const char *name =
	    dd->track || dd->have_state ? lp_kept_name_of(rec, &dd->name) : "";

	must(lp_kept_add(&dd->kept, name, k, NULL, 0), &dd->kept.err);
	note_bloom(dd);
	state_put(dd, name, dd->key.p, dd->key.len);
	return lp_run_emit(run, rec);
}

/* Keep first: each record against those kept so far; output flows. */
static void
stream(struct dedup *dd, struct lp_run *run)
{
	struct lp_kept *kp = &dd->kept;
	struct lp_record *rec;

	while (lp_run_next(run, &rec) == LP_OK) {
		struct lp_key128 k;
		uint32_t item;
		double sim = 1.0;
		int near = 0, rc;

		if (!lp_keytext_make(&dd->kt, rec, &dd->key)) {
			dd->nokey++;
			if (lp_run_emit(run, rec) != LP_OK)
				break;
			continue;
		}
		k = lp_key128_of(dd->key.p, dd->key.len);
		if (!lp_kept_key_find(kp, k, &item) &&
		    !(dd->near &&
			(near = lp_kept_near_find(
			     kp, dd->key.p, dd->key.len, &item, &sim)))) {
			if (keep_new(dd, run, rec, k) != LP_OK)
				break;
			continue;
		}
		if (dd->track)
			lp_kept_dup_set(kp, rec, item, sim, near);
		rc = duplicate(dd, run, rec, near, item < kp->nseen);
		if (rc != LP_OK)
			break;
	}
}

/*
 * A held record that did not survive its cluster: dup names the survivor
 * and the cluster's first record, with the similarity to the survivor by
 * the same measure.  r1 holds the record; r2 is scratch.
 */
static int
hold_dup(struct dedup *dd, struct lp_run *run, uint32_t i, struct lp_record *r1,
    struct lp_record *r2)
{
	struct lp_held *lines = &dd->lines;
	uint32_t s = lp_cluster_survivor(&dd->cl, i);
	double sim;
	int near;

	lp_keytext_make(&dd->kt, r1, &dd->key);
	lp_held_get(lines, s, r2);
	lp_keytext_make(&dd->kt, r2, &dd->other);
	near = dd->key.len != dd->other.len ||
	    memcmp(dd->key.p, dd->other.p, dd->key.len) != 0;
	sim = lp_shingle_similarity(&dd->sh, dd->key.p, dd->key.len,
	    dd->other.p, dd->other.len, &dd->sa, &dd->sb);
	if (dd->track) {
		lp_held_get(lines, lp_cluster_root(&dd->cl, i), r2);
		lp_kept_name_of(r2, &dd->cname);
		lp_held_get(lines, s, r2);
		lp_dup_set(r1, lp_kept_name_of(r2, &dd->name), sim, near,
		    dd->cname.p, 0);
	}
	return duplicate(dd, run, r1, near, 0);
}

/* Keep longest or cheapest, once input ends: the output, in input order. */
static void
hold_write(struct dedup *dd, struct lp_run *run)
{
	struct lp_cluster *cl = &dd->cl;
	struct lp_record r1, r2;
	uint32_t i;

	lp_cluster_choose(cl);
	lp_record_init(&r1);
	lp_record_init(&r2);
	for (i = 0; i < cl->n; i++) {
		const struct lp_cluster_member *x = &cl->m[i];
		int rc;

		lp_held_get(&dd->lines, i, &r1);
		if (x->nokey) {
			dd->nokey++;
			rc = lp_run_emit(run, &r1);
		} else if (x->seen != LP_NO_ITEM) {
			if (dd->track)
				lp_kept_dup_set(&dd->kept, &r1, x->seen,
				    x->seen_sim, x->seen_near);
			rc = duplicate(dd, run, &r1, x->seen_near, 1);
		} else if (lp_cluster_survivor(cl, i) == i) {
			lp_keytext_make(&dd->kt, &r1, &dd->key);
			state_put(dd, lp_kept_name_of(&r1, &dd->name),
			    dd->key.p, dd->key.len);
			rc = lp_run_emit(run, &r1);
		} else
			rc = hold_dup(dd, run, i, &r1, &r2);
		if (rc != LP_OK)
			break;
	}
	lp_record_release(&r1);
	lp_record_release(&r2);
}

/*
 * Keep longest or cheapest: every line is held; a record joins the cluster
 * of each earlier record it duplicates, and the survivors are chosen and
 * the output written once input ends.
 */
static void
hold(struct dedup *dd, struct lp_run *run)
{
	struct lp_cluster *cl = &dd->cl;
	struct lp_record *rec;

	while (lp_run_next(run, &rec) == LP_OK) {
		int rc;

		must(lp_held_add(&dd->lines, rec, NULL), &dd->lines.err);
		if (lp_keytext_make(&dd->kt, rec, &dd->key))
			rc = lp_cluster_add_key(cl, &dd->kept, dd->key.p,
			    dd->key.len,
			    lp_keep_score(
				dd->keep, rec, dd->key.p, dd->key.len));
		else
			rc = lp_cluster_add(cl, 0, 1) != NULL ? LP_OK
							      : LP_FAILED;
		must(rc, &cl->err);
	}
	if (run->status == LP_EXIT_OK || run->status == LP_EXIT_FAIL)
		hold_write(dd, run);
}

static double
parse_threshold(const char *s)
{
	char *end;
	double t = strtod(s, &end);

	if (*end != '\0' || !(t > 0 && t <= 1))
		lp_cli_usage("invalid --threshold '%s' (want a number in "
			     "(0, 1])",
		    s);
	return t;
}

static void
parse_options(struct dedup *dd, int argc, char **argv)
{
	struct lp_error err;
	int ch;

	while ((ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS "k:", longopts,
		    NULL)) != -1) {
		switch (ch) {
		case 'k':
			dd->keyspec = optarg;
			break;
		case OPT_DROPPED:
			dd->dropped = optarg;
			break;
		case OPT_KEEP:
			if (lp_keep_parse(optarg, &dd->keep, &err) != LP_OK)
				lp_cli_usage("invalid --keep '%s' (%s)", optarg,
				    err.msg);
			break;
		case OPT_MARK:
			dd->mark = 1;
			break;
		case OPT_MEMORY:
			dd->budget =
			    lp_cli_size("--memory", optarg, 4096, "512M");
			break;
		case OPT_NEAR:
			dd->near = 1;
			break;
		case OPT_PERMS:
			dd->perms = (int)lp_cli_int("--perms", optarg, 8, 1024);
			break;
		case OPT_SEEN:
			dd->seen = optarg;
			break;
		case OPT_SHINGLE:
			dd->shspec = optarg;
			break;
		case OPT_THRESHOLD:
			dd->threshold = parse_threshold(optarg);
			break;
		case OPT_UPDATE_SEEN:
			dd->update = 1;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
}

/* The combination checks, the canonical key list and the config digest. */
static void
check_options(struct dedup *dd)
{
	struct lp_error err;
	int i;

	if (dd->mark && dd->dropped != NULL)
		lp_cli_usage("--mark keeps every record: it does not go with "
			     "--dropped");
	if (dd->update && dd->seen == NULL)
		lp_cli_usage("--update-seen needs --seen STATE");
	if (dd->budget > 0 && dd->keep != LP_KEEP_FIRST)
		lp_cli_usage("--memory bounds a streaming run: --keep %s "
			     "holds the input anyway",
		    lp_keep_name(dd->keep));
	if (lp_shingling_parse(&dd->sh, dd->shspec, &err) != LP_OK)
		lp_cli_usage(
		    "invalid --shingle '%s' (%s)", dd->shspec, err.msg);
	/* The key as a canonical list: "title, price.amount" is "title,...". */
	lp_cli_list(dd->keyspec != NULL ? dd->keyspec
		: dd->near		? "title"
					: "id",
	    &dd->fields, &dd->nfields);
	for (i = 0; i < dd->nfields; i++)
		lp_buf_addf(&dd->spec, "%s%s", i ? "," : "", dd->fields[i]);
	if (dd->nfields == 0)
		lp_cli_usage(
		    "invalid --key '%s' (want field[,field...])", dd->keyspec);
	dd->keyspec = dd->spec.p;
	lp_buf_addf(&dd->config, "key=%s;mark=%d;keep=%d", dd->keyspec,
	    dd->mark, (int)dd->keep);
	if (dd->near)
		lp_buf_addf(&dd->config, ";near=%s,%g,%d", dd->shspec,
		    dd->threshold, dd->perms);
	if (dd->budget > 0)
		lp_buf_addf(&dd->config, ";memory=%lld", dd->budget);
}

/* Open the side outputs and load the state of earlier runs. */
static void
open_all(struct dedup *dd, struct lp_run *run)
{
	if (dd->dropped != NULL)
		lp_run_side_open(run, &dd->dw, dd->dropped);
	if (dd->update) {
		lp_run_side_open(run, &dd->state, dd->seen);
		dd->have_state = 1;
		lp_statefile_header(&dd->line, dd->keyspec);
		state_write_raw(dd, dd->line.p, dd->line.len);
	}
	if (dd->seen != NULL) {
		load_seen(dd);
		lp_run_count(run, "seen_items", (long long)dd->kept.nseen);
	}
}

/* The counts for --stats and the summary. */
static void
report(struct dedup *dd, struct lp_run *run)
{
	struct lp_kept *kp = &dd->kept;

	lp_run_count(
	    run, dd->mark ? "marked_exact" : "dropped_exact", dd->exact);
	if (dd->near)
		lp_run_count(
		    run, dd->mark ? "marked_near" : "dropped_near", dd->nearc);
	if (dd->seen != NULL)
		lp_run_count(
		    run, dd->mark ? "marked_seen" : "dropped_seen", dd->seen_n);
	if (dd->near) {
		lp_run_count(
		    run, "near_candidates_checked", (long long)kp->nd.checked);
		lp_run_count(run, "near_candidates_verified",
		    (long long)kp->nd.verified);
		lp_run_count(
		    run, "near_index_bytes", (long long)lp_near_bytes(&kp->nd));
	}
	lp_run_count(run, "no_key", dd->nokey);
	if (kp->bloomed) {
		double now = lp_bloom_rate_now(&kp->bloom);

		lp_run_count(run, "bloom_from_key", (long long)kp->bloom_from);
		lp_run_count(run, "bloom_keys", (long long)kp->bloom.n);
		lp_run_count(
		    run, "bloom_bytes", (long long)lp_bloom_bytes(&kp->bloom));
		lp_run_count(
		    run, "bloom_fp_per_million", (long long)llround(now * 1e6));
		if (lp_verbosity >= 0)
			lp_warnx("exact keys were held in a Bloom filter from "
				 "key %llu on: %llu keys, false positive "
				 "rate now %.2g",
			    kp->bloom_from, (unsigned long long)kp->bloom.n,
			    now);
	} else {
		lp_run_count(run, "distinct_keys", (long long)kp->keys.n);
		lp_run_count(run, "key_table_bytes",
		    (long long)lp_keyset_bytes(&kp->keys));
	}
}

static void
release(struct dedup *dd)
{
	lp_kept_release(&dd->kept);
	lp_cluster_release(&dd->cl);
	lp_held_release(&dd->lines);
	lp_keytext_release(&dd->kt);
	lp_buf_release(&dd->config);
	lp_buf_release(&dd->spec);
	lp_buf_release(&dd->key);
	lp_buf_release(&dd->other);
	lp_buf_release(&dd->name);
	lp_buf_release(&dd->cname);
	lp_buf_release(&dd->line);
	lp_u64s_release(&dd->sa);
	lp_u64s_release(&dd->sb);
	lp_cli_list_free(dd->fields, dd->nfields);
}

int
main(int argc, char **argv)
{
	static struct dedup dd;
	struct lp_run run;
	int status;

	dd.shspec = "chars:5";
	dd.perms = 128;
	dd.threshold = 0.8;
	lp_cli_init(argc, argv, &tool);
	parse_options(&dd, argc, argv);
	argc -= optind;
	argv += optind;
	check_options(&dd);

	/* Names cost memory: kept only when a dup shows them. */
	dd.track = dd.mark || dd.dropped != NULL;
	lp_kept_init(&dd.kept, dd.track,
	    dd.track || dd.seen != NULL || dd.keep != LP_KEEP_FIRST, dd.budget);
	if (dd.near)
		must(
		    lp_kept_near_init(&dd.kept, &dd.sh, dd.threshold, dd.perms),
		    &dd.kept.err);
	lp_keytext_init(&dd.kt, dd.fields, dd.nfields);
	lp_run_open(&run, argc, argv, dd.config.p);
	open_all(&dd, &run);
	if (dd.keep == LP_KEEP_FIRST)
		stream(&dd, &run);
	else
		hold(&dd, &run);
	if (dd.update) {
		lp_statefile_closing(&dd.line, dd.nstate);
		state_write_raw(&dd, dd.line.p, dd.line.len);
		lp_run_count(&run, "state_items", (long long)dd.nstate);
	}
	report(&dd, &run);
	status = lp_run_close(&run, LP_EXIT_OK);
	release(&dd);
	return status;
}
