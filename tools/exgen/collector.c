/*
 * exgen: the collector's own files for --layout kape (the console log) and
 * --layout velociraptor (collection_context.json; a fleet host also gets the
 * client_info.json an offline collector writes, with the host name).
 */
#include "exgen.h"

#include <inttypes.h>
#include <stdio.h>

/* The Windows the server runs, as KAPE names it. */
static const char *os_name(const Gen *g)
{
	return g->h.b[0].minor >= 2 ? "Windows2019Server (10.0.17763)" : "Windows2016Server (10.0.14393)";
}

/* client_info.json as a Velociraptor offline collector writes it: the info() plugin's
 * row (host name and FQDN among it) plus the collector's name and build, indented
 * with one space as Velociraptor's JSON writer does. */
static void client_info(Gen *g, int64_t now_s)
{
	char buf[2048];
	bool s19 = g->h.b[0].minor >= 2;
	uint64_t id = mix3(g->seed, 5, 6);
	int k = snprintf(buf, sizeof buf,
	                 "{\n \"Hostname\": \"%s\",\n \"Uptime\": %" PRIu64 ",\n \"BootTime\": %" PRId64
	                 ",\n \"Procs\": %u,\n \"OS\": \"windows\",\n \"Platform\": \"Microsoft Windows Server %s Standard\",\n"
	                 " \"PlatformFamily\": \"Server\",\n \"PlatformVersion\": \"%s\",\n \"KernelVersion\": \"%s\",\n"
	                 " \"VirtualizationSystem\": \"\",\n \"VirtualizationRole\": \"\",\n \"HostID\": \"%08x-%04x-%04x-%04x-%012" PRIx64
	                 "\",\n \"Exe\": \"C:\\\\Tools\\\\Collector_velociraptor-v0.7.0-windows-amd64.exe\",\n \"IsAdmin\": true,\n"
	                 " \"Fqdn\": \"%s\",\n \"Architecture\": \"amd64\",\n \"Name\": \"velociraptor\",\n"
	                 " \"BuildTime\": \"2023-08-07T07:17:24Z\",\n \"build_url\": \"\"\n}",
	                 g->h.name, (uint64_t)(86400 * 12 + id % 86400), (int64_t)(now_s - 86400 * 12 - (int64_t)(id % 86400)),
	                 140 + (unsigned)(id % 60), s19 ? "2019" : "2016", s19 ? "1809 Build 17763" : "1607 Build 14393",
	                 s19 ? "10.0.17763 Build 17763" : "10.0.14393 Build 14393", (unsigned)(id >> 32), (unsigned)(id >> 16) & 0xFFFF,
	                 (unsigned)id & 0xFFFF, (unsigned)(id >> 48), (uint64_t)(id & 0xFFFFFFFFFFFFULL), g->h.fqdn);
	write_whole(g, "client_info.json", false, buf, (size_t)k);
}

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
		    "Command line:   --tsource C: --tdest E:\\Collections\\%s --target Exchange,IISLogFiles,WebServers --vss false\r\n"
		    "\r\n"
		    "System info: Machine name: %s, 64-bit: True, User: ir-admin OS: %s\r\n"
		    "\r\n"
		    "Using Target operations\r\n"
		    "Found 3 targets. Expanding targets to file list...\r\n"
		    "Target 'Exchange' with Id '5ecb8ae4-0ef0-4b08-a6ba-2c3ba6a1b3c3' already processed. Skipping!\r\n"
		    "Found %" PRIu64 " files in %.3f seconds. Beginning copy...\r\n"
		    "Copied %" PRIu64 " (%" PRIu64 " bytes) out of %" PRIu64 " files in %.4f seconds.\r\n"
		    "\r\n"
		    "Total execution time: %.4f seconds\r\n",
		    g->h.name, g->h.name, os_name(g), files, 1.0 + (double)(files % 997) / 1000.0, files, bytes, files, 4.0 + (double)(bytes % 9973) / 1000.0,
		    6.0 + (double)(bytes % 9973) / 1000.0);
		write_whole(g, name, false, buf, (size_t)k);
	} else if (g->layout == L_VELO) {
		int64_t us = (cday * MS_DAY + 10 * MS_HOUR + 15 * 60000) * 1000;
		int k = snprintf(buf, sizeof buf,
		                 "{\"client_id\":\"C.%016" PRIx64 "\",\"session_id\":\"F.C%013" PRIX64 "\","
		                 "\"request\":{\"artifacts\":[\"Windows.KapeFiles.Targets\"],\"creator\":\"ir-admin\"},"
		                 "\"create_time\":%" PRId64 ",\"active_time\":%" PRId64 ",\"hostname\":\"%s\","
		                 "\"artifacts_with_results\":[\"Windows.KapeFiles.Targets/Uploads\"],"
		                 "\"total_uploaded_files\":%" PRIu64 ",\"total_uploaded_bytes\":%" PRIu64
		                 ",\"state\":\"FINISHED\"}\n",
		                 mix3(g->seed, 1, 2), (uint64_t)(mix3(g->seed, 3, 4) & 0xFFFFFFFFFFFFFULL), us, (int64_t)(us + 183000000),
		                 g->h.name, files, bytes);
		write_whole(g, "collection_context.json", false, buf, (size_t)k);
		if (g->fleet)
			client_info(g, us / 1000000);
	}
}
