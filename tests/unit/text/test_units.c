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

TEST(metres_and_their_spellings)
{
	static const char *const spellings[] = {"2m", "2 m", "2M", "2mtr",
	    "2 mtr", "2mtrs", "2 metre", "2 metres", "2 Metres", "2-meter",
	    "2 meters"};
	size_t i;

	for (i = 0; i < sizeof(spellings) / sizeof(*spellings); i++) {
		assert_eq_str(units(spellings[i]), "2 m");
		assert_eq_str(attrs_text.p, "{\"length_cm\":200.0}");
	}
	assert_eq_str(units("1.5 metre HDMI"), "1.5 m HDMI");
	assert_eq_str(attrs_text.p, "{\"length_cm\":150.0}");
	assert_eq_str(units("25 millimetres 30 centimetres"), "25 mm 30 cm");
	assert_eq_str(attrs_text.p, "{\"length_cm\":2.5}");
	assert_eq_str(units("6ft lead"), "6 ft lead");
	assert_eq_str(attrs_text.p, "{\"length_cm\":182.88}");
	/* A word that starts like a unit is no unit. */
	assert_eq_str(units("2 meteors"), "2 meteors");
}

TEST(amperes_and_other_electrical_units)
{
	assert_eq_str(units("13A fuse"), "13 A fuse");
	assert_eq_str(attrs_text.p, "{\"current_a\":13.0}");
	assert_eq_str(units("13 amp 3 amps"), "13 A 3 A");
	assert_eq_str(units("2.1a 2.4 A"), "2.1 A 2.4 A");
	assert_eq_str(attrs_text.p, "{\"current_a\":2.1}");
	assert_eq_str(units("500mA"), "500 mA");
	assert_eq_str(attrs_text.p, "{\"current_a\":0.5}");
	assert_eq_str(units("18V 5AH"), "18 V 5 Ah");
	assert_eq_str(
	    attrs_text.p, "{\"voltage_v\":18.0,\"battery_mah\":5000.0}");
	assert_eq_str(units("256Wh 1.2kWh 3kw"), "256 Wh 1.2 kWh 3 kW");
	assert_eq_str(attrs_text.p, "{\"energy_wh\":256.0,\"power_w\":3000.0}");
	/* A phone's letter is no current, nor a count after a space. */
	assert_eq_str(units("Pixel 3a Series 4 A"), "Pixel 3a Series 4 A");
	assert_eq_str(attrs_text.p, "{}");
}

TEST(ounces_and_nutrients)
{
	assert_eq_str(units("1.55 oz 11 fl oz"), "1.55 oz 11 fl oz");
	assert_eq_str(
	    attrs_text.p, "{\"weight_kg\":0.043942,\"volume_ml\":325.308825}");
	/* What a bar holds is not what it weighs. */
	assert_eq_str(
	    units("17g Protein 6G Sugar 500g"), "17 g Protein 6 g Sugar 500 g");
	assert_eq_str(attrs_text.p, "{\"weight_kg\":0.5}");
	/* A comma after a word parts a quantity from it; not in a number. */
	assert_eq_str(units("Cream,17g,1.41 oz"), "Cream,17 g,1.41 oz");
	assert_eq_str(units("1,299 units"), "1,299 units");
}

RUN_TESTS()
