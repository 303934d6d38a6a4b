/*
 * Digests.  SHA-256 for everything that must hold up to scrutiny (the audit
 * chain, request and config digests); a fast 64-bit hash for tables.
 */
#ifndef LP_HASH_H
#define LP_HASH_H

#include <stddef.h>
#include <stdint.h>

struct lp_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char block[64];
	size_t fill;
};

/*
 * Use the CPU's SHA instructions where it has them (1, the default); the
 * tests set 0 to check the portable code on the same machine.
 */
extern int lp_sha256_use_cpu;

/* Start a digest (no allocation: nothing to release). */
void lp_sha256_init(struct lp_sha256 *c);
/* Add p[0..n) to the digest. */
void lp_sha256_update(struct lp_sha256 *c, const void *p, size_t n);
/* The 32-byte digest of everything added; c must be initialised again. */
void lp_sha256_final(struct lp_sha256 *c, unsigned char out[32]);
/* Final, as 64 lowercase hex digits and a NUL. */
void lp_sha256_final_hex(struct lp_sha256 *c, char hex[65]);
/* Hex digest of p[0..n) into hex[65]. */
void lp_sha256_hex(const void *p, size_t n, char hex[65]);

/* FNV-1a folded through a 64-bit finaliser: quick, not for adversaries. */
uint64_t lp_hash64(const void *p, size_t n, uint64_t seed);
/*
 * A 128-bit hash of p[0..n), eight bytes at a time in two lanes with
 * different multipliers and a cross-mixed finish: about ten times as fast
 * as SHA-256 on short keys, with the same 2^-64 birthday bound for keys
 * that nobody chose to collide.  Byte order dependent: for memory, not
 * for files.
 */
void lp_hash128(const void *p, size_t n, uint64_t *lo, uint64_t *hi);

#endif
