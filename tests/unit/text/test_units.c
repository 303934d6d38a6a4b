#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "text/units.h"
#include "test.h"

static struct lp_buf attrs_text;

static const char *
units(const char *s)
{
	static struct lp_buf out;
	json_t *attrs = json_object();

	lp_buf_reset(&out);
	lp_buf_reset(&attrs_text);
	lp_units_apply(s, strlen(s), &out, attrs);
	lp_json_dump(attrs, &attrs_text);
	json_decref(attrs);
	return out.p != NULL ? out.p : "";
}

TEST(one_spelling)
{
	assert_eq_str(units("128gb"), "128 GB");
	assert_eq_str(units("128 GB"), "128 GB");
	assert_eq_str(units("128G"), "128 GB");
	assert_eq_str(attrs_text.p, "{\"storage_gb\":128.0}");
	assert_eq_str(units("15.6\""), "15.6 in");
	assert_eq_str(units("15.6''"), "15.6 in");
	assert_eq_str(units("15.6in"), "15.6 in");
	assert_eq_str(units("15.6 inch"), "15.6 in");
	assert_eq_str(units("15.6-inch Laptop"), "15.6 in Laptop");
	assert_eq_str(attrs_text.p, "{\"screen_in\":15.6}");
	assert_eq_str(units("10x20cm"), "10 x 20 cm");
	assert_eq_str(attrs_text.p, "{\"dims_cm\":[10.0,20.0]}");
	assert_eq_str(units("1.5kg 500g"), "1.5 kg 500 g");
	assert_eq_str(attrs_text.p, "{\"weight_kg\":1.5}");
	assert_eq_str(units("5000mAh 18V 2200W 2.4GHz 500ml 24.2MP"),
	    "5000 mAh 18 V 2200 W 2.4 GHz 500 ml 24.2 MP");
	assert_eq_str(attrs_text.p,
	    "{\"battery_mah\":5000.0,\"voltage_v\":18.0,\"power_w\":2200.0,"
	    "\"freq_ghz\":2.4,\"volume_ml\":500.0,\"camera_mp\":24.2}");
	assert_eq_str(
	    units("8GB RAM 256GB SSD 1TB"), "8 GB RAM 256 GB SSD 1 TB");
	assert_eq_str(attrs_text.p, "{\"ram_gb\":8.0,\"storage_gb\":256.0}");
	assert_eq_str(units("2,5kg"), "2.5 kg");
}

TEST(ambiguous_left_alone)
{
	assert_eq_str(
	    units("iPhone A1234 XPS 15 Laptop"), "iPhone A1234 XPS 15 Laptop");
	assert_eq_str(attrs_text.p, "{}");
	assert_eq_str(units("brand new in box size 10 in box"),
	    "brand new in box size 10 in box");
	assert_eq_str(units("Galaxy S21 5G"), "Galaxy S21 5G");
	assert_eq_str(units("1,299 units"), "1,299 units");
	assert_eq_str(units("T14 Gen 2"), "T14 Gen 2");
	assert_eq_str(units("12 months"), "12 months");
}

TEST(fixed_point)
{
	static const char *const cases[] = {"128gb", "15.6-inch", "10x20cm",
	    "5000mAh", "8GB RAM", "2,5kg", "1.5 L", "42mm",
	    /* found by fuzzing */ "92.6\"10x 27gb"};
	char once[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(once, sizeof(once), "%s", units(cases[i]));
		assert_eq_str(units(once), once);
	}
}

RUN_TESTS()
