/*
 * A tool's closing summary in its own words, from a format the tool states
 * once (struct lp_tool's summary): text with counts named in braces.
 *
 *	"{out:listing} from {pages:page}"	"118 listings from 3 pages"
 *
 * {name} is the count count(arg, name) gives; {a-b} is count a less count
 * b; {name:noun} is the count and the noun, plural unless the count is 1
 * ("s" added, or "y" after a consonant made "ies").  A part in square
 * brackets is kept only when a count named in it is not zero: "[,
 * {cached} cached]".  Brackets do not nest; other text, and a brace or
 * bracket left open, is copied as it is.  The tool layer only, but it
 * neither prints nor exits.
 */
#ifndef LP_SUMMARY_H
#define LP_SUMMARY_H

#include "core/buf.h"

/* Append fmt, its counts filled in, to out. */
void lp_summary_format(struct lp_buf *out, const char *fmt,
    long long (*count)(void *arg, const char *name), void *arg);

#endif
