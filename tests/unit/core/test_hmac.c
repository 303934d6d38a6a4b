/* HMAC-SHA-256 against the test vectors of RFC 4231. */
#include <string.h>

#include "core/hmac.h"
#include "test.h"

/* The MAC of msg under key, as lowercase hex (the first n bytes). */
static const char *
mac_hex(const void *key, size_t keylen, const char *msg, size_t n)
{
	static char hex[65];
	unsigned char out[32];
	size_t i;

	lp_hmac_sha256(key, keylen, msg, strlen(msg), out);
	for (i = 0; i < n; i++) {
		hex[2 * i] = "0123456789abcdef"[out[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[out[i] & 15];
	}
	hex[2 * n] = '\0';
	return hex;
}

TEST(rfc4231_short_keys)
{
	unsigned char k[25];
	char data[51];
	size_t i;

	memset(k, 0x0b, 20);
	assert_eq_str(mac_hex(k, 20, "Hi There", 32),
	    "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	assert_eq_str(mac_hex("Jefe", 4, "what do ya want for nothing?", 32),
	    "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	memset(k, 0xaa, 20);
	memset(data, 0xdd, 50);
	data[50] = '\0';
	assert_eq_str(mac_hex(k, 20, data, 32),
	    "773ea91e36800e46854db8ebd09181a7"
	    "2959098b3ef8c122d9635514ced565fe");
	for (i = 0; i < 25; i++)
		k[i] = (unsigned char)(i + 1);
	memset(data, 0xcd, 50);
	assert_eq_str(mac_hex(k, 25, data, 32),
	    "82558a389a443c0ea4cc819899f2083a"
	    "85f0faa3e578f8077a2e3ff46729665b");
	/* Test case 5 checks the first 128 bits only. */
	memset(k, 0x0c, 20);
	assert_eq_str(mac_hex(k, 20, "Test With Truncation", 16),
	    "a3b6167473100ee06e0c796c2955552b");
}

TEST(rfc4231_long_key_hashed_first)
{
	unsigned char k[131];

	memset(k, 0xaa, sizeof(k));
	assert_eq_str(mac_hex(k, sizeof(k),
			  "Test Using Larger Than Block-Size Key - Hash Key "
			  "First",
			  32),
	    "60e431591ee0b67f0d8a26aacbf5b77f"
	    "8e0bc6213728c5140546040f0ee37f54");
	assert_eq_str(mac_hex(k, sizeof(k),
			  "This is a test using a larger than block-size key "
			  "and a larger than block-size data. The key needs "
			  "to be hashed before being used by the HMAC "
			  "algorithm.",
			  32),
	    "9b09ffa71b942fcb27635fbcd5b0e944"
	    "bfdc63644f0713938a7f51535c3a35e2");
}

TEST(empty_key_and_message)
{
	/* HMAC-SHA-256 of "" under "" (a well-known value). */
	assert_eq_str(mac_hex("", 0, "", 32),
	    "b613679a0814d9ec772f95d778c35fc5"
	    "ff1697c493715653c6c712144292c5ad");
}

/* A prepared key gives the one-shot MAC, again and again. */
TEST(prepared_key)
{
	static const char *const msgs[] = {"", "Hi There", "seller_a",
	    "a message longer than one block of sixty-four bytes, to be sure"};
	unsigned char key[131], a[32], b[32];
	struct lp_hmac_key k;
	size_t klen[] = {0, 4, 64, 131}, i, j;

	memset(key, 0x5a, sizeof(key));
	for (i = 0; i < 4; i++) {
		lp_hmac_key_init(&k, key, klen[i]);
		for (j = 0; j < 4; j++) {
			lp_hmac_sha256(
			    key, klen[i], msgs[j], strlen(msgs[j]), a);
			lp_hmac_key_sha256(&k, msgs[j], strlen(msgs[j]), b);
			assert_eq_mem(a, 32, b, 32);
			lp_hmac_key_sha256(&k, msgs[j], strlen(msgs[j]), b);
			assert_eq_mem(a, 32, b, 32);
		}
		lp_hmac_key_wipe(&k);
	}
}

RUN_TESTS()
