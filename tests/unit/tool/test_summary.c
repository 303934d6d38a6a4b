#include <string.h>

#include "core/buf.h"
#include "test.h"
#include "tool/summary.h"

/* The counts of a run, by name; anything else is 0. */
static long long
count(void *arg, const char *name)
{
	static const struct {
		const char *name;
		long long n;
	} tab[] = {{"out", 118}, {"pages", 3}, {"one", 1}, {"zero", 0},
	    {"queue", 5}, {"decided", 3}, {"cached", 2}};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(tab[i].name, name) == 0)
			return tab[i].n;
	return 0;
}

/* fmt formatted, as a string that stays valid until the next call. */
static const char *
fmt(const char *f)
{
	static struct lp_buf b = LP_BUF_INIT;

	lp_buf_reset(&b);
	lp_buf_adds(&b, "");
	lp_summary_format(&b, f, count, NULL);
	return b.p;
}

TEST(counts_and_nouns)
{
	assert_eq_str(fmt("{out:listing} from {pages:page}"),
	    "118 listings from 3 pages");
	assert_eq_str(fmt("{one:page}, {zero:page}"), "1 page, 0 pages");
	assert_eq_str(fmt("{one:retry}, {out:retry}, {out:key}"),
	    "1 retry, 118 retries, 118 keys");
	assert_eq_str(fmt("{unknown} unknown"), "0 unknown");
	assert_eq_str(fmt("no counts"), "no counts");
	assert_eq_str(fmt(""), "");
}

TEST(difference)
{
	assert_eq_str(fmt("{decided:item} decided, {queue-decided} left"),
	    "3 items decided, 2 left");
	assert_eq_str(fmt("{decided-queue}"), "-2");
}

/* A bracketed part is kept only when a count in it is not zero. */
TEST(optional_parts)
{
	assert_eq_str(fmt("{out} in[, {cached} cached][, {zero} bad]"),
	    "118 in, 2 cached");
	assert_eq_str(fmt("a[ {zero} and {one}]b"), "a 0 and 1b");
	assert_eq_str(fmt("a[ {zero} and {zero}]b"), "ab");
	assert_eq_str(fmt("a[ no count]b"), "ab");
	assert_eq_str(fmt("[{queue-decided} left]"), "2 left");
	assert_eq_str(fmt("[{decided-decided} left]"), "");
}

/* What is not a placeholder or a part is copied as it is. */
TEST(unclosed)
{
	assert_eq_str(fmt("a {out"), "a {out");
	assert_eq_str(fmt("a [{out}"), "a [118");
	assert_eq_str(fmt("a ]{out}["), "a ]118[");
	assert_eq_str(fmt("{}"), "0");
}

/* A name longer than any count's is cut, not overrun. */
TEST(long_name)
{
	char f[300];

	memset(f, 'x', sizeof(f));
	f[0] = '{';
	f[sizeof(f) - 2] = '}';
	f[sizeof(f) - 1] = '\0';
	assert_eq_str(fmt(f), "0");
}

RUN_TESTS()
