/*
 * The source registry: every input kind exhunt recognises, how it is parsed and which
 * fields it exposes (what `exhunt formats` prints and what rules will address). Adding
 * a log type is one row here; classification (classify.c) picks rows by #Log-type.
 */
#include "model/source.h"

#include <strings.h>

static const char *const iis_fields[] = {
	"date", "time", "s-sitename", "s-computername", "s-ip", "cs-method", "cs-uri-stem",
	"cs-uri-query", "s-port", "cs-username", "c-ip", "cs-version", "cs(User-Agent)",
	"cs(Cookie)", "cs(Referer)", "cs-host", "sc-status", "sc-substatus", "sc-win32-status",
	"sc-bytes", "cs-bytes", "time-taken", "(any other #Fields name, as written)", NULL};

static const char *const httpproxy_fields[] = {
	"DateTime", "RequestId", "MajorVersion", "MinorVersion", "BuildVersion", "RevisionVersion",
	"ClientRequestId", "Protocol", "UrlHost", "UrlStem", "ProtocolAction", "AuthenticationType",
	"IsAuthenticated", "AuthenticatedUser", "Organization", "AnchorMailbox", "UserAgent",
	"ClientIpAddress", "ServerHostName", "HttpStatus", "BackEndStatus", "ErrorCode", "Method",
	"ProxyAction", "TargetServer", "TargetServerVersion", "RoutingType", "RoutingHint",
	"BackEndCookie", "ServerLocatorHost", "RequestBytes", "ResponseBytes", "UrlQuery",
	"BackEndGenericInfo", "GenericInfo", "GenericErrors", "(and the latency columns of #Fields)",
	NULL};

static const char *const ecp_fields[] = {
	"TimeStamp", "ServerName", "EventId", "EventData", "S:TIME", "S:SID", "S:CMD", "S:REQID",
	"S:URL", "S:REFERRER", "S:EX", "S:ACTID", "S:RS", "S:BLD", "S:TNAME", "S:TID", "S:USID",
	"S:EDOID", "S:ACID", "(every S:KEY=value part of EventData, quotes undone)", NULL};

static const char *const rps_http_fields[] = {
	"DateTime", "StartTime", "RequestId", "MajorVersion", "MinorVersion", "BuildVersion",
	"RevisionVersion", "UrlHost", "UrlStem", "AuthenticationType", "IsAuthenticated",
	"AuthenticatedUser", "ClientIpAddress", "ServerHostName", "FrontEndServer", "HttpStatus",
	"SubStatus", "ErrorCode", "Action", "CommandId", "CommandName", "SessionId", "ShellId",
	"ClientInfo", "UrlQuery", "GenericInfo", "GenericErrors", NULL};

static const char *const rps_cmdlet_fields[] = {
	"DateTime", "StartTime", "RequestId", "MajorVersion", "MinorVersion", "BuildVersion",
	"RevisionVersion", "AuthenticatedUser", "ExecutingUserSid", "IsAdmin", "ClientApplication",
	"Cmdlet", "Parameters", "ExecutionResult", "NonPiiParameters", "(and the rest of #Fields)", NULL};

static const char *const csv_fields[] = {"(the names of the file's #Fields header)", NULL};

static const char *const text_fields[] = {"(none: raw line, time from a leading timestamp)", NULL};

/* EVTX: System fields by name, then EventData/UserData names (lib/readers/evtx_decode.h). */
static const char *const evtx_fields[] = {
	"EventID", "Channel", "Provider_Name", "Computer", "Level", "Task", "Keywords",
	"EventRecordID", "TimeCreated", "Execution_ProcessID", "UserID", "<EventData Data Name>",
	"Data (unnamed, any)", "Data[N]", "<UserData leaf>", NULL};
static const char *const none_fields[] = {"(counted only: no records yet)", NULL};

/* Order matters only for `exhunt formats`; lookup by #Log-type prefix is first match. */
static const struct xh_source sources[] = {
	{"iis", XH_FMT_W3C, NULL, "IIS W3C extended log (u_ex*.log), columns from each #Fields line",
	 iis_fields},
	{"httperr", XH_FMT_W3C, NULL, "HTTP.sys error log (HTTPERR*.log, W3C), columns from #Fields",
	 iis_fields},
	{"httpproxy", XH_FMT_XCSV, "HttpProxy", "Exchange front-end proxy log (Logging\\HttpProxy)",
	 httpproxy_fields},
	{"ecp_server", XH_FMT_XCSV, "ECP Server", "Exchange ECP server log, EventData split into S:KEY",
	 ecp_fields},
	{"ecp_activity", XH_FMT_XCSV, "ECP Activity", "Exchange ECP activity context log",
	 ecp_fields},
	{"rps_http", XH_FMT_XCSV, "Rps Http", "Exchange remote PowerShell HTTP log (CmdletInfra)",
	 rps_http_fields},
	{"rps_cmdlet", XH_FMT_XCSV, "Rps Cmdlet", "Exchange remote PowerShell cmdlet log (CmdletInfra)",
	 rps_cmdlet_fields},
	{"ews", XH_FMT_XCSV, "EWS", "Exchange Web Services log (Logging\\Ews)", csv_fields},
	{"owa", XH_FMT_XCSV, "OWA", "Outlook on the web log", csv_fields},
	{"msgtrk", XH_FMT_XCSV, "Message Tracking", "Exchange message tracking log", csv_fields},
	{"exchange_csv", XH_FMT_XCSV, "", "any other Exchange CSV-family log (#Log-type given)",
	 csv_fields},
	{"oabgen", XH_FMT_TEXT, NULL, "Exchange OAB generator log (text lines)", text_fields},
	{"text", XH_FMT_TEXT, NULL, "other text log (lines; leading timestamp when present)",
	 text_fields},
	{"evtx", XH_FMT_EVTX, NULL, "Windows event log (.evtx): System, EventData and UserData fields by name",
	 evtx_fields},
	{"webfile", XH_FMT_NONE, NULL, "web-root file: ASP.NET page or config (file checks: hash, YARA, place)",
	 none_fields},
	{"archive", XH_FMT_NONE, NULL, "archive inside the evidence (zip/7z/rar/cab): not opened",
	 none_fields},
	{"unknown", XH_FMT_NONE, NULL, "anything else: binary or unrecognised (counted)", none_fields},
	{"empty", XH_FMT_NONE, NULL, "empty file", none_fields},
};

size_t xh_source_count(void)
{
	return XH_ARRAY_LEN(sources);
}

const struct xh_source *xh_source_at(size_t i)
{
	return i < XH_ARRAY_LEN(sources) ? &sources[i] : NULL;
}

const struct xh_source *xh_source_find(const char *name)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(sources); i++)
		if (strcmp(sources[i].name, name) == 0)
			return &sources[i];
	return NULL;
}

/* First row whose #Log-type prefix matches; the catch-all row (empty prefix) is last. */
const struct xh_source *xh_source_by_log_type(struct xh_sv lt)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(sources); i++) {
		if (sources[i].format == XH_FMT_XCSV && sources[i].log_type &&
		    xh_sv_istarts(lt, sources[i].log_type))
			return &sources[i];
	}
	return xh_source_find("exchange_csv");
}

unsigned xh_source_bit(const struct xh_source *s)
{
	return 1u << (unsigned)(s - xh_source_at(0));
}
