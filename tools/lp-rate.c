/*
 * lp-rate: an LLM judge rates each translation 1-4 on the rubric, with a
 * confidence read from the score token's probabilities, or self-reported
 * where a server gives no logprobs.  Several judges (--model repeated)
 * are pooled: their distributions averaged.  The requests, verdicts and
 * pooling are lib/llm/rating.
 *
 * Records flow through the LLM tools' window (lib/tool/llm_window) as in
 * lp-translate: one request per judge and record, answers in any order,
 * records out in input order.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/data.h"
#include "core/record.h"
#include "core/secret.h"
#include "llm/llm.h"
#include "llm/rating.h"
#include "llm/translate.h"
#include "tool/cli.h"
#include "tool/llm_options.h"
#include "tool/llm_window.h"
#include "tool/log.h"
#include "tool/run.h"

enum {
	OPT_FIELD = LP_OPT_TOOL_BASE,
	OPT_FORCE,
	OPT_MODEL,
	OPT_NO_LOGPROBS,
	OPT_NO_RATIONALE,
	OPT_PROMPT,
	OPT_RUBRIC,
	OPT_TOP_LOGPROBS
};

static const struct lp_tool tool = {"lp-rate",
    "[-qv] [-o file] [-j n] [--model name ...] [--api-base url]\n"
    "       [--api-key-file file] [--rubric file] [--prompt file]\n"
    "       [--no-rationale] [--no-logprobs] [--rpm n] [--tpm n]\n"
    "       [--cache dir | --no-cache] [--dry-run] [file ...]",
    "Rate translations 1-4 with an LLM judge, with a confidence.",
    "      --model=NAME        a judge; repeat for several (LP_JUDGE_MODEL;\n"
    "                          default gpt-4.1)\n"
    "      --rubric=FILE       the scale (default the built-in\n"
    "                          guidelines/rubric.json)\n"
    "      --prompt=FILE       the judge prompt (default the built-in\n"
    "                          guidelines/prompts/judge.json)\n"
    "      --field=PATH        the source text (default title_display,\n"
    "                          else title: what lp-translate translated)\n"
    "      --no-rationale      no rationale in the answer (fewer tokens)\n"
    "      --no-logprobs       do not ask for logprobs: self-reported\n"
    "                          confidence only\n"
    "      --top-logprobs=N    alternatives per token asked for (default\n"
    "                          10; 1 to 20)\n"
    "      --force             rate records that have a rating\n"
    "\nAPI options:\n" LP_LLM_HELP,
    0,
    "{rated} rated ({cached} cached, {llm_retries:retry}, {failed} "
    "failed)"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS, LP_LLM_LONGOPTS,
    {"field", required_argument, NULL, OPT_FIELD},
    {"force", no_argument, NULL, OPT_FORCE},
    {"model", required_argument, NULL, OPT_MODEL},
    {"no-logprobs", no_argument, NULL, OPT_NO_LOGPROBS},
    {"no-rationale", no_argument, NULL, OPT_NO_RATIONALE},
    {"prompt", required_argument, NULL, OPT_PROMPT},
    {"rubric", required_argument, NULL, OPT_RUBRIC},
    {"top-logprobs", required_argument, NULL, OPT_TOP_LOGPROBS},
    {NULL, 0, NULL, 0}};

/* The tool's state. */
struct rate {
	struct lp_rating r;
	struct lp_llm_options o;
	const char *field, *prompt_path, *rubric_path;
	int force;
	struct lp_window w;
	struct lp_llm *llm;
	long long n_cached, n_noinput, n_already;
};

/* One request: a record and a judge. */
struct call {
	struct rate *t;
	size_t seq;
	int judge;
};

static int
validate(const char *content, void *user, struct lp_error *err)
{
	const struct call *c = user;

	return lp_rating_check(&c->t->r, content, NULL, err);
}

static void
audit_call(json_t *ev, void *arg)
{
	lp_run_audit(arg, "llm_call", ev);
}

static void
landed(struct rate *t, struct lp_llm_result *r)
{
	struct call *c = r->user;
	struct lp_slot *s = lp_window_at(&t->w, c->seq);

	json_array_set_new(
	    s->work, (size_t)c->judge, lp_rating_verdict(&t->r, r, c->judge));
	t->n_cached += r->cached;
	if (--s->waiting == 0)
		s->member = lp_rating_pool(&t->r, s->work);
	free(c);
	lp_llm_result_free(r);
}

static void
take(struct rate *t, struct lp_record *rec)
{
	struct lp_slot *s = lp_window_add(&t->w, rec);
	const char *src, *tr;
	size_t srclen, trlen;
	int j;

	/* The text lp-translate translated: the display form by default. */
	src = lp_translate_source(rec, t->field, &srclen);
	tr = lp_record_get_strn(rec, "translation.text", &trlen);
	if (!t->force && lp_record_get(rec, "rating.score") != NULL) {
		t->n_already++;
		return;
	}
	if (src == NULL || srclen == 0 || tr == NULL || trlen == 0) {
		/* Nothing to rate: said so on the record, which is kept. */
		s->member = lp_rating_no_input(&t->r,
		    t->field != NULL ? t->field : "title",
		    src == NULL || srclen == 0,
		    json_string_value(
			lp_record_get(rec, "translation.error.message")));
		t->n_noinput++;
		return;
	}
	lp_rating_user(&t->r, src, srclen, tr, trlen);
	s->work = json_array();
	for (j = 0; j < t->r.nmodels; j++) {
		struct lp_buf body = LP_BUF_INIT;
		char digest[65];
		struct call *c;

		json_array_append_new(s->work, json_null());
		lp_rating_request(&t->r, j, &body, digest);
		if (t->o.dry_run) {
			lp_window_dry_run(&t->w, t->llm, body.p, body.len);
			lp_buf_release(&body);
			continue;
		}
		c = lp_xmalloc(sizeof(*c));
		c->t = t;
		c->seq = s->seq;
		c->judge = j;
		s->waiting++;
		lp_llm_submit_raw(t->llm, body.p, body.len, digest, c);
	}
}

static void
pump(struct rate *t, int block)
{
	struct lp_llm_result *r;

	while ((r = lp_window_next(t->llm, &block)) != NULL)
		landed(t, r);
	lp_window_settle(&t->w, t->llm, "rated", t->r.n.rated,
	    t->r.n.failed + t->r.n.budget);
}

static void
parse_options(struct rate *t, int argc, char **argv)
{
	int ch;

	while ((ch = lp_llm_options_next(&t->o, argc, argv, longopts)) != -1) {
		switch (ch) {
		case OPT_FIELD:
			t->field = optarg;
			break;
		case OPT_FORCE:
			t->force = 1;
			break;
		case OPT_MODEL:
			t->r.models = lp_xrealloc(t->r.models,
			    sizeof(*t->r.models) * (size_t)(t->r.nmodels + 1));
			t->r.models[t->r.nmodels++] = optarg;
			break;
		case OPT_NO_LOGPROBS:
			t->r.logprobs = 0;
			break;
		case OPT_NO_RATIONALE:
			t->r.rationale = 0;
			break;
		case OPT_PROMPT:
			t->prompt_path = optarg;
			break;
		case OPT_RUBRIC:
			t->rubric_path = optarg;
			break;
		case OPT_TOP_LOGPROBS:
			t->r.top =
			    (int)lp_cli_int("--top-logprobs", optarg, 1, 20);
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
}

/*
 * After the options: the judges, the rubric and the prompt, the client
 * and the lineage config text.
 */
static void
setup(struct rate *t, json_t **rubric, json_t **prompt, struct lp_run *run,
    char *cfgtext, size_t size)
{
	struct lp_error err;
	size_t n;
	int j;

	lp_llm_options_done(&t->o);
	if (t->r.nmodels == 0) {
		t->r.models = lp_xmalloc(sizeof(*t->r.models));
		t->r.models[t->r.nmodels++] =
		    (char *)lp_llm_options_model(&t->o, NULL, "LP_JUDGE_MODEL",
			LP_LLM_KEY_JUDGE_MODEL, "gpt-4.1");
	}
	t->r.target = t->o.target;
	t->r.temperature = t->o.temperature;
	t->r.seed = t->o.seed;
	*rubric = lp_cli_json_data(
	    t->rubric_path, lp_data_rubric, lp_data_rubric_len);
	if (lp_rating_rubric(&t->r, *rubric, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s: %s",
		    t->rubric_path ? t->rubric_path : "built-in rubric",
		    err.msg);
	*prompt = lp_cli_json_data(
	    t->prompt_path, lp_data_judge_prompt, lp_data_judge_prompt_len);
	if (lp_rating_prompt(&t->r, *prompt, *rubric, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s: %s",
		    t->prompt_path ? t->prompt_path : "built-in prompt",
		    err.msg);
	t->o.cfg.validate = validate;
	t->o.cfg.trim = lp_rating_trim;
	t->o.cfg.audit = audit_call;
	t->o.cfg.audit_arg = run;
	t->o.cfg.drop = free; /* a struct call, after an interrupt */
	t->llm = lp_llm_options_client(&t->o);
	/* What changes the output, for the lineage config digest. */
	n = (size_t)snprintf(cfgtext, size,
	    "rubric=%s prompt=%s target=%s field=%s rationale=%d logprobs=%d "
	    "top=%d temperature=%g seed=%ld models=",
	    t->r.rubric_version, t->r.prompt_version, t->r.target,
	    LP_TRANSLATE_SOURCE_NAME(t->field), t->r.rationale, t->r.logprobs,
	    t->r.top, t->r.temperature, t->r.seed);
	for (j = 0; j < t->r.nmodels && n < size; j++)
		n += (size_t)snprintf(cfgtext + n, size - n, "%s%s",
		    j ? "," : "", t->r.models[j]);
}

int
main(int argc, char **argv)
{
	struct rate t;
	char cfgtext[1024];
	struct lp_record *rec;
	struct lp_run run;
	json_t *prompt, *rubric;
	int status;

	memset(&t, 0, sizeof(t));
	lp_rating_init(&t.r);
	lp_llm_options_init(&t.o);
	lp_cli_init(argc, argv, &tool);
	parse_options(&t, argc, argv);
	argc -= optind;
	argv += optind;
	setup(&t, &rubric, &prompt, &run, cfgtext, sizeof(cfgtext));
	lp_window_init(&t.w, &t.o, "rating", &run);
	lp_run_open(&run, argc, argv, cfgtext);
	lp_run_audit_version(&run, "rubric", t.r.rubric_version, rubric);
	lp_run_audit_version(&run, "prompt", t.r.prompt_version, prompt);
	while (!lp_llm_stopped(t.llm) && lp_run_next(&run, &rec) == LP_OK) {
		take(&t, rec);
		/* An interrupt stops the waiting too (the client sees it). */
		while (lp_window_full(&t.w) && !lp_interrupted)
			pump(&t, 1);
		pump(&t, 0);
	}
	/* Interrupted: what is done was written; the rest is not waited for. */
	while (t.w.head < t.w.nread && !lp_interrupted)
		pump(&t, 1);
	lp_run_count(&run, "rated", t.r.n.rated);
	lp_run_count(&run, "failed", t.r.n.failed);
	lp_run_count(&run, "judge_failed", t.r.n.partial);
	lp_run_count(&run, "not_sent_budget", t.r.n.budget);
	lp_run_count(&run, "cached", t.n_cached);
	lp_run_count(&run, "self_report", t.r.n.selfreport);
	lp_run_count(&run, "disagreements", t.r.n.disagree);
	lp_run_count(&run, "no_input", t.n_noinput);
	lp_run_count(&run, "already_rated", t.n_already);
	if (t.n_noinput > 0 && lp_verbosity >= 0)
		lp_warnx("%lld records had nothing to rate (rating.error "
			 "no_input)",
		    t.n_noinput);
	status = lp_window_close(&t.w, t.llm, "items not rated by every judge",
	    t.r.n.rated - t.r.n.partial, t.r.n.failed + t.r.n.partial,
	    t.r.n.budget);
	lp_window_release(&t.w);
	lp_llm_free(t.llm);
	free(t.r.models);
	lp_rating_release(&t.r);
	json_decref(prompt);
	json_decref(rubric);
	lp_llm_options_release(&t.o);
	return status;
}
