#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "core/buf.h"
#include "text/price.h"

/* Currency marks, longest first where one begins another. */
static const struct {
	const char *mark, *code;
} marks[] = {{"US $", "USD"}, {"US$", "USD"}, {"AU $", "AUD"}, {"AU$", "AUD"},
    {"C $", "CAD"}, {"C$", "CAD"}, {"HK$", "HKD"}, {"\xc2\xa3", "GBP"},
    {"\xe2\x82\xac", "EUR"}, {"$", "USD"}, {"\xc2\xa5", "JPY"}, {"GBP", "GBP"},
    {"EUR", "EUR"}, {"USD", "USD"}, {"CHF", "CHF"}, {"AUD", "AUD"},
    {"CAD", "CAD"}, {"JPY", "JPY"}, {"CNY", "CNY"}, {"HKD", "HKD"},
    {"SEK", "SEK"}, {"PLN", "PLN"}, {"NZD", "NZD"}, {"DKK", "DKK"},
    {"NOK", "NOK"}};

/* The currency whose mark starts at s, and the mark's length. */
static const char *
mark_at(const char *s, size_t n, size_t *len)
{
	size_t i, m;

	for (i = 0; i < sizeof(marks) / sizeof(*marks); i++) {
		m = strlen(marks[i].mark);
		if (m <= n && memcmp(s, marks[i].mark, m) == 0 &&
		    !(isupper((unsigned char)marks[i].mark[0]) && m < n &&
			isalpha((unsigned char)s[m]))) {
			*len = m;
			return marks[i].code;
		}
	}
	return NULL;
}

/*
 * A number at s[0..n): its canonical decimal text into out; the bytes
 * used, or 0.
 */
static size_t
number(const char *s, size_t n, struct lp_buf *out)
{
	size_t i = 0, end, dec = (size_t)-1, j;

	while (i < n &&
	    (isdigit((unsigned char)s[i]) ||
		((s[i] == ',' || s[i] == '.') && i > 0 && i + 1 < n &&
		    isdigit((unsigned char)s[i + 1]))))
		i++;
	if (i == 0)
		return 0;
	end = i;
	/* The decimal mark: the last dot, or a last comma with 1-2 digits. */
	for (j = end; j-- > 0;)
		if (s[j] == '.' || s[j] == ',') {
			if (s[j] == '.' || end - j - 1 <= 2)
				dec = j;
			break;
		}
	if (dec != (size_t)-1 && s[dec] == '.')
		for (j = dec + 1; j < end; j++)
			if (s[j] == ',' || s[j] == '.')
				return 0; /* 1.2,3: not a number */
	lp_buf_reset(out);
	for (j = 0; j < end; j++) {
		if (j == dec)
			lp_buf_addc(out, '.');
		else if (isdigit((unsigned char)s[j]))
			lp_buf_addc(out, s[j]);
	}
	return end;
}

/* One price at s: currency and amount text; bytes used or 0. */
static size_t
one(const char *s, size_t n, const char **cur, struct lp_buf *amount)
{
	size_t i = 0, m, used;
	const char *c;

	while (i < n && s[i] == ' ')
		i++;
	if ((c = mark_at(s + i, n - i, &m)) != NULL) {
		i += m;
		while (i < n && s[i] == ' ')
			i++;
		if ((used = number(s + i, n - i, amount)) == 0)
			return 0;
		*cur = c;
		return i + used;
	}
	if ((used = number(s + i, n - i, amount)) == 0)
		return 0;
	i += used;
	while (i < n && s[i] == ' ')
		i++;
	if ((c = mark_at(s + i, n - i, &m)) == NULL)
		return 0;
	*cur = c;
	return i + m;
}

static json_t *
real(const struct lp_buf *b)
{
	return json_real(strtod(b->p, NULL));
}

/* The separator of a range at text[k]: its end, or 0 if none. */
static size_t
range_sep(const char *text, size_t n, size_t k)
{
	while (k < n && text[k] == ' ')
		k++;
	if (k + 2 <= n && strncmp(text + k, "to", 2) == 0)
		return k + 2;
	if (k < n && text[k] == '-')
		return k + 1;
	if (k + 3 <= n && memcmp(text + k, "\xe2\x80\x93", 3) == 0)
		return k + 3;
	return 0;
}

json_t *
lp_price_parse(const char *text, size_t n)
{
	struct lp_buf a = LP_BUF_INIT, b = LP_BUF_INIT;
	const char *c1 = NULL, *c2 = NULL;
	json_t *out = NULL;
	size_t i, used, k;

	for (i = 0; i < n && (used = one(text + i, n - i, &c1, &a)) == 0; i++)
		;
	if (i >= n)
		goto done;
	i += used;
	/* A range: "to", "-" or an en dash, then a second price. */
	k = range_sep(text, n, i);
	if (k > 0 && one(text + k, n - k, &c2, &b) > 0 && strcmp(c1, c2) == 0) {
		out = json_pack("{s:o,s:o,s:s,s:s%}", "min", real(&a), "max",
		    real(&b), "currency", c1, "text", text, n);
		goto done;
	}
	out = json_pack("{s:o,s:s,s:s%}", "amount", real(&a), "currency", c1,
	    "text", text, n);
done:
	lp_buf_release(&a);
	lp_buf_release(&b);
	return out;
}

/* A bare amount at s[0..n) (spaces around): its end, or 0 if not one. */
static size_t
bare(const char *s, size_t n, struct lp_buf *amount)
{
	size_t i = 0, used;

	while (i < n && s[i] == ' ')
		i++;
	if ((used = number(s + i, n - i, amount)) == 0)
		return 0;
	return i + used;
}

json_t *
lp_price_parse_as(const char *text, size_t n, const char *currency)
{
	struct lp_buf a = LP_BUF_INIT, b = LP_BUF_INIT;
	json_t *out = lp_price_parse(text, n);
	size_t i, k;

	if (out != NULL || currency == NULL)
		return out;
	/* Only a number, or two as a range: "12.50", "10 - 20". */
	if ((i = bare(text, n, &a)) == 0)
		goto done;
	if ((k = range_sep(text, n, i)) > 0) {
		if ((i = bare(text + k, n - k, &b)) == 0)
			goto done;
		for (i += k; i < n && text[i] == ' '; i++)
			;
		if (i == n)
			out = json_pack("{s:o,s:o,s:s,s:b,s:s%}", "min",
			    real(&a), "max", real(&b), "currency", currency,
			    "currency_assumed", 1, "text", text, n);
		goto done;
	}
	while (i < n && text[i] == ' ')
		i++;
	if (i == n)
		out = json_pack("{s:o,s:s,s:b,s:s%}", "amount", real(&a),
		    "currency", currency, "currency_assumed", 1, "text", text,
		    n);
done:
	lp_buf_release(&a);
	lp_buf_release(&b);
	return out;
}

/* eBay's sites and their currencies: by host, and by lp-scrape's names. */
static const struct {
	const char *host, *site, *code;
} sites[] = {{"ebay.co.uk", "ebay-uk", "GBP"}, {"ebay.com", "ebay-us", "USD"},
    {"ebay.de", "ebay-de", "EUR"}, {"ebay.fr", "ebay-fr", "EUR"},
    {"ebay.it", "ebay-it", "EUR"}, {"ebay.es", "ebay-es", "EUR"},
    {"ebay.ie", "ebay-ie", "EUR"}, {"ebay.at", "ebay-at", "EUR"},
    {"ebay.nl", "ebay-nl", "EUR"}, {"ebay.be", "ebay-be", "EUR"},
    {"ebay.com.au", "ebay-au", "AUD"}, {"ebay.ca", "ebay-ca", "CAD"},
    {"ebay.ch", "ebay-ch", "CHF"}, {"ebay.pl", "ebay-pl", "PLN"}};

const char *
lp_price_site_currency(const char *url, const char *site)
{
	const char *h, *e;
	size_t i, n, m;

	if (url != NULL && (h = strstr(url, "://")) != NULL) {
		h += 3;
		for (e = h; *e != '\0' && *e != '/' && *e != ':' && *e != '?';
		     e++)
			;
		n = (size_t)(e - h);
		for (i = 0; i < sizeof(sites) / sizeof(*sites); i++) {
			m = strlen(sites[i].host);
			/* The host, or a name under it (www.ebay.co.uk). */
			if (n >= m &&
			    strncasecmp(e - m, sites[i].host, m) == 0 &&
			    (n == m || e[-(long)m - 1] == '.'))
				return sites[i].code;
		}
	}
	for (i = 0; site != NULL && i < sizeof(sites) / sizeof(*sites); i++)
		if (strcmp(site, sites[i].site) == 0)
			return sites[i].code;
	return NULL;
}
