//! The instructor's panel, drawn into the instructor's window (two columns, the whole
//! window) and, only while the instructor view is toggled, onto the trainee's window (one
//! scrolling column at the right). Both show the live state, the confirmations and the
//! controls as buttons and lists; a click sends the same [`Control`] as the hotkey.
//! The trainee's window otherwise shows only a "Paused" notice while the run is held.

use super::window::Station;
use super::{Control, Instructor, InstructorUi, PickKind};
use crate::game::state::{PlayState, Screen, Session};
use crate::game::theme::{self, UiFonts, color, size, widget};
use crate::sim::{EventKind, Measure, clock};
use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::prelude::*;

/// The root of a panel; `station`: in the instructor's window (else the trainee's).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelRoot {
    pub station: bool,
}

/// A button or list row of the panel and the control it sends.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct ControlButton(pub Control);

/// The "Paused" notice on the trainee's window while the instructor holds the run.
#[derive(Component)]
pub struct PausedNotice;

/// A text of the panel that follows the run every frame.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum Live {
    Status,
    Numbers,
    Subject,
    Trainee,
    Toast,
    Note,
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, clicks.before(super::controls::Applied))
        .add_systems(
            Update,
            (sync_roots, rebuild, live_texts, paused_notice)
                .chain()
                .after(super::controls::Applied),
        );
}

/// Buttons and list rows send their control when pressed.
fn clicks(
    buttons: Query<(&Interaction, &ControlButton), Changed<Interaction>>,
    mut controls: MessageWriter<Control>,
) {
    for (i, b) in &buttons {
        if *i == Interaction::Pressed {
            controls.write(b.0.clone());
        }
    }
}

/// A panel in the instructor's window while it is open; one on the trainee's window only
/// while the view is toggled during a run (or, with no instructor window, while a note or
/// a selection is open).
fn sync_roots(
    mut commands: Commands,
    fonts: Option<Res<UiFonts>>,
    station: Res<Station>,
    ins: Res<Instructor>,
    screen: Res<State<Screen>>,
    roots: Query<(Entity, &PanelRoot)>,
) {
    if fonts.is_none() {
        return;
    }
    // Without the instructor's window, an open note or selection shows the panel too:
    // the instructor must see what they type and choose.
    let busy = ins.note.is_some() || ins.picker.is_some();
    let shown = ins.view || (busy && !station.is_open());
    let want_trainee = shown && *screen.get() == Screen::Playing;
    let (mut has_station, mut has_trainee) = (false, false);
    for (e, root) in &roots {
        let keep = if root.station {
            station.camera.is_some()
        } else {
            want_trainee
        };
        if !keep {
            commands.entity(e).despawn();
        }
        has_station |= root.station && keep;
        has_trainee |= !root.station && keep;
    }
    if let (Some(cam), false) = (station.camera, has_station) {
        spawn_root(&mut commands, true).insert(UiTargetCamera(cam));
    }
    if want_trainee && !has_trainee {
        spawn_root(&mut commands, false);
    }
}

fn spawn_root<'a>(commands: &'a mut Commands, station: bool) -> EntityCommands<'a> {
    let node = if station {
        Node {
            padding: UiRect::all(Val::Px(18.0)),
            row_gap: Val::Px(10.0),
            ..theme::screen_root()
        }
    } else {
        Node {
            position_type: PositionType::Absolute,
            right: Val::Px(16.0),
            top: Val::Px(16.0),
            width: Val::Px(560.0),
            max_height: Val::Percent(92.0),
            padding: UiRect::all(Val::Px(14.0)),
            row_gap: Val::Px(8.0),
            ..theme::panel_node()
        }
    };
    let border = BorderColor::all(if station { Color::NONE } else { color::ACCENT });
    let mut root = commands.spawn((
        Name::new("Instructor panel"),
        PanelRoot { station },
        InstructorUi,
        widget::scroll_panel(node),
        GlobalZIndex(25),
    ));
    root.insert(border);
    root
}

/// What the panel's layout depends on (the numbers change every frame without it).
#[derive(Debug, Clone, PartialEq, Default)]
struct Shape {
    playing: bool,
    scene: String,
    picker: Option<super::Picker>,
    inject: usize,
    note_open: bool,
    paused: bool,
    pause_to_type: bool,
    station_open: bool,
}

fn shape(ins: &Instructor, session: Option<&Session>, playing: bool, station: &Station) -> Shape {
    Shape {
        playing: playing && session.is_some(),
        scene: session.map_or(String::new(), |s| s.sim.scene_id().to_string()),
        picker: ins.picker,
        inject: ins.inject,
        note_open: ins.note.is_some(),
        paused: ins.paused,
        pause_to_type: ins.pause_to_type,
        station_open: station.is_open(),
    }
}

/// Rebuild the panels when their shape changes or a panel is new.
fn rebuild(
    mut commands: Commands,
    fonts: Option<Res<UiFonts>>,
    ins: Res<Instructor>,
    session: Option<Res<Session>>,
    screen: Res<State<Screen>>,
    station: Res<Station>,
    roots: Query<(Entity, &PanelRoot, Ref<PanelRoot>)>,
    mut last: Local<Shape>,
) {
    let Some(fonts) = fonts else { return };
    let now = shape(
        &ins,
        session.as_deref(),
        *screen.get() == Screen::Playing,
        &station,
    );
    let changed = now != *last;
    *last = now.clone();
    for (e, root, added) in &roots {
        if !changed && !added.is_added() {
            continue;
        }
        commands.entity(e).despawn_related::<Children>();
        commands.entity(e).with_children(|p| {
            header(p, &fonts, root.station);
            match session.as_deref().filter(|_| now.playing) {
                Some(s) if root.station => two_columns(p, &fonts, &ins, s),
                Some(s) => one_column(p, &fonts, &ins, s),
                None => {
                    p.spawn(fonts.text("No run in progress.", size::BODY, color::MUTED));
                }
            }
        });
    }
}

fn header(p: &mut ChildSpawnerCommands, fonts: &UiFonts, station: bool) {
    let hint = if station {
        "F10 closes this window · F1 shows the panel on the trainee's screen"
    } else {
        "F1 hides · F10 opens the instructor window"
    };
    p.spawn((
        Node {
            justify_content: JustifyContent::SpaceBetween,
            column_gap: Val::Px(12.0),
            flex_wrap: FlexWrap::Wrap,
            ..theme::text_row()
        },
        children![
            fonts.bold("Instructor", size::HEADING, color::ACCENT),
            fonts.text(hint, size::SMALL, color::MUTED),
        ],
    ));
    if station {
        p.spawn(fonts.text(MOUSE_HINT, size::SMALL, color::MUTED));
    }
}

/// How one mouse reaches this window while the trainee's window holds it (`mouse`).
pub const MOUSE_HINT: &str = "One mouse: press Alt in the trainee's window to move it here · click the trainee's window to give it back";

fn column(width: f32) -> Node {
    Node {
        width: Val::Percent(width),
        flex_direction: FlexDirection::Column,
        row_gap: Val::Px(8.0),
        min_height: Val::Px(0.0),
        ..default()
    }
}

fn two_columns(p: &mut ChildSpawnerCommands, fonts: &UiFonts, ins: &Instructor, s: &Session) {
    let row = Node {
        column_gap: Val::Px(18.0),
        align_items: AlignItems::FlexStart,
        ..theme::text_row()
    };
    p.spawn(row).with_children(|row| {
        row.spawn(column(46.0))
            .with_children(|c| live_and_actions(c, fonts, ins));
        row.spawn(column(54.0))
            .with_children(|c| lists(c, fonts, ins, s));
    });
}

/// On the trainee's window: the live lines, then only what the instructor is doing (a
/// selection, a note), else the controls and lists.
fn one_column(p: &mut ChildSpawnerCommands, fonts: &UiFonts, ins: &Instructor, s: &Session) {
    live_lines(p, fonts);
    match (ins.picker.map(|x| x.kind), ins.note.is_some()) {
        (Some(PickKind::Scene), _) => scene_list(p, fonts, ins, s),
        (Some(PickKind::Ending), _) => ending_list(p, fonts, ins, s),
        (None, true) => note_field(p, fonts),
        (None, false) => {
            actions(p, fonts, ins);
            lists(p, fonts, ins, s);
        }
    }
}

fn live_text(p: &mut ChildSpawnerCommands, fonts: &UiFonts, field: Live, size: f32, col: Color) {
    p.spawn((field, fonts.text("", size, col)));
}

fn live_lines(p: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    live_text(p, fonts, Live::Status, size::BODY, color::TEXT);
    live_text(p, fonts, Live::Numbers, size::BODY, color::TEXT);
    live_text(p, fonts, Live::Subject, size::SMALL, color::SUBJECT);
    live_text(p, fonts, Live::Trainee, size::SMALL, color::TRAINEE);
    live_text(p, fonts, Live::Toast, size::SMALL, color::GOOD);
}

fn live_and_actions(p: &mut ChildSpawnerCommands, fonts: &UiFonts, ins: &Instructor) {
    live_lines(p, fonts);
    if ins.note.is_some() {
        note_field(p, fonts);
    }
    actions(p, fonts, ins);
}

fn note_field(p: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    p.spawn(widget::panel())
        .insert(BorderColor::all(color::WARN))
        .with_children(|b| {
            live_text(b, fonts, Live::Note, size::BODY, color::TEXT);
            button_row(
                b,
                fonts,
                &[
                    ("Save note", Control::SaveNote),
                    ("Cancel", Control::CancelNote),
                ],
            );
        });
}

/// A wrapping row of buttons.
fn button_row(p: &mut ChildSpawnerCommands, fonts: &UiFonts, buttons: &[(&str, Control)]) {
    let row = Node {
        flex_wrap: FlexWrap::Wrap,
        column_gap: Val::Px(8.0),
        row_gap: Val::Px(6.0),
        ..theme::text_row()
    };
    p.spawn(row).with_children(|r| {
        for (label, control) in buttons {
            theme::spawn_button(r, fonts, label, ControlButton(control.clone()));
        }
    });
}

fn actions(p: &mut ChildSpawnerCommands, fonts: &UiFonts, ins: &Instructor) {
    let pause = if ins.paused {
        "Resume (F4)"
    } else {
        "Pause (F4)"
    };
    let typing = if ins.pause_to_type {
        "Pause while typing: on"
    } else {
        "Pause while typing: off"
    };
    button_row(
        p,
        fonts,
        &[
            (pause, Control::TogglePause),
            ("Flag this moment (F9)", Control::Flag),
        ],
    );
    button_row(p, fonts, &[(typing, Control::TogglePauseToType)]);
    button_row(
        p,
        fonts,
        &[
            (
                "Agitation +10",
                Control::Nudge(Measure::Agitation, super::NUDGE),
            ),
            (
                "Agitation −10",
                Control::Nudge(Measure::Agitation, -super::NUDGE),
            ),
        ],
    );
    button_row(
        p,
        fonts,
        &[
            ("Trust +10", Control::Nudge(Measure::Trust, super::NUDGE)),
            ("Trust −10", Control::Nudge(Measure::Trust, -super::NUDGE)),
        ],
    );
}

/// One clickable row of a list, half the list's width (lists wrap into two columns).
fn row(
    p: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    label: String,
    selected: bool,
    control: Control,
) {
    let half = Node {
        width: Val::Percent(49.0),
        flex_direction: FlexDirection::Column,
        ..default()
    };
    p.spawn(half).with_children(|cell| {
        cell.spawn((widget::list_button(selected), ControlButton(control)))
            .with_children(|r| {
                r.spawn(fonts.text(label, size::SMALL, color::TEXT));
            });
    });
}

/// A list's rows, two to a line.
fn grid(p: &mut ChildSpawnerCommands, rows: impl FnOnce(&mut ChildSpawnerCommands)) {
    let node = Node {
        flex_wrap: FlexWrap::Wrap,
        column_gap: Val::Percent(2.0),
        row_gap: Val::Px(4.0),
        ..theme::text_row()
    };
    p.spawn(node).with_children(rows);
}

/// A list of clickable rows under a heading, with the buttons that act on its selection.
fn list(
    p: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    title: &str,
    rows: Vec<(String, bool, Control)>,
    buttons: &[(&str, Control)],
) {
    p.spawn(fonts.bold(title, size::BODY, color::ACCENT));
    if rows.is_empty() {
        p.spawn(fonts.text("(none in this scenario)", size::SMALL, color::MUTED));
        return;
    }
    grid(p, |g| {
        for (label, selected, control) in rows {
            row(g, fonts, label, selected, control);
        }
    });
    if !buttons.is_empty() {
        button_row(p, fonts, buttons);
    }
}

fn lists(p: &mut ChildSpawnerCommands, fonts: &UiFonts, ins: &Instructor, s: &Session) {
    scene_list(p, fonts, ins, s);
    ending_list(p, fonts, ins, s);
    inject_list(p, fonts, ins, s);
}

fn picked(ins: &Instructor, kind: PickKind, i: usize) -> bool {
    ins.picker.is_some_and(|x| x.kind == kind && x.index == i)
}

/// The buttons under a list while one of its rows is selected.
fn force_buttons(
    ins: &Instructor,
    kind: PickKind,
    go: &'static str,
) -> Vec<(&'static str, Control)> {
    if ins.picker.is_some_and(|x| x.kind == kind) {
        vec![(go, Control::ForcePicked), ("Cancel", Control::CancelPick)]
    } else {
        Vec::new()
    }
}

fn scene_list(p: &mut ChildSpawnerCommands, fonts: &UiFonts, ins: &Instructor, s: &Session) {
    let kind = PickKind::Scene;
    let rows = s.sim.scenario().scenes.iter().enumerate().map(|(i, x)| {
        let here = if x.id == s.sim.scene_id() { "▶ " } else { "" };
        (
            format!("{here}{}", x.id),
            picked(ins, kind, i),
            Control::Pick(kind, i),
        )
    });
    let buttons = force_buttons(ins, kind, "Force this scene");
    let title = "Scenes — select, then force (F5, Enter)";
    list(p, fonts, title, rows.collect(), &buttons);
}

fn ending_list(p: &mut ChildSpawnerCommands, fonts: &UiFonts, ins: &Instructor, s: &Session) {
    let kind = PickKind::Ending;
    let rows = s.sim.scenario().endings.iter().enumerate().map(|(i, e)| {
        let label = format!("{} ({})", e.title, e.outcome.label());
        (label, picked(ins, kind, i), Control::Pick(kind, i))
    });
    let buttons = force_buttons(ins, kind, "End the run with this ending");
    let title = "Endings — select, then end the run (F6, Enter)";
    list(p, fonts, title, rows.collect(), &buttons);
}

fn inject_list(p: &mut ChildSpawnerCommands, fonts: &UiFonts, ins: &Instructor, s: &Session) {
    let rows = s
        .sim
        .scenario()
        .injects
        .iter()
        .enumerate()
        .map(|(i, x)| (x.label.clone(), i == ins.inject, Control::SelectInject(i)));
    let fire = [("Fire the selected inject", Control::FireInject)];
    list(
        p,
        fonts,
        "Injects — select, then fire (F8, F7)",
        rows.collect(),
        &fire,
    );
}

/// The run's state as the panel's lines say it.
fn live_line(
    field: Live,
    s: &Session,
    ins: &Instructor,
    play: Option<&PlayState>,
    now: f64,
    caret: bool,
) -> String {
    let sim = &s.sim;
    match field {
        Live::Status => {
            let state = if sim.is_finished() {
                "ended"
            } else if ins.paused {
                "PAUSED by the instructor"
            } else if play == Some(&PlayState::Paused) {
                "the trainee's pause menu is open"
            } else {
                "running"
            };
            format!("{} · scene {} · {state}", clock(sim.time()), sim.scene_id())
        }
        Live::Numbers => format!(
            "agitation {:.0} · trust {:.0} · distance {} m",
            sim.agitation(),
            sim.trust(),
            theme::metres(sim.distance())
        ),
        Live::Subject => format!("Subject: {}", sim.last_line().unwrap_or("—")),
        Live::Trainee => format!("Trainee: {}", last_said(s).unwrap_or("—")),
        // A space keeps the line's height, so the buttons below do not jump.
        Live::Toast => ins
            .current_toast(now)
            .map_or(" ".into(), |t| t.text.clone()),
        Live::Note => ins.note.as_ref().map_or(String::new(), |n| {
            let caret = if caret { "▏" } else { " " };
            let at = clock(n.tick as f32 * crate::sim::DT);
            format!(
                "Flag at {at} — note: {}{caret}\nEnter saves (empty: “{}”) · Esc cancels",
                n.text,
                super::DEFAULT_NOTE
            )
        }),
    }
}

/// The trainee's most recent line.
fn last_said(s: &Session) -> Option<&str> {
    s.sim.events().iter().rev().find_map(|e| match &e.kind {
        EventKind::Utterance { text, .. } => Some(text.as_str()),
        _ => None,
    })
}

fn live_texts(
    ins: Res<Instructor>,
    session: Option<Res<Session>>,
    play: Option<Res<State<PlayState>>>,
    time: Res<Time<Real>>,
    mut texts: Query<(&Live, &mut Text, &mut TextColor)>,
) {
    let Some(s) = session else { return };
    let now = time.elapsed_secs_f64();
    let caret = ((now * 2.0) as u64).is_multiple_of(2);
    for (field, mut text, mut col) in &mut texts {
        let line = live_line(
            *field,
            &s,
            &ins,
            play.as_deref().map(State::get),
            now,
            caret,
        );
        if text.0 != line {
            text.0 = line;
        }
        let warn = *field == Live::Toast && ins.current_toast(now).is_some_and(|t| t.warn);
        if *field == Live::Toast && col.0 != if warn { color::WARN } else { color::GOOD } {
            col.0 = if warn { color::WARN } else { color::GOOD };
        }
    }
}

/// While the instructor holds the run the trainee sees why nothing moves.
fn paused_notice(
    mut commands: Commands,
    fonts: Option<Res<UiFonts>>,
    ins: Res<Instructor>,
    screen: Res<State<Screen>>,
    notice: Query<Entity, With<PausedNotice>>,
) {
    let Some(fonts) = fonts else { return };
    let want = ins.paused && *screen.get() == Screen::Playing;
    match (want, notice.single()) {
        (true, Err(_)) => {
            commands.spawn((
                Name::new("Paused notice"),
                PausedNotice,
                Node {
                    position_type: PositionType::Absolute,
                    top: Val::Percent(40.0),
                    width: Val::Percent(100.0),
                    justify_content: JustifyContent::Center,
                    ..default()
                },
                GlobalZIndex(24),
                children![(
                    widget::panel(),
                    children![fonts.bold("Paused", size::TITLE, color::TEXT)]
                )],
            ));
        }
        (false, Ok(e)) => commands.entity(e).despawn(),
        _ => {}
    }
}
