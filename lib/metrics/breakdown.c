#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/status.h"
#include "core/buf.h"
#include "metrics/breakdown.h"

void
lp_breakdown_init(struct lp_breakdown *b, const char *name,
    const char *const *fields, size_t nfields)
{
	memset(b, 0, sizeof(*b));
	b->name = name;
	b->fields = fields;
	b->nfields = nfields;
	b->keys = json_array();
}

int
lp_breakdown_over_time(const char *name)
{
	return strcmp(name, "day") == 0 || strcmp(name, "week") == 0;
}

/* The day or week of time stamp at (ms, or an ISO date), into keys. */
static void
time_key(const char *name, json_t *at, json_t *keys)
{
	struct tm tm;
	time_t t;
	char buf[32];

	if (!json_is_number(at) && !json_is_string(at)) {
		json_array_append_new(keys, json_string("(no time)"));
		return;
	}
	memset(&tm, 0, sizeof(tm));
	if (json_is_number(at))
		t = (time_t)(json_number_value(at) / 1000);
	else if (sscanf(json_string_value(at), "%4d-%2d-%2d", &tm.tm_year,
		     &tm.tm_mon, &tm.tm_mday) == 3) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm);
	} else
		t = (time_t)-1;
	if (t != (time_t)-1 && gmtime_r(&t, &tm) != NULL) {
		strftime(buf, sizeof(buf),
		    name[0] == 'd' ? "%Y-%m-%d" : "%G-W%V", &tm);
		json_array_append_new(keys, json_string(buf));
	} else
		json_array_append_new(keys, json_string("(no time)"));
}

/* The group keys of rec under grouping name, into keys (strings). */
static void
group_keys(struct lp_record *rec, const char *name, json_t *keys)
{
	json_t *labels = lp_record_get(rec, "labels"), *l, *at = NULL;
	struct lp_buf path = LP_BUF_INIT;
	const char *s;
	size_t i;

	json_array_clear(keys);
	if (strcmp(name, "annotator") == 0) {
		json_array_foreach (labels, i, l)
			if (json_is_string(json_object_get(l, "annotator_id")))
				json_array_append(
				    keys, json_object_get(l, "annotator_id"));
		return;
	}
	if (strcmp(name, "taxonomy_version") == 0) {
		s = json_string_value(json_object_get(
		    json_array_get(labels, 0), "taxonomy_version"));
		json_array_append_new(keys, json_string(s ? s : "(none)"));
		return;
	}
	if (!lp_breakdown_over_time(name)) {
		lp_buf_addf(&path, "lineage.%s", name);
		s = lp_record_get_str(rec, path.p);
		json_array_append_new(keys, json_string(s ? s : "(none)"));
		lp_buf_release(&path);
		return;
	}
	/* Time: the first label's, else the last lineage step's. */
	at = json_object_get(json_array_get(labels, 0), "at");
	if (at == NULL) {
		json_t *steps = lp_record_get(rec, "lineage.steps");

		at = json_object_get(
		    json_array_get(steps, json_array_size(steps) - 1), "at");
	}
	time_key(name, at, keys);
}

static struct lp_breakdown_group *
group_of(struct lp_breakdown *b, const char *key)
{
	struct lp_breakdown_group *g;
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->g[i].key, key) == 0)
			return &b->g[i];
	b->g = lp_xrealloc(b->g, sizeof(*b->g) * (b->n + 1));
	g = &b->g[b->n++];
	g->key = lp_xstrdup(key);
	g->kpi = lp_kpi_new(b->fields, b->nfields,
	    strcmp(b->name, "annotator") == 0 ? key : NULL);
	if (b->gold_key != NULL)
		lp_kpi_gold_key(g->kpi, b->gold_key);
	return g;
}

void
lp_breakdown_add(struct lp_breakdown *b, struct lp_record *rec)
{
	json_t *key;
	size_t i;

	group_keys(rec, b->name, b->keys);
	json_array_foreach (b->keys, i, key)
		lp_kpi_add(group_of(b, json_string_value(key))->kpi, rec);
}

/* Groups by key: days and ISO weeks sort into time order. */
static int
cmp_group(const void *x, const void *y)
{
	return strcmp(((const struct lp_breakdown_group *)x)->key,
	    ((const struct lp_breakdown_group *)y)->key);
}

json_t *
lp_breakdown_metrics(
    struct lp_breakdown *b, const struct lp_kpi *whole, unsigned long long seed)
{
	json_t *per = json_object();
	size_t i;

	/* The index from key to group is done with: sort the groups. */
	qsort(b->g, b->n, sizeof(*b->g), cmp_group);
	for (i = 0; i < b->n; i++) {
		lp_kpi_fill_from(b->g[i].kpi, whole);
		json_object_set_new(
		    per, b->g[i].key, lp_kpi_metrics(b->g[i].kpi, 0, seed));
	}
	return per;
}

void
lp_breakdown_release(struct lp_breakdown *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->g[i].key);
		lp_kpi_free(b->g[i].kpi);
	}
	free(b->g);
	json_decref(b->keys);
	memset(b, 0, sizeof(*b));
}
