//! Ansible inventories (INI and YAML) into host records. Host variables win over group variables,
//! inner groups over outer ones. `ansible_host`/`ansible_port` become the address and port; other
//! `ansible_*` variables and anything that looks like a credential are dropped, never turned into
//! tags; the rest become tags, and every group a host is listed under becomes a `group.<name>` tag.

use crate::{scalar_string, FileError, HostRecord, LineError};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default)]
struct Group {
    hosts: Vec<(String, usize, BTreeMap<String, String>)>,
    vars: BTreeMap<String, String>,
    children: BTreeSet<String>,
}

fn is_secretish(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["pass", "secret", "token", "private_key", "key_file"]
        .iter()
        .any(|s| k.contains(s))
}

/// Splits `a=1 b="two words" c='x'` honouring quotes.
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Expands one numeric or alphabetic range such as `web[01:03]` or `db-[a:c]`.
fn expand(pattern: &str) -> Result<Vec<String>, String> {
    let (Some(open), Some(close)) = (pattern.find('['), pattern.find(']')) else {
        return Ok(vec![pattern.to_owned()]);
    };
    if close < open {
        return Err(format!("bad host range in {pattern:?}"));
    }
    let (head, range, tail) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    let (a, b) = range
        .split_once(':')
        .ok_or_else(|| format!("bad host range in {pattern:?}"))?;
    let mut out = Vec::new();
    if let (Ok(x), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>()) {
        if y < x || y - x > 10_000 {
            return Err(format!("bad host range in {pattern:?}"));
        }
        let width = if a.starts_with('0') { a.len() } else { 0 };
        for n in x..=y {
            for rest in expand(tail)? {
                out.push(format!("{head}{n:0width$}{rest}"));
            }
        }
    } else if a.len() == 1 && b.len() == 1 && a <= b {
        for c in a.chars().next().unwrap_or('a')..=b.chars().next().unwrap_or('a') {
            for rest in expand(tail)? {
                out.push(format!("{head}{c}{rest}"));
            }
        }
    } else {
        return Err(format!("bad host range in {pattern:?}"));
    }
    Ok(out)
}

fn build(groups: BTreeMap<String, Group>) -> Vec<Result<HostRecord, LineError>> {
    // Each group's effective vars: parents' vars first, its own over them.
    let mut parents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, g) in &groups {
        for c in &g.children {
            parents.entry(c.as_str()).or_default().push(name.as_str());
        }
    }
    fn ancestry<'a>(
        g: &'a str,
        parents: &BTreeMap<&'a str, Vec<&'a str>>,
        seen: &mut BTreeSet<&'a str>,
        out: &mut Vec<&'a str>,
    ) {
        if !seen.insert(g) {
            return; // cycles are ignored rather than looping
        }
        for p in parents.get(g).into_iter().flatten() {
            ancestry(p, parents, seen, out);
        }
        out.push(g);
    }
    let mut records: BTreeMap<String, HostRecord> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut order: Vec<String> = Vec::new();
    for (gname, g) in &groups {
        let mut chain = Vec::new();
        ancestry(gname, &parents, &mut BTreeSet::new(), &mut chain);
        for (host, line, hvars) in &g.hosts {
            let mut vars = BTreeMap::new();
            for a in &chain {
                if let Some(ag) = groups.get(*a) {
                    vars.extend(ag.vars.clone());
                }
            }
            vars.extend(hvars.clone());
            let rec = records.entry(host.clone()).or_insert_with(|| {
                order.push(host.clone());
                HostRecord {
                    line: *line,
                    name: host.clone(),
                    ..Default::default()
                }
            });
            for a in &chain {
                if !matches!(*a, "all" | "ungrouped") && !rec.groups.iter().any(|x| x == a) {
                    rec.groups.push((*a).to_owned());
                }
            }
            for (k, v) in vars {
                match k.as_str() {
                    "ansible_host" | "ansible_ssh_host" => rec.address = Some(v),
                    "ansible_port" | "ansible_ssh_port" => rec.port = Some(v),
                    k if k.starts_with("ansible_") || is_secretish(k) => {}
                    _ => {
                        rec.tags.insert(k, v);
                    }
                }
            }
        }
    }
    let mut out: Vec<Result<HostRecord, LineError>> = Vec::new();
    for name in order {
        if let Some(mut rec) = records.remove(&name) {
            if rec.address.is_none() {
                rec.address = Some(rec.name.clone());
            }
            for g in &rec.groups {
                rec.tags.insert(format!("group.{g}"), String::new());
            }
            out.push(Ok(rec));
        }
    }
    out.append(&mut errors);
    out.sort_by_key(|r| match r {
        Ok(r) => r.line,
        Err(e) => e.line,
    });
    out
}

/// Parses an Ansible INI inventory.
pub fn parse_ini(text: &str) -> Vec<Result<HostRecord, LineError>> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut section = ("ungrouped".to_owned(), "hosts");
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        if let Some(h) = l.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            section = match h.split_once(':') {
                Some((g, "vars")) => (g.to_owned(), "vars"),
                Some((g, "children")) => (g.to_owned(), "children"),
                Some(_) => {
                    errors.push(Err(LineError {
                        line,
                        message: format!("unknown section type [{h}]"),
                    }));
                    (h.to_owned(), "skip")
                }
                None => (h.to_owned(), "hosts"),
            };
            groups.entry(section.0.clone()).or_default();
            continue;
        }
        let g = groups.entry(section.0.clone()).or_default();
        match section.1 {
            "vars" => match l.split_once('=') {
                Some((k, v)) => {
                    let v = tokens(v.trim()).join(" ");
                    g.vars.insert(k.trim().to_owned(), v);
                }
                None => errors.push(Err(LineError {
                    line,
                    message: format!("expected key=value, found {l:?}"),
                })),
            },
            "children" => {
                g.children.insert(l.to_owned());
            }
            "hosts" => {
                let mut t = tokens(l).into_iter();
                let Some(pattern) = t.next() else { continue };
                let mut vars = BTreeMap::new();
                let mut bad = None;
                for kv in t {
                    match kv.split_once('=') {
                        Some((k, v)) => {
                            vars.insert(k.to_owned(), v.to_owned());
                        }
                        None => bad = Some(format!("expected key=value, found {kv:?}")),
                    }
                }
                if let Some(message) = bad {
                    errors.push(Err(LineError { line, message }));
                    continue;
                }
                match expand(&pattern) {
                    Ok(names) => {
                        for n in names {
                            g.hosts.push((n, line, vars.clone()));
                        }
                    }
                    Err(message) => errors.push(Err(LineError { line, message })),
                }
            }
            _ => {}
        }
    }
    let mut out = build(groups);
    out.extend(errors);
    out.sort_by_key(|r| match r {
        Ok(r) => r.line,
        Err(e) => e.line,
    });
    out
}

fn walk_yaml(
    name: &str,
    node: &serde_yaml::Value,
    groups: &mut BTreeMap<String, Group>,
    counter: &mut usize,
) -> Result<(), FileError> {
    groups.entry(name.to_owned()).or_default();
    let serde_yaml::Value::Mapping(m) = node else {
        return Ok(()); // `group:` with nothing under it
    };
    if let Some(serde_yaml::Value::Mapping(vars)) = m.get("vars") {
        let g = groups.entry(name.to_owned()).or_default();
        for (k, v) in vars {
            if let (Some(k), Some(v)) = (scalar_string(k), scalar_string(v)) {
                g.vars.insert(k, v);
            }
        }
    }
    if let Some(serde_yaml::Value::Mapping(hosts)) = m.get("hosts") {
        for (h, hv) in hosts {
            let Some(pattern) = scalar_string(h) else {
                continue;
            };
            *counter += 1;
            let mut vars = BTreeMap::new();
            if let serde_yaml::Value::Mapping(hv) = hv {
                for (k, v) in hv {
                    if let (Some(k), Some(v)) = (scalar_string(k), scalar_string(v)) {
                        vars.insert(k, v);
                    }
                }
            }
            let names = expand(&pattern).map_err(FileError)?;
            let g = groups.entry(name.to_owned()).or_default();
            for n in names {
                g.hosts.push((n, *counter, vars.clone()));
            }
        }
    }
    if let Some(serde_yaml::Value::Mapping(children)) = m.get("children") {
        for (c, cv) in children {
            let Some(c) = scalar_string(c) else { continue };
            groups
                .entry(name.to_owned())
                .or_default()
                .children
                .insert(c.clone());
            walk_yaml(&c, cv, groups, counter)?;
        }
    }
    Ok(())
}

/// Parses an Ansible YAML inventory.
pub fn parse_yaml(text: &str) -> Result<Vec<Result<HostRecord, LineError>>, FileError> {
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| FileError(format!("not valid YAML: {e}")))?;
    let serde_yaml::Value::Mapping(top) = value else {
        return Err(FileError(
            "an Ansible YAML inventory is a mapping of groups, usually starting with \"all:\""
                .into(),
        ));
    };
    let mut groups = BTreeMap::new();
    let mut counter = 0;
    for (g, node) in &top {
        let Some(g) = scalar_string(g) else { continue };
        walk_yaml(&g, node, &mut groups, &mut counter)?;
    }
    Ok(build(groups))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_with_ranges_group_vars_and_children() {
        let ini = "\
# comment
bastion ansible_host=192.0.2.1

[web]
web[01:03].example.com ansible_port=2222 role=web

[web:vars]
tier=frontend
ansible_password=never-import-me

[db]
db1 ansible_host=10.0.0.5 \"note=two words\"

[prod:children]
web
db

[prod:vars]
env=prod
tier=outer
bad line here
";
        let rows = parse_ini(ini);
        let ok: Vec<&HostRecord> = rows.iter().filter_map(|r| r.as_ref().ok()).collect();
        let errs: Vec<&LineError> = rows.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 21);
        let names: Vec<&str> = ok.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "bastion",
                "web01.example.com",
                "web02.example.com",
                "web03.example.com",
                "db1"
            ]
        );
        let web2 = ok[2];
        assert_eq!(web2.port.as_deref(), Some("2222"));
        assert_eq!(web2.address.as_deref(), Some("web02.example.com"));
        assert_eq!(web2.tags["tier"], "frontend", "inner group wins");
        assert_eq!(web2.tags["env"], "prod");
        assert!(web2.tags.contains_key("group.web") && web2.tags.contains_key("group.prod"));
        assert!(!web2.tags.values().any(|v| v.contains("never-import-me")));
        let db1 = ok[4];
        assert_eq!(db1.address.as_deref(), Some("10.0.0.5"));
        assert_eq!(db1.tags["note"], "two words");
        assert_eq!(db1.tags["tier"], "outer");
    }

    #[test]
    fn yaml_inventory() {
        let yaml = "\
all:
  hosts:
    jump: {ansible_host: 192.0.2.10}
  children:
    web:
      hosts:
        w[1:2]:
          ansible_port: 22
      vars:
        tier: web
        ansible_become_pass: nope
";
        let rows = parse_yaml(yaml).unwrap();
        let ok: Vec<&HostRecord> = rows.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok.len(), 3);
        assert_eq!(ok[0].name, "jump");
        assert_eq!(ok[1].name, "w1");
        assert_eq!(ok[1].tags["tier"], "web");
        assert_eq!(ok[1].port.as_deref(), Some("22"));
        assert!(!ok[1].tags.contains_key("ansible_become_pass"));
        assert!(parse_yaml("- a list").is_err());
    }
}
