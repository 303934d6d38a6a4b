#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "core/status.h"
#include "core/stream.h"
#include "test.h"

/* gzip s into a malloc'd buffer (one member). */
static unsigned char *
gz(const char *s, size_t n, size_t *outlen)
{
	z_stream z;
	unsigned char *out = malloc(n + 128);

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)(uintptr_t)s;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)(n + 128);
	deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

static struct lp_buf got;
static struct lp_error err;

/*
 * Write data to a temporary file, read every line of it back into got,
 * joined as "LINENO:text|" ("!|" for an over-long line), the reader's
 * error in err; returns the final status.
 */
static int
slurp(const void *data, size_t n, size_t max_line)
{
	char *path = tmpfile_with(data, n);
	char *files[1] = {path};
	struct lp_reader r;
	const char *line;
	size_t len;
	int rc;

	lp_buf_reset(&got);
	if (lp_reader_open(&r, files, 1, max_line) != LP_OK)
		return LP_FATAL;
	while ((rc = lp_reader_next(&r, &line, &len)) == LP_OK ||
	    rc == LP_FAILED) {
		lp_buf_addf(&got, "%lu:", lp_reader_lineno(&r));
		lp_buf_add(&got, line, len);
		lp_buf_adds(&got, rc == LP_FAILED ? "!|" : "|");
	}
	err = r.err;
	lp_reader_close(&r);
	unlink(path);
	free(path);
	return rc;
}

TEST(plain_crlf_blank_no_final_newline)
{
	const char *s = "{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}";

	assert_eq_int(slurp(s, strlen(s), 0), LP_EOF);
	assert_eq_str(got.p, "1:{\"a\":1}|3:{\"b\":2}|4:{\"c\":3}|");
}

/* Lines of only spaces and tabs are blank, skipped as empty ones are. */
TEST(white_space_lines_are_blank)
{
	const char *s = "{\"a\":1}\n  \t \n\t\r\n \n  {\"b\":2}\n \t";

	assert_eq_int(slurp(s, strlen(s), 0), LP_EOF);
	assert_eq_str(got.p, "1:{\"a\":1}|5:  {\"b\":2}|");
}

TEST(empty_input)
{
	assert_eq_int(slurp("", 0, 0), LP_EOF);
	assert_eq_int(got.len, 0);
}

TEST(gzip_concatenated_members)
{
	size_t n1, n2;
	unsigned char *a = gz("x1\nx2\n", 6, &n1), *b = gz("x3\n", 3, &n2);
	unsigned char cat[512];

	memcpy(cat, a, n1);
	memcpy(cat + n1, b, n2);
	assert_eq_int(slurp(cat, n1 + n2, 0), LP_EOF);
	assert_eq_str(got.p, "1:x1|2:x2|3:x3|");

	/* Truncated: a member cut short is an error, not a short read. */
	assert_eq_int(slurp(cat, n1 + n2 - 5, 0), LP_FATAL);
	assert_true(strstr(err.msg, "truncated") != NULL);

	/* Garbage after a member. */
	memcpy(cat + n1, "junk", 4);
	assert_eq_int(slurp(cat, n1 + 4, 0), LP_FATAL);
	assert_true(strstr(err.msg, "trailing garbage") != NULL);
	assert_eq_str(got.p, "1:x1|2:x2|");

	/* Corrupt deflate data. */
	memcpy(cat, a, n1);
	cat[12] ^= 0xff;
	cat[13] ^= 0xff;
	assert_eq_int(slurp(cat, n1, 0), LP_FATAL);
	assert_true(strstr(err.msg, "corrupt gzip stream") != NULL);
	free(a);
	free(b);
}

TEST(big_gzip_crosses_buffers)
{
	struct lp_buf src = LP_BUF_INIT;
	unsigned char *z;
	size_t n;
	int i;

	for (i = 0; i < 100000; i++)
		lp_buf_addf(&src, "{\"i\":%d,\"pad\":\"%040d\"}\n", i, i);
	z = gz(src.p, src.len, &n);
	assert_eq_int(slurp(z, n, 0), LP_EOF);
	assert_true(strstr(got.p, "100000:{\"i\":99999,") != NULL);
	free(z);
	lp_buf_release(&src);
}

/*
 * A gzip regular file is inflated a buffer ahead on a thread: the lines
 * and their numbers are the same, a truncated tail fails after every
 * whole line before it, the count of bytes read reaches the file's size,
 * and closing in the middle (a thread still inflating) returns.
 */
TEST(gzip_ahead_on_a_thread)
{
	struct lp_buf src = LP_BUF_INIT;
	struct lp_reader r;
	const char *line;
	char *path, *files[1];
	unsigned char *z;
	size_t n, len;
	int i, rc;

	for (i = 0; i < 200000; i++)
		lp_buf_addf(&src, "{\"i\":%d,\"pad\":\"%040d\"}\n", i + 1, i);
	z = gz(src.p, src.len, &n);
	path = tmpfile_with(z, n);
	files[0] = path;
	assert_eq_int(lp_reader_open(&r, files, 1, 0), LP_OK);
	for (i = 0; (rc = lp_reader_next(&r, &line, &len)) == LP_OK; i++)
		if (strtol(line + 5, NULL, 10) != (long)i + 1 ||
		    lp_reader_lineno(&r) != (unsigned long)i + 1)
			break;
	assert_eq_int(rc, LP_EOF);
	assert_eq_int(i, 200000);
	assert_eq_int(r.raw_read, n);
	lp_reader_close(&r);

	assert_eq_int(lp_reader_open(&r, files, 1, 0), LP_OK);
	for (i = 0; i < 10; i++)
		assert_eq_int(lp_reader_next(&r, &line, &len), LP_OK);
	lp_reader_close(&r);
	unlink(path);
	free(path);

	assert_eq_int(slurp(z, n - 1000, 0), LP_FATAL);
	assert_true(strstr(err.msg, "truncated") != NULL);
	assert_true(strstr(got.p, "150000:{\"i\":150000,") != NULL);
	free(z);
	lp_buf_release(&src);
}

TEST(over_long_line)
{
	const char *s = "short\n0123456789012345678901234567890123456789\nnext";

	assert_eq_int(slurp(s, strlen(s), 16), LP_EOF);
	assert_eq_str(got.p, "1:short|2:0123456789012345!|3:next|");
}

TEST(missing_file)
{
	struct lp_reader r;
	char *files[1] = {"/nonexistent/x.jsonl"};

	assert_eq_int(lp_reader_open(&r, files, 1, 0), LP_FATAL);
	assert_true(
	    strstr(r.err.msg, "cannot open '/nonexistent/x.jsonl'") != NULL);
	lp_reader_close(&r);
}

TEST(writer_gzip_deterministic_and_atomic)
{
	char dir[] = "/tmp/lp-w-XXXXXX", path[300], a[64], b[64];
	struct lp_writer w;
	FILE *f;
	size_t na, nb;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out.gz", dir);
	assert_eq_int(lp_writer_open(&w, path, 6), 0);
	lp_writer_write(&w, "{\"a\":1}\n", 8);
	assert_true(access(path, F_OK) != 0); /* not yet under its name */
	assert_eq_int(lp_writer_close(&w, 1), 0);
	f = fopen(path, "rb");
	na = fread(a, 1, sizeof(a), f);
	fclose(f);
	assert_eq_int(a[0] & 0xff, 0x1f);
	assert_eq_int(a[4] | a[5] | a[6] | a[7], 0); /* mtime 0 */
	assert_eq_int(lp_writer_open(&w, path, 6), 0);
	lp_writer_write(&w, "{\"a\":1}\n", 8);
	assert_eq_int(lp_writer_close(&w, 1), 0);
	f = fopen(path, "rb");
	nb = fread(b, 1, sizeof(b), f);
	fclose(f);
	assert_eq_mem(a, na, b, nb);
	/* No commit: the old file stays, no temporary is left. */
	assert_eq_int(lp_writer_open(&w, path, 0), 0);
	lp_writer_write(&w, "half", 4);
	assert_eq_int(lp_writer_close(&w, 0), 0);
	f = fopen(path, "rb");
	nb = fread(b, 1, sizeof(b), f);
	fclose(f);
	assert_eq_mem(a, na, b, nb);
	unlink(path);
	assert_eq_int(rmdir(dir), 0); /* fails if a temporary was left */
}

/* The mode of the file at path, or -1. */
static int
mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/*
 * An output written anew keeps the mode of the file it replaces (before:
 * a 0600 file came back 0644); a new one gets the umask's.  While it is
 * written, its temporary file is ".NAME.lp-tmp.PID", 0600.
 */
TEST(writer_modes_and_tmp_name)
{
	char dir[] = "/tmp/lp-w-XXXXXX", path[300], want[300];
	struct lp_writer w;
	mode_t um = umask(022);

	assert_true(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out.jsonl", dir);
	assert_eq_int(lp_writer_open(&w, path, 0), LP_OK);
	snprintf(want, sizeof(want), "%s/.out.jsonl.lp-tmp.%ld", dir,
	    (long)getpid());
	assert_eq_str(w.tmp, want);
	assert_eq_int(mode_of(w.tmp), 0600);
	lp_writer_write(&w, "{}\n", 3);
	assert_eq_int(lp_writer_close(&w, 1), LP_OK);
	assert_eq_int(mode_of(path), 0644);
	chmod(path, 0600);
	assert_eq_int(lp_writer_open(&w, path, 0), LP_OK);
	lp_writer_write(&w, "{}\n", 3);
	assert_eq_int(lp_writer_close(&w, 1), LP_OK);
	assert_eq_int(mode_of(path), 0600);
	unlink(path);
	assert_eq_int(rmdir(dir), 0);
	umask(um);
}

/* A private output (a quarantine) is created 0600. */
TEST(writer_private)
{
	char dir[] = "/tmp/lp-w-XXXXXX", path[300];
	struct lp_writer w;
	mode_t um = umask(022);

	assert_true(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/q.jsonl", dir);
	assert_eq_int(lp_writer_open_private(&w, path, 0), LP_OK);
	lp_writer_write(&w, "{}\n", 3);
	assert_eq_int(lp_writer_close(&w, 1), LP_OK);
	assert_eq_int(mode_of(path), 0600);
	unlink(path);
	assert_eq_int(rmdir(dir), 0);
	umask(um);
}

/*
 * A run killed with SIGKILL leaves its temporary file; the next writer
 * of the same output removes it (before: "out.tmp.XXXXXX" files piled
 * up).
 */
TEST(writer_removes_dead_runs_tmp)
{
	char dir[] = "/tmp/lp-w-XXXXXX", path[300], stale[300];
	struct lp_writer w;
	int status;
	pid_t pid;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out.jsonl", dir);
	if ((pid = fork()) == 0) {
		struct lp_writer w2;

		lp_writer_open(&w2, path, 0);
		lp_writer_write(&w2, "{}\n", 3);
		lp_writer_flush(&w2);
		kill(getpid(), SIGKILL);
	}
	waitpid(pid, &status, 0);
	snprintf(
	    stale, sizeof(stale), "%s/.out.jsonl.lp-tmp.%ld", dir, (long)pid);
	assert_eq_int(access(stale, F_OK), 0);
	assert_eq_int(lp_writer_open(&w, path, 0), LP_OK);
	assert_true(access(stale, F_OK) != 0);
	assert_eq_int(lp_writer_close(&w, 0), LP_OK);
	assert_eq_int(rmdir(dir), 0);
}

/* A write error names the file. */
TEST(writer_error_names_file)
{
	struct lp_writer w;

	assert_eq_int(lp_writer_open(&w, "/dev/full", 0), LP_OK);
	lp_writer_write(&w, "{}\n", 3);
	assert_eq_int(lp_writer_close(&w, 1), LP_FATAL);
	assert_eq_str(
	    w.err.msg, "cannot write '/dev/full': No space left on device");
}

/*
 * Many buffers' worth goes through the compressing thread: read back
 * whole and in order, and the same bytes on a second run (the thread
 * compresses the same buffers in the same order as the tool would).
 */
TEST(writer_thread_big_output)
{
	char dir[] = "/tmp/lp-w-XXXXXX", path[300];
	struct lp_buf line = LP_BUF_INIT, first = LP_BUF_INIT;
	struct lp_writer w;
	FILE *f;
	int i, round;
	char chunk[65536];
	size_t n;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out.jsonl.gz", dir);
	for (round = 0; round < 2; round++) {
		assert_eq_int(lp_writer_open(&w, path, 1), LP_OK);
		for (i = 0; i < 200000; i++) {
			lp_buf_reset(&line);
			lp_buf_addf(
			    &line, "{\"i\":%d,\"pad\":\"%030d\"}\n", i, i * 7);
			assert_eq_int(
			    lp_writer_write(&w, line.p, line.len), LP_OK);
			if (i == 100000)
				/* a flush in the middle waits for the thread */
				assert_eq_int(lp_writer_flush(&w), LP_OK);
		}
		assert_true(w.bg != NULL); /* the thread did the work */
		assert_eq_int(lp_writer_close(&w, 1), LP_OK);
		f = fopen(path, "rb");
		if (round == 0)
			while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				lp_buf_add(&first, chunk, n);
		else {
			struct lp_buf again = LP_BUF_INIT;

			while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				lp_buf_add(&again, chunk, n);
			assert_eq_mem(first.p, first.len, again.p, again.len);
			lp_buf_release(&again);
		}
		fclose(f);
	}
	assert_eq_int(slurp(first.p, first.len, 0), LP_EOF);
	assert_true(strstr(got.p, "|200000:{\"i\":199999,") != NULL);
	assert_true(strncmp(got.p, "1:{\"i\":0,", 9) == 0);
	unlink(path);
	rmdir(dir);
	lp_buf_release(&line);
	lp_buf_release(&first);
}

/*
 * The writer's gzip is one member per buffer (libdeflate): zlib's own
 * reader, which knows nothing of ours, reads all of them back, and an
 * empty output is still one (empty) member.
 */
TEST(writer_members_read_by_zlib)
{
	char dir[] = "/tmp/lp-w-XXXXXX", path[300], buf[65536];
	struct lp_buf want = LP_BUF_INIT, back = LP_BUF_INIT;
	struct lp_writer w;
	gzFile g;
	int i, n;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out.gz", dir);
	assert_eq_int(lp_writer_open(&w, path, 1), LP_OK);
	for (i = 0; i < 60000; i++) {
		size_t at = want.len;

		lp_buf_addf(
		    &want, "{\"n\":%d,\"t\":\"%x\"}\n", i, i * 2654435761u);
		assert_eq_int(
		    lp_writer_write(&w, want.p + at, want.len - at), LP_OK);
	}
	assert_eq_int(lp_writer_close(&w, 1), LP_OK);
	assert_true(w.members > 5); /* many buffers, a member each */
	g = gzopen(path, "rb");
	assert_true(g != NULL);
	while ((n = gzread(g, buf, sizeof(buf))) > 0)
		lp_buf_add(&back, buf, (size_t)n);
	gzclose(g);
	assert_eq_mem(back.p, back.len, want.p, want.len);
	/* Nothing written: a gzip file of nothing. */
	assert_eq_int(lp_writer_open(&w, path, 1), LP_OK);
	assert_eq_int(lp_writer_close(&w, 1), LP_OK);
	g = gzopen(path, "rb");
	assert_true(g != NULL);
	assert_eq_int(gzread(g, buf, sizeof(buf)), 0);
	assert_eq_int(gzdirect(g), 0); /* gzip, not plain */
	gzclose(g);
	unlink(path);
	rmdir(dir);
	lp_buf_release(&want);
	lp_buf_release(&back);
}

/* A full disk found by the thread is the writer's error, by close. */
TEST(writer_thread_full_disk)
{
	struct lp_writer w;
	struct lp_buf line = LP_BUF_INIT;
	int i, rc = LP_OK;

	assert_eq_int(lp_writer_open(&w, "/dev/full", 1), LP_OK);
	/* Random digits do not compress: the buffers fill quickly. */
	for (i = 0; i < 300000 && rc == LP_OK; i++) {
		lp_buf_reset(&line);
		lp_buf_addf(&line, "%u\n", (unsigned)i * 2654435761u);
		rc = lp_writer_write(&w, line.p, line.len);
	}
	assert_eq_int(rc, LP_FATAL);
	assert_true(strstr(w.err.msg, "No space left on device") != NULL);
	assert_eq_int(lp_writer_close(&w, 1), LP_FATAL);
	lp_buf_release(&line);
}

/* A reader that went away: the writer stops, quietly (status OK). */
TEST(writer_thread_broken_pipe)
{
	struct lp_writer w;
	struct lp_buf line = LP_BUF_INIT;
	int fds[2], saved, i, rc = LP_OK;

	signal(SIGPIPE, SIG_IGN);
	assert_eq_int(pipe(fds), 0);
	close(fds[0]);
	saved = dup(STDOUT_FILENO);
	dup2(fds[1], STDOUT_FILENO);
	close(fds[1]);
	assert_eq_int(lp_writer_open(&w, NULL, 1), LP_OK);
	for (i = 0; i < 300000 && rc == LP_OK; i++) {
		lp_buf_reset(&line);
		lp_buf_addf(&line, "%u\n", (unsigned)i * 2654435761u);
		rc = lp_writer_write(&w, line.p, line.len);
	}
	assert_eq_int(rc, LP_FATAL);
	assert_eq_int(w.broken_pipe, 1);
	assert_eq_int(lp_writer_close(&w, 1), LP_OK);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	lp_buf_release(&line);
}

RUN_TESTS()
