use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

struct Host {
    name: &'static str,
    port: i64,
    os: Option<&'static str>,
    env: Option<&'static str>,
    status: &'static str,
    tags: BTreeMap<&'static str, &'static str>,
    groups: Vec<&'static str>,
}

impl Facts for Host {
    fn text(&self, f: &Field) -> Option<&str> {
        match f {
            Field::Name => Some(self.name),
            Field::Address => Some("10.0.0.1"),
            Field::Os => self.os,
            Field::Environment => self.env,
            Field::Status => Some(self.status),
            Field::Description => Some(""),
            Field::Tag(k) => self.tags.get(k.as_str()).copied(),
            Field::Port => None,
        }
    }
    fn port(&self) -> i64 {
        self.port
    }
    fn in_group(&self, name: &str) -> bool {
        self.groups.contains(&name)
    }
}

fn host() -> Host {
    Host {
        name: "db-01",
        port: 22,
        os: Some("linux"),
        env: Some("prod"),
        status: "online",
        tags: [("tier", "db-primary"), ("rack", "12"), ("owner", "ops")].into(),
        groups: vec!["web"],
    }
}

fn m(rule: &str) -> bool {
    parse(rule)
        .unwrap_or_else(|e| panic!("{rule}: {e}"))
        .matches(&host())
}

#[test]
fn the_issue_examples_parse_and_evaluate() {
    assert!(m(
        r#"tags.env == "prod" OR environment == "prod" AND os == "linux""#
    ));
    assert!(m(
        r#"(environment in ["prod","stage"] OR tags.tier =~ "^db") AND NOT status == "offline""#
    ));
    assert!(m("tags.owner exists"));
    assert!(!m("port != 22"));
    assert!(m(r#"in_group("web")"#));
    assert!(!m(r#"in_group("db")"#));
}

#[test]
fn operators() {
    assert!(m(r#"name contains "b-0""#));
    assert!(m(r#"name starts_with "db""#));
    assert!(!m(r#"name starts_with "DB""#), "case-sensitive");
    assert!(m("tags.rack > 10 and tags.rack <= 12"));
    assert!(
        !m("tags.owner > 1"),
        "non-numeric tag values never compare as numbers"
    );
    assert!(m("port >= 22 AND port < 23"));
    assert!(
        m(r#"tags.missing != "x""#),
        "a missing tag is not equal to anything"
    );
    assert!(!m(r#"tags.missing == "x""#));
    assert!(
        m(r#"NOT description exists"#),
        "an empty description is not set"
    );
    assert!(m(r#"name =~ "^db-\d+$""#));
    assert!(
        m("tags.rack == 12"),
        "numbers compare as text with == on tags"
    );
}

#[test]
fn keywords_are_case_insensitive_and_precedence_is_not_and_or() {
    let a = parse(r#"os == "a" or os == "b" and not os == "c""#).unwrap();
    let b = parse(r#"os == "a" OR (os == "b" AND (NOT os == "c"))"#).unwrap();
    assert_eq!(a, b);
}

#[test]
fn errors_point_at_the_position() {
    let e = parse(r#"tags.env == "prod" AND os =="#).unwrap_err();
    assert_eq!((e.line, e.column), (1, 29), "{e}");
    assert!(e.message.contains("expected a value after =="), "{e}");
    assert_eq!(e.to_string(), "line 1, col 29: expected a value after == (a \"string\" or a number), found the end of the rule");
    let e = parse("os == \"linux\"\nAND colour == \"red\"").unwrap_err();
    assert_eq!((e.line, e.column), (2, 5), "{e}");
    assert!(e.message.contains("unknown field"));
    for (bad, needle) in [
        ("", "empty"),
        ("os = \"x\"", "did you mean"),
        ("(os == \"x\"", "expected \")\""),
        ("os == \"x\" os", "expected AND, OR"),
        ("port == \"22\"", "number"),
        ("name > 3", "compares numbers"),
        ("os == \"unclosed", "not closed"),
        ("name =~ \"(?i)x\"", "not supported"),
        ("name =~ \"\\bx\"", "not supported"),
        ("tags.x in []", "expected a value"),
        ("in_group(web)", "in quotes"),
        ("port exists", "always exists"),
    ] {
        let e = parse(bad).unwrap_err();
        assert!(e.message.contains(needle), "{bad:?}: {e}");
    }
}

#[test]
fn json_form_is_the_same_tree() {
    let rule = parse(
        r#"(environment in ["prod", 3] OR tags.tier =~ "^db") AND NOT status == "offline" AND tags.x exists"#,
    );
    assert!(rule.is_err(), "environment is text: numbers are refused");
    let rule = parse(r#"(environment in ["prod","stage"] OR tags.tier =~ "^db") AND NOT status == "offline" AND tags.x exists AND in_group("web")"#).unwrap();
    let json = serde_json::to_value(&rule).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "and": [
            { "or": [
                { "field": "environment", "in": ["prod", "stage"] },
                { "field": "tags.tier", "op": "=~", "value": "^db" }
            ]},
            { "not": { "field": "status", "op": "==", "value": "offline" } },
            { "field": "tags.x", "exists": true },
            { "in_group": "web" }
        ]})
    );
    let back: Rule = serde_json::from_value(json).unwrap();
    assert_eq!(back, rule);
    back.validate().unwrap();
    assert_eq!(parse(&back.to_string()).unwrap(), rule);
    let bad: Rule = serde_json::from_value(
        serde_json::json!({ "field": "port", "op": "contains", "value": "2" }),
    )
    .unwrap();
    assert!(bad.validate().is_err());
}

fn arb_value_for(field: Field) -> BoxedStrategy<(Field, Op, Value)> {
    let text = prop_oneof![
        Just("prod".to_string()),
        Just("a\"b\\c".to_string()),
        "[a-z]{0,4}"
    ];
    match field {
        Field::Port => (
            prop_oneof![Just(Op::Eq), Just(Op::Ne), Just(Op::Lt), Just(Op::Ge)],
            0i64..70000,
        )
            .prop_map(move |(op, n)| (Field::Port, op, Value::Num(n)))
            .boxed(),
        Field::Tag(k) => prop_oneof![
            (
                prop_oneof![
                    Just(Op::Eq),
                    Just(Op::Ne),
                    Just(Op::Contains),
                    Just(Op::StartsWith)
                ],
                text.clone()
            )
                .prop_map(|(op, s)| (op, Value::Str(s))),
            (
                prop_oneof![Just(Op::Lt), Just(Op::Gt), Just(Op::Le), Just(Op::Ge)],
                0i64..100
            )
                .prop_map(|(op, n)| (op, Value::Num(n))),
            Just((Op::Matches, Value::Str("^d.+[0-9]$".into()))),
        ]
        .prop_map(move |(op, v)| (Field::Tag(k.clone()), op, v))
        .boxed(),
        f => (
            prop_oneof![
                Just(Op::Eq),
                Just(Op::Ne),
                Just(Op::Contains),
                Just(Op::StartsWith)
            ],
            text,
        )
            .prop_map(move |(op, s)| (f.clone(), op, Value::Str(s)))
            .boxed(),
    }
}

/// Random valid rules (shared with the storage crate's property test through the same shape).
fn arb_rule() -> impl Strategy<Value = Rule> {
    let field = prop_oneof![
        Just(Field::Name),
        Just(Field::Os),
        Just(Field::Environment),
        Just(Field::Status),
        Just(Field::Port),
        Just(Field::Tag("env".into())),
        Just(Field::Tag("rack".into())),
    ];
    let leaf = prop_oneof![
        field
            .clone()
            .prop_flat_map(arb_value_for)
            .prop_map(|(field, op, value)| Rule::Cmp { field, op, value }),
        field
            .clone()
            .prop_filter("port always exists", |f| *f != Field::Port)
            .prop_map(|field| Rule::Exists {
                field,
                exists: true
            }),
        Just(Rule::In {
            field: Field::Environment,
            values: vec![Value::Str("prod".into()), Value::Str("dev".into())]
        }),
        Just(Rule::InGroup {
            in_group: "web".into()
        }),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|and| Rule::And { and }),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|or| Rule::Or { or }),
            inner.prop_map(|r| Rule::Not { not: Box::new(r) }),
        ]
    })
}

proptest! {
    #[test]
    fn text_and_json_round_trip_exactly(rule in arb_rule()) {
        prop_assert!(rule.validate().is_ok());
        let text = rule.to_string();
        let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&parsed, &rule, "{}", text);
        let json = serde_json::to_string(&rule).unwrap();
        let back: Rule = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, rule);
    }
}
