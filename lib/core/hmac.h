/*
 * HMAC-SHA-256 (RFC 2104 over the SHA-256 of core/hash.h): a keyed digest
 * that nobody without the key can compute or turn back, for pseudonyms
 * and other tokens that must be stable yet unguessable.  No state: the
 * key is used and forgotten (nothing of it is kept after the call).
 */
#ifndef LP_CORE_HMAC_H
#define LP_CORE_HMAC_H

#include <stddef.h>

/*
 * out = HMAC-SHA-256(key[0..keylen), msg[0..len)).  A key longer than the
 * 64-byte block is hashed first, as the RFC says; any key length works,
 * an empty one included.
 */
void lp_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[32]);

#endif
