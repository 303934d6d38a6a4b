#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/status.h"
#include "core/data.h"
#include "review/answers.h"
#include "fixture.h"
#include "test.h"

static struct lp_taxonomy tax;

/* A file in this run's folder with text (gzip when gz); its path. */
static const char *
file_with(const char *name, const char *text, int gz)
{
	const char *p = path_in(name);

	if (gz) {
		gzFile f = gzopen(p, "wb");

		gzwrite(f, text, (unsigned)strlen(text));
		gzclose(f);
	} else {
		FILE *f = fopen(p, "w");

		fputs(text, f);
		fclose(f);
	}
	return p;
}

/* The queue: items a, b, c; c is settled by consensus. */
static size_t
find(void *arg, const char *id)
{
	(void)arg;
	if (strlen(id) == 1 && id[0] >= 'a' && id[0] <= 'c')
		return (size_t)(id[0] - 'a');
	return (size_t)-1;
}

static const char *
settled(void *arg, size_t i)
{
	(void)arg;
	return i == 2 ? "unanimous" : NULL;
}

static const struct lp_answers_queue queue = {&tax, find, settled, NULL};

static const char good[] =
    "{\"id\":\"a\",\"label\":\"accept\",\"time_to_label_ms\":1200}\n"
    "\n"
    "{\"id\":\"b\",\"status\":\"skipped\",\"note\":\"no idea\"}\r\n";

static void
check_good(struct lp_answers *as)
{
	assert_eq_int(as->n, 2);
	assert_eq_int(as->all[0].item, 0);
	assert_eq_str(as->all[0].label->name, "correct");
	assert_eq_int(as->all[0].ttl_ms, 1200);
	assert_true(as->all[0].correction == NULL);
	assert_eq_int(as->all[1].item, 1);
	assert_true(as->all[1].label == NULL);
	assert_eq_str(as->all[1].note, "no idea");
	assert_eq_int(as->all[1].ttl_ms, -1);
}

TEST(plain_answers)
{
	struct lp_answers as;
	struct lp_error err = LP_ERROR_INIT;

	assert_eq_int(lp_answers_load(
			  &as, file_with("a.jsonl", good, 0), 0, &queue, &err),
	    LP_OK);
	check_good(&as);
	lp_answers_release(&as);
}

/* The same reader as every input: a gzipped answers file works. */
TEST(gzipped_answers)
{
	struct lp_answers as;
	struct lp_error err = LP_ERROR_INIT;

	assert_eq_int(lp_answers_load(&as, file_with("a.jsonl.gz", good, 1), 0,
			  &queue, &err),
	    LP_OK);
	check_good(&as);
	lp_answers_release(&as);
}

TEST(bad_answers_name_file_and_line)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
	    {"{\"id\":\"a\",\"label\":4}\n{\"id\":\"b\",\"label\":5}\n",
		"2: unknown label 5 (taxonomy-1 has 1, 2, 3, 4, accept, "
		"reject)"},
	    {"{\"id\":\"zz\",\"label\":4}\n",
		"1: id \"zz\" is not in the queue"},
	    {"{\"id\":\"a\",\"label\":4}\n{\"id\":\"a\",\"label\":1}\n",
		"2: a second answer for \"a\" (the first is on line 1)"},
	    {"{\"id\":\"a\"\n",
		"1: not a JSON object: '}' expected near end of file"},
	    {"[1]\n", "1: not a JSON object"},
	    {"{\"label\":4}\n", "1: no \"id\""},
	    {"{\"id\":\"a\",\"status\":\"done\"}\n",
		"1: \"status\" must be \"submitted\" or \"skipped\""},
	    {"{\"id\":\"a\",\"status\":\"submitted\"}\n",
		"1: unknown label (none) (taxonomy-1 has 1, 2, 3, 4, accept, "
		"reject)"},
	    {"{\"id\":\"a\",\"label\":4,\"note\":7}\n",
		"1: \"correction\" and \"note\" must be strings"},
	    {"{\"id\":\"a\",\"label\":4,\"time_to_label_ms\":-1}\n",
		"1: \"time_to_label_ms\" must be a whole number >= 0"},
	    {"{\"id\":\"c\",\"label\":4}\n",
		"1: \"c\" is settled by consensus (unanimous); nothing to "
		"adjudicate"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lp_answers as;
		struct lp_error err = LP_ERROR_INIT;
		const char *p = file_with("bad.jsonl", cases[i].text, 0);
		char want[512];

		assert_eq_int(
		    lp_answers_load(&as, p, 0, &queue, &err), LP_FAILED);
		snprintf(want, sizeof(want), "%s:%s", p, cases[i].why);
		assert_eq_str(err.msg, want);
		assert_eq_int(as.n, 0);
	}
}

TEST(unreadable_and_corrupt_files)
{
	struct lp_answers as;
	struct lp_error err = LP_ERROR_INIT;
	char want[512];
	const char *p;

	assert_eq_int(
	    lp_answers_load(&as, "/nonexistent/answers.jsonl", 0, &queue, &err),
	    LP_FATAL);
	assert_eq_str(
	    err.msg, "/nonexistent/answers.jsonl: No such file or directory");
	/* A gzip stream cut short is bad data, named as the reader names it. */
	p = file_with("cut.jsonl.gz", good, 1);
	assert_eq_int(truncate(p, 20), 0);
	assert_eq_int(lp_answers_load(&as, p, 0, &queue, &err), LP_FAILED);
	snprintf(want, sizeof(want),
	    "%s: unexpected end of gzip stream (truncated file)", p);
	assert_eq_str(err.msg, want);
	/* A line over the limit. */
	p = file_with("long.jsonl", good, 0);
	assert_eq_int(lp_answers_load(&as, p, 10, &queue, &err), LP_FAILED);
	snprintf(want, sizeof(want), "%s:1: line longer than 10 bytes", p);
	assert_eq_str(err.msg, want);
}

int
main(int argc, char **argv)
{
	return run_tests_with_taxonomy(&tax, argc, argv);
}
