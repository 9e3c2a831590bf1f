/*
 * The post-pass step for file findings (judge.h): what a file means next to the rest of
 * the evidence. An LSASS dump next to other high findings is the intrusion's credential
 * dump (critical); an archive in ProgramData, low alone (product files live there), is
 * high once anything at medium or above is found; a rogue virtual directory and a
 * flagged page in the folder it serves are both critical and say so.
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

xh_status xh_judge_files(struct xh_flist *l)
{
	xh_status st = XH_OK;

	/* an LSASS dump next to other high findings: the credentials went with the intrusion */
	for (size_t i = 0; !st && i < l->n; i++) {
		bool other = false;
		if (!lsass(l->f[i]) || l->f[i]->level != XH_LEVEL_HIGH)
			continue;
		for (size_t j = 0; j < l->n && !other; j++)
			other = j != i && !lsass(l->f[j]) && l->f[j]->level >= XH_LEVEL_HIGH;
		if (other)
			st = xh_flist_relevel(l, i, XH_LEVEL_CRITICAL, "other findings at high or above: a credential dump of this intrusion");
	}
	/* archives in ProgramData are product files, until anything else is found */
	for (size_t i = 0; !st && i < l->n; i++) {
		bool other = false;
		if (!xh_finding_has_rule(l->f[i], "file-archive-in-programdata") || l->f[i]->level != XH_LEVEL_LOW)
			continue;
		for (size_t j = 0; j < l->n && !other; j++)
			other = !xh_finding_has_rule(l->f[j], "file-archive-in-programdata") && l->f[j]->level >= XH_LEVEL_MEDIUM;
		if (other)
			st = xh_flist_relevel(l, i, XH_LEVEL_HIGH, "other findings at medium or above: possibly staged for exfiltration");
	}
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
