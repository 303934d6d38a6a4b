/*
 * lp-clean: make listing records consistent and comparable without losing
 * their originals.
 *
 * The cleaning itself is lib/text/clean: each text field named by
 * --fields normalised, rules and units applied, personal data redacted,
 * case folded; prices parsed, conditions mapped, chosen fields
 * pseudonymised, the record checked against a schema, originals kept in
 * raw.<field> with personal data redacted there too.  This file reads the
 * options and the pseudonym key, sets the cleaner up and runs the record
 * loop.  With --llm a model helps with the titles the rules doubt (or all
 * of them), its answers guarded: tool/llm_clean and lib/llm/cleaner.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/data.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/hmac.h"
#include "core/status.h"
#include "text/clean.h"
#include "text/schema.h"
#include "tool/cli.h"
#include "tool/lanes.h"
#include "tool/llm_clean.h"
#include "tool/log.h"
#include "tool/run.h"

enum {
	OPT_CASE = LP_OPT_TOOL_BASE,
	OPT_FIELDS,
	OPT_FLUFF,
	OPT_KEEP_PII,
	OPT_KEEP_SELLERS,
	OPT_NO_SCHEMA,
	OPT_PII_ORIGINALS,
	OPT_PSEUDONYM_KEY_FILE,
	OPT_PSEUDONYMIZE,
	OPT_REPAIR_UTF8,
	OPT_SCHEMA,
	OPT_THREADS
};

static const struct lp_tool tool = {"lp-clean",
    "[-qv] [-o file] [--fields f,...] [--case lower|keep]\n"
    "       [--fluff file] [--keep-pii] [--pii-originals file]\n"
    "       [--pseudonym-key-file file | --keep-sellers]\n"
    "       [--pseudonymize field] [--repair-utf8]\n"
    "       [--schema file | --no-schema] [--threads n] [file ...]",
    "Normalise listing text, units, prices and conditions; check the "
    "schema.",
    "      --fields=FIELDS     text fields to clean, comma-separated\n"
    "                          (default title)\n"
    "      --case=CASE         lower (default) or keep\n"
    "      --fluff=FILE        more cleaning rules (remove, expand, runs,\n"
    "                          condition lines), after the built-in ones\n"
    "      --keep-pii          leave e-mail addresses and phone numbers\n"
    "      --pii-originals=FILE  write what was redacted (id, field, span,\n"
    "                          original) to FILE, created 0600\n"
    "      --pseudonym-key-file=FILE  the key of the pseudonyms (a file of\n"
    "                          mode 0600; else LP_PSEUDONYM_KEY_FILE or\n"
    "                          LP_PSEUDONYM_KEY)\n"
    "      --keep-sellers      leave seller as it is (no pseudonym, no key)\n"
    "      --pseudonymize=FIELD  pseudonymise FIELD too (seller always,\n"
    "                          unless --keep-sellers); may be repeated\n"
    "      --repair-utf8       replace ill-formed UTF-8 with U+FFFD instead\n"
    "                          of treating the line as bad input\n"
    "      --schema=FILE       check records against FILE (a JSON Schema\n"
    "                          subset) instead of the built-in one\n"
    "      --no-schema         check no schema\n"
    "      --threads=N         clean on N threads, output in input order\n"
    "                          (default: the processors, at most 4)\n"
    "\nLLM options:\n" LP_LLM_CLEAN_HELP,
    0,
    "{out:record} cleaned[, {emails_redacted:email} and "
    "{phones_redacted:phone number} redacted]"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    LP_LLM_CLEAN_LONGOPTS, {"case", required_argument, NULL, OPT_CASE},
    {"fields", required_argument, NULL, OPT_FIELDS},
    {"fluff", required_argument, NULL, OPT_FLUFF},
    {"keep-pii", no_argument, NULL, OPT_KEEP_PII},
    {"keep-sellers", no_argument, NULL, OPT_KEEP_SELLERS},
    {"no-schema", no_argument, NULL, OPT_NO_SCHEMA},
    {"pii-originals", required_argument, NULL, OPT_PII_ORIGINALS},
    {"pseudonym-key-file", required_argument, NULL, OPT_PSEUDONYM_KEY_FILE},
    {"pseudonymize", required_argument, NULL, OPT_PSEUDONYMIZE},
    {"repair-utf8", no_argument, NULL, OPT_REPAIR_UTF8},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"threads", required_argument, NULL, OPT_THREADS}, {NULL, 0, NULL, 0}};

/* The tool's state: the cleaner, and the options that only name things. */
struct clean_opts {
	struct lp_clean c;
	const char *schema_path, *casearg, *key_file, *originals_path;
	char **fields, **pseudo, **fluff;
	int nfields, npseudo, nfluff, no_schema, repair, keep_sellers;
	struct lp_buf *fluff_text; /* the --fluff files' texts */
	int threads;		   /* --threads, or 0 */
	struct lp_sha256 rules;	   /* the rules' texts, for the audit log */
	struct lp_buf key;	   /* the pseudonym key's bytes */
	struct lp_buf originals;   /* redacted originals not yet written */
	int originals_fd;	   /* --pii-originals, or -1 */
	struct lp_llm_clean llm;   /* --llm */
};

/*
 * The key from a file only its owner can read (core/hmac.h's one rule for
 * key files, as lp-audit's seals): its bytes, less one line end, so
 * "echo KEY > file" and LP_PSEUDONYM_KEY=KEY are the same key.
 */
static void
read_key_file(const char *path, struct lp_buf *key)
{
	unsigned char k[LP_HMAC_KEY_MAX];
	struct lp_error err;
	size_t n;
	int rc;

	if ((rc = lp_hmac_key_read(path, k, &n, &err)) != LP_OK)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    err.msg);
	lp_buf_add(key, k, n);
	lp_hmac_wipe(k, sizeof(k));
}

/*
 * The pseudonym key: --pseudonym-key-file, LP_PSEUDONYM_KEY_FILE or
 * LP_PSEUDONYM_KEY, in that order; without one, lp-clean will not run,
 * as a dataset with sellers' names in it is not what anyone meant.
 */
static void
load_key(struct clean_opts *o)
{
	const char *v;

	if (o->key_file == NULL && (v = getenv("LP_PSEUDONYM_KEY_FILE")) &&
	    *v != '\0')
		o->key_file = v;
	if (o->key_file != NULL)
		read_key_file(o->key_file, &o->key);
	else if ((v = getenv("LP_PSEUDONYM_KEY")) != NULL && *v != '\0')
		lp_buf_adds(&o->key, v);
	else if (o->keep_sellers)
		lp_cli_usage("--pseudonymize needs a key: give "
			     "--pseudonym-key-file FILE (or set "
			     "LP_PSEUDONYM_KEY_FILE or LP_PSEUDONYM_KEY)");
	else
		lp_cli_usage("no pseudonym key: sellers are pseudonymised by "
			     "default; give --pseudonym-key-file FILE (or set "
			     "LP_PSEUDONYM_KEY_FILE or LP_PSEUDONYM_KEY), or "
			     "--keep-sellers to keep them as they are");
	o->c.key = o->key.p;
	o->c.keylen = o->key.len;
}

/*
 * --pii-originals: a file of the owner's only, whatever it was before,
 * and never one of the inputs.
 */
static void
open_originals(struct clean_opts *o, const struct lp_run *run)
{
	int fd;

	if (o->originals_path == NULL)
		return;
	lp_run_check_output(run, "--pii-originals", o->originals_path);
	fd = lp_file_open(
	    o->originals_path, O_WRONLY | O_TRUNC, LP_FILE_PRIVATE);
	if (fd < 0)
		lp_errx(LP_EXIT_IOERR, "cannot open '%s': %s",
		    o->originals_path, lp_file_strerror(errno));
	if (fchmod(fd, LP_FILE_PRIVATE) != 0)
		lp_err(LP_EXIT_IOERR, "%s", o->originals_path);
	o->originals_fd = fd;
	o->c.originals = &o->originals;
}

/* Write the redacted originals gathered so far (all of them at the end). */
static void
flush_originals(struct clean_opts *o, size_t least)
{
	if (o->originals_fd < 0 || o->originals.len < least ||
	    o->originals.len == 0)
		return;
	if (lp_write_all(o->originals_fd, o->originals.p, o->originals.len) !=
	    LP_OK)
		lp_err(LP_EXIT_IOERR, "%s", o->originals_path);
	lp_buf_reset(&o->originals);
}

/*
 * More cleaning rules from a file, after those loaded already; its text
 * is kept in b for the cleaners of the other threads.
 */
static void
load_rules_file(struct lp_clean *c, const char *path, struct lp_sha256 *sha,
    struct lp_buf *b)
{
	struct lp_error err;

	if (lp_file_read_all(path, b, &err) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", err.msg);
	lp_sha256_update(sha, b->p, b->len);
	if (lp_rules_load(&c->rules, b->p ? b->p : "", b->len, path, &err) !=
	    LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
}

static void
parse_options(struct clean_opts *o, int argc, char **argv)
{
	int ch;

	while (
	    (ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS LP_LLM_SHORTOPTS,
		 longopts, NULL)) != -1) {
		if (lp_llm_clean_option(&o->llm, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CASE:
			if (strcmp(optarg, "lower") != 0 &&
			    strcmp(optarg, "keep") != 0)
				lp_cli_usage("invalid --case '%s' (want lower "
					     "or keep)",
				    optarg);
			o->casearg = optarg;
			o->c.lower = strcmp(optarg, "lower") == 0;
			break;
		case OPT_FIELDS:
			lp_cli_list_free(o->fields, o->nfields);
			o->fields = NULL;
			o->nfields = 0;
			lp_cli_list(optarg, &o->fields, &o->nfields);
			if (o->nfields == 0)
				lp_cli_usage("invalid --fields '%s' (want "
					     "field[,field...])",
				    optarg);
			break;
		case OPT_FLUFF:
			o->fluff = lp_xrealloc(o->fluff,
			    sizeof(*o->fluff) * (size_t)(o->nfluff + 1));
			o->fluff[o->nfluff++] = optarg;
			break;
		case OPT_KEEP_PII:
			o->c.keep_pii = 1;
			break;
		case OPT_KEEP_SELLERS:
			o->keep_sellers = 1;
			break;
		case OPT_NO_SCHEMA:
			o->no_schema = 1;
			break;
		case OPT_PII_ORIGINALS:
			o->originals_path = optarg;
			break;
		case OPT_PSEUDONYM_KEY_FILE:
			o->key_file = optarg;
			break;
		case OPT_PSEUDONYMIZE:
			lp_cli_list(optarg, &o->pseudo, &o->npseudo);
			break;
		case OPT_REPAIR_UTF8:
			o->repair = 1;
			break;
		case OPT_SCHEMA:
			o->schema_path = optarg;
			break;
		case OPT_THREADS:
			o->threads =
			    (int)lp_cli_int("--threads", optarg, 1, 64);
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
}

/* The combination checks, then the rules, fields and schema set up. */
static void
setup(struct clean_opts *o)
{
	struct lp_clean *c = &o->c;
	int i;

	if (o->nfields == 0)
		lp_cli_list("title", &o->fields, &o->nfields);
	for (i = 0; i < o->nfields; i++)
		lp_clean_add_field(c, o->fields[i]);
	if (o->schema_path != NULL && o->no_schema)
		lp_cli_usage("--schema and --no-schema: choose one");
	if (o->originals_path != NULL && c->keep_pii)
		lp_cli_usage("--pii-originals and --keep-pii: choose one");
	if (o->key_file != NULL && o->keep_sellers && o->npseudo == 0)
		lp_cli_usage("--pseudonym-key-file and --keep-sellers: choose "
			     "one");
	/* Sellers are people (or name them): pseudonymised by default. */
	for (i = 0; i < o->npseudo && strcmp(o->pseudo[i], "seller"); i++)
		;
	if (!o->keep_sellers && i == o->npseudo)
		lp_cli_list("seller", &o->pseudo, &o->npseudo);
	if (o->npseudo > 0)
		load_key(o);
	for (i = 0; i < o->npseudo; i++)
		lp_clean_add_pseudonym(c, o->pseudo[i]);
	lp_sha256_init(&o->rules);
	lp_sha256_update(
	    &o->rules, lp_data_clean_rules, lp_data_clean_rules_len);
	lp_sha256_update(&o->rules, lp_data_brands, lp_data_brands_len);
	o->fluff_text =
	    lp_xmalloc(sizeof(*o->fluff_text) * (size_t)(o->nfluff + 1));
	for (i = 0; i < o->nfluff; i++) {
		lp_buf_init(&o->fluff_text[i]);
		load_rules_file(c, o->fluff[i], &o->rules, &o->fluff_text[i]);
	}
	if (o->schema_path != NULL) {
		json_t *s = lp_cli_json_file(o->schema_path);
		struct lp_error err;

		if (lp_schema_valid(s, &err) != LP_OK)
			lp_errx(
			    LP_EXIT_DATAERR, "%s: %s", o->schema_path, err.msg);
		lp_clean_set_schema(c, s);
	} else if (!o->no_schema)
		lp_clean_set_schema(c, lp_schema_listing());
	lp_llm_clean_setup(&o->llm, c, o->fields, o->nfields);
}

/*
 * A cleaner for another thread: set up as o->c, with its own scratch and
 * counts (lp_clean_merge() adds them up).
 */
static void
clean_copy(const struct clean_opts *o, struct lp_clean *c)
{
	struct lp_error err;
	int i;

	lp_clean_init(c);
	c->lower = o->c.lower;
	c->keep_pii = o->c.keep_pii;
	c->key = o->c.key;
	c->keylen = o->c.keylen;
	for (i = 0; i < o->c.nfields; i++)
		lp_clean_add_field(c, o->c.fields[i]);
	for (i = 0; i < o->c.npseudo; i++)
		lp_clean_add_pseudonym(c, o->c.pseudo[i]);
	/* The same texts loaded in the same order: this cannot fail. */
	for (i = 0; i < o->nfluff; i++)
		if (lp_rules_load(&c->rules,
			o->fluff_text[i].p ? o->fluff_text[i].p : "",
			o->fluff_text[i].len, o->fluff[i], &err) != LP_OK)
			lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
	/* Compiled here, before the threads: they share no reference count. */
	if (o->c.schema != NULL)
		lp_clean_set_schema(c, json_incref(o->c.schema));
}

/* The stage on one record, in any lane (the cleaner keeps its originals). */
static int
clean_one(
    void *ctx, struct lp_record *rec, struct lp_buf *side, struct lp_error *err)
{
	(void)side;
	return lp_clean_record(ctx, rec, err);
}

/* A kept record's redacted originals, in input order. */
static void
originals_out(void *arg, const char *p, size_t n)
{
	struct clean_opts *o = arg;

	lp_buf_add(&o->originals, p, n);
	flush_originals(o, 65536);
}

/* A lane's counts, into the run's (o->c's) or dropped. */
static void
tally(void *arg, void *ctx, int keep)
{
	struct clean_opts *o = arg;

	lp_clean_merge(keep ? &o->c : NULL, ctx);
}

/*
 * The records cleaned in lanes (tool/lanes.h), each with a cleaner of its
 * own; o->c keeps the counts.
 */
static void
clean_lanes(struct clean_opts *o, struct lp_run *run)
{
	int n = o->threads > 0 ? o->threads : lp_lanes_default(), i;
	struct lp_clean *lane = lp_xmalloc(sizeof(*lane) * (size_t)n);
	void **ctx = lp_xmalloc(sizeof(*ctx) * (size_t)n);
	struct lp_lanes *l;

	for (i = 0; i < n; i++) {
		clean_copy(o, &lane[i]);
		ctx[i] = &lane[i];
	}
	l = lp_lanes_new(run, n, clean_one, ctx,
	    o->originals_fd >= 0 ? originals_out : NULL, tally, o);
	for (i = 0; i < lp_lanes_count(l) && o->originals_fd >= 0; i++)
		lane[i].originals = lp_lanes_side(l, i);
	lp_lanes_run(l);
	lp_lanes_free(l);
	for (i = 0; i < n; i++)
		lp_clean_release(&lane[i]);
	free(lane);
	free(ctx);
}

/* With --llm: one record at a time, the model's window in order. */
static void
clean_llm(struct clean_opts *o, struct lp_run *run)
{
	struct lp_record *rec;

	lp_llm_clean_start(&o->llm, run);
	while (lp_run_next(run, &rec) == LP_OK) {
		struct lp_error err;
		size_t mark = o->originals.len;

		if (lp_clean_record(&o->c, rec, &err) != LP_OK) {
			o->originals.len = mark; /* not in the dataset */
			if (lp_run_reject(run, rec, err.msg) != LP_OK)
				break;
			continue;
		}
		lp_llm_clean_take(&o->llm, rec);
		flush_originals(o, 65536);
	}
}

/* What changes the output, for the lineage config digest. */
static void
config(const struct clean_opts *o, struct lp_buf *b)
{
	int i;

	lp_buf_addf(b, "rules=%s;case=%s;pii=%d;repair=%d;schema=%s",
	    o->c.rules.version, o->casearg, !o->c.keep_pii, o->repair,
	    o->no_schema	 ? "none"
		: o->schema_path ? o->schema_path
				 : "listing");
	for (i = 0; i < o->nfields; i++)
		lp_buf_addf(b, ";field=%s", o->fields[i]);
	for (i = 0; i < o->npseudo; i++)
		lp_buf_addf(b, ";pseudo=%s", o->pseudo[i]);
	/*
	 * Which key made the pseudonyms (a keyed digest of a fixed text,
	 * which says nothing of the key): records made under another key
	 * have another config digest.
	 */
	if (o->npseudo > 0) {
		static const char what[] = "labelpipe pseudonym key id";
		unsigned char id[32];
		int k;

		lp_hmac_sha256(
		    o->key.p, o->key.len, what, sizeof(what) - 1, id);
		lp_buf_adds(b, ";key=");
		for (k = 0; k < 4; k++)
			lp_buf_addf(b, "%02x", id[k]);
	}
	lp_llm_clean_config(&o->llm, b);
}

int
main(int argc, char **argv)
{
	struct clean_opts o;
	struct lp_buf cfg = LP_BUF_INIT;
	struct lp_run run;
	char rules[65];
	int status, i;

	lp_cli_init(argc, argv, &tool);
	memset(&o, 0, sizeof(o));
	o.originals_fd = -1;
	lp_clean_init(&o.c);
	lp_llm_clean_init(&o.llm);
	o.casearg = "lower";
	parse_options(&o, argc, argv);
	argc -= optind;
	argv += optind;
	setup(&o);
	config(&o, &cfg);
	lp_run_open(&run, argc, argv, cfg.p);
	lp_sha256_final_hex(&o.rules, rules);
	lp_run_audit_version_digest(&run, "rules", o.c.rules.version, rules);
	run.repair_utf8 = o.repair;
	open_originals(&o, &run);
	if (o.llm.mode)
		clean_llm(&o, &run);
	else
		clean_lanes(&o, &run);
	flush_originals(&o, 0);
	lp_clean_counts(&o.c, lp_run_count_each, &run);
	lp_run_count(&run, "repaired_utf8", (long long)run.n_repaired);
	status = o.llm.mode ? lp_llm_clean_close(&o.llm)
			    : lp_run_close(&run, LP_EXIT_OK);
	lp_llm_clean_release(&o.llm);

	lp_clean_release(&o.c);
	lp_cli_list_free(o.fields, o.nfields);
	lp_cli_list_free(o.pseudo, o.npseudo);
	for (i = 0; i < o.nfluff; i++)
		lp_buf_release(&o.fluff_text[i]);
	free(o.fluff_text);
	free(o.fluff);
	if (o.originals_fd >= 0 && close(o.originals_fd) != 0 &&
	    status == LP_EXIT_OK)
		lp_err(LP_EXIT_IOERR, "%s", o.originals_path);
	/* The key does not linger in freed memory. */
	if (o.key.p != NULL)
		memset(o.key.p, 0, o.key.len);
	lp_buf_release(&o.key);
	lp_buf_release(&o.originals);
	lp_buf_release(&cfg);
	return status;
}
