/*
 * baseline.c - matching findings against an earlier json report (see
 * baseline.h).
 *
 * Each finding's match key (rule, object, column, record, and the line when
 * the record is null) is encoded into one byte string: per field a tag byte
 * (0 null, 1 string), then for a string a 4-byte length and the bytes.  The
 * encoding keeps null apart from "" and cannot be confused by separators
 * inside values.  A keymap maps each distinct key to a slot counting how
 * many baseline findings share it; marking consumes those counts in report
 * order, which makes the match one to one and deterministic.
 *
 * Both sides go through the same encoder, which writes strings as the json
 * reporter does (each invalid UTF-8 byte as U+FFFD; baseline strings are
 * valid UTF-8 already, so for them it is a copy).  The baseline's parsed
 * tree is freed at the end of loading: only the keys and counts are kept.
 *
 * Marking must not fail halfway, so it does not allocate: it encodes into a
 * buffer as large as the longest baseline key, and a current key that does
 * not fit cannot be in the baseline anyway.
 */
#include "baseline.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "keymap.h"
#include "text.h"
#include "xalloc.h"

struct baseline {
    keymap *keys;    /* encoded key -> index into count */
    uint32_t *count; /* baseline findings per distinct key */
    uint32_t *left;  /* baseline_mark's working copy of count */
    size_t nkeys;
    uint64_t nfindings;
    uint64_t omitted;
    char *key;      /* scratch for one encoded key */
    size_t key_cap; /* >= the longest baseline key */
};

typedef struct keybuf {
    char *p;
    size_t len, cap;
    bool over; /* did not fit: cannot match anything */
} keybuf;

static void kb_put(keybuf *k, const void *s, size_t n)
{
    if (n == 0 || k->over) return;
    if (n > k->cap - k->len) {
        k->over = true;
        return;
    }
    memcpy(k->p + k->len, s, n);
    k->len += n;
}

static void kb_field(keybuf *k, const char *s, size_t n)
{
    if (s == NULL) {
        kb_put(k, "\0", 1);
        return;
    }
    kb_put(k, "\1", 1);
    size_t at = k->len;
    kb_put(k, "\0\0\0\0", 4);
    size_t i = 0, run = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = text_utf8_next(s + i, n - i, &cp);
        if (len > 1) {
            i += len;
            continue;
        }
        kb_put(k, s + run, i - run);
        kb_put(k, "\xEF\xBF\xBD", 3);
        run = ++i;
    }
    kb_put(k, s + run, n - run);
    if (k->over) return;
    uint32_t flen = (uint32_t)(k->len - at - 4);
    memcpy(k->p + at, &flen, 4);
}

static void kb_cfield(keybuf *k, const char *s)
{
    kb_field(k, s, s ? strlen(s) : 0);
}

/* Bytes kb_field needs for n bytes of valid UTF-8 (and no more). */
static size_t field_size(const char *s, size_t n)
{
    return s ? 5 + n : 1;
}

baseline *baseline_load(const char *path, char *err, size_t errlen)
{
    keybuf kb = {NULL, 0, 0, false};
    baseline *b = NULL;
    const char *what = NULL; /* the missing or mistyped field */
    size_t at = 0;           /* the finding it is missing from */
    json_value *doc = json_load_file(path, err, errlen);
    if (doc == NULL) return NULL;

    if (json_kind_of(doc) != JSON_OBJECT) {
        snprintf(err, errlen, "%s: not a crmlint json report (not a JSON object)", path);
        goto fail;
    }
    const json_value *findings = json_get(doc, "findings");
    if (findings == NULL || json_kind_of(findings) != JSON_ARRAY) {
        snprintf(err, errlen, "%s: not a crmlint json report (no findings array)", path);
        goto fail;
    }
    size_t n = json_array_len(findings);

    b = xcalloc(1, sizeof *b);
    if (b == NULL) goto oom;
    b->keys = keymap_new();
    b->count = xmalloc((n ? n : 1) * sizeof *b->count);
    if (b->keys == NULL || b->count == NULL) goto oom;
    b->nfindings = n;
    (void)json_number_u64(json_get(json_get(doc, "summary"), "findings_omitted"), &b->omitted);

    for (at = 0; at < n; at++) {
        const json_value *f = json_array_item(findings, at);
        if (json_kind_of(f) != JSON_OBJECT) {
            snprintf(err, errlen, "%s: not a crmlint json report (findings[%zu] is not an object)",
                     path, at);
            goto fail;
        }
        /* One pass over the members rather than a json_get per field. */
        const json_value *rule = NULL, *object = NULL, *column = NULL, *record = NULL;
        const json_value *line = NULL;
        for (size_t m = 0; m < json_object_len(f); m++) {
            size_t kl;
            const char *k = json_string(json_object_key(f, m), &kl);
            const json_value *v = json_object_value(f, m);
            if (kl == 4 && memcmp(k, "rule", 4) == 0)
                rule = v;
            else if (kl == 6 && memcmp(k, "object", 6) == 0)
                object = v;
            else if (kl == 6 && memcmp(k, "column", 6) == 0)
                column = v;
            else if (kl == 6 && memcmp(k, "record", 6) == 0)
                record = v;
            else if (kl == 4 && memcmp(k, "line", 4) == 0)
                line = v;
        }
        size_t rule_n = 0, object_n = 0, column_n = 0, record_n = 0;
        const char *rule_s = json_string(rule, &rule_n);
        const char *object_s = json_string(object, &object_n);
        const char *column_s = json_string(column, &column_n);
        const char *record_s = json_string(record, &record_n);
        uint64_t line_no = 0;
        if (rule_s == NULL)
            what = "rule\" string";
        else if (object_s == NULL && (object == NULL || json_kind_of(object) != JSON_NULL))
            what = "object\" string or null";
        else if (column_s == NULL && (column == NULL || json_kind_of(column) != JSON_NULL))
            what = "column\" string or null";
        else if (record_s == NULL && (record == NULL || json_kind_of(record) != JSON_NULL))
            what = "record\" string or null";
        else if (record_s == NULL && !json_number_u64(line, &line_no))
            what = "line\" number";
        if (what) {
            snprintf(err, errlen, "%s: not a crmlint json report (findings[%zu] has no \"%s)", path,
                     at, what);
            goto fail;
        }

        size_t need = field_size(rule_s, rule_n) + field_size(object_s, object_n) +
                      field_size(column_s, column_n) + field_size(record_s, record_n) + 8;
        if (need > kb.cap) {
            size_t cap = kb.cap ? kb.cap : 256;
            while (cap < need) cap *= 2;
            char *p = xrealloc(kb.p, cap);
            if (p == NULL) goto oom;
            kb.p = p;
            kb.cap = cap;
        }
        kb.len = 0;
        kb.over = false;
        kb_field(&kb, rule_s, rule_n);
        kb_field(&kb, object_s, object_n);
        kb_field(&kb, column_s, column_n);
        kb_field(&kb, record_s, record_n);
        if (record_s == NULL) kb_put(&kb, &line_no, sizeof line_no);

        uint32_t slot;
        int r = keymap_put(b->keys, slice_of(kb.p, kb.len), (uint32_t)b->nkeys, &slot);
        if (r < 0) goto oom;
        if (r == 1) {
            b->count[slot]++;
        } else {
            b->count[b->nkeys++] = 1;
        }
    }

    b->left = xmalloc((b->nkeys ? b->nkeys : 1) * sizeof *b->left);
    if (b->left == NULL) goto oom;
    b->key = kb.p;
    b->key_cap = kb.cap;
    json_free(doc);
    return b;

oom:
    snprintf(err, errlen, "%s: out of memory", path);
fail:
    xfree(kb.p);
    baseline_free(b);
    json_free(doc);
    return NULL;
}

void baseline_free(baseline *b)
{
    if (b == NULL) return;
    keymap_free(b->keys);
    xfree(b->count);
    xfree(b->left);
    xfree(b->key);
    xfree(b);
}

uint64_t baseline_mark(baseline *b, result *res)
{
    if (b->nkeys) memcpy(b->left, b->count, b->nkeys * sizeof *b->left);
    keybuf kb = {b->key, 0, b->key_cap, false};
    for (size_t i = 0; i < res->nfindings; i++) {
        finding *f = &res->findings[i];
        const result_rule *r = &res->rules[f->rule];
        const char *object = result_finding_object(res, f); /* as the json report has it */
        kb.len = 0;
        kb.over = false;
        kb_cfield(&kb, r->id);
        kb_cfield(&kb, object);
        kb_cfield(&kb, f->column);
        kb_cfield(&kb, f->record);
        if (f->record == NULL) kb_put(&kb, &f->line, sizeof f->line);
        f->baseline = false;
        uint32_t slot;
        if (kb.over || keymap_get(b->keys, slice_of(kb.p, kb.len), &slot) != 1) continue;
        if (b->left[slot] > 0) {
            b->left[slot]--;
            f->baseline = true;
        }
    }
    uint64_t fixed = 0;
    for (size_t k = 0; k < b->nkeys; k++) fixed += b->left[k];
    return fixed;
}

uint64_t baseline_count(const baseline *b)
{
    return b->nfindings;
}

uint64_t baseline_omitted(const baseline *b)
{
    return b->omitted;
}
