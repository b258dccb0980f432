//! The deployment files agree with each other and with the binary: every variable compose.yaml
//! reads is documented in .env.example, every image is built from the official base images the
//! deployment promises, and no secret is given a value in the example.

use std::collections::BTreeSet;

fn repo_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_variable_compose_reads_is_in_env_example_with_a_comment() {
    let compose = repo_file("compose.yaml");
    let example = repo_file(".env.example");
    let used: BTreeSet<String> = regex::Regex::new(r"\$\{([A-Z][A-Z0-9_]*)")
        .unwrap()
        .captures_iter(&compose)
        .map(|c| c[1].to_owned())
        .collect();
    assert!(used.len() > 15, "{used:?}");
    let lines: Vec<&str> = example.lines().collect();
    for var in &used {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{var}=")))
            .unwrap_or_else(|| panic!("{var} is read by compose.yaml but not in .env.example"));
        // Variables may share one comment: the first line above that is not a variable.
        let above = lines[..at]
            .iter()
            .rev()
            .find(|l| l.starts_with('#') || !l.contains('='));
        assert!(
            above.is_some_and(|l| l.starts_with("# ")),
            "{var} has no comment above it in .env.example"
        );
    }
    // And nothing in the example is unused.
    for line in &lines {
        if let Some((var, _)) = line.split_once('=').filter(|_| !line.starts_with('#')) {
            assert!(
                used.contains(var),
                "{var} is in .env.example but compose.yaml ignores it"
            );
        }
    }
}

#[test]
fn the_example_sets_no_secret_and_compose_requires_them() {
    let example = repo_file(".env.example");
    let compose = repo_file("compose.yaml");
    for secret in [
        "ITMGR_MASTER_KEY",
        "POSTGRES_PASSWORD",
        "ITMGR_ADMIN_PASSWORD",
    ] {
        assert!(
            example.lines().any(|l| l == format!("{secret}=")),
            "{secret} must be empty in .env.example"
        );
    }
    for required in ["ITMGR_MASTER_KEY:?", "POSTGRES_PASSWORD:?"] {
        assert!(
            compose.contains(required),
            "compose.yaml must refuse to start without {required}"
        );
    }
}

#[test]
fn images_build_from_the_official_bases_as_non_root_with_healthchecks() {
    let dockerfile = repo_file("deploy/docker/Dockerfile");
    let bases: BTreeSet<&str> = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("FROM "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|image| image.contains(':'))
        .collect();
    let official: BTreeSet<&str> = [
        "node:20-bookworm-slim",
        "rust:1.95-bookworm",
        "debian:bookworm-slim",
        "nginx:1.27-bookworm",
    ]
    .into();
    assert_eq!(bases, official);
    assert!(repo_file("compose.yaml").contains("image: postgres:16-bookworm"));
    for target in ["backend", "worker", "frontend"] {
        let stage = dockerfile
            .split(&format!(" AS {target}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no {target} stage"));
        let stage = format!("\n{}", stage.split("\nFROM ").next().unwrap());
        assert!(stage.contains("\nUSER "), "{target} runs as root");
        assert!(
            stage.contains("\nHEALTHCHECK "),
            "{target} has no healthcheck"
        );
    }
    // The dependency stub must know every workspace crate the Dockerfile copies.
    let manifest = repo_file("Cargo.toml");
    for member in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
    {
        assert!(
            dockerfile.contains(&format!(
                "COPY crates/{member}/Cargo.toml crates/{member}/Cargo.toml"
            )),
            "the Dockerfile's dependency layer misses crates/{member}"
        );
        assert!(manifest.contains(&format!("crates/{member}")) || manifest.contains("crates/*"));
    }
}
