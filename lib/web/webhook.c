#include <stdio.h>

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
	struct lp_error why = LP_ERROR_INIT;
	long st;

	lp_secret_add_url(url, 1);
	if (fields != NULL)
		json_object_update(msg, fields);
	lp_json_dump(msg, &body);
	json_decref(msg);
	st = lp_http_post_json(
	    url, body.p, LP_WEBHOOK_TIMEOUT_MS, user_agent, &why);
	lp_buf_release(&body);
	if (st >= 200 && st <= 299)
		return LP_OK;
	if (st > 0)
		return lp_error_set(err, "%s: HTTP status %ld", url, st);
	return lp_error_set(err, "%s", why.msg);
}
