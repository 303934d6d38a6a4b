/*
 * The audit log: append-only JSON Lines, shared by every tool of a
 * pipeline.  Each event is {"seq","at","event","run_id","tool",...,"prev"}
 * where prev is the SHA-256 of the previous line (64 zeros for the first),
 * so an edited, inserted or deleted line breaks the chain.  Appends take an
 * exclusive lock on the file, read the last line and write the new one in
 * one write(2): processes appending at once never interleave or lose a line.
 *
 * An append is whole or absent.  A write that fails part way (a full
 * disk) is cut back off before the lock is released.  A line that still
 * ends without its newline (the writer was killed mid-write) is cut by
 * the next append, which first writes an "audit_repair" event saying how
 * many bytes went (cut_bytes) and their SHA-256 (cut_sha256); seq goes on
 * from the last whole event.  The log is created 0600 and never written
 * through a symbolic link (core/file.h).
 */
#ifndef LP_AUDIT_H
#define LP_AUDIT_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/error.h"

struct lp_audit {
	int fd;
	char *path;
	const char *tool;
	const char *run_id;
	int fixed_time;
	long long epoch_ms;
	/* Bytes of torn lines this handle cut off (see above). */
	unsigned long long cut;
	/* write(2), or a stand-in a test sets to fake a failing disk. */
	ssize_t (*write)(int fd, const void *p, size_t n);
	struct lp_error err;
};

/* Open (creating) the log.  LP_FATAL with err set on failure. */
int lp_audit_open(
    struct lp_audit *a, const char *path, const char *tool, const char *run_id);
/*
 * Append an event of the given kind; fields (stolen, may be NULL) are
 * merged in, every string in them scrubbed of secrets first
 * (core/secret.h).  LP_OK or LP_FATAL.
 */
int lp_audit_event(struct lp_audit *a, const char *kind, json_t *fields);
void lp_audit_close(struct lp_audit *a);
/*
 * Check the chain of the log at path, line by line.  LP_OK; LP_FAILED at
 * the first line that breaks it, with *line its number and err naming it
 * ("line 3: hash chain broken: ...", "line 4 is not terminated (torn
 * write)"); LP_FATAL if the log cannot be read (*line 0, err says why).
 */
int lp_audit_verify(
    const char *path, unsigned long *line, struct lp_error *err);
/*
 * A copy of argv fit for the log: the value of any option whose name
 * mentions a key, token, secret, password or a webhook (--alert-url) is
 * replaced by "***", and every argument is scrubbed of secrets (a URL's
 * password, a registered key: core/secret.h).
 */
json_t *lp_audit_argv(int argc, char **argv);

#endif
