/*
 * The source registry: every input kind exhunt recognises, how it is parsed and which
 * fields it exposes (what `exhunt formats` prints and what rules will address), and which
 * Sigma logsources pick it. Adding a log type is one row here; classification
 * (classify.c) picks rows by #Log-type, the Sigma compiler (detect/logsource.c) by the
 * logsource columns.
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

/* The Sigma logsources a row answers to (docs/logsources.md): category, product, service;
 * "*" any, "" none written. Exchange logs are ours: `product: exchange`, and `service`
 * picks the log (without one the rule runs on all of them). */
#define SIGMA(...) ((const struct xh_sigma_logsource[]){__VA_ARGS__, {NULL, NULL, NULL}})
#define EXCHANGE(...) SIGMA({"", "exchange", ""}, __VA_ARGS__)
#define EXCHANGE_SERVICE(s) {"", "exchange", s}

/* A row: the public part, then the columns only the library reads. */
struct row {
	struct xh_source src;
	const struct xh_sigma_logsource *sigma; /* NULL: no Sigma logsource picks it */
	enum xh_field_names names;              /* how rules name its fields */
};

/* Order matters only for `exhunt formats`; lookup by #Log-type prefix is first match. */
static const struct row rows[] = {
	{{"iis", XH_FMT_W3C, NULL, "IIS W3C extended log (u_ex*.log), columns from each #Fields line",
	  iis_fields},
	 SIGMA({"webserver", "*", "*"}, {"*", "iis", "*"}, {"*", "windows", "iis"}), XH_NAMES_WEBSERVER},
	{{"httperr", XH_FMT_W3C, NULL, "HTTP.sys error log (HTTPERR*.log, W3C), columns from #Fields",
	  iis_fields},
	 NULL, XH_NAMES_PLAIN},
	{{"httpproxy", XH_FMT_EXCHANGE_CSV, "HttpProxy", "Exchange front-end proxy log (Logging\\HttpProxy)",
	  httpproxy_fields},
	 EXCHANGE(EXCHANGE_SERVICE("httpproxy")), XH_NAMES_PLAIN},
	{{"ecp_server", XH_FMT_EXCHANGE_CSV, "ECP Server", "Exchange ECP server log, EventData split into S:KEY",
	  ecp_fields},
	 EXCHANGE(EXCHANGE_SERVICE("ecp_server"), EXCHANGE_SERVICE("ecp")), XH_NAMES_PLAIN},
	{{"ecp_activity", XH_FMT_EXCHANGE_CSV, "ECP Activity", "Exchange ECP activity context log",
	  ecp_fields},
	 EXCHANGE(EXCHANGE_SERVICE("ecp_activity"), EXCHANGE_SERVICE("ecp")), XH_NAMES_PLAIN},
	{{"rps_http", XH_FMT_EXCHANGE_CSV, "Rps Http", "Exchange remote PowerShell HTTP log (CmdletInfra)",
	  rps_http_fields},
	 EXCHANGE(EXCHANGE_SERVICE("rps_http")), XH_NAMES_PLAIN},
	{{"rps_cmdlet", XH_FMT_EXCHANGE_CSV, "Rps Cmdlet", "Exchange remote PowerShell cmdlet log (CmdletInfra)",
	  rps_cmdlet_fields},
	 EXCHANGE(EXCHANGE_SERVICE("rps_cmdlet")), XH_NAMES_PLAIN},
	{{"ews", XH_FMT_EXCHANGE_CSV, "EWS", "Exchange Web Services log (Logging\\Ews)", csv_fields},
	 EXCHANGE(EXCHANGE_SERVICE("ews")), XH_NAMES_PLAIN},
	{{"owa", XH_FMT_EXCHANGE_CSV, "OWA", "Outlook on the web log", csv_fields},
	 EXCHANGE(EXCHANGE_SERVICE("owa")), XH_NAMES_PLAIN},
	{{"msgtrk", XH_FMT_EXCHANGE_CSV, "Message Tracking", "Exchange message tracking log", csv_fields},
	 EXCHANGE(EXCHANGE_SERVICE("msgtrk")), XH_NAMES_PLAIN},
	{{"exchange_csv", XH_FMT_EXCHANGE_CSV, "", "any other Exchange CSV-family log (#Log-type given)",
	  csv_fields},
	 EXCHANGE(EXCHANGE_SERVICE("exchange_csv")), XH_NAMES_PLAIN},
	{{"oabgen", XH_FMT_TEXT, NULL, "Exchange OAB generator log (text lines)", text_fields},
	 EXCHANGE(EXCHANGE_SERVICE("oabgen")), XH_NAMES_PLAIN},
	{{"text", XH_FMT_TEXT, NULL, "other text log (lines; leading timestamp when present)",
	  text_fields},
	 NULL, XH_NAMES_PLAIN},
	{{"evtx", XH_FMT_EVTX, NULL, "Windows event log (.evtx): System, EventData and UserData fields by name",
	  evtx_fields},
	 NULL, XH_NAMES_WINDOWS},
	{{"webfile", XH_FMT_NONE, NULL, "web-root file: ASP.NET page or config (file checks: hash, YARA, place)",
	  none_fields},
	 NULL, XH_NAMES_PLAIN},
	{{"archive", XH_FMT_NONE, NULL, "archive inside the evidence (zip/7z/rar/cab): not opened",
	  none_fields},
	 NULL, XH_NAMES_PLAIN},
	{{"unknown", XH_FMT_NONE, NULL, "anything else: binary or unrecognised (counted)", none_fields},
	 NULL, XH_NAMES_PLAIN},
	{{"empty", XH_FMT_NONE, NULL, "empty file", none_fields}, NULL, XH_NAMES_PLAIN},
};

size_t xh_source_count(void)
{
	return XH_ARRAY_LEN(rows);
}

const struct xh_source *xh_source_at(size_t i)
{
	return i < XH_ARRAY_LEN(rows) ? &rows[i].src : NULL;
}

const struct xh_source *xh_source_find(const char *name)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(rows); i++)
		if (strcmp(rows[i].src.name, name) == 0)
			return &rows[i].src;
	return NULL;
}

/* First row whose #Log-type prefix matches; the catch-all row (empty prefix) is last. */
const struct xh_source *xh_source_by_log_type(struct xh_sv lt)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(rows); i++) {
		if (rows[i].src.format == XH_FMT_EXCHANGE_CSV && rows[i].src.log_type &&
		    xh_sv_istarts(lt, rows[i].src.log_type))
			return &rows[i].src;
	}
	return xh_source_find("exchange_csv");
}

/* The row of a source of the registry (its public part comes first). */
static const struct row *row_of(const struct xh_source *s)
{
	return (const struct row *)s;
}

unsigned xh_source_bit(const struct xh_source *s)
{
	return 1u << (unsigned)(row_of(s) - rows);
}

const struct xh_sigma_logsource *xh_source_sigma(const struct xh_source *s)
{
	static const struct xh_sigma_logsource none[] = {{NULL, NULL, NULL}};
	return row_of(s)->sigma ? row_of(s)->sigma : none;
}

enum xh_field_names xh_source_field_names(const struct xh_source *s)
{
	return row_of(s)->names;
}
