/*
 * The cleaner's requests, and what records keep of hand-made answers:
 * accepted, refused by a guard, malformed, and failed requests.
 */
#include <stdlib.h>

#include "core/data.h"
#include "core/json.h"
#include "core/status.h"
#include "llm/cleaner.h"
#include "text/clean.h"
#include "test.h"

static json_t *prompt;
static struct lp_clean rules;
static struct lp_record rec;
static struct lp_buf line;

static void
setup(struct lp_cleaner *c)
{
	struct lp_error err;

	if (prompt == NULL) {
		prompt = json_loadb((const char *)lp_data_clean_prompt,
		    lp_data_clean_prompt_len, 0, NULL);
		lp_clean_init(&rules);
		lp_clean_add_field(&rules, "title");
	}
	lp_cleaner_init(c);
	c->model = "m";
	c->seed = 1;
	c->rules = &rules.rules;
	assert_eq_int(lp_cleaner_prompt(c, prompt, &err), LP_OK);
}

/* rec: the record of text, cleaned by the rules. */
static void
cleaned(const char *text)
{
	struct lp_error err;

	lp_record_release(&rec);
	lp_record_init(&rec);
	lp_buf_reset(&line);
	lp_buf_adds(&line, text);
	assert_eq_int(lp_record_parse(&rec, line.p, line.len), LP_OK);
	assert_eq_int(lp_clean_record(&rules, &rec, &err), LP_OK);
}

/* The record, after apply() of content, as one line. */
static const char *
applied(struct lp_cleaner *c, const char *content)
{
	static struct lp_buf out;
	struct lp_llm_result r;

	memset(&r, 0, sizeof(r));
	r.why = LP_LLM_OK;
	r.content = content;
	r.model = "m-1";
	lp_cleaner_apply(c, &r, &rec);
	lp_record_flatten(&rec);
	lp_buf_reset(&out);
	lp_buf_add(&out, rec.text, rec.len);
	lp_buf_addc(&out, '\0');
	return out.p;
}

#define GOOD                                                                   \
	"{\"title\":\"Samsung Galaxy S21 128GB\",\"brand\":\"Samsung\","       \
	"\"model\":\"Galaxy S21\",\"attributes\":{\"storage_gb\":128,"         \
	"\"colour\":null},\"condition\":null,\"edits\":[{\"kind\":\"typo\","   \
	"\"from\":\"Samsnug\",\"to\":\"Samsung\"}]}"

TEST(request)
{
	struct lp_cleaner c;
	struct lp_buf body = LP_BUF_INIT;
	char digest[65];
	json_t *j;

	setup(&c);
	lp_cleaner_request(&c, "Samsnug \"S21\"", 13, &body, digest);
	j = lp_json_load(body.p, body.len, 0, NULL);
	assert_eq_str(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(j, "messages"), 1), "content")),
	    "{\"title\":\"Samsnug \\\"S21\\\"\"}");
	assert_eq_str(json_string_value(json_object_get(
			  json_object_get(json_object_get(j, "response_format"),
			      "json_schema"),
			  "name")),
	    "clean");
	assert_eq_int(strlen(digest), 64);
	json_decref(j);
	lp_buf_release(&body);
	lp_cleaner_release(&c);
}

TEST(prompt_checked)
{
	struct lp_cleaner c;
	struct lp_error err;
	json_t *p = json_pack("{s:s,s:s}", "version", "v", "system", "s");

	lp_cleaner_init(&c);
	c.model = "m";
	assert_eq_int(lp_cleaner_prompt(&c, p, &err), LP_FAILED);
	assert_eq_str(err.msg,
	    "a clean prompt needs version and system "
	    "strings and a schema object");
	json_object_set_new(p, "schema", json_pack("{s:{}}", "properties"));
	assert_eq_int(lp_cleaner_prompt(&c, p, &err), LP_FAILED);
	assert_eq_str(err.msg,
	    "the schema names no attributes "
	    "(properties.attributes.properties)");
	/* Any attributes will do: a shop's own names, not ours. */
	json_object_set_new(p, "schema",
	    json_pack("{s:{s:{s:{s:{}}}}}", "properties", "attributes",
		"properties", "pages"));
	assert_eq_int(lp_cleaner_prompt(&c, p, &err), LP_OK);
	lp_cleaner_release(&c);
	json_decref(p);
}

TEST(doubts)
{
	struct lp_cleaner c;

	setup(&c);
	cleaned("{\"id\":\"a\",\"title\":\"Samsnug Galaxy\"}");
	assert_eq_int(lp_cleaner_doubts(&c, &rec), LP_DOUBT_TYPO);
	cleaned(
	    "{\"id\":\"a\",\"title\":\"Samsung Galaxy\",\"price\":\"ask\"}");
	assert_eq_int(lp_cleaner_doubts(&c, &rec), LP_DOUBT_PRICE);
	cleaned("{\"id\":\"a\",\"title\":\"Samsung Galaxy\"}");
	assert_eq_int(lp_cleaner_doubts(&c, &rec), 0);
	assert_eq_int(c.n.doubtful, 2);
	lp_cleaner_release(&c);
}

TEST(accepted)
{
	struct lp_cleaner c;

	setup(&c);
	cleaned("{\"id\":\"a\",\"title\":\"Samsnug Galaxy S21 128gb\"}");
	assert_eq_str(applied(&c, GOOD),
	    "{\"id\":\"a\",\"title\":\"samsung galaxy s21 128 gb\","
	    "\"title_display\":\"Samsung Galaxy S21 128 GB\","
	    "\"raw\":{\"title\":\"Samsnug Galaxy S21 128gb\"},"
	    "\"attrs\":{\"storage_gb\":128.0,\"brand\":\"Samsung\","
	    "\"model\":\"Galaxy S21\"},\"clean\":{\"llm\":{\"model\":\"m-1\","
	    "\"prompt_version\":\"clean-1\",\"accepted\":true,\"edits\":[{"
	    "\"kind\":\"typo\",\"from\":\"Samsnug\",\"to\":\"Samsung\"}],"
	    "\"brand\":\"Samsung\",\"product\":\"Galaxy S21\",\"condition\":"
	    "null,\"rules_title\":\"samsnug galaxy s21 128 gb\","
	    "\"latency_ms\":0.0,\"cached\":false}}}");
	assert_eq_int(c.n.accepted, 1);
	lp_cleaner_release(&c);
}

TEST(rejected_keeps_rules)
{
	struct lp_cleaner c;
	const char *out;

	setup(&c);
	cleaned("{\"id\":\"a\",\"title\":\"Samsnug Galaxy S21 128gb\"}");
	out = applied(&c,
	    "{\"title\":\"Apple Galaxy S21 128GB\",\"brand\":\"Apple\","
	    "\"model\":null,\"attributes\":{},\"condition\":null,\"edits\":[]"
	    "}");
	assert_true(
	    strstr(out, "\"title\":\"samsnug galaxy s21 128 gb\"") != NULL);
	assert_true(strstr(out, "\"accepted\":false") != NULL);
	assert_true(strstr(out,
			"\"llm_title\":\"Apple Galaxy S21 128GB\","
			"\"rejected\":\"brand Apple not in the "
			"input\",\"guard\":\"brand\"") != NULL);
	assert_eq_int(c.n.by[LP_GUARD_BRAND], 1);
	lp_cleaner_release(&c);
}

TEST(casing_edits_free)
{
	struct lp_cleaner c;
	struct lp_buf a = LP_BUF_INIT;
	int i;

	/* Shouting set right: eight casing edits, one typo; within 5. */
	setup(&c);
	cleaned("{\"id\":\"a\",\"title\":\"SAMSNUG GALAXY S21 ULTRA 5G "
		"PHANTOM BLACK UNLOCKED PHONE\"}");
	lp_buf_adds(&a,
	    "{\"title\":\"Samsung Galaxy S21 Ultra 5G Phantom "
	    "Black Unlocked Phone\",\"brand\":\"Samsung\",\"model\":"
	    "null,\"attributes\":{},\"condition\":null,\"edits\":["
	    "{\"kind\":\"typo\",\"from\":\"SAMSNUG\",\"to\":"
	    "\"Samsung\"}");
	for (i = 0; i < 8; i++)
		lp_buf_adds(&a,
		    ",{\"kind\":\"casing\",\"from\":\"X\","
		    "\"to\":\"x\"}");
	lp_buf_adds(&a, "]}");
	assert_true(strstr(applied(&c, a.p), "\"accepted\":true") != NULL);
	lp_buf_release(&a);
	lp_cleaner_release(&c);
}

TEST(malformed)
{
	struct lp_cleaner c;
	static const char *const bad[][2] = {
	    {"not json", "malformed answer: not a JSON object"},
	    {"{\"title\":\"x\",\"brand\":null", "not a JSON object"},
	    {"{\"title\":\"x\"}", "malformed answer: no brand"},
	    {"{\"title\":\"x\",\"brand\":1,\"model\":null}", "brand is not"},
	    {"{\"title\":\"x\",\"brand\":null,\"model\":null,\"condition\":"
	     "null,\"attributes\":{\"size\":3},\"edits\":[]}",
		"attribute size is unknown"},
	    {"{\"title\":\"x\",\"brand\":null,\"model\":null,\"condition\":"
	     "null,\"attributes\":{},\"edits\":[{\"kind\":\"rewrite\"}]}",
		"edit 1 is not"},
	};
	size_t i;

	setup(&c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *out;

		cleaned("{\"id\":\"a\",\"title\":\"Galaxy S21\"}");
		out = applied(&c, bad[i][0]);
		assert_true(strstr(out, bad[i][1]) != NULL);
		assert_true(strstr(out, "\"title\":\"galaxy s21\"") != NULL);
		assert_true(strstr(out, "\"guard\":\"malformed\"") != NULL);
	}
	assert_eq_int(c.n.by[LP_GUARD_MALFORMED], 6);
	lp_cleaner_release(&c);
}

TEST(failed_request)
{
	struct lp_cleaner c;
	struct lp_llm_result r;

	setup(&c);
	cleaned("{\"id\":\"a\",\"title\":\"Galaxy S21\"}");
	memset(&r, 0, sizeof(r));
	r.why = LP_LLM_NETWORK;
	snprintf(r.message, sizeof(r.message), "connection refused");
	lp_cleaner_apply(&c, &r, &rec);
	lp_record_flatten(&rec);
	lp_buf_reset(&line);
	lp_buf_add(&line, rec.text, rec.len);
	lp_buf_addc(&line, '\0');
	assert_true(strstr(line.p, "\"title\":\"galaxy s21\"") != NULL);
	assert_true(strstr(line.p,
			"\"clean\":{\"llm\":{\"model\":\"m\",\"prompt_"
			"version\":\"clean-1\",\"error\":{\"reason\":"
			"\"network\"") != NULL);
	assert_eq_int(c.n.failed, 1);
	lp_cleaner_release(&c);
}

RUN_TESTS()
