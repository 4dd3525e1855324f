/*
 * unit.h - shared scaffolding for the Check unit tests.
 *
 * Each tests/unit/test_<module>.c defines `Suite *make_suite(void)` and
 * includes this file, which supplies main(): run the suite, exit non-zero on
 * any failure.  Check prints its "N%: Checks: X, Failures: Y, Errors: Z"
 * line, which CI reads.
 */
#ifndef CRMLINT_UNIT_H
#define CRMLINT_UNIT_H

#include <check.h>
#include <stdlib.h>

Suite *make_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(make_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
