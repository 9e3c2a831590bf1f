/*
 * Sigma logsources for Windows event logs: which events a `product: windows` rule runs
 * on. A `service` names a log (channel, or the provider writing it); a `category` names
 * an event kind, which SigmaHQ's regression CI (tests/thor.yml) maps to a channel plus
 * EventIDs, with field renames where the built-in log names a field differently:
 *
 *   process_creation -> Sysmon EventID 1, and Security EventID 4688 with
 *                       Image -> NewProcessName, ParentImage -> ParentProcessName
 *   antivirus        -> Defender 1006..1019/1115/1116 with Signature -> ThreatName,
 *                       Filename -> Path
 *   msexchange-management -> channel "MSExchange Management", provider
 *                       "MSExchange CmdletLogs"
 *
 * A category with several thor.yml entries (process_creation, registry_event, ...) gives
 * a rule one variant per entry; rules.c compiles each variant as its own rule, since
 * field names resolve differently per variant. tests/unit/test_evtx.c checks this
 * table against thor.yml itself.
 */
#include "detect/winlog.h"

#include <strings.h>

#define CH(...) ((const char *const[]){__VA_ARGS__, NULL})
#define EIDS(...) ((const long[]){__VA_ARGS__, -1})
#define REN(...) ((const struct xh_rename[]){__VA_ARGS__, {NULL, NULL}})

#define SYSMON_CH CH("Microsoft-Windows-Sysmon/Operational")
#define SYSMON_PR CH("Microsoft-Windows-Sysmon")
#define PS_CH CH("Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational")
#define PS_PR CH("Microsoft-Windows-PowerShell", "PowerShellCore")
#define DEFENDER_CH CH("Microsoft-Windows-Windows Defender/Operational")
#define DEFENDER_PR CH("Microsoft-Windows-Windows Defender")

/* Services: channel names as Windows writes them, and the providers of those logs. */
static const struct xh_winsource services[] = {
	{"security", "Security", CH("Security"), CH("Microsoft-Windows-Security-Auditing", "Microsoft-Windows-Eventlog"), NULL, NULL, NULL, NULL},
	{"system", "System", CH("System"), NULL, NULL, NULL, NULL, NULL},
	{"application", "Application", CH("Application"), NULL, NULL, NULL, NULL, NULL},
	{"sysmon", "Sysmon", SYSMON_CH, SYSMON_PR, NULL, NULL, NULL, NULL},
	{"powershell", "PowerShell", PS_CH, PS_PR, NULL, NULL, NULL, NULL},
	{"powershell-classic", "Windows PowerShell", CH("Windows PowerShell"), CH("PowerShell"), NULL, NULL, NULL, NULL},
	{"msexchange-management", "MSExchange Management", CH("MSExchange Management"), CH("MSExchange CmdletLogs"), NULL, NULL, NULL, NULL},
	{"iis-configuration", "IIS configuration", CH("Microsoft-IIS-Configuration/Operational"), CH("Microsoft-IIS-Configuration"), NULL, NULL, NULL, NULL},
	{"windefend", "Defender", DEFENDER_CH, DEFENDER_PR, NULL, NULL, NULL, NULL},
	{"taskscheduler", "Task Scheduler", CH("Microsoft-Windows-TaskScheduler/Operational"), CH("Microsoft-Windows-TaskScheduler"), NULL, NULL, NULL, NULL},
	{"wmi", "WMI", CH("Microsoft-Windows-WMI-Activity/Operational"), CH("Microsoft-Windows-WMI-Activity"), NULL, NULL, NULL, NULL},
	{"ntlm", "NTLM", CH("Microsoft-Windows-NTLM/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"dhcp", "DHCP server", CH("Microsoft-Windows-DHCP-Server/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"printservice-admin", "PrintService admin", CH("Microsoft-Windows-PrintService/Admin"), NULL, NULL, NULL, NULL, NULL},
	{"printservice-operational", "PrintService", CH("Microsoft-Windows-PrintService/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"smbclient-security", "SMB client security", CH("Microsoft-Windows-SmbClient/Security"), NULL, NULL, NULL, NULL, NULL},
	{"smbclient-connectivity", "SMB client connectivity", CH("Microsoft-Windows-SmbClient/Connectivity"), NULL, NULL, NULL, NULL, NULL},
	{"smbserver-connectivity", "SMB server connectivity", CH("Microsoft-Windows-SMBServer/Connectivity"), NULL, NULL, NULL, NULL, NULL},
	{"terminalservices-localsessionmanager", "TS LocalSessionManager", CH("Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"codeintegrity-operational", "CodeIntegrity", CH("Microsoft-Windows-CodeIntegrity/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"applocker", "AppLocker", CH("Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker/EXE and DLL", "Microsoft-Windows-AppLocker/Packaged app-Deployment", "Microsoft-Windows-AppLocker/Packaged app-Execution"), NULL, NULL, NULL, NULL, NULL},
	{"firewall-as", "Firewall", CH("Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"), NULL, NULL, NULL, NULL, NULL},
	{"bits-client", "BITS client", CH("Microsoft-Windows-Bits-Client/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"security-mitigations", "Security mitigations", CH("Microsoft-Windows-Security-Mitigations/Kernel Mode", "Microsoft-Windows-Security-Mitigations/User Mode"), NULL, NULL, NULL, NULL, NULL},
	{"diagnosis-scripted", "Diagnosis scripted", CH("Microsoft-Windows-Diagnosis-Scripted/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"shell-core", "Shell core", CH("Microsoft-Windows-Shell-Core/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"openssh", "OpenSSH", CH("OpenSSH/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"ldap", "LDAP client debug", CH("Microsoft-Windows-LDAP-Client/Debug"), NULL, NULL, NULL, NULL, NULL},
	{"bitlocker", "BitLocker", CH("Microsoft-Windows-BitLocker/BitLocker Management"), NULL, NULL, NULL, NULL, NULL},
	{"vhdmp", "VHDMP", CH("Microsoft-Windows-VHDMP-Operational"), NULL, NULL, NULL, NULL, NULL},
	{"appxdeployment-server", "AppX deployment server", CH("Microsoft-Windows-AppXDeploymentServer/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"lsa-server", "LSA server", CH("Microsoft-Windows-LSA/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"appxpackaging-om", "AppX packaging", CH("Microsoft-Windows-AppxPackaging/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"dns-client", "DNS client", CH("Microsoft-Windows-DNS Client Events/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"appmodel-runtime", "AppModel runtime", CH("Microsoft-Windows-AppModel-Runtime/Admin"), NULL, NULL, NULL, NULL, NULL},
	{"capi2", "CAPI2", CH("Microsoft-Windows-CAPI2/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"certificateservicesclient-lifecycle-system", "Certificate lifecycle", CH("Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"kernel-shimengine", "Kernel shim engine", CH("Microsoft-Windows-Kernel-ShimEngine/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"application-experience", "Application experience", CH("Microsoft-Windows-Application-Experience/Program-Telemetry", "Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant"), NULL, NULL, NULL, NULL, NULL},
	{"ntfs", "NTFS", CH("Microsoft-Windows-Ntfs/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"hyper-v-worker", "Hyper-V worker", CH("Microsoft-Windows-Hyper-V-Worker-Admin"), NULL, NULL, NULL, NULL, NULL},
	{"kernel-event-tracing", "Kernel event tracing", CH("Microsoft-Windows-Kernel-EventTracing/Admin"), NULL, NULL, NULL, NULL, NULL},
	{"sense", "Defender for Endpoint", CH("Microsoft-Windows-SENSE/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"servicebus-client", "ServiceBus client", CH("Microsoft-ServiceBus-Client"), NULL, NULL, NULL, NULL, NULL},
	{"dns-server", "DNS server", CH("DNS Server"), NULL, NULL, NULL, NULL, NULL},
	{"dns-server-analytic", "DNS server analytic", CH("Microsoft-Windows-DNSServer/Analytical"), NULL, NULL, NULL, NULL, NULL},
	{"dns-server-audit", "DNS server audit", CH("Microsoft-Windows-DNSServer/Audit"), NULL, NULL, NULL, NULL, NULL},
	{"driver-framework", "Driver frameworks", CH("Microsoft-Windows-DriverFrameworks-UserMode/Operational"), NULL, NULL, NULL, NULL, NULL},
	{"microsoft-servicebus-client", "ServiceBus client", CH("Microsoft-ServiceBus-Client"), NULL, NULL, NULL, NULL, NULL},
	{"gpo-scripts", "Group policy scripts", CH("Microsoft-Windows-GroupPolicy/Operational"), NULL, NULL, NULL, NULL, NULL},
};

/* Categories: one row per thor.yml entry (a category may have several). */
static const struct xh_winsource categories[] = {
	{"process_creation", "Sysmon 1", SYSMON_CH, SYSMON_PR, EIDS(1), NULL, NULL, NULL},
	{"process_creation", "Security 4688", CH("Security"), CH("Microsoft-Windows-Security-Auditing"), EIDS(4688), NULL, NULL,
	 REN({"Image", "NewProcessName"}, {"ParentImage", "ParentProcessName"})},
	{"file_change", "Sysmon 2", SYSMON_CH, SYSMON_PR, EIDS(2), NULL, NULL, NULL},
	{"network_connection", "Sysmon 3", SYSMON_CH, SYSMON_PR, EIDS(3), NULL, NULL, NULL},
	{"sysmon_status", "Sysmon 4", SYSMON_CH, SYSMON_PR, EIDS(4), NULL, NULL, NULL},
	{"sysmon_status", "Sysmon 16", SYSMON_CH, SYSMON_PR, EIDS(16), NULL, NULL, NULL},
	{"process_termination", "Sysmon 5", SYSMON_CH, SYSMON_PR, EIDS(5), NULL, NULL, NULL},
	{"driver_load", "Sysmon 6", SYSMON_CH, SYSMON_PR, EIDS(6), NULL, NULL, NULL},
	{"image_load", "Sysmon 7", SYSMON_CH, SYSMON_PR, EIDS(7), NULL, NULL, NULL},
	{"create_remote_thread", "Sysmon 8", SYSMON_CH, SYSMON_PR, EIDS(8), NULL, NULL, NULL},
	{"raw_access_thread", "Sysmon 9", SYSMON_CH, SYSMON_PR, EIDS(9), NULL, NULL, NULL},
	{"process_access", "Sysmon 10", SYSMON_CH, SYSMON_PR, EIDS(10), NULL, NULL, NULL},
	{"file_event", "Sysmon 11", SYSMON_CH, SYSMON_PR, EIDS(11), NULL, NULL, NULL},
	{"registry_event", "Sysmon 12", SYSMON_CH, SYSMON_PR, EIDS(12), NULL, NULL, NULL},
	{"registry_event", "Sysmon 13", SYSMON_CH, SYSMON_PR, EIDS(13), NULL, NULL, NULL},
	{"registry_event", "Sysmon 14", SYSMON_CH, SYSMON_PR, EIDS(14), NULL, NULL, NULL},
	{"registry_add", "Sysmon 12 CreateKey", SYSMON_CH, SYSMON_PR, EIDS(12), "EventType", "CreateKey", NULL},
	{"registry_delete", "Sysmon 12 DeleteKey", SYSMON_CH, SYSMON_PR, EIDS(12), "EventType", "DeleteKey", NULL},
	{"registry_delete", "Sysmon 12 DeleteValue", SYSMON_CH, SYSMON_PR, EIDS(12), "EventType", "DeleteValue", NULL},
	{"registry_set", "Sysmon 13", SYSMON_CH, SYSMON_PR, EIDS(13), NULL, NULL, NULL},
	{"registry_rename", "Sysmon 14", SYSMON_CH, SYSMON_PR, EIDS(14), NULL, NULL, NULL},
	{"create_stream_hash", "Sysmon 15", SYSMON_CH, SYSMON_PR, EIDS(15), NULL, NULL, NULL},
	{"pipe_created", "Sysmon 17", SYSMON_CH, SYSMON_PR, EIDS(17), NULL, NULL, NULL},
	{"pipe_created", "Sysmon 18", SYSMON_CH, SYSMON_PR, EIDS(18), NULL, NULL, NULL},
	{"wmi_event", "Sysmon 19", SYSMON_CH, SYSMON_PR, EIDS(19), NULL, NULL, NULL},
	{"wmi_event", "Sysmon 20", SYSMON_CH, SYSMON_PR, EIDS(20), NULL, NULL, NULL},
	{"wmi_event", "Sysmon 21", SYSMON_CH, SYSMON_PR, EIDS(21), NULL, NULL, NULL},
	{"dns_query", "Sysmon 22", SYSMON_CH, SYSMON_PR, EIDS(22), NULL, NULL, NULL},
	{"file_delete", "Sysmon 23", SYSMON_CH, SYSMON_PR, EIDS(23), NULL, NULL, NULL},
	{"clipboard_change", "Sysmon 24", SYSMON_CH, SYSMON_PR, EIDS(24), NULL, NULL, NULL},
	{"process_tampering", "Sysmon 25", SYSMON_CH, SYSMON_PR, EIDS(25), NULL, NULL, NULL},
	{"file_delete_detected", "Sysmon 26", SYSMON_CH, SYSMON_PR, EIDS(26), NULL, NULL, NULL},
	{"file_block_executable", "Sysmon 27", SYSMON_CH, SYSMON_PR, EIDS(27), NULL, NULL, NULL},
	{"file_block_shredding", "Sysmon 28", SYSMON_CH, SYSMON_PR, EIDS(28), NULL, NULL, NULL},
	{"file_executable_detected", "Sysmon 29", SYSMON_CH, SYSMON_PR, EIDS(29), NULL, NULL, NULL},
	{"sysmon_error", "Sysmon 255", SYSMON_CH, SYSMON_PR, EIDS(255), NULL, NULL, NULL},
	{"ps_module", "PowerShell 4103", PS_CH, PS_PR, EIDS(4103), NULL, NULL, NULL},
	{"ps_script", "PowerShell 4104", PS_CH, PS_PR, EIDS(4104), NULL, NULL, NULL},
	{"ps_classic_start", "Windows PowerShell 400", CH("Windows PowerShell"), CH("PowerShell"), EIDS(400), NULL, NULL, NULL},
	{"ps_classic_provider_start", "Windows PowerShell 600", CH("Windows PowerShell"), CH("PowerShell"), EIDS(600), NULL, NULL, NULL},
	{"ps_classic_script", "Windows PowerShell 800", CH("Windows PowerShell"), CH("PowerShell"), EIDS(800), NULL, NULL, NULL},
	{"antivirus", "Defender detections", DEFENDER_CH, DEFENDER_PR,
	 EIDS(1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116), NULL, NULL,
	 REN({"Signature", "ThreatName"}, {"Filename", "Path"})},
};

static const struct xh_winsource any_windows = {"", "any Windows log", NULL, NULL, NULL, NULL, NULL, NULL};

size_t xh_winsource_find(const char *category, const char *service, const struct xh_winsource **out, size_t max)
{
	size_t n = 0;

	if (category[0]) {
		for (size_t i = 0; i < XH_ARRAY_LEN(categories) && n < max; i++)
			if (strcasecmp(categories[i].key, category) == 0)
				out[n++] = &categories[i];
		return n;
	}
	if (service[0]) {
		for (size_t i = 0; i < XH_ARRAY_LEN(services); i++)
			if (strcasecmp(services[i].key, service) == 0) {
				out[0] = &services[i];
				return 1;
			}
		return 0;
	}
	out[0] = &any_windows;
	return 1;
}

const struct xh_winsource *xh_winsource_at(size_t i, bool category)
{
	if (category)
		return i < XH_ARRAY_LEN(categories) ? &categories[i] : NULL;
	return i < XH_ARRAY_LEN(services) ? &services[i] : NULL;
}

static bool in_list(const char *const *list, struct xh_sv v)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == v.n && strncasecmp(list[i], v.p, v.n) == 0)
			return true;
	return false;
}

bool xh_winsource_match(const struct xh_winsource *w, const struct xh_record *r)
{
	if (w->eids) {
		size_t i = 0;
		while (w->eids[i] >= 0 && w->eids[i] != r->event_id)
			i++;
		if (w->eids[i] < 0)
			return false;
	}
	if (w->channels || w->providers) {
		bool ok = (w->channels && r->channel.p && in_list(w->channels, r->channel)) ||
		          (w->providers && r->provider.p && in_list(w->providers, r->provider));
		if (!ok)
			return false;
	}
	if (w->cond_field) {
		struct xh_sv v;
		if (!xh_record_get(r, w->cond_field, &v) || !v.p || strlen(w->cond_value) != v.n ||
		    strncasecmp(w->cond_value, v.p, v.n) != 0)
			return false;
	}
	return true;
}

const char *xh_winsource_rename(const struct xh_winsource *w, const char *field)
{
	return w ? xh_field_rename(w->renames, field) : field;
}
