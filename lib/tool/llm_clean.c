#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/data.h"
#include "core/json.h"
#include "tool/cli.h"
#include "tool/llm_clean.h"
#include "tool/log.h"
#include "tool/run.h"

void
lp_llm_clean_init(struct lp_llm_clean *m)
{
	memset(m, 0, sizeof(*m));
	lp_cleaner_init(&m->cl);
	lp_llm_options_init(&m->lo);
	lp_record_init(&m->scratch);
}

int
lp_llm_clean_option(struct lp_llm_clean *m, int ch, const char *arg)
{
	switch (ch) {
	case LP_OPT_LLM:
		if (arg == NULL || strcmp(arg, "doubtful") == 0)
			m->mode = 1;
		else if (strcmp(arg, "all") == 0)
			m->mode = 2;
		else
			lp_cli_usage(
			    "invalid --llm '%s' (want doubtful or all)", arg);
		return 1;
	case LP_OPT_LLM_MAX_EDITS:
		m->cl.max_edits =
		    (int)lp_cli_int("--llm-max-edits", arg, 0, 1000);
		break;
	case LP_OPT_LLM_PROMPT:
		m->prompt_path = arg;
		break;
	case LP_OPT_MODEL:
		m->cl.model = arg;
		break;
	default:
		if (!lp_llm_options_parse(&m->lo, ch, arg))
			return 0;
	}
	m->opts = 1;
	return 1;
}

static void
audit_call(json_t *ev, void *arg)
{
	const struct lp_llm_clean *m = arg;

	json_object_set_new(ev, "model", json_string(m->cl.model));
	lp_run_audit(m->w.run, "llm_call", ev);
}

void
lp_llm_clean_setup(struct lp_llm_clean *m, struct lp_clean *c,
    char *const *fields, int nfields)
{
	struct lp_error err;
	int i;

	if (!m->mode) {
		if (m->opts)
			lp_cli_usage("the LLM options need --llm");
		return;
	}
	for (i = 0; i < nfields && strcmp(fields[i], "title") != 0; i++)
		;
	if (i == nfields)
		lp_cli_usage("--llm cleans titles: --fields must name title");
	lp_llm_options_done(&m->lo);
	/* As lp-translate: --model, LP_MODEL, the config file, gpt-4o. */
	m->cl.model = lp_llm_options_model(
	    &m->lo, m->cl.model, "LP_MODEL", LP_LLM_KEY_MODEL, "gpt-4o");
	m->cl.temperature = m->lo.temperature;
	m->cl.seed = m->lo.seed;
	m->cl.lower = c->lower;
	m->cl.rules = &c->rules;
	m->prompt = lp_cli_json_data(
	    m->prompt_path, lp_data_clean_prompt, lp_data_clean_prompt_len);
	if (lp_cleaner_prompt(&m->cl, m->prompt, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s: %s",
		    m->prompt_path ? m->prompt_path : "built-in prompt",
		    err.msg);
	m->lo.cfg.audit = audit_call;
	m->lo.cfg.audit_arg = m;
	m->client = lp_llm_options_client(&m->lo);
}

void
lp_llm_clean_config(const struct lp_llm_clean *m, struct lp_buf *b)
{
	if (m->mode)
		lp_buf_addf(b,
		    ";llm=%s;model=%s;prompt=%s;max_edits=%d;"
		    "temperature=%g;seed=%ld",
		    m->mode == 2 ? "all" : "doubtful", m->cl.model,
		    m->cl.prompt_version, m->cl.max_edits, m->cl.temperature,
		    m->cl.seed);
}

void
lp_llm_clean_start(struct lp_llm_clean *m, struct lp_run *run)
{
	lp_window_init(&m->w, &m->lo, "clean", run);
	lp_run_audit_version(run, "prompt", m->cl.prompt_version, m->prompt);
}

/* rec as it is now, parsed again into m->scratch from m->line. */
static void
reparse(struct lp_llm_clean *m, struct lp_record *rec)
{
	const char *file = rec->file;
	unsigned long line = rec->line;

	lp_buf_reset(&m->line);
	if (rec->root != NULL)
		lp_json_dump(rec->root, &m->line);
	else {
		lp_record_flatten(rec);
		lp_buf_add(&m->line, rec->text, rec->len);
	}
	lp_record_reset(&m->scratch);
	if (lp_record_parse(&m->scratch, m->line.p, m->line.len) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s:%lu: %s", file, line,
		    m->scratch.err.msg);
	m->scratch.file = file;
	m->scratch.line = line;
}

/* An answer: its slot's record gets it, guarded. */
static void
landed(struct lp_llm_clean *m, struct lp_llm_result *r)
{
	struct lp_slot *s = lp_window_at(&m->w, (uintptr_t)r->user - 1);

	lp_record_reset(&m->scratch);
	if (lp_record_parse(&m->scratch, s->line.p, s->line.len) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s:%lu: %s", s->file, s->lineno,
		    m->scratch.err.msg);
	m->scratch.file = s->file;
	m->scratch.line = s->lineno;
	lp_cleaner_apply(&m->cl, r, &m->scratch);
	reparse(m, &m->scratch);
	lp_buf_reset(&s->line);
	lp_buf_add(&s->line, m->line.p, m->line.len);
	s->canonical = 0;
	s->waiting = 0;
	lp_llm_result_free(r);
}

static void
pump(struct lp_llm_clean *m, int block)
{
	struct lp_llm_result *r;

	while ((r = lp_window_next(m->client, &block)) != NULL)
		landed(m, r);
	lp_window_settle(&m->w, m->client, "answered",
	    m->cl.n.accepted + m->cl.n.rejected,
	    m->cl.n.failed + m->cl.n.budget);
}

void
lp_llm_clean_take(struct lp_llm_clean *m, struct lp_record *rec)
{
	int send = m->mode == 2 || lp_cleaner_doubts(&m->cl, rec) != 0;
	struct lp_buf body = LP_BUF_INIT;
	struct lp_slot *s;
	const char *src;
	char digest[65];
	size_t len;

	/*
	 * The window keeps the line: a record changed by puts only is
	 * flattened in place; a rebuilt tree is dumped and parsed again.
	 */
	if (rec->root == NULL) {
		lp_record_flatten(rec);
		s = lp_window_add(&m->w, rec);
		src = lp_cleaner_source(rec, &len);
	} else {
		reparse(m, rec);
		s = lp_window_add(&m->w, &m->scratch);
		src = lp_cleaner_source(&m->scratch, &len);
	}
	if (send && src != NULL && len > 0) {
		lp_cleaner_request(&m->cl, src, len, &body, digest);
		if (m->lo.dry_run) {
			lp_window_dry_run(&m->w, m->client, body.p, body.len);
			lp_buf_release(&body);
		} else {
			s->waiting = 1;
			lp_llm_submit_raw(m->client, body.p, body.len, digest,
			    (void *)(uintptr_t)(s->seq + 1));
		}
	}
	/* The window is full: wait for its oldest to be done. */
	while (lp_window_full(&m->w) && !lp_interrupted)
		pump(m, 1);
	pump(m, 0);
}

int
lp_llm_clean_close(struct lp_llm_clean *m)
{
	const struct lp_cleaner_stats *n = &m->cl.n;
	struct lp_run *run = m->w.run;
	char name[64];
	int i;

	/* Interrupted: what is done was written; the rest is not waited for. */
	while (m->w.head < m->w.nread && !lp_interrupted)
		pump(m, 1);
	lp_run_count(run, "llm_doubtful", n->doubtful);
	lp_run_count(run, "llm_sent", n->sent);
	lp_run_count(run, "llm_accepted", n->accepted);
	lp_run_count(run, "llm_rejected", n->rejected);
	for (i = 1; i < LP_GUARD_NVERDICTS; i++) {
		snprintf(name, sizeof(name), "llm_rejected:%s",
		    lp_guard_name((enum lp_guard_verdict)i));
		lp_run_count(run, name, n->by[i]);
	}
	lp_run_count(run, "llm_failed", n->failed);
	lp_run_count(run, "llm_not_sent_budget", n->budget);
	lp_run_count(run, "llm_answers_cached", n->cached);
	return lp_window_close(&m->w, m->client,
	    "titles the model did not answer", n->accepted + n->rejected,
	    n->failed, n->budget);
}

void
lp_llm_clean_release(struct lp_llm_clean *m)
{
	if (m->w.slots != NULL)
		lp_window_release(&m->w);
	lp_llm_free(m->client);
	m->client = NULL;
	lp_cleaner_release(&m->cl);
	lp_record_release(&m->scratch);
	lp_buf_release(&m->line);
	json_decref(m->prompt);
	m->prompt = NULL;
	lp_llm_options_release(&m->lo);
}
