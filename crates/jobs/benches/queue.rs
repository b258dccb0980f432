//! Queue throughput: jobs claimed and completed per second by 4 workers on PostgreSQL (each in
//! its own connection pool, as separate processes would be), with a handler that returns at once,
//! so the figure is the queue's own cost. `ITMGR_BENCH_JOBS` (default 5000).

use itmgr_domain::RunId;
use itmgr_jobs::{BoxFuture, Config, Control, Handler, Outcome, Waker, Worker};
use itmgr_storage::repo::jobs::Job;
use itmgr_storage::Db;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Count(Arc<AtomicUsize>);

impl Handler for Count {
    fn handle(&self, _job: Job, _ctl: Control) -> BoxFuture<'_, Outcome> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Outcome::Done })
    }
    fn lost(&self, _job: Job, _error: String) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
    fn gave_up(&self, _job: Job, _error: String) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

fn psql(url: &str, sql: &str) {
    let ok = Command::new("psql")
        .args([url, "-qtAc", sql])
        .status()
        .expect("psql")
        .success();
    assert!(ok, "psql failed: {sql}");
}

#[tokio::main]
async fn main() {
    let admin = std::env::var("ITMGR_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let n: usize = std::env::var("ITMGR_BENCH_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let name = format!("itmgr_bench_q_{}", std::process::id());
    psql(&admin, &format!("CREATE DATABASE {name}"));
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    let db = Db::connect(&url, 5).await.unwrap();
    db.migrate().await.unwrap();
    // Jobs point at runs only by id; the queue never reads the run.
    let now = chrono::Utc::now();
    for _ in 0..n {
        itmgr_storage::repo::jobs::enqueue(db.conn(), RunId::new(), "runs", 1, None, now)
            .await
            .unwrap();
    }
    let done = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..4 {
        let db = Db::connect(&url, 5).await.unwrap();
        let w = Worker::new(
            db,
            Config {
                owner: format!("bench-{i}"),
                concurrency: 16,
                poll: Duration::from_millis(20),
                ..Config::default()
            },
            Arc::new(Count(done.clone())),
            Waker::default(),
        );
        tasks.push(tokio::spawn(w.run(stop_rx.clone())));
    }
    while itmgr_storage::repo::jobs::count(db.conn(), "done")
        .await
        .unwrap()
        < n as u64
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let secs = started.elapsed().as_secs_f64();
    let _ = stop_tx.send(true);
    for t in tasks {
        let _ = t.await;
    }
    let handled = done.load(Ordering::SeqCst);
    println!(
        "queue: {n} jobs, 4 workers on PostgreSQL: {secs:.2} s, {:.0} jobs/s, handled {handled} (each exactly once: {})",
        n as f64 / secs,
        handled == n
    );
    drop(db);
    psql(&admin, &format!("DROP DATABASE {name} WITH (FORCE)"));
}
