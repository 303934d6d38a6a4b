/*
 * Header lines of HTTP responses and WARC records: the one parser of
 * liblp for them.  A header line is "Name: value", the name matched in
 * any case and the value without the blanks (spaces, tabs) and line end
 * around it; a status line is "HTTP/x.y NNN reason".  The values the
 * transfer engine acts on (Retry-After, the x-ratelimit-reset-* durations)
 * are read here too.  Nothing here allocates: values are copied to the
 * caller's buffer, cut to its size.
 */
#ifndef LP_WEB_HEADER_H
#define LP_WEB_HEADER_H

#include <stddef.h>

/*
 * If line (len bytes, one header line with or without its CRLF) is the
 * field name, copy its value to out (n bytes, cut to fit, NUL-terminated)
 * and return 1; else 0, leaving out alone.
 */
int lp_header_match(
    const char *line, size_t len, const char *name, char *out, size_t n);
/*
 * The field name in header lines p[0..size) (a WARC record's head, an
 * HTTP response's), copied to out as lp_header_match() does: 1 if found,
 * else 0 (and out is "").
 */
int lp_header_field(
    const char *p, size_t size, const char *name, char *out, size_t n);
/*
 * The status code of a status line ("HTTP/1.1 503 Service Unavailable",
 * len bytes), or -1 if line is not one.
 */
long lp_header_status(const char *line, size_t len);
/*
 * Seconds of a Retry-After value: a number of seconds or an HTTP date
 * (relative to now, a Unix time; a date past is 0).  -1 if it is neither.
 */
double lp_header_retry_after(const char *value, double now);
/*
 * Seconds of a duration as rate limiters write it ("1s", "6m0s", "20ms",
 * "1h2m3.5s"; a bare number is seconds), or -1.
 */
double lp_header_duration(const char *value);

#endif
