/*
 * Collection layouts (layout.c): where a collected file was on the server.
 */
#ifndef XH_LAYOUT_H
#define XH_LAYOUT_H

#include "common/base.h"

/* The path a file had on the server, from the collection layout: a drive folder "C"
 * (copied tree, KAPE), "C:" or URL-encoded "C%3A" (Velociraptor uploads/auto, and
 * "%5C%5C.%5CC%3A" for its ntfs accessor), with %XX decoded and '\' separators:
 * "uploads/auto/C%3A/inetpub/logs/x.log" -> "C:\inetpub\logs\x.log". NULL if none. */
XH_HIDDEN char *xh_path_origin(const char *path);

#endif
