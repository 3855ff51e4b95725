"""Deterministic 2-D node positions for the overview page, fast enough for thousands of nodes.

Why not networkx: ``nx.spring_layout`` needs scipy for graphs of 500+ nodes (scipy is not a dependency here,
so it raises ``ModuleNotFoundError``) and its dense variant takes 33 s at 5k nodes; ``kamada_kawai_layout`` is
slower still. Here every weakly connected component gets its own Fruchterman-Reingold layout, all simulated
together in one numpy loop: small components with exact pairwise repulsion (a list of intra-component
pairs), large ones with repulsion from a density grid convolved with the 1/r kernel by FFT (batched per grid
size) plus exact repulsion between nodes sharing a grid cell. Components are then packed on shelves, largest
first. Cost per step is O(n * EXACT_MAX + grid cells), whatever the mix of component sizes.
Same graph (same node numbering and edges) -> same positions: one seeded generator, fixed iteration count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

EXACT_MAX = 40  # components up to this size get exact pairwise repulsion
ITERATIONS = 120
GRAVITY = 0.02  # pull towards the component's own centre, keeps leaves close
T0_DIV = 6.0  # initial temperature: component side / T0_DIV
INIT = 1.0  # start uniformly in a square of 2 * INIT * sqrt(size) per side
SPACING = 90.0  # pixels per unit of ideal edge length (vis-network's default spring length is ~100)


def layout_positions(
    n: int, edges: Sequence[tuple[int, int]], *, seed: int = 42, iterations: int = ITERATIONS
) -> list[tuple[float, float]]:
    """Positions (in pixels, centred on 0) for nodes ``0..n-1`` joined by undirected ``edges``.

    >>> pos = layout_positions(3, [(0, 1), (1, 2)])
    >>> len(pos), pos == layout_positions(3, [(0, 1), (1, 2)])
    (3, True)
    """
    if n == 0:
        return []
    pairs = sorted({(min(a, b), max(a, b)) for a, b in edges if a != b})
    comps = _components(n, pairs)
    # Renumber so that every component is one contiguous block [start, start + size).
    order = np.concatenate([np.asarray(c, dtype=np.int64) for c in comps])
    new_index = np.empty(n, dtype=np.int64)
    new_index[order] = np.arange(n)
    sizes = np.array([len(c) for c in comps], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    comp_of = np.repeat(np.arange(len(comps)), sizes)
    pair_arr = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    ea, eb = new_index[pair_arr[:, 0]], new_index[pair_arr[:, 1]]

    rng = np.random.default_rng(seed)
    side = np.sqrt(sizes[comp_of].astype(float))[:, None]
    pos = rng.uniform(-INIT, INIT, size=(n, 2)) * side
    t0 = side[:, 0] / T0_DIV
    small_a, small_b = _intra_pairs(sizes, starts)
    grids = [_Grid(g, sizes, starts, cs) for g, cs in _grid_groups(sizes).items()]
    for it in range(iterations):
        disp = -GRAVITY * pos
        _pair_repulsion(pos, small_a, small_b, disp)
        for grid in grids:
            grid.repulsion(pos, disp)
        if len(ea):
            d = pos[ea] - pos[eb]
            f = d * np.sqrt((d * d).sum(axis=1))[:, None]  # attraction |d|^2 along d
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(ea, weights=f[:, axis], minlength=n)
                disp[:, axis] += np.bincount(eb, weights=f[:, axis], minlength=n)
        length = np.sqrt((disp * disp).sum(axis=1))
        temp = t0 * (1 - it / iterations) + 0.01
        pos += disp * (np.minimum(length, temp) / np.maximum(length, 1e-9))[:, None]

    boxes = []
    for start, size in zip(starts, sizes, strict=True):
        block = pos[start : start + size]
        boxes.append(block - block.min(axis=0))
    out = np.concatenate(_pack(boxes))[new_index]
    out -= (out.max(axis=0) + out.min(axis=0)) / 2
    out *= SPACING
    return [(round(float(x), 1), round(float(y), 1)) for x, y in out]


def _components(n: int, pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find), largest first, ties by smallest member; members sorted."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda m: (-len(m), m[0]))


def _intra_pairs(sizes: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All node pairs inside each component of 2..EXACT_MAX nodes (at most n * EXACT_MAX / 2 pairs)."""
    a_parts, b_parts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    triu: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for start, size in zip(starts, sizes, strict=True):
        if 2 <= size <= EXACT_MAX:
            i, j = triu.setdefault(int(size), np.triu_indices(int(size), 1))
            a_parts.append(i + start)
            b_parts.append(j + start)
    return np.concatenate(a_parts), np.concatenate(b_parts)


def _pair_repulsion(pos: np.ndarray, a: np.ndarray, b: np.ndarray, disp: np.ndarray) -> None:
    """Add the exact repulsion 1/r between the listed node pairs to ``disp``."""
    if not len(a):
        return
    delta = pos[a] - pos[b]
    f = delta / np.maximum((delta * delta).sum(axis=1), 1e-4)[:, None]
    for axis in (0, 1):
        disp[:, axis] += np.bincount(a, weights=f[:, axis], minlength=len(pos))
        disp[:, axis] -= np.bincount(b, weights=f[:, axis], minlength=len(pos))


def _grid_groups(sizes: np.ndarray) -> dict[int, list[int]]:
    """Components above EXACT_MAX grouped by grid side (a power of two near 1.5 * sqrt(size), 16..256)."""
    groups: dict[int, list[int]] = {}
    for c, size in enumerate(sizes):
        if size > EXACT_MAX:
            g = min(256, max(16, 2 ** math.ceil(math.log2(1.5 * math.sqrt(size)))))
            groups.setdefault(g, []).append(c)
    return groups


class _Grid:
    """FFT repulsion for a batch of components sharing one grid side ``g`` (each has its own cell size)."""

    def __init__(self, g: int, sizes: np.ndarray, starts: np.ndarray, comps: list[int]) -> None:
        self.g = g
        self.nodes = np.concatenate([np.arange(starts[c], starts[c] + sizes[c]) for c in comps])
        self.batch = np.repeat(np.arange(len(comps)), sizes[comps])
        self.seg = np.concatenate([[0], np.cumsum(sizes[comps])[:-1]])
        off = np.fft.ifftshift(np.arange(-g, g)).astype(float)
        dx, dy = np.meshgrid(off, off, indexing="ij")
        r2 = dx * dx + dy * dy
        r2[0, 0] = np.inf
        self.kernel = [np.fft.rfft2(dx / r2), np.fft.rfft2(dy / r2)]  # 1/r field for unit cell size

    def repulsion(self, pos: np.ndarray, disp: np.ndarray) -> None:
        g, b = self.g, self.batch
        p = pos[self.nodes]
        lo = np.minimum.reduceat(p, self.seg, axis=0)
        hi = np.maximum.reduceat(p, self.seg, axis=0)
        h = np.maximum((hi - lo).max(axis=1) / (g - 1), 1e-6)
        cell = np.rint((p - lo[b]) / h[b, None]).astype(np.int64)
        flat = (b * g + cell[:, 0]) * g + cell[:, 1]
        density = np.zeros((len(self.seg), 2 * g, 2 * g))
        density[:, :g, :g] = np.bincount(flat, minlength=len(self.seg) * g * g).reshape(-1, g, g)
        spectrum = np.fft.rfft2(density)
        force = np.empty_like(p)
        for axis in (0, 1):
            field = np.fft.irfft2(spectrum * self.kernel[axis], s=(2 * g, 2 * g))
            force[:, axis] = field[b, cell[:, 0], cell[:, 1]] / h[b]
        disp[self.nodes] += force
        # Nodes sharing a cell do not see each other through the grid: add their exact repulsion.
        order = np.argsort(flat, kind="stable")
        same = flat[order]
        for d in range(1, 64):
            hit = same[d:] == same[:-d]
            if not hit.any():
                break
            _pair_repulsion(pos, self.nodes[order[:-d][hit]], self.nodes[order[d:][hit]], disp)


def _pack(boxes: list[np.ndarray]) -> list[np.ndarray]:
    """Shelf-pack component layouts (each translated to start at 0,0), largest first, 1.5 units apart."""
    sizes = [(float(b[:, 0].max()) + 1.5, float(b[:, 1].max()) + 1.5) for b in boxes]
    width = max(math.sqrt(sum(w * h for w, h in sizes)) * 1.2, max(w for w, _ in sizes))
    x = y = shelf = 0.0
    out = []
    for box, (w, h) in zip(boxes, sizes, strict=True):
        if x > 0 and x + w > width:
            x, y, shelf = 0.0, y + shelf, 0.0
        out.append(box + (x, y))
        x += w
        shelf = max(shelf, h)
    return out
