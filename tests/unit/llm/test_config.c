/*
 * The LLM settings' resolver: one test per row of the precedence table in
 * man/lp-translate.1, and the config file's malformed lines.
 */
#include <string.h>

#include "core/status.h"
#include "llm/config.h"
#include "test.h"

/* A fake environment: "NAME=value" strings, NULL-terminated. */
static const char *
lookup(const char *name, void *arg)
{
	const char *const *e = arg;
	size_t n = strlen(name);

	for (; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static struct lp_llm_file file;
static struct lp_llm_settings s;
static struct lp_error err;

/* Resolve with cli, the environment env and config text (or NULL). */
static int
resolve(const struct lp_llm_cli *cli, const char **env, const char *text)
{
	static const struct lp_llm_cli none;
	int rc;

	lp_llm_settings_release(&s);
	lp_llm_file_release(&file);
	if (text != NULL &&
	    lp_llm_file_parse(&file, text, strlen(text),
		"/home/u/.config/labelpipe/config", &err) != LP_OK)
		return LP_FAILED;
	rc = lp_llm_settings_resolve(&s, cli ? cli : &none, lookup, (void *)env,
	    text ? &file : NULL, &err);
	return rc;
}

#define assert_src(v, val, src)                                                \
	do {                                                                   \
		assert_eq_str((v).value, val);                                 \
		assert_eq_str((v).source, src);                                \
	} while (0)

static const char *ALL[] = {"LP_API_BASE=http://lp/v1",
    "AZURE_OPENAI_ENDPOINT=https://res.openai.azure.com",
    "OPENAI_BASE_URL=http://gw/v1", "OLLAMA_HOST=box:1234", "LP_API_KEY=k-lp",
    "AZURE_OPENAI_API_KEY=k-az", "OPENAI_API_KEY=k-oa",
    "OPENAI_API_VERSION=2024-06-01", "HOME=/home/u", NULL};
static const char *CONFIG = "# labelpipe\n"
			    "api_base = http://file/v1\n"
			    "api_key_file = key\n"
			    "model = file-model\n"
			    "judge_model = \"file-judge\"\n"
			    "organization = org-file\n"
			    "project = proj-file\n"
			    "api_version = 2023-01-01\n";

TEST(base_cli_wins)
{
	struct lp_llm_cli cli = {.api_base = "http://cli/v1"};

	assert_eq_int(resolve(&cli, ALL, CONFIG), LP_OK);
	assert_src(s.base, "http://cli/v1", "--api-base");
	assert_eq_int(s.azure, 0);
}

TEST(base_lp_over_the_others)
{
	assert_eq_int(resolve(NULL, ALL, CONFIG), LP_OK);
	assert_src(s.base, "http://lp/v1", "LP_API_BASE");
	assert_src(s.key, "k-lp", "LP_API_KEY");
}

TEST(base_azure_over_openai)
{
	assert_eq_int(resolve(NULL, ALL + 1, CONFIG), LP_OK);
	assert_src(
	    s.base, "https://res.openai.azure.com", "AZURE_OPENAI_ENDPOINT");
	assert_eq_int(s.azure_deployments, 1);
	assert_eq_int(s.azure, 1);
	/* LP_API_KEY would still win; here it is AZURE_OPENAI_API_KEY. */
	assert_src(s.key, "k-lp", "LP_API_KEY");
	assert_src(s.api_version, "2024-06-01", "OPENAI_API_VERSION");
}

TEST(azure_key_and_version)
{
	const char *env[] = {"AZURE_OPENAI_ENDPOINT=https://r.example",
	    "AZURE_OPENAI_API_KEY=k-az", "OPENAI_API_KEY=k-oa",
	    "OPENAI_API_VERSION=2024-06-01", NULL};

	assert_eq_int(resolve(NULL, env, NULL), LP_OK);
	assert_src(s.key, "k-az", "AZURE_OPENAI_API_KEY");
	assert_src(s.api_version, "2024-06-01", "OPENAI_API_VERSION");
}

TEST(azure_key_only_for_azure)
{
	const char *env[] = {"OPENAI_BASE_URL=http://gw/v1",
	    "AZURE_OPENAI_API_KEY=k-az", "OPENAI_API_VERSION=2024-06-01", NULL};

	assert_eq_int(resolve(NULL, env, NULL), LP_OK);
	assert_true(s.key.value == NULL);
	/* Not Azure: no api-version from the environment. */
	assert_true(s.api_version.value == NULL);
}

TEST(cli_azure_takes_azure_key)
{
	struct lp_llm_cli cli = {
	    .api_base = "https://r/openai/deployments/d", .azure = 1};
	const char *env[] = {"AZURE_OPENAI_API_KEY=k-az", "OPENAI_API_KEY=k",
	    "OPENAI_API_VERSION=v1", NULL};

	assert_eq_int(resolve(&cli, env, NULL), LP_OK);
	assert_eq_int(s.azure_deployments, 0);
	assert_src(s.key, "k-az", "AZURE_OPENAI_API_KEY");
	assert_src(s.api_version, "v1", "OPENAI_API_VERSION");
}

TEST(base_openai_over_ollama)
{
	assert_eq_int(resolve(NULL, ALL + 2, CONFIG), LP_OK);
	assert_src(s.base, "http://gw/v1", "OPENAI_BASE_URL");
	assert_src(s.key, "k-lp", "LP_API_KEY");
}

TEST(base_ollama)
{
	const char *env[] = {"OLLAMA_HOST=box:1234", "OPENAI_API_KEY=k", NULL};

	assert_eq_int(resolve(NULL, env, NULL), LP_OK);
	assert_src(s.base, "http://box:1234/v1", "OLLAMA_HOST");
	/* The OpenAI key does not go to the local server. */
	assert_true(s.key.value == NULL && s.key_file.value == NULL);
}

TEST(ollama_host_forms)
{
	static const char *const cases[][2] = {{"box", "http://box:11434/v1"},
	    {"0.0.0.0", "http://0.0.0.0:11434/v1"},
	    {":8080", "http://127.0.0.1:8080/v1"},
	    {"", "http://127.0.0.1:11434/v1"},
	    {"http://box", "http://box:80/v1"},
	    {"https://box", "https://box:443/v1"},
	    {"https://box:8443/", "https://box:8443/v1"},
	    {"http://box:9/ollama", "http://box:9/ollama/v1"},
	    {"[::1]", "http://[::1]:11434/v1"},
	    {"[::1]:7", "http://[::1]:7/v1"}};
	char var[128];
	const char *env[] = {var, NULL};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(var, sizeof(var), "OLLAMA_HOST=%s", cases[i][0]);
		/* An empty OLLAMA_HOST is unset: the default base. */
		if (cases[i][0][0] == '\0')
			snprintf(var, sizeof(var), "OLLAMA_HOST=http://");
		assert_eq_int(resolve(NULL, env, NULL), LP_OK);
		assert_eq_str(s.base.value,
		    cases[i][0][0] ? cases[i][1] : "http://127.0.0.1:80/v1");
	}
	snprintf(var, sizeof(var), "OLLAMA_HOST=ftp://box");
	assert_eq_int(resolve(NULL, env, NULL), LP_FAILED);
	assert_eq_str(err.msg,
	    "OLLAMA_HOST 'ftp://box': not an http:// or https:// address");
}

TEST(base_file_then_default)
{
	const char *env[] = {"HOME=/home/u", NULL};

	assert_eq_int(resolve(NULL, env, CONFIG), LP_OK);
	assert_src(
	    s.base, "http://file/v1", "/home/u/.config/labelpipe/config:2");
	assert_src(s.key_file, "/home/u/.config/labelpipe/key",
	    "/home/u/.config/labelpipe/config:3");
	assert_eq_int(s.key_file_private, 1);
	assert_src(
	    s.organization, "org-file", "/home/u/.config/labelpipe/config:6");
	assert_src(
	    s.project, "proj-file", "/home/u/.config/labelpipe/config:7");
	/* Not Azure, yet the file's api_version is what the user asked. */
	assert_src(
	    s.api_version, "2023-01-01", "/home/u/.config/labelpipe/config:8");
	assert_eq_int(resolve(NULL, env, NULL), LP_OK);
	assert_src(s.base, "https://api.openai.com/v1", "default");
	assert_true(s.key.value == NULL && s.key_file.value == NULL);
}

TEST(file_azure_endpoint)
{
	const char *env[] = {"AZURE_OPENAI_API_KEY=k-az", NULL};

	assert_eq_int(
	    resolve(NULL, env, "azure_endpoint = https://r.example\n"), LP_OK);
	assert_eq_int(s.azure_deployments, 1);
	assert_src(s.key, "k-az", "AZURE_OPENAI_API_KEY");
}

TEST(key_rows)
{
	struct lp_llm_cli cli = {.api_key_file = "/k"};
	const char *env[] = {"OPENAI_API_KEY=k-oa", "HOME=/h", NULL};

	assert_eq_int(resolve(&cli, ALL, CONFIG), LP_OK);
	assert_src(s.key_file, "/k", "--api-key-file");
	assert_eq_int(s.key_file_private, 0);
	assert_true(s.key.value == NULL);
	assert_eq_int(resolve(NULL, env, NULL), LP_OK);
	assert_src(s.key, "k-oa", "OPENAI_API_KEY");
	assert_eq_int(
	    resolve(NULL, env + 1, "api_key_file = ~/keys/openai\n"), LP_OK);
	assert_src(
	    s.key_file, "/h/keys/openai", "/home/u/.config/labelpipe/config:1");
	assert_eq_int(resolve(NULL, env + 1, "api_key_file = /etc/k\n"), LP_OK);
	assert_eq_str(s.key_file.value, "/etc/k");
}

/* The key goes with its endpoint: a row of the table each. */
TEST(key_goes_with_its_endpoint)
{
	struct lp_llm_cli cli = {.api_base = "http://cli/v1"};
	struct lp_llm_cli kf = {.api_key_file = "/k"};
	const char *oa[] = {"OPENAI_API_KEY=k-oa", "HOME=/h", NULL};
	const char *lp[] = {"LP_API_KEY=k-lp", "OPENAI_API_KEY=k-oa", NULL};
	const char *lpbase[] = {
	    "LP_API_BASE=http://lp/v1", "OPENAI_API_KEY=k-oa", NULL};
	const char *gw[] = {
	    "OPENAI_BASE_URL=http://gw/v1", "OPENAI_API_KEY=k-oa", NULL};
	const char *az[] = {"AZURE_OPENAI_API_KEY=k-az", "OPENAI_API_KEY=k-oa",
	    "HOME=/h", NULL};
	const char *base_key =
	    "api_base = http://file/v1\napi_key_file = /fk\n";

	/* OpenAI's key: to OPENAI_BASE_URL and the default only. */
	assert_eq_int(resolve(NULL, gw, base_key), LP_OK);
	assert_src(s.key, "k-oa", "OPENAI_API_KEY");
	assert_eq_int(resolve(NULL, oa, NULL), LP_OK);
	assert_src(s.key, "k-oa", "OPENAI_API_KEY");
	assert_eq_int(resolve(&cli, oa, NULL), LP_OK);
	assert_true(s.key.value == NULL && s.key_file.value == NULL);
	assert_eq_int(resolve(NULL, lpbase, NULL), LP_OK);
	assert_true(s.key.value == NULL && s.key_file.value == NULL);
	/* OpenAI's own address, by whatever source: its key. */
	cli.api_base = "https://api.openai.com/v1";
	assert_eq_int(resolve(&cli, oa, base_key), LP_OK);
	assert_src(s.key, "k-oa", "OPENAI_API_KEY");
	cli.api_base = "https://api.openai.com.evil.example/v1";
	assert_eq_int(resolve(&cli, oa, NULL), LP_OK);
	assert_true(s.key.value == NULL);
	cli.api_base = "http://cli/v1";
	/* The file's base: the file's key, before OpenAI's. */
	assert_eq_int(resolve(NULL, oa, base_key), LP_OK);
	assert_src(s.key_file, "/fk", "/home/u/.config/labelpipe/config:2");
	assert_true(s.key.value == NULL);
	assert_eq_int(resolve(NULL, oa, "api_base = http://file/v1\n"), LP_OK);
	assert_true(s.key.value == NULL && s.key_file.value == NULL);
	/* The file's key stays with the file's base. */
	assert_eq_int(resolve(&cli, oa, base_key), LP_OK);
	assert_true(s.key.value == NULL && s.key_file.value == NULL);
	/* A file with no base: its key goes to any base, after OpenAI's. */
	assert_eq_int(resolve(&cli, oa, "api_key_file = /fk\n"), LP_OK);
	assert_src(s.key_file, "/fk", "/home/u/.config/labelpipe/config:1");
	assert_eq_int(resolve(NULL, oa, "api_key_file = /fk\n"), LP_OK);
	assert_src(s.key, "k-oa", "OPENAI_API_KEY");
	assert_true(s.key_file.value == NULL);
	/* Ours: to whatever base. */
	assert_eq_int(resolve(&cli, lp, base_key), LP_OK);
	assert_src(s.key, "k-lp", "LP_API_KEY");
	assert_eq_int(resolve(NULL, lp, base_key), LP_OK);
	assert_src(s.key, "k-lp", "LP_API_KEY");
	assert_eq_int(resolve(&kf, gw, base_key), LP_OK);
	assert_src(s.key_file, "/k", "--api-key-file");
	/* The file's Azure endpoint: Azure's key, else the file's. */
	assert_eq_int(resolve(NULL, az,
			  "azure_endpoint = https://r.example\n"
			  "api_key_file = /fk\n"),
	    LP_OK);
	assert_src(s.key, "k-az", "AZURE_OPENAI_API_KEY");
	assert_eq_int(resolve(NULL, oa,
			  "azure_endpoint = https://r.example\n"
			  "api_key_file = /fk\n"),
	    LP_OK);
	assert_eq_int(s.azure_deployments, 1);
	assert_src(s.key_file, "/fk", "/home/u/.config/labelpipe/config:2");
	assert_true(s.key.value == NULL);
}

TEST(empty_variables_are_unset)
{
	const char *env[] = {"LP_API_BASE=", "OPENAI_BASE_URL=http://gw/v1",
	    "LP_API_KEY=", "OPENAI_API_KEY=k", NULL};

	assert_eq_int(resolve(NULL, env, NULL), LP_OK);
	assert_src(s.base, "http://gw/v1", "OPENAI_BASE_URL");
	assert_src(s.key, "k", "OPENAI_API_KEY");
}

TEST(org_and_project)
{
	const char *env[] = {"OPENAI_ORG_ID=org-env", NULL};

	assert_eq_int(resolve(NULL, env, CONFIG), LP_OK);
	assert_src(s.organization, "org-env", "OPENAI_ORG_ID");
	assert_src(
	    s.project, "proj-file", "/home/u/.config/labelpipe/config:7");
}

TEST(model_rows)
{
	const char *env[] = {"LP_MODEL=env-model", NULL}, *none[] = {NULL};
	struct lp_llm_value v;

	assert_eq_int(resolve(NULL, env, CONFIG), LP_OK);
	lp_llm_settings_model(&v, "cli-model", "LP_MODEL", LP_LLM_KEY_MODEL,
	    "gpt-4o", lookup, (void *)env, &file);
	assert_src(v, "cli-model", "--model");
	lp_llm_value_release(&v);
	lp_llm_settings_model(&v, NULL, "LP_MODEL", LP_LLM_KEY_MODEL, "gpt-4o",
	    lookup, (void *)env, &file);
	assert_src(v, "env-model", "LP_MODEL");
	lp_llm_value_release(&v);
	lp_llm_settings_model(&v, NULL, "LP_JUDGE_MODEL",
	    LP_LLM_KEY_JUDGE_MODEL, "gpt-4.1", lookup, (void *)env, &file);
	assert_src(v, "file-judge", "/home/u/.config/labelpipe/config:5");
	lp_llm_value_release(&v);
	lp_llm_settings_model(&v, NULL, "LP_MODEL", LP_LLM_KEY_MODEL, "gpt-4o",
	    lookup, (void *)none, NULL);
	assert_src(v, "gpt-4o", "default");
	lp_llm_value_release(&v);
}

/* A malformed line: its message names file and line. */
static void
bad(const char *text, const char *msg)
{
	lp_llm_file_release(&file);
	assert_eq_int(lp_llm_file_parse(&file, text, strlen(text), "cfg", &err),
	    LP_FAILED);
	assert_eq_str(err.msg, msg);
	lp_llm_file_release(&file);
}

TEST(file_malformed)
{
	bad("model = a\nmodel a\n",
	    "cfg:2: no '=' on this line (want 'key = value')");
	bad("\n\nmodle = a\n",
	    "cfg:3: unknown key 'modle' (known: api_base, azure_endpoint, "
	    "api_key_file, api_version, model, judge_model, organization, "
	    "project)");
	bad("model =\n", "cfg:1: 'model' has no value");
	bad("model = \"\"\n", "cfg:1: 'model' has no value");
	bad("model = a\n# x\nmodel = b\n",
	    "cfg:3: 'model' given twice (first on line 1)");
	bad("= a\n",
	    "cfg:1: unknown key '' (known: api_base, azure_endpoint, "
	    "api_key_file, api_version, model, judge_model, "
	    "organization, project)");
}

TEST(file_refuses_inline_key)
{
	bad("api_base = http://x/v1\napi_key = sk-SECRET-123\n",
	    "cfg:2: a key is never kept in the config file: name a file "
	    "readable by its owner only with 'api_key_file = PATH', or use "
	    "LP_API_KEY");
	bad("key=sk-SECRET\n",
	    "cfg:1: a key is never kept in the config file: name a file "
	    "readable by its owner only with 'api_key_file = PATH', or use "
	    "LP_API_KEY");
	/* The value is never echoed. */
	assert_true(strstr(err.msg, "SECRET") == NULL);
}

/* A line that is not "key = value" may be a key pasted in: never echoed. */
TEST(file_malformed_line_not_echoed)
{
	bad("model = a\nsk-proj-SECRET123456789\n",
	    "cfg:2: no '=' on this line (want 'key = value')");
	bad("api_key: sk-SECRET123456789\n",
	    "cfg:1: no '=' on this line (want 'key = value')");
	bad("api_key: c2stU0VDUkVUMTIzNDU2Nzg5=\n",
	    "cfg:1: unknown key, not shown as it is not a name (known: "
	    "api_base, azure_endpoint, api_key_file, api_version, model, "
	    "judge_model, organization, project)");
	bad("AIzaSECRET123456789012345 = x\n",
	    "cfg:1: unknown key, not shown as it is not a name (known: "
	    "api_base, azure_endpoint, api_key_file, api_version, model, "
	    "judge_model, organization, project)");
}

TEST(file_well_formed)
{
	const char *text = "  ; comment\r\n\t# another\n\n"
			   "model=m\r\n  api_base  =  http://x/v1  \n"
			   "project = p"; /* no final newline */

	assert_eq_int(
	    lp_llm_file_parse(&file, text, strlen(text), "cfg", &err), LP_OK);
	assert_eq_str(file.value[LP_LLM_KEY_MODEL], "m");
	assert_eq_int((int)file.line[LP_LLM_KEY_MODEL], 4);
	assert_eq_str(file.value[LP_LLM_KEY_API_BASE], "http://x/v1");
	assert_eq_str(file.value[LP_LLM_KEY_PROJECT], "p");
	lp_llm_file_release(&file);
	assert_eq_int(
	    lp_llm_file_parse(&file, "a\0b", 3, "cfg", &err), LP_FAILED);
	assert_eq_str(err.msg, "cfg:1: a NUL byte in the line");
	lp_llm_file_release(&file);
}

TEST(file_path)
{
	const char *x[] = {"XDG_CONFIG_HOME=/x", "HOME=/h", NULL};
	const char *rel[] = {"XDG_CONFIG_HOME=rel", "HOME=/h", NULL};
	const char *none[] = {NULL};
	char *p;

	p = lp_llm_file_path(lookup, (void *)x);
	assert_eq_str(p, "/x/labelpipe/config");
	free(p);
	p = lp_llm_file_path(lookup, (void *)rel);
	assert_eq_str(p, "/h/.config/labelpipe/config");
	free(p);
	assert_true(lp_llm_file_path(lookup, (void *)none) == NULL);
	lp_llm_settings_release(&s);
	lp_llm_file_release(&file);
}

RUN_TESTS()
