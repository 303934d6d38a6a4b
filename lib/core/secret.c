#define _GNU_SOURCE /* memmem */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/secret.h"

/* The registered secrets, longest first, so a key wins over its ends. */
static char **secrets;
static size_t nsecrets;

void
lp_secret_add(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) < LP_SECRET_MIN)
		return;
	for (i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], s) == 0)
			return;
	secrets = lp_xrealloc(secrets, sizeof(*secrets) * (nsecrets + 1));
	for (i = nsecrets; i > 0 && strlen(secrets[i - 1]) < n; i--)
		secrets[i] = secrets[i - 1];
	secrets[i] = lp_xstrdup(s);
	nsecrets++;
}

/* Register s[0..n). */
static void
add_n(const char *s, size_t n)
{
	char *c = lp_xmalloc(n + 1);

	memcpy(c, s, n);
	c[n] = '\0';
	lp_secret_add(c);
	/* A copy of a secret is wiped before it goes back. */
	memset(c, 0, n);
	free(c);
}

void
lp_secret_add_key(const char *key)
{
	size_t n;

	if (key == NULL)
		return;
	lp_secret_add(key);
	if ((n = strlen(key)) > 8) {
		add_n(key, 8);
		add_n(key + n - 8, 8);
	}
}

/* Where a URL's authority (after "://") ends. */
static size_t
authority_len(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr("/?#\"'<>\\ \t\r\n", p[i]) != NULL)
			break;
	return i;
}

/*
 * The values of the query q (from its '?' to a '#' or the end), but
 * api-version's: a gateway may take its key as "?key=...".
 */
static void
add_query(const char *q)
{
	size_t n, nl;

	if (*q != '?')
		return;
	while (*q == '?' || *q == '&') {
		q++;
		n = strcspn(q, "&#");
		nl = strcspn(q, "=&#");
		if (nl < n && !(nl == 11 && strncmp(q, "api-version", 11) == 0))
			add_n(q + nl + 1, n - nl - 1);
		q += n;
	}
}

void
lp_secret_add_url(const char *url, int whole)
{
	const char *a, *at, *colon, *rest;
	size_t n;

	if (url == NULL || (a = strstr(url, "://")) == NULL)
		return;
	a += 3;
	n = authority_len(a, strlen(a));
	at = memrchr(a, '@', n);
	if (at != NULL) {
		colon = memchr(a, ':', (size_t)(at - a));
		if (colon != NULL)
			add_n(colon + 1, (size_t)(at - colon - 1));
		else
			add_n(a, (size_t)(at - a));
	}
	rest = a + n;
	add_query(rest + strcspn(rest, "?#"));
	if (!whole)
		return;
	if (*rest == '/')
		rest++;
	lp_secret_add(rest);
}

void
lp_secret_clear(void)
{
	size_t i;

	for (i = 0; i < nsecrets; i++) {
		memset(secrets[i], 0, strlen(secrets[i]));
		free(secrets[i]);
	}
	free(secrets);
	secrets = NULL;
	nsecrets = 0;
}

size_t
lp_secret_count(void)
{
	return nsecrets;
}

/*
 * The first URL password (or user-only userinfo) in p[0..n) at or after
 * p: 1 with [*s, *e) what to hide, else 0.
 */
static int
find_userinfo(const char *p, size_t n, size_t *s, size_t *e)
{
	const char *end = p + n, *q = p;
	const char *a, *at, *colon;
	size_t len;

	while ((a = memmem(q, (size_t)(end - q), "://", 3)) != NULL) {
		a += 3;
		len = authority_len(a, (size_t)(end - a));
		at = memrchr(a, '@', len);
		q = a;
		if (at == NULL || at == a)
			continue;
		colon = memchr(a, ':', (size_t)(at - a));
		if (colon != NULL)
			a = colon + 1;
		/* Already hidden, or nothing to hide. */
		if (at == a ||
		    ((size_t)(at - a) == strlen(LP_SECRET_MASK) &&
			memcmp(a, LP_SECRET_MASK, 3) == 0))
			continue;
		*s = (size_t)(a - p);
		*e = (size_t)(at - p);
		return 1;
	}
	return 0;
}

/* The first thing to hide in p[0..n): 1 with [*s, *e), else 0. */
static int
find(const char *p, size_t n, size_t *s, size_t *e)
{
	size_t i, best = n, best_end = n, us, ue;
	const char *m;

	for (i = 0; i < nsecrets; i++) {
		size_t k = strlen(secrets[i]);
		/* Only a match starting before the best so far counts. */
		size_t lim = best < n && best + k - 1 < n ? best + k - 1 : n;

		if ((m = memmem(p, lim, secrets[i], k)) != NULL &&
		    (size_t)(m - p) < best) {
			best = (size_t)(m - p);
			best_end = best + k;
		}
	}
	if (memmem(p, n, "://", 3) != NULL && find_userinfo(p, n, &us, &ue) &&
	    us < best) {
		best = us;
		best_end = ue;
	}
	if (best == n)
		return 0;
	*s = best;
	*e = best_end;
	return 1;
}

size_t
lp_secret_scrub_buf(const char *text, size_t len, struct lp_buf *out)
{
	size_t done = 0, s, e, k = 0;

	while (done < len && find(text + done, len - done, &s, &e)) {
		lp_buf_add(out, text + done, s);
		lp_buf_add(out, LP_SECRET_MASK, strlen(LP_SECRET_MASK));
		done += e;
		k++;
	}
	lp_buf_add(out, text + done, len - done);
	return k;
}

size_t
lp_secret_scrub(char *str, size_t size)
{
	struct lp_buf b = LP_BUF_INIT;
	size_t n = strlen(str), s, e, k;

	if (size == 0 || !find(str, n, &s, &e))
		return 0;
	k = lp_secret_scrub_buf(str, n, &b);
	n = b.len < size ? b.len : size - 1;
	memcpy(str, b.p, n);
	str[n] = '\0';
	lp_buf_release(&b);
	return k;
}

size_t
lp_secret_scrub_json(json_t *v)
{
	struct lp_buf b = LP_BUF_INIT;
	const char *key;
	size_t i, k = 0, s, e;
	json_t *x;

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (!find(json_string_value(v), json_string_length(v), &s, &e))
			return 0;
		k = lp_secret_scrub_buf(
		    json_string_value(v), json_string_length(v), &b);
		json_string_setn(v, b.p, b.len);
		lp_buf_release(&b);
		return k;
	case JSON_OBJECT:
		json_object_foreach (v, key, x)
			k += lp_secret_scrub_json(x);
		return k;
	case JSON_ARRAY:
		json_array_foreach (v, i, x)
			k += lp_secret_scrub_json(x);
		return k;
	default:
		return 0;
	}
}
