/*
 * exgen: the collector's own files for --layout kape (the console log) and
 * --layout velociraptor (collection_context.json).
 */
#include "exgen.h"

#include <inttypes.h>
#include <stdio.h>

void write_collector_files(Gen *g)
{
	int64_t cday = g->start_day + g->days_done; /* collected the morning after the last day */
	int y;
	unsigned m, d;
	civil_from_days(cday, &y, &m, &d);
	uint64_t files = 0, bytes = 0;
	for (size_t i = 0; i < g->nrecs; i++) {
		files++;
		bytes += g->recs[i].bytes;
	}
	char buf[4096];
	if (g->layout == L_KAPE) {
		char name[64];
		snprintf(name, sizeof name, "%04d-%02u-%02uT101500_ConsoleLog.txt", y, m, d);
		int k = snprintf(
		    buf, sizeof buf,
		    "KAPE version 1.0.0.3, Author: Eric Zimmerman, Contact: https://www.kroll.com/kape (kape@kroll.com)\r\n"
		    "\r\n"
		    "KAPE directory: C:\\Tools\\KAPE\r\n"
		    "Command line:   --tsource C: --tdest E:\\Collections\\EXCH01 --target Exchange,IISLogFiles,WebServers --vss false\r\n"
		    "\r\n"
		    "System info: Machine name: EXCH01, 64-bit: True, User: ir-admin OS: Windows2016Server (10.0.14393)\r\n"
		    "\r\n"
		    "Using Target operations\r\n"
		    "Found 3 targets. Expanding targets to file list...\r\n"
		    "Target 'Exchange' with Id '5ecb8ae4-0ef0-4b08-a6ba-2c3ba6a1b3c3' already processed. Skipping!\r\n"
		    "Found %" PRIu64 " files in %.3f seconds. Beginning copy...\r\n"
		    "Copied %" PRIu64 " (%" PRIu64 " bytes) out of %" PRIu64 " files in %.4f seconds.\r\n"
		    "\r\n"
		    "Total execution time: %.4f seconds\r\n",
		    files, 1.0 + (double)(files % 997) / 1000.0, files, bytes, files, 4.0 + (double)(bytes % 9973) / 1000.0,
		    6.0 + (double)(bytes % 9973) / 1000.0);
		write_whole(g, name, false, buf, (size_t)k);
	} else if (g->layout == L_VELO) {
		int64_t us = (cday * MS_DAY + 10 * MS_HOUR + 15 * 60000) * 1000;
		int k = snprintf(buf, sizeof buf,
		                 "{\"client_id\":\"C.%016" PRIx64 "\",\"session_id\":\"F.C%013" PRIX64 "\","
		                 "\"request\":{\"artifacts\":[\"Windows.KapeFiles.Targets\"],\"creator\":\"ir-admin\"},"
		                 "\"create_time\":%" PRId64 ",\"active_time\":%" PRId64 ",\"hostname\":\"EXCH01\","
		                 "\"artifacts_with_results\":[\"Windows.KapeFiles.Targets/Uploads\"],"
		                 "\"total_uploaded_files\":%" PRIu64 ",\"total_uploaded_bytes\":%" PRIu64
		                 ",\"state\":\"FINISHED\"}\n",
		                 mix3(g->seed, 1, 2), (uint64_t)(mix3(g->seed, 3, 4) & 0xFFFFFFFFFFFFFULL), us, (int64_t)(us + 183000000), files,
		                 bytes);
		write_whole(g, "collection_context.json", false, buf, (size_t)k);
	}
}
