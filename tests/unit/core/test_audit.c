#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/status.h"
#include "core/audit.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/secret.h"
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

static const unsigned char key1[] = "0123456789abcdef-one";
static const unsigned char key2[] = "0123456789abcdef-two";

/* n events, a seal under key, m more events. */
static void
sealed_log(const char *path, int n, const unsigned char *key, int m,
    long long *seq, char hash[65])
{
	struct lp_audit a;
	int i;

	assert_eq_int(lp_audit_open(&a, path, "lp-a", "run1"), 0);
	for (i = 0; i < n; i++)
		lp_audit_event(&a, "check", json_pack("{s:i}", "i", i));
	assert_eq_int(lp_audit_seal(&a, key, 20, seq, hash), LP_OK);
	for (i = 0; i < m; i++)
		lp_audit_event(&a, "check", json_pack("{s:i}", "j", i));
	lp_audit_close(&a);
}

static int
check(const char *path, const unsigned char *key, long long want_seq,
    const char *want_hash, unsigned long *line, struct lp_error *err)
{
	struct lp_audit_check c;

	memset(&c, 0, sizeof(c));
	c.key = key;
	c.keylen = key != NULL ? 20 : 0;
	c.want_seq = want_seq;
	c.want_hash = want_hash;
	return lp_audit_check(path, &c, line, err);
}

/* A seal names the head before it and verifies with its key only. */
TEST(seal_verifies_with_its_key)
{
	char *p = fresh_log();
	struct lp_error err = LP_ERROR_INIT;
	struct lp_audit_check c;
	unsigned long line;
	long long seq;
	char hash[65];

	sealed_log(p, 3, key1, 2, &seq, hash);
	assert_eq_int(seq, 4);
	memset(&c, 0, sizeof(c));
	c.key = key1;
	c.keylen = 20;
	assert_eq_int(lp_audit_check(p, &c, &line, &err), LP_OK);
	assert_eq_int(c.seals, 1);
	assert_eq_int(c.lines, 6);
	assert_eq_int(c.seq, 6);
	assert_eq_int(check(p, key2, 0, NULL, &line, &err), LP_FAILED);
	assert_eq_int(line, 4);
	assert_eq_str(err.msg,
	    "line 4: seal does not verify with this key (forged, made with "
	    "another key, or the chain recomputed)");
	/* Without a key, the chain and the seal's head only. */
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_OK);
	/* The published head: the seal's own seq and hash. */
	assert_eq_int(check(p, key1, seq, hash, &line, &err), LP_OK);
	assert_eq_int(check(p, key1, 3, hash, &line, &err), LP_FAILED);
	assert_eq_int(line, 3);
	assert_eq_int(check(p, key1, 9, hash, &line, &err), LP_FAILED);
	assert_eq_int(line, 6);
	assert_eq_str(err.msg,
	    "line 6: the log ends at seq 6, before the "
	    "published head seq 9 (events cut off)");
	unlink(p);
	free(p);
}

/*
 * Drop line drop (0: none) and recompute every prev from there on, as
 * someone covering an edit would; with fix_head, seals' heads too.
 */
static void
rechain(const char *path, int drop, int fix_head)
{
	FILE *f = fopen(path, "r");
	struct lp_buf all = LP_BUF_INIT, one = LP_BUF_INIT;
	char line[4096], prev[65] = "", pseq[32] = "0";
	int no = 0;

	memset(prev, '0', 64);
	while (fgets(line, sizeof(line), f) != NULL) {
		json_t *ev;

		if (++no == drop)
			continue;
		ev = lp_json_load(line, strlen(line) - 1, 0, NULL);
		json_object_set_new(ev, "prev", json_string(prev));
		if (fix_head && json_object_get(ev, "head") != NULL) {
			json_object_set_new(ev, "head", json_string(prev));
			json_object_set_new(
			    ev, "head_seq", json_integer(strtoll(pseq, 0, 10)));
		}
		snprintf(pseq, sizeof(pseq), "%lld",
		    (long long)json_integer_value(json_object_get(ev, "seq")));
		lp_buf_reset(&one);
		lp_json_dump(ev, &one);
		json_decref(ev);
		lp_sha256_hex(one.p, one.len, prev);
		lp_buf_add(&all, one.p, one.len);
		lp_buf_addc(&all, '\n');
	}
	fclose(f);
	f = fopen(path, "w");
	fwrite(all.p, 1, all.len, f);
	fclose(f);
	lp_buf_release(&all);
	lp_buf_release(&one);
}

/* A chain recomputed under a seal: its head, or its HMAC, tells. */
TEST(seal_catches_a_recomputed_chain)
{
	char *p = fresh_log();
	struct lp_error err = LP_ERROR_INIT;
	unsigned long line;
	long long seq;
	char hash[65];

	sealed_log(p, 3, key1, 1, &seq, hash);
	rechain(p, 0, 0);
	assert_eq_int(check(p, key1, 0, NULL, &line, &err), LP_OK);
	rechain(p, 2, 0);
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_FAILED);
	assert_eq_int(line, 3);
	assert_eq_str(err.msg,
	    "line 3: the seal's head is not the line before it (lines "
	    "removed, inserted or the chain recomputed)");
	unlink(p);
	free(p);

	p = fresh_log();
	sealed_log(p, 3, key1, 1, &seq, hash);
	rechain(p, 2, 1);
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_OK);
	assert_eq_int(check(p, key1, 0, NULL, &line, &err), LP_FAILED);
	assert_eq_int(line, 3);
	unlink(p);
	free(p);
}

/* The first run that uses a version records it; later ones do not. */
TEST(event_once)
{
	char *p = fresh_log();
	struct lp_audit a;
	struct lp_error err = LP_ERROR_INIT;
	unsigned long line;
	FILE *f;
	char buf[4096];
	int n = 0, i;

	for (i = 0; i < 3; i++) {
		assert_eq_int(lp_audit_open(&a, p, "lp-a", "run1"), 0);
		lp_audit_event(&a, "run_start", NULL);
		assert_eq_int(lp_audit_event_once(&a, "version_in_use",
				  json_pack("{s:s,s:s}", "kind", "taxonomy",
				      "version", i < 2 ? "t-1" : "t-2")),
		    LP_OK);
		lp_audit_close(&a);
	}
	f = fopen(p, "r");
	while (fgets(buf, sizeof(buf), f) != NULL)
		n += strstr(buf, "\"version_in_use\"") != NULL;
	fclose(f);
	assert_eq_int(n, 2);
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_OK);
	unlink(p);
	free(p);
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

/* The "seq" of the last line of the log at path, or -1. */
static long long
last_seq(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096], last[4096] = "";
	json_t *ev;
	long long seq;

	while (fgets(line, sizeof(line), f) != NULL)
		memcpy(last, line, sizeof(last));
	fclose(f);
	ev = json_loads(last, 0, NULL);
	seq = ev != NULL ? json_integer_value(json_object_get(ev, "seq")) : -1;
	json_decref(ev);
	return seq;
}

/*
 * A line a crash or a full disk cut short is cut on the next append, with
 * a note in the log, and seq goes on from the last whole event: the chain
 * verifies again (before: "line 3 is not an audit event", seq 1).
 */
TEST(torn_last_line_cut_and_seq_continues)
{
	char *p = fresh_log();
	struct lp_error err = LP_ERROR_INIT;
	struct lp_audit a;
	unsigned long line;
	FILE *f;

	write_events(p, 2, "lp-a");
	f = fopen(p, "a");
	fputs("{\"seq\":3,\"at\":\"2024", f);
	fclose(f);
	assert_eq_int(lp_audit_open(&a, p, "lp-b", "run2"), LP_OK);
	assert_eq_int(lp_audit_event(&a, "check", NULL), LP_OK);
	assert_eq_int(a.cut, 19);
	lp_audit_close(&a);
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_OK);
	assert_eq_int(last_seq(p), 4);
	f = fopen(p, "r");
	{
		char buf[4096];
		int n = 0, notes = 0;

		while (fgets(buf, sizeof(buf), f) != NULL) {
			n++;
			if (n == 3 &&
			    strstr(buf, "\"event\":\"audit_repair\"") &&
			    strstr(buf, "\"cut_bytes\":19"))
				notes++;
		}
		assert_eq_int(n, 4);
		assert_eq_int(notes, 1);
	}
	fclose(f);
	unlink(p);
	free(p);
}

/*
 * A short write (the file size limit stands in for a full disk: the
 * kernel writes what fits, then fails) leaves no partial line: the append
 * fails with the reason, the log is as before, the next append goes on.
 */
TEST(short_write_leaves_no_partial_line)
{
	char *p = fresh_log();
	struct lp_error err = LP_ERROR_INIT;
	unsigned long line;
	long before;
	int status;
	pid_t pid;

	write_events(p, 2, "lp-a");
	before = file_size(p);
	if ((pid = fork()) == 0) {
		struct rlimit rl = {(rlim_t)before + 40, (rlim_t)before + 40};
		struct lp_audit a;
		int rc;

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		if (lp_audit_open(&a, p, "lp-b", "r") != LP_OK)
			_exit(2);
		rc = lp_audit_event(&a, "check", NULL);
		_exit(rc == LP_FATAL && strstr(a.err.msg, "File too large")
			? 0
			: 1);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_eq_int(file_size(p), before);
	write_events(p, 1, "lp-c");
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_OK);
	assert_eq_int(last_seq(p), 3);
	unlink(p);
	free(p);
}

/* A disk that takes 10 bytes, then is full. */
static ssize_t
fills_up(int fd, const void *p, size_t n)
{
	static int calls;

	if (calls++ % 2 == 0)
		return write(fd, p, n < 10 ? n : 10);
	errno = ENOSPC;
	return -1;
}

/* A disk that takes part of a line and reports no error. */
static ssize_t
short_no_error(int fd, const void *p, size_t n)
{
	return write(fd, p, n / 2);
}

/*
 * Through the write hook: a part-written line is cut back off, and the
 * reason is the disk's (before: the stale errno, "Inappropriate ioctl
 * for device", and the part left in the log).
 */
TEST(injected_short_writes)
{
	char *p = fresh_log();
	struct lp_error err = LP_ERROR_INIT;
	struct lp_audit a;
	unsigned long line;
	long before;

	write_events(p, 1, "lp-a");
	before = file_size(p);
	assert_eq_int(lp_audit_open(&a, p, "lp-b", "r"), LP_OK);
	a.write = fills_up;
	assert_eq_int(lp_audit_event(&a, "check", NULL), LP_FATAL);
	assert_true(strstr(a.err.msg, "No space left on device") != NULL);
	assert_eq_int(file_size(p), before);
	a.write = short_no_error;
	assert_eq_int(lp_audit_event(&a, "check", NULL), LP_FATAL);
	assert_true(strstr(a.err.msg, "No space left on device") != NULL);
	assert_eq_int(file_size(p), before);
	a.write = write;
	assert_eq_int(lp_audit_event(&a, "check", NULL), LP_OK);
	lp_audit_close(&a);
	assert_eq_int(lp_audit_verify(p, &line, &err), LP_OK);
	assert_eq_int(last_seq(p), 2);
	unlink(p);
	free(p);
}

/* A write that fails outright (a full disk) says so, by name. */
TEST(full_disk_message)
{
	struct lp_audit a;

	assert_eq_int(lp_audit_open(&a, "/dev/full", "lp-a", "r"), LP_OK);
	assert_eq_int(lp_audit_event(&a, "check", NULL), LP_FATAL);
	assert_eq_str(
	    a.err.msg, "cannot write '/dev/full': No space left on device");
	lp_audit_close(&a);
}

/* A new log is private (0600); a symbolic link is never written through. */
TEST(private_and_no_symlink)
{
	char dir[] = "/tmp/lp-au-XXXXXX", log[300], victim[300], link[300];
	struct lp_audit a;
	struct stat st;
	mode_t um = umask(022);

	assert_true(mkdtemp(dir) != NULL);
	snprintf(log, sizeof(log), "%s/audit.log", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(link, sizeof(link), "%s/link.log", dir);
	write_events(log, 1, "lp-a");
	assert_eq_int(stat(log, &st), 0);
	assert_eq_int(st.st_mode & 0777, 0600);
	fclose(fopen(victim, "w"));
	assert_eq_int(symlink(victim, link), 0);
	assert_eq_int(lp_audit_open(&a, link, "lp-a", "r"), LP_FATAL);
	assert_true(strstr(a.err.msg, "is a symbolic link") != NULL);
	assert_eq_int(file_size(victim), 0);
	unlink(link);
	unlink(victim);
	unlink(log);
	rmdir(dir);
	umask(um);
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

TEST(argv_hides_webhooks_and_url_passwords)
{
	char *argv[] = {"lp-kpi", "--alert-url", "https://hooks.example/T/B/X",
	    "--api-base=http://u:pw123@h/v1", "--alert-url=https://h/x",
	    "in.jsonl"};
	json_t *a = lp_audit_argv(6, argv);
	char *s = json_dumps(a, JSON_COMPACT);

	assert_eq_str(s,
	    "[\"lp-kpi\",\"--alert-url\",\"***\","
	    "\"--api-base=http://u:***@h/v1\",\"--alert-url=***\","
	    "\"in.jsonl\"]");
	free(s);
	json_decref(a);
}

/* An event's strings are scrubbed of registered secrets before they go. */
TEST(events_scrubbed)
{
	char *p = fresh_log();
	struct lp_audit a;
	struct lp_buf all = LP_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	lp_secret_clear();
	lp_secret_add_key("sk-live-TOPSECRET-987654321");
	assert_eq_int(lp_audit_open(&a, p, "lp-a", "r"), LP_OK);
	assert_eq_int(lp_audit_event(&a, "llm_call",
			  json_pack("{s:s,s:[s]}", "error",
			      "HTTP 401: Bearer sk-live-TOPSECRET-987654321",
			      "more", "at http://x:y1234@h/")),
	    LP_OK);
	lp_audit_close(&a);
	f = fopen(p, "r");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		lp_buf_add(&all, chunk, n);
	fclose(f);
	lp_buf_addc(&all, '\0');
	assert_true(strstr(all.p, "TOPSECRET") == NULL);
	assert_true(strstr(all.p, "y1234") == NULL);
	assert_true(
	    strstr(all.p, "\"error\":\"HTTP 401: Bearer ***\"") != NULL);
	assert_true(strstr(all.p, "http://x:***@h/") != NULL);
	lp_buf_release(&all);
	lp_secret_clear();
	unlink(p);
	free(p);
}

RUN_TESTS()
