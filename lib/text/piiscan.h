/*
 * A personal-data scan: how much of what a dataset's records hold still
 * looks like personal data, counted per field, for audits (lp-audit
 * pii-scan) and checks after cleaning.
 *
 * Every string of a record is scanned, at any depth except the lineage
 * (which the tools write), under its dotted path ("title", "raw.title",
 * "labels.note": an array's elements count under the array's path).  The
 * classes:
 *
 *   email     local@domain.tld, as text/pii.h redacts them
 *   phone     UK and international numbers, as text/pii.h redacts them
 *             (07700 900123, +44 7700 900123, (020) 7946 0958)
 *   postcode  a UK postcode (SW1A 1AA, M1 1AE, b33 8th): a real postcode
 *             area, a district, then a digit and two letters of the
 *             inward code's alphabet (no C I K M O V); "8GB" and "1TB"
 *             are capacities, not inward codes
 *   card      a payment card number: 13 to 19 digits starting with 2 to
 *             6, together or in groups split by single spaces or hyphens,
 *             that pass the Luhn check
 *   iban      an IBAN: a country's two letters, two check digits and 11
 *             to 30 letters and digits (in groups of four or not) whose
 *             mod-97 check gives 1
 *   name      a person-name field named in the configuration that holds
 *             a non-empty string that is not a pseudonym (text/pii.h)
 *
 * Matches start and end at word boundaries and do not overlap (e-mails
 * and phone numbers are found first), and the case of letters does not
 * matter (cleaned text is folded).  Model numbers, prices, dates and
 * barcodes whose check is not Luhn's are not personal data.
 */
#ifndef LP_TEXT_PIISCAN_H
#define LP_TEXT_PIISCAN_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/record.h"

/* The classes, in the order reports list them. */
enum lp_piiscan_class {
	LP_PIISCAN_EMAIL,
	LP_PIISCAN_PHONE,
	LP_PIISCAN_POSTCODE,
	LP_PIISCAN_CARD,
	LP_PIISCAN_IBAN,
	LP_PIISCAN_NAME,
	LP_PIISCAN_NCLASS
};

/* A scan in progress: its configuration and counts (opaque). */
struct lp_piiscan;

/*
 * A new scan.  config is the person-name fields, a JSON array of dotted
 * field paths (["seller", "buyer.name"]), or NULL for ["seller"].  NULL
 * with err set when config is not an array of non-empty strings.
 */
struct lp_piiscan *lp_piiscan_new(const json_t *config, struct lp_error *err);
/*
 * Count what rec holds.  The record is parsed whole (lp_record_root()),
 * and not changed.
 */
void lp_piiscan_record(struct lp_piiscan *s, struct lp_record *rec);
/* Add to counts[class] what the text s[0..n) holds (no names). */
void lp_piiscan_text(
    const char *s, size_t n, long long counts[LP_PIISCAN_NCLASS]);
/* The class's name in reports: "email", "phone", ... "name". */
const char *lp_piiscan_class_name(enum lp_piiscan_class c);
/* Everything found so far, over all classes and fields. */
long long lp_piiscan_total(const struct lp_piiscan *s);
/*
 * Append the report, one JSON object without a line end:
 *
 *   {"records":N,"records_with_pii":M,
 *    "total":{"email":0,"phone":0,"postcode":0,"card":0,"iban":0,"name":0},
 *    "fields":{"raw.title":{"email":1},"seller":{"name":3}}}
 *
 * "fields" lists only the fields where something was found, by path in
 * byte order, each with only its classes above zero.
 */
void lp_piiscan_report(const struct lp_piiscan *s, struct lp_buf *json);
/* Free the scan (NULL is fine). */
void lp_piiscan_free(struct lp_piiscan *s);

#endif
