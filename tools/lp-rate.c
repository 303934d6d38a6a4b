/*
 * lp-rate: an LLM judge rates each translation 1-4 on the rubric, with a
 * confidence read from the score token's probabilities (lib/judge), or
 * self-reported where a server gives no logprobs.  Several judges
 * (--model repeated) are pooled: their distributions averaged.
 *
 * Records flow through the LLM tools' window (lib/llmcli) as in
 * lp-translate: one request per judge and record, answers in any order,
 * records out in input order.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "tool/cli.h"
#include "llm/judge.h"
#include "core/json.h"
#include "llm/llm.h"
#include "tool/llmcli.h"
#include "tool/log.h"
#include "core/record.h"
#include "tool/run.h"
#include "core/data.h"

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
    "      --field=PATH        the source text (default title)\n"
    "      --no-rationale      no rationale in the answer (fewer tokens)\n"
    "      --no-logprobs       do not ask for logprobs: self-reported\n"
    "                          confidence only\n"
    "      --top-logprobs=N    alternatives per token asked for (default\n"
    "                          10; 1 to 20)\n"
    "      --force             rate records that have a rating\n"
    "\nAPI options:\n" LP_LLM_HELP,
    0};

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

/* One request: a record and a judge. */
struct call {
	size_t seq;
	int judge;
};

static struct {
	char **models;
	int nmodels;
	const char *field, *target, *rubric_version, *prompt_version;
	int nscale; /* the rubric's top score */
	int rationale, logprobs, top, force, dry_run;
	double temperature;
	long seed;
	struct lp_llm_tmpl *tpl; /* one per judge */
	struct lp_buf user;
	struct lp_window w;
	struct lp_llm *llm;
	struct lp_run *run;
	long long n_rated, n_failed, n_partial, n_budget, n_cached, n_noinput,
	    n_already, n_selfreport, n_disagree;
} t;

/* ---- Prompt and requests. */

/* The system text: {target}, {target_code}, {rubric}, {rationale}. */
static char *
system_text(const json_t *prompt, const json_t *rubric)
{
	struct lp_buf b = LP_BUF_INIT, labels = LP_BUF_INIT;
	const char *vars[5];
	const json_t *l;
	size_t i;

	json_array_foreach (json_object_get(rubric, "labels"), i, l)
		lp_buf_addf(&labels, "%s%lld = %s: %s", i ? "\n" : "",
		    (long long)json_integer_value(json_object_get(l, "value")),
		    json_string_value(json_object_get(l, "name")),
		    json_string_value(json_object_get(l, "definition")));
	vars[0] = "rubric";
	vars[1] = labels.p;
	vars[2] = "rationale";
	vars[3] = t.rationale
	    ? json_string_value(json_object_get(prompt, "rationale"))
	    : "";
	vars[4] = NULL;
	lp_llm_fill(&b, json_string_value(json_object_get(prompt, "system")),
	    t.target, vars);
	lp_buf_release(&labels);
	return b.p;
}

/* The rubric: labels with values 1..n in order, names, definitions. */
static void
check_rubric(const json_t *r, const char *path)
{
	const json_t *labels = json_object_get(r, "labels"), *l;
	size_t i;

	t.rubric_version = json_string_value(json_object_get(r, "version"));
	if (t.rubric_version == NULL || !json_is_array(labels) ||
	    json_array_size(labels) < 2 ||
	    json_array_size(labels) > LP_JUDGE_MAX)
		lp_errx(LP_EXIT_DATAERR,
		    "%s: a rubric needs a version and 2 to %d labels", path,
		    LP_JUDGE_MAX);
	json_array_foreach (labels, i, l)
		if (json_integer_value(json_object_get(l, "value")) !=
			(json_int_t)i + 1 ||
		    !json_is_string(json_object_get(l, "name")) ||
		    !json_is_string(json_object_get(l, "definition")))
			lp_errx(LP_EXIT_DATAERR,
			    "%s: label %zu needs value %zu, a name and a "
			    "definition",
			    path, i + 1, i + 1);
	t.nscale = (int)json_array_size(labels);
}

static json_t *
schema(void)
{
	json_t *e = json_array(), *props, *req;
	int k;

	for (k = 1; k <= t.nscale; k++)
		json_array_append_new(e, json_integer(k));
	props = json_pack("{s:{s:s,s:o},s:{s:s}}", "score", "type", "integer",
	    "enum", e, "confidence", "type", "number");
	req = json_pack("[s,s]", "score", "confidence");
	if (t.rationale) {
		json_object_set_new(
		    props, "rationale", json_pack("{s:s}", "type", "string"));
		json_array_append_new(req, json_string("rationale"));
	}
	return json_pack("{s:s,s:{s:s,s:b,s:{s:s,s:o,s:o,s:b}}}", "type",
	    "json_schema", "json_schema", "name", "rating", "strict", 1,
	    "schema", "type", "object", "properties", props, "required", req,
	    "additionalProperties", 0);
}

static void
templates_init(const char *system)
{
	json_t *format = schema();
	int j;

	t.tpl = lp_xmalloc(sizeof(*t.tpl) * (size_t)t.nmodels);
	for (j = 0; j < t.nmodels; j++) {
		json_t *body =
		    json_pack("{s:s,s:[{s:s,s:s},{s:s,s:o}],s:f,s:i}", "model",
			t.models[j], "messages", "role", "system", "content",
			system, "role", "user", "content", lp_llm_hole(),
			"temperature", t.temperature, "seed", (int)t.seed);

		if (t.logprobs) {
			json_object_set_new(body, "logprobs", json_true());
			json_object_set_new(
			    body, "top_logprobs", json_integer(t.top));
		}
		json_object_set(body, "response_format", format);
		if (lp_llm_tmpl_init(&t.tpl[j], body) != 0)
			abort();
		json_decref(body);
	}
	json_decref(format);
}

/* ---- Answers. */

/* The answer's fields, checked; 0, or -1 with why. */
static int
parse_answer(const char *content, json_t **out, char *why, size_t n)
{
	json_t *v = lp_json_load(content, strlen(content), 0, NULL), *score,
	       *conf, *rat;

	*out = NULL;
	if (!json_is_object(v)) {
		snprintf(why, n, "the answer is not a JSON object");
		json_decref(v);
		return -1;
	}
	score = json_object_get(v, "score");
	conf = json_object_get(v, "confidence");
	rat = json_object_get(v, "rationale");
	if (score == NULL)
		snprintf(why, n, "the answer has no score");
	else if (!json_is_integer(score)) {
		char *s = json_dumps(score, JSON_ENCODE_ANY | JSON_COMPACT);

		snprintf(why, n, "the score is not a number 1-%d: %.60s",
		    t.nscale, s);
		free(s);
	} else if (json_integer_value(score) < 1 ||
	    json_integer_value(score) > t.nscale)
		snprintf(why, n, "score %lld is outside 1-%d",
		    (long long)json_integer_value(score), t.nscale);
	else if (!json_is_number(conf) || json_number_value(conf) < 0 ||
	    json_number_value(conf) > 1)
		snprintf(why, n, "the answer has no confidence from 0 to 1");
	else if (t.rationale && !json_is_string(rat))
		snprintf(why, n, "the answer has no rationale");
	else {
		*out = v;
		return 0;
	}
	json_decref(v);
	return -1;
}

static int
validate(const char *content, void *user, char *why, size_t n)
{
	json_t *v;

	(void)user;
	if (parse_answer(content, &v, why, n) != 0)
		return -1;
	json_decref(v);
	return 0;
}

/* Cached answers keep the logprobs only up to the score. */
static void
trim(json_t *reply)
{
	json_t *choice = json_array_get(json_object_get(reply, "choices"), 0);
	const char *content = json_string_value(
	    json_object_get(json_object_get(choice, "message"), "content"));

	if (content != NULL)
		lp_judge_trim(
		    json_object_get(choice, "logprobs"), content, "score");
}

static void
audit_call(json_t *ev, void *arg)
{
	lp_run_audit(arg, "llm_call", ev);
}

/*
 * Four decimals are plenty in the record; verdicts keep full precision
 * until the judges are pooled.
 */
static void
round_probs(json_t *m)
{
	static const char *const keys[] = {
	    "confidence", "expected", "logprob_mass"};
	json_t *v, *probs = json_object_get(m, "probs");
	const char *k;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (json_is_real(v = json_object_get(m, keys[i])))
			json_real_set(v, round(json_real_value(v) * 1e4) / 1e4);
	json_object_foreach (probs, k, v)
		json_real_set(v, round(json_real_value(v) * 1e4) / 1e4);
}

/* "1", "2" ...: a score as a key of probs (scales have one digit). */
static const char *
score_key(int k)
{
	static const char *const keys[LP_JUDGE_MAX + 1] = {
	    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

	return keys[k];
}

static json_t *
probs_json(const struct lp_judge_dist *d)
{
	json_t *o = json_object();
	int k;

	for (k = 1; k <= d->n; k++)
		json_object_set_new(o, score_key(k), json_real(d->p[k]));
	return o;
}

/* One judge's verdict from its answer. */
static json_t *
verdict(const struct lp_llm_result *r, int judge)
{
	json_t *a, *m;
	struct lp_judge_dist d;
	const char *why = "the server gave no logprobs";
	char err[256];

	m = json_object();
	if (r->why != LP_LLM_OK) {
		json_object_set_new(m, "error", lp_llm_error_json(r));
		json_object_set_new(m, "model", json_string(t.models[judge]));
		return m;
	}
	if (parse_answer(r->content, &a, err, sizeof(err)) != 0) {
		/* The client checked it; a cached answer may predate that. */
		json_object_set_new(m, "error",
		    json_pack("{s:s,s:n,s:s,s:i}", "reason", "reply", "status",
			"message", err, "attempts", r->attempts));
		json_object_set_new(m, "model", json_string(t.models[judge]));
		return m;
	}
	if (t.logprobs && r->logprobs != NULL &&
	    lp_judge_dist(
		r->content, r->logprobs, "score", t.nscale, &d, &why) == 0) {
		json_object_set_new(m, "score", json_integer(d.score));
		json_object_set_new(m, "confidence", json_real(d.confidence));
		json_object_set_new(m, "expected", json_real(d.expected));
		json_object_set_new(m, "probs", probs_json(&d));
		json_object_set_new(m, "logprob_mass", json_real(d.mass));
		json_object_set_new(m, "method", json_string("logprobs"));
	} else {
		json_object_set(m, "score", json_object_get(a, "score"));
		json_object_set_new(m, "confidence",
		    json_real(
			json_number_value(json_object_get(a, "confidence"))));
		json_object_set_new(m, "method", json_string("self-report"));
		if (t.logprobs)
			json_object_set_new(
			    m, "logprobs_missing", json_string(why));
	}
	if (t.rationale)
		json_object_set(
		    m, "rationale", json_object_get(a, "rationale"));
	json_object_set_new(m, "model",
	    json_string(r->model != NULL ? r->model : t.models[judge]));
	lp_llm_answer_fields(m, r, 1);
	json_decref(a);
	return m;
}

/*
 * A judge's distribution: its probs, or for a self-report the confidence
 * on its score and the rest spread evenly over the other scores.
 */
static void
dist_of(const json_t *v, struct lp_judge_dist *d)
{
	const json_t *probs = json_object_get(v, "probs");
	int k, s = (int)json_integer_value(json_object_get(v, "score"));
	double c = json_number_value(json_object_get(v, "confidence"));

	memset(d, 0, sizeof(*d));
	d->n = t.nscale;
	for (k = 1; k <= t.nscale; k++) {
		d->p[k] = probs != NULL
		    ? json_number_value(json_object_get(probs, score_key(k)))
		    : k == s ? c
			     : (1 - c) / (t.nscale - 1);
	}
}

static json_t *
versions(json_t *m)
{
	json_object_set_new(m, "rubric_version", json_string(t.rubric_version));
	json_object_set_new(m, "prompt_version", json_string(t.prompt_version));
	return m;
}

/* All judges are in: the record's rating. */
static json_t *
combine(json_t *judges)
{
	json_t *m, *v, *first_err = NULL;
	struct lp_judge_dist pool, d;
	int nok = 0, lo = 99, hi = 0, nlp = 0, k;
	size_t i;

	memset(&pool, 0, sizeof(pool));
	pool.n = t.nscale;
	json_array_foreach (judges, i, v) {
		int s = (int)json_integer_value(json_object_get(v, "score"));

		if (json_object_get(v, "error") != NULL) {
			if (first_err == NULL)
				first_err = json_object_get(v, "error");
			continue;
		}
		dist_of(v, &d);
		for (k = 1; k <= t.nscale; k++)
			pool.p[k] += d.p[k];
		nok++;
		nlp += json_object_get(v, "probs") != NULL;
		lo = s < lo ? s : lo;
		hi = s > hi ? s : hi;
	}
	if (nok == 0) {
		const char *reason =
		    json_string_value(json_object_get(first_err, "reason"));

		if (reason != NULL && strcmp(reason, "budget") == 0)
			t.n_budget++;
		else
			t.n_failed++;
		m = json_pack("{s:O}", "error", first_err);
		if (t.nmodels > 1)
			json_object_set(m, "judges", judges);
		return versions(m);
	}
	t.n_rated++;
	t.n_partial += nok < (int)json_array_size(judges);
	if (t.nmodels == 1) {
		/* One judge: its verdict is the rating. */
		t.n_selfreport += nlp == 0;
		m = json_incref(json_array_get(judges, 0));
		round_probs(m);
		return versions(m);
	}
	m = json_object();
	for (k = 1; k <= t.nscale; k++)
		pool.p[k] /= nok;
	lp_judge_summarise(&pool);
	json_object_set_new(m, "score", json_integer(pool.score));
	json_object_set_new(m, "confidence", json_real(pool.confidence));
	json_object_set_new(m, "expected", json_real(pool.expected));
	json_object_set_new(m, "probs", probs_json(&pool));
	json_object_set_new(m, "method",
	    json_string(nlp == nok ? "logprobs"
		    : nlp == 0	   ? "self-report"
				   : "mixed"));
	json_object_set_new(m, "disagreement", json_boolean(hi - lo > 1));
	t.n_disagree += hi - lo > 1;
	t.n_selfreport += nlp < nok;
	round_probs(m);
	json_array_foreach (judges, i, v)
		round_probs(v);
	json_object_set(m, "judges", judges);
	return versions(m);
}

static void
landed(struct lp_llm_result *r)
{
	struct call *c = r->user;
	struct lp_slot *s = lp_window_at(&t.w, c->seq);

	json_array_set_new(s->work, (size_t)c->judge, verdict(r, c->judge));
	t.n_cached += r->cached;
	if (--s->waiting == 0)
		s->member = combine(s->work);
	free(c);
	lp_llm_result_free(r);
}

/* ---- Records. */

static void
take(struct lp_record *rec)
{
	struct lp_slot *s = lp_window_add(&t.w, rec);
	const char *src, *tr;
	size_t srclen, trlen;
	int j;

	src = lp_record_get_strn(rec, t.field, &srclen);
	tr = lp_record_get_strn(rec, "translation.text", &trlen);
	if (!t.force && lp_record_get(rec, "rating.score") != NULL) {
		t.n_already++;
		return;
	}
	if (src == NULL || srclen == 0 || tr == NULL || trlen == 0) {
		/* Nothing to rate: said so on the record, which is kept. */
		const char *terr = json_string_value(
		    lp_record_get(rec, "translation.error.message"));
		char msg[300];

		if (src == NULL || srclen == 0)
			snprintf(msg, sizeof(msg), "no %s to rate", t.field);
		else if (terr != NULL)
			snprintf(msg, sizeof(msg),
			    "no translation to rate: it failed (%.200s)", terr);
		else
			snprintf(msg, sizeof(msg), "no translation to rate");
		s->member = versions(
		    json_pack("{s:{s:s,s:n,s:s,s:i}}", "error", "reason",
			"no_input", "status", "message", msg, "attempts", 0));
		t.n_noinput++;
		return;
	}
	/* The user message: {"source","translation"}, canonical. */
	lp_buf_reset(&t.user);
	lp_buf_adds(&t.user, "{\"source\":");
	lp_json_dump_str(src, srclen, &t.user);
	lp_buf_adds(&t.user, ",\"translation\":");
	lp_json_dump_str(tr, trlen, &t.user);
	lp_buf_addc(&t.user, '}');
	s->work = json_array();
	for (j = 0; j < t.nmodels; j++) {
		struct lp_buf body = LP_BUF_INIT;
		const char *text[1] = {t.user.p};
		size_t len[1] = {t.user.len};
		char digest[65];
		struct call *c;

		json_array_append_new(s->work, json_null());
		lp_llm_tmpl_fill(&t.tpl[j], text, len, &body, digest);
		if (t.dry_run) {
			lp_llm_dry_run(t.run, t.llm, body.p, body.len);
			lp_buf_release(&body);
			continue;
		}
		c = lp_xmalloc(sizeof(*c));
		c->seq = s->seq;
		c->judge = j;
		s->waiting++;
		lp_llm_submit_raw(t.llm, body.p, body.len, digest, c);
	}
}

static void
pump(int block)
{
	struct lp_llm_result *r;

	while ((r = block ? lp_llm_wait(t.llm) : lp_llm_poll(t.llm)) != NULL) {
		landed(r);
		block = 0;
	}
	lp_window_drain(&t.w);
	lp_llm_progress(t.run, t.llm, "rated", t.n_rated,
	    t.n_failed + t.n_budget, t.w.nread - t.w.head);
}

/* A JSON file given by an option, or the built-in one. */
static json_t *
data_file(const char *path, const unsigned char *data, size_t len)
{
	return path != NULL ? lp_cli_json_file(path)
			    : json_loadb((const char *)data, len, 0, NULL);
}

int
main(int argc, char **argv)
{
	struct lp_llm_cli o;
	const char *prompt_path = NULL, *rubric_path = NULL, *env;
	char err[512], cfgtext[1024], *system;
	struct lp_record *rec;
	struct lp_run run;
	json_t *prompt, *rubric;
	int ch, status, j;
	size_t n;

	lp_llm_cli_init(&o);
	t.field = "title";
	t.rationale = t.logprobs = 1;
	t.top = 10;
	lp_cli_init(argc, argv, &tool);
	while (
	    (ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS LP_LLM_SHORTOPTS,
		 longopts, NULL)) != -1) {
		if (lp_llm_cli_option(&o, ch, optarg))
			continue;
		switch (ch) {
		case OPT_FIELD:
			t.field = optarg;
			break;
		case OPT_FORCE:
			t.force = 1;
			break;
		case OPT_MODEL:
			t.models = lp_xrealloc(t.models,
			    sizeof(*t.models) * (size_t)(t.nmodels + 1));
			t.models[t.nmodels++] = optarg;
			break;
		case OPT_NO_LOGPROBS:
			t.logprobs = 0;
			break;
		case OPT_NO_RATIONALE:
			t.rationale = 0;
			break;
		case OPT_PROMPT:
			prompt_path = optarg;
			break;
		case OPT_RUBRIC:
			rubric_path = optarg;
			break;
		case OPT_TOP_LOGPROBS:
			t.top =
			    (int)lp_cli_int("--top-logprobs", optarg, 1, 20);
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (t.nmodels == 0) {
		env = getenv("LP_JUDGE_MODEL");
		t.models = lp_xmalloc(sizeof(*t.models));
		t.models[t.nmodels++] = (char *)(env && *env ? env : "gpt-4.1");
	}
	lp_llm_cli_done(&o);
	t.dry_run = o.dry_run;
	t.target = o.target;
	t.temperature = o.temperature;
	t.seed = o.seed;
	rubric = data_file(rubric_path, lp_data_rubric, lp_data_rubric_len);
	check_rubric(rubric, rubric_path ? rubric_path : "built-in rubric");
	prompt = data_file(
	    prompt_path, lp_data_judge_prompt, lp_data_judge_prompt_len);
	t.prompt_version =
	    json_string_value(json_object_get(prompt, "version"));
	if (t.prompt_version == NULL ||
	    !json_is_string(json_object_get(prompt, "system")) ||
	    !json_is_string(json_object_get(prompt, "rationale")))
		lp_errx(LP_EXIT_DATAERR,
		    "%s: a judge prompt needs version, system and rationale "
		    "strings",
		    prompt_path ? prompt_path : "built-in prompt");
	system = system_text(prompt, rubric);
	templates_init(system);
	o.cfg.validate = validate;
	o.cfg.trim = trim;
	o.cfg.audit = audit_call;
	o.cfg.audit_arg = &run;
	if ((t.llm = lp_llm_new(&o.cfg, err, sizeof(err))) == NULL)
		lp_cli_usage("%s", err);
	/* What changes the output, for the lineage config digest. */
	n = (size_t)snprintf(cfgtext, sizeof(cfgtext),
	    "rubric=%s prompt=%s target=%s field=%s rationale=%d logprobs=%d "
	    "top=%d temperature=%g seed=%ld models=",
	    t.rubric_version, t.prompt_version, t.target, t.field, t.rationale,
	    t.logprobs, t.top, t.temperature, t.seed);
	for (j = 0; j < t.nmodels && n < sizeof(cfgtext); j++)
		n += (size_t)snprintf(cfgtext + n, sizeof(cfgtext) - n, "%s%s",
		    j ? "," : "", t.models[j]);
	t.run = &run;
	lp_window_init(&t.w, &o, "rating", &run);
	lp_run_open(&run, argc, argv, cfgtext);
	while (!lp_llm_stopped(t.llm) && lp_run_next(&run, &rec) == LP_OK) {
		take(rec);
		while (lp_window_full(&t.w))
			pump(1);
		pump(0);
	}
	while (t.w.head < t.w.nread)
		pump(1);
	lp_run_count(&run, "rated", t.n_rated);
	lp_run_count(&run, "failed", t.n_failed);
	lp_run_count(&run, "judge_failed", t.n_partial);
	lp_run_count(&run, "not_sent_budget", t.n_budget);
	lp_run_count(&run, "cached", t.n_cached);
	lp_run_count(&run, "self_report", t.n_selfreport);
	lp_run_count(&run, "disagreements", t.n_disagree);
	lp_run_count(&run, "no_input", t.n_noinput);
	lp_run_count(&run, "already_rated", t.n_already);
	if (t.n_noinput > 0 && lp_verbosity >= 0)
		lp_warnx("%lld records had nothing to rate (rating.error "
			 "no_input)",
		    t.n_noinput);
	status = lp_llm_close(&run, t.llm, "items not rated by every judge",
	    t.n_rated - t.n_partial, t.n_failed + t.n_partial, t.n_budget);
	lp_window_free(&t.w);
	lp_llm_free(t.llm);
	for (j = 0; j < t.nmodels; j++)
		lp_llm_tmpl_free(&t.tpl[j]);
	free(t.tpl);
	free(t.models);
	free(system);
	lp_buf_release(&t.user);
	json_decref(prompt);
	json_decref(rubric);
	lp_llm_cli_free(&o);
	return status;
}
