//! Rules about ids: two scenes, endings, injects, or options of one scene with the same id
//! (the second is reported, pointing back at the first).

use super::validator::Validator;
use std::collections::HashMap;

impl Validator<'_> {
    /// Duplicate scene, ending, option and inject ids.
    pub(super) fn check_ids(&mut self) {
        let s = self.s;
        self.duplicates(
            "duplicate-scene",
            "scene",
            s.scenes.iter().map(|x| x.id.as_str()).collect(),
            |i| format!("scenes[{i}].id"),
        );
        self.duplicates(
            "duplicate-ending",
            "ending",
            s.endings.iter().map(|x| x.id.as_str()).collect(),
            |i| format!("endings[{i}].id"),
        );
        self.duplicates(
            "duplicate-inject",
            "inject",
            s.injects.iter().map(|x| x.id.as_str()).collect(),
            |i| format!("injects[{i}].id"),
        );
        for (si, scene) in s.scenes.iter().enumerate() {
            self.duplicates(
                "duplicate-option",
                "option",
                scene.options.iter().map(|o| o.id.as_str()).collect(),
                |i| format!("scenes[{si}].options[{i}].id"),
            );
        }
    }

    fn duplicates(
        &mut self,
        code: &'static str,
        what: &str,
        ids: Vec<&str>,
        path: impl Fn(usize) -> String,
    ) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.into_iter().enumerate() {
            if id.trim().is_empty() {
                continue; // reported as empty-text
            }
            match first.get(id) {
                Some(&j) => {
                    let earlier = self.payload(&path(j));
                    let earlier = self.pos(&earlier);
                    let span = self.payload(&path(i));
                    let d = self.error(code, format!("duplicate {what} id `{id}`"), span);
                    d.label = Some(format!("`{id}` is already used at {earlier}"));
                    d.help = Some(format!("give each {what} its own id"));
                }
                None => {
                    first.insert(id, i);
                }
            }
        }
    }
}
