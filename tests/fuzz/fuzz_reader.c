/*
 * fuzz_reader.c - the CSV input pipeline (source -> decode -> reader) on
 * arbitrary bytes.
 *
 * The first input byte picks the configuration, the rest is the file:
 *   bits 0-1  encoding: utf-8, windows-1252, latin-1, utf-16
 *   bits 2-3  delimiter: ',' '\t' ';' '|'
 *   bit  4    the file is named ".csv.gz", so it goes through inflate
 *   bits 5-7  field limit (reader_set_field_limit): none, or 1..7 * 5 bytes,
 *             so the "field too large" cut and resume path runs on small
 *             inputs
 *
 * Besides memory safety (ASan, UBSan), every record must keep the reader's
 * promises: lines start at 1 and never go backwards, a record ends no
 * earlier than it starts, the unterminated-quote line is set exactly when its
 * flag is, no field is longer than the limit, and a record not flagged
 * REC_INVALID_ENCODING is valid UTF-8 (Latin-1 can never produce an invalid
 * one: every byte has a character).
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "limits.h"
#include "reader.h"
#include "text.h"

static int memfd = -1;
static char csv_path[128], gz_path[128];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (memfd < 0) {
        memfd = fuzz_memfile("input.csv", csv_path);
        fuzz_alias(memfd, "input.csv.gz", gz_path);
    }
    static const encoding encs[4] = {ENC_UTF8, ENC_WINDOWS_1252, ENC_LATIN1, ENC_UTF16};
    static const char delims[4] = {',', '\t', ';', '|'};
    uint8_t ctl = data[0];
    reader_opts opts = {delims[(ctl >> 2) & 3], encs[ctl & 3]};
    const char *path = (ctl & 0x10) ? gz_path : csv_path;
    size_t limit = (size_t)(ctl >> 5) * 5;
    fuzz_fill(memfd, data + 1, size - 1);

    char err[512] = "";
    reader *r = reader_open(path, &opts, err, sizeof err);
    FUZZ_CHECK(r != NULL, "reader_open: %s", err);
    if (limit) reader_set_field_limit(r, limit);
    size_t max_field = limit ? limit : CRMLINT_MAX_FIELD_BYTES;

    record rec;
    uint64_t prev_line = 0;
    size_t nrec = 0;
    int rc;
    unsigned sum = 0;
    while ((rc = reader_next(r, &rec, err, sizeof err)) == 1) {
        nrec++;
        FUZZ_CHECK(rec.line >= 1, "record %zu at line 0", nrec);
        FUZZ_CHECK(rec.line >= prev_line, "record %zu at line %llu after line %llu", nrec,
                   (unsigned long long)rec.line, (unsigned long long)prev_line);
        FUZZ_CHECK(rec.end_line >= rec.line, "record %zu ends at %llu before it starts at %llu",
                   nrec, (unsigned long long)rec.end_line, (unsigned long long)rec.line);
        bool unterminated = rec.flags & REC_UNTERMINATED_QUOTE;
        FUZZ_CHECK(unterminated == (rec.quote_line != 0), "quote_line %llu with flags %u",
                   (unsigned long long)rec.quote_line, rec.flags);
        if (unterminated)
            FUZZ_CHECK(rec.quote_line >= rec.line && rec.quote_line <= rec.end_line,
                       "quote line %llu outside record lines %llu..%llu",
                       (unsigned long long)rec.quote_line, (unsigned long long)rec.line,
                       (unsigned long long)rec.end_line);
        FUZZ_CHECK(rec.nfields <= CRMLINT_MAX_COLUMNS, "%zu fields", rec.nfields);
        bool valid = true;
        for (size_t i = 0; i < rec.nfields; i++) {
            slice f = rec.fields[i];
            FUZZ_CHECK(f.n <= max_field, "field of %zu bytes over the limit %zu", f.n, max_field);
            /* Touch every byte so ASan sees a slice pointing outside its data. */
            for (size_t k = 0; k < f.n; k++) sum += (unsigned char)f.p[k];
            if (!text_utf8_valid(f.p, f.n)) valid = false;
        }
        if (!(rec.flags & REC_INVALID_ENCODING))
            FUZZ_CHECK(valid, "record at line %llu is invalid UTF-8 but not flagged",
                       (unsigned long long)rec.line);
        if (opts.enc == ENC_LATIN1)
            FUZZ_CHECK(!(rec.flags & REC_INVALID_ENCODING), "latin-1 record flagged invalid");
        prev_line = rec.line;
    }
    /* -1 is allowed (corrupt gzip); the reason must be there. */
    if (rc < 0) FUZZ_CHECK(err[0] != '\0', "reader_next failed without a reason");
    if (!(ctl & 0x10)) FUZZ_CHECK(rc == 0, "plain input failed: %s", err);
    FUZZ_CHECK(reader_size(r) == size - 1, "size %llu for %zu bytes",
               (unsigned long long)reader_size(r), size - 1);
    reader_close(r);
    (void)sum;
    return 0;
}
