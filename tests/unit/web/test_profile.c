/*
 * Extraction profiles: the rules' operations on small pages, bad
 * profiles, and the built-in eBay profile against the real saved result
 * pages in ../shared/fixtures/ebay (counts and first five listings from
 * their truth.json), when that folder exists.
 */
#include <gumbo.h>
#include <jansson.h>

#include "web/profile.h"
#include "test.h"
#include "core/data.h"

static json_t *
ebay_spec(void)
{
	return json_loadb((const char *)lp_data_ebay_profile,
	    lp_data_ebay_profile_len, 0, NULL);
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long len;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	b = malloc((size_t)len + 1);
	*n = fread(b, 1, (size_t)len, f);
	b[*n] = '\0';
	fclose(f);
	return b;
}

static void
extract(struct lp_profile *p, const char *html, size_t n, struct lp_page *pg)
{
	GumboOutput *o =
	    gumbo_parse_with_options(&kGumboDefaultOptions, html, n);

	lp_profile_extract(p, o->root, NULL, pg);
	gumbo_destroy_output(&kGumboDefaultOptions, o);
}

TEST(ebay_fixtures)
{
	const char *dir = getenv("LP_EBAY_FIXTURES");
	char path[1024];
	json_t *truth, *page, *spec = ebay_spec();
	struct lp_profile *p;
	struct lp_error err = LP_ERROR_INIT;
	size_t i, k;

	p = lp_profile_new(spec, &err);
	assert_true(p != NULL);
	snprintf(path, sizeof(path), "%s/truth.json", dir ? dir : ".");
	if (dir == NULL || (truth = json_load_file(path, 0, NULL)) == NULL) {
		fprintf(stderr, "(no saved eBay pages: %s)\n", path);
		lp_profile_free(p);
		json_decref(spec);
		return;
	}
	json_array_foreach (truth, i, page) {
		struct lp_page pg;
		size_t n = 0;
		char *html;
		json_t *want;

		snprintf(path, sizeof(path), "%s/%s", dir,
		    json_string_value(json_object_get(page, "file")));
		html = slurp(path, &n);
		assert_true(html != NULL);
		extract(p, html, n, &pg);
		if (json_array_size(pg.items) !=
		    (size_t)json_integer_value(json_object_get(page, "items")))
			FAIL("%s: %zu items, want %lld", path,
			    json_array_size(pg.items),
			    (long long)json_integer_value(
				json_object_get(page, "items")));
		assert_eq_int(pg.blocked, 0);
		json_array_foreach (json_object_get(page, "first"), k, want) {
			json_t *got = json_array_get(pg.items, k);
			char id[64];
			const char *url;

			snprintf(id, sizeof(id), "ebay-uk:%s",
			    json_string_value(
				json_object_get(want, "item_id")));
			assert_eq_str(
			    json_string_value(json_object_get(got, "title")),
			    json_string_value(json_object_get(want, "title")));
			assert_eq_str(
			    json_string_value(json_object_get(
				json_object_get(got, "price"), "text")),
			    json_string_value(json_object_get(want, "price")));
			assert_eq_str(
			    json_string_value(json_object_get(got, "id")), id);
			url = json_string_value(json_object_get(got, "url"));
			assert_true(url != NULL &&
			    strcmp(strrchr(url, '/'),
				strrchr(json_string_value(
					    json_object_get(want, "url")),
				    '/')) == 0);
		}
		lp_page_release(&pg);
		free(html);
	}
	json_decref(truth);
	lp_profile_free(p);
	json_decref(spec);
}

/* The results part: from the tag holding the first region text. */
TEST(region)
{
	static const char page[] = "<html><div id=h>header, filters</div>"
				   "<ul class=\"srp-results\"><li>1</li></ul>";
	json_t *spec = ebay_spec();
	struct lp_profile *p;
	struct lp_error err = LP_ERROR_INIT;

	p = lp_profile_new(spec, &err);
	assert_true(p != NULL);
	assert_eq_int((long long)lp_profile_region(p, page, sizeof(page) - 1),
	    (long long)(strstr(page, "<ul") - page));
	/* No region text (a bot check, an empty search): the whole page. */
	assert_eq_int(
	    lp_profile_region(p, "<p>Pardon Our Interruption</p>", 30), 0);
	/* The marker in the first tag: from the start. */
	assert_eq_int(lp_profile_region(p, "srp-results", 11), 0);
	lp_profile_free(p);
	json_decref(spec);
}

/* A bad profile names what is wrong and where (struct lp_error). */
TEST(bad_profiles)
{
	static const char *const bad[][2] = {
	    {"{\"fields\": []}", "item: want a CSS selector"},
	    {"{\"item\": \"li[\", \"fields\": []}",
		"item: column 4: expected an attribute name"},
	    {"{\"item\": \"li\"}", "fields: want an array of fields"},
	    {"{\"item\": \"li\", \"fields\": [{\"select\": \"a\"}]}",
		"fields[0].name: want a field name"},
	    {"{\"item\": \"li\", \"fields\": [{\"name\": \"t\"}]}",
		"t: want select, from, jsonld or value"},
	    {"{\"item\": \"li\", \"fields\": [{\"name\": \"t\", "
	     "\"select\": \"a\", \"drop\": \"..\"}]}",
		"fields[0].drop: column 2: expected a class name"},
	    {"{\"item\": \"li\", \"fields\": [{\"name\": \"t\", "
	     "\"value\": 1, \"pattern\": \"(a)\", \"group\": 2}]}",
		"fields[0].group: the pattern has 1"},
	    {"{\"item\": \"li\", \"fields\": [{\"name\": \"t\", "
	     "\"value\": 1, \"parse\": \"date\"}]}",
		"fields[0].parse: 'date' is not text, price, int or bool"}};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct lp_error err = LP_ERROR_INIT;
		json_t *spec = json_loads(bad[i][0], 0, NULL);

		assert_true(spec != NULL);
		assert_true(lp_profile_new(spec, &err) == NULL);
		assert_eq_str(err.msg, bad[i][1]);
		json_decref(spec);
	}
}

RUN_TESTS()
