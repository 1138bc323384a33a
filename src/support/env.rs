//! `${VAR}` and `${VAR:-default}` in settings and case files, read from the environment.
//! Defaults may hold further references (`${A:-${B:-x}}`), a few levels deep.

/// How deep `${A:-${B:-...}}` may nest.
const MAX_NESTING: usize = 8;

/// `text` with every `${VAR}` (or `${VAR:-default}`) replaced by the variable's value; an
/// unset or empty variable without a default is an error naming it.
pub fn interpolate(text: &str) -> Result<String, String> {
    expand(text, 0)
}

/// The names of the variables `text` refers to, in order (defaults' included).
pub fn variables(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let name: String =
            after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
        rest = after;
    }
    out
}

fn expand(text: &str, depth: usize) -> Result<String, String> {
    if depth > MAX_NESTING {
        return Err(format!("'${{…}}' nested more than {MAX_NESTING} deep"));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = closing(after).ok_or_else(|| "unclosed '${'".to_owned())?;
        let inner = &after[..end];
        let (name, default) = match inner.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            let shown: String = inner.chars().take(40).collect();
            return Err(format!("'${{{shown}}}' does not name an environment variable"));
        }
        let value = match (std::env::var(name).ok().filter(|v| !v.is_empty()), default) {
            (Some(v), _) => v,
            (None, Some(d)) => expand(d, depth + 1)?,
            (None, None) => return Err(format!("environment variable {name} is not set")),
        };
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The index of the `}` that closes a `${` whose text starts `text`, nested ones skipped.
fn closing(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_nest_and_variables_are_named() {
        // SAFETY of the test: the names are unique to it.
        let unset = "GAUNTLET_TEST_SURELY_UNSET_1";
        assert_eq!(interpolate(&format!("${{{unset}:-${{{unset}:-x}}}}")).unwrap(), "x");
        assert_eq!(
            interpolate("a${PATH:-b}c").unwrap(),
            format!("a{}c", std::env::var("PATH").unwrap())
        );
        assert!(interpolate(&format!("${{{unset}}}")).unwrap_err().contains(unset));
        assert!(interpolate("${A:-${B").is_err());
        assert_eq!(variables("${A:-${B:-x}} ${C}"), ["A", "B", "C"]);
    }
}
