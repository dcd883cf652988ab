"""test_trec_eval.py: unit tests of the evaluator (trec_eval.py) on small
cases computed by hand, and of the TIME parsers and query preparation
(time.py, eval.py) on made-up text: no research data needed.

  python3 -m unittest discover -s tests/eval -p 'test_*.py'   (make eval-test)
"""
import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trec_eval  # noqa: E402
import eval as harness  # noqa: E402

TIME = harness.TIME


def run_of(*docs):
    """A one-query run: docs as (docno, score)."""
    return {"1": list(docs)}


class Ranking(unittest.TestCase):
    def test_score_descending(self):
        self.assertEqual(trec_eval.ranking([("a", 1.0), ("b", 3.0), ("c", 2.0)]),
                         ["b", "c", "a"])

    def test_ties_by_docno_decreasing_string_order(self):
        # trec_eval: equal scores sort by docno, strcmp, decreasing; as
        # strings "9" > "10" > "1".
        got = trec_eval.ranking([("1", 2.0), ("10", 2.0), ("9", 2.0),
                                 ("5", 3.0)])
        self.assertEqual(got, ["5", "9", "10", "1"])

    def test_tie_break_changes_ap(self):
        qrels = {"1": {"10": 1}}
        r = trec_eval.evaluate(qrels, run_of(("10", 1.0), ("9", 1.0)))
        self.assertAlmostEqual(r["mean"]["map"], 0.5)   # "9" ranks first

    def test_rank_column_ignored(self):
        with tempfile.NamedTemporaryFile("w", suffix=".trec", delete=False) as f:
            f.write("1 Q0 a 1 0.5 t\n1 Q0 b 2 0.9 t\n")
        try:
            run = trec_eval.read_run(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(trec_eval.ranking(run["1"]), ["b", "a"])

    def test_duplicate_document_is_an_error(self):
        with self.assertRaises(ValueError):
            trec_eval.ranking([("a", 1.0), ("a", 0.5)])


class Measures(unittest.TestCase):
    def test_average_precision(self):
        # Relevant a, b, c; retrieved a (1), x (2), b (3); c never:
        # AP = (1/1 + 2/3) / 3.
        qrels = {"1": {"a": 1, "b": 1, "c": 1, "x": 0}}
        r = trec_eval.evaluate(qrels, run_of(("a", 3), ("x", 2), ("b", 1)))
        self.assertAlmostEqual(r["mean"]["map"], (1 + 2 / 3) / 3)
        self.assertAlmostEqual(r["mean"]["recall_100"], 2 / 3)

    def test_p10_with_fewer_than_ten_retrieved(self):
        qrels = {"1": {"a": 1, "b": 1}}
        r = trec_eval.evaluate(qrels, run_of(("a", 3), ("x", 2), ("b", 1)))
        self.assertAlmostEqual(r["mean"]["P_10"], 2 / 10)

    def test_p10_counts_only_the_top_ten(self):
        docs = [(f"n{i}", 100 - i) for i in range(10)] + [("a", 1)]
        r = trec_eval.evaluate({"1": {"a": 1}}, run_of(*docs))
        self.assertEqual(r["mean"]["P_10"], 0)
        self.assertAlmostEqual(r["mean"]["map"], 1 / 11)

    def test_recall_100_cut(self):
        docs = [(f"n{i:03}", 1000 - i) for i in range(100)] + [("a", 1), ("b", 2000)]
        r = trec_eval.evaluate({"1": {"a": 1, "b": 1}}, run_of(*docs))
        self.assertAlmostEqual(r["mean"]["recall_100"], 1 / 2)  # a is 102nd

    def test_ndcg_graded_ideal(self):
        # Gains are the levels; discount log2(rank + 1).  Retrieved: the
        # level-1 document first, the level-2 one second.
        qrels = {"1": {"one": 1, "two": 2}}
        r = trec_eval.evaluate(qrels, run_of(("one", 2), ("two", 1)))
        dcg = 1 / math.log2(2) + 2 / math.log2(3)
        ideal = 2 / math.log2(2) + 1 / math.log2(3)
        self.assertAlmostEqual(r["mean"]["ndcg_cut_10"], dcg / ideal)

    def test_ndcg_ideal_from_qrels_not_from_run(self):
        # Three relevant documents, one retrieved at rank 2: the ideal has
        # all three at ranks 1-3.
        qrels = {"1": {"a": 1, "b": 1, "c": 1}}
        r = trec_eval.evaluate(qrels, run_of(("x", 2), ("a", 1)))
        ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
        self.assertAlmostEqual(r["mean"]["ndcg_cut_10"], (1 / math.log2(3)) / ideal)

    def test_ndcg_ideal_cut_at_ten(self):
        # Twelve relevant documents, the first ten retrieved: perfect nDCG@10.
        qrels = {"1": {f"r{i:02}": 1 for i in range(12)}}
        r = trec_eval.evaluate(qrels, run_of(*[(f"r{i:02}", 50 - i) for i in range(10)]))
        self.assertAlmostEqual(r["mean"]["ndcg_cut_10"], 1.0)
        self.assertAlmostEqual(r["mean"]["recall_100"], 10 / 12)


class Averaging(unittest.TestCase):
    QRELS = {"1": {"a": 1}, "2": {"b": 1}, "3": {"c": 0}}

    def test_missing_query_scores_zero_with_complete(self):
        run = {"1": [("a", 1.0)], "9": [("z", 1.0)]}
        r = trec_eval.evaluate(self.QRELS, run, complete=True)
        self.assertEqual(r["num_q"], 2)              # 3 has no relevant doc
        self.assertEqual(r["missing"], ["2"])
        self.assertAlmostEqual(r["mean"]["map"], 0.5)
        self.assertEqual(r["per_query"]["2"]["map"], 0.0)

    def test_missing_query_left_out_without_complete(self):
        run = {"1": [("a", 1.0)]}
        r = trec_eval.evaluate(self.QRELS, run, complete=False)
        self.assertEqual(r["num_q"], 1)
        self.assertAlmostEqual(r["mean"]["map"], 1.0)

    def test_subset_of_queries(self):
        run = {"1": [("a", 1.0)], "2": [("x", 1.0), ("b", 0.5)]}
        r = trec_eval.evaluate(self.QRELS, run, qids=["2"])
        self.assertEqual(list(r["per_query"]), ["2"])
        self.assertAlmostEqual(r["mean"]["map"], 0.5)

    def test_files_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            q, run = os.path.join(d, "qrels"), os.path.join(d, "run")
            with open(q, "w") as f:
                f.write("1 0 a 1\n1 0 b 0\n2 0 c 1\n")
            with open(run, "w") as f:
                f.write("1 Q0 b 1 2.0 t\n1 Q0 a 2 1.0 t\n")
            r = trec_eval.evaluate(trec_eval.read_qrels(q), trec_eval.read_run(run))
        self.assertAlmostEqual(r["mean"]["map"], (1 / 2 + 0) / 2)


class TimeParsing(unittest.TestCase):
    ALL = ("*TEXT 017 01/04/63 PAGE 020\n\nFIRST LINE OF ONE\n\nMORE TEXT .\n\n"
           "*TEXT  431   08/30 63 PAGE 026 \n\nSECOND\n\n"
           "*TEXT 528 11/13/63 PAGE 030\n\nTHIRD\n\n*STOP\n")

    def test_records(self):
        recs = TIME.parse_all(self.ALL)
        self.assertEqual([r.article for r in recs], ["017", "431", "528"])
        self.assertEqual(recs[0].lines, ["FIRST LINE OF ONE", "MORE TEXT ."])
        self.assertEqual(recs[1].date, "1963-08-30")     # space for the slash
        self.assertEqual(recs[2].date, "1963-11-13")     # as printed

    def test_bad_header(self):
        with self.assertRaises(ValueError):
            TIME.parse_all("*TEXT 17 01/04/63 PAGE 020\n")

    def test_docno_mapping(self):
        self.assertEqual([TIME.docno_of_record(r) for r in (1, 370, 375, 376, 423)],
                         [1, 370, 375, 378, 425])
        self.assertEqual(TIME.record_of_docno(424), 422)
        for bad in (371, 377, 426, 0):
            with self.assertRaises(ValueError):
                TIME.record_of_docno(bad)

    def test_queries(self):
        q = TIME.parse_queries("*FIND      1\n\n U.S . POLICY\n\nIN  ASIA .\n\n"
                               "*FIND 2\n\n CONGO\n")
        self.assertEqual(q, [("1", "U.S . POLICY IN ASIA ."), ("2", "CONGO")])
        with self.assertRaises(ValueError):
            TIME.parse_queries("*FIND 2\n\n CONGO\n")

    def test_rel_layouts(self):
        self.assertEqual(TIME.parse_rel("1  268 288\n\n2\n"),
                         {"1": ["268", "288"], "2": []})
        self.assertEqual(TIME.parse_rel("46   1  20 425\n"),
                         {"46": ["1", "20", "425"]})
        with self.assertRaises(ValueError):
            TIME.parse_rel("1  372\n")

    def test_article_forms(self):
        rec = TIME.parse_all("*TEXT 017 01/04/63 PAGE 020\n\n"
                             "CONGO PLEASE DON'T GO THE SEVEN-STORY\n\n"
                             + "WORDS AND MORE WORDS .\n\n" * 20)[0]
        none = TIME.article_text(rec, "none")
        head, body = none.split("\n\n", 1)
        self.assertEqual(head, "Date: 1963-01-04")
        self.assertEqual(body.count("\n"), 1)            # one line ...
        self.assertGreater(len(body), TIME.TITLE_MAX)    # ... too long for a title
        titled = TIME.article_text(rec, "first-line")
        self.assertTrue(titled.startswith(
            "Date: 1963-01-04\n\nCONGO PLEASE DON'T GO THE SEVEN-STORY\n\nWORDS"))


class QueryPreparation(unittest.TestCase):
    def test_operators_become_words(self):
        self.assertEqual(harness.prepare_query("WAR AND PEACE OR NOT NEAR ADJ"),
                         "war and peace or not near adj")

    def test_syntax_stripped(self):
        self.assertEqual(
            harness.prepare_query('U.S . "AID" (TO) -LAOS +NOW TITLE:X =Y ANTI-RED'),
            "u.s . aid to laos now title x y anti-red")

    def test_stop_words(self):
        self.assertEqual(harness.prepare_query("WHAT IS U.S . POLICY, US", {"what", "is", "us"}),
                         "u.s . policy,")

    def test_explicit_or(self):
        self.assertEqual(harness.prepare_query("THE U.S . AND LAOS", explicit_or=True),
                         "the OR u.s OR and OR laos")


if __name__ == "__main__":
    unittest.main()
