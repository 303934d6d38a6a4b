/*
 * Guards on a model's cleaning of a listing title, and the doubts that
 * decide which titles a model is asked about at all (lp-clean --llm).
 * Text only: nothing here knows of models or requests (llm/cleaner does).
 *
 * Doubts, read from the rules' title (lower case or not):
 *   typo   a word of four letters or more, not a known brand, within
 *          edit distance 1 (a brand of four or five letters) or 2 (six
 *          or more) of a known brand, with the same first letter
 *          ("samsnug", "aple");
 *   unit   a number run into two letters or more that the unit rules did
 *          not read ("2tn", "128gn"); ordinals ("9th") and pcs, pc,
 *          pk, hz, fps, mph, yr, yrs stay unflagged, as does one letter
 *          ("250d", "5g": a model's more often than a unit);
 *   price  the caller's: the record's price text held no price.
 * There is no word list: a word is doubtful only as a near-miss of a
 * brand.  The brands are the rules' brand lines of one word
 * (lib/data/brands.txt; lp_guard_is_brand()).
 *
 * The guards compare the rules' title with the model's, both in the
 * rules' canonical form (units spelled "128 gb"), and stop at the first
 * that fails:
 *   number     every number of the rules' title is in the model's, or,
 *              for a quantity ("1 tb"), the same quantity in other units
 *              ("1000 gb": the unit rules' attribute value is equal);
 *   invented   the model's title has no number the rules' title lacks;
 *   model      every model code (a word with letters and digits that is
 *              not a number followed by letters: "a1234", "sm-g991b",
 *              "i7") is in the model's title;
 *   brand      the model's brand, and each known brand in its title, is
 *              in the source or the rules' title, or a typo of a word
 *              there (as for doubts); no brand becomes another;
 *   edits      at most max_edits edits: the larger of the number the
 *              model listed (the caller's count: lp-clean leaves out
 *              casing and unit edits, which the comparison without case
 *              and the number guard check) and the number of the
 *              model's words that neither the rules' title nor the
 *              source has;
 *   attribute  each attribute both found is equal (numbers to one part
 *              in a million, text without regard to case), and so is
 *              the condition when both have one.
 */
#ifndef LP_TEXT_GUARD_H
#define LP_TEXT_GUARD_H

#include <jansson.h>
#include <stddef.h>

#include "text/rules.h"

#define LP_DOUBT_TYPO 1u
#define LP_DOUBT_UNIT 2u
#define LP_DOUBT_PRICE 4u

/* Why a model's answer was refused; LP_GUARD_OK: it was not. */
enum lp_guard_verdict {
	LP_GUARD_OK,
	LP_GUARD_NUMBER,
	LP_GUARD_INVENTED,
	LP_GUARD_MODEL,
	LP_GUARD_BRAND,
	LP_GUARD_EDITS,
	LP_GUARD_ATTRIBUTE,
	LP_GUARD_MALFORMED, /* the caller's: no usable answer at all */
	LP_GUARD_NVERDICTS
};

/* What a guard compares. */
struct lp_guard_input {
	const char *source;	  /* the text the model was given */
	const char *rules;	  /* the rules' title */
	const json_t *attrs;	  /* the rules' attributes, or NULL */
	const char *condition;	  /* the rules' condition value, or NULL */
	const char *title;	  /* the model's title, in the rules' form */
	const char *brand;	  /* the model's brand, or NULL */
	const json_t *attributes; /* the model's attributes, or NULL */
	const char *mcondition;	  /* the model's condition, or NULL */
	size_t nedits;		  /* the edits the model listed that count */
	int max_edits;
	const struct lp_rules *names; /* the brands: the rules' brand lines */
};

/* The doubts (LP_DOUBT_TYPO | LP_DOUBT_UNIT) of title s[0..n). */
unsigned lp_guard_doubts(const struct lp_rules *r, const char *s, size_t n);
/* 1 if w[0..n) is a brand of r, one word (any case). */
int lp_guard_is_brand(const struct lp_rules *r, const char *w, size_t n);
/* The verdict's name: "ok", "number", "invented", ..., "malformed". */
const char *lp_guard_name(enum lp_guard_verdict v);
/*
 * Check the model's answer in in: LP_GUARD_OK, or the first guard that
 * fails with why it failed in why[0..size) ("dropped number 128").
 */
enum lp_guard_verdict lp_guard_check(
    const struct lp_guard_input *in, char *why, size_t size);

#endif
