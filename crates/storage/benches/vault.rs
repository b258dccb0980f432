//! Vault throughput: encrypt + store, and load + decrypt, in secrets per second,
//! on SQLite (file) and PostgreSQL. Run: `cargo bench -p itmgr-storage --bench vault`
//! (`ITMGR_BENCH_SECRETS` sets the count; `ITMGR_TEST_DATABASE_URL` the PostgreSQL server).

use itmgr_domain::{SecretId, SecretKind};
use itmgr_storage::repo::secrets::{self, NewSecret};
use itmgr_storage::{Db, TransactionTrait};
use itmgr_vault::{Binding, KeyRing};
use std::time::Instant;

async fn run(label: &str, url: &str, n: usize) {
    let db = Db::connect(url, 4).await.expect("connect");
    db.migrate().await.expect("migrate");
    let ring = KeyRing::from_master_key(&[9u8; 32]);
    let value = "correct-horse-battery-staple-0123456789";

    let started = Instant::now();
    for batch in (0..n).collect::<Vec<_>>().chunks(500) {
        // Batched in transactions, as an import would be.
        let txn = db.conn().begin().await.expect("begin");
        for i in batch {
            let id = SecretId::new();
            let id_text = id.to_string();
            let envelope = ring.seal(
                Binding {
                    secret_id: &id_text,
                    kind: "password",
                    value_version: 1,
                },
                value.as_bytes(),
            );
            secrets::insert(
                &txn,
                NewSecret {
                    id,
                    name: format!("bench/{i}"),
                    kind: SecretKind::Password,
                    description: String::new(),
                    tags: Default::default(),
                    metadata: serde_json::json!({}),
                    envelope,
                    created_by: None,
                    expires_at: None,
                },
            )
            .await
            .expect("insert");
        }
        txn.commit().await.expect("commit");
    }
    let store = started.elapsed();

    let started = Instant::now();
    let all = secrets::all(db.conn()).await.expect("load");
    let mut bytes = 0;
    for s in &all {
        let id = s.id.to_string();
        let plain = ring
            .open(
                Binding {
                    secret_id: &id,
                    kind: s.kind.as_str(),
                    value_version: s.value_version,
                },
                &s.envelope,
            )
            .expect("open");
        bytes += plain.len();
    }
    let load = started.elapsed();
    assert_eq!(bytes, n * value.len());

    let started = Instant::now();
    for s in all.iter().take(1000) {
        let _ = secrets::find_by_id(db.conn(), s.id).await.expect("find");
    }
    let single = started.elapsed() / all.len().min(1000) as u32;

    println!(
        "{label:<10} encrypt+store {:>8.0} secrets/s | load+decrypt {:>8.0} secrets/s | one lookup {:>6.0} µs",
        n as f64 / store.as_secs_f64(),
        n as f64 / load.as_secs_f64(),
        single.as_secs_f64() * 1e6,
    );
}

fn main() {
    let n: usize = std::env::var("ITMGR_BENCH_SECRETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("tempdir");
        run(
            "sqlite",
            &format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
            n,
        )
        .await;
        let admin = std::env::var("ITMGR_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("itmgr_bench_{}", std::process::id());
        let conn = sea_orm::Database::connect(&admin).await.expect("postgres");
        use sea_orm::ConnectionTrait;
        conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create db");
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b.to_owned())
            .expect("url");
        run("postgres", &format!("{base}/{name}"), n).await;
        let _ = conn
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await;
    });
    println!(
        "{n} password secrets of 39 bytes; XChaCha20-Poly1305 with a fresh data key per value"
    );
}
