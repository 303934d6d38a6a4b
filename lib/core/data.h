/*
 * Data built into liblp, so an installed tool needs no search path: each
 * file below is compiled in as bytes (lib/CMakeLists.txt, lp_embed) with a
 * NUL after its len bytes, and is installed under share/labelpipe too.
 */
#ifndef LP_CORE_DATA_H
#define LP_CORE_DATA_H

#include <stddef.h>

/* lib/data/clean-rules.txt: lp-clean's rules. */
extern const unsigned char lp_data_clean_rules[];
extern const size_t lp_data_clean_rules_len;
/* lib/data/brands.txt: names in their usual case, for lp-clean's rules. */
extern const unsigned char lp_data_brands[];
extern const size_t lp_data_brands_len;
/* lib/data/listing.schema.json: the record schema lp-clean checks. */
extern const unsigned char lp_data_listing_schema[];
extern const size_t lp_data_listing_schema_len;
/* lib/data/ebay-uk.profile.json: lp-scrape's default profile. */
extern const unsigned char lp_data_ebay_profile[];
extern const size_t lp_data_ebay_profile_len;
/* guidelines/gates.json: lp-kpi's default quality gates. */
extern const unsigned char lp_data_gates[];
extern const size_t lp_data_gates_len;
/* guidelines/prompts/translate.json: lp-translate's prompt. */
extern const unsigned char lp_data_translate_prompt[];
extern const size_t lp_data_translate_prompt_len;
/* guidelines/prompts/clean.json: lp-clean --llm's prompt and answer. */
extern const unsigned char lp_data_clean_prompt[];
extern const size_t lp_data_clean_prompt_len;
/* guidelines/prompts/judge.json and rubric.json: lp-rate's judge. */
extern const unsigned char lp_data_judge_prompt[];
extern const size_t lp_data_judge_prompt_len;
extern const unsigned char lp_data_rubric[];
extern const size_t lp_data_rubric_len;
/* guidelines/taxonomy.json: lp-label's labels and keys. */
extern const unsigned char lp_data_taxonomy[];
extern const size_t lp_data_taxonomy_len;

#endif
