/*
 * Alerts to a webhook (--alert-url, Slack-compatible): a failed quality
 * gate, or a failed stage of a build, in one shape, so whoever watches a
 * dataset's build hears of both the same way.  Tool layer: a message that
 * cannot be delivered is a warning on stderr, never the run's failure.
 */
#ifndef LP_TOOL_ALERT_H
#define LP_TOOL_ALERT_H

#include <jansson.h>

/* POST the gates' results gs (failed of them failed) to url. */
void lp_alert_gates(const char *url, json_t *gs, int failed);
/*
 * --stage-failed NAME:STATUS:FILE: say on stderr that stage NAME failed
 * with STATUS and, with url, POST the alert a failed gate raises, with the
 * first line of FILE (the stage's stderr).  A malformed arg is a usage
 * error.  Returns LP_EXIT_FAIL, as for a failed gate.
 */
int lp_alert_stage_failed(const char *url, const char *arg);

#endif
