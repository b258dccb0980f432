//! In-memory evaluation: the reference semantics the SQL compilation must match.

use crate::{compile_regex, Field, Op, Rule, Value};

/// What a rule can ask about a host.
pub trait Facts {
    /// The text value of a field (`None`: not set). Never called for `Field::Port`.
    fn text(&self, field: &Field) -> Option<&str>;
    /// The port.
    fn port(&self) -> i64;
    /// Whether the host belongs to the named group (directly or through a child group).
    fn in_group(&self, name: &str) -> bool;
}

thread_local! {
    /// Compiled patterns: evaluating a rule over 100,000 hosts must not compile its regex 100,000 times.
    static REGEXES: std::cell::RefCell<std::collections::HashMap<String, Option<regex::Regex>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn regex_matches(pattern: &str, text: &str) -> bool {
    REGEXES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 256 {
            cache.clear();
        }
        cache
            .entry(pattern.to_owned())
            .or_insert_with(|| compile_regex(pattern).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(text))
    })
}

/// A tag value read as a number: digits only (no sign, no spaces), as the SQL side casts it.
fn tag_number(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn order(op: Op, a: i64, b: i64) -> bool {
    match op {
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Eq => a == b,
        Op::Ne => a != b,
        _ => false,
    }
}

fn cmp(facts: &dyn Facts, field: &Field, op: Op, value: &Value) -> bool {
    if *field == Field::Port {
        let Value::Num(n) = value else { return false };
        return order(op, facts.port(), *n);
    }
    let text = facts.text(field).filter(|t| {
        // An empty OS/environment/description is "not set", like NULL in the database.
        !t.is_empty()
            || matches!(
                field,
                Field::Tag(_) | Field::Name | Field::Address | Field::Status
            )
    });
    let want = value.as_text();
    match op {
        Op::Eq => text == Some(want.as_str()),
        Op::Ne => text != Some(want.as_str()),
        Op::Contains => text.is_some_and(|t| t.contains(want.as_str())),
        Op::StartsWith => text.is_some_and(|t| t.starts_with(want.as_str())),
        Op::Matches => text.is_some_and(|t| regex_matches(&want, t)),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => match (text.and_then(tag_number), value) {
            (Some(a), Value::Num(b)) => order(op, a, *b),
            _ => false,
        },
    }
}

impl Rule {
    /// Whether a host matches.
    pub fn matches(&self, facts: &dyn Facts) -> bool {
        match self {
            Rule::And { and } => and.iter().all(|r| r.matches(facts)),
            Rule::Or { or } => or.iter().any(|r| r.matches(facts)),
            Rule::Not { not } => !not.matches(facts),
            Rule::Exists { field, .. } => match field {
                Field::Port => true,
                Field::Tag(_) => facts.text(field).is_some(),
                f => facts.text(f).is_some_and(|t| !t.is_empty()),
            },
            Rule::In { field, values } => values.iter().any(|v| cmp(facts, field, Op::Eq, v)),
            Rule::InGroup { in_group } => facts.in_group(in_group),
            Rule::Cmp { field, op, value } => cmp(facts, field, *op, value),
        }
    }
}
