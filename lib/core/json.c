#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "core/hash.h"
#include "core/utf8.h"

/* Deeper documents are left to Jansson. */
#define SCAN_MAX_DEPTH 64
/* Nested objects with more keys than this are left to Jansson. */
#define SCAN_MAX_KEYS 64

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Bytes of w equal to c, as their high bits (exact, no false hits). */
static uint64_t
bytes_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (ONES * c);

	return ~(((x & ~HIGHS) + ~HIGHS) | x) & HIGHS;
}

/* Bytes of w that a JSON string must escape ('"', '\\', controls). */
static uint64_t
escapes(uint64_t w)
{
	/* A control: high bit clear, and its low bits + 0x60 keep it so. */
	return bytes_eq(w, '"') | bytes_eq(w, '\\') |
	    (~(((w & ~HIGHS) + ONES * 0x60) | w) & HIGHS);
}

void
lp_json_dump_str(const char *s, size_t n, struct lp_buf *b)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	uint64_t w;

	lp_buf_grow(b, n + 2);
	lp_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c;
		char esc[7];
		size_t elen = 2;

		/* Eight bytes at a time while none needs escaping. */
		while (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if (escapes(w) != 0)
				break;
			i += 8;
		}
		if (i == n)
			break;
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		lp_buf_add(b, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		lp_buf_add(b, esc, elen);
	}
	lp_buf_add(b, s + run, n - run);
	lp_buf_addc(b, '"');
}

/*
 * d as a decimal with at most four places, if it is the double nearest
 * one (rounded scores, probabilities, prices): the digits are exact, so
 * they are what %.15g would print, without printf and strtod.  0 if not.
 */
static int
format_short(double d, char *out)
{
	double a = fabs(d);
	long long k, ip;
	int n = 0, fr, places = 4;
	char dig[24];
	int nd = 0;

	if (a == 0)
		return snprintf(out, 8, "%s", signbit(d) ? "-0.0" : "0.0");
	if (!(a >= 1e-4 && a < 1e11))
		return 0;
	k = llround(a * 1e4);
	/* The same division rounding gives: then k/10^4 reads back to d. */
	if ((double)k / 1e4 != a)
		return 0;
	if (d < 0)
		out[n++] = '-';
	ip = k / 10000;
	fr = (int)(k % 10000);
	do {
		dig[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	while (nd > 0)
		out[n++] = dig[--nd];
	out[n++] = '.';
	/* Trailing zeros go, as %g drops them; one digit stays ("2.0"). */
	while (places > 1 && fr % 10 == 0) {
		fr /= 10;
		places--;
	}
	for (nd = places; nd > 0; nd--) {
		out[n + nd - 1] = (char)('0' + fr % 10);
		fr /= 10;
	}
	n += places;
	out[n] = '\0';
	return n;
}

/* The shortest %.Ng that reads back to d. */
static int
format_real(double d, char *out, size_t size)
{
	int prec, n = 0;

	if (size >= 32 && (n = format_short(d, out)) > 0)
		return n;

	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(out, size, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
	if (strpbrk(out, ".eEn") == NULL && (size_t)n + 2 < size) {
		memcpy(out + n, ".0", 3);
		n += 2;
	}
	return n;
}

void
lp_json_dump_real(double d, struct lp_buf *b)
{
	char tmp[40];
	int n = format_real(d, tmp, sizeof(tmp));

	lp_buf_add(b, tmp, (size_t)n);
}

void
lp_json_dump(const json_t *v, struct lp_buf *b)
{
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		void *it;
		int first = 1;

		lp_buf_addc(b, '{');
		for (it = json_object_iter((json_t *)v); it != NULL;
		     it = json_object_iter_next((json_t *)v, it)) {
			key = json_object_iter_key(it);
			if (!first)
				lp_buf_addc(b, ',');
			first = 0;
			lp_json_dump_str(key, json_object_iter_key_len(it), b);
			lp_buf_addc(b, ':');
			lp_json_dump(json_object_iter_value(it), b);
		}
		lp_buf_addc(b, '}');
		break;
	}
	case JSON_ARRAY:
		lp_buf_addc(b, '[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				lp_buf_addc(b, ',');
			lp_json_dump(json_array_get(v, i), b);
		}
		lp_buf_addc(b, ']');
		break;
	case JSON_STRING:
		lp_json_dump_str(
		    json_string_value(v), json_string_length(v), b);
		break;
	case JSON_INTEGER:
		lp_buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		lp_json_dump_real(json_real_value(v), b);
		break;
	case JSON_TRUE:
		lp_buf_add(b, "true", 4);
		break;
	case JSON_FALSE:
		lp_buf_add(b, "false", 5);
		break;
	case JSON_NULL:
		lp_buf_add(b, "null", 4);
		break;
	}
}

/*
 * The scanner.  Each function takes the position of a token and returns
 * the position after it, or 0 to decline (0 is never a valid end, since
 * every value has at least one byte).
 */
struct scan {
	const char *p;
	size_t n;
	int trusted; /* written by lp_json_dump(): find spans, check nothing */
};

static size_t scan_value(struct scan *s, size_t i, int depth);

/*
 * The first i at or after start where a string's plain run ends: at a
 * '"' or a '\\', and unless trusted (a line already checked) also at a
 * control byte or a byte of a UTF-8 sequence; eight bytes at a time while
 * none is there.
 */
static size_t
plain_run(const unsigned char *p, size_t i, size_t n, int trusted)
{
	uint64_t w, stop;

	while (i + 8 <= n) {
		memcpy(&w, p + i, 8);
		stop = bytes_eq(w, '"') | bytes_eq(w, '\\');
		if (!trusted)
			/*
			 * High bytes, and bytes whose low seven bits stay
			 * under 0x20 (adding 0x60 leaves the high bit clear).
			 */
			stop |= (w | ~((w & ~HIGHS) + ONES * 0x60)) & HIGHS;
		if (stop != 0)
			break;
		i += 8;
	}
	while (i < n && p[i] != '"' && p[i] != '\\' &&
	    (trusted || (p[i] >= 0x20 && p[i] < 0x80)))
		i++;
	return i;
}

static size_t
scan_string(struct scan *s, size_t i)
{
	const unsigned char *p = (const unsigned char *)s->p;

	if (i >= s->n || p[i] != '"')
		return 0;
	i++;
	if (s->trusted) {
		for (;;) {
			i = plain_run(p, i, s->n, 1);
			if (i >= s->n)
				return 0;
			if (p[i] == '"')
				return i + 1;
			i += 2;
		}
	}
	for (;;) {
		i = plain_run(p, i, s->n, 0);
		if (i >= s->n)
			return 0;
		if (p[i] == '"')
			break;
		if (p[i] >= 0x80) {
			/* Validate the run of non-ASCII bytes as UTF-8. */
			size_t j = i;

			while (j < s->n && p[j] >= 0x80)
				j++;
			if (!lp_utf8_valid(s->p + i, j - i, NULL))
				return 0;
			i = j;
			continue;
		}
		if (p[i] < 0x20)
			return 0;
		/* A backslash: only the escapes the dumper writes. */
		if (i + 1 >= s->n)
			return 0;
		switch (p[i + 1]) {
		case '"':
		case '\\':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			i += 2;
			break;
		case 'u': {
			unsigned c;

			if (i + 5 >= s->n || p[i + 2] != '0' || p[i + 3] != '0')
				return 0;
			if (!((p[i + 4] == '0' || p[i + 4] == '1') &&
				((p[i + 5] >= '0' && p[i + 5] <= '9') ||
				    (p[i + 5] >= 'a' && p[i + 5] <= 'f'))))
				return 0;
			c = (unsigned)(p[i + 4] - '0') * 16 +
			    (unsigned)(p[i + 5] <= '9' ? p[i + 5] - '0'
						       : p[i + 5] - 'a' + 10);
			/* Jansson refuses NUL; the rest have short forms. */
			if (c == 0 || c == '\b' || c == '\f' || c == '\n' ||
			    c == '\r' || c == '\t')
				return 0;
			i += 6;
			break;
		}
		default:
			return 0;
		}
	}
	return i + 1;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A decimal that is canonical without asking printf: [-]I.F with at most
 * 15 significant digits, no exponent, I without a leading zero (or just
 * 0), F ending in a non-zero digit (or just 0), and at least 1e-4.  With
 * 15 digits or fewer the decimal is the shortest that reads back to its
 * double, and %.15g writes it in this fixed form: format_real() would give
 * these very bytes.  Most prices take this way.
 */
static int
plain_decimal(const char *p, size_t n)
{
	size_t i = 0, dot, digits = 0, lead = 0;

	if (i < n && p[i] == '-')
		i++;
	if (i >= n || !is_digit(p[i]) ||
	    (p[i] == '0' && i + 1 < n && p[i + 1] != '.'))
		return 0;
	for (dot = i; dot < n && is_digit(p[dot]); dot++)
		;
	if (dot >= n || p[dot] != '.' || dot + 1 >= n)
		return 0;
	if (p[i] != '0')
		digits = dot - i;
	for (i = dot + 1; i < n; i++) {
		if (!is_digit(p[i]))
			return 0;
		if (digits == 0 && p[i] == '0')
			lead++; /* zeros before the first significant digit */
		else
			digits++;
	}
	if (digits > 15)
		return 0;
	if (p[n - 1] == '0')
		return n - dot - 1 == 1 && (digits > 0 || p[dot - 1] == '0') &&
		    lead <= 1;
	/* 0.0001 is fixed, 0.00001 is 1e-05. */
	return !(p[dot - 1] == '0' && dot - 1 == (p[0] == '-' ? 1u : 0u) &&
	    lead > 3);
}

static size_t
scan_number(struct scan *s, size_t i)
{
	const char *p = s->p;
	size_t start = i, digits;
	int real = 0;

	if (i < s->n && p[i] == '-')
		i++;
	if (i >= s->n || !is_digit(p[i]))
		return 0;
	if (p[i] == '0') {
		i++;
	} else {
		while (i < s->n && is_digit(p[i]))
			i++;
	}
	digits = i - start;
	if (i < s->n && p[i] == '.') {
		real = 1;
		if (++i >= s->n || !is_digit(p[i]))
			return 0;
		while (i < s->n && is_digit(p[i]))
			i++;
	}
	if (i < s->n && (p[i] == 'e' || p[i] == 'E')) {
		real = 1;
		i++;
		if (i < s->n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= s->n || !is_digit(p[i]))
			return 0;
		while (i < s->n && is_digit(p[i]))
			i++;
	}
	if (!real) {
		int neg = p[start] == '-';
		size_t nd = digits - (size_t)neg;

		/* "-0" reads as 0, Jansson fails past int64: leave both. */
		if (nd == 1 && neg && p[start + 1] == '0')
			return 0;
		if (nd > 19 ||
		    (nd == 19 &&
			memcmp(p + start + neg,
			    neg ? "9223372036854775808" : "9223372036854775807",
			    19) > 0))
			return 0;
		return i;
	} else {
		char tok[40], canon[40];
		size_t len = i - start;
		double d;

		if (s->trusted || plain_decimal(p + start, len))
			return i;
		if (len >= sizeof(tok))
			return 0;
		memcpy(tok, p + start, len);
		tok[len] = '\0';
		d = strtod(tok, NULL);
		if (!isfinite(d))
			return 0;
		if ((size_t)format_real(d, canon, sizeof(canon)) != len ||
		    memcmp(canon, tok, len) != 0)
			return 0;
		return i;
	}
}

static size_t
scan_members(struct scan *s, size_t i, int depth, struct lp_json_members *ms)
{
	struct lp_json_member local[SCAN_MAX_KEYS];
	struct lp_json_member *m;
	size_t n = 0, j;

	/* s->p[i] is '{' */
	i++;
	if (i < s->n && s->p[i] == '}')
		return i + 1;
	for (;;) {
		size_t k = i, v;

		if ((i = scan_string(s, k)) == 0)
			return 0;
		if (i >= s->n || s->p[i] != ':')
			return 0;
		v = i + 1;
		if ((i = scan_value(s, v, depth + 1)) == 0)
			return 0;
		if (ms != NULL) {
			if (ms->n == ms->cap) {
				ms->cap = ms->cap ? ms->cap * 2 : 32;
				ms->m =
				    lp_xrealloc(ms->m, ms->cap * sizeof(*m));
			}
			m = &ms->m[ms->n++];
		} else {
			if (n == SCAN_MAX_KEYS)
				return 0;
			m = &local[n++];
		}
		m->key = (uint32_t)(k + 1);
		m->keylen = (uint32_t)(v - k - 3);
		m->val = (uint32_t)v;
		m->vallen = (uint32_t)(i - v);
		/* Duplicate keys: Jansson refuses them in our parse mode. */
		{
			struct lp_json_member *all = ms != NULL ? ms->m : local;
			size_t cnt = ms != NULL ? ms->n : n;

			for (j = 0; j + 1 < cnt; j++)
				if (all[j].keylen == m->keylen &&
				    memcmp(s->p + all[j].key, s->p + m->key,
					m->keylen) == 0)
					return 0;
		}
		if (i >= s->n)
			return 0;
		if (s->p[i] == '}')
			return i + 1;
		if (s->p[i] != ',')
			return 0;
		i++;
	}
}

static size_t
scan_value(struct scan *s, size_t i, int depth)
{
	if (i >= s->n || depth > SCAN_MAX_DEPTH)
		return 0;
	switch (s->p[i]) {
	case '{':
		return scan_members(s, i, depth, NULL);
	case '[':
		i++;
		if (i < s->n && s->p[i] == ']')
			return i + 1;
		for (;;) {
			if ((i = scan_value(s, i, depth + 1)) == 0 || i >= s->n)
				return 0;
			if (s->p[i] == ']')
				return i + 1;
			if (s->p[i] != ',')
				return 0;
			i++;
		}
	case '"':
		return scan_string(s, i);
	case 't':
		return s->n - i >= 4 && memcmp(s->p + i, "true", 4) == 0 ? i + 4
									 : 0;
	case 'f':
		return s->n - i >= 5 && memcmp(s->p + i, "false", 5) == 0
		    ? i + 5
		    : 0;
	case 'n':
		return s->n - i >= 4 && memcmp(s->p + i, "null", 4) == 0 ? i + 4
									 : 0;
	default:
		return scan_number(s, i);
	}
}

static int
scan_top(const char *p, size_t n, struct lp_json_members *ms, int trusted)
{
	struct scan s = {p, n, trusted};

	ms->n = 0;
	/* Offsets are 32-bit. */
	if (n == 0 || n > UINT32_MAX || p[0] != '{')
		return 0;
	return scan_members(&s, 0, 0, ms) == n;
}

int
lp_json_scan_trusted(const char *p, size_t n, struct lp_json_members *ms)
{
	return scan_top(p, n, ms, 1);
}

int
lp_json_scan(const char *p, size_t n, struct lp_json_members *ms)
{
	return scan_top(p, n, ms, 0);
}

int
lp_json_array_next(
    const char *p, size_t n, size_t *pos, size_t *start, size_t *len)
{
	struct scan s = {p, n, 1};
	size_t i = *pos, e;

	if (i == 0) {
		if (n < 2 || p[0] != '[')
			return 0;
		i = 1;
	} else if (i < n && p[i] == ',')
		i++;
	if (i >= n || p[i] == ']')
		return 0;
	if ((e = scan_value(&s, i, 1)) == 0)
		return 0;
	*start = i;
	*len = e - i;
	*pos = e;
	return 1;
}

const char *
lp_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_NULL:
		return "null";
	default:
		return "a boolean";
	}
}

const struct lp_json_member *
lp_json_find(const char *p, const struct lp_json_members *ms, const char *key,
    size_t keylen)
{
	size_t i;

	for (i = 0; i < ms->n; i++)
		if (ms->m[i].keylen == keylen &&
		    memcmp(p + ms->m[i].key, key, keylen) == 0)
			return &ms->m[i];
	return NULL;
}

void
lp_json_members_release(struct lp_json_members *ms)
{
	free(ms->m);
	ms->m = NULL;
	ms->n = ms->cap = 0;
}

json_t *
lp_json_path_get(json_t *v, const char *path)
{
	const char *dot;

	while (v != NULL && (dot = strchr(path, '.')) != NULL) {
		if (!json_is_object(v))
			return NULL;
		v = json_object_getn(v, path, (size_t)(dot - path));
		path = dot + 1;
	}
	return json_is_object(v) ? json_object_get(v, path) : NULL;
}

int
lp_json_path_set(
    json_t *v, const char *path, json_t *value, struct lp_error *err)
{
	const char *full = path, *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		json_t *next = json_object_getn(v, path, (size_t)(dot - path));

		if (next == NULL) {
			next = json_object();
			json_object_setn_new(
			    v, path, (size_t)(dot - path), next);
		} else if (!json_is_object(next)) {
			json_decref(value);
			return lp_error_set(err,
			    "cannot set '%s': '%.*s' is not an object", full,
			    (int)(dot - full), full);
		}
		v = next;
		path = dot + 1;
	}
	json_object_set_new(v, path, value);
	return LP_OK;
}

/*
 * ---- A faster json_loadb.
 *
 * One pass over the text building the same Jansson values Jansson's own
 * parser would (same calls, same member order, later duplicates replacing
 * earlier ones), with strings found eight bytes at a time and most reals
 * read without strtod.  It only ever says yes to text Jansson accepts:
 * anything it does not handle, and every error, goes back to json_loadb,
 * which gives the result and the message.
 */
struct load {
	const unsigned char *p;
	size_t n, i;
	size_t flags;
	struct lp_buf tmp; /* an unescaped string */
};

#define LOAD_DEPTH 256

static json_t *load_value(struct load *l, int depth);

static void
load_ws(struct load *l)
{
	while (l->i < l->n &&
	    (l->p[l->i] == ' ' || l->p[l->i] == '\n' || l->p[l->i] == '\r' ||
		l->p[l->i] == '\t'))
		l->i++;
}

static int
hex4(const unsigned char *p, unsigned *v)
{
	int k;

	*v = 0;
	for (k = 0; k < 4; k++) {
		unsigned c = p[k], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return 0;
		*v = *v << 4 | d;
	}
	return 1;
}

static void
put_utf8(struct lp_buf *b, unsigned c)
{
	char u[4];
	size_t k;

	if (c < 0x80) {
		u[0] = (char)c;
		k = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		k = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		k = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		k = 4;
	}
	lp_buf_add(b, u, k);
}

/*
 * The string at l->i: 1 with *s, *len its bytes (in the text itself when
 * it has no escapes, else in l->tmp); 0 if it is not valid.
 */
static int
load_string(struct load *l, const char **s, size_t *len)
{
	/* The one-letter escapes and what they stand for. */
	static const char plain_from[] = "\"\\/bfnrt",
			  plain_to[] = "\"\\/\b\f\n\r\t";
	const unsigned char *p = l->p;
	const char *q;
	size_t i = l->i + 1, run;
	int esc = 0;

	for (;;) {
		run = i;
		i = plain_run(p, i, l->n, 0);
		if (i >= l->n)
			return 0;
		if (p[i] >= 0x80) {
			size_t j = i;

			while (j < l->n && p[j] >= 0x80)
				j++;
			if (!lp_utf8_valid((const char *)p + i, j - i, NULL))
				return 0;
			if (esc)
				lp_buf_add(
				    &l->tmp, (const char *)p + run, j - run);
			i = j;
			continue;
		}
		if (esc)
			lp_buf_add(&l->tmp, (const char *)p + run, i - run);
		if (p[i] == '"')
			break;
		if (p[i] < 0x20 || i + 1 >= l->n)
			return 0;
		if (!esc) {
			/* The first escape: from here on, build a copy. */
			esc = 1;
			lp_buf_reset(&l->tmp);
			lp_buf_add(
			    &l->tmp, (const char *)p + l->i + 1, i - l->i - 1);
		}
		if (p[i + 1] == 'u') {
			unsigned c, lo;

			if (i + 6 > l->n || !hex4(p + i + 2, &c) || c == 0 ||
			    (c >= 0xdc00 && c <= 0xdfff))
				return 0; /* NUL, or a lone low surrogate */
			if (c >= 0xd800 && c <= 0xdbff) {
				if (i + 12 > l->n || p[i + 6] != '\\' ||
				    p[i + 7] != 'u' || !hex4(p + i + 8, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					return 0;
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 6;
			}
			put_utf8(&l->tmp, c);
			i += 4;
		} else if (p[i + 1] != '\0' &&
		    (q = strchr(plain_from, p[i + 1])) != NULL)
			lp_buf_addc(&l->tmp, plain_to[q - plain_from]);
		else
			return 0;
		i += 2;
	}
	if (esc) {
		*s = l->tmp.p;
		*len = l->tmp.len;
	} else {
		*s = (const char *)p + l->i + 1;
		*len = i - l->i - 1;
	}
	l->i = i + 1;
	return 1;
}

static const double pow10_exact[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22};

static json_t *
load_number(struct load *l)
{
	const unsigned char *p = l->p;
	size_t i = l->i, start = i, sig = 0;
	uint64_t m = 0;
	int neg = 0, real = 0, e10 = 0, eneg = 0, ev = 0;

	if (p[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= l->n || !is_digit(p[i]))
		return NULL;
	if (p[i] == '0') {
		i++;
		if (i < l->n && is_digit(p[i]))
			return NULL; /* no leading zeros */
	} else
		for (; i < l->n && is_digit(p[i]); i++)
			if (sig < 19) {
				m = m * 10 + (uint64_t)(p[i] - '0');
				sig++;
			} else
				sig = 99; /* too long for the quick ways */
	if (i < l->n && p[i] == '.') {
		real = 1;
		if (++i >= l->n || !is_digit(p[i]))
			return NULL;
		for (; i < l->n && is_digit(p[i]); i++) {
			if (m == 0 && p[i] == '0') {
				e10--; /* leading zeros of 0.000x */
				continue;
			}
			if (sig < 19) {
				m = m * 10 + (uint64_t)(p[i] - '0');
				sig++;
				e10--;
			} else
				sig = 99;
		}
	}
	if (i < l->n && (p[i] == 'e' || p[i] == 'E')) {
		real = 1;
		i++;
		if (i < l->n && (p[i] == '+' || p[i] == '-'))
			eneg = p[i++] == '-';
		if (i >= l->n || !is_digit(p[i]))
			return NULL;
		for (; i < l->n && is_digit(p[i]); i++)
			if (ev < 10000)
				ev = ev * 10 + (p[i] - '0');
		e10 += eneg ? -ev : ev;
	}
	l->i = i;
	if (!real) {
		/* Up to 18 digits fit; longer ones Jansson reads (or refuses).
		 */
		if (sig > 18)
			return NULL;
		return json_integer(neg ? -(json_int_t)m : (json_int_t)m);
	}
	/*
	 * At most 15 significant digits and a power of ten that is exact:
	 * one correctly rounded multiply or divide gives strtod's answer.
	 */
	if (sig <= 15 && e10 >= -22 && e10 <= 22) {
		double d = (double)m;

		d = e10 < 0 ? d / pow10_exact[-e10] : d * pow10_exact[e10];
		return json_real(neg ? -d : d);
	}
	{
		char tok[64];
		double d;

		if (i - start >= sizeof(tok))
			return NULL;
		memcpy(tok, p + start, i - start);
		tok[i - start] = '\0';
		d = strtod(tok, NULL);
		if (!isfinite(d))
			return NULL; /* overflow: Jansson says so */
		return json_real(d);
	}
}

/* After '{' or '[': 1 if the container is empty (its close taken). */
static int
load_empty(struct load *l, unsigned char close)
{
	l->i++;
	load_ws(l);
	if (l->i < l->n && l->p[l->i] == close) {
		l->i++;
		return 1;
	}
	return 0;
}

/*
 * After a member or an element: 1 for another (the comma taken), 0 at the
 * end (the close taken), -1 for anything else.
 */
static int
load_more(struct load *l, unsigned char close)
{
	load_ws(l);
	if (l->i < l->n && l->p[l->i] == ',') {
		l->i++;
		load_ws(l);
		return 1;
	}
	if (l->i < l->n && l->p[l->i] == close) {
		l->i++;
		return 0;
	}
	return -1;
}

/* One "key": value into o; 0, or -1 if it is not valid. */
static int
load_member(struct load *l, json_t *o, int depth)
{
	json_t *v = NULL;
	const char *key;
	size_t klen;
	char small[64], *copy = NULL;
	int rc = -1;

	if (l->i >= l->n || l->p[l->i] != '"' || !load_string(l, &key, &klen))
		return -1;
	if (key == l->tmp.p) {
		/* An escaped key is in tmp, which the value may reuse. */
		copy = klen <= sizeof(small) ? small : lp_xmalloc(klen);
		memcpy(copy, key, klen);
		key = copy;
	}
	load_ws(l);
	if (l->i < l->n && l->p[l->i] == ':' &&
	    !((l->flags & JSON_REJECT_DUPLICATES) &&
		json_object_getn(o, key, klen) != NULL)) {
		l->i++;
		load_ws(l);
		v = load_value(l, depth + 1);
		if (v != NULL)
			rc = json_object_setn_new_nocheck(o, key, klen, v);
	}
	if (copy != small)
		free(copy);
	return rc;
}

static json_t *
load_object(struct load *l, int depth)
{
	json_t *o = json_object();
	int more;

	if (load_empty(l, '}'))
		return o;
	do
		more = load_member(l, o, depth) == 0 ? load_more(l, '}') : -1;
	while (more == 1);
	if (more == 0)
		return o;
	json_decref(o);
	return NULL;
}

static json_t *
load_array(struct load *l, int depth)
{
	json_t *a = json_array(), *v;
	int more;

	if (load_empty(l, ']'))
		return a;
	do {
		v = load_value(l, depth + 1);
		more = v != NULL && json_array_append_new(a, v) == 0
		    ? load_more(l, ']')
		    : -1;
	} while (more == 1);
	if (more == 0)
		return a;
	json_decref(a);
	return NULL;
}

static json_t *
load_word(struct load *l, const char *w, size_t n, json_t *v)
{
	if (l->n - l->i < n || memcmp(l->p + l->i, w, n) != 0)
		return NULL;
	l->i += n;
	return v;
}

static json_t *
load_value(struct load *l, int depth)
{
	const char *s;
	size_t len;

	if (l->i >= l->n || depth > LOAD_DEPTH)
		return NULL;
	switch (l->p[l->i]) {
	case '{':
		return load_object(l, depth);
	case '[':
		return load_array(l, depth);
	case '"':
		return load_string(l, &s, &len) ? json_stringn_nocheck(s, len)
						: NULL;
	case 't':
		return load_word(l, "true", 4, json_true());
	case 'f':
		return load_word(l, "false", 5, json_false());
	case 'n':
		return load_word(l, "null", 4, json_null());
	default:
		return load_number(l);
	}
}

json_t *
lp_json_load(const char *p, size_t n, size_t flags, json_error_t *e)
{
	struct load l = {(const unsigned char *)p, n, 0, flags, LP_BUF_INIT};
	json_t *v = NULL;

	if (flags & ~(size_t)(JSON_DECODE_ANY | JSON_REJECT_DUPLICATES))
		return json_loadb(p, n, flags, e);
	load_ws(&l);
	if (l.i < n &&
	    (p[l.i] == '{' || p[l.i] == '[' || (flags & JSON_DECODE_ANY))) {
		v = load_value(&l, 0);
		load_ws(&l);
		if (v != NULL && l.i != n) {
			json_decref(v);
			v = NULL;
		}
	}
	lp_buf_release(&l.tmp);
	if (v == NULL)
		return json_loadb(p, n, flags, e);
	if (e != NULL) {
		memset(e, 0, sizeof(*e));
		e->line = e->column = -1;
		snprintf(e->source, sizeof(e->source), "<buffer>");
	}
	return v;
}

void
lp_json_digest(const json_t *v, char hex[65])
{
	struct lp_buf b = LP_BUF_INIT;

	lp_json_dump(v, &b);
	lp_sha256_hex(b.p, b.len, hex);
	lp_buf_release(&b);
}
