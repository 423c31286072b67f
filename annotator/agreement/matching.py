"""Maximum bipartite matching: most pairs, then the largest total weight; exact, numpy only.

Span graphs are sparse: a span overlaps few others. match_edges solves a whole project's edge list at
once: a component that is a single edge or a star (one node on a side) is solved directly, and only
components with a real choice go to the Hungarian algorithm (maximum_matching).
"""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from annotator.agreement.table import Bools, Floats, Ints


def hungarian(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Rows matched to columns with the least total cost, every row matched; needs rows <= columns.

    Kuhn-Munkres with potentials and shortest augmenting paths, O(rows^2 * columns). Plain Python: the
    matrices here are a few spans across, where numpy's per-call cost would dominate.
    """
    rows = len(cost)
    cols = len(cost[0]) if rows else 0
    if rows > cols:
        raise ValueError("hungarian needs no more rows than columns")
    infinity = float("inf")
    u = [0.0] * (rows + 1)
    v = [0.0] * (cols + 1)
    owner = [0] * (cols + 1)  # owner[j]: the row (1-based) holding column j; 0 = free
    way = [0] * (cols + 1)
    for row in range(1, rows + 1):
        owner[0] = row
        column = 0
        best = [infinity] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[column] = True
            current = owner[column]
            delta, following = infinity, 0
            for j in range(1, cols + 1):
                if not used[j]:
                    reduced = cost[current - 1][j - 1] - u[current] - v[j]
                    if reduced < best[j]:
                        best[j], way[j] = reduced, column
                    if best[j] < delta:
                        delta, following = best[j], j
            for j in range(cols + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    best[j] -= delta
            column = following
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    return sorted((owner[j] - 1, j - 1) for j in range(1, cols + 1) if owner[j])


def maximum_matching(weights: npt.ArrayLike) -> list[tuple[int, int]]:
    """Pairs (i, j), one-to-one, only where weights[i, j] > 0: as many pairs as possible, then the largest
    total weight among those. Weights lie in (0, 1] for an edge and are 0 for none. Sorted by i."""
    matrix = np.asarray(weights, dtype=np.float64)
    if matrix.size == 0:
        return []
    transposed = matrix.shape[0] > matrix.shape[1]
    if transposed:
        matrix = matrix.T
    # An extra pair is worth more than any total of weights (each <= 1), so the count of pairs comes first.
    bonus = float(min(matrix.shape) + 1)
    cost = np.where(matrix > 0, -(bonus + matrix), 0.0).tolist()
    pairs = [(i, j) for i, j in hungarian(cost) if matrix[i, j] > 0]
    return sorted((j, i) for i, j in pairs) if transposed else pairs


def _best_per_node(node: Ints, weight: Floats, candidates: Bools) -> Bools:
    """Among the candidate edges, the heaviest of each node (ties: the first edge)."""
    chosen = np.zeros(len(node), dtype=bool)
    index = np.flatnonzero(candidates)
    order = index[np.lexsort((-weight[index], node[index]))]
    first = np.ones(len(order), dtype=bool)
    first[1:] = node[order][1:] != node[order][:-1]
    chosen[order[first]] = True
    return chosen


def _components(left: list[int], right: list[int]) -> list[list[int]]:
    """Edge indices of each connected component (union-find over the given edges)."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for a, b in zip(left, right, strict=True):
        parent[find((0, a))] = find((1, b))
    components: dict[tuple[int, int], list[int]] = {}
    for edge, a in enumerate(left):
        components.setdefault(find((0, a)), []).append(edge)
    return list(components.values())


def match_edges(left: Ints, right: Ints, weight: Floats) -> Bools:
    """Which edges a maximum matching keeps: in each connected component, as many pairs as possible,
    then the largest total weight. Nodes are ids >= 0 (left and right apart; bincounts are as long as
    the largest id); each (left, right) edge appears at most once with a weight in (0, 1].
    Deterministic for the same edges in the same order.
    """
    chosen = np.zeros(len(left), dtype=bool)
    if len(left) == 0:
        return chosen
    left_node, right_node = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    left_degree = np.bincount(left_node)[left_node]
    right_degree = np.bincount(right_node)[right_node]
    chosen |= (left_degree == 1) & (right_degree == 1)
    # A star: a node of degree >= 2 whose neighbours have no other edge. Its heaviest edge is the answer.
    leaves_of_left = np.bincount(left_node, weights=right_degree == 1)[left_node]
    left_star = (left_degree >= 2) & (leaves_of_left == left_degree)
    leaves_of_right = np.bincount(right_node, weights=left_degree == 1)[right_node]
    right_star = (right_degree >= 2) & (leaves_of_right == right_degree)
    chosen |= _best_per_node(left_node, weight, left_star)
    chosen |= _best_per_node(right_node, weight, right_star)
    rest = np.flatnonzero(~(left_star | right_star | ((left_degree == 1) & (right_degree == 1))))
    if len(rest) == 0:
        return chosen
    rest_left, rest_right = left_node[rest].tolist(), right_node[rest].tolist()
    rest_weight = weight[rest].tolist()
    for component in _components(rest_left, rest_right):
        rows = sorted({rest_left[edge] for edge in component})
        cols = sorted({rest_right[edge] for edge in component})
        row_at = {node: index for index, node in enumerate(rows)}
        col_at = {node: index for index, node in enumerate(cols)}
        matrix = np.zeros((len(rows), len(cols)))
        edge_at: dict[tuple[int, int], int] = {}
        for edge in component:
            cell = (row_at[rest_left[edge]], col_at[rest_right[edge]])
            matrix[cell] = rest_weight[edge]
            edge_at[cell] = rest[edge]
        for cell in maximum_matching(matrix):
            chosen[edge_at[cell]] = True
    return chosen
