"""Maximum bipartite matching: most pairs first, then the largest total weight, checked by brute force."""

from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.matching import hungarian, match_edges, maximum_matching


def _best_by_brute_force(weights):
    """(pairs, total weight) of the best matching by trying every assignment of rows to columns."""
    rows, cols = weights.shape
    best = (0, 0.0)
    size = max(rows, cols)
    padded = np.zeros((size, size))
    padded[:rows, :cols] = weights
    for columns in permutations(range(size)):
        chosen = [padded[r, c] for r, c in enumerate(columns) if padded[r, c] > 0]
        best = max(best, (len(chosen), round(sum(chosen), 9)))
    return best


def test_hungarian_finds_the_cheapest_assignment():
    # rows 0, 1, 2 -> columns 1, 0, 2 costs 1 + 2 + 2 = 5; no other assignment costs as little
    cost = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]

    assert hungarian(cost) == [(0, 1), (1, 0), (2, 2)]


def test_hungarian_needs_no_more_rows_than_columns():
    with pytest.raises(ValueError, match="no more rows than columns"):
        hungarian([[1.0], [2.0]])


def test_more_pairs_beat_heavier_pairs():
    # Row 0 pairs best with column 0 (0.9), but then row 1 (only column 0) is left out: 2 pairs of
    # 0.1 + 0.2 beat 1 pair of 0.9.
    weights = np.array([[0.9, 0.1], [0.2, 0.0]])

    assert maximum_matching(weights) == [(0, 1), (1, 0)]


def test_among_as_many_pairs_the_heavier_total_wins():
    # Both assignments make 2 pairs: 0.9 + 0.8 = 1.7 beats 0.5 + 0.5 = 1.0.
    weights = np.array([[0.9, 0.5], [0.5, 0.8]])

    assert maximum_matching(weights) == [(0, 0), (1, 1)]


def test_no_edges_no_pairs():
    assert maximum_matching(np.zeros((3, 2))) == []
    assert maximum_matching(np.zeros((0, 0))) == []


def test_stars_single_edges_and_real_choices_in_one_edge_list():
    # Component 1: edge 10-20 alone. Component 2: star 11 -> 21 (0.3), 22 (0.7): the heavier edge.
    # Component 3: 12-23 (0.9), 12-24 (0.1), 13-23 (0.2): two pairs, 12-24 and 13-23.
    left = np.array([10, 11, 11, 12, 12, 13])
    right = np.array([20, 21, 22, 23, 24, 23])
    weight = np.array([0.5, 0.3, 0.7, 0.9, 0.1, 0.2])

    chosen = match_edges(left, right, weight)

    assert chosen.tolist() == [True, False, True, False, True, True]


weight_matrices = st.integers(1, 5).flatmap(lambda rows: st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.sampled_from([0.0, 0.0, 0.1, 0.25, 0.5, 0.75, 1.0]), min_size=rows * cols,
                          max_size=rows * cols).map(lambda flat: np.array(flat).reshape(rows, cols))))


@settings(max_examples=150, deadline=None)
@given(weight_matrices)
def test_maximum_matching_is_as_good_as_brute_force(weights):
    pairs = maximum_matching(weights)

    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert all(weights[i, j] > 0 for i, j in pairs)
    assert (len(pairs), round(sum(weights[i, j] for i, j in pairs), 9)) == _best_by_brute_force(weights)


@settings(max_examples=150, deadline=None)
@given(weight_matrices)
def test_sparse_edge_matching_equals_the_dense_one(weights):
    rows, cols = np.nonzero(weights)

    chosen = match_edges(rows, cols, weights[rows, cols])

    dense = maximum_matching(weights)
    assert len(rows[chosen]) == len(dense)
    assert sum(weights[rows[chosen], cols[chosen]]) == pytest.approx(sum(weights[i, j] for i, j in dense))
    assert len(set(rows[chosen])) == len(set(cols[chosen])) == int(chosen.sum())
