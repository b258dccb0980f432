//! The rule language that selects hosts, e.g.
//! `(environment in ["prod","stage"] OR tags.tier =~ "^db") AND NOT status == "offline"`.
//!
//! One tree ([`Rule`]) with two faces: the text form ([`parse`], [`Rule`]'s `Display`) and a JSON form
//! (serde) for the visual builder; both round-trip exactly. The tree is evaluated here, in memory
//! ([`Rule::matches`]), and compiled to SQL by the storage crate; the two must agree (a property test
//! checks it on SQLite and PostgreSQL). The semantics are therefore deliberately plain:
//! - strings compare exactly (case-sensitive); `os` and `environment` are stored lower-case;
//! - a missing value (no OS, no such tag) is never equal to anything, so `!=` is true for it;
//! - `port` is a number; a tag compares as a number only with `<`, `<=`, `>`, `>=`, and only when its
//!   value is all digits (otherwise the comparison is false);
//! - `=~` is an unanchored search with a small regex dialect that behaves the same in Rust and in
//!   PostgreSQL (literals, `.`, `[...]`, `*`, `+`, `?`, `{m,n}`, `|`, `(...)`, `^`, `$`, `\d`, `\w`, `\s`,
//!   escaped punctuation), at most 256 characters.

mod eval;
mod parse;
mod print;

pub use eval::Facts;
pub use parse::{parse, ParseError};

use serde::{Deserialize, Serialize};
use std::fmt;

/// A host attribute a rule can test.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Address,
    Port,
    Os,
    Environment,
    Status,
    Description,
    /// `tags.<key>`.
    Tag(String),
}

impl Field {
    /// Parses `name`, `port`, `tags.env`, …
    pub fn parse(s: &str) -> Option<Field> {
        Some(match s {
            "name" => Field::Name,
            "address" => Field::Address,
            "port" => Field::Port,
            "os" => Field::Os,
            "environment" => Field::Environment,
            "status" => Field::Status,
            "description" => Field::Description,
            _ => {
                let key = s.strip_prefix("tags.")?;
                let ok = (1..=64).contains(&key.len())
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
                if !ok {
                    return None;
                }
                Field::Tag(key.to_owned())
            }
        })
    }

    /// Whether the field is a number (only `port`).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Field::Port)
    }

    /// Every fixed field name, for autocomplete and messages.
    pub const NAMES: &'static [&'static str] = &[
        "name",
        "address",
        "port",
        "os",
        "environment",
        "status",
        "description",
        "tags.<key>",
    ];
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Name => f.write_str("name"),
            Field::Address => f.write_str("address"),
            Field::Port => f.write_str("port"),
            Field::Os => f.write_str("os"),
            Field::Environment => f.write_str("environment"),
            Field::Status => f.write_str("status"),
            Field::Description => f.write_str("description"),
            Field::Tag(k) => write!(f, "tags.{k}"),
        }
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Field::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown field {s:?}")))
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "=~")]
    Matches,
    #[serde(rename = "contains")]
    Contains,
    #[serde(rename = "starts_with")]
    StartsWith,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    /// The operator as written.
    pub fn as_str(&self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Matches => "=~",
            Op::Contains => "contains",
            Op::StartsWith => "starts_with",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    /// `<`, `<=`, `>`, `>=`.
    pub fn is_ordering(&self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }
}

/// A literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Num(i64),
    Str(String),
}

impl Value {
    /// The value as text (numbers in decimal).
    pub fn as_text(&self) -> String {
        match self {
            Value::Num(n) => n.to_string(),
            Value::Str(s) => s.clone(),
        }
    }
}

/// A rule: a tree of conditions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Rule {
    /// All must hold (at least two).
    And { and: Vec<Rule> },
    /// One must hold (at least two).
    Or { or: Vec<Rule> },
    /// Negation.
    Not { not: Box<Rule> },
    /// `field exists`.
    Exists { field: Field, exists: bool },
    /// `field in [v, …]`.
    In {
        field: Field,
        #[serde(rename = "in")]
        values: Vec<Value>,
    },
    /// `in_group("name")`.
    InGroup { in_group: String },
    /// `field op value`.
    Cmp { field: Field, op: Op, value: Value },
}

/// Why a tree (e.g. from JSON) is not a valid rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RuleError(pub String);

/// Checks a regex against the shared dialect and compiles it (bounded in size).
pub fn compile_regex(pattern: &str) -> Result<regex::Regex, String> {
    if pattern.chars().count() > 256 {
        return Err("a pattern is at most 256 characters".into());
    }
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('d' | 'w' | 's') => {}
                Some(e) if e.is_ascii_punctuation() => {}
                Some(e) => {
                    return Err(format!(
                        "\\{e} is not supported; use \\d, \\w, \\s or escape punctuation"
                    ))
                }
                None => return Err("a pattern cannot end with \\".into()),
            }
        } else if c == '(' && chars.peek() == Some(&'?') {
            return Err("(?…) groups are not supported".into());
        }
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 16)
        .dfa_size_limit(1 << 16)
        .build()
        .map_err(|e| {
            format!(
                "invalid pattern: {}",
                e.to_string().lines().last().unwrap_or("")
            )
        })
}

impl Rule {
    /// Checks what the types cannot: operator/field combinations, regexes, arity. `parse` always
    /// returns valid rules; call this on trees from JSON.
    pub fn validate(&self) -> Result<(), RuleError> {
        let err = |m: String| Err(RuleError(m));
        match self {
            Rule::And { and: v } | Rule::Or { or: v } => {
                if v.len() < 2 {
                    return err("AND/OR need at least two conditions".into());
                }
                v.iter().try_for_each(Rule::validate)
            }
            Rule::Not { not } => not.validate(),
            Rule::Exists { exists, field } => {
                if !exists {
                    return err("write `NOT field exists` instead of exists: false".into());
                }
                if *field == Field::Port {
                    return err("port always exists".into());
                }
                Ok(())
            }
            Rule::In { field, values } => {
                if values.is_empty() {
                    return err("in needs at least one value".into());
                }
                values
                    .iter()
                    .try_for_each(|v| check_value(field, Op::Eq, v).map_err(RuleError))
            }
            Rule::InGroup { in_group } => {
                if in_group.trim().is_empty() {
                    return err("in_group needs a group name".into());
                }
                Ok(())
            }
            Rule::Cmp { field, op, value } => check_value(field, *op, value).map_err(RuleError),
        }
    }

    /// Collapses AND/OR groups of one condition into the condition (the visual builder makes
    /// them while editing); empty groups stay and fail validation.
    pub fn normalize(self) -> Rule {
        match self {
            Rule::And { and } if and.len() == 1 => and
                .into_iter()
                .next()
                .map(Rule::normalize)
                .unwrap_or(Rule::And { and: vec![] }),
            Rule::Or { or } if or.len() == 1 => or
                .into_iter()
                .next()
                .map(Rule::normalize)
                .unwrap_or(Rule::Or { or: vec![] }),
            Rule::And { and } => Rule::And {
                and: and.into_iter().map(Rule::normalize).collect(),
            },
            Rule::Or { or } => Rule::Or {
                or: or.into_iter().map(Rule::normalize).collect(),
            },
            Rule::Not { not } => Rule::Not {
                not: Box::new(not.normalize()),
            },
            other => other,
        }
    }

    /// Names of the groups the rule refers to with `in_group`.
    pub fn groups(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |r| {
            if let Rule::InGroup { in_group } = r {
                out.push(in_group.clone());
            }
        });
        out
    }

    /// Whether the rule reads `field` (e.g. rules on `status` change with every check).
    pub fn uses(&self, field: &Field) -> bool {
        let mut found = false;
        self.walk(&mut |r| match r {
            Rule::Exists { field: f, .. }
            | Rule::In { field: f, .. }
            | Rule::Cmp { field: f, .. } => found |= f == field,
            _ => {}
        });
        found
    }

    fn walk(&self, f: &mut impl FnMut(&Rule)) {
        f(self);
        match self {
            Rule::And { and: v } | Rule::Or { or: v } => v.iter().for_each(|r| r.walk(f)),
            Rule::Not { not } => not.walk(f),
            _ => {}
        }
    }
}

/// Type rules shared by the parser and `validate`.
pub(crate) fn check_value(field: &Field, op: Op, value: &Value) -> Result<(), String> {
    match (field, op, value) {
        (Field::Port, Op::Matches | Op::Contains | Op::StartsWith, _) => {
            Err(format!("port is a number; {} works on text", op.as_str()))
        }
        (Field::Port, _, Value::Str(_)) => {
            Err("port compares with a number, e.g. port == 22".into())
        }
        (Field::Tag(_), _, _) => match (op, value) {
            (Op::Matches, Value::Str(p)) => compile_regex(p).map(|_| ()),
            (Op::Matches, Value::Num(_)) => Err("=~ needs a quoted pattern".into()),
            (o, Value::Str(_)) if o.is_ordering() => Err(format!(
                "{} compares numbers; write the number without quotes",
                o.as_str()
            )),
            _ => Ok(()),
        },
        (f, o, _) if o.is_ordering() && !f.is_numeric() => {
            Err(format!("{} compares numbers; {f} is text", o.as_str()))
        }
        (_, Op::Matches, Value::Str(p)) => compile_regex(p).map(|_| ()),
        (f, _, Value::Num(_)) if !f.is_numeric() => {
            Err(format!("{f} is text; put the value in quotes"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
