/*
 * Personal data in listing text: e-mail addresses and phone numbers are
 * replaced by [email] and [phone]; a field such as a seller's name can be
 * replaced by a keyed hash, the same for the same name, that cannot be
 * turned back without the key.
 *
 * An e-mail is local@domain.tld (letters, digits and ._%+- before the @, a
 * dotted domain with a top-level part of two letters or more).  A phone
 * number starts at a word boundary with "+", "(" or "0", holds 10 to 13
 * digits, and runs through digits, spaces, dots, hyphens and parentheses:
 * 07700 900123, +44 7700 900123, (020) 7946 0958, +1 555-123-4567.  Model
 * numbers (SM-G991B) and barcodes that do not start with 0 are left alone.
 */
#ifndef LP_PII_H
#define LP_PII_H

#include <stddef.h>

#include "core/buf.h"

/*
 * Replace e-mails and phone numbers in s[0..n), appending to out; the
 * counts are added to *emails and *phones.
 */
void lp_pii_redact(const char *s, size_t n, struct lp_buf *out,
    long long *emails, long long *phones);
/*
 * "p_" and the first 16 hex digits of HMAC-SHA256(key, s[0..n)) into
 * out[19].
 */
void lp_pseudonym(const char *key, const char *s, size_t n, char out[19]);

#endif
