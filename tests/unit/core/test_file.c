#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"
#include "core/file.h"
#include "test.h"

/* Everything arrives, in order. */
TEST(write_all_big)
{
	static char data[1 << 20], back[1 << 20];
	char path[] = "/tmp/lp-test-XXXXXX";
	size_t i, got = 0;
	ssize_t k;
	int fd;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 31 + i / 257);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_eq_int(lp_write_all(fd, data, sizeof(data)), LP_OK);
	assert_eq_int(lp_write_all(fd, data, 0), LP_OK);
	lseek(fd, 0, SEEK_SET);
	while ((k = read(fd, back + got, sizeof(back) - got)) > 0)
		got += (size_t)k;
	assert_eq_int(got, sizeof(data));
	assert_true(memcmp(data, back, sizeof(data)) == 0);
	close(fd);
	unlink(path);
}

/* A failure is LP_FATAL with errno saying why. */
TEST(write_all_reports_errno)
{
	int fds[2];

	signal(SIGPIPE, SIG_IGN);
	assert_eq_int(pipe(fds), 0);
	close(fds[0]);
	errno = 0;
	assert_eq_int(lp_write_all(fds[1], "x", 1), LP_FATAL);
	assert_eq_int(errno, EPIPE);
	close(fds[1]);
	errno = 0;
	assert_eq_int(lp_write_all(-1, "x", 1), LP_FATAL);
	assert_eq_int(errno, EBADF);
}

/* The folders on the way are made; the last part is left to the caller. */
TEST(make_parents)
{
	char dir[] = "/tmp/lp-test-XXXXXX", path[128], sub[128];
	struct stat st;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/a/b/c.txt", dir);
	lp_make_parents(path);
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	assert_true(stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
	assert_true(stat(path, &st) != 0);
	/* Again: the folders are there already, which is fine. */
	lp_make_parents(path);
	assert_true(stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/a", dir);
	rmdir(sub);
	rmdir(dir);
}

/* A file whole, an empty one, and the two errors. */
TEST(read_all)
{
	static char data[10000];
	char path[] = "/tmp/lp-test-XXXXXX";
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_eq_int(lp_write_all(fd, data, sizeof(data)), LP_OK);
	close(fd);
	lp_buf_add(&b, "x", 1); /* appended after what is there */
	assert_eq_int(lp_file_read_all(path, &b, &err), LP_OK);
	assert_eq_mem(b.p + 1, b.len - 1, data, sizeof(data));
	assert_eq_int(b.p[b.len], '\0');
	truncate(path, 0);
	lp_buf_release(&b);
	assert_eq_int(lp_file_read_all(path, &b, &err), LP_OK);
	assert_true(b.p != NULL && b.len == 0 && b.p[0] == '\0');
	unlink(path);
	assert_eq_int(lp_file_read_all(path, &b, &err), LP_FAILED);
	assert_true(strncmp(err.msg, "cannot open '/tmp/lp-test-", 26) == 0);
	assert_true(strstr(err.msg, "': No such file or directory") != NULL);
	assert_eq_int(lp_file_read_all("/tmp", &b, &err), LP_FAILED);
	assert_eq_str(err.msg, "/tmp: Is a directory");
	lp_buf_release(&b);
}

RUN_TESTS()
