//! Checks that text is a playbook before it is saved: valid YAML, a list of plays, each play a
//! mapping with `hosts` (or an `import_playbook`), and `tasks`/`roles`/handlers as lists.

use serde_yaml::Value;

/// Why a playbook was refused, with the line when the YAML itself is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub message: String,
}

fn err(line: Option<usize>, message: impl Into<String>) -> ValidationError {
    ValidationError {
        line,
        message: message.into(),
    }
}

/// Validates a playbook's text.
pub fn validate_playbook(text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() {
        return Err(err(None, "the playbook is empty"));
    }
    let doc: Value = serde_yaml::from_str(text).map_err(|e| {
        err(
            e.location().map(|l| l.line()),
            format!("not valid YAML: {e}"),
        )
    })?;
    let Value::Sequence(plays) = doc else {
        return Err(err(
            None,
            "a playbook is a list of plays (start each play with `- hosts: …`)",
        ));
    };
    if plays.is_empty() {
        return Err(err(None, "the playbook has no plays"));
    }
    for (i, play) in plays.iter().enumerate() {
        let n = i + 1;
        let Value::Mapping(m) = play else {
            return Err(err(None, format!("play {n} is not a mapping")));
        };
        let has = |k: &str| m.contains_key(Value::String(k.into()));
        if has("import_playbook") || has("ansible.builtin.import_playbook") {
            continue;
        }
        if !has("hosts") {
            return Err(err(None, format!("play {n} has no `hosts`")));
        }
        for key in ["tasks", "pre_tasks", "post_tasks", "handlers", "roles"] {
            if let Some(v) = m.get(Value::String(key.into())) {
                if !matches!(v, Value::Sequence(_) | Value::Null) {
                    return Err(err(None, format!("play {n}: `{key}` must be a list")));
                }
                if let Value::Sequence(items) = v {
                    if items
                        .iter()
                        .any(|t| !matches!(t, Value::Mapping(_) | Value::String(_)))
                    {
                        return Err(err(
                            None,
                            format!("play {n}: each entry of `{key}` must be a mapping"),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plays_and_imports() {
        validate_playbook("- hosts: all\n  tasks:\n    - ping:\n").unwrap();
        validate_playbook("- import_playbook: other.yml\n").unwrap();
        validate_playbook("- hosts: web\n  roles: [nginx]\n").unwrap();
    }

    #[test]
    fn refuses_what_is_not_a_playbook() {
        let e = validate_playbook("- hosts: all\n  tasks:\n  - ping: {\n").unwrap_err();
        assert!(e.line.is_some(), "{e:?}");
        assert!(e.message.starts_with("not valid YAML"), "{e:?}");
        assert!(validate_playbook("hosts: all\n")
            .unwrap_err()
            .message
            .contains("list of plays"));
        assert!(validate_playbook("- tasks: []\n")
            .unwrap_err()
            .message
            .contains("no `hosts`"));
        assert!(validate_playbook("- hosts: all\n  tasks: ping\n")
            .unwrap_err()
            .message
            .contains("must be a list"));
        assert!(validate_playbook("  \n").is_err());
        assert!(validate_playbook("[]").is_err());
    }
}
