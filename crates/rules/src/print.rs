//! [`Rule`] → canonical text. `parse(rule.to_string()) == rule` for every valid rule.

use crate::{Rule, Value};
use std::fmt;

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(n) => write!(f, "{n}"),
            Value::Str(s) => f.write_str(&quote(s)),
        }
    }
}

fn child(f: &mut fmt::Formatter<'_>, r: &Rule, parent_binds_tighter: bool) -> fmt::Result {
    let needs = matches!(r, Rule::And { .. } | Rule::Or { .. }) && parent_binds_tighter;
    if needs {
        write!(f, "({r})")
    } else {
        write!(f, "{r}")
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Or { or } => {
                for (i, r) in or.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    // A nested OR keeps its parentheses so the tree round-trips as written.
                    child(f, r, matches!(r, Rule::Or { .. }))?;
                }
                Ok(())
            }
            Rule::And { and } => {
                for (i, r) in and.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" AND ")?;
                    }
                    child(f, r, true)?;
                }
                Ok(())
            }
            Rule::Not { not } => {
                f.write_str("NOT ")?;
                child(f, not, true)
            }
            Rule::Exists { field, .. } => write!(f, "{field} exists"),
            Rule::In { field, values } => {
                write!(f, "{field} in [")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Rule::InGroup { in_group } => write!(f, "in_group({})", quote(in_group)),
            Rule::Cmp { field, op, value } => write!(f, "{field} {} {value}", op.as_str()),
        }
    }
}
