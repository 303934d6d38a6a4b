#include <stdlib.h>
#include "lp/lp.h"
#include "lp/json.h"
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

TEST(paths)
{
	json_t *v = json_loads("{\"a\":{\"b\":1},\"s\":\"x\"}", 0, NULL);
	size_t bad = 0;
	char *d;

	assert_eq_int(json_integer_value(lp_json_path_get(v, "a.b")), 1);
	assert_true(lp_json_path_get(v, "a.c") == NULL);
	assert_true(lp_json_path_get(v, "s.t") == NULL);
	assert_true(lp_json_path_get(v, "zz") == NULL);
	assert_eq_int(lp_json_path_set(v, "a.c.d", json_true(), &bad), LP_OK);
	assert_eq_int(lp_json_path_set(v, "s.t", json_true(), &bad), LP_FAILED);
	assert_eq_int(bad, 1);
	d = json_dumps(v, JSON_COMPACT);
	assert_eq_str(d, "{\"a\":{\"b\":1,\"c\":{\"d\":true}},\"s\":\"x\"}");
	free(d);
	json_decref(v);
}

RUN_TESTS()
