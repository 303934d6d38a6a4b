/*
 * A subset of CSS selectors over Gumbo's HTML tree, enough for extraction
 * rules: type (div, *), .class, #id, [attr], [attr=value], [attr*=value],
 * [attr^=value], [attr$=value] (values quoted or bare), compounds of
 * these (li.s-item[data-view]), the descendant (space) and child (>)
 * combinators, and lists (a, b).  Class and attribute names match
 * case-sensitively, type names case-insensitively, as in HTML.
 *
 * With them, what reading a page takes around Gumbo: the page pruned for
 * the parser (lp_html_prune(), which also bounds how deep it nests),
 * parsed (lp_html_parse()), and walked in document order without
 * recursion (struct lp_html_walk), so that no page, however hostile,
 * decides how deep the C stack goes or how long a walk takes.
 */
#ifndef LP_SELECT_H
#define LP_SELECT_H

#include <gumbo.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * The deepest nesting of elements lp_html_prune() hands on: a parser's
 * work per tag grows with the depth, and no page nests this deep.
 */
#define LP_HTML_MAX_DEPTH 256

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
 * A walk over the nodes under a root, in document order, that keeps its
 * place in a stack of its own (on the heap when the tree is deeper than
 * the few levels held inline): how deep a page nests must not decide how
 * deep the C stack goes.  Each node is given once; the walk is linear in
 * the nodes visited.  Caller-owned; not to be copied once begun.
 */
struct lp_html_walk {
	const GumboNode *last; /* the node given last: its children next */
	struct lp_html_frame {
		const GumboVector *kids;
		unsigned int next; /* the index of the next child to give */
	} * v, inline_v[32];
	size_t n, cap;
};

/* Begin a walk over the nodes under root (root itself is not given). */
void lp_html_walk_init(struct lp_html_walk *w, const GumboNode *root);
/* The next node in document order, or NULL at the end. */
const GumboNode *lp_html_walk_next(struct lp_html_walk *w);
/* Do not descend into the node lp_html_walk_next() gave last. */
void lp_html_walk_skip(struct lp_html_walk *w);
/* Free what the walk took. */
void lp_html_walk_release(struct lp_html_walk *w);

/*
 * The page without what no extraction rule reads, for a parser that
 * builds the whole tree: the contents of <script> (but JSON-LD) and
 * <style>, and <svg> elements, left out (the tags of scripts and styles
 * stay, empty), and with keep (a NULL-terminated list of lower-case
 * names) only those attributes of start tags, and when keep has entries
 * ".name", only those class names in class attributes.  On eBay's pages
 * that is four fifths of the bytes.  keep NULL keeps every attribute.
 * The text of <title>, <textarea> and the like is copied as it is.
 *
 * Elements are nested no deeper than LP_HTML_MAX_DEPTH: the tags that
 * would open an element deeper (and the end tags that close them) are
 * left out, and their contents kept.  The depth is followed as a parser
 * would build the tree, over-estimated where HTML's rules are subtle
 * (misnested formatting, tables), so that Gumbo's tree is never more
 * than a few times deeper; a page nested as pages are is not changed.
 * Names are compared by their length: a page may hold NUL bytes.
 */
void lp_html_prune(
    const char *p, size_t n, const char *const *keep, struct lp_buf *out);

/*
 * A page's tree, as Gumbo parses it with the options every page gets:
 * parse errors are not recorded (Gumbo keeps a copy of the open elements
 * with each, and 30,000 unclosed tags made gigabytes of them).  Freed
 * with lp_html_free().  Hand it a page lp_html_prune() made, so that
 * its depth is bounded.
 */
GumboOutput *lp_html_parse(const char *p, size_t n);
void lp_html_free(GumboOutput *o);

/* An element's attribute value, or NULL. */
const char *lp_html_attr(const GumboNode *e, const char *name);
/* An element's tag name, lower case ("div", or the source's for unknown
 * tags, without the brackets). */
const char *lp_html_tag(const GumboNode *e, char *buf, size_t n);

#endif
