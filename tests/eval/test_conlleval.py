"""test_conlleval.py: unit tests of the named-entity scorer (conlleval.py)
on small cases worked out by hand, including the IOB1 conventions of the
CoNLL-2003 data: no research data needed.

  python3 -m unittest discover -s tests/eval -p 'test_*.py'   (make eval-test)
"""
import io
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout, redirect_stderr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conlleval  # noqa: E402


def ch(*tags):
    return conlleval.chunks(list(tags))


def lines(*rows):
    """CoNLL lines from (token, gold, guess) rows; None is a blank line."""
    return [("\n" if r is None else " ".join(r) + "\n") for r in rows]


class Chunks(unittest.TestCase):
    def test_iob1_i_after_o_starts_a_chunk(self):
        self.assertEqual(ch("O", "I-PER", "I-PER", "O"), [(1, 2, "PER")])

    def test_iob1_sentence_initial_i(self):
        self.assertEqual(ch("I-LOC", "O"), [(0, 0, "LOC")])

    def test_iob1_b_between_same_type_chunks(self):
        # "... I-PER I-PER B-PER ..." is two persons side by side.
        self.assertEqual(ch("I-PER", "I-PER", "B-PER", "O"),
                         [(0, 1, "PER"), (2, 2, "PER")])

    def test_type_change_ends_a_chunk(self):
        self.assertEqual(ch("I-ORG", "I-LOC", "I-LOC"),
                         [(0, 0, "ORG"), (1, 2, "LOC")])

    def test_iob2(self):
        self.assertEqual(ch("B-PER", "I-PER", "B-PER", "O", "B-LOC"),
                         [(0, 1, "PER"), (2, 2, "PER"), (4, 4, "LOC")])

    def test_iob2_stray_i_after_other_type(self):
        # An I- whose type differs from the chunk before starts a new chunk.
        self.assertEqual(ch("B-PER", "I-ORG"), [(0, 0, "PER"), (1, 1, "ORG")])

    def test_iobes_and_bilou(self):
        self.assertEqual(ch("B-ORG", "E-ORG", "S-LOC", "O", "U-PER", "B-MISC", "L-MISC"),
                         [(0, 1, "ORG"), (2, 2, "LOC"), (4, 4, "PER"), (5, 6, "MISC")])

    def test_i_after_e_starts_a_chunk(self):
        self.assertEqual(ch("B-ORG", "E-ORG", "I-ORG"), [(0, 1, "ORG"), (2, 2, "ORG")])

    def test_chunk_at_end(self):
        self.assertEqual(ch("O", "B-LOC", "I-LOC"), [(1, 2, "LOC")])

    def test_bad_tag(self):
        with self.assertRaises(conlleval.FormatError):
            ch("PER")
        with self.assertRaises(conlleval.FormatError):
            ch("X-PER")


class Scores(unittest.TestCase):
    def test_perfect(self):
        c = conlleval.evaluate(lines(("EU", "I-ORG", "B-ORG"), ("rejects", "O", "O"),
                                     ("German", "I-MISC", "B-MISC"), None))
        self.assertEqual(c.prf(), (100.0, 100.0, 100.0))
        self.assertEqual(c.totals(), (2, 2, 2))

    def test_iob1_gold_against_iob2_guess(self):
        # Gold IOB1: "Peter Blackburn" then another person after B-.
        c = conlleval.evaluate(lines(("Peter", "I-PER", "B-PER"),
                                     ("Blackburn", "I-PER", "I-PER"),
                                     ("Smith", "B-PER", "B-PER"), None))
        self.assertEqual(c.totals(), (2, 2, 2))

    def test_partial_span_is_wrong(self):
        c = conlleval.evaluate(lines(("New", "I-LOC", "O"), ("York", "I-LOC", "B-LOC"),
                                     ("said", "O", "O"), None))
        p, r, f = c.prf()
        self.assertEqual((p, r, f), (0.0, 0.0, 0.0))
        self.assertEqual(c.totals(), (1, 1, 0))

    def test_wrong_type_is_wrong(self):
        c = conlleval.evaluate(lines(("Chelsea", "I-ORG", "B-LOC"), None))
        self.assertEqual(c.totals(), (1, 1, 0))
        self.assertEqual(c.found, {"LOC": 1})
        self.assertEqual(c.gold, {"ORG": 1})

    def test_precision_recall_f1(self):
        # Gold: A(PER) B(LOC) C(ORG); guess: A(PER) B(ORG) D(LOC).
        c = conlleval.evaluate(lines(("a", "I-PER", "B-PER"), ("x", "O", "O"),
                                     ("b", "I-LOC", "B-ORG"), ("x", "O", "O"),
                                     ("c", "I-ORG", "O"), ("d", "O", "B-LOC"), None))
        p, r, f = c.prf()
        self.assertAlmostEqual(p, 100 / 3)
        self.assertAlmostEqual(r, 100 / 3)
        self.assertAlmostEqual(f, 100 / 3)
        self.assertEqual(c.prf(["PER"]), (100.0, 100.0, 100.0))
        self.assertEqual(c.prf(["ORG"]), (0.0, 0.0, 0.0))
        # Accuracy: tokens whose two tags have the same string.
        self.assertEqual(c.tokens, 6)
        self.assertEqual(c.tokens_correct, 2)

    def test_sentence_boundary_ends_a_chunk(self):
        c = conlleval.evaluate(lines(("a", "I-PER", "B-PER"), None,
                                     ("b", "I-PER", "I-PER"), None))
        self.assertEqual(c.totals(), (2, 2, 2))

    def test_docstart_lines_are_tokens_with_o(self):
        c = conlleval.evaluate(["-DOCSTART- -X- O O O\n", "\n",
                                "Bonn NNP I-NP I-LOC B-LOC\n"])
        self.assertEqual(c.tokens, 2)
        self.assertEqual(c.totals(), (1, 1, 1))

    def test_docstart_column_count_is_free(self):
        # eng.testb's "-DOCSTART- -X- -X- O", left without a guess column.
        c = conlleval.evaluate(["-DOCSTART- -X- -X- O\n", "\n",
                                "Bonn NNP I-NP I-LOC B-LOC\n",
                                "-DOCSTART- -X- -X- O\n",
                                "Kohl NNP I-NP I-PER B-PER\n"])
        self.assertEqual(c.tokens, 4)
        self.assertEqual(c.totals(), (2, 2, 2))

    def test_types_restrict_both_sides(self):
        # A PER guess over a gold MISC chunk is a false positive for PER.
        rows = lines(("German", "I-MISC", "B-PER"), ("Bonn", "I-LOC", "B-LOC"),
                     ("Cup", "I-MISC", "B-MISC"), None)
        c = conlleval.evaluate(rows, types={"PER", "ORG", "LOC"})
        self.assertEqual(c.totals(), (1, 2, 1))
        p, r, f = c.prf()
        self.assertEqual((p, r), (50.0, 100.0))
        self.assertAlmostEqual(f, 200 / 3)
        self.assertNotIn("MISC", c.gold)

    def test_subset_line(self):
        rows = lines(("German", "I-MISC", "B-MISC"), ("Bonn", "I-LOC", "O"), None)
        c = conlleval.evaluate(rows)
        self.assertEqual(c.prf(["PER", "ORG", "LOC"]), (0.0, 0.0, 0.0))
        text = conlleval.report(c, subset=["PER", "ORG", "LOC"])
        self.assertIn("overall PER+ORG+LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00", text)
        self.assertIn("MISC: precision: 100.00%; recall: 100.00%; FB1: 100.00  1", text)

    def test_report_first_lines(self):
        # Accuracy compares the tag strings, as conlleval's does: an IOB1
        # I-PER against an IOB2 B-PER is a different tag.
        c = conlleval.evaluate(lines(("a", "I-PER", "B-PER"), ("b", "O", "O"), None))
        self.assertEqual(conlleval.report(c).splitlines()[1],
                         "accuracy:  50.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00")
        c = conlleval.evaluate(lines(("a", "B-PER", "B-PER"), ("b", "O", "O"), None))
        text = conlleval.report(c).splitlines()
        self.assertEqual(text[0], "processed 2 tokens with 1 phrases; found: 1 phrases; correct: 1.")
        self.assertEqual(text[1], "accuracy: 100.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00")


class Input(unittest.TestCase):
    def run_main(self, text, *args):
        with tempfile.NamedTemporaryFile("w", suffix=".conll", delete=False) as f:
            f.write(text)
        out, err = io.StringIO(), io.StringIO()
        try:
            with redirect_stdout(out), redirect_stderr(err):
                rc = conlleval.main([f.name, *args])
        finally:
            os.unlink(f.name)
        return rc, out.getvalue(), err.getvalue(), f.name

    def test_column_count_change_names_the_line(self):
        rc, _, err, name = self.run_main("a NNP I-PER B-PER\nb O O\n")
        self.assertEqual(rc, 2)
        self.assertIn(f"{name}:2:", err)

    def test_bad_tag_names_the_line(self):
        rc, _, err, name = self.run_main("a O O\n\nb O PER\n")
        self.assertEqual(rc, 2)
        self.assertIn(f"{name}:3:", err)
        self.assertIn("'PER'", err)

    def test_one_column_is_an_error(self):
        rc, _, err, _ = self.run_main("a\n")
        self.assertEqual(rc, 2)

    def test_main_types_option(self):
        rc, out, _, _ = self.run_main("a I-PER B-PER\nb I-MISC O\n", "--types", "PER,ORG,LOC")
        self.assertEqual(rc, 0)
        self.assertIn("processed 2 tokens with 1 phrases; found: 1 phrases; correct: 1.", out)

    def test_crlf_and_delimiter(self):
        c = conlleval.evaluate(["a\tI-PER\tB-PER\r\n", "\r\n"], delimiter="\t")
        self.assertEqual(c.totals(), (1, 1, 1))


if __name__ == "__main__":
    unittest.main()
