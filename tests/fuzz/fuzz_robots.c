/*
 * libFuzzer target for robots.txt parsing and matching (lib/robots), and
 * for finding the score in a judge's answer (lib/judge): both read text
 * from outside.  The input's first line is a path to check, the rest the
 * file.  Invariants: nothing crashes or reads out of bounds; /robots.txt
 * is always allowed; a rule set that disallows "/" for everyone with no
 * Allow disallows the path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "llm/judge.h"
#include "web/robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - (const char *)data) : 0;
	char *path = malloc(plen + 2), *text = malloc(size + 1);
	struct lp_robots *r;

	path[0] = '/';
	memcpy(path + 1, data, plen);
	path[plen + 1] = '\0';
	if (memchr(path + 1, '\0', plen) != NULL)
		path[1] = '\0';
	memcpy(text, data, size);
	text[size] = '\0';
	r = lp_robots_parse((const char *)data, size, "labelpipe");
	lp_robots_allowed(r, path);
	if (!lp_robots_allowed(r, "/robots.txt"))
		abort();
	lp_robots_crawl_delay(r);
	lp_robots_free(r);
	lp_judge_value_at(text, "score");
	free(path);
	free(text);
	return 0;
}
