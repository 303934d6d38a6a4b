#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp/lp.h"
#include "lp/buf.h"
#include "lp/hash.h"
#include "lp/minhash.h"

int
lp_shingling_parse(struct lp_shingling *sh, const char *spec)
{
	const char *colon = strchr(spec, ':');
	char *end;
	long k;

	if (colon == NULL)
		return LP_FAILED;
	if ((size_t)(colon - spec) == 5 && strncmp(spec, "words", 5) == 0)
		sh->words = 1;
	else if ((size_t)(colon - spec) == 5 && strncmp(spec, "chars", 5) == 0)
		sh->words = 0;
	else
		return LP_FAILED;
	k = strtol(colon + 1, &end, 10);
	if (*end != '\0' || k < 1 || k > 64)
		return LP_FAILED;
	sh->k = (int)k;
	return LP_OK;
}

static void
push(struct lp_u64s *out, uint64_t h)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 64;
		out->v = lp_xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	out->v[out->n++] = h;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort and drop repeats, so sets can be merged. */
static void
sort_unique(struct lp_u64s *v)
{
	size_t i, j;

	if (v->n > 1)
		qsort(v->v, v->n, sizeof(*v->v), cmp_u64);
	for (i = j = 0; i < v->n; i++)
		if (j == 0 || v->v[j - 1] != v->v[i])
			v->v[j++] = v->v[i];
	v->n = j;
}

void
lp_shingles(
    const struct lp_shingling *sh, const char *s, size_t n, struct lp_u64s *out)
{
	size_t starts[1024], nunits = 0, i;

	out->n = 0;
	/* Unit starts: words (after a space) or code points (lead bytes). */
	for (i = 0; i < n && nunits < sizeof(starts) / sizeof(*starts) - 1;
	     i++) {
		if (sh->words ? (i == 0 || s[i - 1] == ' ') && s[i] != ' '
			      : ((unsigned char)s[i] & 0xc0) != 0x80)
			starts[nunits++] = i;
	}
	starts[nunits] = n;
	if (nunits <= (size_t)sh->k) {
		if (n > 0)
			push(out, lp_hash64(s, n, 0));
		return;
	}
	for (i = 0; i + (size_t)sh->k <= nunits; i++) {
		size_t end = starts[i + (size_t)sh->k];

		/* A word shingle ends before the space that follows it. */
		if (sh->words && end > starts[i] && end < n)
			end--;
		push(out, lp_hash64(s + starts[i], end - starts[i], 0));
	}
	sort_unique(out);
}

double
lp_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0, both = 0;

	if (na == 0 && nb == 0)
		return 1.0;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			both++;
			i++;
			j++;
		} else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return (double)both / (double)(na + nb - both);
}

/* A strong 64-bit mix: each permutation is mix(x ^ seed_i). */
static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Permutation p maps x to a_p * x + b_p (mod 2^64) with odd a_p: one
 * multiply-add per shingle and permutation, over shingle hashes that are
 * already well mixed.  The coefficients are fixed, so signatures are
 * comparable across runs.
 */
#define MAX_PERMS 1024

void
lp_minhash(const uint64_t *set, size_t n, int nperm, uint64_t *sig)
{
	static uint64_t a[MAX_PERMS], b[MAX_PERMS];
	int p;
	size_t i;

	if (a[0] == 0)
		for (p = 0; p < MAX_PERMS; p++) {
			a[p] = mix((uint64_t)p * 2 + 1) | 1;
			b[p] = mix((uint64_t)p * 2 + 2);
		}
	if (nperm > MAX_PERMS)
		nperm = MAX_PERMS;
	for (p = 0; p < nperm; p++)
		sig[p] = ~0ULL;
	for (i = 0; i < n; i++) {
		uint64_t x = set[i];

		for (p = 0; p < nperm; p++) {
			uint64_t h = a[p] * x + b[p];

			if (h < sig[p])
				sig[p] = h;
		}
	}
}

double
lp_lsh_prob(double j, int bands, int rows)
{
	return 1.0 - pow(1.0 - pow(j, rows), bands);
}

double
lp_lsh_plan(double threshold, int nperm, int *bands, int *rows)
{
	int r;

	/* The most rows (fewest stray candidates) that still find the pairs. */
	for (r = nperm; r >= 1; r--) {
		int b = nperm / r;

		if (lp_lsh_prob(threshold, b, r) >= 0.995) {
			*bands = b;
			*rows = r;
			return lp_lsh_prob(threshold, b, r);
		}
	}
	*bands = nperm;
	*rows = 1;
	return lp_lsh_prob(threshold, nperm, 1);
}

uint64_t
lp_lsh_band(const uint64_t *sig, int b, int rows)
{
	return lp_hash64(sig + (size_t)b * (size_t)rows,
	    (size_t)rows * sizeof(*sig), (uint64_t)b);
}

void
lp_u64s_release(struct lp_u64s *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

void
lp_lsh_init(struct lp_lsh *l, int bands, int rows)
{
	l->bands = bands;
	l->rows = rows;
	l->cap = 4096;
	l->n = 0;
	if ((l->t = calloc(l->cap, sizeof(*l->t))) == NULL)
		abort();
}

static void
lsh_put(struct lp_lsh_entry *t, size_t cap, uint64_t key, uint32_t id)
{
	size_t i = (size_t)key & (cap - 1);

	while (t[i].key != 0)
		i = (i + 1) & (cap - 1);
	t[i].key = key;
	t[i].id = id;
}

static uint64_t
band_key(const uint64_t *sig, int b, int rows)
{
	uint64_t k = lp_lsh_band(sig, b, rows);

	return k != 0 ? k : 1;
}

void
lp_lsh_add(struct lp_lsh *l, const uint64_t *sig, uint32_t id)
{
	int b;

	if ((l->n + (size_t)l->bands) * 4 > l->cap * 3) {
		size_t cap = l->cap * 2, i;
		struct lp_lsh_entry *t = calloc(cap, sizeof(*t));

		if (t == NULL)
			abort();
		for (i = 0; i < l->cap; i++)
			if (l->t[i].key != 0)
				lsh_put(t, cap, l->t[i].key, l->t[i].id);
		free(l->t);
		l->t = t;
		l->cap = cap;
	}
	for (b = 0; b < l->bands; b++)
		lsh_put(l->t, l->cap, band_key(sig, b, l->rows), id);
	l->n += (size_t)l->bands;
}

void
lp_lsh_query(const struct lp_lsh *l, const uint64_t *sig, struct lp_u64s *out)
{
	size_t i;
	int b;

	out->n = 0;
	for (b = 0; b < l->bands; b++) {
		uint64_t key = band_key(sig, b, l->rows);

		for (i = (size_t)key & (l->cap - 1); l->t[i].key != 0;
		     i = (i + 1) & (l->cap - 1))
			if (l->t[i].key == key)
				push(out, l->t[i].id);
	}
	sort_unique(out);
}

size_t
lp_lsh_bytes(const struct lp_lsh *l)
{
	return l->cap * sizeof(*l->t);
}

void
lp_lsh_release(struct lp_lsh *l)
{
	free(l->t);
	l->t = NULL;
	l->cap = l->n = 0;
}

void
lp_near_init(struct lp_near *nd, const struct lp_shingling *sh,
    double threshold, int nperm)
{
	int bands, rows;

	memset(nd, 0, sizeof(*nd));
	nd->sh = *sh;
	nd->threshold = threshold;
	nd->nperm = nperm;
	nd->sig = lp_xmalloc(sizeof(*nd->sig) * (size_t)nperm);
	lp_lsh_plan(threshold, nperm, &bands, &rows);
	lp_lsh_init(&nd->lsh, bands, rows);
}

int
lp_near_find(
    struct lp_near *nd, const char *text, size_t n, uint32_t *id, double *sim)
{
	double best = -1;
	size_t i;

	lp_shingles(&nd->sh, text, n, &nd->cur);
	lp_minhash(nd->cur.v, nd->cur.n, nd->nperm, nd->sig);
	lp_lsh_query(&nd->lsh, nd->sig, &nd->cand);
	for (i = 0; i < nd->cand.n; i++) {
		uint64_t o = nd->offs.v[nd->cand.v[i]];
		size_t cn = (size_t)(o & 0xffff);
		double j;

		/* J <= min/max of the sizes: skip what cannot reach it. */
		if ((double)(cn < nd->cur.n ? cn : nd->cur.n) <
		    nd->threshold * (double)(cn > nd->cur.n ? cn : nd->cur.n))
			continue;
		j = lp_jaccard(
		    nd->cur.v, nd->cur.n, nd->arena.v + (o >> 16), cn);

		nd->checked++;
		/*
		 * Candidates come in id order: the earliest kept item that
		 * reaches the threshold is the one, without looking further.
		 */
		if (j > best) {
			best = j;
			*id = (uint32_t)nd->cand.v[i];
			if (j >= nd->threshold)
				break;
		}
	}
	if (best >= nd->threshold) {
		*sim = best;
		return 1;
	}
	return 0;
}

uint32_t
lp_near_add(struct lp_near *nd)
{
	uint32_t id = (uint32_t)nd->offs.n;
	size_t count = nd->cur.n > 0xffff ? 0xffff : nd->cur.n, i;

	push(&nd->offs, (uint64_t)nd->arena.n << 16 | count);
	for (i = 0; i < count; i++)
		push(&nd->arena, nd->cur.v[i]);
	lp_lsh_add(&nd->lsh, nd->sig, id);
	return id;
}

size_t
lp_near_bytes(const struct lp_near *nd)
{
	return lp_lsh_bytes(&nd->lsh) + nd->arena.cap * 8 + nd->offs.cap * 8;
}

void
lp_near_release(struct lp_near *nd)
{
	lp_lsh_release(&nd->lsh);
	lp_u64s_release(&nd->arena);
	lp_u64s_release(&nd->offs);
	lp_u64s_release(&nd->cur);
	lp_u64s_release(&nd->cand);
	free(nd->sig);
	nd->sig = NULL;
}
