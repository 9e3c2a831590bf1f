/*
 * The shipped rule pack (rules/ in the repository), compiled into the library by
 * cmake/embed_rules.cmake.
 */
#ifndef XH_PACK_H
#define XH_PACK_H

#include <stddef.h>

struct xh_pack_file {
	const char *name;              /* "rules/proxylogon/pl-55-01-ssrf-anchor.yml" */
	const unsigned char *data;     /* NUL-terminated */
	size_t len;
};

extern const struct xh_pack_file xh_pack_files[];
extern const size_t xh_pack_nfiles;

#endif
