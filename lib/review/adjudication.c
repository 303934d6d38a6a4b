/*
 * Consensus over annotators' labels.  Labels are compared as JSON values,
 * so 4 and "4" differ: the taxonomy gives each label one value.
 */
#include <string.h>

#include "core/status.h"
#include "review/adjudication.h"

/* Whether labels has one by who in round. */
static int
has_label(const json_t *labels, const char *who, const json_t *round)
{
	json_t *m;
	size_t j;

	json_array_foreach (labels, j, m)
		if (strcmp(who,
			json_string_value(
			    json_object_get(m, "annotator_id"))) == 0 &&
		    json_equal(round, json_object_get(m, "round")))
			return 1;
	return 0;
}

size_t
lp_adjudication_merge(struct lp_adjudication *a, const json_t *labels)
{
	json_t *l;
	size_t i, dup = 0;

	if (a->labels == NULL)
		a->labels = json_array();
	json_array_foreach (labels, i, l) {
		const char *who =
		    json_string_value(json_object_get(l, "annotator_id"));

		if (who == NULL)
			continue;
		if (has_label(a->labels, who, json_object_get(l, "round")))
			dup++;
		else
			json_array_append(a->labels, l);
	}
	return dup;
}

const char *
lp_adjudication_settle(struct lp_adjudication *a, int majority)
{
	json_t *vals = json_array(), *l, *v;
	size_t i, j, best = 0, bestn = 0, n;

	json_array_foreach (a->labels, i, l)
		if ((v = json_object_get(l, "label")) != NULL &&
		    !json_is_null(v))
			json_array_append(vals, v);
	n = json_array_size(vals);
	for (i = 0; i < n; i++) {
		size_t c = 0;

		for (j = 0; j < n; j++)
			c += json_equal(
			    json_array_get(vals, i), json_array_get(vals, j));
		if (c > bestn) {
			bestn = c;
			best = i;
		}
	}
	if (n == 1)
		a->how = "single";
	else if (n > 1 && bestn == n)
		a->how = "unanimous";
	else if (n > 1 && majority && 2 * bestn > n)
		a->how = "majority";
	if (a->how != NULL)
		a->settled = json_incref(json_array_get(vals, best));
	json_decref(vals);
	return a->how ? a->how : n ? "contested" : "unlabelled";
}

int
lp_adjudication_open(const struct lp_adjudication *a)
{
	return a->how == NULL && json_array_size(a->labels) > 0;
}

json_t *
lp_adjudication_result(const struct lp_adjudication *a,
    const struct lp_decision *dec, const char *adjudicator, long long now)
{
	json_t *r;

	if (a->how != NULL)
		return json_pack("{s:O,s:s,s:s,s:I}", "label", a->settled, "by",
		    "consensus", "method", a->how, "at", (json_int_t)now);
	if (dec->state != LP_DECISION_SUBMITTED)
		return NULL;
	r = json_pack("{s:O,s:s,s:s,s:I}", "label", dec->label, "by",
	    adjudicator, "method", "adjudicator", "at", (json_int_t)dec->at);
	if (dec->correction != NULL)
		json_object_set_new(
		    r, "correction", json_string(dec->correction));
	if (dec->note != NULL)
		json_object_set_new(r, "note", json_string(dec->note));
	return r;
}

void
lp_adjudication_release(struct lp_adjudication *a)
{
	json_decref(a->labels);
	json_decref(a->settled);
	memset(a, 0, sizeof(*a));
}
