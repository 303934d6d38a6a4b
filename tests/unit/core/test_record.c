#include "core/status.h"
#include "core/json.h"
#include "core/record.h"
#include "gen.h"
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
	assert_eq_str(r.err.msg, "expected JSON object, got array");
	assert_eq_int(parse(&r, "42"), LP_FAILED);
	assert_eq_str(r.err.msg, "expected JSON object, got number");
	assert_eq_int(parse(&r, "\"s\""), LP_FAILED);
	assert_eq_str(r.err.msg, "expected JSON object, got string");
	assert_eq_int(parse(&r, "{\"a\":"), LP_FAILED);
	assert_true(strncmp(r.err.msg, "invalid JSON at column", 22) == 0);
	assert_eq_int(parse(&r, "{\"a\":\"\xff\"}"), LP_FAILED);
	assert_eq_str(r.err.msg, "invalid UTF-8 at column 7 (byte 0xff)");
	assert_eq_int(lp_record_parse(&r, "{\"a\":\"\0\"}", 9), LP_FAILED);
	assert_eq_str(r.err.msg, "NUL byte at column 7");
	assert_eq_int(parse(&r, "{\"a\":1,\"a\":2}"), LP_FAILED);
	assert_true(strstr(r.err.msg, "duplicate") != NULL);
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

/*
 * Edits by lp_record_put() give the bytes that lp_record_set() and a whole
 * dump give, over generated records: replaced members stay in place, new
 * ones come last, and reads see the edits.
 */
TEST(put_equals_set)
{
	struct lp_record a, b;
	struct lp_buf line = LP_BUF_INIT, out = LP_BUF_INIT;
	struct lp_json_members ms = {NULL, 0, 0};
	int i, diff = 0;

	lp_record_init(&a);
	lp_record_init(&b);
	gen_state = 11;
	for (i = 0; i < 3000; i++) {
		json_t *g = gen_record(), *v;
		const char *key = i % 3 == 0 ? "title" : "id";

		lp_buf_reset(&line);
		lp_json_dump(g, &line);
		json_decref(g);
		assert_eq_int(lp_record_parse(&a, line.p, line.len), LP_OK);
		assert_eq_int(lp_record_parse(&b, line.p, line.len), LP_OK);
		lp_record_put(&a, key, json_string("new \xc3\xa9"));
		lp_record_set(&b, key, json_string("new \xc3\xa9"));
		lp_record_put(&a, "attrs", json_pack("{s:f}", "w", 1.5));
		lp_record_set(&b, "attrs", json_pack("{s:f}", "w", 1.5));
		v = lp_record_get(&a, "attrs.w");
		assert_true(v != NULL && json_real_value(v) == 1.5);
		assert_true(
		    strcmp(lp_record_get_str(&a, key), "new \xc3\xa9") == 0);
		lp_record_put(&a, "k\"q\n", json_integer(i));
		lp_record_set(&b, "k\"q\n", json_integer(i));
		lp_record_flatten(&a);
		/* The spans flatten noted are those a scan finds. */
		assert_true(lp_json_scan(a.text, a.len, &ms));
		assert_eq_int(ms.n, a.ms.n);
		diff += memcmp(ms.m, a.ms.m, ms.n * sizeof(*ms.m)) != 0;
		/* A second round of edits on the flattened line. */
		lp_record_put(&a, "id", json_integer(-i));
		lp_record_set(&b, "id", json_integer(-i));
		lp_record_flatten(&a);
		lp_buf_reset(&out);
		lp_json_dump(lp_record_root(&b), &out);
		if (out.len != a.len || memcmp(out.p, a.text, a.len) != 0)
			diff++;
		/* The tree of a flattened record is the same tree. */
		assert_true(json_equal(lp_record_root(&a), lp_record_root(&b)));
	}
	assert_eq_int(diff, 0);
	lp_json_members_release(&ms);
	lp_record_release(&a);
	lp_record_release(&b);
	lp_buf_release(&line);
	lp_buf_release(&out);
}

RUN_TESTS()
