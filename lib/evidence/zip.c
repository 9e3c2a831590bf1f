/*
 * Zip triage archives, read in place through libarchive: entry names normalised (an
 * archive's names are never used to open anything on disk), entries enumerated in
 * archive order, and an entry opened by moving a kept reader forward, so reading all
 * entries of an archive costs one pass per worker. Example names as collectors write
 * them: "C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log",
 * "uploads\auto\C%3A\Windows\System32\winevt\Logs\Security.evtx".
 */
#define _GNU_SOURCE
#include "evidence/zip.h"

#include <archive.h>
#include <archive_entry.h>

xh_status xh_path_normalize(const char *in, struct xh_buf *out, bool *dotdot)
{
	size_t i = 0, n = strlen(in);
	xh_status st = XH_OK;

	out->len = 0;
	*dotdot = false;
	if (n && (in[0] == '/' || in[0] == '\\'))
		*dotdot = true;
	while (i < n && !st) {
		size_t s = i, len;
		while (i < n && in[i] != '/' && in[i] != '\\')
			i++;
		len = i - s;
		i++;
		if (len == 0 || (len == 1 && in[s] == '.'))
			continue;
		if (len == 2 && in[s] == '.' && in[s + 1] == '.') {
			*dotdot = true;
			while (out->len && out->p[out->len - 1] != '/')
				out->len--;
			if (out->len)
				out->len--;
			continue;
		}
		if (out->len)
			st = xh_buf_addc(out, '/');
		if (!st)
			st = xh_buf_add(out, in + s, len);
	}
	if (!st)
		st = xh_buf_addc(out, '\0');
	if (!st)
		out->len--;
	return st;
}

struct archive *xh_zip_reader(const char *path)
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	archive_read_support_format_zip_seekable(a);
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static const char *entry_name(struct archive_entry *ae)
{
	const char *name = archive_entry_pathname(ae);
	if (!name)
		name = archive_entry_pathname_utf8(ae);
	return name;
}

xh_status xh_zip_enumerate(struct xh_vfs *v, uint32_t root, struct xh_error *err)
{
	struct archive *a = xh_zip_reader(v->roots[root].arg);
	struct archive_entry *ae;
	struct xh_buf norm;
	uint64_t ord = 0;
	xh_status st = XH_OK;
	int r;

	if (!a)
		return xh_fail(err, XH_EARCHIVE, v->roots[root].arg, 0, 0, "cannot open as a zip archive");
	xh_buf_init(&norm, XH_MAX_PATH);
	if (xh_buf_reserve(&norm, XH_MAX_PATH)) {
		archive_read_free(a);
		return XH_ENOMEM;
	}
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = entry_name(ae);
		struct xh_entry *e;
		bool dd = false;
		mode_t type = archive_entry_filetype(ae);

		if (type == AE_IFDIR) {
			ord++;
			continue;
		}
		xh_status ns = name ? xh_path_normalize(name, &norm, &dd) : XH_EFORMAT;
		if (ns == XH_ELIMIT)
			e = xh_vfs_add_entry(v, "(entry name too long)", 21);
		else if (ns || norm.len == 0)
			e = xh_vfs_add_entry(v, "(unnamed entry)", 15);
		else
			e = xh_vfs_add_entry(v, norm.p, norm.len);
		if (!e) {
			st = XH_ENOMEM;
			break;
		}
		e->root = root;
		e->zindex = ord++;
		e->dotdot = dd;
		e->size = archive_entry_size_is_set(ae) ? (uint64_t)archive_entry_size(ae) : 0;
		e->mtime = archive_entry_mtime_is_set(ae) ? (int64_t)archive_entry_mtime(ae) : 0;
		if (!name || ns == XH_ELIMIT) {
			e->skip = name ? "entry name longer than the limit" : "entry name cannot be decoded";
			e->unreadable = true;
		} else if (type != AE_IFREG) {
			e->skip = type == AE_IFLNK ? "symbolic link (not followed)" : "not a regular file";
		} else if (archive_entry_is_encrypted(ae)) {
			e->skip = "encrypted entry";
			e->unreadable = true;
		}
		archive_read_data_skip(a);
	}
	if (!st && r != ARCHIVE_EOF) {
		/* a damaged central directory or local header: what came before is kept */
		struct xh_entry *e = xh_vfs_add_entry(v, "(rest of archive)", 17);
		if (!e) {
			st = XH_ENOMEM;
		} else {
			e->root = root;
			e->skip = "archive damaged: later entries unreadable";
			e->unreadable = true;
		}
	}
	xh_buf_free(&norm);
	archive_read_free(a);
	return st;
}

static ssize_t zip_read(void *ctx, void *buf, size_t n, const char **err)
{
	struct xh_opened *o = ctx;
	la_ssize_t got;

	if (o->zread >= XH_MAX_INFLATED) {
		*err = "decompressed size limit reached";
		return -1;
	}
	got = archive_read_data(o->za, buf, n);
	if (got < 0) {
		*err = archive_error_string(o->za) ? archive_error_string(o->za) : "zip read error";
		return -1;
	}
	o->zread += (uint64_t)got;
	return got;
}

xh_status xh_zip_open_entry(struct xh_opened *o, const char *archive_path, const struct xh_entry *e,
                            struct xh_src *src, const char **why)
{
	/* zip: reuse the reader if it has not passed the entry yet */
	if (o->za && (o->zroot != e->root || o->znext > e->zindex)) {
		archive_read_free(o->za);
		o->za = NULL;
	}
	if (!o->za) {
		o->za = xh_zip_reader(archive_path);
		if (!o->za) {
			*why = "cannot reopen zip archive";
			return XH_EARCHIVE;
		}
		o->zroot = e->root;
		o->znext = 0;
	}
	for (;;) {
		struct archive_entry *ae;
		int r = archive_read_next_header(o->za, &ae);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			archive_read_free(o->za);
			o->za = NULL;
			*why = "zip entry cannot be reached";
			return XH_EARCHIVE;
		}
		if (o->znext++ == e->zindex)
			break;
	}
	o->zread = 0;
	src->read = zip_read;
	src->ctx = o;
	return XH_OK;
}

void xh_zip_release(struct xh_opened *o)
{
	if (o->za)
		archive_read_free(o->za);
	o->za = NULL;
}
