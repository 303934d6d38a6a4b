#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/error.h"
#include "review/annotator.h"

static const char id_chars[] = "abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789._@+-";

int
lp_annotator_check(const char *id, struct lp_error *err)
{
	size_t n = strlen(id);

	if (n == 0 || n > LP_ANNOTATOR_MAX || strspn(id, id_chars) != n ||
	    id[0] == '.' || id[0] == '-')
		return lp_error_set(err,
		    "invalid annotator '%s' (1 to %d of A-Z a-z 0-9 . _ @ + -, "
		    "not starting with '.' or '-')",
		    id, LP_ANNOTATOR_MAX);
	return LP_OK;
}

static void
others_add(struct lp_annotator_others *o, const char *name)
{
	size_t k;

	for (k = 0; k < o->n; k++)
		if (strcmp(o->name[k], name) == 0)
			return;
	if (o->n == LP_ANNOTATOR_OTHERS)
		o->more = 1;
	else
		o->name[o->n++] = lp_xstrdup(name);
}

int
lp_annotator_assigned(
    const json_t *who, const char *id, struct lp_annotator_others *others)
{
	const json_t *w;
	size_t i;

	if (!json_is_array(who))
		return 1;
	for (i = 0; i < json_array_size(who); i++) {
		w = json_array_get(who, i);
		if (json_is_string(w) && strcmp(json_string_value(w), id) == 0)
			return 1;
	}
	for (i = 0; others != NULL && i < json_array_size(who); i++)
		if (json_is_string(w = json_array_get(who, i)))
			others_add(others, json_string_value(w));
	return 0;
}

const char *
lp_annotator_others_text(struct lp_annotator_others *o)
{
	size_t k;

	lp_buf_reset(&o->text);
	for (k = 0; k < o->n; k++)
		lp_buf_addf(&o->text, "%s%s", k ? ", " : "", o->name[k]);
	if (o->more)
		lp_buf_adds(&o->text, ", ...");
	return o->text.p != NULL ? o->text.p : "";
}

void
lp_annotator_others_release(struct lp_annotator_others *o)
{
	size_t k;

	for (k = 0; k < o->n; k++)
		free(o->name[k]);
	lp_buf_release(&o->text);
	memset(o, 0, sizeof(*o));
}
