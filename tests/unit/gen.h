/* Random JSON values for property tests (deterministic per seed). */
#ifndef LP_TEST_GEN_H
#define LP_TEST_GEN_H

#include <jansson.h>
#include <stdint.h>
#include <string.h>

static uint64_t gen_state;

static uint64_t
gen_next(void)
{
	gen_state += 0x9e3779b97f4a7c15ULL;
	uint64_t z = gen_state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static json_t *
gen_string(void)
{
	static const char *const parts[] = {"a", "iPhone", " ", "\"", "\\", "/",
	    "\n", "\t", "\x01", "\x1f", "\xc2\xa3", "\xe4\xb8\xad",
	    "\xf0\x9f\x98\x80", "128GB", "\x7f", "lineage", "steps"};
	char buf[128];
	size_t n = 0, k = gen_next() % 8, i;

	for (i = 0; i < k; i++) {
		const char *p =
		    parts[gen_next() % (sizeof(parts) / sizeof(*parts))];
		size_t l = strlen(p);

		memcpy(buf + n, p, l);
		n += l;
	}
	return json_stringn(buf, n);
}

static json_t *
gen_value(int depth)
{
	static const double reals[] = {649.99, 0.1, 1.0, -0.0, 1e21, 1.5e-7,
	    123456789.125, 3.0e300, 0.30000000000000004, 2.5};
	int kind = (int)(gen_next() % (depth > 3 ? 6 : 8));
	json_t *v;
	int i, n;

	switch (kind) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(gen_next() & 1);
	case 2:
		return json_integer(
		    (json_int_t)(gen_next() % 2000000) - 1000000);
	case 3:
		return json_real(reals[gen_next() % 10]);
	case 4:
		return json_integer((json_int_t)1 << 60);
	case 5:
		return gen_string();
	case 6:
		v = json_array();
		n = (int)(gen_next() % 4);
		for (i = 0; i < n; i++)
			json_array_append_new(v, gen_value(depth + 1));
		return v;
	default:
		v = json_object();
		n = (int)(gen_next() % 5);
		for (i = 0; i < n; i++) {
			json_t *k = gen_string();

			json_object_set_new(
			    v, json_string_value(k), gen_value(depth + 1));
			json_decref(k);
		}
		return v;
	}
}

static json_t *
gen_record(void)
{
	json_t *r = gen_value(4);

	if (!json_is_object(r)) {
		json_t *o = json_object();

		json_object_set_new(o, "v", r);
		r = o;
	}
	return r;
}

#endif
