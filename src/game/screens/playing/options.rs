//! The numbers the talk panel shows the options on offer with (and the number keys say).
//! A number stays with its line for as long as the scene's options are on offer: the core
//! fixes their order once when they appear (shuffled by the seed, if the scenario varies);
//! a line that drops out leaves its number unused rather than renumbering the rest, and a
//! line that turns up later takes the next free number. A new scene numbers afresh.

use bevy::prelude::*;

use crate::game::{Screen, Session};

/// Number keys 1–9: at most nine lines can be chosen by number.
pub const MAX_NUMBERED: u8 = 9;

/// Which option holds which number in the current scene.
#[derive(Resource, Default, Debug, Clone, PartialEq)]
pub struct OptionNumbers {
    scene: Option<String>,
    /// Option id and its number, for every option numbered during this scene.
    numbers: Vec<(String, u8)>,
}

impl OptionNumbers {
    /// Follow what is on offer now in `scene` (in the core's order). Returns whether a
    /// number was given or taken away.
    pub fn sync<'a>(&mut self, scene: &str, offered: impl IntoIterator<Item = &'a str>) -> bool {
        let mut changed = false;
        if self.scene.as_deref() != Some(scene) {
            self.scene = Some(scene.to_string());
            self.numbers.clear();
            changed = true;
        }
        let offered: Vec<&str> = offered.into_iter().collect();
        for id in &offered {
            if self.number_of(id).is_some() {
                continue;
            }
            let next = self.numbers.iter().map(|(_, n)| *n).max().unwrap_or(0) + 1;
            let n = if next <= MAX_NUMBERED {
                Some(next)
            } else {
                // All nine used once: reuse the lowest number no line on offer holds.
                (1..=MAX_NUMBERED).find(|n| {
                    self.numbers
                        .iter()
                        .all(|(o, m)| m != n || !offered.contains(&o.as_str()))
                })
            };
            if let Some(n) = n {
                self.numbers.retain(|(_, m)| *m != n);
                self.numbers.push((id.to_string(), n));
                changed = true;
            }
        }
        changed
    }

    /// The number option `id` is shown with, if it has one.
    pub fn number_of(&self, id: &str) -> Option<u8> {
        self.numbers.iter().find(|(o, _)| o == id).map(|(_, n)| *n)
    }

    /// The option that number `n` says, among those `offered`.
    pub fn option_at<'a>(&self, n: u8, offered: &[&'a str]) -> Option<&'a str> {
        offered
            .iter()
            .copied()
            .find(|id| self.number_of(id) == Some(n))
    }
}

fn reset(mut numbers: ResMut<OptionNumbers>) {
    *numbers = OptionNumbers::default();
}

/// Keep the numbers in step with the core every frame, panel open or not, so a line keeps
/// its number between openings and the number keys work with the panel closed.
fn follow_offers(session: Option<Res<Session>>, mut numbers: ResMut<OptionNumbers>) {
    let Some(session) = session else { return };
    let sim = &session.sim;
    let offered = sim.offered_choices();
    let mut next = numbers.clone();
    if next.sync(sim.scene_id(), offered.iter().map(|c| c.id.as_str())) {
        *numbers = next;
    }
}

/// Numbers, in the set the talk panel's input reads them from.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct NumberOptions;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<OptionNumbers>()
        .add_systems(OnEnter(Screen::Playing), reset)
        .add_systems(
            Update,
            follow_offers
                .in_set(NumberOptions)
                .run_if(in_state(Screen::Playing)),
        );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: &OptionNumbers, offered: &[&str]) -> Vec<(String, u8)> {
        offered
            .iter()
            .map(|o| (o.to_string(), n.number_of(o).unwrap_or(0)))
            .collect()
    }

    #[test]
    fn numbers_stay_with_their_lines_while_the_scene_lasts() {
        let mut n = OptionNumbers::default();
        assert!(n.sync("a", ["intro", "order", "threat"]));
        assert!(!n.sync("a", ["intro", "order", "threat"]), "nothing new");
        // "order" drops out: the others keep their numbers; 2 says nothing now.
        n.sync("a", ["intro", "threat"]);
        assert_eq!(n.number_of("threat"), Some(3));
        assert_eq!(n.option_at(2, &["intro", "threat"]), None);
        // A line that turns up later takes the next number, not the free 2.
        n.sync("a", ["intro", "threat", "sister"]);
        assert_eq!(n.number_of("sister"), Some(4));
        // "order" comes back with its own number.
        n.sync("a", ["intro", "order", "threat", "sister"]);
        assert_eq!(n.number_of("order"), Some(2));
        // A new scene numbers afresh in the core's order.
        n.sync("b", ["listen", "intro"]);
        assert_eq!(
            ids(&n, &["listen", "intro"]),
            vec![("listen".into(), 1), ("intro".into(), 2)]
        );
    }

    #[test]
    fn past_nine_the_lowest_unused_number_is_reused() {
        let mut n = OptionNumbers::default();
        let first: Vec<String> = (1..=9).map(|i| format!("o{i}")).collect();
        n.sync("a", first.iter().map(String::as_str));
        let mut now: Vec<&str> = first.iter().map(String::as_str).collect();
        now.retain(|o| *o != "o4");
        now.push("late");
        n.sync("a", now.iter().copied());
        assert_eq!(n.number_of("late"), Some(4));
        assert_eq!(n.option_at(4, &now), Some("late"));
    }
}
