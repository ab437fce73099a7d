//! A layered layout of boxes joined by links, left to right: each box in a
//! column (its rank), each group (a PostgreSQL schema) in a band of its own
//! across the columns, the bands one below the other. Pure geometry: what
//! the boxes hold is the caller's business; it gives each box's size and,
//! for each link, the height within each box where the link attaches (a
//! column's row).
//!
//! The steps are the usual ones of a Sugiyama layout, kept small:
//!
//! 1. **Ranks.** A link goes from the referencing box to the referenced one;
//!    cycles are broken by dropping the links a depth-first search finds
//!    going back, and each box's rank is the longest path of links from it
//!    (a referenced box left of its referencing ones), then boxes that
//!    reference nothing move right up to their nearest referencing box.
//! 2. **Waypoints.** A link across more than one column gets a small slot
//!    in each column between, so that no link crosses a box.
//! 3. **Order.** Within each column, by band, then by the barycentre of the
//!    neighbours in the next column, sweeping right and left; the order with
//!    the fewest crossings wins. Boxes without links go last in their band.
//! 4. **Heights.** In each band, each box's ideal top is where its links
//!    run straight (the mean over its neighbours in the band); the boxes of
//!    a column are then placed as close to their ideals as their order and
//!    spacing allow (a least-squares fit, pool-adjacent-violators), over a
//!    few sweeps.
//! 5. **Routes.** Links leave and enter boxes from the side facing each
//!    other, with a short straight stub (where the caller draws the
//!    cardinality marks) and cubic curves between columns; a box's link to
//!    itself is a loop on its right.
//!
//! Deterministic: no hashing, no randomness, ties broken by index.

/// A point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Left to right.
    pub x: f64,
    /// Top to bottom.
    pub y: f64,
}

/// A rectangle by its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    /// The right edge.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// The bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
}

/// A box to place.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Its band, `0..Graph::groups`.
    pub group: usize,
    /// Its width.
    pub width: f64,
    /// Its height.
    pub height: f64,
}

/// A link from box `from` (the referencing one) to box `to`, attached at
/// heights `from_y` and `to_y` below each box's top.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The referencing box.
    pub from: usize,
    /// Where on it, from its top.
    pub from_y: f64,
    /// The referenced box.
    pub to: usize,
    /// Where on it, from its top.
    pub to_y: f64,
}

/// What to lay out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    /// How many bands; every node's `group` is below it.
    pub groups: usize,
    /// The boxes.
    pub nodes: Vec<Node>,
    /// The links.
    pub links: Vec<Link>,
}

/// Distances, in the caller's units.
#[derive(Debug, Clone, PartialEq)]
pub struct Spacing {
    /// Around everything.
    pub margin: f64,
    /// Inside a band's frame, around its boxes.
    pub group_pad: f64,
    /// Above a band's boxes, for its label.
    pub group_label: f64,
    /// Between two bands' frames.
    pub group_gap: f64,
    /// Between columns.
    pub rank_gap: f64,
    /// Between two boxes of a column.
    pub node_gap: f64,
    /// A link's slot in a column it crosses.
    pub slot: f64,
    /// The straight part of a link at each box.
    pub stub: f64,
    /// How far a box's loop to itself reaches out.
    pub loop_reach: f64,
}

impl Default for Spacing {
    fn default() -> Self {
        Spacing {
            margin: 16.0,
            group_pad: 16.0,
            group_label: 28.0,
            group_gap: 24.0,
            rank_gap: 100.0,
            node_gap: 28.0,
            slot: 6.0,
            stub: 20.0,
            loop_reach: 44.0,
        }
    }
}

/// A piece of a route, from where the previous one ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Segment {
    /// A straight line to the point.
    Line(Point),
    /// A cubic Bézier curve: two control points, then the end.
    Curve(Point, Point, Point),
}

/// A link's path: it starts on the referencing box's side and ends on the
/// referenced box's.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// On the referencing box's border.
    pub start: Point,
    /// The side it leaves from: -1 left, 1 right (the outward direction).
    pub start_out: f64,
    /// On the referenced box's border.
    pub end: Point,
    /// The side it enters by: -1 left, 1 right.
    pub end_out: f64,
    /// From `start` to `end`.
    pub segments: Vec<Segment>,
}

/// Where everything went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The whole drawing's width, margins included.
    pub width: f64,
    /// Its height.
    pub height: f64,
    /// Each node's box, in the graph's order.
    pub nodes: Vec<Rect>,
    /// Each node's column.
    pub ranks: Vec<usize>,
    /// Each band's frame, label space included (`None` for a band without
    /// nodes).
    pub groups: Vec<Option<Rect>>,
    /// Each link's route, in the graph's order.
    pub routes: Vec<Route>,
}

/// Sweeps of the ordering step.
const ORDER_SWEEPS: usize = 12;
/// Sweeps of the heights step.
const HEIGHT_SWEEPS: usize = 8;

/// A node of the layered graph: a box, or a link's slot in a column.
#[derive(Debug, Clone)]
struct Layered {
    rank: usize,
    group: usize,
    height: f64,
    /// Space kept above and below it.
    pad: f64,
    real: bool,
}

/// A neighbour in the next or previous column: who, where the link is on
/// this node (from its top), and where on the neighbour.
type Neighbour = (usize, f64, f64);

/// Lays `graph` out.
pub fn layout(graph: &Graph, s: &Spacing) -> Placed {
    let n = graph.nodes.len();
    let ranks = rank(n, &graph.links);
    let columns = ranks.iter().copied().max().map_or(0, |r| r + 1);

    // Boxes, then the slots of the links that cross columns.
    let mut nodes: Vec<Layered> = graph
        .nodes
        .iter()
        .zip(&ranks)
        .map(|(node, &rank)| Layered {
            rank,
            group: node.group,
            height: node.height,
            pad: s.node_gap / 2.0,
            real: true,
        })
        .collect();
    let mut chains: Vec<Option<Vec<usize>>> = Vec::with_capacity(graph.links.len());
    let mut adjacent: Vec<Vec<Neighbour>> = vec![Vec::new(); n];
    for link in &graph.links {
        let (a, b) = (ranks[link.from], ranks[link.to]);
        if link.from == link.to || a == b {
            chains.push(None);
            continue;
        }
        let mut chain = vec![link.from];
        let mut r = a;
        loop {
            r = if b < a { r - 1 } else { r + 1 };
            if r == b {
                break;
            }
            nodes.push(Layered {
                rank: r,
                group: graph.nodes[link.from].group,
                height: s.slot,
                pad: s.slot / 2.0,
                real: false,
            });
            adjacent.push(Vec::new());
            chain.push(nodes.len() - 1);
        }
        chain.push(link.to);
        for (i, pair) in chain.windows(2).enumerate() {
            let (u, v) = (pair[0], pair[1]);
            let at_u = if i == 0 { link.from_y } else { s.slot / 2.0 };
            let at_v = if i == chain.len() - 2 {
                link.to_y
            } else {
                s.slot / 2.0
            };
            adjacent[u].push((v, at_u, at_v));
            adjacent[v].push((u, at_v, at_u));
        }
        chains.push(Some(chain));
    }

    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for (i, node) in nodes.iter().enumerate() {
        layers[node.rank].push(i);
    }
    // Boxes without links go last in their band, and stay there.
    for layer in &mut layers {
        layer.sort_by_key(|&v| (nodes[v].group, adjacent[v].is_empty(), v));
    }
    order(&mut layers, &nodes, &adjacent);

    // Heights, band by band.
    let mut y = vec![0.0; nodes.len()];
    let mut frames: Vec<Option<(f64, f64)>> = vec![None; graph.groups];
    let mut top = s.margin;
    for (g, frame) in frames.iter_mut().enumerate() {
        if !nodes.iter().any(|v| v.real && v.group == g) {
            continue;
        }
        let start = top + s.group_label;
        let members: Vec<Vec<usize>> = layers
            .iter()
            .map(|layer| {
                layer
                    .iter()
                    .copied()
                    .filter(|&v| nodes[v].group == g)
                    .collect()
            })
            .collect();
        for column in &members {
            let desired = vec![start; column.len()];
            place(column, &desired, &nodes, start, &mut y);
        }
        for sweep in 0..HEIGHT_SWEEPS {
            let order: Vec<usize> = if sweep % 2 == 0 {
                (0..columns).collect()
            } else {
                (0..columns).rev().collect()
            };
            for r in order {
                let column = &members[r];
                let desired: Vec<f64> = column
                    .iter()
                    .map(|&v| {
                        let ideal: Vec<f64> = adjacent[v]
                            .iter()
                            .filter(|(u, _, _)| nodes[*u].group == g)
                            .map(|&(u, here, there)| y[u] + there - here)
                            .collect();
                        if ideal.is_empty() {
                            y[v]
                        } else {
                            ideal.iter().sum::<f64>() / ideal.len() as f64
                        }
                    })
                    .collect();
                place(column, &desired, &nodes, start, &mut y);
            }
        }
        let in_band = members.iter().flatten().copied();
        let highest = in_band.clone().map(|v| y[v]).fold(f64::INFINITY, f64::min);
        for v in in_band.clone() {
            y[v] -= highest - start;
        }
        let bottom = in_band
            .map(|v| y[v] + nodes[v].height)
            .fold(start, f64::max);
        *frame = Some((top, bottom + s.group_pad));
        top = bottom + s.group_pad + s.group_gap;
    }

    // Columns, left to right; a box centred in its column.
    let mut widths = vec![0.0_f64; columns];
    for (i, node) in graph.nodes.iter().enumerate() {
        widths[ranks[i]] = widths[ranks[i]].max(node.width);
    }
    let mut lefts = Vec::with_capacity(columns);
    let mut x = s.margin + s.group_pad;
    for w in &mut widths {
        if *w == 0.0 {
            *w = s.slot;
        }
        lefts.push(x);
        x += *w + s.rank_gap;
    }
    let boxes: Vec<Rect> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| Rect {
            x: lefts[ranks[i]] + (widths[ranks[i]] - node.width) / 2.0,
            y: y[i],
            width: node.width,
            height: node.height,
        })
        .collect();

    let routes: Vec<Route> = graph
        .links
        .iter()
        .zip(&chains)
        .map(|(link, chain)| match chain {
            Some(chain) => route(link, chain, &boxes, &ranks, &lefts, &widths, &y, s),
            None => around(link, &boxes, s),
        })
        .collect();

    let groups: Vec<Option<Rect>> = frames
        .iter()
        .enumerate()
        .map(|(g, frame)| {
            let (top, bottom) = (*frame)?;
            let (left, right) = graph
                .nodes
                .iter()
                .zip(&boxes)
                .filter(|(node, _)| node.group == g)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, r), (_, b)| {
                    (l.min(b.x), r.max(b.right()))
                });
            Some(Rect {
                x: left - s.group_pad,
                y: top,
                width: right - left + 2.0 * s.group_pad,
                height: bottom - top,
            })
        })
        .collect();

    let mut right = groups
        .iter()
        .flatten()
        .map(Rect::right)
        .fold(s.margin, f64::max);
    for r in &routes {
        for seg in &r.segments {
            let xs = match seg {
                Segment::Line(p) => [p.x, p.x, p.x],
                Segment::Curve(a, b, c) => [a.x, b.x, c.x],
            };
            right = xs.into_iter().fold(right, f64::max);
        }
    }
    let bottom = groups
        .iter()
        .flatten()
        .map(Rect::bottom)
        .fold(s.margin, f64::max);
    Placed {
        width: right + s.margin,
        height: bottom + s.margin,
        nodes: boxes,
        ranks,
        groups,
        routes,
    }
}

/// Each node's column (see the module's step 1).
fn rank(n: usize, links: &[Link]) -> Vec<usize> {
    let mut referenced: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in links {
        if l.from != l.to && !referenced[l.from].contains(&l.to) {
            referenced[l.from].push(l.to);
        }
    }
    // Depth first from each node in turn; a link to a node still on the
    // stack closes a cycle and is left out of the ranking.
    let mut state = vec![0u8; n];
    let mut dag: Vec<Vec<usize>> = vec![Vec::new(); n];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut stack = vec![(root, 0usize)];
        while let Some((v, next)) = stack.last_mut() {
            let v = *v;
            if let Some(&p) = referenced[v].get(*next) {
                *next += 1;
                match state[p] {
                    0 => {
                        dag[v].push(p);
                        state[p] = 1;
                        stack.push((p, 0));
                    }
                    1 => {}
                    _ => dag[v].push(p),
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    // Longest path, from the nodes that reference nothing.
    let mut referencing: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = dag.iter().map(Vec::len).collect();
    for (v, ps) in dag.iter().enumerate() {
        for &p in ps {
            referencing[p].push(v);
        }
    }
    let mut ranks = vec![0usize; n];
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| waiting[v] == 0).collect();
    while let Some(u) = queue.pop_front() {
        for &c in &referencing[u] {
            ranks[c] = ranks[c].max(ranks[u] + 1);
            waiting[c] -= 1;
            if waiting[c] == 0 {
                queue.push_back(c);
            }
        }
    }
    // A node that references nothing sits just left of its nearest
    // referencing node, not at the far left.
    for v in 0..n {
        if dag[v].is_empty() {
            if let Some(nearest) = referencing[v].iter().map(|&c| ranks[c]).min() {
                ranks[v] = nearest - 1;
            }
        }
    }
    ranks
}

/// Orders each column (see the module's step 3).
fn order(layers: &mut [Vec<usize>], nodes: &[Layered], adjacent: &[Vec<Neighbour>]) {
    let mut position = vec![0.0_f64; nodes.len()];
    let index = |layers: &[Vec<usize>], position: &mut [f64]| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                position[v] = i as f64;
            }
        }
    };
    index(layers, &mut position);
    let mut best = layers.to_vec();
    let mut fewest = crossings(layers, nodes, adjacent, &position);
    if layers.len() < 2 || fewest == 0 {
        return;
    }
    let sweep = |layers: &mut [Vec<usize>], position: &mut [f64], r: usize, fixed: usize| {
        let mut keyed: Vec<(usize, f64, f64, usize)> = layers[r]
            .iter()
            .map(|&v| {
                let around: Vec<f64> = adjacent[v]
                    .iter()
                    .filter(|(u, _, _)| nodes[*u].rank == fixed)
                    .map(|(u, _, _)| position[*u])
                    .collect();
                let centre = if adjacent[v].is_empty() {
                    f64::INFINITY
                } else if around.is_empty() {
                    position[v]
                } else {
                    around.iter().sum::<f64>() / around.len() as f64
                };
                (nodes[v].group, centre, position[v], v)
            })
            .collect();
        keyed.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.total_cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        layers[r] = keyed.into_iter().map(|k| k.3).collect();
        for (i, &v) in layers[r].iter().enumerate() {
            position[v] = i as f64;
        }
    };
    for _ in 0..ORDER_SWEEPS {
        for r in 1..layers.len() {
            sweep(layers, &mut position, r, r - 1);
        }
        for r in (0..layers.len() - 1).rev() {
            sweep(layers, &mut position, r, r + 1);
        }
        let now = crossings(layers, nodes, adjacent, &position);
        if now < fewest {
            fewest = now;
            best = layers.to_vec();
        }
        if fewest == 0 {
            break;
        }
    }
    layers.clone_from_slice(&best);
}

/// How many pairs of links cross between neighbouring columns.
fn crossings(
    layers: &[Vec<usize>],
    nodes: &[Layered],
    adjacent: &[Vec<Neighbour>],
    position: &[f64],
) -> usize {
    let mut total = 0;
    for (r, layer) in layers.iter().enumerate() {
        let mut links: Vec<(f64, f64, f64, f64)> = Vec::new();
        for &u in layer {
            for &(v, at_u, at_v) in &adjacent[u] {
                if nodes[v].rank == r + 1 {
                    links.push((position[u], at_u, position[v], at_v));
                }
            }
        }
        for (i, a) in links.iter().enumerate() {
            for b in &links[i + 1..] {
                let left = (a.0, a.1).partial_cmp(&(b.0, b.1));
                let right = (a.2, a.3).partial_cmp(&(b.2, b.3));
                if matches!(
                    (left, right),
                    (
                        Some(std::cmp::Ordering::Less),
                        Some(std::cmp::Ordering::Greater)
                    ) | (
                        Some(std::cmp::Ordering::Greater),
                        Some(std::cmp::Ordering::Less)
                    )
                ) {
                    total += 1;
                }
            }
        }
    }
    total
}

/// Places the nodes of one column of a band, in their order, as near their
/// `desired` tops as their spacing allows and not above `start`: the least
/// squares fit under the order constraints (pool adjacent violators over
/// the tops less the space the nodes above take).
fn place(column: &[usize], desired: &[f64], nodes: &[Layered], start: f64, y: &mut [f64]) {
    let mut offsets = Vec::with_capacity(column.len());
    let mut offset = 0.0;
    for (i, &v) in column.iter().enumerate() {
        if i > 0 {
            offset += nodes[v].pad;
        }
        offsets.push(offset);
        offset += nodes[v].height + nodes[v].pad;
    }
    // Blocks of (sum, count), each block's mean not above the next one's.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (d, o) in desired.iter().zip(&offsets) {
        blocks.push((d - o, 1));
        while blocks.len() > 1 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 <= s2 / c2 as f64 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().expect("two blocks") = (s1 + s2, c1 + c2);
        }
    }
    let mut i = 0;
    for (sum, count) in blocks {
        let top = (sum / count as f64).max(start);
        for _ in 0..count {
            y[column[i]] = top + offsets[i];
            i += 1;
        }
    }
}

/// The route of a link between columns, through its slots.
#[allow(clippy::too_many_arguments)]
fn route(
    link: &Link,
    chain: &[usize],
    boxes: &[Rect],
    ranks: &[usize],
    lefts: &[f64],
    widths: &[f64],
    y: &[f64],
    s: &Spacing,
) -> Route {
    let (from, to) = (boxes[link.from], boxes[link.to]);
    let dir = if ranks[link.to] < ranks[link.from] {
        -1.0
    } else {
        1.0
    };
    let side = |b: &Rect, facing: f64| if facing < 0.0 { b.x } else { b.right() };
    let start = Point {
        x: side(&from, dir),
        y: from.y + link.from_y,
    };
    let end = Point {
        x: side(&to, -dir),
        y: to.y + link.to_y,
    };
    let curve = |a: Point, b: Point| {
        let k = ((b.x - a.x).abs() / 2.0).max(s.stub);
        Segment::Curve(
            Point {
                x: a.x + dir * k,
                y: a.y,
            },
            Point {
                x: b.x - dir * k,
                y: b.y,
            },
            b,
        )
    };
    let mut at = Point {
        x: start.x + dir * s.stub,
        y: start.y,
    };
    let mut segments = vec![Segment::Line(at)];
    for &slot in &chain[1..chain.len() - 1] {
        let r = column_of(slot, chain, ranks, link);
        let left = lefts[r];
        let (enter, leave) = if dir < 0.0 {
            (left + widths[r], left)
        } else {
            (left, left + widths[r])
        };
        let level = y[slot] + s.slot / 2.0;
        let entry = Point { x: enter, y: level };
        segments.push(curve(at, entry));
        at = Point { x: leave, y: level };
        segments.push(Segment::Line(at));
    }
    let before = Point {
        x: end.x - dir * s.stub,
        y: end.y,
    };
    segments.push(curve(at, before));
    segments.push(Segment::Line(end));
    Route {
        start,
        start_out: dir,
        end,
        end_out: -dir,
        segments,
    }
}

/// The column of a link's slot: the slots of `chain` are one per column
/// between its two ends, in order.
fn column_of(slot: usize, chain: &[usize], ranks: &[usize], link: &Link) -> usize {
    let step = chain
        .iter()
        .position(|&v| v == slot)
        .expect("a slot of the chain");
    if ranks[link.to] < ranks[link.from] {
        ranks[link.from] - step
    } else {
        ranks[link.from] + step
    }
}

/// A link within one column (a box to itself, or to a box of its column):
/// out of the right sides and around.
fn around(link: &Link, boxes: &[Rect], s: &Spacing) -> Route {
    let (from, to) = (boxes[link.from], boxes[link.to]);
    let start = Point {
        x: from.right(),
        y: from.y + link.from_y,
    };
    let end = Point {
        x: to.right(),
        y: to.y + link.to_y,
    };
    let reach = from.right().max(to.right()) + s.loop_reach;
    let out = |p: Point| Point {
        x: p.x + s.stub,
        y: p.y,
    };
    Route {
        start,
        start_out: 1.0,
        end,
        end_out: 1.0,
        segments: vec![
            Segment::Line(out(start)),
            Segment::Curve(
                Point {
                    x: reach,
                    y: start.y,
                },
                Point { x: reach, y: end.y },
                out(end),
            ),
            Segment::Line(end),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(group: usize, height: f64) -> Node {
        Node {
            group,
            width: 100.0,
            height,
        }
    }

    fn link(from: usize, to: usize) -> Link {
        Link {
            from,
            from_y: 10.0,
            to,
            to_y: 10.0,
        }
    }

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    }

    #[test]
    fn referenced_boxes_are_left_of_referencing_ones() {
        // 0 → 1 → 2, 0 → 2, 3 alone, 4 → 4 (itself).
        let graph = Graph {
            groups: 1,
            nodes: (0..5).map(|_| node(0, 60.0)).collect(),
            links: vec![link(0, 1), link(1, 2), link(0, 2), link(4, 4)],
        };
        let placed = layout(&graph, &Spacing::default());
        assert_eq!(placed.ranks, [2, 1, 0, 0, 0]);
        let b = &placed.nodes;
        assert!(b[2].right() < b[1].x && b[1].right() < b[0].x);
        for (i, a) in b.iter().enumerate() {
            for c in &b[i + 1..] {
                assert!(!overlap(a, c), "{a:?} overlaps {c:?}");
            }
        }
        // The long link 0 → 2 has a slot in column 1: a curve either side.
        let curves = placed.routes[2]
            .segments
            .iter()
            .filter(|s| matches!(s, Segment::Curve(..)))
            .count();
        assert_eq!(curves, 2);
        // It starts on 0's left side and ends on 2's right side.
        assert_eq!(placed.routes[2].start.x, b[0].x);
        assert_eq!(placed.routes[2].end.x, b[2].right());
        assert_eq!(
            (placed.routes[2].start_out, placed.routes[2].end_out),
            (-1.0, 1.0)
        );
        // The loop stays to the right of its box.
        assert_eq!(placed.routes[3].start_out, 1.0);
        assert!(placed.width >= b[4].right() + Spacing::default().loop_reach);
    }

    #[test]
    fn a_cycle_still_gets_distinct_columns() {
        let graph = Graph {
            groups: 1,
            nodes: (0..3).map(|_| node(0, 40.0)).collect(),
            links: vec![link(0, 1), link(1, 2), link(2, 0)],
        };
        let placed = layout(&graph, &Spacing::default());
        let mut ranks = placed.ranks.clone();
        ranks.sort();
        assert_eq!(ranks, [0, 1, 2]);
        // The link that goes back runs right, from 2's right to 0's left.
        let back = &placed.routes[2];
        assert_eq!((back.start_out, back.end_out), (1.0, -1.0));
    }

    #[test]
    fn bands_are_stacked_and_hold_their_boxes() {
        let graph = Graph {
            groups: 2,
            nodes: vec![node(0, 50.0), node(1, 80.0), node(0, 30.0), node(1, 20.0)],
            links: vec![link(0, 1), link(2, 0), link(3, 1)],
        };
        let placed = layout(&graph, &Spacing::default());
        let (g0, g1) = (placed.groups[0].unwrap(), placed.groups[1].unwrap());
        assert!(g0.bottom() < g1.y);
        for (i, b) in placed.nodes.iter().enumerate() {
            let g = if graph.nodes[i].group == 0 { g0 } else { g1 };
            assert!(b.x > g.x && b.right() < g.right(), "{b:?} in {g:?}");
            assert!(b.y > g.y && b.bottom() < g.bottom(), "{b:?} in {g:?}");
        }
        assert!(placed.height >= g1.bottom());
    }

    #[test]
    fn a_straight_link_is_level() {
        // Two boxes, one link: the referencing box moves so the link is level.
        let graph = Graph {
            groups: 1,
            nodes: vec![node(0, 100.0), node(0, 40.0), node(0, 200.0)],
            links: vec![Link {
                from: 1,
                from_y: 10.0,
                to: 0,
                to_y: 70.0,
            }],
        };
        let placed = layout(&graph, &Spacing::default());
        let r = &placed.routes[0];
        assert_eq!(r.start.y, r.end.y);
    }

    #[test]
    fn the_same_graph_lays_out_the_same() {
        let graph = Graph {
            groups: 2,
            nodes: (0..8).map(|i| node(i % 2, 20.0 + i as f64 * 7.0)).collect(),
            links: vec![
                link(0, 1),
                link(2, 1),
                link(3, 0),
                link(4, 2),
                link(5, 1),
                link(6, 5),
                link(7, 3),
                link(7, 7),
                link(1, 6),
            ],
        };
        let a = layout(&graph, &Spacing::default());
        let b = layout(&graph.clone(), &Spacing::default());
        assert_eq!(a, b);
    }
}
