/* Prompt templates filled in. */
#include "core/status.h"
#include "llm/prompt.h"
#include "test.h"

static const char *
fill(const char *tmpl, const char *target, const char *const *vars)
{
	static struct lp_buf b;

	lp_buf_reset(&b);
	lp_prompt_fill(&b, tmpl, target, vars);
	return b.p;
}

TEST(languages)
{
	assert_eq_str(lp_prompt_language("zh-Hans"), "Simplified Chinese");
	assert_eq_str(lp_prompt_language("DE"), "German");
	assert_eq_str(lp_prompt_language("tlh"), "tlh");
}

TEST(placeholders)
{
	static const char *const vars[] = {"rubric", "1 = bad", "x", "", NULL};

	assert_eq_str(fill("into {target} ({target_code}).", "ja", NULL),
	    "into Japanese (ja).");
	assert_eq_str(
	    fill("{rubric}{x}|{y}|{rubric", "ja", vars), "1 = bad|{y}|{rubric");
	assert_eq_str(fill("", "ja", vars), "");
}

RUN_TESTS()
