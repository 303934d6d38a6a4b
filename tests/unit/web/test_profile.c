/*
 * Extraction profiles: the rules' operations on small pages, bad
 * profiles, and the built-in eBay profile against the real saved result
 * pages in ../shared/fixtures/ebay (counts and first five listings from
 * their truth.json), when that folder exists.
 */
#include <gumbo.h>
#include <jansson.h>
#include <pthread.h>

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

/*
 * A tree deeper than any page's, built by hand: <html><li class=it>, a
 * chain of depth <div>s, then <span class=t>bottom</span>.
 */
struct chain {
	GumboNode *nodes;
	void **kids;
	GumboAttribute cls[2];
	void *cls_v[2][1];
	GumboNode text;
	void *leaf[1];
};

static GumboNode *
chain_new(struct chain *c, size_t depth)
{
	size_t i, n = depth + 3;

	c->nodes = calloc(n, sizeof(*c->nodes));
	c->kids = calloc(n, sizeof(*c->kids));
	for (i = 0; i < n; i++) {
		GumboNode *e = &c->nodes[i];

		e->type = GUMBO_NODE_ELEMENT;
		e->parent = i > 0 ? &c->nodes[i - 1] : NULL;
		e->v.element.tag = i == 0 ? GUMBO_TAG_HTML
		    : i == 1		  ? GUMBO_TAG_LI
		    : i == n - 1	  ? GUMBO_TAG_SPAN
					  : GUMBO_TAG_DIV;
		if (i < n - 1) {
			c->kids[i] = &c->nodes[i + 1];
			e->v.element.children.data = &c->kids[i];
			e->v.element.children.length = 1;
		}
	}
	for (i = 0; i < 2; i++) {
		memset(&c->cls[i], 0, sizeof(c->cls[i]));
		c->cls[i].name = "class";
		c->cls[i].value = i == 0 ? "it" : "t";
		c->cls_v[i][0] = &c->cls[i];
	}
	c->nodes[1].v.element.attributes.data = c->cls_v[0];
	c->nodes[1].v.element.attributes.length = 1;
	c->nodes[n - 1].v.element.attributes.data = c->cls_v[1];
	c->nodes[n - 1].v.element.attributes.length = 1;
	memset(&c->text, 0, sizeof(c->text));
	c->text.type = GUMBO_NODE_TEXT;
	c->text.parent = &c->nodes[n - 1];
	c->text.v.text.text = "bottom";
	c->leaf[0] = &c->text;
	c->nodes[n - 1].v.element.children.data = c->leaf;
	c->nodes[n - 1].v.element.children.length = 1;
	return &c->nodes[0];
}

struct deep {
	const char *spec;
	const GumboNode *root;
	char *got; /* the items, dumped */
	int blocked;
};

static void *
extract_deep(void *arg)
{
	struct deep *d = arg;
	struct lp_error err = LP_ERROR_INIT;
	json_t *spec = json_loads(d->spec, 0, NULL);
	struct lp_profile *p = lp_profile_new(spec, &err);
	struct lp_page pg;

	lp_profile_extract(p, d->root, NULL, &pg);
	d->got = json_dumps(pg.items, JSON_COMPACT);
	d->blocked = pg.blocked;
	lp_page_release(&pg);
	lp_profile_free(p);
	json_decref(spec);
	return NULL;
}

/* Run fn on a thread with a small stack: deep recursion overflows it. */
static void
on_small_stack(void *(*fn)(void *), void *arg)
{
	pthread_attr_t a;
	pthread_t t;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 128 * 1024);
	assert_eq_int(pthread_create(&t, &a, fn, arg), 0);
	pthread_join(t, NULL);
	pthread_attr_destroy(&a);
}

/*
 * Issue 25: a field's element found, and an element's text gathered, by
 * walks with a stack of their own, however deep the item; so too the
 * page's text for a bot check.
 */
TEST(deep_item)
{
	struct chain c;
	struct deep d = {"{\"item\": \"li.it\", \"fields\": ["
			 "{\"name\": \"id\", \"value\": \"x\"},"
			 "{\"name\": \"title\", \"select\": \"span.t\"},"
			 "{\"name\": \"all\", \"select\": \"div\"}]}",
	    NULL, NULL, 0};
	struct deep b = {"{\"item\": \"p\", \"blocked\": [\"bottom\"], "
			 "\"fields\": [{\"name\": \"id\", \"value\": \"x\"}]}",
	    NULL, NULL, 0};

	d.root = b.root = chain_new(&c, 200000);
	on_small_stack(extract_deep, &d);
	assert_eq_str(d.got != NULL ? d.got : "(crashed)",
	    "[{\"id\":\"x\",\"title\":\"bottom\",\"all\":\"bottom\"}]");
	on_small_stack(extract_deep, &b);
	assert_eq_str(b.got != NULL ? b.got : "(crashed)", "[]");
	assert_true(b.blocked);
	free(d.got);
	free(b.got);
	free(c.nodes);
	free(c.kids);
}

RUN_TESTS()
