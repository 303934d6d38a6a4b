/*
 * Cleaning rules as data: marketing fluff to remove, abbreviations to
 * spell out, punctuation runs to drop, and the condition vocabulary.  The
 * shipped list (lib/data/clean-rules.txt) is built into liblp; more rules
 * load from files in the same format (described at the top of that file).
 */
#ifndef LP_RULES_H
#define LP_RULES_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

enum lp_rule_kind { LP_RULE_REMOVE, LP_RULE_EXPAND };

struct lp_rule {
	enum lp_rule_kind kind;
	char *phrase, *with; /* with: the expansion */
	size_t len, wlen;
	long long hits;
};

#define LP_COND_KEY 64 /* the longest condition key, with its NUL */

struct lp_condition {
	char *words, *value;
	/* Their words lower case, one space apart (see lp_rules_condition). */
	char key[LP_COND_KEY], vkey[LP_COND_KEY];
};

struct lp_rules {
	char *version; /* of the last list loaded with one */
	struct lp_rule *v;
	size_t n;
	char runs[64]; /* characters whose runs are dropped */
	long long run_hits;
	struct lp_condition *cond;
	size_t ncond;
	unsigned char first[256]; /* 1: some phrase starts with this byte */
};

/* The rules built into liblp. */
void lp_rules_default(struct lp_rules *r);
/*
 * Add the rules of text[0..n), named name in messages.  LP_OK, or
 * LP_FAILED with "name:line: what" in err.
 */
int lp_rules_load(struct lp_rules *r, const char *text, size_t n,
    const char *name, struct lp_error *err);
/*
 * Apply removals, expansions and runs to s[0..n), appending to out.
 * Returns the number of changes (hits are counted per rule).
 */
size_t lp_rules_apply(
    struct lp_rules *r, const char *s, size_t n, struct lp_buf *out);
/*
 * The vocabulary value for a condition text, or NULL if unknown.  Case,
 * punctuation and dashes do not count, only the words: "Opened – never
 * used" is "opened-never-used" whichever dash a site writes, and "New
 * (other)" is "New other".  A value maps to itself.
 */
const char *lp_rules_condition(
    const struct lp_rules *r, const char *s, size_t n);
/* Free the rules and the vocabulary; r is empty after. */
void lp_rules_release(struct lp_rules *r);

#endif
