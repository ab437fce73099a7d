//! What a plan means for a person and for CI: the summary table that
//! `generate` prints, and the `--json` document (schema in
//! `schemas/plan.schema.json`).

use serde::Serialize;

use crate::diff::{Ambiguities, Ambiguity, Hazard, Plan};
use crate::push::facts::Fact;
use crate::sql;

/// The `--json` document.
#[derive(Debug, Serialize)]
pub struct PlanReport {
    pub version: u32,
    pub changes: Vec<ChangeReport>,
    pub ambiguities: Vec<AmbiguityReport>,
}

#[derive(Debug, Serialize)]
pub struct ChangeReport {
    pub kind: &'static str,
    pub object: String,
    pub sql: Vec<String>,
    pub hazards: Vec<Hazard>,
    /// What the live data says (`push` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<Fact>,
}

#[derive(Debug, Serialize)]
pub struct AmbiguityReport {
    /// `table`, `column` or `enum`.
    pub kind: &'static str,
    /// The schema, or the qualified table for columns.
    pub place: String,
    pub dropped: Vec<String>,
    pub added: Vec<String>,
}

impl PlanReport {
    pub fn of_plan(plan: &Plan) -> PlanReport {
        let changes = plan
            .changes
            .iter()
            .zip(plan.hazards())
            .map(|(c, hazards)| ChangeReport {
                kind: c.kind(),
                object: c.object(),
                sql: sql::render_change(c),
                hazards,
                facts: None,
            })
            .collect();
        PlanReport {
            version: 1,
            changes,
            ambiguities: Vec::new(),
        }
    }

    pub fn of_ambiguities(a: &Ambiguities) -> PlanReport {
        let ambiguities =
            a.0.iter()
                .map(|a| match a {
                    Ambiguity::Tables {
                        schema,
                        dropped,
                        added,
                    } => AmbiguityReport {
                        kind: "table",
                        place: schema.clone(),
                        dropped: dropped.clone(),
                        added: added.clone(),
                    },
                    Ambiguity::Columns {
                        table,
                        dropped,
                        added,
                    } => AmbiguityReport {
                        kind: "column",
                        place: format!("{}.{}", table.schema, table.name),
                        dropped: dropped.clone(),
                        added: added.clone(),
                    },
                    Ambiguity::Enums {
                        schema,
                        dropped,
                        added,
                    } => AmbiguityReport {
                        kind: "enum",
                        place: schema.clone(),
                        dropped: dropped.clone(),
                        added: added.clone(),
                    },
                    Ambiguity::Policies {
                        table,
                        dropped,
                        added,
                    } => AmbiguityReport {
                        kind: "policy",
                        place: format!("{}.{}", table.schema, table.name),
                        dropped: dropped.clone(),
                        added: added.clone(),
                    },
                })
                .collect();
        PlanReport {
            version: 1,
            changes: Vec::new(),
            ambiguities,
        }
    }

    /// Adds what the live data says, change by change.
    pub fn with_facts(mut self, facts: Vec<Option<Fact>>) -> PlanReport {
        for (c, f) in self.changes.iter_mut().zip(facts) {
            c.facts = f;
        }
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report serialises")
    }

    /// A plain table: change, object, hazards (`-` for none).
    pub fn summary_table(&self) -> String {
        let rows: Vec<[String; 3]> = self
            .changes
            .iter()
            .map(|c| {
                let mut hazards = if c.hazards.is_empty() {
                    "-".to_string()
                } else {
                    c.hazards
                        .iter()
                        .map(|h| h.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                if let Some(f) = &c.facts {
                    hazards.push_str(&format!("; {f}"));
                }
                [c.kind.replace('_', " "), c.object.clone(), hazards]
            })
            .collect();
        let header = [
            "change".to_string(),
            "object".to_string(),
            "hazards".to_string(),
        ];
        let widths: Vec<usize> = (0..3)
            .map(|i| {
                rows.iter()
                    .chain(std::iter::once(&header))
                    .map(|r| r[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |r: &[String; 3]| {
            format!(
                " {:w0$}  {:w1$}  {}",
                r[0],
                r[1],
                r[2],
                w0 = widths[0],
                w1 = widths[1]
            )
            .trim_end()
            .to_string()
        };
        let mut out = vec![
            line(&header),
            format!(" {}", "-".repeat(widths[0] + widths[1] + widths[2] + 4)),
        ];
        out.extend(rows.iter().map(line));
        out.join("\n")
    }
}
