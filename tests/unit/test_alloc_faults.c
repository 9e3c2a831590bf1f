/*
 * Allocation failure walk (the curl/SQLite torture idea): runs a scan and a dump over a
 * small real collection once per allocation, failing that allocation, and checks that
 * every run ends with a status (never a crash); LeakSanitizer checks at exit that no
 * failure path leaked. The same for the file checks: their set-up and a scan with them.
 * Only in fault-injection (sanitizer) builds.
 */
#include "check.h"
#include "exhunt/exhunt.h"

#include <stdlib.h>

#ifdef XH_FAULT_INJECTION
void xh_debug_fail_alloc(long n);
bool xh_debug_fail_pending(void);

static xh_status sink(void *ud, const void *data, size_t len)
{
	(void)ud;
	(void)data;
	(void)len;
	return XH_OK;
}

static xh_status run(const char *ev, bool records, struct xh_files *files, struct xh_report *rep)
{
	struct xh_writer_opts wo = {.findings = true, .coverage = true, .records = records};
	struct xh_writer *w;
	struct xh_scan_opts so;
	struct xh_error err;
	xh_status st;

	st = xh_writer_new(records ? "jsonl" : "text", &wo, sink, NULL, &w);
	if (st)
		return st;
	xh_scan_opts_init(&so);
	so.jobs = 2;
	so.writer = w;
	so.files = files;
	st = xh_scan(&ev, 1, &so, rep, &err);
	xh_writer_free(w);
	return st;
}

/* The file checks: setting them up (YARA, hash list, allow-list) and a scan of the web
 * root (a China Chopper page, a benign page) with them, each allocation failed in turn. */
static void file_checks(const char *src)
{
	char ev[4096];
	struct xh_files *fc = NULL;
	struct xh_error err;
	struct xh_report full;
	unsigned setup_errors = 0, scan_clean = 0;
	long n;

	for (n = 0; n < 20000; n++) {
		xh_status st;
		xh_debug_fail_alloc(n);
		st = xh_files_new(&fc, &err);
		if (!st)
			st = xh_files_prepare(fc, &err);
		if (xh_debug_fail_pending()) {
			CHECK(st == XH_OK);
			break;
		}
		CHECK(st == XH_OK || st == XH_ENOMEM);
		setup_errors += st != XH_OK;
		xh_files_free(fc);
		fc = NULL;
	}
	xh_debug_fail_alloc(-1);
	CHECK(n > 5 && n < 20000);
	printf("file checks set-up: %ld allocations failed in turn, %u clean errors\n", n, setup_errors);
	if (!fc)
		CHECK(xh_files_new(&fc, &err) == XH_OK && xh_files_prepare(fc, &err) == XH_OK);
	snprintf(ev, sizeof ev, "%s/examples/collection/C/inetpub/wwwroot", src);
	CHECK(run(ev, false, fc, &full) == XH_OK && full.files_checked == 2 && full.findings[XH_LEVEL_CRITICAL] == 1);
	for (n = 0; n < 20000; n++) {
		struct xh_report rep;
		xh_status st;
		xh_debug_fail_alloc(n);
		st = run(ev, false, fc, &rep);
		if (xh_debug_fail_pending()) {
			CHECK(st == XH_OK && rep.files_checked == 2);
			xh_report_free(&rep);
			break;
		}
		CHECK(st == XH_OK || st == XH_ENOMEM || st == XH_EIO);
		if (st == XH_OK) {
			/* absorbed: nothing may be lost */
			CHECK(rep.files_checked == full.files_checked &&
			      rep.findings[XH_LEVEL_CRITICAL] == full.findings[XH_LEVEL_CRITICAL]);
			xh_report_free(&rep);
		} else {
			scan_clean++;
		}
	}
	xh_debug_fail_alloc(-1);
	xh_report_free(&full);
	CHECK(n > 10 && n < 20000);
	printf("file checks scan: %ld allocations failed in turn, %u clean errors\n", n, scan_clean);
	xh_files_free(fc);
}

int main(void)
{
	const char *src = getenv("XH_SRC");
	char ev[4096];

	if (!src)
		return 77;
	/* the ECP folder: Exchange CSV reader, EventData split, coverage, writers */
	snprintf(ev, sizeof ev, "%s/examples/collection/C/Program Files/Microsoft/Exchange Server/V15/Logging/ECP", src);
	for (int pass = 0; pass < 3; pass++) {
		long n;
		unsigned clean = 0, absorbed = 0;
		struct xh_report full;

		/* pass 2: a Windows event log (EVTX decoder, gzip, rules on events) */
		if (pass == 2)
			snprintf(ev, sizeof ev, "%s/tests/rules/px-w3wp-shell/match.high.sysmon-owa-pool-cmd.evtx.gz", src);
		/* what a run without failure reads */
		xh_debug_fail_alloc(-1);
		CHECK(run(ev, pass == 1, NULL, &full) == XH_OK);

		for (n = 0; n < 20000; n++) {
			struct xh_report rep;
			xh_status st;

			xh_debug_fail_alloc(n);
			st = run(ev, pass == 1, NULL, &rep);
			if (xh_debug_fail_pending()) {
				/* the n-th allocation is beyond the run: every one was walked */
				CHECK(st == XH_OK && rep.records > 0);
				xh_report_free(&rep);
				break;
			}
			CHECK(st == XH_OK || st == XH_ENOMEM || st == XH_EIO);
			if (st != XH_OK && st != XH_ENOMEM && st != XH_EIO)
				fprintf(stderr, "  allocation %ld: status %d (%s)\n", n, st, xh_strerror(st));
			if (st == XH_OK) {
				/* absorbed (e.g. a server path not decoded): nothing may be lost */
				absorbed++;
				CHECK(rep.records == full.records && rep.bad_records == full.bad_records &&
				      rep.files_read == full.files_read && rep.ngroups == full.ngroups);
				if (rep.records != full.records || rep.files_read != full.files_read)
					fprintf(stderr, "  allocation %ld: %llu records, %llu files read\n", n,
					        (unsigned long long)rep.records, (unsigned long long)rep.files_read);
				xh_report_free(&rep);
			} else {
				clean++;
				if (st == XH_ENOEVIDENCE)
					xh_report_free(&rep);
			}
		}
		xh_debug_fail_alloc(-1);
		xh_report_free(&full);
		printf("%s: %ld allocations failed in turn: %u clean errors, %u absorbed\n",
		       pass == 1 ? "dump" : pass == 2 ? "scan of an .evtx" : "scan", n, clean, absorbed);
		CHECK(n > 10 && n < 20000);
	}
	file_checks(src);
	return check_done();
}
#else
int main(void)
{
	puts("SKIP: not a fault-injection build");
	return 77;
}
#endif
