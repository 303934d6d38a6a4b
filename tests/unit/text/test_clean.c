/*
 * Cleaning one record: a line in, the record out as lp-clean writes it
 * (before lineage), or the reason it is bad.
 */
#include "core/json.h"
#include "core/status.h"
#include "text/clean.h"
#include "text/schema.h"
#include "test.h"

/* line cleaned by c: the record's canonical JSON, or "bad: why". */
static const char *
clean(struct lp_clean *c, const char *line)
{
	static struct lp_buf out;
	struct lp_record rec;
	struct lp_error err;

	lp_buf_reset(&out);
	lp_record_init(&rec);
	if (lp_record_parse(&rec, line, strlen(line)) != LP_OK)
		lp_buf_adds(&out, "unparsable");
	else if (lp_clean_record(c, &rec, &err) != LP_OK)
		lp_buf_addf(&out, "bad: %s", err.msg);
	else
		lp_json_dump(lp_record_root(&rec), &out);
	lp_record_release(&rec);
	return out.p;
}

static void
count(void *arg, const char *name, long long n)
{
	lp_buf_addf(arg, "%s=%lld ", name, n);
}

TEST(every_step)
{
	struct lp_clean c;
	struct lp_buf counts = LP_BUF_INIT;

	lp_clean_init(&c);
	lp_clean_add_field(&c, "title");
	lp_clean_add_pseudonym(&c, "seller");
	c.key = "k";
	c.keylen = 1;
	lp_clean_set_schema(&c, lp_schema_listing());
	assert_eq_str(
	    clean(&c,
		"{\"id\":\"a\",\"title\":\"L@@K Apple iPhone 12 128gb "
		"BNIB!!! call 07700 900123\",\"price\":\"\xc2\xa3"
		"649.99\",\"condition\":\"Pre-owned\",\"seller\":"
		"\"Jane Doe\"}"),
	    "{\"id\":\"a\",\"title\":\"apple iphone 12 128 gb brand new in "
	    "box call [phone]\",\"price\":{\"amount\":649.99,\"currency\":"
	    "\"GBP\",\"text\":\"\xc2\xa3"
	    "649.99\"},\"condition\":\"used\",\"seller\":\"p_"
	    "96a4beb8f0b98409\",\"title_display\":\"Apple iPhone 12 128 GB "
	    "brand new in box call [phone]\","
	    "\"raw\":{\"title\":\"L@@K Apple iPhone 12 128gb BNIB!!! call "
	    "[phone]\",\"price\":\"\xc2\xa3"
	    "649.99\",\"condition\":\"Pre-owned\"},\"attrs\":{\"storage_gb\":"
	    "128.0,\"brand\":\"Apple\"}}");
	lp_clean_counts(&c, count, &counts);
	assert_eq_str(counts.p,
	    "emoji_removed=0 fluff:L@@K=1 expand:BNIB=1 punctuation_runs=1 "
	    "units_rewritten=1 emails_redacted=0 phones_redacted=1 "
	    "prices_parsed=1 prices_unparsed=0 prices_currency_assumed=0 "
	    "conditions_mapped=1 "
	    "conditions_unknown=0 pseudonymized=1 ");
	lp_buf_release(&counts);
	lp_clean_release(&c);
}

TEST(clean_twice_same)
{
	struct lp_clean c;

	lp_clean_init(&c);
	lp_clean_add_field(&c, "title");
	/* Already clean: the line as it was, attrs kept over found ones. */
	assert_eq_str(clean(&c,
			  "{\"id\":\"b\",\"title\":\"ok title\","
			  "\"attrs\":{\"storage_gb\":64}}"),
	    "{\"id\":\"b\",\"title\":\"ok title\",\"attrs\":{\"storage_gb\":"
	    "64},\"title_display\":\"ok title\"}");
	/* Cleaned from raw.title, the original an earlier run kept. */
	assert_eq_str(clean(&c,
			  "{\"id\":\"e\",\"title\":\"x\",\"raw\":"
			  "{\"title\":\"Sony 15.6in Laptop\"}}"),
	    "{\"id\":\"e\",\"title\":\"sony 15.6 in laptop\",\"raw\":"
	    "{\"title\":\"Sony 15.6in Laptop\"},\"title_display\":\"Sony "
	    "15.6 in Laptop\",\"attrs\":{\"screen_in\":15.6,\"brand\":"
	    "\"Sony\"}}");
	/* Case kept, personal data kept. */
	c.lower = 0;
	c.keep_pii = 1;
	assert_eq_str(clean(&c, "{\"id\":\"g\",\"title\":\"Mail me@x.com\"}"),
	    "{\"id\":\"g\",\"title\":\"Mail me@x.com\",\"title_display\":"
	    "\"Mail me@x.com\"}");
	lp_clean_release(&c);
}

/*
 * Conditions are remembered as they came: many records, ten different
 * strings (more than are remembered), known and unknown, each mapped as
 * the first time, and counted every time.
 */
TEST(conditions_remembered)
{
	static const char *const conds[] = {"Brand New", "Pre-owned", "Used",
	    "brand new", "New (other)", "Refurbished", "Mint-ish",
	    "Opened – never used", "For parts or not working", "Spares"};
	static const char *const want[] = {"new", "used", "used", "new",
	    "new-other", "refurbished", NULL, "opened-never-used", "for-parts",
	    NULL};
	struct lp_clean c;
	struct lp_buf line = LP_BUF_INIT, counts = LP_BUF_INIT, w = LP_BUF_INIT;
	int i;

	lp_clean_init(&c);
	for (i = 0; i < 300; i++) {
		int k = i * 7 % 10;

		lp_buf_reset(&line);
		lp_buf_addf(
		    &line, "{\"id\":\"c\",\"condition\":\"%s\"}", conds[k]);
		lp_buf_reset(&w);
		if (want[k] == NULL)
			lp_buf_addf(&w, "%s", line.p);
		else
			lp_buf_addf(&w,
			    "{\"id\":\"c\",\"condition\":\"%s\",\"raw\":"
			    "{\"condition\":\"%s\"}}",
			    want[k], conds[k]);
		assert_eq_str(clean(&c, line.p), w.p);
	}
	lp_clean_counts(&c, count, &counts);
	assert_true(strstr(counts.p, "conditions_mapped=240 ") != NULL);
	assert_true(strstr(counts.p, "conditions_unknown=60 ") != NULL);
	lp_buf_release(&line);
	lp_buf_release(&counts);
	lp_buf_release(&w);
	lp_clean_release(&c);
}

/* Personal data is redacted in raw too; the originals only on request. */
TEST(raw_redacted)
{
	struct lp_clean c;
	struct lp_buf originals = LP_BUF_INIT;
	const char *once;

	lp_clean_init(&c);
	lp_clean_add_field(&c, "title");
	c.originals = &originals;
	once = "{\"id\":\"r\",\"title\":\"canon lens mail [email] or "
	       "[phone]\",\"title_display\":\"Canon LENS mail [email] or "
	       "[phone]\",\"raw\":{\"title\":\"Canon LENS mail [email] or "
	       "[phone]\"},\"attrs\":{\"brand\":\"Canon\"}}";
	assert_eq_str(clean(&c,
			  "{\"id\":\"r\",\"title\":\"Canon LENS mail "
			  "bob@example.com or 07700 900123\"}"),
	    once);
	assert_eq_str(originals.p,
	    "{\"id\":\"r\",\"field\":\"title\",\"span\":[16,31],"
	    "\"kind\":\"email\",\"original\":\"bob@example.com\"}\n"
	    "{\"id\":\"r\",\"field\":\"title\",\"span\":[35,47],"
	    "\"kind\":\"phone\",\"original\":\"07700 900123\"}\n");
	/* Cleaned again: the same record, nothing more to keep aside. */
	lp_buf_reset(&originals);
	assert_eq_str(clean(&c, once), once);
	assert_true(originals.len == 0);
	/* An older lp-clean's verbatim raw.title is redacted now. */
	assert_eq_str(clean(&c,
			  "{\"id\":\"o\",\"title\":\"lamp [email]\",\"raw\":"
			  "{\"title\":\"Lamp a@b.com\"}}"),
	    "{\"id\":\"o\",\"title\":\"lamp [email]\",\"raw\":"
	    "{\"title\":\"Lamp [email]\"},\"title_display\":\"Lamp "
	    "[email]\"}");
	/* Full-width digits are a phone number only after NFKC. */
	lp_buf_reset(&originals);
	assert_eq_str(clean(&c,
			  "{\"id\":\"w\",\"title\":\"Lamp \xef\xbc\x90"
			  "7700 900123\"}"),
	    "{\"id\":\"w\",\"title\":\"lamp [phone]\",\"title_display\":"
	    "\"Lamp [phone]\",\"raw\":{\"title\":\"Lamp [phone]\"}}");
	assert_eq_str(originals.p,
	    "{\"id\":\"w\",\"field\":\"title\",\"span\":[5,17],"
	    "\"kind\":\"phone\",\"original\":\"07700 900123\"}\n");
	lp_buf_release(&originals);
	lp_clean_release(&c);
}

/* The same key gives the same pseudonym, run after run; another, not. */
TEST(pseudonym_stable)
{
	struct lp_clean c;
	char first[256];

	lp_clean_init(&c);
	lp_clean_add_field(&c, "title");
	lp_clean_add_pseudonym(&c, "seller");
	c.key = "key one";
	c.keylen = 7;
	snprintf(first, sizeof(first), "%s",
	    clean(&c, "{\"id\":\"s\",\"title\":\"x\",\"seller\":\"Ann\"}"));
	assert_true(strstr(first, "Ann") == NULL);
	lp_clean_release(&c);
	lp_clean_init(&c);
	lp_clean_add_field(&c, "title");
	lp_clean_add_pseudonym(&c, "seller");
	c.key = "key one";
	c.keylen = 7;
	assert_eq_str(
	    clean(&c, "{\"id\":\"s\",\"title\":\"x\",\"seller\":\"Ann\"}"),
	    first);
	/* A pseudonym stays as it is: cleaning twice changes nothing. */
	assert_eq_str(clean(&c, first), first);
	c.key = "key two";
	assert_true(strcmp(clean(&c,
			       "{\"id\":\"s\",\"title\":\"x\","
			       "\"seller\":\"Ann\"}"),
			first) != 0);
	lp_clean_release(&c);
}

TEST(bad_records)
{
	struct lp_clean c;

	lp_clean_init(&c);
	lp_clean_add_field(&c, "title");
	lp_clean_set_schema(&c, lp_schema_listing());
	assert_eq_str(clean(&c, "{\"id\":\"c\",\"title\":3}"),
	    "bad: title is a number, not a string");
	assert_eq_str(clean(&c, "{\"id\":\"d\",\"title\":\"WOW!!!\"}"),
	    "bad: title is empty after cleaning");
	assert_eq_str(clean(&c,
			  "{\"id\":\"f\",\"title\":\"fine\",\"price\":"
			  "{\"amount\":-1,\"currency\":\"GBP\"}}"),
	    "bad: price.amount: -1 is below the minimum 0");
	/* No title at all: nothing to clean, but the schema wants one. */
	assert_eq_str(clean(&c, "{\"id\":\"h\"}"), "bad: title is missing");
	lp_clean_release(&c);
}

TEST(bare_price_and_display)
{
	struct lp_clean c;
	struct lp_buf counts = LP_BUF_INIT;

	lp_clean_init(&c);
	lp_clean_add_field(&c, "title");
	lp_clean_set_schema(&c, lp_schema_listing());
	assert_eq_str(clean(&c,
			  "{\"id\":\"p\",\"title\":\"JBL FLIP 5 SPEAKER 20W\","
			  "\"url\":\"https://www.ebay.co.uk/itm/1\",\"price\":"
			  "\"12.50\",\"condition\":\"New other (see "
			  "details)\"}"),
	    "{\"id\":\"p\",\"title\":\"jbl flip 5 speaker 20 w\",\"url\":"
	    "\"https://www.ebay.co.uk/itm/1\",\"price\":{\"amount\":12.5,"
	    "\"currency\":\"GBP\",\"currency_assumed\":true,\"text\":"
	    "\"12.50\"},\"condition\":\"new-other\",\"title_display\":\"JBL "
	    "Flip 5 Speaker 20 W\",\"raw\":{\"title\":\"JBL FLIP 5 SPEAKER "
	    "20W\",\"price\":\"12.50\",\"condition\":\"New other (see "
	    "details)\"},\"attrs\":{\"power_w\":20.0,\"brand\":\"JBL\"}}");
	/* No site to say which currency: the schema's complaint, as before. */
	assert_eq_str(clean(&c,
			  "{\"id\":\"q\",\"title\":\"lamp\",\"price\":"
			  "\"12.50\"}"),
	    "bad: price is a string, not object");
	lp_clean_counts(&c, count, &counts);
	assert_true(strstr(counts.p, "prices_currency_assumed=1 ") != NULL);
	assert_true(strstr(counts.p, "prices_unparsed=1 ") != NULL);
	lp_buf_release(&counts);
	lp_clean_release(&c);
}

RUN_TESTS()
