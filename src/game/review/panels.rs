//! The review's panels: the title and numbers at the top, the subtitle of the moment, and
//! the timeline at the bottom (every utterance, key moment, flag and trigger as a mark,
//! the agitation and distance curves under it; click or drag to seek).

use super::figures::{zone_color, zone_label};
use super::{ReplayError, ReplayView};
use crate::game::state::Screen;
use crate::game::theme::chart::{self, Canvas};
use crate::game::theme::{self, UiFonts, color, size, tone_color, widget};
use crate::records::replay::{Frame, Mark, MarkKind};
use crate::sim::Hands;
use bevy::asset::RenderAssetUsages;
use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::ui::RelativeCursorPosition;

#[derive(Component)]
pub(super) struct ClockText;

#[derive(Component)]
pub(super) struct StatusText;

#[derive(Component, Clone, Copy)]
pub(super) enum Stat {
    Agitation,
    Trust,
    Distance,
    Scene,
    Body,
}

#[derive(Component)]
pub(super) struct SubtitleBox;

#[derive(Component)]
pub(super) struct SubtitleSpeaker;

#[derive(Component)]
pub(super) struct SubtitleText;

#[derive(Component)]
pub(super) struct Playhead;

#[derive(Component)]
pub(super) struct MarkLabel;

#[derive(Component)]
pub(super) struct TimelineTrack;

#[derive(Component)]
pub(super) struct TopPanels;

pub(super) fn show_panels(
    view: Option<Res<ReplayView>>,
    mut q: Query<&mut Visibility, With<TopPanels>>,
) {
    let Some(view) = view else { return };
    let want = if view.panels {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    for mut v in &mut q {
        if *v != want {
            *v = want;
        }
    }
}

const CHART_W: u32 = 1200;
const CHART_H: u32 = 84;
const LANE_H: f32 = 36.0;

fn to_color(c: chart::Rgba) -> Color {
    Color::srgba_u8(c[0], c[1], c[2], c[3])
}

/// The agitation and distance curves under the timeline, drawn from every frame.
fn curves(view: &ReplayView) -> Canvas {
    let mut c = Canvas::new(CHART_W, CHART_H, chart::BG);
    let dur = view.duration().max(0.1);
    let (w, h) = (CHART_W as f32, CHART_H as f32);
    let sc = &view.scenario;
    let (lo, hi) = sc.scoring.ideal_distance;
    let dmax = view
        .replay
        .frames
        .iter()
        .map(|f| f.distance)
        .filter(|d| d.is_finite())
        .fold(0.0f32, f32::max)
        .max(if hi.is_finite() { hi + 2.0 } else { 10.0 })
        .min(200.0);
    let pad = 4.0;
    let y_of = |v: f32, max: f32| h - pad - (v / max).clamp(0.0, 1.0) * (h - 2.0 * pad);
    // The ideal band, on the distance scale.
    if lo.is_finite() && hi.is_finite() && hi > lo {
        c.fill_rect(0.0, y_of(hi, dmax), w, y_of(lo, dmax), chart::IDEAL_BAND);
    }
    for v in [25.0, 50.0, 75.0] {
        c.dashed_hline(0.0, w, y_of(v, 100.0), 6.0, chart::GRID);
    }
    let mut agit = Vec::with_capacity(CHART_W as usize);
    let mut dist = Vec::with_capacity(CHART_W as usize);
    for x in 0..CHART_W {
        let t = x as f32 / (w - 1.0) * dur;
        match view.replay.frame_at(t) {
            Some(f) => {
                agit.push(
                    f.agitation
                        .is_finite()
                        .then(|| (x as f32, y_of(f.agitation, 100.0))),
                );
                dist.push(
                    f.distance
                        .is_finite()
                        .then(|| (x as f32, y_of(f.distance, dmax))),
                );
            }
            None => {
                agit.push(None);
                dist.push(None);
            }
        }
    }
    c.polyline(&dist, 2.0, chart::DISTANCE);
    c.polyline(&agit, 2.5, chart::AGITATION);
    c
}

fn mark_color(m: &Mark) -> Color {
    match m.kind {
        MarkKind::Utterance => m.tone.map_or(color::TEXT, tone_color),
        MarkKind::Pause => color::MUTED,
        MarkKind::KeyMoment => color::WARN,
        MarkKind::InstructorFlag | MarkKind::Instructor => color::ACCENT,
        MarkKind::Trigger => to_color(chart::TRIGGER),
        MarkKind::Ending => color::TEXT,
    }
}

/// A mark on the timeline's lane at its moment: a tick for what was said, a dot for a
/// key moment, a flag on a pole for an instructor's flag.
fn spawn_mark(lane: &mut ChildSpawnerCommands, m: &Mark, dur: f32) {
    let left = Val::Percent((m.t / dur * 100.0).clamp(0.0, 100.0));
    let c = BackgroundColor(mark_color(m));
    let abs = |w: f32, h: f32, top: f32| Node {
        position_type: PositionType::Absolute,
        left,
        top: Val::Px(top),
        width: Val::Px(w),
        height: Val::Px(h),
        margin: UiRect::left(Val::Px(-w / 2.0)),
        ..default()
    };
    let (w, h, top) = match m.kind {
        MarkKind::Utterance => (4.0, 18.0, 9.0),
        MarkKind::Pause => (3.0, 10.0, 13.0),
        MarkKind::Instructor => (9.0, 9.0, 25.0),
        MarkKind::Trigger => (7.0, 7.0, 27.0),
        MarkKind::Ending => (5.0, LANE_H, 0.0),
        MarkKind::KeyMoment => {
            let ring = Node {
                border: UiRect::all(Val::Px(2.0)),
                border_radius: BorderRadius::MAX,
                ..abs(13.0, 13.0, 1.0)
            };
            lane.spawn((ring, c, BorderColor::all(Color::BLACK)));
            return;
        }
        MarkKind::InstructorFlag => {
            // A pole with a flag on top, the full height of the lane.
            let at = |x: f32, w: f32, h: f32| Node {
                position_type: PositionType::Absolute,
                left: Val::Px(x),
                top: Val::Px(0.0),
                width: Val::Px(w),
                height: Val::Px(h),
                ..default()
            };
            lane.spawn(Node {
                margin: UiRect::left(Val::Px(-1.0)),
                ..abs(16.0, LANE_H, 0.0)
            })
            .with_children(|f| {
                f.spawn((at(0.0, 3.0, LANE_H), c));
                f.spawn((at(3.0, 13.0, 9.0), c));
            });
            return;
        }
    };
    lane.spawn((abs(w, h, top), c));
}

/// One entry of the marks' key: a swatch and what it stands for.
fn legend(p: &mut ChildSpawnerCommands, fonts: &UiFonts, swatch: Color, label: &str) {
    p.spawn(Node {
        align_items: AlignItems::Center,
        column_gap: Val::Px(5.0),
        ..default()
    })
    .with_children(|l| {
        l.spawn(widget::swatch(swatch, 12.0, 12.0));
        l.spawn(fonts.text(label, size::SMALL, color::MUTED));
    });
}

pub(super) fn spawn_ui(
    mut commands: Commands,
    fonts: Option<Res<UiFonts>>,
    view: Option<Res<ReplayView>>,
    error: Res<ReplayError>,
    from_debrief: Option<Res<super::FromDebrief>>,
    mut images: ResMut<Assets<Image>>,
) {
    let Some(fonts) = fonts else { return };
    let Some(view) = view else {
        let msg = error
            .0
            .clone()
            .unwrap_or_else(|| "No session record was chosen to replay.".into());
        error_panel(&mut commands, &fonts, msg, from_debrief.is_some());
        return;
    };
    let chart = images.add(chart_image(&view));
    commands
        .spawn((
            Name::new("Replay interface"),
            Node {
                justify_content: JustifyContent::SpaceBetween,
                ..theme::screen_root()
            },
            DespawnOnExit(Screen::Replay),
        ))
        .with_children(|root| {
            // Top: what this is, and the numbers at the playhead (always whole).
            root.spawn((
                TopPanels,
                Node {
                    justify_content: JustifyContent::SpaceBetween,
                    align_items: AlignItems::FlexStart,
                    padding: UiRect::all(Val::Px(14.0)),
                    column_gap: Val::Px(14.0),
                    flex_shrink: 0.0,
                    ..default()
                },
            ))
            .with_children(|top| {
                title_panel(top, &fonts, &view);
                numbers_panel(top, &fonts);
            });
            // Bottom: subtitle, then the timeline with the keys (always whole). With very
            // large text the subtitle is what gives way (clipped), never the timeline.
            root.spawn(Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                justify_content: JustifyContent::FlexEnd,
                row_gap: Val::Px(8.0),
                flex_shrink: 1.0,
                min_height: Val::Px(0.0),
                padding: UiRect::new(Val::Px(14.0), Val::Px(14.0), Val::Px(0.0), Val::Px(12.0)),
                ..default()
            })
            .with_children(|bottom| {
                subtitle_box(bottom, &fonts);
                timeline_panel(bottom, &fonts, &view, chart);
            });
        });
}

/// Why the record cannot be replayed, and where Esc goes.
fn error_panel(commands: &mut Commands, fonts: &UiFonts, msg: String, from_debrief: bool) {
    let back = if from_debrief {
        "Esc goes back to the debrief."
    } else {
        "Esc goes back to the scenario list."
    };
    commands
        .spawn((
            Node {
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..theme::screen_root()
            },
            DespawnOnExit(Screen::Replay),
        ))
        .with_children(|root| {
            root.spawn(widget::modal_panel(900.0, color::BAD, Overflow::clip()))
                .with_children(|p| {
                    p.spawn(fonts.bold("This run cannot be replayed", size::HEADING, color::BAD));
                    p.spawn(fonts.mono(msg, size::SMALL, color::TEXT));
                    p.spawn(fonts.text(back, size::BODY, color::MUTED));
                });
        });
}

/// The curves under the timeline as an image.
fn chart_image(view: &ReplayView) -> Image {
    let canvas = curves(view);
    Image::new(
        Extent3d {
            width: canvas.width,
            height: canvas.height,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        canvas.data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD | RenderAssetUsages::MAIN_WORLD,
    )
}

/// What this is: scenario, trainee and how the run ended, the record's file.
fn title_panel(top: &mut ChildSpawnerCommands, fonts: &UiFonts, view: &ReplayView) {
    let d = &view.replay.debrief;
    let ending = match (&d.ending_title, d.outcome) {
        (Some(t), Some(o)) => format!("{t} ({})", o.label()),
        (Some(t), None) => t.clone(),
        _ if d.timed_out => "time ran out".into(),
        _ => "stopped before an ending".into(),
    };
    let record_name = view
        .record_path
        .file_name()
        .map_or(String::new(), |f| f.to_string_lossy().to_string());
    top.spawn(widget::panel())
        .insert(Node {
            width: Val::Px(600.0),
            flex_shrink: 1.0,
            ..panel_layout()
        })
        .with_children(|p| {
            p.spawn(fonts.bold("AFTER-ACTION REVIEW", size::SMALL, color::ACCENT));
            p.spawn(fonts.bold(d.scenario_title.clone(), size::LARGE, color::TEXT));
            p.spawn(fonts.text(
                format!("Trainee: {} · {}", view.trainee, ending),
                size::SMALL,
                color::TEXT,
            ));
            p.spawn(fonts.text(record_name, size::SMALL, color::MUTED));
            if let Some(n) = &view.notice {
                p.spawn(fonts.text(n.clone(), size::SMALL, color::WARN));
            }
        });
}

/// The clock, playback state and the numbers at the playhead (two to a line).
fn numbers_panel(top: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    top.spawn(widget::panel())
        .insert(Node {
            width: Val::Px(440.0),
            flex_shrink: 0.0,
            ..panel_layout()
        })
        .with_children(|p| {
            p.spawn((ClockText, fonts.bold("", size::LARGE, color::TEXT)));
            p.spawn((StatusText, fonts.text("", size::SMALL, color::MUTED)));
            for pair in [
                &[Stat::Agitation, Stat::Trust][..],
                &[Stat::Distance],
                &[Stat::Scene, Stat::Body],
            ] {
                p.spawn(Node {
                    column_gap: Val::Px(14.0),
                    flex_wrap: FlexWrap::Wrap,
                    ..default()
                })
                .with_children(|row| {
                    for s in pair {
                        row.spawn((*s, fonts.text("", size::SMALL, color::TEXT)));
                    }
                });
            }
        });
}

/// The padding and layout of the review's panels.
fn panel_layout() -> Node {
    Node {
        padding: UiRect::axes(Val::Px(16.0), Val::Px(10.0)),
        ..theme::panel_node()
    }
}

/// The line said at the playhead (hidden between lines).
fn subtitle_box(bottom: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    bottom
        .spawn((
            SubtitleBox,
            Node {
                max_width: Val::Percent(100.0),
                flex_shrink: 1.0,
                min_height: Val::Px(0.0),
                overflow: Overflow::clip(),
                padding: UiRect::axes(Val::Px(16.0), Val::Px(8.0)),
                border_radius: BorderRadius::all(Val::Px(6.0)),
                ..default()
            },
            BackgroundColor(color::SHADE),
            Visibility::Hidden,
        ))
        .with_children(|s| {
            s.spawn((
                Text::default(),
                fonts.font(false, size::BODY),
                TextColor(color::TEXT),
            ))
            .insert(SubtitleText)
            .with_children(|t| {
                t.spawn((
                    SubtitleSpeaker,
                    fonts.span("", size::BODY, color::SUBJECT, true),
                ));
                t.spawn(fonts.span("", size::BODY, color::TEXT, false));
            });
        });
}

/// The mark at the playhead with the legend, the timeline track and the keys.
fn timeline_panel(
    bottom: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    view: &ReplayView,
    chart: Handle<Image>,
) {
    bottom
        .spawn(widget::panel())
        .insert(Node {
            width: Val::Percent(100.0),
            padding: UiRect::axes(Val::Px(14.0), Val::Px(10.0)),
            row_gap: Val::Px(6.0),
            flex_shrink: 0.0,
            ..theme::panel_node()
        })
        .with_children(|tl| {
            tl.spawn((MarkLabel, fonts.text("", size::SMALL, color::TEXT)));
            timeline_track(tl, fonts, view, chart);
            tl.spawn(widget::key_hints(fonts, KEYS));
        });
}

const KEYS: &str = "Space play/pause · ←/→ 1 s (Shift 10 s) · [ ] marks · F next flag (Shift+F back) · −/+ speed · 1 2 3 cameras · P panels · Esc back";

/// The clickable track: a lane of marks over the curves, and the playhead.
fn timeline_track(
    tl: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    view: &ReplayView,
    chart: Handle<Image>,
) {
    let dur = view.duration().max(0.1);
    let full_width = |height: f32| Node {
        width: Val::Percent(100.0),
        height: Val::Px(height),
        ..default()
    };
    tl.spawn((
        TimelineTrack,
        Button,
        RelativeCursorPosition::default(),
        Node {
            width: Val::Percent(100.0),
            flex_direction: FlexDirection::Column,
            ..default()
        },
    ))
    .with_children(|track| {
        track
            .spawn((full_width(LANE_H), BackgroundColor(color::PANEL_LIGHT)))
            .with_children(|lane| {
                for m in &view.replay.marks {
                    spawn_mark(lane, m, dur);
                }
            });
        track.spawn((
            ImageNode::new(chart).with_mode(bevy::ui::widget::NodeImageMode::Stretch),
            full_width(CHART_H as f32),
        ));
        chart_keys(track, fonts);
        track.spawn((
            Playhead,
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(-3.0),
                bottom: Val::Px(-3.0),
                width: Val::Px(3.0),
                margin: UiRect::left(Val::Px(-1.5)),
                left: Val::Percent(0.0),
                ..default()
            },
            BackgroundColor(Color::WHITE),
        ));
    });
}

/// Over the chart: what the two curves are (left, in their colours) and what the marks
/// are (right).
fn chart_keys(track: &mut ChildSpawnerCommands, fonts: &UiFonts) {
    let key = |left: bool| {
        let at = Val::Px(6.0);
        (
            Node {
                position_type: PositionType::Absolute,
                left: if left { at } else { Val::Auto },
                right: if left { Val::Auto } else { at },
                top: Val::Px(LANE_H + 2.0),
                column_gap: Val::Px(12.0),
                padding: UiRect::axes(Val::Px(6.0), Val::Px(0.0)),
                border_radius: BorderRadius::all(Val::Px(4.0)),
                ..default()
            },
            BackgroundColor(color::SHADE),
        )
    };
    track.spawn(key(true)).with_children(|l| {
        l.spawn(fonts.bold("agitation", size::SMALL, to_color(chart::AGITATION)));
        l.spawn(fonts.bold("distance", size::SMALL, to_color(chart::DISTANCE)));
        l.spawn(fonts.bold("ideal band", size::SMALL, to_color([90, 215, 130, 255])));
    });
    track.spawn(key(false)).with_children(|l| {
        let calm = tone_color(crate::format::vocab::Tone::Calm);
        legend(l, fonts, calm, "said (tone)");
        legend(l, fonts, color::WARN, "key moment");
        legend(l, fonts, color::ACCENT, "instructor");
        legend(l, fonts, to_color(chart::TRIGGER), "trigger");
    });
}

pub(super) fn timeline_seek(
    view: Option<ResMut<ReplayView>>,
    track: Query<(&Interaction, &RelativeCursorPosition), With<TimelineTrack>>,
) {
    let Some(mut view) = view else { return };
    for (i, pos) in &track {
        if *i == Interaction::Pressed
            && let Some(n) = pos.normalized
        {
            let t = (n.x + 0.5).clamp(0.0, 1.0) * view.duration();
            if (t - view.t).abs() > 0.02 {
                view.seek(t);
            }
        }
    }
}

fn mark_text(m: &Mark) -> String {
    let at = crate::assess::score::clock(m.t);
    match m.kind {
        MarkKind::Utterance => format!(
            "{at}  You ({}): “{}”",
            m.tone.map_or("", |t| t.label()),
            m.label
        ),
        MarkKind::Pause => format!("{at}  Tactical pause"),
        MarkKind::KeyMoment => format!("{at}  Key moment: {}", m.label),
        MarkKind::InstructorFlag => format!("{at}  Instructor flag: {}", m.label),
        MarkKind::Instructor => format!("{at}  {}", m.label),
        MarkKind::Trigger => format!("{at}  Trigger: {}", m.label),
        MarkKind::Ending => format!("{at}  Ending: {}", m.label),
    }
}

fn set_text(t: &mut Text, s: String) {
    if t.0 != s {
        t.0 = s;
    }
}

/// The clock, the playback state and the numbers at the playhead.
pub(super) fn update_numbers(
    view: Option<Res<ReplayView>>,
    mut clock: Query<&mut Text, (With<ClockText>, Without<StatusText>)>,
    mut status: Query<&mut Text, (With<StatusText>, Without<ClockText>)>,
    mut stats: Query<(&Stat, &mut Text, &mut TextColor), (Without<ClockText>, Without<StatusText>)>,
) {
    let Some(view) = view else { return };
    let Some(f) = view.frame() else { return };
    let clock_text = |t: f32| crate::assess::score::clock(t);
    for mut t in &mut clock {
        set_text(
            &mut t,
            format!("{} / {}", clock_text(view.t), clock_text(view.duration())),
        );
    }
    for mut t in &mut status {
        set_text(&mut t, status_text(&view));
    }
    for (s, mut t, mut c) in &mut stats {
        let (text, col) = stat_text(*s, f, &view);
        set_text(&mut t, text);
        if c.0 != col {
            c.0 = col;
        }
    }
}

/// Playing, paused or at the end; the speed and the camera.
fn status_text(view: &ReplayView) -> String {
    let state = if view.playing {
        "▶ playing"
    } else if view.t >= view.duration() - 1e-3 {
        "■ end"
    } else {
        "❚❚ paused"
    };
    format!(
        "{state} · {}×\nCamera {}",
        view.speed(),
        view.camera.label()
    )
}

/// One number of the frame `f` as the panel shows it, and its colour.
fn stat_text(s: Stat, f: &Frame, view: &ReplayView) -> (String, Color) {
    let sc = &view.scenario;
    match s {
        Stat::Agitation => (
            format!("Agitation {:.0}", f.agitation),
            match f.agitation {
                a if a >= 75.0 => color::BAD,
                a if a >= 50.0 => color::ORANGE,
                a if a >= 25.0 => color::WARN,
                _ => color::GOOD,
            },
        ),
        Stat::Trust => (format!("Trust {:.0}", f.trust), color::TEXT),
        Stat::Distance if f.distance.is_finite() => (
            format!(
                "Distance {:.1} m — {}",
                f.distance,
                zone_label(sc, f.distance)
            ),
            zone_color(sc, f.distance),
        ),
        Stat::Distance => ("Distance —".into(), color::MUTED),
        Stat::Scene => {
            let scene = view.replay.scenes.get(f.scene as usize);
            (
                format!("Scene: {}", scene.map_or("?", String::as_str)),
                color::MUTED,
            )
        }
        Stat::Body => {
            let mut s = format!("Body: {}", f.body.label());
            if f.trainee.hands == Hands::WeaponDrawn {
                s.push_str(" · weapon drawn");
            }
            if f.trainee.in_cover {
                s.push_str(" · in cover");
            }
            (s, color::MUTED)
        }
    }
}

/// The mark at the playhead over the timeline, and the playhead on it.
pub(super) fn update_timeline(
    view: Option<Res<ReplayView>>,
    mut label: Query<&mut Text, With<MarkLabel>>,
    mut playhead: Query<&mut Node, With<Playhead>>,
) {
    let Some(view) = view else { return };
    for mut t in &mut label {
        let text = view.recent_mark(4.0).map_or_else(
            || "[ ] jump between marks · F jumps to the next instructor flag".to_string(),
            mark_text,
        );
        set_text(&mut t, text);
    }
    let left = Val::Percent((view.t / view.duration().max(0.01) * 100.0).clamp(0.0, 100.0));
    for mut n in &mut playhead {
        if n.left != left {
            n.left = left;
        }
    }
}

/// The line said at the playhead, its speaker in their colour (hidden between lines).
pub(super) fn update_subtitle(
    view: Option<Res<ReplayView>>,
    mut sub_box: Query<&mut Visibility, With<SubtitleBox>>,
    sub_text: Query<&Children, With<SubtitleText>>,
    mut spans: Query<(&mut TextSpan, &mut TextColor)>,
) {
    let Some(view) = view else { return };
    let Some(f) = view.frame() else { return };
    let line = f.subtitle.and_then(|i| view.replay.lines.get(i as usize));
    for mut v in &mut sub_box {
        v.set_if_neq(if line.is_some() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
    }
    let Some(line) = line else { return };
    let who = speaker_color(&line.speaker, &view.replay.debrief.subject_name);
    for children in &sub_text {
        let mut it = children.iter();
        if let Some(e) = it.next()
            && let Ok((mut s, mut c)) = spans.get_mut(e)
        {
            let want = format!("{}: ", line.speaker);
            if s.0 != want {
                s.0 = want;
            }
            if c.0 != who {
                c.0 = who;
            }
        }
        if let Some(e) = it.next()
            && let Ok((mut s, _)) = spans.get_mut(e)
            && s.0 != line.text
        {
            s.0 = line.text.clone();
        }
    }
}

/// The colour a speaker's name is shown in.
fn speaker_color(speaker: &str, subject: &str) -> Color {
    if speaker == "You" {
        color::TRAINEE
    } else if speaker == subject {
        color::SUBJECT
    } else if speaker.starts_with("Radio") {
        color::RADIO
    } else {
        color::PARTNER
    }
}
