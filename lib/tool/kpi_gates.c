#include <jansson.h>
#include <stddef.h>

#include "core/data.h"
#include "core/error.h"
#include "core/status.h"
#include "metrics/gate.h"
#include "tool/access.h"
#include "tool/alert.h"
#include "tool/cli.h"
#include "tool/kpi_gates.h"
#include "tool/log.h"
#include "tool/run.h"

/* Load the gates of path (NULL: the built-in ones); exits when bad. */
static void
load_gates(struct lp_gates *g, const char *path)
{
	struct lp_error err = LP_ERROR_INIT;
	int rc = lp_gates_load(g, path, &err);

	if (rc != LP_OK)
		lp_errx(rc == LP_FATAL ? LP_EXIT_IOERR : LP_EXIT_DATAERR, "%s",
		    err.msg);
}

void
lp_kpi_gates_check(struct lp_gates *g, const char *path, const char *alert_url,
    struct lp_access *ac, json_t *m, struct lp_run *run)
{
	struct lp_error err = LP_ERROR_INIT;
	size_t i;

	load_gates(g, path);
	/*
	 * With roles enforced, gates other than the built-in ones need a
	 * gate owner's approval in the audit log.
	 */
	if (path != NULL)
		lp_access_need_approval(ac, run, "gates", LP_ROLE_GATE_OWNER,
		    path, g->doc, lp_data_gates, lp_data_gates_len);
	lp_run_audit_version(run, "gates", g->version, g->doc);
	for (i = 0; i < lp_gates_count(g); i++) {
		if (lp_gates_check(g, i, m, &err) != LP_OK)
			lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
		lp_run_audit(
		    run, "gate", json_deep_copy(json_array_get(g->results, i)));
	}
	json_object_set_new(m, "gates", json_incref(g->results));
	if (g->failed && alert_url != NULL)
		lp_alert_gates(alert_url, g->results, g->failed);
}

int
lp_kpi_gates_approve(struct lp_access *ac, const char *path)
{
	struct lp_gates g = {NULL, NULL, NULL, 0, NULL, NULL};
	int status;

	if (!ac->on)
		lp_cli_usage("--approve-gates needs the roles: give --roles "
			     "FILE or set LP_ROLES");
	load_gates(&g, path);
	status =
	    lp_access_approve_run(ac, "gates", LP_ROLE_GATE_OWNER, path, g.doc);
	lp_gates_release(&g);
	return status;
}
