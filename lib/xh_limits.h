/*
 * Every limit exhunt enforces, in one place, each with the reason for its value.
 *
 * Evidence is hostile: sizes, counts and depths taken from it are never trusted. Each
 * growable buffer is created with one of these ceilings; reaching one is a counted,
 * reported event (a bad record, an unreadable file), never a crash or a silent drop.
 */
#ifndef XH_LIMITS_H
#define XH_LIMITS_H

/* Longest line or CSV record kept whole. Real IIS lines are < 8 KiB and the longest
 * Exchange lines (HttpProxy with GenericInfo, Rps_Cmdlet parameters) stay under 64 KiB;
 * 1 MiB leaves room for attacker-stuffed query strings while bounding memory per worker.
 * Longer lines are cut here, counted as bad and their rest skipped. */
#define XH_MAX_LINE (1u << 20)

/* Bytes requested from the input per read(): large enough to amortise syscalls at
 * ~1 GB/s, small enough that jobs x buffers stays a few MiB. */
#define XH_READ_CHUNK (256u << 10)

/* Columns in a #Fields header. W3C defines ~30 standard fields and custom ones are
 * rare; the widest Exchange log (HttpProxy) has 74 and EWS about 90. */
#define XH_MAX_FIELDS 256

/* Length of one column name in #Fields; real names are < 64 bytes. */
#define XH_MAX_FIELD_NAME 128

/* Derived fields per record (ECP EventData S:KEY parts: about 16 in real logs). */
#define XH_MAX_DERIVED 64

/* Bytes kept of a header directive value (#Log-type, #Version, #Software). */
#define XH_MAX_DIRECTIVE 256

/* Bytes of a file looked at to classify it: the W3C and Exchange headers are within
 * the first few lines; EVTX magic is at 0. */
#define XH_SNIFF_BYTES (8u << 10)

/* Folder depth walked. Windows paths rarely go beyond 30 levels; a deeper tree is a
 * crafted collection or a link loop (which we never follow anyway). */
#define XH_MAX_DEPTH 64

/* Evidence-relative path length. NTFS allows 32,767 UTF-16 units; 8 KiB of UTF-8
 * covers every real Windows path while bounding per-entry memory. Longer: counted as
 * unreadable ("path too long"). */
#define XH_MAX_PATH 8192

/* Entries enumerated per evidence root (folder tree or archive). A server collection
 * holds ~10^5 files; 10^7 bounds the entry table to ~1 GiB worst case of names. */
#define XH_MAX_ENTRIES 10000000u

/* Per-file output kept in memory before it spills to an anonymous temp file, so that
 * output order stays deterministic while memory stays bounded by jobs x this. */
#define XH_OBUF_MEM (4u << 20)

/* One record formatted for output. A record's text, fields and derived fields each
 * hold at most XH_MAX_LINE (+1 for a joined CSV record) source bytes, and the worst
 * escaping turns one byte into 6 (JSON \u00XX), so 3 x 6 x XH_MAX_LINE plus names and
 * the path stays under this; a record can therefore always be written. */
#define XH_MAX_RECORD_OUT (20u << 20)

/* Files processed ahead of the next file to be written: bounds memory and open temp
 * files when one early file is slow. Multiplied by the job count. */
#define XH_INFLIGHT_PER_JOB 4

/* Worker threads: more than this gives nothing on a collection, only memory. */
#define XH_MAX_JOBS 256

/* Findings kept in memory for the grouped text report; counted beyond it. */
#define XH_MAX_FINDINGS_KEPT 100000

/* Decompressed bytes read from one gzip member or zip entry. Streams keep memory
 * bounded; this bounds time spent on a decompression bomb (64 GiB ~ a minute). */
#define XH_MAX_INFLATED ((unsigned long long)64 << 30)

/* Sigma rule files. The largest SigmaHQ rule is ~10 KiB; a pack of a few thousand rules
 * stays far below these, and a hostile rule cannot make the compiler explode. */
#define XH_MAX_RULE_FILE (1u << 20)     /* bytes per rule file */
#define XH_MAX_YAML_DEPTH 32            /* nesting of mappings/sequences */
#define XH_MAX_YAML_NODES 200000        /* nodes per file */
#define XH_MAX_YAML_SCALAR 65536        /* bytes per value */
#define XH_MAX_YAML_DOCS 256            /* documents per file */
#define XH_MAX_RULES 100000             /* rules loaded */
#define XH_MAX_COND_DEPTH 64            /* parentheses / not nesting in a condition */
#define XH_MAX_WINDASH_VARIANTS 256     /* values one windash value may expand to */
#define XH_MAX_RULE_FILES 100000        /* files walked below a rules folder */
/* Informational findings of one file compared with the last this many when folding
 * repeats of one rule and client (scanner noise) into one finding with a count. */
#define XH_FOLD_LOOKBACK 256

/* Fields a finding quotes from its record (the ones its rule tests). */
#define XH_MAX_FINDING_FIELDS 8

/* Literal alternatives one rule may give the prefilter; beyond it (a long base64offset
 * or windash expansion) the rule is simply evaluated on every record. */
#define XH_MAX_PF_LITS_PER_RULE 1024

/* Total coverage groups (source kind x folder). */
#define XH_MAX_GROUPS 100000

/* ---- EVTX (evtx.c) ----
 * A chunk is 64 KiB, so everything a record can reference lives in 64 KiB; the limits
 * below bound what a crafted chunk can make the decoder produce or walk. */
/* Element nesting in one event. Real events nest 4-6 deep (Event/UserData/x/y). */
#define XH_EVTX_MAX_DEPTH 64
/* Template instances nested through BinXML substitution values; real files use 2-3. */
#define XH_EVTX_MAX_NEST 16
/* Tokens walked per record: templates reuse values, so output is not bounded by the
 * record size alone; a real record walks < 2,000 tokens. */
#define XH_EVTX_MAX_STEPS 200000ul
/* Rendered value bytes per record: a 64 KiB record of binary renders to 128 KiB of hex;
 * 2 MiB leaves room for value reuse while bounding a crafted record. */
#define XH_EVTX_MAX_TEXT (2u << 20)
/* Fields per record: Security and Sysmon events have < 40, the widest real ones < 200. */
#define XH_EVTX_MAX_FIELDS 512
/* The "Name=value; " text of a record (values plus names and separators). */
#define XH_EVTX_MAX_RAW (XH_EVTX_MAX_TEXT + XH_EVTX_MAX_FIELDS * 1024u)
/* Composed field names ("Provider_Name", "Data[3]") per record. */
#define XH_EVTX_COMP_NAMES (64u << 10)
/* Substitution values alive at once (nested arrays); a chunk holds < 16,384 4-byte
 * descriptors in all. */
#define XH_EVTX_MAX_SUBS 16384
/* Name cache per chunk: slots (a power of two) and UTF-8 bytes. A chunk's names are at
 * most 64 KiB of UTF-16, i.e. < 96 KiB of UTF-8. */
#define XH_EVTX_NAME_BITS 12
#define XH_EVTX_NAME_SLOTS (1u << XH_EVTX_NAME_BITS)
#define XH_EVTX_NAME_ARENA (192u << 10)
/* Chunks decoded ahead per file when helper threads decode a large file's chunks: the
 * batch is copied out of the input (64 x 64 KiB = 4 MiB per such file). */
#define XH_EVTX_BATCH 64
/* Helper threads one file may use (each has its own ~5 MiB decoder); the scan's spare
 * cores bound the total. */
#define XH_EVTX_MAX_HELPERS 15
/* Decoded text of one chunk kept for in-order output: a chunk's records render to a few
 * hundred KiB; a crafted chunk beyond this is decoded again serially at its turn. */
#define XH_EVTX_SLOT_TEXT (16u << 20)

#endif
