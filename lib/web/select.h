/*
 * A subset of CSS selectors over Gumbo's HTML tree, enough for extraction
 * rules: type (div, *), .class, #id, [attr], [attr=value], [attr*=value],
 * [attr^=value], [attr$=value] (values quoted or bare), compounds of
 * these (li.s-item[data-view]), the descendant (space) and child (>)
 * combinators, and lists (a, b).  Class and attribute names match
 * case-sensitively, type names case-insensitively, as in HTML.
 */
#ifndef LP_SELECT_H
#define LP_SELECT_H

#include <gumbo.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

struct lp_sel;

/* A selector from its text; NULL with err set ("column 5: ..."). */
struct lp_sel *lp_sel_parse(const char *text, struct lp_error *err);
void lp_sel_free(struct lp_sel *s);
/* Whether element e matches. */
int lp_sel_match(const struct lp_sel *s, const GumboNode *e);
/* The first descendant of root (not root) that matches, in document
 * order; NULL if none. */
const GumboNode *lp_sel_first(const struct lp_sel *s, const GumboNode *root);
/*
 * Each matching descendant of root in document order, to fn; matches
 * inside a match are not visited when nested is 0 (items do not contain
 * items).
 */
void lp_sel_each(const struct lp_sel *s, const GumboNode *root, int nested,
    void (*fn)(const GumboNode *e, void *arg), void *arg);

/*
 * The page without what no extraction rule reads, for a parser that
 * builds the whole tree: the contents of <script> (but JSON-LD) and
 * <style>, and <svg> elements, left out (the tags of scripts and styles
 * stay, empty), and with keep (a NULL-terminated list of lower-case
 * names) only those attributes of start tags, and when keep has entries
 * ".name", only those class names in class attributes.  On eBay's pages
 * that is four fifths of the bytes.  keep NULL keeps every attribute.
 */
void lp_html_prune(
    const char *p, size_t n, const char *const *keep, struct lp_buf *out);

/* An element's attribute value, or NULL. */
const char *lp_html_attr(const GumboNode *e, const char *name);
/* An element's tag name, lower case ("div", or the source's for unknown
 * tags, without the brackets). */
const char *lp_html_tag(const GumboNode *e, char *buf, size_t n);

#endif
