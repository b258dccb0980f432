//! Inventory files in and out. Parsing is lenient about layout and strict about nothing else:
//! every host becomes a [`HostRecord`] with the line it came from, and the caller validates the
//! fields (so a bad line is rejected with its reason while the rest of the file still imports).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod ansible;
mod ansible_out;
mod export;

pub use ansible_out::{hostvars, to_ini, to_json, to_yaml, Inventory, InventoryGroup};
pub use export::{export, ExportHost};

/// The file formats understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// CSV with a header row: name, address, port, os, environment, description, tags
    /// (`k=v;k2=v2`), credential, check_method.
    Csv,
    /// A YAML or JSON list of host objects with the same fields (tags as a map).
    Yaml,
    /// JSON, the same shape as YAML.
    Json,
    /// An Ansible INI inventory.
    AnsibleIni,
    /// An Ansible YAML inventory (`all: {hosts, children, vars}`).
    AnsibleYaml,
}

/// One host as read from a file; nothing is validated yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostRecord {
    /// 1-based line (or entry number for structured formats) it came from.
    #[serde(skip)]
    pub line: usize,
    pub name: String,
    pub address: Option<String>,
    pub port: Option<String>,
    pub os: Option<String>,
    pub environment: Option<String>,
    pub description: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// Name or id of an `ssh_credential` secret.
    pub credential: Option<String>,
    pub check_method: Option<String>,
    /// Ansible groups the host was listed under.
    #[serde(skip)]
    pub groups: Vec<String>,
}

/// A line that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LineError {
    /// 1-based line or entry number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The whole file is unreadable (e.g. YAML that does not parse).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FileError(pub String);

/// Parses `text`; each entry is a record or the reason its line was rejected.
pub fn parse(format: Format, text: &str) -> Result<Vec<Result<HostRecord, LineError>>, FileError> {
    match format {
        Format::Csv => parse_csv(text),
        Format::Yaml | Format::Json => parse_list(text),
        Format::AnsibleIni => Ok(ansible::parse_ini(text)),
        Format::AnsibleYaml => ansible::parse_yaml(text),
    }
}

fn parse_tags(s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut tags = BTreeMap::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("tag {part:?} is not key=value"))?;
        tags.insert(k.trim().to_owned(), v.trim().to_owned());
    }
    Ok(tags)
}

fn parse_csv(text: &str) -> Result<Vec<Result<HostRecord, LineError>>, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| FileError(format!("the CSV header cannot be read: {e}")))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if !headers.iter().any(|h| h == "name") {
        return Err(FileError(
            "the CSV header must have a \"name\" column (and usually \"address\")".into(),
        ));
    }
    let known = [
        "name",
        "address",
        "port",
        "os",
        "environment",
        "description",
        "tags",
        "credential",
        "check_method",
    ];
    if let Some(bad) = headers.iter().find(|h| !known.contains(&h.as_str())) {
        return Err(FileError(format!(
            "unknown CSV column {bad:?}; the columns are {}",
            known.join(", ")
        )));
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                out.push(Err(LineError {
                    line,
                    message: e.to_string(),
                }));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line() as usize);
        let mut rec = HostRecord {
            line,
            ..Default::default()
        };
        let mut failed = None;
        for (h, v) in headers.iter().zip(row.iter()) {
            let opt = (!v.is_empty()).then(|| v.to_owned());
            match h.as_str() {
                "name" => rec.name = v.to_owned(),
                "address" => rec.address = opt,
                "port" => rec.port = opt,
                "os" => rec.os = opt,
                "environment" => rec.environment = opt,
                "description" => rec.description = opt,
                "credential" => rec.credential = opt,
                "check_method" => rec.check_method = opt,
                "tags" => match parse_tags(v) {
                    Ok(t) => rec.tags = t,
                    Err(m) => failed = Some(m),
                },
                _ => {}
            }
        }
        out.push(match failed {
            Some(message) => Err(LineError { line, message }),
            None => Ok(rec),
        });
    }
    Ok(out)
}

fn parse_list(text: &str) -> Result<Vec<Result<HostRecord, LineError>>, FileError> {
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| FileError(format!("not valid YAML/JSON: {e}")))?;
    let items = match value {
        serde_yaml::Value::Sequence(items) => items,
        serde_yaml::Value::Mapping(mut m) => match m.remove("hosts") {
            Some(serde_yaml::Value::Sequence(items)) => items,
            _ => {
                return Err(FileError(
                    "expected a list of hosts (or an object with a \"hosts\" list)".into(),
                ))
            }
        },
        _ => return Err(FileError("expected a list of hosts".into())),
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let line = i + 1;
            let mut item = item;
            // Ports may be numbers; tags values may be numbers or booleans.
            stringify_scalars(&mut item);
            serde_yaml::from_value::<HostRecord>(item)
                .map(|mut r| {
                    r.line = line;
                    r
                })
                .map_err(|e| LineError {
                    line,
                    message: format!("entry {line}: {e}"),
                })
        })
        .collect())
}

/// Turns numbers and booleans into strings (one level into maps), so `port: 22` and
/// `tags: {rack: 12}` read as text like everything else.
fn stringify_scalars(v: &mut serde_yaml::Value) {
    if let serde_yaml::Value::Mapping(m) = v {
        for (_, val) in m.iter_mut() {
            match val {
                serde_yaml::Value::Number(n) => *val = serde_yaml::Value::String(n.to_string()),
                serde_yaml::Value::Bool(b) => *val = serde_yaml::Value::String(b.to_string()),
                serde_yaml::Value::Mapping(_) => stringify_scalars(val),
                _ => {}
            }
        }
    }
}

pub(crate) fn scalar_string(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_records_and_bad_rows_are_rejected_alone() {
        let text = "name,address,port,environment,tags\n\
                    web1,10.0.0.1,22,prod,role=web;tier=1\n\
                    web2,10.0.0.2,,stage,broken\n\
                    db1,db1.example.com,5432,prod,\n";
        let rows = parse(Format::Csv, text).unwrap();
        assert_eq!(rows.len(), 3);
        let web1 = rows[0].as_ref().unwrap();
        assert_eq!(web1.line, 2);
        assert_eq!(web1.address.as_deref(), Some("10.0.0.1"));
        assert_eq!(web1.tags.get("role").map(String::as_str), Some("web"));
        let err = rows[1].as_ref().unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("key=value"));
        assert_eq!(rows[2].as_ref().unwrap().port.as_deref(), Some("5432"));
        assert!(parse(Format::Csv, "host,ip\nx,y\n").is_err());
    }

    #[test]
    fn yaml_and_json_lists() {
        let yaml = "- name: a\n  address: 10.0.0.1\n  port: 2222\n  tags: {rack: 12, prod: true}\n- name: b\n  address: b.example\n";
        let rows = parse(Format::Yaml, yaml).unwrap();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.port.as_deref(), Some("2222"));
        assert_eq!(a.tags.get("rack").map(String::as_str), Some("12"));
        let json = r#"{"hosts": [{"name": "c", "address": "10.1.1.1", "unknown_field": 1}]}"#;
        let rows = parse(Format::Json, json).unwrap();
        assert_eq!(rows[0].as_ref().unwrap().name, "c");
        assert!(parse(Format::Yaml, "- [unclosed").is_err());
    }
}
