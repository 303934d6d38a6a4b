#include "core/status.h"
#include "text/schema.h"
#include "test.h"

static const char *
check(json_t *schema, const char *doc)
{
	static struct lp_error err;
	json_t *v = json_loads(doc, JSON_DECODE_ANY, NULL);
	int rc = lp_schema_check(schema, v, &err);

	json_decref(v);
	return rc == LP_OK ? "ok" : err.msg;
}

TEST(listing_schema)
{
	json_t *s = lp_schema_listing();
	struct lp_error err;

	assert_eq_int(lp_schema_valid(s, &err), LP_OK);
	assert_eq_str(check(s, "{\"id\":\"a\",\"title\":\"x\"}"), "ok");
	assert_eq_str(check(s, "{\"id\":\"a\"}"), "title is missing");
	assert_eq_str(check(s, "{\"id\":\"a\",\"title\":3}"),
	    "title is a number, not string");
	assert_eq_str(check(s, "{\"id\":\"a\",\"title\":\"\"}"),
	    "title is shorter than 1 characters");
	assert_eq_str(check(s,
			  "{\"id\":\"a\",\"title\":\"x\",\"price\":"
			  "{\"amount\":-1,\"currency\":\"GBP\"}}"),
	    "price.amount: -1 is below the minimum 0");
	assert_eq_str(check(s,
			  "{\"id\":\"a\",\"title\":\"x\",\"price\":"
			  "{\"amount\":1}}"),
	    "price.currency is missing");
	assert_eq_str(check(s, "[1]"), "record is an array, not object");
	json_decref(s);
}

TEST(subset_only)
{
	struct lp_error err;
	json_t *s = json_loads("{\"type\":\"object\",\"properties\":{\"a\":"
			       "{\"pattern\":\"x\"}}}",
	    0, NULL);
	json_t *e = json_loads("{\"enum\":[\"new\",\"used\"],\"type\":"
			       "[\"string\",\"null\"]}",
	    0, NULL);

	assert_eq_int(lp_schema_valid(s, &err), LP_FAILED);
	assert_eq_str(err.msg, "a: \"pattern\" is not in the supported subset");
	assert_eq_str(check(e, "\"used\""), "ok");
	assert_eq_str(
	    check(e, "\"mint\""), "record is not one of the allowed values");
	assert_eq_str(
	    check(e, "3"), "record is a number, not of an allowed type");
	json_decref(s);
	json_decref(e);
}

RUN_TESTS()
