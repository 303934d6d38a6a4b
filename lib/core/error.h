/*
 * The one error convention of liblp.
 *
 * A library function that can fail returns an enum lp_status (LP_OK,
 * LP_FAILED, LP_FATAL; LP_EOF where input ends) or, if it makes an
 * object, a pointer that is NULL on failure.  The reason is text in a
 * struct lp_error: the last parameter of a function that makes or checks
 * something on its own (a parser, a loader), or the member "err" of an
 * object that lives across calls (a stream, a fetcher, a client), filled
 * by the call that failed.  The text starts lower-case, has no newline and
 * no full stop, and names what it is about ("line 3: expected ':'"); the
 * tool layer adds the program name and the file.  The library never
 * prints and never exits.
 */
#ifndef LP_CORE_ERROR_H
#define LP_CORE_ERROR_H

#include <stddef.h>

#define LP_ERROR_MAX 512

struct lp_error {
	char msg[LP_ERROR_MAX];
};

#define LP_ERROR_INIT                                                          \
	{                                                                      \
		{                                                              \
			0                                                      \
		}                                                              \
	}

/*
 * Set the text of err (printf-style) and return LP_FAILED, so a failing
 * path reads "return lp_error_set(err, ...);".  err may be NULL.
 */
int lp_error_set(struct lp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Put "prefix: " (printf-style) before the text already in err. */
void lp_error_prefix(struct lp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empty err's text. */
void lp_error_clear(struct lp_error *err);

#endif
