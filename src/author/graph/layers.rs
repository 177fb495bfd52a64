//! The layering engine behind [`super::layout`], on plain numbered units: which edges go
//! back (breadth-first rank from the roots), longest-path columns, one dummy per column a long
//! edge crosses, barycentre sweeps against crossings, and positions that keep each column in
//! order and spaced.

const GAP_Y: f32 = 24.0;
const GAP_DUMMY: f32 = 9.0;
const DUMMY_H: f32 = 4.0;
/// Long edges are kept straight before nodes are kept in place.
const DUMMY_WEIGHT: f32 = 3.0;

/// Steps from `start` to each of `n` units along `edges`, ignoring edges out of `aside`
/// (scenario-wide triggers, which would make a late scene look one step from the start).
/// Units not reached count from 0 again, walked from in index order.
pub fn depths(
    n: usize,
    edges: &[(usize, usize)],
    start: Option<usize>,
    aside: usize,
) -> Vec<usize> {
    let mut out = vec![Vec::new(); n];
    for &(a, b) in edges.iter().filter(|(a, _)| *a != aside) {
        out[a].push(b);
    }
    let mut depth = vec![usize::MAX; n];
    let mut queue = std::collections::VecDeque::new();
    for root in start.into_iter().chain(0..n) {
        if root >= n || depth[root] != usize::MAX {
            continue;
        }
        depth[root] = 0;
        queue.push_back(root);
        while let Some(v) = queue.pop_front() {
            for &w in &out[v] {
                if depth[w] == usize::MAX {
                    depth[w] = depth[v] + 1;
                    queue.push_back(w);
                }
            }
        }
    }
    depth
}

/// Which edges go back. Only an edge inside a cycle can: one to a unit fewer steps from the
/// start, or, between units equally far, one that would close a cycle with the edges kept
/// so far (taken in order). Everything else goes forward, and what goes forward has no cycle.
pub fn back_edges(n: usize, edges: &[(usize, usize)], depth: &[usize]) -> Vec<bool> {
    let comp = components(n, edges);
    let mut out = vec![Vec::new(); n];
    let mut back = vec![false; edges.len()];
    for &(a, b) in edges {
        if a != b && (comp[a] != comp[b] || depth[b] > depth[a]) {
            out[a].push(b);
        }
    }
    for (i, &(a, b)) in edges.iter().enumerate() {
        if a == b || comp[a] != comp[b] || depth[b] > depth[a] {
            continue;
        }
        if depth[b] < depth[a] || reaches(&out, b, a) {
            back[i] = true;
        } else {
            out[a].push(b);
        }
    }
    back
}

/// The strongly connected component of each unit (Kosaraju, without recursion).
fn components(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let (mut out, mut inn) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    for &(a, b) in edges {
        out[a].push(b);
        inn[b].push(a);
    }
    // Finishing order of a depth-first walk.
    let mut done = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut stack = vec![(root, 0usize)];
        while let Some(top) = stack.last_mut() {
            let (v, k) = *top;
            if let Some(&w) = out[v].get(k) {
                top.1 += 1;
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                done.push(v);
                stack.pop();
            }
        }
    }
    // Walk the reversed edges in reverse finishing order: each walk is one component.
    let mut comp = vec![usize::MAX; n];
    for (c, &root) in done.iter().rev().enumerate() {
        if comp[root] != usize::MAX {
            continue;
        }
        comp[root] = c;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            for &w in &inn[v] {
                if comp[w] == usize::MAX {
                    comp[w] = c;
                    stack.push(w);
                }
            }
        }
    }
    comp
}

/// Whether `to` can be reached from `from` along `out`.
fn reaches(out: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; out.len()];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(v) = stack.pop() {
        if v == to {
            return true;
        }
        for &w in &out[v] {
            if !seen[w] {
                seen[w] = true;
                stack.push(w);
            }
        }
    }
    false
}

/// Longest-path columns over `edges` (which must not form a cycle): a unit sits one column
/// right of its furthest predecessor. Returns the columns and a topological order.
pub fn longest_path(n: usize, edges: &[(usize, usize)]) -> (Vec<usize>, Vec<usize>) {
    let mut succ = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b) in edges {
        succ[a].push(b);
        indeg[b] += 1;
    }
    let mut topo: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut i = 0;
    while i < topo.len() {
        for &w in &succ[topo[i]] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                topo.push(w);
            }
        }
        i += 1;
    }
    let mut layer = vec![0usize; n];
    for &v in &topo {
        for &w in &succ[v] {
            layer[w] = layer[w].max(layer[v] + 1);
        }
    }
    (layer, topo)
}

/// One thing to place: its size, its column (`None`: not placed), and how firmly it keeps
/// to where its neighbours pull it when a column is crowded (1 for a node).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub w: f32,
    pub h: f32,
    pub col: Option<usize>,
    pub weight: f32,
}

/// The layered graph being ordered and placed: units with a size, in columns.
pub struct Grid {
    pub layer: Vec<usize>,
    pub height: Vec<f32>,
    pub width: Vec<f32>,
    weight: Vec<f32>,
    dummy: Vec<bool>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    /// Units in each column, top to bottom.
    pub cols: Vec<Vec<usize>>,
}

impl Grid {
    /// Units with their sizes and columns; `None` leaves a unit out of the grid.
    pub fn new(units: &[Unit]) -> Grid {
        let ncols = units
            .iter()
            .filter_map(|u| u.col)
            .max()
            .map_or(0, |m| m + 1);
        let mut cols = vec![Vec::new(); ncols];
        for (i, u) in units.iter().enumerate() {
            if let Some(c) = u.col {
                cols[c].push(i);
            }
        }
        Grid {
            layer: units.iter().map(|u| u.col.unwrap_or(usize::MAX)).collect(),
            width: units.iter().map(|u| u.w).collect(),
            height: units.iter().map(|u| u.h).collect(),
            weight: units.iter().map(|u| u.weight).collect(),
            dummy: vec![false; units.len()],
            up: vec![Vec::new(); units.len()],
            down: vec![Vec::new(); units.len()],
            cols,
        }
    }

    /// Joins `a` (left) to `b` (right) through one dummy per column between them; the
    /// chain of units from `a` to `b`.
    pub fn chain(&mut self, a: usize, b: usize) -> Vec<usize> {
        let mut chain = vec![a];
        for col in self.layer[a] + 1..self.layer[b] {
            let d = self.layer.len();
            self.layer.push(col);
            self.height.push(DUMMY_H);
            self.width.push(0.0);
            self.weight.push(DUMMY_WEIGHT);
            self.dummy.push(true);
            self.up.push(Vec::new());
            self.down.push(Vec::new());
            self.cols[col].push(d);
            chain.push(d);
        }
        chain.push(b);
        for w in chain.windows(2) {
            self.down[w[0]].push(w[1]);
            self.up[w[1]].push(w[0]);
        }
        chain
    }

    /// A first order within columns: breadth first from `roots`, so neighbours start near
    /// each other.
    pub fn first_order(&mut self, roots: &[usize]) {
        let n = self.layer.len();
        let mut rank = vec![usize::MAX; n];
        let mut order: Vec<usize> = Vec::with_capacity(n);
        for root in roots.iter().copied().chain(0..n) {
            if root >= n || rank[root] != usize::MAX {
                continue;
            }
            rank[root] = order.len();
            order.push(root);
            let mut i = order.len() - 1;
            while i < order.len() {
                let v = order[i];
                for &w in self.down[v].iter().chain(&self.up[v]) {
                    if rank[w] == usize::MAX {
                        rank[w] = order.len();
                        order.push(w);
                    }
                }
                i += 1;
            }
        }
        for col in &mut self.cols {
            col.sort_by_key(|&v| rank[v]);
        }
    }

    /// Barycentre sweeps, left to right then right to left, keeping the order with the
    /// fewest crossings.
    pub fn order(&mut self) {
        let mut best = self.cols.clone();
        let mut best_x = self.crossings();
        for sweep in 0..20 {
            let rightward = sweep % 2 == 0;
            let cols: Vec<usize> = if rightward {
                (1..self.cols.len()).collect()
            } else {
                (0..self.cols.len().saturating_sub(1)).rev().collect()
            };
            for c in cols {
                self.sort_column(c, rightward);
            }
            let x = self.crossings();
            if x < best_x {
                best_x = x;
                best = self.cols.clone();
            }
        }
        self.cols = best;
    }

    fn positions(&self) -> Vec<usize> {
        let mut pos = vec![0; self.layer.len()];
        for col in &self.cols {
            for (i, &v) in col.iter().enumerate() {
                pos[v] = i;
            }
        }
        pos
    }

    /// Sorts column `c` by the mean position of each unit's neighbours in the column before
    /// (`rightward`) or after; a unit with none keeps its place.
    fn sort_column(&mut self, c: usize, rightward: bool) {
        let pos = self.positions();
        let mut keyed: Vec<(f32, usize)> = self.cols[c]
            .iter()
            .map(|&v| {
                let nb = if rightward {
                    &self.up[v]
                } else {
                    &self.down[v]
                };
                let key = if nb.is_empty() {
                    pos[v] as f32
                } else {
                    nb.iter().map(|&w| pos[w] as f32).sum::<f32>() / nb.len() as f32
                };
                (key, v)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.cols[c] = keyed.into_iter().map(|(_, v)| v).collect();
    }

    /// Edge crossings between neighbouring columns.
    pub fn crossings(&self) -> usize {
        let pos = self.positions();
        let pos = &pos;
        let mut total = 0;
        for col in &self.cols {
            let mut pairs: Vec<(usize, usize)> = col
                .iter()
                .flat_map(|&v| self.down[v].iter().map(move |&w| (pos[v], pos[w])))
                .collect();
            pairs.sort_unstable();
            let mut seq: Vec<usize> = pairs.into_iter().map(|p| p.1).collect();
            total += inversions(&mut seq);
        }
        total
    }

    /// The least distance between the centres of `a` above `b` in a column.
    fn separation(&self, a: usize, b: usize) -> f32 {
        let gap = if self.dummy[a] || self.dummy[b] {
            GAP_DUMMY
        } else {
            GAP_Y
        };
        (self.height[a] + self.height[b]) / 2.0 + gap
    }

    /// Vertical centres: each unit pulled towards the mean of its neighbours, columns kept
    /// in order and spaced (see [`fit_in_order`]), over several passes; the top at `top`.
    pub fn place(&self, top: f32) -> Vec<f32> {
        let mut y = vec![0.0f32; self.layer.len()];
        for col in &self.cols {
            let mut at = 0.0;
            for (i, &v) in col.iter().enumerate() {
                if i > 0 {
                    at += self.separation(col[i - 1], v);
                }
                y[v] = at;
            }
        }
        for pass in 0..30 {
            let (use_up, use_down) = match pass % 3 {
                0 => (true, false),
                1 => (false, true),
                _ => (true, true),
            };
            for c in 0..self.cols.len() {
                self.pull_column(c, &mut y, use_up, use_down);
            }
        }
        let highest = self
            .cols
            .iter()
            .flatten()
            .map(|&v| y[v] - self.height[v] / 2.0)
            .fold(f32::INFINITY, f32::min);
        let shift = if highest.is_finite() {
            top - highest
        } else {
            0.0
        };
        y.iter().map(|v| v + shift).collect()
    }

    fn pull_column(&self, c: usize, y: &mut [f32], use_up: bool, use_down: bool) {
        let col = &self.cols[c];
        let mut want = Vec::with_capacity(col.len());
        let mut weight = Vec::with_capacity(col.len());
        let mut gaps = Vec::with_capacity(col.len());
        for (i, &v) in col.iter().enumerate() {
            let ups = self.up[v].iter().filter(|_| use_up);
            let nb: Vec<usize> = ups
                .chain(self.down[v].iter().filter(|_| use_down))
                .copied()
                .collect();
            want.push(if nb.is_empty() {
                y[v]
            } else {
                nb.iter().map(|&w| y[w]).sum::<f32>() / nb.len() as f32
            });
            weight.push(self.weight[v]);
            gaps.push(if i == 0 {
                0.0
            } else {
                self.separation(col[i - 1], v)
            });
        }
        for (&v, at) in col.iter().zip(fit_in_order(&want, &weight, &gaps)) {
            y[v] = at;
        }
    }
}

/// Positions as close as possible (least weighted squares) to `want`, in the same order,
/// each at least `gaps[i]` below the one before: pool-adjacent-violators on the positions
/// with the gaps taken out.
pub fn fit_in_order(want: &[f32], weight: &[f32], gaps: &[f32]) -> Vec<f32> {
    let mut offset = Vec::with_capacity(want.len());
    let mut acc = 0.0;
    for g in gaps {
        acc += g;
        offset.push(acc);
    }
    // Blocks of (weight, weighted sum, count); each block sits at its weighted mean.
    let mut blocks: Vec<(f32, f32, usize)> = Vec::new();
    for i in 0..want.len() {
        blocks.push((weight[i], weight[i] * (want[i] - offset[i]), 1));
        while blocks.len() > 1 {
            let (w2, s2, c2) = blocks[blocks.len() - 1];
            let (w1, s1, c1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (w1 + w2, s1 + s2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(want.len());
    for (w, s, c) in blocks {
        for _ in 0..c {
            out.push(s / w + offset[out.len()]);
        }
    }
    out
}

/// Pairs out of order in `seq` (merge sort; `seq` ends up sorted).
fn inversions(seq: &mut [usize]) -> usize {
    if seq.len() < 2 {
        return 0;
    }
    let mid = seq.len() / 2;
    let mut n = inversions(&mut seq[..mid]) + inversions(&mut seq[mid..]);
    let mut merged = Vec::with_capacity(seq.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < seq.len() {
        if seq[i] <= seq[j] {
            merged.push(seq[i]);
            i += 1;
        } else {
            merged.push(seq[j]);
            n += mid - i;
            j += 1;
        }
    }
    merged.extend_from_slice(&seq[i..mid]);
    merged.extend_from_slice(&seq[j..]);
    seq.copy_from_slice(&merged);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_in_order_keeps_order_and_gaps_and_stays_close() {
        let y = fit_in_order(&[10.0, 10.0, 10.0], &[1.0; 3], &[0.0, 5.0, 5.0]);
        assert_eq!(y, vec![5.0, 10.0, 15.0]);
        let y = fit_in_order(&[0.0, 100.0], &[1.0; 2], &[0.0, 5.0]);
        assert_eq!(y, vec![0.0, 100.0]);
    }

    #[test]
    fn an_edge_outside_every_cycle_goes_forward_even_towards_the_start() {
        // 0 → 1 → 2 → 3 (an ending, also reached from 0): 2 → 3 is in no cycle.
        let edges = [(0, 1), (1, 2), (2, 3), (0, 3)];
        let back = back_edges(4, &edges, &depths(4, &edges, Some(0), 99));
        assert_eq!(back, [false; 4]);
    }

    #[test]
    fn inversions_counts_crossings() {
        assert_eq!(inversions(&mut [0, 1, 2]), 0);
        assert_eq!(inversions(&mut [2, 1, 0]), 3);
    }

    #[test]
    fn a_cycle_is_broken_at_the_edge_back_to_the_start() {
        let edges = [(0, 1), (1, 2), (2, 0)];
        let back = back_edges(3, &edges, &depths(3, &edges, Some(0), 99));
        assert_eq!(back, [false, false, true]);
    }

    #[test]
    fn a_way_back_to_a_scene_nearer_the_start_goes_back() {
        // 0 leads to 1 and 2; 1 → 3; 3 steps back to 2, and 2 → 3. A depth-first walk
        // through 1 would take 3 → 2 forward and put 2 after 3; 2 is nearer the start.
        let edges = [(0, 1), (0, 2), (1, 3), (3, 2), (2, 3)];
        let back = back_edges(4, &edges, &depths(4, &edges, Some(0), 99));
        assert_eq!(back, [false, false, false, true, false]);
    }
}
