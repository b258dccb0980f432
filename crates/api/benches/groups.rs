//! Rule evaluation over 100,000 hosts, in memory and compiled to SQL, on SQLite and PostgreSQL;
//! and how long membership takes to follow a host update (10 dynamic groups) and a rule change.
//!
//! Run: `cargo bench -p itmgr-api --bench groups` (PostgreSQL at ITMGR_TEST_DATABASE_URL).

use itmgr_api::services::membership::{self, HostFacts};
use itmgr_domain::{GroupKind, HostAddress, HostName, Label, Port};
use itmgr_storage::repo::groups::{self as groups_repo, GroupFields};
use itmgr_storage::repo::hosts::{self as hosts_repo, HostFields, HostFilter};
use itmgr_storage::repo::rule_sql::GroupSets;
use itmgr_storage::{commit, ConnectionTrait, Db};
use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

const HOSTS: usize = 100_000;
const RULES: &[(&str, &str)] = &[
    ("simple", r#"environment == "prod""#),
    ("tag and port", r#"tags.role == "db" AND port == 22"#),
    (
        "issue example",
        r#"(environment in ["prod","stage"] OR tags.tier =~ "^db") AND NOT status == "offline""#,
    ),
    (
        "numeric tag range",
        r#"tags.rack >= 10 AND tags.rack < 20 AND os == "linux""#,
    ),
];

fn fields(i: usize) -> HostFields {
    let envs = ["prod", "stage", "dev", "qa"];
    let oses = ["linux", "windows", "freebsd"];
    let roles = ["web", "db", "cache", "queue", "batch"];
    let mut tags = BTreeMap::new();
    tags.insert("role".to_owned(), roles[i % 5].to_owned());
    tags.insert("rack".to_owned(), (i % 40).to_string());
    if i.is_multiple_of(7) {
        tags.insert("tier".to_owned(), format!("db{}", i % 3));
    }
    HostFields {
        name: HostName::parse(&format!("h-{i:06}")).unwrap(),
        address: HostAddress::parse(&format!(
            "10.{}.{}.{}",
            i / 65536 % 256,
            i / 256 % 256,
            i % 256
        ))
        .unwrap(),
        port: Port::parse(22 + (i % 3) as i64).unwrap(),
        os: Label::parse("os", oses[i % 3]).unwrap(),
        environment: Label::parse("environment", envs[i % 4]).unwrap(),
        description: String::new(),
        tags,
        credential_id: None,
        check_method: None,
        legacy_ssh: false,
        terminal_recording: Default::default(),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn p99(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[(v.len() * 99 / 100).min(v.len() - 1)]
}

async fn run(label: &str, url: &str) {
    let db = Db::connect(url, 5).await.unwrap();
    db.migrate().await.unwrap();
    let t = Instant::now();
    let txn = db.begin().await.unwrap();
    let all: Vec<HostFields> = (0..HOSTS).map(fields).collect();
    hosts_repo::insert_many(&txn, all, None).await.unwrap();
    commit(txn).await.unwrap();
    println!(
        "{label}: seeded {HOSTS} hosts in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let hosts = hosts_repo::all(db.conn(), &HostFilter::default())
        .await
        .unwrap();
    println!(
        "{label}: loading {} hosts into memory: {:.0} ms",
        hosts.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let sets = GroupSets::new();
    let none = HashSet::new();
    for (name, text) in RULES {
        let rule = itmgr_rules::parse(text).unwrap();
        let mut mem = Vec::new();
        let mut count = 0;
        for _ in 0..5 {
            let t = Instant::now();
            count = hosts
                .iter()
                .filter(|h| {
                    rule.matches(&HostFacts {
                        host: h,
                        direct: &none,
                        sets: &sets,
                    })
                })
                .count();
            mem.push(t.elapsed());
        }
        let mut sql = Vec::new();
        let mut sql_count = 0;
        for _ in 0..5 {
            let t = Instant::now();
            sql_count = hosts_repo::ids(
                db.conn(),
                &HostFilter {
                    rule: Some((rule.clone(), sets.clone())),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .len();
            sql.push(t.elapsed());
        }
        assert_eq!(count, sql_count, "{name}: memory and SQL disagree");
        println!(
            "{label}: rule {name:<18} {count:>6} matches  in memory {:>7.1} ms  SQL {:>7.1} ms",
            median(mem).as_secs_f64() * 1000.0,
            median(sql).as_secs_f64() * 1000.0
        );
    }

    // Ten dynamic groups, then single-host updates and the time membership takes to follow.
    let txn = db.begin().await.unwrap();
    let mut first = None;
    for (i, (_, text)) in RULES.iter().cycle().take(10).enumerate() {
        let g = groups_repo::insert(
            &txn,
            GroupFields {
                name: format!("g{i}"),
                description: String::new(),
                kind: GroupKind::Dynamic,
                rule_text: Some(text.to_string()),
                rule: Some(itmgr_rules::parse(text).unwrap()),
                variables: BTreeMap::new(),
            },
            None,
        )
        .await
        .unwrap();
        first.get_or_insert(g.id);
    }
    commit(txn).await.unwrap();
    let t = Instant::now();
    let txn = db.begin().await.unwrap();
    let filled = membership::reconcile(&txn).await.unwrap();
    commit(txn).await.unwrap();
    println!(
        "{label}: filling 10 dynamic groups over {HOSTS} hosts ({filled} memberships): {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let mut lat = Vec::new();
    for i in 0..200 {
        let h = &hosts[i * 397 % hosts.len()];
        let mut f = fields(i * 397 % HOSTS);
        f.environment =
            Label::parse("environment", if i % 2 == 0 { "prod" } else { "dev" }).unwrap();
        let t = Instant::now();
        let txn = db.begin().await.unwrap();
        let current = hosts_repo::find_by_id(&txn, h.id).await.unwrap();
        hosts_repo::update(&txn, h.id, current.version, None, f)
            .await
            .unwrap();
        membership::host_changed(&txn, h.id).await.unwrap();
        commit(txn).await.unwrap();
        lat.push(t.elapsed());
    }
    println!(
        "{label}: host update + membership of 10 dynamic groups: p50 {:.1} ms  p99 {:.1} ms (200 updates)",
        median(lat.clone()).as_secs_f64() * 1000.0,
        p99(lat).as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let txn = db.begin().await.unwrap();
    let changed = membership::group_changed(&txn, first.unwrap(), "bench")
        .await
        .unwrap();
    commit(txn).await.unwrap();
    println!(
        "{label}: recomputing one group and its dependents ({changed} changes): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let _ = db.conn().execute_unprepared("SELECT 1").await;
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        run(
            "sqlite",
            &format!("sqlite://{}/b.db?mode=rwc", dir.path().display()),
        )
        .await;
        let admin = std::env::var("ITMGR_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("itmgr_bench_groups_{}", std::process::id());
        let conn = sea_orm::Database::connect(&admin).await.unwrap();
        conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap();
        run("postgres", &format!("{base}/{name}")).await;
        let _ = conn
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    });
}
