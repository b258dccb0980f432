use crate::helpers::*;
use itmgr_api::services::secrets::{resolve, validate_references, SecretRef};
use reqwest::Method;
use serde_json::{json, Value};

on_both_databases!(
    secrets_are_write_only_and_revealed_only_with_the_password,
    secret_endpoints_follow_the_role_matrix,
    secret_values_never_appear_in_responses_or_the_audit_log,
    references_are_checked_at_save_time_and_resolved_for_runs,
    a_ciphertext_is_bound_to_its_row,
    a_wrong_master_key_stops_start_up,
    ssh_keys_are_parsed_fingerprinted_and_generated,
    ssh_credentials_reference_keys_and_keys_in_use_are_not_deleted,
    file_secrets_keep_bytes_name_size_and_digest,
);

const VALUE: &str = "s3cr3t-Value-For-Tests";

async fn create(app: &TestApp, token: &str, name: &str, kind: &str, value: &str) -> Value {
    let (status, body) = app
        .post(
            "/api/v1/secrets",
            token,
            json!({ "name": name, "kind": kind, "value": value, "tags": { "env": "prod" } }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

async fn secrets_are_write_only_and_revealed_only_with_the_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let secret = create(&app, &admin, "prod/db.password", "password", VALUE).await;
    let id = secret["id"].as_str().unwrap().to_owned();
    assert!(secret.get("value").is_none());
    assert_eq!(secret["tags"]["env"], "prod");
    assert_eq!(secret["value_version"], 1);

    let (status, body) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "prod/db.password", "kind": "token", "value": "x" }),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = app.post("/api/v1/secrets", &admin, json!({ "name": "bad name", "kind": "password", "value": "a\nb", "tags": { "bad key": "v" } })).await;
    assert_eq!(status, 422);
    for f in ["name", "value", "tags"] {
        assert!(body["details"]["fields"][f].is_string(), "{f}: {body}");
    }

    let reveal_url = format!("/api/v1/secrets/{id}/reveal");
    let reveal = |password: &str| app.post(&reveal_url, &admin, json!({ "password": password }));
    let (status, body) = reveal("not-my-password").await;
    assert_eq!(status, 422, "{body}");
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/secrets/{id}/reveal"),
            Some(&admin),
            Some(json!({ "password": ADMIN_PASSWORD })),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let (_, body) = json_of(r).await;
    assert_eq!(body["value"], VALUE);

    let reveals = audit(&app, &admin, "secret.reveal").await;
    assert_eq!(reveals.len(), 2);
    assert_eq!(reveals[0]["outcome"], "success");
    assert_eq!(reveals[1]["outcome"], "failure");

    // Replace the value: new version, old value gone.
    let (status, updated) = json_of(
        app.call(
            Method::PUT,
            &format!("/api/v1/secrets/{id}/value"),
            Some(&admin),
            Some(json!({ "version": 1, "value": "second-value-0002" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["value_version"], 2);
    let (_, body) = reveal(ADMIN_PASSWORD).await;
    assert_eq!(body["value"], "second-value-0002");
    let (status, _) = json_of(
        app.call(
            Method::PUT,
            &format!("/api/v1/secrets/{id}/value"),
            Some(&admin),
            Some(json!({ "version": 1, "value": "x" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "stale version");

    let (status, patched) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/secrets/{id}"),
            Some(&admin),
            Some(json!({ "version": 2, "description": "primary DB", "tags": {} })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["description"], "primary DB");
    let (_, list) = app
        .get("/api/v1/secrets?q=PRIMARY&kind=password", &admin)
        .await;
    assert_eq!(list["total"], 1);
    let (_, usage) = app
        .get(&format!("/api/v1/secrets/{id}/usage"), &admin)
        .await;
    assert_eq!(usage["total"], 0);

    assert_eq!(
        app.call(
            Method::DELETE,
            &format!("/api/v1/secrets/{id}"),
            Some(&admin),
            None
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        app.get(&format!("/api/v1/secrets/{id}"), &admin).await.0,
        404
    );
    app.cleanup().await;
}

async fn secret_endpoints_follow_the_role_matrix(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let operator = app.user_token(&admin, "opal", "operator").await;
    let viewer = app.user_token(&admin, "vic", "viewer").await;
    let id = create(&app, &admin, "api-token", "token", VALUE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for token in [&operator, &viewer] {
        assert_eq!(
            app.get("/api/v1/secrets", token).await.0,
            200,
            "metadata is visible"
        );
        assert_eq!(
            app.get(&format!("/api/v1/secrets/{id}"), token).await.0,
            200
        );
        let (status, _) = app
            .post(
                &format!("/api/v1/secrets/{id}/reveal"),
                token,
                json!({ "password": "a-fresh-password-123" }),
            )
            .await;
        assert_eq!(status, 403, "only administrators reveal");
        let (status, _) = app
            .post(
                "/api/v1/secrets",
                token,
                json!({ "name": "x", "kind": "text", "value": "y" }),
            )
            .await;
        assert_eq!(status, 403);
        assert_eq!(
            app.call(
                Method::DELETE,
                &format!("/api/v1/secrets/{id}"),
                Some(token),
                None
            )
            .await
            .status(),
            403
        );
    }
    app.cleanup().await;
}

async fn secret_values_never_appear_in_responses_or_the_audit_log(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let mut seen = String::new();
    let s = create(&app, &admin, "scan/me", "text", VALUE).await;
    seen.push_str(&s.to_string());
    let id = s["id"].as_str().unwrap();
    for path in [
        "/api/v1/secrets".to_owned(),
        format!("/api/v1/secrets/{id}"),
        format!("/api/v1/secrets/{id}/usage"),
        "/api/v1/dashboard".into(),
    ] {
        seen.push_str(&app.get(&path, &admin).await.1.to_string());
    }
    let (_, body) = json_of(
        app.call(
            Method::PUT,
            &format!("/api/v1/secrets/{id}/value"),
            Some(&admin),
            Some(json!({ "version": 1, "value": format!("{VALUE}-2") })),
        )
        .await,
    )
    .await;
    seen.push_str(&body.to_string());
    seen.push_str(
        &app.post(
            &format!("/api/v1/secrets/{id}/reveal"),
            &admin,
            json!({ "password": "wrong-password-xx" }),
        )
        .await
        .1
        .to_string(),
    );
    let (_, audit) = app.get("/api/v1/audit?limit=500", &admin).await;
    seen.push_str(&audit.to_string());
    let csv = app
        .call(Method::GET, "/api/v1/audit/export", Some(&admin), None)
        .await
        .text()
        .await
        .unwrap();
    seen.push_str(&csv);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    seen.push_str(&metrics);
    assert!(seen.contains("secret.create") && seen.contains("secret.value_replace"));
    assert!(!seen.contains(VALUE), "a secret value leaked");
    app.cleanup().await;
}

async fn references_are_checked_at_save_time_and_resolved_for_runs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let id = create(&app, &admin, "deploy/key", "token", VALUE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    validate_references(&app.state, "token={{ secret:deploy/key }}", "vars")
        .await
        .unwrap();
    validate_references(&app.state, &format!("t={{{{ secret:{id} }}}}"), "vars")
        .await
        .unwrap();
    let err = validate_references(&app.state, "t={{ secret:missing }}", "vars")
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("missing"));

    let operator = itmgr_auth::Principal::new(
        itmgr_domain::UserId::new(),
        "runner".into(),
        itmgr_domain::Role::Operator,
        itmgr_auth::PrincipalKind::Session(itmgr_domain::SessionId::new()),
    );
    let cap = operator.require::<itmgr_auth::perm::SecretsUse>().unwrap();
    let value = resolve(&app.state, &cap, &SecretRef::Name("deploy/key".into()))
        .await
        .unwrap();
    assert_eq!(value.value.as_str(), VALUE);
    let (_, meta) = app.get(&format!("/api/v1/secrets/{id}"), &admin).await;
    assert!(meta["last_used_at"].is_string(), "resolving stamps the use");
    app.cleanup().await;
}

async fn a_ciphertext_is_bound_to_its_row(backend: Backend) {
    use itmgr_storage::repo::secrets as repo;
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let a = create(&app, &admin, "a", "password", "value-of-a").await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let b = create(&app, &admin, "b", "password", "value-of-b").await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let conn = app.state.db.conn();
    let row_a = repo::find_by_id(conn, a).await.unwrap();
    // Copy a's envelope onto b: b must not decrypt to a's value.
    repo::replace_value(conn, b, 1, None, 2, row_a.envelope.clone(), json!({}))
        .await
        .unwrap();
    let (ok, failed) = itmgr_api::services::secrets::check_all(&app.state)
        .await
        .unwrap();
    assert_eq!((ok, failed), (1, vec![b]));
    let (status, body) = app
        .post(
            &format!("/api/v1/secrets/{b}/reveal"),
            &admin,
            json!({ "password": ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(status, 500);
    assert!(!body.to_string().contains("value-of-a"));
    app.cleanup().await;
}

async fn a_wrong_master_key_stops_start_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let db = app.state.db.clone();
    let err = itmgr_api::AppState::new(db.clone(), itmgr_api::ApiConfig::default(), &[8u8; 32])
        .await
        .err()
        .expect("a wrong key is refused");
    assert!(
        err.to_string().contains("ITMGR_MASTER_KEY does not match"),
        "{err}"
    );
    assert!(
        itmgr_api::AppState::new(db, itmgr_api::ApiConfig::default(), &[7u8; 32])
            .await
            .is_ok()
    );
    app.cleanup().await;
}

fn keygen(dir: &std::path::Path, name: &str, args: &[&str]) -> (String, String) {
    let path = dir.join(name);
    let status = std::process::Command::new("ssh-keygen")
        .args(args)
        .arg("-q")
        .arg("-C")
        .arg("itmgr-test")
        .arg("-f")
        .arg(&path)
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(path.with_extension("pub"))
        .output()
        .unwrap();
    let fingerprint = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_owned();
    (std::fs::read_to_string(&path).unwrap(), fingerprint)
}

async fn ssh_keys_are_parsed_fingerprinted_and_generated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let dir = tempfile::tempdir().unwrap();
    let (encrypted, fp_ed) = keygen(dir.path(), "ed", &["-t", "ed25519", "-N", "pass phrase 1"]);
    let (rsa_pem, fp_rsa) = keygen(
        dir.path(),
        "rsa",
        &["-t", "rsa", "-b", "2048", "-m", "PEM", "-N", ""],
    );
    let (ecdsa, fp_ec) = keygen(dir.path(), "ec", &["-t", "ecdsa", "-N", ""]);

    let (status, body) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "k/ed", "kind": "ssh_key", "value": encrypted }),
        )
        .await;
    assert_eq!(status, 422, "an encrypted key needs its passphrase: {body}");
    assert!(body["details"]["fields"]["value"]
        .as_str()
        .unwrap()
        .contains("passphrase"));
    let (status, body) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "k/ed", "kind": "ssh_key", "value": encrypted, "passphrase": "wrong" }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app.post("/api/v1/secrets", &admin, json!({ "name": "k/ed", "kind": "ssh_key", "value": encrypted, "passphrase": "pass phrase 1" })).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["fingerprint"],
        fp_ed.as_str(),
        "the same fingerprint as ssh-keygen -l"
    );
    assert_eq!(body["algorithm"], "ssh-ed25519");
    let ed_id = body["id"].as_str().unwrap().to_owned();

    for (name, key, fp) in [("k/rsa", &rsa_pem, &fp_rsa), ("k/ec", &ecdsa, &fp_ec)] {
        let (status, body) = app
            .post(
                "/api/v1/secrets",
                &admin,
                json!({ "name": name, "kind": "ssh_key", "value": key }),
            )
            .await;
        assert_eq!(status, 201, "{name}: {body}");
        assert_eq!(body["fingerprint"], fp.as_str(), "{name}");
        assert!(body["public_key"].as_str().unwrap().contains(' '));
    }
    let (status, body) = app.post("/api/v1/secrets", &admin, json!({ "name": "k/bad", "kind": "ssh_key", "value": "-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage-material\n-----END OPENSSH PRIVATE KEY-----" })).await;
    assert_eq!(status, 422);
    assert!(
        !body.to_string().contains("garbage-material"),
        "errors never echo key material"
    );

    let (status, generated) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "k/gen", "kind": "ssh_key", "generate": true }),
        )
        .await;
    assert_eq!(status, 201, "{generated}");
    assert!(generated["public_key"]
        .as_str()
        .unwrap()
        .starts_with("ssh-ed25519 "));
    let gen_id = generated["id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "p/gen", "kind": "password", "generate": true }),
        )
        .await;
    assert_eq!(status, 422);

    let (_, revealed) = app
        .post(
            &format!("/api/v1/secrets/{gen_id}/reveal"),
            &admin,
            json!({ "password": ADMIN_PASSWORD }),
        )
        .await;
    assert!(revealed["value"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
    assert!(revealed["passphrase"].is_null());
    let (_, revealed) = app
        .post(
            &format!("/api/v1/secrets/{ed_id}/reveal"),
            &admin,
            json!({ "password": ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(revealed["value"].as_str().unwrap().trim(), encrypted.trim());
    assert_eq!(revealed["passphrase"], "pass phrase 1");

    // Rotating the key pair: a new fingerprint, the old value gone.
    let (status, rotated) = json_of(
        app.call(
            Method::PUT,
            &format!("/api/v1/secrets/{gen_id}/value"),
            Some(&admin),
            Some(json!({ "version": 1, "generate": true })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{rotated}");
    assert_ne!(rotated["fingerprint"], generated["fingerprint"]);
    let (_, audit_all) = app.get("/api/v1/audit?limit=500", &admin).await;
    assert!(
        !audit_all.to_string().contains("PRIVATE KEY")
            && !audit_all.to_string().contains("pass phrase 1")
    );
    app.cleanup().await;
}

async fn ssh_credentials_reference_keys_and_keys_in_use_are_not_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let (_, key) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "keys/deploy", "kind": "ssh_key", "generate": true }),
        )
        .await;
    let key_id = key["id"].as_str().unwrap().to_owned();
    create(&app, &admin, "plain", "password", VALUE).await;

    for (body, field) in [
        (
            json!({ "name": "c", "kind": "ssh_credential", "username": "-oProxyCommand=x", "value": "pw-1" }),
            "username",
        ),
        (
            json!({ "name": "c", "kind": "ssh_credential", "username": "deploy" }),
            "value",
        ),
        (
            json!({ "name": "c", "kind": "ssh_credential", "username": "deploy", "key_secret": "plain" }),
            "key_secret",
        ),
        (
            json!({ "name": "c", "kind": "ssh_credential", "username": "deploy", "key_secret": "nope" }),
            "key_secret",
        ),
    ] {
        let (status, err) = app.post("/api/v1/secrets", &admin, body).await;
        assert_eq!(status, 422, "{err}");
        assert!(
            err["details"]["fields"][field].is_string(),
            "{field}: {err}"
        );
    }
    let (status, cred) = app
        .post("/api/v1/secrets", &admin, json!({ "name": "hosts/web", "kind": "ssh_credential", "username": "deploy", "key_secret": "keys/deploy", "become_password": "Sudo-Pass-77" }))
        .await;
    assert_eq!(status, 201, "{cred}");
    assert_eq!(cred["username"], "deploy");
    assert_eq!(cred["key_secret_id"], key_id.as_str());
    assert!(!cred.to_string().contains("Sudo-Pass-77"));

    let (_, usage) = app
        .get(&format!("/api/v1/secrets/{key_id}/usage"), &admin)
        .await;
    assert_eq!(usage["items"], json!(["secret:hosts/web"]));
    let (status, body) = json_of(
        app.call(
            Method::DELETE,
            &format!("/api/v1/secrets/{key_id}"),
            Some(&admin),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "a key in use is not deleted: {body}");
    assert!(body["message"].as_str().unwrap().contains("hosts/web"));

    let (_, revealed) = app
        .post(
            &format!("/api/v1/secrets/{}/reveal", cred["id"].as_str().unwrap()),
            &admin,
            json!({ "password": ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(revealed["username"], "deploy");
    assert_eq!(revealed["become_password"], "Sudo-Pass-77");
    assert_eq!(revealed["value"], "");

    let runner = itmgr_auth::Principal::new(
        itmgr_domain::UserId::new(),
        "runner".into(),
        itmgr_domain::Role::Operator,
        itmgr_auth::PrincipalKind::Session(itmgr_domain::SessionId::new()),
    );
    let cap = runner.require::<itmgr_auth::perm::SecretsUse>().unwrap();
    let resolved = resolve(&app.state, &cap, &SecretRef::Name("hosts/web".into()))
        .await
        .unwrap();
    assert_eq!(resolved.username.as_deref(), Some("deploy"));
    assert_eq!(
        resolved.become_password.as_deref().map(|s| s.as_str()),
        Some("Sudo-Pass-77")
    );

    assert_eq!(
        app.call(
            Method::DELETE,
            &format!("/api/v1/secrets/{key_id}?force=true"),
            Some(&admin),
            None
        )
        .await
        .status(),
        204
    );
    let deletes = audit(&app, &admin, "secret.delete").await;
    assert_eq!(deletes[0]["diff"]["forced"], true);
    app.cleanup().await;
}

async fn file_secrets_keep_bytes_name_size_and_digest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    // "apiVersion: v1\nkind: Config\n" with a NUL byte: any bytes survive.
    let content_b64 = "YXBpVmVyc2lvbjogdjEKa2luZDogQ29uZmlnCgA=";
    let (status, body) = app.post("/api/v1/secrets", &admin, json!({ "name": "k8s/prod", "kind": "file", "file_name": "../kubeconfig", "value": "not base64!" })).await;
    assert_eq!(status, 422);
    assert!(
        body["details"]["fields"]["file_name"].is_string()
            && body["details"]["fields"]["value"].is_string(),
        "{body}"
    );
    let (status, file) = app.post("/api/v1/secrets", &admin, json!({ "name": "k8s/prod", "kind": "file", "file_name": "kubeconfig", "value": content_b64 })).await;
    assert_eq!(status, 201, "{file}");
    assert_eq!(file["file_name"], "kubeconfig");
    assert_eq!(file["size"], 29);
    assert_eq!(file["sha256"].as_str().unwrap().len(), 64);
    let (_, revealed) = app
        .post(
            &format!("/api/v1/secrets/{}/reveal", file["id"].as_str().unwrap()),
            &admin,
            json!({ "password": ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(revealed["value"], content_b64);
    assert_eq!(revealed["file_name"], "kubeconfig");
    let too_big = "A".repeat(1_500_000);
    let (status, _) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "big", "kind": "file", "file_name": "big.bin", "value": too_big }),
        )
        .await;
    assert_eq!(status, 422);
    app.cleanup().await;
}
