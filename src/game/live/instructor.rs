//! Live instructor controls while a run is playing.
//!
//! The instructor sits beside the trainee and steers the scenario with the function keys,
//! which the trainee's controls never use:
//!
//! | key | does |
//! |---|---|
//! | F1 | show / hide the instructor panel (hotkeys, scenes, endings, injects) |
//! | F2 / F3 | nudge agitation +10 / −10 |
//! | F4 | pause / resume the run |
//! | F5 | pick a scene to force (F5 again: next scene; Enter: go; Esc: cancel) |
//! | F6 | pick an ending to force (F6 again: next ending; Enter: end the run; Esc: cancel) |
//! | F7 | fire the selected inject |
//! | F8 | select the next inject |
//! | F9 | flag this moment with a note (type it, Enter saves, Esc cancels) |
//!
//! Every action goes to the core as an ordinary [`TraineeAct`] of
//! [`Action::Instructor`], so it is logged, recorded, replayed and listed in the debrief
//! like anything the trainee does. The confirmation ("Instructor: nudged agitation +10")
//! is shown when the core reports the action, so it only appears for actions that
//! really happened; a refused one says why.
//!
//! While the note field is open the keyboard belongs to it: the trainee's keys (WASD,
//! Q/E, 1–9, Tab, Space, H, Esc) do nothing until Enter or Esc. While a scene or ending
//! picker is open only Enter and Esc are taken; the trainee can go on moving and talking.
//!
//! [`plugin`] is the logic (keys → actions, confirmations) and works headless;
//! [`ui_plugin`] draws the panel, the prompts and the confirmations.

use super::session::ActRejected;
use crate::format::scenario::Scenario;
use crate::game::state::{PlayState, Screen, Session, SimEvent, TraineeAct};
use crate::game::theme::{UiFonts, color, size};
use crate::sim::{Action, EventKind, InstructorAction};
use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::input::InputSystems;
use bevy::input::keyboard::KeyboardInput;
use bevy::prelude::*;

/// Agitation points added (F2) or removed (F3) by one nudge.
pub const NUDGE: f32 = 10.0;
/// Seconds a confirmation stays on screen.
pub const TOAST_SECS: f64 = 4.0;
/// Longest flag note, in characters.
pub const MAX_NOTE: usize = 90;
/// The note saved when the instructor presses Enter without typing anything.
pub const DEFAULT_NOTE: &str = "flag";

/// What a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    Scene,
    Ending,
}

/// An open picker: which list, and the highlighted entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picker {
    pub kind: PickKind,
    pub index: usize,
}

/// A confirmation (or refusal) shown for a few seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub warn: bool,
    /// `Time<Real>` seconds when it appeared.
    pub since: f64,
}

/// The instructor's controls.
#[derive(Resource, Debug, Default)]
pub struct Instructor {
    /// The F1 panel is shown.
    pub overlay: bool,
    pub picker: Option<Picker>,
    /// Index of the selected inject (F8 cycles, F7 fires).
    pub inject: usize,
    /// The flag note being typed (F9), if the field is open.
    pub note: Option<String>,
    pub toast: Option<Toast>,
}

impl Instructor {
    fn say(&mut self, text: impl Into<String>, warn: bool, now: f64) {
        self.toast = Some(Toast {
            text: text.into(),
            warn,
            since: now,
        });
    }

    /// The toast to show at `now`, if it has not expired.
    pub fn current_toast(&self, now: f64) -> Option<&Toast> {
        self.toast
            .as_ref()
            .filter(|t| now - t.since >= 0.0 && now - t.since < TOAST_SECS)
    }
}

/// Keys → instructor actions, and the confirmations. Headless-safe: without a keyboard
/// resource the hotkeys simply do nothing.
pub fn plugin(app: &mut App) {
    app.init_resource::<Instructor>()
        .add_message::<KeyboardInput>()
        .add_systems(
            PreUpdate,
            modal_input
                .after(InputSystems)
                .run_if(in_state(Screen::Playing)),
        )
        .add_systems(
            Update,
            (hotkeys, confirm).chain().run_if(in_state(Screen::Playing)),
        )
        .add_systems(OnExit(Screen::Playing), close_prompts);
}

fn now(time: &Time<Real>) -> f64 {
    time.elapsed_secs_f64()
}

fn close_prompts(mut ins: ResMut<Instructor>) {
    ins.picker = None;
    ins.note = None;
    ins.toast = None;
}

fn list_len(scenario: &Scenario, kind: PickKind) -> usize {
    match kind {
        PickKind::Scene => scenario.scenes.len(),
        PickKind::Ending => scenario.endings.len(),
    }
}

/// The note field and the pickers' Enter / Esc, before anything else sees the keys.
fn modal_input(
    keys: Option<ResMut<ButtonInput<KeyCode>>>,
    mut typed: MessageReader<KeyboardInput>,
    mut ins: ResMut<Instructor>,
    session: Option<Res<Session>>,
    mut acts: MessageWriter<TraineeAct>,
) {
    let mut keys = keys;
    // Always drain the typed keys, so a note never starts with keys pressed before F9.
    let typed: Vec<KeyboardInput> = typed.read().cloned().collect();
    if let Some(note) = ins.note.as_mut() {
        let mut done: Option<bool> = None;
        for ev in typed.iter().filter(|e| e.state.is_pressed()) {
            match ev.key_code {
                KeyCode::Enter | KeyCode::NumpadEnter => {
                    done = Some(true);
                    break;
                }
                KeyCode::Escape => {
                    done = Some(false);
                    break;
                }
                KeyCode::Backspace => {
                    note.pop();
                }
                _ => {
                    if let Some(text) = &ev.text {
                        for c in text.chars().filter(|c| !c.is_control()) {
                            if note.chars().count() < MAX_NOTE {
                                note.push(c);
                            }
                        }
                    }
                }
            }
        }
        match done {
            Some(true) => {
                let text = note.trim();
                let text = if text.is_empty() { DEFAULT_NOTE } else { text }.to_string();
                ins.note = None;
                if session.is_some() {
                    acts.write(TraineeAct(Action::Instructor(InstructorAction::Flag(text))));
                }
            }
            Some(false) => ins.note = None,
            None => {}
        }
        // The keyboard belonged to the note field this frame.
        if let Some(k) = keys.as_mut() {
            // F12 (screenshot) still works.
            let shot = k.just_pressed(KeyCode::F12);
            k.reset_all();
            if shot {
                k.press(KeyCode::F12);
            }
        }
        return;
    }
    let Some(picker) = ins.picker else { return };
    let Some(k) = keys.as_mut() else { return };
    let enter = k.just_pressed(KeyCode::Enter) || k.just_pressed(KeyCode::NumpadEnter);
    let escape = k.just_pressed(KeyCode::Escape);
    for key in [KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Escape] {
        k.clear_just_pressed(key);
    }
    if escape {
        ins.picker = None;
        return;
    }
    if !enter {
        return;
    }
    ins.picker = None;
    let Some(session) = session else { return };
    let scenario = session.sim.scenario();
    let action = match picker.kind {
        PickKind::Scene => scenario
            .scenes
            .get(picker.index)
            .map(|s| InstructorAction::ForceScene(s.id.clone())),
        PickKind::Ending => scenario
            .endings
            .get(picker.index)
            .map(|e| InstructorAction::ForceEnding(e.id.clone())),
    };
    if let Some(a) = action {
        acts.write(TraineeAct(Action::Instructor(a)));
    }
}

fn hotkeys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    mut ins: ResMut<Instructor>,
    session: Option<Res<Session>>,
    play: Option<Res<State<PlayState>>>,
    mut next_play: Option<ResMut<NextState<PlayState>>>,
    mut acts: MessageWriter<TraineeAct>,
    time: Res<Time<Real>>,
) {
    let Some(keys) = keys else { return };
    if ins.note.is_some() {
        return;
    }
    let t = now(&time);
    let pressed = |k: KeyCode| keys.just_pressed(k);
    if pressed(KeyCode::F1) {
        ins.overlay = !ins.overlay;
    }
    let Some(session) = session else { return };
    let scenario = std::sync::Arc::clone(session.sim.scenario());
    let ended = session.debrief.is_some() || session.sim.is_finished();
    let paused = play.as_ref().is_some_and(|p| *p.get() == PlayState::Paused);

    if pressed(KeyCode::F4) && !ended {
        if let Some(next) = next_play.as_mut() {
            if paused {
                next.set(PlayState::Running);
                ins.say("Instructor: resumed the run", false, t);
            } else {
                next.set(PlayState::Paused);
                ins.say("Instructor: paused the run (F4 resumes)", false, t);
            }
        }
        return;
    }
    if pressed(KeyCode::F8) {
        if scenario.injects.is_empty() {
            ins.say("This scenario has no injects", true, t);
        } else {
            ins.inject = (ins.inject + 1) % scenario.injects.len();
            let label = &scenario.injects[ins.inject].label;
            ins.say(format!("Inject selected: {label} (F7 fires it)"), false, t);
        }
    }
    let acting = [
        KeyCode::F2,
        KeyCode::F3,
        KeyCode::F5,
        KeyCode::F6,
        KeyCode::F7,
        KeyCode::F9,
    ]
    .into_iter()
    .any(pressed);
    if !acting {
        return;
    }
    if ended {
        ins.say("The run has ended", true, t);
        return;
    }
    if paused {
        ins.say("The run is paused: F4 resumes it first", true, t);
        return;
    }
    let mut send = |a: InstructorAction| {
        acts.write(TraineeAct(Action::Instructor(a)));
    };
    if pressed(KeyCode::F2) {
        send(InstructorAction::Nudge(NUDGE));
    }
    if pressed(KeyCode::F3) {
        send(InstructorAction::Nudge(-NUDGE));
    }
    if pressed(KeyCode::F7) {
        match scenario
            .injects
            .get(ins.inject.min(scenario.injects.len().saturating_sub(1)))
        {
            Some(inj) => send(InstructorAction::Inject(inj.id.clone())),
            None => ins.say("This scenario has no injects", true, t),
        }
    }
    for (key, kind) in [
        (KeyCode::F5, PickKind::Scene),
        (KeyCode::F6, PickKind::Ending),
    ] {
        if !pressed(key) {
            continue;
        }
        let n = list_len(&scenario, kind);
        if n == 0 {
            ins.say("There is nothing to choose from", true, t);
            continue;
        }
        ins.picker = Some(match ins.picker {
            Some(p) if p.kind == kind => Picker {
                kind,
                index: (p.index + 1) % n,
            },
            _ => {
                // Scenes start after the current one; endings at the first.
                let index = match kind {
                    PickKind::Scene => scenario
                        .scene_index(session.sim.scene_id())
                        .map_or(0, |i| (i + 1) % n),
                    PickKind::Ending => 0,
                };
                Picker { kind, index }
            }
        });
    }
    if pressed(KeyCode::F9) {
        ins.picker = None;
        ins.note = Some(String::new());
    }
}

/// The sentence confirming an instructor action the core carried out.
pub fn confirmation(scenario: &Scenario, a: &InstructorAction) -> String {
    match a {
        InstructorAction::Nudge(v) => format!("Instructor: nudged agitation {v:+.0}"),
        InstructorAction::ForceScene(s) => format!("Instructor: moved the scenario to “{s}”"),
        InstructorAction::ForceEnding(e) => {
            let title = scenario
                .endings
                .iter()
                .find(|x| &x.id == e)
                .map_or(e.as_str(), |x| x.title.as_str());
            format!("Instructor: ended the run — “{title}”")
        }
        InstructorAction::Inject(id) => {
            let label = scenario
                .injects
                .iter()
                .find(|x| &x.id == id)
                .map_or(id.as_str(), |x| x.label.as_str());
            format!("Instructor: injected “{label}”")
        }
        InstructorAction::Flag(note) => format!("Instructor: flag saved — “{note}”"),
    }
}

fn confirm(
    mut events: MessageReader<SimEvent>,
    mut rejected: MessageReader<ActRejected>,
    mut ins: ResMut<Instructor>,
    session: Option<Res<Session>>,
    time: Res<Time<Real>>,
) {
    let t = now(&time);
    for SimEvent(e) in events.read() {
        if let EventKind::Instructor { action } = &e.kind
            && let Some(s) = &session
        {
            let text = confirmation(s.sim.scenario(), action);
            ins.say(text, false, t);
        }
    }
    for r in rejected.read() {
        if matches!(r.action, Action::Instructor(_)) {
            ins.say(format!("Instructor action refused: {}", r.reason), true, t);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------

#[derive(Component)]
struct Panel;

#[derive(Component)]
struct PanelLive;

#[derive(Component)]
struct Prompt;

#[derive(Component)]
struct PromptText;

#[derive(Component)]
struct ToastBox;

#[derive(Component)]
struct ToastText;

/// The panel, prompts and confirmations (needs the interface fonts).
pub fn ui_plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Playing), spawn_ui)
        .add_systems(
            Update,
            (rebuild_panel, live_line, prompt, toast)
                .after(confirm)
                .run_if(in_state(Screen::Playing)),
        );
}

fn spawn_ui(mut commands: Commands, fonts: Option<Res<UiFonts>>) {
    let Some(fonts) = fonts else { return };
    commands.spawn((
        Name::new("Instructor panel"),
        Panel,
        Node {
            position_type: PositionType::Absolute,
            right: Val::Px(16.0),
            top: Val::Px(78.0),
            width: Val::Px(540.0),
            max_height: Val::Px(500.0),
            overflow: Overflow::clip(),
            padding: UiRect::all(Val::Px(14.0)),
            border: UiRect::all(Val::Px(2.0)),
            border_radius: BorderRadius::all(Val::Px(8.0)),
            flex_direction: FlexDirection::Column,
            row_gap: Val::Px(3.0),
            ..default()
        },
        BackgroundColor(color::PANEL),
        BorderColor::all(color::ACCENT),
        Visibility::Hidden,
        GlobalZIndex(25),
        DespawnOnExit(Screen::Playing),
    ));
    // Confirmations above prompts, down the left side under the HUD (the panel is right).
    commands
        .spawn((
            Name::new("Instructor messages"),
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(196.0),
                left: Val::Px(16.0),
                width: Val::Px(680.0),
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::FlexStart,
                row_gap: Val::Px(8.0),
                ..default()
            },
            GlobalZIndex(26),
            DespawnOnExit(Screen::Playing),
        ))
        .with_children(|col| {
            col.spawn((
                ToastBox,
                Node {
                    display: Display::None,
                    padding: UiRect::axes(Val::Px(18.0), Val::Px(8.0)),
                    border: UiRect::all(Val::Px(2.0)),
                    border_radius: BorderRadius::all(Val::Px(8.0)),
                    ..default()
                },
                BackgroundColor(color::PANEL_SOLID),
                BorderColor::all(color::ACCENT),
            ))
            .with_children(|b| {
                b.spawn((ToastText, fonts.bold("", size::BODY, color::TEXT)));
            });
            col.spawn((
                Prompt,
                Node {
                    display: Display::None,
                    width: Val::Px(680.0),
                    padding: UiRect::axes(Val::Px(18.0), Val::Px(12.0)),
                    border: UiRect::all(Val::Px(2.0)),
                    border_radius: BorderRadius::all(Val::Px(8.0)),
                    ..default()
                },
                BackgroundColor(color::PANEL_SOLID),
                BorderColor::all(color::WARN),
            ))
            .with_children(|p| {
                p.spawn((PromptText, fonts.bold("", size::LARGE, color::TEXT)));
            });
        });
}

/// Text size of the scene and ending ids (rem): a little smaller, there can be many.
const CHIP: f32 = 0.82;

/// The hotkeys, two to a row.
const HOTKEYS: [(&str, &str); 8] = [
    ("F2", "agitation +10"),
    ("F3", "agitation −10"),
    ("F4", "pause / resume"),
    ("F5", "force a scene"),
    ("F6", "force an ending"),
    ("F7", "fire the inject"),
    ("F8", "next inject"),
    ("F9", "flag + note"),
];

/// Rebuild the panel's contents when the controls or the scene change.
fn rebuild_panel(
    mut commands: Commands,
    fonts: Option<Res<UiFonts>>,
    ins: Res<Instructor>,
    session: Option<Res<Session>>,
    mut panel: Query<(Entity, &mut Visibility), With<Panel>>,
    mut shown: Local<Option<(String, Option<Picker>, usize)>>,
) {
    let (Some(fonts), Some(session)) = (fonts, session) else {
        return;
    };
    let Ok((root, mut vis)) = panel.single_mut() else {
        return;
    };
    let want = if ins.overlay {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    if *vis != want {
        *vis = want;
    }
    if !ins.overlay {
        return;
    }
    let scene = session.sim.scene_id().to_string();
    let key = (scene.clone(), ins.picker, ins.inject);
    if shown.as_ref() == Some(&key) && !vis.is_changed() {
        return;
    }
    *shown = Some(key);
    let sc = std::sync::Arc::clone(session.sim.scenario());
    commands.entity(root).despawn_related::<Children>();
    commands.entity(root).with_children(|p| {
        p.spawn(Node {
            justify_content: JustifyContent::SpaceBetween,
            ..default()
        })
        .with_children(|h| {
            h.spawn(fonts.bold("Instructor", size::LARGE, color::ACCENT));
            h.spawn(fonts.text("F1 hides", size::SMALL, color::MUTED));
        });
        p.spawn((PanelLive, fonts.text("", size::SMALL, color::MUTED)));
        p.spawn(Node {
            flex_wrap: FlexWrap::Wrap,
            row_gap: Val::Px(1.0),
            ..default()
        })
        .with_children(|grid| {
            for (k, what) in HOTKEYS {
                grid.spawn(Node {
                    width: Val::Percent(50.0),
                    column_gap: Val::Px(8.0),
                    ..default()
                })
                .with_children(|cell| {
                    cell.spawn((
                        Node {
                            width: Val::Px(30.0),
                            flex_shrink: 0.0,
                            ..default()
                        },
                        children![fonts.bold(k, size::SMALL, color::WARN)],
                    ));
                    cell.spawn(fonts.text(what, size::SMALL, color::TEXT));
                });
            }
        });
        let picked =
            |kind: PickKind, i: usize| ins.picker.is_some_and(|p| p.kind == kind && p.index == i);
        let heading = |p: &mut ChildSpawnerCommands, s: &str| {
            p.spawn((
                Node {
                    margin: UiRect::top(Val::Px(5.0)),
                    ..default()
                },
                children![fonts.bold(s, size::BODY, color::ACCENT)],
            ));
        };
        // Ids side by side, wrapping: scenarios can have many scenes and endings.
        let chips = |p: &mut ChildSpawnerCommands, items: Vec<(String, bool, bool)>| {
            p.spawn(Node {
                flex_wrap: FlexWrap::Wrap,
                column_gap: Val::Px(6.0),
                row_gap: Val::Px(0.0),
                ..default()
            })
            .with_children(|w| {
                for (label, sel, current) in items {
                    let (bg, fg) = if sel {
                        (color::SELECTED, color::TEXT)
                    } else if current {
                        (color::PANEL_LIGHT, color::GOOD)
                    } else {
                        (Color::NONE, color::MUTED)
                    };
                    let label = if current {
                        format!("▶ {label}")
                    } else {
                        label
                    };
                    w.spawn((
                        Node {
                            padding: UiRect::axes(Val::Px(5.0), Val::Px(0.0)),
                            border_radius: BorderRadius::all(Val::Px(4.0)),
                            ..default()
                        },
                        BackgroundColor(bg),
                        children![fonts.text(label, CHIP, fg)],
                    ));
                }
            });
        };
        heading(p, "Scenes");
        chips(
            p,
            sc.scenes
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), picked(PickKind::Scene, i), s.id == scene))
                .collect(),
        );
        heading(p, "Endings");
        chips(
            p,
            sc.endings
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.clone(), picked(PickKind::Ending, i), false))
                .collect(),
        );
        heading(p, "Injects");
        if sc.injects.is_empty() {
            p.spawn(fonts.text("(none in this scenario)", size::SMALL, color::MUTED));
        }
        for (i, inj) in sc.injects.iter().enumerate() {
            let sel = i == ins.inject.min(sc.injects.len() - 1);
            p.spawn(fonts.text(
                format!("{} {}", if sel { "●" } else { "○" }, inj.label),
                size::SMALL,
                if sel { color::TEXT } else { color::MUTED },
            ));
        }
    });
}

/// "Scene · agitation · trust · time" in the panel, every frame.
fn live_line(session: Option<Res<Session>>, mut q: Query<&mut Text, With<PanelLive>>) {
    let Some(s) = session else { return };
    for mut t in &mut q {
        let line = format!(
            "Now: {} · agitation {:.0} · trust {:.0} · {}",
            s.sim.scene_id(),
            s.sim.agitation(),
            s.sim.trust(),
            crate::assess::score::clock(s.sim.time())
        );
        if t.0 != line {
            t.0 = line;
        }
    }
}

fn prompt(
    ins: Res<Instructor>,
    session: Option<Res<Session>>,
    time: Res<Time<Real>>,
    mut boxes: Query<&mut Node, With<Prompt>>,
    mut texts: Query<&mut Text, With<PromptText>>,
) {
    let text = if let Some(note) = &ins.note {
        // A blinking caret.
        let caret = if ((time.elapsed_secs() * 2.0) as u32).is_multiple_of(2) {
            "▏"
        } else {
            " "
        };
        Some(format!(
            "Flag note: {note}{caret}\nEnter saves (empty: “{DEFAULT_NOTE}”) · Esc cancels"
        ))
    } else if let (Some(p), Some(s)) = (ins.picker, &session) {
        let sc = s.sim.scenario();
        match p.kind {
            PickKind::Scene => sc.scenes.get(p.index).map(|x| {
                let note = x
                    .note
                    .as_deref()
                    .map(|n| format!(" — {n}"))
                    .unwrap_or_default();
                format!(
                    "Force scene: {}{note}\nF5 next · Enter go · Esc cancel",
                    x.id
                )
            }),
            PickKind::Ending => sc.endings.get(p.index).map(|x| {
                format!(
                    "Force ending: {} ({})\nF6 next · Enter ends the run · Esc cancel",
                    x.title,
                    x.outcome.label()
                )
            }),
        }
    } else {
        None
    };
    for mut n in &mut boxes {
        let want = if text.is_some() {
            Display::Flex
        } else {
            Display::None
        };
        if n.display != want {
            n.display = want;
        }
    }
    if let Some(text) = text {
        for mut t in &mut texts {
            if t.0 != text {
                t.0 = text.clone();
            }
        }
    }
}

fn toast(
    ins: Res<Instructor>,
    time: Res<Time<Real>>,
    mut boxes: Query<&mut Node, With<ToastBox>>,
    mut texts: Query<(&mut Text, &mut TextColor), With<ToastText>>,
) {
    let current = ins.current_toast(now(&time));
    for mut n in &mut boxes {
        let want = if current.is_some() {
            Display::Flex
        } else {
            Display::None
        };
        if n.display != want {
            n.display = want;
        }
    }
    if let Some(toast) = current {
        for (mut t, mut c) in &mut texts {
            if t.0 != toast.text {
                t.0 = toast.text.clone();
            }
            let col = if toast.warn { color::WARN } else { color::TEXT };
            if c.0 != col {
                c.0 = col;
            }
        }
    }
}
