#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "text/price.h"
#include "test.h"

static const char *
price(const char *text)
{
	static struct lp_buf b;
	json_t *p = lp_price_parse(text, strlen(text));

	lp_buf_reset(&b);
	if (p == NULL)
		return "(none)";
	lp_json_dump(p, &b);
	json_decref(p);
	return b.p;
}

TEST(prices)
{
	assert_eq_str(price("\xc2\xa3"
			    "1,299.99"),
	    "{\"amount\":1299.99,\"currency\":\"GBP\",\"text\":\"\xc2\xa3"
	    "1,299.99\"}");
	assert_eq_str(price("\xc2\xa3"
			    "10.00 to \xc2\xa3"
			    "20.00"),
	    "{\"min\":10.0,\"max\":20.0,\"currency\":\"GBP\",\"text\":"
	    "\"\xc2\xa3"
	    "10.00 to \xc2\xa3"
	    "20.00\"}");
	assert_eq_str(price("EUR 12,50"),
	    "{\"amount\":12.5,\"currency\":\"EUR\",\"text\":\"EUR 12,50\"}");
	assert_eq_str(price("US $5.00"),
	    "{\"amount\":5.0,\"currency\":\"USD\",\"text\":\"US $5.00\"}");
	assert_eq_str(price("1.234,56 \xe2\x82\xac"),
	    "{\"amount\":1234.56,\"currency\":\"EUR\",\"text\":\"1.234,56 "
	    "\xe2\x82\xac\"}");
	assert_eq_str(price("C $20"),
	    "{\"amount\":20.0,\"currency\":\"CAD\",\"text\":\"C $20\"}");
	assert_eq_str(price("\xc2\xa3"
			    "649.99"),
	    "{\"amount\":649.99,\"currency\":\"GBP\",\"text\":\"\xc2\xa3"
	    "649.99\"}");
	assert_eq_str(price("\xc2\xa3"
			    "5 - \xc2\xa3"
			    "7.50"),
	    "{\"min\":5.0,\"max\":7.5,\"currency\":\"GBP\",\"text\":\"\xc2\xa3"
	    "5 - \xc2\xa3"
	    "7.50\"}");
}

TEST(not_prices)
{
	assert_eq_str(price(""), "(none)");
	assert_eq_str(price("free"), "(none)");
	assert_eq_str(price("12.50"), "(none)"); /* no currency */
	assert_eq_str(price("\xc2\xa3"), "(none)");
	assert_eq_str(price("EURO"), "(none)");
}

/* Every amount in pennies up to 10,000.00 round-trips exactly. */
TEST(amounts_round_trip)
{
	char text[64], want[64];
	struct lp_buf b = LP_BUF_INIT;
	long p;
	int bad = 0;

	for (p = 0; p <= 1000000; p += 7) {
		json_t *j;

		snprintf(
		    text, sizeof(text), "\xc2\xa3%ld.%02ld", p / 100, p % 100);
		j = lp_price_parse(text, strlen(text));
		lp_buf_reset(&b);
		lp_json_dump(json_object_get(j, "amount"), &b);
		snprintf(want, sizeof(want), "%ld.%ld", p / 100,
		    p % 100 % 10 ? p % 100 : p % 100 / 10);
		if (p % 100 != 0 && p % 100 < 10)
			snprintf(
			    want, sizeof(want), "%ld.0%ld", p / 100, p % 100);
		bad += strcmp(b.p, want) != 0;
		json_decref(j);
	}
	assert_eq_int(bad, 0);
	lp_buf_release(&b);
}

RUN_TESTS()
