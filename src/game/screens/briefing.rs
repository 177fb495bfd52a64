//! The briefing: the dispatch call, the objectives, place / time / weather, and the
//! controls. It waits for the trainee: Enter or "Start" begins the run, Esc goes back.

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
    commands
        .spawn((
            Node {
                padding: UiRect::axes(Val::Px(48.0), Val::Px(26.0)),
                row_gap: Val::Px(12.0),
                ..theme::screen_root()
            },
            BackgroundColor(color::BG),
            BriefingRoot,
            DespawnOnExit(Screen::Briefing),
        ))
        .with_children(|root| {
            root.spawn(fonts.text("BRIEFING", size::SMALL, color::ACCENT));
            root.spawn(fonts.bold(s.title.clone(), size::TITLE, color::TEXT));
            let mut info = place_line(s);
            if let Some(sess) = &session {
                info.push_str(if sess.show_hud {
                    "  ·  training (distance and agitation shown)"
                } else {
                    "  ·  assessment (no distance or agitation display)"
                });
            }
            root.spawn(fonts.text(info, size::BODY, color::MUTED));
            root.spawn(Node {
                column_gap: Val::Px(28.0),
                flex_grow: 1.0,
                min_height: Val::Px(0.0),
                ..default()
            })
            .with_children(|cols| {
                let mut left = cols.spawn(Node {
                    flex_direction: FlexDirection::Column,
                    flex_grow: 1.0,
                    flex_basis: Val::Px(0.0),
                    min_height: Val::Px(0.0),
                    row_gap: Val::Px(4.0),
                    ..default()
                });
                let mut panel = Entity::PLACEHOLDER;
                left.with_children(|col| {
                    panel = col
                        .spawn((
                            widget::scroll_panel(Node {
                                flex_grow: 1.0,
                                min_height: Val::Px(0.0),
                                ..theme::panel_node()
                            }),
                            DispatchPanel,
                        ))
                        .with_children(|p| {
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
                                    p.spawn(widget::bullet(&fonts, o.clone()));
                                }
                            }
                        })
                        .id();
                    col.spawn((
                        fonts.text("▼ more below: mouse wheel or ↓", size::SMALL, color::ACCENT),
                        theme::ScrollHint(panel),
                        Node {
                            align_self: AlignSelf::End,
                            ..default()
                        },
                    ));
                });
                cols.spawn((widget::scroll_panel(Node {
                    width: Val::Px(420.0),
                    flex_shrink: 0.0,
                    row_gap: Val::Px(4.0),
                    ..theme::panel_node()
                }),))
                    .with_children(|p| {
                        p.spawn(fonts.bold("Controls", size::LARGE, color::ACCENT));
                        for (k, what) in CONTROLS {
                            p.spawn(Node {
                                column_gap: Val::Px(10.0),
                                ..theme::text_row()
                            })
                            .with_children(|r| {
                                r.spawn((
                                    Node {
                                        min_width: Val::Px(170.0),
                                        flex_shrink: 0.0,
                                        ..default()
                                    },
                                    fonts.bold(*k, size::SMALL, color::TEXT),
                                    TextLayout::no_wrap(),
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
                    });
            });
            root.spawn(Node {
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::Center,
                column_gap: Val::Px(16.0),
                ..theme::text_row()
            })
            .with_children(|f| {
                let who = session
                    .as_ref()
                    .map(|s| format!("Trainee: {}", s.trainee))
                    .unwrap_or_default();
                f.spawn(fonts.text(
                    format!("{who}    Take your time.  Enter: start   Esc: back"),
                    size::SMALL,
                    color::MUTED,
                ));
                f.spawn(Node {
                    column_gap: Val::Px(12.0),
                    ..default()
                })
                .with_children(|b| {
                    theme::spawn_button(b, &fonts, "Back", BackButton);
                    theme::spawn_button(b, &fonts, "Start  ▶", StartButton);
                });
            });
        });
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
