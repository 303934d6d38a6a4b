/*
 * Personal data in listing text: e-mail addresses and phone numbers are
 * replaced by [email] and [phone]; a field such as a seller's name can be
 * replaced by a keyed hash, the same for the same name, that cannot be
 * turned back without the key.
 *
 * An e-mail is local@domain.tld (letters, digits and ._%+- before the @, a
 * dotted domain with a top-level part of two letters or more).  A phone
 * number starts at a word boundary with "+", "(" or "0", holds 10 to 13
 * digits (15 after "+", 17 after "00"), and runs through digits, spaces,
 * dots, hyphens and parentheses: 07700 900123, +44 7700 900123, 0044 7700
 * 900123, (020) 7946 0958, +1 555-123-4567.  Model
 * numbers (SM-G991B) and barcodes that do not start with 0 are left alone.
 *
 * Pseudonyms are HMAC-SHA-256 (core/hmac.h) under a key the caller holds:
 * the same key gives the same token for the same text, run after run.
 */
#ifndef LP_PII_H
#define LP_PII_H

#include <stddef.h>

#include "core/buf.h"
#include "core/hmac.h"

/* What a span of personal data is. */
enum lp_pii_kind {
	LP_PII_NONE,
	LP_PII_EMAIL, /* replaced by [email] */
	LP_PII_PHONE  /* replaced by [phone] */
};

/*
 * Told of each span lp_pii_redact_spans() replaces: its kind and where it
 * was in the text given, s[start..end).
 */
typedef void lp_pii_span_fn(
    void *arg, enum lp_pii_kind kind, size_t start, size_t end);

/*
 * The first e-mail or phone number of s[0..n) that starts at or after
 * from (an e-mail before a phone number that overlaps it): its kind and
 * span in *start, *end; LP_PII_NONE when there is none.  The spans
 * lp_pii_redact() replaces are these, one after the other.
 */
enum lp_pii_kind lp_pii_next(
    const char *s, size_t n, size_t from, size_t *start, size_t *end);
/*
 * Replace e-mails and phone numbers in s[0..n), appending to out; the
 * counts are added to *emails and *phones.
 */
void lp_pii_redact(const char *s, size_t n, struct lp_buf *out,
    long long *emails, long long *phones);
/*
 * lp_pii_redact(), telling span(arg, ...) of each replaced span (span may
 * be NULL).  Returns how many spans were replaced.
 */
long long lp_pii_redact_spans(const char *s, size_t n, struct lp_buf *out,
    long long *emails, long long *phones, lp_pii_span_fn *span, void *arg);
/* The token a kind is replaced by: "[email]" or "[phone]". */
const char *lp_pii_token(enum lp_pii_kind kind);
/*
 * "p_" and the first 16 hex digits of HMAC-SHA256(key[0..keylen),
 * s[0..n)) into out[19].
 */
void lp_pseudonym(
    const void *key, size_t keylen, const char *s, size_t n, char out[19]);
/* lp_pseudonym() under a key prepared once (core/hmac.h), for streams. */
void lp_pseudonym_with(
    const struct lp_hmac *k, const char *s, size_t n, char out[19]);
/* 1 if s[0..n) is what lp_pseudonym() makes ("p_" and 16 hex digits). */
int lp_pseudonym_is(const char *s, size_t n);

#endif
