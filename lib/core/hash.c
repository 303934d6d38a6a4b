#include <string.h>

#include "core/status.h"
#include "core/hash.h"

/* SHA-256 as FIPS 180-4 defines it. */
static const uint32_t K[64] = {0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
    0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
    0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138,
    0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624,
    0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
    0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f,
    0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
block_c(struct lp_sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, cc, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 64; i++) {
		uint32_t s0 =
		    ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 =
		    ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = c->h[0];
	b = c->h[1];
	cc = c->h[2];
	d = c->h[3];
	e = c->h[4];
	f = c->h[5];
	g = c->h[6];
	h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	c->h[5] += f;
	c->h[6] += g;
	c->h[7] += h;
}

int lp_sha256_use_cpu = 1;

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

/*
 * The same compression with the CPU's SHA extensions (Intel SHA-NI, most
 * x86-64 since 2017 and every Zen): about five times as fast, which
 * matters for the request digests of cached LLM reruns and the WARC
 * digests of whole pages.  The state is kept as ABEF/CDGH, the order
 * SHA256RNDS2 wants; each step does four rounds and schedules the four
 * message words that twelve rounds later need.
 */
__attribute__((target("sha,ssse3,sse4.1"))) static void
block_ni(struct lp_sha256 *c, const unsigned char *p)
{
	const __m128i bswap =
	    _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i abef, cdgh, t, m, w[4], abef0, cdgh0;
	int i;

	/* h[0..3] = ABCD, h[4..7] = EFGH: regroup as ABEF and CDGH. */
	t = _mm_loadu_si128((const __m128i *)&c->h[0]);
	t = _mm_shuffle_epi32(t, 0xb1);
	cdgh = _mm_loadu_si128((const __m128i *)&c->h[4]);
	cdgh = _mm_shuffle_epi32(cdgh, 0x1b);
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);
	abef0 = abef;
	cdgh0 = cdgh;
	for (i = 0; i < 4; i++)
		w[i] = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
	for (i = 0; i < 16; i++) {
		m = _mm_add_epi32(
		    w[i & 3], _mm_loadu_si128((const __m128i *)&K[4 * i]));
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
		abef = _mm_sha256rnds2_epu32(
		    abef, cdgh, _mm_shuffle_epi32(m, 0x0e));
		if (i < 12) {
			/* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16] */
			t = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
			t = _mm_add_epi32(t,
			    _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4));
			w[i & 3] = _mm_sha256msg2_epu32(t, w[(i + 3) & 3]);
		}
	}
	abef = _mm_add_epi32(abef, abef0);
	cdgh = _mm_add_epi32(cdgh, cdgh0);
	/* And back to ABCD, EFGH. */
	t = _mm_shuffle_epi32(abef, 0x1b);
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
	abef = _mm_blend_epi16(t, cdgh, 0xf0);
	cdgh = _mm_alignr_epi8(cdgh, t, 8);
	_mm_storeu_si128((__m128i *)&c->h[0], abef);
	_mm_storeu_si128((__m128i *)&c->h[4], cdgh);
}

static int cpu_has_sha;

/* Asked once, before main: CPUID is slow, and in a VM slower still. */
__attribute__((constructor)) static void
sha_probe(void)
{
	unsigned a, b, c, d;

	/* SSSE3 and SSE4.1 (leaf 1, ECX bits 9, 19), SHA (leaf 7, EBX 29). */
	if (__get_cpuid(1, &a, &b, &c, &d) && (c >> 9 & 1) && (c >> 19 & 1) &&
	    __get_cpuid_count(7, 0, &a, &b, &c, &d))
		cpu_has_sha = b >> 29 & 1;
}

static void
block(struct lp_sha256 *c, const unsigned char *p)
{
	if (lp_sha256_use_cpu && cpu_has_sha)
		block_ni(c, p);
	else
		block_c(c, p);
}
#else
static void
block(struct lp_sha256 *c, const unsigned char *p)
{
	block_c(c, p);
}
#endif

void
lp_sha256_init(struct lp_sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
	    0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->fill = 0;
}

void
lp_sha256_update(struct lp_sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->len += n;
	while (n > 0) {
		size_t k = 64 - c->fill;

		/* Whole blocks straight from the input, without a copy. */
		if (c->fill == 0 && n >= 64) {
			block(c, p);
			p += 64;
			n -= 64;
			continue;
		}

		if (k > n)
			k = n;
		memcpy(c->block + c->fill, p, k);
		c->fill += k;
		p += k;
		n -= k;
		if (c->fill == 64) {
			block(c, c->block);
			c->fill = 0;
		}
	}
}

void
lp_sha256_final(struct lp_sha256 *c, unsigned char out[32])
{
	static const unsigned char pad[64] = {0x80};
	uint64_t bits = c->len * 8;
	unsigned char len[8];
	int i;

	/* 0x80, zeros up to 56 bytes into a block, the length in bits. */
	lp_sha256_update(c, pad, c->fill < 56 ? 56 - c->fill : 120 - c->fill);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	lp_sha256_update(c, len, 8);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

void
lp_sha256_final_hex(struct lp_sha256 *c, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char d[32];
	int i;

	lp_sha256_final(c, d);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

void
lp_sha256_hex(const void *p, size_t n, char hex[65])
{
	struct lp_sha256 c;

	lp_sha256_init(&c);
	lp_sha256_update(&c, p, n);
	lp_sha256_final_hex(&c, hex);
}

/* splitmix64's finaliser: a bijection with full avalanche. */
static uint64_t
fmix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

uint64_t
lp_hash64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	/*
	 * The seed goes in after the bytes, mixed: XORed into FNV's start
	 * it could be cancelled by the first byte (hash("a", 1) equalled a
	 * hash of another byte under seed 2).
	 */
	return fmix(h ^ fmix(seed + 0x9e3779b97f4a7c15ULL) ^ (uint64_t)n);
}

static uint64_t
rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

static void
lanes(uint64_t *a, uint64_t *b, uint64_t w)
{
	*a = rotl(*a ^ fmix(w), 29) * 0x9e3779b97f4a7c15ULL;
	*b = rotl(*b + fmix(w ^ 0x5bd1e9955bd1e995ULL), 31) *
	    0xc4ceb9fe1a85ec53ULL;
}

void
lp_hash128(const void *data, size_t n, uint64_t *lo, uint64_t *hi)
{
	const unsigned char *p = data;
	uint64_t a = 0x243f6a8885a308d3ULL ^ n, b = 0x13198a2e03707344ULL + n,
		 w = 0;
	size_t i;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		lanes(&a, &b, w);
	}
	/* The tail, with its length, so "a" and "a\0" differ. */
	w = (uint64_t)n << 56;
	for (i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	lanes(&a, &b, w);
	*lo = fmix(a + rotl(b, 17));
	*hi = fmix(b ^ rotl(a, 41));
}
