"""test_significance.py: unit tests of the paired randomization test
(significance.py) and of the ranking options' argument and tag helpers in
eval.py, on made-up numbers: no research data needed.

  python3 -m unittest discover -s tests/eval -p 'test_*.py'   (make eval-test)
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import significance  # noqa: E402
import eval as harness  # noqa: E402


class Randomization(unittest.TestCase):
    def test_no_difference_is_p_one(self):
        self.assertEqual(significance.randomization([0.0] * 20, 2000), 1.0)

    def test_a_consistent_difference_is_significant(self):
        # 20 queries all better by 0.1: only the two all-same-sign
        # assignments of 2^20 are as extreme, p about 2e-6 (the sampled
        # floor is 1 / (samples + 1))
        p = significance.randomization([0.1] * 20, 5000)
        self.assertLess(p, 0.001)

    def test_a_balanced_difference_is_not(self):
        diffs = [0.3, -0.3] * 10 + [0.01]
        self.assertGreater(significance.randomization(diffs, 5000), 0.5)

    def test_repeatable(self):
        d = [0.2, -0.05, 0.1, 0.0, 0.3, -0.1, 0.05]
        self.assertEqual(significance.randomization(d, 3000),
                         significance.randomization(d, 3000))

    def test_subsets(self):
        qrels = {"1": {"a": 1}, "2": {"a": 1}, "3": {"b": 1}, "4": {"c": 0}}
        self.assertEqual(sorted(significance.subset_qids(qrels, "odd")), ["1", "3"])
        self.assertEqual(significance.subset_qids(qrels, "even"), ["2"])
        self.assertEqual(sorted(significance.subset_qids(qrels, "all")), ["1", "2", "3"])

    def test_command_line(self):
        with tempfile.TemporaryDirectory() as d:
            q = os.path.join(d, "qrels")
            a = os.path.join(d, "a")
            b = os.path.join(d, "b")
            with open(q, "w") as f:
                f.write("1 0 x 1\n3 0 y 1\n")
            with open(a, "w") as f:   # x second, y second
                f.write("1 Q0 z 1 2 t\n1 Q0 x 2 1 t\n3 Q0 z 1 2 t\n3 Q0 y 2 1 t\n")
            with open(b, "w") as f:   # both first
                f.write("1 Q0 x 1 2 t\n3 Q0 y 1 2 t\n")
            self.assertEqual(significance.main([q, a, b, "--samples", "100"]), 0)


class RankingOptions(unittest.TestCase):
    def test_argv_skips_unset(self):
        self.assertEqual(harness.ranking_argv(None), [])
        self.assertEqual(harness.ranking_argv({"feedback_docs": 0, "param": None,
                                               "weighting": "lm"}),
                         ["--weighting", "lm", "--feedback-docs", "0"])

    def test_tags_differ_by_setting(self):
        t1 = harness.run_tag(True, False, None, None, "none", False,
                             {"proximity": 0.1})
        t2 = harness.run_tag(True, False, None, None, "none", False,
                             {"proximity": 0.2})
        self.assertNotEqual(t1, t2)
        self.assertEqual(harness.run_tag(True, False, None, None, "none", False),
                         "attache-or")


if __name__ == "__main__":
    unittest.main()
