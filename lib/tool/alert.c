#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/status.h"
#include "metrics/report.h"
#include "tool/alert.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "web/http.h"
#include "web/webhook.h"

void
lp_alert_gates(const char *url, json_t *gs, int failed)
{
	struct lp_buf text = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	json_t *fields = json_pack("{s:O}", "gates", gs);

	lp_report_alert(&text, gs, failed, lp_opts.dataset_version);
	if (lp_webhook_post(url, lp_http_user_agent(lp_tool->name), text.p,
		fields, &err) != LP_OK)
		lp_warnx("alert not delivered: %s", err.msg);
	else if (lp_verbosity > 0)
		lp_warnx("alert posted to %s", url);
	json_decref(fields);
	lp_buf_release(&text);
}

int
lp_alert_stage_failed(const char *url, const char *arg)
{
	struct lp_buf text = LP_BUF_INIT, first = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	const char *c1 = strchr(arg, ':'), *c2 = NULL;
	char *name, *end = NULL, line[1024];
	long status = -1;
	json_t *fields;
	FILE *f;

	if (c1 != NULL && (c2 = strchr(c1 + 1, ':')) != NULL)
		status = strtol(c1 + 1, &end, 10);
	if (status < 0 || status > 255 || end != c2 || c1 == arg)
		lp_cli_usage("invalid --stage-failed '%s' (want "
			     "name:status:file)",
		    arg);
	name = strndup(arg, (size_t)(c1 - arg));
	if ((f = fopen(c2 + 1, "r")) != NULL) {
		if (fgets(line, sizeof(line), f) != NULL)
			lp_buf_add(&first, line, strcspn(line, "\n"));
		fclose(f);
	}
	lp_report_stage_alert(
	    &text, name, (int)status, first.p, lp_opts.dataset_version);
	lp_warnx("stage %s failed with status %ld", name, status);
	fields = json_pack("{s:s,s:i,s:s}", "stage", name, "status",
	    (int)status, "error", first.p ? first.p : "");
	if (url != NULL &&
	    lp_webhook_post(url, lp_http_user_agent(lp_tool->name), text.p,
		fields, &err) != LP_OK)
		lp_warnx("alert not delivered: %s", err.msg);
	json_decref(fields);
	free(name);
	lp_buf_release(&text);
	lp_buf_release(&first);
	return LP_EXIT_FAIL;
}
