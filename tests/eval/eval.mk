# tests/eval/eval.mk: `make eval`, `make eval-tune` and `make eval-test`,
# included by the Makefile.  The ranking evaluation on the TIME collection
# (../shared/data/time): tests/eval/eval.py prepares the articles, indexes
# them with $(PROG) into $(BUILD)/eval/time/index, runs the queries with
# eval-run (built here, apart from the product, from the public API only)
# and scores the runs with tests/eval/trec_eval.py.  Everything generated
# goes under $(BUILD)/eval/; the research data is never copied elsewhere.
#
# The data is found as tests/bench/bench.py finds it: $(BENCH_DATA) if set
# (environment or command line), else ../shared/data.

EVAL_DIR := $(BUILD)/eval
EVAL_RUN := $(EVAL_DIR)/eval-run
EVAL_DATA = $(or $(BENCH_DATA),../shared/data)
# The project's settings for TIME: the engine's own BM25 parameters, and
# juxtaposed words as OR, since TIME's queries are sentences, not keywords.
EVAL_FLAGS ?= --any

.PHONY: eval eval-tune eval-test eval-data

$(EVAL_RUN): tests/eval/eval_run.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -std=c11 $(CWARN) $(OPT) -Icommon -o $@ $< $(LIB_A) $(LIB_LIBS)

eval-data:
	@if [ ! -f "$(EVAL_DATA)/time/TIME.ALL" ]; then \
	    echo "make eval: the TIME collection is not at $(EVAL_DATA)/time" \
	         "(set BENCH_DATA to the shared data directory)" >&2; exit 2; fi

eval: eval-data $(PROG) $(EVAL_RUN)
	PYTHONDONTWRITEBYTECODE=1 python3 tests/eval/eval.py --build $(BUILD) --data "$(EVAL_DATA)" $(EVAL_FLAGS)

# The parameter sweeps on the odd queries (the even ones are held out):
# BM25's k1 and b, the ranking functions, feedback and proximity
# (tests/eval/tune.py; several minutes).  TUNE=bm25|weighting|feedback
# runs one of them.
TUNE ?= all
eval-tune: eval-data $(PROG) $(EVAL_RUN)
	PYTHONDONTWRITEBYTECODE=1 python3 tests/eval/tune.py --build $(BUILD) --data "$(EVAL_DATA)" --sweep $(TUNE) $(EVAL_FLAGS)

# The evaluator's and the parsers' unit tests: no data needed.
eval-test:
	PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s tests/eval -p 'test_*.py'

# Reuters-21578's <PLACES> against the place facets of each story
# (tests/eval/places.py; docs/EVALUATION.md).
EVAL_PLACES := $(EVAL_DIR)/eval-places
.PHONY: eval-places
$(EVAL_PLACES): tests/eval/eval_places.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) -std=c11 $(CWARN) $(OPT) -Icommon -o $@ $< $(LIB_A) $(LIB_LIBS)

eval-places: $(PROG) $(EVAL_PLACES)
	@if [ ! -f "$(EVAL_DATA)/reuters21578/reut2-000.sgm" ]; then \
	    echo "make eval-places: Reuters-21578 is not at $(EVAL_DATA)/reuters21578" \
	         "(set BENCH_DATA to the shared data directory)" >&2; exit 2; fi
	PYTHONDONTWRITEBYTECODE=1 python3 tests/eval/places.py --build $(BUILD) --data "$(EVAL_DATA)"
