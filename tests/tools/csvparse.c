/*
 * csvparse.c - the floor for crmlint's speed: libcsv alone over a file.
 *
 *   csvparse FILE [DELIM]        (FILE may be "-" for stdin; DELIM defaults to ',')
 *
 * ci/bench.sh times this next to `cat` and `crmlint lint`, so the report
 * shows how much of crmlint's time is CSV parsing it cannot avoid and how
 * much is its own work.  The parser is set up the way lint/reader.c sets it
 * up (default options: not strict, keep going after errors; no blank
 * trimming) and fed 1 MiB blocks read with read(2), as lint/source.c reads.
 * The callbacks only count, so nothing but parsing is measured.  It prints
 * "records FIELDS bytes" so a run can be checked against the generator.
 *
 * A standalone tool: it needs nothing of crmlint but the libcsv it links.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (1u << 20)

typedef struct counts {
    uint64_t fields;
    uint64_t records;
} counts;

/* Never trims: a blank next to a delimiter is data, as in the reader. */
static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    ((counts *)data)->fields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((counts *)data)->records++;
}

int main(int argc, char **argv)
{
    struct csv_parser p;
    counts n = {0, 0};
    uint64_t bytes = 0;
    char *block = NULL;
    int fd = -1, rc = 1, inited = 0;

    if (argc < 2 || argc > 3 || (argc == 3 && strlen(argv[2]) != 1)) {
        fprintf(stderr, "usage: csvparse FILE [DELIM]\n");
        return 2;
    }
    block = malloc(BLOCK);
    if (!block) {
        fprintf(stderr, "csvparse: out of memory\n");
        goto cleanup;
    }
    fd = strcmp(argv[1], "-") == 0 ? 0 : open(argv[1], O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "csvparse: %s: %s\n", argv[1], strerror(errno));
        goto cleanup;
    }
    if (csv_init(&p, 0) != 0) {
        fprintf(stderr, "csvparse: csv_init failed\n");
        goto cleanup;
    }
    inited = 1;
    csv_set_space_func(&p, never_space);
    if (argc == 3) csv_set_delim(&p, (unsigned char)argv[2][0]);

    for (;;) {
        ssize_t got = read(fd, block, BLOCK);
        if (got < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "csvparse: %s: %s\n", argv[1], strerror(errno));
            goto cleanup;
        }
        if (got == 0) break;
        bytes += (uint64_t)got;
        if (csv_parse(&p, block, (size_t)got, on_field, on_row, &n) != (size_t)got) {
            fprintf(stderr, "csvparse: %s: %s\n", argv[1], csv_strerror(csv_error(&p)));
            goto cleanup;
        }
    }
    csv_fini(&p, on_field, on_row, &n);
    /* The header is a record too; report data records as crmlint does. */
    printf("%llu %llu %llu\n", (unsigned long long)(n.records ? n.records - 1 : 0),
           (unsigned long long)n.fields, (unsigned long long)bytes);
    rc = 0;

cleanup:
    if (inited) csv_free(&p);
    if (fd > 0) close(fd);
    free(block);
    return rc;
}
