#include <errno.h>
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
