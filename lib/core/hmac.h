/*
 * HMAC-SHA-256 (RFC 2104 over the SHA-256 of core/hash.h): a keyed digest
 * that nobody without the key can compute or turn back, for pseudonyms
 * and other tokens that must be stable yet unguessable.
 *
 * lp_hmac_sha256() is the one-shot form: the key is used and forgotten.
 * A caller that computes many MACs under one key (a pseudonym per record)
 * prepares the key once with lp_hmac_key_init(), which hashes the padded
 * key blocks ahead: each MAC then costs two compressions fewer.  A
 * prepared key is as secret as the key itself; lp_hmac_key_wipe() clears
 * it.
 */
#ifndef LP_CORE_HMAC_H
#define LP_CORE_HMAC_H

#include <stddef.h>

#include "core/hash.h"

/* A key prepared for many MACs: the digests after its padded blocks. */
struct lp_hmac_key {
	struct lp_sha256 inner, outer;
};

/*
 * out = HMAC-SHA-256(key[0..keylen), msg[0..len)).  A key longer than the
 * 64-byte block is hashed first, as the RFC says; any key length works,
 * an empty one included.
 */
void lp_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[32]);
/* Prepare key[0..keylen) in k (nothing to release; see the wipe). */
void lp_hmac_key_init(struct lp_hmac_key *k, const void *key, size_t keylen);
/* out = HMAC-SHA-256 of msg[0..len) under the prepared key k. */
void lp_hmac_key_sha256(const struct lp_hmac_key *k, const void *msg,
    size_t len, unsigned char out[32]);
/* Forget the prepared key. */
void lp_hmac_key_wipe(struct lp_hmac_key *k);

#endif
