#include <stdlib.h>
#include <string.h>
#include "core/hash.h"
#include "test.h"

static void
sha256_vectors_once(void)
{
	char hex[65];
	char million[1000];
	struct lp_sha256 c;
	unsigned char d[32];
	int i;

	lp_sha256_hex("", 0, hex);
	assert_eq_str(hex,
	    "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	lp_sha256_hex("abc", 3, hex);
	assert_eq_str(hex,
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	lp_sha256_hex(
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    hex);
	assert_eq_str(hex,
	    "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	/* One million 'a', fed in pieces. */
	memset(million, 'a', sizeof(million));
	lp_sha256_init(&c);
	for (i = 0; i < 1000; i++)
		lp_sha256_update(&c, million, sizeof(million));
	lp_sha256_final(&c, d);
	assert_eq_int(d[0], 0xcd);
	assert_eq_int(d[31], 0xd0);
}

/* The known answers, with the CPU's SHA instructions and without. */
TEST(sha256_vectors)
{
	lp_sha256_use_cpu = 1;
	sha256_vectors_once();
	lp_sha256_use_cpu = 0;
	sha256_vectors_once();
	lp_sha256_use_cpu = 1;
}

/*
 * Both ways agree on every length up to a few blocks and on any split
 * of the input between updates (so padding and partial blocks too).
 */
TEST(sha256_both_ways)
{
	unsigned char data[300];
	char a[65], b[65];
	int n, cut, wrong = 0;
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 131 + 7);
	for (n = 0; n <= (int)sizeof(data); n++)
		for (cut = 0; cut <= n; cut += 1 + n / 7) {
			struct lp_sha256 c;

			lp_sha256_use_cpu = 1;
			lp_sha256_init(&c);
			lp_sha256_update(&c, data, (size_t)cut);
			lp_sha256_update(&c, data + cut, (size_t)(n - cut));
			lp_sha256_final_hex(&c, a);
			lp_sha256_use_cpu = 0;
			lp_sha256_hex(data, (size_t)n, b);
			wrong += strcmp(a, b) != 0;
		}
	lp_sha256_use_cpu = 1;
	assert_eq_int(wrong, 0);
}

TEST(hash64_spreads)
{
	assert_true(lp_hash64("a", 1, 0) != lp_hash64("b", 1, 0));
	assert_true(lp_hash64("a", 1, 0) != lp_hash64("a", 1, 1));
	assert_eq_int(lp_hash64("abc", 3, 7) == lp_hash64("abc", 3, 7), 1);
	/* A seed is not cancelled by the data: no cross-seed collisions. */
	{
		int i, j, same = 0;

		for (i = 0; i < 256; i++)
			for (j = 0; j < 256; j++) {
				unsigned char a = (unsigned char)i,
					      b = (unsigned char)j;

				same +=
				    lp_hash64(&a, 1, 1) == lp_hash64(&b, 1, 2);
			}
		assert_eq_int(same, 0);
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

TEST(hash128_distinguishes_and_spreads)
{
	static uint64_t lo[200000];
	uint64_t l1, h1, l2, h2;
	unsigned char buf[40] = {0};
	int i, bits[128] = {0}, dup = 0;

	/* Lengths, trailing NULs and word boundaries all count. */
	lp_hash128("a", 1, &l1, &h1);
	lp_hash128("a\0", 2, &l2, &h2);
	assert_true(l1 != l2 && h1 != h2);
	lp_hash128(buf, 8, &l1, &h1);
	lp_hash128(buf, 16, &l2, &h2);
	assert_true(l1 != l2 && h1 != h2);
	lp_hash128("", 0, &l2, &h2);
	assert_true(l1 != l2);
	/* Keys one bit apart: each output bit flips about half the time. */
	for (i = 0; i < 200000; i++) {
		int b;

		memcpy(buf, &i, sizeof(i));
		buf[20 + i % 17] ^= 1;
		lp_hash128(buf, 37, &lo[i], &h1);
		buf[20 + i % 17] ^= 1;
		lp_hash128(buf, 37, &l2, &h2);
		for (b = 0; b < 64; b++) {
			bits[b] += (int)((lo[i] ^ l2) >> b & 1);
			bits[64 + b] += (int)((h1 ^ h2) >> b & 1);
		}
	}
	for (i = 0; i < 128; i++)
		assert_true(bits[i] > 98000 && bits[i] < 102000);
	/* 200,000 keys: no two share even the low 64 bits. */
	qsort(lo, 200000, sizeof(*lo), cmp_u64);
	for (i = 1; i < 200000; i++)
		dup += lo[i] == lo[i - 1];
	assert_eq_int(dup, 0);
}

RUN_TESTS()
