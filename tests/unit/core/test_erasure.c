#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/erasure.h"
#include "core/error.h"
#include "core/file.h"
#include "core/status.h"
#include "test.h"

/* The whole of a file, as a malloc'd string. */
static char *
slurp(const char *path)
{
	struct lp_buf b = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;

	if (lp_file_read_all(path, &b, &err) != LP_OK) {
		lp_buf_release(&b);
		return strdup("");
	}
	return b.p;
}

static const char dataset[] =
    "{\"id\":\"a\",\"title\":\"red phone case\",\"seller\":\"p_1\","
    "\"url\":\"http://x/itm/a\"}\n"
    "{\"id\":\"b\",\"title\":\"blue cable\",\"seller\":\"p_2\","
    "\"labels\":[{\"annotator_id\":\"alice\",\"label\":3},"
    "{\"annotator_id\":\"bob\",\"label\":2}],"
    "\"adjudication\":{\"by\":\"alice\",\"label\":3}}\n"
    "{\"id\":\"c\",\"title\":\"green case\",  \"seller\":\"p_1\"}\n";

TEST(subject_parse)
{
	struct lp_erasure e;
	struct lp_error err = LP_ERROR_INIT;

	lp_erasure_init(&e);
	assert_eq_int(lp_erasure_add(&e, "id=a", &err), LP_OK);
	assert_eq_int(lp_erasure_add(&e, "annotator=alice", &err), LP_OK);
	assert_eq_int(lp_erasure_add(&e, "name=bob", &err), LP_FAILED);
	assert_eq_str(err.msg,
	    "invalid subject 'name=bob' (want id=, seller= or annotator=)");
	assert_eq_int(lp_erasure_add(&e, "id=", &err), LP_FAILED);
	{
		json_t *s = lp_erasure_subjects(&e);
		char *dump = json_dumps(s, JSON_COMPACT);

		/* Digests only: the values never appear. */
		assert_true(strstr(dump, "alice") == NULL);
		assert_true(strstr(dump, "\"kind\":\"annotator\"") != NULL);
		free(dump);
		json_decref(s);
	}
	lp_erasure_release(&e);
}

TEST(dataset_listing_and_labels)
{
	struct lp_erasure e;
	struct lp_erasure_count n;
	struct lp_error err = LP_ERROR_INIT;
	char *path = tmpfile_with(dataset, sizeof(dataset) - 1), *out;
	struct stat st;

	chmod(path, 0640);
	lp_erasure_init(&e);
	lp_erasure_add(&e, "id=a", &err);
	lp_erasure_add(&e, "annotator=alice", &err);
	assert_eq_int(lp_erasure_dataset(&e, path, &n, &err), LP_OK);
	assert_eq_int(n.records, 1);
	assert_eq_int(n.labels, 2);
	out = slurp(path);
	assert_true(strstr(out, "\"id\":\"a\"") == NULL);
	assert_true(strstr(out, "alice") == NULL);
	assert_true(strstr(out, "\"annotator_id\":\"bob\"") != NULL);
	/* An untouched line is copied byte for byte. */
	assert_true(
	    strstr(out, "\"title\":\"green case\",  \"seller\"") != NULL);
	assert_true(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
	/* The dropped record's traces, for the cache and the archives. */
	assert_eq_str(
	    json_string_value(json_array_get(e.urls, 0)), "http://x/itm/a");
	/* The id "a" is too short to search by: the title only. */
	assert_eq_int(json_array_size(e.traces), 1);
	assert_eq_str(
	    json_string_value(json_array_get(e.traces, 0)), "red phone case");
	free(out);
	lp_erasure_release(&e);
	unlink(path);
	free(path);
}

TEST(dataset_seller_and_nothing)
{
	struct lp_erasure e;
	struct lp_erasure_count n;
	struct lp_error err = LP_ERROR_INIT;
	char *path = tmpfile_with(dataset, sizeof(dataset) - 1), *out;

	lp_erasure_init(&e);
	lp_erasure_add(&e, "seller=p_9", &err);
	assert_eq_int(lp_erasure_dataset(&e, path, &n, &err), LP_OK);
	assert_eq_int(n.records + n.labels, 0);
	out = slurp(path);
	assert_eq_str(out, dataset);
	free(out);
	lp_erasure_add(&e, "seller=p_1", &err);
	assert_eq_int(lp_erasure_dataset(&e, path, &n, &err), LP_OK);
	assert_eq_int(n.records, 2);
	lp_erasure_release(&e);
	unlink(path);
	free(path);
}

TEST(dataset_bad_line)
{
	struct lp_erasure e;
	struct lp_erasure_count n;
	struct lp_error err = LP_ERROR_INIT;
	char *path = tmpfile_with("{\"id\":\"a\"}\nnope\n", 16);

	lp_erasure_init(&e);
	lp_erasure_add(&e, "id=a", &err);
	assert_eq_int(lp_erasure_dataset(&e, path, &n, &err), LP_FAILED);
	assert_true(strstr(err.msg, ":2: not a JSON object") != NULL);
	lp_erasure_release(&e);
	unlink(path);
	free(path);
}

TEST(session_item_and_annotator)
{
	static const char log[] =
	    "{\"event\":\"start\",\"annotator\":\"alice\"}\n"
	    "{\"event\":\"decision\",\"id\":\"a\",\"label\":3}\n"
	    "{\"event\":\"decision\",\"id\":\"b\",\"label\":2}\n";
	struct lp_erasure e;
	struct lp_erasure_count n;
	struct lp_error err = LP_ERROR_INIT;
	char *path = tmpfile_with(log, sizeof(log) - 1), *out;

	lp_erasure_init(&e);
	lp_erasure_add(&e, "id=a", &err);
	assert_eq_int(lp_erasure_session(&e, path, &n, &err), LP_OK);
	assert_eq_int(n.records, 1);
	out = slurp(path);
	assert_true(strstr(out, "\"id\":\"a\"") == NULL);
	assert_true(strstr(out, "\"id\":\"b\"") != NULL);
	free(out);
	lp_erasure_add(&e, "annotator=alice", &err);
	assert_eq_int(lp_erasure_session(&e, path, &n, &err), LP_OK);
	assert_eq_int(n.records, 2);
	assert_true(access(path, F_OK) != 0);
	lp_erasure_release(&e);
	free(path);
}

TEST(cache_by_trace)
{
	struct lp_erasure e;
	struct lp_erasure_count n;
	struct lp_error err = LP_ERROR_INIT;
	char dir[] = "/tmp/lp-test-cache-XXXXXX", p[256];
	char *ds = tmpfile_with(dataset, sizeof(dataset) - 1);
	FILE *f;

	assert_true(mkdtemp(dir) != NULL);
	snprintf(p, sizeof(p), "%s/ab", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/ab/ab1.json", dir);
	f = fopen(p, "w");
	fputs("{\"response\":{\"content\":\"{\\\"text\\\":\\\"red phone "
	      "case\\\"}\"},\"latency_ms\":1}\n",
	    f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/ab/ab2.json", dir);
	f = fopen(p, "w");
	fputs("{\"response\":{\"content\":\"blue cable\"}}\n", f);
	fclose(f);
	lp_erasure_init(&e);
	lp_erasure_add(&e, "id=a", &err);
	/* No dataset given yet: nothing is traced, nothing goes. */
	assert_eq_int(lp_erasure_cache(&e, dir, &n, &err), LP_OK);
	assert_eq_int(n.records, 0);
	assert_eq_int(lp_erasure_dataset(&e, ds, &n, &err), LP_OK);
	assert_eq_int(lp_erasure_cache(&e, dir, &n, &err), LP_OK);
	assert_eq_int(n.records, 1);
	snprintf(p, sizeof(p), "%s/ab/ab1.json", dir);
	assert_true(access(p, F_OK) != 0);
	snprintf(p, sizeof(p), "%s/ab/ab2.json", dir);
	assert_true(access(p, F_OK) == 0);
	unlink(p);
	snprintf(p, sizeof(p), "%s/ab", dir);
	rmdir(p);
	rmdir(dir);
	lp_erasure_release(&e);
	unlink(ds);
	free(ds);
}

/* A log of four events, the second and fourth about item "a". */
static char *
four_events(void)
{
	char *path = tmpfile_with("", 0);
	struct lp_audit a;
	int i;

	assert_eq_int(lp_audit_open(&a, path, "lp-test", "run1"), LP_OK);
	for (i = 0; i < 4; i++)
		assert_eq_int(lp_audit_event(&a, "check",
				  json_pack("{s:s}", "id", i % 2 ? "a" : "b")),
		    LP_OK);
	lp_audit_close(&a);
	return path;
}

TEST(audit_tombstones_verify)
{
	struct lp_erasure e;
	struct lp_erasure_count n;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_audit a;
	char *path = four_events(), *out;
	unsigned long line;

	lp_erasure_init(&e);
	lp_erasure_add(&e, "id=a", &err);
	assert_eq_int(lp_erasure_audit(&e, path, NULL, 1, &n, &err), LP_OK);
	assert_eq_int(n.records, 2);
	out = slurp(path);
	assert_true(strstr(out, "\"a\"") != NULL); /* dry: unchanged */
	free(out);
	assert_eq_int(lp_erasure_audit(&e, path, NULL, 0, &n, &err), LP_OK);
	assert_eq_int(n.records, 2);
	out = slurp(path);
	assert_true(strstr(out, "\"a\"") == NULL);
	assert_true(strstr(out, "\"event\":\"erased\",\"digest\":") != NULL);
	free(out);
	assert_eq_int(lp_audit_verify(path, &line, &err), LP_OK);
	/* An append after a tombstone (the last line) chains onto it. */
	assert_eq_int(lp_audit_open(&a, path, "lp-test", "run2"), LP_OK);
	assert_eq_int(lp_audit_event(&a, "check", NULL), LP_OK);
	lp_audit_close(&a);
	assert_eq_int(lp_audit_verify(path, &line, &err), LP_OK);
	/* Again: nothing left to erase, tombstones stay. */
	assert_eq_int(lp_erasure_audit(&e, path, NULL, 0, &n, &err), LP_OK);
	assert_eq_int(n.records, 0);
	lp_erasure_release(&e);
	unlink(path);
	free(path);
}

TEST(audit_tombstone_forged_digest)
{
	struct lp_erasure e;
	struct lp_erasure_count n;
	struct lp_error err = LP_ERROR_INIT;
	char *path = four_events(), *out, *d;
	unsigned long line;
	FILE *f;

	lp_erasure_init(&e);
	lp_erasure_add(&e, "id=a", &err);
	assert_eq_int(lp_erasure_audit(&e, path, NULL, 0, &n, &err), LP_OK);
	out = slurp(path);
	/* A tombstone whose digest is not the line it replaced breaks. */
	d = strstr(out, "\"digest\":\"") + 10;
	*d = *d == '0' ? '1' : '0';
	f = fopen(path, "w");
	fputs(out, f);
	fclose(f);
	assert_eq_int(lp_audit_verify(path, &line, &err), LP_FAILED);
	assert_eq_int(line, 3);
	free(out);
	lp_erasure_release(&e);
	unlink(path);
	free(path);
}

TEST(audit_before)
{
	struct lp_erasure e;
	struct lp_erasure_count n;
	struct lp_error err = LP_ERROR_INIT;
	char *path = four_events();
	unsigned long line;

	lp_erasure_init(&e);
	assert_eq_int(
	    lp_erasure_audit(&e, path, "1970-01-01T00:00:00.000Z", 0, &n, &err),
	    LP_OK);
	assert_eq_int(n.records, 0);
	assert_eq_int(
	    lp_erasure_audit(&e, path, "9999-01-01T00:00:00.000Z", 0, &n, &err),
	    LP_OK);
	assert_eq_int(n.records, 4);
	assert_eq_int(lp_audit_verify(path, &line, &err), LP_OK);
	lp_erasure_release(&e);
	unlink(path);
	free(path);
}

RUN_TESTS()
