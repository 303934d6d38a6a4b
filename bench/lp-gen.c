/*
 * lp-gen: a deterministic generator of eBay-like listing records for
 * benchmarks and property tests.  Same N and seed, same bytes.
 *
 * usage: lp-gen [-n count] [-s seed] [--dup-rate P] [--near-rate P]
 *               [--bad-rate P] [--label]
 *
 * Exact duplicates repeat an earlier record under a new id; near duplicates
 * edit an earlier title (a word dropped or swapped, fluff or emoji added).
 * --label marks both with "gen":{"of":ID,"kind":"exact"|"near"} so the
 * dedup benchmark can score recall and precision.  --bad-rate mixes in
 * malformed lines (not JSON, arrays, invalid UTF-8).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp/lp.h"
#include "lp/buf.h"
#include "lp/json.h"

static uint64_t state;

static uint64_t
rnd(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#define PICK(a) (a[rnd() % (sizeof(a) / sizeof(a[0]))])

static const char *const brands[] = {"Apple", "Samsung", "Sony", "Dell", "HP",
    "Lenovo", "Nintendo", "Canon", "Bosch", "Dyson", "LEGO", "Nike", "Adidas",
    "Garmin", "Bose", "Philips"};
static const char *const products[] = {"iPhone 13", "Galaxy S21",
    "PlayStation 5", "XPS 15 Laptop", "ThinkPad T14", "Switch OLED",
    "EOS 250D Camera", "Cordless Drill", "V11 Vacuum", "Technic Set 42115",
    "Air Max 90 Trainers", "Forerunner 255 Watch", "QuietComfort Headphones",
    "Hue Bulb", "Galaxy Tab S8", "MacBook Air", "Pixel 7", "Kindle Paperwhite"};
static const char *const units[] = {"128GB", "256 GB", "64gb", "1TB", "8GB RAM",
    "15.6\"", "13.3 inch", "6.1in", "5000mAh", "18V", "2200W", "500ml",
    "2.4GHz", "10x20cm", "1.5kg", "27-inch", "512G", "4K"};
static const char *const fluff[] = {"L@@K", "WOW", "!!!", "*** BARGAIN ***",
    "FREE P&P", "FREE POSTAGE", "UK SELLER", "FAST DISPATCH", "100% GENUINE",
    "MUST SEE", "BNIB", "BNWT", "RARE", "NEW"};
static const char *const emoji[] = {"\xf0\x9f\x94\xa5", "\xe2\x9c\xa8",
    "\xf0\x9f\x8e\x81", "\xe2\xad\x90\xef\xb8\x8f",
    "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7",
    "\xe2\x9d\xa4\xef\xb8\x8f"};
static const char *const colours[] = {
    "Black", "White", "Silver", "Blue", "Midnight", "Red", "Graphite"};
static const char *const conditions[] = {"Brand New", "New (other)",
    "Opened – never used", "Refurbished", "Pre-owned", "Used",
    "For parts or not working"};
static const char *const places[] = {"London, United Kingdom",
    "Manchester, United Kingdom", "Leeds", "Glasgow, United Kingdom", "Cardiff",
    "Bristol, United Kingdom"};

struct rec {
	char title[256];
	long pennies;
	int cond, place;
};

static void
make_title(struct rec *r)
{
	struct lp_buf t = LP_BUF_INIT;

	if (rnd() % 4 == 0)
		lp_buf_addf(&t, "%s ", PICK(fluff));
	lp_buf_addf(&t, "%s %s %s %s", PICK(brands), PICK(products),
	    PICK(units), PICK(colours));
	if (rnd() % 3 == 0)
		lp_buf_addf(&t, " %s", PICK(fluff));
	if (rnd() % 4 == 0)
		lp_buf_addf(&t, " %s", PICK(emoji));
	if (rnd() % 6 == 0)
		lp_buf_addf(&t, " %s", PICK(units));
	snprintf(r->title, sizeof(r->title), "%s", t.p);
	lp_buf_release(&t);
}

/* A near duplicate: drop a word, swap two, or add fluff or an emoji. */
static void
near_edit(struct rec *r)
{
	char words[24][64], out[256] = "";
	int n = 0, i, k;
	char *save, *w, copy[256];

	snprintf(copy, sizeof(copy), "%s", r->title);
	for (w = strtok_r(copy, " ", &save); w != NULL && n < 24;
	     w = strtok_r(NULL, " ", &save))
		snprintf(words[n++], sizeof(words[0]), "%s", w);
	k = (int)(rnd() % 3);
	if (k == 0 && n > 5) {
		int drop = (int)(rnd() % (uint64_t)n);

		for (i = drop; i + 1 < n; i++)
			memcpy(words[i], words[i + 1], sizeof(words[0]));
		n--;
	} else if (k == 1 && n > 2) {
		int a = (int)(rnd() % (uint64_t)(n - 1));
		char tmp[64];

		memcpy(tmp, words[a], sizeof(tmp));
		memcpy(words[a], words[a + 1], sizeof(tmp));
		memcpy(words[a + 1], tmp, sizeof(tmp));
	} else if (n < 23)
		snprintf(words[n++], sizeof(words[0]), "%s", PICK(emoji));
	for (i = 0; i < n; i++) {
		size_t l = strlen(out);

		snprintf(
		    out + l, sizeof(out) - l, "%s%s", i ? " " : "", words[i]);
	}
	snprintf(r->title, sizeof(r->title), "%s", out);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"dup-rate", required_argument, NULL, 'd'},
	    {"near-rate", required_argument, NULL, 'e'},
	    {"bad-rate", required_argument, NULL, 'b'},
	    {"label", no_argument, NULL, 'l'}, {NULL, 0, NULL, 0}};
	long long n = 1000, i;
	double dup = 0.05, nearr = 0.05, badr = 0;
	int ch, label = 0;
	struct rec *ring;
	long long *ring_id;
	const size_t RING = 4096;
	struct lp_buf b = LP_BUF_INIT;

	state = 1;
	while ((ch = getopt_long(argc, argv, "n:s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			n = strtoll(optarg, NULL, 10);
			break;
		case 's':
			state = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			dup = strtod(optarg, NULL);
			break;
		case 'e':
			nearr = strtod(optarg, NULL);
			break;
		case 'b':
			badr = strtod(optarg, NULL);
			break;
		case 'l':
			label = 1;
			break;
		default:
			fprintf(stderr,
			    "usage: lp-gen [-n count] [-s seed] "
			    "[--dup-rate P] [--near-rate P] [--bad-rate P] "
			    "[--label]\n");
			return 2;
		}
	}
	ring = calloc(RING, sizeof(*ring));
	ring_id = calloc(RING, sizeof(*ring_id));
	for (i = 0; i < n; i++) {
		double u = (double)(rnd() % 1000000) / 1e6;
		struct rec r;
		const char *kind = NULL;
		long long id = 256000000000LL + i, of = 0;

		if (badr > 0 && (double)(rnd() % 1000000) / 1e6 < badr) {
			static const char *const bad[] = {
			    "{\"id\":\"ebay-uk:1\",\"title\":", "[1,2,3]",
			    "not json at all", "{\"title\":\"caf\xe9\"}", "42"};
			printf("%s\n", PICK(bad));
			continue;
		}
		if (i > 0 && u < dup) {
			size_t j = rnd() %
			    (size_t)(i < (long long)RING ? i : (long long)RING);

			r = ring[j];
			of = ring_id[j];
			kind = "exact";
		} else if (i > 0 && u < dup + nearr) {
			size_t j = rnd() %
			    (size_t)(i < (long long)RING ? i : (long long)RING);

			r = ring[j];
			of = ring_id[j];
			near_edit(&r);
			kind = "near";
		} else {
			make_title(&r);
			r.pennies = 99 + (long)(rnd() % 150000);
			r.cond = (int)(rnd() % 7);
			r.place = (int)(rnd() % 6);
			ring[(size_t)i % RING] = r;
			ring_id[(size_t)i % RING] = id;
		}
		lp_buf_reset(&b);
		lp_buf_addf(&b, "{\"id\":\"ebay-uk:%lld\",\"title\":", id);
		lp_json_dump_str(r.title, strlen(r.title), &b);
		lp_buf_addf(&b,
		    ",\"url\":\"https://www.ebay.co.uk/itm/%lld\","
		    "\"price\":{\"amount\":%ld.%02ld,\"currency\":\"GBP\","
		    "\"text\":\"\xc2\xa3%ld.%02ld\"},\"condition\":\"%s\","
		    "\"location\":\"%s\"",
		    id, r.pennies / 100, r.pennies % 100, r.pennies / 100,
		    r.pennies % 100, conditions[r.cond], places[r.place]);
		if (label && kind != NULL)
			lp_buf_addf(&b,
			    ",\"gen\":{\"of\":\"ebay-uk:%lld\","
			    "\"kind\":\"%s\"}",
			    of, kind);
		lp_buf_adds(&b, "}\n");
		fwrite(b.p, 1, b.len, stdout);
	}
	free(ring);
	free(ring_id);
	lp_buf_release(&b);
	return fflush(stdout) == 0 ? 0 : 74;
}
