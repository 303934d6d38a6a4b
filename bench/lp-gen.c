/*
 * lp-gen: a deterministic generator of eBay-like listing records for
 * benchmarks, property tests and the dedup accuracy evaluation.  Same
 * options and seed, same bytes.
 *
 * usage: lp-gen [-n count] [-s seed] [--dup-rate P] [--near-rate P]
 *               [--variant-rate P] [--bad-rate P] [--label] [--annotate]
 *               [--catalog N]
 *
 * Titles are built like real ones: brand, series and a model code drawn
 * from a space of millions, then capacity, colour, condition, a few of some
 * 300 descriptive words and, now and then, fluff or an emoji.  Three kinds
 * of repeat refer to one of the last 65,536 original listings:
 *   exact    the same listing under a new id;
 *   near     one to three edits (a word dropped, two swapped, fluff or an
 *            emoji added, a letter changed, case or punctuation changed);
 *   variant  the same product with another capacity or colour and its own
 *            words: a different listing that must be kept.
 * --label marks them with "gen":{"of":ID,"kind":KIND} so bench/dedup-eval
 * can score recall and precision.  --bad-rate mixes in malformed lines
 * (not JSON, arrays, invalid UTF-8).
 *
 * --catalog N makes the records of one search on a marketplace instead:
 * N products (as above), each listed many times, every listing another
 * colour half the time, its capacity spelt another way ("128GB", "128 gb")
 * a third of the time, one to three near edits and a price within 10%.
 * Most titles are near duplicates of earlier ones, and many earlier
 * listings are candidates for each; the repeat rates and --label do not
 * apply.
 *
 * --annotate adds what the later stages would: a translation, the judge's
 * rating (1-4, right 80% of the time, more confident when right), and on
 * 30% of records two or three labels by eight annotators of differing
 * accuracy (0.95 down to 0.74) with their time to label, a gold answer on
 * every 20th labelled record, and lineage steps spread over 14 days.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/rng.h"
#include "core/json.h"

static struct lp_rng rng;

static uint64_t
rnd(void)
{
	return lp_rng_next(&rng);
}

static double
unif(void)
{
	return lp_rng_unit(&rng);
}

#define NELEM(a) (sizeof(a) / sizeof(a[0]))
#define PICK(a) (a[rnd() % NELEM(a)])

/* A category: its brands, series names and the nouns that end a title. */
struct category {
	const char *brands[8], *series[8], *nouns[4];
};

static const struct category cats[] = {
    {{"Apple", "Samsung", "Google", "Xiaomi", "OnePlus", "Motorola", "Nokia",
	 "Sony"},
	{"iPhone", "Galaxy", "Pixel", "Redmi", "Nord", "Moto G", "Xperia",
	    "Galaxy Z"},
	{"Smartphone", "Mobile Phone", "Phone", "Handset"}},
    {{"Dell", "HP", "Lenovo", "Asus", "Acer", "Apple", "Microsoft", "MSI"},
	{"XPS", "EliteBook", "ThinkPad", "ZenBook", "Aspire", "MacBook Pro",
	    "Surface Laptop", "Prestige"},
	{"Laptop", "Notebook", "Ultrabook", "Laptop PC"}},
    {{"Sony", "Nintendo", "Microsoft", "Valve", "Sega", "Atari", "Razer",
	 "Logitech"},
	{"PlayStation", "Switch", "Xbox Series", "Steam Deck", "Mega Drive",
	    "2600+", "Kishi", "G29"},
	{"Console", "Games Console", "Controller", "Bundle"}},
    {{"Canon", "Nikon", "Fujifilm", "Olympus", "Panasonic", "Sony", "Pentax",
	 "GoPro"},
	{"EOS", "Z", "X-T", "OM-D", "Lumix", "Alpha", "K", "Hero"},
	{"Camera", "Camera Body", "DSLR Camera", "Mirrorless Camera"}},
    {{"Bosch", "Makita", "DeWalt", "Ryobi", "Milwaukee", "Einhell",
	 "Black+Decker", "Festool"},
	{"GSR", "DHP", "DCD", "One+", "M18", "TE-CD", "BDC", "TXS"},
	{"Cordless Drill", "Impact Driver", "Combi Drill", "Drill Driver"}},
    {{"Nike", "Adidas", "New Balance", "Puma", "Asics", "Reebok", "Vans",
	 "Converse"},
	{"Air Max", "Ultraboost", "574", "Suede", "Gel-Kayano", "Classic",
	    "Old Skool", "Chuck Taylor"},
	{"Trainers", "Running Shoes", "Sneakers", "Shoes"}},
    {{"Bose", "Sony", "Sennheiser", "JBL", "Beats", "Apple", "Jabra",
	 "Audio-Technica"},
	{"QuietComfort", "WH-", "Momentum", "Tune", "Studio", "AirPods",
	    "Elite", "ATH-M"},
	{"Headphones", "Earbuds", "Headset", "Wireless Headphones"}},
    {{"LEGO", "Playmobil", "Hasbro", "Mattel", "Hornby", "Bandai", "Corgi",
	 "Meccano"},
	{"Technic", "City", "Star Wars", "Creator", "Harry Potter", "Ninjago",
	    "Duplo", "Ideas"},
	{"Set", "Building Set", "Kit", "Toy"}}};

static const char *const capacities[] = {"32GB", "64GB", "128GB", "256 GB",
    "512GB", "1TB", "2TB", "8GB RAM", "16GB RAM", "64gb", "128 gb", "4GB",
    "500GB SSD", "1TB SSD", "256GB SSD"};
static const char *const sizes[] = {"UK 7", "UK 8", "UK 9", "UK 10", "UK 11",
    "13.3\"", "14 inch", "15.6\"", "6.1in", "6.7\"", "18V", "12V", "24.2MP",
    "45MP", "20MP"};
static const char *const colours[] = {"Black", "White", "Silver", "Blue",
    "Midnight", "Red", "Graphite", "Space Grey", "Gold", "Rose Gold", "Green",
    "Purple", "Pink", "Yellow", "Starlight", "Phantom Black", "Sierra Blue",
    "Navy", "Grey", "Beige", "Orange", "Teal", "Burgundy", "Cream", "Charcoal",
    "Olive", "Lavender", "Coral", "Bronze", "Titanium"};
static const char *const conditions[] = {"Brand New", "New (other)",
    "Opened – never used", "Refurbished", "Pre-owned", "Used",
    "For parts or not working"};
static const char *const places[] = {"London, United Kingdom",
    "Manchester, United Kingdom", "Leeds", "Glasgow, United Kingdom", "Cardiff",
    "Bristol, United Kingdom", "Belfast", "Norwich, Norfolk", "Hong Kong",
    "Birmingham, United Kingdom"};
static const char *const words[] = {"Unlocked", "Boxed", "Genuine", "Original",
    "Wireless", "Bluetooth", "Pro", "Max", "Mini", "Plus", "Ultra", "Lite",
    "Edition", "Bundle", "Charger", "Case", "Cover", "Grade", "A", "B", "C",
    "Excellent", "Good", "Fair", "Condition", "Working", "Tested", "Faulty",
    "Spares", "Repairs", "Cracked", "Screen", "Battery", "Health", "Sealed",
    "Warranty", "Receipt", "Official", "Limited", "Special", "Collector's",
    "Retro", "Vintage", "Classic", "Modern", "Compact", "Portable",
    "Lightweight", "Heavy", "Duty", "Professional", "Home", "Office", "Gaming",
    "Travel", "Outdoor", "Indoor", "Kids", "Adult", "Mens", "Womens", "Unisex",
    "Sport", "Casual", "Smart", "Digital", "Analogue", "Noise", "Cancelling",
    "Over-Ear", "In-Ear", "On-Ear", "Stereo", "Surround", "HDR", "OLED", "LCD",
    "LED", "Touchscreen", "Keyboard", "Mouse", "Stand", "Dock", "Cable",
    "Adapter", "Lens", "Kit", "Body", "Only", "Strap", "Bag", "Memory", "Card",
    "SD", "Dual", "SIM", "5G", "4G", "WiFi", "Cellular", "GPS", "NFC", "USB-C",
    "Lightning", "HDMI", "Fast", "Charging", "Quick", "Release", "Zoom",
    "Optical", "Image", "Stabiliser", "Autofocus", "Manual", "Automatic",
    "Brushless", "Motor", "Li-ion", "Batteries", "x2", "x3", "Pack", "Set",
    "Pieces", "Complete", "Sealed", "Rare", "Discontinued", "Exclusive",
    "Signed", "Mint", "Near", "Immaculate", "Scratches", "Marks", "Light",
    "Signs", "Wear", "Worn", "Once", "Twice", "Never", "Used", "Spare",
    "Replacement", "Upgrade", "Expansion", "Storage", "Memory", "Processor",
    "Intel", "AMD", "Core", "i5", "i7", "i9", "Ryzen", "M1", "M2", "Chip",
    "Graphics", "RTX", "GTX", "Windows", "11", "10", "macOS", "Linux",
    "Android", "iOS", "Leather", "Suede", "Mesh", "Canvas", "Rubber", "Plastic",
    "Metal", "Aluminium", "Steel", "Wood", "Glass", "Ceramic", "Cotton", "Wool",
    "Waterproof", "Water", "Resistant", "Dustproof", "Shockproof", "Rugged",
    "Slim", "Thin", "Large", "Medium", "Small", "XL", "XXL", "Size", "Fit",
    "Regular", "Wide", "Narrow", "Low", "High", "Top", "Mid", "Cushioned",
    "Breathable", "Comfortable", "Soft", "Hard", "Shell", "Protective",
    "Screen", "Protector", "Tempered", "Holder", "Mount", "Tripod", "Flash",
    "Remote", "Controller", "Joy-Con", "Games", "Game", "Disc", "Digital",
    "Console", "Only", "Boxed", "Manuals", "Instructions", "Minifigures",
    "Figure", "Figures", "Track", "Train", "Engine", "Locomotive", "Carriage",
    "Scale", "OO", "Gauge", "Model", "Diecast", "Vehicle", "Car", "Bike",
    "Drone", "Camera", "Action", "Helmet", "Chest", "Wrist", "Band", "Watch",
    "Fitness", "Tracker", "Heart", "Rate", "Monitor", "Sleep", "Step",
    "Counter", "Alarm", "Clock", "Radio", "Speaker", "Soundbar", "Subwoofer",
    "Amplifier", "Turntable", "Record", "Player", "Vinyl", "CD", "DVD",
    "Blu-ray", "4K", "UHD", "TV", "Projector", "Screen", "Cinema", "Theatre",
    "System"};
static const char *const fluff[] = {"L@@K", "WOW", "!!!", "*** BARGAIN ***",
    "FREE P&P", "FREE POSTAGE", "UK SELLER", "FAST DISPATCH", "100% GENUINE",
    "MUST SEE", "BNIB", "BNWT", "RARE", "NEW", "NO RESERVE", "~~ LOOK ~~"};
static const char *const emoji[] = {"\xf0\x9f\x94\xa5", "\xe2\x9c\xa8",
    "\xf0\x9f\x8e\x81", "\xe2\xad\x90\xef\xb8\x8f",
    "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7",
    "\xe2\x9d\xa4\xef\xb8\x8f", "\xf0\x9f\x93\xb1", "\xf0\x9f\x92\xaf"};

#define MAXW 32

/* A listing as the words of its title and the fields around it. */
struct rec {
	char w[MAXW][40];
	int nw, cat, brand, series, model;
	int col, ncol; /* where the colour's words are, and how many */
	long pennies;
	int cond, place;
};

static void
add(struct rec *r, const char *s)
{
	if (r->nw < MAXW)
		snprintf(r->w[r->nw++], sizeof(r->w[0]), "%s", s);
}

/* Add s split at its spaces, so that word edits see single words. */
static void
add_words(struct rec *r, const char *s)
{
	char tmp[128], *p, *save = NULL;

	snprintf(tmp, sizeof(tmp), "%s", s);
	for (p = strtok_r(tmp, " ", &save); p != NULL;
	     p = strtok_r(NULL, " ", &save))
		add(r, p);
}

/* Brand, series and model code, e.g. "Dell XPS 9315" or "Canon EOS 7D". */
static void
product(struct rec *r)
{
	const struct category *c = &cats[r->cat];
	char code[32];
	int m = r->model;

	add_words(r, c->brands[r->brand]);
	add_words(r, c->series[r->series]);
	switch (m % 4) {
	case 0:
		snprintf(code, sizeof(code), "%d", m / 4 % 10000);
		break;
	case 1:
		snprintf(code, sizeof(code), "%c%d", 'A' + m / 4 % 26,
		    m / 104 % 1000);
		break;
	case 2:
		snprintf(code, sizeof(code), "%d%c", m / 4 % 100,
		    "XsGT"[m / 400 % 4]);
		break;
	default:
		snprintf(code, sizeof(code), "%c%c-%d", 'A' + m / 4 % 26,
		    'A' + m / 104 % 26, m / 2704 % 10000);
	}
	add(r, code);
}

/* The title's words after the product: attributes and description. */
static void
describe(struct rec *r)
{
	int i, n = 2 + (int)(rnd() % 6);

	if (rnd() % 2)
		add_words(r, PICK(capacities));
	else if (rnd() % 2)
		add_words(r, PICK(sizes));
	r->col = r->nw;
	add_words(r, PICK(colours));
	r->ncol = r->nw - r->col;
	for (i = 0; i < n; i++)
		add(r, PICK(words));
	add_words(r, cats[r->cat].nouns[rnd() % 4]);
	if (rnd() % 5 == 0)
		add_words(r, PICK(fluff));
	if (rnd() % 8 == 0)
		add(r, PICK(emoji));
}

static void
make(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->cat = (int)(rnd() % NELEM(cats));
	r->brand = (int)(rnd() % 8);
	/* Mostly the brand's own series; now and then a mismatch. */
	r->series = rnd() % 4 ? r->brand : (int)(rnd() % 8);
	r->model = (int)(rnd() % 27040000);
	if (rnd() % 6 == 0)
		add_words(r, PICK(fluff));
	product(r);
	describe(r);
	r->pennies = 99 + (long)(rnd() % 150000);
	r->cond = (int)(rnd() % NELEM(conditions));
	r->place = (int)(rnd() % NELEM(places));
}

/* The same product, described afresh: another listing, to be kept. */
static void
variant(struct rec *r)
{
	r->nw = 0;
	product(r);
	describe(r);
	r->pennies = 99 + (long)(rnd() % 150000);
}

/* One to three small edits, as sellers relisting an item make them. */
static void
near_edit(struct rec *r)
{
	int e, edits = 1 + (rnd() % 4 == 0) + (rnd() % 8 == 0);
	char tmp[40];

	for (e = 0; e < edits; e++) {
		int a = (int)(rnd() % (uint64_t)r->nw);
		size_t len = strlen(r->w[a]);

		switch (rnd() % 7) {
		case 0: /* drop a word */
			if (r->nw > 4) {
				memmove(r->w[a], r->w[a + 1],
				    sizeof(r->w[0]) * (size_t)(r->nw - a - 1));
				r->nw--;
			}
			break;
		case 1: /* swap two neighbours */
			if (a + 1 < r->nw) {
				memcpy(tmp, r->w[a], sizeof(tmp));
				memcpy(r->w[a], r->w[a + 1], sizeof(tmp));
				memcpy(r->w[a + 1], tmp, sizeof(tmp));
			}
			break;
		case 2:
			add_words(r, PICK(fluff));
			break;
		case 3:
			add(r, PICK(emoji));
			break;
		case 4: /* a typo */
			if (len > 3 && isalpha((unsigned char)r->w[a][len / 2]))
				r->w[a][len / 2] = (char)('a' + rnd() % 26);
			break;
		case 5: /* shouting */
			for (len = 0; r->w[a][len] != '\0'; len++)
				r->w[a][len] =
				    (char)toupper((unsigned char)r->w[a][len]);
			break;
		default: /* punctuation */
			if (len + 3 < sizeof(r->w[0]))
				memcpy(
				    r->w[a] + len, rnd() % 2 ? ",\0" : " -", 3);
		}
	}
}

/* Put s's words in place of words at..at+n of r. */
static void
replace_words(struct rec *r, int at, int n, const char *s)
{
	struct rec t;
	int i;

	t.nw = 0;
	add_words(&t, s);
	if (r->nw - n + t.nw > MAXW)
		return;
	memmove(r->w[at + t.nw], r->w[at + n],
	    sizeof(r->w[0]) * (size_t)(r->nw - at - n));
	for (i = 0; i < t.nw; i++)
		memcpy(r->w[at + i], t.w[i], sizeof(r->w[0]));
	r->nw += t.nw - n;
}

/* A capacity written another way: "128GB", "128 GB", "128gb", "128 Gb". */
static void
respell_units(struct rec *r)
{
	int i;

	for (i = 0; i < r->nw; i++) {
		char *w = r->w[i], *u = w;
		char tmp[48];

		while (isdigit((unsigned char)*u))
			u++;
		if (u == w || (*u != 'G' && *u != 'T' && *u != 'g'))
			continue;
		snprintf(tmp, sizeof(tmp), "%.*s%s%c%c", (int)(u - w), w,
		    rnd() % 2 ? " " : "",
		    rnd() % 2 ? toupper(u[0]) : tolower(u[0]),
		    rnd() % 2 ? 'B' : 'b');
		replace_words(r, i, 1, tmp);
		return;
	}
}

/*
 * One listing of a redundant catalog (--catalog): a product of the
 * catalogue, listed again with another colour half the time, its units
 * spelt another way a third of the time, and one to three edits.
 */
static void
catalog_listing(struct rec *r, const struct rec *catalog, long long n)
{
	*r = catalog[rnd() % (uint64_t)n];
	if (rnd() % 2 && r->ncol > 0) {
		replace_words(r, r->col, r->ncol, PICK(colours));
		r->ncol = 0;
	}
	if (rnd() % 3 == 0)
		respell_units(r);
	near_edit(r);
	r->pennies = r->pennies * (long)(90 + rnd() % 21) / 100;
}

static void
emit(struct lp_buf *b, const struct rec *r, long long id, const char *kind,
    long long of)
{
	struct lp_buf t = LP_BUF_INIT;
	int i;

	for (i = 0; i < r->nw; i++)
		lp_buf_addf(&t, "%s%s", i ? " " : "", r->w[i]);
	lp_buf_reset(b);
	lp_buf_addf(b, "{\"id\":\"ebay-uk:%lld\",\"title\":", id);
	lp_json_dump_str(t.p, t.len, b);
	lp_buf_addf(b,
	    ",\"url\":\"https://www.ebay.co.uk/itm/%lld\","
	    "\"price\":{\"amount\":%ld.%02ld,\"currency\":\"GBP\","
	    "\"text\":\"\xc2\xa3%ld.%02ld\"},\"condition\":\"%s\","
	    "\"location\":\"%s\"",
	    id, r->pennies / 100, r->pennies % 100, r->pennies / 100,
	    r->pennies % 100, conditions[r->cond], places[r->place]);
	if (kind != NULL)
		lp_buf_addf(b,
		    ",\"gen\":{\"of\":\"ebay-uk:%lld\",\"kind\":\"%s\"}", of,
		    kind);
	lp_buf_adds(b, "}\n");
	lp_buf_release(&t);
}

/* A quality class 1-4, as skewed as real translations are. */
static int
true_class(void)
{
	double u = unif();

	return u < 0.10 ? 1 : u < 0.25 ? 2 : u < 0.55 ? 3 : 4;
}

/* c, or a neighbouring class with probability 1 - acc. */
static int
noisy(int c, double acc)
{
	if (unif() < acc)
		return c;
	return c == 1 ? 2 : c == 4 ? 3 : c + (rnd() & 1 ? 1 : -1);
}

/* The fields of later stages: translation, rating, labels, lineage. */
static void
annotate(struct lp_buf *b, long long i)
{
	static const char *const tools[] = {
	    "lp-scrape", "lp-clean", "lp-translate", "lp-rate", "lp-label"};
	const long long day = 86400000LL, t0 = 1793491200000LL; /* 2026-11-01 */
	long long at = t0 + (long long)(unif() * 14 * (double)day);
	int c = true_class(), judge = noisy(c, 0.8), s, n, a, k, nsteps = 4;

	b->len--; /* reopen the record: drop "}\n" */
	b->p[--b->len] = '\0';
	lp_buf_addf(b,
	    ",\"translation\":{\"text\":\"\xe8\xaf\x91 %lld\",\"lang\":"
	    "\"zh-Hans\"},\"rating\":{\"score\":%d,\"confidence\":%.2f}",
	    i, judge, judge == c ? 0.7 + 0.3 * unif() : 0.4 + 0.4 * unif());
	if (unif() < 0.3) {
		nsteps = 5;
		n = unif() < 0.1 ? 3 : 2;
		a = (int)(rnd() % 8);
		lp_buf_adds(b, ",\"labels\":[");
		for (k = 0; k < n; k++) {
			int who = (a + k * 3) % 8;

			lp_buf_addf(b,
			    "%s{\"annotator_id\":\"ann%02d\",\"label\":%d,"
			    "\"time_to_label_ms\":%d}",
			    k ? "," : "", who + 1, noisy(c, 0.95 - 0.03 * who),
			    4000 + (int)(rnd() % 26000));
		}
		lp_buf_adds(b, "]");
		if (rnd() % 20 == 0)
			lp_buf_addf(b, ",\"gold\":{\"label\":%d}", c);
	}
	lp_buf_adds(b, ",\"lineage\":{\"steps\":[");
	for (s = 0; s < nsteps; s++) {
		lp_buf_addf(b, "%s{\"tool\":\"%s\",\"at\":%lld}", s ? "," : "",
		    tools[s], at);
		at += 50 + (long long)(rnd() % (s == 3 ? 3600000 : 2000));
	}
	lp_buf_adds(b, "]}}\n");
}

static double
rate(const char *opt, const char *s)
{
	char *end;
	double p = strtod(s, &end);

	if (*end != '\0' || p < 0 || p > 1) {
		fprintf(stderr, "lp-gen: invalid %s '%s'\n", opt, s);
		exit(2);
	}
	return p;
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: lp-gen [-n count] [-s seed] [--dup-rate P] "
	    "[--near-rate P]\n              [--variant-rate P] "
	    "[--bad-rate P] [--label] [--annotate]\n"
	    "              [--catalog N]\n");
	return 2;
}

/* The N of --catalog N. */
static long long
products(const char *s)
{
	char *end;
	long long n = strtoll(s, &end, 10);

	if (*end != '\0' || n < 1) {
		fprintf(stderr, "lp-gen: invalid --catalog '%s'\n", s);
		exit(2);
	}
	return n;
}

/* The products of --catalog n. */
static struct rec *
make_catalog(long long n)
{
	struct rec *c = lp_xmalloc((size_t)n * sizeof(*c));
	long long i;

	for (i = 0; i < n; i++)
		make(&c[i]);
	return c;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"dup-rate", required_argument, NULL, 'd'},
	    {"near-rate", required_argument, NULL, 'e'},
	    {"variant-rate", required_argument, NULL, 'r'},
	    {"bad-rate", required_argument, NULL, 'b'},
	    {"label", no_argument, NULL, 'l'},
	    {"annotate", no_argument, NULL, 'a'},
	    {"catalog", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
	static const char *const bad[] = {"{\"id\":\"ebay-uk:1\",\"title\":",
	    "[1,2,3]", "not json at all", "{\"title\":\"caf\xe9\"}", "42"};
	const size_t RING = 65536;
	long long n = 1000, i, norig = 0, *ring_id, ncat = 0;
	double dup = 0.05, nearr = 0.05, var = 0.05, badr = 0;
	int ch, label = 0, annot = 0;
	struct rec *ring, *catalog = NULL;
	struct lp_buf b = LP_BUF_INIT;

	rng.s = 1;
	while ((ch = getopt_long(argc, argv, "n:s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			n = strtoll(optarg, NULL, 10);
			break;
		case 's':
			rng.s = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			dup = rate("--dup-rate", optarg);
			break;
		case 'e':
			nearr = rate("--near-rate", optarg);
			break;
		case 'r':
			var = rate("--variant-rate", optarg);
			break;
		case 'b':
			badr = rate("--bad-rate", optarg);
			break;
		case 'l':
			label = 1;
			break;
		case 'a':
			annot = 1;
			break;
		case 'c':
			ncat = products(optarg);
			break;
		default:
			return usage();
		}
	}
	ring = lp_xmalloc(RING * sizeof(*ring));
	ring_id = lp_xmalloc(RING * sizeof(*ring_id));
	if (ncat > 0)
		catalog = make_catalog(ncat);
	for (i = 0; i < n; i++) {
		double u = unif();
		long long id = 256000000000LL + i, of = 0;
		const char *kind = NULL;
		struct rec r;

		if (badr > 0 && unif() < badr) {
			printf("%s\n", PICK(bad));
			continue;
		}
		if (catalog != NULL)
			catalog_listing(&r, catalog, ncat);
		else if (norig > 0 && u < dup + nearr + var) {
			size_t j = rnd() %
			    (size_t)(norig < (long long)RING ? norig
							     : (long long)RING);

			r = ring[j];
			of = ring_id[j];
			if (u < dup)
				kind = "exact";
			else if (u < dup + nearr) {
				near_edit(&r);
				kind = "near";
			} else {
				variant(&r);
				kind = "variant";
			}
		} else {
			make(&r);
			ring[(size_t)norig % RING] = r;
			ring_id[(size_t)norig % RING] = id;
			norig++;
		}
		emit(&b, &r, id, label ? kind : NULL, of);
		if (annot)
			annotate(&b, id);
		fwrite(b.p, 1, b.len, stdout);
	}
	free(ring);
	free(ring_id);
	free(catalog);
	lp_buf_release(&b);
	return fflush(stdout) == 0 ? 0 : 74;
}
