/*
 * Cutting records out of a WARC archive (web/warc.h) in place of the
 * pages of an erased subject: whole gzip members are copied as they are,
 * less those holding a request or response record of a URI named, into a
 * temporary file renamed over the archive (with its mode), so the
 * archive stays one lp-scrape --from-warc can replay.  A page that holds
 * a subject among other listings (a search-results page) is not cut:
 * its URI is reported, for the caller to say so.
 */
#ifndef LP_WEB_WARCCUT_H
#define LP_WEB_WARCCUT_H

#include <jansson.h>

#include "core/error.h"

/*
 * Rewrite the archive at path without the request and response records
 * whose target URI is one of uris (strings).  *cut counts the records
 * removed; the URIs of the responses kept whose block still holds one of
 * needles (strings) are appended to kept.  The file is left alone when
 * nothing is cut.  LP_OK; LP_FAILED when the archive is damaged or a
 * record to cut shares its gzip member with another; LP_FATAL when it
 * cannot be read or written.
 */
int lp_warc_cut(const char *path, const json_t *uris, const json_t *needles,
    long *cut, json_t *kept, struct lp_error *err);

#endif
