/*
 * Text as a terminal displays it: measured in columns (CJK and other wide
 * characters take two, combining marks none), made safe to print (no
 * control characters or direction overrides reach the terminal as
 * commands) and wrapped to a width without splitting a character.  Pure
 * functions over UTF-8 bytes, so a screen can be composed and tested
 * without a terminal; an invalid byte counts as one column everywhere.
 */
#ifndef LP_TEXT_DISPLAY_H
#define LP_TEXT_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Columns of code point c (0 for combining marks, 2 for wide). */
int lp_display_cwidth(int32_t c);
/* Columns s[0..n) takes (an invalid byte takes one). */
int lp_display_width(const char *s, size_t n);
/*
 * s[0..n) made safe to show, appended to out: control characters,
 * bidirectional overrides and invalid bytes become U+FFFD, tabs and
 * newlines a space.
 */
void lp_display_safe(const char *s, size_t n, struct lp_buf *out);
/*
 * One line of a wrap of s[0..n) into width columns: the bytes of the line
 * (breaking after the last space that fits, else before the character that
 * does not fit), with *next set to where the next line starts.
 */
size_t lp_display_line(const char *s, size_t n, int width, size_t *next);

#endif
