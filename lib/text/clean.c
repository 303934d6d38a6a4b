#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "text/clean.h"
#include "text/pii.h"
#include "text/price.h"
#include "text/schema.h"
#include "text/units.h"

void
lp_clean_init(struct lp_clean *c)
{
	memset(c, 0, sizeof(*c));
	c->lower = 1;
	lp_rules_default(&c->rules);
}

static void
add(char ***v, int *n, const char *s)
{
	*v = lp_xrealloc(*v, sizeof(**v) * (size_t)(*n + 1));
	(*v)[(*n)++] = lp_xstrdup(s);
}

void
lp_clean_add_field(struct lp_clean *c, const char *path)
{
	struct lp_buf raw = LP_BUF_INIT;
	int n = c->nfields;

	lp_buf_addf(&raw, "raw.%s", path);
	add(&c->fields, &c->nfields, path);
	add(&c->raw_paths, &n, raw.p);
	lp_buf_reset(&raw);
	lp_buf_addf(&raw, "%s_display", path);
	n = c->nfields - 1;
	add(&c->display_paths, &n, raw.p);
	lp_buf_release(&raw);
}

void
lp_clean_add_pseudonym(struct lp_clean *c, const char *path)
{
	add(&c->pseudo, &c->npseudo, path);
}

/*
 * Clean text s[0..n) into c->a, its display form into c->d; attributes
 * into attrs.  The steps in order, each on the last one's output.
 */
static void
clean_text(struct lp_clean *c, const char *s, size_t n, json_t *attrs)
{
	const char *brand;
	int shouting;

	lp_buf_reset(&c->a);
	lp_text_normalize(&c->text, s, n, LP_TEXT_NO_EMOJI, &c->a);
	c->n.emoji += (long long)c->text.emoji;
	shouting = lp_rules_shouting(&c->rules, c->a.p, c->a.len);
	lp_buf_reset(&c->b);
	lp_rules_apply(&c->rules, c->a.p, c->a.len, &c->b);
	lp_buf_reset(&c->a);
	c->n.units += lp_units_apply(c->b.p, c->b.len, &c->a, attrs);
	if (!c->keep_pii) {
		lp_buf_reset(&c->b);
		lp_pii_redact(
		    c->a.p, c->a.len, &c->b, &c->n.emails, &c->n.phones);
	} else {
		lp_buf_reset(&c->b);
		lp_buf_add(&c->b, c->a.p, c->a.len);
	}
	/*
	 * The display form: the text in its own case with names cased and
	 * shouting calmed; the matching form folds it (only case differs).
	 */
	lp_buf_reset(&c->t);
	lp_text_normalize(&c->text, c->b.p, c->b.len, 0, &c->t);
	lp_buf_reset(&c->d);
	brand = lp_rules_case(&c->rules, c->t.p, c->t.len, shouting, &c->d);
	if (brand != NULL && attrs != NULL &&
	    json_object_get(attrs, "brand") == NULL)
		json_object_set_new(attrs, "brand", json_string(brand));
	lp_buf_reset(&c->a);
	if (c->lower)
		lp_text_normalize(
		    &c->text, c->d.p, c->d.len, LP_TEXT_FOLD, &c->a);
	else
		lp_buf_add(&c->a, c->t.p, c->t.len);
}

/*
 * Set top-level member key (stolen value) the cheap way; a dotted path
 * the general way.
 */
static void
put(struct lp_record *rec, const char *key, json_t *value)
{
	if (strchr(key, '.') == NULL)
		lp_record_put(rec, key, value);
	else
		lp_record_set(rec, key, value);
}

/* raw.<field> = value, unless an earlier clean kept it already. */
static void
keep_raw(struct lp_record *rec, const char *field, json_t *value)
{
	json_t *raw = lp_record_get(rec, "raw");

	if (raw != NULL &&
	    (!json_is_object(raw) || json_object_get(raw, field) != NULL))
		return;
	if (raw == NULL)
		raw = json_object();
	else
		json_incref(raw);
	json_object_set(raw, field, value);
	lp_record_put(rec, "raw", raw);
}

/* The original of field i: raw.<field> if an earlier clean kept it. */
static const char *
original(struct lp_clean *c, struct lp_record *rec, int i, size_t *len)
{
	const char *s;

	if (lp_record_get(rec, "raw") != NULL &&
	    (s = lp_record_get_strn(rec, c->raw_paths[i], len)) != NULL)
		return s;
	return lp_record_get_strn(rec, c->fields[i], len);
}

/* What note_span() needs to say where a redacted span came from. */
struct span_ctx {
	struct lp_clean *c;
	struct lp_record *rec;
	const char *field, *s; /* the field, and the text redacted */
};

/* One line of the originals: id, field, span, kind and the original. */
static void
note_span(void *arg, enum lp_pii_kind kind, size_t start, size_t end)
{
	struct span_ctx *x = arg;
	struct lp_buf *o = x->c->originals;
	const char *id;
	size_t idlen;

	lp_buf_adds(o, "{\"id\":");
	if ((id = lp_record_get_strn(x->rec, "id", &idlen)) != NULL)
		lp_json_dump_str(id, idlen, o);
	else
		lp_buf_adds(o, "null");
	lp_buf_adds(o, ",\"field\":");
	lp_json_dump_str(x->field, strlen(x->field), o);
	lp_buf_addf(o,
	    ",\"span\":[%zu,%zu],\"kind\":\"%s\",\"original\":", start, end,
	    kind == LP_PII_EMAIL ? "email" : "phone");
	lp_json_dump_str(x->s + start, end - start, o);
	lp_buf_adds(o, "}\n");
}

/*
 * Redact the original s[0..n) of field i into c->r: the personal data
 * that cleaning found (found spans) must be gone from the copy kept in
 * raw too.  The original as it is, when that finds as many; else its
 * NFKC form (full-width digits make a phone number only after NFKC);
 * else, as a last resort, the cleaned text before case folding.  1 if
 * c->r holds a redacted original, 0 if s holds no personal data.
 */
static int
redact_raw(struct lp_clean *c, struct lp_record *rec, int i, const char *s,
    size_t n, long long found)
{
	struct span_ctx x = {c, rec, c->fields[i], s};
	long long e = 0, p = 0, got;
	size_t mark = c->originals != NULL ? c->originals->len : 0;

	lp_buf_reset(&c->r);
	got = lp_pii_redact_spans(
	    s, n, &c->r, &e, &p, c->originals != NULL ? note_span : NULL, &x);
	if (got >= found)
		return got > 0;
	if (c->originals != NULL)
		c->originals->len = mark;
	lp_buf_reset(&c->t);
	lp_text_normalize(&c->text, s, n, 0, &c->t);
	x.s = c->t.p;
	lp_buf_reset(&c->r);
	got = lp_pii_redact_spans(c->t.p, c->t.len, &c->r, &e, &p,
	    c->originals != NULL ? note_span : NULL, &x);
	if (got >= found)
		return 1;
	lp_buf_reset(&c->r);
	lp_buf_add(&c->r, c->b.p, c->b.len);
	return 1;
}

/*
 * raw.<field> = the redacted original, replacing whatever an earlier
 * clean kept (an older lp-clean kept originals verbatim).
 */
static void
put_raw(struct lp_record *rec, const char *field, const struct lp_buf *r)
{
	json_t *raw = lp_record_get(rec, "raw");

	if (raw != NULL && !json_is_object(raw))
		return;
	raw = raw == NULL ? json_object() : json_copy(raw);
	json_object_set_new(raw, field, json_stringn(r->p ? r->p : "", r->len));
	lp_record_put(rec, "raw", raw);
}

/* Field i, cleaned from s[0..n); its attributes into attrs. */
static int
clean_field(struct lp_clean *c, struct lp_record *rec, int i, const char *s,
    size_t n, json_t *attrs, struct lp_error *err)
{
	long long before = c->n.emails + c->n.phones;
	const char *cur;
	size_t curlen;
	json_t *old;

	clean_text(c, s, n, attrs);
	if (c->a.len == 0)
		return lp_error_set(
		    err, "%s is empty after cleaning", c->fields[i]);
	put(rec, c->display_paths[i], json_stringn(c->d.p, c->d.len));
	/* Personal data goes from raw.<field> first, whatever else does. */
	if (!c->keep_pii && strchr(c->fields[i], '.') == NULL &&
	    redact_raw(c, rec, i, s, n, c->n.emails + c->n.phones - before))
		put_raw(rec, c->fields[i], &c->r);
	cur = lp_record_get_strn(rec, c->fields[i], &curlen);
	if (curlen == c->a.len && memcmp(cur, c->a.p, curlen) == 0)
		return LP_OK;
	if (strchr(c->fields[i], '.') == NULL) {
		old = json_stringn(cur, curlen);
		keep_raw(rec, c->fields[i], old);
		json_decref(old);
	}
	put(rec, c->fields[i], json_stringn(c->a.p, c->a.len));
	return LP_OK;
}

/* The text fields, cleaned; their attributes into attrs. */
static int
clean_fields(struct lp_clean *c, struct lp_record *rec, json_t *attrs,
    struct lp_error *err)
{
	json_t *v;
	int i;

	for (i = 0; i < c->nfields; i++) {
		const char *s;
		size_t n;

		/* Read strings in the line; parse only to say what it is. */
		if (lp_record_get_strn(rec, c->fields[i], &n) != NULL)
			v = NULL;
		else if ((v = lp_record_get(rec, c->fields[i])) == NULL)
			continue;
		if (v != NULL)
			return lp_error_set(err, "%s is %s, not a string",
			    c->fields[i], lp_json_kind(v));
		s = original(c, rec, i, &n);
		if (clean_field(c, rec, i, s, n, attrs, err) != LP_OK)
			return LP_FAILED;
	}
	return LP_OK;
}

/* Attributes found in the text, merged under those already there. */
static void
merge_attrs(struct lp_record *rec, json_t *attrs)
{
	json_t *have;

	if (json_object_size(attrs) == 0)
		return;
	have = lp_record_get(rec, "attrs");
	if (!json_is_object(have))
		lp_record_put(rec, "attrs", json_incref(attrs));
	else if (!json_equal(have, attrs)) {
		json_object_update_missing(attrs, have);
		lp_record_put(rec, "attrs", json_incref(attrs));
	}
}

/* The currency of the site rec was found on, or NULL if unknown. */
static const char *
site_currency(struct lp_record *rec)
{
	const char *url = lp_record_get_str(rec, "url");

	if (url == NULL)
		url = lp_record_get_str(rec, "source.url");
	return lp_price_site_currency(
	    url, lp_record_get_str(rec, "source.site"));
}

/*
 * A price given as text only: parsed; one with no currency in the
 * currency of the site (currency_assumed).
 */
static void
clean_price(struct lp_clean *c, struct lp_record *rec)
{
	json_t *v = lp_record_get(rec, "price"), *text, *p;

	if (!json_is_string(v) &&
	    !(json_is_object(v) && json_object_get(v, "amount") == NULL &&
		json_object_get(v, "min") == NULL &&
		json_is_string(json_object_get(v, "text"))))
		return;
	text = json_is_string(v) ? v : json_object_get(v, "text");
	p = lp_price_parse(json_string_value(text), json_string_length(text));
	/* A bare number: in the currency of the site the listing is on. */
	if (p == NULL &&
	    (p = lp_price_parse_as(json_string_value(text),
		 json_string_length(text), site_currency(rec))) != NULL)
		c->n.price_assumed++;
	if (p != NULL) {
		if (json_is_string(v))
			keep_raw(rec, "price", v);
		lp_record_put(rec, "price", p);
		c->n.prices++;
	} else
		c->n.price_unparsed++;
}

/* The condition, onto the vocabulary; unknown wording kept. */
/*
 * What condition s[0..len) maps to (NULL: unknown), remembered for the
 * few strings that come again and again.
 */
static const char *
condition_of(struct lp_clean *c, const char *s, size_t len)
{
	struct lp_clean_cond *k;
	size_t i, nk = sizeof(c->cond) / sizeof(c->cond[0]);

	if (c->cond_rules != c->rules.ncond) {
		for (i = 0; i < nk; i++)
			c->cond[i].len = 0;
		c->cond_rules = c->rules.ncond;
	}
	for (i = 0; i < nk; i++)
		if (c->cond[i].len == len &&
		    memcmp(c->cond[i].raw, s, len) == 0)
			return c->cond[i].value;
	lp_buf_reset(&c->a);
	lp_text_normalize(&c->text, s, len, 0, &c->a);
	if (len == 0 || len > sizeof(c->cond[0].raw))
		return lp_rules_condition(&c->rules, c->a.p, c->a.len);
	k = &c->cond[c->cond_next++ % nk];
	memcpy(k->raw, s, len);
	k->len = len;
	k->value = lp_rules_condition(&c->rules, c->a.p, c->a.len);
	return k->value;
}

static void
clean_condition(struct lp_clean *c, struct lp_record *rec)
{
	json_t *v = lp_record_get(rec, "condition");
	const char *s, *value;
	size_t n;

	if (!json_is_string(v))
		return;
	s = json_string_value(v);
	value = condition_of(c, s, json_string_length(v));
	n = value != NULL ? strlen(value) : 0;
	if (value == NULL)
		c->n.cond_unknown++;
	else if (n != json_string_length(v) || memcmp(s, value, n)) {
		json_incref(v);
		keep_raw(rec, "condition", v);
		lp_record_put(rec, "condition", json_string(value));
		json_decref(v);
		c->n.cond_mapped++;
	}
}

/*
 * Pseudonyms: a keyed hash; the name is not kept anywhere.  A value that
 * is a pseudonym already stays, so cleaning twice changes nothing.
 */
static void
pseudonymize(struct lp_clean *c, struct lp_record *rec)
{
	const char *s;
	size_t n;
	int i;

	for (i = 0; i < c->npseudo; i++) {
		char p[19];

		s = lp_record_get_strn(rec, c->pseudo[i], &n);
		if (s == NULL || lp_pseudonym_is(s, n))
			continue;
		/* The key's padded blocks are hashed once per key. */
		if (c->hkey_of != c->key || c->hkey_len != c->keylen) {
			lp_hmac_init(&c->hkey, c->key, c->keylen);
			c->hkey_of = c->key;
			c->hkey_len = c->keylen;
		}
		lp_pseudonym_with(&c->hkey, s, n, p);
		put(rec, c->pseudo[i], json_string(p));
		c->n.pseudonymized++;
	}
}

int
lp_clean_record(struct lp_clean *c, struct lp_record *rec, struct lp_error *err)
{
	json_t *attrs = json_object();

	if (clean_fields(c, rec, attrs, err) != LP_OK) {
		json_decref(attrs);
		return LP_FAILED;
	}
	merge_attrs(rec, attrs);
	json_decref(attrs);
	clean_price(c, rec);
	clean_condition(c, rec);
	pseudonymize(c, rec);
	if (c->cschema == NULL)
		return LP_OK;
	return lp_schema_check_compiled(c->cschema, rec, err);
}

void
lp_clean_set_schema(struct lp_clean *c, json_t *schema)
{
	lp_schema_free(c->cschema);
	json_decref(c->schema);
	c->schema = schema;
	c->cschema = schema != NULL ? lp_schema_compile(schema) : NULL;
}

void
lp_clean_counts(const struct lp_clean *c,
    void (*count)(void *arg, const char *name, long long n), void *arg)
{
	struct lp_buf name = LP_BUF_INIT;
	size_t k;

	count(arg, "emoji_removed", c->n.emoji);
	for (k = 0; k < c->rules.n; k++) {
		const struct lp_rule *u = &c->rules.v[k];

		if (u->hits == 0)
			continue;
		lp_buf_reset(&name);
		lp_buf_addf(&name, "%s:%s",
		    u->kind == LP_RULE_REMOVE ? "fluff" : "expand", u->phrase);
		count(arg, name.p, u->hits);
	}
	lp_buf_release(&name);
	count(arg, "punctuation_runs", c->rules.run_hits);
	count(arg, "units_rewritten", c->n.units);
	count(arg, "emails_redacted", c->n.emails);
	count(arg, "phones_redacted", c->n.phones);
	count(arg, "prices_parsed", c->n.prices);
	count(arg, "prices_unparsed", c->n.price_unparsed);
	count(arg, "prices_currency_assumed", c->n.price_assumed);
	count(arg, "conditions_mapped", c->n.cond_mapped);
	count(arg, "conditions_unknown", c->n.cond_unknown);
	count(arg, "pseudonymized", c->n.pseudonymized);
}

void
lp_clean_merge(struct lp_clean *into, struct lp_clean *from)
{
	struct lp_clean_stats *a = into != NULL ? &into->n : NULL;
	const struct lp_clean_stats *b = &from->n;
	size_t k;

	if (into == NULL) {
		memset(&from->n, 0, sizeof(from->n));
		for (k = 0; k < from->rules.n; k++)
			from->rules.v[k].hits = 0;
		from->rules.run_hits = 0;
		return;
	}
	a->emoji += b->emoji;
	a->units += b->units;
	a->emails += b->emails;
	a->phones += b->phones;
	a->prices += b->prices;
	a->price_unparsed += b->price_unparsed;
	a->price_assumed += b->price_assumed;
	a->cond_mapped += b->cond_mapped;
	a->cond_unknown += b->cond_unknown;
	a->pseudonymized += b->pseudonymized;
	memset(&from->n, 0, sizeof(from->n));
	for (k = 0; k < into->rules.n && k < from->rules.n; k++) {
		into->rules.v[k].hits += from->rules.v[k].hits;
		from->rules.v[k].hits = 0;
	}
	into->rules.run_hits += from->rules.run_hits;
	from->rules.run_hits = 0;
}

static void
free_list(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
lp_clean_release(struct lp_clean *c)
{
	free_list(c->fields, c->nfields);
	free_list(c->raw_paths, c->nfields);
	free_list(c->display_paths, c->nfields);
	free_list(c->pseudo, c->npseudo);
	json_decref(c->schema);
	lp_schema_free(c->cschema);
	lp_rules_release(&c->rules);
	lp_text_release(&c->text);
	lp_buf_release(&c->a);
	lp_buf_release(&c->b);
	lp_buf_release(&c->r);
	lp_buf_release(&c->t);
	lp_buf_release(&c->d);
	lp_hmac_release(&c->hkey);
	memset(c, 0, sizeof(*c));
}
