#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "text/pii.h"
#include "test.h"

static long long ne, np;

static const char *
redact(const char *s)
{
	static struct lp_buf out;

	lp_buf_reset(&out);
	lp_pii_redact(s, strlen(s), &out, &ne, &np);
	return out.p != NULL ? out.p : "";
}

TEST(emails_and_phones)
{
	assert_eq_str(redact("mail bob.smith+ebay@example.co.uk now"),
	    "mail [email] now");
	assert_eq_str(redact("call 07700 900123 or +44 7700 900123"),
	    "call [phone] or [phone]");
	assert_eq_str(redact("(020) 7946 0958 evenings"), "[phone] evenings");
	assert_eq_str(redact("US +1 555-123-4567."), "US [phone].");
	assert_eq_str(redact("a@b.com, 0161 496 0000"), "[email], [phone]");
	assert_eq_str(redact("0044 7700 900123 or +353 86 123 4567"),
	    "[phone] or [phone]");
	assert_eq_int(ne, 2);
	assert_eq_int(np, 7);
}

TEST(not_pii)
{
	assert_eq_str(
	    redact("Samsung SM-G991B 128GB"), "Samsung SM-G991B 128GB");
	assert_eq_str(redact("EAN 5012345678900"), "EAN 5012345678900");
	assert_eq_str(redact("@home user@localhost"), "@home user@localhost");
	assert_eq_str(redact("07700 900"), "07700 900");
	assert_eq_str(redact("size 10 (UK) 2023"), "size 10 (UK) 2023");
	assert_eq_str(redact("[email] [phone]"), "[email] [phone]");
}

/* RFC 4231 test case 2, through the first 8 bytes of the MAC. */
TEST(pseudonym_is_hmac_sha256)
{
	char p[19], q[19];

	lp_pseudonym("Jefe", 4, "what do ya want for nothing?", 28, p);
	assert_eq_str(p, "p_5bdcc146bf60754e");
	assert_true(lp_pseudonym_is(p, strlen(p)));
	lp_pseudonym("k1", 2, "seller_a", 8, p);
	lp_pseudonym("k1", 2, "seller_a", 8, q);
	assert_eq_str(p, q);
	lp_pseudonym("k2", 2, "seller_a", 8, q);
	assert_true(strcmp(p, q) != 0);
	/* A key with a NUL byte in it is a key of its own. */
	lp_pseudonym("k1\0x", 4, "seller_a", 8, q);
	assert_true(strcmp(p, q) != 0);
	assert_true(!lp_pseudonym_is("p_5bdcc146bf60754", 17));
	assert_true(!lp_pseudonym_is("p_5bdcc146bf60754g", 18));
	assert_true(!lp_pseudonym_is("p_jones", 7));
}

/* Spans: where each replaced piece was in the text given. */
static void
span(void *arg, enum lp_pii_kind kind, size_t start, size_t end)
{
	lp_buf_addf(arg, "%s %zu-%zu;", lp_pii_token(kind), start, end);
}

TEST(spans)
{
	struct lp_buf out = LP_BUF_INIT, spans = LP_BUF_INIT;
	const char *s = "call 07700 900123 or a@b.com";

	assert_eq_int(
	    lp_pii_redact_spans(s, strlen(s), &out, &ne, &np, span, &spans), 2);
	assert_eq_str(out.p, "call [phone] or [email]");
	assert_eq_str(spans.p, "[phone] 5-17;[email] 21-28;");
	lp_buf_release(&out);
	lp_buf_release(&spans);
}

/*
 * Text that ends in "0" with nothing after it in memory (no NUL): the
 * scan must not look past n (found by fuzz_clean under ASan).
 */
TEST(zero_at_the_end)
{
	static const char *texts[] = {"call 0", "0", "tel. 0", NULL};
	size_t start, end;
	int i;

	for (i = 0; texts[i] != NULL; i++) {
		size_t n = strlen(texts[i]);
		char *exact = malloc(n);

		memcpy(exact, texts[i], n);
		assert_eq_int(
		    lp_pii_next(exact, n, 0, &start, &end), LP_PII_NONE);
		free(exact);
	}
}

RUN_TESTS()
