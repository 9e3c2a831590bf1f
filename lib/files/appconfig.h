/*
 * IIS configuration checks (applicationHost.config, web.config): rogue virtual
 * directories (PS-06), static extensions mapped to a script handler, Microsoft's
 * ProxyLogon and ProxyNotShell URL Rewrite mitigations present or absent (PL-55-05,
 * PNS-02) and vdir web.configs that clear the inherited rewrite rules.
 */
#ifndef XH_APPCONFIG_H
#define XH_APPCONFIG_H

#include "common/base.h"

enum {
	XH_CFG_SITE_LEVEL = 1, /* applicationHost.config or the Default Web Site's web.config:
	                          say whether each mitigation is there or not */
	XH_CFG_HTTPPROXY = 2,  /* a vdir web.config under FrontEnd\HttpProxy */
};

struct xh_cfg_hit {
	const char *rule_id, *rule_name, *title;   /* static texts */
	enum xh_level level;
	const char *tags;                           /* space separated, static */
	uint64_t line;                              /* 1-based line of the element */
	uint64_t offset;
	struct xh_sv excerpt;                       /* the element as written (view into the file) */
	struct xh_kv fields[XH_FILES_MAX_CONFIG_FIELDS];     /* values decoded, valid during the callback */
	size_t nfields;
	const char *phys;                           /* rogue vdir: its folder, lower case, '\'
	                                               ("c:\programdata\com1"); else NULL */
};

typedef xh_status (*xh_cfg_hit_fn)(void *ud, const struct xh_cfg_hit *h);

/* Reads the configuration text p[0..n) (a tolerant tag scanner: malformed XML ends the
 * scan, never the process) and calls fn for every finding. mode: XH_CFG_* bits. */
XH_HIDDEN xh_status xh_cfg_check(const char *p, size_t n, unsigned mode, xh_cfg_hit_fn fn, void *ud);

#endif
