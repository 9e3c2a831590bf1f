/*
 * The post-pass step for file findings (judge.h): what a file means next to the rest of
 * the evidence. A dump or an archive where attackers stage them is only as telling as
 * the intrusion next to it: an LSASS dump (high) next to a CVE-level hit of its host is
 * the intrusion's credential dump (critical); an archive in ProgramData, low alone
 * (product files live there), is high next to one. A CVE-level hit is exploitation or a
 * web shell at high or above, or anything critical: an administrator's virtual-directory
 * change (medium) is not one (Microsoft's Test-ProxyLogon came to the same rule after its
 * users' reports of vendor archives). A rogue virtual directory and a flagged page in the
 * folder it serves are both critical and say so.
 */
#include "judge/judge.h"

#include <string.h>
#include <strings.h>

/* An LSASS dump: by name, by signature, or a minidump where attackers write. */
static bool lsass(const struct xh_finding *f)
{
	return xh_finding_is_file(f) &&
	       (xh_finding_has_rule(f, "file-lsass-dump") || xh_finding_has_rule(f, "exh_lsass_minidump") || xh_finding_has_rule(f, "file-memory-dump"));
}

static const char *field(const struct xh_finding *f, const char *name, size_t *n)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0 && f->fields[i].value.p) {
			*n = f->fields[i].value.n;
			return f->fields[i].value.p;
		}
	return NULL;
}

static bool cve_level_hit(const struct xh_finding *f)
{
	return f->level == XH_LEVEL_CRITICAL ||
	       (f->level >= XH_LEVEL_HIGH &&
	        (xh_finding_has_tag_prefix(f, "cve.") || xh_finding_has_tag(f, "attack.t1505.003")));
}

xh_status xh_judge_files(struct xh_flist *l)
{
	xh_status st = XH_OK;
	bool intrusion = false;

	for (size_t j = 0; j < l->n && !intrusion; j++)
		intrusion = !lsass(l->f[j]) && !xh_finding_has_rule(l->f[j], "file-archive-in-programdata") &&
		            cve_level_hit(l->f[j]);
	/* an LSASS dump next to an intrusion: the credentials went with it */
	for (size_t i = 0; !st && intrusion && i < l->n; i++)
		if (lsass(l->f[i]) && l->f[i]->level == XH_LEVEL_HIGH)
			st = xh_flist_relevel(l, i, XH_LEVEL_CRITICAL,
			                      "next to exploitation or a web shell on this host: a credential dump of this intrusion");
	/* archives in ProgramData are product files, unless an intrusion is found */
	for (size_t i = 0; !st && intrusion && i < l->n; i++)
		if (xh_finding_has_rule(l->f[i], "file-archive-in-programdata") && l->f[i]->level == XH_LEVEL_LOW)
			st = xh_flist_relevel(l, i, XH_LEVEL_HIGH,
			                      "next to exploitation or a web shell on this host: possibly staged for exfiltration");
	/* a rogue vdir and a page in the folder it serves */
	for (size_t i = 0; !st && i < l->n; i++) {
		size_t n;
		const char *p;
		char dir[XH_FILES_MAX_ATTR];
		if (!xh_finding_has_rule(l->f[i], "config-rogue-vdir") || !(p = field(l->f[i], "served_folder", &n)) || n < 4 ||
		    n >= sizeof dir)
			continue;
		/* a copy: xh_flist_relevel() replaces the finding the field lives in */
		memcpy(dir, p, n);
		dir[n] = '\0';
		for (size_t j = 0; !st && j < l->n; j++) {
			const char *o = l->f[j]->origin;
			if (j == i || !xh_finding_is_file(l->f[j]) || !o || strlen(o) <= n ||
			    strncasecmp(o, dir, n) != 0 || o[n] != '\\' || xh_finding_has_rule(l->f[j], "config-rogue-vdir"))
				continue;
			/* said once per finding, whatever its level was */
			if (!l->f[j]->note || !strstr(l->f[j]->note, "virtual directory of the IIS"))
				st = xh_flist_relevel(l, j, XH_LEVEL_CRITICAL, "a virtual directory of the IIS configuration serves this folder");
			if (!st && (!l->f[i]->note || !strstr(l->f[i]->note, "the folder it serves")))
				st = xh_flist_relevel(l, i, XH_LEVEL_CRITICAL, "the folder it serves holds files the checks flagged");
		}
	}
	return st;
}
