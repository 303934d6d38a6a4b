#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/file.h"

int
lp_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return LP_FATAL;
		}
		p += k;
		n -= (size_t)k;
	}
	return LP_OK;
}

void
lp_make_parents(const char *path)
{
	char *d = lp_xstrdup(path), *p;

	for (p = d + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(d, 0777); /* there already, or the open after says why */
		*p = '/';
	}
	free(d);
}

int
lp_file_open(const char *path, int flags, mode_t mode)
{
	return open(path, flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
}

const char *
lp_file_strerror(int e)
{
	/* O_NOFOLLOW refuses a link in the last part of the name with ELOOP. */
	return e == ELOOP ? "is a symbolic link (not followed)" : strerror(e);
}

mode_t
lp_file_mode_for(const char *path, mode_t mode)
{
	struct stat st;
	mode_t um;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	um = umask(0);
	umask(um);
	return mode & ~um;
}

/*
 * Split path into its folder (malloc'd, "." when it has none) and the
 * last part of the name.
 */
static char *
split(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (slash == NULL) {
		*base = path;
		return lp_xstrdup(".");
	}
	*base = slash + 1;
	if (slash == path)
		return lp_xstrdup("/");
	dir = lp_xstrdup(path);
	dir[slash - path] = '\0';
	return dir;
}

/*
 * The process id in a temporary name's tail ("PID" or "PID.N" after
 * ".lp-tmp."), or 0 if the tail is not one.
 */
static long
tmp_pid(const char *tail)
{
	char *end;
	long pid;

	if (*tail < '0' || *tail > '9')
		return 0;
	pid = strtol(tail, &end, 10);
	if (*end == '.' && end[1] >= '0' && end[1] <= '9')
		strtol(end + 1, &end, 10);
	return *end == '\0' ? pid : 0;
}

int
lp_file_tmp_sweep(const char *path)
{
	const char *base;
	char *dir = split(path, &base), *prefix;
	size_t plen = strlen(base) + 10;
	struct dirent *e;
	DIR *d;
	int n = 0;

	prefix = lp_xmalloc(plen);
	snprintf(prefix, plen, ".%s.lp-tmp.", base);
	plen = strlen(prefix);
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			long pid;

			if (strncmp(e->d_name, prefix, plen) != 0 ||
			    (pid = tmp_pid(e->d_name + plen)) <= 0 ||
			    pid == (long)getpid())
				continue;
			/* EPERM: alive, another user's. */
			if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				continue;
			if (unlinkat(dirfd(d), e->d_name, 0) == 0)
				n++;
		}
		closedir(d);
	}
	free(prefix);
	free(dir);
	return n;
}

int
lp_file_tmp_create(const char *path, char **tmp)
{
	const char *base;
	char *dir = split(path, &base);
	size_t n = strlen(path) + 64;
	int fd = -1, i;

	lp_file_tmp_sweep(path);
	*tmp = lp_xmalloc(n);
	for (i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(*tmp, n, "%s/.%s.lp-tmp.%ld", dir, base,
			    (long)getpid());
		else
			snprintf(*tmp, n, "%s/.%s.lp-tmp.%ld.%d", dir, base,
			    (long)getpid(), i);
		fd = open(*tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		    LP_FILE_PRIVATE);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	free(dir);
	if (fd < 0) {
		int e = errno;

		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

int
lp_file_read_all(const char *path, struct lp_buf *out, struct lp_error *err)
{
	FILE *f = fopen(path, "r");
	char chunk[4096];
	size_t n;
	int bad;

	if (f == NULL)
		return lp_error_set(
		    err, "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		lp_buf_add(out, chunk, n);
	bad = ferror(f) ? errno : 0;
	fclose(f);
	lp_buf_add(out, "", 0); /* a string, even for an empty file */
	if (bad)
		return lp_error_set(err, "%s: %s", path, strerror(bad));
	return LP_OK;
}

int
lp_file_check_private(int fd, const char *what, struct lp_error *err)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		lp_error_set(err, "cannot read %s: %s", what, strerror(errno));
		return LP_FATAL;
	}
	if (!S_ISREG(st.st_mode))
		return lp_error_set(err, "%s is not a regular file", what);
	if ((st.st_mode & 077) != 0)
		return lp_error_set(err,
		    "%s is open to others (mode %04o): make it readable by "
		    "its owner only (chmod 600)",
		    what, (unsigned)(st.st_mode & 07777));
	return LP_OK;
}
