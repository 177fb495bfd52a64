//! Paths that address a value from the root: `.field` and `[index]` steps, as in
//! `scenes[3].options[1].next`; read from text and written back.

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    Field(String),
    Index(usize),
}

/// Splits `a.b[3].c` into steps. `None` if the path is malformed.
pub(super) fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut rest = path.trim();
    let mut first = true;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']')?;
            steps.push(Step::Index(r[..close].trim().parse().ok()?));
            rest = &r[close + 1..];
        } else {
            let r = if first {
                rest.strip_prefix('.').unwrap_or(rest)
            } else {
                rest.strip_prefix('.')?
            };
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let name = r[..end].trim();
            if name.is_empty() {
                return None;
            }
            steps.push(Step::Field(name.to_string()));
            rest = &r[end..];
        }
        first = false;
    }
    Some(steps)
}

/// Renders steps back into path syntax.
pub(super) fn format_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}
