/*
 * Prices from their text, as eBay and other shops write them:
 * "£1,299.99", "£10.00 to £20.00" (a range), "EUR 12,50", "US $5.00",
 * "1.234,56 €".  The currency is an ISO 4217 code from a symbol ("£" GBP,
 * "€" EUR, "$" USD, "US $", "AU $", "C $", "HK$") or a code ("EUR", "CHF").
 * A comma is a decimal mark when one or two digits follow it and no dot
 * does; otherwise commas (and dots before a decimal comma) group
 * thousands.  Amounts are parsed from their decimal digits, so they
 * round-trip exactly as JSON numbers.
 */
#ifndef LP_PRICE_H
#define LP_PRICE_H

#include <jansson.h>
#include <stddef.h>

/*
 * {"amount","currency","text"} or, for a range, {"min","max","currency",
 * "text"}; NULL if text holds no price.  text is kept as given.
 */
json_t *lp_price_parse(const char *text, size_t n);
/*
 * The same, and a text that is only a number ("12.50") or a range of
 * two ("10 - 20") is read in currency, with "currency_assumed": true: a
 * site that shows its own currency's prices bare.  currency NULL: as
 * lp_price_parse().
 */
json_t *lp_price_parse_as(const char *text, size_t n, const char *currency);
/*
 * The currency an eBay site shows its prices in, from a listing's url
 * (www.ebay.co.uk: GBP, www.ebay.com: USD, www.ebay.de: EUR ...) or, failing
 * that, from lp-scrape's site name (ebay-uk: GBP); NULL if neither says.
 * Either may be NULL.
 */
const char *lp_price_site_currency(const char *url, const char *site);

#endif
