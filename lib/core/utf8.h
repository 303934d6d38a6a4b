/*
 * UTF-8 at the byte level: checking, counting and repairing, without
 * Unicode tables, so the record parser and the JSON scanner at the bottom
 * of liblp can check every line they take.  What a character means
 * (normalisation, categories) is text/text.h's business.
 */
#ifndef LP_CORE_UTF8_H
#define LP_CORE_UTF8_H

#include <stddef.h>

#include "core/buf.h"

/*
 * Check that p[0..n) is well-formed UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF).  Returns 1 if it is; otherwise 0 with the
 * offset of the first bad byte in *bad.
 */
int lp_utf8_valid(const char *p, size_t n, size_t *bad);
/* The code points of valid UTF-8 p[0..n). */
size_t lp_utf8_count(const char *p, size_t n);
/*
 * p[0..n) with each ill-formed byte replaced by U+FFFD, appended to out
 * (NUL-terminated).  Returns the number of replacements.
 */
size_t lp_utf8_repair(const char *p, size_t n, struct lp_buf *out);

#endif
