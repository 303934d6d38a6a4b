#include <stdlib.h>
#include <string.h>

#include "lp/lp.h"
#include "lp/buf.h"
#include "lp/hash.h"
#include "lp/keyset.h"

/* The all-zero key marks an empty slot; a real zero key is nudged. */
static struct lp_key128
fix(struct lp_key128 k)
{
	if (k.lo == 0 && k.hi == 0)
		k.lo = 1;
	return k;
}

void
lp_keyset_init(struct lp_keyset *s, int with_values)
{
	s->cap = 1024;
	s->n = 0;
	s->slots = calloc(s->cap, sizeof(*s->slots));
	s->vals = with_values ? calloc(s->cap, sizeof(*s->vals)) : NULL;
	if (s->slots == NULL || (with_values && s->vals == NULL))
		abort();
}

static size_t
find(const struct lp_keyset *s, struct lp_key128 k)
{
	size_t mask = s->cap - 1, i = (size_t)k.lo & mask;

	while (s->slots[i].lo != 0 || s->slots[i].hi != 0) {
		if (s->slots[i].lo == k.lo && s->slots[i].hi == k.hi)
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

static void
grow(struct lp_keyset *s)
{
	struct lp_keyset t;
	size_t i;

	t.cap = s->cap * 2;
	t.n = s->n;
	t.slots = calloc(t.cap, sizeof(*t.slots));
	t.vals = s->vals != NULL ? calloc(t.cap, sizeof(*t.vals)) : NULL;
	if (t.slots == NULL || (s->vals != NULL && t.vals == NULL))
		abort();
	for (i = 0; i < s->cap; i++) {
		size_t j;

		if (s->slots[i].lo == 0 && s->slots[i].hi == 0)
			continue;
		j = find(&t, s->slots[i]);
		t.slots[j] = s->slots[i];
		if (t.vals != NULL)
			t.vals[j] = s->vals[i];
	}
	free(s->slots);
	free(s->vals);
	*s = t;
}

int
lp_keyset_add(
    struct lp_keyset *s, struct lp_key128 k, uint32_t val, uint32_t *old)
{
	size_t i;

	k = fix(k);
	if ((s->n + 1) * 5 > s->cap * 4)
		grow(s);
	i = find(s, k);
	if (s->slots[i].lo != 0 || s->slots[i].hi != 0) {
		if (old != NULL && s->vals != NULL)
			*old = s->vals[i];
		return 0;
	}
	s->slots[i] = k;
	if (s->vals != NULL)
		s->vals[i] = val;
	s->n++;
	return 1;
}

int
lp_keyset_has(const struct lp_keyset *s, struct lp_key128 k)
{
	size_t i = find(s, fix(k));

	return s->slots[i].lo != 0 || s->slots[i].hi != 0;
}

size_t
lp_keyset_bytes(const struct lp_keyset *s)
{
	return s->cap * (sizeof(*s->slots) + (s->vals ? sizeof(*s->vals) : 0));
}

void
lp_keyset_release(struct lp_keyset *s)
{
	free(s->slots);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}

struct lp_key128
lp_key128_of(const void *p, size_t n)
{
	struct lp_sha256 c;
	unsigned char d[32];
	struct lp_key128 k;

	lp_sha256_init(&c);
	lp_sha256_update(&c, p, n);
	lp_sha256_final(&c, d);
	memcpy(&k.lo, d, 8);
	memcpy(&k.hi, d + 8, 8);
	return k;
}
