/*
 * fuzz_csvscan.c - the record boundaries --jobs cuts files at, against
 * libcsv itself.
 *
 * The first input byte picks the delimiter (bits 0-1: ',' '\t' ';' '|') and
 * how many bytes the scanner is fed at a time (bits 2-7: 1 + 13 * n); the
 * rest is the text.  The scanner's boundaries are found the way the
 * splitter finds them (take the first, restart there).  Then the text is
 * parsed whole and in pieces cut at those boundaries, each piece starting on
 * the line the whole text puts it on: the records (fields, lines, flags)
 * must be the same.  A wrong boundary would split or merge records.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "buf.h"
#include "csvscan.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every record of text[0..n) from first_line on, appended to out. */
static void records(const reader_opts *o, const char *text, size_t n, uint64_t first_line, buf *out)
{
    reader *r = reader_open_text("fuzz.csv", o, text, n, first_line);
    FUZZ_CHECK(r != NULL, "reader_open_text");
    record rec;
    int got;
    while ((got = reader_next(r, &rec, NULL, 0)) > 0) {
        buf_printf(out, "%llu-%llu/%u/%llu:", (unsigned long long)rec.line,
                   (unsigned long long)rec.end_line, rec.flags, (unsigned long long)rec.quote_line);
        for (size_t i = 0; i < rec.nfields; i++) {
            buf_printf(out, "%zu:", rec.fields[i].n);
            buf_add(out, rec.fields[i].p, rec.fields[i].n);
        }
        buf_addc(out, '\n');
    }
    FUZZ_CHECK(got == 0, "reader_next");
    reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024) return 0;
    static const char delims[4] = {',', '\t', ';', '|'};
    reader_opts o = {delims[data[0] & 3], ENC_UTF8};
    size_t step = 1 + (size_t)(data[0] >> 2) * 13;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;

    buf whole = BUF_INIT, parts = BUF_INIT;
    records(&o, text, n, 1, &whole);
    csvscan s;
    csvscan_init(&s, o.delimiter);
    size_t start = 0, pos = 0;
    uint64_t line = 1;
    while (pos < n) {
        size_t lim = n - pos < step ? n - pos : step, first, last;
        if (csvscan_feed(&s, text + pos, lim, &first, &last) == 0) {
            pos += lim;
            continue;
        }
        FUZZ_CHECK(first >= 1 && first <= last && last <= lim && text[pos + first - 1] == '\n',
                   "boundary %zu..%zu of %zu", first, last, lim);
        pos += first;
        records(&o, text + start, pos - start, line, &parts);
        for (size_t i = start; i < pos; i++) line += text[i] == '\n';
        start = pos;
        csvscan_restart(&s);
    }
    records(&o, text + start, n - start, line, &parts);
    FUZZ_CHECK(!whole.oom && !parts.oom, "buf");
    FUZZ_CHECK(whole.len == parts.len &&
                   (whole.len == 0 || memcmp(whole.p, parts.p, whole.len) == 0),
               "records differ when the text is cut at the scanner's boundaries");
    buf_free(&whole);
    buf_free(&parts);
    return 0;
}
