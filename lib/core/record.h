/*
 * One record: a JSON object read from one line.
 *
 * A record keeps its line and is parsed only as far as it is used.  A line
 * in canonical form (json.h) is validated by the scanner alone; its fields
 * are parsed one top-level member at a time on demand.  Only
 * lp_record_root() (needed to change anything) builds the whole tree; from
 * then on the record is written from the tree.  Unchanged records are
 * written by editing the line, which gives the same bytes as dumping the
 * tree would.
 */
#ifndef LP_RECORD_H
#define LP_RECORD_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/json.h"

struct lp_record {
	const char *file;
	unsigned long line;
	const char *text; /* the line, borrowed from the reader */
	size_t len;
	int canonical; /* text is canonical: members are valid */
	struct lp_json_members ms;
	struct lp_json_members sub; /* scratch for a nested object */
	json_t **vals;		    /* lazily parsed member values */
	size_t nvals;
	json_t *root; /* the whole tree, once needed */
	int modified; /* root was handed out: write from the tree */
	/* Top-level edits of a canonical line, without the tree. */
	unsigned char *edited; /* per member: vals[i] replaces the line's */
	size_t nedited;
	struct lp_record_add {
		char *key;
		json_t *val;
	} * added; /* new members, in the order they came */
	size_t nadded, addcap;
	int nedits;
	struct lp_buf flat;  /* the line with the edits in */
	struct lp_buf spare; /* the next flat, kept for its capacity */
	struct lp_error err;
};

/* An empty record (no allocation); parse lines into it again and again. */
void lp_record_init(struct lp_record *r);
/*
 * Take a line.  LP_OK, or LP_FAILED with err saying what is wrong (invalid
 * UTF-8, a NUL byte, not JSON, not an object, a duplicate key).
 */
int lp_record_parse(struct lp_record *r, const char *text, size_t len);
/*
 * Take a line that an earlier lp_record_parse() found canonical (a copy
 * the tool kept): its member spans again, without checking it again.
 */
void lp_record_parse_canonical(
    struct lp_record *r, const char *text, size_t len);
/* Field by dotted path ("price.amount"), borrowed; NULL if absent. */
json_t *lp_record_get(struct lp_record *r, const char *path);
/* String field or NULL. */
const char *lp_record_get_str(struct lp_record *r, const char *path);
/*
 * String field and its length, or NULL.  Not NUL-terminated: the bytes may
 * point into the line itself.  Valid until the record changes.
 */
const char *lp_record_get_strn(
    struct lp_record *r, const char *path, size_t *len);
/* The whole tree, for changing; the record will be written from it. */
json_t *lp_record_root(struct lp_record *r);
/*
 * Set a field by dotted path, creating objects on the way; steals value.
 * LP_FAILED if a part of the path exists and is not an object.
 */
int lp_record_set(struct lp_record *r, const char *path, json_t *value);
/*
 * Set top-level member key to value (stolen), replacing it in place or
 * adding it at the end, as lp_record_set() would, but without building the
 * whole tree: the line is rewritten with only the changed members dumped.
 * Use it for top-level changes of records that mostly pass through.
 */
void lp_record_put(struct lp_record *r, const char *key, json_t *value);
/*
 * The line with any lp_record_put() edits written in (canonical, without
 * the newline); r->text and the member spans then describe it.
 */
void lp_record_flatten(struct lp_record *r);
/* Drop this record's parse state, keeping memory for the next. */
void lp_record_reset(struct lp_record *r);
/* Free everything the record holds; it is then as lp_record_init() left it. */
void lp_record_release(struct lp_record *r);

#endif
