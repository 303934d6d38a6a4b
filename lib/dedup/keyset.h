/*
 * A set of 128-bit keys (digests of record keys), open addressing with
 * linear probing.  16 bytes a slot at a load between 0.4 and 0.8: 20 to 40
 * bytes a key.  Optionally each key carries a 32-bit value (an index the
 * caller gives meaning to, such as where the kept record's id is stored).
 */
#ifndef LP_KEYSET_H
#define LP_KEYSET_H

#include <stddef.h>
#include <stdint.h>

struct lp_key128 {
	uint64_t lo, hi;
};

struct lp_keyset {
	struct lp_key128 *slots;
	uint32_t *vals; /* NULL unless created with values */
	size_t cap;	/* a power of two */
	size_t n;
};

/* with_values: keep a 32-bit value per key. */
void lp_keyset_init(struct lp_keyset *s, int with_values);
/* Insert k with val: 1 if it was new, 0 if it was there (val unchanged). */
int lp_keyset_add(struct lp_keyset *s, struct lp_key128 k, uint32_t val);
int lp_keyset_has(const struct lp_keyset *s, struct lp_key128 k);
/* 1 with *val set if k is there (values kept), else 0. */
int lp_keyset_get(const struct lp_keyset *s, struct lp_key128 k, uint32_t *val);
/*
 * Walk the keys: start with *pos = 0; 1 with *k set while there are more.
 * Keys come in table order.
 */
int lp_keyset_next(const struct lp_keyset *s, size_t *pos, struct lp_key128 *k);
/* 1 if adding one more new key would double the table. */
int lp_keyset_full(const struct lp_keyset *s);
/* Bytes held by the table. */
size_t lp_keyset_bytes(const struct lp_keyset *s);
void lp_keyset_release(struct lp_keyset *s);

/* The 128-bit key of p[0..n): lp_hash128(). */
struct lp_key128 lp_key128_of(const void *p, size_t n);

#endif
