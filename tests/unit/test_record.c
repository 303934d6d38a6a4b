#include "lp/lp.h"
#include "lp/record.h"
#include "test.h"

static int
parse(struct lp_record *r, const char *s)
{
	return lp_record_parse(r, s, strlen(s));
}

TEST(canonical_and_lazy_get)
{
	struct lp_record r;

	lp_record_init(&r);
	assert_eq_int(
	    parse(&r, "{\"id\":\"a\",\"price\":{\"amount\":649.99}}"), 0);
	assert_true(r.canonical);
	assert_eq_str(lp_record_get_str(&r, "id"), "a");
	assert_true(
	    json_real_value(lp_record_get(&r, "price.amount")) == 649.99);
	assert_true(lp_record_get(&r, "price.currency") == NULL);
	assert_true(lp_record_get(&r, "id.x") == NULL);
	assert_true(r.root == NULL);
	{
		size_t n = 0;
		const char *s = lp_record_get_strn(&r, "id", &n);

		assert_eq_mem(s, n, "a", 1);
		assert_true(lp_record_get_strn(&r, "price", &n) == NULL);
	}
	assert_eq_int(parse(&r, "{\"t\":\"a\\nb\"}"), 0);
	{
		size_t n = 0;
		const char *s = lp_record_get_strn(&r, "t", &n);

		assert_eq_mem(s, n, "a\nb", 3);
	}
	lp_record_release(&r);
}

TEST(non_canonical_parsed_fully)
{
	struct lp_record r;

	lp_record_init(&r);
	assert_eq_int(parse(&r, "{ \"id\" : \"b\" }"), 0);
	assert_true(!r.canonical);
	assert_eq_str(lp_record_get_str(&r, "id"), "b");
	lp_record_release(&r);
}

TEST(bad_lines)
{
	struct lp_record r;

	lp_record_init(&r);
	assert_eq_int(parse(&r, "[1,2]"), LP_FAILED);
	assert_eq_str(r.err, "expected JSON object, got array");
	assert_eq_int(parse(&r, "42"), LP_FAILED);
	assert_eq_str(r.err, "expected JSON object, got number");
	assert_eq_int(parse(&r, "\"s\""), LP_FAILED);
	assert_eq_str(r.err, "expected JSON object, got string");
	assert_eq_int(parse(&r, "{\"a\":"), LP_FAILED);
	assert_true(strncmp(r.err, "invalid JSON at column", 22) == 0);
	assert_eq_int(parse(&r, "{\"a\":\"\xff\"}"), LP_FAILED);
	assert_eq_str(r.err, "invalid UTF-8 at column 7 (byte 0xff)");
	assert_eq_int(lp_record_parse(&r, "{\"a\":\"\0\"}", 9), LP_FAILED);
	assert_eq_str(r.err, "NUL byte at column 7");
	assert_eq_int(parse(&r, "{\"a\":1,\"a\":2}"), LP_FAILED);
	assert_true(strstr(r.err, "duplicate") != NULL);
	assert_eq_int(parse(&r, "{\"a\":1} {}"), LP_FAILED);
	lp_record_release(&r);
}

TEST(set_by_path)
{
	struct lp_record r;

	lp_record_init(&r);
	assert_eq_int(parse(&r, "{\"id\":\"a\",\"x\":1}"), 0);
	assert_eq_int(
	    lp_record_set(&r, "attrs.storage_gb", json_integer(128)), 0);
	assert_true(r.modified);
	assert_eq_int(
	    json_integer_value(lp_record_get(&r, "attrs.storage_gb")), 128);
	assert_eq_int(lp_record_set(&r, "x.y", json_true()), LP_FAILED);
	lp_record_release(&r);
}

RUN_TESTS()
