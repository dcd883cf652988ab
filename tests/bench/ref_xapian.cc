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
 * article's text stored with set_data() for snippets, a Q id term, and
 * add_document() with Xapian's own flush threshold (10,000 documents).
 * Articles are read in the format of docs/FORMATS.md: leading metadata
 * lines are skipped, the first line after them is the title.
 *
 * Searching: QueryParser (English stemmer, STEM_SOME, AND as default
 * operator, phrases, boolean operators, title: prefix), BM25 defaults,
 * top 10, and MSet::snippet() of 200 bytes from each hit's body.  Each query
 * is timed from parsing to the last snippet; process start is excluded.
 * Output: one line per query of the last pass, "usec<TAB>hits", then a
 * "pass<TAB>seconds" line per measured pass.
 *
 * The index options exist for tests/bench/experiments.sh, which measures
 * what each way of driving Xapian's writer gains: --batch N commits every N
 * documents instead of relying on the flush threshold, --no-sync opens with
 * DB_NO_SYNC (then fsyncs the files once at the end), --shard K/N indexes
 * only the K-th of N contiguous runs of the sorted files (shards built in
 * parallel are then merged by xapian-compact).
 */
#include <xapian.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
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

/* Splits an article into title and body as docs/FORMATS.md says. */
static void parse(const std::string &text, std::string &title, std::string &body)
{
    size_t p = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        p = 3;
    while (p < text.size()) {
        size_t e = text.find('\n', p);
        if (e == std::string::npos)
            e = text.size();
        std::string line = text.substr(p, e - p);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos || is_meta(line)) {
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
        std::string title, body;
        parse(ss.str(), title, body);
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(title, 1, "S");
        tg.index_text(title);
        tg.increase_termpos();
        tg.index_text(body);
        doc.set_data(title + "\n" + body);
        doc.add_boolean_term("Q" + f.string());
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

static int do_search(const char *dbpath, const char *qfile, int passes, int warmup)
{
    Xapian::Database db(dbpath);
    std::vector<std::string> queries;
    std::ifstream in(qfile);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#')
            queries.push_back(line);
    Xapian::Stem stem("english");
    Xapian::QueryParser qp;
    qp.set_stemmer(stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_database(db);
    qp.set_default_op(Xapian::Query::OP_AND);
    qp.add_prefix("title", "S");
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT;
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
