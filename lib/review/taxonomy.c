/*
 * The label taxonomy: checked once when loaded, so lp-label can trust every
 * key and value it offers.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "review/taxonomy.h"

static int
fail(struct lp_error *err, const char *what, size_t i, const char *why)
{
	return lp_error_set(err, "%s[%zu]: %s", what, i, why);
}

/* Check one entry of labels or shortcuts into d. */
static int
entry(struct lp_taxonomy *t, json_t *e, const char *what, size_t i,
    struct lp_label_def *d, struct lp_error *err)
{
	const char *key = json_string_value(json_object_get(e, "key"));
	const char *name = json_string_value(json_object_get(e, "name"));
	const char *def = json_string_value(json_object_get(e, "definition"));
	json_t *v = json_object_get(e, "value");
	int k;

	if (!json_is_object(e))
		return fail(err, what, i, "not an object");
	if (!json_is_integer(v) && !json_is_string(v))
		return fail(
		    err, what, i, "\"value\" must be an integer or a string");
	if (name == NULL || *name == '\0')
		return fail(err, what, i, "no \"name\"");
	if (key == NULL || strlen(key) != 1 || !isgraph((unsigned char)*key))
		return fail(err, what, i,
		    "\"key\" must be one printable ASCII character");
	k = (unsigned char)*key;
	if (strchr(LP_TAXONOMY_RESERVED, k) != NULL) {
		return lp_error_set(err,
		    "%s[%zu]: key '%c' is lp-label's own (reserved: %s)", what,
		    i, k, LP_TAXONOMY_RESERVED);
	}
	if (lp_taxonomy_key(t, k) != NULL) {
		return lp_error_set(
		    err, "%s[%zu]: key '%c' is used twice", what, i, k);
	}
	d->value = v;
	d->key = k;
	d->name = name;
	d->definition = def != NULL ? def : "";
	d->to = d;
	return LP_OK;
}

int
lp_taxonomy_init(struct lp_taxonomy *t, json_t *root, struct lp_error *err)
{
	json_t *labels = json_object_get(root, "labels");
	json_t *cuts = json_object_get(root, "shortcuts");
	size_t i, nl = json_array_size(labels), ns = json_array_size(cuts);

	memset(t, 0, sizeof(*t));
	t->root = root;
	t->version = json_string_value(json_object_get(root, "version"));
	t->guidelines_version =
	    json_string_value(json_object_get(root, "guidelines_version"));
	if (!json_is_object(root)) {
		lp_error_set(err, "not a JSON object");
		goto bad;
	}
	if (t->version == NULL || t->guidelines_version == NULL) {
		lp_error_set(
		    err, "\"version\" and \"guidelines_version\" are required");
		goto bad;
	}
	if (!json_is_array(labels) || nl == 0 ||
	    (cuts != NULL && !json_is_array(cuts))) {
		lp_error_set(err, "\"labels\" must be a non-empty array%s",
		    cuts != NULL ? " and \"shortcuts\" an array" : "");
		goto bad;
	}
	t->labels = lp_xmalloc((nl + ns) * sizeof(*t->labels));
	memset(t->labels, 0, (nl + ns) * sizeof(*t->labels));
	for (i = 0; i < nl; i++, t->nlabels++) {
		if (entry(t, json_array_get(labels, i), "labels", i,
			&t->labels[i], err) != LP_OK)
			goto bad;
		if (lp_taxonomy_find(t, t->labels[i].value) != NULL) {
			fail(err, "labels", i, "the value is used twice");
			goto bad;
		}
	}
	for (i = 0; i < ns; i++, t->nshortcuts++) {
		struct lp_label_def *d = &t->labels[nl + i];
		const struct lp_label_def *to;

		if (entry(t, json_array_get(cuts, i), "shortcuts", i, d, err) !=
		    LP_OK)
			goto bad;
		if ((to = lp_taxonomy_find(t, d->value)) == NULL) {
			fail(err, "shortcuts", i,
			    "\"value\" is not one of the labels");
			goto bad;
		}
		d->to = to;
	}
	return LP_OK;
bad:
	lp_taxonomy_release(t);
	return LP_FAILED;
}

void
lp_taxonomy_release(struct lp_taxonomy *t)
{
	json_decref(t->root);
	free(t->labels);
	memset(t, 0, sizeof(*t));
}

const struct lp_label_def *
lp_taxonomy_key(const struct lp_taxonomy *t, int key)
{
	int i;

	for (i = 0; i < t->nlabels + t->nshortcuts; i++)
		if (t->labels[i].key == key)
			return &t->labels[i];
	return NULL;
}

const struct lp_label_def *
lp_taxonomy_find(const struct lp_taxonomy *t, const json_t *v)
{
	const char *s = json_string_value(v);
	int i;

	for (i = 0; i < t->nlabels + t->nshortcuts; i++) {
		const struct lp_label_def *d = &t->labels[i];
		char num[32];

		if (json_equal((json_t *)(uintptr_t)v, d->value) ||
		    (s != NULL && strcmp(s, d->name) == 0))
			return d->to;
		if (s != NULL && json_is_integer(d->value)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(d->value));
			if (strcmp(s, num) == 0)
				return d->to;
		}
	}
	return NULL;
}

void
lp_taxonomy_list(const struct lp_taxonomy *t, char *buf, size_t n)
{
	struct lp_buf b = LP_BUF_INIT;
	int i;

	for (i = 0; i < t->nlabels + t->nshortcuts; i++) {
		const struct lp_label_def *d = &t->labels[i];

		if (i > 0)
			lp_buf_adds(&b, ", ");
		if (i >= t->nlabels)
			lp_buf_adds(&b, d->name);
		else if (json_is_integer(d->value))
			lp_buf_addf(&b, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(d->value));
		else
			lp_buf_adds(&b, json_string_value(d->value));
	}
	snprintf(buf, n, "%s", b.p != NULL ? b.p : "");
	lp_buf_release(&b);
}
