use crate::helpers::*;
use itmgr_rules::{Facts, Field, Rule};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

on_both_databases!(
    dynamic_groups_follow_their_rule_and_record_why,
    static_groups_nesting_and_in_group,
    previews_report_positions_and_counts,
    memory_and_sql_evaluation_agree_on_random_rules,
    the_inventory_is_read_by_ansible_inventory,
);

async fn host(app: &TestApp, token: &str, name: &str, env: &str, os: &str, tags: Value) -> String {
    let (status, h) = app
        .post(
            "/api/v1/hosts",
            token,
            json!({ "name": name, "address": format!("10.9.{}.{}", name.len(), name.bytes().map(u32::from).sum::<u32>() % 250), "environment": env, "os": os, "tags": tags }),
        )
        .await;
    assert_eq!(status, 201, "{h}");
    h["id"].as_str().unwrap().to_owned()
}

async fn group(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, g) = app.post("/api/v1/groups", token, body).await;
    assert_eq!(status, 201, "{g}");
    g
}

async fn member_names(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let (status, page) = app
        .get(&format!("/api/v1/groups/{id}/members?limit=500"), token)
        .await;
    assert_eq!(status, 200, "{page}");
    let mut names: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

async fn dynamic_groups_follow_their_rule_and_record_why(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let web1 = host(
        &app,
        &admin,
        "web1",
        "prod",
        "linux",
        json!({ "tier": "web" }),
    )
    .await;
    host(
        &app,
        &admin,
        "web2",
        "stage",
        "linux",
        json!({ "tier": "web" }),
    )
    .await;
    host(
        &app,
        &admin,
        "db1",
        "prod",
        "linux",
        json!({ "tier": "db" }),
    )
    .await;
    host(&app, &admin, "win1", "prod", "windows", json!({})).await;

    let g = group(
        &app,
        &admin,
        json!({ "name": "prod_linux", "kind": "dynamic", "rule": "environment == \"prod\" and os == \"linux\"" }),
    )
    .await;
    let gid = g["id"].as_str().unwrap().to_owned();
    assert_eq!(
        g["rule"], "environment == \"prod\" AND os == \"linux\"",
        "canonical text"
    );
    assert_eq!(g["member_count"], 2);
    assert_eq!(member_names(&app, &admin, &gid).await, ["db1", "web1"]);

    // A host update moves it in and out, recorded with the reason.
    let (status, h) = app.get(&format!("/api/v1/hosts/{web1}"), &admin).await;
    assert_eq!(status, 200);
    let (status, _) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/hosts/{web1}"),
            Some(&admin),
            Some(json!({ "version": h["version"], "environment": "stage" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(member_names(&app, &admin, &gid).await, ["db1"]);
    let (_, events) = app
        .get(&format!("/api/v1/hosts/{web1}/membership-events"), &admin)
        .await;
    let items = events["items"].as_array().unwrap();
    assert_eq!(items[0]["change"], "left", "{events}");
    assert_eq!(items[0]["group_name"], "prod_linux");
    assert!(
        items[0]["reason"]
            .as_str()
            .unwrap()
            .contains("no longer matches"),
        "{events}"
    );
    assert_eq!(items[1]["change"], "joined");

    // New and imported hosts join at once.
    host(&app, &admin, "db2", "prod", "linux", json!({})).await;
    let (status, _) = app
        .post("/api/v1/hosts/import", &admin, json!({ "format": "csv", "content": "name,address,environment,os\nimp1,10.8.0.1,prod,linux\n" }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        member_names(&app, &admin, &gid).await,
        ["db1", "db2", "imp1"]
    );

    // A rule change recomputes; the host list filters by group too.
    let (status, g2) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/groups/{gid}"),
            Some(&admin),
            Some(json!({ "version": g["version"], "rule": "tags.tier in [\"web\", \"db\"]" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{g2}");
    assert_eq!(
        member_names(&app, &admin, &gid).await,
        ["db1", "web1", "web2"]
    );
    let (_, ge) = app
        .get(
            &format!("/api/v1/groups/{gid}/membership-events?limit=100"),
            &admin,
        )
        .await;
    assert!(ge["total"].as_u64().unwrap() >= 8, "{ge}");

    // Deleting a member host records it leaving.
    let (status, _) = json_of(
        app.call(
            Method::DELETE,
            &format!("/api/v1/hosts/{web1}"),
            Some(&admin),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(member_names(&app, &admin, &gid).await, ["db1", "web2"]);

    // Members of a dynamic group cannot be edited by hand; bad rules point at the problem.
    let (status, _) = app
        .post(
            &format!("/api/v1/groups/{gid}/members"),
            &admin,
            json!({ "ids": [web1] }),
        )
        .await;
    assert_eq!(status, 409);
    let (status, body) = app
        .post(
            "/api/v1/groups",
            &admin,
            json!({ "name": "bad", "kind": "dynamic", "rule": "os == " }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["details"]["fields"]["rule"]
            .as_str()
            .unwrap()
            .starts_with("line 1, col 6"),
        "{body}"
    );
    let (status, _) = app
        .post(
            "/api/v1/groups",
            &admin,
            json!({ "name": "all", "kind": "static" }),
        )
        .await;
    assert_eq!(status, 422);

    // A viewer reads but cannot change groups.
    let viewer = app.user_token(&admin, "vicky", "viewer").await;
    let (status, _) = app.get("/api/v1/groups", &viewer).await;
    assert_eq!(status, 200);
    let (status, _) = app
        .post(
            "/api/v1/groups",
            &viewer,
            json!({ "name": "x", "kind": "static" }),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(audit(&app, &admin, "group.create").await.len(), 1);
    assert_eq!(audit(&app, &admin, "group.update").await.len(), 1);

    // Drift (a membership row lost behind the engine's back) is repaired and reported.
    let db1 = itmgr_storage::repo::hosts::find_by_names(app.state.db.conn(), &["db1".into()])
        .await
        .unwrap()
        .remove(0);
    itmgr_storage::repo::groups::apply_changes(
        app.state.db.conn(),
        gid.parse().unwrap(),
        &[itmgr_storage::repo::groups::MembershipChange {
            host_id: db1.id,
            host_name: "db1".into(),
            joined: false,
            reason: "test drift".into(),
        }],
    )
    .await
    .unwrap();
    assert_eq!(member_names(&app, &admin, &gid).await, ["web2"]);
    let fixed = itmgr_api::services::membership::reconcile_and_report(&app.state)
        .await
        .unwrap();
    assert_eq!(fixed, 1);
    assert_eq!(member_names(&app, &admin, &gid).await, ["db1", "web2"]);
    let reported = audit(&app, &admin, "group.reconcile").await;
    assert_eq!(reported[0]["diff"]["fixed"], 1);
    assert_eq!(
        itmgr_api::services::membership::reconcile_and_report(&app.state)
            .await
            .unwrap(),
        0
    );
    app.cleanup().await;
}

async fn static_groups_nesting_and_in_group(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let a = host(&app, &admin, "a", "prod", "linux", json!({})).await;
    let b = host(&app, &admin, "b", "prod", "linux", json!({})).await;
    let c = host(&app, &admin, "c", "dev", "linux", json!({})).await;
    let web = group(&app, &admin, json!({ "name": "web", "kind": "static" })).await;
    let web_id = web["id"].as_str().unwrap().to_owned();
    let (status, r) = app
        .post(
            &format!("/api/v1/groups/{web_id}/members"),
            &admin,
            json!({ "ids": [a, b] }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["changed"], 2);
    let (_, r) = app
        .post(
            &format!("/api/v1/groups/{web_id}/members"),
            &admin,
            json!({ "ids": [a] }),
        )
        .await;
    assert_eq!(r["changed"], 0, "adding twice changes nothing");

    let canary = group(&app, &admin, json!({ "name": "canary", "kind": "static" })).await;
    let canary_id = canary["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/groups/{canary_id}/members"),
        &admin,
        json!({ "ids": [c] }),
    )
    .await;
    // web includes canary: its members count for web and for in_group("web").
    let (status, web2) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/groups/{web_id}"),
            Some(&admin),
            Some(json!({ "version": web["version"], "children": ["canary"] })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{web2}");
    assert_eq!(web2["member_count"], 3);
    assert_eq!(web2["children"], json!(["canary"]));
    let prod_web = group(&app, &admin, json!({ "name": "prod_web", "kind": "dynamic", "rule": "in_group(\"web\") AND environment == \"prod\"" })).await;
    let pw = prod_web["id"].as_str().unwrap().to_owned();
    assert_eq!(member_names(&app, &admin, &pw).await, ["a", "b"]);
    let not_web = group(
        &app,
        &admin,
        json!({ "name": "not_web", "kind": "dynamic", "rule": "NOT in_group(\"web\")" }),
    )
    .await;
    assert_eq!(not_web["member_count"], 0);

    // Removing a static member ripples into the dynamic group that reads it.
    let (_, r) = app
        .post(
            &format!("/api/v1/groups/{web_id}/members/remove"),
            &admin,
            json!({ "ids": [b] }),
        )
        .await;
    assert_eq!(r["changed"], 1);
    assert_eq!(member_names(&app, &admin, &pw).await, ["a"]);
    assert_eq!(
        member_names(&app, &admin, not_web["id"].as_str().unwrap()).await,
        ["b"]
    );

    // Cycles are refused: nesting and rule dependencies.
    let (_, canary_now) = app
        .get(&format!("/api/v1/groups/{canary_id}"), &admin)
        .await;
    let (status, body) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/groups/{canary_id}"),
            Some(&admin),
            Some(json!({ "version": canary_now["version"], "children": ["web"] })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["details"]["fields"]["children"].is_string());
    let (status, body) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/groups/{pw}"),
            Some(&admin),
            Some(json!({ "version": prod_web["version"], "rule": "in_group(\"prod_web\")" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["details"]["fields"]["rule"]
            .as_str()
            .unwrap()
            .contains("loop"),
        "{body}"
    );
    // A group read by rules cannot be deleted.
    let (status, body) = json_of(
        app.call(
            Method::DELETE,
            &format!("/api/v1/groups/{web_id}"),
            Some(&admin),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("prod_web"));
    // Group variables with secret references are checked at save time.
    let (status, body) = app
        .post("/api/v1/groups", &admin, json!({ "name": "vars", "kind": "static", "variables": { "db_password": "{{ secret:nope }}" } }))
        .await;
    assert_eq!(status, 422, "{body}");
    app.cleanup().await;
}

async fn previews_report_positions_and_counts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    for i in 0..5 {
        host(
            &app,
            &admin,
            &format!("n{i}"),
            if i < 3 { "prod" } else { "dev" },
            "linux",
            json!({ "idx": i.to_string() }),
        )
        .await;
    }
    let (status, p) = app
        .post(
            "/api/v1/groups/preview",
            &admin,
            json!({ "rule": "environment == \"prod\" AND tags.idx >= 1", "limit": 1 }),
        )
        .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["valid"], true);
    assert_eq!(p["total"], 2);
    assert_eq!(p["hosts"].as_array().unwrap().len(), 1);
    assert_eq!(
        p["rule_json"]["and"][1],
        json!({ "field": "tags.idx", "op": ">=", "value": 1 })
    );
    // The JSON tree evaluates the same.
    let (_, p2) = app
        .post(
            "/api/v1/groups/preview",
            &admin,
            json!({ "rule_json": p["rule_json"] }),
        )
        .await;
    assert_eq!(p2["total"], 2);
    assert_eq!(p2["rule"], p["rule"]);
    let (status, p) = app
        .post(
            "/api/v1/groups/preview",
            &admin,
            json!({ "rule": "environment == \"prod\" AND\n  colour == \"red\"" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(p["valid"], false);
    assert_eq!(p["error"]["line"], 2);
    assert_eq!(p["error"]["column"], 3);
    let (_, hints) = app.get("/api/v1/groups/rule-hints", &admin).await;
    assert_eq!(hints["tags"][0]["key"], "idx", "{hints}");
    assert!(hints["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "environment"));
    app.cleanup().await;
}

struct Row {
    name: String,
    port: i64,
    os: Option<String>,
    env: Option<String>,
    status: String,
    tags: BTreeMap<String, String>,
    groups: HashSet<String>,
}

impl Facts for Row {
    fn text(&self, f: &Field) -> Option<&str> {
        match f {
            Field::Name => Some(&self.name),
            Field::Address => Some("10.0.0.1"),
            Field::Os => self.os.as_deref(),
            Field::Environment => self.env.as_deref(),
            Field::Status => Some(&self.status),
            Field::Description => Some(""),
            Field::Tag(k) => self.tags.get(k).map(String::as_str),
            Field::Port => None,
        }
    }
    fn port(&self) -> i64 {
        self.port
    }
    fn in_group(&self, name: &str) -> bool {
        self.groups.contains(name)
    }
}

/// A small deterministic generator (no extra dependency): the same rules every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next(xs.len() as u64) as usize]
    }
}

fn random_rule(r: &mut Lcg, depth: u32) -> String {
    if depth > 0 && r.next(3) == 0 {
        let op = r.pick(&["AND", "OR"]);
        return format!(
            "({} {op} {})",
            random_rule(r, depth - 1),
            random_rule(r, depth - 1)
        );
    }
    if depth > 0 && r.next(6) == 0 {
        return format!("NOT {}", random_rule(r, depth - 1));
    }
    let texts = ["prod", "dev", "linux", "web-1", "a\"b", "", "Web"];
    match r.next(9) {
        0 => format!(
            "port {} {}",
            r.pick(&["==", "!=", "<", ">=", "<=", ">"]),
            r.pick(&["22", "2222", "0", "80"])
        ),
        1 => format!(
            "{} exists",
            r.pick(&["os", "environment", "tags.env", "tags.rack", "description"])
        ),
        2 => format!(
            "tags.rack {} {}",
            r.pick(&["<", ">", "<=", ">=", "==", "!="]),
            r.pick(&["5", "10", "12"])
        ),
        3 => format!(
            "{} =~ \"{}\"",
            r.pick(&["name", "tags.env", "os"]),
            r.pick(&["^web", "[0-9]$", "o.*d", "^$", "x|y"])
        ),
        4 => format!(
            "environment in [\"{}\", \"{}\"]",
            r.pick(&texts),
            r.pick(&texts)
        ),
        5 => format!("in_group(\"{}\")", r.pick(&["g_static", "g_other"])),
        _ => format!(
            "{} {} \"{}\"",
            r.pick(&[
                "name",
                "os",
                "environment",
                "status",
                "tags.env",
                "tags.rack"
            ]),
            r.pick(&["==", "!=", "contains", "starts_with"]),
            r.pick(&texts).replace('"', "\\\"")
        ),
    }
}

async fn memory_and_sql_evaluation_agree_on_random_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let g = group(
        &app,
        &admin,
        json!({ "name": "g_static", "kind": "static" }),
    )
    .await;
    group(&app, &admin, json!({ "name": "g_other", "kind": "static" })).await;
    let mut rows = Vec::new();
    let mut r = Lcg(42);
    let mut in_g = Vec::new();
    for i in 0..40 {
        let env = ["prod", "dev", "", "Web"][i % 4];
        let os = ["linux", "", "windows"][i % 3];
        let mut tags = BTreeMap::new();
        if i % 2 == 0 {
            tags.insert(
                "env".to_string(),
                ["prod", "web-1", "", "a\"b"][i % 4].to_string(),
            );
        }
        if i % 3 != 0 {
            tags.insert(
                "rack".to_string(),
                ["5", "12", "x1", "007", ""][i % 5].to_string(),
            );
        }
        let name = format!("{}-{i}", ["web", "db", "prod"][i % 3]);
        let port = [22, 2222, 80][i % 3];
        let (status, h) = app
            .post(
                "/api/v1/hosts",
                &admin,
                json!({ "name": name, "address": format!("10.7.0.{i}"), "port": port, "environment": env, "os": os, "tags": tags }),
            )
            .await;
        assert_eq!(status, 201, "{h}");
        let member = i % 5 == 0;
        if member {
            in_g.push(h["id"].as_str().unwrap().to_owned());
        }
        rows.push(Row {
            name,
            port,
            os: (!os.is_empty()).then(|| os.to_string()),
            env: (!env.is_empty()).then(|| env.to_lowercase()),
            status: "unknown".into(),
            tags,
            groups: if member {
                HashSet::from(["g_static".to_string()])
            } else {
                HashSet::new()
            },
        });
    }
    app.post(
        &format!("/api/v1/groups/{}/members", g["id"].as_str().unwrap()),
        &admin,
        json!({ "ids": in_g }),
    )
    .await;
    let mut checked = 0;
    for _ in 0..150 {
        let text = random_rule(&mut r, 3);
        let rule: Rule = match itmgr_rules::parse(&text) {
            Ok(rule) => rule,
            Err(_) => continue, // e.g. a generated type error; the parser is tested elsewhere
        };
        let mut expected: Vec<&str> = rows
            .iter()
            .filter(|h| rule.matches(*h))
            .map(|h| h.name.as_str())
            .collect();
        expected.sort();
        let (status, p) = app
            .post(
                "/api/v1/groups/preview",
                &admin,
                json!({ "rule": text, "limit": 500 }),
            )
            .await;
        assert_eq!(status, 200, "{text}: {p}");
        let mut got: Vec<&str> = p["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["name"].as_str().unwrap())
            .collect();
        got.sort();
        assert_eq!(got, expected, "rule {text} (canonical {rule})");
        assert_eq!(
            p["total"].as_u64().unwrap() as usize,
            expected.len(),
            "{text}"
        );
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} rules checked");
    app.cleanup().await;
}

async fn the_inventory_is_read_by_ansible_inventory(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let a = host(
        &app,
        &admin,
        "app1",
        "prod",
        "linux",
        json!({ "role": "app" }),
    )
    .await;
    host(
        &app,
        &admin,
        "db1",
        "prod",
        "linux",
        json!({ "role": "db" }),
    )
    .await;
    host(&app, &admin, "lonely", "dev", "linux", json!({})).await;
    let web = group(
        &app,
        &admin,
        json!({ "name": "web", "kind": "static", "variables": { "http_port": "8080" } }),
    )
    .await;
    app.post(
        &format!("/api/v1/groups/{}/members", web["id"].as_str().unwrap()),
        &admin,
        json!({ "ids": [a] }),
    )
    .await;
    group(
        &app,
        &admin,
        json!({ "name": "databases", "kind": "dynamic", "rule": "tags.role == \"db\"" }),
    )
    .await;
    group(&app, &admin, json!({ "name": "prod", "kind": "static", "children": ["web", "databases"], "variables": { "env_name": "production" } })).await;

    // `make test` installs ansible-core; without it this test cannot prove anything.
    let ansible = Some(which("ansible-inventory").expect(
        "ansible-inventory is required: python3 -m pip install ansible-core (make test does this)",
    ));
    for format in ["json", "ini", "yaml"] {
        let r = app
            .call(
                Method::GET,
                &format!("/api/v1/inventory?format={format}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        if format == "json" {
            let j: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(j["_meta"]["hostvars"]["db1"]["role"], "db");
            assert_eq!(j["prod"]["children"], json!(["web", "databases"]));
            assert_eq!(j["ungrouped"]["hosts"], json!(["lonely"]));
        }
        let Some(bin) = &ansible else { continue };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!(
            "inventory.{}",
            if format == "ini" { "ini" } else { format }
        ));
        let file = if format == "json" {
            // A static JSON file is read by the yaml plugin only in its YAML shape; the JSON
            // dynamic-inventory shape is what a script prints, so wrap it in one.
            let script = dir.path().join("inventory.sh");
            std::fs::write(dir.path().join("inv.json"), &text).unwrap();
            std::fs::write(
                &script,
                format!("#!/bin/sh\ncat {}\n", dir.path().join("inv.json").display()),
            )
            .unwrap();
            std::process::Command::new("chmod")
                .arg("+x")
                .arg(&script)
                .status()
                .unwrap();
            script
        } else {
            std::fs::write(&file, &text).unwrap();
            file
        };
        let out = std::process::Command::new(bin)
            .arg("-i")
            .arg(&file)
            .arg("--list")
            .env("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
        let hv = &listed["_meta"]["hostvars"];
        // INI values are typed by Ansible (8080 becomes a number); YAML/JSON keep strings.
        assert_eq!(
            hv["app1"]["http_port"].to_string().trim_matches('"'),
            "8080",
            "{format}: group vars reach the host: {listed}"
        );
        assert_eq!(
            hv["db1"]["env_name"], "production",
            "{format}: parent vars reach nested members"
        );
        assert!(
            hv["db1"]["ansible_host"]
                .as_str()
                .unwrap()
                .starts_with("10.9."),
            "{format}: {listed}"
        );
        assert_eq!(
            listed["databases"]["hosts"],
            json!(["db1"]),
            "{format}: {listed}"
        );
        assert!(
            listed["prod"]["children"]
                .as_array()
                .unwrap()
                .contains(&json!("web")),
            "{format}"
        );
        assert!(
            listed["ungrouped"]["hosts"]
                .as_array()
                .unwrap()
                .contains(&json!("lonely")),
            "{format}"
        );
    }
    let r = app
        .call(
            Method::GET,
            "/api/v1/inventory?groups=web",
            Some(&admin),
            None,
        )
        .await;
    let j: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(j["_meta"]["hostvars"].as_object().unwrap().len(), 1, "{j}");
    app.cleanup().await;
}

fn which(bin: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(bin))
            .find(|p| p.is_file())
    })
}
