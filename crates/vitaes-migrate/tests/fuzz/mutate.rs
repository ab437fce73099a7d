//! Inputs for the readers: real files mutated (bytes, lines, dictionary
//! tokens, JSON fields) and arbitrary bytes. Mutations are plain data, so
//! proptest shrinks a failing input towards the unmutated file.

use std::fmt;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

/// Bytes shown as text in failure reports (proptest prints the input).
#[derive(Clone, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    /// The bytes as a string, invalid UTF-8 replaced (what `&str` readers take).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(&self.0) {
            Ok(s) => write!(f, "{s:?}"),
            Err(_) => write!(f, "bytes {:?}", String::from_utf8_lossy(&self.0)),
        }
    }
}

/// The files a target's inputs start from, and the tokens its mutations insert.
#[derive(Clone)]
pub struct Pool {
    /// Real inputs (seed corpus and the repository's own files).
    pub files: Arc<Vec<Vec<u8>>>,
    /// Fragments of the format (`"when":`, `--> statement-breakpoint`, ...).
    pub tokens: &'static [&'static str],
}

/// One edit of a byte string; positions are fractions of its length.
#[derive(Debug, Clone)]
pub enum Op {
    SetByte(Index, u8),
    Insert(Index, Vec<u8>),
    Token(Index, Index),
    Delete(Index, usize),
    Duplicate(Index, usize, Index),
    Splice(Index, Index, usize, Index),
    DeleteLine(Index),
    DuplicateLine(Index),
    SpliceLine(Index, Index, Index),
    Truncate(Index),
}

/// One byte, line or token edit.
pub fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Op::SetByte(i, b)),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Op::Insert(i, b)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Op::Token(i, t)),
        1 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Op::Delete(i, n)),
        1 => (any::<Index>(), 1usize..64, any::<Index>()).prop_map(|(i, n, at)| Op::Duplicate(i, n, at)),
        1 => (any::<Index>(), any::<Index>(), 1usize..128, any::<Index>())
            .prop_map(|(f, i, n, at)| Op::Splice(f, i, n, at)),
        2 => any::<Index>().prop_map(Op::DeleteLine),
        2 => any::<Index>().prop_map(Op::DuplicateLine),
        2 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(f, l, at)| Op::SpliceLine(f, l, at)),
        1 => any::<Index>().prop_map(Op::Truncate),
    ]
}

/// `i` as a position in `0..=len`.
fn at(i: &Index, len: usize) -> usize {
    i.index(len + 1)
}

/// Byte ranges of `b`'s lines, each with its `\n`.
fn lines(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < b.len() {
        out.push((start, b.len()));
    }
    out
}

/// Applies `ops` to `base` in order.
pub fn apply(pool: &Pool, base: &[u8], ops: &[Op]) -> Vec<u8> {
    let mut b = base.to_vec();
    for op in ops {
        match op {
            Op::SetByte(i, v) => {
                if !b.is_empty() {
                    let i = i.index(b.len());
                    b[i] = *v;
                }
            }
            Op::Insert(i, bytes) => {
                let i = at(i, b.len());
                b.splice(i..i, bytes.iter().copied());
            }
            Op::Token(i, t) => {
                if !pool.tokens.is_empty() {
                    let token = pool.tokens[t.index(pool.tokens.len())].as_bytes();
                    let i = at(i, b.len());
                    b.splice(i..i, token.iter().copied());
                }
            }
            Op::Delete(i, n) => {
                let i = at(i, b.len());
                let end = (i + n).min(b.len());
                b.drain(i..end);
            }
            Op::Duplicate(i, n, to) => {
                let i = at(i, b.len());
                let chunk = b[i..(i + n).min(b.len())].to_vec();
                let to = at(to, b.len());
                b.splice(to..to, chunk);
            }
            Op::Splice(f, i, n, to) => {
                let other = &pool.files[f.index(pool.files.len())];
                let i = at(i, other.len());
                let chunk = &other[i..(i + n).min(other.len())];
                let to = at(to, b.len());
                b.splice(to..to, chunk.iter().copied());
            }
            Op::DeleteLine(l) => {
                let ls = lines(&b);
                if !ls.is_empty() {
                    let (s, e) = ls[l.index(ls.len())];
                    b.drain(s..e);
                }
            }
            Op::DuplicateLine(l) => {
                let ls = lines(&b);
                if !ls.is_empty() {
                    let (s, e) = ls[l.index(ls.len())];
                    let line = b[s..e].to_vec();
                    b.splice(e..e, line);
                }
            }
            Op::SpliceLine(f, l, to) => {
                let other = &pool.files[f.index(pool.files.len())];
                let ls = lines(other);
                if !ls.is_empty() {
                    let (s, e) = ls[l.index(ls.len())];
                    let starts: Vec<usize> = std::iter::once(0)
                        .chain(lines(&b).into_iter().map(|(_, e)| e))
                        .collect();
                    let to = starts[to.index(starts.len())];
                    b.splice(to..to, other[s..e].iter().copied());
                }
            }
            Op::Truncate(i) => {
                let i = at(i, b.len());
                b.truncate(i);
            }
        }
    }
    b
}

/// A pool file with up to `max_ops` byte, line and token edits.
pub fn mutated(pool: Pool, max_ops: usize) -> impl Strategy<Value = Bytes> {
    let n = pool.files.len();
    (0..n, prop::collection::vec(op_strategy(), 0..=max_ops))
        .prop_map(move |(f, ops)| Bytes(apply(&pool, &pool.files[f], &ops)))
}

/// Dictionary tokens (and now and then a raw byte) run together.
pub fn token_soup(tokens: &'static [&'static str]) -> impl Strategy<Value = Bytes> {
    let piece = prop_oneof![
        6 => prop::sample::select(tokens).prop_map(|t| t.as_bytes().to_vec()),
        1 => any::<u8>().prop_map(|b| vec![b]),
        1 => "[a-zA-Z0-9_]{1,8}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| Bytes(v.concat()))
}

/// Arbitrary bytes.
pub fn arbitrary() -> impl Strategy<Value = Bytes> {
    prop::collection::vec(any::<u8>(), 0..512).prop_map(Bytes)
}

/// Near-valid inputs most of the time, grammar soup and noise the rest.
pub fn input(pool: Pool) -> BoxedStrategy<Bytes> {
    let tokens = pool.tokens;
    prop_oneof![
        6 => mutated(pool, 6),
        2 => token_soup(tokens),
        1 => arbitrary(),
    ]
    .boxed()
}

/// A structural edit of a JSON document: node positions are fractions of
/// its node count (pre-order).
#[derive(Debug, Clone)]
pub enum JsonOp {
    Remove(Index),
    Replace(Index, Scalar),
    Duplicate(Index),
    Graft(Index, Index, Index),
    RenameKey(Index, Index),
}

/// What a node is replaced with: other types, edge numbers, odd strings.
#[derive(Debug, Clone)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Big,
    Float(f64),
    Str(String),
    EmptyArray,
    EmptyObject,
}

impl Scalar {
    fn value(&self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Int(i) => Value::from(*i),
            Scalar::Big => Value::from(u64::MAX),
            Scalar::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Scalar::Str(s) => Value::String(s.clone()),
            Scalar::EmptyArray => Value::Array(Vec::new()),
            Scalar::EmptyObject => Value::Object(Default::default()),
        }
    }
}

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        Just(Scalar::Null),
        any::<bool>().prop_map(Scalar::Bool),
        prop_oneof![
            Just(0i64),
            Just(-1),
            Just(i64::MAX),
            Just(i64::MIN),
            Just(u32::MAX as i64 + 1),
            any::<i64>()
        ]
        .prop_map(Scalar::Int),
        Just(Scalar::Big),
        prop_oneof![Just(0.5f64), Just(-0.0), Just(1e300), any::<f64>()].prop_map(Scalar::Float),
        prop_oneof![
            Just(String::new()),
            Just("7".to_string()),
            Just("postgresql".to_string()),
            Just("pg".to_string()),
            Just("a\u{0}b".to_string()),
            Just("../../x".to_string()),
            Just("/abs/x".to_string()),
            Just("x".repeat(100)),
            "\\PC{0,12}",
        ]
        .prop_map(Scalar::Str),
        Just(Scalar::EmptyArray),
        Just(Scalar::EmptyObject),
    ]
}

/// One JSON field edit.
pub fn json_op_strategy() -> impl Strategy<Value = JsonOp> {
    prop_oneof![
        2 => any::<Index>().prop_map(JsonOp::Remove),
        3 => (any::<Index>(), scalar()).prop_map(|(i, s)| JsonOp::Replace(i, s)),
        2 => any::<Index>().prop_map(JsonOp::Duplicate),
        2 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(f, n, at)| JsonOp::Graft(f, n, at)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(n, t)| JsonOp::RenameKey(n, t)),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Idx(usize),
}

/// Paths of `v`'s nodes in pre-order, the root first; at most `limit`.
fn node_paths(v: &Value, limit: usize) -> Vec<Vec<Step>> {
    fn walk(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>, limit: usize) {
        if out.len() >= limit {
            return;
        }
        out.push(path.clone());
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    path.push(Step::Key(k.clone()));
                    walk(child, path, out, limit);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    path.push(Step::Idx(i));
                    walk(child, path, out, limit);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out, limit);
    out
}

fn node_mut<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Idx(i) => v.get_mut(*i),
    })
}

fn node<'a>(v: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, step| match step {
        Step::Key(k) => v.get(k.as_str()),
        Step::Idx(i) => v.get(*i),
    })
}

const NODE_LIMIT: usize = 4000;

/// Applies `ops` to the JSON document `doc`; `others` are the documents
/// grafts take subtrees from.
pub fn apply_json(pool: &Pool, doc: &mut Value, others: &[Value], ops: &[JsonOp]) {
    for op in ops {
        let paths = node_paths(doc, NODE_LIMIT);
        let pick = |i: &Index| paths[i.index(paths.len())].clone();
        match op {
            JsonOp::Remove(i) => {
                let path = pick(i);
                if let Some((last, parent)) = path.split_last() {
                    match (node_mut(doc, parent), last) {
                        (Some(Value::Object(m)), Step::Key(k)) => {
                            m.shift_remove(k);
                        }
                        (Some(Value::Array(a)), Step::Idx(i)) if *i < a.len() => {
                            a.remove(*i);
                        }
                        _ => {}
                    }
                }
            }
            JsonOp::Replace(i, s) => {
                if let Some(n) = node_mut(doc, &pick(i)) {
                    *n = s.value();
                }
            }
            JsonOp::Duplicate(i) => {
                let path = pick(i);
                if let Some((last, parent)) = path.split_last() {
                    let copy = node(doc, &path).cloned();
                    match (node_mut(doc, parent), last, copy) {
                        (Some(Value::Object(m)), Step::Key(k), Some(c)) => {
                            m.insert(format!("{k}_copy"), c);
                        }
                        (Some(Value::Array(a)), Step::Idx(_), Some(c)) => a.push(c),
                        _ => {}
                    }
                }
            }
            JsonOp::Graft(f, n, to) => {
                if others.is_empty() {
                    continue;
                }
                let other = &others[f.index(others.len())];
                let other_paths = node_paths(other, NODE_LIMIT);
                let sub = node(other, &other_paths[n.index(other_paths.len())]).cloned();
                if let (Some(sub), Some(target)) = (sub, node_mut(doc, &pick(to))) {
                    *target = sub;
                }
            }
            JsonOp::RenameKey(i, t) => {
                let path = pick(i);
                if let (Some((Step::Key(k), parent)), false) =
                    (path.split_last(), pool.tokens.is_empty())
                {
                    let token = pool.tokens[t.index(pool.tokens.len())];
                    if let Some(Value::Object(m)) = node_mut(doc, parent) {
                        if let Some(v) = m.shift_remove(k) {
                            m.insert(token.trim_matches(['"', ':']).to_string(), v);
                        }
                    }
                }
            }
        }
    }
}

/// A pool JSON file with field-level edits, pretty or compact, then a few
/// byte edits on the text.
pub fn json_mutated(pool: Pool) -> impl Strategy<Value = Bytes> {
    let docs: Arc<Vec<Value>> = Arc::new(
        pool.files
            .iter()
            .filter_map(|f| serde_json::from_slice(f).ok())
            .collect(),
    );
    assert!(!docs.is_empty(), "no JSON in the pool");
    let n = docs.len();
    (
        0..n,
        prop::collection::vec(json_op_strategy(), 1..6),
        any::<bool>(),
        prop::collection::vec(op_strategy(), 0..3),
    )
        .prop_map(move |(d, json_ops, pretty, ops)| {
            let mut doc = docs[d].clone();
            apply_json(&pool, &mut doc, &docs, &json_ops);
            let text = if pretty {
                serde_json::to_vec_pretty(&doc)
            } else {
                serde_json::to_vec(&doc)
            }
            .expect("a JSON value serialises");
            Bytes(apply(&pool, &text, &ops))
        })
}

/// For JSON formats: field edits, byte edits, soup and noise.
pub fn json_input(pool: Pool) -> BoxedStrategy<Bytes> {
    let tokens = pool.tokens;
    prop_oneof![
        5 => json_mutated(pool.clone()),
        3 => mutated(pool, 4),
        1 => token_soup(tokens),
        1 => arbitrary(),
    ]
    .boxed()
}
