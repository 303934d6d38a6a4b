/*
 * HMAC-SHA-256 (RFC 2104 over FIPS 180-4 SHA-256, core/hash.h), and key
 * files for it.  A struct lp_hmac holds the two SHA-256 states keyed with
 * the padded key: the key itself is not kept, and the padded copies are
 * wiped before the init returns.  Nothing is allocated; lp_hmac_final()
 * wipes the states, lp_hmac_release() wipes a prepared key.
 *
 * A caller that computes many MACs under one key (a pseudonym per record)
 * initialises once and calls lp_hmac_mac() per message: the padded key
 * blocks are hashed once, so each MAC costs two compressions fewer.  A
 * prepared struct lp_hmac is as secret as the key itself.
 *
 * A key file holds the key's bytes (less one final newline, so that
 * "openssl rand -hex 32 > key" works), at least LP_HMAC_KEY_MIN of them.
 * It must be a regular file readable by its owner only: a key others can
 * read is no secret, and is refused rather than used.
 */
#ifndef LP_CORE_HMAC_H
#define LP_CORE_HMAC_H

#include <stddef.h>

#include "core/error.h"
#include "core/hash.h"

/* The shortest key a key file may hold, in bytes. */
#define LP_HMAC_KEY_MIN 16
/* The longest: a key file past this is not a key. */
#define LP_HMAC_KEY_MAX 4096

struct lp_hmac {
	struct lp_sha256 inner, outer;
};

/* Start an HMAC with key[0..n) (any length; longer keys are hashed). */
void lp_hmac_init(struct lp_hmac *h, const void *key, size_t n);
/* Add p[0..n) to the message. */
void lp_hmac_update(struct lp_hmac *h, const void *p, size_t n);
/* The 32-byte tag of the message; h must be initialised again. */
void lp_hmac_final(struct lp_hmac *h, unsigned char out[32]);
/*
 * The tag of msg[0..len) under the key h was initialised with, leaving h
 * prepared for the next message.
 */
void lp_hmac_mac(const struct lp_hmac *h, const void *msg, size_t len,
    unsigned char out[32]);
/* Wipe a prepared h (the key's traces). */
void lp_hmac_release(struct lp_hmac *h);
/*
 * out = HMAC-SHA-256(key[0..keylen), msg[0..len)): the one-shot form, the
 * key used and forgotten.
 */
void lp_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[32]);
/* The tag of p[0..n) under key[0..keylen), as 64 hex digits and a NUL. */
void lp_hmac_hex(
    const void *key, size_t keylen, const void *p, size_t n, char hex[65]);
/*
 * Whether two hex tags are equal, in a time that does not depend on where
 * they differ.
 */
int lp_hmac_equal(const char *a, const char *b);
/*
 * Read the key file at path into key[0..LP_HMAC_KEY_MAX), its length in
 * *n.  LP_OK; LP_FAILED if the file is not a regular file, is readable
 * or writable by group or others, or holds too short or too long a key
 * (err says which, never what the key is); LP_FATAL if it cannot be read.
 */
int lp_hmac_key_read(
    const char *path, unsigned char *key, size_t *n, struct lp_error *err);
/* Overwrite p[0..n) with zeros in a way the compiler keeps. */
void lp_hmac_wipe(void *p, size_t n);

#endif
