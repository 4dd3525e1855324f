/*
 * regex.c - PCRE2 regexes compiled once, JIT-compiled, searched many times.
 *
 * A pack's `pattern` and `matches` regexes run once per value, so everything
 * a search needs (match data, match context with the limits, JIT stack and a
 * scratch buffer) is made at compile time and reused: a search allocates
 * nothing unless the subject is invalid UTF-8 and the scratch buffer must
 * grow.
 *
 * PCRE2 in UTF mode has undefined behaviour on invalid UTF-8 when told not to
 * check, and a plain check would make it refuse the subject outright.  CSV
 * values in a record flagged csv/invalid-encoding can hold such bytes, so an
 * invalid subject is first copied with each bad byte replaced by U+FFFD, the
 * same way reports show it, and that copy is searched.
 *
 * All of PCRE2's allocations go through xalloc (a general context), so
 * fault-injection tests cover them too.
 */
#include "regex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "buf.h"
#include "limits.h"
#include "text.h"
#include "xalloc.h"

/* The JIT's default 32 KiB stack gives up on (a|b)* after about 2,000
 * characters; 1 MiB, reserved but only committed as used, takes it to about
 * 50,000.  Past that a search reports RX_LIMIT like any other limit. */
#define JIT_STACK_START (32u * 1024u)

struct regex {
    char *pattern;
    pcre2_general_context *gctx;
    pcre2_code *code;
};

struct regex_space {
    pcre2_general_context *gctx;
    pcre2_match_data *md;      /* one pair: a search only needs to know it matched */
    pcre2_match_context *mctx; /* the limits, and the JIT stack */
    pcre2_jit_stack *jstack;
    buf scratch; /* the subject with invalid bytes replaced by U+FFFD */
};

static void *rx_malloc(PCRE2_SIZE n, void *ud)
{
    (void)ud;
    return xmalloc(n);
}

static void rx_free(void *p, void *ud)
{
    (void)ud;
    xfree(p);
}

regex *regex_new(const char *pattern, bool caseless, char *err, size_t errlen)
{
    regex *rx = xcalloc(1, sizeof *rx);
    if (rx == NULL) goto oom;
    rx->pattern = xstrdup(pattern);
    rx->gctx = pcre2_general_context_create(rx_malloc, rx_free, NULL);
    if (rx->pattern == NULL || rx->gctx == NULL) goto oom;

    pcre2_compile_context *cctx = pcre2_compile_context_create(rx->gctx);
    if (cctx == NULL) goto oom;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | (caseless ? PCRE2_CASELESS : 0);
    int ecode;
    PCRE2_SIZE eoff;
    rx->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &ecode, &eoff, cctx);
    pcre2_compile_context_free(cctx);
    if (rx->code == NULL) {
        if (ecode == PCRE2_ERROR_HEAP_FAILED) goto oom;
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(ecode, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", ecode);
        snprintf(err, errlen, "invalid regex: %s at offset %zu", (const char *)msg, (size_t)eoff);
        goto fail;
    }

    /* A pattern the JIT cannot handle (or a build without JIT) still works
     * through the interpreter, so a JIT failure is not an error.
     * CRMLINT_NO_JIT=1 keeps to the interpreter: Valgrind cannot follow
     * JIT-generated code and reports false uninitialised reads in it. */
    const char *no_jit = getenv("CRMLINT_NO_JIT");
    if (no_jit == NULL || strcmp(no_jit, "1") != 0)
        (void)pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE);
    return rx;

oom:
    snprintf(err, errlen, "out of memory");
fail:
    regex_free(rx);
    return NULL;
}

void regex_free(regex *rx)
{
    if (rx == NULL) return;
    pcre2_code_free(rx->code);
    pcre2_general_context_free(rx->gctx);
    xfree(rx->pattern);
    xfree(rx);
}

regex_space *regex_space_new(void)
{
    regex_space *sp = xcalloc(1, sizeof *sp);
    if (sp == NULL) return NULL;
    sp->gctx = pcre2_general_context_create(rx_malloc, rx_free, NULL);
    if (sp->gctx == NULL) goto fail;
    sp->md = pcre2_match_data_create(1, sp->gctx);
    sp->mctx = pcre2_match_context_create(sp->gctx);
    if (sp->md == NULL || sp->mctx == NULL) goto fail;
    pcre2_set_match_limit(sp->mctx, CRMLINT_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(sp->mctx, CRMLINT_REGEX_DEPTH_LIMIT);
    /* Without its own stack the JIT falls back to the 32 KiB default, so a
     * failure here only lowers how long a subject the JIT can take. */
    sp->jstack = pcre2_jit_stack_create(JIT_STACK_START, CRMLINT_REGEX_JIT_STACK_BYTES, sp->gctx);
    if (sp->jstack) pcre2_jit_stack_assign(sp->mctx, NULL, sp->jstack);
    return sp;
fail:
    regex_space_free(sp);
    return NULL;
}

void regex_space_free(regex_space *sp)
{
    if (sp == NULL) return;
    pcre2_match_context_free(sp->mctx);
    pcre2_match_data_free(sp->md);
    pcre2_jit_stack_free(sp->jstack);
    pcre2_general_context_free(sp->gctx);
    buf_free(&sp->scratch);
    xfree(sp);
}

const char *regex_pattern(const regex *rx)
{
    return rx->pattern;
}

regex_result regex_search(const regex *rx, regex_space *sp, const char *subject, size_t n,
                          bool utf8_valid)
{
    if (sp == NULL) return RX_ERROR;
    if (subject == NULL) subject = "";
    if (!utf8_valid) {
        buf *b = &sp->scratch;
        buf_reset(b);
        b->oom = false;
        if (!buf_reserve(b, n + n / 2)) return RX_ERROR;
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            size_t k = text_utf8_next(subject + i, n - i, &cp);
            if (k == 1 && cp == 0xFFFD) {
                buf_add(b, "\xEF\xBF\xBD", 3);
            } else {
                buf_add(b, subject + i, k);
            }
            i += k;
        }
        if (b->oom) return RX_ERROR;
        subject = b->p;
        n = b->len;
    }
    int rc = pcre2_match(rx->code, (PCRE2_SPTR)subject, n, 0, PCRE2_NO_UTF_CHECK, sp->md, sp->mctx);
    if (rc >= 0) return RX_MATCH;
    switch (rc) {
    case PCRE2_ERROR_NOMATCH:
        return RX_NOMATCH;
    case PCRE2_ERROR_MATCHLIMIT:
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_HEAPLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT:
        return RX_LIMIT;
    default:
        return RX_ERROR;
    }
}
