#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/secret.h"
#include "test.h"

/* s scrubbed, in a static buffer. */
static const char *
scrubbed(const char *s)
{
	static char out[1024];

	snprintf(out, sizeof(out), "%s", s);
	lp_secret_scrub(out, sizeof(out));
	return out;
}

TEST(key_and_its_ends)
{
	lp_secret_clear();
	lp_secret_add_key("sk-test-SECRETKEY-0123456789");
	assert_eq_int((long)lp_secret_count(), 3);
	assert_eq_str(scrubbed("bad request from Bearer "
			       "sk-test-SECRETKEY-0123456789 (key "
			       "sk-test-...23456789)"),
	    "bad request from Bearer *** (key ***...***)");
	/* The whole key goes as one, not as its ends around a middle. */
	assert_eq_str(scrubbed("sk-test-SECRETKEY-0123456789"), "***");
	assert_eq_str(scrubbed("twice sk-test-SECRETKEY-0123456789 and "
			       "sk-test-SECRETKEY-0123456789."),
	    "twice *** and ***.");
	lp_secret_clear();
}

TEST(short_key_whole_only)
{
	lp_secret_clear();
	lp_secret_add_key("abcdefgh");
	assert_eq_int((long)lp_secret_count(), 1);
	lp_secret_add_key("abc"); /* too short to register */
	assert_eq_int((long)lp_secret_count(), 1);
	assert_eq_str(scrubbed("x abcdefgh y abc"), "x *** y abc");
	lp_secret_clear();
}

TEST(url_userinfo_always)
{
	lp_secret_clear();
	/* No registration needed: any URL's password is hidden. */
	assert_eq_str(scrubbed("http://user:PASS@127.0.0.1:80/v1: refused"),
	    "http://user:***@127.0.0.1:80/v1: refused");
	assert_eq_str(
	    scrubbed("see https://ghp_TOKEN123@github.com/x and more"),
	    "see https://***@github.com/x and more");
	assert_eq_str(scrubbed("a http://u:***@h/ b"), "a http://u:***@h/ b");
	/* An @ after the host is no userinfo. */
	assert_eq_str(scrubbed("https://example.com/a@b mail me@example.com"),
	    "https://example.com/a@b mail me@example.com");
	/* Short passwords grow the text: cut to the buffer. */
	{
		char s[16] = "x://u:p@h/abcde";

		assert_eq_int((long)lp_secret_scrub(s, sizeof(s)), 1);
		assert_eq_str(s, "x://u:***@h/abc");
	}
}

TEST(url_registered)
{
	lp_secret_clear();
	lp_secret_add_url("http://user:PASSWD123@127.0.0.1:8080/v1", 0);
	assert_eq_int((long)lp_secret_count(), 1);
	/* The password alone, wherever it turns up. */
	assert_eq_str(
	    scrubbed("auth failed for PASSWD123"), "auth failed for ***");
	lp_secret_clear();
}

/* A gateway's key in the query: each value but api-version's. */
TEST(url_query_values_registered)
{
	lp_secret_clear();
	lp_secret_add_url("http://127.0.0.1:8080/v1?api-version=2024-10-21&"
			  "key=s3cretvalue123&flag&x=&code=QSECRET9#frag",
	    0);
	assert_eq_int((long)lp_secret_count(), 2);
	assert_eq_str(scrubbed("API base http://127.0.0.1:8080/v1?api-version="
			       "2024-10-21&key=s3cretvalue123&code=QSECRET9"),
	    "API base http://127.0.0.1:8080/v1?api-version=2024-10-21&key=***"
	    "&code=***");
	lp_secret_clear();
	/* No query, or a '?' only after the fragment: nothing. */
	lp_secret_add_url("http://h.io/v1#?key=s3cretvalue123", 0);
	lp_secret_add_url("http://h.io/v1?", 0);
	assert_eq_int((long)lp_secret_count(), 0);
	lp_secret_clear();
}

TEST(webhook_url)
{
	lp_secret_clear();
	lp_secret_add_url(
	    "https://hooks.slack.com/services/T000/B000/XXXXSECRET", 1);
	assert_eq_str(scrubbed("alert posted to "
			       "https://hooks.slack.com/services/T000/B000/"
			       "XXXXSECRET"),
	    "alert posted to https://hooks.slack.com/***");
	lp_secret_clear();
	/* A path too short to be a secret: nothing to hide. */
	lp_secret_add_url("http://h.io/gone", 1);
	assert_eq_int((long)lp_secret_count(), 0);
	lp_secret_clear();
}

TEST(no_false_positives)
{
	const char *plain[] = {"HTTP 400: bad request",
	    "apple phone case black 1", "Operation timed out after 300 ms",
	    "user@example.com wrote", "http://127.0.0.1:8080/v1/chat",
	    "the token budget (--max-tokens-total) is spent", ""};
	size_t i;

	lp_secret_clear();
	lp_secret_add_key("sk-test-SECRETKEY-0123456789");
	for (i = 0; i < sizeof(plain) / sizeof(*plain); i++)
		assert_eq_str(scrubbed(plain[i]), plain[i]);
	lp_secret_clear();
}

TEST(json_payloads)
{
	json_t *ev;
	char *s;

	lp_secret_clear();
	lp_secret_add_key("sk-test-SECRETKEY-0123456789");
	ev = json_pack("{s:s,s:i,s:[s,s],s:{s:s}}", "error",
	    "HTTP 400: from Bearer sk-test-SECRETKEY-0123456789", "status", 400,
	    "argv", "--api-base", "http://u:pw12@h/", "deep", "k",
	    "...23456789");
	assert_eq_int((long)lp_secret_scrub_json(ev), 3);
	s = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	assert_eq_str(s,
	    "{\"argv\":[\"--api-base\",\"http://u:***@h/\"],\"deep\":{\"k\":"
	    "\"...***\"},\"error\":\"HTTP 400: from Bearer "
	    "***\",\"status\":400}");
	free(s);
	json_decref(ev);
	lp_secret_clear();
}

TEST(buf_appends)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_secret_clear();
	lp_secret_add("hunter2-secret");
	lp_buf_add(&b, "> ", 2);
	assert_eq_int(
	    (long)lp_secret_scrub_buf("a hunter2-secret b", 18, &b), 1);
	assert_eq_mem(b.p, b.len, "> a *** b", 9);
	lp_buf_release(&b);
	lp_secret_clear();
}

RUN_TESTS()
