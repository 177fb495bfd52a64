//! The select screen: the scenario library (title, expected minutes, mode, place,
//! objectives; broken files with their first error), the trainee's name, settings and quit.
//!
//! Keys: ↑/↓ choose, Enter opens the briefing, Tab edits the name, F2 settings.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;

use crate::format::scenario::Mode;
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
    launch: Res<Launch>,
    lib: Res<Library>,
    active: Option<Res<crate::game::ActiveScenario>>,
) {
    // Back from a run: keep that scenario chosen.
    if let Some(a) = &active
        && let Some(i) = lib.entries.iter().position(|e| e.path == a.path)
    {
        state.index = i;
    }
    if !state.name_loaded {
        state.name = launch.trainee.clone().unwrap_or_default();
        state.name_loaded = true;
    }
    state.signature.clear();
    state.starting = false;
    state.editing_name = false;
    commands
        .spawn((
            Node {
                padding: UiRect::axes(Val::Px(40.0), Val::Px(28.0)),
                row_gap: Val::Px(16.0),
                ..theme::screen_root()
            },
            BackgroundColor(color::BG),
            DespawnOnExit(Screen::Select),
        ))
        .with_children(|root| {
            // Header: title and the trainee's name.
            root.spawn(Node {
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::End,
                ..theme::text_row()
            })
            .with_children(|h| {
                h.spawn(Node {
                    flex_direction: FlexDirection::Column,
                    ..default()
                })
                .with_children(|t| {
                    t.spawn(fonts.bold("De-escalation trainer", size::TITLE, color::TEXT));
                    t.spawn(fonts.text("Choose a scenario", size::LARGE, color::MUTED));
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
                            min_width: Val::Px(320.0),
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
            // Body: the list and the details of the chosen scenario.
            root.spawn(Node {
                flex_grow: 1.0,
                min_height: Val::Px(0.0),
                column_gap: Val::Px(24.0),
                ..default()
            })
            .with_children(|b| {
                b.spawn((
                    Node {
                        width: Val::Percent(44.0),
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
                b.spawn((
                    Node {
                        flex_grow: 1.0,
                        flex_basis: Val::Px(0.0),
                        overflow: Overflow::scroll_y(),
                        ..theme::panel_node()
                    },
                    BackgroundColor(color::PANEL_SOLID),
                    BorderColor::all(color::BORDER),
                    ScrollPosition::default(),
                    DetailRoot,
                    theme::Scrollable,
                    bevy::ui::RelativeCursorPosition::default(),
                ));
            });
            // Footer: keys and buttons.
            root.spawn(Node {
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::Center,
                column_gap: Val::Px(16.0),
                ..theme::text_row()
            })
            .with_children(|f| {
                f.spawn((
                    fonts.text(
                        "↑ ↓ choose    Enter open briefing    Tab type your name    F2 settings",
                        size::SMALL,
                        color::MUTED,
                    ),
                    StatusText,
                ));
                f.spawn(Node {
                    column_gap: Val::Px(12.0),
                    ..default()
                })
                .with_children(|bt| {
                    theme::spawn_button(bt, &fonts, "Settings", SettingsButton);
                    theme::spawn_button(bt, &fonts, "Quit", QuitButton);
                    theme::spawn_button(bt, &fonts, "Open briefing  ▶", StartButton);
                });
            });
        });
}

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

fn rebuild_list(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    lib: Res<Library>,
    mut state: ResMut<SelectState>,
    list: Query<Entity, With<ListRoot>>,
) {
    let Ok(list) = list.single() else { return };
    let sig = signature(&lib);
    if sig == state.signature {
        return;
    }
    state.signature = sig;
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
        for (i, e) in lib.entries.iter().enumerate() {
            l.spawn((
                Button,
                Node {
                    flex_direction: FlexDirection::Column,
                    padding: UiRect::axes(Val::Px(16.0), Val::Px(10.0)),
                    border: UiRect::all(Val::Px(2.0)),
                    border_radius: BorderRadius::all(Val::Px(6.0)),
                    row_gap: Val::Px(2.0),
                    flex_shrink: 0.0,
                    ..default()
                },
                BackgroundColor(color::PANEL_LIGHT),
                BorderColor::all(Color::NONE),
                ListItem(i),
            ))
            .with_children(|it| {
                let broken = e.errors.is_some();
                it.spawn(fonts.bold(
                    e.title.clone(),
                    size::LARGE,
                    if broken { color::BAD } else { color::TEXT },
                ));
                let meta = if let Some(err) = &e.errors {
                    let n = error_count(err);
                    format!(
                        "{} — {}",
                        if n > 1 {
                            format!("{n} errors")
                        } else {
                            "has an error".to_string()
                        },
                        headline(err)
                    )
                } else if e.is_loading() {
                    "loading…".to_string()
                } else {
                    item_meta(e)
                };
                it.spawn(fonts.text(
                    meta,
                    size::SMALL,
                    if broken { color::BAD } else { color::MUTED },
                ));
            });
        }
    });
}

fn refresh_details(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    lib: Res<Library>,
    state: Res<SelectState>,
    detail: Query<Entity, With<DetailRoot>>,
    mut shown: Local<Option<(usize, Vec<String>)>>,
) {
    let Ok(detail) = detail.single() else {
        *shown = None;
        return;
    };
    let key = (state.index, state.signature.clone());
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
            d.spawn((
                Node {
                    padding: UiRect::all(Val::Px(10.0)),
                    border_radius: BorderRadius::all(Val::Px(4.0)),
                    ..default()
                },
                BackgroundColor(Color::srgb(0.04, 0.045, 0.06)),
            ))
            .with_children(|m| {
                m.spawn(fonts.mono(first_error(err), size::SMALL, color::TEXT));
            });
            d.spawn(fonts.text(
                "Fix the file and save it: the list updates by itself. `deescalate check FILE` shows every problem.",
                size::SMALL,
                color::MUTED,
            ));
            return;
        }
        if e.is_loading() {
            d.spawn(fonts.text("Loading…", size::BODY, color::MUTED));
            return;
        }
        d.spawn(fonts.text(item_meta(e), size::BODY, color::ACCENT));
        if e.mode == Some(Mode::Assessment) {
            d.spawn(fonts.text(
                "Assessment: no distance or agitation display during the run.",
                size::SMALL,
                color::WARN,
            ));
        }
        if !e.objectives.is_empty() {
            d.spawn((
                fonts.bold("Objectives", size::LARGE, color::TEXT),
                Node {
                    margin: UiRect::top(Val::Px(8.0)),
                    ..default()
                },
            ));
            for o in &e.objectives {
                d.spawn(widget::bullet(&fonts, o.clone()));
            }
        }
        if let Some(w) = &e.warnings {
            let n = w.lines().filter(|l| l.contains(": warning[")).count();
            if n > 0 {
                d.spawn((
                    fonts.text(
                        format!(
                            "{n} warning{} from the scenario check (it can still be played).",
                            if n == 1 { "" } else { "s" }
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
    });
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
            "(Tab to type your name)".to_string()
        } else {
            format!("{}{}", state.name, if caret { "|" } else { " " })
        };
        if t.0 != s {
            t.0 = s;
        }
    }
}

fn input(
    keys: Res<ButtonInput<KeyCode>>,
    mut typed: MessageReader<KeyboardInput>,
    mut state: ResMut<SelectState>,
    lib: Res<Library>,
    mut panel: ResMut<SettingsPanel>,
    items: Query<(&ListItem, &Interaction), Changed<Interaction>>,
    field: Query<&Interaction, (Changed<Interaction>, With<NameField>)>,
    start: Query<&Interaction, (Changed<Interaction>, With<StartButton>)>,
    settings_btn: Query<&Interaction, (Changed<Interaction>, With<SettingsButton>)>,
    quit: Query<&Interaction, (Changed<Interaction>, With<QuitButton>)>,
    mut starter: MessageWriter<StartScenario>,
    mut launch: ResMut<Launch>,
    mut exit: MessageWriter<AppExit>,
) {
    if panel.open {
        typed.clear();
        return;
    }
    if state.editing_name {
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
                    if let Some(text) = &k.text {
                        for c in text.chars().filter(|c| !c.is_control()) {
                            if state.name.chars().count() < NAME_MAX {
                                state.name.push(c);
                            }
                        }
                    }
                }
            }
        }
        if field.iter().any(|i| *i == Interaction::Pressed) {
            state.editing_name = false;
        }
        return;
    }
    typed.clear();
    let n = lib.entries.len();
    let mut go = false;
    if keys.just_pressed(KeyCode::Tab) {
        state.editing_name = true;
    }
    if keys.just_pressed(KeyCode::F2) {
        panel.open();
        return;
    }
    if n > 0 {
        if keys.just_pressed(KeyCode::ArrowDown) {
            state.index = (state.index + 1).min(n - 1);
        }
        if keys.just_pressed(KeyCode::ArrowUp) {
            state.index = state.index.saturating_sub(1);
        }
        if keys.just_pressed(KeyCode::Home) {
            state.index = 0;
        }
        if keys.just_pressed(KeyCode::End) {
            state.index = n - 1;
        }
    }
    if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
        go = true;
    }
    for (it, i) in &items {
        if *i == Interaction::Pressed {
            if state.index == it.0 {
                go = true;
            }
            state.index = it.0;
        }
    }
    if field.iter().any(|i| *i == Interaction::Pressed) {
        state.editing_name = true;
    }
    if start.iter().any(|i| *i == Interaction::Pressed) {
        go = true;
    }
    if settings_btn.iter().any(|i| *i == Interaction::Pressed) {
        panel.open();
    }
    if quit.iter().any(|i| *i == Interaction::Pressed) {
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

/// Keep the chosen row in view, and scroll the details with the mouse wheel.
fn keep_in_view(
    state: Res<SelectState>,
    items: Query<(&ListItem, &ComputedNode)>,
    mut list: Query<(&ComputedNode, &mut ScrollPosition), With<ListRoot>>,
) {
    if !state.is_changed() {
        return;
    }
    let Ok((view, mut scroll)) = list.single_mut() else {
        return;
    };
    let inv = view.inverse_scale_factor;
    let mut top = 0.0;
    let mut bottom = 0.0;
    let mut heights: Vec<(usize, f32)> = items.iter().map(|(i, c)| (i.0, c.size.y * inv)).collect();
    heights.sort_by_key(|(i, _)| *i);
    for (i, h) in heights {
        if i == state.index {
            bottom = top + h;
            break;
        }
        top += h + 8.0;
    }
    let view_h = view.size.y * inv;
    if top < scroll.0.y {
        scroll.0.y = top;
    } else if bottom > scroll.0.y + view_h {
        scroll.0.y = bottom - view_h;
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
        (
            "↑ ↓ choose    Enter open briefing    Tab type your name    F2 settings",
            color::MUTED,
        )
    };
    if t.0 != s {
        t.0 = s.to_string();
        c.0 = col;
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SelectState>()
        .add_systems(OnEnter(Screen::Select), enter)
        .add_systems(
            Update,
            (
                input,
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
}
