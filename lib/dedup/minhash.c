#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/hash.h"
#include "tool/log.h"
#include "dedup/minhash.h"
#include "tool/cli.h"

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

/*
 * Sort: quicksort with a median of three, insertion sort below 16.  Inline
 * comparisons: shingle sets are small and there is one or two per record,
 * where qsort()'s call per comparison is most of the cost.
 */
static void
sort_u64(uint64_t *v, size_t n)
{
	while (n > 16) {
		size_t i = 0, j = n - 1, m = n / 2;
		uint64_t p, t;

		/* Median of three as the pivot. */
		if (v[m] < v[0]) {
			t = v[m], v[m] = v[0], v[0] = t;
		}
		if (v[j] < v[m]) {
			t = v[j], v[j] = v[m], v[m] = t;
			if (v[m] < v[0]) {
				t = v[m], v[m] = v[0], v[0] = t;
			}
		}
		p = v[m];
		for (;;) {
			while (v[i] < p)
				i++;
			while (p < v[j])
				j--;
			if (i >= j)
				break;
			t = v[i], v[i] = v[j], v[j] = t;
			i++;
			j--;
		}
		/* Recurse into the smaller side, loop on the larger. */
		if (j + 1 < n - j - 1) {
			sort_u64(v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_u64(v + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void
lp_u64s_sort_unique(struct lp_u64s *v)
{
	size_t i, j;

	sort_u64(v->v, v->n);
	for (i = j = 0; i < v->n; i++)
		if (j == 0 || v->v[j - 1] != v->v[i])
			v->v[j++] = v->v[i];
	v->n = j;
}

/* The shingle hashes of s, unsorted and with repeats. */
static void
shingles_raw(
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
}

void
lp_shingles(
    const struct lp_shingling *sh, const char *s, size_t n, struct lp_u64s *out)
{
	shingles_raw(sh, s, n, out);
	lp_u64s_sort_unique(out);
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
 * Permutation p maps x to a_p * x + b_p (mod 2^32) with odd a_p, over the
 * low half of shingle hashes that are already well mixed: one multiply-add
 * per shingle and permutation.  The coefficients are fixed, so signatures
 * are comparable across runs and machines.  Compiled twice where the
 * compiler can (AVX2 and baseline), picked at load time: eight lanes at a
 * time make it about seven times faster.
 */
#define MAX_PERMS 1024

#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define LP_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef LP_CLONES
#define LP_CLONES
#endif

static uint32_t perm_a[MAX_PERMS], perm_b[MAX_PERMS];

LP_CLONES static void
minhash_loop(const uint64_t *set, size_t n, int nperm, uint32_t *sig)
{
	const uint32_t *a = perm_a, *b = perm_b;
	size_t i;
	int p;

	for (p = 0; p < nperm; p++)
		sig[p] = ~0U;
	for (i = 0; i < n; i++) {
		uint32_t x = (uint32_t)set[i];

		for (p = 0; p < nperm; p++) {
			uint32_t h = a[p] * x + b[p];

			sig[p] = h < sig[p] ? h : sig[p];
		}
	}
}

void
lp_minhash(const uint64_t *set, size_t n, int nperm, uint32_t *sig)
{
	int p;

	if (perm_a[0] == 0)
		for (p = 0; p < MAX_PERMS; p++) {
			perm_a[p] = (uint32_t)mix((uint64_t)p * 2 + 1) | 1;
			perm_b[p] = (uint32_t)mix((uint64_t)p * 2 + 2);
		}
	minhash_loop(set, n, nperm > MAX_PERMS ? MAX_PERMS : nperm, sig);
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

void
lp_u64s_release(struct lp_u64s *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

static struct lp_lsh_entry *
lsh_table(size_t cap)
{
	struct lp_lsh_entry *t = calloc(cap, sizeof(*t));

	if (t == NULL)
		lp_errx(LP_EXIT_FAIL, "out of memory (LSH index of %zu MiB)",
		    cap * sizeof(*t) >> 20);
	return t;
}

void
lp_lsh_init(struct lp_lsh *l, int bands, int rows)
{
	l->bands = bands;
	l->rows = rows;
	l->cap = 4096;
	l->n = 0;
	l->t = lsh_table(l->cap);
}

/*
 * A band key: the band's rows folded two at a time, then mixed.  The band
 * number goes in first, so equal rows in different bands differ.
 */
void
lp_lsh_keys(const struct lp_lsh *l, const uint32_t *sig, uint64_t *keys)
{
	int b, r;

	for (b = 0; b < l->bands; b++) {
		const uint32_t *row = sig + (size_t)b * (size_t)l->rows;
		uint64_t h = (uint64_t)b * 0x9e3779b97f4a7c15ULL;

		for (r = 0; r < l->rows; r++) {
			h = (h ^ row[r]) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		keys[b] = mix(h);
	}
}

/*
 * The slot comes from the fingerprint alone, so the table can grow without
 * the full keys.
 */
static uint32_t
fingerprint(uint64_t key)
{
	uint32_t fp = (uint32_t)(key >> 32);

	return fp != 0 ? fp : 1;
}

static size_t
slot_of(uint32_t fp, size_t cap)
{
	return (size_t)(fp * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

static void
lsh_put(struct lp_lsh_entry *t, size_t cap, uint32_t fp, uint32_t id)
{
	size_t i = slot_of(fp, cap);

	while (t[i].fp != 0)
		i = (i + 1) & (cap - 1);
	t[i].fp = fp;
	t[i].id = id;
}

void
lp_lsh_add(struct lp_lsh *l, const uint64_t *keys, uint32_t id)
{
	int b;

	/* Grow past a load of 0.8: unsuccessful probes stay short. */
	if ((l->n + (size_t)l->bands) * 5 > l->cap * 4) {
		size_t cap = l->cap * 2, i;
		struct lp_lsh_entry *t = lsh_table(cap);

		for (i = 0; i < l->cap; i++)
			if (l->t[i].fp != 0)
				lsh_put(t, cap, l->t[i].fp, l->t[i].id);
		free(l->t);
		l->t = t;
		l->cap = cap;
	}
	for (b = 0; b < l->bands; b++)
		lsh_put(l->t, l->cap, fingerprint(keys[b]), id);
	l->n += (size_t)l->bands;
}

void
lp_lsh_query(const struct lp_lsh *l, const uint64_t *keys, struct lp_u64s *out)
{
	size_t i;
	int b;

	/* Ask for every band's slot before probing any: the misses overlap. */
	for (b = 0; b < l->bands; b++)
		PREFETCH(&l->t[slot_of(fingerprint(keys[b]), l->cap)]);
	out->n = 0;
	for (b = 0; b < l->bands; b++) {
		uint32_t fp = fingerprint(keys[b]);

		for (i = slot_of(fp, l->cap); l->t[i].fp != 0;
		     i = (i + 1) & (l->cap - 1))
			if (l->t[i].fp == fp)
				push(out, l->t[i].id);
	}
	lp_u64s_sort_unique(out);
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
	nd->keys = lp_xmalloc(sizeof(*nd->keys) * (size_t)bands);
}

/* Similarity of the current text to kept item id. */
static double
verify(struct lp_near *nd, uint64_t id)
{
	size_t start = (size_t)nd->offs.v[id];
	size_t end =
	    id + 1 < nd->offs.n ? (size_t)nd->offs.v[id + 1] : nd->text.len;

	if (!nd->cur_sorted) {
		lp_u64s_sort_unique(&nd->cur);
		nd->cur_sorted = 1;
	}
	lp_shingles(&nd->sh, nd->text.p + start, end - start, &nd->other);
	nd->checked++;
	return lp_jaccard(nd->cur.v, nd->cur.n, nd->other.v, nd->other.n);
}

/* Shingles, signature and band keys of text, as the current text. */
static void
sketch(struct lp_near *nd, const char *text, size_t n)
{
	nd->cur_text = text;
	nd->cur_len = n;
	nd->cur_sorted = 0;
	/* Repeated shingles do not change a minimum: sort only to verify. */
	shingles_raw(&nd->sh, text, n, &nd->cur);
	lp_minhash(nd->cur.v, nd->cur.n, nd->nperm, nd->sig);
	lp_lsh_keys(&nd->lsh, nd->sig, nd->keys);
}

int
lp_near_find(
    struct lp_near *nd, const char *text, size_t n, uint32_t *id, double *sim)
{
	size_t i;

	sketch(nd, text, n);
	lp_lsh_query(&nd->lsh, nd->keys, &nd->cand);
	/*
	 * Candidates come in id order: the earliest kept item that reaches
	 * the threshold is the one, without looking further.
	 */
	for (i = 0; i < nd->cand.n; i++) {
		double j = verify(nd, nd->cand.v[i]);

		if (j >= nd->threshold) {
			*id = (uint32_t)nd->cand.v[i];
			*sim = j;
			return 1;
		}
	}
	return 0;
}

void
lp_near_find_all(struct lp_near *nd, const char *text, size_t n,
    struct lp_u64s *ids, double *first_sim)
{
	size_t i;

	sketch(nd, text, n);
	lp_lsh_query(&nd->lsh, nd->keys, &nd->cand);
	ids->n = 0;
	for (i = 0; i < nd->cand.n; i++) {
		double j = verify(nd, nd->cand.v[i]);

		if (j >= nd->threshold) {
			if (ids->n == 0)
				*first_sim = j;
			push(ids, nd->cand.v[i]);
		}
	}
}

uint32_t
lp_near_add(struct lp_near *nd)
{
	uint32_t id = (uint32_t)nd->offs.n;

	push(&nd->offs, (uint64_t)nd->text.len);
	lp_buf_add(&nd->text, nd->cur_text, nd->cur_len);
	lp_lsh_add(&nd->lsh, nd->keys, id);
	return id;
}

uint32_t
lp_near_insert(struct lp_near *nd, const char *text, size_t n)
{
	sketch(nd, text, n);
	return lp_near_add(nd);
}

size_t
lp_near_bytes(const struct lp_near *nd)
{
	return lp_lsh_bytes(&nd->lsh) + nd->text.cap + nd->offs.cap * 8;
}

void
lp_near_release(struct lp_near *nd)
{
	lp_lsh_release(&nd->lsh);
	lp_buf_release(&nd->text);
	lp_u64s_release(&nd->offs);
	lp_u64s_release(&nd->cur);
	lp_u64s_release(&nd->other);
	lp_u64s_release(&nd->cand);
	free(nd->sig);
	free(nd->keys);
	nd->sig = NULL;
	nd->keys = NULL;
}
