/*
 * Collection layouts (layout.c): where a collected file was on the server.
 */
#ifndef XH_LAYOUT_H
#define XH_LAYOUT_H

#include "common/base.h"

#include <sys/types.h>

/* The path a file had on the server, from the collection layout: a drive folder "C"
 * (copied tree, KAPE), "C:" or URL-encoded "C%3A" (Velociraptor uploads/auto, and
 * "%5C%5C.%5CC%3A" for its ntfs accessor), with %XX decoded and '\' separators:
 * "uploads/auto/C%3A/inetpub/logs/x.log" -> "C:\inetpub\logs\x.log". NULL if none. */
XH_HIDDEN char *xh_path_origin(const char *path);
/* The collection an evidence path belongs to: the length of the folder that holds the
 * collection (0 for the evidence root itself), or -1 when the path shows no layout. The
 * folder above the drive folder of a copied tree or KAPE output; for Velociraptor the
 * folder above uploads/<accessor>/, and for a hunt's download the client's folder
 * (clients/C.<id>: all its collections are one host). */
XH_HIDDEN ssize_t xh_layout_collection(const char *path);

#endif
