/*
 * ref_xapian.cc: the raw-Xapian reference of the benchmarks.  Not part of
 * the product: the smallest honest indexer and searcher written directly
 * against libxapian, the way its documentation teaches, so that the harness
 * can state Attaché's figures as ratios against it.
 *
 *   ref-xapian index DB PATH... [--batch N] [--no-sync] [--shard K/N]
 *   ref-xapian search DB QUERIES [--passes N] [--warmup N]
 *
 * Indexing: TermGenerator with the English stemmer (positions on), the
 * title indexed with prefix S and unprefixed, the body unprefixed, the
 * article's text stored with set_data() for snippets, a Q id term, the
 * article's date in value slot 0, and add_document() with Xapian's own
 * flush threshold (10,000 documents).  Articles are read in the format of
 * docs/FORMATS.md: leading metadata lines are skipped, the first line after
 * them is the title.  The date comes from the metadata's Date: line, as
 * Attaché's reader takes it (indexer/reader_text.c, att_date_slot): YYYY,
 * YYYY-MM or YYYY-MM-DD (a time may follow) stored as 8 digits YYYYMMDD
 * with 00 for an unknown month or day; anything else is no date.
 *
 * Searching: QueryParser (English stemmer, STEM_SOME, AND as default
 * operator, phrases, boolean operators, NEAR/n and ADJ/n, title: prefix,
 * FLAG_WILDCARD with set_max_expansion(256, WILDCARD_LIMIT_MOST_FREQUENT),
 * and a DateRangeProcessor on slot 0 for date:), BM25 defaults, top 10,
 * and MSet::snippet() of 200 bytes from each hit's body.  Each query is
 * timed from parsing to the last snippet; process start is excluded.
 * Output: one line per query of the last pass, "usec<TAB>hits", then a
 * "pass<TAB>seconds" line per measured pass.  A query the program cannot
 * translate is an error (exit 1), never a silently different query.
 *
 * How the benchmark's query mix (tests/bench/make-queries.py) keeps its
 * meaning here:
 *   - words, AND, OR, NOT, "phrases", title:word are QueryParser's own
 *     syntax.  Entity filters (person:, org:, place:) and the names
 *     Attaché expands arrive already spelt out as the OR of the entity's
 *     names, in parentheses (the harness gives the references
 *     tests/bench/queries-ref.txt; make-queries.py says how).  With STEM_SOME, phrases and NEAR/ADJ match the words'
 *     unstemmed forms where Attaché and FTS5 match stems.
 *   - a NEAR/n b, a ADJ/n b: QueryParser's own; for two words it builds the
 *     same window as Attaché (n + 1 positions: OP_NEAR, or OP_PHRASE for
 *     ADJ).  Chains of k > 2 words differ (QueryParser's window is n+k-1,
 *     Attaché's n(k-1)+1) and are not in the mix.
 *   - word* and title:word*: FLAG_WILDCARD expands over the unstemmed
 *     terms (STEM_SOME indexes both the words and their Z-prefixed stems),
 *     the 256 most frequent kept, as Attaché keeps the 256 most frequent
 *     words of its vocabulary (its frequencies are counted differently, so
 *     a prefix with more than 256 words may keep a different set).
 *   - date:V: QueryParser has no syntax for a year or a month, so each
 *     date: value is first rewritten as Attaché reads it
 *     (searcher/query_date.c): date:1987-03 becomes
 *     date:19870300..19870331, date:1987 date:19870000..19871231,
 *     date:1987-03-01..1987-03-31 date:19870301..19870331; a lower end is
 *     padded with 00, an upper end to its last month and day; an open end
 *     stays open (date:19870601.., date:..19870228).  The
 *     DateRangeProcessor takes 8-digit ends as they are and builds
 *     OP_VALUE_RANGE, or OP_VALUE_GE / OP_VALUE_LE for an open end, the
 *     same value queries as Attaché (open ends work in 1.4.22 because the
 *     prefix is not RP_REPEATED).  Relative dates (last-7-days) are not
 *     supported.
 *
 * The index options exist for tests/bench/experiments.py, which measures
 * what each way of driving Xapian's writer gains: --batch N commits every N
 * documents instead of relying on the flush threshold, --no-sync opens with
 * DB_NO_SYNC (then fsyncs the files once at the end), --shard K/N indexes
 * only the K-th of N contiguous runs of the sorted files (shards built in
 * parallel are then merged by xapian-compact).
 */
#include <xapian.h>

#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

static bool is_meta(const std::string &line)
{
    static const char *keys[] = {"categories", "date", "source", "author",
                                 "url", "language", "tags"};
    auto colon = line.find(':');
    if (colon == std::string::npos)
        return false;
    std::string k = line.substr(0, colon);
    std::transform(k.begin(), k.end(), k.begin(), ::tolower);
    for (const char *key : keys)
        if (k == key)
            return true;
    return false;
}

static bool digits(const std::string &s, size_t at, size_t n)
{
    if (at + n > s.size())
        return false;
    for (size_t i = at; i < at + n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* An article's Date: value as Attaché stores it (att_date_slot in
 * common/index.c): YYYY, YYYY-MM or YYYY-MM-DD, a time after a 'T' or a
 * space allowed, to YYYYMMDD with 00 for the unknown parts; "" if it is
 * not such a date. */
static std::string date_slot(const std::string &d)
{
    if (!digits(d, 0, 4))
        return "";
    int y = std::stoi(d.substr(0, 4));
    if (d.size() == 4)
        return d + "0000";
    if (d[4] != '-' || !digits(d, 5, 2))
        return "";
    int m = std::stoi(d.substr(5, 2));
    if (m < 1 || m > 12)
        return "";
    if (d.size() == 7)
        return d.substr(0, 4) + d.substr(5, 2) + "00";
    if (d[7] != '-' || !digits(d, 8, 2))
        return "";
    int day = std::stoi(d.substr(8, 2));
    if (day < 1 || day > month_days(y, m))
        return "";
    if (d.size() > 10 && d[10] != 'T' && d[10] != ' ')
        return "";
    return d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2);
}

/* Splits an article into title and body as docs/FORMATS.md says, and
 * returns the value of its Date: line (the last one, trimmed) in `date`. */
static void parse(const std::string &text, std::string &title, std::string &body,
                  std::string &date)
{
    size_t p = 0;
    date.clear();
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        p = 3;
    while (p < text.size()) {
        size_t e = text.find('\n', p);
        if (e == std::string::npos)
            e = text.size();
        std::string line = text.substr(p, e - p);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        size_t ws = line.find_first_not_of(" \t");
        if (ws == std::string::npos || is_meta(line.substr(ws))) {
            if (ws != std::string::npos && strncasecmp(line.c_str() + ws, "date:", 5) == 0) {
                size_t a = line.find_first_not_of(" \t", ws + 5);
                size_t b = line.find_last_not_of(" \t\r\f\v");
                date = a == std::string::npos ? "" : line.substr(a, b + 1 - a);
            }
            p = e + 1;
            continue;
        }
        title = line;
        body = e < text.size() ? text.substr(e + 1) : std::string();
        return;
    }
    title.clear();
    body.clear();
}

static void collect(const fs::path &p, std::vector<fs::path> &out)
{
    if (fs::is_directory(p)) {
        std::vector<fs::path> kids;
        for (auto &e : fs::directory_iterator(p))
            if (e.path().filename().string()[0] != '.')
                kids.push_back(e.path());
        std::sort(kids.begin(), kids.end());
        for (auto &k : kids)
            collect(k, out);
    } else if (fs::is_regular_file(p)) {
        out.push_back(p);
    }
}

static void sync_tree(const char *dir)
{
    for (auto &e : fs::directory_iterator(dir)) {
        int fd = open(e.path().c_str(), O_RDONLY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int do_index(const char *dbpath, int argc, char **argv)
{
    size_t batch = 0, shard = 0, nshards = 1;
    bool no_sync = false;
    std::vector<fs::path> files;
    for (int i = 0; i < argc; i++) {
        if (std::strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
            batch = std::strtoul(argv[++i], nullptr, 10);
        else if (std::strcmp(argv[i], "--no-sync") == 0)
            no_sync = true;
        else if (std::strcmp(argv[i], "--shard") == 0 && i + 1 < argc)
            std::sscanf(argv[++i], "%zu/%zu", &shard, &nshards);
        else
            collect(argv[i], files);
    }
    if (nshards > 1) {
        size_t n = files.size(), a = shard * n / nshards, b = (shard + 1) * n / nshards;
        files = std::vector<fs::path>(files.begin() + a, files.begin() + b);
    }
    Xapian::WritableDatabase db(dbpath, Xapian::DB_CREATE_OR_OVERWRITE |
                                            (no_sync ? Xapian::DB_NO_SYNC : 0));
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    size_t n = 0;
    for (auto &f : files) {
        std::ifstream in(f, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string title, body, date;
        parse(ss.str(), title, body, date);
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(title, 1, "S");
        tg.index_text(title);
        tg.increase_termpos();
        tg.index_text(body);
        doc.set_data(title + "\n" + body);
        doc.add_boolean_term("Q" + f.string());
        std::string slot = date_slot(date);
        if (!slot.empty())
            doc.add_value(0, slot);
        db.add_document(doc);
        if (++n % (batch ? batch : SIZE_MAX) == 0)
            db.commit();
    }
    db.commit();
    db.close();
    if (no_sync)
        sync_tree(dbpath);
    std::fprintf(stderr, "ref-xapian: indexed %zu articles\n", n);
    return 0;
}

/* One end of a date: range, as Attaché reads it (searcher/query_date.c):
 * YYYY, YYYY-MM or YYYY-MM-DD to YYYYMMDD, an incomplete lower end padded
 * with 00, an incomplete upper end to its last month and day. */
static std::string date_end(const std::string &v, bool upper, const std::string &q)
{
    bool ok = digits(v, 0, 4) &&
              (v.size() == 4 ||
               (v.size() >= 7 && v[4] == '-' && digits(v, 5, 2) &&
                (v.size() == 7 || (v.size() == 10 && v[7] == '-' && digits(v, 8, 2)))));
    int m = ok && v.size() >= 7 ? std::stoi(v.substr(5, 2)) : 1;
    int d = ok && v.size() == 10 ? std::stoi(v.substr(8, 2)) : 1;
    if (!ok || m < 1 || m > 12 || d < 1 || d > month_days(std::stoi(v.substr(0, 4)), m))
        throw std::runtime_error("bad date \"" + v + "\" in query: " + q);
    std::string out = v.substr(0, 4);
    out += v.size() >= 7 ? v.substr(5, 2) : (upper ? "12" : "00");
    out += v.size() == 10 ? v.substr(8, 2) : (upper ? "31" : "00");
    return out;
}

/* Rewrites every date:VALUE of a query into the 8-digit range that
 * Attaché means by it (date:1987-03 -> date:19870300..19870331; an open
 * end stays open), which the DateRangeProcessor then takes as it is. */
static std::string translate_dates(const std::string &q)
{
    std::string out;
    size_t i = 0;
    while (i < q.size()) {
        bool at_start = i == 0 || q[i - 1] == ' ' || q[i - 1] == '(' || q[i - 1] == '\t';
        if (!at_start || q.compare(i, 5, "date:") != 0) {
            out += q[i++];
            continue;
        }
        size_t e = q.find_first_of(" \t)", i + 5);
        if (e == std::string::npos)
            e = q.size();
        std::string v = q.substr(i + 5, e - i - 5), lo, hi;
        size_t dots = v.find("..");
        if (dots == std::string::npos) {
            lo = date_end(v, false, q);
            hi = date_end(v, true, q);
        } else {
            std::string a = v.substr(0, dots), b = v.substr(dots + 2);
            if (a.empty() && b.empty())
                throw std::runtime_error("date: range with no end in query: " + q);
            if (!a.empty())
                lo = date_end(a, false, q);
            if (!b.empty())
                hi = date_end(b, true, q);
        }
        out += "date:" + lo + ".." + hi;
        i = e;
    }
    return out;
}

static int do_search(const char *dbpath, const char *qfile, int passes, int warmup)
{
    Xapian::Database db(dbpath);
    std::vector<std::string> queries;
    std::ifstream in(qfile);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#')
            queries.push_back(translate_dates(line));
    Xapian::Stem stem("english");
    Xapian::QueryParser qp;
    qp.set_stemmer(stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_database(db);
    qp.set_default_op(Xapian::Query::OP_AND);
    qp.add_prefix("title", "S");
    Xapian::DateRangeProcessor dates(0, "date:");
    qp.add_rangeprocessor(&dates);
    qp.set_max_expansion(256, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;
    std::vector<long> usec(queries.size());
    std::vector<size_t> hits(queries.size());
    std::vector<double> pass_secs;
    size_t sink = 0;
    for (int pass = 0; pass < warmup + passes; pass++) {
        auto p0 = std::chrono::steady_clock::now();
        for (size_t i = 0; i < queries.size(); i++) {
            auto t0 = std::chrono::steady_clock::now();
            Xapian::Query q = qp.parse_query(queries[i], flags);
            Xapian::Enquire enq(db);
            enq.set_query(q);
            Xapian::MSet ms = enq.get_mset(0, 10);
            for (auto it = ms.begin(); it != ms.end(); ++it) {
                std::string data = it.get_document().get_data();
                size_t nl = data.find('\n');
                std::string body = nl == std::string::npos ? data : data.substr(nl + 1);
                sink += ms.snippet(body, 200, stem).size();
            }
            auto t1 = std::chrono::steady_clock::now();
            usec[i] = std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count();
            hits[i] = ms.size();
        }
        auto p1 = std::chrono::steady_clock::now();
        if (pass >= warmup)
            pass_secs.push_back(std::chrono::duration<double>(p1 - p0).count());
    }
    for (size_t i = 0; i < queries.size(); i++)
        std::printf("%ld\t%zu\n", usec[i], hits[i]);
    for (double s : pass_secs)
        std::printf("pass\t%.6f\n", s);
    std::fprintf(stderr, "ref-xapian: %zu queries, %zu snippet bytes\n",
                 queries.size(), sink);
    return 0;
}

int main(int argc, char **argv)
{
    try {
        if (argc >= 4 && std::strcmp(argv[1], "index") == 0)
            return do_index(argv[2], argc - 3, argv + 3);
        if (argc >= 4 && std::strcmp(argv[1], "search") == 0) {
            int passes = 3, warmup = 1;
            for (int i = 4; i + 1 < argc; i += 2) {
                if (std::strcmp(argv[i], "--passes") == 0)
                    passes = std::atoi(argv[i + 1]);
                else if (std::strcmp(argv[i], "--warmup") == 0)
                    warmup = std::atoi(argv[i + 1]);
            }
            return do_search(argv[2], argv[3], passes, warmup);
        }
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "ref-xapian: %s\n", e.get_description().c_str());
        return 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "ref-xapian: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr, "usage: ref-xapian index DB PATH...\n"
                         "       ref-xapian search DB QUERIES [--passes N] [--warmup N]\n");
    return 2;
}
