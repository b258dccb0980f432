//! Hosts out: CSV and YAML/JSON in the same shape the importer reads (a round trip is lossless),
//! and Ansible INI/YAML with `ansible_host`/`ansible_port`, tags as host variables and one group
//! per environment.

use crate::Format;
use serde::Serialize;
use std::collections::BTreeMap;

/// A host to export (already validated values).
#[derive(Debug, Clone, Serialize)]
pub struct ExportHost {
    pub name: String,
    pub address: String,
    pub port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_method: Option<String>,
}

/// Ansible variable and group names: letters, digits and `_`, not starting with a digit.
pub(crate) fn ansible_ident(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

fn host_vars(h: &ExportHost) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    vars.insert("ansible_host".to_owned(), h.address.clone());
    vars.insert("ansible_port".to_owned(), h.port.to_string());
    for (k, v) in &h.tags {
        if !k.starts_with("group.") {
            vars.insert(ansible_ident(k), v.clone());
        }
    }
    vars
}

fn ini_value(v: &str) -> String {
    if v.is_empty()
        || v.chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '\'')
    {
        format!("\"{}\"", v.replace('"', "'"))
    } else {
        v.to_owned()
    }
}

fn env_groups(hosts: &[ExportHost]) -> BTreeMap<String, Vec<&ExportHost>> {
    let mut groups: BTreeMap<String, Vec<&ExportHost>> = BTreeMap::new();
    for h in hosts {
        if let Some(e) = &h.environment {
            groups.entry(ansible_ident(e)).or_default().push(h);
        }
    }
    groups
}

/// Renders `hosts` in `format`.
pub fn export(format: Format, hosts: &[ExportHost]) -> String {
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record([
                "name",
                "address",
                "port",
                "os",
                "environment",
                "description",
                "tags",
                "credential",
                "check_method",
            ]);
            for h in hosts {
                let tags = h
                    .tags
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(";");
                let _ = w.write_record([
                    h.name.as_str(),
                    &h.address,
                    &h.port.to_string(),
                    h.os.as_deref().unwrap_or(""),
                    h.environment.as_deref().unwrap_or(""),
                    &h.description,
                    &tags,
                    h.credential.as_deref().unwrap_or(""),
                    h.check_method.as_deref().unwrap_or(""),
                ]);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Format::Json => serde_json::to_string_pretty(hosts).unwrap_or_default(),
        Format::Yaml => serde_yaml::to_string(hosts).unwrap_or_default(),
        Format::AnsibleIni => {
            let mut out = String::from("# Exported by IT Manager\n[all]\n");
            for h in hosts {
                out.push_str(&h.name);
                for (k, v) in host_vars(h) {
                    out.push_str(&format!(" {k}={}", ini_value(&v)));
                }
                out.push('\n');
            }
            for (g, members) in env_groups(hosts) {
                out.push_str(&format!("\n[{g}]\n"));
                for h in members {
                    out.push_str(&h.name);
                    out.push('\n');
                }
            }
            out
        }
        Format::AnsibleYaml => {
            #[derive(Serialize)]
            struct Group<'a> {
                #[serde(skip_serializing_if = "BTreeMap::is_empty")]
                hosts: BTreeMap<&'a str, BTreeMap<String, String>>,
                #[serde(skip_serializing_if = "BTreeMap::is_empty")]
                children: BTreeMap<String, Group<'a>>,
            }
            let mut children = BTreeMap::new();
            for (g, members) in env_groups(hosts) {
                children.insert(
                    g,
                    Group {
                        hosts: members
                            .iter()
                            .map(|h| (h.name.as_str(), BTreeMap::new()))
                            .collect(),
                        children: BTreeMap::new(),
                    },
                );
            }
            let all = Group {
                hosts: hosts
                    .iter()
                    .map(|h| (h.name.as_str(), host_vars(h)))
                    .collect(),
                children,
            };
            let mut top = BTreeMap::new();
            top.insert("all", all);
            serde_yaml::to_string(&top).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn hosts() -> Vec<ExportHost> {
        let mut tags = BTreeMap::new();
        tags.insert("role".to_owned(), "web server".to_owned());
        vec![
            ExportHost {
                name: "web1".into(),
                address: "10.0.0.1".into(),
                port: 2222,
                os: Some("linux".into()),
                environment: Some("prod".into()),
                description: "front".into(),
                tags,
                credential: Some("deploy".into()),
                check_method: Some("ssh".into()),
            },
            ExportHost {
                name: "db1".into(),
                address: "db1.example".into(),
                port: 22,
                os: None,
                environment: None,
                description: String::new(),
                tags: BTreeMap::new(),
                credential: None,
                check_method: None,
            },
        ]
    }

    #[test]
    fn csv_yaml_and_json_round_trip_through_the_importer() {
        for f in [Format::Csv, Format::Yaml, Format::Json] {
            let text = export(f, &hosts());
            let back: Vec<_> = parse(f, &text)
                .unwrap()
                .into_iter()
                .map(|r| r.unwrap())
                .collect();
            assert_eq!(back.len(), 2, "{f:?}");
            assert_eq!(back[0].name, "web1");
            assert_eq!(back[0].port.as_deref(), Some("2222"), "{f:?}");
            assert_eq!(back[0].tags["role"], "web server", "{f:?}");
            assert_eq!(back[0].credential.as_deref(), Some("deploy"), "{f:?}");
            assert_eq!(back[1].address.as_deref(), Some("db1.example"), "{f:?}");
        }
    }

    #[test]
    fn ansible_formats_read_back_by_the_ansible_importer() {
        for f in [Format::AnsibleIni, Format::AnsibleYaml] {
            let text = export(f, &hosts());
            let back: Vec<_> = parse(f, &text)
                .unwrap()
                .into_iter()
                .map(|r| r.unwrap())
                .collect();
            let web1 = back.iter().find(|r| r.name == "web1").unwrap();
            assert_eq!(web1.address.as_deref(), Some("10.0.0.1"), "{f:?}\n{text}");
            assert_eq!(web1.port.as_deref(), Some("2222"));
            assert_eq!(web1.tags["role"], "web server", "{f:?}\n{text}");
            assert!(web1.tags.contains_key("group.prod"), "{f:?}");
        }
    }
}
