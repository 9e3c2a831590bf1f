/*
 * The report's hosts (hosts.c): made from the walker's, fed per file, named at the end.
 */
#ifndef XH_SCAN_HOSTS_H
#define XH_SCAN_HOSTS_H

#include "evidence/vfs.h"

XH_HIDDEN xh_status xh_report_hosts_init(struct xh_report *r, const struct xh_vfs *v);
/* The server one file's records name (NULL or "" for none), for its host. */
XH_HIDDEN void xh_report_host_file(struct xh_host *h, const char *server);
/* After the last file: hosts the evidence could not name take the server their records
 * name; name_differs for hosts whose records name only other servers. */
XH_HIDDEN void xh_report_hosts_finish(struct xh_report *r);
XH_HIDDEN void xh_report_hosts_free(struct xh_report *r);

#endif
