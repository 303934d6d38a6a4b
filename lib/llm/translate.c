#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "llm/answer.h"
#include "llm/prompt.h"
#include "llm/translate.h"

void
lp_translate_init(struct lp_translate *t)
{
	memset(t, 0, sizeof(*t));
	t->json_mode = 1;
}

/* The answer's shape, which lp_translate_check() and _items() read. */
static json_t *
format(void)
{
	return json_pack("{s:s,s:{s:s,s:b,s:{s:s,s:{s:{s:s,s:{s:s,s:{s:{"
			 "s:s},s:{s:s}},s:[s,s],s:b}}},s:[s],s:b}}}",
	    "type", "json_schema", "json_schema", "name", "translations",
	    "strict", 1, "schema", "type", "object", "properties", "items",
	    "type", "array", "items", "type", "object", "properties", "id",
	    "type", "string", "text", "type", "string", "required", "id",
	    "text", "additionalProperties", 0, "required", "items",
	    "additionalProperties", 0);
}

/*
 * Request bodies are canonical JSON bytes built around the two texts that
 * vary, system and user (llm.h's templates); the prompt's own system
 * text, without glossary terms, is pinned.
 */
static int
template_init(struct lp_translate *t, struct lp_error *err)
{
	json_t *body = json_pack("{s:s,s:[{s:s,s:o},{s:s,s:o}],s:f,s:i}",
	    "model", t->model, "messages", "role", "system", "content",
	    lp_llm_hole(), "role", "user", "content", lp_llm_hole(),
	    "temperature", t->temperature, "seed", (int)t->seed);
	int rc;

	if (t->json_mode)
		json_object_set(body, "response_format", t->format);
	rc = lp_llm_tmpl_init(&t->tpl, body, err);
	if (rc == LP_OK)
		lp_llm_tmpl_pin(&t->tpl, t->system, strlen(t->system));
	json_decref(body);
	return rc;
}

int
lp_translate_prompt(
    struct lp_translate *t, const json_t *prompt, struct lp_error *err)
{
	struct lp_buf sys = LP_BUF_INIT;

	t->prompt_version =
	    json_string_value(json_object_get(prompt, "version"));
	t->glossary_text =
	    json_string_value(json_object_get(prompt, "glossary"));
	if (t->prompt_version == NULL ||
	    !json_is_string(json_object_get(prompt, "system")) ||
	    !json_is_string(json_object_get(prompt, "system_plain")) ||
	    t->glossary_text == NULL)
		return lp_error_set(err,
		    "a prompt needs version, system, "
		    "system_plain and glossary strings");
	lp_prompt_fill(&sys,
	    json_string_value(json_object_get(
		prompt, t->json_mode ? "system" : "system_plain")),
	    t->target, NULL);
	t->system = sys.p;
	t->format = format();
	return template_init(t, err);
}

/* The system text with the glossary terms texts[0..n) use, in t->sys. */
static int
glossed(struct lp_translate *t, char *const *texts, int n)
{
	const struct lp_glossary *g = &t->glossary;
	struct lp_buf *sys = &t->sys;
	int i, j, used = 0;

	lp_buf_reset(sys);
	/* Only the terms these titles use: fewer tokens, same answers. */
	for (i = 0; i < g->n; i++) {
		for (j = 0; j < n && !lp_glossary_has(texts[j], g->v[i].from);
		     j++)
			;
		if (j == n)
			continue;
		if (!used++) {
			lp_buf_adds(sys, t->system);
			lp_buf_adds(sys, "\n\n");
			lp_buf_adds(sys, t->glossary_text);
		}
		lp_buf_addf(sys, "\n- %s", g->v[i].from);
		if (g->v[i].to != NULL)
			lp_buf_addf(sys, " -> %s", g->v[i].to);
	}
	return used;
}

void
lp_translate_request(struct lp_translate *t, char *const *texts, int n,
    struct lp_buf *body, char digest[65])
{
	struct lp_buf *user = &t->user;
	const char *fill[2];
	size_t len[2];
	int i, used = glossed(t, texts, n);

	lp_buf_reset(user);
	if (t->json_mode) {
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
	fill[0] = used ? t->sys.p : NULL;
	len[0] = used ? t->sys.len : 0;
	fill[1] = user->p;
	len[1] = user->len;
	lp_llm_tmpl_fill(&t->tpl, fill, len, body, digest);
}

json_t *
lp_translate_items(const char *content)
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

int
lp_translate_check(
    const struct lp_translate *t, const char *content, struct lp_error *err)
{
	json_t *items;
	size_t n;

	if (!t->json_mode)
		return LP_OK;
	if ((items = lp_translate_items(content)) == NULL)
		return lp_error_set(
		    err, "the reply is not JSON {\"items\":[...]}");
	n = json_object_size(items);
	json_decref(items);
	if (n == 0)
		return lp_error_set(err, "the reply has no translated items");
	return LP_OK;
}

const char *
lp_translate_text(const struct lp_translate *t, const struct lp_llm_result *res,
    const json_t *items, int i)
{
	char id[16];

	if (!t->json_mode)
		return res->content;
	snprintf(id, sizeof(id), "%d", i + 1);
	return json_string_value(json_object_get(items, id));
}

static json_t *
base_member(const struct lp_translate *t, const struct lp_llm_result *res)
{
	return json_pack("{s:s,s:s,s:s}", "lang", t->target, "model",
	    res != NULL && res->model != NULL ? res->model : t->model,
	    "prompt_version", t->prompt_version);
}

json_t *
lp_translate_member(struct lp_translate *t, const struct lp_llm_result *res,
    const char *src, const char *text, int n)
{
	json_t *m = base_member(t, res), *missed;
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
	lp_answer_fields(m, res, n);
	if ((missed = lp_glossary_missed(&t->glossary, src, clean.p)) != NULL) {
		json_object_set_new(m, "glossary_missed", missed);
		t->n.glossary_missed++;
	}
	t->n.done++;
	t->n.cached += res->cached;
	lp_buf_release(&clean);
	return m;
}

json_t *
lp_translate_failure(
    struct lp_translate *t, const struct lp_llm_result *res, int left_out)
{
	json_t *m = base_member(t, NULL);

	if (left_out) {
		struct lp_llm_result miss = *res;

		miss.why = LP_LLM_REPLY;
		snprintf(miss.message, sizeof(miss.message),
		    "the reply left this item out");
		json_object_set_new(m, "error", lp_answer_error(&miss));
		t->n.failed++;
		return m;
	}
	json_object_set_new(m, "error", lp_answer_error(res));
	if (res->why == LP_LLM_BUDGET)
		t->n.budget++;
	else
		t->n.failed++;
	return m;
}

void
lp_translate_release(struct lp_translate *t)
{
	lp_glossary_release(&t->glossary);
	free(t->system);
	json_decref(t->format);
	if (t->format != NULL)
		lp_llm_tmpl_free(&t->tpl);
	lp_buf_release(&t->sys);
	lp_buf_release(&t->user);
	t->system = NULL;
	t->format = NULL;
}

const char *
lp_translate_source(struct lp_record *rec, const char *field, size_t *len)
{
	const char *text;

	if (field != NULL)
		return lp_record_get_strn(rec, field, len);
	if ((text = lp_record_get_strn(rec, "title_display", len)) != NULL)
		return text;
	return lp_record_get_strn(rec, "title", len);
}
