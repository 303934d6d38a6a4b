/*
 * Secrets, and the one scrubber that keeps them out of everything a tool
 * writes: records' error messages, audit events, --dry-run's requests and
 * every diagnostic on stderr.
 *
 * A secret is registered as soon as it is known (the API key when it is
 * read, the password of a URL's userinfo and its query values, a
 * webhook's URL, which in Slack's scheme is itself the credential);
 * lp_secret_scrub() then replaces each occurrence in a text by "***".
 * An API key is registered with its first and last eight characters
 * too, since servers and proxies that echo a key often show it masked
 * between its ends.  Beside
 * the registered secrets, the scrubber always hides the password of any
 * URL's userinfo ("scheme://user:PASS@host" becomes
 * "scheme://user:***@host"), registered or not, since text from outside
 * (an error from a proxy, a URL in a message) may carry one.
 *
 * The registry is process-wide and holds copies.  Register from the main
 * thread before starting threads that scrub (the tools register while
 * they read their options); scrubbing only reads it.  A secret shorter
 * than LP_SECRET_MIN bytes is not registered: hiding every "1234" would
 * garble ordinary text, and so short a secret is no secret.
 */
#ifndef LP_CORE_SECRET_H
#define LP_CORE_SECRET_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

/* The shortest secret registered, in bytes. */
#define LP_SECRET_MIN 6
/* What a secret becomes. */
#define LP_SECRET_MASK "***"

/* Register s (copied); ignored when NULL, shorter than LP_SECRET_MIN or
 * known already. */
void lp_secret_add(const char *s);
/* An API key: the key, and its first and last eight bytes when longer. */
void lp_secret_add_key(const char *key);
/*
 * A URL's secrets: the password of its userinfo, and the value of each
 * query parameter but api-version (a gateway may take its key as
 * "?key=..."); with whole nonzero (a webhook, whose URL is the
 * credential) also what follows the host and its slash (path and query),
 * unless that is too short to be a secret.
 */
void lp_secret_add_url(const char *url, int whole);
/* Forget every secret (tests). */
void lp_secret_clear(void);
/* How many secrets are registered. */
size_t lp_secret_count(void);
/*
 * Append text[0..len) to out with every secret and URL password replaced
 * by "***"; returns how many were replaced.
 */
size_t lp_secret_scrub_buf(const char *text, size_t len, struct lp_buf *out);
/*
 * Scrub the string s in place, in a buffer of size bytes (cut to fit
 * when a short URL password made it longer); returns how many were
 * replaced.
 */
size_t lp_secret_scrub(char *s, size_t size);
/*
 * Scrub every string inside v (object members, array items, v itself if
 * a string), in place; returns how many were replaced.  Object keys are
 * left as they are.
 */
size_t lp_secret_scrub_json(json_t *v);

#endif
