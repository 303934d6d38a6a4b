#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hmac.h"
#include "core/status.h"
#include "test.h"

/*
 * The test vectors of RFC 4231 ("Identifiers and Test Vectors for
 * HMAC-SHA-224, HMAC-SHA-256, HMAC-SHA-384, and HMAC-SHA-512"), section
 * 4, HMAC-SHA-256 column: test cases 1 to 7.  Case 5 is compared on its
 * first 128 bits, as the RFC gives it.
 */
struct vector {
	unsigned char key[131];
	size_t keylen;
	const char *data;
	size_t datalen;
	const char *tag;
};

static void
fill(unsigned char *p, int c, size_t n)
{
	memset(p, c, n);
}

static void
vectors(struct vector *v)
{
	static unsigned char dd[50], cd[50];
	size_t i;

	fill(dd, 0xdd, sizeof(dd));
	fill(cd, 0xcd, sizeof(cd));
	memset(v, 0, sizeof(*v) * 7);
	fill(v[0].key, 0x0b, v[0].keylen = 20);
	v[0].data = "Hi There";
	v[0].tag = "b0344c61d8db38535ca8afceaf0bf12b"
		   "881dc200c9833da726e9376c2e32cff7";
	memcpy(v[1].key, "Jefe", v[1].keylen = 4);
	v[1].data = "what do ya want for nothing?";
	v[1].tag = "5bdcc146bf60754e6a042426089575c7"
		   "5a003f089d2739839dec58b964ec3843";
	fill(v[2].key, 0xaa, v[2].keylen = 20);
	v[2].data = (const char *)dd;
	v[2].datalen = sizeof(dd);
	v[2].tag = "773ea91e36800e46854db8ebd09181a7"
		   "2959098b3ef8c122d9635514ced565fe";
	for (i = 0; i < 25; i++)
		v[3].key[i] = (unsigned char)(i + 1);
	v[3].keylen = 25;
	v[3].data = (const char *)cd;
	v[3].datalen = sizeof(cd);
	v[3].tag = "82558a389a443c0ea4cc819899f2083a"
		   "85f0faa3e578f8077a2e3ff46729665b";
	fill(v[4].key, 0x0c, v[4].keylen = 20);
	v[4].data = "Test With Truncation";
	v[4].tag = "a3b6167473100ee06e0c796c2955552b";
	fill(v[5].key, 0xaa, v[5].keylen = 131);
	v[5].data = "Test Using Larger Than Block-Size Key - Hash Key First";
	v[5].tag = "60e431591ee0b67f0d8a26aacbf5b77f"
		   "8e0bc6213728c5140546040f0ee37f54";
	fill(v[6].key, 0xaa, v[6].keylen = 131);
	v[6].data = "This is a test using a larger than block-size key and "
		    "a larger than block-size data. The key needs to be "
		    "hashed before being used by the HMAC algorithm.";
	v[6].tag = "9b09ffa71b942fcb27635fbcd5b0e944"
		   "bfdc63644f0713938a7f51535c3a35e2";
	for (i = 0; i < 7; i++)
		if (v[i].datalen == 0)
			v[i].datalen = strlen(v[i].data);
}

TEST(rfc4231_vectors)
{
	struct vector v[7];
	char hex[65];
	int i, cpu;

	vectors(v);
	/* With the CPU's SHA instructions and with the portable code. */
	for (cpu = 1; cpu >= 0; cpu--) {
		lp_sha256_use_cpu = cpu;
		for (i = 0; i < 7; i++) {
			lp_hmac_hex(v[i].key, v[i].keylen, v[i].data,
			    v[i].datalen, hex);
			hex[strlen(v[i].tag)] = '\0';
			assert_eq_str(hex, v[i].tag);
		}
	}
	lp_sha256_use_cpu = 1;
}

/* The message fed a byte at a time gives the same tag as in one piece. */
TEST(incremental)
{
	struct vector v[7];
	struct lp_hmac h;
	unsigned char d[32], d2[32];
	size_t i;

	vectors(v);
	lp_hmac_init(&h, v[6].key, v[6].keylen);
	for (i = 0; i < v[6].datalen; i++)
		lp_hmac_update(&h, v[6].data + i, 1);
	lp_hmac_final(&h, d);
	lp_hmac_init(&h, v[6].key, v[6].keylen);
	lp_hmac_update(&h, v[6].data, v[6].datalen);
	lp_hmac_final(&h, d2);
	assert_eq_mem(d, 32, d2, 32);
	assert_eq_int(d[0], 0x9b);
}

TEST(equal)
{
	assert_true(lp_hmac_equal("abc", "abc"));
	assert_true(!lp_hmac_equal("abc", "abd"));
	assert_true(!lp_hmac_equal("abc", "ab"));
}

/* A key file: 0600 only, the final newline dropped, long enough. */
TEST(key_file)
{
	unsigned char key[LP_HMAC_KEY_MAX];
	struct lp_error err = LP_ERROR_INIT;
	char *p = tmpfile_with("0123456789abcdef0123\n", 21);
	size_t n;

	chmod(p, 0600);
	assert_eq_int(lp_hmac_key_read(p, key, &n, &err), LP_OK);
	assert_eq_mem(key, n, "0123456789abcdef0123", (size_t)20);
	chmod(p, 0640);
	assert_eq_int(lp_hmac_key_read(p, key, &n, &err), LP_FAILED);
	assert_true(strstr(err.msg, "is open to others (mode 0640)") != NULL);
	/* The message never holds the key. */
	assert_true(strstr(err.msg, "0123456789") == NULL);
	assert_eq_int(n, 0);
	chmod(p, 0604);
	assert_eq_int(lp_hmac_key_read(p, key, &n, &err), LP_FAILED);
	unlink(p);
	free(p);
	p = tmpfile_with("short\n", 6);
	chmod(p, 0600);
	assert_eq_int(lp_hmac_key_read(p, key, &n, &err), LP_FAILED);
	assert_true(strstr(err.msg, "too short a key (5 bytes") != NULL);
	unlink(p);
	assert_eq_int(lp_hmac_key_read(p, key, &n, &err), LP_FATAL);
	assert_true(strstr(err.msg, "cannot open key file") != NULL);
	assert_eq_int(lp_hmac_key_read("/tmp", key, &n, &err), LP_FAILED);
	/* A FIFO with no writer: refused at once, not waited on. */
	assert_eq_int(mkfifo(p, 0600), 0);
	assert_eq_int(lp_hmac_key_read(p, key, &n, &err), LP_FAILED);
	assert_true(strstr(err.msg, "is not a regular file") != NULL);
	unlink(p);
	free(p);
}

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
	struct lp_hmac k;
	size_t klen[] = {0, 4, 64, 131}, i, j;

	memset(key, 0x5a, sizeof(key));
	for (i = 0; i < 4; i++) {
		lp_hmac_init(&k, key, klen[i]);
		for (j = 0; j < 4; j++) {
			lp_hmac_sha256(
			    key, klen[i], msgs[j], strlen(msgs[j]), a);
			lp_hmac_mac(&k, msgs[j], strlen(msgs[j]), b);
			assert_eq_mem(a, 32, b, 32);
			lp_hmac_mac(&k, msgs[j], strlen(msgs[j]), b);
			assert_eq_mem(a, 32, b, 32);
		}
		lp_hmac_release(&k);
	}
}

RUN_TESTS()
