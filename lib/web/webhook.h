/*
 * Webhooks: a JSON message POSTed to a URL, in the shape Slack's incoming
 * webhooks take ({"text": ..., more fields}), which Mattermost, Rocket.Chat
 * and most alerting gateways take too.  A message is delivered when the
 * receiver answers 2xx within ten seconds.  In Slack's scheme the URL is
 * the credential: it is registered as a secret (core/secret.h) before it
 * is used, so diagnostics and audit events show it as
 * the host followed by three stars.
 */
#ifndef LP_WEB_WEBHOOK_H
#define LP_WEB_WEBHOOK_H

#include <jansson.h>
#include <signal.h>

#include "core/error.h"

/* How long a receiver may take to answer, in milliseconds. */
#define LP_WEBHOOK_TIMEOUT_MS 10000

/*
 * POST {"text": text} with the members of fields (borrowed; may be NULL)
 * after it to url, as user_agent (lp_http_user_agent()).  LP_OK when the receiver took it (2xx); LP_FAILED with
 * err naming url and why ("http://h/x: HTTP status 503", or the transfer
 * error) otherwise.
 */
int lp_webhook_post(const char *url, const char *user_agent, const char *text,
    json_t *fields, struct lp_error *err);

/* The first wait between tries of lp_webhook_send(), doubled each time. */
#define LP_WEBHOOK_BACKOFF_MS 300

/*
 * POST the JSON body to url as user_agent, with the header lines headers
 * (NULL-terminated, may be NULL; never in err), trying up to tries times:
 * a receiver that does not answer (refused, reset, timed out) or answers
 * 500, 502, 503 or 504 is tried again after LP_WEBHOOK_BACKOFF_MS, then
 * twice that, and so on, as the OpenLineage clients do.  LP_OK on 2xx;
 * LP_FAILED otherwise, err naming url, why and the tries ("http://h/x:
 * HTTP status 503 (5 tries)").  Once *stop is set (stop may be NULL)
 * it gives up within a tenth of a second: "URL: interrupted".
 */
int lp_webhook_send(const char *url, const char *user_agent, const char *body,
    const char *const *headers, int tries, const volatile sig_atomic_t *stop,
    struct lp_error *err);

#endif
