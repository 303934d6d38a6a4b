#include <ctype.h>
#include <string.h>

#include "core/status.h"
#include "core/hash.h"
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
	size_t e = i, digits = 0, last = i;

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
	if (digits < 10 || digits > 13)
		return 0;
	/* It must not run on into a word: 07700900123abc is not a phone. */
	if (last < n && word_char((unsigned char)s[last]))
		return 0;
	return last;
}

void
lp_pii_redact(const char *s, size_t n, struct lp_buf *out, long long *emails,
    long long *phones)
{
	size_t i = 0, from = 0, start, end;
	const char *at;

	/* E-mails first: a phone number inside one stays part of it. */
	at = memchr(s, '@', n);
	for (i = at != NULL ? (size_t)(at - s) : n; i < n; i++) {
		if (s[i] == '@' && email_at(s, n, i, &start, &end) &&
		    start >= from) {
			size_t k = from;

			/* Phones in the text before the e-mail. */
			while (k < start) {
				size_t pe = phone_at(s, start, k);

				if (pe > 0) {
					lp_buf_adds(out, "[phone]");
					(*phones)++;
					k = pe;
				} else
					lp_buf_addc(out, s[k++]);
			}
			lp_buf_adds(out, "[email]");
			(*emails)++;
			from = i = end;
		}
	}
	for (i = from; i < n;) {
		size_t pe = phone_at(s, n, i), j;

		if (pe > 0) {
			lp_buf_adds(out, "[phone]");
			(*phones)++;
			i = pe;
			continue;
		}
		/* Copy up to the next byte a phone number can start at. */
		for (j = i + 1;
		     j < n && s[j] != '+' && s[j] != '(' && s[j] != '0'; j++)
			;
		lp_buf_add(out, s + i, j - i);
		i = j;
	}
	if (out->p != NULL)
		out->p[out->len] = '\0';
}

void
lp_pseudonym(const char *key, const char *s, size_t n, char out[19])
{
	unsigned char k[64] = {0}, pad[64], inner[32], mac[32];
	struct lp_sha256 c;
	size_t klen = strlen(key), i;

	/* HMAC (RFC 2104): a long key is hashed first. */
	if (klen > sizeof(k)) {
		lp_sha256_init(&c);
		lp_sha256_update(&c, key, klen);
		lp_sha256_final(&c, k);
	} else
		memcpy(k, key, klen);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	lp_sha256_init(&c);
	lp_sha256_update(&c, pad, 64);
	lp_sha256_update(&c, s, n);
	lp_sha256_final(&c, inner);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	lp_sha256_init(&c);
	lp_sha256_update(&c, pad, 64);
	lp_sha256_update(&c, inner, 32);
	lp_sha256_final(&c, mac);
	out[0] = 'p';
	out[1] = '_';
	for (i = 0; i < 8; i++) {
		out[2 + 2 * i] = "0123456789abcdef"[mac[i] >> 4];
		out[3 + 2 * i] = "0123456789abcdef"[mac[i] & 15];
	}
	out[18] = '\0';
}
