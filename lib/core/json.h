/*
 * Canonical JSON: one exact serialisation of a Jansson value, and a scanner
 * that recognises lines already in that form.
 *
 * Canonical form: no white space outside strings; object members in their
 * stored order; strings as raw UTF-8 with only '"', '\\' and control
 * characters escaped (\b \f \n \r \t, else \u00xx); integers in plain
 * decimal; reals in the shortest form that reads back to the same double,
 * always with a '.' or an exponent (649.99 stays 649.99, 1.0 stays 1.0).
 *
 * The scanner's promise, which the tests and the fuzz target check: when
 * lp_json_scan() accepts a line, Jansson parses it and lp_json_dump() gives
 * back exactly the same bytes.  Anything the scanner is unsure of (escapes,
 * white space, duplicate keys, huge numbers, deep nesting) it declines, and
 * the caller takes the slow path through Jansson.
 */
#ifndef LP_JSON_H
#define LP_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

/* One member of an object: key (without quotes) and value spans. */
struct lp_json_member {
	uint32_t key, keylen;
	uint32_t val, vallen;
};

struct lp_json_members {
	struct lp_json_member *m;
	size_t n, cap;
};

/*
 * json_loadb(p, n, flags, e), faster (flags: JSON_DECODE_ANY and
 * JSON_REJECT_DUPLICATES; others go to Jansson).  Errors are Jansson's own.
 */
json_t *lp_json_load(const char *p, size_t n, size_t flags, json_error_t *e);

/* Append the canonical form of v to b. */
void lp_json_dump(const json_t *v, struct lp_buf *b);
/* Append s[0..n) as a canonical JSON string. */
void lp_json_dump_str(const char *s, size_t n, struct lp_buf *b);
/* Append the canonical form of a real. */
void lp_json_dump_real(double d, struct lp_buf *b);
/*
 * The SHA-256 of v's canonical form, as 64 lower-case hex digits and a NUL
 * in hex: the one digest of a JSON document (a request body, a gate, a
 * taxonomy): the same bytes lp_json_dump() gives, hashed.
 */
void lp_json_digest(const json_t *v, char hex[65]);

/*
 * If p[0..n) is a canonical JSON object, fill ms with its members (offsets
 * into p) and return 1; otherwise 0.
 */
int lp_json_scan(const char *p, size_t n, struct lp_json_members *ms);
/*
 * The same spans for text known to be canonical (made of canonical lines
 * and lp_json_dump() output), without checking it again.
 */
int lp_json_scan_trusted(const char *p, size_t n, struct lp_json_members *ms);
/*
 * The elements of the canonical array p[0..n), one per call: *pos starts
 * at 0; returns 1 with p[*start..*start + *len) the next element, 0 after
 * the last (or when p is not an array).  Trusted text only (a span of a
 * line the scanner accepted): nothing is checked.
 */
int lp_json_array_next(
    const char *p, size_t n, size_t *pos, size_t *start, size_t *len);
/* "an object", "a string", "null" ...: v's kind for messages. */
const char *lp_json_kind(const json_t *v);
/* Find a member by key; NULL if absent. */
const struct lp_json_member *lp_json_find(const char *p,
    const struct lp_json_members *ms, const char *key, size_t keylen);
/*
 * Free the member array.  A zeroed struct lp_json_members is an empty one,
 * ready for use; after release it is that again.
 */
void lp_json_members_release(struct lp_json_members *ms);
/* The value at dotted path ("price.amount") in object v, or NULL. */
json_t *lp_json_path_get(json_t *v, const char *path);
/*
 * Set the value at dotted path in object v (value stolen), making the
 * objects on the way.  LP_OK, or LP_FAILED (value freed) when a part on
 * the way is there and not an object: err (may be NULL) then says
 * "cannot set 'a.b.c': 'a.b' is not an object".
 */
int lp_json_path_set(
    json_t *v, const char *path, json_t *value, struct lp_error *err);

#endif
