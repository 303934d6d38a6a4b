/*
 * lp-translate: translate listing titles through an OpenAI-compatible
 * Chat Completions API (lib/llm: concurrency, limits, retries, cache).
 *
 * Records flow through a bounded window: each is kept as its line until
 * its translation is back, and leaves in input order (or as soon as it is
 * done with --unordered), so output streams and memory stays constant.
 * Titles go out one per request or --batch N per request with local ids;
 * an id missing from a batch reply is asked for alone.  A record whose
 * translation failed keeps its place with translation.error.  The
 * requests and the translation member are lib/llm/translate.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/data.h"
#include "core/file.h"
#include "core/record.h"
#include "core/secret.h"
#include "llm/llm.h"
#include "llm/translate.h"
#include "tool/cli.h"
#include "tool/llm_options.h"
#include "tool/llm_window.h"
#include "tool/log.h"
#include "tool/run.h"

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
    "      --field=PATH        the text to translate (default title_display\n"
    "                          when a record has it, else title)\n"
    "      --prompt=FILE       the prompt template (default the built-in\n"
    "                          guidelines/prompts/translate.json)\n"
    "      --glossary=FILE     terms kept verbatim or translated as given\n"
    "      --batch=N           titles per request (default 1)\n"
    "      --no-json-mode      plain-text replies, no response_format\n"
    "                          (one title per request)\n"
    "      --force             translate records that have a translation\n"
    "\nAPI options:\n" LP_LLM_HELP,
    0,
    "{translated} translated ({cached} cached, {llm_retries:retry}, "
    "{failed} failed)"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS, LP_LLM_LONGOPTS,
    {"batch", required_argument, NULL, OPT_BATCH},
    {"field", required_argument, NULL, OPT_FIELD},
    {"force", no_argument, NULL, OPT_FORCE},
    {"glossary", required_argument, NULL, OPT_GLOSSARY},
    {"model", required_argument, NULL, OPT_MODEL},
    {"no-json-mode", no_argument, NULL, OPT_NO_JSON_MODE},
    {"prompt", required_argument, NULL, OPT_PROMPT}, {NULL, 0, NULL, 0}};

/* The tool's state. */
struct translate {
	struct lp_translate tr;
	struct lp_llm_options o;
	const char *field, *prompt_path;
	int batch, force;
	json_t *prompt;
	struct lp_window w;
	size_t *pend; /* the batch being filled */
	int npend;
	struct lp_llm *llm;
	long long n_missing, n_already, n_notext;
};

/* One request: the slots it translates. */
struct batch {
	struct translate *t;
	size_t *seq;
	int n;
	int single; /* a retry of one missing item */
};

/* The glossary file's terms (read as the options are). */
static void
load_glossary(struct lp_translate *tr, const char *path)
{
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err;

	if (lp_file_read_all(path, &b, &err) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", err.msg);
	if (lp_glossary_load(&tr->glossary, b.p, b.len, path, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
	lp_buf_release(&b);
}

static int
validate(const char *content, void *user, struct lp_error *err)
{
	const struct batch *b = user;

	return lp_translate_check(&b->t->tr, content, err);
}

static void
audit_call(json_t *ev, void *arg)
{
	const struct translate *t = arg;

	json_object_set_new(ev, "model", json_string(t->tr.model));
	lp_run_audit(t->w.run, "llm_call", ev);
}

/* ---- The window. */

/* A batch done with, or one the client gives up (after an interrupt). */
static void
batch_free(void *user)
{
	struct batch *b = user;

	free(b->seq);
	free(b);
}

static void
submit(struct translate *t, size_t *seqs, int n, int single)
{
	struct batch *b = lp_xmalloc(sizeof(*b));
	char **texts = lp_xmalloc(sizeof(*texts) * (size_t)n);
	struct lp_buf body = LP_BUF_INIT;
	char digest[65];
	int i;

	b->t = t;
	b->seq = lp_xmalloc(sizeof(*b->seq) * (size_t)n);
	memcpy(b->seq, seqs, sizeof(*seqs) * (size_t)n);
	b->n = n;
	b->single = single;
	for (i = 0; i < n; i++)
		texts[i] = lp_window_at(&t->w, seqs[i])->text;
	lp_translate_request(&t->tr, texts, n, &body, digest);
	free(texts);
	if (t->o.dry_run) {
		lp_window_dry_run(&t->w, t->llm, body.p, body.len);
		lp_buf_release(&body);
		for (i = 0; i < n; i++)
			lp_window_at(&t->w, seqs[i])->waiting = 0;
		batch_free(b);
		return;
	}
	lp_llm_submit_raw(t->llm, body.p, body.len, digest, b);
}

static void
flush_batch(struct translate *t)
{
	if (t->npend > 0)
		submit(t, t->pend, t->npend, 0);
	t->npend = 0;
}

static void
settle(struct lp_slot *s, json_t *member)
{
	s->member = member;
	s->waiting = 0;
}

/* A finished request: its slots get their translations or errors. */
static void
landed(struct translate *t, struct lp_llm_result *r)
{
	struct batch *b = r->user;
	json_t *items = NULL;
	size_t *missing = lp_xmalloc(sizeof(*missing) * (size_t)b->n);
	int i, nmissing = 0;

	if (r->why == LP_LLM_OK && t->tr.json_mode)
		items = lp_translate_items(r->content);
	for (i = 0; i < b->n; i++) {
		struct lp_slot *s = lp_window_at(&t->w, b->seq[i]);
		const char *text;

		if (r->why != LP_LLM_OK)
			settle(s, lp_translate_failure(&t->tr, r, 0));
		else if ((text = lp_translate_text(&t->tr, r, items, i)) !=
		    NULL)
			settle(s,
			    lp_translate_member(&t->tr, r, s->text, text,
				t->tr.json_mode ? b->n : 1));
		else
			missing[nmissing++] = b->seq[i];
	}
	/* Left out of a batch: asked again, alone. */
	for (i = 0; i < nmissing; i++) {
		t->n_missing++;
		if (b->single)
			settle(lp_window_at(&t->w, missing[i]),
			    lp_translate_failure(&t->tr, r, 1));
		else
			submit(t, &missing[i], 1, 1);
	}
	json_decref(items);
	free(missing);
	batch_free(b);
	lp_llm_result_free(r);
}

/* Wait for one request to finish (sending the half-filled batch first). */
static void
pump(struct translate *t, int block)
{
	struct lp_llm_result *r;

	if (block)
		flush_batch(t);
	while ((r = lp_window_next(t->llm, &block)) != NULL)
		landed(t, r);
	lp_window_settle(&t->w, t->llm, "translated", t->tr.n.done,
	    t->tr.n.failed + t->tr.n.budget);
}

static void
take(struct translate *t, struct lp_record *rec)
{
	struct lp_slot *s = lp_window_add(&t->w, rec);
	const char *text;
	size_t len;
	json_t *tr;

	text = lp_translate_source(rec, t->field, &len);
	tr = lp_record_get(rec, "translation.text");
	if (text == NULL || len == 0)
		t->n_notext++; /* nothing to translate: as it came */
	else if (json_is_string(tr) && !t->force)
		t->n_already++; /* translated before: kept */
	else {
		s->text = lp_xmalloc(len + 1);
		memcpy(s->text, text, len);
		s->text[len] = '\0';
		s->waiting = 1;
		t->pend[t->npend++] = s->seq;
		if (t->npend == t->batch)
			flush_batch(t);
	}
}

static void
parse_options(struct translate *t, int argc, char **argv)
{
	int ch;

	while ((ch = lp_llm_options_next(&t->o, argc, argv, longopts)) != -1) {
		switch (ch) {
		case OPT_BATCH:
			t->batch = (int)lp_cli_int("--batch", optarg, 1, 100);
			break;
		case OPT_FIELD:
			t->field = optarg;
			break;
		case OPT_FORCE:
			t->force = 1;
			break;
		case OPT_GLOSSARY:
			load_glossary(&t->tr, optarg);
			break;
		case OPT_MODEL:
			t->tr.model = optarg;
			break;
		case OPT_NO_JSON_MODE:
			t->tr.json_mode = 0;
			break;
		case OPT_PROMPT:
			t->prompt_path = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
}

/* After the options: the prompt, the client and the lineage config text. */
static void
setup(struct translate *t, char *cfgtext, size_t size)
{
	struct lp_translate *tr = &t->tr;
	struct lp_error err;

	if (!tr->json_mode && t->batch > 1)
		lp_cli_usage("--batch needs JSON mode (drop --no-json-mode)");
	lp_llm_options_done(&t->o);
	tr->model = lp_llm_options_model(
	    &t->o, tr->model, "LP_MODEL", LP_LLM_KEY_MODEL, "gpt-4o");
	tr->target = t->o.target;
	tr->temperature = t->o.temperature;
	tr->seed = t->o.seed;
	t->prompt = lp_cli_json_data(t->prompt_path, lp_data_translate_prompt,
	    lp_data_translate_prompt_len);
	if (lp_translate_prompt(tr, t->prompt, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s: %s",
		    t->prompt_path ? t->prompt_path : "built-in prompt",
		    err.msg);
	t->o.cfg.validate = validate;
	t->o.cfg.audit = audit_call;
	t->o.cfg.audit_arg = t;
	t->o.cfg.drop = batch_free;
	t->llm = lp_llm_options_client(&t->o);
	/* What changes the output, for the lineage config digest. */
	snprintf(cfgtext, size,
	    "model=%s target=%s field=%s prompt=%s json=%d batch=%d "
	    "temperature=%g seed=%ld glossary=%d",
	    tr->model, tr->target, LP_TRANSLATE_SOURCE_NAME(t->field),
	    tr->prompt_version, tr->json_mode, t->batch, tr->temperature,
	    tr->seed, tr->glossary.n);
	t->pend = lp_xmalloc(sizeof(*t->pend) * (size_t)t->batch);
}

int
main(int argc, char **argv)
{
	struct translate t;
	char cfgtext[512];
	struct lp_record *rec;
	struct lp_run run;
	int status;

	memset(&t, 0, sizeof(t));
	lp_translate_init(&t.tr);
	lp_llm_options_init(&t.o);
	t.batch = 1;
	lp_cli_init(argc, argv, &tool);
	parse_options(&t, argc, argv);
	argc -= optind;
	argv += optind;
	setup(&t, cfgtext, sizeof(cfgtext));
	lp_window_init(&t.w, &t.o, "translation", &run);
	lp_run_open(&run, argc, argv, cfgtext);
	lp_run_audit_version(&run, "prompt", t.tr.prompt_version, t.prompt);
	while (!lp_llm_stopped(t.llm) && lp_run_next(&run, &rec) == LP_OK) {
		take(&t, rec);
		/* The window is full: wait for its oldest to be done. */
		/* An interrupt stops the waiting too (the client sees it). */
		while (lp_window_full(&t.w) && !lp_interrupted)
			pump(&t, 1);
		pump(&t, 0);
	}
	if (!lp_interrupted)
		flush_batch(&t);
	/* Interrupted: what is done was written; the rest is not waited for. */
	while (t.w.head < t.w.nread && !lp_interrupted)
		pump(&t, 1);
	lp_run_count(&run, "translated", t.tr.n.done);
	lp_run_count(&run, "failed", t.tr.n.failed);
	lp_run_count(&run, "not_sent_budget", t.tr.n.budget);
	lp_run_count(&run, "cached", t.tr.n.cached);
	lp_run_count(&run, "missing_from_batch", t.n_missing);
	lp_run_count(&run, "already_translated", t.n_already);
	lp_run_count(&run, "no_text", t.n_notext);
	lp_run_count(&run, "glossary_missed", t.tr.n.glossary_missed);
	status = lp_window_close(&t.w, t.llm, "titles not translated",
	    t.tr.n.done, t.tr.n.failed, t.tr.n.budget);
	lp_window_release(&t.w);
	lp_llm_free(t.llm);
	lp_translate_release(&t.tr);
	json_decref(t.prompt);
	free(t.pend);
	lp_llm_options_release(&t.o);
	return status;
}
