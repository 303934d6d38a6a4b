#include <stdio.h>

#include "core/status.h"
#include "core/error.h"
#include "llm/llm.h"
#include "web/header.h"

struct lp_llm *
lp_llm_new(const struct lp_llm_config *cfg, char *err, size_t errlen)
{
	struct lp_error e = LP_ERROR_INIT;
	struct lp_llm *c = lp_llm_client_new(cfg, &e);

	if (c == NULL && errlen > 0)
		snprintf(err, errlen, "%s", e.msg);
	return c;
}

double
lp_llm_retry_after(const char *value, double now)
{
	return lp_header_retry_after(value, now);
}

double
lp_llm_duration(const char *value)
{
	return lp_header_duration(value);
}
