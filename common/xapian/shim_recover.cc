/*
 * shim_recover.cc: recovering from a writer killed while it created an
 * index.
 *
 * Xapian creates a glass database in place: it takes the lock (the file
 * "flintlock"), writes the tables' files and a temporary version file
 * "v.tmp", and renames that to "iamglass"; only then is there a revision.
 * A writer killed before the rename (kill -9, a power cut) leaves a
 * directory that Xapian neither opens ("Failed to open glass revision
 * file") nor creates anew: every later `attache index` would fail until
 * someone removed it by hand.  Such a directory holds no committed
 * article by construction, so its files are removed here, under Xapian's
 * own lock (an open file description lock on byte 0 of "flintlock", the
 * one Xapian 1.4 takes on Linux), which a creator still at work holds:
 * its files are never touched.  A directory holding anything else than
 * those files, or a version file, is left alone.
 */
#include "shim_internal.hh"
#include "shim_recover.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

static bool ends_with(const std::string &s, const char *tail)
{
    size_t n = std::strlen(tail);
    return s.size() >= n && s.compare(s.size() - n, n, tail) == 0;
}

/* A file that creating a glass database makes before "iamglass". */
static bool creation_leftover(const std::string &name)
{
    return name == "flintlock" || ends_with(name, ".glass") ||
           ends_with(name, ".tmp");
}

static bool exists(const std::string &p)
{
    struct stat sb;
    return stat(p.c_str(), &sb) == 0;
}

/* The leftovers in `dir`, or false if it holds anything else (or cannot
 * be read: then Xapian will say why). */
static bool list_leftovers(const std::string &dir, std::vector<std::string> &out)
{
    DIR *d = opendir(dir.c_str());
    if (!d)
        return false;
    bool only = true;
    struct dirent *de;
    while ((de = readdir(d)) != nullptr) {
        std::string n = de->d_name;
        if (n == "." || n == "..")
            continue;
        if (!creation_leftover(n)) {
            only = false;
            break;
        }
        out.push_back(n);
    }
    closedir(d);
    return only;
}

extern "C" att_status att_shim_recover_creation(const char *path)
{
    try {
        std::string dir = path;
        if (exists(dir + "/iamglass"))
            return ATT_OK;
        std::vector<std::string> files;
        if (!list_leftovers(dir, files) || files.empty())
            return ATT_OK;
        int fd = open((dir + "/flintlock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC,
                      0666);
        if (fd < 0)
            return ATT_OK; /* Xapian will report it */
        struct flock fl;
        std::memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        fl.l_start = 0;
        fl.l_len = 1;
        if (fcntl(fd, F_OFD_SETLK, &fl) != 0) {
            close(fd); /* a writer is creating it right now */
            return ATT_OK;
        }
        att_status st = ATT_OK;
        if (!exists(dir + "/iamglass")) { /* it may have finished meanwhile */
            for (const std::string &f : files) {
                if (f == "flintlock")
                    continue;
                std::string p = dir + "/" + f;
                if (unlink(p.c_str()) != 0 && errno != ENOENT) {
                    int e = errno;
                    st = att_error_set(ATT_IO, "cannot open index %s: it was "
                                       "left half-created by an interrupted "
                                       "writer, and %s cannot be removed: %s",
                                       path, p.c_str(), std::strerror(e));
                    break;
                }
            }
        }
        close(fd); /* releases the lock */
        return st;
    }
    ATT_SHIM_CATCH(std::string("cannot open index ") + path)
}
