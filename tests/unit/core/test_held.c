#include "core/status.h"
#include "core/held.h"
#include "core/record.h"
#include "test.h"

TEST(hold_and_get_back)
{
	static const char *const lines[] = {"{\"id\":\"a\",\"n\":1}",
	    "{\"id\":\"b\",\"t\":\"caf\xc3\xa9\"}", "{ \"id\" : \"c\" }"};
	struct lp_held h = LP_HELD_INIT;
	struct lp_record rec, out;
	size_t i, at;

	lp_record_init(&rec);
	lp_record_init(&out);
	for (i = 0; i < 3; i++) {
		assert_eq_int(
		    lp_record_parse(&rec, lines[i], strlen(lines[i])), LP_OK);
		rec.file = "in.jsonl";
		rec.line = 10 + i;
		assert_eq_int(lp_held_add(&h, &rec, &at), LP_OK);
		assert_eq_int((long long)at, (long long)i);
		lp_record_reset(&rec);
	}
	/* Any order, any number of times; the line and its origin. */
	for (i = 3; i-- > 0;) {
		lp_held_get(&h, i, &out);
		assert_eq_int((long long)out.len, (long long)strlen(lines[i]));
		assert_true(memcmp(out.text, lines[i], out.len) == 0);
		assert_eq_int((long long)out.line, (long long)(10 + i));
		assert_true(strcmp(out.file, "in.jsonl") == 0);
	}
	lp_held_get(&h, 1, &out);
	assert_true(strcmp(lp_record_get_str(&out, "t"), "caf\xc3\xa9") == 0);
	lp_record_release(&rec);
	lp_record_release(&out);
	lp_held_release(&h);
}

TEST(too_long_to_hold)
{
	struct lp_held h = LP_HELD_INIT;
	struct lp_record rec;

	/* The length alone decides: no 4 GiB line is needed. */
	lp_record_init(&rec);
	assert_eq_int(lp_record_parse(&rec, "{}", 2), LP_OK);
	rec.file = "big.jsonl";
	rec.line = 7;
	rec.len = (size_t)UINT32_MAX + 1;
	assert_eq_int(lp_held_add(&h, &rec, NULL), LP_FAILED);
	assert_eq_str(h.err.msg, "big.jsonl:7: line too long to hold");
	assert_eq_int((long long)h.n, 0);
	rec.len = 2;
	lp_record_release(&rec);
	lp_held_release(&h);
}

RUN_TESTS()
