/*
 * Text helpers shared by every tool that looks inside strings.
 */
#ifndef LP_TEXT_H
#define LP_TEXT_H

#include <stddef.h>

/*
 * Check that p[0..n) is well-formed UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF).  Returns 1 if it is; otherwise 0 with the
 * offset of the first bad byte in *bad.
 */
int lp_utf8_valid(const char *p, size_t n, size_t *bad);

/* Parse "16M", "64k", "1G", "4096" into bytes; -1 on a malformed size. */
long long lp_parse_size(const char *s);

#endif
