#include <jansson.h>
#include <string.h>

#include "core/json.h"
#include "core/status.h"
#include "dedup/statefile.h"

/* The reader's failure: I/O is fatal, anything else is bad data. */
static int
reader_failed(struct lp_statefile *sf)
{
	lp_error_set(&sf->err, "%s", sf->r.err.msg);
	return sf->r.ioerr ? LP_FATAL : LP_FAILED;
}

int
lp_statefile_open(struct lp_statefile *sf, const char *path)
{
	char *files[1];
	const char *line;
	size_t len;
	json_t *v;
	int rc;

	memset(sf, 0, sizeof(*sf));
	sf->path = path;
	sf->closing = -1;
	files[0] = (char *)path;
	if (lp_reader_open(&sf->r, files, 1, LP_MAX_LINE_DEFAULT) != LP_OK) {
		lp_error_set(&sf->err, "%s", sf->r.err.msg);
		return LP_FATAL;
	}
	sf->opened = 1;
	lp_record_init(&sf->rec);
	if ((rc = lp_reader_next(&sf->r, &line, &len)) == LP_EOF) {
		sf->ended = 1;
		return LP_OK;
	}
	if (rc != LP_OK)
		return reader_failed(sf);
	if (lp_record_parse(&sf->rec, line, len) != LP_OK)
		return lp_error_set(
		    &sf->err, "%s:1: %s", path, sf->rec.err.msg);
	v = lp_record_get(&sf->rec, "lp_dedup_state");
	sf->key = lp_record_get_str(&sf->rec, "key");
	if (json_integer_value(v) != 1 || sf->key == NULL)
		return lp_error_set(&sf->err,
		    "%s:1: not an lp-dedup state file (version 1)", path);
	return LP_OK;
}

/* At the end of the file: is it whole? */
static int
at_end(struct lp_statefile *sf)
{
	if (sf->closing < 0)
		return lp_error_set(&sf->err,
		    "%s: truncated (no closing line): not loaded", sf->path);
	if ((unsigned long long)sf->closing != sf->items)
		return lp_error_set(&sf->err,
		    "%s: the closing line counts %lld items, the file holds "
		    "%llu",
		    sf->path, sf->closing, sf->items);
	return LP_EOF;
}

int
lp_statefile_next(struct lp_statefile *sf, const char **of, const char **key,
    size_t *klen, const char **line, size_t *len)
{
	unsigned long no;
	json_t *n;
	int rc;

	if (sf->ended)
		return at_end(sf);
	/* The header's key lives in the record until the first item. */
	while ((rc = lp_reader_next(&sf->r, line, len)) == LP_OK) {
		no = lp_reader_lineno(&sf->r);
		if (sf->closing >= 0)
			return lp_error_set(&sf->err,
			    "%s:%lu: lines after the closing line", sf->path,
			    no);
		lp_record_reset(&sf->rec);
		sf->key = NULL;
		if (lp_record_parse(&sf->rec, *line, *len) != LP_OK)
			return lp_error_set(&sf->err, "%s:%lu: %s", sf->path,
			    no, sf->rec.err.msg);
		if ((*of = lp_record_get_str(&sf->rec, "of")) != NULL &&
		    (*key = lp_record_get_strn(&sf->rec, "key", klen)) !=
			NULL) {
			sf->items++;
			return LP_OK;
		}
		n = lp_record_get(&sf->rec, "items");
		if (!json_is_integer(n))
			return lp_error_set(&sf->err,
			    "%s:%lu: expected {\"of\",\"key\"} strings",
			    sf->path, no);
		sf->closing = json_integer_value(n);
	}
	if (rc != LP_EOF)
		return reader_failed(sf);
	sf->ended = 1;
	return at_end(sf);
}

void
lp_statefile_close(struct lp_statefile *sf)
{
	if (!sf->opened)
		return;
	lp_record_release(&sf->rec);
	lp_reader_close(&sf->r);
	sf->opened = 0;
}

void
lp_statefile_header(struct lp_buf *out, const char *spec)
{
	lp_buf_reset(out);
	lp_buf_adds(out, "{\"lp_dedup_state\":1,\"key\":");
	lp_json_dump_str(spec, strlen(spec), out);
	lp_buf_adds(out, "}");
}

void
lp_statefile_item(
    struct lp_buf *out, const char *name, const char *key, size_t klen)
{
	lp_buf_reset(out);
	lp_buf_adds(out, "{\"of\":");
	lp_json_dump_str(name, strlen(name), out);
	lp_buf_adds(out, ",\"key\":");
	lp_json_dump_str(key, klen, out);
	lp_buf_adds(out, "}\n");
}

void
lp_statefile_closing(struct lp_buf *out, unsigned long long n)
{
	lp_buf_reset(out);
	lp_buf_addf(out, "{\"items\":%llu}", n);
}
