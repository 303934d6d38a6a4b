#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "core/status.h"
#include "llm/answer.h"

json_t *
lp_answer_error(const struct lp_llm_result *r)
{
	static const char *const reasons[] = {
	    "ok", "http", "network", "reply", "fatal", "budget", "rate_limit"};

	return json_pack("{s:s,s:o,s:s,s:i}", "reason", reasons[r->why],
	    "status", r->status > 0 ? json_integer(r->status) : json_null(),
	    "message", r->message, "attempts", r->attempts);
}

void
lp_answer_fields(json_t *m, const struct lp_llm_result *r, int n)
{
	static int fixed = -1; /* SOURCE_DATE_EPOCH set: looked up once */

	if (r->usage != NULL && n > 1) {
		json_t *u = json_object(), *v;
		const char *k;

		json_object_foreach (r->usage, k, v)
			if (json_is_integer(v))
				json_object_set_new(u, k,
				    json_real(
					round((double)json_integer_value(v) /
					    n * 10) /
					10));
		json_object_set_new(m, "usage", u);
	} else if (r->usage != NULL)
		json_object_set_new(m, "usage", json_deep_copy(r->usage));
	if (n > 1)
		json_object_set_new(m, "batch", json_integer(n));
	/*
	 * A measurement, not a fact about the item: under SOURCE_DATE_EPOCH
	 * (reproducible builds) it is 0, so reruns are byte-identical; the
	 * audit log keeps the real one.
	 */
	if (fixed < 0)
		fixed = getenv("SOURCE_DATE_EPOCH") != NULL &&
		    *getenv("SOURCE_DATE_EPOCH") != '\0';
	json_object_set_new(m, "latency_ms",
	    json_real(fixed ? 0 : round(r->latency_ms * 10) / 10));
	json_object_set_new(m, "cached", json_boolean(r->cached));
	/* The server's usage was not to be believed: left out, said so. */
	if (r->usage_invalid)
		json_object_set_new(m, "usage_invalid", json_true());
	if (r->finish_reason != NULL)
		json_object_set_new(
		    m, "finish_reason", json_string(r->finish_reason));
}
