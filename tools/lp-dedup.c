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
 * Anything that a duplicate can be "of" is an item: the kept records of
 * earlier versions (--seen) come first, then this run's records.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/status.h"
#include "dedup/bloom.h"
#include "tool/cli.h"
#include "core/held.h"
#include "core/json.h"
#include "dedup/keyset.h"
#include "tool/log.h"
#include "dedup/near.h"
#include "dedup/shingle.h"
#include "tool/run.h"
#include "text/text.h"

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
    0};

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

enum keep { KEEP_FIRST, KEEP_LONGEST, KEEP_CHEAPEST };

/* The Bloom filter is sized for this false positive rate. */
#define BLOOM_RATE 0.001
#define NO_ITEM UINT32_MAX

struct u32s {
	uint32_t *v;
	size_t n, cap;
};

static void
u32s_push(struct u32s *a, uint32_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		a->v = lp_xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}

/* The whole state of a run. */
static struct {
	char **fields;
	int nfields, near, mark, track;
	enum keep keep;
	long long budget;
	const char *keyspec;
	struct lp_shingling sh;

	struct lp_keyset keys; /* key digest -> item */
	struct lp_bloom bloom; /* instead, past the memory budget */
	int bloomed;
	unsigned long long bloom_from; /* keys held when it switched */
	struct lp_near nd;
	struct u32s near_item; /* near index id -> item */
	struct lp_buf names;   /* item names, NUL-terminated */
	struct u32s item_name; /* item -> offset in names */
	uint32_t nitems, nseen;

	struct lp_writer state; /* --update-seen */
	int have_state;
	unsigned long long nstate;

	struct lp_text norm;
	struct lp_buf key, name, line;
	long long exact, nearc, seen, nokey;
} d;

/*
 * The key text of rec: each field's normalised text (or canonical JSON for
 * numbers and the rest), separated by U+001F.  0 if no key field is there.
 */
static int
make_key(struct lp_record *rec, struct lp_buf *key)
{
	int i, found = 0;

	lp_buf_reset(key);
	for (i = 0; i < d.nfields; i++) {
		const char *s;
		size_t len;
		json_t *v;

		if (i > 0)
			lp_buf_addc(key, '\x1f');
		if ((s = lp_record_get_strn(rec, d.fields[i], &len)) != NULL) {
			found = 1;
			lp_text_normalize(&d.norm, s, len, LP_TEXT_FOLD, key);
			continue;
		}
		v = lp_record_get(rec, d.fields[i]);
		if (v == NULL || json_is_null(v)) {
			lp_buf_addc(key, '\x1e'); /* absent */
			continue;
		}
		found = 1;
		lp_json_dump(v, key);
	}
	return found;
}

/* Where a record can be named: its id, else file:line. */
static const char *
name_of(struct lp_record *rec)
{
	const char *id = lp_record_get_str(rec, "id");

	lp_buf_reset(&d.name);
	if (id != NULL)
		lp_buf_adds(&d.name, id);
	else
		lp_buf_addf(&d.name, "%s:%lu", rec->file, rec->line);
	return d.name.p;
}

/*
 * A new item; its name is kept only when something will show it: not once
 * exact keys are in the Bloom filter, unless the near index may name it.
 */
static uint32_t
item_new(const char *name)
{
	if (d.track && (!d.bloomed || d.near)) {
		if (d.names.len > UINT32_MAX - 4096)
			lp_errx(LP_EXIT_FAIL,
			    "too many kept ids to name for --mark or "
			    "--dropped");
		u32s_push(&d.item_name, (uint32_t)d.names.len);
		lp_buf_adds(&d.names, name);
		lp_buf_addc(&d.names, '\0');
	}
	return d.nitems++;
}

static const char *
item_name(uint32_t item)
{
	return d.track && item != NO_ITEM ? d.names.p + d.item_name.v[item]
					  : NULL;
}

/* Move every key into a Bloom filter of two thirds of the budget. */
static void
to_bloom(void)
{
	struct lp_key128 k;
	size_t pos = 0;
	struct lp_error err;

	if (lp_bloom_init(&d.bloom, (size_t)(d.budget / 3 * 2), BLOOM_RATE,
		&err) != LP_OK)
		lp_errx(LP_EXIT_FAIL, "%s", err.msg);
	while (lp_keyset_next(&d.keys, &pos, &k))
		lp_bloom_add(&d.bloom, k);
	d.bloom_from = d.keys.n;
	lp_keyset_release(&d.keys);
	d.bloomed = 1;
	if (lp_verbosity >= 0)
		lp_warnx("%llu keys fill a third of --memory %lld: keys go to "
			 "a Bloom filter of %zu MiB from now on (%llu keys at "
			 "0.1%% false positives); duplicates it finds are not "
			 "named",
		    d.bloom_from, d.budget, lp_bloom_bytes(&d.bloom) >> 20,
		    (unsigned long long)lp_bloom_capacity(&d.bloom));
}

/* 1 if k was seen, with *item (NO_ITEM when the Bloom filter says so). */
static int
key_find(struct lp_key128 k, uint32_t *item)
{
	*item = NO_ITEM;
	if (d.bloomed)
		return lp_bloom_has(&d.bloom, k);
	return lp_keyset_get(&d.keys, k, item);
}

static void
key_add(struct lp_key128 k, uint32_t item)
{
	if (!d.bloomed && d.budget > 0 && lp_keyset_full(&d.keys) &&
	    (long long)lp_keyset_bytes(&d.keys) * 2 > d.budget / 3)
		to_bloom();
	if (d.bloomed)
		lp_bloom_add(&d.bloom, k);
	else
		lp_keyset_add(&d.keys, k, item);
}

/* Remember a kept record in the new state: its name and key text. */
static void
state_put(const char *name, const char *key, size_t keylen)
{
	if (!d.have_state)
		return;
	lp_buf_reset(&d.line);
	lp_buf_adds(&d.line, "{\"of\":");
	lp_json_dump_str(name, strlen(name), &d.line);
	lp_buf_adds(&d.line, ",\"key\":");
	lp_json_dump_str(key, keylen, &d.line);
	lp_buf_adds(&d.line, "}\n");
	if (lp_writer_write(&d.state, d.line.p, d.line.len) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", d.state.err);
	d.nstate++;
}

static void
state_write_raw(const char *s, size_t n)
{
	if (lp_writer_write(&d.state, s, n) != LP_OK ||
	    lp_writer_write(&d.state, "\n", 1) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", d.state.err);
}

/*
 * Load the kept records of earlier runs: a header line naming the key,
 * one {"of","key"} line per record, and a closing {"items":N} line that
 * proves the file whole.  With --update-seen each line goes to the new
 * state as it is read.
 */
static void
load_seen(const char *path, int update)
{
	struct lp_reader r;
	struct lp_record rec;
	const char *line, *of, *key;
	char *files[1];
	size_t len, klen;
	long long closing = -1;
	int rc;

	/* The first run of a daily job starts from nothing. */
	if (update && access(path, F_OK) != 0 && errno == ENOENT)
		goto fresh;
	files[0] = (char *)path;
	if (lp_reader_open(&r, files, 1, LP_MAX_LINE_DEFAULT) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", r.err);
	lp_record_init(&rec);
	while ((rc = lp_reader_next(&r, &line, &len)) == LP_OK) {
		unsigned long no = lp_reader_lineno(&r);

		if (closing >= 0)
			lp_errx(LP_EXIT_DATAERR,
			    "%s:%lu: lines after the closing line", path, no);
		if (lp_record_parse(&rec, line, len) != LP_OK)
			lp_errx(
			    LP_EXIT_DATAERR, "%s:%lu: %s", path, no, rec.err);
		if (no == 1) {
			json_t *v = lp_record_get(&rec, "lp_dedup_state");

			key = lp_record_get_str(&rec, "key");
			if (json_integer_value(v) != 1 || key == NULL)
				lp_errx(LP_EXIT_DATAERR,
				    "%s:1: not an lp-dedup state file "
				    "(version 1)",
				    path);
			if (strcmp(key, d.keyspec) != 0)
				lp_errx(LP_EXIT_USAGE,
				    "%s holds keys of -k %s, not -k %s", path,
				    key, d.keyspec);
		} else if ((of = lp_record_get_str(&rec, "of")) != NULL &&
		    (key = lp_record_get_strn(&rec, "key", &klen)) != NULL) {
			uint32_t item = item_new(of);

			key_add(lp_key128_of(key, klen), item);
			if (d.near) {
				if (lp_near_insert(&d.nd, key, klen) != LP_OK)
					lp_errx(
					    LP_EXIT_FAIL, "%s", d.nd.err.msg);
				u32s_push(&d.near_item, item);
			}
			if (update)
				state_write_raw(line, len);
			d.nstate++;
		} else if (json_is_integer(lp_record_get(&rec, "items")))
			closing =
			    json_integer_value(lp_record_get(&rec, "items"));
		else
			lp_errx(LP_EXIT_DATAERR,
			    "%s:%lu: expected {\"of\",\"key\"} strings", path,
			    no);
		lp_record_reset(&rec);
	}
	if (rc != LP_EOF)
		lp_errx(r.ioerr ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s", r.err);
	if (closing < 0)
		lp_errx(LP_EXIT_DATAERR,
		    "%s: truncated (no closing line): not loaded", path);
	if ((unsigned long long)closing != d.nstate)
		lp_errx(LP_EXIT_DATAERR,
		    "%s: the closing line counts %lld items, the file holds "
		    "%llu",
		    path, closing, d.nstate);
	lp_record_release(&rec);
	lp_reader_close(&r);
fresh:
	d.nseen = d.nitems;
}

/* Add dup {of, similarity, method, cluster[, seen]} to rec. */
static void
set_dup(struct lp_record *rec, const char *of, double sim, const char *method,
    const char *cluster, int seen)
{
	json_t *dup = json_pack("{s:o,s:f,s:s,s:o}", "of",
	    of ? json_string(of) : json_null(), "similarity", sim, "method",
	    method, "cluster", cluster ? json_string(cluster) : json_null());

	if (seen)
		json_object_set_new(dup, "seen", json_true());
	lp_record_set(rec, "dup", dup);
}

/* Count a duplicate and mark, drop or divert it.  LP_EOF to stop. */
static int
duplicate(struct lp_run *run, struct lp_record *rec, struct lp_writer *dw,
    int near, int seen)
{
	if (near)
		d.nearc++;
	else
		d.exact++;
	d.seen += seen;
	if (d.mark)
		return lp_run_emit(run, rec);
	lp_run_drop(run);
	if (dw != NULL && lp_run_emit_to(run, rec, dw) == LP_EOF)
		return LP_EOF;
	return LP_OK;
}

/* Keep first: each record against those kept so far; output flows. */
static void
stream(struct lp_run *run, struct lp_writer *dw)
{
	struct lp_record *rec;

	while (lp_run_next(run, &rec) == LP_OK) {
		struct lp_key128 k;
		uint32_t item, id;
		double sim = 1.0;
		int near = 0, rc;

		if (!make_key(rec, &d.key)) {
			d.nokey++;
			if (lp_run_emit(run, rec) != LP_OK)
				break;
			continue;
		}
		k = lp_key128_of(d.key.p, d.key.len);
		if (!key_find(k, &item) &&
		    !(d.near &&
			(near = lp_near_find(
			     &d.nd, d.key.p, d.key.len, &id, &sim)))) {
			const char *name =
			    d.track || d.have_state ? name_of(rec) : "";

			item = item_new(name);
			key_add(k, item);
			if (d.near) {
				if (lp_near_add(&d.nd) != LP_OK)
					lp_errx(
					    LP_EXIT_FAIL, "%s", d.nd.err.msg);
				u32s_push(&d.near_item, item);
			}
			state_put(name, d.key.p, d.key.len);
			if (lp_run_emit(run, rec) != LP_OK)
				break;
			continue;
		}
		if (near)
			item = d.near_item.v[id];
		if (d.track)
			set_dup(rec, item_name(item), sim,
			    near ? "near" : "exact", item_name(item),
			    item < d.nseen);
		rc = duplicate(run, rec, dw, near, item < d.nseen);
		if (rc != LP_OK)
			break;
	}
}

/*
 * Keep longest or cheapest: every line is held; a record joins the cluster
 * of each earlier record it duplicates (union-find, the earliest member as
 * root), and the survivor is chosen once input ends.
 */
struct held {
	uint32_t parent;
	uint32_t seen; /* the earlier version's item it repeats, or NO_ITEM */
	uint8_t nokey, seen_near;
	float seen_sim;
	double score; /* lower is better */
};

static uint32_t
root_of(struct held *h, uint32_t i)
{
	while (h[i].parent != i) {
		h[i].parent = h[h[i].parent].parent; /* halving */
		i = h[i].parent;
	}
	return i;
}

static void
join(struct held *h, uint32_t a, uint32_t b)
{
	a = root_of(h, a);
	b = root_of(h, b);
	if (a < b)
		h[b].parent = a;
	else if (b < a)
		h[a].parent = b;
}

/* Lower is better: minus the code points of the key, or the price. */
static double
score_of(struct lp_record *rec)
{
	if (d.keep == KEEP_CHEAPEST) {
		json_t *p = lp_record_get(rec, "price.amount");

		return json_is_number(p) ? json_number_value(p) : HUGE_VAL;
	}
	return -(double)lp_utf8_count(d.key.p, d.key.len);
}

static void
hold(struct lp_run *run, struct lp_writer *dw)
{
	struct lp_held lines = LP_HELD_INIT;
	struct lp_buf other = LP_BUF_INIT;
	struct lp_u64s matches = {NULL, 0, 0}, sa = {NULL, 0, 0},
		       sb = {NULL, 0, 0};
	struct held *h = NULL;
	struct lp_record *rec, r1, r2;
	size_t n = 0, cap = 0;
	uint32_t i, *best;
	char *cluster = NULL;

	while (lp_run_next(run, &rec) == LP_OK) {
		struct held *x;
		struct lp_key128 k;
		uint32_t item;
		double sim;
		size_t m;

		if (n == UINT32_MAX - 1)
			lp_errx(LP_EXIT_FAIL, "too many records to hold");
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			h = lp_xrealloc(h, cap * sizeof(*h));
		}
		x = &h[n];
		x->parent = (uint32_t)n;
		x->seen = NO_ITEM;
		x->score = 0;
		if (lp_held_add(&lines, rec, NULL) != LP_OK)
			lp_errx(LP_EXIT_FAIL, "%s", lines.err.msg);
		if ((x->nokey = !make_key(rec, &d.key)) != 0) {
			n++;
			continue;
		}
		x->score = score_of(rec);
		k = lp_key128_of(d.key.p, d.key.len);
		if (key_find(k, &item)) {
			if (item < d.nseen) {
				x->seen = item;
				x->seen_sim = 1;
				x->seen_near = 0;
			} else
				join(h, (uint32_t)n, item - d.nseen);
			n++;
			continue;
		}
		key_add(k, d.nseen + (uint32_t)n);
		/*
		 * The earliest match comes first, and earlier versions'
		 * items are the earliest: if it is not one of theirs, no
		 * match is, and the record joins every cluster it matches.
		 */
		if (d.near) {
			lp_near_find_all(
			    &d.nd, d.key.p, d.key.len, &matches, &sim);
			if (matches.n > 0 &&
			    d.near_item.v[matches.v[0]] < d.nseen) {
				x->seen = d.near_item.v[matches.v[0]];
				x->seen_near = 1;
				x->seen_sim = (float)sim;
			} else {
				for (m = 0; m < matches.n; m++)
					join(h, (uint32_t)n,
					    d.near_item.v[matches.v[m]] -
						d.nseen);
				if (lp_near_add(&d.nd) != LP_OK)
					lp_errx(
					    LP_EXIT_FAIL, "%s", d.nd.err.msg);
				u32s_push(&d.near_item, d.nseen + (uint32_t)n);
			}
		}
		n++;
	}
	if (run->status != LP_EXIT_OK && run->status != LP_EXIT_FAIL)
		goto out;

	/* The survivor of each cluster: the best score, then the earliest. */
	best = lp_xmalloc((n ? n : 1) * sizeof(*best));
	for (i = 0; i < n; i++)
		best[i] = NO_ITEM;
	for (i = 0; i < n; i++) {
		uint32_t r;

		if (h[i].nokey || h[i].seen != NO_ITEM)
			continue;
		r = root_of(h, i);
		if (best[r] == NO_ITEM || h[i].score < h[best[r]].score)
			best[r] = i;
	}
	lp_record_init(&r1);
	lp_record_init(&r2);
	for (i = 0; i < n; i++) {
		uint32_t r = h[i].nokey ? i : root_of(h, i), s = best[r];
		double sim = 1.0;
		int near = 0, rc;

		lp_held_get(&lines, i, &r1);
		if (h[i].nokey) {
			d.nokey++;
			rc = lp_run_emit(run, &r1);
		} else if (h[i].seen != NO_ITEM) {
			near = h[i].seen_near;
			if (d.track)
				set_dup(&r1, item_name(h[i].seen),
				    h[i].seen_sim, near ? "near" : "exact",
				    item_name(h[i].seen), 1);
			rc = duplicate(run, &r1, dw, near, 1);
		} else if (s == i) {
			make_key(&r1, &d.key);
			state_put(name_of(&r1), d.key.p, d.key.len);
			rc = lp_run_emit(run, &r1);
		} else {
			/* Similarity to the survivor, by the same measure. */
			make_key(&r1, &d.key);
			lp_held_get(&lines, s, &r2);
			make_key(&r2, &other);
			near = d.key.len != other.len ||
			    memcmp(d.key.p, other.p, d.key.len) != 0;
			if (near) {
				lp_shingles(&d.sh, d.key.p, d.key.len, &sa);
				lp_shingles(&d.sh, other.p, other.len, &sb);
				sim = lp_jaccard(sa.v, sa.n, sb.v, sb.n);
			}
			if (d.track) {
				free(cluster);
				lp_held_get(&lines, r, &r2);
				cluster = lp_xstrdup(name_of(&r2));
				lp_held_get(&lines, s, &r2);
				set_dup(&r1, name_of(&r2), sim,
				    near ? "near" : "exact", cluster, 0);
			}
			rc = duplicate(run, &r1, dw, near, 0);
		}
		if (rc != LP_OK)
			break;
	}
	free(best);
	free(cluster);
	lp_record_release(&r1);
	lp_record_release(&r2);
out:
	lp_u64s_release(&matches);
	lp_u64s_release(&sa);
	lp_u64s_release(&sb);
	lp_buf_release(&other);
	lp_held_release(&lines);
	free(h);
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

static enum keep
parse_keep(const char *s)
{
	if (strcmp(s, "first") == 0)
		return KEEP_FIRST;
	if (strcmp(s, "longest") == 0)
		return KEEP_LONGEST;
	if (strcmp(s, "cheapest") == 0)
		return KEEP_CHEAPEST;
	lp_cli_usage(
	    "invalid --keep '%s' (want first, longest or cheapest)", s);
	return KEEP_FIRST;
}

int
main(int argc, char **argv)
{
	const char *dropped = NULL, *shspec = "chars:5", *seen = NULL;
	struct lp_buf config = LP_BUF_INIT, spec = LP_BUF_INIT;
	struct lp_writer dw;
	struct lp_error err;
	struct lp_run run;
	int ch, perms = 128, update = 0, status, i;
	double threshold = 0.8;

	lp_cli_init(argc, argv, &tool);
	while ((ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS "k:", longopts,
		    NULL)) != -1) {
		switch (ch) {
		case 'k':
			d.keyspec = optarg;
			break;
		case OPT_DROPPED:
			dropped = optarg;
			break;
		case OPT_KEEP:
			d.keep = parse_keep(optarg);
			break;
		case OPT_MARK:
			d.mark = 1;
			break;
		case OPT_MEMORY:
			if ((d.budget = lp_parse_size(optarg)) < 4096)
				lp_cli_usage("invalid --memory '%s' (want a "
					     "size of at least 4k, like 512M)",
				    optarg);
			break;
		case OPT_NEAR:
			d.near = 1;
			break;
		case OPT_PERMS:
			perms = (int)lp_cli_int("--perms", optarg, 8, 1024);
			break;
		case OPT_SEEN:
			seen = optarg;
			break;
		case OPT_SHINGLE:
			shspec = optarg;
			break;
		case OPT_THRESHOLD:
			threshold = parse_threshold(optarg);
			break;
		case OPT_UPDATE_SEEN:
			update = 1;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;

	if (d.mark && dropped != NULL)
		lp_cli_usage("--mark keeps every record: it does not go with "
			     "--dropped");
	if (update && seen == NULL)
		lp_cli_usage("--update-seen needs --seen STATE");
	if (d.budget > 0 && d.keep != KEEP_FIRST)
		lp_cli_usage("--memory bounds a streaming run: --keep %s "
			     "holds the input anyway",
		    d.keep == KEEP_LONGEST ? "longest" : "cheapest");
	if (lp_shingling_parse(&d.sh, shspec, &err) != LP_OK)
		lp_cli_usage("invalid --shingle '%s' (%s)", shspec, err.msg);
	/* The key as a canonical list: "title, price.amount" is "title,...". */
	lp_cli_list(d.keyspec != NULL ? d.keyspec
		: d.near	      ? "title"
				      : "id",
	    &d.fields, &d.nfields);
	for (i = 0; i < d.nfields; i++)
		lp_buf_addf(&spec, "%s%s", i ? "," : "", d.fields[i]);
	if (d.nfields == 0)
		lp_cli_usage(
		    "invalid --key '%s' (want field[,field...])", d.keyspec);
	d.keyspec = spec.p;
	lp_buf_addf(
	    &config, "key=%s;mark=%d;keep=%d", d.keyspec, d.mark, (int)d.keep);
	if (d.near)
		lp_buf_addf(
		    &config, ";near=%s,%g,%d", shspec, threshold, perms);
	if (d.budget > 0)
		lp_buf_addf(&config, ";memory=%lld", d.budget);

	/* Names cost memory: kept only when a dup shows them. */
	d.track = d.mark || dropped != NULL;
	lp_keyset_init(
	    &d.keys, d.track || seen != NULL || d.keep != KEEP_FIRST);
	if (d.near)
		if (lp_near_init(&d.nd, &d.sh, threshold, perms) != LP_OK)
			lp_errx(LP_EXIT_FAIL, "%s", d.nd.err.msg);
	lp_run_open(&run, argc, argv, config.p);
	if (dropped != NULL)
		lp_run_side_open(&run, &dw, dropped);
	if (update) {
		lp_run_side_open(&run, &d.state, seen);
		d.have_state = 1;
		lp_buf_reset(&d.line);
		lp_buf_adds(&d.line, "{\"lp_dedup_state\":1,\"key\":");
		lp_json_dump_str(d.keyspec, strlen(d.keyspec), &d.line);
		lp_buf_adds(&d.line, "}");
		state_write_raw(d.line.p, d.line.len);
	}
	if (seen != NULL) {
		load_seen(seen, update);
		lp_run_count(&run, "seen_items", (long long)d.nseen);
	}
	if (d.keep == KEEP_FIRST)
		stream(&run, dropped != NULL ? &dw : NULL);
	else
		hold(&run, dropped != NULL ? &dw : NULL);
	if (update) {
		lp_buf_reset(&d.line);
		lp_buf_addf(&d.line, "{\"items\":%llu}", d.nstate);
		state_write_raw(d.line.p, d.line.len);
		lp_run_count(&run, "state_items", (long long)d.nstate);
	}

	lp_run_count(&run, d.mark ? "marked_exact" : "dropped_exact", d.exact);
	if (d.near)
		lp_run_count(
		    &run, d.mark ? "marked_near" : "dropped_near", d.nearc);
	if (seen != NULL)
		lp_run_count(
		    &run, d.mark ? "marked_seen" : "dropped_seen", d.seen);
	if (d.near) {
		lp_run_count(
		    &run, "near_candidates_checked", (long long)d.nd.checked);
		lp_run_count(
		    &run, "near_index_bytes", (long long)lp_near_bytes(&d.nd));
		lp_near_release(&d.nd);
	}
	lp_run_count(&run, "no_key", d.nokey);
	if (d.bloomed) {
		double now = lp_bloom_rate_now(&d.bloom);

		lp_run_count(&run, "bloom_from_key", (long long)d.bloom_from);
		lp_run_count(&run, "bloom_keys", (long long)d.bloom.n);
		lp_run_count(
		    &run, "bloom_bytes", (long long)lp_bloom_bytes(&d.bloom));
		lp_run_count(&run, "bloom_fp_per_million",
		    (long long)llround(now * 1e6));
		if (lp_verbosity >= 0)
			lp_warnx("exact keys were held in a Bloom filter from "
				 "key %llu on: %llu keys, false positive "
				 "rate now %.2g",
			    d.bloom_from, (unsigned long long)d.bloom.n, now);
		lp_bloom_release(&d.bloom);
	} else {
		lp_run_count(&run, "distinct_keys", (long long)d.keys.n);
		lp_run_count(&run, "key_table_bytes",
		    (long long)lp_keyset_bytes(&d.keys));
	}
	status = lp_run_close(&run, LP_EXIT_OK);
	lp_keyset_release(&d.keys);
	lp_text_release(&d.norm);
	lp_buf_release(&config);
	lp_buf_release(&spec);
	lp_buf_release(&d.key);
	lp_buf_release(&d.name);
	lp_buf_release(&d.line);
	lp_buf_release(&d.names);
	free(d.item_name.v);
	free(d.near_item.v);
	lp_cli_list_free(d.fields, d.nfields);
	return status;
}
