/*
 * Unit tests of the output layer: escaping rules per format, archive path
 * normalisation, and a finding rendered by every writer without a raw control byte.
 */
#include "check.h"
#include "common/escape.h"
#include "evidence/vfs.h"
#include "output/writer.h"

static bool has_control(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			return true;
		/* C1 controls as UTF-8 (C2 80..C2 9F) */
		if (c == 0xC2 && i + 1 < n && (unsigned char)p[i + 1] >= 0x80 && (unsigned char)p[i + 1] <= 0x9F)
			return true;
	}
	return false;
}

static void test_escape(void)
{
	struct xh_buf b;
	const char evil[] = "ua\x1b[2J\x07\r\n\x00\xff\xc2\x9b" "caf\xc3\xa9 \xe2\x80\xae" "exe";

	xh_buf_init(&b, 4096);
	xh_esc_text(&b, evil, sizeof evil - 1);
	CHECK(!has_control(b.p, b.len));
	CHECK(b.len == strlen("ua\\x1b[2J\\x07\\x0d\\x0a\\x00\\xff\\u{009b}caf\xc3\xa9 \\u{202e}exe"));
	CHECK(memcmp(b.p, "ua\\x1b[2J\\x07\\x0d\\x0a\\x00\\xff\\u{009b}caf\xc3\xa9 \\u{202e}exe", b.len) == 0);

	b.len = 0;
	xh_esc_json(&b, evil, sizeof evil - 1);
	CHECK(!has_control(b.p, b.len));
	CHECK(memcmp(b.p, "\"ua\\u001b[2J\\u0007\\r\\n\\u0000\\\\xff\\u009bcaf\xc3\xa9 \\u202eexe\"", b.len) == 0);

	b.len = 0;
	xh_esc_csv(&b, "=cmd|' /C calc'!A0", 18);
	CHECK(b.len > 2 && b.p[0] == '"' && b.p[1] == '\'');
	b.len = 0;
	xh_esc_csv(&b, "say \"hi\"", 8);
	CHECK(b.len == 12 && memcmp(b.p, "\"say \"\"hi\"\"\"", 12) == 0);
	xh_buf_free(&b);
}

static void test_normalize(void)
{
	struct xh_buf b;
	bool dd;

	xh_buf_init(&b, 4096);
	CHECK(xh_path_normalize("C:\\inetpub\\wwwroot\\x.aspx", &b, &dd) == XH_OK);
	CHECK(strcmp(b.p, "C:/inetpub/wwwroot/x.aspx") == 0 && !dd);
	CHECK(xh_path_normalize("../../etc/passwd", &b, &dd) == XH_OK);
	CHECK(strcmp(b.p, "etc/passwd") == 0 && dd);
	CHECK(xh_path_normalize("/abs/./a/../b//c", &b, &dd) == XH_OK);
	CHECK(strcmp(b.p, "abs/b/c") == 0 && dd);
	CHECK(xh_path_normalize("a\\..\\..\\..\\b", &b, &dd) == XH_OK);
	CHECK(strcmp(b.p, "b") == 0 && dd);
	xh_buf_free(&b);
}

static void test_origin(void)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
		{"C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", "C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210303.log"},
		{"uploads/auto/C%3A/Program%20Files/Microsoft/x.LOG", "C:\\Program Files\\Microsoft\\x.LOG"},
		{"uploads/ntfs/%5C%5C.%5CC%3A/Windows/Temp/lsass.dmp", "C:\\Windows\\Temp\\lsass.dmp"},
		{"case1/EXCH01/C/ProgramData/a.7z", "C:\\ProgramData\\a.7z"},
		{"C:/inetpub/wwwroot/x.aspx", "C:\\inetpub\\wwwroot\\x.aspx"},
		{"logs/C/notes.txt", NULL},
		{"u_ex210303.log", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *o = xh_path_origin(cases[i].path);
		if (cases[i].want)
			CHECK(o && strcmp(o, cases[i].want) == 0);
		else
			CHECK(o == NULL);
		if (o && cases[i].want && strcmp(o, cases[i].want) != 0)
			fprintf(stderr, "  %s -> %s\n", cases[i].path, o);
		xh_free(o);
	}
}

static xh_status sink(void *ud, const void *data, size_t len)
{
	return xh_buf_add(ud, data, len);
}

static void test_writers(void)
{
	static const char *const tags[] = {"cve.2021-26855", "attack.t1190"};
	struct xh_kv kv[] = {{"UserAgent", {"evil\x1b]0;pwned\x07", 14}}};
	struct xh_finding f = {
		.rule_id = "TEST-01", .title = "test \x1b[31mfinding", .level = XH_LEVEL_HIGH,
		.tags = tags, .ntags = 2, .time_ms = 1614754182000LL, .source = "httpproxy",
		.path = "a/b.log", .line = 7, .offset = 99, .fields = kv, .nfields = 1,
		.excerpt = {"=1+2\r\x1b[2Jraw", 12},
	};
	struct xh_report rep;
	const char *const fmts[] = {"text", "jsonl", "csv"};

	memset(&rep, 0, sizeof rep);
	rep.findings[XH_LEVEL_HIGH] = 1;
	rep.since_ms = rep.until_ms = XH_TIME_NONE;
	for (size_t i = 0; i < 3; i++) {
		struct xh_writer_opts o = {.findings = true, .coverage = true};
		struct xh_writer *w;
		struct xh_buf out;

		xh_buf_init(&out, 1 << 20);
		CHECK(xh_writer_new(fmts[i], &o, sink, &out, &w) == XH_OK);
		CHECK(xh_writer_begin(w) == XH_OK);
		CHECK(xh_writer_finding(w, &f) == XH_OK);
		CHECK(xh_writer_finish(w, &rep) == XH_OK);
		CHECK(out.len > 0);
		CHECK(!has_control(out.p, out.len));
		CHECK(xh_buf_addc(&out, '\0') == XH_OK);
		CHECK(strstr(out.p, "TEST-01") != NULL);
		CHECK(strstr(out.p, "cve.2021-26855") != NULL);
		if (i == 1)
			CHECK(strstr(out.p, "\"level\":\"high\"") != NULL);
		if (i == 2)
			CHECK(strstr(out.p, "\"'=1+2") != NULL); /* formula defused */
		xh_writer_free(w);
		xh_buf_free(&out);
	}
	{
		struct xh_writer *w;
		struct xh_writer_opts o = {0};
		CHECK(xh_writer_new("html", &o, sink, NULL, &w) == XH_ENOTFOUND);
	}
}

int main(void)
{
	test_escape();
	test_normalize();
	test_origin();
	test_writers();
	return check_done();
}
