#include <sys/wait.h>
#include <unistd.h>

#include "core/status.h"
#include "core/audit.h"
#include "core/buf.h"
#include "test.h"

static char *
fresh_log(void)
{
	char *p = tmpfile_with("", 0);

	return p;
}

static void
write_events(const char *path, int n, const char *tool)
{
	struct lp_audit a;
	int i;

	assert_eq_int(lp_audit_open(&a, path, tool, "run1"), 0);
	for (i = 0; i < n; i++)
		assert_eq_int(
		    lp_audit_event(&a, "check", json_pack("{s:i}", "i", i)), 0);
	lp_audit_close(&a);
}

static void
rewrite(
    const char *path, int skip_line, const char *edit_from, const char *edit_to)
{
	FILE *f = fopen(path, "r");
	struct lp_buf all = LP_BUF_INIT;
	char line[4096];
	int no = 0;

	while (fgets(line, sizeof(line), f) != NULL) {
		char *hit;

		if (++no == skip_line)
			continue;
		if (edit_from != NULL &&
		    (hit = strstr(line, edit_from)) != NULL && no == 3) {
			lp_buf_add(&all, line, (size_t)(hit - line));
			lp_buf_adds(&all, edit_to);
			lp_buf_adds(&all, hit + strlen(edit_from));
		} else
			lp_buf_adds(&all, line);
	}
	fclose(f);
	f = fopen(path, "w");
	fwrite(all.p, 1, all.len, f);
	fclose(f);
	lp_buf_release(&all);
}

TEST(chain_verifies_and_breaks)
{
	char *p = fresh_log();
	struct lp_error err = LP_ERROR_INIT;
	unsigned long line;

	write_events(p, 5, "lp-a");
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_OK);
	rewrite(p, 0, "\"i\":2", "\"i\":7");
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_FAILED);
	assert_eq_int(line, 4);
	assert_eq_str(err.msg,
	    "line 4: hash chain broken: 'prev' does not match the line "
	    "before (edited, inserted or deleted line)");
	unlink(p);
	free(p);

	p = fresh_log();
	write_events(p, 5, "lp-a");
	rewrite(p, 2, NULL, NULL); /* delete line 2 */
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_FAILED);
	assert_eq_int(line, 2);
	unlink(p);
	free(p);
}

TEST(torn_and_unreadable)
{
	char *p = fresh_log();
	struct lp_error err = LP_ERROR_INIT;
	unsigned long line;
	FILE *f;

	write_events(p, 2, "lp-a");
	f = fopen(p, "a");
	fputs("{\"prev\":\"", f);
	fclose(f);
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_FAILED);
	assert_eq_int(line, 3);
	assert_eq_str(err.msg, "line 3 is not terminated (torn write)");
	unlink(p);
	free(p);
	assert_eq_int(
	    lp_audit_verify("/nonexistent/audit.log", &line, &err), LP_FATAL);
	assert_eq_int(line, 0);
	assert_eq_str(err.msg,
	    "cannot open '/nonexistent/audit.log': No such file or directory");
}

TEST(concurrent_appends_never_interleave)
{
	char *p = fresh_log();
	struct lp_error err = LP_ERROR_INIT;
	unsigned long line;
	int i, status;
	FILE *f;
	char buf[8192];
	int n = 0;

	for (i = 0; i < 4; i++)
		if (fork() == 0) {
			struct lp_audit a;
			int k;

			lp_audit_open(&a, p, "lp-x", "r");
			for (k = 0; k < 200; k++)
				lp_audit_event(&a, "e",
				    json_pack("{s:i,s:i}", "proc", i, "k", k));
			lp_audit_close(&a);
			_exit(0);
		}
	for (i = 0; i < 4; i++)
		wait(&status);
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_OK);
	f = fopen(p, "r");
	while (fgets(buf, sizeof(buf), f) != NULL)
		n++;
	fclose(f);
	assert_eq_int(n, 800);
	unlink(p);
	free(p);
}

TEST(argv_hides_secrets)
{
	char *argv[] = {"lp-translate", "--api-key", "sk-123", "--token=abc",
	    "--api-key-file", "/k", "-j", "4"};
	json_t *a = lp_audit_argv(8, argv);
	char *s = json_dumps(a, JSON_COMPACT);

	assert_eq_str(s,
	    "[\"lp-translate\",\"--api-key\",\"***\","
	    "\"--token=***\",\"--api-key-file\",\"/k\",\"-j\",\"4\"]");
	free(s);
	json_decref(a);
}

RUN_TESTS()
