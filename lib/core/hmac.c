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
lp_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[32])
{
	unsigned char k[64] = {0}, pad[64], inner[32];
	struct lp_sha256 c;
	size_t i;

	/* The key, padded with zeros to a block (hashed when longer). */
	if (keylen > sizeof(k)) {
		lp_sha256_init(&c);
		lp_sha256_update(&c, key, keylen);
		lp_sha256_final(&c, k);
	} else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x36;
	lp_sha256_init(&c);
	lp_sha256_update(&c, pad, sizeof(pad));
	lp_sha256_update(&c, msg, len);
	lp_sha256_final(&c, inner);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x5c;
	lp_sha256_init(&c);
	lp_sha256_update(&c, pad, sizeof(pad));
	lp_sha256_update(&c, inner, sizeof(inner));
	lp_sha256_final(&c, out);
	/* The key's traces do not outlive the call on the stack. */
	wipe(k, sizeof(k));
	wipe(pad, sizeof(pad));
}
