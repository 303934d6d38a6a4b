#include <string.h>

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

/*
 * A record checked by the compiled schema (lp_schema_check_compiled())
 * says what the walker
 * over the record's whole tree says, failure or not, message for message
 * (the fast path checks only required and properties at the top).
 */
static void
same_as_walker(json_t *schema, const char *line)
{
	struct lp_schema *cs = lp_schema_compile(schema);
	struct lp_record rec;
	struct lp_error e1, e2;
	json_t *tree = json_loads(line, 0, NULL);
	int r1, r2;

	lp_record_init(&rec);
	assert_eq_int(lp_record_parse(&rec, line, strlen(line)), LP_OK);
	r1 = lp_schema_check(schema, tree, &e1);
	r2 = lp_schema_check_compiled(cs, &rec, &e2);
	assert_eq_int(r2, r1);
	if (r1 != LP_OK && r2 != LP_OK)
		assert_eq_str(e2.msg, e1.msg);
	lp_record_release(&rec);
	json_decref(tree);
	lp_schema_free(cs);
}

TEST(compiled_says_what_the_walker_says)
{
	static const char *const lines[] = {
	    "{\"id\":\"a\",\"title\":\"x\"}",
	    "{\"id\":\"a\"}",
	    "{\"title\":\"x\"}",
	    "{\"id\":\"a\",\"title\":3}",
	    "{\"id\":\"a\",\"title\":\"\"}",
	    "{\"id\":\"\",\"title\":\"x\"}",
	    "{\"id\":\"a\",\"title\":\"x\",\"price\":{\"amount\":-1,"
	    "\"currency\":\"GBP\"}}",
	    "{\"id\":\"a\",\"title\":\"x\",\"price\":{\"amount\":1}}",
	    "{\"id\":\"a\",\"title\":\"x\",\"price\":{\"amount\":\"1\","
	    "\"currency\":\"GBP\"}}",
	    "{\"id\":\"a\",\"title\":\"x\",\"price\":{\"amount\":1.5,"
	    "\"currency\":\"GB\"}}",
	    "{\"id\":\"a\",\"title\":\"x\",\"price\":[1]}",
	    "{\"id\":\"a\",\"title\":\"x\",\"condition\":null}",
	    "{\"id\":\"a\",\"title\":\"x\",\"condition\":\"used\","
	    "\"attrs\":{\"k\":1},\"other\":[]}",
	    "{\"id\":\"a\",\"title\":\"\xc3\xa9\",\"attrs\":\"no\"}",
	    "{\"n\":2.0,\"e\":\"mint\",\"m\":{\"deep\":{\"x\":-3}}}",
	    "{\"n\":2.5,\"e\":\"used\",\"m\":{\"deep\":{}}}",
	    "{\"n\":-1,\"e\":null,\"m\":{\"deep\":{\"x\":1}}}",
	    "{\"n\":true,\"e\":\"new\",\"m\":{\"deep\":{\"x\":\"s\"}}}",
	};
	static const char *const schemas[] = {
	    NULL, /* the built-in one */
	    "{\"type\":\"object\",\"required\":[\"n\"],\"properties\":{"
	    "\"n\":{\"type\":\"integer\",\"minimum\":0},"
	    "\"e\":{\"enum\":[\"new\",\"used\",null]},"
	    "\"m\":{\"type\":[\"object\",\"null\"],\"required\":[\"deep\"],"
	    "\"properties\":{\"deep\":{\"required\":[\"x\"],\"properties\":"
	    "{\"x\":{\"type\":[\"number\",\"boolean\"],\"minimum\":0}}}}}}}",
	    "{\"properties\":{\"n\":{\"type\":\"nonsense\"},"
	    "\"title\":{\"type\":[]},\"id\":{\"minLength\":2}}}",
	    "{\"type\":\"array\"}",
	    "{\"required\":[\"id\"],\"properties\":{\"m.deep\":{}}}",
	};
	size_t i, j;

	for (j = 0; j < sizeof(schemas) / sizeof(*schemas); j++) {
		json_t *s = schemas[j] ? json_loads(schemas[j], 0, NULL)
				       : lp_schema_listing();

		assert_true(s != NULL);
		for (i = 0; i < sizeof(lines) / sizeof(*lines); i++)
			same_as_walker(s, lines[i]);
		json_decref(s);
	}
}

RUN_TESTS()
