/*
 * Plain file helpers over file descriptors and paths, for the modules
 * that write files of their own (the record writer, the WARC writer, the
 * review session, the LLM cache, the terminal).  They hold no state;
 * errors are reported as errno, as the system calls under them do.
 */
#ifndef LP_CORE_FILE_H
#define LP_CORE_FILE_H

#include <stddef.h>

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

#endif
