#include "core/status.h"
#include "dedup/keytext.h"
#include "test.h"

TEST(fields_normalised_and_joined)
{
	static const char *const line =
	    "{\"title\":\"iPhone  13\",\"price\":{\"amount\":649.99},"
	    "\"n\":null}";
	char *fields[] = {"title", "price.amount", "n"};
	struct lp_keytext kt;
	struct lp_record r;
	struct lp_buf key = LP_BUF_INIT;

	lp_record_init(&r);
	assert_eq_int(lp_record_parse(&r, line, strlen(line)), LP_OK);
	lp_keytext_init(&kt, fields, 3);
	assert_true(lp_keytext_make(&kt, &r, &key));
	assert_eq_mem(key.p, key.len,
	    "iphone 13\x1f"
	    "649.99\x1f\x1e",
	    18);
	/* No key field there: no key. */
	lp_keytext_init(&kt, fields + 2, 1);
	assert_true(!lp_keytext_make(&kt, &r, &key));
	lp_keytext_release(&kt);
	lp_record_release(&r);
	lp_buf_release(&key);
}

RUN_TESTS()
