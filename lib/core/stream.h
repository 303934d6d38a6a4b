/*
 * Record streams: JSON Lines in and out, gzip or plain.
 *
 * Reader: the files given (or stdin, also as "-"), one after another as one
 * stream of lines.  gzip is recognised by its magic bytes, never by name;
 * concatenated gzip members are one stream; anything after a member that is
 * not another member, a truncated member or a corrupt one is LP_FATAL.  Each
 * line comes with its file name and line number.  A trailing "\r" is removed
 * (CRLF input), a missing final newline is accepted, blank lines (empty,
 * or only spaces and tabs) are skipped.  A line longer than the limit is LP_FAILED and handed back cut to
 * the limit, so memory stays bounded.
 *
 * Writer: stdout or a file, gzip (a header with no name or time, so equal
 * records give equal bytes) or plain.  A file is written under a temporary
 * name in the same folder (".NAME.lp-tmp.PID", 0600: see core/file.h) and
 * renamed into place only by a committing close, with the mode of the file
 * it replaces, or for a new file 0666 (0600 if opened private) less the
 * umask.
 * EPIPE marks the writer as broken-pipe: the tool ends quietly.
 */
#ifndef LP_STREAM_H
#define LP_STREAM_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <zlib.h>

struct libdeflate_compressor;

#include "core/buf.h"
#include "core/error.h"

#define LP_MAX_LINE_DEFAULT (16u << 20)

struct lp_inflater;

/*
 * A gzip regular file is inflated one buffer ahead on a helper thread
 * (core/thread.h), while the tool works on the lines of the one before:
 * a read of a regular file never blocks for long, so an interrupt still
 * ends the run as soon.  Pipes are inflated on the tool's thread.
 */
struct lp_reader {
	char **names; /* display names, "<stdin>" for stdin */
	int *fds;
	int nfiles;
	int cur;
	int gz;	     /* current file is gzip */
	int zactive; /* inside a gzip member */
	int zinit;
	int file_eof; /* read() reported end of file */
	z_stream z;
	unsigned char *in; /* raw bytes read */
	size_t in_len, in_pos;
	char *dec; /* decoded bytes */
	size_t dec_len, dec_pos;
	struct lp_buf line;
	unsigned long lineno;
	size_t max_line;
	unsigned long long raw_read; /* bytes read from the files */
	unsigned long long dec_raw;  /* the same, as the decoder counts */
	int ahead;		     /* this file is inflated on a thread */
	struct lp_inflater *bg;	     /* that thread, once started */
	long long raw_total;	     /* their total size, -1 if unknown */
	int ioerr; /* the LP_FATAL was an I/O error, not bad data */
	volatile sig_atomic_t *stop; /* set: a blocked read gives up */
	struct lp_error err;
};

/*
 * Open every input up front (files == NULL or nfiles == 0 means stdin).
 * LP_FATAL with err set if one cannot be opened (then nothing is left
 * open or allocated, and lp_reader_close() is harmless).
 */
int lp_reader_open(
    struct lp_reader *r, char **files, int nfiles, size_t max_line);
/*
 * Next line, without its newline, valid until the next call.  LP_OK,
 * LP_EOF, LP_FAILED (over-long: *line holds the first max_line bytes) or
 * LP_FATAL (err says why; the stream cannot go on).
 */
int lp_reader_next(struct lp_reader *r, const char **line, size_t *len);
/* The display name of the file the last line came from. */
const char *lp_reader_name(const struct lp_reader *r);
/* The number of that line in its file, from 1. */
unsigned long lp_reader_lineno(const struct lp_reader *r);
/* Close the files and free the buffers (also after a failed open). */
void lp_reader_close(struct lp_reader *r);

struct lp_deflater;

struct lp_writer {
	int fd;
	int gz;
	int broken_pipe;
	int direct; /* a FIFO or device given by name: no rename */
	int failed;
	/*
	 * The compressor (libdeflate): each full buffer becomes one gzip
	 * member of the output, as gzip -d and every gzip reader take.
	 */
	struct libdeflate_compressor *dc;
	int members; /* written so far */
	struct lp_buf buf;
	unsigned char *zout;
	size_t zcap;
	char *path;  /* final name, NULL for stdout */
	char *tmp;   /* temporary name while writing */
	char *name;  /* the file named in errors, NULL for stdout */
	mode_t mode; /* the final name's mode */
	/* Compresses full buffers on a thread of its own, once started. */
	struct lp_deflater *bg;
	struct lp_error err;
};

/*
 * path NULL or "-": stdout.  level: gzip level 1-9, or 0 for plain.
 * LP_FATAL with err set when the file cannot be created.
 */
int lp_writer_open(struct lp_writer *w, const char *path, int level);
/*
 * As lp_writer_open(), for a file that may hold personal data (the
 * quarantine's raw lines): created 0600.
 */
int lp_writer_open_private(struct lp_writer *w, const char *path, int level);
/*
 * Buffered write of n bytes; LP_FATAL once the writer failed or the pipe
 * broke.  A gzip stream compresses and writes each full buffer on a helper
 * thread while the tool fills the next (the same bytes as without), so a
 * failure may show one buffer later, and at the latest at close.
 */
int lp_writer_write(struct lp_writer *w, const void *p, size_t n);
/* Everything written so far compressed and handed to the file. */
int lp_writer_flush(struct lp_writer *w);
/*
 * Finish the stream.  commit != 0 renames a file into place; commit == 0
 * removes the temporary file.  LP_OK or LP_FATAL (err set).
 */
int lp_writer_close(struct lp_writer *w, int commit);

/* The gzip level from LP_GZIP_LEVEL, else the default. */
int lp_gzip_level(void);

#endif
