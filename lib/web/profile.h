/*
 * Extraction profiles: how to turn a site's result pages into records,
 * as data (JSON), so a markup change or another site needs no recompile.
 *
 *   {"name": "ebay-uk", "version": "ebay-uk-1", "site": "ebay-uk",
 *    "search": "https://www.ebay.co.uk/sch/i.html?_nkw={query}&_pgn={page}",
 *    "item": "li.s-item, li.s-card",          items (CSS, lib/select)
 *    "exclude": ".srp-merch",                 but not inside these
 *    "skip": {"title": ["Shop on eBay"]},      placeholder items
 *    "require": ["_item_id"],                  or they are skipped
 *    "next": "a.pagination__next",             the next page's link
 *    "blocked": ["Pardon Our Interruption"],   page texts of a bot check
 *    "empty": ".srp-save-null-search",         a "no results" page
 *    "fields": [{"name": "title", "select": ".s-item__title",
 *                "drop": ".clipped", ...}, ...]}
 *
 * A field takes its value from the first element its "select" finds in
 * the item ("contains": the first whose text has that text, or one of a
 * list, ignoring case), as its "attr" or else its text (white space
 * collapsed, elements matching "drop" left out); or "from" an earlier
 * field; or a constant "value".  "when": only if that field has a value;
 * "unless": only if it has none.  Then, in order:
 * "pattern" (POSIX extended regex, case-insensitive; the value becomes
 * its "group", default 1, or the field is absent if it does not match),
 * "strip_prefix" (a list), "parse" ("price" as lib/price, "int", "bool":
 * present means true), "template" ("{}" is the value) and "host_from" (a
 * field holding a link: when it is an absolute http or https URL, the
 * value, a URL, takes its scheme and host, so a www.ebay.com page's items
 * stay on www.ebay.com whatever host the template names).  "name" is the
 * dotted path in the record ("listing.bids"); names starting with "_" are
 * not written.
 */
#ifndef LP_PROFILE_H
#define LP_PROFILE_H

#include <gumbo.h>
#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

struct lp_profile;

/*
 * A profile from its JSON (borrowed, and kept: it must outlive the
 * profile); NULL with err ("fields[2].select: column 3: ...").
 */
struct lp_profile *lp_profile_new(json_t *spec, struct lp_error *err);
/* Free p and what it made (not its spec); p may be NULL. */
void lp_profile_free(struct lp_profile *p);
/*
 * Where the part of a page the rules read starts: the tag holding the
 * first of the spec's "region" markers (the results list: the header and
 * the filters before it are a third of a result page), or 0 for the whole
 * page when there is none.
 */
size_t lp_profile_region(
    const struct lp_profile *p, const char *html, size_t n);
/* The attributes its rules read, for lp_html_prune() (NULL-terminated). */
const char *const *lp_profile_attrs(const struct lp_profile *p);
/* The spec's string member, or NULL. */
const char *lp_profile_str(const struct lp_profile *p, const char *key);

/* What a page holds. */
struct lp_page {
	json_t *items;	/* array of records (fields only) */
	size_t skipped; /* placeholders and items missing a required field */
	char *next;	/* the next page's link, or NULL */
	int blocked;	/* a bot check: never zero records silently */
	int empty;	/* a "no results" page */
};

/*
 * The items of a page.  product: the page's schema.org Product (from
 * lp_jsonld_product()) or NULL; fields with a "jsonld" path read it first.
 * A page without the profile's items but with a Product (an item page)
 * gives that one item.
 */
void lp_profile_extract(const struct lp_profile *p, const GumboNode *root,
    json_t *product, struct lp_page *out);
/*
 * The first schema.org Product in the page's JSON-LD scripts (in a list
 * or a @graph too), a new reference; NULL if none (or not JSON).  Read
 * from the page as fetched: pruning takes scripts out.
 */
json_t *lp_jsonld_product(const char *html, size_t n);
void lp_page_release(struct lp_page *pg);

#endif
