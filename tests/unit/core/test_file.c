#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* A symbolic link is refused (ELOOP, said plainly); new files get mode. */
TEST(open_no_symlink_private)
{
	char dir[] = "/tmp/lp-test-XXXXXX", f[128], l[128];
	struct stat st;
	mode_t um = umask(022);
	int fd;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(f, sizeof(f), "%s/log", dir);
	snprintf(l, sizeof(l), "%s/link", dir);
	assert_true(
	    (fd = lp_file_open(f, O_RDWR | O_APPEND, LP_FILE_PRIVATE)) >= 0);
	close(fd);
	assert_eq_int(stat(f, &st), 0);
	assert_eq_int(st.st_mode & 0777, 0600);
	assert_eq_int(symlink(f, l), 0);
	errno = 0;
	assert_eq_int(lp_file_open(l, O_WRONLY | O_APPEND, LP_FILE_SHARED), -1);
	assert_eq_int(errno, ELOOP);
	assert_eq_str(
	    lp_file_strerror(ELOOP), "is a symbolic link (not followed)");
	/* An existing file keeps its mode; a new one gets the umask's. */
	chmod(f, 0640);
	assert_eq_int(lp_file_mode_for(f, LP_FILE_SHARED), 0640);
	assert_eq_int(lp_file_mode_for(dir, LP_FILE_SHARED), 0644);
	unlink(l);
	unlink(f);
	rmdir(dir);
	umask(um);
}

/*
 * Temporary files are named after the output and the process, 0600; the
 * ones of processes that are gone are removed, a live one's never.
 */
TEST(tmp_names_and_sweep)
{
	char dir[] = "/tmp/lp-test-XXXXXX", out[128], want[160], dead[160];
	char live[160], other[160], *tmp = NULL, *tmp2 = NULL;
	struct stat st;
	pid_t pid;
	int fd, fd2, status;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(out, sizeof(out), "%s/out.jsonl", dir);
	/* A pid that is gone: a child that has been reaped. */
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, &status, 0);
	snprintf(
	    dead, sizeof(dead), "%s/.out.jsonl.lp-tmp.%ld", dir, (long)pid);
	snprintf(live, sizeof(live), "%s/.out.jsonl.lp-tmp.1", dir);
	snprintf(other, sizeof(other), "%s/.other.lp-tmp.%ld", dir, (long)pid);
	close(open(dead, O_CREAT | O_WRONLY, 0600));
	close(open(live, O_CREAT | O_WRONLY, 0600));
	close(open(other, O_CREAT | O_WRONLY, 0600));
	assert_true((fd = lp_file_tmp_create(out, &tmp)) >= 0);
	snprintf(want, sizeof(want), "%s/.out.jsonl.lp-tmp.%ld", dir,
	    (long)getpid());
	assert_eq_str(tmp, want);
	assert_eq_int(fstat(fd, &st), 0);
	assert_eq_int(st.st_mode & 0777, 0600);
	assert_true(access(dead, F_OK) != 0);  /* swept */
	assert_eq_int(access(live, F_OK), 0);  /* pid 1 lives */
	assert_eq_int(access(other, F_OK), 0); /* another output's */
	/* A second one in this process gets a name of its own. */
	assert_true((fd2 = lp_file_tmp_create(out, &tmp2)) >= 0);
	assert_true(strcmp(tmp, tmp2) != 0);
	assert_eq_int(access(tmp, F_OK), 0);
	close(fd);
	close(fd2);
	unlink(tmp);
	unlink(tmp2);
	unlink(live);
	unlink(other);
	free(tmp);
	free(tmp2);
	assert_eq_int(rmdir(dir), 0);
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

/* A key's file: regular and the owner's only; a FIFO does not block. */
TEST(check_private)
{
	char dir[] = "/tmp/lp-test-XXXXXX", path[64], fifo[64];
	struct lp_error err = LP_ERROR_INIT;
	int fd;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/key", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) >= 0);
	assert_eq_int(lp_file_check_private(fd, "key file 'k'", &err), LP_OK);
	assert_eq_int(fchmod(fd, 0644), 0);
	assert_eq_int(
	    lp_file_check_private(fd, "key file 'k'", &err), LP_FAILED);
	assert_eq_str(err.msg,
	    "key file 'k' is open to others (mode 0644): make it readable by "
	    "its owner only (chmod 600)");
	assert_eq_int(fchmod(fd, 0640), 0);
	assert_eq_int(
	    lp_file_check_private(fd, "key file 'k'", &err), LP_FAILED);
	close(fd);
	assert_eq_int(
	    lp_file_check_private(fd, "key file 'k'", &err), LP_FATAL);
	assert_eq_str(err.msg, "cannot read key file 'k': Bad file descriptor");
	/* Opened without blocking, as the contract asks. */
	assert_eq_int(mkfifo(fifo, 0600), 0);
	assert_true((fd = open(fifo, O_RDONLY | O_NONBLOCK)) >= 0);
	assert_eq_int(
	    lp_file_check_private(fd, "key file 'f'", &err), LP_FAILED);
	assert_eq_str(err.msg, "key file 'f' is not a regular file");
	close(fd);
	assert_eq_int(chmod(dir, 0700), 0);
	assert_true((fd = open(dir, O_RDONLY)) >= 0);
	assert_eq_int(
	    lp_file_check_private(fd, "key file 'd'", &err), LP_FAILED);
	assert_eq_str(err.msg, "key file 'd' is not a regular file");
	close(fd);
	unlink(path);
	unlink(fifo);
	assert_eq_int(rmdir(dir), 0);
}

RUN_TESTS()
