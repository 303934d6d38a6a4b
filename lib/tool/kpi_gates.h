/*
 * The quality gates of an lp-kpi run: loaded (a file or the built-in
 * guidelines/gates.json), approved by a gate owner when roles are
 * enforced, checked against the report, each result written to the audit
 * log, and a failure alerted.  Tool layer: a bad gates file exits 65 (74
 * when it cannot be read).
 */
#ifndef LP_TOOL_KPI_GATES_H
#define LP_TOOL_KPI_GATES_H

#include <jansson.h>

#include "metrics/gate.h"
#include "tool/access.h"
#include "tool/run.h"

/*
 * Check the gates of path (NULL: the built-in ones) against the report
 * m of run, and add their results to m as "gates"; with alert_url, POST
 * an alert when one fails.  g holds the results (lp_gates_release()).
 */
void lp_kpi_gates_check(struct lp_gates *g, const char *path,
    const char *alert_url, struct lp_access *ac, json_t *m, struct lp_run *run);
/*
 * --approve-gates path: the gate owner's approval of the gates of path
 * into the audit log.  A usage error without roles.  Returns the exit
 * status.
 */
int lp_kpi_gates_approve(struct lp_access *ac, const char *path);

#endif
