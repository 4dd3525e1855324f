/*
 * fuzz_decode.c - the decoder must not care where blocks end.
 *
 * The reader feeds the decoder 1 MiB blocks, so a BOM, a UTF-16 unit or a
 * surrogate pair can be split between two calls; the fuzzer's inputs are far
 * smaller than a block, so fuzz_reader never sees such a split.  Here the
 * same bytes are decoded twice, in one call and in pieces whose sizes the
 * input chooses (including empty pieces), and the two outputs must be
 * identical.  Latin-1 output must always be valid UTF-8.
 *
 * Input: byte 0 picks the encoding (bits 0-1); bytes 1-8 are the piece sizes
 * (each 0..255, cycled); the rest is the text.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "buf.h"
#include "decode.h"
#include "text.h"

static void decode(encoding enc, const uint8_t *data, size_t size, const uint8_t *pieces,
                   size_t npieces, buf *out)
{
    char err[128] = "";
    decoder *d = decoder_new(enc, err, sizeof err);
    FUZZ_CHECK(d != NULL, "decoder_new: %s", err);
    size_t off = 0, k = 0;
    while (off < size) {
        size_t n = npieces ? pieces[k++ % npieces] : size;
        if (n > size - off) n = size - off;
        FUZZ_CHECK(decoder_feed(d, (const char *)data + off, n, false, out), "feed");
        off += n;
        /* Eight empty pieces in a row would never end: force progress. */
        if (npieces && k % npieces == 0 && n == 0 && off < size) {
            FUZZ_CHECK(decoder_feed(d, (const char *)data + off, 1, false, out), "feed");
            off++;
        }
    }
    FUZZ_CHECK(decoder_feed(d, NULL, 0, true, out), "last feed");
    decoder_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9) return 0;
    static const encoding encs[4] = {ENC_UTF8, ENC_WINDOWS_1252, ENC_LATIN1, ENC_UTF16};
    encoding enc = encs[data[0] & 3];
    const uint8_t *pieces = data + 1;
    data += 9;
    size -= 9;

    buf whole = BUF_INIT, split = BUF_INIT;
    decode(enc, data, size, NULL, 0, &whole);
    decode(enc, data, size, pieces, 8, &split);
    FUZZ_CHECK(
        whole.len == split.len && (whole.len == 0 || memcmp(whole.p, split.p, whole.len) == 0),
        "%s: %zu bytes decoded whole, %zu in pieces", encoding_name(enc), whole.len, split.len);
    if (enc == ENC_LATIN1)
        FUZZ_CHECK(text_utf8_valid(whole.p, whole.len), "latin-1 gave invalid UTF-8");
    if (enc == ENC_UTF8 && size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        FUZZ_CHECK(whole.len == size - 3 && memcmp(whole.p, data + 3, size - 3) == 0, "BOM");
    buf_free(&whole);
    buf_free(&split);
    return 0;
}
