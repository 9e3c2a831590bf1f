/*
 * EVTX decoder: file header, chunk framing and checksums, binary XML (BinXML) with its
 * templates and substitution values, flattened into the fields of evtx.h.
 *
 * The input, as it sits in a file (offsets in hex):
 *
 *   0000  "ElfFile\0" first/last chunk, next record id, header size 128, version 3.1,
 *         block size 4096, chunk count, flags, CRC-32 of bytes 0..120
 *   1000  chunk: "ElfChnk\0", first/last record number and id, header size 128, last
 *         record offset, free space offset, CRC-32 of the records, flags, CRC-32 of the
 *         header; 64 common-string offsets and 32 template offsets; records from 0x200:
 *   1200  2a 2a 00 00 | size | record id | FILETIME written | BinXML ... | size
 *         BinXML: 0f 01 01 00 (fragment header)  0c (template instance) 01 <id> <def off>
 *                 [inline definition: next, GUID, size, BinXML with 0d/0e substitution
 *                 tokens]  <count> {size, type}... values ...  00 (end)
 *
 * Every name, template definition and value is reached through an offset or a size read
 * from the chunk; each is checked against the region it must lie in (the chunk, the
 * record, the value) and each record has a budget of tokens and output bytes, so a
 * crafted chunk ends in a counted bad record, never in a loop or an overread.
 */
#include "readers/evtx_decode.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- little-endian reads (bounds checked by callers) ------------------------------ */

static inline uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* ---- CRC-32 ------------------------------------------------------------------------ */

static uint32_t crc_tab[8][256];
static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_tab[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xFF];
}

#include <pthread.h>
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

uint32_t xh_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	pthread_once(&crc_once, crc_init);
	crc = ~crc;
	while (n >= 8) {
		uint32_t a = rd32(p) ^ crc, b = rd32(p + 4);
		crc = crc_tab[7][a & 0xFF] ^ crc_tab[6][(a >> 8) & 0xFF] ^ crc_tab[5][(a >> 16) & 0xFF] ^
		      crc_tab[4][a >> 24] ^ crc_tab[3][b & 0xFF] ^ crc_tab[2][(b >> 8) & 0xFF] ^
		      crc_tab[1][(b >> 16) & 0xFF] ^ crc_tab[0][b >> 24];
		p += 8;
		n -= 8;
	}
	while (n--)
		crc = crc_tab[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

/* ---- file header and chunk header --------------------------------------------------- */

const char *xh_evtx_file_header(const unsigned char *p, size_t n, struct xh_evtx_file_info *fi)
{
	memset(fi, 0, sizeof *fi);
	if (n < 128 || memcmp(p, "ElfFile\0", 8) != 0)
		return "no ElfFile signature";
	fi->first_chunk = rd64(p + 8);
	fi->last_chunk = rd64(p + 16);
	fi->next_record = rd64(p + 24);
	fi->minor = rd16(p + 36);
	fi->major = rd16(p + 38);
	fi->chunks = rd16(p + 42);
	fi->flags = rd32(p + 120);
	fi->dirty = fi->flags & 1;
	fi->full = fi->flags & 2;
	fi->crc_ok = xh_crc32(0, p, 120) == rd32(p + 124);
	return NULL;
}

void xh_evtx_chunk_info(const unsigned char *c, size_t n, struct xh_evtx_chunk_info *ci)
{
	uint32_t crc;

	memset(ci, 0, sizeof *ci);
	if (n < XH_EVTX_CHUNK_HEADER || memcmp(c, "ElfChnk\0", 8) != 0) {
		size_t i = 0;
		while (i < n && c[i] == 0)
			i++;
		ci->state = i == n ? XH_CHUNK_EMPTY : XH_CHUNK_BAD_MAGIC;
		return;
	}
	ci->state = XH_CHUNK_OK;
	ci->first_record = rd64(c + 8);
	ci->last_record = rd64(c + 16);
	ci->free_offset = rd32(c + 48);
	if (ci->free_offset < XH_EVTX_CHUNK_HEADER || ci->free_offset > n)
		ci->free_offset = (uint32_t)n;
	crc = xh_crc32(0, c, 120);
	crc = xh_crc32(crc, c + 128, XH_EVTX_CHUNK_HEADER - 128);
	ci->header_crc_ok = crc == rd32(c + 124);
	ci->data_crc_ok = xh_crc32(0, c + XH_EVTX_CHUNK_HEADER, ci->free_offset - XH_EVTX_CHUNK_HEADER) == rd32(c + 52);
}

/* ---- the decoder -------------------------------------------------------------------- */

struct name_ent {
	uint32_t off, gen;
	uint32_t at, len;            /* in the name arena */
};

enum ekind {
	K_EVENT, K_SYSTEM, K_SYS_ITEM, K_EVENTDATA, K_DATA, K_ED_OTHER, K_USERDATA, K_UD,
	K_RENDER, K_RENDER_ITEM, K_OTHER
};

struct elem {
	struct xh_sv name;
	enum ekind kind;
	bool child;                  /* has a child element (not a leaf) */
	bool content;                /* had a CloseStartElement: text follows */
	size_t text_at;              /* arena offset where its text starts */
	struct xh_sv data_name;      /* <Data Name="..."> */
	bool split;                  /* an unnamed Data whose string array became one field per item */
};

struct sub {
	uint32_t off, size;
	unsigned char type;
};

struct xh_evtx_dec {
	const unsigned char *c;      /* the chunk */
	size_t cn;
	uint32_t gen;
	struct name_ent *names;      /* XH_EVTX_NAME_SLOTS */
	char *narena;
	size_t nlen;
	char *text;                  /* values of the record being decoded */
	size_t tlen;
	char *comp;                  /* composed field names ("Provider_Name") */
	size_t clen;
	char *raw;
	struct xh_evtx_field *f, *a; /* fields, and second names (the second half of f's block) */
	size_t nf, na;
	struct elem stack[XH_EVTX_MAX_DEPTH];
	int depth;
	bool in_attr;
	struct xh_sv attr_name;
	size_t attr_at;
	unsigned ndata;
	struct sub *subs;            /* pool for nested substitution arrays */
	size_t nsubs;
	unsigned long steps;
	unsigned nest;
	const char *err;
	struct xh_evtx_event ev;
};

xh_status xh_evtx_dec_new(struct xh_evtx_dec **out)
{
	struct xh_evtx_dec *d = xh_calloc(1, sizeof *d);

	*out = NULL;
	if (!d)
		return XH_ENOMEM;
	d->names = xh_calloc(XH_EVTX_NAME_SLOTS, sizeof *d->names);
	d->narena = xh_malloc(XH_EVTX_NAME_ARENA);
	d->text = xh_malloc(XH_EVTX_MAX_TEXT);
	d->comp = xh_malloc(XH_EVTX_COMP_NAMES);
	d->raw = xh_malloc(XH_EVTX_MAX_RAW);
	d->f = xh_calloc(2 * (size_t)XH_EVTX_MAX_FIELDS, sizeof *d->f);
	d->a = d->f ? d->f + XH_EVTX_MAX_FIELDS : NULL;
	d->subs = xh_calloc(XH_EVTX_MAX_SUBS, sizeof *d->subs);
	if (!d->names || !d->narena || !d->text || !d->comp || !d->raw || !d->f || !d->subs) {
		xh_evtx_dec_free(d);
		return XH_ENOMEM;
	}
	*out = d;
	return XH_OK;
}

void xh_evtx_dec_free(struct xh_evtx_dec *d)
{
	if (!d)
		return;
	xh_free(d->names);
	xh_free(d->narena);
	xh_free(d->text);
	xh_free(d->comp);
	xh_free(d->raw);
	xh_free(d->f);
	xh_free(d->subs);
	xh_free(d);
}

#define FAIL(d, why) ((d)->err = (why), false)

/* ---- output helpers ----------------------------------------------------------------- */

static bool out_bytes(struct xh_evtx_dec *d, const void *p, size_t n)
{
	if (n > XH_EVTX_MAX_TEXT - d->tlen)
		return FAIL(d, "event text larger than the limit");
	memcpy(d->text + d->tlen, p, n);
	d->tlen += n;
	return true;
}

static bool out_str(struct xh_evtx_dec *d, const char *s)
{
	return out_bytes(d, s, strlen(s));
}

static bool out_u64(struct xh_evtx_dec *d, uint64_t v)
{
	char b[24];
	size_t i = sizeof b;

	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return out_bytes(d, b + i, sizeof b - i);
}

static bool out_i64(struct xh_evtx_dec *d, int64_t v)
{
	if (v < 0) {
		if (!out_bytes(d, "-", 1))
			return false;
		return out_u64(d, (uint64_t)0 - (uint64_t)v);
	}
	return out_u64(d, (uint64_t)v);
}

static bool out_hex(struct xh_evtx_dec *d, uint64_t v, unsigned width)
{
	static const char hx[] = "0123456789abcdef";
	char b[20];
	size_t i = sizeof b;

	do {
		b[--i] = hx[v & 15];
		v >>= 4;
	} while (v || sizeof b - i < width);
	b[--i] = 'x';
	b[--i] = '0';
	return out_bytes(d, b + i, sizeof b - i);
}

static bool out_utf16_raw(struct xh_evtx_dec *d, const unsigned char *p, size_t n);

/* UTF-16LE (n code units at p) to UTF-8; unpaired surrogates become U+FFFD. Trailing
 * NULs are dropped (substitution strings usually carry one). */
static bool out_utf16(struct xh_evtx_dec *d, const unsigned char *p, size_t n)
{
	while (n && rd16(p + 2 * (n - 1)) == 0)
		n--;
	return out_utf16_raw(d, p, n);
}

/* A string value: as out_utf16, and trailing spaces dropped too. Windows stores command
 * lines with a trailing space ("cmd.exe" /c x ); the Rust evtx crate, whose output
 * SigmaHQ's rules are tested against, drops it, and rules anchor on the end
 * (ParentCommandLine|endswith: 'cmd.exe"'). */
static bool out_str16(struct xh_evtx_dec *d, const unsigned char *p, size_t n)
{
	while (n && (rd16(p + 2 * (n - 1)) == 0 || rd16(p + 2 * (n - 1)) == ' '))
		n--;
	return out_utf16_raw(d, p, n);
}

static bool out_utf16_raw(struct xh_evtx_dec *d, const unsigned char *p, size_t n)
{
	if (n * 3 > XH_EVTX_MAX_TEXT - d->tlen)
		return FAIL(d, "event text larger than the limit");
	for (size_t i = 0; i < n; i++) {
		uint32_t u = rd16(p + 2 * i);
		char *o = d->text + d->tlen;
		if (u < 0x80) {
			o[0] = (char)u;
			d->tlen += 1;
			continue;
		}
		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
			uint32_t lo = rd16(p + 2 * (i + 1));
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i++;
				if (4 > XH_EVTX_MAX_TEXT - d->tlen)
					return FAIL(d, "event text larger than the limit");
				o[0] = (char)(0xF0 | u >> 18);
				o[1] = (char)(0x80 | ((u >> 12) & 0x3F));
				o[2] = (char)(0x80 | ((u >> 6) & 0x3F));
				o[3] = (char)(0x80 | (u & 0x3F));
				d->tlen += 4;
				continue;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF)
			u = 0xFFFD;
		if (u < 0x800) {
			o[0] = (char)(0xC0 | u >> 6);
			o[1] = (char)(0x80 | (u & 0x3F));
			d->tlen += 2;
		} else {
			o[0] = (char)(0xE0 | u >> 12);
			o[1] = (char)(0x80 | ((u >> 6) & 0x3F));
			o[2] = (char)(0x80 | (u & 0x3F));
			d->tlen += 3;
		}
	}
	return true;
}

static bool out_2d(struct xh_evtx_dec *d, unsigned v, unsigned digits)
{
	char b[8];
	for (unsigned i = 0; i < digits; i++) {
		b[digits - 1 - i] = (char)('0' + v % 10);
		v /= 10;
	}
	return out_bytes(d, b, digits);
}

/* 100 ns ticks since 1601 as "YYYY-MM-DDTHH:MM:SS.fffffffZ" (Windows' rendering). */
static bool out_filetime(struct xh_evtx_dec *d, uint64_t ft)
{
	uint64_t secs = ft / 10000000u, frac = ft % 10000000u;
	int64_t days = (int64_t)(secs / 86400) - 134774; /* 1601-01-01 to 1970-01-01 */
	uint64_t sod = secs % 86400;
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153, dd = doy - (153 * mp + 2) / 5 + 1, mm = mp < 10 ? mp + 3 : mp - 9;
	int64_t yy = (int64_t)yoe + era * 400 + (mm <= 2);

	if (yy < 0 || yy > 9999)
		return out_hex(d, ft, 16);
	return out_2d(d, (unsigned)yy, 4) && out_bytes(d, "-", 1) && out_2d(d, mm, 2) && out_bytes(d, "-", 1) &&
	       out_2d(d, dd, 2) && out_bytes(d, "T", 1) && out_2d(d, (unsigned)(sod / 3600), 2) &&
	       out_bytes(d, ":", 1) && out_2d(d, (unsigned)(sod / 60 % 60), 2) && out_bytes(d, ":", 1) &&
	       out_2d(d, (unsigned)(sod % 60), 2) && out_bytes(d, ".", 1) && out_2d(d, (unsigned)frac, 7) &&
	       out_bytes(d, "Z", 1);
}

static int64_t filetime_ms(uint64_t ft)
{
	return (int64_t)(ft / 10000u) - INT64_C(11644473600000);
}

static bool out_guid(struct xh_evtx_dec *d, const unsigned char *p)
{
	static const char hx[] = "0123456789ABCDEF";
	static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	char b[38];
	size_t k = 0;

	b[k++] = '{';
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			b[k++] = '-';
		b[k++] = hx[p[order[i]] >> 4];
		b[k++] = hx[p[order[i]] & 15];
	}
	b[k++] = '}';
	return out_bytes(d, b, k);
}

static bool out_sid(struct xh_evtx_dec *d, const unsigned char *p, size_t n)
{
	uint64_t auth = 0;
	size_t subs;

	if (n < 8)
		return FAIL(d, "SID shorter than its header");
	for (int i = 2; i < 8; i++)
		auth = auth << 8 | p[i];
	subs = p[1];
	if (subs > (n - 8) / 4)
		subs = (n - 8) / 4; /* an incomplete SID: render what is there */
	if (!out_bytes(d, "S-", 2) || !out_u64(d, p[0]) || !out_bytes(d, "-", 1) || !out_u64(d, auth))
		return false;
	for (size_t i = 0; i < subs; i++)
		if (!out_bytes(d, "-", 1) || !out_u64(d, rd32(p + 8 + 4 * i)))
			return false;
	return true;
}

static bool out_real(struct xh_evtx_dec *d, double v, int maxprec)
{
	char b[40];

	/* the shortest form that reads back as the same value */
	for (int prec = 1; prec <= maxprec; prec++) {
		snprintf(b, sizeof b, "%.*g", prec, v);
		if (maxprec == 9 ? (float)strtod(b, NULL) == (float)v : strtod(b, NULL) == v)
			break;
	}
	return out_str(d, b);
}

static size_t fixed_size(unsigned char t)
{
	switch (t) {
	case 0x03: case 0x04: return 1;
	case 0x05: case 0x06: return 2;
	case 0x07: case 0x08: case 0x0b: case 0x0d: case 0x14: return 4;
	case 0x09: case 0x0a: case 0x0c: case 0x11: case 0x15: return 8;
	case 0x0f: case 0x12: return 16;
	default: return 0;
	}
}

/* One value of type t (no array flag), n bytes at p, rendered as Windows renders it. */
static bool render_scalar(struct xh_evtx_dec *d, unsigned char t, const unsigned char *p, size_t n)
{
	size_t need = fixed_size(t);

	if (need && n < need && t != 0x0d)
		return FAIL(d, "value shorter than its type");
	switch (t) {
	case 0x00: return true;
	case 0x01: return out_str16(d, p, n / 2);
	case 0x02: {
		size_t k = 0;
		while (k < n && p[k])
			k++;
		while (k && p[k - 1] == ' ')
			k--;
		return out_bytes(d, p, k);
	}
	case 0x03: return out_i64(d, (int8_t)p[0]);
	case 0x04: return out_u64(d, p[0]);
	case 0x05: return out_i64(d, (int16_t)rd16(p));
	case 0x06: return out_u64(d, rd16(p));
	case 0x07: return out_i64(d, (int32_t)rd32(p));
	case 0x08: return out_u64(d, rd32(p));
	case 0x09: return out_i64(d, (int64_t)rd64(p));
	case 0x0a: return out_u64(d, rd64(p));
	case 0x0b: {
		float f;
		uint32_t u = rd32(p);
		memcpy(&f, &u, sizeof f);
		return out_real(d, f, 9);
	}
	case 0x0c: {
		double v;
		uint64_t u = rd64(p);
		memcpy(&v, &u, sizeof v);
		return out_real(d, v, 17);
	}
	case 0x0d: {
		/* 4 bytes by the format; files with other sizes exist: any non-zero byte is true */
		bool v = false;
		for (size_t i = 0; i < n; i++)
			v |= p[i] != 0;
		return out_str(d, v ? "true" : "false");
	}
	case 0x0f: return out_guid(d, p);
	case 0x10: return n >= 8 ? out_hex(d, rd64(p), 16) : n >= 4 ? out_hex(d, rd32(p), 8) : FAIL(d, "size_t value too short");
	case 0x11: return out_filetime(d, rd64(p));
	case 0x12: {
		/* SYSTEMTIME: year, month, weekday, day, hour, minute, second, milliseconds */
		return out_2d(d, rd16(p) % 10000, 4) && out_bytes(d, "-", 1) && out_2d(d, rd16(p + 2) % 100, 2) &&
		       out_bytes(d, "-", 1) && out_2d(d, rd16(p + 6) % 100, 2) && out_bytes(d, "T", 1) &&
		       out_2d(d, rd16(p + 8) % 100, 2) && out_bytes(d, ":", 1) && out_2d(d, rd16(p + 10) % 100, 2) &&
		       out_bytes(d, ":", 1) && out_2d(d, rd16(p + 12) % 100, 2) && out_bytes(d, ".", 1) &&
		       out_2d(d, rd16(p + 14) % 1000, 3) && out_bytes(d, "Z", 1);
	}
	case 0x13: return out_sid(d, p, n);
	case 0x14: return out_hex(d, rd32(p), 0);
	case 0x15: return out_hex(d, rd64(p), 0);
	default: {
		/* binary, handles, EvtXml and unknown types: upper-case hex */
		static const char hx[] = "0123456789ABCDEF";
		if (n * 2 > XH_EVTX_MAX_TEXT - d->tlen)
			return FAIL(d, "event text larger than the limit");
		for (size_t i = 0; i < n; i++) {
			d->text[d->tlen++] = hx[p[i] >> 4];
			d->text[d->tlen++] = hx[p[i] & 15];
		}
		return true;
	}
	}
}

/* A value of type t; arrays (t & 0x80) render their items joined by ", ". */
static bool render_value(struct xh_evtx_dec *d, unsigned char t, const unsigned char *p, size_t n)
{
	unsigned char base = t & 0x7F;
	size_t sz;

	if (!(t & 0x80))
		return render_scalar(d, t, p, n);
	if (base == 0x01) {
		/* NUL-separated UTF-16 strings */
		size_t units = n / 2, start = 0;
		bool first = true;
		for (size_t i = 0; i <= units; i++) {
			if (i < units && rd16(p + 2 * i) != 0)
				continue;
			if (i > start || (i < units)) {
				if (!first && !out_bytes(d, ", ", 2))
					return false;
				if (!out_utf16(d, p + 2 * start, i - start))
					return false;
				first = false;
			}
			start = i + 1;
		}
		return true;
	}
	sz = base == 0x13 ? 0 : fixed_size(base);
	if (base == 0x10)
		sz = 8;
	if (!sz)
		return render_scalar(d, 0x0e, p, n);
	for (size_t i = 0; i + sz <= n; i += sz) {
		if (i && !out_bytes(d, ", ", 2))
			return false;
		if (!render_scalar(d, base, p + i, sz))
			return false;
	}
	return true;
}

/* ---- names -------------------------------------------------------------------------- */

/* The name structure at chunk offset off (next offset, hash, count, UTF-16, NUL) as
 * UTF-8, cached per chunk. *total gets the structure's size (for inline names). */
static bool name_at(struct xh_evtx_dec *d, uint32_t off, struct xh_sv *out, size_t *total)
{
	uint32_t h = (off * 2654435761u) >> (32 - XH_EVTX_NAME_BITS);
	size_t nch;
	struct name_ent *e = NULL;

	if ((size_t)off + 8 > d->cn)
		return FAIL(d, "element name outside the chunk");
	nch = rd16(d->c + off + 6);
	if ((size_t)off + 8 + 2 * nch + 2 > d->cn)
		return FAIL(d, "element name outside the chunk");
	*total = 8 + 2 * nch + 2;
	for (unsigned probe = 0; probe < 8; probe++) {
		struct name_ent *s = &d->names[(h + probe) & (XH_EVTX_NAME_SLOTS - 1)];
		if (s->gen == d->gen && s->off == off) {
			*out = xh_sv_make(d->narena + s->at, s->len);
			return true;
		}
		if (s->gen != d->gen && !e)
			e = s;
	}
	if (nch * 3 > XH_EVTX_NAME_ARENA - d->nlen) {
		e = NULL; /* arena full (a crafted chunk): decode into the text arena instead */
	} else {
		/* reuse the text arena's conversion, then move into the name arena */
		size_t save = d->tlen;
		if (!out_utf16(d, d->c + off + 8, nch))
			return false;
		size_t len = d->tlen - save;
		memcpy(d->narena + d->nlen, d->text + save, len);
		d->tlen = save;
		*out = xh_sv_make(d->narena + d->nlen, len);
		if (e) {
			e->gen = d->gen;
			e->off = off;
			e->at = (uint32_t)d->nlen;
			e->len = (uint32_t)len;
		}
		d->nlen += len;
		return true;
	}
	{
		size_t save = d->tlen;
		if (!out_utf16(d, d->c + off + 8, nch))
			return false;
		*out = xh_sv_make(d->text + save, d->tlen - save);
		return true;
	}
}

/* Reads a name reference at *pos (4 bytes); when it points just past itself the name
 * structure follows inline and *pos moves past it. */
static bool name_ref(struct xh_evtx_dec *d, size_t *pos, size_t end, struct xh_sv *out)
{
	uint32_t off;
	size_t total;

	if (*pos + 4 > end)
		return FAIL(d, "truncated name reference");
	off = rd32(d->c + *pos);
	*pos += 4;
	if (!name_at(d, off, out, &total))
		return false;
	if (off == *pos) {
		if (*pos + total > end)
			return FAIL(d, "inline name runs past its fragment");
		*pos += total;
	}
	return true;
}

/* ---- flattening --------------------------------------------------------------------- */

/* Fields go to d->f, second names to d->a; decode_record puts the second names after
 * the fields, so consumers see them in that order without sorting. */
static bool add_field(struct xh_evtx_dec *d, struct xh_sv name, struct xh_sv value, bool alias)
{
	struct xh_evtx_field *f;

	if (d->nf + d->na == XH_EVTX_MAX_FIELDS)
		return FAIL(d, "more fields than the limit");
	f = alias ? &d->a[d->na++] : &d->f[d->nf++];
	f->name = name;
	f->value = value;
	return true;
}

/* "a_b" (or "a" + "b" with sep 0) stored for this record. */
static bool compose(struct xh_evtx_dec *d, const char *a, size_t an, char sep, struct xh_sv b, struct xh_sv *out)
{
	size_t n = an + (sep ? 1 : 0) + b.n;

	if (n > XH_EVTX_COMP_NAMES - d->clen)
		return FAIL(d, "field names longer than the limit");
	memcpy(d->comp + d->clen, a, an);
	if (sep)
		d->comp[d->clen + an] = sep;
	memcpy(d->comp + d->clen + an + (sep ? 1 : 0), b.p, b.n);
	*out = xh_sv_make(d->comp + d->clen, n);
	d->clen += n;
	return true;
}

static bool sv_is(struct xh_sv a, const char *lit);

/* The name itself, or "<prefix>_<name>" when the event already has a field of that name
 * (UserData of event 1108 holds an EventID of its own: System's keeps the name). */
static bool unique(struct xh_evtx_dec *d, const char *prefix, struct xh_sv name, struct xh_sv *out)
{
	for (size_t i = 0; i < d->nf; i++)
		if (d->f[i].name.n == name.n && memcmp(d->f[i].name.p, name.p, name.n) == 0)
			return compose(d, prefix, strlen(prefix), '_', name, out);
	*out = name;
	return true;
}

static bool sv_is(struct xh_sv a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n == n && memcmp(a.p, lit, n) == 0;
}

static struct xh_sv text_view(struct xh_evtx_dec *d, size_t at)
{
	return xh_sv_make(d->text + at, d->tlen - at);
}

static bool parse_long(struct xh_sv v, long *out)
{
	uint64_t u;
	if (!xh_sv_u64(v, 10, &u) || u > 0x7FFFFFFF)
		return false;
	*out = (long)u;
	return true;
}

static bool commit_attr(struct xh_evtx_dec *d)
{
	struct elem *e;
	struct xh_sv v, name;

	if (!d->in_attr)
		return true;
	d->in_attr = false;
	if (d->depth < 1)
		return true;
	e = &d->stack[d->depth - 1];
	v = text_view(d, d->attr_at);
	if (e->kind == K_DATA) {
		if (sv_is(d->attr_name, "Name"))
			e->data_name = v;
		return true;
	}
	if (e->kind != K_SYS_ITEM || v.n == 0)
		return true; /* an optional substitution without a value: no attribute */
	if (!compose(d, e->name.p, e->name.n, '_', d->attr_name, &name) || !add_field(d, name, v, false))
		return false;
	if (sv_is(e->name, "Provider") && sv_is(d->attr_name, "Name"))
		d->ev.provider = v;
	else if (sv_is(e->name, "TimeCreated") && sv_is(d->attr_name, "SystemTime")) {
		int64_t ms;
		if (xh_parse_iso(v.p, v.n, &ms))
			d->ev.time_ms = ms;
		return add_field(d, xh_sv_make("TimeCreated", 11), v, true);
	} else if (sv_is(e->name, "Security") && sv_is(d->attr_name, "UserID"))
		return add_field(d, xh_sv_make("UserID", 6), v, true);
	return true;
}

/* An unnamed Data value: Data[i] by position, and Data (any of them) as second name. */
static bool add_data(struct xh_evtx_dec *d, struct xh_sv v)
{
	char num[16];
	int k = snprintf(num, sizeof num, "[%u]", ++d->ndata);
	struct xh_sv pos;

	if (!compose(d, "Data", 4, 0, xh_sv_make(num, (size_t)k), &pos) || !add_field(d, pos, v, false))
		return false;
	return add_field(d, xh_sv_make("Data", 4), v, true);
}

static bool open_elem(struct xh_evtx_dec *d, struct xh_sv name)
{
	struct elem *e, *up = d->depth ? &d->stack[d->depth - 1] : NULL;

	if (!commit_attr(d))
		return false;
	if (d->depth == XH_EVTX_MAX_DEPTH)
		return FAIL(d, "elements nested deeper than the limit");
	if (up)
		up->child = true;
	e = &d->stack[d->depth++];
	memset(e, 0, sizeof *e);
	e->name = name;
	if (!up)
		e->kind = K_EVENT;
	else if (up->kind == K_EVENT)
		e->kind = sv_is(name, "System") ? K_SYSTEM : sv_is(name, "EventData") ? K_EVENTDATA :
		          sv_is(name, "UserData") ? K_USERDATA : sv_is(name, "RenderingInfo") ? K_RENDER : K_OTHER;
	else if (up->kind == K_SYSTEM)
		e->kind = K_SYS_ITEM;
	else if (up->kind == K_EVENTDATA)
		e->kind = sv_is(name, "Data") ? K_DATA : K_ED_OTHER;
	else if (up->kind == K_USERDATA || up->kind == K_UD)
		e->kind = K_UD;
	else if (up->kind == K_RENDER || up->kind == K_RENDER_ITEM)
		e->kind = K_RENDER_ITEM;
	else
		e->kind = K_OTHER;
	return true;
}

static bool close_elem(struct xh_evtx_dec *d)
{
	struct elem *e;
	struct xh_sv v;

	if (!commit_attr(d))
		return false;
	if (d->depth == 0)
		return FAIL(d, "end of an element that was not open");
	e = &d->stack[--d->depth];
	v = e->content ? text_view(d, e->text_at) : xh_sv_make(d->text + d->tlen, 0);
	switch (e->kind) {
	case K_SYS_ITEM:
		if (!e->content || e->child)
			return true;
		if (sv_is(e->name, "EventID"))
			parse_long(v, &d->ev.event_id);
		else if (sv_is(e->name, "Channel"))
			d->ev.channel = v;
		else if (sv_is(e->name, "Computer"))
			d->ev.computer = v;
		return add_field(d, e->name, v, false);
	case K_DATA:
		if (e->child || e->split)
			return true;
		if (e->data_name.p) {
			/* Defender and others name data "Threat Name"; rules write ThreatName */
			struct xh_sv squeezed, name;
			if (!unique(d, "EventData", e->data_name, &name) || !add_field(d, name, v, false))
				return false;
			if (!memchr(e->data_name.p, ' ', e->data_name.n))
				return true;
			if (e->data_name.n > XH_EVTX_COMP_NAMES - d->clen)
				return FAIL(d, "field names longer than the limit");
			squeezed = xh_sv_make(d->comp + d->clen, 0);
			for (size_t i = 0; i < e->data_name.n; i++)
				if (e->data_name.p[i] != ' ')
					d->comp[d->clen + squeezed.n++] = e->data_name.p[i];
			d->clen += squeezed.n;
			return add_field(d, squeezed, v, true);
		}
		return add_data(d, v);
	case K_ED_OTHER:
	case K_UD:
	case K_OTHER: {
		struct xh_sv name;
		if (e->child || (!e->content && e->kind != K_UD))
			return true;
		return unique(d, e->kind == K_UD ? "UserData" : "EventData", e->name, &name) && add_field(d, name, v, false);
	}
	case K_RENDER_ITEM: {
		struct xh_sv name;
		if (e->child || !e->content)
			return true;
		if (sv_is(e->name, "Message"))
			return add_field(d, e->name, v, false);
		return compose(d, "RenderingInfo", 13, '_', e->name, &name) && add_field(d, name, v, false);
	}
	default:
		return true;
	}
}

/* ---- BinXML --------------------------------------------------------------------------- */

static bool walk(struct xh_evtx_dec *d, size_t pos, size_t end, const struct sub *subs, size_t nsubs);

/* A template instance at *pos (after its 0x0c token): the definition (inline or by
 * offset), then the substitution array whose values follow; the definition's body is
 * walked with those values. */
static bool template_instance(struct xh_evtx_dec *d, size_t *pos, size_t end)
{
	size_t p = *pos, body, body_end, nsub, vals;
	uint32_t def_off, def_size;
	struct sub *subs;
	bool ok;

	if (p + 9 > end)
		return FAIL(d, "truncated template instance");
	def_off = rd32(d->c + p + 5);
	p += 9;
	if ((size_t)def_off + 24 > d->cn)
		return FAIL(d, "template definition outside the chunk");
	def_size = rd32(d->c + def_off + 20);
	body = (size_t)def_off + 24;
	if (def_size > d->cn - body)
		return FAIL(d, "template definition runs past the chunk");
	body_end = body + def_size;
	if (def_off == p) {
		if (body_end > end)
			return FAIL(d, "inline template runs past its record");
		p = body_end;
	}
	if (p + 4 > end)
		return FAIL(d, "truncated substitution array");
	nsub = rd32(d->c + p);
	p += 4;
	if (nsub > (end - p) / 4)
		return FAIL(d, "substitution count larger than its record");
	if (nsub > XH_EVTX_MAX_SUBS - d->nsubs)
		return FAIL(d, "more substitution values than the limit");
	subs = d->subs + d->nsubs;
	vals = p + 4 * nsub;
	for (size_t i = 0; i < nsub; i++) {
		uint16_t sz = rd16(d->c + p + 4 * i);
		subs[i].type = d->c[p + 4 * i + 2];
		subs[i].off = (uint32_t)vals;
		subs[i].size = sz;
		if (sz > end - vals)
			return FAIL(d, "substitution value runs past its record");
		vals += sz;
	}
	*pos = vals;
	if (++d->nest > XH_EVTX_MAX_NEST)
		return FAIL(d, "templates nested deeper than the limit");
	d->nsubs += nsub;
	ok = walk(d, body, body_end, subs, nsub);
	d->nsubs -= nsub;
	d->nest--;
	return ok;
}

static bool add_data(struct xh_evtx_dec *d, struct xh_sv v);

/* A string array that is the whole of an unnamed <Data> (classic event sources such as
 * MSExchange CmdletLogs put all their strings in one): one Data field per item, as
 * Windows renders it (one <Data> element each). */
static bool data_items(struct xh_evtx_dec *d, const unsigned char *p, size_t n)
{
	size_t units = n / 2, start = 0;

	d->stack[d->depth - 1].split = true;
	while (units && rd16(p + 2 * (units - 1)) == 0)
		units--; /* the array's final terminator */
	for (size_t i = 0; i <= units; i++) {
		size_t at = d->tlen;
		if (i < units && rd16(p + 2 * i) != 0)
			continue;
		if (!out_str16(d, p + 2 * start, i - start) || !add_data(d, text_view(d, at)))
			return false;
		start = i + 1;
	}
	return true;
}

static bool substitution(struct xh_evtx_dec *d, const struct sub *subs, size_t nsubs, size_t id, bool optional)
{
	const struct sub *s;

	if (id >= nsubs) {
		if (optional)
			return true;
		return FAIL(d, "substitution index beyond its array");
	}
	s = &subs[id];
	if (s->type == 0x00 || (optional && s->size == 0))
		return true;
	if (s->type == 0x21) {
		bool ok;
		if (++d->nest > XH_EVTX_MAX_NEST)
			return FAIL(d, "templates nested deeper than the limit");
		ok = walk(d, s->off, (size_t)s->off + s->size, subs, nsubs);
		d->nest--;
		return ok;
	}
	if (s->type == 0x81 && d->depth && d->stack[d->depth - 1].kind == K_DATA && !d->in_attr &&
	    !d->stack[d->depth - 1].data_name.p && d->stack[d->depth - 1].content &&
	    d->tlen == d->stack[d->depth - 1].text_at)
		return data_items(d, d->c + s->off, s->size);
	return render_value(d, s->type, d->c + s->off, s->size);
}

static bool entity(struct xh_evtx_dec *d, struct xh_sv name)
{
	static const struct { const char *n, *v; } ents[] = {
		{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
	};
	for (size_t i = 0; i < XH_ARRAY_LEN(ents); i++)
		if (sv_is(name, ents[i].n))
			return out_str(d, ents[i].v);
	return out_bytes(d, "&", 1) && out_bytes(d, name.p, name.n) && out_bytes(d, ";", 1);
}

/* Is there a valid name structure reference at chunk offset q (the name offset field),
 * either inline right after it or earlier in the chunk? */
static bool plausible_name(const struct xh_evtx_dec *d, size_t q, size_t end)
{
	uint32_t off;
	size_t nch;

	if (q + 4 > end)
		return false;
	off = rd32(d->c + q);
	if ((off != q + 4 && off >= q) || off < XH_EVTX_CHUNK_HEADER)
		return false;
	if ((size_t)off + 8 > d->cn)
		return false;
	nch = rd16(d->c + off + 6);
	if ((size_t)off + 8 + 2 * nch + 2 > d->cn || rd16(d->c + off + 8 + 2 * nch) != 0)
		return false;
	return true;
}

static bool walk(struct xh_evtx_dec *d, size_t pos, size_t end, const struct sub *subs, size_t nsubs)
{
	while (pos < end) {
		unsigned char tok = d->c[pos];
		struct xh_sv name;

		if (++d->steps > XH_EVTX_MAX_STEPS)
			return FAIL(d, "more XML tokens than the limit");
		switch (tok & 0xBF) {
		case 0x00: /* end of fragment */
			return true;
		case 0x01: { /* open start element */
			size_t q;
			/* the 2-byte dependency id is absent in some writers' templates: take the
			 * layout whose name reference is valid */
			if (plausible_name(d, pos + 7, end))
				q = pos + 7;
			else if (plausible_name(d, pos + 5, end))
				q = pos + 5;
			else
				return FAIL(d, "element without a valid name");
			if (!name_ref(d, &q, end, &name))
				return false;
			if (tok & 0x40) {
				if (q + 4 > end)
					return FAIL(d, "truncated attribute list");
				q += 4;
			}
			if (!open_elem(d, name))
				return false;
			pos = q;
			break;
		}
		case 0x02: /* close start element: content follows */
			if (!commit_attr(d))
				return false;
			if (d->depth) {
				d->stack[d->depth - 1].content = true;
				d->stack[d->depth - 1].text_at = d->tlen;
			}
			pos++;
			break;
		case 0x03: /* close empty element */
		case 0x04: /* end element */
			if (!close_elem(d))
				return false;
			pos++;
			break;
		case 0x05: { /* value */
			size_t n;
			if (pos + 4 > end)
				return FAIL(d, "truncated value");
			if (d->c[pos + 1] != 0x01 && d->c[pos + 1] != 0x02)
				return FAIL(d, "value token of a type other than text");
			n = rd16(d->c + pos + 2);
			if (d->c[pos + 1] == 0x01)
				n *= 2;
			if (n > end - pos - 4)
				return FAIL(d, "value runs past its fragment");
			if (!render_scalar(d, d->c[pos + 1], d->c + pos + 4, n))
				return false;
			pos += 4 + n;
			break;
		}
		case 0x06: { /* attribute */
			size_t q = pos + 1;
			if (!commit_attr(d) || !name_ref(d, &q, end, &name))
				return false;
			d->in_attr = true;
			d->attr_name = name;
			d->attr_at = d->tlen;
			pos = q;
			break;
		}
		case 0x07: { /* CDATA */
			size_t n;
			if (pos + 3 > end)
				return FAIL(d, "truncated CDATA");
			n = 2u * rd16(d->c + pos + 1);
			if (n > end - pos - 3)
				return FAIL(d, "CDATA runs past its fragment");
			if (!out_utf16(d, d->c + pos + 3, n / 2))
				return false;
			pos += 3 + n;
			break;
		}
		case 0x08: { /* character reference */
			unsigned char u[2];
			if (pos + 3 > end)
				return FAIL(d, "truncated character reference");
			u[0] = d->c[pos + 1];
			u[1] = d->c[pos + 2];
			if (!out_utf16(d, u, 1))
				return false;
			pos += 3;
			break;
		}
		case 0x09: { /* entity reference */
			size_t q = pos + 1;
			if (!name_ref(d, &q, end, &name) || !entity(d, name))
				return false;
			pos = q;
			break;
		}
		case 0x0a: { /* processing instruction target: kept out of the fields */
			size_t q = pos + 1;
			if (!name_ref(d, &q, end, &name))
				return false;
			pos = q;
			break;
		}
		case 0x0b: { /* processing instruction data */
			size_t n;
			if (pos + 3 > end)
				return FAIL(d, "truncated processing instruction");
			n = 2u * rd16(d->c + pos + 1);
			if (n > end - pos - 3)
				return FAIL(d, "processing instruction runs past its fragment");
			pos += 3 + n;
			break;
		}
		case 0x0c: /* template instance */
			pos++;
			if (!template_instance(d, &pos, end))
				return false;
			break;
		case 0x0d: /* normal substitution */
		case 0x0e: /* optional substitution */
			if (pos + 4 > end)
				return FAIL(d, "truncated substitution");
			if (!substitution(d, subs, nsubs, rd16(d->c + pos + 1), tok == 0x0e))
				return false;
			pos += 4;
			break;
		case 0x0f: /* fragment header */
			if (pos + 4 > end)
				return FAIL(d, "truncated fragment header");
			pos += 4;
			break;
		default:
			return FAIL(d, "unknown XML token");
		}
	}
	return true;
}

/* ---- records ------------------------------------------------------------------------ */

static bool build_raw(struct xh_evtx_dec *d)
{
	size_t k = 0;

	for (size_t i = 0; i < d->nf; i++) {
		const struct xh_evtx_field *f = &d->f[i];
		if (f->name.n + f->value.n + 3 > XH_EVTX_MAX_RAW - k)
			return FAIL(d, "event text larger than the limit");
		if (k) {
			d->raw[k++] = ';';
			d->raw[k++] = ' ';
		}
		memcpy(d->raw + k, f->name.p, f->name.n);
		k += f->name.n;
		d->raw[k++] = '=';
		memcpy(d->raw + k, f->value.p, f->value.n);
		k += f->value.n;
	}
	d->ev.raw = xh_sv_make(d->raw, k);
	return true;
}

static bool decode_record(struct xh_evtx_dec *d, size_t start, size_t end)
{
	d->tlen = d->clen = d->nf = d->na = d->nsubs = 0;
	d->depth = 0;
	d->in_attr = false;
	d->ndata = 0;
	d->steps = 0;
	d->nest = 0;
	d->err = NULL;
	if (!walk(d, start, end, NULL, 0))
		return false;
	if (d->depth)
		return FAIL(d, "record ends inside an element");
	if (d->nf == 0)
		return FAIL(d, "record without any field");
	if (!build_raw(d))
		return false;
	memcpy(d->f + d->nf, d->a, d->na * sizeof *d->a);
	return true;
}

/* The next offset from `from` (8-aligned) holding a record header whose size and size
 * copy agree, or 0. */
static size_t resync(const unsigned char *c, size_t n, size_t from, size_t end)
{
	for (size_t o = (from + 7) & ~(size_t)7; o + 28 <= end; o += 8) {
		uint32_t size;
		if (rd32(c + o) != 0x00002a2a)
			continue;
		size = rd32(c + o + 4);
		if (size >= 28 && size <= n - o && rd32(c + o + size - 4) == size)
			return o;
	}
	return 0;
}

xh_status xh_evtx_chunk_records(struct xh_evtx_dec *d, const unsigned char *c, size_t n,
                                const struct xh_evtx_chunk_info *ci, const struct xh_evtx_sink *sink)
{
	size_t off = XH_EVTX_CHUNK_HEADER, end = ci->free_offset;
	xh_status st = XH_OK;

	if (end > n)
		end = n;
	d->c = c;
	d->cn = n;
	d->gen++;
	if (d->gen == 0) {
		memset(d->names, 0, XH_EVTX_NAME_SLOTS * sizeof *d->names);
		d->gen = 1;
	}
	d->nlen = 0;
	while (off + 24 <= end && !st) {
		bool copy_ok;
		uint32_t size = rd32(c + off + 4);
		uint64_t rid = rd64(c + off + 8);

		if (rd32(c + off) != 0x00002a2a || size < 28 || size > n - off) {
			/* framing lost: zero bytes to the end are slack; else look for the next
			 * well-formed record header (records are 8-byte aligned) and go on there */
			size_t z = off, next;
			while (z < end && c[z] == 0)
				z++;
			if (z >= end)
				break;
			next = resync(c, n, off + 8, end);
			st = sink->bad(sink->ud, (uint32_t)off, rid,
			               next ? "record header broken: skipped to the next record header"
			                    : "record header broken: rest of chunk skipped");
			if (!next)
				break;
			off = next;
			continue;
		}
		/* a size copy that differs is common in records cut short by a crash; the
		 * XML decides whether the record is usable */
		copy_ok = rd32(c + off + size - 4) == size;
		memset(&d->ev, 0, sizeof d->ev);
		d->ev.record_id = rid;
		d->ev.written_ms = filetime_ms(rd64(c + off + 16));
		d->ev.time_ms = d->ev.written_ms;
		d->ev.chunk_offset = (uint32_t)off;
		d->ev.event_id = -1;
		if (decode_record(d, off + 24, off + size - 4)) {
			d->ev.f = d->f;
			d->ev.nf = d->nf + d->na;
			d->ev.nalias = d->na;
			st = sink->record(sink->ud, &d->ev);
		} else {
			st = sink->bad(sink->ud, (uint32_t)off, rid,
			               !copy_ok ? "record size and its copy differ, XML unreadable"
			                        : d->err ? d->err : "bad record");
		}
		off += size;
	}
	return st;
}
