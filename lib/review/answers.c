/*
 * Answers files.  Each line is checked in the order a person would fix
 * them (the id, then the status, the label, the other fields, and last
 * whether the id came before), and the first problem stops the load.  The
 * line each item was answered on is kept by item number, so a second
 * answer can name the first.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/stream.h"
#include "review/answers.h"

/* The answers being checked, and where each item was answered. */
struct load {
	struct lp_answers *a;
	const struct lp_answers_queue *q;
	unsigned long *line_of; /* by item: its answer's line, 0 for none */
	size_t nline_of;
	char labels[256]; /* the taxonomy's labels, for messages */
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? lp_xstrdup(s) : NULL;
}

/* Whether o is absent, null or a string. */
static int
str_or_null(const json_t *o)
{
	return o == NULL || json_is_string(o) || json_is_null(o);
}

/* The line item was answered on, or 0. */
static unsigned long
answered(const struct load *ld, size_t item)
{
	return item < ld->nline_of ? ld->line_of[item] : 0;
}

static void
mark_answered(struct load *ld, size_t item, unsigned long line)
{
	if (item >= ld->nline_of) {
		size_t n = ld->nline_of ? ld->nline_of : 256;

		while (n <= item)
			n *= 2;
		ld->line_of =
		    lp_xrealloc(ld->line_of, n * sizeof(*ld->line_of));
		memset(ld->line_of + ld->nline_of, 0,
		    (n - ld->nline_of) * sizeof(*ld->line_of));
		ld->nline_of = n;
	}
	ld->line_of[item] = line;
}

/* Check the label of a submitted answer: LP_OK, or LP_FAILED (err). */
static int
check_label(const struct load *ld, const json_t *lab, struct lp_error *err)
{
	char *t;

	if (lp_taxonomy_find(ld->q->tax, lab) != NULL)
		return LP_OK;
	t = lab != NULL ? json_dumps(lab, JSON_ENCODE_ANY) : NULL;
	lp_error_set(err, "unknown label %.40s (%s has %s)",
	    t != NULL ? t : "(none)", ld->q->tax->version, ld->labels);
	free(t);
	return LP_FAILED;
}

/* Check one answer (a JSON object); *item is its item.  LP_OK or err. */
static int
check(
    const struct load *ld, const json_t *a, size_t *item, struct lp_error *err)
{
	const struct lp_answers_queue *q = ld->q;
	const char *id = json_string_value(json_object_get(a, "id"));
	const char *st = json_string_value(json_object_get(a, "status"));
	const char *why;
	json_t *lab = json_object_get(a, "label"), *o;
	unsigned long first;

	*item = id != NULL ? q->find(q->arg, id) : (size_t)-1;
	if (st == NULL)
		st =
		    lab != NULL && !json_is_null(lab) ? "submitted" : "skipped";
	if (id == NULL)
		return lp_error_set(err, "no \"id\"");
	if (*item == (size_t)-1)
		return lp_error_set(
		    err, "id \"%.80s\" is not in the queue", id);
	if (q->settled != NULL && (why = q->settled(q->arg, *item)) != NULL)
		return lp_error_set(err,
		    "\"%.80s\" is settled by consensus (%s); nothing to "
		    "adjudicate",
		    id, why);
	if (strcmp(st, "submitted") != 0 && strcmp(st, "skipped") != 0)
		return lp_error_set(
		    err, "\"status\" must be \"submitted\" or \"skipped\"");
	if (strcmp(st, "submitted") == 0 && check_label(ld, lab, err) != LP_OK)
		return LP_FAILED;
	if (!str_or_null(json_object_get(a, "correction")) ||
	    !str_or_null(json_object_get(a, "note")))
		return lp_error_set(
		    err, "\"correction\" and \"note\" must be strings");
	if ((o = json_object_get(a, "time_to_label_ms")) != NULL &&
	    !(json_is_integer(o) && json_integer_value(o) >= 0) &&
	    !json_is_null(o))
		return lp_error_set(
		    err, "\"time_to_label_ms\" must be a whole number >= 0");
	if ((first = answered(ld, *item)) != 0)
		return lp_error_set(err,
		    "a second answer for \"%.80s\" (the first is on line %lu)",
		    id, first);
	return LP_OK;
}

/* Keep a checked answer for item. */
static void
add(struct lp_answers *as, const json_t *a, size_t item,
    const struct lp_taxonomy *tax)
{
	struct lp_answer *x;
	const char *st = json_string_value(json_object_get(a, "status"));
	json_t *lab = json_object_get(a, "label");
	json_t *ttl = json_object_get(a, "time_to_label_ms");
	int skip = st != NULL ? strcmp(st, "skipped") == 0
			      : lab == NULL || json_is_null(lab);

	/* Kept small: an answers file may hold a whole queue. */
	if (as->n == as->cap) {
		as->cap = as->cap ? as->cap * 2 : 256;
		as->all = lp_xrealloc(as->all, as->cap * sizeof(*as->all));
	}
	x = &as->all[as->n++];
	x->item = item;
	x->label = skip ? NULL : lp_taxonomy_find(tax, lab);
	x->correction =
	    dup_or_null(json_string_value(json_object_get(a, "correction")));
	x->note = dup_or_null(json_string_value(json_object_get(a, "note")));
	x->ttl_ms = json_is_integer(ttl) ? json_integer_value(ttl) : -1;
}

/* Check and keep one line; LP_OK, or LP_FAILED with err ("why"). */
static int
load_line(struct load *ld, const char *line, size_t len, unsigned long ln,
    struct lp_error *err)
{
	json_error_t je;
	json_t *a;
	size_t item;
	int rc;

	/* Not inside json_is_object(): it is a macro. */
	a = lp_json_load(line, len, 0, &je);
	if (!json_is_object(a)) {
		json_decref(a);
		return lp_error_set(err, "not a JSON object%s%s",
		    je.text[0] ? ": " : "", je.text);
	}
	if ((rc = check(ld, a, &item, err)) == LP_OK) {
		mark_answered(ld, item, ln);
		add(ld->a, a, item, ld->q->tax);
	}
	json_decref(a);
	return rc;
}

/* Read every line of r into ld; LP_OK, or the failure with err. */
static int
load_all(struct load *ld, struct lp_reader *r, const char *path,
    struct lp_error *err)
{
	const char *line;
	size_t len;
	int rc;

	while ((rc = lp_reader_next(r, &line, &len)) == LP_OK)
		if (load_line(ld, line, len, lp_reader_lineno(r), err) !=
		    LP_OK) {
			lp_error_prefix(
			    err, "%s:%lu", path, lp_reader_lineno(r));
			return LP_FAILED;
		}
	if (rc == LP_FAILED)
		return lp_error_set(
		    err, "%s:%lu: %s", path, lp_reader_lineno(r), r->err.msg);
	if (rc == LP_FATAL && r->ioerr) {
		/* As the system says it, like a file that cannot be opened. */
		lp_error_set(err, "%s: %s", path, strerror(errno));
		return LP_FATAL;
	}
	if (rc == LP_FATAL)
		return lp_error_set(err, "%s", r->err.msg);
	return LP_OK;
}

int
lp_answers_load(struct lp_answers *a, const char *path, size_t max_line,
    const struct lp_answers_queue *q, struct lp_error *err)
{
	struct load ld;
	struct lp_reader r;
	char *files[1];
	int rc;

	memset(a, 0, sizeof(*a));
	memset(&ld, 0, sizeof(ld));
	ld.a = a;
	ld.q = q;
	lp_taxonomy_list(q->tax, ld.labels, sizeof(ld.labels));
	files[0] = (char *)(uintptr_t)path;
	if (lp_reader_open(&r, files, 1, max_line) != LP_OK) {
		lp_error_set(err, "%s: %s", path, strerror(errno));
		lp_reader_close(&r);
		return LP_FATAL;
	}
	rc = load_all(&ld, &r, path, err);
	lp_reader_close(&r);
	free(ld.line_of);
	if (rc != LP_OK)
		lp_answers_release(a);
	return rc;
}

void
lp_answers_release(struct lp_answers *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->all[i].correction);
		free(a->all[i].note);
	}
	free(a->all);
	memset(a, 0, sizeof(*a));
}
