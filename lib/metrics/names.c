#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/hash.h"
#include "metrics/names.h"

/* The slot of hash (lo, hi): its own, or the empty one it would take. */
static size_t
probe(const struct lp_names *t, uint64_t lo, uint64_t hi)
{
	size_t mask = t->cap - 1, i = (size_t)lo & mask;

	while (t->slots[i].idx != 0 &&
	    (t->slots[i].lo != lo || t->slots[i].hi != hi))
		i = (i + 1) & mask;
	return i;
}

/* Twice the slots (16 at first), every name placed again. */
static void
grow(struct lp_names *t)
{
	struct lp_names_slot *old = t->slots;
	size_t oldcap = t->cap, i;

	t->cap = oldcap ? oldcap * 2 : 16;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (t->slots == NULL)
		abort();
	for (i = 0; i < oldcap; i++)
		if (old[i].idx != 0)
			t->slots[probe(t, old[i].lo, old[i].hi)] = old[i];
	free(old);
}

size_t
lp_names_index(struct lp_names *t, const char *s, size_t len)
{
	uint64_t lo, hi;
	size_t i;

	if (t->n * 2 >= t->cap)
		grow(t);
	lp_hash128(s, len, &lo, &hi);
	i = probe(t, lo, hi);
	if (t->slots[i].idx != 0)
		return t->slots[i].idx - 1;
	/* Names grow by doubling: n has just reached a power of 2. */
	if ((t->n & (t->n - 1)) == 0)
		t->v = lp_xrealloc(t->v, sizeof(*t->v) * (t->n ? t->n * 2 : 1));
	t->v[t->n] = lp_xmalloc(len + 1);
	memcpy(t->v[t->n], s, len);
	t->v[t->n][len] = '\0';
	t->slots[i].lo = lo;
	t->slots[i].hi = hi;
	t->slots[i].idx = (uint32_t)++t->n;
	return t->n - 1;
}

int
lp_names_find(const struct lp_names *t, const char *s, size_t len, size_t *i)
{
	uint64_t lo, hi;
	size_t at;

	if (t->cap == 0)
		return 0;
	lp_hash128(s, len, &lo, &hi);
	at = probe(t, lo, hi);
	if (t->slots[at].idx == 0)
		return 0;
	*i = t->slots[at].idx - 1;
	return 1;
}

void
lp_names_release(struct lp_names *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
