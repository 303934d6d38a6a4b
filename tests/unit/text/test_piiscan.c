/*
 * The personal-data scan: each class is caught, and the look-alikes that
 * fill listings (model numbers, prices, barcodes, dates, sizes) are not.
 */
#include "core/status.h"
#include "text/piiscan.h"
#include "test.h"

/* What text holds, as "email=1 card=2" (classes above zero). */
static const char *
scan(const char *text)
{
	static struct lp_buf out;
	long long c[LP_PIISCAN_NCLASS] = {0};
	int k;

	lp_buf_reset(&out);
	lp_buf_adds(&out, "");
	lp_piiscan_text(text, strlen(text), c);
	for (k = 0; k < LP_PIISCAN_NCLASS; k++)
		if (c[k] > 0)
			lp_buf_addf(&out, "%s%s=%lld", out.len ? " " : "",
			    lp_piiscan_class_name(k), c[k]);
	return out.p;
}

TEST(emails_and_phones)
{
	assert_eq_str(scan("mail bob.smith+ebay@example.co.uk"), "email=1");
	assert_eq_str(scan("call 07700 900123 or +44 7700 900123"), "phone=2");
	assert_eq_str(scan("(020) 7946 0958, 0044 20 7946 0958"), "phone=2");
	assert_eq_str(scan("US +1 555-123-4567"), "phone=1");
	assert_eq_str(scan("[email] [phone]"), "");
}

TEST(postcodes)
{
	assert_eq_str(scan("collect from SW1A 1AA"), "postcode=1");
	assert_eq_str(scan("m1 1ae, EC1A 1BB, b33 8th, W1A 0AX"), "postcode=4");
	assert_eq_str(scan("cr26xh or DN55 1PT"), "postcode=2");
	/* Not postcodes: sizes, models, an area that is not one. */
	assert_eq_str(scan("i5 8GB ram, m2 1TB ssd"), "");
	assert_eq_str(scan("QQ1 1AA ZZ9 9ZZ"), "");
	assert_eq_str(scan("SM-G991B XPS 15 A1234"), "");
	assert_eq_str(scan("15 Jan 2024"), "");
}

TEST(cards)
{
	assert_eq_str(scan("card 4111 1111 1111 1111 exp"), "card=1");
	assert_eq_str(scan("4111-1111-1111-1111"), "card=1");
	assert_eq_str(scan("amex 378282246310005"), "card=1");
	assert_eq_str(scan("5555 5555 5555 4444 2024"), "card=1");
	/* EANs whose check is not Luhn's, a failing number, prices. */
	assert_eq_str(scan("EAN 4006381333931 and 5012345678900"), "");
	assert_eq_str(scan("4111 1111 1111 1112"), "");
	assert_eq_str(scan("\xc2\xa3"
			   "1,299.99 or 649.99 GBP"),
	    "");
	/* Dates and item numbers are too short. */
	assert_eq_str(scan("2024-01-15 12:30, 15/01/2024, 256000000000"), "");
	assert_eq_str(scan("ABC4111111111111111"), "");
}

TEST(ibans)
{
	assert_eq_str(scan("pay GB82 WEST 1234 5698 7654 32 thanks"), "iban=1");
	assert_eq_str(scan("de89370400440532013000"), "iban=1");
	assert_eq_str(scan("GB82 WEST 1234 5698 7654 33"), "");
	assert_eq_str(scan("GB82 is a model"), "");
}

TEST(records_and_report)
{
	struct lp_error err;
	json_t *cfg = json_pack("[s, s]", "seller", "buyer.name");
	struct lp_piiscan *s = lp_piiscan_new(cfg, &err);
	struct lp_buf out = LP_BUF_INIT;
	struct lp_record rec;
	const char *lines[] = {
	    "{\"id\":\"1\",\"title\":\"lamp [email]\",\"raw\":{\"title\":"
	    "\"Lamp a@b.com\"},\"seller\":\"Jane Doe\",\"lineage\":{\"steps\":"
	    "[{\"run_id\":\"07700 900123\"}]}}",
	    "{\"id\":\"2\",\"title\":\"desk\",\"seller\":\"p_"
	    "96a4beb8f0b98409\","
	    "\"buyer\":{\"name\":\"Bob\"},\"labels\":[{\"note\":\"SW1A 1AA\"},"
	    "{\"note\":\"M1 1AE\"}]}",
	    "{\"id\":\"3\",\"title\":\"chair\"}"};
	size_t i;

	assert_true(s != NULL);
	lp_record_init(&rec);
	for (i = 0; i < 3; i++) {
		assert_eq_int(
		    lp_record_parse(&rec, lines[i], strlen(lines[i])), LP_OK);
		lp_piiscan_record(s, &rec);
		lp_record_reset(&rec);
	}
	lp_piiscan_report(s, &out);
	assert_eq_str(out.p,
	    "{\"records\":3,\"records_with_pii\":2,\"total\":{\"email\":1,"
	    "\"phone\":0,\"postcode\":2,\"card\":0,\"iban\":0,\"name\":2},"
	    "\"fields\":{\"buyer.name\":{\"name\":1},\"labels.note\":"
	    "{\"postcode\":2},\"raw.title\":{\"email\":1},\"seller\":"
	    "{\"name\":1}}}");
	assert_eq_int(lp_piiscan_total(s), 5);
	lp_record_release(&rec);
	lp_buf_release(&out);
	lp_piiscan_free(s);
	json_decref(cfg);
}

TEST(config)
{
	struct lp_error err;
	json_t *bad = json_pack("[s, i]", "seller", 3);
	struct lp_piiscan *s = lp_piiscan_new(NULL, &err);
	struct lp_buf out = LP_BUF_INIT;

	lp_piiscan_report(s, &out);
	assert_eq_str(out.p,
	    "{\"records\":0,\"records_with_pii\":0,\"total\":{\"email\":0,"
	    "\"phone\":0,\"postcode\":0,\"card\":0,\"iban\":0,\"name\":0},"
	    "\"fields\":{}}");
	lp_piiscan_free(s);
	assert_true(lp_piiscan_new(bad, &err) == NULL);
	assert_eq_str(err.msg, "person-name field 2 is not a field path");
	json_decref(bad);
	bad = json_object();
	assert_true(lp_piiscan_new(bad, &err) == NULL);
	assert_eq_str(
	    err.msg, "the person-name fields are an object, not a list");
	json_decref(bad);
	lp_buf_release(&out);
}

RUN_TESTS()
