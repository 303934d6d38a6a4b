#include <math.h>
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

int
lp_schema_check_record(
    const json_t *schema, struct lp_record *rec, struct lp_error *err)
{
	struct lp_buf path = LP_BUF_INIT;
	json_t *t, *x, *v;
	const char *k;
	size_t i;
	int rc = LP_OK;

	/* A record is an object; a schema that says otherwise, the long way. */
	if ((t = json_object_get(schema, "type")) != NULL &&
	    !(json_is_string(t) && strcmp(json_string_value(t), "object") == 0))
		return lp_schema_check(schema, lp_record_root(rec), err);
	json_array_foreach (json_object_get(schema, "required"), i, x) {
		if (json_is_string(x) &&
		    lp_record_get(rec, json_string_value(x)) == NULL)
			return lp_error_set(
			    err, "%s is missing", json_string_value(x));
	}
	if ((t = json_object_get(schema, "properties")) == NULL)
		return LP_OK;
	json_object_foreach (t, k, x) {
		/* A dotted name would be read as a path: skip the fast way. */
		if (strchr(k, '.') != NULL)
			return lp_schema_check(
			    schema, lp_record_root(rec), err);
	}
	json_object_foreach (t, k, x) {
		if ((v = lp_record_get(rec, k)) == NULL)
			continue;
		lp_buf_reset(&path);
		lp_buf_adds(&path, k);
		if ((rc = check_at(x, v, &path, err)) != LP_OK)
			break;
	}
	lp_buf_release(&path);
	return rc;
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
