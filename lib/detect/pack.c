/*
 * Loading the shipped rule pack from its embedded copy (pack.h): `exhunt scan` runs it
 * by default, so the binary alone is the whole tool. Rule paths read "builtin:rules/...".
 */
#include "detect/pack.h"
#include "detect/rules.h"

#include <stdio.h>

xh_status xh_rules_load_builtin(struct xh_rules *rs, xh_rule_reject_fn cb, void *ud)
{
	char name[XH_MAX_PACK_NAME];
	xh_status st = XH_OK;

	for (size_t i = 0; !st && i < xh_pack_nfiles; i++) {
		snprintf(name, sizeof name, "builtin:%s", xh_pack_files[i].name);
		st = xh_rules_load_text(rs, name, (const char *)xh_pack_files[i].data, xh_pack_files[i].len, cb, ud);
	}
	return st;
}

size_t xh_rules_builtin_files(void)
{
	return xh_pack_nfiles;
}
