/*
 * Diagnostics, in one voice (err(3)): "progname: message[: strerror]".
 * Messages start lower-case, carry no full stop and no newline.  For tools
 * only: the rest of the library never prints.
 */
#ifndef LP_LOG_H
#define LP_LOG_H

extern const char *lp_progname;
/* -1 quiet, 0 normal, 1+ verbose. */
extern int lp_verbosity;

void lp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lp_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lp_err(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
void lp_errx(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* Printed only with -v. */
void lp_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Whether the closing summary is said: with -v, or when stderr is a
 * terminal and -q was not given.  In scripts and cron (stderr a file or a
 * pipe) a run that went well says nothing; errors and warnings always
 * speak.
 */
int lp_summary_due(void);
/*
 * Say a summary line "progname: message" when lp_summary_due().  On a
 * terminal the line first clears what a progress line left there (the
 * last stage of a pipeline may be drawing one).
 */
void lp_summary(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * As lp_summary(), said on any stderr (not under -q): the line of a run
 * that was interrupted, which tells a script how far it got.
 */
void lp_summary_always(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/*
 * The first line of the last warning or error printed (scrubbed, without
 * the program's name), "" if none: what a failed run's run_end event
 * records as its error.
 */
const char *lp_log_last(void);
/* Colour on this descriptor: a terminal and NO_COLOR unset. */
int lp_color(int fd);

#endif
