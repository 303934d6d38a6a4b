#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/record.h"
#include "core/utf8.h"

void
lp_record_init(struct lp_record *r)
{
	memset(r, 0, sizeof(*r));
}

static void
drop_vals(struct lp_record *r)
{
	size_t i;

	for (i = 0; i < r->nvals; i++)
		if (r->vals[i] != NULL) {
			json_decref(r->vals[i]);
			r->vals[i] = NULL;
		}
}

static void
drop_edits(struct lp_record *r)
{
	size_t i;

	for (i = 0; i < r->nadded; i++) {
		free(r->added[i].key);
		json_decref(r->added[i].val);
	}
	r->nadded = 0;
	if (r->nedits > 0 && r->edited != NULL)
		memset(r->edited, 0, r->nedited);
	r->nedits = 0;
}

void
lp_record_reset(struct lp_record *r)
{
	drop_edits(r);
	drop_vals(r);
	if (r->root != NULL)
		json_decref(r->root);
	r->root = NULL;
	r->modified = 0;
	r->canonical = 0;
	r->ms.n = 0;
	r->err.msg[0] = '\0'; /* not a call: this runs for every record */
}

void
lp_record_release(struct lp_record *r)
{
	lp_record_reset(r);
	free(r->vals);
	free(r->edited);
	free(r->added);
	lp_buf_release(&r->flat);
	lp_buf_release(&r->spare);
	lp_json_members_release(&r->ms);
	lp_json_members_release(&r->sub);
	lp_record_init(r);
}

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	case JSON_NULL:
		return "null";
	default:
		return "object";
	}
}

/* The slow path: validate and build the tree with Jansson. */
static int
parse_full(struct lp_record *r)
{
	json_error_t e;
	const char *nul;
	size_t bad;

	if ((nul = memchr(r->text, '\0', r->len)) != NULL) {
		return lp_error_set(&r->err, "NUL byte at column %zu",
		    (size_t)(nul - r->text) + 1);
	}
	if (!lp_utf8_valid(r->text, r->len, &bad)) {
		return lp_error_set(&r->err,
		    "invalid UTF-8 at column %zu (byte 0x%02x)", bad + 1,
		    (unsigned char)r->text[bad]);
	}
	r->root = lp_json_load(
	    r->text, r->len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &e);
	if (r->root == NULL) {
		return lp_error_set(
		    &r->err, "invalid JSON at column %d: %s", e.column, e.text);
	}
	if (!json_is_object(r->root)) {
		lp_error_set(&r->err, "expected JSON object, got %s",
		    type_name(r->root));
		json_decref(r->root);
		r->root = NULL;
		return LP_FAILED;
	}
	return LP_OK;
}

/* Room for a lazily parsed value per member. */
static void
vals_fit(struct lp_record *r)
{
	if (r->nvals < r->ms.n) {
		r->vals = lp_xrealloc(r->vals, r->ms.cap * sizeof(json_t *));
		memset(r->vals + r->nvals, 0,
		    (r->ms.cap - r->nvals) * sizeof(json_t *));
		r->nvals = r->ms.cap;
	}
}

int
lp_record_parse(struct lp_record *r, const char *text, size_t len)
{
	lp_record_reset(r);
	r->text = text;
	r->len = len;
	if (lp_json_scan(text, len, &r->ms)) {
		r->canonical = 1;
		vals_fit(r);
		return LP_OK;
	}
	return parse_full(r);
}

void
lp_record_parse_canonical(struct lp_record *r, const char *text, size_t len)
{
	lp_record_reset(r);
	r->text = text;
	r->len = len;
	if (!lp_json_scan_trusted(text, len, &r->ms))
		abort(); /* it was canonical when first parsed */
	r->canonical = 1;
	vals_fit(r);
}

/* A top-level member, parsed on first use. */
static json_t *
get_top(struct lp_record *r, const char *key, size_t keylen)
{
	const struct lp_json_member *m;
	size_t i;

	if (r->root != NULL)
		return json_object_getn(r->root, key, keylen);
	for (i = 0; i < r->nadded; i++)
		if (strlen(r->added[i].key) == keylen &&
		    memcmp(r->added[i].key, key, keylen) == 0)
			return r->added[i].val;
	if ((m = lp_json_find(r->text, &r->ms, key, keylen)) == NULL)
		return NULL;
	i = (size_t)(m - r->ms.m);
	if (r->vals[i] == NULL)
		r->vals[i] = lp_json_load(
		    r->text + m->val, m->vallen, JSON_DECODE_ANY, NULL);
	return r->vals[i];
}

json_t *
lp_record_get(struct lp_record *r, const char *path)
{
	const char *dot = strchr(path, '.');
	json_t *v;

	v = get_top(r, path, dot ? (size_t)(dot - path) : strlen(path));
	return v != NULL && dot != NULL ? lp_json_path_get(v, dot + 1) : v;
}

const char *
lp_record_get_str(struct lp_record *r, const char *path)
{
	return json_string_value(lp_record_get(r, path));
}

/*
 * In a canonical line without edits, the span of the value at a dotted
 * path, found by scanning down the nested objects; 0 if it is not there.
 */
static int
find_span(
    struct lp_record *r, const char *path, const char **val, size_t *vallen)
{
	const char *p = r->text, *dot;
	size_t n = r->len;
	const struct lp_json_members *ms = &r->ms;
	const struct lp_json_member *m;

	if (r->root != NULL || r->nedits != 0)
		return 0;
	for (;;) {
		dot = strchr(path, '.');
		m = lp_json_find(
		    p, ms, path, dot ? (size_t)(dot - path) : strlen(path));
		if (m == NULL)
			return 0;
		p += m->val;
		n = m->vallen;
		if (dot == NULL)
			break;
		/* A span of a canonical line is canonical: no checks again. */
		if (*p != '{' || !lp_json_scan_trusted(p, n, &r->sub))
			return 0;
		ms = &r->sub;
		path = dot + 1;
	}
	*val = p;
	*vallen = n;
	return 1;
}

const char *
lp_record_get_strn(struct lp_record *r, const char *path, size_t *len)
{
	const char *p;
	size_t n;
	json_t *v;

	/*
	 * A string without escapes in a canonical line is its own value: no
	 * need to build it.
	 */
	if (find_span(r, path, &p, &n) && *p == '"' &&
	    memchr(p, '\\', n) == NULL) {
		*len = n - 2;
		return p + 1;
	}
	if ((v = lp_record_get(r, path)) == NULL || !json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

json_t *
lp_record_root(struct lp_record *r)
{
	if (r->root == NULL) {
		if (r->nedits > 0)
			lp_record_flatten(r);
		drop_vals(r);
		/* A canonical line is valid: this cannot fail. */
		r->root = lp_json_load(r->text, r->len, 0, NULL);
		if (r->root == NULL)
			abort();
	}
	r->modified = 1;
	return r->root;
}

int
lp_record_set(struct lp_record *r, const char *path, json_t *value)
{
	return lp_json_path_set(lp_record_root(r), path, value, &r->err);
}

void
lp_record_put(struct lp_record *r, const char *key, json_t *value)
{
	const struct lp_json_member *m;
	size_t i;

	if (r->root != NULL || !r->canonical) {
		lp_record_root(r);
		json_object_set_new(r->root, key, value);
		return;
	}
	r->nedits++;
	if ((m = lp_json_find(r->text, &r->ms, key, strlen(key))) != NULL) {
		i = (size_t)(m - r->ms.m);
		if (r->nedited < r->nvals) {
			r->edited = lp_xrealloc(r->edited, r->nvals);
			memset(
			    r->edited + r->nedited, 0, r->nvals - r->nedited);
			r->nedited = r->nvals;
		}
		r->edited[i] = 1;
		if (r->vals[i] != value) {
			if (r->vals[i] != NULL)
				json_decref(r->vals[i]);
			r->vals[i] = value;
		} else
			json_decref(value); /* the caller's reference */
		return;
	}
	for (i = 0; i < r->nadded; i++)
		if (strcmp(r->added[i].key, key) == 0) {
			if (r->added[i].val != value)
				json_decref(r->added[i].val);
			else
				json_decref(value);
			r->added[i].val = value;
			return;
		}
	if (r->nadded == r->addcap) {
		r->addcap = r->addcap ? r->addcap * 2 : 4;
		r->added = lp_xrealloc(r->added, r->addcap * sizeof(*r->added));
	}
	r->added[r->nadded].key = lp_xstrdup(key);
	r->added[r->nadded++].val = value;
}

/* A member of a line being written: its key and where its value starts. */
static void
span_start(struct lp_json_members *ms, size_t key, size_t keylen, size_t val)
{
	struct lp_json_member *m;

	if (ms->n == ms->cap) {
		ms->cap = ms->cap ? 2 * ms->cap : 16;
		ms->m = lp_xrealloc(ms->m, ms->cap * sizeof(*ms->m));
	}
	m = &ms->m[ms->n++];
	m->key = (uint32_t)key;
	m->keylen = (uint32_t)keylen;
	m->val = (uint32_t)val;
}

static void
span_end(struct lp_json_members *ms, size_t end)
{
	struct lp_json_member *m = &ms->m[ms->n - 1];

	m->vallen = (uint32_t)(end - m->val);
}

void
lp_record_flatten(struct lp_record *r)
{
	struct lp_buf b = r->spare;
	struct lp_json_members *out = &r->sub, spans;
	size_t i, key;

	if (r->nedits == 0)
		return;
	lp_buf_reset(&b);
	lp_buf_addc(&b, '{');
	out->n = 0;
	/* The spans of the new line are noted as it is written. */
	for (i = 0; i < r->ms.n; i++) {
		const struct lp_json_member *m = &r->ms.m[i];

		if (i > 0)
			lp_buf_addc(&b, ',');
		/* The quoted key and its colon, then the value. */
		key = b.len + 1;
		lp_buf_add(&b, r->text + m->key - 1, m->val - m->key + 1);
		span_start(out, key, m->keylen, b.len);
		if (i < r->nedited && r->edited[i])
			lp_json_dump(r->vals[i], &b);
		else
			lp_buf_add(&b, r->text + m->val, m->vallen);
		span_end(out, b.len);
	}
	for (i = 0; i < r->nadded; i++) {
		if (b.len > 1)
			lp_buf_addc(&b, ',');
		key = b.len + 1;
		lp_json_dump_str(r->added[i].key, strlen(r->added[i].key), &b);
		lp_buf_addc(&b, ':');
		span_start(out, key, b.len - 2 - key, b.len);
		lp_json_dump(r->added[i].val, &b);
		span_end(out, b.len);
	}
	lp_buf_addc(&b, '}');
	if (b.len > UINT32_MAX)
		abort(); /* spans are 32-bit, as the scanner's */
	/* The record now reads the new line: swap the buffers and spans. */
	r->spare = r->flat;
	r->flat = b;
	drop_edits(r);
	drop_vals(r);
	r->text = r->flat.p;
	r->len = r->flat.len;
	spans = r->ms;
	r->ms = r->sub;
	r->sub = spans;
	vals_fit(r);
}
