#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/status.h"
#include "text/pii.h"
#include "text/piiscan.h"

/* The counts of one field path. */
struct field {
	char *path;
	long long n[LP_PIISCAN_NCLASS];
};

struct lp_piiscan {
	char **names; /* person-name field paths */
	size_t nnames;
	struct field *fields;
	size_t nfields, cap;
	long long records, with_pii;
	struct lp_buf path; /* scratch: the path being walked */
};

static const char *const class_names[LP_PIISCAN_NCLASS] = {
    "email", "phone", "postcode", "card", "iban", "name"};

/*
 * The UK's postcode areas (Royal Mail), upper case, space separated, with
 * a space at each end for searching " XX ".
 */
static const char areas[] =
    " AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA "
    "DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR "
    "HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML "
    "N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL "
    "SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN "
    "WR WS WV YO ZE ";

static int
word_char(const char *s, size_t n, size_t i)
{
	return i < n &&
	    (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80);
}

static int
digit(const char *s, size_t n, size_t i)
{
	return i < n && isdigit((unsigned char)s[i]);
}

static int
letter(const char *s, size_t n, size_t i)
{
	return i < n && isalpha((unsigned char)s[i]) &&
	    (unsigned char)s[i] < 0x80;
}

/* The letters s[i..i+len) are a postcode area. */
static int
area(const char *s, size_t i, size_t len)
{
	char key[5] = {' ', 0, 0, 0, 0};
	size_t k;

	for (k = 0; k < len; k++)
		key[1 + k] = (char)toupper((unsigned char)s[i + k]);
	key[1 + len] = ' ';
	return strstr(areas, key) != NULL;
}

/* An inward code at s[i]: a digit, two letters (not CIKMOV, not GB, TB). */
static int
inward(const char *s, size_t n, size_t i)
{
	char a, b;

	if (!digit(s, n, i) || !letter(s, n, i + 1) || !letter(s, n, i + 2) ||
	    word_char(s, n, i + 3))
		return 0;
	a = (char)toupper((unsigned char)s[i + 1]);
	b = (char)toupper((unsigned char)s[i + 2]);
	if (strchr("CIKMOV", a) != NULL || strchr("CIKMOV", b) != NULL)
		return 0;
	/* 8GB, 1TB: a storage size, far likelier than a postcode. */
	return !(b == 'B' && (a == 'G' || a == 'T'));
}

/* A UK postcode starting at s[i]: its end, or 0. */
static size_t
postcode_at(const char *s, size_t n, size_t i)
{
	size_t la, d, e;

	for (la = 2; la >= 1; la--) {
		if (!letter(s, n, i) || (la == 2 && !letter(s, n, i + 1)) ||
		    !area(s, i, la) || !digit(s, n, i + la))
			continue;
		/* The district: a digit, then maybe a digit or a letter. */
		for (d = 2; d >= 1; d--) {
			e = i + la + d;
			if (d == 2 && !digit(s, n, e - 1) &&
			    !letter(s, n, e - 1))
				continue;
			if (e < n && s[e] == ' ')
				e++;
			else if (word_char(s, n, e) && !digit(s, n, e))
				continue;
			if (inward(s, n, e))
				return e + 3;
		}
	}
	return 0;
}

/* The Luhn check over the digits d[0..n). */
static int
luhn(const char *d, size_t n)
{
	int sum = 0, v;
	size_t k;

	for (k = 0; k < n; k++) {
		v = d[n - 1 - k] - '0';
		if (k % 2 == 1 && (v *= 2) > 9)
			v -= 9;
		sum += v;
	}
	return sum % 10 == 0;
}

/*
 * A card number starting at s[i]: its end, or 0.  The digits run
 * together or in groups split by one space or hyphen; the longest run of
 * whole groups with 13 to 19 digits that passes Luhn's check wins.
 */
static size_t
card_at(const char *s, size_t n, size_t i)
{
	char d[20];
	size_t nd = 0, e = i, ends[20], ndig[20];
	int ng = 0;

	if (!digit(s, n, i) || s[i] < '2' || s[i] > '6')
		return 0;
	while (nd < sizeof(d) && ng < 20) {
		while (digit(s, n, e) && nd < sizeof(d))
			d[nd++] = s[e++];
		if (word_char(s, n, e))
			return 0; /* runs on into a word, or too long */
		ends[ng] = e;
		ndig[ng++] = nd;
		if (e + 1 < n && (s[e] == ' ' || s[e] == '-') &&
		    digit(s, n, e + 1))
			e++;
		else
			break;
	}
	while (ng-- > 0)
		if (ndig[ng] >= 13 && ndig[ng] <= 19 && luhn(d, ndig[ng]))
			return ends[ng];
	return 0;
}

/* The IBAN check: the first four moved to the end, letters as 10..35. */
static int
iban_check(const char *c, size_t n)
{
	unsigned r = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		int ch = toupper((unsigned char)c[(k + 4) % n]);

		if (ch >= 0x80 || !isalnum(ch))
			return 0;
		if (isdigit(ch))
			r = (r * 10 + (unsigned)(ch - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(ch - 'A' + 10)) % 97;
	}
	return r == 1;
}

/*
 * An IBAN starting at s[i]: its end, or 0.  In groups of four split by
 * single spaces (the last one shorter) or all together; the longest run
 * of whole groups that passes the check wins.
 */
static size_t
iban_at(const char *s, size_t n, size_t i)
{
	char c[34];
	size_t nc = 0, e = i, g, ends[10], nchr[10];
	int ng = 0;

	if (!letter(s, n, i) || !letter(s, n, i + 1) || !digit(s, n, i + 2) ||
	    !digit(s, n, i + 3))
		return 0;
	while (ng < 10) {
		for (g = 0; word_char(s, n, e) && nc < sizeof(c); g++)
			c[nc++] = s[e++];
		if (word_char(s, n, e) || (ng > 0 && g > 4))
			return 0;
		ends[ng] = e;
		nchr[ng++] = nc;
		if (g != 4 || e + 1 >= n || s[e] != ' ' ||
		    !word_char(s, n, e + 1))
			break;
		e++;
	}
	while (ng-- > 0)
		if (nchr[ng] >= 15 && iban_check(c, nchr[ng]))
			return ends[ng];
	return 0;
}

/* Postcodes, cards and IBANs in s[from..to), at word starts. */
static void
scan_gap(const char *s, size_t from, size_t to, long long *counts)
{
	size_t i = from, e;

	while (i < to) {
		if (!word_char(s, to, i) ||
		    (i > 0 && word_char(s, to, i - 1))) {
			i++;
			continue;
		}
		if ((e = iban_at(s, to, i)) > 0)
			counts[LP_PIISCAN_IBAN]++;
		else if ((e = postcode_at(s, to, i)) > 0)
			counts[LP_PIISCAN_POSTCODE]++;
		else if ((e = card_at(s, to, i)) > 0)
			counts[LP_PIISCAN_CARD]++;
		else
			for (e = i + 1; word_char(s, to, e); e++)
				;
		i = e;
	}
}

void
lp_piiscan_text(const char *s, size_t n, long long counts[LP_PIISCAN_NCLASS])
{
	size_t from = 0, start, end;
	enum lp_pii_kind kind;

	while ((kind = lp_pii_next(s, n, from, &start, &end)) != LP_PII_NONE) {
		scan_gap(s, from, start, counts);
		counts[kind == LP_PII_EMAIL ? LP_PIISCAN_EMAIL
					    : LP_PIISCAN_PHONE]++;
		from = end;
	}
	scan_gap(s, from, n, counts);
}

const char *
lp_piiscan_class_name(enum lp_piiscan_class c)
{
	return c < LP_PIISCAN_NCLASS ? class_names[c] : "?";
}

struct lp_piiscan *
lp_piiscan_new(const json_t *config, struct lp_error *err)
{
	struct lp_piiscan *s;
	const json_t *v;
	size_t i;

	if (config != NULL && !json_is_array(config)) {
		lp_error_set(err, "the person-name fields are %s, not a list",
		    lp_json_kind(config));
		return NULL;
	}
	json_array_foreach (config, i, v)
		if (!json_is_string(v) || json_string_length(v) == 0) {
			lp_error_set(err,
			    "person-name field %zu is not a field path", i + 1);
			return NULL;
		}
	s = lp_xmalloc(sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->nnames = config != NULL ? json_array_size(config) : 1;
	s->names = lp_xmalloc(sizeof(*s->names) * (s->nnames + 1));
	if (config == NULL)
		s->names[0] = lp_xstrdup("seller");
	json_array_foreach (config, i, v)
		s->names[i] = lp_xstrdup(json_string_value(v));
	return s;
}

/* The counts of the path being walked, made on first use. */
static struct field *
field(struct lp_piiscan *s)
{
	size_t i;

	for (i = 0; i < s->nfields; i++)
		if (strcmp(s->fields[i].path, s->path.p) == 0)
			return &s->fields[i];
	if (s->nfields == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->fields = lp_xrealloc(s->fields, s->cap * sizeof(*s->fields));
	}
	memset(&s->fields[s->nfields], 0, sizeof(*s->fields));
	s->fields[s->nfields].path = lp_xstrdup(s->path.p);
	return &s->fields[s->nfields++];
}

static int
is_name_field(const struct lp_piiscan *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->nnames; i++)
		if (strcmp(s->names[i], path) == 0)
			return 1;
	return 0;
}

/* A string at the path being walked; how many finds it held. */
static long long
scan_string(struct lp_piiscan *s, const json_t *v)
{
	long long c[LP_PIISCAN_NCLASS] = {0}, sum = 0;
	const char *t = json_string_value(v);
	size_t n = json_string_length(v);
	struct field *f;
	int k;

	lp_piiscan_text(t, n, c);
	if (n > 0 && is_name_field(s, s->path.p) && !lp_pseudonym_is(t, n) &&
	    strcmp(t, "[email]") != 0 && strcmp(t, "[phone]") != 0)
		c[LP_PIISCAN_NAME]++;
	for (k = 0; k < LP_PIISCAN_NCLASS; k++)
		sum += c[k];
	if (sum == 0)
		return 0;
	f = field(s);
	for (k = 0; k < LP_PIISCAN_NCLASS; k++)
		f->n[k] += c[k];
	return sum;
}

/* Walk v at the path in s->path; how many finds it held. */
static long long
walk(struct lp_piiscan *s, const json_t *v, int top)
{
	size_t len = s->path.len, i;
	long long sum = 0;
	const char *key;
	json_t *m;

	if (json_is_string(v))
		return scan_string(s, v);
	if (json_is_array(v)) {
		json_array_foreach (v, i, m)
			sum += walk(s, m, 0);
		return sum;
	}
	json_object_foreach ((json_t *)v, key, m) {
		if (top && strcmp(key, "lineage") == 0)
			continue;
		s->path.len = len;
		if (!top)
			lp_buf_addc(&s->path, '.');
		lp_buf_adds(&s->path, key);
		sum += walk(s, m, 0);
	}
	s->path.len = len;
	if (s->path.p != NULL)
		s->path.p[len] = '\0';
	return sum;
}

void
lp_piiscan_record(struct lp_piiscan *s, struct lp_record *rec)
{
	lp_buf_reset(&s->path);
	s->records++;
	if (walk(s, lp_record_root(rec), 1) > 0)
		s->with_pii++;
}

long long
lp_piiscan_total(const struct lp_piiscan *s)
{
	long long sum = 0;
	size_t i;
	int k;

	for (i = 0; i < s->nfields; i++)
		for (k = 0; k < LP_PIISCAN_NCLASS; k++)
			sum += s->fields[i].n[k];
	return sum;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(
	    ((const struct field *)a)->path, ((const struct field *)b)->path);
}

void
lp_piiscan_report(const struct lp_piiscan *s, struct lp_buf *json)
{
	struct field *f = lp_xmalloc(sizeof(*f) * (s->nfields + 1));
	long long total[LP_PIISCAN_NCLASS] = {0};
	size_t i;
	int k, any;

	if (s->nfields > 0)
		memcpy(f, s->fields, sizeof(*f) * s->nfields);
	qsort(f, s->nfields, sizeof(*f), by_path);
	for (i = 0; i < s->nfields; i++)
		for (k = 0; k < LP_PIISCAN_NCLASS; k++)
			total[k] += f[i].n[k];
	lp_buf_addf(json,
	    "{\"records\":%lld,\"records_with_pii\":%lld,"
	    "\"total\":{",
	    s->records, s->with_pii);
	for (k = 0; k < LP_PIISCAN_NCLASS; k++)
		lp_buf_addf(json, "%s\"%s\":%lld", k ? "," : "", class_names[k],
		    total[k]);
	lp_buf_adds(json, "},\"fields\":{");
	for (i = 0; i < s->nfields; i++) {
		lp_json_dump_str(f[i].path, strlen(f[i].path), json);
		lp_buf_adds(json, ":{");
		for (k = 0, any = 0; k < LP_PIISCAN_NCLASS; k++)
			if (f[i].n[k] > 0)
				lp_buf_addf(json, "%s\"%s\":%lld",
				    any++ ? "," : "", class_names[k],
				    f[i].n[k]);
		lp_buf_adds(json, i + 1 < s->nfields ? "}," : "}");
	}
	lp_buf_adds(json, "}}");
	free(f);
}

void
lp_piiscan_free(struct lp_piiscan *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nnames; i++)
		free(s->names[i]);
	for (i = 0; i < s->nfields; i++)
		free(s->fields[i].path);
	free(s->names);
	free(s->fields);
	lp_buf_release(&s->path);
	free(s);
}
