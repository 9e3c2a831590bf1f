/*
 * Test helper: writes a zip whose entry names are exactly as given, including names
 * no archiver would produce from a folder ("../../etc/x", "a\\b", non-UTF-8 bytes,
 * absolute paths), to check that exhunt never lets such a name escape or crash it.
 * usage: mkzip OUT.zip NAME SOURCEFILE [NAME SOURCEFILE ...]   (SOURCEFILE "-": empty)
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct archive *a;
	int rc = 0;

	if (argc < 4 || argc % 2) {
		fprintf(stderr, "usage: mkzip OUT.zip NAME FILE [NAME FILE ...]\n");
		return 2;
	}
	a = archive_write_new();
	archive_write_set_format_zip(a);
	if (archive_write_open_filename(a, argv[1]) != ARCHIVE_OK) {
		fprintf(stderr, "mkzip: %s\n", archive_error_string(a));
		return 1;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		static char buf[1 << 20];
		size_t n = 0;
		struct archive_entry *e = archive_entry_new();

		if (strcmp(argv[i + 1], "-") != 0) {
			FILE *f = fopen(argv[i + 1], "rb");
			if (!f) {
				perror(argv[i + 1]);
				return 1;
			}
			n = fread(buf, 1, sizeof buf, f);
			fclose(f);
		}
		archive_entry_copy_pathname(e, argv[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)n);
		archive_entry_set_mtime(e, 1614754182, 0);
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    (n && archive_write_data(a, buf, n) != (la_ssize_t)n)) {
			fprintf(stderr, "mkzip: %s\n", archive_error_string(a));
			rc = 1;
		}
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = 1;
	archive_write_free(a);
	return rc;
}
