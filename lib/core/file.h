/*
 * Plain file helpers over file descriptors and paths, for the modules
 * that write files of their own (the record writer, the audit log, the
 * WARC writer, the review session, the LLM cache, the terminal) or read
 * small ones whole (rules, glossaries).  They hold no state; errors are
 * reported as errno, as the system calls under them do, or, for
 * lp_file_read_all(), in a struct lp_error.
 *
 * The one rule for files liblp writes in place (appended logs, archives):
 * they are opened with lp_file_open(), which never follows a symbolic link
 * in the last part of the name (a link planted where a log is expected
 * would otherwise send the writes onto its target), and creates files that
 * may hold personal data or a run's history (quarantine, session and
 * audit logs) with LP_FILE_PRIVATE, readable by the owner only.  Files
 * replaced whole (outputs) are written under a temporary name made by
 * lp_file_tmp_create() and renamed into place.
 */
#ifndef LP_CORE_FILE_H
#define LP_CORE_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* The mode of a new file that may hold personal data: the owner's only. */
#define LP_FILE_PRIVATE 0600
/* The mode of a new file anyone may read (less the umask). */
#define LP_FILE_SHARED 0666

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
 * Open path with flags (O_RDWR | O_APPEND, say) plus O_CREAT, O_CLOEXEC
 * and O_NOFOLLOW, creating it with mode (LP_FILE_PRIVATE or
 * LP_FILE_SHARED, less the umask).  An existing file keeps its mode.  The
 * descriptor, or -1 with errno set (ELOOP when path is a symbolic link).
 */
int lp_file_open(const char *path, int flags, mode_t mode);
/*
 * The text for errno e after lp_file_open(): strerror(e), except that a
 * refused symbolic link reads "is a symbolic link (not followed)".
 */
const char *lp_file_strerror(int e);
/*
 * The mode a file written anew at path should get: an existing file's
 * own mode, else mode less the umask.
 */
mode_t lp_file_mode_for(const char *path, mode_t mode);
/*
 * Create the temporary file for an output to be renamed onto path:
 * ".NAME.lp-tmp.PID" in path's folder (".NAME.lp-tmp.PID.N" when this
 * process has one already), created new and 0600, so partial data is
 * never world-readable; the caller sets the final mode before the rename.
 * First removes such files of path that processes which are gone left
 * behind (a run killed with SIGKILL cannot remove its own).  The
 * descriptor with *tmp the malloc'd name, or -1 with errno set.
 */
int lp_file_tmp_create(const char *path, char **tmp);
/*
 * Remove the temporary files of path (as lp_file_tmp_create() names
 * them) whose process is gone; returns how many were removed.
 */
int lp_file_tmp_sweep(const char *path);

/*
 * Append the whole file at path to out, with a NUL after it (not counted
 * in out->len, so out->p is a string): LP_OK, or LP_FAILED with err set
 * to "cannot open 'path': reason" or "path: reason" (a read error; out
 * then holds what was read).
 */
int lp_file_read_all(
    const char *path, struct lp_buf *out, struct lp_error *err);
/*
 * Check that the open file fd may hold a key: a regular file readable by
 * its owner only.  what names it in messages ("key file 'k'").  Open it
 * with O_NONBLOCK, so that a FIFO named as a key file is refused here
 * instead of blocking the open until something writes to it.  LP_OK;
 * LP_FAILED with err "WHAT is not a regular file" or "WHAT is open to
 * others (mode 0644): make it readable by its owner only (chmod 600)";
 * LP_FATAL with err "cannot read WHAT: reason" when fstat(2) fails.
 */
int lp_file_check_private(int fd, const char *what, struct lp_error *err);

#endif
