/*
 * Cleaning a listing record, the work of lp-clean: consistent, comparable
 * text without losing the originals.
 *
 * Each text field added with lp_clean_add_field() goes through, in order:
 * Unicode normalisation with emoji dropped (text.h), the cleaning rules
 * (rules.h), units rewritten to one spelling with attributes collected
 * (units.h), personal data redacted (pii.h), and case folding with white
 * space collapsed.  A price given only as text is parsed (price.h), the
 * condition mapped onto the rules' vocabulary, the pseudonym fields
 * replaced by a keyed hash, and the record checked against the schema.
 *
 * A rewritten top-level field's original goes to raw.<field> (once: a
 * later clean keeps the first original), and a field is always cleaned
 * from raw.<field> when it is there, so cleaning twice gives what
 * cleaning once gave.  Personal data is redacted in raw.<field> too, with
 * the same [email] and [phone] tokens (and replaced there when an earlier
 * clean kept it verbatim); the redacted pieces go only to the caller's
 * originals buffer, when it asks.  Attributes found in the text go to
 * attrs, under those the record has.  A personal name replaced by its
 * pseudonym is kept nowhere.
 *
 * The settings are plain members, set after lp_clean_init() and before
 * the first record; the counters in n grow with each record.  One struct
 * lp_clean serves a whole stream: its buffers are reused.
 */
#ifndef LP_TEXT_CLEAN_H
#define LP_TEXT_CLEAN_H

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/hmac.h"
#include "core/record.h"
#include "text/rules.h"
#include "text/schema.h"
#include "text/text.h"

/* What cleaning did, over all records so far. */
struct lp_clean_stats {
	long long emoji;	  /* emoji code points dropped */
	long long units;	  /* quantities rewritten */
	long long emails, phones; /* redacted */
	long long prices;	  /* parsed from their text */
	long long price_unparsed; /* a price text that held no price */
	long long price_assumed;  /* a bare number in the site's currency */
	long long cond_mapped;	  /* conditions put in the vocabulary */
	long long cond_unknown;	  /* conditions left as they were */
	long long pseudonymized;
};

struct lp_clean {
	int lower;	 /* fold case (the default) */
	int keep_pii;	 /* leave e-mail addresses and phone numbers */
	const void *key; /* the pseudonym key (borrowed) */
	size_t keylen;	 /* its length in bytes */
	/*
	 * When not NULL, one JSON line per redacted span of an original
	 * is appended here (borrowed): {"id","field","span":[start,end],
	 * "kind","original"}.  The caller empties it.
	 */
	struct lp_buf *originals;
	struct lp_rules rules;	   /* the built-in rules, then any loaded */
	json_t *schema;		   /* checked at the end (owned), or NULL */
	struct lp_schema *cschema; /* it compiled (lp_clean_set_schema()) */
	struct lp_clean_stats n;
	/*
	 * The fields cleaned, their raw.<field> and <field>_display paths;
	 * pseudonyms.
	 */
	char **fields, **raw_paths, **display_paths, **pseudo;
	int nfields, npseudo;
	/* Scratch, reused from record to record. */
	struct lp_text text;
	struct lp_buf a, b, d, r, t;
	/*
	 * The last conditions seen, as they came, and what they map to
	 * (NULL: unknown): a listing's condition is one of a few strings,
	 * and mapping one costs a normalisation and a search of the rules.
	 */
	struct lp_clean_cond {
		char raw[48];
		size_t len; /* 0: empty slot */
		const char *value;
	} cond[8];
	size_t cond_next, cond_rules; /* next slot to fill; rules.ncond */
	/* The key prepared for HMAC, and the key it was prepared from. */
	struct lp_hmac hkey;
	const void *hkey_of;
	size_t hkey_len;
};

/*
 * The defaults: no fields, case folded, personal data redacted, the
 * built-in rules (loaded here), no schema.
 */
void lp_clean_init(struct lp_clean *c);
/* Clean the text field at path (dotted for a nested one), after the rest. */
void lp_clean_add_field(struct lp_clean *c, const char *path);
/*
 * Replace the string at path by its pseudonym (c->key and c->keylen must
 * be set).
 */
void lp_clean_add_pseudonym(struct lp_clean *c, const char *path);
/*
 * Clean rec in place.  LP_OK, or LP_FAILED with why the record is bad in
 * err: a field that is not a string or is empty after cleaning, or the
 * schema's complaint.  Cleaning goes on with the next record either way.
 */
int lp_clean_record(
    struct lp_clean *c, struct lp_record *rec, struct lp_error *err);
/*
 * Call count(arg, name, n) for each counter, in the order the stats list
 * them: emoji_removed, then "fluff:PHRASE" or "expand:PHRASE" for each
 * rule that hit, punctuation_runs, units_rewritten, emails_redacted,
 * phones_redacted, prices_parsed, prices_unparsed,
 * prices_currency_assumed, conditions_mapped,
 * conditions_unknown and pseudonymized.
 */
void lp_clean_counts(const struct lp_clean *c,
    void (*count)(void *arg, const char *name, long long n), void *arg);
/*
 * Add the counts of from (a cleaner set up as into, with the same rules
 * loaded in the same order, used on other records) to into's, and zero
 * them in from: the counts of a stage run on several threads.  With into
 * NULL, only zero them (records that are not to be counted).
 */
void lp_clean_merge(struct lp_clean *into, struct lp_clean *from);
/*
 * Check records against schema (stolen; NULL: check none), compiled here
 * once, so cleaners on several threads each hold their own.
 */
void lp_clean_set_schema(struct lp_clean *c, json_t *schema);
/* Free the fields, rules, schema and buffers. */
void lp_clean_release(struct lp_clean *c);

#endif
