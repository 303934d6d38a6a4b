/*
 * What a record keeps of an LLM answer (struct lp_llm_result): beside the
 * tool's own fields, the usage, latency, cache flag and finish reason, or,
 * for a request that failed, the error.  The same shape in translation
 * and rating members.
 */
#ifndef LP_LLM_ANSWER_H
#define LP_LLM_ANSWER_H

#include <jansson.h>

#include "llm/llm.h"

/*
 * A failed result as {"reason","status","message","attempts"}: reason
 * http, network, reply, fatal, budget or rate_limit; status null without
 * an answer.
 */
json_t *lp_answer_error(const struct lp_llm_result *r);
/*
 * An answer's usage (shared out evenly when n items went in one request,
 * then also "batch": n), latency_ms, cached, "usage_invalid": true when
 * the server's usage was left out as unbelievable, and finish_reason,
 * into m.
 * Under SOURCE_DATE_EPOCH latency_ms is 0, so reruns give the same bytes.
 */
void lp_answer_fields(json_t *m, const struct lp_llm_result *r, int n);

#endif
