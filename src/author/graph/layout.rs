//! Where everything goes on the page, left to right: scenes in columns by longest path from
//! the start scene (see `layers`), endings in the last column, a `OneOf` diamond beside the
//! node it leaves, an edge that would run far to an ending ending instead at a small copy
//! of the ending (a proxy) in the next column, and each edge label where it covers nothing.

use super::layers::{Grid, Unit, back_edges, depths, longest_path};
use super::{Graph, Kind};

pub const SCENE_W: f32 = 210.0;
pub const SCENE_H: f32 = 54.0;
pub const DIAMOND: f32 = 24.0;
pub const PROXY_W: f32 = 160.0;
pub const PROXY_H: f32 = 26.0;
const GAP_X: f32 = 190.0;
const MARGIN: f32 = 40.0;
/// An edge to an ending that would cross more columns than this ends at a proxy instead.
const PROXY_SPAN: usize = 2;
/// Longest edge label drawn on the graph (the side panel has the whole text).
pub const LABEL_CHARS: usize = 28;
const LABEL_H: f32 = 15.0;

/// A box: top-left corner, width, height.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    /// Whether the two boxes share any area (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    fn right_mid(&self) -> (f32, f32) {
        (self.x + self.w, self.y + self.h / 2.0)
    }
    fn left_mid(&self) -> (f32, f32) {
        (self.x, self.y + self.h / 2.0)
    }
}

/// A small copy of an ending, next to the scenes that lead to it from far away.
#[derive(Debug, Clone, PartialEq)]
pub struct Proxy {
    /// The ending's graph node.
    pub ending: usize,
    pub rect: Rect,
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Through `points`, horizontal-tangent curves between columns.
    Flow,
    /// From a node to its own `OneOf` diamond: a short straight stub.
    Stub,
    /// From a diamond back into its own node (a `Stay` branch): an arc over the top.
    Loop,
}

/// One drawn connection: every model edge between the same two nodes, in the same direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub from: usize,
    pub to: usize,
    /// The model edges this line draws.
    pub edges: Vec<usize>,
    pub points: Vec<(f32, f32)>,
    pub shape: Shape,
    /// Goes right to left (against the columns).
    pub back: bool,
    /// Ends at this proxy rather than at the ending itself.
    pub proxy: Option<usize>,
    pub label: String,
    /// Where the label goes, when there is room for it.
    pub label_box: Option<Rect>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// One per graph node.
    pub boxes: Vec<Rect>,
    pub proxies: Vec<Proxy>,
    pub lines: Vec<Line>,
    /// For each model edge, the line that draws it.
    pub line_of: Vec<usize>,
    pub width: f32,
    pub height: f32,
}

impl Layout {
    /// Every box on the page: nodes (diamonds included) and proxies.
    pub fn all_boxes(&self) -> impl Iterator<Item = &Rect> {
        self.boxes
            .iter()
            .chain(self.proxies.iter().map(|p| &p.rect))
    }
}

/// Lays out `g`.
pub fn layout(g: &Graph) -> Layout {
    let (mut lines, line_of) = merge_lines(g);
    let attach = attachments(g);
    let plan = Plan::new(g, &lines, &attach);
    let mut grid = Grid::new(&plan.units);
    let chains: Vec<Vec<usize>> = plan
        .ends
        .iter()
        .map(|e| e.map_or_else(Vec::new, |(a, b)| grid.chain(a, b)))
        .collect();
    let roots: Vec<usize> = g.start.into_iter().chain([g.anywhere]).collect();
    grid.first_order(&roots);
    grid.order();
    let geo = Geometry::new(g, &grid, &plan, &attach);
    for (i, line) in lines.iter_mut().enumerate() {
        line.back = plan.back[i];
        line.proxy = plan.proxy_of[i];
        line.shape = plan.shape[i];
        line.points = route(line, &chains[i], &grid, &geo);
    }
    let Geometry { boxes, proxies, .. } = geo;
    let all: Vec<Rect> = boxes
        .iter()
        .copied()
        .chain(proxies.iter().map(|p| p.rect))
        .collect();
    place_labels(&mut lines, &all);
    Layout {
        width: all.iter().map(|b| b.x + b.w).fold(0.0, f32::max) + MARGIN,
        height: all.iter().map(|b| b.y + b.h).fold(0.0, f32::max) + MARGIN,
        boxes,
        proxies,
        lines,
        line_of,
    }
}

/// One line per (from, to) pair, its label the edges' labels joined.
fn merge_lines(g: &Graph) -> (Vec<Line>, Vec<usize>) {
    let mut lines: Vec<Line> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut line_of = Vec::with_capacity(g.edges.len());
    for (i, e) in g.edges.iter().enumerate() {
        let k = *index.entry((e.from, e.to)).or_insert_with(|| {
            lines.push(Line {
                from: e.from,
                to: e.to,
                edges: Vec::new(),
                points: Vec::new(),
                shape: Shape::Flow,
                back: false,
                proxy: None,
                label: String::new(),
                label_box: None,
            });
            lines.len() - 1
        });
        let line = &mut lines[k];
        line.edges.push(i);
        if !e.label.is_empty() {
            if !line.label.is_empty() {
                line.label.push_str(", ");
            }
            line.label.push_str(&e.label);
        }
        line_of.push(k);
    }
    (lines, line_of)
}

/// The node each node is laid out with: a diamond goes with the node its one edge in
/// leaves; every other node stands for itself.
fn attachments(g: &Graph) -> Vec<usize> {
    let mut attach: Vec<usize> = (0..g.nodes.len()).collect();
    for e in &g.edges {
        if matches!(g.nodes[e.to].kind, Kind::Branch) {
            attach[e.to] = e.from;
        }
    }
    attach
}

fn size(kind: Kind) -> (f32, f32) {
    match kind {
        Kind::Branch => (DIAMOND, DIAMOND),
        Kind::Scene(_) | Kind::Ending(_) | Kind::Anywhere => (SCENE_W, SCENE_H),
    }
}

/// What goes in the grid: units (graph nodes, then proxies) with sizes and columns, and for
/// each line the units it joins, whether it goes back, its proxy and its shape.
struct Plan {
    units: Vec<Unit>,
    /// (unit, ending node) per proxy.
    proxies: Vec<(usize, usize)>,
    ends: Vec<Option<(usize, usize)>>,
    back: Vec<bool>,
    proxy_of: Vec<Option<usize>>,
    shape: Vec<Shape>,
}

impl Plan {
    fn new(g: &Graph, lines: &[Line], attach: &[usize]) -> Plan {
        let n = g.nodes.len();
        let pairs: Vec<(usize, usize)> = lines
            .iter()
            .map(|l| (attach[l.from], attach[l.to]))
            .collect();
        let depth = depths(n, &pairs, g.start, g.anywhere);
        let back = back_edges(n, &pairs, &depth);
        let oriented: Vec<(usize, usize)> = pairs
            .iter()
            .zip(&back)
            .filter(|((a, b), _)| a != b)
            .map(|(&(a, b), &bk)| if bk { (b, a) } else { (a, b) })
            .collect();
        let layer = columns_of(g, n, &oriented);
        let units = g
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let (w, h) = size(node.kind);
                let col = (!matches!(node.kind, Kind::Branch)).then_some(layer[i]);
                Unit {
                    w,
                    h,
                    col,
                    weight: 1.0,
                }
            })
            .collect();
        let mut plan = Plan {
            units,
            proxies: Vec::new(),
            ends: Vec::with_capacity(lines.len()),
            back,
            proxy_of: vec![None; lines.len()],
            shape: Vec::with_capacity(lines.len()),
        };
        let mut proxy_at = std::collections::HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            plan.add_line(g, i, l, pairs[i], &layer, &mut proxy_at);
        }
        plan
    }

    /// Line `i` joins units `pair`: a stub or loop (same unit), a flow, or a flow to a proxy
    /// (one per column and ending) when it runs far forward to an ending.
    fn add_line(
        &mut self,
        g: &Graph,
        i: usize,
        l: &Line,
        (a, b): (usize, usize),
        layer: &[usize],
        proxy_at: &mut std::collections::HashMap<(usize, usize), usize>,
    ) {
        if a == b {
            self.ends.push(None);
            self.shape
                .push(if l.to == a { Shape::Loop } else { Shape::Stub });
            return;
        }
        self.shape.push(Shape::Flow);
        let (a, b) = if self.back[i] { (b, a) } else { (a, b) };
        let far = matches!(g.nodes[b].kind, Kind::Ending(_)) && layer[b] > layer[a] + PROXY_SPAN;
        if !far || self.back[i] {
            self.ends.push(Some((a, b)));
            return;
        }
        let col = layer[a] + 1;
        let k = *proxy_at.entry((col, b)).or_insert_with(|| {
            // A proxy gives way to the scenes in its column: it goes wherever they leave room.
            self.units.push(Unit {
                w: PROXY_W,
                h: PROXY_H,
                col: Some(col),
                weight: 0.001,
            });
            self.proxies.push((self.units.len() - 1, b));
            self.proxies.len() - 1
        });
        self.proxy_of[i] = Some(k);
        self.ends.push(Some((a, self.proxies[k].0)));
    }
}

/// Longest-path columns, endings all in the last column, and nodes nothing leads to pulled
/// right up to the column before their nearest successor.
fn columns_of(g: &Graph, n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let (mut layer, topo) = longest_path(n, edges);
    let is_ending = |v: usize| matches!(g.nodes[v].kind, Kind::Ending(_));
    let last = (0..n)
        .filter(|&v| !is_ending(v))
        .map(|v| layer[v])
        .max()
        .unwrap_or(0)
        + 1;
    for v in (0..n).filter(|&v| is_ending(v)) {
        layer[v] = last;
    }
    let mut succ = vec![Vec::new(); n];
    let mut has_pred = vec![false; n];
    for &(a, b) in edges {
        succ[a].push(b);
        has_pred[b] = true;
    }
    for &v in topo.iter().rev() {
        if has_pred[v] || Some(v) == g.start || is_ending(v) {
            continue;
        }
        if let Some(m) = succ[v].iter().map(|&w| layer[w]).min() {
            layer[v] = m.saturating_sub(1);
        }
    }
    layer
}

/// Where the boxes and columns ended up.
struct Geometry {
    boxes: Vec<Rect>,
    proxies: Vec<Proxy>,
    xs: Vec<f32>,
    widths: Vec<f32>,
    ys: Vec<f32>,
}

impl Geometry {
    /// Boxes centred in their columns at the heights `place` gives; diamonds beside their
    /// hosts; proxies where their units went.
    fn new(g: &Graph, grid: &Grid, plan: &Plan, attach: &[usize]) -> Geometry {
        let ys = grid.place(MARGIN + 20.0);
        let (xs, widths) = columns(grid);
        let at = |u: usize| {
            let l = grid.layer[u];
            let (w, h) = (grid.width[u], grid.height[u]);
            Rect {
                x: xs[l] + (widths[l] - w) / 2.0,
                y: ys[u] - h / 2.0,
                w,
                h,
            }
        };
        let mut boxes: Vec<Rect> = (0..g.nodes.len())
            .map(|u| plan.units[u].col.map(|_| at(u)).unwrap_or_default())
            .collect();
        place_diamonds(g, attach, &mut boxes);
        let proxies = plan
            .proxies
            .iter()
            .map(|&(u, ending)| Proxy {
                ending,
                rect: at(u),
            })
            .collect();
        Geometry {
            boxes,
            proxies,
            xs,
            widths,
            ys,
        }
    }
}

/// Left edge and width of each column.
fn columns(grid: &Grid) -> (Vec<f32>, Vec<f32>) {
    let mut widths = vec![DIAMOND; grid.cols.len()];
    for (c, col) in grid.cols.iter().enumerate() {
        for &u in col {
            widths[c] = widths[c].max(grid.width[u]);
        }
    }
    let mut xs = Vec::with_capacity(widths.len());
    let mut at = MARGIN;
    for w in &widths {
        xs.push(at);
        at += w + GAP_X;
    }
    (xs, widths)
}

/// Puts each diamond in the gap right of the node it leaves: up to three one above the
/// other, centred on the node, then the next three further right.
fn place_diamonds(g: &Graph, attach: &[usize], boxes: &mut [Rect]) {
    let mut count = vec![0usize; g.nodes.len()];
    let mut of = vec![0usize; g.nodes.len()];
    for (d, node) in g.nodes.iter().enumerate() {
        if matches!(node.kind, Kind::Branch) {
            of[d] = count[attach[d]];
            count[attach[d]] += 1;
        }
    }
    for (d, node) in g.nodes.iter().enumerate() {
        if !matches!(node.kind, Kind::Branch) {
            continue;
        }
        let (j, total) = (of[d], count[attach[d]]);
        let in_stack = (total - j / 3 * 3).min(3) as f32;
        let dy = ((j % 3) as f32 - (in_stack - 1.0) / 2.0) * (DIAMOND + 3.0);
        let (cx, cy) = boxes[attach[d]].right_mid();
        boxes[d] = Rect {
            x: cx + 22.0 + 36.0 * (j / 3) as f32,
            y: cy + dy - DIAMOND / 2.0,
            w: DIAMOND,
            h: DIAMOND,
        };
    }
}

/// The points a line goes through. A flow leaves the right side of its first box (or the
/// right tip of its diamond), crosses each column it passes straight, and enters the left
/// side of its last box or proxy; a line that goes back runs the same way reversed.
fn route(line: &Line, chain: &[usize], grid: &Grid, geo: &Geometry) -> Vec<(f32, f32)> {
    let (from, to) = (geo.boxes[line.from], geo.boxes[line.to]);
    match line.shape {
        Shape::Stub => return vec![from.right_mid(), to.left_mid()],
        Shape::Loop => return vec![(from.x + from.w / 2.0, from.y), (to.x + to.w - 24.0, to.y)],
        Shape::Flow if chain.len() < 2 => return Vec::new(),
        Shape::Flow => {}
    }
    let target = line.proxy.map_or(to, |k| geo.proxies[k].rect);
    // In chain order, left to right: the left end, the dummies, the right end.
    let (left, right) = if line.back {
        (target, from)
    } else {
        (from, target)
    };
    let mut pts = vec![left.right_mid()];
    for &d in &chain[1..chain.len() - 1] {
        let l = grid.layer[d];
        pts.push((geo.xs[l], geo.ys[d]));
        pts.push((geo.xs[l] + geo.widths[l], geo.ys[d]));
    }
    pts.push(right.left_mid());
    if line.back {
        pts.reverse();
    }
    pts
}

/// The point at `t` on the curve from `p` to `q` with horizontal tangents at both ends.
pub fn curve_at(p: (f32, f32), q: (f32, f32), t: f32) -> (f32, f32) {
    let mx = (p.0 + q.0) / 2.0;
    let u = 1.0 - t;
    let x = u * u * u * p.0 + 3.0 * u * u * t * mx + 3.0 * u * t * t * mx + t * t * t * q.0;
    let y = u * u * u * p.1 + 3.0 * u * u * t * p.1 + 3.0 * u * t * t * q.1 + t * t * t * q.1;
    (x, y)
}

/// The label's box, estimated from its length (11 px text).
fn label_size(label: &str) -> (f32, f32) {
    let chars = label.chars().count().min(LABEL_CHARS) as f32;
    (chars * 6.4 + 8.0, LABEL_H)
}

/// Spots to try for a line's label, as centres.
fn label_spots(line: &Line, w: f32) -> Vec<(f32, f32)> {
    let (p, q) = (line.points[0], line.points[1]);
    match line.shape {
        Shape::Stub => vec![
            (q.0 + 26.0 + w / 2.0, q.1 - 19.0),
            (q.0 + 26.0 + w / 2.0, q.1 + 19.0),
        ],
        Shape::Loop => vec![((p.0 + q.0) / 2.0, p.1.min(q.1) - 26.0)],
        Shape::Flow => [0.5, 0.32, 0.68, 0.18, 0.82]
            .iter()
            .map(|&t| curve_at(p, q, t))
            .collect(),
    }
}

/// Puts each line's label at the first of its spots that covers no box and no label already
/// placed; a line with no free spot has its label only in its tooltip and the side panel.
fn place_labels(lines: &mut [Line], boxes: &[Rect]) {
    let mut taken: Vec<Rect> = Vec::new();
    for line in lines.iter_mut() {
        if line.label.is_empty() || line.points.len() < 2 {
            continue;
        }
        let (w, h) = label_size(&line.label);
        for (x, y) in label_spots(line, w) {
            let r = Rect {
                x: x - w / 2.0,
                y: y - h / 2.0,
                w,
                h,
            };
            if r.x >= 0.0 && r.y >= 0.0 && !boxes.iter().chain(&taken).any(|b| b.overlaps(&r)) {
                taken.push(r);
                line.label_box = Some(r);
                break;
            }
        }
    }
}
