#include <math.h>
#include <stdlib.h>
#include "core/status.h"
#include "core/hash.h"
#include "core/json.h"
#include "gen.h"
#include "test.h"

static void
roundtrip(const char *in, const char *want)
{
	json_t *v = json_loads(in, JSON_DECODE_ANY, NULL);
	struct lp_buf b = LP_BUF_INIT;

	assert_true(v != NULL);
	lp_json_dump(v, &b);
	assert_eq_str(b.p, want);
	json_decref(v);
	lp_buf_release(&b);
}

TEST(numbers_round_trip_exactly)
{
	roundtrip("649.99", "649.99");
	roundtrip("0.1", "0.1");
	roundtrip("1.0", "1.0");
	roundtrip("1152921504606846976", "1152921504606846976");
	roundtrip("-0", "0");
}

TEST(strings)
{
	roundtrip("\"a\\u00e9\\/b\"", "\"a\xc3\xa9/b\"");
	roundtrip("\"\\u0001\\n\\\"\"", "\"\\u0001\\n\\\"\"");
	roundtrip("{\"b\":1,\"a\":[true,false,null]}",
	    "{\"b\":1,\"a\":[true,false,null]}");
}

static int
scans(const char *s)
{
	struct lp_json_members ms = {0};
	int r = lp_json_scan(s, strlen(s), &ms);

	lp_json_members_release(&ms);
	return r;
}

TEST(scan_accepts_canonical_only)
{
	assert_true(scans("{}"));
	assert_true(scans("{\"a\":1,\"b\":[1,2.5,\"x\"],\"c\":{\"d\":null}}"));
	assert_true(scans("{\"p\":649.99}"));
	assert_true(!scans("{ \"a\":1}"));
	assert_true(!scans("{\"a\":1 }"));
	assert_true(!scans("{\"a\":1,\"a\":2}"));
	assert_true(!scans("{\"a\":{\"b\":1,\"b\":1}}"));
	assert_true(!scans("{\"a\":649.990}"));
	assert_true(!scans("{\"a\":1e2}"));
	assert_true(!scans("{\"a\":-0}"));
	assert_true(!scans("{\"a\":01}"));
	assert_true(!scans("{\"a\":\"\\u00e9\"}"));
	assert_true(!scans("{\"a\":\"\\/\"}"));
	assert_true(!scans("{\"a\":\"\\u000a\"}"));
	assert_true(!scans("{\"a\":\"\\u0000\"}"));
	assert_true(!scans("{\"a\":\"\xff\"}"));
	assert_true(!scans("{\"a\":\"\t\"}"));
	assert_true(!scans("[1]"));
	assert_true(!scans("{\"a\":1}x"));
	assert_true(!scans("{\"a\":tru}"));
	assert_true(!scans("{\"a\":"));
	assert_true(!scans("{\"a\":12345678901234567890}"));
	assert_true(!scans("{\"a\":9223372036854775808}"));
	assert_true(scans("{\"a\":9223372036854775807}"));
	assert_true(scans("{\"a\":-9223372036854775808}"));
}

/* The scanner's promise: accepted means Jansson + dump gives the same bytes. */
TEST(scan_promise_on_random_records)
{
	struct lp_json_members ms = {0};
	struct lp_buf b = LP_BUF_INIT, c = LP_BUF_INIT;
	int i, accepted = 0;

	gen_state = 1;
	for (i = 0; i < 20000; i++) {
		json_t *v = gen_record(), *w;

		lp_buf_reset(&b);
		lp_json_dump(v, &b);
		if (!lp_json_scan(b.p, b.len, &ms)) {
			FAIL("canonical dump declined: %s", b.p);
			json_decref(v);
			break;
		}
		accepted++;
		w = json_loadb(b.p, b.len, JSON_REJECT_DUPLICATES, NULL);
		assert_true(w != NULL);
		lp_buf_reset(&c);
		lp_json_dump(w, &c);
		assert_eq_mem(c.p, c.len, b.p, b.len);
		assert_eq_int(ms.n, json_object_size(v));
		json_decref(v);
		json_decref(w);
	}
	assert_eq_int(accepted, 20000);
	lp_buf_release(&b);
	lp_buf_release(&c);
	lp_json_members_release(&ms);
}

TEST(find_member)
{
	const char *s = "{\"id\":\"x\",\"lineage\":{\"steps\":[]}}";
	struct lp_json_members ms = {0};
	const struct lp_json_member *m;

	assert_true(lp_json_scan(s, strlen(s), &ms));
	m = lp_json_find(s, &ms, "lineage", 7);
	assert_true(m != NULL);
	assert_eq_mem(s + m->val, m->vallen, "{\"steps\":[]}", 12);
	assert_true(lp_json_find(s, &ms, "lin", 3) == NULL);
	lp_json_members_release(&ms);
}

TEST(array_elements)
{
	const char *s = "[{\"a\":[1,{\"b\":\"],\\\"\"}]},\"x\",-1.5e3,[],null]";
	static const char *const want[] = {
	    "{\"a\":[1,{\"b\":\"],\\\"\"}]}", "\"x\"", "-1.5e3", "[]", "null"};
	size_t pos = 0, start, len, n = 0;

	while (lp_json_array_next(s, strlen(s), &pos, &start, &len)) {
		assert_true(n < 5);
		if (n < 5)
			assert_eq_mem(s + start, len, want[n], strlen(want[n]));
		n++;
	}
	assert_eq_int((long long)n, 5);
	pos = 0;
	assert_eq_int(lp_json_array_next("[]", 2, &pos, &start, &len), 0);
	pos = 0;
	assert_eq_int(lp_json_array_next("{}", 2, &pos, &start, &len), 0);
}

/*
 * The scanner's shortcut for plain decimals accepts exactly the tokens the
 * dumper writes: over hand-picked edges and 200,000 generated decimals,
 * a line is canonical iff dumping its number gives the token back.
 */
TEST(plain_decimal_shortcut)
{
	static const char *const edge[] = {"0.0", "-0.0", "1.0", "10.0",
	    "10.50", "1.10", "0.5", "0.0001", "0.00001", "0.00010", "-0.0001",
	    "123456789012345.0", "12345678901234.5", "1234567890123456.0",
	    "0.123456789012345", "0.1234567890123456", "00.5", "01.5", "274.98",
	    "649.99", "1e5", "1.5e-7", "-12.0", "99999999999999.9"};
	struct lp_json_members ms = {NULL, 0, 0};
	struct lp_buf line = LP_BUF_INIT, d = LP_BUF_INIT;
	uint64_t x = 42;
	int i, wrong = 0;

	for (i = 0; i < 200000 + (int)(sizeof(edge) / sizeof(*edge)); i++) {
		char tok[48];
		int canon, scanned;

		if (i < (int)(sizeof(edge) / sizeof(*edge)))
			snprintf(tok, sizeof(tok), "%s", edge[i]);
		else {
			int ip, fl, k;
			size_t n = 0;

			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			ip = (int)(x >> 60);	    /* integer digits 0..15 */
			fl = (int)((x >> 56) & 15); /* fraction digits */
			if (x >> 55 & 1)
				tok[n++] = '-';
			for (k = 0; k < ip || k == 0; k++)
				tok[n++] = (char)('0' + (x >> (k % 50)) % 10);
			tok[n++] = '.';
			for (k = 0; k < fl || k == 0; k++)
				tok[n++] =
				    (char)('0' + (x >> ((k * 3) % 50)) % 10);
			tok[n] = '\0';
		}
		lp_buf_reset(&d);
		lp_json_dump_real(strtod(tok, NULL), &d);
		canon = strcmp(d.p, tok) == 0;
		lp_buf_reset(&line);
		lp_buf_addf(&line, "{\"a\":%s}", tok);
		scanned = lp_json_scan(line.p, line.len, &ms);
		if (canon != scanned && wrong++ < 5)
			fprintf(stderr, "%s: canonical %d, scanned %d\n", tok,
			    canon, scanned);
	}
	assert_eq_int(wrong, 0);
	lp_json_members_release(&ms);
	lp_buf_release(&line);
	lp_buf_release(&d);
}

/*
 * Strings are scanned eight bytes at a time: every kind of byte that
 * stops the fast run, at every place around and across the eight-byte
 * steps, is still seen (a control byte or bad UTF-8 refuses the line; a
 * quote ends the string; escapes and UTF-8 pass), trusted or not.
 */
TEST(string_bytes_at_every_offset)
{
	static const struct {
		const char *ins;
		int ok;
	} cases[] = {{"\\n", 1}, {"\\\"", 1}, {"\\\\", 1}, {"\x01", 0},
	    {"\x1f", 0}, {" ", 1}, {"\x7f", 1}, {"\x80", 0}, {"\xc3\xa9", 1},
	    {"\xe4\xb8\xad", 1}, {"\xf0\x9f\x94\xa5", 1}, {"\xc3", 0},
	    {"\xed\xa0\x80", 0}, {"\"", 0}, {"!", 1}, {"#", 1}, {"[", 1},
	    {"]", 1}, {"\xff", 0}};
	struct lp_json_members ms = {NULL, 0, 0};
	struct lp_buf line = LP_BUF_INIT;
	int c, pre, post, wrong = 0;

	for (c = 0; c < (int)(sizeof(cases) / sizeof(*cases)); c++)
		for (pre = 0; pre < 20; pre++)
			for (post = 0; post < 12; post += 3) {
				int got;

				lp_buf_reset(&line);
				lp_buf_adds(&line, "{\"k\":\"");
				lp_buf_addf(&line, "%.*s%s%.*s", pre,
				    "abcdefghijklmnopqrstuvwxyz", cases[c].ins,
				    post, "ABCDEFGHIJKLMNOP");
				lp_buf_adds(&line, "\",\"n\":1}");
				got = lp_json_scan(line.p, line.len, &ms);
				if (got != cases[c].ok ||
				    (got &&
					(ms.n != 2 ||
					    ms.m[0].vallen != line.len - 12 ||
					    !lp_json_scan_trusted(
						line.p, line.len, &ms) ||
					    ms.n != 2)))
					if (wrong++ < 5)
						fprintf(stderr,
						    "case %d pre %d post %d: "
						    "%d\n",
						    c, pre, post, got);
			}
	assert_eq_int(wrong, 0);
	lp_json_members_release(&ms);
	lp_buf_release(&line);
}

/* lp_json_load and json_loadb agree on p (value, member order, failure). */
static int
loads_agree(const char *p, size_t n, size_t flags)
{
	json_error_t ea, eb;
	json_t *a = lp_json_load(p, n, flags, &ea);
	json_t *b = json_loadb(p, n, flags, &eb);
	struct lp_buf x = LP_BUF_INIT, y = LP_BUF_INIT;
	int same = (a == NULL) == (b == NULL);

	if (a != NULL && b != NULL) {
		lp_json_dump(a, &x);
		lp_json_dump(b, &y);
		same = json_equal(a, b) && x.len == y.len &&
		    memcmp(x.p, y.p, x.len) == 0;
	} else if (a == NULL && b == NULL)
		same = strcmp(ea.text, eb.text) == 0 && ea.line == eb.line &&
		    ea.column == eb.column;
	json_decref(a);
	json_decref(b);
	lp_buf_release(&x);
	lp_buf_release(&y);
	if (!same)
		fprintf(stderr, "loads differ on %.*s\n", (int)n, p);
	return same;
}

/*
 * The quick loader builds exactly Jansson's values, and every text it
 * cannot take (each kind of bad input) still gets Jansson's message.
 */
TEST(load_agrees_with_jansson)
{
	static const char *const texts[] = {"{}", "[]",
	    " {\"a\" : [1, 2.5, -3, true, false, null] } ",
	    "{\"a\":1,\"a\":2,\"b\":3}",
	    /* escaped keys before escaped values, short and long */
	    "{\"a\\\"b\":\"x\\ny\",\"c\\td\":[\"\\u00e9\"]}",
	    "{\"k\\n01234567890123456789012345678901234567890123456789012345678"
	    "90"
	    "123456789\":\"v\\tw\"}",
	    "{\"k\":\"\\u00e9\\ud83d\\udd25\\n\\t\\/\\\"x\"}",
	    "[\"\xe4\xb8\xad\\u4e2d\"]",
	    "[0, -0, -0.0, 0.5, 1e5, 1E-5, 2.5e+3]",
	    "[123456789012345678, 1234567890123456789, -9223372036854775808]",
	    "[9223372036854775808]", "[1.7976931348623157e308, 1e309, 1e-400]",
	    "[0.1, 0.2, 0.30000000000000004, 3.141592653589793, 1e22, 1e23]",
	    "[-0.280459837041203, 12345678901234567890.5, 0.000001234]", "[01]",
	    "[1.]", "[.5]", "[+1]", "[-]", "[1e]", "[1x]", "[tru]", "[truex]",
	    "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "{1:2}",
	    "[\"\\u0000\"]", "[\"\\ud800\"]", "[\"\\udc00\"]",
	    "[\"\\ud800\\u0041\"]", "[\"\\x\"]", "[\"a\x01b\"]", "[\"\xff\"]",
	    "[\"\xc3\"]", "[\"\xed\xa0\x80\"]", "[\"abc", "[1] x", "", "  ",
	    "\"s\"", "5", "true", "[\"\\u00\"]", "{\"a\":1}{", "[[[[[]]]]]"};
	char deep[1200];
	int i, f, wrong = 0;
	static const size_t flags[] = {
	    0, JSON_DECODE_ANY, JSON_REJECT_DUPLICATES};

	for (i = 0; i < (int)(sizeof(texts) / sizeof(*texts)); i++)
		for (f = 0; f < 3; f++)
			wrong +=
			    !loads_agree(texts[i], strlen(texts[i]), flags[f]);
	/* Deeper than the quick loader goes: Jansson takes over. */
	for (i = 0; i < 600; i++) {
		deep[i] = '[';
		deep[1199 - i] = ']';
	}
	wrong += !loads_agree(deep, sizeof(deep), 0);
	assert_eq_int(wrong, 0);
}

/*
 * Over generated records written every way Jansson writes them (compact,
 * indented, ASCII-only with \\u escapes), and cut short.
 */
TEST(load_agrees_on_records)
{
	static const size_t dump[] = {JSON_COMPACT, JSON_INDENT(2),
	    JSON_ENSURE_ASCII | JSON_COMPACT, JSON_ESCAPE_SLASH};
	int i, wrong = 0;

	gen_state = 99;
	for (i = 0; i < 3000; i++) {
		json_t *r = gen_record();
		char *t = json_dumps(r, dump[i % 4]);
		size_t n = strlen(t);

		wrong += !loads_agree(t, n, 0);
		wrong += !loads_agree(t, gen_next() % (n + 1), JSON_DECODE_ANY);
		free(t);
		json_decref(r);
	}
	assert_eq_int(wrong, 0);
}

/* The shortest %.Ng that reads back, as the dumper defines it. */
static void
shortest_g(double d, char *out, size_t size)
{
	int prec, n = 0;

	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(out, size, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
	if (strpbrk(out, ".eEn") == NULL)
		snprintf(out + n, size - (size_t)n, ".0");
}

/*
 * Reals with up to four places are written without printf: the same
 * bytes as the general rule, over edges, every magnitude and sign, and
 * values that are not four-place decimals at all.
 */
TEST(real_fast_path)
{
	static const double edge[] = {0.0001, 0.00005, 0.00015, 0.0003,
	    0.1 + 0.2, 1.0 / 3, 2.0, 0.5, 0.9999, 0.99995, 1e11, 1e11 - 1e-4,
	    99999999999.9999, 12345678901.2345, 1e-5, 1e15, 3.0e-4, 7.1};
	struct lp_buf d = LP_BUF_INIT;
	uint64_t x = 7;
	int i, sign, wrong = 0;
	char want[48];

	for (i = 0; i < 300000 + (int)(sizeof(edge) / sizeof(*edge)); i++) {
		double v;

		if (i < (int)(sizeof(edge) / sizeof(*edge)))
			v = edge[i];
		else {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			/* k / 10^4 at every scale, or a raw random double */
			if (x >> 63)
				v = (double)(long long)(x >>
					(20 + (x >> 58) % 40)) /
				    1e4;
			else
				v = (double)(x >> 11) / (double)(1ULL << 53) *
				    pow(10, (int)((x >> 3) % 20) - 8);
		}
		for (sign = 1; sign >= -1; sign -= 2) {
			shortest_g(v * sign, want, sizeof(want));
			lp_buf_reset(&d);
			lp_json_dump_real(v * sign, &d);
			if (strcmp(d.p, want) != 0 && wrong++ < 5)
				fprintf(stderr, "%.17g: wrote %s, want %s\n",
				    v * sign, d.p, want);
		}
	}
	assert_eq_int(wrong, 0);
	lp_buf_release(&d);
}

TEST(paths)
{
	json_t *v = json_loads("{\"a\":{\"b\":1},\"s\":\"x\"}", 0, NULL);
	struct lp_error err = LP_ERROR_INIT;
	char *d;

	assert_eq_int(json_integer_value(lp_json_path_get(v, "a.b")), 1);
	assert_true(lp_json_path_get(v, "a.c") == NULL);
	assert_true(lp_json_path_get(v, "s.t") == NULL);
	assert_true(lp_json_path_get(v, "zz") == NULL);
	assert_eq_int(lp_json_path_set(v, "a.c.d", json_true(), &err), LP_OK);
	assert_eq_int(lp_json_path_set(v, "s.t", json_true(), &err), LP_FAILED);
	assert_eq_str(err.msg, "cannot set 's.t': 's' is not an object");
	assert_eq_int(
	    lp_json_path_set(v, "s.t.u", json_true(), NULL), LP_FAILED);
	d = json_dumps(v, JSON_COMPACT);
	assert_eq_str(d, "{\"a\":{\"b\":1,\"c\":{\"d\":true}},\"s\":\"x\"}");
	free(d);
	json_decref(v);
}

/* The digest is SHA-256 of the canonical bytes, 64 lower-case digits. */
TEST(digest_of_canonical_form)
{
	json_t *v = json_pack("{s:s,s:i}", "a", "x", "b", 2);
	char hex[65], want[65];
	const char canon[] = "{\"a\":\"x\",\"b\":2}";

	lp_json_digest(v, hex);
	lp_sha256_hex(canon, sizeof(canon) - 1, want);
	assert_eq_str(hex, want);
	assert_eq_int((int)strlen(hex), 64);
	json_decref(v);
}

/* The escapes byte by byte, the slow way, to check the fast one against. */
static void
dump_str_slowly(const unsigned char *s, size_t n, struct lp_buf *b)
{
	size_t i;

	lp_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			lp_buf_addf(b, "\\%c", s[i]);
		else if (s[i] == '\n')
			lp_buf_adds(b, "\\n");
		else if (s[i] == '\t')
			lp_buf_adds(b, "\\t");
		else if (s[i] == '\r')
			lp_buf_adds(b, "\\r");
		else if (s[i] == '\b')
			lp_buf_adds(b, "\\b");
		else if (s[i] == '\f')
			lp_buf_adds(b, "\\f");
		else if (s[i] < 0x20)
			lp_buf_addf(b, "\\u%04x", s[i]);
		else
			lp_buf_addc(b, (char)s[i]);
	}
	lp_buf_addc(b, '"');
}

/*
 * Every byte, at every place of strings of 0 to 24 bytes (the dumper
 * skips eight bytes at a time), among plain ASCII and UTF-8 bytes.
 */
TEST(dump_str_every_byte_everywhere)
{
	struct lp_buf fast = LP_BUF_INIT, slow = LP_BUF_INIT;
	unsigned char s[24];
	size_t n, at;
	int c, bad = 0;

	for (n = 0; n <= sizeof(s); n++)
		for (at = 0; at < (n ? n : 1); at++)
			for (c = 0; c < 256; c++) {
				size_t k;

				for (k = 0; k < n; k++)
					s[k] = k % 3 == 2 ? 0xc3 : 'a' + k % 26;
				if (n > 0)
					s[at] = (unsigned char)c;
				lp_buf_reset(&fast);
				lp_buf_reset(&slow);
				lp_json_dump_str((const char *)s, n, &fast);
				dump_str_slowly(s, n, &slow);
				bad += fast.len != slow.len ||
				    memcmp(fast.p, slow.p, fast.len) != 0;
			}
	assert_eq_int(bad, 0);
	lp_buf_release(&fast);
	lp_buf_release(&slow);
}

RUN_TESTS()
