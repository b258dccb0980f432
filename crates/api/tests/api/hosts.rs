use crate::helpers::*;
use itmgr_testfleet::{client_keys, closed_port, Fleet, Silent, PASSWORD, USER};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

on_both_databases!(
    hosts_are_validated_at_the_edge_and_audited,
    the_list_filters_sorts_pages_and_counts_facets,
    bulk_changes_are_all_or_nothing,
    imports_preview_per_line_then_apply_and_exports_round_trip,
    the_target_policy_is_configurable_and_guards_the_product_itself,
    status_checks_against_real_sshd_hosts,
    a_changed_host_key_is_refused_and_results_are_pushed_live,
    credentials_in_use_by_hosts_are_protected,
    periodic_checks_reach_every_host_within_the_interval,
    old_devices_are_reached_only_when_marked_legacy,
);

async fn create_host(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, host) = app.post("/api/v1/hosts", token, body).await;
    assert_eq!(status, 201, "{host}");
    host
}

async fn patch(
    app: &TestApp,
    token: &str,
    path: &str,
    body: Value,
) -> (reqwest::StatusCode, Value) {
    json_of(app.call(Method::PATCH, path, Some(token), Some(body)).await).await
}

async fn hosts_are_validated_at_the_edge_and_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let host = create_host(
        &app,
        &admin,
        json!({ "name": "web-01", "address": "Web-01.Example.COM.", "environment": "Prod",
                "os": "Linux", "tags": { "role": "web" }, "description": "front" }),
    )
    .await;
    assert_eq!(host["address"], "web-01.example.com");
    assert_eq!(host["environment"], "prod");
    assert_eq!(host["port"], 22);
    assert_eq!(host["status"], "unknown");
    assert_eq!(host["effective_check_method"], "tcp");
    let id = host["id"].as_str().unwrap().to_owned();

    // Everything that could become an option or a URL is refused, naming the field.
    for (address, port) in [
        ("-oProxyCommand=id", 22),
        ("root@10.0.0.1", 22),
        ("http://10.0.0.1", 22),
        ("10.0.0.1 ; rm", 22),
        ("10.0.0.1:22", 22),
        ("10.0.0.1", 0),
        ("10.0.0.1", 70000),
    ] {
        let (status, body) = app
            .post(
                "/api/v1/hosts",
                &admin,
                json!({ "name": "bad", "address": address, "port": port }),
            )
            .await;
        assert_eq!(status, 422, "{address}:{port} → {body}");
        let fields = &body["details"]["fields"];
        assert!(
            fields.get("address").is_some() || fields.get("port").is_some(),
            "{body}"
        );
    }
    let (status, body) = app
        .post(
            "/api/v1/hosts",
            &admin,
            json!({ "name": "x", "address": "10.0.0.1", "tags": { "bad key": "v" } }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["details"]["fields"]["tags"].is_string());
    let (status, body) = app
        .post(
            "/api/v1/hosts",
            &admin,
            json!({ "name": "web-01", "address": "10.0.0.9" }),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    // Cloud metadata is denied by default, by IP and by name.
    for address in ["169.254.169.254", "metadata.google.internal", "fe80::1"] {
        let (status, body) = app
            .post(
                "/api/v1/hosts",
                &admin,
                json!({ "name": "meta", "address": address }),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body["details"]["fields"]["address"]
                .as_str()
                .unwrap()
                .contains("target policy"),
            "{body}"
        );
    }

    let url = format!("/api/v1/hosts/{id}");
    let (status, updated) = patch(
        &app,
        &admin,
        &url,
        json!({ "version": 1, "port": 2222, "tags": { "role": "db" } }),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["port"], 2222);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["description"], "front", "absent fields are kept");
    let (status, _) = patch(&app, &admin, &url, json!({ "version": 1, "port": 2223 })).await;
    assert_eq!(status, 409);

    // A viewer reads but cannot change.
    let viewer = app.user_token(&admin, "vic", "viewer").await;
    let (status, _) = app.get(&url, &viewer).await;
    assert_eq!(status, 200);
    let (status, _) = patch(&app, &viewer, &url, json!({ "version": 2, "port": 1 })).await;
    assert_eq!(status, 403);

    let (status, _) = json_of(app.call(Method::DELETE, &url, Some(&admin), None).await).await;
    assert_eq!(status, 204);
    let (status, body) = app.get(&url, &admin).await;
    assert_eq!(status, 404, "{body}");

    let created = audit(&app, &admin, "host.create").await;
    assert_eq!(created.len(), 1);
    let update = &audit(&app, &admin, "host.update").await[0];
    assert_eq!(update["diff"]["port"]["from"], 22);
    assert_eq!(update["diff"]["port"]["to"], 2222);
    assert!(
        update["diff"].get("description").is_none(),
        "only changes are recorded"
    );
    assert_eq!(audit(&app, &admin, "host.delete").await.len(), 1);
    app.cleanup().await;
}

async fn the_list_filters_sorts_pages_and_counts_facets(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    for i in 0..12 {
        let env = ["prod", "stage", "dev"][i % 3];
        let os = if i % 2 == 0 { "linux" } else { "windows" };
        create_host(
            &app,
            &admin,
            json!({ "name": format!("node-{i:02}"), "address": format!("10.0.0.{}", i + 1),
                    "port": 1000 + i, "environment": env, "os": os,
                    "tags": { "tier": if i < 4 { "db" } else { "web" }, "idx": i.to_string() },
                    "description": if i == 7 { "the Special one" } else { "" } }),
        )
        .await;
    }
    let list = |q: &str| {
        let app = &app;
        let admin = &admin;
        let q = q.to_owned();
        async move {
            let (status, body) = app.get(&format!("/api/v1/hosts?{q}"), admin).await;
            assert_eq!(status, 200, "{q}: {body}");
            body
        }
    };
    let names = |b: &Value| -> Vec<String> {
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = list("").await;
    assert_eq!(all["total"], 12);
    assert_eq!(names(&all)[0], "node-00");

    let b = list("q=special").await;
    assert_eq!(names(&b), ["node-07"]);
    let b = list("q=10.0.0.1").await;
    assert_eq!(b["total"], 4, "10.0.0.1, .10, .11, .12");

    let b = list("environment=prod,dev").await;
    assert_eq!(b["total"], 8);
    let b = list("tag=tier=db").await;
    assert_eq!(b["total"], 4);
    let b = list("tag=tier=web,idx=5").await;
    assert_eq!(names(&b), ["node-05"]);
    let b = list("tag=idx").await;
    assert_eq!(b["total"], 12);
    let b = list("tag=nope").await;
    assert_eq!(b["total"], 0);

    let b = list("sort=-port&limit=3").await;
    assert_eq!(names(&b), ["node-11", "node-10", "node-09"]);
    assert_eq!(b["total"], 12);
    let b = list("sort=-port&limit=3&offset=3").await;
    assert_eq!(names(&b), ["node-08", "node-07", "node-06"]);
    let b = list("sort=environment&limit=12").await;
    assert_eq!(b["items"][0]["environment"], "dev");

    // Facets: each dimension ignores its own filter, honours the others.
    let b = list("environment=prod&os=linux").await;
    assert_eq!(b["total"], 2, "prod: 0,3,6,9 → linux: 0,6");
    let env = &b["facets"]["environment"];
    let count = |facet: &Value, v: &str| {
        facet
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["value"] == v)
            .map(|f| f["count"].as_u64().unwrap())
            .unwrap_or(0)
    };
    assert_eq!(count(env, "prod"), 2);
    assert_eq!(count(env, "stage"), 2);
    assert_eq!(count(env, "dev"), 2);
    assert_eq!(count(&b["facets"]["os"], "linux"), 2);
    assert_eq!(count(&b["facets"]["os"], "windows"), 2);
    assert_eq!(count(&b["facets"]["status"], "unknown"), 2);

    // "Not set" is selectable too.
    create_host(
        &app,
        &admin,
        json!({ "name": "bare", "address": "10.0.1.1" }),
    )
    .await;
    let b = list("environment=(none)").await;
    assert_eq!(names(&b), ["bare"]);
    let b = list("environment=(none),dev&os=(none)").await;
    assert_eq!(names(&b), ["bare"]);
    assert_eq!(count(&b["facets"]["environment"], ""), 1, "{b}");
    let (status, body) = app.get("/api/v1/hosts?status=sideways", &admin).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app.get("/api/v1/hosts?sort=password", &admin).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["details"]["fields"]["sort"].is_string());
    app.cleanup().await;
}

async fn bulk_changes_are_all_or_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let h = create_host(
            &app,
            &admin,
            json!({ "name": format!("b{i}"), "address": format!("10.1.0.{i}"), "tags": { "old": "x" } }),
        )
        .await;
        ids.push(h["id"].as_str().unwrap().to_owned());
    }
    let (status, body) = app
        .post(
            "/api/v1/hosts/bulk-update",
            &admin,
            json!({ "ids": ids, "add_tags": { "team": "ops" }, "remove_tags": ["old"], "environment": "prod" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["applied"], true);
    let (_, list) = app
        .get("/api/v1/hosts?tag=team=ops&environment=prod", &admin)
        .await;
    assert_eq!(list["total"], 3);
    assert!(list["items"][0]["tags"].get("old").is_none());

    // One invalid value → nothing changes, and the reason is given per host.
    let (status, body) = app
        .post(
            "/api/v1/hosts/bulk-update",
            &admin,
            json!({ "ids": ids, "environment": "not valid!" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["applied"], false);
    assert!(body["items"][0]["error"]
        .as_str()
        .unwrap()
        .contains("environment"));
    let (_, list) = app.get("/api/v1/hosts?environment=prod", &admin).await;
    assert_eq!(list["total"], 3);

    let missing = uuid::Uuid::now_v7().to_string();
    let (status, body) = app
        .post(
            "/api/v1/hosts/bulk-delete",
            &admin,
            json!({ "ids": [ids[0], ids[1], missing] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["deleted"].as_array().unwrap().len(), 2);
    assert_eq!(body["missing"][0], missing.as_str());
    let (_, list) = app.get("/api/v1/hosts", &admin).await;
    assert_eq!(list["total"], 1);
    let (status, _) = app
        .post("/api/v1/hosts/bulk-delete", &admin, json!({ "ids": [] }))
        .await;
    assert_eq!(status, 422);
    assert_eq!(audit(&app, &admin, "host.bulk_update").await.len(), 1);
    assert_eq!(audit(&app, &admin, "host.bulk_delete").await.len(), 1);
    app.cleanup().await;
}

async fn imports_preview_per_line_then_apply_and_exports_round_trip(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    create_host(
        &app,
        &admin,
        json!({ "name": "existing", "address": "10.2.0.1" }),
    )
    .await;
    let csv = "name,address,port,environment,tags\n\
               web1,10.2.0.10,22,prod,role=web\n\
               web2,-oProxyCommand=x,22,prod,\n\
               existing,10.2.0.2,22,,\n\
               web3,10.2.0.11,notaport,,\n\
               web1,10.2.0.12,22,,\n\
               meta,169.254.169.254,80,,\n";
    let preview = |dry_run: bool| {
        let app = &app;
        let admin = &admin;
        async move {
            let (status, body) = app
                .post(
                    "/api/v1/hosts/import",
                    admin,
                    json!({ "format": "csv", "content": csv, "dry_run": dry_run }),
                )
                .await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let report = preview(true).await;
    assert_eq!(report["applied"], false);
    assert_eq!(
        report["summary"],
        json!({ "create": 1, "update": 1, "unchanged": 0, "reject": 4 })
    );
    let lines = report["lines"].as_array().unwrap();
    let line = |n: u64| lines.iter().find(|l| l["line"] == n).unwrap();
    assert_eq!(line(2)["action"], "create");
    assert_eq!(line(3)["action"], "reject");
    assert!(line(3)["errors"]["address"]
        .as_str()
        .unwrap()
        .contains("option"));
    assert_eq!(line(4)["action"], "update");
    assert_eq!(line(4)["changes"], json!(["address"]));
    assert!(line(5)["errors"]["port"].is_string());
    assert!(line(6)["errors"]["name"]
        .as_str()
        .unwrap()
        .contains("line 2"));
    assert!(line(7)["errors"]["address"]
        .as_str()
        .unwrap()
        .contains("target policy"));
    let (_, list) = app.get("/api/v1/hosts", &admin).await;
    assert_eq!(list["total"], 1, "a dry run writes nothing");

    let report = preview(false).await;
    assert_eq!(report["applied"], true);
    let (_, list) = app.get("/api/v1/hosts?sort=name", &admin).await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["address"], "10.2.0.2");
    assert_eq!(list["items"][1]["tags"]["role"], "web");
    let imported = &audit(&app, &admin, "host.import").await[0];
    assert_eq!(imported["diff"]["created"], 1);
    assert_eq!(imported["diff"]["rejected"], 4);

    // An Ansible INI inventory: ranges, group vars, children.
    let ini = "[db]\ndb[1:2] ansible_host=10.2.1.1 ansible_port=2200\n\n[db:vars]\ntier=data\nansible_become_pass=hunter2\n";
    let (status, report) = app
        .post(
            "/api/v1/hosts/import",
            &admin,
            json!({ "format": "ansible_ini", "content": ini }),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["summary"]["create"], 2);
    let (_, db1) = app.get("/api/v1/hosts?q=db1", &admin).await;
    let db1 = &db1["items"][0];
    assert_eq!(db1["port"], 2200);
    assert_eq!(db1["tags"]["tier"], "data");
    assert!(db1["tags"].get("group.db").is_some());
    assert!(!db1.to_string().contains("hunter2"));

    // Export then re-import: nothing changes.
    for format in ["csv", "json", "yaml"] {
        let r = app
            .call(
                Method::GET,
                &format!("/api/v1/hosts/export?format={format}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("hosts."));
        let text = r.text().await.unwrap();
        let (status, report) = app
            .post(
                "/api/v1/hosts/import",
                &admin,
                json!({ "format": format, "content": text, "dry_run": true }),
            )
            .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["summary"]["unchanged"], 4, "{format}: {report}");
        assert_eq!(report["summary"]["reject"], 0, "{format}: {report}");
    }
    let r = app
        .call(
            Method::GET,
            "/api/v1/hosts/export?format=ansible_ini&tag=tier=data",
            Some(&admin),
            None,
        )
        .await;
    let text = r.text().await.unwrap();
    assert!(
        text.contains("db1 ansible_host=10.2.1.1 ansible_port=2200"),
        "{text}"
    );
    assert!(!text.contains("web1"), "the filter applies to exports");

    let (status, body) = app
        .post(
            "/api/v1/hosts/import",
            &admin,
            json!({ "format": "yaml", "content": "- [unclosed" }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["details"]["fields"]["content"].is_string());
    app.cleanup().await;
}

async fn put_inventory_settings(
    app: &TestApp,
    token: &str,
    change: impl FnOnce(&mut Value),
) -> (reqwest::StatusCode, Value) {
    let (status, mut s) = app.get("/api/v1/inventory/settings", token).await;
    assert_eq!(status, 200, "{s}");
    change(&mut s);
    json_of(
        app.call(
            Method::PUT,
            "/api/v1/inventory/settings",
            Some(token),
            Some(s),
        )
        .await,
    )
    .await
}

async fn the_target_policy_is_configurable_and_guards_the_product_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    // The product's own socket is never a target.
    let (status, body) = app
        .post(
            "/api/v1/hosts",
            &admin,
            json!({ "name": "self", "address": app.addr.ip().to_string(), "port": app.addr.port() }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["details"]["fields"]["address"]
        .as_str()
        .unwrap()
        .contains("IT Manager itself"));

    let (status, s) = put_inventory_settings(&app, &admin, |s| {
        s["target_deny"]
            .as_array_mut()
            .unwrap()
            .push(json!("10.0.0.0/8"));
        s["target_allow"] = json!(["10.0.0.0/8", "192.168.0.0/16", "*.corp.example"]);
    })
    .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["version"], 1);
    for (address, ok) in [
        ("10.1.1.1", false),
        ("192.168.1.1", true),
        ("172.16.0.1", false),
        ("db.corp.example", true),
    ] {
        let (status, body) = app
            .post(
                "/api/v1/hosts",
                &admin,
                json!({ "name": format!("p-{}", address.replace('.', "-")), "address": address }),
            )
            .await;
        assert_eq!(status == 201, ok, "{address}: {body}");
    }
    let (status, body) = put_inventory_settings(&app, &admin, |s| {
        s["target_deny"] = json!(["not a network"]);
        s["check_concurrency"] = json!(0);
    })
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["details"]["fields"]["target_deny"].is_string());
    assert!(body["details"]["fields"]["check_concurrency"].is_string());
    let (status, _) = put_inventory_settings(&app, &admin, |s| s["version"] = json!(0)).await;
    assert_eq!(status, 409, "stale version");
    let operator = app.user_token(&admin, "opal", "operator").await;
    let (status, _) = put_inventory_settings(&app, &operator, |_| {}).await;
    assert_eq!(status, 403);
    assert_eq!(
        audit(&app, &admin, "inventory_settings.update").await.len(),
        1
    );
    app.cleanup().await;
}

async fn secret(app: &TestApp, token: &str, body: Value) -> String {
    let (status, s) = app.post("/api/v1/secrets", token, body).await;
    assert_eq!(status, 201, "{s}");
    s["id"].as_str().unwrap().to_owned()
}

async fn wait_checked(app: &TestApp, token: &str, id: &str, after: Option<&str>) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, h) = app.get(&format!("/api/v1/hosts/{id}"), token).await;
        assert_eq!(status, 200, "{h}");
        let at = h["last_check_at"].as_str();
        if at.is_some() && at != after {
            return h;
        }
        assert!(
            Instant::now() < deadline,
            "host {id} was never checked: {h}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn fast_checks(app: &TestApp, admin: &str) {
    let (status, body) = put_inventory_settings(app, admin, |s| {
        s["check_timeout_seconds"] = json!(2);
        s["check_interval_seconds"] = json!(0);
    })
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn status_checks_against_real_sshd_hosts(backend: Backend) {
    let mut fleet = Fleet::start(3);
    let silent = Silent::start();
    let closed = closed_port();
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    fast_checks(&app, &admin).await;
    let keys = client_keys();
    secret(&app, &admin, json!({ "name": "fleet-pw", "kind": "ssh_credential", "username": USER, "value": PASSWORD })).await;
    secret(
        &app,
        &admin,
        json!({ "name": "fleet-key", "kind": "ssh_key", "value": keys.ed25519 }),
    )
    .await;
    secret(&app, &admin, json!({ "name": "fleet-by-key", "kind": "ssh_credential", "username": USER, "key_secret": "fleet-key" })).await;
    secret(&app, &admin, json!({ "name": "wrong-pw", "kind": "ssh_credential", "username": USER, "value": "not-the-password" })).await;
    secret(
        &app,
        &admin,
        json!({ "name": "stranger-key", "kind": "ssh_key", "value": keys.stranger }),
    )
    .await;
    secret(&app, &admin, json!({ "name": "wrong-key", "kind": "ssh_credential", "username": USER, "key_secret": "stranger-key" })).await;
    fleet.hosts[2].stop();
    let addrs: Vec<(String, u16)> = fleet
        .hosts
        .iter()
        .map(|h| (h.ip.to_string(), h.port))
        .collect();
    let h = |i: usize| {
        struct A {
            ip: String,
            port: u16,
        }
        A {
            ip: addrs[i].0.clone(),
            port: addrs[i].1,
        }
    };
    let cases = [
        (
            "up-password",
            h(0).ip.to_string(),
            h(0).port,
            "ssh",
            Some("fleet-pw"),
            "online",
            "",
        ),
        (
            "up-key",
            h(1).ip.to_string(),
            h(1).port,
            "ssh",
            Some("fleet-by-key"),
            "online",
            "",
        ),
        (
            "down",
            h(2).ip.to_string(),
            h(2).port,
            "ssh",
            Some("fleet-pw"),
            "offline",
            "cannot connect",
        ),
        (
            "wrong-password",
            h(0).ip.to_string(),
            h(0).port,
            "ssh",
            Some("wrong-pw"),
            "offline",
            "authentication failed",
        ),
        (
            "wrong-key",
            h(1).ip.to_string(),
            h(1).port,
            "ssh",
            Some("wrong-key"),
            "offline",
            "authentication failed",
        ),
        (
            "no-credential",
            h(1).ip.to_string(),
            h(1).port,
            "ssh",
            None,
            "unknown",
            "no credential",
        ),
        (
            "tcp-up",
            h(0).ip.to_string(),
            h(0).port,
            "tcp",
            None,
            "online",
            "",
        ),
        (
            "tcp-closed",
            closed.ip().to_string(),
            closed.port(),
            "tcp",
            None,
            "offline",
            "cannot connect",
        ),
        (
            "silent",
            silent.addr.ip().to_string(),
            silent.addr.port(),
            "ssh",
            Some("fleet-pw"),
            "offline",
            "timed out",
        ),
    ];
    let mut ids = Vec::new();
    for (name, ip, port, method, cred, _, _) in &cases {
        let host = create_host(
            &app,
            &admin,
            json!({ "name": name, "address": ip, "port": port, "check_method": method, "credential": cred }),
        )
        .await;
        ids.push(host["id"].as_str().unwrap().to_owned());
    }
    let (status, body) = app
        .post("/api/v1/hosts/check", &admin, json!({ "ids": ids }))
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["started"], cases.len());
    for (i, (name, _, _, _, _, want, error)) in cases.iter().enumerate() {
        let host = wait_checked(&app, &admin, &ids[i], None).await;
        assert_eq!(host["status"], *want, "{name}: {host}");
        let last_error = host["last_error"].as_str().unwrap_or("");
        assert!(
            last_error.contains(error),
            "{name}: {last_error:?} should mention {error:?}"
        );
        if *want == "online" {
            assert!(host["latency_ms"].as_f64().unwrap() >= 0.0);
        }
    }
    // The host key was recorded on first contact by the ssh check.
    let (_, up) = app.get(&format!("/api/v1/hosts/{}", ids[0]), &admin).await;
    assert!(up["host_key_fingerprint"]
        .as_str()
        .unwrap()
        .starts_with("SHA256:"));
    let (_, tcp) = app.get(&format!("/api/v1/hosts/{}", ids[6]), &admin).await;
    assert!(
        tcp["host_key_fingerprint"].is_null(),
        "tcp checks do not touch host keys"
    );

    // The stopped host comes back: the transition is recorded in the history.
    fleet.hosts[2].start();
    let before = wait_checked(&app, &admin, &ids[2], None).await;
    let (status, _) = app
        .post(
            &format!("/api/v1/hosts/{}/check", ids[2]),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(status, 202);
    let after = wait_checked(&app, &admin, &ids[2], before["last_check_at"].as_str()).await;
    assert_eq!(after["status"], "online", "{after}");
    let (_, history) = app
        .get(&format!("/api/v1/hosts/{}/status-history", ids[2]), &admin)
        .await;
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{history}");
    assert_eq!(items[0]["status"], "online");
    assert_eq!(items[0]["previous"], "offline");
    assert_eq!(items[1]["previous"], "unknown");

    // Status facets follow.
    let (_, list) = app.get("/api/v1/hosts?status=online", &admin).await;
    assert_eq!(list["total"], 4, "{list}");

    // Ping on loopback: online, or plainly unavailable (unknown), never a fake "offline".
    let pinged = create_host(
        &app,
        &admin,
        json!({ "name": "ping", "address": h(0).ip.to_string(), "check_method": "ping" }),
    )
    .await;
    let pid = pinged["id"].as_str().unwrap();
    app.post(&format!("/api/v1/hosts/{pid}/check"), &admin, json!({}))
        .await;
    let pinged = wait_checked(&app, &admin, pid, None).await;
    match pinged["status"].as_str().unwrap() {
        "online" => {}
        "unknown" => assert!(pinged["last_error"]
            .as_str()
            .unwrap()
            .contains("ping is unavailable")),
        other => panic!("ping on loopback gave {other}: {pinged}"),
    }

    // "Test connection" before saving.
    let (status, r) = app
        .post(
            "/api/v1/hosts/test-connection",
            &admin,
            json!({ "address": h(0).ip.to_string(), "port": h(0).port, "check_method": "ssh", "credential": "fleet-pw" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "online", "{r}");
    let (status, r) = app
        .post(
            "/api/v1/hosts/test-connection",
            &admin,
            json!({ "address": "169.254.169.254" }),
        )
        .await;
    assert_eq!(status, 422, "{r}");
    app.cleanup().await;
}

async fn a_changed_host_key_is_refused_and_results_are_pushed_live(backend: Backend) {
    let fleet = Fleet::start(2);
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    fast_checks(&app, &admin).await;
    secret(
        &app,
        &admin,
        json!({ "name": "pw", "kind": "ssh_credential", "username": USER, "value": PASSWORD }),
    )
    .await;
    let h = &fleet.hosts[0];
    let host = create_host(
        &app,
        &admin,
        json!({ "name": "keyed", "address": h.ip.to_string(), "port": h.port, "check_method": "ssh", "credential": "pw" }),
    )
    .await;
    let id = host["id"].as_str().unwrap().to_owned();

    // Open the live stream first, then check: the result arrives on it.
    let mut events = app
        .client
        .get(app.url("/api/v1/hosts/events"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    assert!(events.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    app.post(&format!("/api/v1/hosts/{id}/check"), &admin, json!({}))
        .await;
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !(seen.contains("event: host.status")
        && seen.contains(&id)
        && seen.contains("\"online\""))
    {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, events.chunk())
            .await
            .expect("no live update within 15 s")
            .unwrap()
            .expect("stream ended");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    drop(events);
    let first = wait_checked(&app, &admin, &id, None).await;
    assert_eq!(first["status"], "online");

    // Someone swaps the machine: the recorded key no longer matches → refused, clearly.
    let other_key = &fleet.hosts[1].host_key;
    itmgr_storage::repo::hosts::replace_host_key(
        app.state.db.conn(),
        id.parse().unwrap(),
        Some((other_key, "SHA256:other")),
    )
    .await
    .unwrap();
    app.post(&format!("/api/v1/hosts/{id}/check"), &admin, json!({}))
        .await;
    let second = wait_checked(&app, &admin, &id, first["last_check_at"].as_str()).await;
    assert_eq!(second["status"], "offline", "{second}");
    assert!(
        second["last_error"]
            .as_str()
            .unwrap()
            .contains("host key changed"),
        "{second}"
    );
    app.cleanup().await;
}

async fn credentials_in_use_by_hosts_are_protected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let cred = secret(&app, &admin, json!({ "name": "deploy", "kind": "ssh_credential", "username": "deploy", "value": "pw-123456" })).await;
    let pw = secret(
        &app,
        &admin,
        json!({ "name": "plain", "kind": "password", "value": "pw-123456" }),
    )
    .await;
    let host = create_host(
        &app,
        &admin,
        json!({ "name": "uses-cred", "address": "10.3.0.1", "credential": "deploy" }),
    )
    .await;
    assert_eq!(host["credential_id"], cred.as_str());
    assert_eq!(host["credential_name"], "deploy");
    let (status, body) = app
        .post(
            "/api/v1/hosts",
            &admin,
            json!({ "name": "x", "address": "10.3.0.2", "credential": pw }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["details"]["fields"]["credential"]
        .as_str()
        .unwrap()
        .contains("ssh_credential"));
    let (status, body) = app
        .post(
            "/api/v1/hosts",
            &admin,
            json!({ "name": "x", "address": "10.3.0.2", "credential": "nope" }),
        )
        .await;
    assert_eq!(status, 422, "{body}");

    let (_, usage) = app
        .get(&format!("/api/v1/secrets/{cred}/usage"), &admin)
        .await;
    assert_eq!(usage["items"], json!(["host:uses-cred"]));
    let (_, list) = app
        .get(&format!("/api/v1/hosts?credential={cred}"), &admin)
        .await;
    assert_eq!(list["total"], 1);
    let (status, body) = json_of(
        app.call(
            Method::DELETE,
            &format!("/api/v1/secrets/{cred}"),
            Some(&admin),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("host:uses-cred"));
    let (status, _) = json_of(
        app.call(
            Method::DELETE,
            &format!("/api/v1/secrets/{cred}?force=true"),
            Some(&admin),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 204);
    let (_, h) = app
        .get(
            &format!("/api/v1/hosts/{}", host["id"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert!(
        h["credential_id"].is_null(),
        "a force-deleted credential is detached: {h}"
    );
    app.cleanup().await;
}

async fn periodic_checks_reach_every_host_within_the_interval(backend: Backend) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in listener.incoming() {
            drop(s);
        }
    });
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let (status, body) = put_inventory_settings(&app, &admin, |s| {
        s["check_interval_seconds"] = json!(10);
        s["check_timeout_seconds"] = json!(2);
    })
    .await;
    assert_eq!(status, 200, "{body}");
    let mut ids = Vec::new();
    for i in 0..5 {
        let h = create_host(
            &app,
            &admin,
            json!({ "name": format!("p{i}"), "address": "127.0.0.1", "port": port, "check_method": "tcp" }),
        )
        .await;
        ids.push(h["id"].as_str().unwrap().to_owned());
    }
    let started = Instant::now();
    let task = tokio::spawn(itmgr_api::services::checks::run_periodic(app.state.clone()));
    for id in &ids {
        let h = wait_checked(&app, &admin, id, None).await;
        assert_eq!(h["status"], "online", "{h}");
    }
    // Every host once per interval, spread over it (hashed phases), not all at the start.
    assert!(
        started.elapsed() <= Duration::from_secs(12),
        "took {:?}",
        started.elapsed()
    );
    task.abort();
    app.cleanup().await;
}

async fn old_devices_are_reached_only_when_marked_legacy(backend: Backend) {
    let fleet = Fleet::start_with(
        1,
        "KexAlgorithms diffie-hellman-group14-sha1\nCiphers aes128-cbc\nMACs hmac-sha1\n",
    );
    let h = &fleet.hosts[0];
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    fast_checks(&app, &admin).await;
    secret(
        &app,
        &admin,
        json!({ "name": "pw", "kind": "ssh_credential", "username": USER, "value": PASSWORD }),
    )
    .await;
    let host = create_host(
        &app,
        &admin,
        json!({ "name": "old-switch", "address": h.ip.to_string(), "port": h.port, "check_method": "ssh", "credential": "pw" }),
    )
    .await;
    assert_eq!(host["legacy_ssh"], false);
    let id = host["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/hosts/{id}/check"), &admin, json!({}))
        .await;
    let first = wait_checked(&app, &admin, &id, None).await;
    assert_eq!(
        first["status"], "offline",
        "modern algorithms only: {first}"
    );
    let (status, updated) = patch(
        &app,
        &admin,
        &format!("/api/v1/hosts/{id}"),
        json!({ "version": first["version"], "legacy_ssh": true }),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["legacy_ssh"], true);
    app.post(&format!("/api/v1/hosts/{id}/check"), &admin, json!({}))
        .await;
    let second = wait_checked(&app, &admin, &id, first["last_check_at"].as_str()).await;
    assert_eq!(second["status"], "online", "{second}");
    let update = &audit(&app, &admin, "host.update").await[0];
    assert_eq!(update["diff"]["legacy_ssh"]["to"], true);
    app.cleanup().await;
}
