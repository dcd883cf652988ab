# Makefile for Attaché.  `make` builds build/attache, build/libattache.a and
# build/libattache.so; `make test` runs every test; `make run` indexes the
# bundled corpus and opens the search prompt; `make install` installs.
# Knobs are in config.mk.  Run ./setup.sh once on a fresh machine first.

include config.mk

# A sanitizer build goes to its own directory so objects never mix.
ifeq ($(SANITIZE),)
BUILD := build
else ifeq ($(SANITIZE),thread)
BUILD := build/tsan
else
BUILD := build/san
endif

# jansson and libxml2: the JSON and HTML article readers (indexer/reader_*.c).
LIB_PKGS := xapian-core icu-uc icu-i18n jansson libxml-2.0
PROG_PKGS := jansson libedit
PKGS := $(LIB_PKGS) $(PROG_PKGS)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIB_PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(LIB_PKGS) 2>/dev/null)
PROG_PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PROG_PKGS) 2>/dev/null)
CRIT_LIBS := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wvla \
        -Wundef -Wnull-dereference
CWARN := $(WARN) -Wstrict-prototypes -Wmissing-prototypes
ifneq ($(WERROR),)
WARN += -Werror
CWARN += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

CFLAGS ?= $(OPT)
CXXFLAGS ?= $(OPT)
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              $(CWARN) -fPIC -fvisibility=hidden $(SANFLAGS) $(PKG_CFLAGS) \
              -MMD -MP $(CFLAGS)
ALL_CXXFLAGS := -std=c++17 $(WARN) -fPIC -fvisibility=hidden \
                -fvisibility-inlines-hidden $(SANFLAGS) $(PKG_CFLAGS) \
                -MMD -MP $(CXXFLAGS)
LIB_LIBS := $(LIB_PKG_LIBS) -lstemmer -lstdc++ -lm -lpthread
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)

SOVERSION := 0
LIBVERSION := 0.1.0

# The library: everything a newsroom tool can reach through attache.h.
LIB_C := common/error.c common/util.c common/decode.c common/analyze.c common/dupsig.c common/qtree.c \
         common/ner.c common/entity_dict.c common/embedded.c common/etokens.c common/entities.c \
         common/record.c common/index.c \
         indexer/docbuild.c indexer/reader_text.c indexer/ingest.c \
         searcher/query_parse.c searcher/query_entities.c searcher/query_date.c searcher/stopwords.c searcher/highlight.c searcher/render.c \
         searcher/search.c
LIB_CXX := common/xapian/shim_error.cc common/xapian/shim_db.cc \
           common/xapian/shim_search.cc
# Ranking functions (att_search_options.weighting) and feedback.
LIB_CXX += common/xapian/shim_weight.cc common/xapian/shim_feedback.cc
# Facets: the counting (the match set walked from the posting lists, or a
# Xapian match spy; the date filter read from the facet column) and the
# library side.
LIB_C += searcher/facets.c
LIB_CXX += common/xapian/shim_facets.cc common/xapian/shim_fcol.cc
LIB_CXX += common/xapian/shim_datesource.cc
LIB_CXX += common/xapian/shim_matchset.cc
# Ingest: the readers, dates, incremental indexing, prune and rebuild.
LIB_C += common/datenorm.c indexer/readers.c indexer/reader_jsonl.c \
         indexer/reader_ninjs.c indexer/reader_html.c indexer/rebuild.c
LIB_CXX += common/xapian/shim_ingest.cc
# The program: command-line front ends, which include only <attache.h>.
PROG_C := common/cli.c common/main.c indexer/cmd_index.c indexer/cmd_entities.c \
          searcher/cmd_search.c searcher/cmd_shell.c searcher/output.c
# Batch query files (attache batch) and the search options it shares.
PROG_C += searcher/cmd_batch.c searcher/search_opts.c
# The prompt: completion and whole articles in the library; the prompt's
# commands, Tab completion, article view and pager in the program.
LIB_C += searcher/complete.c searcher/mark.c searcher/wildcards.c
LIB_CXX += common/xapian/shim_complete.cc
PROG_C += searcher/shell_commands.c searcher/shell_complete.c \
          searcher/render_article.c searcher/pager.c
# Operations: index statistics, deleting, the indexer's progress and Ctrl-C.
LIB_CXX += common/xapian/shim_stats.cc common/xapian/shim_recover.cc
PROG_C += indexer/cmd_stats.c indexer/cmd_delete.c indexer/progress.c

LIB_OBJ := $(LIB_C:%.c=$(BUILD)/obj/%.o) $(LIB_CXX:%.cc=$(BUILD)/obj/%.o)
PROG_OBJ := $(PROG_C:%.c=$(BUILD)/obj/%.o)

LIB_A := $(BUILD)/libattache.a
LIB_SO := $(BUILD)/libattache.so.$(LIBVERSION)
PROG := $(BUILD)/attache

TEST_UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_E2E_SRC := $(sort $(wildcard tests/e2e/test_*.c))
TEST_BINS := $(TEST_UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%) \
             $(TEST_E2E_SRC:tests/e2e/%.c=$(BUILD)/tests/e2e/%)

.PHONY: all lib test unit e2e run install uninstall clean bench help
all: $(PROG) $(LIB_A) $(LIB_SO)
lib: $(LIB_A) $(LIB_SO)

help:
	@echo "make            build $(PROG) and the library"
	@echo "make run        build, index corpus/ into build/demo-index, open the prompt"
	@echo "make test       run every test (SANITIZE=address,undefined for sanitizers)"
	@echo "make bench      run the benchmarks (needs ../shared/data)"
	@echo "make golden-update  rewrite tests/golden/ after an intended output change"
	@echo "make SANITIZE=thread test-threads   the thread tests under ThreadSanitizer"
	@echo "make install    install (PREFIX=$(PREFIX) DESTDIR=...)"

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DATT_BUILDING_LIBRARY -c $< -o $@

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -DATT_BUILDING_LIBRARY -c $< -o $@

# Program objects must not see the library's internals or export macro.
$(PROG_OBJ): $(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Icommon -c $< -o $@

# The data built into the library (common/embedded.c): the dictionary files
# concatenated in name order, and the tagger's model (an empty file until
# `make model` has made one: the tagger then says it has no model).
ENTITY_TSV := $(sort $(wildcard corpus/entities/*.tsv))
NER_MODEL := $(or $(wildcard corpus/ner/model.bin),$(BUILD)/gen/no-model.bin)
# Remade on every run but replaced only when its bytes change, so adding or
# removing a dictionary file rebuilds the library and nothing else does.
$(BUILD)/gen/entities.tsv: $(ENTITY_TSV) FORCE
	@mkdir -p $(@D)
	@cat $(ENTITY_TSV) /dev/null > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; \
	    echo "entity dictionary: $(words $(ENTITY_TSV)) files -> $@"; fi
.PHONY: FORCE
FORCE:
$(BUILD)/gen/no-model.bin:
	@mkdir -p $(@D)
	: > $@
$(BUILD)/obj/common/embedded.o: $(BUILD)/gen/entities.tsv $(NER_MODEL)
$(BUILD)/obj/common/embedded.o: ALL_CFLAGS += \
    -DATT_EMBED_DICTIONARY='"$(BUILD)/gen/entities.tsv"' \
    -DATT_EMBED_MODEL='"$(NER_MODEL)"'

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIB_SO): $(LIB_OBJ) common/attache.map
	$(CXX) -shared -Wl,-soname,libattache.so.$(SOVERSION) \
	    -Wl,--version-script=common/attache.map -Wl,--no-undefined \
	    $(LDFLAGS_ALL) -o $@ $(LIB_OBJ) $(LIB_LIBS)
	ln -sf libattache.so.$(LIBVERSION) $(BUILD)/libattache.so.$(SOVERSION)
	ln -sf libattache.so.$(LIBVERSION) $(BUILD)/libattache.so

$(PROG): $(PROG_OBJ) $(LIB_A)
	$(CC) $(LDFLAGS_ALL) -o $@ $(PROG_OBJ) $(LIB_A) $(PROG_PKG_LIBS) $(LIB_LIBS)

# ---- tests -----------------------------------------------------------------

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/helpers.h tests/tmpdir.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Icommon -o $@ $< $(LIB_A) \
	    $(CRIT_LIBS) $(LIB_LIBS) $(LDFLAGS_ALL)

$(BUILD)/tests/e2e/%: tests/e2e/%.c tests/e2e/e2e.h tests/tmpdir.h $(PROG)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Icommon -o $@ $< \
	    $(CRIT_LIBS) $(LDFLAGS_ALL)
# The generated corpus of the operations suites (test_crash.c, test_ops.c).
$(BUILD)/tests/e2e/test_crash $(BUILD)/tests/e2e/test_ops: tests/e2e/gen_corpus.h

# The prompt's end-to-end test drives it under a pseudo-terminal (forkpty).
$(BUILD)/tests/e2e/test_shell_pty: LDFLAGS_ALL += -lutil

# Each suite runs with the paths it needs; Criterion prints its own summary
# per suite, and tests/run-tests.sh prints the overall line.
test: all $(TEST_BINS)
	@ATTACHE_BIN=$(abspath $(PROG)) ATTACHE_BUILD=$(abspath $(BUILD)) \
	 ATTACHE_SRC=$(CURDIR) MAKE="$(MAKE)" \
	 tests/run-tests.sh $(TEST_BINS)

# Rewrites tests/golden/ from the program as it is now (the commands are
# in tests/e2e/test_golden.c); review `git diff tests/golden` before
# committing the change.
.PHONY: golden-update
golden-update: all $(BUILD)/tests/e2e/test_golden
	ATTACHE_GOLDEN_UPDATE=1 ATTACHE_BIN=$(abspath $(PROG)) ATTACHE_SRC=$(CURDIR) \
	    $(BUILD)/tests/e2e/test_golden --jobs 1 --short-filename
	@git diff --stat -- tests/golden 2>/dev/null || true
# ---- the thread rules, also under ThreadSanitizer ----------------------------
# `make SANITIZE=thread test-threads` runs tests/unit/test_threads.c (many
# threads searching, extracting entities, reading results, during commits)
# under TSan.  Criterion's runner does not start under TSan, so this build
# of the suite uses tests/tsan/criterion/criterion.h, a small stand-in that
# runs each test in its own child process.  Without SANITIZE it runs the
# same suite unsanitized; `make test` runs it through Criterion as usual.
THREADS_BIN := $(BUILD)/tests/threads/test_threads
$(THREADS_BIN): tests/unit/test_threads.c tests/unit/helpers.h tests/tmpdir.h \
                tests/tsan/criterion/criterion.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests/tsan -Icommon -o $@ $< \
	    $(LIB_A) $(LIB_LIBS) $(LDFLAGS_ALL)
.PHONY: test-threads
test-threads: $(THREADS_BIN)
	ATTACHE_SRC=$(CURDIR) TSAN_OPTIONS="halt_on_error=1 $(TSAN_OPTIONS)" $(THREADS_BIN)

# ---- the first five minutes ---------------------------------------------------

DEMO_DB := $(BUILD)/demo-index
# Rebuilt each time: it is small, and an index from an older schema version
# would be refused.
run: $(PROG)
	rm -rf $(DEMO_DB)
	$(PROG) index --db $(DEMO_DB) corpus/samples corpus/ungdc-79
	$(PROG) shell --db $(DEMO_DB)

# ---- install -----------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/attache
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/libattache.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libattache.so.$(LIBVERSION)
	ln -sf libattache.so.$(LIBVERSION) $(DESTDIR)$(LIBDIR)/libattache.so.$(SOVERSION)
	ln -sf libattache.so.$(LIBVERSION) $(DESTDIR)$(LIBDIR)/libattache.so
	install -m 644 common/attache.h $(DESTDIR)$(INCLUDEDIR)/attache.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(LIBVERSION)|' \
	    attache.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/attache.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/attache.pc
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 docs/attache.1 $(DESTDIR)$(MANDIR)/man1/attache.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/attache $(DESTDIR)$(LIBDIR)/libattache.a \
	    $(DESTDIR)$(LIBDIR)/libattache.so* $(DESTDIR)$(INCLUDEDIR)/attache.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/attache.pc
	rm -f $(DESTDIR)$(MANDIR)/man1/attache.1

clean:
	rm -rf build

-include tests/bench/bench.mk
include tests/eval/eval.mk
-include tests/eval/ner.mk

# `make eval-batch`: `make eval`, then the same prepared TIME queries run
# in one command, `attache batch --format trec`, and scored by the same
# evaluator (tests/eval/trec_eval.py): every per-query score must equal
# that of make eval's run (docs/CLI.md, "attache batch").  Checks the
# default setting (EVAL_FLAGS=--any: words ORed, every copy listed).
EVAL_BATCH_RUN := $(EVAL_DIR)/runs/attache-batch.trec
.PHONY: eval-batch
eval-batch: eval
	@[ "$(EVAL_FLAGS)" = "--any" ] || { echo "eval-batch: checks EVAL_FLAGS=--any only" >&2; exit 2; }
	$(PROG) batch --db $(EVAL_DIR)/time/index --format trec --any --all-copies \
	    --run-tag attache-batch $(EVAL_DIR)/time/queries.attache-or.tsv > $(EVAL_BATCH_RUN)
	PYTHONDONTWRITEBYTECODE=1 python3 tests/eval/trec_eval.py -q -c \
	    $(EVAL_DIR)/time/qrels.rel $(EVAL_BATCH_RUN) > $(EVAL_DIR)/batch.scores
	PYTHONDONTWRITEBYTECODE=1 python3 tests/eval/trec_eval.py -q -c \
	    $(EVAL_DIR)/time/qrels.rel $(EVAL_DIR)/runs/attache-or.trec > $(EVAL_DIR)/eval-run.scores
	@diff $(EVAL_DIR)/eval-run.scores $(EVAL_DIR)/batch.scores >&2 || \
	    { echo "eval-batch: attache batch scores differently from make eval's run" >&2; exit 1; }
	@echo "eval-batch: $(EVAL_BATCH_RUN) scores as make eval's run:" \
	    "$$(grep '^map .*all' $(EVAL_DIR)/batch.scores | tr -s ' \t' ' ')"

-include $(LIB_OBJ:.o=.d) $(PROG_OBJ:.o=.d)
