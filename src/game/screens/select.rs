//! The select screen: the scenario library grouped by kind of call (title, expected
//! minutes, mode, place, learning objectives, and this trainee's runs of each from the
//! records folder; broken files with their first error), the trainee's name, settings, quit.
//!
//! Keys: ↑/↓ choose, Enter opens the briefing, Tab edits the name, F2 settings.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;

use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::ecs::system::SystemParam;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};
use std::collections::HashMap;
use std::path::Path;

use crate::format::scenario::{CallKind, Mode};
use crate::format::vocab::Outcome;
use crate::game::assets::{Library, LibraryEntry, StartScenario};
use crate::game::screens::settings::SettingsPanel;
use crate::game::state::SettingsInput;
use crate::game::theme::{self, UiFonts, color, size, widget};
use crate::game::{Launch, Screen};

/// Longest trainee name accepted (characters).
const NAME_MAX: usize = 40;

/// Select-screen state that outlives the screen (the chosen row, the name being typed).
#[derive(Resource, Default)]
struct SelectState {
    index: usize,
    editing_name: bool,
    name: String,
    name_loaded: bool,
    /// What the list was built from (rebuilt when the library changes).
    signature: Vec<String>,
    /// A start was requested and is waiting for the file.
    starting: bool,
    /// The trainee (or a run) chose a row; until then the first row shown is chosen.
    chosen: bool,
}

#[derive(Component)]
struct ListRoot;

#[derive(Component)]
struct ListItem(usize);

#[derive(Component)]
struct DetailRoot;

#[derive(Component)]
struct NameField;

#[derive(Component)]
struct NameText;

#[derive(Component)]
struct StartButton;

#[derive(Component)]
struct SettingsButton;

#[derive(Component)]
struct QuitButton;

#[derive(Component)]
struct StatusText;

/// The first diagnostic of a rendered check report (its header line and snippet).
pub fn first_error(report: &str) -> String {
    let is_header = |l: &str| l.contains(": error[") || l.contains(": warning[");
    let lines: Vec<&str> = report.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.contains(": error["))
        .or_else(|| lines.iter().position(|l| is_header(l)))
        .unwrap_or(0);
    let mut out: Vec<&str> = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(start) {
        if i > start && is_header(l) {
            break;
        }
        out.push(l);
    }
    let text = out.join("\n").trim_end().to_string();
    if text.is_empty() {
        report.trim().to_string()
    } else {
        text
    }
}

/// How many errors a rendered report has.
pub fn error_count(report: &str) -> usize {
    report.lines().filter(|l| l.contains(": error[")).count()
}

/// Just the message of a diagnostic header (`path:1:2: error[code]: message` → `message`).
fn headline(report: &str) -> String {
    let first = first_error(report);
    let line = first.lines().next().unwrap_or("");
    match line.split_once("]: ") {
        Some((_, msg)) => msg.to_string(),
        None => line.rsplit(": ").next().unwrap_or(line).to_string(),
    }
}

fn mode_label(m: Option<Mode>) -> &'static str {
    match m {
        Some(Mode::Training) => "Training",
        Some(Mode::Assessment) => "Assessment",
        None => "",
    }
}

fn signature(lib: &Library) -> Vec<String> {
    let mut v: Vec<String> = lib
        .entries
        .iter()
        .map(|e| {
            format!(
                "{}|{}|{:?}|{:?}|{}|{}",
                e.path.display(),
                e.title,
                e.expected_minutes,
                e.mode,
                e.errors.as_deref().map_or(0, str::len),
                e.is_loading()
            )
        })
        .collect();
    v.push(lib.folder_error.clone().unwrap_or_default());
    v
}

fn enter(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    mut state: ResMut<SelectState>,
    mut played: ResMut<Played>,
    launch: Res<Launch>,
    lib: Res<Library>,
    active: Option<Res<crate::game::ActiveScenario>>,
) {
    // Back from a run: keep that scenario chosen.
    if let Some(a) = &active
        && let Some(i) = lib.entries.iter().position(|e| e.path == a.path)
    {
        state.index = i;
        state.chosen = true;
    }
    if !state.name_loaded {
        state.name = launch.trainee.clone().unwrap_or_default();
        state.name_loaded = true;
    }
    state.signature.clear();
    state.starting = false;
    state.editing_name = false;
    // A run may have been recorded since: read the records folder again.
    played.for_name = None;
    commands
        .spawn((
            Node {
                padding: UiRect::axes(Val::Px(40.0), Val::Px(24.0)),
                row_gap: Val::Px(14.0),
                ..theme::screen_root()
            },
            BackgroundColor(color::BG),
            DespawnOnExit(Screen::Select),
        ))
        .with_children(|root| {
            header(root, &fonts);
            body(root, &fonts);
            footer(root, &fonts);
        });
}

/// The title and the trainee's name field.
fn header(root: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    root.spawn(widget::bar()).with_children(|h| {
        h.spawn(Node {
            flex_direction: FlexDirection::Column,
            ..default()
        })
        .with_children(|t| {
            t.spawn(fonts.bold("De-escalation trainer", size::HEADING, color::TEXT));
            t.spawn(fonts.text("Choose a scenario", size::SMALL, color::MUTED));
        });
        h.spawn(Node {
            align_items: AlignItems::Center,
            column_gap: Val::Px(12.0),
            ..default()
        })
        .with_children(|n| {
            n.spawn(fonts.text("Trainee", size::BODY, color::MUTED));
            n.spawn((
                Button,
                Node {
                    min_width: Val::Px(260.0),
                    padding: UiRect::axes(Val::Px(14.0), Val::Px(8.0)),
                    border: UiRect::all(Val::Px(2.0)),
                    border_radius: BorderRadius::all(Val::Px(6.0)),
                    ..default()
                },
                BackgroundColor(color::PANEL_LIGHT),
                BorderColor::all(color::BORDER),
                NameField,
            ))
            .with_children(|f| {
                f.spawn((fonts.text("", size::LARGE, color::TEXT), NameText));
            });
        });
    });
}

/// The list (grouped by kind of call) beside the details of the chosen scenario.
fn body(root: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    root.spawn(Node {
        flex_grow: 1.0,
        min_height: Val::Px(0.0),
        column_gap: Val::Px(24.0),
        ..default()
    })
    .with_children(|b| {
        b.spawn((
            Node {
                width: Val::Percent(48.0),
                flex_direction: FlexDirection::Column,
                row_gap: Val::Px(8.0),
                overflow: Overflow::scroll_y(),
                ..default()
            },
            ScrollPosition::default(),
            ListRoot,
            theme::Scrollable,
            bevy::ui::RelativeCursorPosition::default(),
        ));
        let more = (Val::Auto, "▼ more below: mouse wheel");
        widget::scrolling_column(b, fonts, more, DetailRoot, |_| {});
    });
}

/// Key hints and the buttons.
fn footer(root: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    root.spawn(widget::bar()).with_children(|f| {
        f.spawn((widget::key_hints(fonts, HINTS), StatusText));
        f.spawn(widget::button_row()).with_children(|bt| {
            theme::spawn_button(bt, fonts, "Settings", SettingsButton);
            theme::spawn_button(bt, fonts, "Quit", QuitButton);
            theme::spawn_button(bt, fonts, "Open briefing  ▶", StartButton);
        });
    });
}

const HINTS: &str = "↑ ↓ choose    Enter open briefing    Tab type your name    F2 settings";

/// How long, how it is run, and where.
fn item_meta(e: &LibraryEntry) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(m) = e.expected_minutes {
        parts.push(format!("about {m:.0} min"));
    }
    if e.mode.is_some() {
        parts.push(mode_label(e.mode).to_string());
    }
    if let Some(env) = e.environment {
        let mut s = env.label().to_string();
        if let Some(c) = s.get_mut(0..1) {
            c.make_ascii_uppercase();
        }
        parts.push(s);
    }
    parts.join("  ·  ")
}

/// The kind of call an entry is grouped under (`None`: a file with errors).
fn call_of(e: &LibraryEntry) -> Option<CallKind> {
    match (e.playable(), &e.errors) {
        (Some(a), _) => Some(a.scenario.call),
        (None, Some(_)) => None,
        (None, None) => Some(CallKind::Other),
    }
}

/// The entries in the order the list shows them: by kind of call (files with errors
/// last), by file name within a kind.
fn display_order(lib: &Library) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lib.entries.len()).collect();
    order.sort_by_key(|&i| {
        (
            call_of(&lib.entries[i]).map_or(CallKind::ALL.len(), |c| c as usize),
            i,
        )
    });
    order
}

/// What the list says of one entry under its title.
fn item_line(e: &LibraryEntry) -> (String, Color) {
    if let Some(err) = &e.errors {
        let n = error_count(err);
        let what = if n > 1 {
            format!("{n} errors")
        } else {
            "has an error".to_string()
        };
        return (format!("{what} — {}", headline(err)), color::BAD);
    }
    if e.is_loading() {
        return ("loading…".to_string(), color::MUTED);
    }
    (item_meta(e), color::MUTED)
}

fn rebuild_list(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    lib: Res<Library>,
    played: Res<Played>,
    mut state: ResMut<SelectState>,
    list: Query<Entity, With<ListRoot>>,
) {
    let Ok(list) = list.single() else { return };
    let mut sig = signature(&lib);
    sig.push(format!("played {}", played.generation));
    if sig == state.signature {
        return;
    }
    state.signature = sig;
    if !state.chosen
        && let Some(&first) = display_order(&lib).first()
    {
        state.index = first;
    }
    if state.index >= lib.entries.len() {
        state.index = lib.entries.len().saturating_sub(1);
    }
    commands.entity(list).despawn_children();
    commands.entity(list).with_children(|l| {
        if let Some(err) = &lib.folder_error {
            l.spawn(fonts.text(err.clone(), size::BODY, color::BAD));
        }
        if lib.entries.is_empty() {
            l.spawn(fonts.text(
                format!(
                    "No scenarios found in {}. Put scenario files (*.ron) there; they appear here automatically.",
                    lib.folder.display()
                ),
                size::BODY,
                color::MUTED,
            ));
        }
        let mut group = None;
        for i in display_order(&lib) {
            let e = &lib.entries[i];
            let call = call_of(e);
            if group != Some(call) {
                group = Some(call);
                let title = call.map_or("Files with errors", CallKind::label);
                l.spawn(widget::group_heading(&fonts, title));
            }
            list_item(l, &fonts, i, e, played.of(e));
        }
    });
}

/// One scenario in the list: title, length / mode / place, and whether it was played.
fn list_item(
    l: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    i: usize,
    e: &LibraryEntry,
    runs: Option<&PlayedRuns>,
) {
    l.spawn((widget::list_card(), ListItem(i)))
        .with_children(|it| {
            let title_color = if e.errors.is_some() {
                color::BAD
            } else {
                color::TEXT
            };
            it.spawn(fonts.bold(e.title.clone(), size::LARGE, title_color));
            let (line, c) = item_line(e);
            it.spawn(fonts.text(line, size::SMALL, c));
            if let Some(r) = runs {
                it.spawn(fonts.text(format!("✓ {}", r.summary()), size::SMALL, color::GOOD));
            }
        });
}

fn refresh_details(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    lib: Res<Library>,
    played: Res<Played>,
    state: Res<SelectState>,
    detail: Query<Entity, With<DetailRoot>>,
    mut shown: Local<Option<(Entity, usize, Vec<String>)>>,
) {
    let Ok(detail) = detail.single() else {
        return;
    };
    // Keyed on the pane itself too: a new screen has a new, empty pane to fill.
    let key = (detail, state.index, state.signature.clone());
    if shown.as_ref() == Some(&key) {
        return;
    }
    *shown = Some(key);
    commands.entity(detail).despawn_children();
    let Some(e) = lib.entries.get(state.index) else {
        return;
    };
    commands.entity(detail).with_children(|d| {
        d.spawn(fonts.bold(e.title.clone(), size::HEADING, color::TEXT));
        d.spawn(fonts.text(e.path.display().to_string(), size::SMALL, color::MUTED));
        if let Some(err) = &e.errors {
            detail_errors(d, &fonts, err);
        } else if e.is_loading() {
            d.spawn(fonts.text("Loading…", size::BODY, color::MUTED));
        } else {
            detail_playable(d, &fonts, e, played.of(e));
        }
    });
}

/// Why a broken file cannot be played: its first error and how to see the others.
fn detail_errors(d: &mut ChildSpawnerCommands, fonts: &UiFonts, err: &str) {
    let n = error_count(err);
    d.spawn(fonts.bold(
        if n > 1 {
            format!("This file has {n} errors and cannot be played. The first:")
        } else {
            "This file has an error and cannot be played:".to_string()
        },
        size::BODY,
        color::BAD,
    ));
    d.spawn(widget::code_block()).with_children(|m| {
        m.spawn(fonts.mono(first_error(err), size::SMALL, color::TEXT));
    });
    d.spawn(fonts.text(
        "Fix the file and save it: the list updates by itself. `deescalate check FILE` shows every problem.",
        size::SMALL,
        color::MUTED,
    ));
}

/// A playable scenario: kind of call, length, mode, the trainee's runs, objectives.
fn detail_playable(
    d: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    e: &LibraryEntry,
    runs: Option<&PlayedRuns>,
) {
    if let Some(call) = call_of(e) {
        d.spawn(fonts.text(call.label(), size::BODY, color::TEXT));
    }
    d.spawn(fonts.text(item_meta(e), size::BODY, color::ACCENT));
    if e.mode == Some(Mode::Assessment) {
        d.spawn(fonts.text(
            "Assessment: no distance or agitation display during the run.",
            size::SMALL,
            color::WARN,
        ));
    }
    let (runs_line, c) = match runs {
        Some(r) => (
            format!("You have played this: {}.", r.summary()),
            color::GOOD,
        ),
        None => (
            "You have not played this one yet.".to_string(),
            color::MUTED,
        ),
    };
    d.spawn(fonts.text(runs_line, size::SMALL, c));
    if !e.objectives.is_empty() {
        d.spawn(widget::section_title(fonts, "Learning objectives"));
        for o in &e.objectives {
            d.spawn(widget::bullet(fonts, o.clone()));
        }
    }
    let warnings = e.warnings.as_deref().map_or(0, |w| {
        w.lines().filter(|l| l.contains(": warning[")).count()
    });
    if warnings > 0 {
        d.spawn((
            fonts.text(
                format!(
                    "{warnings} warning{} from the scenario check (it can still be played).",
                    if warnings == 1 { "" } else { "s" }
                ),
                size::SMALL,
                color::WARN,
            ),
            Node {
                margin: UiRect::top(Val::Px(8.0)),
                ..default()
            },
        ));
    }
}

// ---------------------------------------------------------------------------------------
// What this trainee has played (from the records folder, read off the main thread)
// ---------------------------------------------------------------------------------------

/// One trainee's runs of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayedRuns {
    pub attempts: u32,
    /// The best outcome reached (in `Outcome::ALL` order, best first).
    pub best: Option<Outcome>,
    /// The best overall score.
    pub best_score: f32,
}

impl PlayedRuns {
    fn add(&mut self, r: &crate::records::record::RecordResult) {
        self.attempts += 1;
        let rank = |o: Option<Outcome>| {
            o.map_or(usize::MAX, |o| {
                Outcome::ALL
                    .iter()
                    .position(|x| *x == o)
                    .unwrap_or(usize::MAX)
            })
        };
        if rank(r.outcome) < rank(self.best) {
            self.best = r.outcome;
        }
        self.best_score = self.best_score.max(r.overall);
    }

    /// `played 2×, best: resolved voluntarily, best score 81`.
    pub fn summary(&self) -> String {
        let mut s = format!("played {}×", self.attempts);
        if let Some(o) = self.best {
            s.push_str(&format!(", best: {}", o.label()));
        }
        s.push_str(&format!(", best score {:.0}", self.best_score));
        s
    }
}

/// The runs of trainee `name` (compared ignoring case and surrounding spaces; an empty name
/// is the default "Trainee") in the records folder `dir`, per scenario id. Files that are
/// not readable records are skipped.
pub fn played_in(dir: &Path, name: &str) -> HashMap<String, PlayedRuns> {
    let want = trainee_key(name);
    let mut out: HashMap<String, PlayedRuns> = HashMap::new();
    let files = crate::cohort::class::record_files(dir).unwrap_or_default();
    for f in files.iter().take(MAX_RECORDS) {
        let Ok(rec) = crate::records::record::Record::load(f) else {
            continue;
        };
        if trainee_key(&rec.trainee) != want {
            continue;
        }
        out.entry(rec.scenario_id.clone())
            .or_insert(PlayedRuns {
                attempts: 0,
                best: None,
                best_score: 0.0,
            })
            .add(&rec.result);
    }
    out
}

/// At most this many record files are read for the marks.
const MAX_RECORDS: usize = 5000;

fn trainee_key(name: &str) -> String {
    let n = name.trim();
    if n.is_empty() { "trainee" } else { n }.to_lowercase()
}

/// The marks shown on the list, for the trainee named `for_name`.
#[derive(Resource, Default)]
struct Played {
    for_name: Option<String>,
    runs: HashMap<String, PlayedRuns>,
    /// Counts refreshes (the list rebuilds when it changes).
    generation: u32,
    task: Option<Task<(String, HashMap<String, PlayedRuns>)>>,
}

impl Played {
    fn of(&self, e: &LibraryEntry) -> Option<&PlayedRuns> {
        e.playable().and_then(|a| self.runs.get(&a.scenario.id))
    }
}

/// Read the records folder again when the name (or the screen) changes; take the answer
/// when it is ready.
fn track_played(mut played: ResMut<Played>, state: Res<SelectState>, launch: Res<Launch>) {
    if let Some(task) = played.task.as_mut()
        && let Some((name, runs)) = block_on(future::poll_once(task))
    {
        played.task = None;
        if played.for_name.as_deref() == Some(name.as_str()) {
            played.runs = runs;
            played.generation += 1;
        }
    }
    let name = trainee_key(&state.name);
    if state.editing_name || played.for_name.as_deref() == Some(name.as_str()) {
        return;
    }
    played.for_name = Some(name.clone());
    let dir = crate::records::record::records_dir(launch.records.as_deref());
    played.task = Some(
        AsyncComputeTaskPool::get().spawn(async move { (name.clone(), played_in(&dir, &name)) }),
    );
}

fn highlight(
    state: Res<SelectState>,
    mut items: Query<(
        &ListItem,
        &Interaction,
        &mut BackgroundColor,
        &mut BorderColor,
    )>,
    mut field: Query<&mut BorderColor, (With<NameField>, Without<ListItem>)>,
    mut name: Query<&mut Text, With<NameText>>,
    time: Res<Time<Real>>,
) {
    for (it, inter, mut bg, mut border) in &mut items {
        let sel = it.0 == state.index;
        bg.0 = widget::row_background(sel, *inter == Interaction::Hovered);
        *border = widget::row_border(sel);
    }
    if let Ok(mut b) = field.single_mut() {
        *b = BorderColor::all(if state.editing_name {
            color::ACCENT
        } else {
            color::BORDER
        });
    }
    if let Ok(mut t) = name.single_mut() {
        let caret = state.editing_name && ((time.elapsed_secs() * 2.0) as u32).is_multiple_of(2);
        let s = if state.name.is_empty() && !state.editing_name {
            "Tab: type your name".to_string()
        } else {
            format!("{}{}", state.name, if caret { "|" } else { " " })
        };
        if t.0 != s {
            t.0 = s;
        }
    }
}

/// The buttons and rows of the scenario list that were clicked this frame.
#[derive(SystemParam)]
struct Clicks<'w, 's> {
    items: Query<'w, 's, (&'static ListItem, &'static Interaction), Changed<Interaction>>,
    field: Query<'w, 's, &'static Interaction, (Changed<Interaction>, With<NameField>)>,
    start: Query<'w, 's, &'static Interaction, (Changed<Interaction>, With<StartButton>)>,
    settings: Query<'w, 's, &'static Interaction, (Changed<Interaction>, With<SettingsButton>)>,
    quit: Query<'w, 's, &'static Interaction, (Changed<Interaction>, With<QuitButton>)>,
}

/// Whether a button of `q` was pressed.
fn pressed<F: bevy::ecs::query::QueryFilter>(q: &Query<&Interaction, F>) -> bool {
    q.iter().any(|i| *i == Interaction::Pressed)
}

fn input(
    keys: Res<ButtonInput<KeyCode>>,
    mut typed: MessageReader<KeyboardInput>,
    mut state: ResMut<SelectState>,
    lib: Res<Library>,
    mut panel: ResMut<SettingsPanel>,
    clicks: Clicks,
    mut starter: MessageWriter<StartScenario>,
    mut launch: ResMut<Launch>,
    mut exit: MessageWriter<AppExit>,
) {
    if panel.open {
        typed.clear();
        return;
    }
    if state.editing_name {
        type_name(&mut state, &mut typed);
        if pressed(&clicks.field) {
            state.editing_name = false;
        }
        return;
    }
    typed.clear();
    if keys.just_pressed(KeyCode::Tab) {
        state.editing_name = true;
    }
    if keys.just_pressed(KeyCode::F2) {
        panel.open();
        return;
    }
    move_choice(&keys, &mut state, &lib);
    let mut go = keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter);
    for (it, i) in &clicks.items {
        if *i == Interaction::Pressed {
            go |= state.index == it.0;
            state.index = it.0;
            state.chosen = true;
        }
    }
    if pressed(&clicks.field) {
        state.editing_name = true;
    }
    go |= pressed(&clicks.start);
    if pressed(&clicks.settings) {
        panel.open();
    }
    if pressed(&clicks.quit) {
        exit.write(AppExit::Success);
    }
    if go && let Some(e) = lib.entries.get(state.index) {
        let name = state.name.trim();
        launch.trainee = (!name.is_empty()).then(|| name.to_string());
        // A broken or still-loading file is handed over too: the assets plugin shows the
        // errors, or starts it once it has loaded.
        starter.write(StartScenario(e.path.clone()));
        state.starting = true;
    }
}

/// The trainee's name as typed (Backspace deletes; Enter, Esc or Tab finish).
fn type_name(state: &mut SelectState, typed: &mut MessageReader<KeyboardInput>) {
    for k in typed.read() {
        if k.state != ButtonState::Pressed {
            continue;
        }
        match &k.logical_key {
            Key::Backspace => {
                state.name.pop();
            }
            Key::Enter | Key::Escape | Key::Tab => state.editing_name = false,
            _ => {
                for c in k.text.iter().flat_map(|t| t.chars()) {
                    if !c.is_control() && state.name.chars().count() < NAME_MAX {
                        state.name.push(c);
                    }
                }
            }
        }
    }
}

/// Up / Down / Home / End move the choice through the list as shown (grouped by kind of
/// call).
fn move_choice(keys: &ButtonInput<KeyCode>, state: &mut SelectState, lib: &Library) {
    let n = lib.entries.len();
    if n == 0 {
        return;
    }
    let order = display_order(lib);
    let at = order.iter().position(|&i| i == state.index).unwrap_or(0);
    let to = if keys.just_pressed(KeyCode::ArrowDown) {
        Some((at + 1).min(n - 1))
    } else if keys.just_pressed(KeyCode::ArrowUp) {
        Some(at.saturating_sub(1))
    } else if keys.just_pressed(KeyCode::Home) {
        Some(0)
    } else if keys.just_pressed(KeyCode::End) {
        Some(n - 1)
    } else {
        None
    };
    if let Some(to) = to {
        state.index = order[to];
        state.chosen = true;
    }
}

/// Keep the chosen row in view (where it is laid out, group headings and all) after the
/// choice moved or the list was laid out anew; the wheel scrolls it freely otherwise.
fn keep_in_view(
    state: Res<SelectState>,
    items: Query<(&ListItem, &ComputedNode, &UiGlobalTransform)>,
    mut list: Query<(&ComputedNode, &UiGlobalTransform, &mut ScrollPosition), With<ListRoot>>,
    mut last: Local<Option<(usize, Vec2, Vec2)>>,
) {
    let Ok((view, view_at, mut scroll)) = list.single_mut() else {
        return;
    };
    let Some((_, item, item_at)) = items.iter().find(|(i, ..)| i.0 == state.index) else {
        return;
    };
    let key = (state.index, item.size, view.content_size);
    if last.as_ref() == Some(&key) {
        return;
    }
    if item.size.y > 0.0 {
        *last = Some(key);
    }
    if let Some(y) = theme::scroll_to_show((item, item_at), (view, view_at), scroll.0.y) {
        scroll.0.y = y;
    }
}

fn status(state: Res<SelectState>, mut text: Query<(&mut Text, &mut TextColor), With<StatusText>>) {
    let Ok((mut t, mut c)) = text.single_mut() else {
        return;
    };
    let (s, col) = if state.editing_name {
        (
            "Type your name, then Enter.    It goes into the session record.",
            color::ACCENT,
        )
    } else if state.starting {
        ("Opening…", color::ACCENT)
    } else {
        (HINTS, color::MUTED)
    };
    if t.0 != s {
        t.0 = s.to_string();
        c.0 = col;
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SelectState>()
        .init_resource::<Played>()
        .add_systems(OnEnter(Screen::Select), enter)
        .add_systems(
            Update,
            (
                input,
                track_played,
                rebuild_list,
                refresh_details,
                highlight,
                keep_in_view,
                status,
            )
                .chain()
                .before(SettingsInput)
                .run_if(in_state(Screen::Select)),
        );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_error_takes_one_diagnostic() {
        let report = "scenarios/a.ron:3:5: error[missing-field]: `title` is missing\n  |\n3 | (id: \"a\"\n  | ^ here\nscenarios/a.ron:9:1: error[dead-end]: scene `x` leads nowhere\n  | more\n";
        let f = first_error(report);
        assert!(f.starts_with("scenarios/a.ron:3:5: error[missing-field]"));
        assert!(!f.contains("dead-end"));
        assert_eq!(error_count(report), 2);
        assert_eq!(headline(report), "`title` is missing");
        assert_eq!(first_error("plain text"), "plain text");
        assert_eq!(
            headline("scenarios/x.ron: the file is not UTF-8 text"),
            "the file is not UTF-8 text"
        );
    }

    #[test]
    fn played_marks_count_this_trainees_runs_and_keep_the_best() {
        use crate::records::record::Record;
        let dir = std::env::temp_dir().join(format!("deescalate-played-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/knife_sidewalk.ron");
        let (sc, _) = crate::check::load_scenario(&file).unwrap();
        let sc = std::sync::Arc::new(sc);
        let sim = crate::sim::Sim::with_temperament(std::sync::Arc::clone(&sc), 1, None).unwrap();
        let d = crate::assess::debrief::build(&sc, &sim.result(), None);
        let log = crate::sim::script::InputLog::default();
        let save = |name: &str, who: &str, outcome: Option<Outcome>, overall: f32| {
            let mut r = Record::new(&sc, "h".into(), None, 1, who, None, log.clone(), &d);
            r.result.outcome = outcome;
            r.result.overall = overall;
            r.save(&dir.join(name)).unwrap();
        };
        save("a.json", "Ada Lovelace", Some(Outcome::SubjectFled), 40.0);
        save(
            "b.json",
            " ada lovelace ",
            Some(Outcome::HandedToCare),
            71.0,
        );
        save("c.json", "Ada Lovelace", Some(Outcome::ForceUsed), 55.0);
        save("d.json", "Bea", Some(Outcome::ResolvedVoluntarily), 95.0);
        std::fs::write(dir.join("e.json"), "not a record").unwrap();
        let ada = played_in(&dir, "ADA LOVELACE");
        let runs = &ada["knife_sidewalk"];
        assert_eq!(runs.attempts, 3);
        assert_eq!(runs.best, Some(Outcome::HandedToCare));
        assert_eq!(runs.best_score, 71.0);
        assert_eq!(
            runs.summary(),
            "played 3×, best: handed to care, best score 71"
        );
        assert!(
            played_in(&dir, "Cy").is_empty(),
            "someone else's runs are not marked"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
