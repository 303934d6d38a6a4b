/* What a record keeps of an LLM answer, from hand-made results. */
#include <stdlib.h>

#include "core/json.h"
#include "core/status.h"
#include "llm/answer.h"
#include "dump.h"
#include "test.h"

TEST(errors)
{
	struct lp_llm_result r;

	memset(&r, 0, sizeof(r));
	r.why = LP_LLM_HTTP;
	r.status = 503;
	r.attempts = 6;
	snprintf(r.message, sizeof(r.message), "HTTP 503");
	assert_eq_str(dump(lp_answer_error(&r)),
	    "{\"reason\":\"http\",\"status\":503,\"message\":\"HTTP 503\","
	    "\"attempts\":6}");
	r.why = LP_LLM_NETWORK;
	r.status = 0;
	assert_eq_str(dump(lp_answer_error(&r)),
	    "{\"reason\":\"network\",\"status\":null,\"message\":\"HTTP 503\","
	    "\"attempts\":6}");
	r.why = LP_LLM_BUDGET;
	assert_eq_str(dump(lp_answer_error(&r)),
	    "{\"reason\":\"budget\",\"status\":null,\"message\":\"HTTP 503\","
	    "\"attempts\":6}");
}

TEST(fields)
{
	struct lp_llm_result r;
	json_t *m = json_object();

	memset(&r, 0, sizeof(r));
	r.usage =
	    json_pack("{s:i,s:i}", "prompt_tokens", 10, "completion_tokens", 5);
	r.latency_ms = 12.34;
	r.finish_reason = "stop";
	/* Two items in one request share the usage. */
	lp_answer_fields(m, &r, 2);
	assert_eq_str(dump(m),
	    "{\"usage\":{\"prompt_tokens\":5.0,\"completion_tokens\":2.5},"
	    "\"batch\":2,\"latency_ms\":12.3,\"cached\":false,"
	    "\"finish_reason\":\"stop\"}");
	m = json_object();
	r.cached = 1;
	r.finish_reason = NULL;
	lp_answer_fields(m, &r, 1);
	assert_eq_str(dump(m),
	    "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5},"
	    "\"latency_ms\":12.3,\"cached\":true}");
	json_decref(r.usage);
}

int
main(int argc, char **argv)
{
	/* Latency is a measurement, fixed to 0 only under this. */
	unsetenv("SOURCE_DATE_EPOCH");
	return run_tests(argc, argv);
}
