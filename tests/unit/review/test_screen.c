#include <string.h>

#include "core/status.h"
#include "core/data.h"
#include "review/screen.h"
#include "text/clean.h"
#include "fixture.h"
#include "test.h"

static struct lp_taxonomy tax;

static const char rec_text[] =
    "{\"id\":\"a\",\"title\":\"apple iphone 13 128gb\",\"raw\":{\"title\":"
    "\"Apple iPhone 13 128GB NEW!!\"},\"translation\":{\"text\":"
    "\"\xe8\x8b\xb9\xe6\x9e\x9c iPhone 13 128GB \xe8\x93\x9d\xe8\x89\xb2\"},"
    "\"rating\":{\"score\":3,\"confidence\":0.72,\"rationale\":\"colour "
    "placed before capacity\"},\"sample\":{\"reason\":[\"questionable\"]},"
    "\"gold\":{\"label\":1,\"secret\":\"GOLDANSWER\"},\"labels\":[{"
    "\"annotator_id\":\"bob\",\"label\":4,\"note\":\"fine\"},{"
    "\"annotator_id\":\"al\",\"label\":1}]}";

/* The screen of the record above on rows x cols, into out. */
static void
draw(int rows, int cols, int color, const struct lp_decision *dec,
    const json_t *labels, const char *hint, struct lp_buf *out)
{
	struct lp_screen s = {rows, cols, color, &tax};
	struct lp_record rec;
	struct lp_screen_item it = {
	    "a", &rec, dec, NULL, "al", NULL, "capacity dropped"};
	struct lp_buf head = LP_BUF_INIT;

	lp_record_init(&rec);
	assert_eq_int(lp_record_parse(&rec, rec_text, strlen(rec_text)), LP_OK);
	if (labels != NULL)
		it.labels = lp_record_get(&rec, "labels");
	lp_screen_head(&head, 0, "al", 1, 3, 20, 2);
	lp_buf_reset(out);
	lp_screen_item(&s, &it, head.p, hint, NULL, out);
	lp_buf_release(&head);
	lp_record_release(&rec);
}

static int
has(const struct lp_buf *b, const char *s)
{
	return b->p != NULL && strstr(b->p, s) != NULL;
}

TEST(what_an_item_shows)
{
	struct lp_decision dec = {
	    LP_DECISION_OPEN, NULL, NULL, NULL, -1, 0, 0, "draft text"};
	struct lp_buf b = LP_BUF_INIT;

	draw(30, 100, 1, &dec, NULL, "'x' does nothing here", &b);
	assert_true(has(&b,
	    "\033[7m lp-label  annotator al  round 1  item 3 "
	    "of 20  (2 done)"));
	assert_true(has(&b,
	    "\033[1mOriginal    \033[0mApple iPhone 13 128GB "
	    "NEW!!\r\n"));
	assert_true(has(&b, "Cleaned     \033[0mapple iphone 13 128gb"));
	assert_true(has(&b,
	    "Judge       \033[0m3 minor issues   confidence "
	    "0.72"));
	assert_true(has(&b, "Sampled     \033[0mquestionable"));
	assert_true(has(&b, "Draft       \033[0mdraft text"));
	assert_true(has(&b, "Note        \033[0mcapacity dropped"));
	assert_true(has(&b,
	    "1 wrong  2 major errors  3 minor issues  4 "
	    "correct  a accept  r reject\r\n"));
	assert_true(has(&b, "\033[33m'x' does nothing here\033[0m"));
	/* Gold and other annotators' labels stay hidden. */
	assert_true(!has(&b, "GOLDANSWER"));
	assert_true(!has(&b, "bob"));
	lp_buf_release(&b);
}

/*
 * The labels of the screen's lines (their first 12 columns, where a line
 * starts with one: continuation lines of a wrapped value are passed
 * over), "|"-separated, into out.
 */
static void
line_labels(const struct lp_buf *screen, struct lp_buf *out)
{
	const char *p = screen->p, *end;

	lp_buf_reset(out);
	while (p != NULL && *p != '\0') {
		end = strstr(p, "\r\n");
		if (end == NULL)
			end = p + strlen(p);
		if (end - p >= 12 && p[0] != ' ') {
			lp_buf_add(out, p, 12);
			lp_buf_addc(out, '|');
		}
		p = *end != '\0' ? end + 2 : end;
	}
}

/* Draw the queue item js (no colour, 40 rows) into out. */
static void
draw_item(const char *js, struct lp_buf *out)
{
	struct lp_screen s = {40, 100, 0, &tax};
	struct lp_decision dec = {
	    LP_DECISION_OPEN, NULL, NULL, NULL, -1, 0, 0, NULL};
	struct lp_record rec;
	struct lp_screen_item it = {NULL, &rec, &dec, NULL, NULL, NULL, NULL};

	lp_record_init(&rec);
	assert_eq_int(lp_record_parse(&rec, js, strlen(js)), LP_OK);
	it.id = lp_record_get_str(&rec, "id");
	lp_buf_reset(out);
	lp_screen_item(&s, &it, "head", NULL, NULL, out);
	lp_record_release(&rec);
}

/*
 * A gold item as lp-sample puts it in a queue (a full record, its answer
 * gone to the key) and a real item: the same lines, in the same order,
 * and ids of the same form.  Nothing on the screen tells them apart.
 */
TEST(gold_and_real_items_look_alike)
{
	static const char real[] =
	    "{\"id\":\"ebay-uk:256100007919\",\"title\":\"anker usb c "
	    "cable 2 m red sealed\",\"raw\":{\"title\":\"Anker USB C Cable "
	    "2m Red Sealed\"},\"translation\":{\"lang\":\"zh-Hans\","
	    "\"text\":\"anker usb c \xe6\x95\xb0\xe6\x8d\xae\xe7\xba\xbf "
	    "2 m\"},\"rating\":{\"score\":4,\"confidence\":0.7788,"
	    "\"rationale\":\"matches the glossary\"},\"sample\":{\"reason\":"
	    "[\"random\"],\"seed\":20261203}}";
	static const char gold[] =
	    "{\"id\":\"ebay-uk:256100999002\",\"title\":\"samsung galaxy "
	    "s21 5g 128gb black\",\"raw\":{\"title\":\"Samsung Galaxy S21 "
	    "5G 128Gb Black\"},\"translation\":{\"lang\":\"zh-Hans\","
	    "\"text\":\"\xe4\xb8\x89\xe6\x98\x9f Galaxy S21 5G 256GB\"},"
	    "\"rating\":{\"score\":4,\"confidence\":0.7788,\"rationale\":"
	    "\"matches the glossary\"},\"sample\":{\"reason\":[\"random\"],"
	    "\"seed\":20261203}}";
	struct lp_buf a = LP_BUF_INIT, b = LP_BUF_INIT, la = LP_BUF_INIT,
		      lb = LP_BUF_INIT;

	draw_item(real, &a);
	draw_item(gold, &b);
	line_labels(&a, &la);
	line_labels(&b, &lb);
	assert_eq_str(lb.p, la.p);
	/* The lines a gold item once lacked, or had alone, are as real. */
	assert_true(has(&la, "Original    |Cleaned     |"));
	assert_true(has(&lb, "Judge       |"));
	assert_true(!has(&lb, "Title"));
	assert_true(has(&b, "Item        ebay-uk:256100999002"));
	lp_buf_release(&a);
	lp_buf_release(&b);
	lp_buf_release(&la);
	lp_buf_release(&lb);
}

/*
 * A listing with an e-mail and a phone number in its title, through
 * lp-clean's cleaning and onto the screen: the reviewer sees neither, in
 * the cleaned title or the original.  Nor in an original that an older
 * lp-clean kept verbatim.
 */
TEST(no_personal_data_shown)
{
	static const char *const lines[] = {
	    "{\"id\":\"p\",\"title\":\"Canon LENS mail bob@example.com "
	    "or 07700 900123\"}",
	    "{\"id\":\"p\",\"title\":\"canon lens mail [email]\",\"raw\":"
	    "{\"title\":\"Canon LENS mail bob@example.com or 07700 "
	    "900123\"}}"};
	struct lp_screen s = {30, 100, 0, &tax};
	struct lp_clean c;
	struct lp_error err;
	struct lp_buf b = LP_BUF_INIT;
	size_t i;

	lp_clean_init(&c);
	lp_clean_add_field(&c, "title");
	for (i = 0; i < 2; i++) {
		struct lp_record rec;
		struct lp_decision dec = {
		    LP_DECISION_OPEN, NULL, NULL, NULL, -1, 0, 0, NULL};
		struct lp_screen_item it = {
		    "p", &rec, &dec, NULL, "al", NULL, NULL};

		lp_record_init(&rec);
		assert_eq_int(
		    lp_record_parse(&rec, lines[i], strlen(lines[i])), LP_OK);
		if (i == 0)
			assert_eq_int(lp_clean_record(&c, &rec, &err), LP_OK);
		lp_buf_reset(&b);
		lp_screen_item(&s, &it, "head", NULL, NULL, &b);
		assert_true(has(&b, "Original    Canon LENS mail [email]"));
		assert_true(!has(&b, "bob@"));
		assert_true(!has(&b, "example.com"));
		assert_true(!has(&b, "900123"));
		lp_record_release(&rec);
	}
	lp_buf_release(&b);
	lp_clean_release(&c);
}

/* A 40-column screen wraps, and NO_COLOR means no codes for colour. */
TEST(narrow_and_without_colour)
{
	struct lp_decision dec = {
	    LP_DECISION_OPEN, NULL, NULL, NULL, -1, 0, 0, NULL};
	struct lp_buf b = LP_BUF_INIT;
	const char *p;

	draw(30, 40, 0, &dec, NULL, NULL, &b);
	assert_true(has(&b,
	    "Why         colour placed before\r\n"
	    "            capacity\r\n"));
	/* The header is cut to the width and filled to it. */
	assert_true(
	    has(&b, " lp-label  annotator al  round 1  item 3\r\n\r\n"));
	/* Cursor moves and clearing only: no SGR (ESC [ ... m) at all. */
	for (p = b.p; (p = strchr(p, '\033')) != NULL; p++) {
		size_t n = strspn(p + 2, "?0123456789;");

		assert_true(p[1] == '[' && p[2 + n] != 'm');
	}
	lp_buf_release(&b);
}

TEST(small_window_says_so)
{
	struct lp_decision dec = {
	    LP_DECISION_OPEN, NULL, NULL, NULL, -1, 0, 0, NULL};
	struct lp_buf b = LP_BUF_INIT;

	draw(10, 40, 0, &dec, NULL, NULL, &b);
	assert_true(has(&b,
	    "\xe2\x80\xa6 (more than fits: a larger window "
	    "shows the rest)"));
	/* The keys, wrapped to four lines, at the bottom. */
	assert_true(has(&b, "\033[6;1H1 wrong  2 major errors  3 minor"));
	lp_buf_release(&b);
}

TEST(labels_shown_when_asked_and_decided_item)
{
	json_t *four = json_integer(4);
	struct lp_decision dec = {
	    LP_DECISION_SUBMITTED, four, NULL, NULL, 10, 0, 0, NULL};
	struct lp_buf b = LP_BUF_INIT;

	draw(30, 100, 0, &dec, four, NULL, &b);
	assert_true(has(&b, "Labels      bob: 4 correct; note: fine\r\n"));
	assert_true(!has(&b, "al: 1")); /* one's own stays hidden */
	assert_true(has(&b,
	    "Decided     4 correct   (a label key or s "
	    "decides it again)"));
	json_decref(four);
	lp_buf_release(&b);
}

TEST(edit_line_and_guide)
{
	struct lp_screen s = {24, 30, 0, &tax};
	struct lp_decision dec = {
	    LP_DECISION_OPEN, NULL, NULL, NULL, -1, 0, 0, NULL};
	struct lp_record rec;
	struct lp_screen_item it = {"a", &rec, &dec, NULL, NULL, NULL, NULL};
	const char text[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct lp_screen_edit ed = {"Note:", text, sizeof(text) - 1, 5};
	struct lp_buf b = LP_BUF_INIT;

	lp_record_init(&rec);
	assert_eq_int(lp_record_parse(&rec, rec_text, strlen(rec_text)), LP_OK);
	lp_screen_item(&s, &it, "head", NULL, &ed, &b);
	/* The text from the start, cut to fit; the cursor after "01234". */
	assert_true(has(&b,
	    "Note: 0123456789abcdefghijklmn\033[24;12H"
	    "\033[?25h"));
	lp_buf_reset(&b);
	ed.cur = ed.len; /* scrolled so that the cursor shows */
	lp_screen_item(&s, &it, "head", NULL, &ed, &b);
	assert_true(has(&b, "Note: defghijklmnopqrstuvwxyz\033[24;30H"));
	lp_buf_reset(&b);
	s.cols = 100;
	lp_screen_guide(&s, "Guide", &b);
	assert_true(has(&b, "  a         accept: the same as 4 correct"));
	assert_true(has(&b, "  4         4 correct: Correct and natural"));
	assert_true(!has(&b, "Item"));
	lp_buf_release(&b);
	lp_record_release(&rec);
}

int
main(int argc, char **argv)
{
	return run_tests_with_taxonomy(&tax, argc, argv);
}
