#include <ctype.h>
#include <string.h>

#include "core/status.h"
#include "core/hmac.h"
#include "text/pii.h"

static int
word_char(int c)
{
	return isalnum(c) || c >= 0x80;
}

static int
local_char(int c)
{
	return isalnum(c) || strchr("._%+-", c) != NULL;
}

/* An e-mail around the @ at s[at]: its start and end, or 0. */
static int
email_at(const char *s, size_t n, size_t at, size_t *start, size_t *end)
{
	size_t b = at, e = at + 1, lastdot = 0, tld;

	while (b > 0 && local_char((unsigned char)s[b - 1]))
		b--;
	if (b == at)
		return 0;
	while (e < n &&
	    (isalnum((unsigned char)s[e]) || s[e] == '-' ||
		(s[e] == '.' && e + 1 < n &&
		    isalnum((unsigned char)s[e + 1])))) {
		if (s[e] == '.')
			lastdot = e;
		e++;
	}
	if (lastdot == 0)
		return 0;
	for (tld = lastdot + 1; tld < e; tld++)
		if (!isalpha((unsigned char)s[tld]))
			return 0;
	if (e - lastdot - 1 < 2)
		return 0;
	*start = b;
	*end = e;
	return 1;
}

/* A phone number starting at s[i]: its end, or 0. */
static size_t
phone_at(const char *s, size_t n, size_t i)
{
	size_t e = i, digits = 0, last = i, most = 13;

	if (i > 0 && (word_char((unsigned char)s[i - 1]) || s[i - 1] == '+'))
		return 0;
	if (s[i] != '+' && s[i] != '(' && s[i] != '0')
		return 0;
	if (s[i] == '+' || s[i] == '(')
		e++;
	while (e < n &&
	    (isdigit((unsigned char)s[e]) ||
		(strchr(" .-()", s[e]) != NULL && s[e] != '\0'))) {
		if (isdigit((unsigned char)s[e])) {
			digits++;
			last = e + 1;
		}
		e++;
	}
	/*
	 * E.164 allows 15 digits after the "+" (or the "00" that dials
	 * out of the UK); a national number has at most 13.
	 */
	if (s[i] == '+')
		most = 15;
	else if (s[i] == '0' && i + 1 < n && s[i + 1] == '0')
		most = 17;
	if (digits < 10 || digits > most)
		return 0;
	/* It must not run on into a word: 07700900123abc is not a phone. */
	if (last < n && word_char((unsigned char)s[last]))
		return 0;
	return last;
}

/* The first e-mail of s[0..n) that starts at or after from, or 0. */
static int
next_email(const char *s, size_t n, size_t from, size_t *start, size_t *end)
{
	const char *at = memchr(s + from, '@', n - from);

	while (at != NULL) {
		size_t i = (size_t)(at - s);

		if (email_at(s, n, i, start, end) && *start >= from)
			return 1;
		at = i + 1 < n ? memchr(s + i + 1, '@', n - i - 1) : NULL;
	}
	return 0;
}

enum lp_pii_kind
lp_pii_next(const char *s, size_t n, size_t from, size_t *start, size_t *end)
{
	size_t es, ee, lim = n, k, pe;
	int email = from < n && next_email(s, n, from, &es, &ee);

	/* A phone number before the e-mail ends where the e-mail starts. */
	if (email)
		lim = es;
	for (k = from; k < lim; k++) {
		if (s[k] != '+' && s[k] != '(' && s[k] != '0')
			continue;
		if ((pe = phone_at(s, lim, k)) > 0) {
			*start = k;
			*end = pe;
			return LP_PII_PHONE;
		}
	}
	if (!email)
		return LP_PII_NONE;
	*start = es;
	*end = ee;
	return LP_PII_EMAIL;
}

const char *
lp_pii_token(enum lp_pii_kind kind)
{
	return kind == LP_PII_EMAIL ? "[email]" : "[phone]";
}

long long
lp_pii_redact_spans(const char *s, size_t n, struct lp_buf *out,
    long long *emails, long long *phones, lp_pii_span_fn *span, void *arg)
{
	size_t from = 0, start, end;
	enum lp_pii_kind kind;
	long long found = 0;

	while ((kind = lp_pii_next(s, n, from, &start, &end)) != LP_PII_NONE) {
		lp_buf_add(out, s + from, start - from);
		lp_buf_adds(out, lp_pii_token(kind));
		if (kind == LP_PII_EMAIL)
			(*emails)++;
		else
			(*phones)++;
		if (span != NULL)
			span(arg, kind, start, end);
		found++;
		from = end;
	}
	lp_buf_add(out, s + from, n - from);
	if (out->p != NULL)
		out->p[out->len] = '\0';
	return found;
}

void
lp_pii_redact(const char *s, size_t n, struct lp_buf *out, long long *emails,
    long long *phones)
{
	lp_pii_redact_spans(s, n, out, emails, phones, NULL, NULL);
}

/* "p_" and the first 8 bytes of mac in hex. */
static void
token(const unsigned char mac[32], char out[19])
{
	size_t i;

	out[0] = 'p';
	out[1] = '_';
	for (i = 0; i < 8; i++) {
		out[2 + 2 * i] = "0123456789abcdef"[mac[i] >> 4];
		out[3 + 2 * i] = "0123456789abcdef"[mac[i] & 15];
	}
	out[18] = '\0';
}

void
lp_pseudonym(
    const void *key, size_t keylen, const char *s, size_t n, char out[19])
{
	unsigned char mac[32];

	lp_hmac_sha256(key, keylen, s, n, mac);
	token(mac, out);
}

void
lp_pseudonym_with(
    const struct lp_hmac *k, const char *s, size_t n, char out[19])
{
	unsigned char mac[32];

	lp_hmac_mac(k, s, n, mac);
	token(mac, out);
}

int
lp_pseudonym_is(const char *s, size_t n)
{
	size_t i;

	if (n != 18 || s[0] != 'p' || s[1] != '_')
		return 0;
	for (i = 2; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] < 'a' || s[i] > 'f'))
			return 0;
	return 1;
}
