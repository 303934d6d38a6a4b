#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/secret.h"
#include "core/status.h"
#include "web/http.h"
#include "web/webhook.h"

int
lp_webhook_post(const char *url, const char *user_agent, const char *text,
    json_t *fields, struct lp_error *err)
{
	struct lp_buf body = LP_BUF_INIT;
	json_t *msg = json_pack("{s:s}", "text", text);
	int rc;

	lp_secret_add_url(url, 1);
	if (fields != NULL)
		json_object_update(msg, fields);
	lp_json_dump(msg, &body);
	json_decref(msg);
	rc = lp_webhook_send(url, user_agent, body.p, NULL, 1, NULL, err);
	lp_buf_release(&body);
	return rc;
}

/* Sleep ms milliseconds, or less once *stop is set (a signal wakes it). */
static void
wait_ms(long ms, const volatile sig_atomic_t *stop)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L}, left;

	while (nanosleep(&t, &left) != 0 && errno == EINTR &&
	    !(stop != NULL && *stop))
		t = left;
}

int
lp_webhook_send(const char *url, const char *user_agent, const char *body,
    const char *const *headers, int tries, const volatile sig_atomic_t *stop,
    struct lp_error *err)
{
	struct lp_error why = LP_ERROR_INIT;
	long st = -1, wait = LP_WEBHOOK_BACKOFF_MS;
	char n[32] = "";
	int i;

	for (i = 0; i < tries; i++) {
		if (i > 0) {
			wait_ms(wait, stop);
			wait *= 2;
		}
		if (stop != NULL && *stop)
			return lp_error_set(err, "%s: interrupted", url);
		st = lp_http_post_json(url, body, headers,
		    LP_WEBHOOK_TIMEOUT_MS, user_agent, stop, &why);
		if (st >= 200 && st <= 299)
			return LP_OK;
		/* Only what may pass is tried again: not a 4xx. */
		if (st > 0 && st != 500 && st != 502 && st != 503 && st != 504)
			break;
	}
	if ((i = i < tries ? i + 1 : i) > 1)
		snprintf(n, sizeof(n), " (%d tries)", i);
	if (st > 0)
		return lp_error_set(err, "%s: HTTP status %ld%s", url, st, n);
	return lp_error_set(err, "%s%s", why.msg, n);
}
