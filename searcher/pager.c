/*
 * pager.c: showing a long text a screen at a time (pager.h), as git and
 * man do: only on a terminal, only when the text does not fit, through
 * the user's $PAGER or else `less -R`, and straight to the terminal when
 * there is no pager.
 *
 * While the pager runs, Ctrl-C and Ctrl-\ reach the whole foreground
 * process group; the prompt ignores them so that they only stop (or, in
 * less, interrupt) the pager, and a pager that quits before reading
 * everything (q in less) must not kill the prompt with SIGPIPE.
 */
#include "pager.h"

#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

bool term_size(size_t *rows, size_t *cols)
{
    struct winsize ws;
    if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 ||
        ws.ws_row == 0 || ws.ws_col == 0)
        return false;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return true;
}

size_t text_rows(const char *text, size_t len, size_t width)
{
    size_t rows = 0, col = 0;
    bool any = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            rows += width && col > width ? (col + width - 1) / width : 1;
            col = 0;
            any = false;
            continue;
        }
        any = true;
        if (c == 0x1B && i + 1 < len && text[i + 1] == '[') {
            /* an escape sequence: ESC [ parameters final-byte */
            i += 2;
            while (i < len && !((unsigned char)text[i] >= 0x40 &&
                                (unsigned char)text[i] <= 0x7E))
                i++;
            continue;
        }
        if (c == '\t')
            col = (col / 8 + 1) * 8;
        else if ((c & 0xC0) != 0x80)
            col++;
    }
    if (any)
        rows += width && col > width ? (col + width - 1) / width : 1;
    return rows;
}

/* Whether `prog` is an executable file in a directory of $PATH. */
static bool on_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    char buf[4096];
    for (const char *p = path; *p;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        int w = snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? p : ".", prog);
        struct stat sb;
        if (w > 0 && (size_t)w < sizeof buf && stat(buf, &sb) == 0 &&
            S_ISREG(sb.st_mode) && access(buf, X_OK) == 0)
            return true;
        p += n;
        if (*p == ':')
            p++;
    }
    return false;
}

static int write_out(const char *text, size_t len)
{
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
        return -1;
    return 0;
}

int pager_show(const char *text, size_t len)
{
    size_t rows, cols;
    if (!term_size(&rows, &cols) || text_rows(text, len, cols) < rows)
        return write_out(text, len);
    const char *cmd = getenv("PAGER");
    if (!cmd || !*cmd) {
        if (!on_path("less"))
            return write_out(text, len);
        cmd = "less -R";
    }
    bool set_less = !getenv("LESS");
    if (set_less)
        setenv("LESS", "R", 1);
    fflush(stdout);
    struct sigaction ign, old_int, old_quit, old_pipe;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    sigaction(SIGPIPE, &ign, &old_pipe);
    int rc = 0;
    FILE *p = popen(cmd, "w");
    if (p) {
        /* A pager that quits early makes the rest fail with EPIPE: that
         * is the reader's choice, not an error. */
        fwrite(text, 1, len, p);
        int ws = pclose(p);
        if (ws == -1 || (WIFEXITED(ws) && WEXITSTATUS(ws) == 127)) {
            cli_error("cannot run the pager \"%s\" (set PAGER to another "
                      "one, or to cat)", cmd);
            rc = write_out(text, len);
        }
    } else {
        cli_error("cannot start the pager \"%s\": %s", cmd, strerror(errno));
        rc = write_out(text, len);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    if (set_less)
        unsetenv("LESS");
    return rc;
}
