#include <unistd.h>

#include "core/status.h"
#include "core/version.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/run.h"
#include "test.h"

static const struct lp_tool tool = {"lp-test", "[file ...]", "test", NULL, 0};

static char *
slurp_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[8192];
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

TEST(accounting_and_outputs)
{
	const char *in = "{\"id\":\"a\"}\n[1]\n{\"id\":\"b\",\"drop\":1}\n"
			 "{\"id\":\"c\"}\n";
	char *path = tmpfile_with(in, strlen(in));
	char dir[] = "/tmp/lp-run-XXXXXX", out[300], q[300], st[300];
	char *argv[] = {"lp-test", NULL};
	char *files[1] = {path};
	struct lp_run run;
	struct lp_record *rec;
	const char *s;
	int n = 0;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(out, sizeof(out), "%s/out.jsonl", dir);
	snprintf(q, sizeof(q), "%s/q.jsonl", dir);
	snprintf(st, sizeof(st), "%s/stats.json", dir);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	lp_cli_init(1, argv, &tool);
	lp_verbosity = -1;
	lp_opts.output = out;
	lp_opts.plain = 1;
	lp_opts.quarantine = q;
	lp_opts.stats = st;
	lp_run_open(&run, 1, files, "");
	while (lp_run_next(&run, &rec) == LP_OK) {
		n++;
		if (lp_record_get(rec, "drop") != NULL) {
			lp_run_drop(&run);
			continue;
		}
		lp_run_count(&run, "kept", 1);
		assert_eq_int(lp_run_emit(&run, rec), LP_OK);
	}
	assert_eq_int(n, 3);
	assert_eq_int(lp_run_close(&run, LP_EXIT_OK), LP_EXIT_OK);
	s = slurp_file(out);
	assert_true(s != NULL && strstr(s, "{\"id\":\"a\",\"lineage\"") == s);
	assert_true(
	    s != NULL && strstr(s, "{\"id\":\"c\",\"lineage\"") != NULL);
	s = slurp_file(q);
	assert_true(s != NULL &&
	    strstr(s,
		"\"line\":2,\"reason\":\"expected "
		"JSON object, got array\",\"text\":"
		"\"[1]\"}\n") != NULL);
	s = slurp_file(st);
	assert_true(s != NULL &&
	    strstr(s,
		"\"in\":4,\"out\":2,\"dropped\":1,"
		"\"skipped\":0,\"quarantined\":1") != NULL);
	assert_true(s != NULL && strstr(s, "\"kept\":2") != NULL);
	unlink(out);
	unlink(q);
	unlink(st);
	rmdir(dir);
	unlink(path);
	free(path);
	unsetenv("SOURCE_DATE_EPOCH");
}

TEST(version_details)
{
	const char *v = lp_version_details("lp-x");

	assert_true(
	    strncmp(v, "lp-x " LP_VERSION " (liblp " LP_VERSION "; jansson ",
		strlen("lp-x " LP_VERSION " (liblp " LP_VERSION
		       "; jansson ")) == 0);
}

RUN_TESTS()
