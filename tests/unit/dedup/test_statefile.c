#include <stdlib.h>
#include <unistd.h>

#include "core/status.h"
#include "dedup/statefile.h"
#include "test.h"

/* Load a state file holding text; the status of the first failure. */
static int
load(const char *text, struct lp_statefile *sf, unsigned long long *n)
{
	char *path = tmpfile_with(text, strlen(text));
	const char *of, *key, *line;
	size_t klen, len;
	int rc;

	*n = 0;
	if ((rc = lp_statefile_open(sf, path)) == LP_OK)
		while ((rc = lp_statefile_next(
			    sf, &of, &key, &klen, &line, &len)) == LP_OK)
			(*n)++;
	lp_statefile_close(sf);
	unlink(path);
	free(path);
	return rc;
}

TEST(round_trip)
{
	struct lp_buf b = LP_BUF_INIT, all = LP_BUF_INIT;
	struct lp_statefile sf;
	unsigned long long n;

	lp_statefile_header(&b, "title");
	lp_buf_add(&all, b.p, b.len);
	lp_buf_addc(&all, '\n');
	lp_statefile_item(&b, "ebay:1", "iphone \"13\"", 11);
	assert_eq_str(
	    b.p, "{\"of\":\"ebay:1\",\"key\":\"iphone \\\"13\\\"\"}\n");
	lp_buf_add(&all, b.p, b.len);
	lp_statefile_closing(&b, 1);
	lp_buf_add(&all, b.p, b.len);
	assert_eq_int(load(all.p, &sf, &n), LP_EOF);
	assert_eq_int((long long)n, 1);
	lp_buf_release(&b);
	lp_buf_release(&all);
}

TEST(refused_rather_than_half_loaded)
{
	struct lp_statefile sf;
	unsigned long long n;

	assert_eq_int(load("{\"lp_dedup_state\":1,\"key\":\"id\"}\n"
			   "{\"of\":\"a\",\"key\":\"x\"}\n",
			  &sf, &n),
	    LP_FAILED);
	assert_true(strstr(sf.err.msg, "truncated (no closing line)") != NULL);
	assert_eq_int(load("{\"lp_dedup_state\":1,\"key\":\"id\"}\n"
			   "{\"items\":2}\n",
			  &sf, &n),
	    LP_FAILED);
	assert_true(strstr(sf.err.msg, "counts 2 items, the file holds 0"));
	assert_eq_int(load("{\"x\":1}\n", &sf, &n), LP_FAILED);
	assert_true(strstr(sf.err.msg, ":1: not an lp-dedup state file"));
	assert_eq_int(load("", &sf, &n), LP_FAILED);
	assert_eq_int(lp_statefile_open(&sf, "/nonexistent/state"), LP_FATAL);
	lp_statefile_close(&sf);
}

RUN_TESTS()
