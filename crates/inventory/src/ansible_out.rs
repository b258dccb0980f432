//! The whole inventory with groups, as Ansible reads it: dynamic-inventory JSON
//! (`_meta.hostvars`, groups with `hosts`, `children`, `vars`), INI and YAML.

use crate::ExportHost;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A group in the inventory.
#[derive(Debug, Clone)]
pub struct InventoryGroup {
    pub name: String,
    /// Direct members (host names).
    pub hosts: Vec<String>,
    /// Child group names.
    pub children: Vec<String>,
    pub vars: BTreeMap<String, String>,
}

/// Hosts and groups to render.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub hosts: Vec<ExportHost>,
    pub groups: Vec<InventoryGroup>,
}

/// Host variables: connection facts, then tags (keys made into valid variable names) and the
/// product's own facts under `itmgr_`.
pub fn hostvars(h: &ExportHost) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    for (k, val) in &h.tags {
        if !k.starts_with("group.") {
            v.insert(crate::export::ansible_ident(k), val.clone());
        }
    }
    if let Some(os) = &h.os {
        v.insert("itmgr_os".into(), os.clone());
    }
    if let Some(e) = &h.environment {
        v.insert("itmgr_environment".into(), e.clone());
    }
    v.insert("ansible_host".into(), h.address.clone());
    v.insert("ansible_port".into(), h.port.to_string());
    v
}

fn ungrouped(inv: &Inventory) -> Vec<String> {
    let grouped: BTreeSet<&str> = inv
        .groups
        .iter()
        .flat_map(|g| g.hosts.iter().map(String::as_str))
        .collect();
    inv.hosts
        .iter()
        .filter(|h| !grouped.contains(h.name.as_str()))
        .map(|h| h.name.clone())
        .collect()
}

fn top_level(inv: &Inventory) -> Vec<String> {
    let nested: BTreeSet<&str> = inv
        .groups
        .iter()
        .flat_map(|g| g.children.iter().map(String::as_str))
        .collect();
    inv.groups
        .iter()
        .filter(|g| !nested.contains(g.name.as_str()))
        .map(|g| g.name.clone())
        .collect()
}

/// Dynamic-inventory JSON (what `ansible-inventory --list` prints).
pub fn to_json(inv: &Inventory) -> Value {
    let mut root = Map::new();
    let hostvars: Map<String, Value> = inv
        .hosts
        .iter()
        .map(|h| (h.name.clone(), json!(hostvars(h))))
        .collect();
    root.insert("_meta".into(), json!({ "hostvars": hostvars }));
    let mut all_children = top_level(inv);
    all_children.push("ungrouped".into());
    root.insert("all".into(), json!({ "children": all_children }));
    root.insert("ungrouped".into(), json!({ "hosts": ungrouped(inv) }));
    for g in &inv.groups {
        let mut o = Map::new();
        o.insert("hosts".into(), json!(g.hosts));
        if !g.children.is_empty() {
            o.insert("children".into(), json!(g.children));
        }
        if !g.vars.is_empty() {
            o.insert("vars".into(), json!(g.vars));
        }
        root.insert(g.name.clone(), Value::Object(o));
    }
    Value::Object(root)
}

fn ini_value(v: &str) -> String {
    if v.is_empty()
        || v.chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '\'' || c == '#' || c == ';')
    {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        v.to_owned()
    }
}

/// INI inventory.
pub fn to_ini(inv: &Inventory) -> String {
    let mut out = String::from("# Exported by IT Manager\n[all]\n");
    for h in &inv.hosts {
        out.push_str(&h.name);
        for (k, v) in hostvars(h) {
            out.push_str(&format!(" {k}={}", ini_value(&v)));
        }
        out.push('\n');
    }
    for g in &inv.groups {
        out.push_str(&format!("\n[{}]\n", g.name));
        for h in &g.hosts {
            out.push_str(h);
            out.push('\n');
        }
        if !g.children.is_empty() {
            out.push_str(&format!("\n[{}:children]\n", g.name));
            for c in &g.children {
                out.push_str(c);
                out.push('\n');
            }
        }
        if !g.vars.is_empty() {
            out.push_str(&format!("\n[{}:vars]\n", g.name));
            for (k, v) in &g.vars {
                out.push_str(&format!("{k}={}\n", ini_value(v)));
            }
        }
    }
    out
}

/// YAML inventory.
pub fn to_yaml(inv: &Inventory) -> String {
    fn group(inv: &Inventory, g: &InventoryGroup, depth: usize) -> serde_yaml::Value {
        let mut m = serde_yaml::Mapping::new();
        if !g.hosts.is_empty() {
            let hosts: serde_yaml::Mapping = g
                .hosts
                .iter()
                .map(|h| (h.clone().into(), serde_yaml::Value::Null))
                .collect();
            m.insert("hosts".into(), hosts.into());
        }
        if !g.vars.is_empty() {
            m.insert(
                "vars".into(),
                serde_yaml::to_value(&g.vars).unwrap_or_default(),
            );
        }
        if !g.children.is_empty() && depth < 32 {
            let kids: serde_yaml::Mapping = g
                .children
                .iter()
                .filter_map(|c| inv.groups.iter().find(|x| x.name == *c))
                .map(|c| (c.name.clone().into(), group(inv, c, depth + 1)))
                .collect();
            m.insert("children".into(), kids.into());
        }
        m.into()
    }
    let hosts: serde_yaml::Mapping = inv
        .hosts
        .iter()
        .map(|h| {
            (
                h.name.clone().into(),
                serde_yaml::to_value(hostvars(h)).unwrap_or_default(),
            )
        })
        .collect();
    let mut children = serde_yaml::Mapping::new();
    for name in top_level(inv) {
        if let Some(g) = inv.groups.iter().find(|g| g.name == name) {
            children.insert(name.into(), group(inv, g, 0));
        }
    }
    let mut all = serde_yaml::Mapping::new();
    all.insert("hosts".into(), hosts.into());
    if !children.is_empty() {
        all.insert("children".into(), children.into());
    }
    let mut top = serde_yaml::Mapping::new();
    top.insert("all".into(), all.into());
    serde_yaml::to_string(&top).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Inventory {
        let host = |name: &str, addr: &str| ExportHost {
            name: name.into(),
            address: addr.into(),
            port: 22,
            os: Some("linux".into()),
            environment: None,
            description: String::new(),
            tags: BTreeMap::from([("role".to_owned(), "web tier".to_owned())]),
            credential: None,
            check_method: None,
        };
        Inventory {
            hosts: vec![
                host("w1", "10.0.0.1"),
                host("d1", "10.0.0.2"),
                host("lonely", "10.0.0.3"),
            ],
            groups: vec![
                InventoryGroup {
                    name: "prod".into(),
                    hosts: vec![],
                    children: vec!["web".into(), "db".into()],
                    vars: BTreeMap::from([("ntp".to_owned(), "pool.ntp.org".to_owned())]),
                },
                InventoryGroup {
                    name: "web".into(),
                    hosts: vec!["w1".into()],
                    children: vec![],
                    vars: BTreeMap::new(),
                },
                InventoryGroup {
                    name: "db".into(),
                    hosts: vec!["d1".into()],
                    children: vec![],
                    vars: BTreeMap::from([("tier".to_owned(), "data".to_owned())]),
                },
            ],
        }
    }

    #[test]
    fn json_has_meta_children_and_ungrouped() {
        let j = to_json(&sample());
        assert_eq!(j["_meta"]["hostvars"]["w1"]["ansible_host"], "10.0.0.1");
        assert_eq!(j["_meta"]["hostvars"]["w1"]["role"], "web tier");
        assert_eq!(j["all"]["children"], json!(["prod", "ungrouped"]));
        assert_eq!(j["ungrouped"]["hosts"], json!(["lonely"]));
        assert_eq!(j["prod"]["children"], json!(["web", "db"]));
        assert_eq!(j["db"]["vars"]["tier"], "data");
    }

    #[test]
    fn ini_and_yaml_read_back_with_the_importer() {
        for (f, text) in [
            (crate::Format::AnsibleIni, to_ini(&sample())),
            (crate::Format::AnsibleYaml, to_yaml(&sample())),
        ] {
            let rows: Vec<_> = crate::parse(f, &text)
                .unwrap()
                .into_iter()
                .map(|r| r.unwrap())
                .collect();
            let d1 = rows.iter().find(|r| r.name == "d1").unwrap();
            assert_eq!(d1.tags["tier"], "data", "{f:?}\n{text}");
            assert_eq!(d1.tags["ntp"], "pool.ntp.org", "{f:?}\n{text}");
            assert!(d1.groups.contains(&"prod".to_string()), "{f:?}");
            assert_eq!(rows.len(), 3, "{f:?}\n{text}");
        }
    }
}
