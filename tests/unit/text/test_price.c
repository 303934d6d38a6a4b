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

/* text read in currency when it names none. */
static const char *
price_as(const char *text, const char *currency)
{
	static struct lp_buf b;
	json_t *p = lp_price_parse_as(text, strlen(text), currency);

	lp_buf_reset(&b);
	if (p == NULL)
		return "(none)";
	lp_json_dump(p, &b);
	json_decref(p);
	return b.p;
}

TEST(bare_prices_in_the_site_currency)
{
	assert_eq_str(price_as("12.50", "GBP"),
	    "{\"amount\":12.5,\"currency\":\"GBP\",\"currency_assumed\":true,"
	    "\"text\":\"12.50\"}");
	assert_eq_str(price_as(" 1,299.00 ", "GBP"),
	    "{\"amount\":1299.0,\"currency\":\"GBP\",\"currency_assumed\":"
	    "true,\"text\":\" 1,299.00 \"}");
	assert_eq_str(price_as("10 - 20", "EUR"),
	    "{\"min\":10.0,\"max\":20.0,\"currency\":\"EUR\","
	    "\"currency_assumed\":true,\"text\":\"10 - 20\"}");
	/* A currency written wins, unflagged. */
	assert_eq_str(price_as("$5.00", "GBP"),
	    "{\"amount\":5.0,\"currency\":\"USD\",\"text\":\"$5.00\"}");
	/* Only a bare number is a price: not words around one. */
	assert_eq_str(price_as("approx 12", "GBP"), "(none)");
	assert_eq_str(price_as("12.50 each", "GBP"), "(none)");
	assert_eq_str(price_as("10 - ", "GBP"), "(none)");
	assert_eq_str(price_as("Free", "GBP"), "(none)");
	assert_eq_str(price_as("12.50", NULL), "(none)");
}

TEST(site_currencies)
{
	assert_eq_str(
	    lp_price_site_currency("https://www.ebay.co.uk/itm/1", NULL),
	    "GBP");
	assert_eq_str(
	    lp_price_site_currency("https://www.ebay.com/itm/1", "ebay-uk"),
	    "USD");
	assert_eq_str(
	    lp_price_site_currency("https://ebay.de/itm/1", NULL), "EUR");
	assert_eq_str(
	    lp_price_site_currency("https://www.ebay.com.au:443/itm/1", NULL),
	    "AUD");
	/* Not eBay's: the site name says, or nothing does. */
	assert_eq_str(
	    lp_price_site_currency("https://notebay.co.uk/x", "ebay-uk"),
	    "GBP");
	assert_true(
	    lp_price_site_currency("https://shop.example/x", NULL) == NULL);
	assert_true(lp_price_site_currency(NULL, NULL) == NULL);
}

RUN_TESTS()
