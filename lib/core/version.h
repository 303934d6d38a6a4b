/*
 * The version of liblp and of what it is linked with.  The same text feeds
 * every tool's --version and the run_start event of the audit log, so a
 * record's lineage step can be traced to the exact libraries.
 */
#ifndef LP_CORE_VERSION_H
#define LP_CORE_VERSION_H

#ifndef LP_VERSION
#define LP_VERSION "0.1.0"
#endif

/* "lp-clean 0.1.0 (liblp 0.1.0; jansson 2.14; zlib 1.2.13)". */
const char *lp_version_details(const char *tool);
/*
 * Every library liblp is linked with, as curl -V lists them, for
 * --version after lp_version_details()'s line: "Libraries: liblp/0.1.0
 * jansson/2.14 zlib/1.2.13 libcurl/7.88.1 OpenSSL/3.0.11 gumbo/0.10.1
 * utf8proc/2.6.0" (versions at run time; gumbo's as built, it has no
 * call for it).
 */
const char *lp_version_libraries(void);

#endif
