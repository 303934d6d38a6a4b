#define _GNU_SOURCE /* mremap */
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/hash.h"
#include "dedup/keyset.h"

/* The all-zero key marks an empty slot; a real zero key is nudged. */
static struct lp_key128
fix(struct lp_key128 k)
{
	if (k.lo == 0 && k.hi == 0)
		k.lo = 1;
	return k;
}

/*
 * The arrays live in their own anonymous mappings, so growing them is an
 * mremap(2): no copy, and no moment where the old and the new table are
 * both resident.  That keeps the peak near the steady 20-40 bytes a key.
 */
static void *
map_grow(void *p, size_t old, size_t size)
{
	void *q;

	if (p == NULL)
		q = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		q = mremap(p, old, size, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		abort();
	return q; /* new pages of an anonymous mapping read as zero */
}

void
lp_keyset_init(struct lp_keyset *s, int with_values)
{
	s->cap = 1024;
	s->n = 0;
	s->slots = map_grow(NULL, 0, s->cap * sizeof(*s->slots));
	s->vals =
	    with_values ? map_grow(NULL, 0, s->cap * sizeof(*s->vals)) : NULL;
}

static int
empty(const struct lp_keyset *s, size_t i)
{
	return s->slots[i].lo == 0 && s->slots[i].hi == 0;
}

static size_t
find(const struct lp_keyset *s, struct lp_key128 k)
{
	size_t mask = s->cap - 1, i = (size_t)k.lo & mask;

	while (!empty(s, i)) {
		if (s->slots[i].lo == k.lo && s->slots[i].hi == k.hi)
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

/*
 * Double the table and rehash in place.  Slots are visited once, in probe
 * order from an empty slot, so no cluster is entered in its middle.  A key
 * leaves its slot and is put at the first free slot from its new home:
 * for a key homed in the lower half that is at or before the slot it left,
 * or in the upper half, which only fills; keys already placed never sit
 * behind a slot that is emptied later.  A key homed in the upper half whose
 * probe would wrap round into the unfinished lower half waits, and goes in
 * once everything else is placed.
 */
static void
grow(struct lp_keyset *s)
{
	size_t old = s->cap, mask = old * 2 - 1, start, k, i, j, nwait = 0;
	struct lp_key128 *wait = NULL;
	uint32_t *waitv = NULL;

	s->slots = map_grow(
	    s->slots, old * sizeof(*s->slots), old * 2 * sizeof(*s->slots));
	if (s->vals != NULL)
		s->vals = map_grow(s->vals, old * sizeof(*s->vals),
		    old * 2 * sizeof(*s->vals));
	s->cap = old * 2;
	for (start = 0; !empty(s, start); start++)
		;
	for (k = 0; k < old; k++) {
		struct lp_key128 key;
		uint32_t val;

		i = (start + k) & (old - 1);
		if (empty(s, i))
			continue;
		key = s->slots[i];
		val = s->vals != NULL ? s->vals[i] : 0;
		s->slots[i].lo = s->slots[i].hi = 0;
		for (j = (size_t)key.lo & mask; !empty(s, j);
		     j = (j + 1) & mask)
			if (j == mask)
				break;
		if (!empty(s, j) ||
		    (j < old && ((size_t)key.lo & mask) >= old)) {
			wait = lp_xrealloc(wait, (nwait + 1) * sizeof(*wait));
			waitv =
			    lp_xrealloc(waitv, (nwait + 1) * sizeof(*waitv));
			wait[nwait] = key;
			waitv[nwait++] = val;
			continue;
		}
		s->slots[j] = key;
		if (s->vals != NULL)
			s->vals[j] = val;
	}
	for (k = 0; k < nwait; k++) {
		j = find(s, wait[k]);
		s->slots[j] = wait[k];
		if (s->vals != NULL)
			s->vals[j] = waitv[k];
	}
	free(wait);
	free(waitv);
}

int
lp_keyset_add(struct lp_keyset *s, struct lp_key128 k, uint32_t val)
{
	size_t i;

	k = fix(k);
	if (lp_keyset_full(s))
		grow(s);
	i = find(s, k);
	if (!empty(s, i))
		return 0;
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

int
lp_keyset_get(const struct lp_keyset *s, struct lp_key128 k, uint32_t *val)
{
	size_t i = find(s, fix(k));

	if (empty(s, i))
		return 0;
	if (s->vals != NULL)
		*val = s->vals[i];
	return 1;
}

int
lp_keyset_next(const struct lp_keyset *s, size_t *pos, struct lp_key128 *k)
{
	for (; *pos < s->cap; (*pos)++)
		if (!empty(s, *pos)) {
			*k = s->slots[(*pos)++];
			return 1;
		}
	return 0;
}

int
lp_keyset_full(const struct lp_keyset *s)
{
	return (s->n + 1) * 5 > s->cap * 4;
}

size_t
lp_keyset_bytes(const struct lp_keyset *s)
{
	return s->cap * (sizeof(*s->slots) + (s->vals ? sizeof(*s->vals) : 0));
}

void
lp_keyset_release(struct lp_keyset *s)
{
	if (s->slots != NULL)
		munmap(s->slots, s->cap * sizeof(*s->slots));
	if (s->vals != NULL)
		munmap(s->vals, s->cap * sizeof(*s->vals));
	memset(s, 0, sizeof(*s));
}

struct lp_key128
lp_key128_of(const void *p, size_t n)
{
	struct lp_key128 k;

	lp_hash128(p, n, &k.lo, &k.hi);
	return k;
}
