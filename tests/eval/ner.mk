# tests/eval/ner.mk: the named-entity tagger's model and its evaluation,
# included by the Makefile.  The data is CoNLL-2003 English
# (../shared/data/conll2003, or $(BENCH_DATA)/conll2003): research data that
# is never copied into the repository; what is generated goes under
# $(BUILD)/eval/ner/.
#
#   make model     builds ner-train and trains corpus/ner/model.bin on
#                  eng.train, choosing epochs on eng.testa (a few minutes)
#   make eval-ner  tags eng.testa and eng.testb with `attache entities
#                  --conll` and scores them (tests/eval/conlleval.py): per
#                  type, all four types, and PER+ORG+LOC
#
# ner-train (indexer/ner_train.c) links only the library objects it needs,
# not common/embedded.c (the model it writes is not built into it).

NER_TRAIN := $(BUILD)/ner-train
NER_DATA = $(or $(BENCH_DATA),../shared/data)/conll2003
NER_MODEL_OUT := corpus/ner/model.bin
NER_EVAL_DIR := $(BUILD)/eval/ner
# Dictionary features when the dictionary's files are there.
NER_DICT_FLAGS = $(if $(wildcard corpus/entities/*.tsv),--entities corpus/entities)
NER_TRAIN_FLAGS ?=
NER_LIB_OBJ := $(addprefix $(BUILD)/obj/common/,ner.o entity_dict.o analyze.o util.o error.o)

.PHONY: model eval-ner ner-data

$(NER_TRAIN): indexer/ner_train.c $(NER_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DATT_BUILDING_LIBRARY -Icommon -o $@ $< $(NER_LIB_OBJ) \
	    $(LIB_LIBS) $(LDFLAGS_ALL)

ner-data:
	@if [ ! -f "$(NER_DATA)/eng.train" ] || [ ! -f "$(NER_DATA)/eng.testa" ] || \
	    [ ! -f "$(NER_DATA)/eng.testb" ]; then \
	    echo "make: the CoNLL-2003 data (eng.train, eng.testa, eng.testb) is not" \
	         "at $(NER_DATA) (set BENCH_DATA to the shared data directory)" >&2; \
	    exit 2; fi

model: ner-data $(NER_TRAIN)
	@mkdir -p $(dir $(NER_MODEL_OUT))
	$(NER_TRAIN) train --train $(NER_DATA)/eng.train --dev $(NER_DATA)/eng.testa \
	    --out $(NER_MODEL_OUT) $(NER_DICT_FLAGS) $(NER_TRAIN_FLAGS)

# Tags with the product, `attache entities --conll` (att_ner_tag(): the
# model and the dictionary built into the library, so $(PROG) is rebuilt
# after `make model`), and scores with tests/eval/conlleval.py.  The
# scorer's "accuracy" compares tag strings, IOB1 gold against IOB2
# output: ignore it; the F1 figures are the ones that count.
eval-ner: ner-data $(PROG)
	@mkdir -p $(NER_EVAL_DIR)
	@set -e; for set in testa testb; do \
	    $(PROG) entities --conll $(NER_DATA)/eng.$$set > $(NER_EVAL_DIR)/$$set.conll; \
	    PYTHONDONTWRITEBYTECODE=1 python3 tests/eval/conlleval.py \
	        --label "eng.$$set: all four types, then PER+ORG+LOC overall" \
	        --subset PER,ORG,LOC $(NER_EVAL_DIR)/$$set.conll > $(NER_EVAL_DIR)/$$set.txt; \
	    cat $(NER_EVAL_DIR)/$$set.txt; echo; \
	done
	@echo "Written: $(NER_EVAL_DIR)/testa.txt $(NER_EVAL_DIR)/testb.txt (and the tagged .conll files)"
