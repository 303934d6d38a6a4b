/*
 * lp-dedup: drop records whose key was seen before, keeping an account of
 * what went.  Keys are one or more fields, compared after liblp's text
 * normalisation (NFKC, case folding, white space), stored as 128-bit
 * digests.  The first occurrence wins and output keeps input order.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lp/lp.h"
#include "lp/cli.h"
#include "lp/json.h"
#include "lp/keyset.h"
#include "lp/log.h"
#include "lp/minhash.h"
#include "lp/run.h"
#include "lp/text.h"

enum {
	OPT_DROPPED = LP_OPT_TOOL_BASE,
	OPT_MARK,
	OPT_NEAR,
	OPT_PERMS,
	OPT_SHINGLE,
	OPT_THRESHOLD
};

static const struct lp_tool tool = {"lp-dedup",
    "[-qv] [-o file] [-k field[,field...]] [--near] [--threshold t]\n"
    "       [--shingle words:k|chars:k] [--dropped file] [--mark] [file ...]",
    "Drop exact and near-duplicate records; the first occurrence wins.",
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
    "      --dropped=FILE      write each dropped record to FILE with\n"
    "                          dup {of, similarity, method}\n"
    "      --mark              keep every record; mark duplicates with dup\n"
    "                          instead of dropping them\n"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"dropped", required_argument, NULL, OPT_DROPPED},
    {"key", required_argument, NULL, 'k'},
    {"mark", no_argument, NULL, OPT_MARK},
    {"near", no_argument, NULL, OPT_NEAR},
    {"perms", required_argument, NULL, OPT_PERMS},
    {"shingle", required_argument, NULL, OPT_SHINGLE},
    {"threshold", required_argument, NULL, OPT_THRESHOLD}, {NULL, 0, NULL, 0}};

/*
 * The key text of rec: each field's normalised text (or canonical JSON for
 * numbers and the rest), separated by U+001F.  0 if no key field is there.
 */
static int
make_key(struct lp_record *rec, char **fields, int nfields,
    struct lp_text *norm, struct lp_buf *key)
{
	int i, found = 0;

	lp_buf_reset(key);
	for (i = 0; i < nfields; i++) {
		const char *s;
		size_t len;
		json_t *v;

		if (i > 0)
			lp_buf_addc(key, '\x1f');
		if ((s = lp_record_get_strn(rec, fields[i], &len)) != NULL) {
			found = 1;
			lp_text_normalize(norm, s, len, LP_TEXT_FOLD, key);
			continue;
		}
		v = lp_record_get(rec, fields[i]);
		if (v == NULL || json_is_null(v)) {
			lp_buf_addc(key, '\x1e'); /* absent */
			continue;
		}
		found = 1;
		lp_json_dump(v, key);
	}
	return found;
}

/* Where a kept record can be named: its id, else file:line. */
static void
name_of(struct lp_record *rec, struct lp_buf *ids)
{
	const char *id = lp_record_get_str(rec, "id");

	if (id != NULL)
		lp_buf_adds(ids, id);
	else
		lp_buf_addf(ids, "%s:%lu", rec->file, rec->line);
	lp_buf_addc(ids, '\0');
}

/* Ids of kept near-index items, as offsets of their names. */
struct names {
	uint32_t *v;
	size_t n, cap;
};

static void
names_push(struct names *nm, uint32_t off)
{
	if (nm->n == nm->cap) {
		nm->cap = nm->cap ? nm->cap * 2 : 1024;
		nm->v = lp_xrealloc(nm->v, nm->cap * sizeof(*nm->v));
	}
	nm->v[nm->n++] = off;
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

int
main(int argc, char **argv)
{
	const char *keyspec = NULL, *dropped = NULL, *shspec = "chars:5";
	struct lp_buf config = LP_BUF_INIT, key = LP_BUF_INIT,
		      ids = LP_BUF_INIT;
	struct lp_text norm = {NULL, 0};
	struct names names = {NULL, 0, 0};
	struct lp_shingling sh;
	struct lp_keyset seen;
	struct lp_near nd;
	struct lp_writer dw;
	struct lp_record *rec;
	struct lp_run run;
	char **fields = NULL, *spec, *save = NULL, *f;
	int ch, nfields = 0, mark = 0, near = 0, track, perms = 128;
	int status;
	long long exact = 0, nearc = 0, nokey = 0;
	double threshold = 0.8;

	lp_cli_init(argc, argv, &tool);
	while ((ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS "k:", longopts,
		    NULL)) != -1) {
		switch (ch) {
		case 'k':
			keyspec = optarg;
			break;
		case OPT_DROPPED:
			dropped = optarg;
			break;
		case OPT_MARK:
			mark = 1;
			break;
		case OPT_NEAR:
			near = 1;
			break;
		case OPT_PERMS:
			perms = (int)lp_cli_int("--perms", optarg, 8, 1024);
			break;
		case OPT_SHINGLE:
			shspec = optarg;
			break;
		case OPT_THRESHOLD:
			threshold = parse_threshold(optarg);
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;

	if (mark && dropped != NULL)
		lp_cli_usage("--mark keeps every record: it does not go with "
			     "--dropped");
	if (lp_shingling_parse(&sh, shspec) != LP_OK)
		lp_cli_usage(
		    "invalid --shingle '%s' (want words:K or chars:K)", shspec);
	if (keyspec == NULL)
		keyspec = near ? "title" : "id";
	spec = lp_xstrdup(keyspec);
	for (f = strtok_r(spec, ",", &save); f != NULL;
	     f = strtok_r(NULL, ",", &save)) {
		fields = lp_xrealloc(
		    fields, sizeof(*fields) * (size_t)(nfields + 1));
		fields[nfields++] = f;
	}
	if (nfields == 0)
		lp_cli_usage(
		    "invalid --key '%s' (want field[,field...])", keyspec);
	lp_buf_addf(&config, "key=%s;mark=%d", keyspec, mark);
	if (near)
		lp_buf_addf(
		    &config, ";near=%s,%g,%d", shspec, threshold, perms);

	/* Naming the kept record costs memory: only when it is shown. */
	track = mark || dropped != NULL;
	lp_keyset_init(&seen, track);
	if (near)
		lp_near_init(&nd, &sh, threshold, perms);
	lp_run_open(&run, argc, argv, config.p);
	if (dropped != NULL)
		lp_run_side_open(&run, &dw, dropped);
	while (lp_run_next(&run, &rec) == LP_OK) {
		const char *method = NULL;
		struct lp_key128 k;
		uint32_t of = 0, id;
		double sim = 1.0;

		if (!make_key(rec, fields, nfields, &norm, &key)) {
			nokey++;
			if (lp_run_emit(&run, rec) != LP_OK)
				break;
			continue;
		}
		k = lp_key128_of(key.p, key.len);
		if (lp_keyset_get(&seen, k, &of)) {
			method = "exact";
			exact++;
		} else if (near &&
		    lp_near_find(&nd, key.p, key.len, &id, &sim)) {
			method = "near";
			nearc++;
			of = track ? names.v[id] : 0;
		}
		if (method == NULL) {
			if (track && ids.len > UINT32_MAX - 4096)
				lp_errx(LP_EXIT_FAIL,
				    "too many kept ids to name for "
				    "--mark or --dropped");
			lp_keyset_add(&seen, k, (uint32_t)ids.len);
			if (near) {
				lp_near_add(&nd);
				if (track)
					names_push(&names, (uint32_t)ids.len);
			}
			if (track)
				name_of(rec, &ids);
			if (lp_run_emit(&run, rec) != LP_OK)
				break;
			continue;
		}
		if (track)
			lp_record_set(rec, "dup",
			    json_pack("{s:s,s:f,s:s}", "of", ids.p + of,
				"similarity", sim, "method", method));
		if (mark) {
			if (lp_run_emit(&run, rec) != LP_OK)
				break;
			continue;
		}
		lp_run_drop(&run);
		if (dropped != NULL && lp_run_emit_to(&run, rec, &dw) == LP_EOF)
			break;
	}
	lp_run_count(&run, mark ? "marked_exact" : "dropped_exact", exact);
	if (near) {
		lp_run_count(
		    &run, mark ? "marked_near" : "dropped_near", nearc);
		lp_run_count(
		    &run, "near_candidates_checked", (long long)nd.checked);
		lp_run_count(
		    &run, "near_index_bytes", (long long)lp_near_bytes(&nd));
		lp_near_release(&nd);
	}
	lp_run_count(&run, "no_key", nokey);
	lp_run_count(&run, "distinct_keys", (long long)seen.n);
	lp_run_count(
	    &run, "key_table_bytes", (long long)lp_keyset_bytes(&seen));
	status = lp_run_close(&run, LP_EXIT_OK);
	lp_keyset_release(&seen);
	lp_text_release(&norm);
	lp_buf_release(&config);
	lp_buf_release(&key);
	lp_buf_release(&ids);
	free(names.v);
	free(fields);
	free(spec);
	return status;
}
