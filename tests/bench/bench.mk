# tests/bench/bench.mk: `make bench` and `make profile`, included by the
# Makefile.  The benchmark programs (the raw-Xapian and FTS5 references and
# Attaché's query driver) are built here, apart from the product; the
# harness itself is tests/bench/bench.py (docs/PERFORMANCE.md says what it
# measures and how to read it).

BENCH_DIR := $(BUILD)/bench
BENCH_BINS := $(BENCH_DIR)/ref-xapian $(BENCH_DIR)/ref-fts5 $(BENCH_DIR)/bench-search \
              $(BENCH_DIR)/bench-analyze $(BENCH_DIR)/bench-facets
BENCH_PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags sqlite3 2>/dev/null)
BENCH_SQLITE_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 2>/dev/null)
XAPIAN_LIBS := $(shell $(PKG_CONFIG) --libs xapian-core 2>/dev/null)

.PHONY: bench bench-programs bench-experiments profile

bench-programs: $(BENCH_BINS)

$(BENCH_DIR)/ref-xapian: tests/bench/ref_xapian.cc
	@mkdir -p $(@D)
	$(CXX) -std=c++17 $(WARN) $(OPT) $(PKG_CFLAGS) -o $@ $< $(XAPIAN_LIBS)

$(BENCH_DIR)/ref-fts5: tests/bench/ref_fts5.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(CWARN) $(OPT) $(BENCH_PKG_CFLAGS) -o $@ $< $(BENCH_SQLITE_LIBS)

$(BENCH_DIR)/bench-search: tests/bench/bench_search.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -std=c11 $(CWARN) $(OPT) -Icommon -o $@ $< $(LIB_A) $(LIB_LIBS)

$(BENCH_DIR)/bench-analyze: tests/bench/bench_analyze.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -std=c11 $(CWARN) $(OPT) -Icommon -o $@ $< $(LIB_A) $(LIB_LIBS)

# The numbers are only meaningful from an optimised build without sanitizers.
bench: $(PROG) $(BENCH_BINS)
	@if [ -n "$(SANITIZE)" ]; then echo "make bench: not with SANITIZE" >&2; exit 2; fi
	BENCH_BUILD=$(BUILD) python3 tests/bench/bench.py

# Instruction counts (callgrind: repeatable on a noisy machine) for indexing
# 2,000 Reuters stories and for the query mix on that index; the top
# entries go to build/bench/profile-*.txt (docs/PERFORMANCE.md keeps them).
profile: $(PROG) $(BENCH_BINS)
	BENCH_BUILD=$(BUILD) tests/bench/profile.sh

# What each way of driving Xapian's writer gains (docs/PERFORMANCE.md).
bench-experiments: $(PROG) $(BENCH_BINS)
	BENCH_BUILD=$(BUILD) python3 tests/bench/experiments.py

# The study behind common/dupsig.c's parameters (run by hand, not by
# `make bench`): build/bench/dupsig-study [--sweep] reads ../shared/data.
$(BUILD)/bench/dupsig-study: tests/bench/dupsig_study.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -std=c11 $(CWARN) $(OPT) -Icommon -o $@ $< $(LIB_A) $(LIB_LIBS)

# ---- facets ------------------------------------------------------------------
# What facets cost (`make bench` runs it on its largest corpus; by hand:
#   build/bench/bench-facets DB [--runs N] [--all-copies] [--sort date] QUERY...)
# times each query with and without facets, interleaved (docs/QUERY-SYNTAX.md,
# "What facets cost").
$(BENCH_DIR)/bench-facets: tests/bench/bench_facets.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -std=c11 $(CWARN) $(OPT) -Icommon -o $@ $< $(LIB_A) $(LIB_LIBS)
# ---- end facets --------------------------------------------------------------
