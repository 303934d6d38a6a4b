/*
 * What the review tests share: a folder of this run's own for the files
 * they write (made on first use, removed when the test ends), and the
 * built-in taxonomy (lib/data's, as the tools load it).
 */
#ifndef LP_TEST_REVIEW_FIXTURE_H
#define LP_TEST_REVIEW_FIXTURE_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/data.h"
#include "core/error.h"
#include "review/taxonomy.h"
#include "test.h"

static char fixture_dir[] __attribute__((unused)) = "/tmp/lp-review-XXXXXX";

static inline void
fixture_remove_dir(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", fixture_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fixture_dir);
}

/* A path in this run's own folder (made on first use); static storage. */
static inline char *
path_in(const char *name)
{
	static char p[256];
	static int made;

	/* A flag, not the name: mkdtemp() may end the name with an X. */
	if (!made) {
		if (mkdtemp(fixture_dir) == NULL)
			abort();
		atexit(fixture_remove_dir);
		made = 1;
	}
	snprintf(p, sizeof(p), "%s/%s", fixture_dir, name);
	return p;
}

/* The built-in taxonomy into t: LP_OK, or LP_FAILED with err set. */
static inline int
builtin_taxonomy(struct lp_taxonomy *t, struct lp_error *err)
{
	return lp_taxonomy_init(t,
	    json_loadb(
		(const char *)lp_data_taxonomy, lp_data_taxonomy_len, 0, NULL),
	    err);
}

/*
 * The tests of a program whose tests use t, the built-in taxonomy (loaded
 * first; 1 if it cannot be): main()'s status.
 */
static inline int
run_tests_with_taxonomy(struct lp_taxonomy *t, int argc, char **argv)
{
	struct lp_error err;

	if (builtin_taxonomy(t, &err) != LP_OK)
		return 1;
	return run_tests(argc, argv);
}

#endif
