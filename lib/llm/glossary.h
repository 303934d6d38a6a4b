/*
 * A translation glossary: terms kept verbatim or translated as given.
 *
 * The file has one term a line, TERM or TERM<tab>TRANSLATION; blank lines
 * and lines starting with '#' (after leading spaces) are skipped.  A term
 * is found in a text when the text holds it with ASCII letters in any
 * case.  The glossary owns its strings.
 */
#ifndef LP_LLM_GLOSSARY_H
#define LP_LLM_GLOSSARY_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

struct lp_glossary_term {
	char *from; /* the term as written in the source */
	char *to;   /* its translation, or NULL: kept verbatim */
};

struct lp_glossary {
	struct lp_glossary_term *v;
	int n;
};

/*
 * Add the terms of text[0..len), named name in messages.  LP_OK, or
 * LP_FAILED with "name:line: what" in err (invalid UTF-8, a line with an
 * empty translation or two tabs); the terms before the bad line stay.
 */
int lp_glossary_load(struct lp_glossary *g, const char *text, size_t len,
    const char *name, struct lp_error *err);
/* 1 if text holds term, ASCII letters matched in any case, else 0. */
int lp_glossary_has(const char *text, const char *term);
/*
 * The terms of src whose translation (or, verbatim, the term) is not in
 * text, as an array of the terms; NULL when none is missing.
 */
json_t *lp_glossary_missed(
    const struct lp_glossary *g, const char *src, const char *text);
/* Free the terms. */
void lp_glossary_release(struct lp_glossary *g);

#endif
