//! The training HUD (top-left corner, hidden in assessment mode): distance to the subject
//! coloured by zone (ideal band / personal space / reactionary gap), agitation and trust
//! bars and the elapsed time; and, in every mode, a short notice when an action was not possible and,
//! once the run has ended, a banner while the last reply plays (Enter skips to the debrief).

use bevy::prelude::*;

use crate::assess::score::clock;
use crate::game::live::session::{ActRejected, EndingHold, SkipEnding};
use crate::game::theme::{UiFonts, color, metres, size, widget};
use crate::game::{Screen, Session};

/// Notices at the top keep between the HUD panel (left) and the talk column (right), per
/// cent of the window width from each side.
const NOTICE_LEFT: f32 = 33.0;
const NOTICE_RIGHT: f32 = 40.0;

/// How long the "not possible" notice stays up, seconds.
const REJECT_SECS: f32 = 3.5;

#[derive(Component)]
struct HudRoot;

#[derive(Component)]
struct DistanceText;

#[derive(Component)]
struct ZoneText;

#[derive(Component)]
enum Bar {
    Agitation,
    Trust,
}

#[derive(Component)]
enum BarValue {
    Agitation,
    Trust,
}

#[derive(Component)]
struct ClockText;

#[derive(Component)]
struct RejectNotice;

/// "The scenario has ended" while the [`EndingHold`] lasts.
#[derive(Component)]
struct EndBanner;

/// The zone a distance falls in, with its colour and a short description.
pub fn zone_of(d: f32, ideal: (f32, f32), personal_space: f32, gap: f32) -> (Color, String) {
    if !d.is_finite() {
        return (color::MUTED, String::new());
    }
    if d < gap {
        (color::BAD, "inside the reactionary gap".into())
    } else if d < personal_space {
        (color::ORANGE, "inside personal space".into())
    } else if d < ideal.0 {
        (
            color::WARN,
            format!(
                "closer than the ideal {}–{} m",
                metres(ideal.0),
                metres(ideal.1)
            ),
        )
    } else if d <= ideal.1 {
        (
            color::GOOD,
            format!(
                "in the ideal band ({}–{} m)",
                metres(ideal.0),
                metres(ideal.1)
            ),
        )
    } else {
        (
            color::WARN,
            format!(
                "farther than the ideal {}–{} m",
                metres(ideal.0),
                metres(ideal.1)
            ),
        )
    }
}

/// Colour of an agitation level.
pub fn agitation_color(a: f32) -> Color {
    match a {
        a if a < 25.0 => color::GOOD,
        a if a < 50.0 => color::WARN,
        a if a < 75.0 => color::ORANGE,
        _ => color::BAD,
    }
}

/// A notice at the top, between the HUD panel and the talk column (hidden until needed).
fn top_notice(border: Color, content: impl Bundle) -> impl Bundle {
    (
        Node {
            position_type: PositionType::Absolute,
            top: Val::Px(20.0),
            left: Val::Percent(NOTICE_LEFT),
            right: Val::Percent(NOTICE_RIGHT),
            justify_content: JustifyContent::Center,
            ..default()
        },
        Visibility::Hidden,
        DespawnOnExit(Screen::Playing),
        children![widget::notice(border, content)],
    )
}

/// The "not possible" notice and the end banner, in every mode.
fn spawn_notices(mut commands: Commands, fonts: Res<UiFonts>) {
    commands.spawn((
        top_notice(
            color::WARN,
            (fonts.text("", size::BODY, color::WARN), RejectNotice),
        ),
        RejectNotice,
    ));
    commands.spawn((
        top_notice(
            color::ACCENT,
            fonts.text(
                "The scenario has ended.   Enter: the debrief now",
                size::BODY,
                color::TEXT,
            ),
        ),
        EndBanner,
    ));
}

/// The HUD panel, in training mode.
fn spawn(mut commands: Commands, fonts: Res<UiFonts>, session: Option<Res<Session>>) {
    if !session.is_some_and(|s| s.show_hud) {
        return;
    }
    commands
        .spawn((
            widget::overlay_frame(Node {
                position_type: PositionType::Absolute,
                top: Val::Px(16.0),
                left: Val::Px(16.0),
                flex_direction: FlexDirection::Column,
                padding: UiRect::axes(Val::Px(16.0), Val::Px(12.0)),
                row_gap: Val::Px(6.0),
                min_width: Val::Px(330.0),
                ..default()
            }),
            HudRoot,
            DespawnOnExit(Screen::Playing),
        ))
        .with_children(|p| {
            p.spawn((
                Node {
                    align_items: AlignItems::Baseline,
                    column_gap: Val::Px(12.0),
                    ..default()
                },
                children![
                    fonts.text("Distance", size::BODY, color::MUTED),
                    (fonts.bold("—", size::HEADING, color::TEXT), DistanceText),
                ],
            ));
            p.spawn((fonts.text("", size::SMALL, color::MUTED), ZoneText));
            p.spawn(bar_row(
                &fonts,
                "Agitation",
                Bar::Agitation,
                BarValue::Agitation,
            ));
            p.spawn(bar_row(&fonts, "Trust", Bar::Trust, BarValue::Trust));
            // The clock sits here rather than in the top-right corner, which the talk
            // panel's column uses.
            p.spawn((
                Node {
                    align_items: AlignItems::Baseline,
                    column_gap: Val::Px(10.0),
                    ..default()
                },
                children![
                    label(&fonts, "Time"),
                    (fonts.bold("0:00", size::BODY, color::TEXT), ClockText),
                ],
            ));
        });
}

/// A HUD row's label, in a column of its own.
fn label(fonts: &UiFonts, text: &str) -> impl Bundle {
    (
        Node {
            min_width: Val::Px(96.0),
            ..default()
        },
        fonts.text(text, size::BODY, color::MUTED),
        TextLayout::no_wrap(),
    )
}

/// "Agitation ▇▇▇░░ 53": a label, a bar filled to the value, the value.
fn bar_row(fonts: &UiFonts, name: &str, bar: Bar, value: BarValue) -> impl Bundle {
    (
        Node {
            align_items: AlignItems::Center,
            column_gap: Val::Px(10.0),
            ..default()
        },
        children![
            label(fonts, name),
            (
                Node {
                    width: Val::Px(160.0),
                    height: Val::Px(16.0),
                    border: UiRect::all(Val::Px(1.0)),
                    border_radius: BorderRadius::all(Val::Px(3.0)),
                    ..default()
                },
                BackgroundColor(Color::srgba(1.0, 1.0, 1.0, 0.08)),
                BorderColor::all(color::BORDER),
                children![(
                    Node {
                        width: Val::Percent(0.0),
                        height: Val::Percent(100.0),
                        border_radius: BorderRadius::all(Val::Px(2.0)),
                        ..default()
                    },
                    BackgroundColor(color::GOOD),
                    bar,
                )],
            ),
            (
                Node {
                    min_width: Val::Px(40.0),
                    ..default()
                },
                fonts.bold("", size::BODY, color::TEXT),
                TextLayout::new(Justify::Right, bevy::text::LineBreak::NoWrap),
                value,
            ),
        ],
    )
}

/// Replace `text` only when it changed (so unchanged text is not laid out again).
fn set_text(text: &mut Text, s: String) {
    if text.0 != s {
        text.0 = s;
    }
}

/// Distance to the subject, coloured by zone, and what the zone means.
fn update_distance(
    session: Option<Res<Session>>,
    mut distance: Query<(&mut Text, &mut TextColor), (With<DistanceText>, Without<ZoneText>)>,
    mut zone: Query<(&mut Text, &mut TextColor), (With<ZoneText>, Without<DistanceText>)>,
) {
    let Some(session) = session.filter(|s| s.show_hud) else {
        return;
    };
    let sim = &session.sim;
    let sc = sim.scenario();
    let d = sim.distance();
    let (col, what) = zone_of(
        d,
        sc.scoring.ideal_distance,
        sc.subject.personal_space,
        sc.subject.reactionary_gap,
    );
    let shown = if d.is_finite() {
        format!("{d:.1} m")
    } else {
        "—".into()
    };
    for ((mut t, mut c), s) in [(distance.single_mut(), shown), (zone.single_mut(), what)]
        .into_iter()
        .filter_map(|(q, s)| Some((q.ok()?, s)))
    {
        set_text(&mut t, s);
        c.0 = col;
    }
}

/// Agitation and trust bars with their values, and the clock.
fn update_levels(
    session: Option<Res<Session>>,
    mut bars: Query<(&Bar, &mut Node, &mut BackgroundColor)>,
    mut values: Query<(&BarValue, &mut Text)>,
    mut clock_text: Query<&mut Text, (With<ClockText>, Without<BarValue>)>,
) {
    let Some(session) = session.filter(|s| s.show_hud) else {
        return;
    };
    let sim = &session.sim;
    let (a, tr) = (sim.agitation(), sim.trust());
    for (bar, mut node, mut bg) in &mut bars {
        let (v, c) = match bar {
            Bar::Agitation => (a, agitation_color(a)),
            Bar::Trust => (tr, color::ACCENT),
        };
        let w = Val::Percent(v.clamp(0.0, 100.0));
        if node.width != w {
            node.width = w;
        }
        bg.0 = c;
    }
    for (v, mut t) in &mut values {
        let v = match v {
            BarValue::Agitation => a,
            BarValue::Trust => tr,
        };
        set_text(&mut t, format!("{v:.0}"));
    }
    if let Ok(mut t) = clock_text.single_mut() {
        let limit = clock(sim.scenario().time_limit_minutes * 60.0);
        set_text(&mut t, format!("{}  /  {limit}", clock(sim.time())));
    }
}

fn rejected(
    mut events: MessageReader<ActRejected>,
    time: Res<Time<Real>>,
    mut until: Local<f32>,
    mut root: Query<&mut Visibility, (With<RejectNotice>, Without<Text>)>,
    mut text: Query<&mut Text, With<RejectNotice>>,
) {
    let now = time.elapsed_secs();
    if let Some(e) = events.read().last() {
        *until = now + REJECT_SECS;
        if let Ok(mut t) = text.single_mut() {
            t.0 = format!("Not possible: {}", e.reason);
        }
    }
    let show = now < *until;
    if let Ok(mut v) = root.single_mut() {
        let want = if show {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        if *v != want {
            *v = want;
        }
    }
}

/// Show the banner while the ending is held; Enter (or Space) skips to the debrief.
fn ending_banner(
    hold: Option<Res<EndingHold>>,
    keys: Res<ButtonInput<KeyCode>>,
    mut banner: Query<&mut Visibility, With<EndBanner>>,
    mut skip: MessageWriter<SkipEnding>,
) {
    let want = if hold.is_some() {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    for mut v in &mut banner {
        if *v != want {
            *v = want;
        }
    }
    if hold.is_some()
        && keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Space])
    {
        skip.write(SkipEnding);
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Playing), (spawn_notices, spawn))
        .add_systems(
            Update,
            (update_distance, update_levels, rejected, ending_banner)
                .run_if(in_state(Screen::Playing)),
        );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones() {
        let z = |d| zone_of(d, (3.0, 7.0), 2.0, 1.5).0;
        assert_eq!(z(1.0), color::BAD);
        assert_eq!(z(1.8), color::ORANGE);
        assert_eq!(z(2.5), color::WARN);
        assert_eq!(z(5.0), color::GOOD);
        assert_eq!(z(9.0), color::WARN);
        assert_eq!(z(f32::NAN), color::MUTED);
    }
}
