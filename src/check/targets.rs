//! Rules about where the story goes: a `Scene(..)` or `Ending(..)` must name one that exists
//! (`OneOf` branches are checked in `vary`); an unknown id is reported with the closest
//! known one, or the other kind it names, or the ids there are.

use super::validator::Validator;
use crate::format::scenario::Next;
use crate::format::words::{self, closest};
use std::collections::HashMap;
use std::ops::Range;

impl Validator<'_> {
    /// A `Next::Scene` / `Next::Ending` must name something that exists.
    pub(super) fn check_next(&mut self, path: &str, next: &Next) {
        let (code, id, scene) = match next {
            Next::Stay => return,
            Next::OneOf(_) => return self.check_branches(path, next),
            Next::Scene(id) if !self.scene_ids.contains_key(id.as_str()) => {
                ("unknown-scene", id, true)
            }
            Next::Ending(id) if !self.ending_ids.contains_key(id.as_str()) => {
                ("unknown-ending", id, false)
            }
            _ => return,
        };
        let span = self.payload(path);
        let field = path.rsplit('.').next().unwrap_or(path).to_string();
        self.unknown_target(code, &field, id, span, scene);
    }

    /// Reports an id that names no scene (`scene`) or no ending, with a suggestion.
    pub(super) fn unknown_target(
        &mut self,
        code: &'static str,
        field: &str,
        id: &str,
        span: Range<usize>,
        scene: bool,
    ) {
        let kind = if scene { "scene" } else { "ending" };
        let help = self.target_help(field, id, scene);
        let d = self.error(code, format!("`{field}` names no {kind}: `{id}`"), span);
        d.label = Some(format!("no {kind} has this id"));
        d.help = Some(help);
    }

    /// The closest id of the kind; else, if `id` is one of the other kind, how to write
    /// that; else the ids there are.
    fn target_help(&self, field: &str, id: &str, scene: bool) -> String {
        let (kind, other_kind) = if scene {
            ("scene", "ending")
        } else {
            ("ending", "scene")
        };
        let (same, other) = if scene {
            (&self.scene_ids, &self.ending_ids)
        } else {
            (&self.ending_ids, &self.scene_ids)
        };
        if let Some(best) = closest(id, same.keys().copied()) {
            return format!("did you mean `{best}`?");
        }
        if !other.contains_key(id) {
            return known_ids(kind, same);
        }
        let variant = if scene { "Ending" } else { "Scene" };
        let (is, not) = (words::with_article(other_kind), words::with_article(kind));
        if field == "start_scene" || field == "timeout_ending" {
            format!("`{id}` is {is}, not {not}")
        } else {
            format!("`{id}` is {is}: write `{variant}(\"{id}\")`")
        }
    }
}

/// "known scenes: `a`, `b`" (sorted), or "there are no scenes defined".
fn known_ids(kind: &str, ids: &HashMap<&str, usize>) -> String {
    let mut known: Vec<&str> = ids.keys().copied().collect();
    known.sort_unstable();
    if known.is_empty() {
        return format!("there are no {kind}s defined");
    }
    format!(
        "known {kind}s: {}",
        known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}
