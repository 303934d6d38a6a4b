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

#endif
