/*
 * normalize.h - the value normalisers of `unique`, `similar` and `block_by`
 * (SPEC §3 "Normalisers").
 *
 * A normaliser maps a raw field value to the text two records are compared
 * on, so that "ACME, Inc." and "Acme Inc" or "(415) 555-0100" and
 * "+1 415 555 0100" become the same key.  Every normaliser is total: any byte
 * string (NULs, invalid UTF-8) gives some output, possibly empty, and an empty
 * output means "no key" to the rules.  Invalid UTF-8 bytes come out as U+FFFD
 * wherever the value is case-folded.
 *
 *   exact    the raw value, untouched.
 *   trim     the value trimmed of Unicode White_Space.
 *   lower    trimmed, then Unicode full case folding ("Straße" -> "strasse").
 *   email    the same as lower: no +tag or dot stripping, since whether
 *            "b.ob+x@" reaches "bob@" depends on the mail provider.
 *   phone    the ASCII digits, after removing a final extension ("x123",
 *            "ext 123", "ext. 123", any case) exactly as the `phone` format
 *            kind does, so extension digits never join the number.  The first
 *            '+' or digit decides the kind of number: a '+' (e.g. "(+44) 20")
 *            or the digits "00" mark a number that carries its country code,
 *            and the result is its digits without the "00".  Any other number
 *            gets default_cc prefixed unless its digits already start with
 *            default_cc and are more than 10; no default_cc (NULL, or one with
 *            no digits) prefixes nothing.  Only default_cc's digits are used,
 *            so "+1" works like "1".  Trunk zeros are not removed ("020 ..."
 *            with cc 44 gives "44020...").  No digits: empty.
 *   company  trimmed and case-folded; '.', '\'' and U+2019 deleted ("O'Neil"
 *            -> "oneil", "S.A." -> "sa"); every other Unicode punctuation or
 *            symbol (categories P* and S*), separator (Z*) or control character
 *            ends a word; then trailing legal-form words (inc, llc, ltd,
 *            limited, gmbh, corp, corporation, co, plc, sa, ag) are removed
 *            repeatedly, the last word too ("Inc Ltd" becomes "", which the
 *            rules treat as an empty key); the words are joined by single
 *            spaces.  U+FFFD
 *            (an invalid byte) is kept as a letter, not treated as a symbol.
 *   domain   the host of a URL or e-mail address: trimmed, an optional
 *            "scheme://", "//" or "mailto:" skipped, cut at the first '/', '?'
 *            or '#', the text after the last '@' (user info, or the e-mail's
 *            local part), cut at ':' (port; an IPv6 literal "[..]" is kept
 *            whole), case-folded, and one leading "www." removed.
 *            "https://www.Acme.com:443/x?y" -> "acme.com".
 *
 * None of them allocates except by growing `out`, which callers reuse.
 */
#ifndef CRMLINT_NORMALIZE_H
#define CRMLINT_NORMALIZE_H

#include <stdbool.h>

#include "buf.h"
#include "common.h"

typedef enum normalizer {
    NORM_EXACT,
    NORM_TRIM,
    NORM_LOWER,
    NORM_EMAIL,
    NORM_PHONE,
    NORM_COMPANY,
    NORM_DOMAIN
} normalizer;

/* The names normalizer_parse accepts, as error messages list them. */
#define NORMALIZER_CHOICES "exact, trim, lower, email, phone, company or domain"

/* "exact", "trim", "lower", "email", "phone", "company", "domain" (exact
 * spelling); false for anything else, *out untouched. */
bool normalizer_parse(const char *name, normalizer *out);
/* The name normalizer_parse accepts; "unknown" for an out-of-range value. */
const char *normalizer_name(normalizer n);

/* Appends the normalised form of raw (the untrimmed field) to out (buf_reset
 * first is the caller's job).  default_cc: settings.default_country_code or
 * NULL; only NORM_PHONE uses it.  On allocation failure out->oom is set (see
 * buf.h) and the appended text is incomplete. */
void normalize(normalizer n, slice raw, const char *default_cc, buf *out);

#endif
