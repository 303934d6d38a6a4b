#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/status.h"
#include "web/warc.h"
#include "web/warccut.h"

/* A gzip member of the archive and whether it goes. */
struct member {
	long long off;
	int drop, records;
};

/* Whether s is one of list's strings. */
static int
named(const json_t *list, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach ((json_t *)list, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

/* Whether the block holds one of needles. */
static int
holds(const json_t *needles, const struct lp_buf *b)
{
	size_t i;
	json_t *v;

	json_array_foreach ((json_t *)needles, i, v) {
		const char *s = json_string_value(v);

		if (memmem(b->p, b->len, s, strlen(s)) != NULL)
			return 1;
	}
	return 0;
}

/* The archive's members, and which go; LP_OK or LP_FAILED (err). */
static int
members(const char *path, const json_t *uris, const json_t *needles,
    struct member **m, size_t *nm, json_t *kept, struct lp_error *err)
{
	struct lp_warc_reader r;
	struct lp_warc_record rec;
	int rc;

	memset(&rec, 0, sizeof(rec));
	if (lp_warc_reader_open(&r, path) != LP_OK) {
		lp_error_set(err, "%s", r.err.msg);
		lp_warc_reader_close(&r);
		return LP_FATAL;
	}
	while ((rc = lp_warc_next(&r, &rec)) == LP_OK) {
		int is_page = strcmp(rec.type, "response") == 0 ||
		    strcmp(rec.type, "request") == 0;
		int drop = is_page && named(uris, rec.target);

		if (rec.skip == 0) {
			*m = lp_xrealloc(*m, (*nm + 1) * sizeof(**m));
			(*m)[(*nm)++] = (struct member){rec.offset, 0, 0};
		}
		(*m)[*nm - 1].drop |= drop;
		(*m)[*nm - 1].records++;
		if (!drop && strcmp(rec.type, "response") == 0 &&
		    holds(needles, &rec.block))
			json_array_append_new(kept, json_string(rec.target));
	}
	if (rc != LP_EOF)
		lp_error_set(err, "%s", r.err.msg);
	lp_warc_record_release(&rec);
	lp_warc_reader_close(&r);
	return rc == LP_EOF ? LP_OK : LP_FAILED;
}

/* Copy the kept members of in (size bytes) to fd. */
static int
copy(FILE *in, long long size, const struct member *m, size_t nm, int fd)
{
	char chunk[65536];
	size_t i;

	for (i = 0; i < nm; i++) {
		long long end = i + 1 < nm ? m[i + 1].off : size;
		long long left = end - m[i].off;

		if (m[i].drop)
			continue;
		if (fseeko(in, (off_t)m[i].off, SEEK_SET) != 0)
			return LP_FATAL;
		while (left > 0) {
			size_t k = left > (long long)sizeof(chunk)
			    ? sizeof(chunk)
			    : (size_t)left;

			if (fread(chunk, 1, k, in) != k ||
			    lp_write_all(fd, chunk, k) != LP_OK)
				return LP_FATAL;
			left -= (long long)k;
		}
	}
	return LP_OK;
}

/* The archive rewritten with the kept members only. */
static int
rewrite(
    const char *path, const struct member *m, size_t nm, struct lp_error *err)
{
	char *tmp = NULL;
	struct stat st;
	FILE *in = fopen(path, "rb");
	int fd = -1, rc = LP_FATAL;

	if (in != NULL && fstat(fileno(in), &st) == 0 &&
	    (fd = lp_file_tmp_create(path, &tmp)) >= 0 &&
	    copy(in, (long long)st.st_size, m, nm, fd) == LP_OK &&
	    fchmod(fd, st.st_mode & 07777) == 0 && fsync(fd) == 0 &&
	    close(fd) == 0) {
		fd = -1;
		if (rename(tmp, path) == 0)
			rc = LP_OK;
	}
	if (rc != LP_OK) {
		lp_error_set(
		    err, "cannot rewrite '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (tmp != NULL)
			unlink(tmp);
	}
	if (in != NULL)
		fclose(in);
	free(tmp);
	return rc;
}

int
lp_warc_cut(const char *path, const json_t *uris, const json_t *needles,
    long *cut, json_t *kept, struct lp_error *err)
{
	struct member *m = NULL;
	size_t nm = 0, i;
	int rc;

	*cut = 0;
	if ((rc = members(path, uris, needles, &m, &nm, kept, err)) != LP_OK) {
		free(m);
		return rc;
	}
	for (i = 0; i < nm && rc == LP_OK; i++) {
		if (!m[i].drop)
			continue;
		if (m[i].records > 1)
			rc = lp_error_set(err,
			    "%s: a record to cut shares its gzip member at "
			    "byte %lld with another",
			    path, m[i].off);
		*cut += m[i].records;
	}
	if (rc == LP_OK && *cut > 0)
		rc = rewrite(path, m, nm, err);
	free(m);
	return rc;
}
