/*
 * File-name words the file checks share: a path's base name and extension, the page
 * types IIS runs as script (and the six of Microsoft's list), lists of names, and the
 * device-like folder names (COM1, CON, AUX...) of the ProxyShell-era rogue vdirs.
 * libc only; every other file of files/ may use it, it uses none of them.
 */
#ifndef XH_FILES_NAMES_H
#define XH_FILES_NAMES_H

#include "common/base.h"

/* The part after the last '/', or the whole path. */
XH_HIDDEN const char *xh_files_base_name(const char *path);
/* From the last '.' of name ("" when none). */
XH_HIDDEN const char *xh_files_ext(const char *name);
/* Whether name's extension is one of exts (NULL-terminated, caseless). */
XH_HIDDEN bool xh_files_ext_in(const char *name, const char *const *exts);
/* Whether name equals one of list (NULL-terminated, caseless). */
XH_HIDDEN bool xh_files_in_list(const char *name, const char *const *list);
/* Whether name ends with suffix (caseless) and is longer than it. */
XH_HIDDEN bool xh_files_ends_with(const char *name, const char *suffix);

/* The six page types of Microsoft's list (indicators.md 3.1.1). */
extern XH_HIDDEN const char *const xh_files_ms_script_exts[];
/* Every page type IIS runs as script. */
extern XH_HIDDEN const char *const xh_files_script_exts[];

/* Whether s[0..n), in lower case, is a device-like folder name: COM, CON, AUX, PRN, NUL,
 * COM1..COM9, LPT1..LPT9, and the WHO, ZING, ZOO, XYZ folders seen beside them. */
XH_HIDDEN bool xh_files_device_name(const char *s, size_t n);

#endif
