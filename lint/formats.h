/*
 * formats.h - the `format` rule's kinds (SPEC §3 "Format kinds").
 *
 * Each checker takes a trimmed, non-empty value and answers whether it is of
 * the kind.  They are pure, allocation-free and do not use PCRE2 (the email
 * grammar is small enough to match by hand, which is ~10x faster).
 */
#ifndef CRMLINT_FORMATS_H
#define CRMLINT_FORMATS_H

#include <stdbool.h>

#include "common.h"
#include "datetime.h"

typedef enum format_kind {
    FMT_EMAIL,
    FMT_PHONE,
    FMT_URL,
    FMT_DATE,
    FMT_DATETIME,
    FMT_NUMBER,
    FMT_INTEGER,
    FMT_BOOLEAN,
    FMT_SALESFORCE_ID,
    FMT_COUNTRY,
    FMT_CURRENCY,
    FMT_UUID,
    FMT__COUNT
} format_kind;

/* "email" -> FMT_EMAIL ...; false for an unknown name. */
bool format_kind_parse(const char *name, format_kind *out);
const char *format_kind_name(format_kind k);
/* Human phrase for messages: "an email address", "a phone number", ... */
const char *format_kind_phrase(format_kind k);

/* The non-date kinds.  FMT_DATE / FMT_DATETIME need a parser: use
 * format_check_date. */
bool format_check(format_kind k, slice v);
/* date: a date-only value, a datetime at exactly 00:00[:00] with no offset,
 * or any parseable value when the column is typed date.  datetime: any
 * parseable date or datetime. */
bool format_check_date(format_kind k, const dt_parser *p, bool column_is_date, slice v);

/* Numbers as the `number` kind defines them, then converted. */
bool format_parse_number(slice v, double *out);
/* 18-character Salesforce id checksum of the first 15 characters into out[3]. */
void format_sfid_suffix(const char *id15, char out[3]);

#endif
