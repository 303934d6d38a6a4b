/*
 * Units in listing text: every quantity written as a number immediately
 * followed by a unit (with at most one space or a hyphen between) is
 * rewritten to one spelling, "number symbol" ("128gb", "128 GB", "128G" ->
 * "128 GB"; "15.6\"", "15.6in", "15.6-inch" -> "15.6 in"; "10x20cm" ->
 * "10 x 20 cm"), and its value in base units is collected as an attribute
 * (storage_gb, ram_gb, screen_in, length_cm, weight_kg, volume_ml,
 * power_w, battery_mah, voltage_v, freq_ghz, camera_mp, dims_cm).  A
 * number not directly followed by a unit word (a model number such as
 * "A1234" or "XPS 15") is left alone.  Decimal prefixes: 1 TB = 1000 GB.
 * A capital "G" alone is gigabytes after a power of two from 8 up (128G)
 * and nothing otherwise (5G); "g" is grams; "in" with a space before it is
 * inches only after a decimal number ("15.6 in", not "10 in box").
 */
#ifndef LP_UNITS_H
#define LP_UNITS_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

/*
 * Rewrite the units of s[0..n) into out (appended) and set attributes in
 * attrs (an object; the first value of each attribute wins; attrs may be
 * NULL).  Returns the number of quantities rewritten.
 */
int lp_units_apply(const char *s, size_t n, struct lp_buf *out, json_t *attrs);

#endif
