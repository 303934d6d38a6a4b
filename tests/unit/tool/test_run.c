#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/status.h"
#include "core/version.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/run.h"
#include "test.h"

static const struct lp_tool tool = {
    "lp-test", "[file ...]", "test", NULL, 0, NULL};

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

/*
 * --on-error=fail: the failing line is counted (failed), so in = out +
 * dropped + skipped + quarantined + failed; the -o file is discarded, so
 * nothing was committed (before: "in":2,"out":1 and no trace of either).
 */
TEST(fail_is_counted_and_nothing_committed)
{
	const char *in = "{\"id\":\"a\"}\nbad\n{\"id\":\"c\"}\n";
	char *path = tmpfile_with(in, strlen(in));
	char dir[] = "/tmp/lp-run-XXXXXX", out[300], st[300];
	char *argv[] = {"lp-test", NULL};
	char *files[1] = {path};
	struct lp_run run;
	struct lp_record *rec;
	const char *s;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(out, sizeof(out), "%s/out.jsonl", dir);
	snprintf(st, sizeof(st), "%s/stats.json", dir);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	lp_cli_init(1, argv, &tool);
	lp_verbosity = -1;
	lp_opts.output = out;
	lp_opts.plain = 1;
	lp_opts.stats = st;
	lp_run_open(&run, 1, files, "");
	while (lp_run_next(&run, &rec) == LP_OK)
		assert_eq_int(lp_run_emit(&run, rec), LP_OK);
	assert_eq_int(lp_run_close(&run, LP_EXIT_OK), LP_EXIT_DATAERR);
	assert_true(access(out, F_OK) != 0);
	s = slurp_file(st);
	assert_true(s != NULL &&
	    strstr(s,
		"{\"in\":2,\"out\":1,\"dropped\":0,\"skipped\":0,"
		"\"quarantined\":0,\"failed\":1,\"committed\":0,") == s);
	/* The same run that succeeds commits what it wrote. */
	lp_cli_init(1, argv, &tool);
	lp_verbosity = -1;
	lp_opts.output = out;
	lp_opts.plain = 1;
	lp_opts.stats = st;
	lp_opts.on_error = LP_ON_ERROR_SKIP;
	lp_run_open(&run, 1, files, "");
	while (lp_run_next(&run, &rec) == LP_OK)
		assert_eq_int(lp_run_emit(&run, rec), LP_OK);
	assert_eq_int(lp_run_close(&run, LP_EXIT_OK), LP_EXIT_OK);
	s = slurp_file(st);
	assert_true(s != NULL &&
	    strstr(s,
		"{\"in\":3,\"out\":2,\"dropped\":0,\"skipped\":1,"
		"\"quarantined\":0,\"failed\":0,\"committed\":2,") == s);
	unlink(out);
	unlink(st);
	rmdir(dir);
	unlink(path);
	free(path);
	unsetenv("SOURCE_DATE_EPOCH");
}

/*
 * Run lp_run_open (and a side output when side is set) in a child with
 * the command line argv; its exit status, stderr into errbuf.
 */
static int
open_in_child(char **argv, int argc, char *input, const char *side,
    char *errbuf, size_t n)
{
	char errpath[] = "/tmp/lp-run-err-XXXXXX";
	int fd = mkstemp(errpath), status;
	pid_t pid;
	FILE *f;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct lp_run run;
		struct lp_writer w;
		int ch;

		dup2(fd, STDERR_FILENO);
		lp_cli_init(argc, argv, &tool);
		optind = 1;
		/* A tool's own option (a side output) is not a common one. */
		while (side == NULL &&
		    (ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS,
			 (const struct option[]){
			     LP_COMMON_LONGOPTS, {NULL, 0, NULL, 0}},
			 NULL)) != -1)
			lp_cli_common(ch, optarg);
		lp_run_open(&run, 1, &input, "");
		if (side != NULL)
			lp_run_side_open(&run, &w, side);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	f = fdopen(fd, "r");
	rewind(f);
	errbuf[fread(errbuf, 1, n - 1, f)] = '\0';
	fclose(f);
	unlink(errpath);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * No output may be an input (compared by device and inode, not name):
 * a usage error naming both, before anything is written (before: the
 * input was replaced by the output).
 */
TEST(output_may_not_be_an_input)
{
	const char *in = "{\"id\":\"a\"}\n";
	char *path = tmpfile_with(in, strlen(in));
	char link[300], err[2048], want[1024];
	char *a1[] = {"lp-test", "-o", link, NULL};
	char *a2[] = {"lp-test", "--stats=x", "--stats", path, NULL};
	char *a3[] = {"lp-test", "--dropped", link, NULL};

	snprintf(link, sizeof(link), "%s.link", path);
	assert_eq_int(symlink(path, link), 0);
	assert_eq_int(open_in_child(a1, 3, path, NULL, err, sizeof(err)), 2);
	snprintf(want, sizeof(want),
	    "lp-test: -o '%s' is the input '%s': an output may not "
	    "overwrite an input\n",
	    link, path);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	assert_eq_int(open_in_child(a2, 4, path, NULL, err, sizeof(err)), 2);
	snprintf(want, sizeof(want),
	    "lp-test: --stats '%s' is the input '%s': an output may not "
	    "overwrite an input\n",
	    path, path);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	/* A side output the tool opens, named by its option. */
	assert_eq_int(open_in_child(a3, 3, path, link, err, sizeof(err)), 2);
	snprintf(want, sizeof(want),
	    "lp-test: --dropped '%s' is the input '%s': an output may not "
	    "overwrite an input\n",
	    link, path);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	assert_eq_str(slurp_file(path), in);
	unlink(link);
	unlink(path);
	free(path);
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
