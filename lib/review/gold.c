#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/record.h"
#include "core/status.h"
#include "core/stream.h"
#include "review/gold.h"

/* Fields a gold item's own look leaves out (see gold.h). */
static int
own_field(const char *key)
{
	return strcmp(key, "gold") == 0 || strcmp(key, "lineage") == 0 ||
	    strcmp(key, "sample") == 0;
}

/*
 * The fields of object o as a tree: {key: true}, or {key: {...}} for an
 * object one level down (depth counts the levels left).
 */
static json_t *
shape(json_t *o, int depth)
{
	json_t *t = json_object(), *v;
	const char *key;

	json_object_foreach (o, key, v) {
		if (depth == 2 && own_field(key))
			continue;
		json_object_set_new(t, key,
		    json_is_object(v) && depth > 1 ? shape(v, depth - 1)
						   : json_true());
	}
	return t;
}

/* any := any union t. */
static void
unite(json_t *any, json_t *t)
{
	json_t *v, *a;
	const char *key;

	json_object_foreach (t, key, v) {
		a = json_object_get(any, key);
		if (a == NULL)
			json_object_set(any, key, v);
		else if (json_is_object(a) && json_is_object(v))
			unite(a, v);
		else if (json_is_object(v))
			json_object_set(any, key, v);
	}
}

/* all := all intersected with t. */
static void
intersect(json_t *all, json_t *t)
{
	json_t *v, *w;
	const char *key;
	void *tmp;

	json_object_foreach_safe(all, tmp, key, v)
	{
		if ((w = json_object_get(t, key)) == NULL)
			json_object_del(all, key);
		else if (json_is_object(v) && json_is_object(w))
			intersect(v, w);
		else if (json_is_object(v))
			json_object_set_new(all, key, json_true());
	}
}

/*
 * The first field of a not in b, as "key" or "key.sub" into path; 0 when
 * there is none.
 */
static int
first_missing(json_t *a, json_t *b, struct lp_buf *path)
{
	json_t *v, *w;
	const char *key;
	size_t len = path->len;

	json_object_foreach (a, key, v) {
		if (len > 0)
			lp_buf_addc(path, '.');
		lp_buf_adds(path, key);
		if ((w = json_object_get(b, key)) == NULL)
			return 1;
		if (json_is_object(v) && json_is_object(w) &&
		    first_missing(v, w, path))
			return 1;
		path->len = len;
		path->p[len] = '\0';
	}
	return 0;
}

void
lp_gold_look_init(struct lp_gold_look *l)
{
	memset(l, 0, sizeof(*l));
}

void
lp_gold_look_add(struct lp_gold_look *l, json_t *rec)
{
	json_t *t = shape(rec, 2), *lin = json_object_get(rec, "lineage");
	const char *id = json_string_value(json_object_get(rec, "id"));

	if (l->n++ == 0) {
		l->any = json_object();
		l->forms = json_object();
		l->all = json_deep_copy(t);
		if (lin != NULL)
			l->lineage = json_deep_copy(lin);
	} else
		intersect(l->all, t);
	unite(l->any, t);
	if (id != NULL) {
		char *form = lp_gold_id_form(id);

		json_object_set_new(l->forms, form, json_true());
		free(form);
	}
	json_decref(t);
}

int
lp_gold_look_check(
    const struct lp_gold_look *l, json_t *rec, struct lp_error *err)
{
	json_t *t;
	const char *id = json_string_value(json_object_get(rec, "id"));
	struct lp_buf path = LP_BUF_INIT;
	char *form;
	int rc = LP_OK;

	if (l->n == 0)
		return LP_OK;
	t = shape(rec, 2);
	form = lp_gold_id_form(id != NULL ? id : "");
	if (first_missing(l->all, t, &path))
		rc = lp_error_set(err, "no field '%s'", path.p);
	else if ((lp_buf_reset(&path), first_missing(t, l->any, &path)))
		rc = lp_error_set(err, "field '%s' that no item has", path.p);
	else if (json_object_get(l->forms, form) == NULL) {
		const char *seen = "";
		json_t *v;

		json_object_foreach (l->forms, seen, v)
			break;
		rc = lp_error_set(err, "id '%s' unlike the items' ids (%s)",
		    id != NULL ? id : "", seen);
	}
	free(form);
	lp_buf_release(&path);
	json_decref(t);
	return rc;
}

char *
lp_gold_id_form(const char *id)
{
	const char *colon = strrchr(id, ':');
	size_t n = strlen(id), i = colon != NULL ? (size_t)(colon - id) + 1 : 0;
	char *form = lp_xstrdup(id);

	for (; i < n; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c >= '0' && c <= '9')
			form[i] = '9';
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			form[i] = 'a';
	}
	return form;
}

void
lp_gold_look_release(struct lp_gold_look *l)
{
	json_decref(l->any);
	json_decref(l->all);
	json_decref(l->forms);
	json_decref(l->lineage);
	memset(l, 0, sizeof(*l));
}

int
lp_gold_key_load(const char *path, json_t **key, struct lp_error *err)
{
	struct lp_reader r;
	struct lp_record rec;
	const char *line, *id;
	char *files[1];
	size_t len;
	int rc;

	*key = NULL;
	files[0] = (char *)path;
	if (lp_reader_open(&r, files, 1, LP_MAX_LINE_DEFAULT) != LP_OK) {
		lp_error_set(err, "%s", r.err.msg);
		return LP_FATAL;
	}
	*key = json_object();
	lp_record_init(&rec);
	while ((rc = lp_reader_next(&r, &line, &len)) == LP_OK) {
		json_t *g;

		lp_record_reset(&rec);
		if (lp_record_parse(&rec, line, len) != LP_OK ||
		    (id = lp_record_get_str(&rec, "id")) == NULL) {
			rc =
			    lp_error_set(err, "%s:%lu: expected a line with id",
				path, lp_reader_lineno(&r));
			break;
		}
		g = lp_record_get(&rec, "gold");
		json_object_set(*key, id, g != NULL ? g : json_null());
	}
	if (rc == LP_EOF)
		rc = LP_OK;
	else if (rc != LP_FAILED) {
		lp_error_set(err, "%s", r.err.msg);
		rc = r.ioerr ? LP_FATAL : LP_FAILED;
	}
	lp_record_release(&rec);
	lp_reader_close(&r);
	if (rc != LP_OK) {
		json_decref(*key);
		*key = NULL;
	}
	return rc;
}
