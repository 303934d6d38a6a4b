#include <string.h>

#include "core/hash.h"
#include "core/hmac.h"

/* Zero n bytes in a way the compiler may not leave out as a dead store. */
static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

void
lp_hmac_key_init(struct lp_hmac_key *k, const void *key, size_t keylen)
{
	unsigned char block[64] = {0}, pad[64];
	size_t i;

	/* The key, padded with zeros to a block (hashed when longer). */
	if (keylen > sizeof(block)) {
		lp_sha256_init(&k->inner);
		lp_sha256_update(&k->inner, key, keylen);
		lp_sha256_final(&k->inner, block);
	} else if (keylen > 0)
		memcpy(block, key, keylen);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = block[i] ^ 0x36;
	lp_sha256_init(&k->inner);
	lp_sha256_update(&k->inner, pad, sizeof(pad));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = block[i] ^ 0x5c;
	lp_sha256_init(&k->outer);
	lp_sha256_update(&k->outer, pad, sizeof(pad));
	/* The key's traces do not outlive the call on the stack. */
	wipe(block, sizeof(block));
	wipe(pad, sizeof(pad));
}

void
lp_hmac_key_sha256(const struct lp_hmac_key *k, const void *msg, size_t len,
    unsigned char out[32])
{
	struct lp_sha256 c = k->inner;
	unsigned char inner[32];

	lp_sha256_update(&c, msg, len);
	lp_sha256_final(&c, inner);
	c = k->outer;
	lp_sha256_update(&c, inner, sizeof(inner));
	lp_sha256_final(&c, out);
}

void
lp_hmac_key_wipe(struct lp_hmac_key *k)
{
	wipe(k, sizeof(*k));
}

void
lp_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[32])
{
	struct lp_hmac_key k;

	lp_hmac_key_init(&k, key, keylen);
	lp_hmac_key_sha256(&k, msg, len, out);
	lp_hmac_key_wipe(&k);
}
