/*
 * The hosts of the evidence (hosts.c): one per server's collection, found from the
 * collection layouts, named by the caller, by the collector's own metadata or by the
 * collection's folder; every entry of the walker belongs to one.
 */
#ifndef XH_HOSTS_H
#define XH_HOSTS_H

#include "evidence/vfs.h"

/* Builds v->hosts and sets every entry's host. names: the caller's (--host); a name
 * whose path holds no collection is an error (XH_ENOTFOUND, err says which). */
XH_HIDDEN xh_status xh_hosts_build(struct xh_vfs *v, const struct xh_host_name *names, size_t nnames,
                                   struct xh_error *err);

/* The host name a collector's metadata file states, into out (cap bytes, NUL-terminated):
 * Velociraptor's client_info.json / collection_context.json ("Hostname", "hostname",
 * "Fqdn") or KAPE's *_ConsoleLog.txt ("Machine name: EXCH01,"). base: the file's name.
 * false when the file is not one of these or names no usable host. Exposed for tests and
 * fuzzing. */
XH_HIDDEN bool xh_collector_hostname(const char *base, const char *text, size_t n, char *out, size_t cap);
/* Whether s[0..n) can be a host name in a report: 1 to XH_MAX_HOST_NAME bytes, letters,
 * digits, '-', '_', '.', no leading or trailing dot. */
XH_HIDDEN bool xh_host_name_ok(const char *s, size_t n);

#endif
