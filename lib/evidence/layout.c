/*
 * Collection layouts: the path a file had on the server, from where a collector put it.
 * A drive folder "C" (copied tree, KAPE), "C:" or URL-encoded "C%3A" (Velociraptor
 * uploads/auto, and "%5C%5C.%5CC%3A" for its ntfs accessor):
 * "uploads/auto/C%3A/inetpub/logs/x.log" -> "C:\inetpub\logs\x.log".
 */
#include "evidence/layout.h"
#include "common/decode.h"

#include <strings.h>

/* A drive component: "C", "C:", "C%3A", "\\.\C:" (decoded); returns the letter or 0. */
static char drive_of(const char *dec, size_t n, bool bare_ok)
{
	if (n >= 4 && memcmp(dec, "\\\\.\\", 4) == 0) {
		dec += 4;
		n -= 4;
	}
	if (n == 2 && dec[1] == ':' && ((dec[0] >= 'A' && dec[0] <= 'Z') || (dec[0] >= 'a' && dec[0] <= 'z')))
		return dec[0];
	if (bare_ok && n == 1 && ((dec[0] >= 'A' && dec[0] <= 'Z') || (dec[0] >= 'a' && dec[0] <= 'z')))
		return dec[0];
	return 0;
}

/* The drive component of an evidence path: its start (and *letter), or NULL. A bare
 * letter only counts when a Windows top folder follows, so a folder named "C" elsewhere
 * is not taken for a drive. comp is scratch of XH_MAX_PATH bytes. */
static const char *find_drive(const char *path, struct xh_buf *comp, char *letter)
{
	static const char *const tops[] = {"inetpub", "Program Files", "Program%20Files", "Windows",
	                                   "ProgramData", "Users", "Exchange", "root", NULL};

	for (const char *p = path; *p;) {
		const char *slash = strchr(p, '/');
		if (!slash)
			break;
		comp->len = 0;
		if (xh_pct_decode(comp, p, (size_t)(slash - p), false)) {
			bool top = false;
			for (size_t i = 0; tops[i]; i++) {
				size_t tl = strlen(tops[i]);
				if (strncasecmp(slash + 1, tops[i], tl) == 0 && (slash[1 + tl] == '/' || slash[1 + tl] == '\0'))
					top = true;
			}
			*letter = drive_of(comp->p, comp->len, top);
			if (*letter)
				return p;
		}
		p = slash + 1;
	}
	return NULL;
}

char *xh_path_origin(const char *path)
{
	struct xh_buf comp, out;
	const char *p, *rest;
	char drive = 0;
	char *res = NULL;

	xh_buf_init(&comp, XH_MAX_PATH);
	xh_buf_init(&out, XH_MAX_PATH);
	p = find_drive(path, &comp, &drive);
	if (!p)
		goto out;
	rest = strchr(p, '/') + 1;
	if (xh_buf_addc(&out, drive) || xh_buf_addc(&out, ':'))
		goto out;
	for (p = rest; *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (xh_buf_addc(&out, '\\') || !xh_pct_decode(&out, p, n, false))
			goto out;
		p += n + (slash ? 1 : 0);
	}
	if (xh_buf_addc(&out, '\0'))
		goto out;
	res = out.p;
	out.p = NULL;
out:
	xh_buf_free(&comp);
	xh_buf_free(&out);
	return res;
}

/* The length of the folder before the last component of path[0..n) ("a/b/c" -> 3), or 0. */
static size_t parent_len(const char *path, size_t n)
{
	while (n > 0 && path[n - 1] != '/')
		n--;
	return n ? n - 1 : 0;
}

/* Whether the last component of path[0..n) is lit (case-insensitive). */
static bool last_is(const char *path, size_t n, const char *lit)
{
	size_t k = strlen(lit), at = n ? parent_len(path, n) : 0;
	size_t start = at ? at + 1 : 0;
	return n - start == k && strncasecmp(path + start, lit, k) == 0;
}

/* Whether the last component of path[0..n) starts with lit. */
static bool last_starts(const char *path, size_t n, const char *lit)
{
	size_t at = parent_len(path, n), start = at ? at + 1 : 0, k = strlen(lit);
	return n - start > k && strncmp(path + start, lit, k) == 0;
}

ssize_t xh_layout_collection(const char *path)
{
	struct xh_buf comp;
	const char *drive;
	char letter;
	size_t n;

	xh_buf_init(&comp, XH_MAX_PATH);
	drive = find_drive(path, &comp, &letter);
	xh_buf_free(&comp);
	if (!drive)
		return -1;
	n = drive > path ? (size_t)(drive - path) - 1 : 0;
	/* Velociraptor: <collection>/uploads/<accessor>/C%3A/... */
	if (n && !last_is(path, n, "uploads") && last_is(path, parent_len(path, n), "uploads"))
		n = parent_len(path, parent_len(path, n));
	/* a hunt's download: <hunt>/clients/C.<id>/collections/F.<id>/uploads/...: the
	 * collections of one client are one host */
	if (n && last_starts(path, n, "F.") && last_is(path, parent_len(path, n), "collections")) {
		size_t client = parent_len(path, parent_len(path, n));
		if (last_starts(path, client, "C."))
			n = client;
	}
	return (ssize_t)n;
}
