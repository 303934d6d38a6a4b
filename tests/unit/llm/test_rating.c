/*
 * Judges' requests, verdicts and pooled ratings, against hand-made model
 * replies: good, malformed and empty.
 */
#include <math.h>
#include <stdlib.h>

#include "core/data.h"
#include "core/json.h"
#include "core/status.h"
#include "llm/rating.h"
#include "dump.h"
#include "test.h"

static json_t *rubric, *prompt;
static char *models[] = {"j1", "j2"};

/* A rating by n judges with the built-in rubric and prompt. */
static void
setup(struct lp_rating *r, int n)
{
	struct lp_error err;

	lp_rating_init(r);
	r->models = models;
	r->nmodels = n;
	r->target = "zh-Hans";
	r->seed = 1;
	assert_eq_int(lp_rating_rubric(r, rubric, &err), LP_OK);
	assert_eq_int(lp_rating_prompt(r, prompt, rubric, &err), LP_OK);
}

static struct lp_llm_result
answer(const char *content)
{
	struct lp_llm_result res;

	memset(&res, 0, sizeof(res));
	res.content = content;
	res.latency_ms = 50;
	return res;
}

TEST(rubric_and_prompt)
{
	struct lp_rating r;
	struct lp_error err;
	json_t *bad;

	setup(&r, 1);
	assert_eq_int(r.nscale, 4);
	assert_eq_str(r.rubric_version, "rubric-1");
	assert_true(strstr(r.system, "\n3 = minor issues: Correct") != NULL);
	assert_true(strstr(r.system, "Simplified Chinese (zh-Hans)") != NULL);
	assert_true(strstr(r.system, "{rubric}") == NULL);
	lp_rating_release(&r);

	lp_rating_init(&r);
	bad = json_pack("{s:s,s:[{s:i,s:s,s:s}]}", "version", "v", "labels",
	    "value", 1, "name", "a", "definition", "d");
	assert_eq_int(lp_rating_rubric(&r, bad, &err), LP_FAILED);
	assert_eq_str(err.msg, "a rubric needs a version and 2 to 9 labels");
	json_decref(bad);
	bad = json_pack("{s:s,s:[{s:i,s:s,s:s},{s:i,s:s,s:s}]}", "version", "v",
	    "labels", "value", 1, "name", "a", "definition", "d", "value", 3,
	    "name", "b", "definition", "d");
	assert_eq_int(lp_rating_rubric(&r, bad, &err), LP_FAILED);
	assert_eq_str(
	    err.msg, "label 2 needs value 2, a name and a definition");
	json_decref(bad);
	bad = json_pack("{s:s,s:s}", "version", "v", "system", "s");
	assert_eq_int(lp_rating_prompt(&r, bad, rubric, &err), LP_FAILED);
	assert_eq_str(err.msg,
	    "a judge prompt needs version, system and rationale strings");
	json_decref(bad);
	lp_rating_release(&r);
}

TEST(requests)
{
	struct lp_rating r;
	struct lp_buf body = LP_BUF_INIT;
	char digest[65], want[65];
	json_t *b;

	setup(&r, 2);
	lp_rating_user(&r, "Apple", 5, "\xe8\x8b\xb9\xe6\x9e\x9c", 6);
	lp_rating_request(&r, 1, &body, digest);
	b = json_loadb(body.p, body.len, 0, NULL);
	assert_eq_str(json_string_value(json_object_get(b, "model")), "j2");
	assert_eq_str(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(b, "messages"), 1), "content")),
	    "{\"source\":\"Apple\",\"translation\":\"\xe8\x8b\xb9\xe6\x9e\x9c"
	    "\"}");
	assert_eq_int(
	    json_integer_value(json_object_get(b, "top_logprobs")), 10);
	lp_llm_digest(b, want);
	assert_eq_str(digest, want);
	json_decref(b);
	lp_buf_release(&body);
	lp_rating_release(&r);
}

TEST(answers_checked)
{
	struct lp_rating r;
	struct lp_error err;
	json_t *v;

	setup(&r, 1);
	assert_eq_int(
	    lp_rating_check(&r,
		"{\"score\":3,\"confidence\":0.8,\"rationale\":\"ok\"}", &v,
		&err),
	    LP_OK);
	assert_eq_int(json_integer_value(json_object_get(v, "score")), 3);
	json_decref(v);
	assert_eq_int(lp_rating_check(&r, "", &v, &err), LP_FAILED);
	assert_eq_str(err.msg, "the answer is not a JSON object");
	assert_true(v == NULL);
	assert_eq_int(lp_rating_check(&r, "I'd say 3", NULL, &err), LP_FAILED);
	assert_eq_str(err.msg, "the answer is not a JSON object");
	assert_eq_int(lp_rating_check(&r, "{}", NULL, &err), LP_FAILED);
	assert_eq_str(err.msg, "the answer has no score");
	assert_eq_int(
	    lp_rating_check(&r, "{\"score\":\"3\"}", NULL, &err), LP_FAILED);
	assert_eq_str(err.msg, "the score is not a number 1-4: \"3\"");
	assert_eq_int(
	    lp_rating_check(&r, "{\"score\":5}", NULL, &err), LP_FAILED);
	assert_eq_str(err.msg, "score 5 is outside 1-4");
	assert_eq_int(
	    lp_rating_check(&r, "{\"score\":2,\"confidence\":1.5}", NULL, &err),
	    LP_FAILED);
	assert_eq_str(err.msg, "the answer has no confidence from 0 to 1");
	assert_eq_int(
	    lp_rating_check(&r, "{\"score\":2,\"confidence\":1}", NULL, &err),
	    LP_FAILED);
	assert_eq_str(err.msg, "the answer has no rationale");
	r.rationale = 0;
	assert_eq_int(
	    lp_rating_check(&r, "{\"score\":2,\"confidence\":1}", NULL, &err),
	    LP_OK);
	lp_rating_release(&r);
}

TEST(verdicts)
{
	struct lp_rating r;
	struct lp_llm_result res =
	    answer("{\"score\":3,\"confidence\":0.8,\"rationale\":\"ok\"}");
	json_t *v;

	setup(&r, 1);
	/* No logprobs from the server: self-reported. */
	assert_eq_str(dump(lp_rating_verdict(&r, &res, 0)),
	    "{\"score\":3,\"confidence\":0.8,\"method\":\"self-report\","
	    "\"logprobs_missing\":\"the server gave no logprobs\","
	    "\"rationale\":\"ok\",\"model\":\"j1\",\"latency_ms\":50.0,"
	    "\"cached\":false}");
	/* Logprobs without the score's token. */
	res.logprobs = json_pack("{s:[]}", "content");
	v = lp_rating_verdict(&r, &res, 0);
	assert_eq_str(json_string_value(json_object_get(v, "logprobs_missing")),
	    "the logprobs do not reach the score");
	json_decref(v);
	json_decref(res.logprobs);
	/* The score's token with alternatives: 3 at 0.75, 4 at 0.25. */
	res.content = "{\"score\":3,\"confidence\":0.8,\"rationale\":\"ok\"}";
	res.logprobs = json_pack("{s:[{s:s,s:f},{s:s,s:f,s:[{s:s,s:f},"
				 "{s:s,s:f}]}]}",
	    "content", "token", "{\"score\":", "logprob", 0.0, "token", "3",
	    "logprob", log(0.75), "top_logprobs", "token", "3", "logprob",
	    log(0.75), "token", "4", "logprob", log(0.25));
	v = lp_rating_verdict(&r, &res, 0);
	assert_eq_str(
	    json_string_value(json_object_get(v, "method")), "logprobs");
	assert_eq_int(json_integer_value(json_object_get(v, "score")), 3);
	assert_true(fabs(json_real_value(json_object_get(v, "expected")) -
			3.25) < 1e-9);
	json_decref(v);
	json_decref(res.logprobs);
	res.logprobs = NULL;
	/* A malformed answer from the cache: a reply error. */
	res.content = "{\"score\":7}";
	res.attempts = 1;
	assert_eq_str(dump(lp_rating_verdict(&r, &res, 0)),
	    "{\"error\":{\"reason\":\"reply\",\"status\":null,\"message\":"
	    "\"score 7 is outside 1-4\",\"attempts\":1},\"model\":\"j1\"}");
	/* A failed request. */
	res.why = LP_LLM_FATAL;
	res.status = 401;
	snprintf(res.message, sizeof(res.message), "HTTP 401");
	assert_eq_str(dump(lp_rating_verdict(&r, &res, 0)),
	    "{\"error\":{\"reason\":\"fatal\",\"status\":401,\"message\":"
	    "\"HTTP 401\",\"attempts\":1},\"model\":\"j1\"}");
	lp_rating_release(&r);
}

TEST(pooled)
{
	struct lp_rating r;
	json_t *verdicts, *m;

	setup(&r, 2);
	/* Two sure judges three points apart: an even split, the lower. */
	verdicts = json_pack("[{s:i,s:f,s:s},{s:i,s:f,s:s}]", "score", 1,
	    "confidence", 1.0, "method", "self-report", "score", 4,
	    "confidence", 1.0, "method", "self-report");
	m = lp_rating_pool(&r, verdicts);
	assert_eq_int(json_integer_value(json_object_get(m, "score")), 1);
	assert_true(json_real_value(json_object_get(m, "confidence")) == 0.5);
	assert_true(json_real_value(json_object_get(m, "expected")) == 2.5);
	assert_eq_str(dump(json_incref(json_object_get(m, "probs"))),
	    "{\"1\":0.5,\"2\":0.0,\"3\":0.0,\"4\":0.5}");
	assert_eq_str(
	    json_string_value(json_object_get(m, "method")), "self-report");
	assert_true(json_is_true(json_object_get(m, "disagreement")));
	assert_eq_str(json_string_value(json_object_get(m, "rubric_version")),
	    "rubric-1");
	assert_eq_int(json_array_size(json_object_get(m, "judges")), 2);
	json_decref(m);
	json_decref(verdicts);
	/* One judge failed: the other's verdict, counted as partial. */
	verdicts = json_pack("[{s:{s:s}},{s:i,s:f}]", "error", "reason", "http",
	    "score", 3, "confidence", 0.9);
	m = lp_rating_pool(&r, verdicts);
	assert_eq_int(json_integer_value(json_object_get(m, "score")), 3);
	assert_true(fabs(json_real_value(json_object_get(m, "confidence")) -
			0.9) < 1e-9);
	json_decref(m);
	json_decref(verdicts);
	/* None: the first error. */
	verdicts = json_pack("[{s:{s:s}},{s:{s:s}}]", "error", "reason",
	    "budget", "error", "reason", "http");
	m = lp_rating_pool(&r, verdicts);
	assert_eq_str(json_string_value(json_object_get(
			  json_object_get(m, "error"), "reason")),
	    "budget");
	json_decref(m);
	json_decref(verdicts);
	assert_eq_int(r.n.rated, 2);
	assert_eq_int(r.n.partial, 1);
	assert_eq_int(r.n.disagree, 1);
	assert_eq_int(r.n.budget, 1);
	assert_eq_int(r.n.failed, 0);
	lp_rating_release(&r);
}

TEST(nothing_to_rate)
{
	struct lp_rating r;
	char want[256];
	json_t *m;

	setup(&r, 1);
	snprintf(want, sizeof(want),
	    "{\"error\":{\"reason\":\"no_input\",\"status\":null,\"message\":"
	    "\"no title to rate\",\"attempts\":0},\"rubric_version\":"
	    "\"rubric-1\",\"prompt_version\":\"%s\"}",
	    r.prompt_version);
	assert_eq_str(dump(lp_rating_no_input(&r, "title", 1, NULL)), want);
	m = lp_rating_no_input(&r, "title", 0, "HTTP 500");
	assert_eq_str(json_string_value(json_object_get(
			  json_object_get(m, "error"), "message")),
	    "no translation to rate: it failed (HTTP 500)");
	json_decref(m);
	lp_rating_release(&r);
}

int
main(int argc, char **argv)
{
	int rc;

	unsetenv("SOURCE_DATE_EPOCH");
	rubric = json_loadb(
	    (const char *)lp_data_rubric, lp_data_rubric_len, 0, NULL);
	prompt = json_loadb((const char *)lp_data_judge_prompt,
	    lp_data_judge_prompt_len, 0, NULL);
	rc = run_tests(argc, argv);
	json_decref(rubric);
	json_decref(prompt);
	return rc;
}
