#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/retention.h"
#include "core/status.h"

/* One path: a file that may go, or a folder to go through. */
static int
one(const char *path, time_t cutoff, int dry, json_t *gone,
    struct lp_error *err)
{
	struct stat st;
	struct dirent *d;
	DIR *dp;
	int rc = LP_OK;

	if (lstat(path, &st) != 0)
		return LP_OK; /* gone meanwhile */
	if (S_ISREG(st.st_mode)) {
		if (st.st_mtime >= cutoff)
			return LP_OK;
		if (!dry && unlink(path) != 0) {
			lp_error_set(err, "cannot remove '%s': %s", path,
			    strerror(errno));
			return LP_FATAL;
		}
		json_array_append_new(gone, json_string(path));
		return LP_OK;
	}
	if (!S_ISDIR(st.st_mode) || (dp = opendir(path)) == NULL)
		return LP_OK;
	while (rc == LP_OK && (d = readdir(dp)) != NULL) {
		struct lp_buf p = LP_BUF_INIT;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		lp_buf_addf(&p, "%s/%s", path, d->d_name);
		rc = one(p.p, cutoff, dry, gone, err);
		lp_buf_release(&p);
	}
	closedir(dp);
	return rc;
}

int
lp_retention_files(const char *pattern, time_t cutoff, int dry, json_t *gone,
    struct lp_error *err)
{
	glob_t g;
	size_t i;
	int rc = LP_OK;

	if (glob(pattern, 0, NULL, &g) != 0)
		return LP_OK; /* no match, or nothing readable */
	for (i = 0; i < g.gl_pathc && rc == LP_OK; i++)
		rc = one(g.gl_pathv[i], cutoff, dry, gone, err);
	globfree(&g);
	return rc;
}
