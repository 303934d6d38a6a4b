/*
 * lp-translate: translate listing titles through an OpenAI-compatible
 * Chat Completions API (lib/llm: concurrency, limits, retries, cache).
 *
 * Records flow through a bounded window: each is kept as its line until
 * its translation is back, and leaves in input order (or as soon as it is
 * done with --unordered), so output streams and memory stays constant.
 * Titles go out one per request or --batch N per request with local ids;
 * an id missing from a batch reply is asked for alone.  A record whose
 * translation failed keeps its place with translation.error.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/status.h"
#include "tool/cli.h"
#include "core/json.h"
#include "llm/llm.h"
#include "tool/llmcli.h"
#include "tool/log.h"
#include "tool/run.h"
#include "text/text.h"
#include "core/data.h"

enum {
	OPT_BATCH = LP_OPT_TOOL_BASE,
	OPT_FIELD,
	OPT_FORCE,
	OPT_GLOSSARY,
	OPT_MODEL,
	OPT_NO_JSON_MODE,
	OPT_PROMPT,
};

static const struct lp_tool tool = {"lp-translate",
    "[-qv] [-o file] [-j n] [--model name] [--api-base url]\n"
    "       [--api-key-file file] [--target lang] [--batch n]\n"
    "       [--glossary file] [--rpm n] [--tpm n] [--cache dir | --no-cache]\n"
    "       [--max-tokens-total n] [--unordered] [--dry-run] [file ...]",
    "Translate listing titles through an OpenAI-compatible LLM API.",
    "      --model=NAME        the model (LP_MODEL; default gpt-4o)\n"
    "      --field=PATH        the text to translate (default title)\n"
    "      --prompt=FILE       the prompt template (default the built-in\n"
    "                          guidelines/prompts/translate.json)\n"
    "      --glossary=FILE     terms kept verbatim or translated as given\n"
    "      --batch=N           titles per request (default 1)\n"
    "      --no-json-mode      plain-text replies, no response_format\n"
    "                          (one title per request)\n"
    "      --force             translate records that have a translation\n"
    "\nAPI options:\n" LP_LLM_HELP,
    0};

static const struct option longopts[] = {LP_COMMON_LONGOPTS, LP_LLM_LONGOPTS,
    {"batch", required_argument, NULL, OPT_BATCH},
    {"field", required_argument, NULL, OPT_FIELD},
    {"force", no_argument, NULL, OPT_FORCE},
    {"glossary", required_argument, NULL, OPT_GLOSSARY},
    {"model", required_argument, NULL, OPT_MODEL},
    {"no-json-mode", no_argument, NULL, OPT_NO_JSON_MODE},
    {"prompt", required_argument, NULL, OPT_PROMPT}, {NULL, 0, NULL, 0}};

/* A glossary term: kept verbatim (to NULL) or translated as given. */
struct term {
	char *from, *to;
};

/* One request: the slots it translates. */
struct batch {
	size_t *seq;
	int n;
	int single; /* a retry of one missing item */
};

static struct {
	const char *model, *target, *field, *prompt_version;
	json_t *prompt, *format; /* format: built once, shared */
	char *system;		 /* the prompt's system text, filled in */
	struct term *terms;
	int nterms;
	int json_mode, batch, force, dry_run;
	double temperature;
	long seed;
	struct lp_window w;
	size_t *pend; /* the batch being filled */
	int npend;
	struct lp_llm *llm;
	struct lp_run *run;
	long long n_done, n_failed, n_budget, n_cached, n_missing, n_already,
	    n_notext, n_glossary_missed;
} t;

static struct lp_slot *
slot_of(size_t seq)
{
	return lp_window_at(&t.w, seq);
}

/* ---- Prompt and glossary. */

static void
load_glossary(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned long no = 0;
	ssize_t n;

	if (f == NULL)
		lp_err(LP_EXIT_IOERR, "cannot open '%s'", path);
	while ((n = getline(&line, &cap, f)) != -1) {
		char *tab, *p = line;

		no++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*p == ' ')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		if (!lp_utf8_valid(p, strlen(p), NULL))
			lp_errx(
			    LP_EXIT_DATAERR, "%s:%lu: invalid UTF-8", path, no);
		tab = strchr(p, '\t');
		if (tab != NULL)
			*tab++ = '\0';
		if (tab != NULL && (*tab == '\0' || strchr(tab, '\t') != NULL))
			lp_errx(LP_EXIT_DATAERR,
			    "%s:%lu: want TERM or TERM<tab>TRANSLATION", path,
			    no);
		t.terms = lp_xrealloc(
		    t.terms, sizeof(*t.terms) * (size_t)(t.nterms + 1));
		t.terms[t.nterms].from = lp_xstrdup(p);
		t.terms[t.nterms++].to = tab ? lp_xstrdup(tab) : NULL;
	}
	free(line);
	if (ferror(f))
		lp_err(LP_EXIT_IOERR, "%s", path);
	fclose(f);
}

/* Whether text holds term, ASCII letters matched in any case. */
static int
has_term(const char *text, const char *term)
{
	size_t n = strlen(term);

	for (; *text != '\0'; text++)
		if (strncasecmp(text, term, n) == 0)
			return 1;
	return 0;
}

/*
 * Request bodies are canonical JSON bytes built around the two texts that
 * vary, system and user (lib/llm's templates); the prompt's own system
 * text, without glossary terms, is pinned.
 */
static struct lp_llm_tmpl tpl;
static struct lp_buf scratch_sys, scratch_user;

static void
template_init(void)
{
	json_t *body = json_pack("{s:s,s:[{s:s,s:o},{s:s,s:o}],s:f,s:i}",
	    "model", t.model, "messages", "role", "system", "content",
	    lp_llm_hole(), "role", "user", "content", lp_llm_hole(),
	    "temperature", t.temperature, "seed", (int)t.seed);

	if (t.json_mode)
		json_object_set(body, "response_format", t.format);
	if (lp_llm_tmpl_init(&tpl, body) != 0)
		abort();
	lp_llm_tmpl_pin(&tpl, t.system, strlen(t.system));
	json_decref(body);
}

static void
template_free(void)
{
	lp_llm_tmpl_free(&tpl);
	lp_buf_release(&scratch_sys);
	lp_buf_release(&scratch_user);
}

/*
 * The request body for the given texts (n > 1 only in JSON mode) into
 * body, and its digest.
 */
static void
request(char **texts, int n, struct lp_buf *body, char digest[65])
{
	struct lp_buf *sys = &scratch_sys, *user = &scratch_user;
	const char *fill[2];
	size_t len[2];
	int i, j, glossed = 0;

	lp_buf_reset(sys);
	/* Only the terms these titles use: fewer tokens, same answers. */
	for (i = 0; i < t.nterms; i++) {
		for (j = 0; j < n && !has_term(texts[j], t.terms[i].from); j++)
			;
		if (j == n)
			continue;
		if (!glossed++) {
			lp_buf_adds(sys, t.system);
			lp_buf_adds(sys, "\n\n");
			lp_buf_adds(sys,
			    json_string_value(
				json_object_get(t.prompt, "glossary")));
		}
		lp_buf_addf(sys, "\n- %s", t.terms[i].from);
		if (t.terms[i].to != NULL)
			lp_buf_addf(sys, " -> %s", t.terms[i].to);
	}
	lp_buf_reset(user);
	if (t.json_mode) {
		lp_buf_adds(user, "{\"items\":[");
		for (i = 0; i < n; i++) {
			lp_buf_addf(user,
			    "%s{\"id\":\"%d\",\"text\":", i ? "," : "", i + 1);
			lp_json_dump_str(texts[i], strlen(texts[i]), user);
			lp_buf_addc(user, '}');
		}
		lp_buf_adds(user, "]}");
	} else
		lp_buf_adds(user, texts[0]);
	fill[0] = glossed ? sys->p : NULL;
	len[0] = glossed ? sys->len : 0;
	fill[1] = user->p;
	len[1] = user->len;
	lp_llm_tmpl_fill(&tpl, fill, len, body, digest);
}

/* The reply's items as id -> text, or NULL if it is not that shape. */
static json_t *
reply_items(const char *content)
{
	json_t *v = lp_json_load(content, strlen(content), 0, NULL), *items,
	       *it, *out;
	size_t i;

	items = json_object_get(v, "items");
	if (!json_is_array(items)) {
		json_decref(v);
		return NULL;
	}
	out = json_object();
	json_array_foreach (items, i, it) {
		json_t *id = json_object_get(it, "id"),
		       *text = json_object_get(it, "text");
		char num[32];
		const char *key = json_string_value(id);

		/* Models sometimes give ids back as numbers. */
		if (json_is_integer(id)) {
			snprintf(num, sizeof(num), "%lld",
			    (long long)json_integer_value(id));
			key = num;
		}
		if (key != NULL && json_is_string(text) &&
		    json_string_length(text) > 0)
			json_object_set(out, key, text);
	}
	json_decref(v);
	return out;
}

static int
validate(const char *content, void *user, char *why, size_t n)
{
	json_t *items;

	(void)user;
	if (!t.json_mode)
		return 0;
	if ((items = reply_items(content)) == NULL) {
		snprintf(why, n, "the reply is not JSON {\"items\":[...]}");
		return -1;
	}
	if (json_object_size(items) == 0) {
		json_decref(items);
		snprintf(why, n, "the reply has no translated items");
		return -1;
	}
	json_decref(items);
	return 0;
}

static void
audit_call(json_t *ev, void *arg)
{
	json_object_set_new(ev, "model", json_string(t.model));
	lp_run_audit(arg, "llm_call", ev);
}

/* ---- The window. */

static void
submit(size_t *seqs, int n, int single)
{
	struct batch *b = lp_xmalloc(sizeof(*b));
	char **texts = lp_xmalloc(sizeof(*texts) * (size_t)n);
	struct lp_buf body = LP_BUF_INIT;
	char digest[65];
	int i;

	b->seq = lp_xmalloc(sizeof(*b->seq) * (size_t)n);
	memcpy(b->seq, seqs, sizeof(*seqs) * (size_t)n);
	b->n = n;
	b->single = single;
	for (i = 0; i < n; i++)
		texts[i] = slot_of(seqs[i])->text;
	request(texts, n, &body, digest);
	free(texts);
	if (t.dry_run) {
		lp_llm_dry_run(t.run, t.llm, body.p, body.len);
		lp_buf_release(&body);
		for (i = 0; i < n; i++)
			slot_of(seqs[i])->waiting = 0;
		free(b->seq);
		free(b);
		return;
	}
	lp_llm_submit_raw(t.llm, body.p, body.len, digest, b);
}

static void
flush_batch(void)
{
	if (t.npend > 0)
		submit(t.pend, t.npend, 0);
	t.npend = 0;
}

static json_t *
base_member(const struct lp_llm_result *r)
{
	return json_pack("{s:s,s:s,s:s}", "lang", t.target, "model",
	    r != NULL && r->model != NULL ? r->model : t.model,
	    "prompt_version", t.prompt_version);
}

/* Verbatim terms of the source must be in the translation. */
static json_t *
glossary_missed(const char *src, const char *text)
{
	json_t *missed = NULL;
	int i;

	for (i = 0; i < t.nterms; i++) {
		const char *want =
		    t.terms[i].to ? t.terms[i].to : t.terms[i].from;

		if (!has_term(src, t.terms[i].from) ||
		    strstr(text, want) != NULL)
			continue;
		if (missed == NULL)
			missed = json_array();
		json_array_append_new(missed, json_string(t.terms[i].from));
	}
	return missed;
}

static void
succeed(
    struct lp_slot *s, const struct lp_llm_result *r, const char *text, int n)
{
	json_t *m = base_member(r), *missed;
	struct lp_buf clean = LP_BUF_INIT;
	size_t len = strlen(text);

	/* Plain replies: no surrounding space or newline. */
	while (len > 0 && strchr(" \t\r\n", text[len - 1]) != NULL)
		len--;
	while (len > 0 && strchr(" \t\r\n", *text) != NULL) {
		text++;
		len--;
	}
	lp_buf_add(&clean, text, len);
	json_object_set_new(m, "text", json_string(clean.p));
	lp_llm_answer_fields(m, r, n);
	if ((missed = glossary_missed(s->text, clean.p)) != NULL) {
		json_object_set_new(m, "glossary_missed", missed);
		t.n_glossary_missed++;
	}
	s->member = m;
	s->waiting = 0;
	t.n_done++;
	t.n_cached += r->cached;
	lp_buf_release(&clean);
}

static void
fail(struct lp_slot *s, const struct lp_llm_result *r)
{
	json_t *m = base_member(NULL);

	json_object_set_new(m, "error", lp_llm_error_json(r));
	s->member = m;
	s->waiting = 0;
	if (r->why == LP_LLM_BUDGET)
		t.n_budget++;
	else
		t.n_failed++;
}

/* A finished request: its slots get their translations or errors. */
static void
landed(struct lp_llm_result *r)
{
	struct batch *b = r->user;
	json_t *items = NULL;
	size_t *missing = lp_xmalloc(sizeof(*missing) * (size_t)b->n);
	int i, nmissing = 0;

	if (r->why == LP_LLM_OK && t.json_mode)
		items = reply_items(r->content);
	for (i = 0; i < b->n; i++) {
		struct lp_slot *s = slot_of(b->seq[i]);
		char id[16];
		json_t *text;

		if (r->why != LP_LLM_OK) {
			fail(s, r);
			continue;
		}
		if (!t.json_mode) {
			succeed(s, r, r->content, 1);
			continue;
		}
		snprintf(id, sizeof(id), "%d", i + 1);
		if ((text = json_object_get(items, id)) != NULL)
			succeed(s, r, json_string_value(text), b->n);
		else
			missing[nmissing++] = b->seq[i];
	}
	/* Left out of a batch: asked again, alone. */
	for (i = 0; i < nmissing; i++) {
		t.n_missing++;
		if (b->single) {
			struct lp_llm_result miss = *r;

			miss.why = LP_LLM_REPLY;
			snprintf(miss.message, sizeof(miss.message),
			    "the reply left this item out");
			fail(slot_of(missing[i]), &miss);
		} else
			submit(&missing[i], 1, 1);
	}
	json_decref(items);
	free(missing);
	free(b->seq);
	free(b);
	lp_llm_result_free(r);
}

/* Write what is done, and show progress. */
static void
drain(void)
{
	lp_window_drain(&t.w);
	lp_llm_progress(t.run, t.llm, "translated", t.n_done,
	    t.n_failed + t.n_budget, t.w.nread - t.w.head);
}

/* Wait for one request to finish (sending the half-filled batch first). */
static void
pump(int block)
{
	struct lp_llm_result *r;

	if (block)
		flush_batch();
	while ((r = block ? lp_llm_wait(t.llm) : lp_llm_poll(t.llm)) != NULL) {
		landed(r);
		block = 0;
	}
	drain();
}

static void
take(struct lp_record *rec)
{
	struct lp_slot *s = lp_window_add(&t.w, rec);
	const char *text;
	size_t len;
	json_t *tr;

	text = lp_record_get_strn(rec, t.field, &len);
	tr = lp_record_get(rec, "translation.text");
	if (text == NULL || len == 0)
		t.n_notext++; /* nothing to translate: as it came */
	else if (json_is_string(tr) && !t.force)
		t.n_already++; /* translated before: kept */
	else {
		s->text = lp_xmalloc(len + 1);
		memcpy(s->text, text, len);
		s->text[len] = '\0';
		s->waiting = 1;
		t.pend[t.npend++] = s->seq;
		if (t.npend == t.batch)
			flush_batch();
	}
}

int
main(int argc, char **argv)
{
	struct lp_llm_cli o;
	const char *prompt_path = NULL;
	char err[512], cfgtext[512];
	struct lp_record *rec;
	struct lp_run run;
	struct lp_buf sysbuf = LP_BUF_INIT;
	int ch, status;

	lp_llm_cli_init(&o);
	t.model = getenv("LP_MODEL") && *getenv("LP_MODEL") ? getenv("LP_MODEL")
							    : "gpt-4o";
	t.field = "title";
	t.json_mode = 1;
	t.batch = 1;
	lp_cli_init(argc, argv, &tool);
	while (
	    (ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS LP_LLM_SHORTOPTS,
		 longopts, NULL)) != -1) {
		if (lp_llm_cli_option(&o, ch, optarg))
			continue;
		switch (ch) {
		case OPT_BATCH:
			t.batch = (int)lp_cli_int("--batch", optarg, 1, 100);
			break;
		case OPT_FIELD:
			t.field = optarg;
			break;
		case OPT_FORCE:
			t.force = 1;
			break;
		case OPT_GLOSSARY:
			load_glossary(optarg);
			break;
		case OPT_MODEL:
			t.model = optarg;
			break;
		case OPT_NO_JSON_MODE:
			t.json_mode = 0;
			break;
		case OPT_PROMPT:
			prompt_path = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (!t.json_mode && t.batch > 1)
		lp_cli_usage("--batch needs JSON mode (drop --no-json-mode)");
	lp_llm_cli_done(&o);
	t.dry_run = o.dry_run;
	t.target = o.target;
	t.temperature = o.temperature;
	t.seed = o.seed;
	if (prompt_path != NULL)
		t.prompt = lp_cli_json_file(prompt_path);
	else
		t.prompt = json_loadb((const char *)lp_data_translate_prompt,
		    lp_data_translate_prompt_len, 0, NULL);
	t.prompt_version =
	    json_string_value(json_object_get(t.prompt, "version"));
	if (t.prompt_version == NULL ||
	    !json_is_string(json_object_get(t.prompt, "system")) ||
	    !json_is_string(json_object_get(t.prompt, "system_plain")) ||
	    !json_is_string(json_object_get(t.prompt, "glossary")))
		lp_errx(LP_EXIT_DATAERR,
		    "%s: a prompt needs version, system, system_plain and "
		    "glossary strings",
		    prompt_path ? prompt_path : "built-in prompt");
	lp_llm_fill(&sysbuf,
	    json_string_value(json_object_get(
		t.prompt, t.json_mode ? "system" : "system_plain")),
	    t.target, NULL);
	t.system = sysbuf.p;
	/* The reply's shape, which validate() and reply_items() check. */
	t.format = json_pack("{s:s,s:{s:s,s:b,s:{s:s,s:{s:{s:s,s:{s:s,s:{s:{"
			     "s:s},s:{s:s}},s:[s,s],s:b}}},s:[s],s:b}}}",
	    "type", "json_schema", "json_schema", "name", "translations",
	    "strict", 1, "schema", "type", "object", "properties", "items",
	    "type", "array", "items", "type", "object", "properties", "id",
	    "type", "string", "text", "type", "string", "required", "id",
	    "text", "additionalProperties", 0, "required", "items",
	    "additionalProperties", 0);
	template_init();
	o.cfg.validate = validate;
	o.cfg.audit = audit_call;
	o.cfg.audit_arg = &run;
	if ((t.llm = lp_llm_new(&o.cfg, err, sizeof(err))) == NULL)
		lp_cli_usage("%s", err);
	/* What changes the output, for the lineage config digest. */
	snprintf(cfgtext, sizeof(cfgtext),
	    "model=%s target=%s field=%s prompt=%s json=%d batch=%d "
	    "temperature=%g seed=%ld glossary=%d",
	    t.model, t.target, t.field, t.prompt_version, t.json_mode, t.batch,
	    t.temperature, t.seed, t.nterms);
	t.pend = lp_xmalloc(sizeof(*t.pend) * (size_t)t.batch);
	t.run = &run;
	lp_window_init(&t.w, &o, "translation", &run);
	lp_run_open(&run, argc, argv, cfgtext);
	while (!lp_llm_stopped(t.llm) && lp_run_next(&run, &rec) == LP_OK) {
		take(rec);
		/* The window is full: wait for its oldest to be done. */
		while (lp_window_full(&t.w))
			pump(1);
		pump(0);
	}
	flush_batch();
	while (t.w.head < t.w.nread)
		pump(1);
	lp_run_count(&run, "translated", t.n_done);
	lp_run_count(&run, "failed", t.n_failed);
	lp_run_count(&run, "not_sent_budget", t.n_budget);
	lp_run_count(&run, "cached", t.n_cached);
	lp_run_count(&run, "missing_from_batch", t.n_missing);
	lp_run_count(&run, "already_translated", t.n_already);
	lp_run_count(&run, "no_text", t.n_notext);
	lp_run_count(&run, "glossary_missed", t.n_glossary_missed);
	status = lp_llm_close(&run, t.llm, "titles not translated", t.n_done,
	    t.n_failed, t.n_budget);
	lp_window_free(&t.w);
	lp_llm_free(t.llm);
	json_decref(t.prompt);
	json_decref(t.format);
	template_free();
	free(t.system);
	for (ch = 0; ch < t.nterms; ch++) {
		free(t.terms[ch].from);
		free(t.terms[ch].to);
	}
	free(t.terms);
	free(t.pend);
	lp_llm_cli_free(&o);
	return status;
}
