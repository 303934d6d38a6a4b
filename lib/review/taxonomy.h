/*
 * The label set people choose from (guidelines/taxonomy.json): labels with
 * a value (a number or a string), a one-key shortcut, a name and a
 * definition, plus shortcut keys that stand for a label (accept = 4).
 * lp-label reads its keys, names and guide text from here, not from code.
 */
#ifndef LP_TAXONOMY_H
#define LP_TAXONOMY_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

struct lp_label_def {
	json_t *value; /* borrowed from the taxonomy */
	int key;       /* an ASCII character */
	const char *name;
	const char *definition;	       /* "" for a shortcut */
	const struct lp_label_def *to; /* a shortcut's label, else itself */
};

struct lp_taxonomy {
	json_t *root;
	const char *version;
	const char *guidelines_version;
	struct lp_label_def *labels; /* labels, then shortcuts */
	int nlabels, nshortcuts;
};

/* Keys lp-label keeps for itself: no label may take them. */
#define LP_TAXONOMY_RESERVED "cenpsuq?"

/*
 * Take a taxonomy (root is stolen).  LP_OK, or LP_FAILED with err saying
 * what is wrong (a missing version, a label without a value, a key that is
 * reserved or used twice, a shortcut to no label).
 */
int lp_taxonomy_init(struct lp_taxonomy *t, json_t *root, struct lp_error *err);
void lp_taxonomy_release(struct lp_taxonomy *t);
/* The label (or shortcut) for a key, or NULL. */
const struct lp_label_def *lp_taxonomy_key(
    const struct lp_taxonomy *t, int key);
/*
 * The label a value names: its value (4), its value as text ("4"), its
 * name or a shortcut's name ("accept").  The label, never a shortcut; or
 * NULL.
 */
const struct lp_label_def *lp_taxonomy_find(
    const struct lp_taxonomy *t, const json_t *v);
/* "1, 2, 3, 4, accept, reject", for messages. */
void lp_taxonomy_list(const struct lp_taxonomy *t, char *buf, size_t n);

#endif
