/*
 * runstat.c - runs a command and reports its wall time and peak memory.
 *
 *   runstat STATFILE COMMAND [ARG ...]
 *
 * Writes "WALL_SECONDS MAXRSS_KB" (one line) to STATFILE and exits with the
 * command's exit status (128 + signal number when it was killed).  The
 * command inherits standard input, output and error.
 *
 * ci/bench.sh uses /usr/bin/time -f %M for the peak resident set size when
 * the Debian `time` package is installed; this is the fallback, built with
 * the other tools by `make bench`.  The peak comes from wait4(2)'s rusage of
 * that one child, so the shell and the wrapper are not counted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct timespec t0, t1;
    struct rusage ru;
    int status;
    pid_t pid, got;

    if (argc < 3) {
        fprintf(stderr, "usage: runstat STATFILE COMMAND [ARG ...]\n");
        return 125;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "runstat: fork: %s\n", strerror(errno));
        return 125;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "runstat: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    do {
        got = wait4(pid, &status, 0, &ru);
    } while (got < 0 && errno == EINTR);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (got < 0) {
        fprintf(stderr, "runstat: wait4: %s\n", strerror(errno));
        return 125;
    }

    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    FILE *f = fopen(argv[1], "w");
    if (!f || fprintf(f, "%.6f %ld\n", wall, ru.ru_maxrss) < 0 || fclose(f) != 0) {
        fprintf(stderr, "runstat: %s: %s\n", argv[1], strerror(errno));
        return 125;
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
