/* libFuzzer target: the file checks' entry point on a buffer, as the scan runs it on a
 * file: hashes, allow-list, names and places, the shipped YARA rules and, for .config
 * names, the configuration checks. The first byte picks the file's name and place (an
 * Exchange page, aspnet_client, a config, an LSASS dump name, ...), the rest is its
 * content; every finding is deep-copied, as the scan does. */
#include "files/tap.h"
#include "evidence/vfs.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/logon.aspx",
	"C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/x7Kq2mP9.aspx",
	"C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/web.config",
	"C/Program Files/Microsoft/Exchange Server/V15/ClientAccess/ecp/about.aspx",
	"C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Owa/x.log",
	"C/inetpub/wwwroot/aspnet_client/system_web/a.aspx",
	"C/inetpub/wwwroot/web.config",
	"C/inetpub/wwwroot/x.dmp.zip",
	"C/Windows/System32/inetsrv/config/applicationHost.config",
	"C/Windows/Temp/lsass.dmp",
	"C/ProgramData/COM1/a.aspx",
	"C/ProgramData/VSPerfMon/a.7z",
	"C/Users/Public/opera/Opera_browser.exe",
	"C/root/x.bin",
	"loose/file.txt",
	"loose/image.png",
};

static struct xh_files *fc;
static struct xh_files_scan *scan;
static struct xh_files_worker *worker;
static char *origins[sizeof paths / sizeof paths[0]];

static void at(void *ud, size_t i, const char **path, const char **origin)
{
	(void)ud;
	*path = paths[i];
	*origin = origins[i];
}

static xh_status keep(void *ud, const struct xh_finding *f)
{
	struct xh_finding *d = xh_finding_dup(f);
	(void)ud;
	if (!d || !d->title || !d->rule_id)
		abort();
	xh_finding_free(d);
	return XH_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xh_files_file f;
	struct xh_files_counts st = {0, 0, 0};
	size_t k;

	if (!worker) {
		struct xh_error err;
		for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
			origins[i] = xh_path_origin(paths[i]);
		if (xh_files_new(&fc, &err) || !xh_files_set_max_scan(fc, 64u << 10) ||
		    xh_files_scan_new(fc, sizeof paths / sizeof paths[0], at, NULL, &scan, &err) ||
		    xh_files_worker_new(scan, &worker))
			abort();
	}
	if (size == 0)
		return 0;
	k = data[0] % (sizeof paths / sizeof paths[0]);
	f = (struct xh_files_file){paths[k], origins[k], 1614754760, (data[0] & 0x80) != 0, size - 1,
	                        xh_source_find((data[0] & 0x40) ? "text" : "unknown")};
	xh_files_begin(worker, &f);
	/* fed in two pieces, as reads arrive */
	xh_files_feed(worker, data + 1, (size - 1) / 2);
	xh_files_feed(worker, data + 1 + (size - 1) / 2, size - 1 - (size - 1) / 2);
	if (xh_files_check(worker, true, (data[0] & 0x20) && size > 40, keep, NULL, &st) != XH_OK || st.checked != 1)
		abort();
	return 0;
}
