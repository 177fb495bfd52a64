//! The briefing: the dispatch call, the objectives, place / time / weather, and the
//! controls. It waits for the trainee: Enter or "Start" begins the run, Esc goes back.

use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::prelude::*;
use std::sync::Arc;

use crate::format::scenario::{Scenario, TimeOfDay, Weather};
use crate::game::theme::{self, UiFonts, color, size, widget};
use crate::game::{ActiveScenario, Screen, Session};

#[derive(Component)]
struct BriefingRoot;

#[derive(Component)]
struct StartButton;

#[derive(Component)]
struct DispatchPanel;

#[derive(Component)]
struct BackButton;

pub fn time_label(t: TimeOfDay) -> &'static str {
    match t {
        TimeOfDay::Dawn => "dawn",
        TimeOfDay::Day => "daytime",
        TimeOfDay::Dusk => "dusk",
        TimeOfDay::Night => "night",
    }
}

pub fn weather_label(w: Weather) -> &'static str {
    match w {
        Weather::Clear => "clear",
        Weather::Overcast => "overcast",
        Weather::Rain => "rain",
        Weather::Fog => "fog",
        Weather::Snow => "snow",
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// "Street · night · rain".
pub fn place_line(s: &Scenario) -> String {
    format!(
        "{}  ·  {}  ·  {}",
        capitalised(s.place.environment.label()),
        time_label(s.place.time_of_day),
        weather_label(s.place.weather)
    )
}

pub const CONTROLS: &[(&str, &str)] = &[
    ("W A S D", "walk (hold Shift: faster)"),
    ("Mouse", "look"),
    ("Tab / right click", "talk: what can I say?"),
    ("1 – 9", "say that line"),
    ("Q / E or wheel", "tone: calmer / more forceful"),
    (
        "hold V / middle button",
        "mark a line, hold, say it: your voice sets the tone",
    ),
    ("Space", "a deliberate pause"),
    ("H", "hands visible / weapon drawn"),
    ("Esc", "pause menu"),
    ("F12", "screenshot"),
];

fn build(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    active: Option<Res<ActiveScenario>>,
    session: Option<Res<Session>>,
    roots: Query<Entity, With<BriefingRoot>>,
    mut built: Local<Option<(usize, bool)>>,
) {
    let Some(active) = active else { return };
    let key = (Arc::as_ptr(&active.scenario) as usize, session.is_some());
    if *built == Some(key) && !roots.is_empty() {
        return;
    }
    *built = Some(key);
    for e in &roots {
        commands.entity(e).despawn();
    }
    let s = &active.scenario;
    let mode = session.as_ref().map(|sess| {
        if sess.show_hud {
            "  ·  training (distance and agitation shown)"
        } else {
            "  ·  assessment (no distance or agitation display)"
        }
    });
    let who = session
        .as_ref()
        .map(|s| format!("Trainee: {}", s.trainee))
        .unwrap_or_default();
    let info = format!("{}{}", place_line(s), mode.unwrap_or(""));
    commands
        .spawn((
            Node {
                padding: UiRect::axes(Val::Px(48.0), Val::Px(22.0)),
                row_gap: Val::Px(10.0),
                ..theme::screen_root()
            },
            BackgroundColor(color::BG),
            BriefingRoot,
            DespawnOnExit(Screen::Briefing),
        ))
        .with_children(|root| page(root, &fonts, s, info, &who));
}

/// The briefing's title, the dispatch and controls columns, and the bar under them.
fn page(root: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Scenario, info: String, who: &str) {
    root.spawn(fonts.text("BRIEFING", size::SMALL, color::ACCENT));
    root.spawn(fonts.bold(s.title.clone(), size::TITLE, color::TEXT));
    root.spawn(fonts.text(info, size::BODY, color::MUTED));
    root.spawn(Node {
        column_gap: Val::Px(28.0),
        flex_grow: 1.0,
        min_height: Val::Px(0.0),
        ..default()
    })
    .with_children(|cols| {
        let more = "▼ more below: mouse wheel or ↓";
        widget::scrolling_column(cols, fonts, (Val::Auto, more), DispatchPanel, |p| {
            dispatch(p, fonts, s)
        });
        let more = "▼ more below: mouse wheel";
        widget::scrolling_column(cols, fonts, (Val::Px(420.0), more), (), |p| {
            controls(p, fonts)
        });
    });
    root.spawn(widget::bar()).with_children(|f| {
        f.spawn(widget::key_hints(
            fonts,
            format!("{who}    Take your time.  Enter: start   Esc: back"),
        ));
        f.spawn(widget::button_row()).with_children(|b| {
            theme::spawn_button(b, fonts, "Back", BackButton);
            theme::spawn_button(b, fonts, "Start  ▶", StartButton);
        });
    });
}

/// The dispatch call and the learning objectives.
fn dispatch(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Scenario) {
    p.spawn(fonts.bold("Dispatch", size::LARGE, color::ACCENT));
    for para in s.briefing.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let text = para.split_whitespace().collect::<Vec<_>>().join(" ");
        p.spawn(fonts.text(text, size::BODY, color::TEXT));
    }
    if !s.objectives.is_empty() {
        p.spawn((
            fonts.bold("Objectives", size::LARGE, color::ACCENT),
            Node {
                margin: UiRect::top(Val::Px(12.0)),
                ..default()
            },
        ));
        for o in &s.objectives {
            p.spawn(widget::bullet(fonts, o.clone()));
        }
    }
}

/// The keys, two columns (a key that does not fit wraps rather than overlapping).
fn controls(p: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    p.spawn(fonts.bold("Controls", size::LARGE, color::ACCENT));
    for (k, what) in CONTROLS {
        p.spawn(Node {
            column_gap: Val::Px(10.0),
            ..theme::text_row()
        })
        .with_children(|r| {
            r.spawn((
                Node {
                    width: Val::Percent(42.0),
                    flex_shrink: 0.0,
                    ..default()
                },
                fonts.bold(*k, size::SMALL, color::TEXT),
            ));
            r.spawn((
                Node {
                    flex_grow: 1.0,
                    flex_basis: Val::Px(0.0),
                    ..default()
                },
                fonts.text(*what, size::SMALL, color::MUTED),
            ));
        });
    }
}

fn scroll_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut panel: Query<(&ComputedNode, &mut ScrollPosition), With<DispatchPanel>>,
) {
    let Ok((node, mut pos)) = panel.single_mut() else {
        return;
    };
    let mut dy = 0.0;
    if keys.just_pressed(KeyCode::ArrowDown) {
        dy += 60.0;
    }
    if keys.just_pressed(KeyCode::ArrowUp) {
        dy -= 60.0;
    }
    if keys.just_pressed(KeyCode::PageDown) {
        dy += 300.0;
    }
    if keys.just_pressed(KeyCode::PageUp) {
        dy -= 300.0;
    }
    if dy != 0.0 {
        let max = ((node.content_size.y - node.size.y) * node.inverse_scale_factor).max(0.0);
        pos.0.y = (pos.0.y + dy).clamp(0.0, max);
    }
}

fn input(
    keys: Res<ButtonInput<KeyCode>>,
    start: Query<&Interaction, (Changed<Interaction>, With<StartButton>)>,
    back: Query<&Interaction, (Changed<Interaction>, With<BackButton>)>,
    session: Option<Res<Session>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let go = keys.just_pressed(KeyCode::Enter)
        || keys.just_pressed(KeyCode::NumpadEnter)
        || start.iter().any(|i| *i == Interaction::Pressed);
    if go && session.is_some() {
        next.set(Screen::Playing);
    }
    if keys.just_pressed(KeyCode::Escape) || back.iter().any(|i| *i == Interaction::Pressed) {
        next.set(Screen::Select);
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (build, input, scroll_keys)
            .chain()
            .run_if(in_state(Screen::Briefing)),
    );
}
