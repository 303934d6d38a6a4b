#include "core/status.h"
#include "text/guard.h"
#include "test.h"

static char why[256];
static struct lp_rules rules; /* the built-in rules: their brand lines */

__attribute__((constructor)) static void
load_rules(void)
{
	lp_rules_default(&rules);
}

__attribute__((destructor)) static void
free_rules(void)
{
	lp_rules_release(&rules);
}

/* The guards over rules' title r and model title t, nothing else set. */
static enum lp_guard_verdict
check(const char *r, const char *t)
{
	struct lp_guard_input in = {.names = &rules};

	in.source = r;
	in.rules = r;
	in.title = t;
	in.max_edits = 4;
	return lp_guard_check(&in, why, sizeof(why));
}

TEST(doubts)
{
	assert_eq_int(
	    lp_guard_doubts(&rules, "samsnug galaxy s21", 18), LP_DOUBT_TYPO);
	assert_eq_int(
	    lp_guard_doubts(&rules, "aple iphone 13", 14), LP_DOUBT_TYPO);
	assert_eq_int(
	    lp_guard_doubts(&rules, "usb cable 3mtr", 14), LP_DOUBT_UNIT);
	/* Brands spelled right, units read, 5g and ordinals: no doubt. */
	assert_eq_int(
	    lp_guard_doubts(&rules, "samsung galaxy s21 5g 128 gb", 28), 0);
	assert_eq_int(
	    lp_guard_doubts(&rules, "apple ipad 9th gen 10.2 in", 26), 0);
	assert_eq_int(lp_guard_doubts(&rules, "", 0), 0);
}

TEST(brand_list)
{
	assert_true(lp_guard_is_brand(&rules, "Samsung", 7));
	assert_true(!lp_guard_is_brand(&rules, "samsnug", 7));
	assert_eq_str(lp_guard_name(LP_GUARD_BRAND), "brand");
	assert_eq_str(lp_guard_name(LP_GUARD_OK), "ok");
}

TEST(accepts_good_edits)
{
	assert_eq_int(
	    check("samsnug galaxy s21 128 gb", "samsung galaxy s21 128 gb"),
	    LP_GUARD_OK);
	/* A unit conversion keeps the quantity. */
	assert_eq_int(
	    check("seagate 1 tb hdd", "seagate 1000 gb hdd"), LP_GUARD_OK);
	assert_eq_int(check("usb cable 2 m", "usb cable 200 cm"), LP_GUARD_OK);
	/* Dropping noise is no edit that counts. */
	assert_eq_int(
	    check("apple iphone 13 wow look", "apple iphone 13"), LP_GUARD_OK);
}

TEST(number_dropped)
{
	assert_eq_int(check("apple iphone 13 128 gb", "apple iphone 13"),
	    LP_GUARD_NUMBER);
	assert_eq_str(why, "dropped number 128");
	/* Not the same quantity: 1 tb is not 100 gb. */
	assert_eq_int(
	    check("seagate 1 tb hdd", "seagate 100 gb hdd"), LP_GUARD_NUMBER);
}

TEST(number_invented)
{
	assert_eq_int(check("apple iphone 13", "apple iphone 13 256 gb"),
	    LP_GUARD_INVENTED);
	assert_eq_str(why, "invented number 256");
}

TEST(model_code_dropped)
{
	/* The numbers are kept, the code is not. */
	assert_eq_int(check("samsung sm-g991b phone", "samsung sm g991b phone"),
	    LP_GUARD_MODEL);
	assert_eq_str(why, "dropped model code sm-g991b");
	assert_eq_int(check("dell xps a1234 laptop", "dell xps a-1234 laptop"),
	    LP_GUARD_MODEL);
}

TEST(brand_swapped)
{
	struct lp_guard_input in = {.names = &rules};

	assert_eq_int(check("samsung galaxy phone", "apple galaxy phone"),
	    LP_GUARD_BRAND);
	assert_eq_str(why, "brand samsung changed to apple");
	/* The brand field too, and a brand the list does not know. */
	in.source = in.rules = in.title = "galaxy phone";
	in.brand = "Acme";
	in.max_edits = 4;
	assert_eq_int(lp_guard_check(&in, why, sizeof(why)), LP_GUARD_BRAND);
	assert_eq_str(why, "brand Acme not in the input");
	/* A typo of the input's word is the same brand. */
	in.source = in.rules = in.title = "samsnug galaxy phone";
	in.brand = "Samsung";
	assert_eq_int(lp_guard_check(&in, why, sizeof(why)), LP_GUARD_OK);
}

TEST(too_many_edits)
{
	struct lp_guard_input in = {.names = &rules};

	assert_eq_int(check("phone case",
			  "premium luxury shockproof "
			  "rugged armour phone case"),
	    LP_GUARD_EDITS);
	assert_eq_str(why, "5 edits, more than 4");
	/* The model's own list counts when it is longer. */
	in.source = in.rules = in.title = "phone case";
	in.nedits = 6;
	in.max_edits = 4;
	assert_eq_int(lp_guard_check(&in, why, sizeof(why)), LP_GUARD_EDITS);
	in.max_edits = 6;
	assert_eq_int(lp_guard_check(&in, why, sizeof(why)), LP_GUARD_OK);
}

TEST(attribute_conflict)
{
	struct lp_guard_input in = {.names = &rules};
	json_t *attrs = json_pack("{s:i}", "storage_gb", 128),
	       *mine = json_pack("{s:i,s:n,s:s}", "storage_gb", 256, "ram_gb",
		   "colour", "Black");

	in.source = in.rules = in.title = "apple iphone 13 128 gb";
	in.attrs = attrs;
	in.attributes = mine;
	in.max_edits = 4;
	assert_eq_int(
	    lp_guard_check(&in, why, sizeof(why)), LP_GUARD_ATTRIBUTE);
	assert_eq_str(why,
	    "attribute storage_gb: 128 by the rules, 256 by "
	    "the model");
	json_object_set_new(mine, "storage_gb", json_real(128.0));
	assert_eq_int(lp_guard_check(&in, why, sizeof(why)), LP_GUARD_OK);
	in.condition = "used";
	in.mcondition = "new";
	assert_eq_int(
	    lp_guard_check(&in, why, sizeof(why)), LP_GUARD_ATTRIBUTE);
	assert_eq_str(why, "condition: used by the rules, new by the model");
	json_decref(attrs);
	json_decref(mine);
}

RUN_TESTS()
