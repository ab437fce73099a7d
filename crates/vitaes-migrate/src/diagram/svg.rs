//! The diagram as SVG: one box per table (its name, then a row per column:
//! key marks, name, type, a `?` after the type of a nullable column), a frame
//! per PostgreSQL schema, and per foreign key a curve from the referencing
//! column's row to the referenced column's, with crow's-foot ends.
//!
//! Self-contained, to stand alone as a file or inline in a page: no
//! stylesheet, script, font or link; presentation attributes only, so an
//! embedding page's CSS is neither needed nor disturbed. Text is monospace,
//! whose widths are known without the font. For a page to find things:
//! each table is a `<g data-table="schema.name">` (each column row a
//! `<g data-column="name">` in it), each schema frame a
//! `<g data-schema="name">`, and each foreign key a
//! `<g data-fk="constraint" data-from="schema.table" data-to="schema.table">`.

use std::fmt::Write;

use vitaes_schema_core::Schema;

use super::layout::{layout, Graph, Link, Node, Point, Rect, Route, Segment, Spacing};
use super::{Child, Column, Diagram, Parent, Table, TableKind};

const FONT: &str = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', 'DejaVu Sans Mono', monospace";
const FONT_SIZE: f64 = 12.0;
/// A monospace character at `FONT_SIZE`: 0.6 em, with a little to spare.
const CHAR: f64 = 7.4;
const KEY_FONT_SIZE: f64 = 9.0;
const KEY_CHAR: f64 = 5.8;
const HEADER: f64 = 28.0;
const ROW: f64 = 20.0;
const PAD: f64 = 10.0;
const GAP: f64 = 20.0;
const MIN_WIDTH: f64 = 120.0;

const INK: &str = "#0f172a";
const MUTED: &str = "#64748b";
const LINE: &str = "#94a3b8";
const HEAD_FILL: &str = "#e2e8f0";
const FRAME_FILL: &str = "#f8fafc";
const FRAME_LINE: &str = "#cbd5e1";
const RULE: &str = "#f1f5f9";
const PK: &str = "#b45309";
const FK: &str = "#1d4ed8";
const EDGE: &str = "#475569";

/// `schema` as a self-contained SVG document (see the module's text).
pub fn svg(schema: &Schema) -> String {
    let diagram = Diagram::of(schema);
    let boxes: Vec<Measured> = diagram.tables.iter().map(measure).collect();
    let group_of = |t: usize| {
        diagram
            .groups
            .iter()
            .position(|g| g.tables.contains(&t))
            .expect("every table is in a group")
    };
    let graph = Graph {
        groups: diagram.groups.len(),
        nodes: boxes
            .iter()
            .enumerate()
            .map(|(i, m)| Node {
                group: group_of(i),
                width: m.width,
                height: m.height,
            })
            .collect(),
        links: diagram
            .edges
            .iter()
            .map(|e| Link {
                from: e.from,
                from_y: row_middle(e.from_columns.first().copied()),
                to: e.to,
                to_y: row_middle(e.to_columns.first().copied()),
            })
            .collect(),
    };
    let placed = layout(&graph, &Spacing::default());

    let mut out = String::new();
    let (w, h) = (num(placed.width), num(placed.height));
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}" font-size="{}" role="img">"#,
        num(FONT_SIZE)
    );
    let _ = writeln!(
        out,
        "<title>Entity-relationship diagram: {} tables, {} foreign keys</title>",
        diagram.tables.len(),
        diagram.edges.len()
    );
    let _ = writeln!(out, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);

    for (group, frame) in diagram.groups.iter().zip(&placed.groups) {
        let Some(f) = frame else { continue };
        let _ = writeln!(
            out,
            r#"<g data-schema="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{FRAME_FILL}" stroke="{FRAME_LINE}"/><text x="{}" y="{}" font-weight="bold" fill="{MUTED}">{}</text></g>"#,
            esc(&group.schema),
            num(f.x),
            num(f.y),
            num(f.width),
            num(f.height),
            num(f.x + PAD),
            num(f.y + 19.0),
            esc(&group.schema)
        );
    }

    for (edge, route) in diagram.edges.iter().zip(&placed.routes) {
        let (from, to) = (&diagram.tables[edge.from], &diagram.tables[edge.to]);
        let columns = |t: &Table, cs: &[usize]| {
            cs.iter()
                .map(|&c| t.columns[c].name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            r#"<g data-fk="{}" data-from="{}" data-to="{}" fill="none" stroke="{EDGE}" stroke-width="1.3">"#,
            esc(&edge.name),
            esc(&from.qualified()),
            esc(&to.qualified())
        );
        let _ = writeln!(
            out,
            "<title>{} ({}) → {} ({}): {}</title>",
            esc(&from.qualified()),
            esc(&columns(from, &edge.from_columns)),
            esc(&to.qualified()),
            esc(&columns(to, &edge.to_columns)),
            esc(&edge.name)
        );
        let _ = writeln!(out, r#"<path d="{}"/>"#, path(route));
        let child = match edge.child {
            Child::ZeroOrOne => Mark::ZeroOrOne,
            Child::ZeroOrMore => Mark::ZeroOrMore,
        };
        let parent = match edge.parent {
            Parent::ExactlyOne => Mark::ExactlyOne,
            Parent::ZeroOrOne => Mark::ZeroOrOne,
        };
        mark(&mut out, route.start, route.start_out, child);
        mark(&mut out, route.end, route.end_out, parent);
        let _ = writeln!(out, "</g>");
    }

    for ((table, m), b) in diagram.tables.iter().zip(&boxes).zip(&placed.nodes) {
        table_box(&mut out, table, m, b);
    }
    let _ = writeln!(out, "</svg>");
    out
}

/// A table's box size and where its text goes.
struct Measured {
    width: f64,
    height: f64,
    /// From the box's left: the key marks', names' and types' columns.
    key_x: f64,
    name_x: f64,
    type_x: f64,
}

fn measure(t: &Table) -> Measured {
    let chars = |s: &str| s.chars().count() as f64;
    let keys = t
        .columns
        .iter()
        .map(|c| chars(&keys(c)))
        .fold(0.0, f64::max);
    let key_w = if keys > 0.0 {
        keys * KEY_CHAR + 8.0
    } else {
        0.0
    };
    let name_w = t.columns.iter().map(|c| chars(&c.name)).fold(0.0, f64::max) * CHAR;
    let type_w = t
        .columns
        .iter()
        .map(|c| chars(&type_text(c)))
        .fold(0.0, f64::max)
        * CHAR;
    let title_w = (chars(&t.name) + chars(tag(t.kind))) * CHAR;
    let rows_w = key_w + name_w + if type_w > 0.0 { GAP + type_w } else { 0.0 };
    Measured {
        width: (PAD + rows_w.max(title_w) + PAD).max(MIN_WIDTH).ceil(),
        height: HEADER
            + ROW * t.columns.len() as f64
            + if t.columns.is_empty() { 6.0 } else { 0.0 },
        key_x: PAD,
        name_x: PAD + key_w,
        type_x: PAD + key_w + name_w + GAP,
    }
}

/// The middle of column `i`'s row from the box's top (the header's middle
/// for no column).
fn row_middle(i: Option<usize>) -> f64 {
    match i {
        Some(i) => HEADER + ROW * i as f64 + ROW / 2.0,
        None => HEADER / 2.0,
    }
}

fn keys(c: &Column) -> String {
    let mut k = Vec::new();
    if c.primary_key {
        k.push("PK");
    }
    if c.foreign_key {
        k.push("FK");
    }
    if c.unique {
        k.push("UK");
    }
    k.join(" ")
}

fn type_text(c: &Column) -> String {
    if c.sql_type.is_empty() || c.not_null {
        c.sql_type.clone()
    } else {
        format!("{}?", c.sql_type)
    }
}

fn tag(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Table => "",
        TableKind::External => " (external)",
        TableKind::Absent => " (not read)",
    }
}

fn table_box(out: &mut String, t: &Table, m: &Measured, b: &Rect) {
    let (x, y) = (b.x, b.y);
    let dashed = if t.kind == TableKind::Table {
        ""
    } else {
        r#" stroke-dasharray="5 3""#
    };
    let _ = writeln!(out, r#"<g data-table="{}">"#, esc(&t.qualified()));
    let _ = writeln!(out, "<title>{}</title>", esc(&t.qualified()));
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#ffffff"/>"##,
        num(x),
        num(y),
        num(b.width),
        num(b.height)
    );
    let _ = writeln!(
        out,
        r#"<path d="M{} {}h{}v{}h-{}z" fill="{HEAD_FILL}"/>"#,
        num(x + 0.5),
        num(y + 0.5),
        num(b.width - 1.0),
        num(HEADER - 0.5),
        num(b.width - 1.0)
    );
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-weight="bold" fill="{INK}">{}"#,
        num(x + PAD),
        num(y + HEADER / 2.0 + 4.5),
        esc(&t.name)
    );
    if t.kind != TableKind::Table {
        let _ = write!(
            out,
            r#"<tspan font-weight="normal" fill="{MUTED}">{}</tspan>"#,
            esc(tag(t.kind))
        );
    }
    let _ = writeln!(out, "</text>");
    for (i, c) in t.columns.iter().enumerate() {
        let top = y + HEADER + ROW * i as f64;
        let base = num(top + ROW / 2.0 + 4.0);
        let _ = write!(out, r#"<g data-column="{}">"#, esc(&c.name));
        if i > 0 {
            let _ = write!(
                out,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{RULE}"/>"#,
                num(x + 1.0),
                num(top),
                num(x + b.width - 1.0),
                num(top)
            );
        }
        let k = keys(c);
        if !k.is_empty() {
            let _ = write!(
                out,
                r#"<text x="{}" y="{base}" font-size="{}" font-weight="bold" fill="{}">{}</text>"#,
                num(x + m.key_x),
                num(KEY_FONT_SIZE),
                if c.primary_key {
                    PK
                } else if c.foreign_key {
                    FK
                } else {
                    MUTED
                },
                esc(&k)
            );
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{base}" fill="{INK}">{}</text>"#,
            num(x + m.name_x),
            esc(&c.name)
        );
        let ty = type_text(c);
        if !ty.is_empty() {
            let _ = write!(
                out,
                r#"<text x="{}" y="{base}" fill="{MUTED}">{}</text>"#,
                num(x + m.type_x),
                esc(&ty)
            );
        }
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="none" stroke="{LINE}"{dashed}/>"#,
        num(x),
        num(y),
        num(b.width),
        num(b.height)
    );
    let _ = writeln!(out, "</g>");
}

fn path(route: &Route) -> String {
    let p = |p: &Point| format!("{} {}", num(p.x), num(p.y));
    let mut d = format!("M{}", p(&route.start));
    for s in &route.segments {
        match s {
            Segment::Line(to) => {
                let _ = write!(d, " L{}", p(to));
            }
            Segment::Curve(a, b, to) => {
                let _ = write!(d, " C{} {} {}", p(a), p(b), p(to));
            }
        }
    }
    d
}

/// A crow's-foot end.
#[derive(Clone, Copy)]
enum Mark {
    ExactlyOne,
    ZeroOrOne,
    ZeroOrMore,
}

/// Draws `kind` at `at` on a box's side, `out` the direction away from the box.
fn mark(svg: &mut String, at: Point, out: f64, kind: Mark) {
    let bar = |svg: &mut String, d: f64| {
        let x = num(at.x + out * d);
        let _ = writeln!(
            svg,
            r#"<path d="M{x} {} V{}"/>"#,
            num(at.y - 6.0),
            num(at.y + 6.0)
        );
    };
    let ring = |svg: &mut String, d: f64| {
        let _ = writeln!(
            svg,
            r##"<circle cx="{}" cy="{}" r="4" fill="#ffffff"/>"##,
            num(at.x + out * d),
            num(at.y)
        );
    };
    match kind {
        Mark::ExactlyOne => {
            bar(svg, 8.0);
            bar(svg, 13.0);
        }
        Mark::ZeroOrOne => {
            bar(svg, 8.0);
            ring(svg, 17.0);
        }
        Mark::ZeroOrMore => {
            let tip = num(at.x + out * 12.0);
            let _ = writeln!(
                svg,
                r#"<path d="M{} {} L{tip} {} L{} {}"/>"#,
                num(at.x),
                num(at.y - 6.0),
                num(at.y),
                num(at.x),
                num(at.y + 6.0)
            );
            ring(svg, 16.0);
        }
    }
}

/// A coordinate, to a tenth, without a trailing `.0`.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Text for XML: markup characters escaped, characters XML 1.0 cannot hold
/// replaced.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::tests::small_schema;

    #[test]
    fn every_table_and_foreign_key_is_an_element() {
        let out = svg(&small_schema());
        assert!(out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(out.trim_end().ends_with("</svg>"));
        assert_eq!(out.matches("<g data-table=").count(), 5);
        assert_eq!(out.matches("<g data-fk=").count(), 4);
        assert_eq!(out.matches("<g data-schema=").count(), 3);
        for t in [
            "public.posts",
            "public.profiles",
            "public.tags",
            "auth.users",
            "billing.accounts",
        ] {
            assert!(out.contains(&format!("data-table=\"{t}\"")), "{t}");
        }
        assert!(out.contains(
            r#"data-fk="posts_author_id_users_id_fk" data-from="public.posts" data-to="auth.users""#
        ));
        // Self-contained: nothing fetched, nothing run, no stylesheet.
        for absent in ["<style", "<script", "href", "@import", "url("] {
            assert!(!out.contains(absent), "{absent}");
        }
        // A nullable column's type ends in `?`; the absent table is marked.
        assert!(out.contains(">timestamp with time zone?</text>"));
        assert!(out.contains("(not read)"));
    }

    #[test]
    fn the_same_schema_draws_the_same_bytes() {
        assert_eq!(svg(&small_schema()), svg(&small_schema()));
        let mut reordered = small_schema();
        reordered.tables.reverse();
        assert_eq!(svg(&reordered), svg(&small_schema()));
    }

    #[test]
    fn text_is_escaped_for_xml() {
        let mut s = small_schema();
        s.tables[3].name = "a<b>&\"c'".into();
        s.tables[3].columns[0].name = "x\u{1}y".into();
        let out = svg(&s);
        assert!(out.contains("data-table=\"public.a&lt;b&gt;&amp;&quot;c&apos;\""));
        assert!(out.contains("x\u{FFFD}y"));
        assert!(!out.contains('\u{1}'));
    }

    #[test]
    fn an_empty_schema_is_an_empty_picture() {
        let out = svg(&Schema::default());
        assert!(out.contains("0 tables, 0 foreign keys"));
        assert!(!out.contains("data-table"));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(7.06), "7.1");
    }
}
