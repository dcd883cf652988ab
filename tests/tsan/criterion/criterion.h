/*
 * criterion.h (stand-in): the part of Criterion's API that
 * tests/unit/test_threads.c and its helpers use, for running that suite
 * under ThreadSanitizer (`make SANITIZE=thread test-threads`).
 * Criterion's own runner crashes at start-up under TSan (its sandboxing
 * does not survive the sanitizer's memory layout), so this header, found
 * first through -Itests/tsan, replaces it: Test() registers a function,
 * the assertions print "FILE:LINE: failed: CONDITION: message", and main()
 * runs each test in its own child process, as Criterion does, printing
 * the same "Synthesis:" line that tests/run-tests.sh reads.
 * Only what those files use is here; it is not a general replacement.
 */
#ifndef ATT_TSAN_CRITERION_H
#define ATT_TSAN_CRITERION_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void (*mc_fn)(void);

static struct {
    const char *name;
    mc_fn fn;
} mc_tests[64];
static int mc_n;
static int mc_failed; /* in the child: expectations that failed */

static void mc_register(const char *name, mc_fn fn)
{
    if (mc_n < (int)(sizeof mc_tests / sizeof mc_tests[0])) {
        mc_tests[mc_n].name = name;
        mc_tests[mc_n].fn = fn;
        mc_n++;
    }
}

/* The message's format is whatever the test wrote (it is not a literal
 * here), and an empty "" is appended to every argument list so that a
 * check without a message still passes one (ISO C wants at least one
 * argument for a macro's "..."): the extra argument is ignored. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static void mc_fail(int fatal, const char *file, int line, const char *what,
                    const char *fmt, ...)
{
    fprintf(stderr, "%s:%d: failed: %s", file, line, what);
    if (fmt[0]) {
        va_list ap;
        va_start(ap, fmt);
        fputs("\n    ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    mc_failed++;
    if (fatal)
        exit(1);
}

/* TestSuite(name, options); declares nothing (options such as .timeout
 * are Criterion's); Test(suite, name, options) registers the function. */
#define TestSuite(...) extern int mc_suite_options_ignored
#define Test(...) MC_TEST(__VA_ARGS__, 0)
#define MC_TEST(suite, name, ...)                                           \
    static void suite##_##name(void);                                       \
    __attribute__((constructor)) static void mc_reg_##suite##_##name(void)  \
    {                                                                       \
        mc_register(#suite "::" #name, suite##_##name);                     \
    }                                                                       \
    static void suite##_##name(void)

/* Argument pickers: the first one or two arguments, and what follows. */
#define MC_A1(a, ...) (a)
#define MC_A2(a, b, ...) (b)
#define MC_DROP1(a, ...) __VA_ARGS__
#define MC_DROP2(a, b, ...) __VA_ARGS__

#define MC_CHECK1(fatal, test, ...)                                         \
    do {                                                                    \
        if (!(test(MC_A1(__VA_ARGS__, ""))))                                \
            mc_fail(fatal, __FILE__, __LINE__, #__VA_ARGS__,                \
                    MC_DROP1(__VA_ARGS__, ""));                             \
    } while (0)
#define MC_CHECK2(fatal, op, ...)                                           \
    do {                                                                    \
        if (!(MC_A1(__VA_ARGS__, "") op MC_A2(__VA_ARGS__, "")))            \
            mc_fail(fatal, __FILE__, __LINE__, #__VA_ARGS__,                \
                    MC_DROP2(__VA_ARGS__, ""));                             \
    } while (0)

#define MC_TRUE(x) (x)
#define MC_NOT_NULL(p) ((p) != NULL)
#define MC_EMPTY(s) ((s)[0] == '\0')

#define cr_assert(...) MC_CHECK1(1, MC_TRUE, __VA_ARGS__)
#define cr_expect(...) MC_CHECK1(0, MC_TRUE, __VA_ARGS__)
#define cr_assert_not_null(...) MC_CHECK1(1, MC_NOT_NULL, __VA_ARGS__)
#define cr_expect_str_empty(...) MC_CHECK1(0, MC_EMPTY, __VA_ARGS__)
#define cr_assert_eq(...) MC_CHECK2(1, ==, __VA_ARGS__)
#define cr_expect_eq(...) MC_CHECK2(0, ==, __VA_ARGS__)
#define cr_assert_geq(...) MC_CHECK2(1, >=, __VA_ARGS__)
#define cr_expect_gt(...) MC_CHECK2(0, >, __VA_ARGS__)
#define cr_log_info(...) (fprintf(stderr, "[----] " __VA_ARGS__), fputc('\n', stderr))

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0, crashed = 0;
    for (int i = 0; i < mc_n; i++) {
        if (filter && !strstr(mc_tests[i].name, filter))
            continue;
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            mc_tests[i].fn();
            exit(mc_failed ? 1 : 0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            printf("[PASS] %s\n", mc_tests[i].name);
            passed++;
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
            printf("[FAIL] %s\n", mc_tests[i].name);
            failed++;
        } else {
            /* A sanitizer's report ends the child with its own status. */
            printf("[FAIL] %s: exit status %d, signal %d\n", mc_tests[i].name,
                   WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                   WIFSIGNALED(status) ? WTERMSIG(status) : 0);
            crashed++;
        }
    }
    printf("[====] Synthesis: Tested: %d | Passing: %d | Failing: %d | Crashing: %d\n",
           passed + failed + crashed, passed, failed, crashed);
    return failed + crashed ? 1 : 0;
}

#endif
