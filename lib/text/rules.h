/*
 * Cleaning rules as data: marketing fluff to remove, abbreviations to
 * spell out, punctuation runs to drop, the condition vocabulary, and the
 * names (brands, product lines, acronyms) in their usual case.  The
 * shipped lists (lib/data/clean-rules.txt, lib/data/brands.txt) are built
 * into liblp; more rules load from files in the same format (described at
 * the top of clean-rules.txt).
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

/* A name in its usual case: a brand, a product line, an acronym. */
struct lp_name {
	char *form;	   /* as written: "iPhone", "Hot Toys", "JBL" */
	size_t len, first; /* its length, and its first word's */
	unsigned hash;	   /* of its first word, without regard to case */
	int brand;	   /* 1: a maker's name, the attribute brand */
};

struct lp_rules {
	char *version; /* of the last list loaded with one */
	struct lp_rule *v;
	size_t n;
	char runs[64];		  /* characters whose runs are dropped */
	unsigned char isrun[256]; /* 1: a byte of runs (never NUL) */
	long long run_hits;
	struct lp_condition *cond;
	size_t ncond;
	unsigned char first[256]; /* 1: some phrase starts with this byte */
	/*
	 * The names, by first word (then longest first), and a hash table
	 * of their first words: slot = index of the first name with that
	 * word, plus one (0: empty).
	 */
	struct lp_name *names;
	size_t nnames, nslots;
	size_t *slots;
	/*
	 * The rules by the first byte of their phrase, folded: those of
	 * byte c are v[byfirst[at[c]]], ... v[byfirst[at[c + 1] - 1]], in
	 * the order of v (longest first), so a match tries only them.
	 */
	size_t at[257];
	size_t *byfirst;
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
/*
 * 1 if the text s[0..n) shouts: more of its words are in capitals (three
 * letters or more, no small letter, no digit, no name of the list) than
 * have a small letter (and no digit).
 */
int lp_rules_shouting(const struct lp_rules *r, const char *s, size_t n);
/*
 * The display form of s[0..n) (normalised text), appended to out: each
 * name of the list in its own case ("iphone" -> "iPhone", "SAMSUNG" ->
 * "Samsung"), a code of letters and digits written in small letters in
 * capitals ("sm-g991b" -> "SM-G991B"; not "12ct", "1080p", "i7" or
 * "2x8"); when shouting (say lp_rules_shouting() of the original), each
 * word in capitals that is no name in small letters after its first
 * ("CHARIZARD" -> "Charizard", not "CUH" of "CUH-7216B"); every other word
 * as written.  Only case changes: folding the result gives what folding s
 * gives.  Returns the form of the first brand named, or NULL.
 */
const char *lp_rules_case(const struct lp_rules *r, const char *s, size_t n,
    int shouting, struct lp_buf *out);
/* Free the rules and the vocabulary; r is empty after. */
void lp_rules_release(struct lp_rules *r);

#endif
