/*
 * The character set of a fetched or saved page, and its conversion to
 * UTF-8, which is all the HTML parser and the records take.
 *
 * A page says its charset in its Content-Type ("text/html;
 * charset=ISO-8859-1") or, failing that, in a charset= near its top
 * (<meta charset="...">, or the http-equiv form).  UTF-8, US-ASCII and a
 * page that says nothing are taken as UTF-8 and repaired if they are not
 * valid; Latin-1 and windows-1252 are converted; every other charset is
 * refused, never guessed at.  A UTF-8 byte order mark is valid UTF-8 and
 * stays (the HTML parser skips it).
 */
#ifndef LP_WEB_CHARSET_H
#define LP_WEB_CHARSET_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/* What lp_charset_to_utf8() did to a page. */
enum lp_charset_done {
	LP_CHARSET_KEPT,      /* valid UTF-8: left as it was */
	LP_CHARSET_CONVERTED, /* Latin-1 or windows-1252: now UTF-8 */
	LP_CHARSET_REPAIRED   /* invalid UTF-8: invalid bytes replaced */
};

/*
 * The charset the page p[0..n) declares, copied to out (at most n - 1
 * bytes; "" when it declares none): the charset= parameter of ctype (a
 * Content-Type value, or NULL), else the first charset= in the first
 * 2 KiB of the page, unquoted.
 */
void lp_charset_detect(
    const char *ctype, const char *p, size_t n, char *out, size_t outlen);

/*
 * Make the page in b UTF-8, in place, by its declared charset (ctype as
 * for lp_charset_detect()).  LP_OK with *done saying what was done, or
 * LP_FAILED with err ("the page is in shift_jis, not UTF-8 or Latin-1")
 * and b untouched.
 */
int lp_charset_to_utf8(struct lp_buf *b, const char *ctype,
    enum lp_charset_done *done, struct lp_error *err);

#endif
