#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "llm/prompt.h"

/* The languages whose names prompts spell out. */
static const char *const languages[][2] = {{"zh-Hans", "Simplified Chinese"},
    {"zh-Hant", "Traditional Chinese"}, {"ja", "Japanese"}, {"ko", "Korean"},
    {"de", "German"}, {"fr", "French"}, {"es", "Spanish"}, {"it", "Italian"},
    {"pt", "Portuguese"}, {"nl", "Dutch"}, {"pl", "Polish"}, {"ru", "Russian"},
    {"ar", "Arabic"}, {"en", "English"}};

const char *
lp_prompt_language(const char *code)
{
	const char *name = code;
	size_t i;

	for (i = 0; i < sizeof(languages) / sizeof(*languages); i++)
		if (strcasecmp(languages[i][0], code) == 0)
			name = languages[i][1];
	return name;
}

void
lp_prompt_fill(struct lp_buf *b, const char *tmpl, const char *target,
    const char *const *vars)
{
	const char *name = lp_prompt_language(target), *const * v;
	size_t n;

	while (*tmpl != '\0') {
		if (strncmp(tmpl, "{target}", 8) == 0) {
			lp_buf_adds(b, name);
			tmpl += 8;
			continue;
		}
		if (strncmp(tmpl, "{target_code}", 13) == 0) {
			lp_buf_adds(b, target);
			tmpl += 13;
			continue;
		}
		for (v = vars; v != NULL && *v != NULL; v += 2)
			if (tmpl[0] == '{' &&
			    strncmp(tmpl + 1, v[0], n = strlen(v[0])) == 0 &&
			    tmpl[1 + n] == '}')
				break;
		if (v != NULL && *v != NULL) {
			lp_buf_adds(b, v[1]);
			tmpl += strlen(v[0]) + 2;
		} else
			lp_buf_addc(b, *tmpl++);
	}
	lp_buf_addc(b, '\0');
	b->len--;
}
