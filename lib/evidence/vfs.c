/*
 * Evidence walker (see vfs.h). Folders are walked with openat() from a directory fd,
 * one component at a time with O_NOFOLLOW, so a symlink planted in a collection (or a
 * path longer than PATH_MAX) can neither lead outside the evidence nor break the walk.
 * Files are opened O_RDONLY with O_NOATIME where permitted: reading evidence does not
 * even change its access times. Zip archives are read in place through libarchive; a
 * worker keeps its archive reader open and moves forward through the entries, so
 * reading all entries of an archive costs one pass per worker.
 */
#define _GNU_SOURCE
#include "evidence/vfs.h"
#include "common/decode.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- entry table --------------------------------------------------------------------- */

static struct xh_entry *add_entry(struct xh_vfs *v, const char *path, size_t len)
{
	struct xh_entry *e;

	if (v->n == XH_MAX_ENTRIES)
		return NULL;
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 256;
		struct xh_entry *ne = xh_realloc(v->e, ncap * sizeof *ne);
		if (!ne)
			return NULL;
		v->e = ne;
		v->cap = ncap;
	}
	e = &v->e[v->n];
	memset(e, 0, sizeof *e);
	e->path = xh_strndup(path, len);
	if (!e->path)
		return NULL;
	v->n++;
	return e;
}

/* Records a path the walk could not take, with why; XH_ENOMEM if even that fails. */
static xh_status add_problem(struct xh_vfs *v, uint32_t root, const char *path, size_t len,
                             const char *why)
{
	struct xh_entry *e = add_entry(v, path ? path : "", path ? len : 0);

	if (!e)
		return XH_ENOMEM;
	e->root = root;
	e->skip = why;
	e->unreadable = true;
	return XH_OK;
}

/* ---- folders --------------------------------------------------------------------------- */

static int open_dir_at(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int cmp_entry_path(const void *a, const void *b)
{
	const struct xh_entry *x = a, *y = b;
	return strcmp(x->path, y->path);
}

/* Walks dfd (which it closes) whose evidence-relative path is path->p[0..path->len). */
static xh_status walk(struct xh_vfs *v, uint32_t root, int dfd, struct xh_buf *path, unsigned depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	size_t base = path->len;
	xh_status st = XH_OK;

	if (!d) {
		close(dfd);
		return XH_EIO;
	}
	for (;;) {
		struct stat sb;
		struct xh_entry *e;
		size_t nl;

		errno = 0;
		de = readdir(d);
		if (!de) {
			/* a listing cut short is said, not taken for a complete folder */
			if (errno)
				st = add_problem(v, root, path->p, base, "folder listing incomplete (read error)");
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		nl = strlen(de->d_name);
		path->len = base;
		if ((base && xh_buf_addc(path, '/')) || xh_buf_add(path, de->d_name, nl)) {
			/* path too long: count it, do not descend */
			path->len = base;
			st = add_problem(v, root, path->p, base, "path longer than the limit");
			if (st)
				break;
			continue;
		}
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
			st = add_problem(v, root, path->p, path->len, "cannot stat");
			if (st)
				break;
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			int sub;
			if (depth + 1 >= XH_MAX_DEPTH) {
				st = add_problem(v, root, path->p, path->len, "folder deeper than the limit");
				if (st)
					break;
				continue;
			}
			sub = open_dir_at(dirfd(d), de->d_name);
			st = sub < 0 ? XH_EIO : walk(v, root, sub, path, depth + 1);
			if (st == XH_ENOMEM)
				break;
			if (st == XH_EIO)
				st = add_problem(v, root, path->p, path->len, "folder cannot be opened");
			if (st)
				break;
			continue;
		}
		e = add_entry(v, path->p, path->len);
		if (!e) {
			st = XH_ENOMEM;
			break;
		}
		e->root = root;
		e->size = (uint64_t)sb.st_size;
		e->mtime = (int64_t)sb.st_mtime;
		if (S_ISLNK(sb.st_mode))
			e->skip = "symbolic link (not followed)";
		else if (!S_ISREG(sb.st_mode))
			e->skip = "not a regular file";
	}
	path->len = base;
	closedir(d);
	return st;
}

/* ---- archive names --------------------------------------------------------------------- */

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

static struct archive *zip_open(const char *path)
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

static xh_status enum_zip(struct xh_vfs *v, uint32_t root, struct xh_error *err)
{
	struct archive *a = zip_open(v->roots[root].arg);
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
			e = add_entry(v, "(entry name too long)", 21);
		else if (ns || norm.len == 0)
			e = add_entry(v, "(unnamed entry)", 15);
		else
			e = add_entry(v, norm.p, norm.len);
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
		struct xh_entry *e = add_entry(v, "(rest of archive)", 17);
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

/* ---- origin: the path on the server ---------------------------------------------------- */


/* A drive component: "C", "C:", "C%3A", "\\.\C:" (decoded); returns the letter or 0. */
static char drive_of(const char *dec, size_t n, bool bare_ok)
{
	if (n >= 4 && memcmp(dec, "\\\\.\\", 4) == 0) {
		dec += 4;
		n -= 4;
	}
	if (n == 2 && dec[1] == ':' && ((dec[0] >= 'A' && dec[0] <= 'Z') || (dec[0] >= 'a' && dec[0] <= 'z')))
		return dec[0];
	if (bare_ok && n == 1 && ((dec[0] >= 'A' && dec[0] <= 'Z') || (dec[0] >= 'a' && dec[0] <= 'z')))
		return dec[0];
	return 0;
}

char *xh_path_origin(const char *path)
{
	struct xh_buf comp, out;
	const char *p = path, *rest = NULL;
	char drive = 0;
	char *res = NULL;

	xh_buf_init(&comp, XH_MAX_PATH);
	xh_buf_init(&out, XH_MAX_PATH);
	/* find the drive component; a bare letter only counts when a Windows top folder
	 * follows, so a folder named "C" elsewhere is not taken for a drive */
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		comp.len = 0;
		if (!slash)
			break;
		if (xh_pct_decode(&comp, p, n, false)) {
			static const char *const tops[] = {"inetpub", "Program Files", "Program%20Files",
			                                   "Windows", "ProgramData", "Users", "Exchange",
			                                   "root", NULL};
			bool top = false;
			for (size_t i = 0; tops[i]; i++) {
				size_t tl = strlen(tops[i]);
				if (strncasecmp(slash + 1, tops[i], tl) == 0 && (slash[1 + tl] == '/' || slash[1 + tl] == '\0'))
					top = true;
			}
			drive = drive_of(comp.p, comp.len, top);
			if (drive) {
				rest = slash + 1;
				break;
			}
		}
		p = slash + 1;
	}
	if (!drive)
		goto out;
	if (xh_buf_addc(&out, drive) || xh_buf_addc(&out, ':'))
		goto out;
	for (p = rest; *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (xh_buf_addc(&out, '\\') || !xh_pct_decode(&out, p, n, false))
			goto out;
		p += n + (slash ? 1 : 0);
	}
	if (xh_buf_addc(&out, '\0'))
		goto out;
	res = out.p;
	out.p = NULL;
out:
	xh_buf_free(&comp);
	xh_buf_free(&out);
	return res;
}

/* ---- build ----------------------------------------------------------------------------- */

static bool is_zip_file(int fd)
{
	unsigned char m[4];
	ssize_t got = pread(fd, m, 4, 0);
	return got == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4;
}

static char *make_prefix(const char *arg)
{
	size_t n = strlen(arg);
	const char *b;

	while (n > 1 && arg[n - 1] == '/')
		n--;
	b = arg + n;
	while (b > arg && b[-1] != '/')
		b--;
	return xh_strndup(b, (size_t)(arg + n - b));
}

xh_status xh_vfs_build(struct xh_vfs *v, const char *const *args, size_t n, struct xh_error *err)
{
	struct xh_buf path;
	xh_status st = XH_OK;

	memset(v, 0, sizeof *v);
	v->roots = xh_calloc(n, sizeof *v->roots);
	if (!v->roots)
		return XH_ENOMEM;
	/* full size up front: a failed append in the walk then means "too long" only */
	xh_buf_init(&path, XH_MAX_PATH);
	if (xh_buf_reserve(&path, XH_MAX_PATH)) {
		xh_buf_free(&path);
		return XH_ENOMEM;
	}
	for (size_t i = 0; i < n && !st; i++) {
		struct xh_root *rt = &v->roots[i];
		size_t first = v->n;
		struct stat sb;
		int fd;

		v->nroots++;
		rt->fd = -1;
		rt->arg = xh_strdup(args[i]);
		rt->prefix = n > 1 ? make_prefix(args[i]) : xh_strdup("");
		if (!rt->arg || !rt->prefix) {
			st = XH_ENOMEM;
			break;
		}
		fd = open(args[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &sb) != 0) {
			st = xh_fail(err, XH_EIO, args[i], 0, 0, "cannot open: %s", strerror(errno));
			if (fd >= 0)
				close(fd);
			break;
		}
		if (S_ISDIR(sb.st_mode)) {
			rt->type = XH_ROOT_DIR;
			rt->fd = fd;
			path.len = 0;
			st = walk(v, (uint32_t)i, dup(fd), &path, 0);
			if (st == XH_EIO)
				st = xh_fail(err, XH_EIO, args[i], 0, 0, "cannot read folder");
			if (v->n > first)
				qsort(v->e + first, v->n - first, sizeof *v->e, cmp_entry_path);
		} else if (S_ISREG(sb.st_mode) && is_zip_file(fd)) {
			rt->type = XH_ROOT_ZIP;
			close(fd);
			st = enum_zip(v, (uint32_t)i, err);
		} else if (S_ISREG(sb.st_mode)) {
			struct xh_entry *e;
			char *base = make_prefix(args[i]);
			rt->type = XH_ROOT_FILE;
			close(fd);
			if (!base) {
				st = XH_ENOMEM;
				break;
			}
			e = add_entry(v, base, strlen(base));
			xh_free(base);
			if (!e) {
				st = XH_ENOMEM;
				break;
			}
			e->root = (uint32_t)i;
			e->size = (uint64_t)sb.st_size;
			e->mtime = (int64_t)sb.st_mtime;
			/* a single file is named by its base name; no prefix needed */
		} else {
			close(fd);
			st = xh_fail(err, XH_EARG, args[i], 0, 0, "not a folder, zip archive or file");
		}
		/* with several roots, paths start with the root's own name */
		for (size_t k = first; !st && rt->prefix[0] && rt->type != XH_ROOT_FILE && k < v->n; k++) {
			struct xh_buf np;
			xh_buf_init(&np, XH_MAX_PATH + 256);
			if (xh_buf_adds(&np, rt->prefix) || xh_buf_addc(&np, '/') ||
			    xh_buf_adds(&np, v->e[k].path) || xh_buf_addc(&np, '\0')) {
				xh_buf_free(&np);
				st = XH_ENOMEM;
				break;
			}
			xh_free(v->e[k].path);
			v->e[k].path = np.p;
		}
	}
	for (size_t k = 0; !st && k < v->n; k++)
		v->e[k].origin = xh_path_origin(v->e[k].path);
	xh_buf_free(&path);
	return st;
}

void xh_vfs_free(struct xh_vfs *v)
{
	for (size_t i = 0; i < v->n; i++) {
		xh_free(v->e[i].path);
		xh_free(v->e[i].origin);
	}
	xh_free(v->e);
	for (size_t i = 0; i < v->nroots; i++) {
		if (v->roots[i].fd >= 0)
			close(v->roots[i].fd);
		xh_free(v->roots[i].arg);
		xh_free(v->roots[i].prefix);
	}
	xh_free(v->roots);
	memset(v, 0, sizeof *v);
}

/* ---- opening --------------------------------------------------------------------------- */

void xh_opened_init(struct xh_opened *o)
{
	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->dfd = -1;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n, const char **err)
{
	struct xh_opened *o = ctx;
	ssize_t got;

	do
		got = read(o->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		*err = "read error";
	return got;
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

/* O_NONBLOCK: a file swapped for a FIFO after the walk must not hang a worker; the
 * caller then checks that what it opened is a regular file. */
static int open_noatime(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	return fd;
}

/* Opens path (relative to the root fd) one component at a time, never following links.
 * The folder it ends in stays open in o (for root `root`): a file of the same folder is
 * then opened from it directly (files come in path order, a folder's files together). */
static int open_beneath(struct xh_opened *o, uint32_t root, int rootfd, const char *path)
{
	char comp[256];
	int dfd = rootfd, fd = -1;
	const char *p = path, *last = strrchr(path, '/');
	size_t dlen = last ? (size_t)(last - path) : 0;

	if (last && o->dfd >= 0 && o->droot == root && o->dlen == dlen && memcmp(o->dpath, path, dlen) == 0) {
		if (strlen(last + 1) == 0 || strlen(last + 1) >= sizeof comp)
			return -1;
		return open_noatime(o->dfd, last + 1);
	}
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || len >= sizeof comp)
			break;
		memcpy(comp, p, len);
		comp[len] = '\0';
		if (!slash) {
			fd = open_noatime(dfd, comp);
			break;
		}
		{
			int next = open_dir_at(dfd, comp);
			if (dfd != rootfd)
				close(dfd);
			dfd = next;
			if (dfd < 0)
				return -1;
		}
		p = slash + 1;
	}
	if (dfd != rootfd && dfd >= 0) {
		/* keep the folder for the next file; without memory for its path, close it */
		if (!o->dpath)
			o->dpath = xh_malloc(XH_MAX_PATH);
		if (fd >= 0 && o->dpath && dlen < XH_MAX_PATH) {
			if (o->dfd >= 0)
				close(o->dfd);
			o->dfd = dfd;
			o->droot = root;
			memcpy(o->dpath, path, dlen);
			o->dlen = dlen;
		} else {
			close(dfd);
		}
	}
	return fd;
}

xh_status xh_vfs_open(struct xh_vfs *v, size_t i, struct xh_opened *o, struct xh_src *src,
                      const char **why)
{
	struct xh_entry *e = &v->e[i];
	struct xh_root *rt = &v->roots[e->root];
	const char *rel = e->path + (rt->prefix[0] && rt->type != XH_ROOT_FILE ? strlen(rt->prefix) + 1 : 0);

	*why = NULL;
	if (rt->type == XH_ROOT_DIR || rt->type == XH_ROOT_FILE) {
		struct stat sb;
		o->fd = rt->type == XH_ROOT_DIR ? open_beneath(o, e->root, rt->fd, rel)
		                                : open(rt->arg, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (o->fd < 0) {
			*why = errno == ELOOP ? "symbolic link (not followed)" : "cannot open";
			return XH_EIO;
		}
		if (fstat(o->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			xh_vfs_close(o);
			*why = "no longer a regular file";
			return XH_EIO;
		}
		src->read = fd_read;
		src->ctx = o;
		return XH_OK;
	}
	/* zip: reuse the reader if it has not passed the entry yet */
	if (o->za && (o->zroot != e->root || o->znext > e->zindex)) {
		archive_read_free(o->za);
		o->za = NULL;
	}
	if (!o->za) {
		o->za = zip_open(rt->arg);
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

void xh_vfs_close(struct xh_opened *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

void xh_opened_free(struct xh_opened *o)
{
	xh_vfs_close(o);
	if (o->dfd >= 0)
		close(o->dfd);
	o->dfd = -1;
	xh_free(o->dpath);
	o->dpath = NULL;
	if (o->za)
		archive_read_free(o->za);
	o->za = NULL;
}
