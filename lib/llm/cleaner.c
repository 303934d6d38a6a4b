#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "llm/answer.h"
#include "llm/cleaner.h"
#include "text/pii.h"
#include "text/units.h"

static const char *const edit_kinds[] = {
    "typo", "unit", "noise", "casing", "expansion"};

void
lp_cleaner_init(struct lp_cleaner *c)
{
	memset(c, 0, sizeof(*c));
	c->max_edits = 5;
	c->lower = 1;
}

int
lp_cleaner_prompt(
    struct lp_cleaner *c, const json_t *prompt, struct lp_error *err)
{
	json_t *body, *attrs, *schema = json_object_get(prompt, "schema");
	int rc;

	c->prompt_version =
	    json_string_value(json_object_get(prompt, "version"));
	c->system = json_string_value(json_object_get(prompt, "system"));
	if (c->prompt_version == NULL || c->system == NULL ||
	    !json_is_object(schema))
		return lp_error_set(err,
		    "a clean prompt needs version and "
		    "system strings and a schema object");
	/* The attributes' names, which parse() checks answers against. */
	attrs = json_object_get(
	    json_object_get(
		json_object_get(schema, "properties"), "attributes"),
	    "properties");
	if (!json_is_object(attrs) || json_object_size(attrs) == 0)
		return lp_error_set(err,
		    "the schema names no attributes "
		    "(properties.attributes.properties)");
	c->format = json_pack("{s:s,s:{s:s,s:b,s:O}}", "type", "json_schema",
	    "json_schema", "name", "clean", "strict", 1, "schema", schema);
	body = json_pack("{s:s,s:[{s:s,s:o},{s:s,s:o}],s:f,s:i,s:O}", "model",
	    c->model, "messages", "role", "system", "content", lp_llm_hole(),
	    "role", "user", "content", lp_llm_hole(), "temperature",
	    c->temperature, "seed", (int)c->seed, "response_format", c->format);
	rc = lp_llm_tmpl_init(&c->tpl, body, err);
	if (rc == LP_OK)
		lp_llm_tmpl_pin(&c->tpl, c->system, strlen(c->system));
	json_decref(body);
	return rc;
}

const char *
lp_cleaner_source(struct lp_record *rec, size_t *len)
{
	const char *s;

	if (lp_record_get(rec, "raw") != NULL &&
	    (s = lp_record_get_strn(rec, "raw.title", len)) != NULL)
		return s;
	return lp_record_get_strn(rec, "title", len);
}

unsigned
lp_cleaner_doubts(struct lp_cleaner *c, struct lp_record *rec)
{
	const char *s;
	size_t len;
	unsigned d = 0;
	json_t *p = lp_record_get(rec, "price");

	if ((s = lp_record_get_strn(rec, "title", &len)) != NULL)
		d = lp_guard_doubts(c->rules, s, len);
	/* lp_clean leaves a price text it could not read as it was. */
	if (json_is_string(p) ||
	    (json_is_object(p) && json_object_get(p, "amount") == NULL &&
		json_object_get(p, "min") == NULL &&
		json_object_get(p, "text") != NULL))
		d |= LP_DOUBT_PRICE;
	c->n.doubtful += d != 0;
	return d;
}

void
lp_cleaner_request(struct lp_cleaner *c, const char *src, size_t len,
    struct lp_buf *body, char digest[65])
{
	const char *fill[2];
	size_t flen[2];

	lp_buf_reset(&c->user);
	lp_buf_adds(&c->user, "{\"title\":");
	lp_json_dump_str(src, len, &c->user);
	lp_buf_addc(&c->user, '}');
	fill[0] = NULL;
	flen[0] = 0;
	fill[1] = c->user.p;
	flen[1] = c->user.len;
	lp_llm_tmpl_fill(&c->tpl, fill, flen, body, digest);
	c->n.sent++;
}

/*
 * The model's title in the rules' form, as lp_clean makes it (units'
 * attributes into attrs), in c->a, and its display form (text/clean.h:
 * names cased, shouting calmed) in c->d; the rules' hit counts stay as
 * they were, as the stats count the input's.
 */
static int
canonical(struct lp_cleaner *c, const char *s, json_t *attrs)
{
	struct lp_rules *r = c->rules;
	long long emails = 0, phones = 0, runs = r->run_hits;
	size_t i;
	int shouting;

	lp_buf_reset(&c->a);
	if (lp_text_normalize(
		&c->text, s, strlen(s), LP_TEXT_NO_EMOJI, &c->a) != LP_OK)
		return LP_FAILED;
	shouting = lp_rules_shouting(r, c->a.p, c->a.len);
	c->hits = lp_xrealloc(c->hits, sizeof(*c->hits) * (r->n + 1));
	for (i = 0; i < r->n; i++)
		c->hits[i] = r->v[i].hits;
	lp_buf_reset(&c->b);
	lp_rules_apply(r, c->a.p, c->a.len, &c->b);
	for (i = 0; i < r->n; i++)
		r->v[i].hits = c->hits[i];
	r->run_hits = runs;
	lp_buf_reset(&c->a);
	lp_units_apply(c->b.p, c->b.len, &c->a, attrs);
	lp_buf_reset(&c->b);
	lp_pii_redact(c->a.p, c->a.len, &c->b, &emails, &phones);
	/* As lp_clean: the display form, then its fold (only case differs). */
	lp_buf_reset(&c->a);
	lp_text_normalize(&c->text, c->b.p, c->b.len, 0, &c->a);
	lp_buf_reset(&c->d);
	lp_rules_case(r, c->a.p, c->a.len, shouting, &c->d);
	lp_buf_reset(&c->a);
	lp_text_normalize(
	    &c->text, c->d.p, c->d.len, c->lower ? LP_TEXT_FOLD : 0, &c->a);
	return c->a.len > 0 ? LP_OK : LP_FAILED;
}

static int
in_list(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return 1;
	return 0;
}

/* The edits' shape: [{"kind","from","to"}] with a known kind. */
static int
check_edits(const json_t *edits, struct lp_error *err)
{
	json_t *e;
	size_t i;

	if (!json_is_array(edits))
		return lp_error_set(err, "edits is not a list");
	json_array_foreach (edits, i, e)
		if (!json_is_object(e) ||
		    !json_is_string(json_object_get(e, "from")) ||
		    !json_is_string(json_object_get(e, "to")) ||
		    !in_list(json_string_value(json_object_get(e, "kind")),
			edit_kinds, 5))
			return lp_error_set(err,
			    "edit %zu is not {\"kind\",\"from\",\"to\"} of a "
			    "known kind",
			    i + 1);
	return LP_OK;
}

/* A string or null member; else an error. */
static int
string_or_null(const json_t *a, const char *k, struct lp_error *err)
{
	json_t *v = json_object_get(a, k);

	if (v == NULL)
		return lp_error_set(err, "no %s", k);
	if (!json_is_string(v) && !json_is_null(v))
		return lp_error_set(err, "%s is not a string or null", k);
	return LP_OK;
}

/* The answer, if content is JSON of the prompt's shape; else NULL. */
static json_t *
parse(const struct lp_cleaner *c, const char *content, struct lp_error *err)
{
	json_t *a = lp_json_load(content, strlen(content), 0, NULL), *v, *props;
	const char *k;
	int rc;

	if (!json_is_object(a)) {
		json_decref(a);
		lp_error_set(err, "not a JSON object");
		return NULL;
	}
	props = json_object_get(
	    json_object_get(
		json_object_get(
		    json_object_get(
			json_object_get(c->format, "json_schema"), "schema"),
		    "properties"),
		"attributes"),
	    "properties");
	if (!json_is_string(json_object_get(a, "title")) ||
	    json_string_length(json_object_get(a, "title")) == 0)
		rc = lp_error_set(err, "no title");
	else if ((rc = string_or_null(a, "brand", err)) != LP_OK ||
	    (rc = string_or_null(a, "model", err)) != LP_OK ||
	    (rc = string_or_null(a, "condition", err)) != LP_OK)
		;
	else if (!json_is_object(json_object_get(a, "attributes")))
		rc = lp_error_set(err, "attributes is not an object");
	else
		rc = check_edits(json_object_get(a, "edits"), err);
	json_object_foreach (json_object_get(a, "attributes"), k, v)
		if (rc == LP_OK &&
		    (json_object_get(props, k) == NULL ||
			!(json_is_number(v) || json_is_null(v) ||
			    (json_is_string(v) && strcmp(k, "colour") == 0))))
			rc = lp_error_set(err,
			    "attribute %s is unknown or "
			    "not of its type",
			    k);
	if (rc != LP_OK) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* The rules' condition, if it is a value of their vocabulary. */
static const char *
rules_condition(const struct lp_cleaner *c, struct lp_record *rec)
{
	const char *s = lp_record_get_str(rec, "condition");
	size_t i;

	for (i = 0; s != NULL && i < c->rules->ncond; i++)
		if (strcmp(s, c->rules->cond[i].value) == 0)
			return s;
	return NULL;
}

/*
 * The accepted answer a (title in the rules' form t, its display form d)
 * into rec; title_display only where the rules wrote one.
 */
static void
accept(struct lp_record *rec, json_t *a, const char *t, const char *d,
    json_t *units)
{
	json_t *attrs = lp_record_get(rec, "attrs"), *raw, *v;
	const char *k;
	size_t len;
	const char *src = lp_cleaner_source(rec, &len);

	raw = lp_record_get(rec, "raw");
	if (json_is_object(raw) && json_object_get(raw, "title") == NULL) {
		raw = json_deep_copy(raw);
		json_object_set_new(raw, "title", json_stringn(src, len));
		lp_record_put(rec, "raw", raw);
	} else if (raw == NULL)
		lp_record_put(
		    rec, "raw", json_pack("{s:s%}", "title", src, len));
	attrs = json_is_object(attrs) ? json_deep_copy(attrs) : json_object();
	json_object_update_missing(attrs, units);
	json_object_foreach (json_object_get(a, "attributes"), k, v)
		if (!json_is_null(v) && json_object_get(attrs, k) == NULL)
			json_object_set(attrs, k, v);
	if (json_is_string(v = json_object_get(a, "brand")) &&
	    json_object_get(attrs, "brand") == NULL)
		json_object_set(attrs, "brand", v);
	if (json_is_string(v = json_object_get(a, "model")) &&
	    json_object_get(attrs, "model") == NULL)
		json_object_set(attrs, "model", v);
	lp_record_put(rec, "title", json_string(t));
	if (lp_record_get(rec, "title_display") != NULL)
		lp_record_put(rec, "title_display", json_string(d));
	if (json_object_size(attrs) > 0)
		lp_record_put(rec, "attrs", attrs);
	else
		json_decref(attrs);
}

/*
 * The edits the budget counts: casing and unit edits change no word of
 * the comparison (it ignores case) and no quantity (the number guard).
 */
static size_t
counted_edits(const json_t *edits)
{
	const char *kind;
	json_t *e;
	size_t i, n = 0;

	json_array_foreach (edits, i, e) {
		kind = json_string_value(json_object_get(e, "kind"));
		n += strcmp(kind, "casing") != 0 && strcmp(kind, "unit") != 0;
	}
	return n;
}

/* Guard the parsed answer a; the verdict's fields into m. */
static void
judge(struct lp_cleaner *c, struct lp_record *rec, json_t *a, json_t *m)
{
	struct lp_guard_input in = {0};
	json_t *units = json_object();
	char why[256], *t;
	const char *title = json_string_value(json_object_get(a, "title"));
	enum lp_guard_verdict v;
	size_t len;

	in.source = lp_cleaner_source(rec, &len);
	t = lp_xmalloc(len + 1);
	memcpy(t, in.source, len);
	t[len] = '\0';
	in.source = t;
	in.rules = lp_record_get_str(rec, "title");
	in.attrs = lp_record_get(rec, "attrs");
	in.condition = rules_condition(c, rec);
	in.brand = json_string_value(json_object_get(a, "brand"));
	in.attributes = json_object_get(a, "attributes");
	in.mcondition = json_string_value(json_object_get(a, "condition"));
	in.nedits = counted_edits(json_object_get(a, "edits"));
	in.max_edits = c->max_edits;
	in.names = c->rules;
	if (canonical(c, title, units) != LP_OK) {
		v = LP_GUARD_MALFORMED;
		snprintf(why, sizeof(why), "the title is empty when cleaned");
	} else {
		in.title = c->a.p;
		v = lp_guard_check(&in, why, sizeof(why));
	}
	json_object_set_new(m, "accepted", json_boolean(v == LP_GUARD_OK));
	json_object_set(m, "edits", json_object_get(a, "edits"));
	json_object_set(m, "brand", json_object_get(a, "brand"));
	json_object_set(m, "product", json_object_get(a, "model"));
	json_object_set(m, "condition", json_object_get(a, "condition"));
	if (v == LP_GUARD_OK) {
		json_object_set_new(m, "rules_title", json_string(in.rules));
		accept(rec, a, c->a.p, c->d.p, units);
		c->n.accepted++;
	} else {
		json_object_set_new(m, "llm_title", json_string(title));
		json_object_set_new(m, "rejected", json_string(why));
		json_object_set_new(m, "guard", json_string(lp_guard_name(v)));
		c->n.rejected++;
		c->n.by[v]++;
	}
	json_decref(units);
	free(t);
}

/* clean.llm = m (stolen), beside what clean already holds. */
static void
put_member(struct lp_record *rec, json_t *m)
{
	json_t *clean = lp_record_get(rec, "clean");

	clean = json_is_object(clean) ? json_deep_copy(clean) : json_object();
	json_object_set_new(clean, "llm", m);
	lp_record_put(rec, "clean", clean);
}

void
lp_cleaner_apply(struct lp_cleaner *c, const struct lp_llm_result *res,
    struct lp_record *rec)
{
	json_t *m = json_pack("{s:s,s:s}", "model",
		   res->model != NULL ? res->model : c->model, "prompt_version",
		   c->prompt_version),
	       *a;
	const char *content = res->content != NULL ? res->content : "";
	struct lp_error err;
	size_t n;

	if (res->why != LP_LLM_OK) {
		json_object_set_new(m, "error", lp_answer_error(res));
		if (res->why == LP_LLM_BUDGET)
			c->n.budget++;
		else
			c->n.failed++;
		put_member(rec, m);
		return;
	}
	c->n.cached += res->cached;
	if ((a = parse(c, content, &err)) != NULL)
		judge(c, rec, a, m);
	else {
		/* The reply's start, for review, cut at a character. */
		n = strlen(content);
		if (n > 200)
			for (n = 200; n > 0 && (content[n] & 0xc0) == 0x80; n--)
				;
		json_object_set_new(m, "accepted", json_false());
		json_object_set_new(m, "llm_reply", json_stringn(content, n));
		json_object_set_new(m, "rejected",
		    json_sprintf("malformed answer: %s", err.msg));
		json_object_set_new(m, "guard", json_string("malformed"));
		c->n.rejected++;
		c->n.by[LP_GUARD_MALFORMED]++;
	}
	json_decref(a);
	lp_answer_fields(m, res, 1);
	put_member(rec, m);
}

void
lp_cleaner_release(struct lp_cleaner *c)
{
	json_decref(c->format);
	if (c->format != NULL)
		lp_llm_tmpl_free(&c->tpl);
	c->format = NULL;
	lp_text_release(&c->text);
	lp_buf_release(&c->user);
	lp_buf_release(&c->a);
	lp_buf_release(&c->b);
	lp_buf_release(&c->d);
	free(c->hits);
	c->hits = NULL;
}
