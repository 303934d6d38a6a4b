/*
 * Plain file helpers over file descriptors and paths, for the modules
 * that write files of their own (the record writer, the WARC writer, the
 * review session, the LLM cache, the terminal) or read small ones whole
 * (rules, glossaries).  They hold no state; errors are reported as errno,
 * as the system calls under them do, or, for lp_file_read_all(), in a
 * struct lp_error.
 */
#ifndef LP_CORE_FILE_H
#define LP_CORE_FILE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * Write all of p[0..n) to fd, again after a signal or a short write:
 * LP_OK, or LP_FATAL with errno set (EIO when write(2) wrote nothing).
 * write(2) only: safe in a signal handler.
 */
int lp_write_all(int fd, const void *p, size_t n);
/*
 * Make the folders on the way to path (its last part is not made), as
 * mkdir -p does.  Nothing is reported: a folder that cannot be made
 * shows up as the error of the open that follows.
 */
void lp_make_parents(const char *path);

/*
 * Append the whole file at path to out, with a NUL after it (not counted
 * in out->len, so out->p is a string): LP_OK, or LP_FAILED with err set
 * to "cannot open 'path': reason" or "path: reason" (a read error; out
 * then holds what was read).
 */
int lp_file_read_all(
    const char *path, struct lp_buf *out, struct lp_error *err);

#endif
