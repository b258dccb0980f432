//! Rules compiled to SQL over the `hosts` table: the same semantics as `Rule::matches`, written
//! so no leaf is ever NULL (three-valued logic would make `NOT` disagree with the in-memory
//! evaluation). The property test in `tests/rules.rs` checks the two agree on both engines.

use itmgr_rules::{Field, Op, Rule, Value};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::DbBackend;
use std::collections::HashMap;
use uuid::Uuid;

/// Group name → the ids of that group and its descendants (what `in_group` tests against).
pub type GroupSets = HashMap<String, Vec<Uuid>>;

struct Sql {
    text: String,
    values: Vec<sea_orm::Value>,
    backend: DbBackend,
}

impl Sql {
    /// A placeholder for `v`: `$n` on PostgreSQL (sea-query numbers them so), `?` elsewhere.
    fn bind(&mut self, v: impl Into<sea_orm::Value>) -> String {
        self.values.push(v.into());
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".into(),
        }
    }

    fn column(field: &Field) -> &'static str {
        match field {
            Field::Name => "\"hosts\".\"name\"",
            Field::Address => "\"hosts\".\"address\"",
            Field::Status => "\"hosts\".\"status\"",
            // Empty and NULL are both "not set".
            Field::Os => "NULLIF(\"hosts\".\"os\", '')",
            Field::Environment => "NULLIF(\"hosts\".\"environment\", '')",
            Field::Description => "NULLIF(\"hosts\".\"description\", '')",
            Field::Port => "\"hosts\".\"port\"",
            Field::Tag(_) => "\"t\".\"value\"",
        }
    }

    /// A predicate on a non-NULL text expression `x`.
    fn text_pred(&mut self, x: &str, op: Op, value: &Value) -> String {
        let v = value.as_text();
        match op {
            Op::Eq => format!("{x} = {}", self.bind(v)),
            Op::Ne => format!("{x} <> {}", self.bind(v)),
            Op::Contains => match self.backend {
                DbBackend::Postgres => format!("strpos({x}, {}) > 0", self.bind(v)),
                _ => format!("instr({x}, {}) > 0", self.bind(v)),
            },
            Op::StartsWith => {
                let n = i32::try_from(v.chars().count()).unwrap_or(i32::MAX);
                let len = self.bind(n);
                format!("substr({x}, 1, {len}) = {}", self.bind(v))
            }
            Op::Matches => match self.backend {
                DbBackend::Postgres => format!("{x} ~ {}", self.bind(v)),
                _ => format!("{x} REGEXP {}", self.bind(v)),
            },
            Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                let Value::Num(n) = value else {
                    return "1 = 0".into();
                };
                // Tags compare as numbers only when they are all digits, as in memory.
                let digits = match self.backend {
                    DbBackend::Postgres => format!("{x} ~ {}", self.bind("^[0-9]{1,18}$")),
                    _ => format!(
                        "{x} <> '' AND length({x}) <= 18 AND {x} NOT GLOB {}",
                        self.bind("*[^0-9]*")
                    ),
                };
                format!(
                    "(CASE WHEN {digits} THEN CAST({x} AS BIGINT) END) {} {}",
                    op.as_str(),
                    self.bind(*n)
                )
            }
        }
    }

    /// `EXISTS` a tag `key` whose value satisfies `pred` (built after the key is bound, so the
    /// placeholders stay in text order).
    fn tag_exists(&mut self, key: &str, pred: impl FnOnce(&mut Self) -> Option<String>) -> String {
        let k = self.bind(key.to_owned());
        let extra = pred(self).map(|p| format!(" AND {p}")).unwrap_or_default();
        format!(
            "EXISTS (SELECT 1 FROM \"host_tags\" \"t\" WHERE \"t\".\"host_id\" = \"hosts\".\"id\" AND \"t\".\"key\" = {k}{extra})"
        )
    }

    fn leaf(&mut self, field: &Field, op: Op, value: &Value) -> String {
        match field {
            Field::Port => {
                let Value::Num(n) = value else {
                    return "1 = 0".into();
                };
                let sym = match op {
                    Op::Eq => "=",
                    Op::Ne => "<>",
                    Op::Lt => "<",
                    Op::Le => "<=",
                    Op::Gt => ">",
                    Op::Ge => ">=",
                    _ => return "1 = 0".into(),
                };
                format!("\"hosts\".\"port\" {sym} {}", self.bind(*n))
            }
            Field::Tag(key) => {
                let v = "\"t\".\"value\"";
                if op == Op::Ne {
                    // Missing tag: not equal to anything.
                    let e = self.tag_exists(key, |s| Some(s.text_pred(v, Op::Eq, value)));
                    format!("NOT {e}")
                } else {
                    self.tag_exists(key, |s| Some(s.text_pred(v, op, value)))
                }
            }
            f => {
                let x = Self::column(f);
                if op == Op::Ne {
                    let p = self.text_pred(x, Op::Eq, value);
                    format!("({x} IS NULL OR NOT ({p}))")
                } else {
                    let p = self.text_pred(x, op, value);
                    format!("({x} IS NOT NULL AND {p})")
                }
            }
        }
    }

    fn rule(&mut self, r: &Rule, groups: &GroupSets) -> String {
        match r {
            Rule::And { and } => {
                let parts: Vec<String> = and.iter().map(|x| self.rule(x, groups)).collect();
                format!("({})", parts.join(" AND "))
            }
            Rule::Or { or } => {
                let parts: Vec<String> = or.iter().map(|x| self.rule(x, groups)).collect();
                format!("({})", parts.join(" OR "))
            }
            Rule::Not { not } => format!("(NOT {})", self.rule(not, groups)),
            Rule::Exists { field, .. } => match field {
                Field::Port => "1 = 1".into(),
                Field::Tag(k) => self.tag_exists(k, |_| None),
                f => format!("({} IS NOT NULL)", Self::column(f)),
            },
            Rule::In { field, values } => {
                let parts: Vec<String> =
                    values.iter().map(|v| self.leaf(field, Op::Eq, v)).collect();
                format!("({})", parts.join(" OR "))
            }
            Rule::InGroup { in_group } => {
                match groups.get(in_group).filter(|ids| !ids.is_empty()) {
                    None => "1 = 0".into(),
                    Some(ids) => {
                        let list: Vec<String> = ids.iter().map(|id| self.bind(*id)).collect();
                        format!(
                        "EXISTS (SELECT 1 FROM \"group_members\" \"gm\" WHERE \"gm\".\"host_id\" = \"hosts\".\"id\" AND \"gm\".\"group_id\" IN ({}))",
                        list.join(", ")
                    )
                    }
                }
            }
            Rule::Cmp { field, op, value } => self.leaf(field, *op, value),
        }
    }
}

/// The rule as a condition on `hosts` (the table must be named `hosts` in the query).
pub fn condition(rule: &Rule, backend: DbBackend, groups: &GroupSets) -> SimpleExpr {
    let mut sql = Sql {
        text: String::new(),
        values: Vec::new(),
        backend,
    };
    sql.text = sql.rule(rule, groups);
    Expr::cust_with_values(sql.text, sql.values)
}
