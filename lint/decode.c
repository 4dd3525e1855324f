/*
 * decode.c - declared encoding to UTF-8, one block at a time (see decode.h).
 *
 * UTF-8 passes through untouched (minus a leading BOM): validity is checked
 * per record by the reader, where the finding belongs, so the decoder never
 * has to hold back a split sequence.  Windows-1252 and Latin-1 are single-byte
 * encodings: a 128-entry table maps each high byte to its UTF-8 bytes, and
 * runs of ASCII are copied eight bytes at a time.  Windows-1252 leaves five
 * bytes undefined (0x81 0x8D 0x8F 0x90 0x9D); they come out as themselves,
 * which is invalid UTF-8, so the record is flagged instead of silently
 * guessing (Latin-1 would call them C1 controls).
 *
 * UTF-16 goes through iconv.  glibc's iconv stops at an invalid unit (a lone
 * surrogate) with EILSEQ; we emit 0xFF for it, skip its two bytes and carry
 * on, so one bad unit costs one replacement character, not the file.  Units
 * split across blocks (an odd byte, half a surrogate pair) wait in `pend`.
 */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

struct decoder {
    encoding enc;
    bool started; /* the BOM (or its absence) has been dealt with */
    /* Bytes held back: the start of the stream while we cannot yet tell
     * whether it has a BOM, or an incomplete UTF-16 unit at a block end. */
    unsigned char pend[4];
    size_t npend;
    /* Single-byte encodings: UTF-8 for bytes 0x80..0xFF. */
    unsigned char hi[128][4]; /* [0] = length, [1..3] = bytes */
    /* UTF-16 */
    iconv_t cd;    /* the converter in use: little-endian until a BOM says otherwise */
    iconv_t cd_be; /* the big-endian one, swapped into cd by a FE FF BOM */
    buf tmp;       /* pend + next block, when a unit straddles blocks */
};

static const struct {
    const char *name;
    encoding e;
} enc_names[] = {
    {"utf-8", ENC_UTF8},     {"windows-1252", ENC_WINDOWS_1252}, {"cp1252", ENC_WINDOWS_1252},
    {"latin-1", ENC_LATIN1}, {"iso-8859-1", ENC_LATIN1},         {"utf-16", ENC_UTF16},
};

bool encoding_parse(const char *name, encoding *out)
{
    for (size_t i = 0; i < sizeof enc_names / sizeof enc_names[0]; i++) {
        if (strcasecmp(name, enc_names[i].name) == 0) {
            *out = enc_names[i].e;
            return true;
        }
    }
    return false;
}

const char *encoding_name(encoding e)
{
    switch (e) {
    case ENC_UTF8:
        return "utf-8";
    case ENC_WINDOWS_1252:
        return "windows-1252";
    case ENC_LATIN1:
        return "latin-1";
    case ENC_UTF16:
        return "utf-16";
    }
    return "?";
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static void build_table(decoder *d)
{
    for (unsigned b = 0x80; b <= 0xFF; b++) {
        unsigned char *t = d->hi[b - 0x80];
        unsigned cp = b;
        if (d->enc == ENC_WINDOWS_1252 && b < 0xA0) {
            cp = cp1252_c1[b - 0x80];
            if (cp == 0) { /* undefined: pass the raw (invalid UTF-8) byte */
                t[0] = 1;
                t[1] = (unsigned char)b;
                continue;
            }
        }
        if (cp < 0x800) {
            t[0] = 2;
            t[1] = (unsigned char)(0xC0 | (cp >> 6));
            t[2] = (unsigned char)(0x80 | (cp & 0x3F));
        } else {
            t[0] = 3;
            t[1] = (unsigned char)(0xE0 | (cp >> 12));
            t[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            t[3] = (unsigned char)(0x80 | (cp & 0x3F));
        }
    }
}

decoder *decoder_new(encoding e, char *err, size_t errlen)
{
    decoder *d = xcalloc(1, sizeof *d);
    if (d == NULL) {
        if (err && errlen) snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->enc = e;
    d->cd = (iconv_t)-1;
    d->cd_be = (iconv_t)-1;
    if (e == ENC_WINDOWS_1252 || e == ENC_LATIN1) build_table(d);
    if (e == ENC_UTF16) {
        /* Both byte orders now, so a missing converter is an open-time error. */
        d->cd = iconv_open("UTF-8", "UTF-16LE");
        d->cd_be = iconv_open("UTF-8", "UTF-16BE");
        if (d->cd == (iconv_t)-1 || d->cd_be == (iconv_t)-1) {
            if (err && errlen) snprintf(err, errlen, "utf-16: %s", strerror(errno));
            decoder_free(d);
            return NULL;
        }
    }
    return d;
}

void decoder_free(decoder *d)
{
    if (d == NULL) return;
    if (d->cd != (iconv_t)-1) iconv_close(d->cd);
    if (d->cd_be != (iconv_t)-1) iconv_close(d->cd_be);
    buf_free(&d->tmp);
    xfree(d);
}

/* Appends raw bytes straight into out's reserved space: the caller reserved. */
static inline unsigned char *out_end(buf *out)
{
    return (unsigned char *)out->p + out->len;
}

static inline void out_commit(buf *out, unsigned char *end)
{
    out->len = (size_t)(end - (unsigned char *)out->p);
    out->p[out->len] = '\0';
}

/* ---- single-byte encodings --------------------------------------------- */

static bool feed_table(decoder *d, const unsigned char *in, size_t n, buf *out)
{
    if (n > (SIZE_MAX - 16) / 3 || !buf_reserve(out, 3 * n)) return false;
    unsigned char *o = out_end(out);
    size_t i = 0;
    while (i < n) {
        /* Copy ASCII eight bytes at a time: exports are mostly ASCII. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, in + i, 8);
            if (w & 0x8080808080808080ull) break;
            memcpy(o, &w, 8);
            o += 8;
            i += 8;
        }
        while (i < n && in[i] < 0x80) *o++ = in[i++];
        if (i >= n) break;
        const unsigned char *t = d->hi[in[i] - 0x80];
        o[0] = t[1];
        o[1] = t[2];
        o[2] = t[3];
        o += t[0];
        i++;
    }
    out_commit(out, o);
    return true;
}

/* ---- UTF-16 ------------------------------------------------------------ */

static bool put_ff(buf *out)
{
    buf_addc(out, (char)0xFF);
    return !out->oom;
}

/* Converts in[0..n) (whole units and maybe an incomplete tail) and keeps the
 * tail in pend unless this is the last block. */
static bool utf16_convert(decoder *d, const char *in, size_t n, bool last, buf *out)
{
    char *ip = (char *)in;
    size_t il = n;
    while (il > 0) {
        /* Two UTF-16 bytes never need more than three UTF-8 bytes. */
        size_t want = il / 2 * 3 + 8;
        if (!buf_reserve(out, want)) return false;
        char *op = out->p + out->len;
        size_t ol = out->cap - out->len - 1; /* keep room for the NUL */
        size_t rc = iconv(d->cd, &ip, &il, &op, &ol);
        int e = errno;
        out_commit(out, (unsigned char *)op);
        if (rc != (size_t)-1) break;
        if (e == E2BIG) continue;
        if (e == EILSEQ) {
            /* A lone surrogate: one replacement marker per bad unit. */
            if (!put_ff(out)) return false;
            size_t skip = il < 2 ? il : 2;
            ip += skip;
            il -= skip;
            continue;
        }
        if (e == EINVAL) { /* incomplete unit or pair at the end */
            if (last) {
                /* One marker per started unit: an odd byte is a unit too. */
                for (size_t k = 0; k < (il + 1) / 2; k++)
                    if (!put_ff(out)) return false;
            } else {
                memcpy(d->pend, ip, il);
                d->npend = il;
            }
            il = 0;
            break;
        }
        /* Any other failure: mark and skip a unit rather than loop. */
        if (!put_ff(out)) return false;
        size_t skip = il < 2 ? il : 2;
        ip += skip;
        il -= skip;
    }
    if (last) iconv(d->cd, NULL, NULL, NULL, NULL);
    return true;
}

static bool feed_utf16(decoder *d, const char *in, size_t n, bool last, buf *out)
{
    if (!d->started) {
        while (d->npend < 2 && n > 0) {
            d->pend[d->npend++] = (unsigned char)*in++;
            n--;
        }
        if (d->npend < 2 && !last) return true;
        d->started = true;
        if (d->npend == 0) return true; /* empty input: nothing to flag */
        bool bom = false;
        if (d->npend == 2 && d->pend[0] == 0xFE && d->pend[1] == 0xFF) {
            iconv_t le = d->cd;
            d->cd = d->cd_be;
            d->cd_be = le;
            bom = true;
        } else if (d->npend == 2 && d->pend[0] == 0xFF && d->pend[1] == 0xFE) {
            bom = true;
        }
        if (bom) {
            d->npend = 0;
        } else if (!put_ff(out)) {
            /* No BOM: the byte order is a guess, and the first record says
             * so by carrying an invalid byte. */
            return false;
        }
    }
    if (d->npend == 0) return utf16_convert(d, in, n, last, out);

    /* A unit straddles the block boundary: join the tail and the new block. */
    buf_reset(&d->tmp);
    buf_add(&d->tmp, d->pend, d->npend);
    buf_add(&d->tmp, in, n);
    if (d->tmp.oom) return false;
    d->npend = 0;
    return utf16_convert(d, d->tmp.p, d->tmp.len, last, out);
}

/* ---- UTF-8 ------------------------------------------------------------- */

static bool feed_utf8(decoder *d, const char *in, size_t n, bool last, buf *out)
{
    if (!d->started) {
        /* Hold the first bytes until we know whether they are a BOM. */
        while (d->npend < 3 && n > 0) {
            unsigned char c = (unsigned char)*in;
            static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
            if (c != bom[d->npend]) break;
            d->pend[d->npend++] = c;
            in++;
            n--;
        }
        if (d->npend == 3) {
            d->npend = 0; /* a whole BOM: drop it */
            d->started = true;
        } else if (n > 0 || last) {
            /* Not a BOM after all: the held bytes are data. */
            buf_add(out, d->pend, d->npend);
            d->npend = 0;
            d->started = true;
        } else {
            return true; /* a prefix of a BOM, block ended: wait */
        }
    }
    buf_add(out, in, n);
    return !out->oom;
}

bool decoder_is_identity(const decoder *d)
{
    return d->enc == ENC_UTF8 && d->started;
}

bool decoder_feed(decoder *d, const char *in, size_t n, bool last, buf *out)
{
    if (out->oom) return false;
    switch (d->enc) {
    case ENC_UTF8:
        return feed_utf8(d, in, n, last, out);
    case ENC_WINDOWS_1252:
    case ENC_LATIN1:
        if (!feed_table(d, (const unsigned char *)in, n, out)) {
            out->oom = true;
            return false;
        }
        return true;
    case ENC_UTF16:
        if (!feed_utf16(d, in, n, last, out)) {
            out->oom = true;
            return false;
        }
        return true;
    }
    return false;
}
