/*
 * The LLM client as the tools use it, shared by lp-translate and lp-rate:
 * the client (llm/client.h: configuration, requests, results) and request
 * bodies and templates (llm/template.h), in one include.
 *
 *	struct lp_llm *c = lp_llm_client_new(&cfg, &err);
 *	lp_llm_submit(c, body, item);          (body: model, messages, ...)
 *	while ((r = lp_llm_wait(c)) != NULL) { ...; lp_llm_result_free(r); }
 */
#ifndef LP_LLM_H
#define LP_LLM_H

#include "llm/client.h"
#include "llm/template.h"

#endif
