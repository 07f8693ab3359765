"""The NAB scorer of nab.py on a tiny hand-made case (python3 -m unittest, from bench/detection).

The case: 20 rows, so probation is floor(0.15 * 20) = 3 rows (0..2); one window on rows 8..11 (width 4).
sig(y) = 2 / (1 + e^(5y)) - 1:
  sig(-1)   = 2 / (1 + e^-5)   - 1 = 2 / 1.0067379 - 1 = 0.9866143
  sig(-0.5) = 2 / (1 + e^-2.5) - 1 = 2 / 1.0820850 - 1 = 0.8482836
  sig(1/3)  = 2 / (1 + e^(5/3)) - 1 = 2 / 6.2944900 - 1 = -0.6822619
Row weights (standard profile, tp 1, fp 0.11):
  row 8 (left edge):  position -(11 - 8 + 1) / 4 = -1,  weight sig(-1) / sig(-1) = 1
  row 10:             position -(11 - 10 + 1) / 4 = -0.5, weight 0.8482836 / 0.9866143 = 0.8597930
  row 5 (no window before it): -0.11
  row 12 (one row after the window): |12 - 11| / (4 - 1) = 1/3, weight 0.11 * -0.6822619 = -0.0750488
  row 19: 8/3 widths after it, sig(8/3) = -0.9999968, weight -0.1099996
Scores: row 1 = 9 (probation: ignored), row 10 = 5, row 12 = 4, row 5 = 3.
  "none": S = -1 (the window missed, -fn) = S_null; S_perfect = +1
  t = 5:  row 10 detected: S = 0.8597930                      <- the best
  t = 4:  + row 12:        S = 0.8597930 - 0.0750488 = 0.7847442
  t = 3:  + row 5:         S = 0.7847442 - 0.11      = 0.6747442
Normalised: 100 * (0.8597930 + 1) / (1 + 1) = 92.98965
"""
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nab


def case(**rows):
    scores = [None] * 20
    for k, v in rows.items():
        scores[int(k[1:])] = v
    return scores


class ScorerTest(unittest.TestCase):
    WINDOWS = [(8, 11)]

    def test_sigmoid(self):
        self.assertAlmostEqual(nab.sig(-1), 0.9866143, places=6)
        self.assertAlmostEqual(nab.sig(-0.5), 0.8482836, places=6)
        self.assertAlmostEqual(nab.sig(0), 0.0)
        self.assertEqual(nab.sig(3), -1.0)

    def test_row_weights(self):
        w = nab.row_weights(20, self.WINDOWS)
        self.assertEqual(w[:3], [None, None, None])  # probation
        self.assertEqual(w[8], (0, 1.0))
        self.assertAlmostEqual(w[10][1], 0.8597930, places=6)
        self.assertEqual(w[5], (None, -0.11))
        self.assertAlmostEqual(w[12][1], -0.0750488, places=6)
        self.assertAlmostEqual(w[19][1], -0.1099996, places=6)
        self.assertIsNone(w[12][0])

    def test_probation_is_capped_at_750_rows(self):
        w = nab.row_weights(10000, [])
        self.assertIsNone(w[749])
        self.assertIsNotNone(w[750])

    def test_sweep_picks_the_best_threshold(self):
        s, t, s_null, s_perfect = nab.sweep([(case(r1=9, r10=5, r12=4, r5=3), self.WINDOWS)])
        self.assertEqual((t, s_null, s_perfect), (5, -1.0, 1.0))
        self.assertAlmostEqual(s, 0.8597930, places=6)
        self.assertAlmostEqual(nab.normalised(s, s_null, s_perfect), 92.98965, places=4)

    def test_the_earliest_detection_of_a_window_counts_once(self):
        # rows 8 and 10 both detected: the window is worth its best (row 8: 1), not the sum
        s, t, _, _ = nab.sweep([(case(r8=2, r10=5), self.WINDOWS)])
        self.assertEqual(t, 2)
        self.assertAlmostEqual(s, 1.0)

    def test_false_alarms_alone_score_as_detecting_nothing(self):
        s, t, s_null, s_perfect = nab.sweep([(case(r5=1, r19=1), self.WINDOWS)])
        self.assertIsNone(t)
        self.assertEqual(nab.normalised(s, s_null, s_perfect), 0.0)

    def test_one_threshold_for_all_files(self):
        # file A's window is caught at 5; file B's false alarm at 5 costs -0.11 (no window before it)
        a = (case(r8=5), self.WINDOWS)
        b = (case(r5=5), self.WINDOWS)
        s, t, s_null, s_perfect = nab.sweep([a, b])
        self.assertEqual((t, s_null, s_perfect), (5, -2.0, 2.0))
        self.assertAlmostEqual(s, 1.0 - 1.0 - 0.11)

    def test_onsets(self):
        self.assertEqual(nab.onsets([0, 1, 1, 0, 1]), [None, 1, None, None, 1])
        self.assertEqual(nab.onsets([1, 0]), [1, None])


if __name__ == "__main__":
    unittest.main()
