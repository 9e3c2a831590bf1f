/*
 * Data compiled into the library by cmake/embed_files.cmake: the shipped YARA rules
 * (the .yar files of rules/yara) and the file checks' lists (the .csv and .txt files of data/).
 */
#ifndef XH_EMBED_H
#define XH_EMBED_H

#include <stddef.h>

struct xh_embed_file {
	const char *name;              /* "rules/yara/10-exchange.yar", "data/bad_hashes.csv" */
	const unsigned char *data;     /* NUL-terminated */
	size_t len;
};

extern const struct xh_embed_file xh_embed_files[];
extern const size_t xh_embed_nfiles;

#endif
