#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "core/error.h"
#include "core/retention.h"
#include "core/status.h"
#include "test.h"

/* A file at dir/name, modified days ago. */
static void
aged(const char *dir, const char *name, int days)
{
	char p[512];
	struct utimbuf t;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	fputs("x\n", f);
	fclose(f);
	t.actime = t.modtime = time(NULL) - (time_t)days * 86400;
	utime(p, &t);
}

static int
there(const char *dir, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

TEST(old_go_new_stay)
{
	char dir[] = "/tmp/lp-test-ret-XXXXXX", pat[128], sub[64];
	struct lp_error err = LP_ERROR_INIT;
	json_t *gone = json_array();
	time_t cutoff = time(NULL) - 30 * 86400;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/cache", dir);
	mkdir(sub, 0700);
	aged(dir, "old.gz", 40);
	aged(dir, "new.gz", 1);
	aged(dir, "old.txt", 40);
	aged(sub, "e1.json", 40);
	aged(sub, "e2.json", 2);
	snprintf(pat, sizeof(pat), "%s/*.gz", dir);
	/* Dry: listed, not removed. */
	assert_eq_int(lp_retention_files(pat, cutoff, 1, gone, &err), LP_OK);
	assert_eq_int(json_array_size(gone), 1);
	assert_true(there(dir, "old.gz"));
	assert_eq_int(lp_retention_files(pat, cutoff, 0, gone, &err), LP_OK);
	assert_true(!there(dir, "old.gz"));
	assert_true(there(dir, "new.gz"));
	assert_true(there(dir, "old.txt"));
	/* A folder: every file beneath it judged by itself. */
	assert_eq_int(lp_retention_files(sub, cutoff, 0, gone, &err), LP_OK);
	assert_true(!there(sub, "e1.json"));
	assert_true(there(sub, "e2.json"));
	assert_eq_int(json_array_size(gone), 3);
	/* No match is fine. */
	snprintf(pat, sizeof(pat), "%s/none-*", dir);
	assert_eq_int(lp_retention_files(pat, cutoff, 0, gone, &err), LP_OK);
	json_decref(gone);
	snprintf(pat, sizeof(pat), "rm -rf %s", dir);
	assert_eq_int(system(pat), 0);
}

RUN_TESTS()
