#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "text/units.h"

/* Spellings (lower case), longest first within a kind. */
static const struct unit {
	const char *spelling, *symbol, *attr;
	double factor; /* to the attribute's unit */
} units[] = {{"terabytes", "TB", "storage_gb", 1000},
    {"terabyte", "TB", "storage_gb", 1000}, {"tb", "TB", "storage_gb", 1000},
    {"gigabytes", "GB", "storage_gb", 1}, {"gigabyte", "GB", "storage_gb", 1},
    {"gb", "GB", "storage_gb", 1}, {"megabytes", "MB", "storage_gb", 0.001},
    {"mb", "MB", "storage_gb", 0.001}, {"kb", "KB", "storage_gb", 0.000001},
    {"inches", "in", "screen_in", 1}, {"inch", "in", "screen_in", 1},
    {"in", "in", "screen_in", 1}, {"\"", "in", "screen_in", 1},
    {"''", "in", "screen_in", 1}, {"\xe2\x80\x9d", "in", "screen_in", 1},
    {"millimetres", "mm", "length_cm", 0.1},
    {"millimetre", "mm", "length_cm", 0.1},
    {"millimeters", "mm", "length_cm", 0.1},
    {"millimeter", "mm", "length_cm", 0.1}, {"mm", "mm", "length_cm", 0.1},
    {"centimetres", "cm", "length_cm", 1}, {"centimetre", "cm", "length_cm", 1},
    {"centimeters", "cm", "length_cm", 1}, {"centimeter", "cm", "length_cm", 1},
    {"cm", "cm", "length_cm", 1}, {"metres", "m", "length_cm", 100},
    {"metre", "m", "length_cm", 100}, {"meters", "m", "length_cm", 100},
    {"meter", "m", "length_cm", 100}, {"mtrs", "m", "length_cm", 100},
    {"mtr", "m", "length_cm", 100}, {"m", "m", "length_cm", 100},
    {"feet", "ft", "length_cm", 30.48}, {"foot", "ft", "length_cm", 30.48},
    {"ft", "ft", "length_cm", 30.48}, {"kg", "kg", "weight_kg", 1},
    {"lbs", "lb", "weight_kg", 0.45359237},
    {"lb", "lb", "weight_kg", 0.45359237}, {"g", "g", "weight_kg", 0.001},
    {"fl oz", "fl oz", "volume_ml", 29.5735295625},
    {"oz", "oz", "weight_kg", 0.028349523125}, {"ml", "ml", "volume_ml", 1},
    {"litres", "l", "volume_ml", 1000}, {"litre", "l", "volume_ml", 1000},
    {"liters", "l", "volume_ml", 1000}, {"liter", "l", "volume_ml", 1000},
    {"l", "l", "volume_ml", 1000}, {"kwh", "kWh", "energy_wh", 1000},
    {"wh", "Wh", "energy_wh", 1}, {"kw", "kW", "power_w", 1000},
    {"watts", "W", "power_w", 1}, {"watt", "W", "power_w", 1},
    {"w", "W", "power_w", 1}, {"mah", "mAh", "battery_mah", 1},
    {"ah", "Ah", "battery_mah", 1000}, {"ma", "mA", "current_a", 0.001},
    {"amps", "A", "current_a", 1}, {"amp", "A", "current_a", 1},
    {"a", "A", "current_a", 1}, {"volts", "V", "voltage_v", 1},
    {"volt", "V", "voltage_v", 1}, {"v", "V", "voltage_v", 1},
    {"ghz", "GHz", "freq_ghz", 1}, {"mhz", "MHz", "freq_ghz", 0.001},
    {"khz", "kHz", "freq_ghz", 0.000001}, {"hz", "Hz", "freq_ghz", 1e-9},
    {"mp", "MP", "camera_mp", 1}};

static int
alnum(int c)
{
	return isalnum(c) || c >= 0x80;
}

/* A number at s: digits, one decimal point or comma.  Its length. */
static size_t
number(const char *s, size_t n, double *v, char *text, size_t tsize)
{
	size_t i = 0, t = 0;
	int dot = 0;

	while (i < n) {
		if (isdigit((unsigned char)s[i]))
			;
		else if ((s[i] == '.' || s[i] == ',') && !dot && i > 0 &&
		    i + 1 < n && isdigit((unsigned char)s[i + 1]) &&
		    !(s[i] == ',' && i + 3 < n &&
			isdigit((unsigned char)s[i + 3])))
			dot = 1;
		else
			break;
		if (t + 1 < tsize)
			text[t++] = s[i] == ',' ? '.' : s[i];
		else
			t = tsize; /* too long to be a quantity */
		i++;
	}
	if (t >= tsize) {
		text[0] = '\0';
		*v = 0;
		return i;
	}
	text[t] = '\0';
	*v = strtod(text, NULL);
	return i;
}

static const struct unit *
unit_named(const char *spelling)
{
	size_t i;

	for (i = 0; strcmp(units[i].spelling, spelling) != 0; i++)
		;
	return &units[i];
}

/*
 * 1 if the word after s[0..n) names a nutrient: "17g Protein" is what a
 * bar holds, not what it weighs.
 */
static int
nutrient_follows(const char *s, size_t n)
{
	static const char *const words[] = {"protein", "sugar", "carb", "fat",
	    "fibre", "fiber", "salt", "caffeine", "collagen"};
	size_t i = 0, k, m;

	while (i < n && s[i] == ' ')
		i++;
	for (k = 0; k < sizeof(words) / sizeof(*words); k++) {
		m = strlen(words[k]);
		if (i + m <= n && strncasecmp(s + i, words[k], m) == 0)
			return 1;
	}
	return 0;
}

/* The unit at s (after a number), its length in *len; NULL if none. */
static const struct unit *
unit_at(const char *s, size_t n, size_t *len, int spaced, int decimal, double v)
{
	size_t i, m;

	for (i = 0; i < sizeof(units) / sizeof(*units); i++) {
		const struct unit *u = &units[i];

		/* The first letter first: most spellings differ there. */
		if (n == 0 ||
		    tolower((unsigned char)s[0]) !=
			(unsigned char)u->spelling[0])
			continue;
		m = strlen(u->spelling);
		if (m > n || strncasecmp(s, u->spelling, m) != 0)
			continue;
		/* A word unit ends at a word's end. */
		if (isalpha((unsigned char)u->spelling[0]) && m < n &&
		    alnum((unsigned char)s[m]))
			continue;
		if (strcmp(u->spelling, "in") == 0 && spaced && !decimal)
			continue;
		/*
		 * A lone "A" is amperes when written as a capital (13A) or
		 * after a decimal number (2.1a, 2.1 A): "Pixel 3a" and
		 * "Series 4 A" name no current.
		 */
		if (strcmp(u->spelling, "a") == 0 &&
		    ((s[0] != 'A' && !decimal) || (spaced && !decimal)))
			continue;
		if ((u->spelling[0] == '"' || u->spelling[0] == '\'' ||
			(unsigned char)u->spelling[0] == 0xe2) &&
		    spaced)
			continue;
		*len = m;
		/*
		 * A capital G: gigabytes after a power of two from 8 up
		 * (128G), else no unit (5G, 4G are networks).
		 */
		if (strcmp(u->spelling, "g") == 0 && s[0] == 'G') {
			if (v >= 8 && v <= 1048576 && v == floor(v) &&
			    ((long long)v & ((long long)v - 1)) == 0)
				return unit_named("gb");
			/* Grams after all before a nutrient: "6G Sugar". */
			if (nutrient_follows(s + 1, n - 1))
				return u;
			continue;
		}
		return u;
	}
	return NULL;
}

static void
set_attr(json_t *attrs, const char *name, double v)
{
	if (attrs != NULL && json_object_get(attrs, name) == NULL)
		json_object_set_new(
		    attrs, name, json_real(round(v * 1e6) / 1e6));
}

/* 1 if the word after s[0..n) is "ram" or "memory". */
static int
ram_follows(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	return (i + 3 <= n && strncasecmp(s + i, "ram", 3) == 0 &&
		   (i + 3 == n || !alnum((unsigned char)s[i + 3]))) ||
	    (i + 6 <= n && strncasecmp(s + i, "memory", 6) == 0);
}

/*
 * One to three numbers joined by x (a size or dimensions) from s[i]: their
 * values and texts into v and t, their count into *nd.  Returns where the
 * last one ends; *first is where the first one ends.
 */
static size_t
numbers(const char *s, size_t n, size_t i, double v[3], char t[3][32],
    size_t *nd, size_t *first)
{
	size_t k = i, j;

	*nd = 0;
	for (;;) {
		k += number(s + k, n - k, &v[*nd], t[*nd], sizeof(t[0]));
		if (*nd == 0)
			*first = k;
		(*nd)++;
		j = k;
		while (j < n && s[j] == ' ')
			j++;
		if (*nd < 3 && j + 1 < n && (s[j] == 'x' || s[j] == 'X') &&
		    (j + 1 < n) &&
		    (isdigit((unsigned char)s[j + 1]) || s[j + 1] == ' ')) {
			size_t q = j + 1;

			while (q < n && s[q] == ' ')
				q++;
			if (q < n && isdigit((unsigned char)s[q])) {
				k = q;
				continue;
			}
		}
		return k;
	}
}

/*
 * The attribute of a rewritten quantity: dims_cm for dimensions, ram_gb
 * for a size followed by "RAM", else the unit's own; rest[0..n) is the
 * text after the unit.
 */
static void
collect(json_t *attrs, const struct unit *u, const double v[3], size_t nd,
    const char *rest, size_t n)
{
	size_t m;

	if (nd > 1) {
		if (attrs != NULL &&
		    json_object_get(attrs, "dims_cm") == NULL) {
			json_t *d = json_array();

			for (m = 0; m < nd; m++)
				json_array_append_new(d,
				    json_real(
					round(v[m] * u->factor * 1e6) / 1e6));
			json_object_set_new(attrs, "dims_cm", d);
		}
	} else if (strcmp(u->attr, "storage_gb") == 0 && ram_follows(rest, n))
		set_attr(attrs, "ram_gb", v[0] * u->factor);
	else if (strcmp(u->attr, "weight_kg") == 0 && nutrient_follows(rest, n))
		return;
	else
		set_attr(attrs, u->attr, v[0] * u->factor);
}

int
lp_units_apply(const char *s, size_t n, struct lp_buf *out, json_t *attrs)
{
	size_t i = 0, after_unit = (size_t)-1;
	int count = 0;

	while (i < n) {
		char t[3][32];
		double v[3];
		size_t k, m, ulen, nd, j, first = i;
		const struct unit *u;
		int spaced = 0;

		/*
		 * A number starts a quantity after a word's end: not inside
		 * a word or a number ("A1234", "1.5", "1,299"); a comma
		 * after a word parts words ("Cream,17g").
		 */
		if (!isdigit((unsigned char)s[i]) ||
		    (i > 0 && i != after_unit &&
			(alnum((unsigned char)s[i - 1]) || s[i - 1] == '.' ||
			    (s[i - 1] == ',' && i > 1 &&
				isdigit((unsigned char)s[i - 2]))))) {
			/* Copy up to the next digit. */
			for (j = i + 1; j < n && !isdigit((unsigned char)s[j]);
			     j++)
				;
			lp_buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		k = numbers(s, n, i, v, t, &nd, &first);
		j = k;
		if (j < n && (s[j] == ' ' || s[j] == '-'))
			j++, spaced = 1;
		for (m = 0; m < nd; m++)
			if (t[m][0] == '\0')
				break;
		if (m < nd) {
			lp_buf_add(out, s + i, k - i); /* a number too long */
			i = k;
			continue;
		}
		u = unit_at(s + j, n - j, &ulen, spaced,
		    strchr(t[nd - 1], '.') != NULL, v[nd - 1]);
		if (u == NULL ||
		    (nd > 1 && strcmp(u->attr, "length_cm") != 0)) {
			/*
			 * No unit: the first number as it was; what follows
			 * is looked at again ("10x 27gb" has 27 GB in it).
			 */
			lp_buf_add(out, s + i, first - i);
			i = first;
			continue;
		}
		for (m = 0; m < nd; m++)
			lp_buf_addf(out, "%s%s", m ? " x " : "", t[m]);
		lp_buf_addf(out, " %s", u->symbol);
		collect(attrs, u, v, nd, s + j + ulen, n - j - ulen);
		count++;
		i = j + ulen;
		/* A mark unit (15.6") may touch the next word: keep it apart.
		 */
		if (i < n && alnum((unsigned char)s[i]) &&
		    !isalpha((unsigned char)s[j])) {
			lp_buf_addc(out, ' ');
			after_unit = i; /* a number here starts a word now */
		}
	}
	if (out->p != NULL)
		out->p[out->len] = '\0';
	return count;
}
