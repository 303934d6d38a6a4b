#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "text/schema.h"
#include "text/text.h"
#include "core/data.h"

static const char *const known[] = {"type", "required", "properties", "enum",
    "minLength", "minimum", "$comment", "description", "$schema"};

static int
valid_at(const json_t *s, struct lp_buf *path, struct lp_error *err)
{
	const char *k;
	json_t *v;
	size_t i;

	if (!json_is_object(s))
		return lp_error_set(err, "%s: a schema must be an object",
		    path->len ? path->p : "(top)");
	json_object_foreach ((json_t *)s, k, v) {
		for (i = 0; i < sizeof(known) / sizeof(*known); i++)
			if (strcmp(k, known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(*known))
			return lp_error_set(err,
			    "%s: \"%s\" is not in the supported subset",
			    path->len ? path->p : "(top)", k);
	}
	if ((v = json_object_get(s, "properties")) != NULL) {
		size_t len = path->len;

		if (!json_is_object(v))
			return lp_error_set(err,
			    "%s: properties must be an object",
			    path->len ? path->p : "(top)");
		json_object_foreach (v, k, s) {
			path->len = len;
			lp_buf_addf(path, "%s%s", len ? "." : "", k);
			if (valid_at(s, path, err) != LP_OK)
				return LP_FAILED;
		}
		path->len = len;
		if (path->p != NULL)
			path->p[len] = '\0';
	}
	return LP_OK;
}

int
lp_schema_valid(const json_t *schema, struct lp_error *err)
{
	struct lp_buf path = LP_BUF_INIT;
	int rc = valid_at(schema, &path, err);

	lp_buf_release(&path);
	return rc;
}

static int
type_is(const char *t, const json_t *v)
{
	if (strcmp(t, "object") == 0)
		return json_is_object(v);
	if (strcmp(t, "array") == 0)
		return json_is_array(v);
	if (strcmp(t, "string") == 0)
		return json_is_string(v);
	if (strcmp(t, "number") == 0)
		return json_is_number(v);
	if (strcmp(t, "integer") == 0)
		return json_is_integer(v) ||
		    (json_is_real(v) &&
			json_real_value(v) == floor(json_real_value(v)));
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(v);
	return strcmp(t, "null") == 0 && json_is_null(v);
}

static int
check_at(
    const json_t *s, const json_t *v, struct lp_buf *path, struct lp_error *err)
{
	const char *where = path->len ? path->p : "record";
	json_t *t, *x;
	const char *k;
	size_t i;

	if ((t = json_object_get(s, "type")) != NULL) {
		int ok = 0;

		if (json_is_string(t))
			ok = type_is(json_string_value(t), v);
		else
			json_array_foreach (t, i, x)
				ok |= json_is_string(x) &&
				    type_is(json_string_value(x), v);
		if (!ok)
			return lp_error_set(err, "%s is %s, not %s", where,
			    lp_json_kind(v),
			    json_is_string(t) ? json_string_value(t)
					      : "of an allowed type");
	}
	if ((t = json_object_get(s, "enum")) != NULL) {
		int ok = 0;

		json_array_foreach (t, i, x)
			ok |= json_equal(x, (json_t *)v);
		if (!ok)
			return lp_error_set(err,
			    "%s is not one of the allowed "
			    "values",
			    where);
	}
	if ((t = json_object_get(s, "minLength")) != NULL &&
	    json_is_string(v) &&
	    (json_int_t)lp_utf8_count(json_string_value(v),
		json_string_length(v)) < json_integer_value(t))
		return lp_error_set(err, "%s is shorter than %lld characters",
		    where, (long long)json_integer_value(t));
	if ((t = json_object_get(s, "minimum")) != NULL && json_is_number(v) &&
	    json_number_value(v) < json_number_value(t))
		return lp_error_set(err, "%s: %g is below the minimum %g",
		    where, json_number_value(v), json_number_value(t));
	if (!json_is_object(v))
		return LP_OK;
	json_array_foreach (json_object_get(s, "required"), i, x) {
		if (json_is_string(x) &&
		    json_object_get(v, json_string_value(x)) == NULL)
			return lp_error_set(err, "%s%s%s is missing",
			    path->len ? path->p : "", path->len ? "." : "",
			    json_string_value(x));
	}
	if ((t = json_object_get(s, "properties")) != NULL) {
		size_t len = path->len;

		json_object_foreach (t, k, x) {
			json_t *field = json_object_get(v, k);
			int rc;

			if (field == NULL)
				continue;
			lp_buf_addf(path, "%s%s", len ? "." : "", k);
			rc = check_at(x, field, path, err);
			path->len = len;
			path->p[len] = '\0';
			if (rc != LP_OK)
				return LP_FAILED;
		}
	}
	return LP_OK;
}

int
lp_schema_check(const json_t *schema, const json_t *v, struct lp_error *err)
{
	struct lp_buf path = LP_BUF_INIT;
	int rc;

	lp_buf_grow(&path, 64);
	path.p[0] = '\0';
	rc = check_at(schema, v, &path, err);
	lp_buf_release(&path);
	return rc;
}

/* The types a value is, as bits. */
enum {
	T_OBJECT = 1,
	T_ARRAY = 2,
	T_STRING = 4,
	T_NUMBER = 8,
	T_INTEGER = 16,
	T_BOOLEAN = 32,
	T_NULL = 64
};

static unsigned
type_bit(const char *t)
{
	static const char *const names[] = {"object", "array", "string",
	    "number", "integer", "boolean", "null"};
	unsigned i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(t, names[i]) == 0)
			return 1U << i;
	return 0; /* type_is() knows no other name: it never matches */
}

/* The bits of type_is() that v meets. */
static unsigned
kinds(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return T_OBJECT;
	case JSON_ARRAY:
		return T_ARRAY;
	case JSON_STRING:
		return T_STRING;
	case JSON_INTEGER:
		return T_NUMBER | T_INTEGER;
	case JSON_REAL:
		return T_NUMBER |
		    (json_real_value(v) == floor(json_real_value(v)) ? T_INTEGER
								     : 0);
	case JSON_TRUE:
	case JSON_FALSE:
		return T_BOOLEAN;
	default:
		return T_NULL;
	}
}

/* One schema object, its keywords read: check_at() without lookups. */
struct node {
	int has_type, has_enum, has_minlen, has_minimum;
	unsigned types;	   /* bits allowed */
	const char *type1; /* the one type named, for the message, or NULL */
	const json_t *enumv;
	json_int_t minlen;
	double minimum;
	const char **req; /* required names (strings only) */
	size_t nreq;
	const char **pname; /* properties, in the schema's order */
	struct node *prop;
	size_t nprop;
};

struct lp_schema {
	json_t *src;	 /* a reference: the strings below are its */
	int whole;	 /* records need lp_schema_check() on the tree */
	struct node top; /* required and properties of the record */
};

static void
node_compile(struct node *n, const json_t *s)
{
	json_t *t, *x;
	const char *k;
	size_t i;

	memset(n, 0, sizeof(*n));
	if ((t = json_object_get(s, "type")) != NULL) {
		n->has_type = 1;
		if (json_is_string(t)) {
			n->type1 = json_string_value(t);
			n->types = type_bit(n->type1);
		} else
			json_array_foreach (t, i, x)
				if (json_is_string(x))
					n->types |=
					    type_bit(json_string_value(x));
	}
	if ((n->enumv = json_object_get(s, "enum")) != NULL)
		n->has_enum = 1;
	if ((t = json_object_get(s, "minLength")) != NULL) {
		n->has_minlen = 1;
		n->minlen = json_integer_value(t);
	}
	if ((t = json_object_get(s, "minimum")) != NULL) {
		n->has_minimum = 1;
		n->minimum = json_number_value(t);
	}
	t = json_object_get(s, "required");
	n->req = lp_xmalloc((json_array_size(t) + 1) * sizeof(*n->req));
	json_array_foreach (t, i, x)
		if (json_is_string(x))
			n->req[n->nreq++] = json_string_value(x);
	t = json_object_get(s, "properties");
	n->pname = lp_xmalloc((json_object_size(t) + 1) * sizeof(*n->pname));
	n->prop = lp_xmalloc((json_object_size(t) + 1) * sizeof(*n->prop));
	json_object_foreach (t, k, x) {
		n->pname[n->nprop] = k;
		node_compile(&n->prop[n->nprop++], x);
	}
}

static void
node_free(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nprop; i++)
		node_free(&n->prop[i]);
	free(n->req);
	free(n->pname);
	free(n->prop);
}

struct lp_schema *
lp_schema_compile(const json_t *schema)
{
	struct lp_schema *cs = lp_xmalloc(sizeof(*cs));
	json_t *t, *x;
	const char *k;

	cs->src = json_incref((json_t *)schema);
	/* A record is an object; a schema that says otherwise, the long way. */
	cs->whole = (t = json_object_get(schema, "type")) != NULL &&
	    !(json_is_string(t) && strcmp(json_string_value(t), "object") == 0);
	/* A dotted name would be read as a path: skip the fast way. */
	json_object_foreach (json_object_get(schema, "properties"), k, x)
		cs->whole |= strchr(k, '.') != NULL;
	node_compile(&cs->top, schema);
	return cs;
}

void
lp_schema_free(struct lp_schema *cs)
{
	if (cs == NULL)
		return;
	node_free(&cs->top);
	json_decref(cs->src);
	free(cs);
}

/* The dotted path of a member, from the outermost name in: for messages. */
struct where {
	const struct where *up;
	const char *name;
};

static void
where_add(const struct where *w, struct lp_buf *b)
{
	if (w == NULL)
		return;
	where_add(w->up, b);
	lp_buf_addf(b, "%s%s", w->up != NULL ? "." : "", w->name);
}

/* check_at()'s message: where's path, or "record" at the top. */
static int fail(const struct where *w, struct lp_error *err, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static int
fail(const struct where *w, struct lp_error *err, const char *fmt, ...)
{
	struct lp_buf path = LP_BUF_INIT;
	char rest[sizeof(err->msg)];
	va_list ap;

	where_add(w, &path);
	va_start(ap, fmt);
	vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	lp_error_set(err, "%s%s", path.len ? path.p : "record", rest);
	lp_buf_release(&path);
	return LP_FAILED;
}

/* check_at() over a compiled node: the same checks and messages. */
static int
node_check(const struct node *n, const json_t *v, const struct where *w,
    struct lp_error *err)
{
	size_t i;
	json_t *x;

	if (n->has_type && (kinds(v) & n->types) == 0)
		return fail(w, err, " is %s, not %s", lp_json_kind(v),
		    n->type1 != NULL ? n->type1 : "of an allowed type");
	if (n->has_enum) {
		int ok = 0;

		json_array_foreach (n->enumv, i, x)
			ok |= json_equal(x, (json_t *)v);
		if (!ok)
			return fail(
			    w, err, " is not one of the allowed values");
	}
	if (n->has_minlen && json_is_string(v) &&
	    (json_int_t)lp_utf8_count(
		json_string_value(v), json_string_length(v)) < n->minlen)
		return fail(w, err, " is shorter than %lld characters",
		    (long long)n->minlen);
	if (n->has_minimum && json_is_number(v) &&
	    json_number_value(v) < n->minimum)
		return fail(w, err, ": %g is below the minimum %g",
		    json_number_value(v), n->minimum);
	if (!json_is_object(v))
		return LP_OK;
	for (i = 0; i < n->nreq; i++)
		if (json_object_get(v, n->req[i]) == NULL) {
			struct where m = {w, n->req[i]};

			return fail(&m, err, " is missing");
		}
	for (i = 0; i < n->nprop; i++) {
		json_t *field = json_object_get(v, n->pname[i]);
		struct where m = {w, n->pname[i]};

		if (field != NULL &&
		    node_check(&n->prop[i], field, &m, err) != LP_OK)
			return LP_FAILED;
	}
	return LP_OK;
}

int
lp_schema_check_compiled(
    const struct lp_schema *cs, struct lp_record *rec, struct lp_error *err)
{
	const struct node *n = &cs->top;
	json_t *v;
	size_t i;

	if (cs->whole)
		return lp_schema_check(cs->src, lp_record_root(rec), err);
	for (i = 0; i < n->nreq; i++)
		if (lp_record_get(rec, n->req[i]) == NULL)
			return lp_error_set(err, "%s is missing", n->req[i]);
	for (i = 0; i < n->nprop; i++) {
		struct where m = {NULL, n->pname[i]};

		if ((v = lp_record_get(rec, n->pname[i])) != NULL &&
		    node_check(&n->prop[i], v, &m, err) != LP_OK)
			return LP_FAILED;
	}
	return LP_OK;
}

json_t *
lp_schema_listing(void)
{
	json_t *s = json_loadb((const char *)lp_data_listing_schema,
	    lp_data_listing_schema_len, 0, NULL);

	if (s == NULL)
		abort(); /* built in and tested */
	return s;
}
