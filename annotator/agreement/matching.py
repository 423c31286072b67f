"""Maximum bipartite matching for span sets: sparse components, the Hungarian algorithm where needed."""

import numpy as np
import numpy.typing as npt


def hungarian(cost: npt.NDArray[np.float64]) -> list[tuple[int, int]]:
    """Rows matched to columns minimising the total cost; every row gets a column when rows <= columns.

    The O(n^2 m) potentials method (Kuhn-Munkres with shortest augmenting paths).
    """
    transposed = cost.shape[0] > cost.shape[1]
    matrix = cost.T if transposed else cost
    rows, cols = matrix.shape
    if rows == 0:
        return []
    u = np.zeros(rows + 1)
    v = np.zeros(cols + 1)
    owner = np.zeros(cols + 1, dtype=np.int64)  # owner[j]: row (1-based) holding column j; 0 = free
    way = np.zeros(cols + 1, dtype=np.int64)
    for row in range(1, rows + 1):
        owner[0] = row
        column = 0
        best = np.full(cols + 1, np.inf)
        used = np.zeros(cols + 1, dtype=bool)
        while True:
            used[column] = True
            current = owner[column]
            free = ~used[1:]
            reduced = matrix[current - 1] - u[current] - v[1:]
            improve = free & (reduced < best[1:])
            best[1:][improve] = reduced[improve]
            way[1:][improve] = column
            candidates = np.where(free, best[1:], np.inf)
            nxt = int(np.argmin(candidates)) + 1
            delta = candidates[nxt - 1]
            u[owner[used]] += delta
            v[used] -= delta
            best[1:][~used[1:]] -= delta
            column = nxt
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    pairs = [(int(owner[j]) - 1, j - 1) for j in range(1, cols + 1) if owner[j]]
    return sorted((c, r) for r, c in pairs) if transposed else sorted(pairs)


def maximum_matching(weights: npt.NDArray[np.float64]) -> list[tuple[int, int]]:
    """Pairs (i, j) with weights[i, j] > 0, one-to-one, as many pairs as possible, then the largest
    total weight among those. Weights must lie in (0, 1] for an edge and be 0 for no edge."""
    if weights.size == 0:
        return []
    edges = weights > 0
    # Each edge is worth more than any sum of weight differences, so the count of pairs comes first.
    scale = float(min(weights.shape) + 1)
    cost = np.where(edges, -(scale + weights), 0.0)
    return [(i, j) for i, j in hungarian(cost) if edges[i, j]]


def sparse_maximum_matching(edges: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """maximum_matching for a sparse edge list (left, right, weight in (0, 1]).

    The graph splits into connected components: a single edge or a star (one node on a side) is solved
    directly (its heaviest edge); only components with a choice between several pairs go to the Hungarian
    algorithm. Spans overlap few others, so almost every component is trivial.
    """
    if not edges:
        return []
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right, _ in edges:
        parent[find((0, left))] = find((1, right))
    components: dict[tuple[int, int], list[tuple[int, int, float]]] = {}
    for edge in edges:
        components.setdefault(find((0, edge[0])), []).append(edge)
    pairs: list[tuple[int, int]] = []
    for group in components.values():
        lefts = {left for left, _, _ in group}
        rights = {right for _, right, _ in group}
        if len(lefts) == 1 or len(rights) == 1:
            best = max(group, key=lambda edge: (edge[2], -edge[0], -edge[1]))
            pairs.append((best[0], best[1]))
            continue
        rows, cols = sorted(lefts), sorted(rights)
        row_at = {value: index for index, value in enumerate(rows)}
        col_at = {value: index for index, value in enumerate(cols)}
        weights = np.zeros((len(rows), len(cols)))
        for left, right, weight in group:
            weights[row_at[left], col_at[right]] = weight
        pairs.extend((rows[i], cols[j]) for i, j in maximum_matching(weights))
    return sorted(pairs)
