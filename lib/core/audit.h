/*
 * The audit log: append-only JSON Lines, shared by every tool of a
 * pipeline.  Each event is {"seq","at","event","run_id","tool",...,"uid",
 * "account","prev"}: uid is the real uid of the process that wrote it and
 * account its name (absent when the uid has none), set after the event's
 * own fields so no event names another account; prev is the SHA-256 of
 * the previous line (64 zeros for the first),
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
 *
 * The chain shows an edit, but not one made by someone who recomputes it
 * from there on, nor lines cut off the end.  A seal is an event that
 * names the head of the chain before it (head_seq: the last event's seq;
 * head: the hash of its line) with an HMAC-SHA-256 of the two under a key
 * (core/hmac.h), so a chain recomputed past a seal no longer matches the
 * seal, and only the key's holder can make a new one.  A head published
 * elsewhere (seq and hash of one event) shows lines cut off before it.
 *
 * An event can be erased (core/erasure.h) without breaking the chain: its
 * line is replaced by a tombstone {"seq","at","event":"erased","digest",
 * "prev"} keeping its seq, at and prev, where digest is the SHA-256 of the
 * line it replaces.  The hash of a tombstone's line, for the next event's
 * prev and for seals and heads, is that digest: the chain still holds,
 * and shows which line went and when, not what it said.  Lines that are
 * not tombstones hash as they always did, so older logs verify as before.
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
 * As lp_audit_event(), unless the log already holds an event of kind with
 * the same values of every member of fields (not stolen when NULL): the
 * run that first uses a version records it, later runs do not.  The check
 * reads the log under the lock, so concurrent runs record it once.
 */
int lp_audit_event_once(struct lp_audit *a, const char *kind, json_t *fields);
/*
 * Append a "seal" event over the chain's head: {head_seq, head, mac
 * "hmac-sha256", hmac} with the HMAC of "labelpipe-audit-seal-1:SEQ:HASH"
 * under key[0..keylen).  The seal's own seq and line hash (the new head,
 * to publish) into *seq and hash.  LP_OK or LP_FATAL.
 */
int lp_audit_seal(struct lp_audit *a, const unsigned char *key, size_t keylen,
    long long *seq, char hash[65]);

/* What lp_audit_check() checks besides the chain, and what it found. */
struct lp_audit_check {
	/* The seals' key; NULL: a seal's head is checked, not its HMAC. */
	const unsigned char *key;
	size_t keylen;
	/* A published head: the event of seq want_seq has this hash. */
	long long want_seq; /* 0: none */
	const char *want_hash;
	/* Found: lines, the last event's seq and hash, seals that held. */
	unsigned long lines;
	long long seq;
	char head[65];
	unsigned long seals;
	int found; /* the published head was reached */
};

/*
 * Check the log at path line by line: the chain, each seal (its head is
 * the event before it; with c->key, its HMAC), and the published head
 * if c->want_seq is set (the log must reach it, with that hash), under
 * a shared lock (appenders wait, so it sees whole appends only).  LP_OK;
 * LP_FAILED at the first line that fails, with *line its number and err
 * naming it ("line 3: hash chain broken: ...", "line 4 is not terminated
 * (torn write)", "line 9: seal does not verify with this key ..."; a log
 * that ends before the published head names its last line); LP_FATAL if
 * the log cannot be read (*line 0, err says why).
 */
int lp_audit_check(const char *path, struct lp_audit_check *c,
    unsigned long *line, struct lp_error *err);
/* lp_audit_check() of the chain and the seals' heads, without a key. */
int lp_audit_verify(
    const char *path, unsigned long *line, struct lp_error *err);
/*
 * The digest of the line a tombstone (parsed event ev, NULL is fine)
 * replaced, or NULL if ev is not a tombstone.
 */
const char *lp_audit_tombstone_digest(const json_t *ev);
/*
 * The hash of an event's line line[0..n) (parsed as ev, may be NULL) as
 * the chain takes it: its SHA-256, or a tombstone's digest.
 */
void lp_audit_line_hash(
    const json_t *ev, const char *line, size_t n, char hex[65]);
/*
 * A copy of argv fit for the log: the value of any option whose name
 * mentions a key, token, secret, password or a webhook (--alert-url) is
 * replaced by "***", and every argument is scrubbed of secrets (a URL's
 * password, a registered key: core/secret.h).
 */
json_t *lp_audit_argv(int argc, char **argv);

#endif
