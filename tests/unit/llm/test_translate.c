/*
 * Translation requests and members, against hand-made model replies:
 * good, malformed and empty.
 */
#include <stdlib.h>

#include "core/data.h"
#include "core/json.h"
#include "core/status.h"
#include "llm/translate.h"
#include "dump.h"
#include "test.h"

static json_t *prompt;

/* A translator for model m, zh-Hans, with prompt. */
static void
setup(struct lp_translate *t, int json_mode)
{
	struct lp_error err;

	if (prompt == NULL)
		prompt = json_loadb((const char *)lp_data_translate_prompt,
		    lp_data_translate_prompt_len, 0, NULL);
	lp_translate_init(t);
	t->model = "m";
	t->target = "zh-Hans";
	t->json_mode = json_mode;
	t->seed = 1;
	assert_eq_int(lp_translate_prompt(t, prompt, &err), LP_OK);
}

/* A successful result with content. */
static struct lp_llm_result
answer(const char *content)
{
	struct lp_llm_result r;

	memset(&r, 0, sizeof(r));
	r.why = LP_LLM_OK;
	r.content = content;
	r.model = "m-2024";
	r.latency_ms = 100;
	return r;
}

TEST(prompt_checked)
{
	struct lp_translate t;
	struct lp_error err;
	json_t *p = json_pack("{s:s,s:s}", "version", "v", "system", "s");

	lp_translate_init(&t);
	assert_eq_int(lp_translate_prompt(&t, p, &err), LP_FAILED);
	assert_eq_str(err.msg,
	    "a prompt needs version, system, system_plain "
	    "and glossary strings");
	lp_translate_release(&t);
	json_decref(p);
}

TEST(requests)
{
	struct lp_translate t;
	struct lp_buf body = LP_BUF_INIT;
	char digest[65], want[65];
	char *texts[] = {"Apple iPhone 12", "Galaxy \"S21\""};
	json_t *b, *msgs;
	struct lp_error err;

	setup(&t, 1);
	assert_eq_int(
	    lp_glossary_load(&t.glossary, "Galaxy\n", 7, "g", &err), LP_OK);
	/* No term used: the prompt's own system text. */
	lp_translate_request(&t, texts, 1, &body, digest);
	b = json_loadb(body.p, body.len, 0, NULL);
	msgs = json_object_get(b, "messages");
	assert_eq_str(json_string_value(json_object_get(b, "model")), "m");
	assert_eq_str(json_string_value(
			  json_object_get(json_array_get(msgs, 1), "content")),
	    "{\"items\":[{\"id\":\"1\",\"text\":\"Apple iPhone 12\"}]}");
	assert_eq_str(json_string_value(
			  json_object_get(json_array_get(msgs, 0), "content")),
	    t.system);
	assert_true(strstr(t.system, "Simplified Chinese (zh-Hans)") != NULL);
	assert_true(json_object_get(b, "response_format") != NULL);
	/* The digest is that of the body built whole. */
	lp_llm_digest(b, want);
	assert_eq_str(digest, want);
	json_decref(b);

	/* Two titles, one with a glossary term: listed after the prompt. */
	lp_buf_reset(&body);
	lp_translate_request(&t, texts, 2, &body, digest);
	b = json_loadb(body.p, body.len, 0, NULL);
	msgs = json_object_get(b, "messages");
	assert_eq_str(json_string_value(
			  json_object_get(json_array_get(msgs, 1), "content")),
	    "{\"items\":[{\"id\":\"1\",\"text\":\"Apple iPhone 12\"},"
	    "{\"id\":\"2\",\"text\":\"Galaxy \\\"S21\\\"\"}]}");
	{
		const char *sys = json_string_value(
		    json_object_get(json_array_get(msgs, 0), "content"));
		size_t n = strlen(sys);

		assert_true(strncmp(sys, t.system, strlen(t.system)) == 0);
		assert_true(n > 9 && strcmp(sys + n - 9, "\n- Galaxy") == 0);
	}
	lp_llm_digest(b, want);
	assert_eq_str(digest, want);
	json_decref(b);
	lp_buf_release(&body);
	lp_translate_release(&t);
}

TEST(replies)
{
	struct lp_translate t;
	struct lp_error err;
	json_t *items;

	setup(&t, 1);
	/* Good: ids as strings or numbers; an empty text is left out. */
	items = lp_translate_items("{\"items\":[{\"id\":\"1\",\"text\":\"a\"},"
				   "{\"id\":2,\"text\":\"b\"},"
				   "{\"id\":\"3\",\"text\":\"\"}]}");
	assert_eq_str(dump(items), "{\"1\":\"a\",\"2\":\"b\"}");
	assert_eq_int(lp_translate_check(&t,
			  "{\"items\":[{\"id\":\"1\",\"text\":\"a\"}]}", &err),
	    LP_OK);
	/* Malformed. */
	assert_true(lp_translate_items("here you go: a") == NULL);
	assert_eq_int(
	    lp_translate_check(&t, "here you go: a", &err), LP_FAILED);
	assert_eq_str(err.msg, "the reply is not JSON {\"items\":[...]}");
	assert_eq_int(
	    lp_translate_check(&t, "{\"items\":{}}", &err), LP_FAILED);
	assert_eq_str(err.msg, "the reply is not JSON {\"items\":[...]}");
	/* Empty. */
	assert_eq_int(lp_translate_check(&t, "", &err), LP_FAILED);
	assert_eq_str(err.msg, "the reply is not JSON {\"items\":[...]}");
	assert_eq_int(
	    lp_translate_check(&t, "{\"items\":[]}", &err), LP_FAILED);
	assert_eq_str(err.msg, "the reply has no translated items");
	assert_eq_int(lp_translate_check(&t,
			  "{\"items\":[{\"id\":\"1\",\"text\":\"\"}]}", &err),
	    LP_FAILED);
	assert_eq_str(err.msg, "the reply has no translated items");
	lp_translate_release(&t);

	/* Plain mode takes any reply. */
	setup(&t, 0);
	assert_eq_int(lp_translate_check(&t, "here you go: a", &err), LP_OK);
	lp_translate_release(&t);
}

TEST(members)
{
	struct lp_translate t;
	struct lp_llm_result r = answer("{\"items\":[{\"id\":\"2\",\"text\":"
					"\" \\u82f9\\u679c iPhone \"}]}");
	struct lp_error err;
	json_t *items;
	char want[512];

	setup(&t, 1);
	assert_eq_int(
	    lp_glossary_load(&t.glossary, "iPhone\nGalaxy\n", 14, "g", &err),
	    LP_OK);
	items = lp_translate_items(r.content);
	/* Item 1 was left out of the answer; item 2 is there. */
	assert_true(lp_translate_text(&t, &r, items, 0) == NULL);
	snprintf(want, sizeof(want),
	    "{\"lang\":\"zh-Hans\",\"model\":\"m-2024\",\"prompt_version\":"
	    "\"%s\",\"text\":\"\xe8\x8b\xb9\xe6\x9e\x9c iPhone\","
	    "\"batch\":2,\"latency_ms\":100.0,\"cached\":false}",
	    t.prompt_version);
	assert_eq_str(dump(lp_translate_member(&t, &r, "Apple iPhone",
			  lp_translate_text(&t, &r, items, 1), 2)),
	    want);
	/* A glossary term of the source missing from the translation. */
	snprintf(want, sizeof(want),
	    "{\"lang\":\"zh-Hans\",\"model\":\"m-2024\",\"prompt_version\":"
	    "\"%s\",\"text\":\"\xe8\x8b\xb9\xe6\x9e\x9c iPhone\","
	    "\"latency_ms\":100.0,\"cached\":false,\"glossary_missed\":"
	    "[\"Galaxy\"]}",
	    t.prompt_version);
	assert_eq_str(dump(lp_translate_member(&t, &r, "Galaxy iPhone",
			  lp_translate_text(&t, &r, items, 1), 1)),
	    want);
	assert_eq_int(t.n.done, 2);
	assert_eq_int(t.n.glossary_missed, 1);
	/* Left out of a batch asked alone: a reply error. */
	r.attempts = 1;
	snprintf(want, sizeof(want),
	    "{\"lang\":\"zh-Hans\",\"model\":\"m\",\"prompt_version\":\"%s\","
	    "\"error\":{\"reason\":\"reply\",\"status\":null,\"message\":"
	    "\"the reply left this item out\",\"attempts\":1}}",
	    t.prompt_version);
	assert_eq_str(dump(lp_translate_failure(&t, &r, 1)), want);
	/* The budget spent: counted apart. */
	r.why = LP_LLM_BUDGET;
	r.attempts = 0;
	snprintf(r.message, sizeof(r.message), "token budget spent");
	snprintf(want, sizeof(want),
	    "{\"lang\":\"zh-Hans\",\"model\":\"m\",\"prompt_version\":\"%s\","
	    "\"error\":{\"reason\":\"budget\",\"status\":null,\"message\":"
	    "\"token budget spent\",\"attempts\":0}}",
	    t.prompt_version);
	assert_eq_str(dump(lp_translate_failure(&t, &r, 0)), want);
	assert_eq_int(t.n.failed, 1);
	assert_eq_int(t.n.budget, 1);
	json_decref(items);
	lp_translate_release(&t);

	/* Plain mode: the whole reply, trimmed. */
	setup(&t, 0);
	r = answer("\n  \xe8\x8b\xb9\xe6\x9e\x9c\n");
	assert_eq_str(lp_translate_text(&t, &r, NULL, 0), r.content);
	items = lp_translate_member(&t, &r, "Apple", r.content, 1);
	assert_eq_str(json_string_value(json_object_get(items, "text")),
	    "\xe8\x8b\xb9\xe6\x9e\x9c");
	json_decref(items);
	lp_translate_release(&t);
}

int
main(int argc, char **argv)
{
	int rc;

	unsetenv("SOURCE_DATE_EPOCH");
	rc = run_tests(argc, argv);
	json_decref(prompt);
	return rc;
}
