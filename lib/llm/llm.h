/*
 * The LLM client as the tools use it, shared by lp-translate and lp-rate:
 * the client (llm/client.h: configuration, requests, results), request
 * bodies and templates (llm/template.h), and the entry points kept from
 * before the client was split, so that their callers need no change.
 *
 *	struct lp_llm *c = lp_llm_client_new(&cfg, &err);
 *	lp_llm_submit(c, body, item);          (body: model, messages, ...)
 *	while ((r = lp_llm_wait(c)) != NULL) { ...; lp_llm_result_free(r); }
 */
#ifndef LP_LLM_H
#define LP_LLM_H

#include <stddef.h>

#include "llm/client.h"
#include "llm/template.h"

/*
 * lp_llm_client_new() with the error as text in err (errlen bytes), for
 * callers not yet on struct lp_error.
 */
struct lp_llm *lp_llm_new(
    const struct lp_llm_config *cfg, char *err, size_t errlen);
/* lp_header_retry_after() (web/header.h). */
double lp_llm_retry_after(const char *value, double now);
/* lp_header_duration() (web/header.h). */
double lp_llm_duration(const char *value);

#endif
