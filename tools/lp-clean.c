/*
 * lp-clean: make listing records consistent and comparable without losing
 * their originals.
 *
 * Each text field named by --fields goes through, in order: Unicode
 * normalisation with emoji dropped (liblp text), the cleaning rules
 * (fluff removed, abbreviations spelled out, punctuation runs dropped),
 * units rewritten to one spelling with attributes collected, personal data
 * redacted, and case folding with white space collapsed.  Prices are
 * parsed from their text, conditions mapped onto a fixed vocabulary,
 * chosen fields pseudonymised, and the record checked against a schema.
 * A rewritten field's original goes to raw.<field>; a field is always
 * cleaned from its original, so cleaning twice gives what cleaning once
 * gave.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "tool/cli.h"
#include "core/json.h"
#include "tool/log.h"
#include "text/pii.h"
#include "text/price.h"
#include "text/rules.h"
#include "tool/run.h"
#include "text/schema.h"
#include "text/text.h"
#include "text/units.h"

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

static struct {
	char **fields, **pseudo, **raw_paths;
	int nfields, npseudo, lower, keep_pii;
	const char *key;
	struct lp_rules rules;
	json_t *schema;
	struct lp_text text;
	struct lp_buf a, b, path;
	long long emoji, units, emails, phones, prices, price_unparsed,
	    cond_mapped, cond_unknown, pseudonymized;
} c;

/*
 * Clean text s[0..n) into c.a; attributes into attrs.  The steps in order,
 * each on the last one's output.
 */
static void
clean_text(const char *s, size_t n, json_t *attrs)
{
	lp_buf_reset(&c.a);
	lp_text_normalize(&c.text, s, n, LP_TEXT_NO_EMOJI, &c.a);
	c.emoji += (long long)c.text.emoji;
	lp_buf_reset(&c.b);
	lp_rules_apply(&c.rules, c.a.p, c.a.len, &c.b);
	lp_buf_reset(&c.a);
	c.units += lp_units_apply(c.b.p, c.b.len, &c.a, attrs);
	if (!c.keep_pii) {
		lp_buf_reset(&c.b);
		lp_pii_redact(c.a.p, c.a.len, &c.b, &c.emails, &c.phones);
	} else {
		lp_buf_reset(&c.b);
		lp_buf_add(&c.b, c.a.p, c.a.len);
	}
	lp_buf_reset(&c.a);
	lp_text_normalize(
	    &c.text, c.b.p, c.b.len, c.lower ? LP_TEXT_FOLD : 0, &c.a);
}

/*
 * Set top-level member key (stolen value) the cheap way; a dotted path
 * the general way.
 */
static void
put(struct lp_record *rec, const char *key, json_t *value)
{
	if (strchr(key, '.') == NULL)
		lp_record_put(rec, key, value);
	else
		lp_record_set(rec, key, value);
}

/* raw.<field> = value, unless an earlier clean kept it already. */
static void
keep_raw(struct lp_record *rec, const char *field, json_t *value)
{
	json_t *raw = lp_record_get(rec, "raw");

	if (raw != NULL &&
	    (!json_is_object(raw) || json_object_get(raw, field) != NULL))
		return;
	if (raw == NULL)
		raw = json_object();
	else
		json_incref(raw);
	json_object_set(raw, field, value);
	lp_record_put(rec, "raw", raw);
}

/* The original of field i: raw.<field> if an earlier clean kept it. */
static const char *
original(struct lp_record *rec, int i, size_t *len)
{
	const char *s;

	if (lp_record_get(rec, "raw") != NULL &&
	    (s = lp_record_get_strn(rec, c.raw_paths[i], len)) != NULL)
		return s;
	return lp_record_get_strn(rec, c.fields[i], len);
}

/*
 * Clean one record in place.  NULL if it is fine, else why it is bad.
 * reason is a buffer for the message.
 */
static const char *
clean(struct lp_record *rec, char *reason, size_t rsize)
{
	json_t *attrs = json_object(), *v, *old;
	int i;

	for (i = 0; i < c.nfields; i++) {
		const char *s, *cur;
		size_t n, curlen;

		/* Read strings in the line; parse only to say what it is. */
		if (lp_record_get_strn(rec, c.fields[i], &n) != NULL)
			v = NULL;
		else if ((v = lp_record_get(rec, c.fields[i])) == NULL)
			continue;
		if (v != NULL) {
			snprintf(reason, rsize, "%s is %s, not a string",
			    c.fields[i], lp_json_kind(v));
			json_decref(attrs);
			return reason;
		}
		s = original(rec, i, &n);
		clean_text(s, n, attrs);
		if (c.a.len == 0) {
			snprintf(reason, rsize, "%s is empty after cleaning",
			    c.fields[i]);
			json_decref(attrs);
			return reason;
		}
		cur = lp_record_get_strn(rec, c.fields[i], &curlen);
		if (curlen == c.a.len && memcmp(cur, c.a.p, curlen) == 0)
			continue;
		if (strchr(c.fields[i], '.') == NULL) {
			old = json_stringn(cur, curlen);
			keep_raw(rec, c.fields[i], old);
			json_decref(old);
		}
		put(rec, c.fields[i], json_stringn(c.a.p, c.a.len));
	}
	/* Attributes found in the text, merged under those already there. */
	if (json_object_size(attrs) > 0) {
		json_t *have = lp_record_get(rec, "attrs");

		if (!json_is_object(have))
			lp_record_put(rec, "attrs", json_incref(attrs));
		else if (!json_equal(have, attrs)) {
			json_object_update_missing(attrs, have);
			lp_record_put(rec, "attrs", json_incref(attrs));
		}
	}
	json_decref(attrs);

	/* A price given as text only: parsed. */
	v = lp_record_get(rec, "price");
	if (json_is_string(v) ||
	    (json_is_object(v) && json_object_get(v, "amount") == NULL &&
		json_object_get(v, "min") == NULL &&
		json_is_string(json_object_get(v, "text")))) {
		json_t *text =
		    json_is_string(v) ? v : json_object_get(v, "text");
		json_t *p = lp_price_parse(
		    json_string_value(text), json_string_length(text));

		if (p != NULL) {
			if (json_is_string(v))
				keep_raw(rec, "price", v);
			lp_record_put(rec, "price", p);
			c.prices++;
		} else
			c.price_unparsed++;
	}

	/* The condition, onto the vocabulary; unknown wording kept. */
	v = lp_record_get(rec, "condition");
	if (json_is_string(v)) {
		const char *s = json_string_value(v), *value;
		size_t n;

		lp_buf_reset(&c.a);
		lp_text_normalize(&c.text, s, json_string_length(v), 0, &c.a);
		value = lp_rules_condition(&c.rules, c.a.p, c.a.len);
		n = value != NULL ? strlen(value) : 0;
		if (value == NULL)
			c.cond_unknown++;
		else if (n != json_string_length(v) || memcmp(s, value, n)) {
			json_incref(v);
			keep_raw(rec, "condition", v);
			lp_record_put(rec, "condition", json_string(value));
			json_decref(v);
			c.cond_mapped++;
		}
	}

	/* Pseudonyms: a keyed hash; the name is not kept anywhere. */
	for (i = 0; i < c.npseudo; i++) {
		char p[19];

		v = lp_record_get(rec, c.pseudo[i]);
		if (!json_is_string(v) ||
		    strncmp(json_string_value(v), "p_", 2) == 0)
			continue;
		lp_pseudonym(
		    c.key, json_string_value(v), json_string_length(v), p);
		lp_record_root(rec);
		lp_record_set(rec, c.pseudo[i], json_string(p));
		c.pseudonymized++;
	}

	if (c.schema != NULL &&
	    lp_schema_check_record(c.schema, rec, reason, rsize) != LP_OK)
		return reason;
	return NULL;
}

static void
load_rules_file(const char *path)
{
	FILE *f = fopen(path, "r");
	struct lp_buf b = LP_BUF_INIT;
	char chunk[4096], err[512];
	size_t n;

	if (f == NULL)
		lp_err(LP_EXIT_IOERR, "cannot open '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		lp_buf_add(&b, chunk, n);
	if (ferror(f))
		lp_err(LP_EXIT_IOERR, "%s", path);
	fclose(f);
	if (lp_rules_load(&c.rules, b.p ? b.p : "", b.len, path, err,
		sizeof(err)) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s", err);
	lp_buf_release(&b);
}

int
main(int argc, char **argv)
{
	const char *schema_path = NULL, *casearg = "lower";
	struct lp_buf config = LP_BUF_INIT;
	struct lp_record *rec;
	struct lp_run run;
	char **fluff = NULL;
	int ch, nfluff = 0, no_schema = 0, repair = 0, status, i;
	size_t k;

	lp_cli_init(argc, argv, &tool);
	lp_rules_default(&c.rules);
	c.lower = 1;
	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_CASE:
			if (strcmp(optarg, "lower") != 0 &&
			    strcmp(optarg, "keep") != 0)
				lp_cli_usage("invalid --case '%s' (want lower "
					     "or keep)",
				    optarg);
			casearg = optarg;
			c.lower = strcmp(optarg, "lower") == 0;
			break;
		case OPT_FIELDS:
			lp_cli_list_free(c.fields, c.nfields);
			c.fields = NULL;
			c.nfields = 0;
			lp_cli_list(optarg, &c.fields, &c.nfields);
			if (c.nfields == 0)
				lp_cli_usage("invalid --fields '%s' (want "
					     "field[,field...])",
				    optarg);
			break;
		case OPT_FLUFF:
			fluff = lp_xrealloc(
			    fluff, sizeof(*fluff) * (size_t)(nfluff + 1));
			fluff[nfluff++] = optarg;
			break;
		case OPT_KEEP_PII:
			c.keep_pii = 1;
			break;
		case OPT_NO_SCHEMA:
			no_schema = 1;
			break;
		case OPT_PSEUDONYMIZE:
			lp_cli_list(optarg, &c.pseudo, &c.npseudo);
			break;
		case OPT_REPAIR_UTF8:
			repair = 1;
			break;
		case OPT_SCHEMA:
			schema_path = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (c.nfields == 0)
		lp_cli_list("title", &c.fields, &c.nfields);
	c.raw_paths = lp_xmalloc(sizeof(*c.raw_paths) * (size_t)c.nfields);
	for (i = 0; i < c.nfields; i++) {
		lp_buf_reset(&c.path);
		lp_buf_addf(&c.path, "raw.%s", c.fields[i]);
		c.raw_paths[i] = lp_xstrdup(c.path.p);
	}
	if (schema_path != NULL && no_schema)
		lp_cli_usage("--schema and --no-schema: choose one");
	if (c.npseudo > 0 &&
	    ((c.key = getenv("LP_PSEUDONYM_KEY")) == NULL || *c.key == '\0'))
		lp_cli_usage("--pseudonymize needs a key in LP_PSEUDONYM_KEY");
	for (i = 0; i < nfluff; i++)
		load_rules_file(fluff[i]);
	if (schema_path != NULL) {
		char err[256];

		c.schema = lp_cli_json_file(schema_path);
		if (lp_schema_valid(c.schema, err, sizeof(err)) != LP_OK)
			lp_errx(LP_EXIT_DATAERR, "%s: %s", schema_path, err);
	} else if (!no_schema)
		c.schema = lp_schema_listing();

	lp_buf_addf(&config, "rules=%s;case=%s;pii=%d;repair=%d;schema=%s",
	    c.rules.version, casearg, !c.keep_pii, repair,
	    no_schema	      ? "none"
		: schema_path ? schema_path
			      : "listing");
	for (i = 0; i < c.nfields; i++)
		lp_buf_addf(&config, ";field=%s", c.fields[i]);
	for (i = 0; i < c.npseudo; i++)
		lp_buf_addf(&config, ";pseudo=%s", c.pseudo[i]);
	lp_run_open(&run, argc, argv, config.p);
	run.repair_utf8 = repair;
	while (lp_run_next(&run, &rec) == LP_OK) {
		char reason[512];
		const char *why = clean(rec, reason, sizeof(reason));

		if (why != NULL) {
			if (lp_run_reject(&run, rec, why) != LP_OK)
				break;
			continue;
		}
		if (lp_run_emit(&run, rec) != LP_OK)
			break;
	}

	lp_run_count(&run, "emoji_removed", c.emoji);
	for (k = 0; k < c.rules.n; k++) {
		struct lp_buf name = LP_BUF_INIT;

		lp_buf_addf(&name, "%s:%s",
		    c.rules.v[k].kind == LP_RULE_REMOVE ? "fluff" : "expand",
		    c.rules.v[k].phrase);
		if (c.rules.v[k].hits > 0)
			lp_run_count(&run, name.p, c.rules.v[k].hits);
		lp_buf_release(&name);
	}
	lp_run_count(&run, "punctuation_runs", c.rules.run_hits);
	lp_run_count(&run, "units_rewritten", c.units);
	lp_run_count(&run, "emails_redacted", c.emails);
	lp_run_count(&run, "phones_redacted", c.phones);
	lp_run_count(&run, "prices_parsed", c.prices);
	lp_run_count(&run, "prices_unparsed", c.price_unparsed);
	lp_run_count(&run, "conditions_mapped", c.cond_mapped);
	lp_run_count(&run, "conditions_unknown", c.cond_unknown);
	lp_run_count(&run, "pseudonymized", c.pseudonymized);
	lp_run_count(&run, "repaired_utf8", (long long)run.n_repaired);
	status = lp_run_close(&run, LP_EXIT_OK);

	lp_cli_list_free(c.fields, c.nfields);
	lp_cli_list_free(c.raw_paths, c.nfields);
	lp_cli_list_free(c.pseudo, c.npseudo);
	free(fluff);
	json_decref(c.schema);
	lp_rules_release(&c.rules);
	lp_text_release(&c.text);
	lp_buf_release(&c.a);
	lp_buf_release(&c.b);
	lp_buf_release(&c.path);
	lp_buf_release(&config);
	return status;
}
