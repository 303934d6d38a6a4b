#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/hash.h"
#include "dedup/shingle.h"

int
lp_shingling_parse(
    struct lp_shingling *sh, const char *spec, struct lp_error *err)
{
	const char *colon = strchr(spec, ':');
	char *end;
	long k;

	if (colon == NULL)
		return lp_error_set(err, "want words:K or chars:K");
	if ((size_t)(colon - spec) == 5 && strncmp(spec, "words", 5) == 0)
		sh->words = 1;
	else if ((size_t)(colon - spec) == 5 && strncmp(spec, "chars", 5) == 0)
		sh->words = 0;
	else
		return lp_error_set(err, "want words:K or chars:K");
	k = strtol(colon + 1, &end, 10);
	if (*end != '\0' || k < 1 || k > 64)
		return lp_error_set(err, "want words:K or chars:K");
	sh->k = (int)k;
	return LP_OK;
}

void
lp_shingles_raw(
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
			lp_u64s_push(out, lp_hash64(s, n, 0));
		return;
	}
	for (i = 0; i + (size_t)sh->k <= nunits; i++) {
		size_t end = starts[i + (size_t)sh->k];

		/* A word shingle ends before the space that follows it. */
		if (sh->words && end > starts[i] && end < n)
			end--;
		lp_u64s_push(out, lp_hash64(s + starts[i], end - starts[i], 0));
	}
}

void
lp_shingles(
    const struct lp_shingling *sh, const char *s, size_t n, struct lp_u64s *out)
{
	lp_shingles_raw(sh, s, n, out);
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

double
lp_shingle_similarity(const struct lp_shingling *sh, const char *a, size_t na,
    const char *b, size_t nb, struct lp_u64s *sa, struct lp_u64s *sb)
{
	if (na == nb && memcmp(a, b, na) == 0)
		return 1.0;
	lp_shingles(sh, a, na, sa);
	lp_shingles(sh, b, nb, sb);
	return lp_jaccard(sa->v, sa->n, sb->v, sb->n);
}
