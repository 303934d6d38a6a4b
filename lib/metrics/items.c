#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/status.h"
#include "metrics/items.h"

struct lp_items {
	json_t *list;	  /* the items, in the order first seen */
	json_t *by_id;	  /* id -> the item (the same object) */
	json_t *gold_key; /* id -> answer, or NULL */
};

struct lp_items *
lp_items_new(json_t *gold_key)
{
	struct lp_items *s = calloc(1, sizeof(*s));

	if (s == NULL)
		abort();
	s->list = json_array();
	s->by_id = json_object();
	s->gold_key = json_incref(gold_key);
	return s;
}

/* Set key of item to a copy of v, unless v is NULL or item has it. */
static void
take(json_t *item, const char *key, json_t *v)
{
	if (v != NULL && !json_is_null(v) && json_object_get(item, key) == NULL)
		json_object_set_new(item, key, json_deep_copy(v));
}

/* The members of a label that people read, from l. */
static json_t *
label_copy(json_t *l)
{
	static const char *const keys[] = {"annotator_id", "label", "round",
	    "note", "correction", "time_to_label_ms", "at"};
	json_t *out = json_object(), *v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if ((v = json_object_get(l, keys[i])) != NULL)
			json_object_set(out, keys[i], v);
	if (json_object_get(out, "label") == NULL)
		json_object_set_new(out, "label", json_null());
	return out;
}

/* Merge the labels of a record into item: one per annotator. */
static void
merge_labels(json_t *item, json_t *labels)
{
	json_t *have = json_object_get(item, "labels"), *l, *h;
	size_t i, j;

	json_array_foreach (labels, i, l) {
		const char *who =
		    json_string_value(json_object_get(l, "annotator_id"));

		if (who == NULL)
			continue;
		json_array_foreach (have, j, h)
			if (strcmp(who,
				json_string_value(
				    json_object_get(h, "annotator_id"))) == 0)
				break;
		/* A skip does not replace a label given. */
		if (j < json_array_size(have) &&
		    json_is_null(json_object_get(l, "label")))
			continue;
		if (j < json_array_size(have))
			json_array_set_new(have, j, label_copy(l));
		else
			json_array_append_new(have, label_copy(l));
	}
}

/* The rating's members that people read. */
static void
take_rating(json_t *item, struct lp_record *rec)
{
	static const char *const keys[] = {"score", "confidence", "rationale"};
	json_t *r = json_object_get(item, "rating"), *v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		char path[32] = "rating.";

		memcpy(path + 7, keys[i], strlen(keys[i]) + 1);
		if ((v = lp_record_get(rec, path)) == NULL || json_is_null(v))
			continue;
		if (r == NULL) {
			r = json_object();
			json_object_set_new(item, "rating", r);
		}
		take(r, keys[i], v);
	}
}

/* The gold answer's value: the key's, else the record's own. */
static json_t *
gold_of(const struct lp_items *s, struct lp_record *rec, const char *id)
{
	json_t *a = s->gold_key ? json_object_get(s->gold_key, id) : NULL, *g;

	if (a == NULL)
		a = lp_record_get(rec, "gold");
	if ((g = json_object_get(a, "label")) != NULL ||
	    (g = json_object_get(a, "score")) != NULL)
		return g;
	return NULL;
}

void
lp_items_add(struct lp_items *s, struct lp_record *rec)
{
	json_t *labels = lp_record_get(rec, "labels"), *item;
	const char *id = lp_record_get_str(rec, "id");

	if (id == NULL || !json_is_array(labels) ||
	    json_array_size(labels) == 0)
		return;
	if ((item = json_object_get(s->by_id, id)) == NULL) {
		item = json_pack("{s:s,s:[]}", "id", id, "labels");
		json_array_append_new(s->list, item);
		json_object_set(s->by_id, id, item);
	}
	take(item, "title", lp_record_get(rec, "title"));
	take(item, "translation", lp_record_get(rec, "translation.text"));
	take_rating(item, rec);
	take(item, "gold", gold_of(s, rec, id));
	take(item, "adjudication", lp_record_get(rec, "adjudication"));
	merge_labels(item, labels);
}

json_t *
lp_items_list(const struct lp_items *s)
{
	return s->list;
}

void
lp_items_free(struct lp_items *s)
{
	if (s == NULL)
		return;
	json_decref(s->list);
	json_decref(s->by_id);
	json_decref(s->gold_key);
	free(s);
}

json_t *
lp_items_label_of(json_t *item, const char *who)
{
	json_t *l;
	size_t i;

	json_array_foreach (json_object_get(item, "labels"), i, l) {
		const char *a =
		    json_string_value(json_object_get(l, "annotator_id"));
		json_t *v = json_object_get(l, "label");

		if (strcmp(a, who) == 0)
			return json_is_null(v) ? NULL : v;
	}
	return NULL;
}

json_t *
lp_items_reference(json_t *item)
{
	json_t *g = json_object_get(item, "gold");
	json_t *a =
	    json_object_get(json_object_get(item, "adjudication"), "label");

	if (g != NULL)
		return g;
	return a != NULL && !json_is_null(a) ? a : NULL;
}

void
lp_items_label_name(struct lp_buf *b, json_t *v, const struct lp_taxonomy *t)
{
	const struct lp_label_def *d = t ? lp_taxonomy_find(t, v) : NULL;

	if (d != NULL) {
		lp_buf_adds(b, d->name);
		lp_buf_adds(b, " (");
		lp_json_dump(v, b);
		lp_buf_adds(b, ")");
	} else if (json_is_string(v))
		lp_buf_adds(b, json_string_value(v));
	else
		lp_json_dump(v, b);
}
