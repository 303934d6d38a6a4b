/*
 * lp-clean: make listing records consistent and comparable without losing
 * their originals.
 *
 * The cleaning itself is lib/text/clean: each text field named by
 * --fields normalised, rules and units applied, personal data redacted,
 * case folded; prices parsed, conditions mapped, chosen fields
 * pseudonymised, the record checked against a schema, originals kept in
 * raw.<field>.  This file reads the options, sets the cleaner up and runs
 * the record loop.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/file.h"
#include "text/clean.h"
#include "text/schema.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/run.h"

enum {
	OPT_CASE = LP_OPT_TOOL_BASE,
	OPT_FIELDS,
	OPT_FLUFF,
	OPT_KEEP_PII,
	OPT_NO_SCHEMA,
	OPT_PSEUDONYMIZE,
	OPT_REPAIR_UTF8,
	OPT_SCHEMA
};

static const struct lp_tool tool = {"lp-clean",
    "[-qv] [-o file] [--fields f,...] [--case lower|keep]\n"
    "       [--fluff file] [--keep-pii] [--pseudonymize field]\n"
    "       [--repair-utf8] [--schema file | --no-schema] [file ...]",
    "Normalise listing text, units, prices and conditions; check the "
    "schema.",
    "      --fields=FIELDS     text fields to clean, comma-separated\n"
    "                          (default title)\n"
    "      --case=CASE         lower (default) or keep\n"
    "      --fluff=FILE        more cleaning rules (remove, expand, runs,\n"
    "                          condition lines), after the built-in ones\n"
    "      --keep-pii          leave e-mail addresses and phone numbers\n"
    "      --pseudonymize=FIELD  replace FIELD with a keyed hash (key from\n"
    "                          LP_PSEUDONYM_KEY); may be repeated\n"
    "      --repair-utf8       replace ill-formed UTF-8 with U+FFFD instead\n"
    "                          of treating the line as bad input\n"
    "      --schema=FILE       check records against FILE (a JSON Schema\n"
    "                          subset) instead of the built-in one\n"
    "      --no-schema         check no schema\n",
    0};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"case", required_argument, NULL, OPT_CASE},
    {"fields", required_argument, NULL, OPT_FIELDS},
    {"fluff", required_argument, NULL, OPT_FLUFF},
    {"keep-pii", no_argument, NULL, OPT_KEEP_PII},
    {"no-schema", no_argument, NULL, OPT_NO_SCHEMA},
    {"pseudonymize", required_argument, NULL, OPT_PSEUDONYMIZE},
    {"repair-utf8", no_argument, NULL, OPT_REPAIR_UTF8},
    {"schema", required_argument, NULL, OPT_SCHEMA}, {NULL, 0, NULL, 0}};

/* The tool's state: the cleaner, and the options that only name things. */
struct clean_opts {
	struct lp_clean c;
	const char *schema_path, *casearg;
	char **fields, **pseudo, **fluff;
	int nfields, npseudo, nfluff, no_schema, repair;
};

/* More cleaning rules from a file, after those loaded already. */
static void
load_rules_file(struct lp_clean *c, const char *path)
{
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err;

	if (lp_file_read_all(path, &b, &err) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", err.msg);
	if (lp_rules_load(&c->rules, b.p, b.len, path, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
	lp_buf_release(&b);
}

static void
parse_options(struct clean_opts *o, int argc, char **argv)
{
	int ch;

	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
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
		case OPT_NO_SCHEMA:
			o->no_schema = 1;
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
	if (o->npseudo > 0 &&
	    ((c->key = getenv("LP_PSEUDONYM_KEY")) == NULL || *c->key == '\0'))
		lp_cli_usage("--pseudonymize needs a key in LP_PSEUDONYM_KEY");
	for (i = 0; i < o->npseudo; i++)
		lp_clean_add_pseudonym(c, o->pseudo[i]);
	for (i = 0; i < o->nfluff; i++)
		load_rules_file(c, o->fluff[i]);
	if (o->schema_path != NULL) {
		struct lp_error err;

		c->schema = lp_cli_json_file(o->schema_path);
		if (lp_schema_valid(c->schema, &err) != LP_OK)
			lp_errx(
			    LP_EXIT_DATAERR, "%s: %s", o->schema_path, err.msg);
	} else if (!o->no_schema)
		c->schema = lp_schema_listing();
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
}

static void
count(void *run, const char *name, long long n)
{
	lp_run_count(run, name, n);
}

int
main(int argc, char **argv)
{
	struct clean_opts o;
	struct lp_buf cfg = LP_BUF_INIT;
	struct lp_record *rec;
	struct lp_run run;
	int status;

	lp_cli_init(argc, argv, &tool);
	memset(&o, 0, sizeof(o));
	lp_clean_init(&o.c);
	o.casearg = "lower";
	parse_options(&o, argc, argv);
	argc -= optind;
	argv += optind;
	setup(&o);
	config(&o, &cfg);
	lp_run_open(&run, argc, argv, cfg.p);
	run.repair_utf8 = o.repair;
	while (lp_run_next(&run, &rec) == LP_OK) {
		struct lp_error err;

		if (lp_clean_record(&o.c, rec, &err) != LP_OK) {
			if (lp_run_reject(&run, rec, err.msg) != LP_OK)
				break;
			continue;
		}
		if (lp_run_emit(&run, rec) != LP_OK)
			break;
	}
	lp_clean_counts(&o.c, count, &run);
	lp_run_count(&run, "repaired_utf8", (long long)run.n_repaired);
	status = lp_run_close(&run, LP_EXIT_OK);

	lp_clean_release(&o.c);
	lp_cli_list_free(o.fields, o.nfields);
	lp_cli_list_free(o.pseudo, o.npseudo);
	free(o.fluff);
	lp_buf_release(&cfg);
	return status;
}
