#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "llm/answer.h"
#include "llm/judge.h"
#include "llm/prompt.h"
#include "llm/rating.h"

void
lp_rating_init(struct lp_rating *r)
{
	memset(r, 0, sizeof(*r));
	r->rationale = r->logprobs = 1;
	r->top = 10;
}

int
lp_rating_rubric(
    struct lp_rating *r, const json_t *rubric, struct lp_error *err)
{
	const json_t *labels = json_object_get(rubric, "labels"), *l;
	size_t i;

	r->rubric_version =
	    json_string_value(json_object_get(rubric, "version"));
	if (r->rubric_version == NULL || !json_is_array(labels) ||
	    json_array_size(labels) < 2 ||
	    json_array_size(labels) > LP_JUDGE_MAX)
		return lp_error_set(err,
		    "a rubric needs a version and 2 to %d labels",
		    LP_JUDGE_MAX);
	json_array_foreach (labels, i, l)
		if (json_integer_value(json_object_get(l, "value")) !=
			(json_int_t)i + 1 ||
		    !json_is_string(json_object_get(l, "name")) ||
		    !json_is_string(json_object_get(l, "definition")))
			return lp_error_set(err,
			    "label %zu needs value %zu, a name and a "
			    "definition",
			    i + 1, i + 1);
	r->nscale = (int)json_array_size(labels);
	return LP_OK;
}

/* The system text: {target}, {target_code}, {rubric}, {rationale}. */
static char *
system_text(
    const struct lp_rating *r, const json_t *prompt, const json_t *rubric)
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
	vars[3] = r->rationale
	    ? json_string_value(json_object_get(prompt, "rationale"))
	    : "";
	vars[4] = NULL;
	lp_prompt_fill(&b, json_string_value(json_object_get(prompt, "system")),
	    r->target, vars);
	lp_buf_release(&labels);
	return b.p;
}

/* The answer's shape, as a response_format. */
static json_t *
schema(const struct lp_rating *r)
{
	json_t *e = json_array(), *props, *req;
	int k;

	for (k = 1; k <= r->nscale; k++)
		json_array_append_new(e, json_integer(k));
	props = json_pack("{s:{s:s,s:o},s:{s:s}}", "score", "type", "integer",
	    "enum", e, "confidence", "type", "number");
	req = json_pack("[s,s]", "score", "confidence");
	if (r->rationale) {
		json_object_set_new(
		    props, "rationale", json_pack("{s:s}", "type", "string"));
		json_array_append_new(req, json_string("rationale"));
	}
	return json_pack("{s:s,s:{s:s,s:b,s:{s:s,s:o,s:o,s:b}}}", "type",
	    "json_schema", "json_schema", "name", "rating", "strict", 1,
	    "schema", "type", "object", "properties", props, "required", req,
	    "additionalProperties", 0);
}

int
lp_rating_prompt(struct lp_rating *r, const json_t *prompt,
    const json_t *rubric, struct lp_error *err)
{
	json_t *format;
	int j, rc = LP_OK;

	r->prompt_version =
	    json_string_value(json_object_get(prompt, "version"));
	if (r->prompt_version == NULL ||
	    !json_is_string(json_object_get(prompt, "system")) ||
	    !json_is_string(json_object_get(prompt, "rationale")))
		return lp_error_set(err,
		    "a judge prompt needs version, system "
		    "and rationale strings");
	r->system = system_text(r, prompt, rubric);
	format = schema(r);
	r->tpl = lp_xmalloc(sizeof(*r->tpl) * (size_t)r->nmodels);
	memset(r->tpl, 0, sizeof(*r->tpl) * (size_t)r->nmodels);
	for (j = 0; j < r->nmodels && rc == LP_OK; j++) {
		json_t *body =
		    json_pack("{s:s,s:[{s:s,s:s},{s:s,s:o}],s:f,s:i}", "model",
			r->models[j], "messages", "role", "system", "content",
			r->system, "role", "user", "content", lp_llm_hole(),
			"temperature", r->temperature, "seed", (int)r->seed);

		if (r->logprobs) {
			json_object_set_new(body, "logprobs", json_true());
			json_object_set_new(
			    body, "top_logprobs", json_integer(r->top));
		}
		json_object_set(body, "response_format", format);
		rc = lp_llm_tmpl_init(&r->tpl[j], body, err);
		json_decref(body);
	}
	json_decref(format);
	return rc;
}

int
lp_rating_check(const struct lp_rating *r, const char *content, json_t **out,
    struct lp_error *err)
{
	json_t *v = lp_json_load(content, strlen(content), 0, NULL), *score,
	       *conf, *rat;
	int rc = LP_FAILED;

	if (out != NULL)
		*out = NULL;
	if (!json_is_object(v)) {
		json_decref(v);
		return lp_error_set(err, "the answer is not a JSON object");
	}
	score = json_object_get(v, "score");
	conf = json_object_get(v, "confidence");
	rat = json_object_get(v, "rationale");
	if (score == NULL)
		lp_error_set(err, "the answer has no score");
	else if (!json_is_integer(score)) {
		char *s = json_dumps(score, JSON_ENCODE_ANY | JSON_COMPACT);

		lp_error_set(
		    err, "the score is not a number 1-%d: %.60s", r->nscale, s);
		free(s);
	} else if (json_integer_value(score) < 1 ||
	    json_integer_value(score) > r->nscale)
		lp_error_set(err, "score %lld is outside 1-%d",
		    (long long)json_integer_value(score), r->nscale);
	else if (!json_is_number(conf) || json_number_value(conf) < 0 ||
	    json_number_value(conf) > 1)
		lp_error_set(err, "the answer has no confidence from 0 to 1");
	else if (r->rationale && !json_is_string(rat))
		lp_error_set(err, "the answer has no rationale");
	else
		rc = LP_OK;
	if (rc == LP_OK && out != NULL)
		*out = v;
	else
		json_decref(v);
	return rc;
}

void
lp_rating_trim(json_t *reply)
{
	json_t *choice = json_array_get(json_object_get(reply, "choices"), 0);
	const char *content = json_string_value(
	    json_object_get(json_object_get(choice, "message"), "content"));

	if (content != NULL)
		lp_judge_trim(
		    json_object_get(choice, "logprobs"), content, "score");
}

void
lp_rating_user(struct lp_rating *r, const char *src, size_t srclen,
    const char *tr, size_t trlen)
{
	/* {"source","translation"}, canonical. */
	lp_buf_reset(&r->user);
	lp_buf_adds(&r->user, "{\"source\":");
	lp_json_dump_str(src, srclen, &r->user);
	lp_buf_adds(&r->user, ",\"translation\":");
	lp_json_dump_str(tr, trlen, &r->user);
	lp_buf_addc(&r->user, '}');
}

void
lp_rating_request(
    const struct lp_rating *r, int judge, struct lp_buf *body, char digest[65])
{
	const char *text[1] = {r->user.p};
	size_t len[1] = {r->user.len};

	lp_llm_tmpl_fill(&r->tpl[judge], text, len, body, digest);
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

/* A verdict that is an error. */
static json_t *
failed(json_t *error, const char *model)
{
	json_t *m = json_object();

	json_object_set_new(m, "error", error);
	json_object_set_new(m, "model", json_string(model));
	return m;
}

json_t *
lp_rating_verdict(
    const struct lp_rating *r, const struct lp_llm_result *res, int judge)
{
	json_t *a, *m;
	struct lp_judge_dist d;
	struct lp_error err;

	if (res->why != LP_LLM_OK)
		return failed(lp_answer_error(res), r->models[judge]);
	if (lp_rating_check(r, res->content, &a, &err) != LP_OK)
		/* The client checked it; a cached answer may predate that. */
		return failed(
		    json_pack("{s:s,s:n,s:s,s:i}", "reason", "reply", "status",
			"message", err.msg, "attempts", res->attempts),
		    r->models[judge]);
	m = json_object();
	if (r->logprobs && res->logprobs != NULL &&
	    lp_judge_dist(res->content, res->logprobs, "score", r->nscale, &d,
		&err) == LP_OK) {
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
		if (r->logprobs)
			json_object_set_new(m, "logprobs_missing",
			    json_string(res->logprobs == NULL
				    ? "the server gave no logprobs"
				    : err.msg));
	}
	if (r->rationale)
		json_object_set(
		    m, "rationale", json_object_get(a, "rationale"));
	json_object_set_new(m, "model",
	    json_string(res->model != NULL ? res->model : r->models[judge]));
	lp_answer_fields(m, res, 1);
	json_decref(a);
	return m;
}

/*
 * A judge's distribution: its probs, or for a self-report the confidence
 * on its score and the rest spread evenly over the other scores.
 */
static void
dist_of(const struct lp_rating *r, const json_t *v, struct lp_judge_dist *d)
{
	const json_t *probs = json_object_get(v, "probs");
	int k, s = (int)json_integer_value(json_object_get(v, "score"));
	double c = json_number_value(json_object_get(v, "confidence"));

	memset(d, 0, sizeof(*d));
	d->n = r->nscale;
	for (k = 1; k <= r->nscale; k++) {
		d->p[k] = probs != NULL
		    ? json_number_value(json_object_get(probs, score_key(k)))
		    : k == s ? c
			     : (1 - c) / (r->nscale - 1);
	}
}

static json_t *
versions(const struct lp_rating *r, json_t *m)
{
	json_object_set_new(
	    m, "rubric_version", json_string(r->rubric_version));
	json_object_set_new(
	    m, "prompt_version", json_string(r->prompt_version));
	return m;
}

/* No judge gave a verdict: the first error. */
static json_t *
none(struct lp_rating *r, json_t *verdicts, json_t *first_err)
{
	const char *reason =
	    json_string_value(json_object_get(first_err, "reason"));
	json_t *m;

	if (reason != NULL && strcmp(reason, "budget") == 0)
		r->n.budget++;
	else
		r->n.failed++;
	m = json_pack("{s:O}", "error", first_err);
	if (r->nmodels > 1)
		json_object_set(m, "judges", verdicts);
	return versions(r, m);
}

json_t *
lp_rating_pool(struct lp_rating *r, json_t *verdicts)
{
	json_t *m, *v, *first_err = NULL;
	struct lp_judge_dist pool, d;
	int nok = 0, lo = 99, hi = 0, nlp = 0, k;
	size_t i;

	memset(&pool, 0, sizeof(pool));
	pool.n = r->nscale;
	json_array_foreach (verdicts, i, v) {
		int s = (int)json_integer_value(json_object_get(v, "score"));

		if (json_object_get(v, "error") != NULL) {
			if (first_err == NULL)
				first_err = json_object_get(v, "error");
			continue;
		}
		dist_of(r, v, &d);
		for (k = 1; k <= r->nscale; k++)
			pool.p[k] += d.p[k];
		nok++;
		nlp += json_object_get(v, "probs") != NULL;
		lo = s < lo ? s : lo;
		hi = s > hi ? s : hi;
	}
	if (nok == 0)
		return none(r, verdicts, first_err);
	r->n.rated++;
	r->n.partial += nok < (int)json_array_size(verdicts);
	if (r->nmodels == 1) {
		/* One judge: its verdict is the rating. */
		r->n.selfreport += nlp == 0;
		m = json_incref(json_array_get(verdicts, 0));
		round_probs(m);
		return versions(r, m);
	}
	m = json_object();
	for (k = 1; k <= r->nscale; k++)
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
	r->n.disagree += hi - lo > 1;
	r->n.selfreport += nlp < nok;
	round_probs(m);
	json_array_foreach (verdicts, i, v)
		round_probs(v);
	json_object_set(m, "judges", verdicts);
	return versions(r, m);
}

json_t *
lp_rating_no_input(const struct lp_rating *r, const char *field, int no_source,
    const char *failure)
{
	char msg[300];

	if (no_source)
		snprintf(msg, sizeof(msg), "no %s to rate", field);
	else if (failure != NULL)
		snprintf(msg, sizeof(msg),
		    "no translation to rate: it failed (%.200s)", failure);
	else
		snprintf(msg, sizeof(msg), "no translation to rate");
	return versions(r,
	    json_pack("{s:{s:s,s:n,s:s,s:i}}", "error", "reason", "no_input",
		"status", "message", msg, "attempts", 0));
}

void
lp_rating_release(struct lp_rating *r)
{
	int j;

	for (j = 0; r->tpl != NULL && j < r->nmodels; j++)
		lp_llm_tmpl_free(&r->tpl[j]);
	free(r->tpl);
	free(r->system);
	lp_buf_release(&r->user);
	r->tpl = NULL;
	r->system = NULL;
}
