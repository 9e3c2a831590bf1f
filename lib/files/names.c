/*
 * File-name words of the file checks (names.h): base names, extensions, the script page
 * types, name lists and the device-like folder names.
 */
#include "files/names.h"

#include <strings.h>

const char *const xh_files_ms_script_exts[] = {".aspx", ".ashx", ".asmx", ".asax", ".ascx", ".master", NULL};
const char *const xh_files_script_exts[] = {".aspx", ".ashx", ".asmx", ".asax",   ".ascx", ".master", ".asp",
                                            ".svc",  ".cshtml", ".vbhtml", ".soap", ".rem", NULL};

const char *xh_files_base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

const char *xh_files_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? dot : "";
}

bool xh_files_ext_in(const char *name, const char *const *exts)
{
	const char *e = xh_files_ext(name);
	for (size_t i = 0; exts[i]; i++)
		if (strcasecmp(e, exts[i]) == 0)
			return true;
	return false;
}

bool xh_files_in_list(const char *name, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcasecmp(name, list[i]) == 0)
			return true;
	return false;
}

bool xh_files_ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n > k && strcasecmp(name + n - k, suffix) == 0;
}

bool xh_files_device_name(const char *s, size_t n)
{
	static const char *const names[] = {"com", "con", "aux", "prn", "nul", "who", "zing", "zoo", "xyz", NULL};
	for (size_t i = 0; names[i]; i++) {
		size_t l = strlen(names[i]);
		if (n == l && strncmp(s, names[i], l) == 0)
			return true;
	}
	/* COM1..COM9, LPT1..LPT9 */
	return n == 4 && (strncmp(s, "com", 3) == 0 || strncmp(s, "lpt", 3) == 0) && s[3] >= '0' && s[3] <= '9';
}
