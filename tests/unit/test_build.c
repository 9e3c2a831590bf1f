/*
 * Patch status: every row of shared/reference/builds.csv is found in the compiled table
 * with its product, CU and update; the checkpoints of builds.md section 4 and the
 * issue; three-part (CU-only) builds, old-CU March 2021 packages, disputed rows, builds
 * newer than the table and malformed input; and the fixed-in data agrees with the
 * build table (every first-fixing build is a row carrying that update's name).
 */
#include "patch/builds.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

static enum xh_cve_state state_of(const char *build, const char *cve)
{
	struct xh_build b;
	struct xh_build_info bi;

	if (!xh_build_parse(build, strlen(build), &b) || xh_build_assess(&b, &bi) != XH_OK)
		return (enum xh_cve_state)-1;
	for (size_t i = 0; i < bi.ncves; i++)
		if (strcmp(bi.cves[i].cve, cve) == 0)
			return bi.cves[i].state;
	return (enum xh_cve_state)-2;
}

#define V XH_CVE_VULNERABLE
#define F XH_CVE_FIXED
#define U XH_CVE_UNKNOWN
#define NA XH_CVE_NOT_AFFECTED

static void test_checkpoints(void)
{
	static const struct {
		const char *build, *cve;
		enum xh_cve_state want;
	} cases[] = {
		/* the checkpoints */
		{"15.1.2176.2", "CVE-2021-26855", V},
		{"15.1.2176.9", "CVE-2021-26855", F}, {"15.1.2176.9", "CVE-2021-27065", F},
		{"15.1.2176.9", "CVE-2021-34473", V}, {"15.1.2176.9", "CVE-2021-31207", V},
		{"15.2.1118.20", "CVE-2022-41040", F}, {"15.2.1118.20", "CVE-2022-41082", F},
		{"15.2.1118.20", "CVE-2022-41080", F}, {"15.2.1118.20", "CVE-2023-21529", V},
		{"15.0.1497.2", "CVE-2021-26855", V}, {"15.0.1497.2", "CVE-2021-34473", V},
		{"15.0.1497.2", "CVE-2022-41040", V}, {"15.0.1497.2", "CVE-2022-41080", V},
		{"15.0.1497.2", "CVE-2020-0688", V},
		/* section 4.1: out-of-band March 2021 packages and the CUs that ship the fix */
		{"15.1.1847.12", "CVE-2021-26855", F}, {"15.2.221.18", "CVE-2021-26858", F},
		{"15.2.221.17", "CVE-2021-26858", V}, {"15.1.2242.4", "CVE-2021-26855", F},
		{"15.2.858.5", "CVE-2021-27065", F}, {"15.1.1261.35", "CVE-2021-26855", V},
		{"15.2.196.0", "CVE-2021-26855", V}, /* 2019 Preview: never serviced */
		{"14.3.513.0", "CVE-2021-26857", F}, {"14.3.509.0", "CVE-2021-26857", V},
		{"14.3.513.0", "CVE-2021-26855", NA},
		/* section 3: the March 2021 package for an old CU says nothing of older CVEs */
		{"15.1.1847.12", "CVE-2020-0688", U}, {"15.1.1847.7", "CVE-2020-0688", F},
		{"15.1.1847.3", "CVE-2020-0688", V}, {"15.1.1847.12", "CVE-2021-34473", V},
		/* section 4.2 */
		{"15.1.2176.12", "CVE-2021-34473", F}, {"15.1.2176.12", "CVE-2021-31207", V},
		{"15.1.2176.14", "CVE-2021-31207", F}, {"15.1.2308.8", "CVE-2021-34523", F},
		{"15.2.792.15", "CVE-2021-31207", F}, {"15.2.922.7", "CVE-2021-34473", F},
		/* section 4.3 */
		{"15.1.2375.37", "CVE-2022-41082", F}, {"15.1.2375.31", "CVE-2022-41082", V},
		{"15.1.2507.16", "CVE-2022-41040", F}, {"15.1.2308.27", "CVE-2022-41040", V},
		{"15.2.1258.12", "CVE-2022-41080", F}, {"15.2.986.36", "CVE-2022-41080", F},
		/* section 4.4 */
		{"15.0.1497.26", "CVE-2021-42321", NA}, {"15.1.2308.20", "CVE-2021-42321", F},
		{"15.1.2308.18", "CVE-2021-42321", V}, {"15.1.2242.4", "CVE-2021-42321", V},
		{"15.2.1118.7", "CVE-2021-42321", F},
		/* section 4.5 */
		{"15.1.2507.21", "CVE-2023-21529", F}, {"15.0.1497.47", "CVE-2023-21529", F},
		/* section 4.6 */
		{"14.3.496.0", "CVE-2020-0688", F}, {"15.2.595.3", "CVE-2020-0688", F},
		{"15.2.529.8", "CVE-2020-0688", F},
		/* section 4.7: configuration, 2010-only, disputed month */
		{"15.2.1544.4", "CVE-2024-21410", U}, {"15.1.2507.6", "CVE-2024-21410", U},
		{"14.3.509.0", "CVE-2020-17144", F}, {"15.1.2176.2", "CVE-2020-17144", NA},
		{"15.1.2176.12", "CVE-2021-33766", F}, {"15.1.2242.8", "CVE-2021-33766", F},
		{"15.1.2242.4", "CVE-2021-33766", V}, {"15.2.922.13", "CVE-2021-31196", F},
		/* section 4.8: the 2019 CU13+ and SE lines ship everything */
		{"15.2.1258.12", "CVE-2023-21529", F}, {"15.2.2562.17", "CVE-2022-41082", F},
		/* section 6: Microsoft vs CSS-Exchange for 2016 CU8/CU9: both accepted */
		{"15.1.1415.8", "CVE-2021-26855", F}, {"15.1.1415.7", "CVE-2021-26855", V},
		{"15.1.1466.13", "CVE-2021-26855", F},
		/* three-part: CU only */
		{"15.1.2176", "CVE-2021-26855", U}, {"15.1.2242", "CVE-2021-26855", F},
		{"15.1.1847", "CVE-2021-34473", V}, {"15.0.1497", "CVE-2022-41040", U},
		{"Version 15.1 (Build 2176.9)", "CVE-2021-26855", F},
		{"15.01.2176.009", "CVE-2021-26855", F}, {"  15.1.2176.2\r\n", "CVE-2021-26855", V},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum xh_cve_state got = state_of(cases[i].build, cases[i].cve);
		CHECK(got == cases[i].want);
		if (got != cases[i].want)
			fprintf(stderr, "  %s %s: got %d want %d\n", cases[i].build, cases[i].cve, got, cases[i].want);
	}
}

static void test_info(void)
{
	struct xh_build b;
	struct xh_build_info bi;

	CHECK(xh_build_parse("15.1.2176.9", 11, &b) && xh_build_assess(&b, &bi) == XH_OK);
	CHECK(strcmp(bi.product_name, "Exchange Server 2016") == 0 && strcmp(bi.cu, "CU19") == 0);
	CHECK(strcmp(bi.update, "Mar21SU") == 0 && strcmp(bi.kb, "KB5000871") == 0 && bi.exact);
	/* between two known updates */
	CHECK(xh_build_parse("15.1.2176.10", 12, &b) && xh_build_assess(&b, &bi) == XH_OK);
	CHECK(!bi.exact && strcmp(bi.update, "Mar21SU") == 0 && strstr(bi.note, "at least Mar21SU") != NULL);
	/* newer than the table: judged by its CU */
	CHECK(xh_build_parse("15.2.1748.999", 13, &b) && xh_build_assess(&b, &bi) == XH_OK);
	CHECK(bi.newer_than_table && strcmp(bi.cu, "CU15") == 0);
	CHECK(xh_build_parse("15.2.9999.1", 11, &b) && xh_build_assess(&b, &bi) == XH_OK);
	CHECK(bi.newer_than_table && bi.cu == NULL && bi.product == XH_PROD_SE);
	CHECK(state_of("15.2.9999.1", "CVE-2021-26855") == F);
	/* disputed and lower-confidence rows are flagged */
	CHECK(xh_build_parse("15.1.1415.10", 12, &b) && xh_build_assess(&b, &bi) == XH_OK && bi.disputed);
	CHECK(xh_build_parse("15.1.1415.7", 11, &b) && xh_build_assess(&b, &bi) == XH_OK && bi.lower_confidence);
	/* malformed or not Exchange */
	CHECK(!xh_build_parse("15.1", 4, &b));
	CHECK(!xh_build_parse("15.1.2176.9.1", 13, &b));
	CHECK(!xh_build_parse("15.1.2176.99999", 15, &b));
	CHECK(!xh_build_parse("abc", 3, &b));
	CHECK(!xh_build_parse("Version 15.1 (Build 2176.9", 26, &b));
	CHECK(xh_build_parse("99.1.2.3", 8, &b) && xh_build_assess(&b, &bi) == XH_ENOTFOUND);
}

/* Every first-fixing build of the CVE data is a table row with that update's name. */
static void test_fix_data_agrees_with_table(void)
{
	for (size_t c = 0; c < xh_ncves; c++) {
		for (size_t f = 0; f < xh_cves[c].nfixes; f++) {
			const struct xh_fix *x = &xh_cves[c].fixes[f];
			bool found = false;
			for (size_t r = 0; r < xh_build_nrows && !found; r++) {
				const struct xh_build_row *row = &xh_build_rows[r];
				found = row->major == x->major && row->minor == x->minor && row->build == x->build &&
				        row->rev == x->rev && strcmp(row->update, x->update) == 0;
			}
			CHECK(found);
			if (!found)
				fprintf(stderr, "  %s: %u.%u.%u.%u %s not in the table\n", xh_cves[c].id, x->major,
				        x->minor, x->build, x->rev, x->update);
		}
	}
}

/* Every row of builds.csv: parses, and the table gives back its product, CU, update. */
static void test_every_csv_row(void)
{
	const char *shared = getenv("XH_SHARED");
	char path[4096], line[1024];
	FILE *f;
	size_t rows = 0;

	if (!shared) {
		puts("note: XH_SHARED not set, builds.csv rows not checked");
		return;
	}
	snprintf(path, sizeof path, "%s/reference/builds.csv", shared);
	f = fopen(path, "r");
	if (!f) {
		puts("note: builds.csv not found, rows not checked");
		return;
	}
	CHECK(fgets(line, sizeof line, f) != NULL); /* header */
	while (fgets(line, sizeof line, f)) {
		/* product,cu,update,kb,release_date,build,notes: the first six have no quotes */
		char *field[6];
		char *p = line;
		struct xh_build b;
		struct xh_build_info bi;
		for (int k = 0; k < 6; k++) {
			char *comma = strchr(p, ',');
			field[k] = p;
			if (!comma)
				break;
			*comma = '\0';
			p = comma + 1;
		}
		rows++;
		CHECK(xh_build_parse(field[5], strlen(field[5]), &b) && b.rev_known);
		CHECK(xh_build_assess(&b, &bi) == XH_OK);
		CHECK(strcmp(bi.product_name, field[0]) == 0);
		CHECK(bi.cu && strcmp(bi.cu, field[1]) == 0);
		CHECK(bi.update && strcmp(bi.update, field[2]) == 0 && bi.exact);
		CHECK(bi.kb && strcmp(bi.kb, field[3]) == 0 && bi.date && strcmp(bi.date, field[4]) == 0);
		CHECK(bi.ncves == xh_ncves);
	}
	fclose(f);
	CHECK(rows == xh_build_nrows);
	printf("checked %zu builds.csv rows\n", rows);
}

int main(void)
{
	test_checkpoints();
	test_info();
	test_fix_data_agrees_with_table();
	test_every_csv_row();
	return check_done();
}
