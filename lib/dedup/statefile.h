/*
 * lp-dedup's state file (--seen): the kept records of earlier runs.
 *
 * JSON Lines: a header {"lp_dedup_state":1,"key":SPEC} naming the key
 * fields, one {"of":NAME,"key":TEXT} line per kept record (its name and
 * normalised key text), and a closing {"items":N} line that proves the
 * file whole.  A reader refuses a file without its closing line, with a
 * wrong count, with lines after it or with a bad line, rather than
 * half load it.  The writer side formats the lines; the caller writes
 * them where it likes.
 */
#ifndef LP_DEDUP_STATEFILE_H
#define LP_DEDUP_STATEFILE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/record.h"
#include "core/stream.h"

struct lp_statefile {
	const char *path;
	struct lp_reader r;
	struct lp_record rec;
	const char *key;	  /* the header's key spec; NULL if none */
	long long closing;	  /* the closing count, -1 before it */
	unsigned long long items; /* item lines read */
	int opened, ended;
	struct lp_error err;
};

/*
 * Open path and read its header.  LP_OK (key is the header's spec, or NULL
 * for an empty file, which lp_statefile_next() then refuses); LP_FAILED
 * (not a state file) or LP_FATAL (cannot be read), with err saying why.
 */
int lp_statefile_open(struct lp_statefile *sf, const char *path);
/*
 * The next kept record: LP_OK with *of and key[0..*klen) (valid until the
 * next call) and the whole line in line[0..*len); LP_EOF after a whole
 * file; LP_FAILED (bad data) or LP_FATAL (I/O) with err saying why.
 */
int lp_statefile_next(struct lp_statefile *sf, const char **of,
    const char **key, size_t *klen, const char **line, size_t *len);
void lp_statefile_close(struct lp_statefile *sf);

/* The header line for key spec, without newline, into out (reset). */
void lp_statefile_header(struct lp_buf *out, const char *spec);
/* The line of a kept record, with its newline, into out (reset). */
void lp_statefile_item(
    struct lp_buf *out, const char *name, const char *key, size_t klen);
/* The closing line for n items, without newline, into out (reset). */
void lp_statefile_closing(struct lp_buf *out, unsigned long long n);

#endif
