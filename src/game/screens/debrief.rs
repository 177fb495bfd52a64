//! The after-action debrief: outcome and ending summary, recognition, the four scores with
//! their itemised reasons, charts of agitation and distance over time with the events
//! marked, key moments, the timeline of what was said in which tone and how the subject
//! reacted, the indicators, the CDM reflection and the objectives. Scrolls with the wheel,
//! arrows and Page Up / Down.
//!
//! Keys: X writes the HTML report next to the session record, R restarts, V replays the run
//! in 3D (Esc there comes back here), Enter returns to the scenario list.

use bevy::asset::RenderAssetUsages;
use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use std::path::{Path, PathBuf};

use crate::assess::debrief::{Debrief, Speaker, TimelineEntry};
use crate::assess::score::{DimensionScore, clock};
use crate::game::theme::chart::{self, Canvas, Plot};
use crate::game::theme::{self, UiFonts, color, metres, size, tone_color, widget};
use crate::game::{Launch, Restart, Screen, Session};

/// Chart size in pixels (at the 1280x720 baseline).
const CHART_W: u32 = 1080;
const CHART_H: u32 = 230;
/// Width of the column of value labels left of a chart.
const AXIS_W: f32 = 56.0;

#[derive(Component)]
struct ScrollBody;

#[derive(Component)]
struct ExportButton;

#[derive(Component)]
struct RestartButton;

#[derive(Component)]
struct ListButton;

#[derive(Component)]
struct ExportStatus;

/// Where the HTML report goes: next to the record (same name, `.html`), else into the
/// records folder under a fresh unique name.
pub fn report_path(
    record: Option<&Path>,
    records: &Path,
    scenario_id: &str,
    trainee: &str,
) -> PathBuf {
    match record {
        Some(r) => r.with_extension("html"),
        None => records
            .join(crate::records::record::unique_name(scenario_id, trainee))
            .with_extension("html"),
    }
}

/// Write the HTML report; returns where it went.
pub fn export_html(d: &Debrief, path: &Path) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
    }
    let html = crate::report::html::render(d);
    crate::records::record::write_atomic(path, html.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn chart_image(c: Canvas, images: &mut Assets<Image>) -> Handle<Image> {
    images.add(Image::new(
        Extent3d {
            width: c.width,
            height: c.height,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        c.data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD | RenderAssetUsages::MAIN_WORLD,
    ))
}

fn section(p: &mut ChildSpawnerCommands, fonts: &UiFonts, title: &str) {
    p.spawn((
        Node {
            margin: UiRect::new(Val::Px(0.0), Val::Px(0.0), Val::Px(22.0), Val::Px(4.0)),
            padding: UiRect::bottom(Val::Px(4.0)),
            border: UiRect::bottom(Val::Px(2.0)),
            ..default()
        },
        BorderColor::all(color::BORDER),
    ))
    .with_children(|h| {
        h.spawn(fonts.bold(title, size::HEADING, color::ACCENT));
    });
}

fn card() -> (Node, BackgroundColor, BorderColor) {
    (
        theme::panel_node(),
        BackgroundColor(color::PANEL_SOLID),
        BorderColor::all(color::BORDER),
    )
}

fn score_color(v: f32) -> Color {
    match v {
        v if v >= 75.0 => color::GOOD,
        v if v >= 50.0 => color::WARN,
        _ => color::BAD,
    }
}

fn speaker(d: &Debrief, s: Speaker) -> (String, Color) {
    match s {
        Speaker::Trainee => ("You".into(), color::TRAINEE),
        Speaker::Subject => (d.subject_name.clone(), color::SUBJECT),
        Speaker::Partner => ("Partner".into(), color::PARTNER),
        Speaker::Instructor => ("Instructor".into(), color::ACCENT),
        Speaker::Scene => ("".into(), color::MUTED),
        Speaker::Radio => ("Radio".into(), color::RADIO),
        Speaker::Bystander => ("Bystander".into(), color::BYSTANDER),
    }
}

/// A chart with its value labels on the left and time labels underneath.
fn spawn_chart(
    p: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    image: Handle<Image>,
    plot: &Plot,
    y_ticks: &[f32],
    y_unit: &str,
    legend: &[(&str, Color)],
) {
    let (w, h) = (plot.width, plot.height);
    let label = |text: String| fonts.text(text, size::SMALL, color::MUTED);
    p.spawn(Node {
        flex_direction: FlexDirection::Column,
        ..default()
    })
    .with_children(|c| {
        c.spawn(Node {
            column_gap: Val::Px(18.0),
            margin: UiRect::left(Val::Px(AXIS_W)),
            flex_wrap: FlexWrap::Wrap,
            ..default()
        })
        .with_children(|l| {
            for (name, col) in legend {
                chart_key(l, fonts, name, *col);
            }
        });
        c.spawn(Node::default()).with_children(|row| {
            row.spawn(sized(AXIS_W, h)).with_children(|ax| {
                for v in y_ticks {
                    let at = (Val::Auto, Val::Px(8.0), Val::Px(plot.y(*v) - 11.0));
                    ax.spawn((pinned(at), label(format!("{v:.0}{y_unit}"))));
                }
            });
            row.spawn((sized(w, h), ImageNode::new(image)));
        });
        c.spawn(Node {
            margin: UiRect::left(Val::Px(AXIS_W)),
            ..sized(w, 24.0)
        })
        .with_children(|ax| {
            for t in chart::time_ticks(plot.t_max) {
                let at = (Val::Px(plot.x(t) - 16.0), Val::Auto, Val::Px(2.0));
                ax.spawn((pinned(at), label(clock(t))));
            }
        });
    });
}

/// A node `w` × `h` logical pixels.
fn sized(w: f32, h: f32) -> Node {
    Node {
        width: Val::Px(w),
        height: Val::Px(h),
        ..default()
    }
}

/// An axis label placed absolutely at (left, right, top).
fn pinned((left, right, top): (Val, Val, Val)) -> Node {
    Node {
        position_type: PositionType::Absolute,
        left,
        right,
        top,
        ..default()
    }
}

/// One entry of a chart's legend: a colour swatch and its name.
fn chart_key(l: &mut ChildSpawnerCommands, fonts: &UiFonts, name: &str, col: Color) {
    l.spawn(Node {
        align_items: AlignItems::Center,
        column_gap: Val::Px(6.0),
        ..default()
    })
    .with_children(|i| {
        i.spawn((
            Node {
                border_radius: BorderRadius::all(Val::Px(2.0)),
                ..sized(18.0, 10.0)
            },
            BackgroundColor(col),
        ));
        i.spawn(fonts.text(name, size::SMALL, color::MUTED));
    });
}

fn to_color(c: chart::Rgba) -> Color {
    Color::srgba_u8(c[0], c[1], c[2], 255)
}

fn spawn_screen(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    session: Option<Res<Session>>,
    mut images: ResMut<Assets<Image>>,
    mut built: Local<bool>,
    screen: Res<State<Screen>>,
    existing: Query<(), With<ScrollBody>>,
) {
    if *screen.get() != Screen::Debrief {
        *built = false;
        return;
    }
    if *built && !existing.is_empty() {
        return;
    }
    let Some(session) = session else { return };
    let Some(d) = session.debrief.clone() else {
        return;
    };
    *built = true;
    let record_line = match (&session.record_path, &session.record_error) {
        (Some(p), _) => (format!("Session record: {}", p.display()), color::MUTED),
        (None, Some(e)) => (e.clone(), color::WARN),
        (None, None) => (String::new(), color::MUTED),
    };
    commands
        .spawn((
            Node {
                padding: UiRect::new(Val::Px(40.0), Val::Px(40.0), Val::Px(18.0), Val::Px(16.0)),
                row_gap: Val::Px(8.0),
                ..theme::screen_root()
            },
            BackgroundColor(color::BG),
            DespawnOnExit(Screen::Debrief),
        ))
        .with_children(|root| {
            header(root, &fonts, &d);
            root.spawn((
                widget::key_hints(
                    &fonts,
                    "Scroll with the mouse wheel, ↑ ↓ or Page Up / Page Down.  V: replay this run in 3D.",
                ),
                ExportStatus,
            ));
            root.spawn((
                Node {
                    flex_direction: FlexDirection::Column,
                    flex_grow: 1.0,
                    min_height: Val::Px(0.0),
                    overflow: Overflow::scroll_y(),
                    row_gap: Val::Px(8.0),
                    padding: UiRect::right(Val::Px(10.0)),
                    ..default()
                },
                ScrollPosition::default(),
                ScrollBody,
                theme::Scrollable,
                bevy::ui::RelativeCursorPosition::default(),
            ))
            .with_children(|body| report(body, &fonts, &d, record_line, &mut images));
        });
}

/// The scrolling body: every section of the debrief, in order.
fn report(
    body: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    d: &Debrief,
    record_line: (String, Color),
    images: &mut Assets<Image>,
) {
    outcome(body, fonts, d, record_line);
    if let Some(m) = &d.met {
        section(body, fonts, &format!("Who you met: {}", m.temperament));
        body.spawn(fonts.text(m.description.clone(), size::BODY, color::TEXT));
        for c in &m.changes {
            body.spawn(fonts.text(format!("• {c}"), size::SMALL, color::MUTED));
        }
    }
    scores(body, fonts, d);
    let (canvas, plot) = chart::agitation_chart(d, CHART_W, CHART_H);
    agitation_section(body, fonts, d, chart_image(canvas, images), &plot);
    let (canvas, plot) = chart::distance_chart(d, CHART_W, CHART_H);
    distance_section(body, fonts, d, chart_image(canvas, images), &plot);
    key_moments(body, fonts, d);
    timeline(body, fonts, d);
    indicators(body, fonts, d);
    cdm(body, fonts, d);
    objectives(body, fonts, d);
    instructor(body, fonts, d);
    body.spawn(Node {
        height: Val::Px(40.0),
        flex_shrink: 0.0,
        ..default()
    });
}

/// The fixed header: what this is, who played, and the buttons (they wrap onto a line of
/// their own when the text is large, never off the window).
fn header(root: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief) {
    root.spawn(Node {
        flex_direction: FlexDirection::Column,
        flex_shrink: 0.0,
        ..default()
    })
    .with_children(|h| {
        h.spawn(fonts.text("AFTER-ACTION DEBRIEF", size::SMALL, color::ACCENT));
        h.spawn(fonts.bold(d.scenario_title.clone(), size::HEADING, color::TEXT));
        h.spawn(widget::bar()).with_children(|r| {
            r.spawn(fonts.text(
                format!(
                    "{}    duration {}    seed {}",
                    d.trainee.clone().unwrap_or_else(|| "Trainee".into()),
                    clock(d.duration),
                    d.seed
                ),
                size::BODY,
                color::MUTED,
            ));
            r.spawn(widget::button_row()).with_children(|b| {
                theme::spawn_button(b, fonts, "Export report (X)", ExportButton);
                theme::spawn_button(b, fonts, "Restart (R)", RestartButton);
                theme::spawn_button(b, fonts, "Scenario list (Enter)", ListButton);
            });
        });
    });
}

/// The agitation and trust chart with its legend and a sentence about it.
fn agitation_section(
    body: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    d: &Debrief,
    img: Handle<Image>,
    plot: &Plot,
) {
    use crate::format::vocab::Tone;
    section(body, fonts, "Agitation and trust over time");
    let legend: Vec<(&str, Color)> = vec![
        ("agitation", to_color(chart::AGITATION)),
        ("trust", to_color(chart::TRUST)),
        ("calm", tone_color(Tone::Calm)),
        ("neutral", tone_color(Tone::Neutral)),
        ("firm", tone_color(Tone::Firm)),
        ("commanding", tone_color(Tone::Commanding)),
        ("shouting", tone_color(Tone::Shouting)),
        ("trigger", to_color(chart::TRIGGER)),
        ("entered a zone", color::ORANGE),
        ("weapon / fast approach", to_color(chart::DANGER)),
    ];
    spawn_chart(
        body,
        fonts,
        img,
        plot,
        &[0.0, 25.0, 50.0, 75.0, 100.0],
        "",
        &legend,
    );
    body.spawn(fonts.text(
        format!(
            "Agitation started at {:.0}, peaked at {:.0} ({}) and ended at {:.0}. Dots are your lines, in the colour of the tone you used.",
            d.agitation.start,
            d.agitation.peak,
            clock(d.agitation.peak_t),
            d.agitation.end
        ),
        size::BODY,
        color::TEXT,
    ));
}

/// The distance chart with the zones and a sentence about them.
fn distance_section(
    body: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    d: &Debrief,
    img: Handle<Image>,
    plot: &Plot,
) {
    section(body, fonts, "Distance over time");
    let legend: Vec<(&str, Color)> = vec![
        ("distance", to_color(chart::DISTANCE)),
        ("ideal band", Color::srgb(0.24, 0.78, 0.43)),
        ("personal space", color::ORANGE),
        ("reactionary gap", color::BAD),
    ];
    let ticks = chart::nice_ticks(plot.v_max, 5);
    spawn_chart(body, fonts, img, plot, &ticks, " m", &legend);
    body.spawn(fonts.text(
        format!(
            "Ideal talking distance {}–{} m; {}'s personal space {} m; reactionary gap {} m.",
            metres(d.ideal_distance.0),
            metres(d.ideal_distance.1),
            d.subject_name,
            metres(d.personal_space),
            metres(d.reactionary_gap)
        ),
        size::BODY,
        color::TEXT,
    ));
}

fn outcome(p: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief, record: (String, Color)) {
    let good = d.deescalated;
    p.spawn((
        Node {
            border: UiRect::left(Val::Px(6.0)),
            ..theme::panel_node()
        },
        BackgroundColor(color::PANEL_SOLID),
        BorderColor::all(if good { color::GOOD } else { color::WARN }),
    ))
    .with_children(|c| {
        let title = match (&d.ending_title, d.outcome) {
            (Some(t), Some(o)) => format!("{t}  ({})", o.label()),
            (Some(t), None) => t.clone(),
            _ => "The run stopped before an ending was reached".into(),
        };
        c.spawn(fonts.bold(
            title,
            size::HEADING,
            if good { color::GOOD } else { color::WARN },
        ));
        if d.timed_out {
            c.spawn(fonts.text(
                "The time limit ran out before the situation was settled.",
                size::BODY,
                color::WARN,
            ));
        }
        if let Some(s) = &d.ending_summary {
            c.spawn(fonts.text(s.clone(), size::LARGE, color::TEXT));
        }
        if let Some(r) = &d.recognition {
            c.spawn((
                Node {
                    margin: UiRect::top(Val::Px(6.0)),
                    padding: UiRect::all(Val::Px(10.0)),
                    border_radius: BorderRadius::all(Val::Px(6.0)),
                    ..default()
                },
                BackgroundColor(Color::srgba(0.2, 0.6, 0.3, 0.22)),
            ))
            .with_children(|b| {
                b.spawn(fonts.text(r.clone(), size::BODY, color::TEXT));
            });
        }
        if !record.0.is_empty() {
            c.spawn(fonts.text(record.0, size::SMALL, record.1));
        }
    });
}

fn scores(p: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief) {
    section(p, fonts, "Scores");
    let how = match &d.scores.outcome {
        Some(o) => format!(
            "Weighted mean of the four scores below: {:.0}; outcome {:+.0}: {}",
            d.scores.weighted, o.points, o.reason
        ),
        None => "The weighted mean of the four scores below. Every point is explained.".to_string(),
    };
    p.spawn(Node {
        column_gap: Val::Px(14.0),
        align_items: AlignItems::Center,
        ..default()
    })
    .with_children(|r| {
        r.spawn(fonts.text("Overall", size::LARGE, color::MUTED));
        r.spawn(fonts.bold(
            format!("{:.0} / 100", d.scores.overall),
            size::TITLE,
            score_color(d.scores.overall),
        ));
    });
    p.spawn(fonts.text(how, size::SMALL, color::MUTED));
    p.spawn(Node {
        display: Display::Grid,
        grid_template_columns: RepeatedGridTrack::flex(2, 1.0),
        column_gap: Val::Px(14.0),
        row_gap: Val::Px(14.0),
        ..default()
    })
    .with_children(|g| {
        for dim in d.scores.dims() {
            g.spawn(card()).with_children(|c| score_card(c, fonts, dim));
        }
    });
}

/// One of the four scores: title and number, a bar, then every point with its reason.
fn score_card(c: &mut ChildSpawnerCommands, fonts: &UiFonts, dim: &DimensionScore) {
    c.spawn(Node {
        justify_content: JustifyContent::SpaceBetween,
        align_items: AlignItems::Baseline,
        ..default()
    })
    .with_children(|h| {
        h.spawn(fonts.bold(dim.dimension.title(), size::LARGE, color::TEXT));
        h.spawn(fonts.bold(
            format!("{:.0}", dim.score),
            size::HEADING,
            score_color(dim.score),
        ));
    });
    c.spawn(score_track()).with_children(|b| {
        b.spawn(score_fill(dim.score));
    });
    let base = format!("{:.0}", dim.base);
    score_line(c, fonts, base, &dim.base_reason, None, color::MUTED);
    for item in &dim.items {
        let col = if item.points >= 0.0 {
            color::GOOD
        } else {
            color::BAD
        };
        let points = format!("{:+.1}", item.points);
        score_line(c, fonts, points, &item.reason, item.t, col);
    }
    let mut note = |text: String| {
        c.spawn(fonts.text(text, size::SMALL, color::MUTED));
    };
    if (dim.raw() - dim.score).abs() > 0.05 {
        note(format!(
            "(capped to {:.0}: the points add up to {:.0})",
            dim.score,
            dim.raw()
        ));
    }
    if (dim.weight - 1.0).abs() > 1e-3 {
        note(format!("weight in the overall score: {:.1}", dim.weight));
    }
}

/// The track of a score's bar.
fn score_track() -> impl Bundle {
    (
        Node {
            height: Val::Px(8.0),
            border_radius: BorderRadius::all(Val::Px(3.0)),
            margin: UiRect::bottom(Val::Px(4.0)),
            ..default()
        },
        BackgroundColor(Color::srgba(1.0, 1.0, 1.0, 0.08)),
    )
}

/// A score's bar, `score` per cent of its track, in the score's colour.
fn score_fill(score: f32) -> impl Bundle {
    (
        Node {
            width: Val::Percent(score.clamp(0.0, 100.0)),
            height: Val::Percent(100.0),
            border_radius: BorderRadius::all(Val::Px(3.0)),
            ..default()
        },
        BackgroundColor(score_color(score)),
    )
}

fn score_line(
    c: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    points: String,
    reason: &str,
    t: Option<f32>,
    col: Color,
) {
    c.spawn(Node {
        column_gap: Val::Px(10.0),
        ..default()
    })
    .with_children(|r| {
        r.spawn((
            Node {
                width: Val::Px(54.0),
                flex_shrink: 0.0,
                justify_content: JustifyContent::End,
                ..default()
            },
            fonts.bold(points, size::SMALL, col),
        ));
        let text = match t {
            Some(t) => format!("{reason}  [{}]", clock(t)),
            None => reason.to_string(),
        };
        r.spawn(fonts.text(text, size::SMALL, color::TEXT));
    });
}

fn key_moments(p: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief) {
    if d.key_moments.is_empty() {
        return;
    }
    section(p, fonts, "Key moments");
    for m in &d.key_moments {
        p.spawn(Node {
            column_gap: Val::Px(14.0),
            ..default()
        })
        .with_children(|r| {
            let when = if m.t_end > m.t + 0.5 {
                format!("{}–{}", clock(m.t), clock(m.t_end))
            } else {
                clock(m.t)
            };
            r.spawn((
                fixed_width(150.0),
                fonts.bold(when, size::BODY, color::MUTED),
            ));
            let col = change_color(m.delta);
            r.spawn((
                fixed_width(170.0),
                fonts.bold(format!("{:+.0} agitation", m.delta), size::BODY, col),
            ));
            r.spawn(fonts.text(m.cause.clone(), size::BODY, color::TEXT));
        });
    }
}

fn timeline(p: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief) {
    if d.timeline.is_empty() {
        return;
    }
    section(p, fonts, "Timeline");
    for e in &d.timeline {
        let (who, who_col) = speaker(d, e.speaker);
        p.spawn((
            Node {
                column_gap: Val::Px(12.0),
                padding: UiRect::axes(Val::Px(8.0), Val::Px(5.0)),
                border_radius: BorderRadius::all(Val::Px(4.0)),
                ..default()
            },
            BackgroundColor(if e.speaker == Speaker::Trainee {
                color::PANEL_SOLID
            } else {
                Color::NONE
            }),
        ))
        .with_children(|r| {
            r.spawn((
                fixed_width(56.0),
                fonts.text(clock(e.t), size::SMALL, color::MUTED),
            ));
            r.spawn((fixed_width(170.0), fonts.bold(who, size::SMALL, who_col)));
            r.spawn(Node {
                flex_direction: FlexDirection::Column,
                flex_grow: 1.0,
                flex_basis: Val::Px(0.0),
                row_gap: Val::Px(2.0),
                ..default()
            })
            .with_children(|c| timeline_entry(c, fonts, e));
        });
    }
}

/// A column of the given width that does not shrink.
fn fixed_width(width: f32) -> Node {
    Node {
        width: Val::Px(width),
        flex_shrink: 0.0,
        ..default()
    }
}

/// What was said (in which tone), how the subject's agitation moved, and any note.
fn timeline_entry(c: &mut ChildSpawnerCommands, fonts: &UiFonts, e: &TimelineEntry) {
    let text_col = if e.speaker == Speaker::Scene {
        color::MUTED
    } else {
        color::TEXT
    };
    c.spawn(Node {
        column_gap: Val::Px(10.0),
        align_items: AlignItems::Center,
        flex_wrap: FlexWrap::Wrap,
        ..default()
    })
    .with_children(|l| {
        if let Some(tone) = e.tone {
            l.spawn((
                Node {
                    padding: UiRect::axes(Val::Px(8.0), Val::Px(1.0)),
                    border: UiRect::all(Val::Px(1.0)),
                    border_radius: BorderRadius::all(Val::Px(10.0)),
                    flex_shrink: 0.0,
                    ..default()
                },
                BorderColor::all(tone_color(tone)),
            ))
            .with_children(|t| {
                t.spawn(fonts.text(tone.label(), size::SMALL, tone_color(tone)));
            });
        }
        l.spawn(fonts.text(e.text.clone(), size::BODY, text_col));
    });
    if let (Some(a), Some(b)) = (e.agitation_before, e.agitation_after) {
        let delta = b - a;
        c.spawn(fonts.text(
            format!("agitation {a:.0} → {b:.0} ({delta:+.0})"),
            size::SMALL,
            change_color(delta),
        ));
    }
    if let Some(n) = &e.note {
        c.spawn(fonts.text(n.clone(), size::SMALL, color::WARN));
    }
}

/// A change of agitation: up is bad, down is good, about nothing is muted.
fn change_color(delta: f32) -> Color {
    if delta > 0.5 {
        color::BAD
    } else if delta < -0.5 {
        color::GOOD
    } else {
        color::MUTED
    }
}

fn indicators(p: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief) {
    if d.indicators.is_empty() {
        return;
    }
    section(p, fonts, "Crisis indicators");
    for i in &d.indicators {
        let (text, col) = match i.recognised_at {
            Some(t) => (
                format!(
                    "{}: recognised at {}",
                    capital(i.indicator.label()),
                    clock(t)
                ),
                color::GOOD,
            ),
            None => (
                format!("{}: not addressed", capital(i.indicator.label())),
                color::WARN,
            ),
        };
        p.spawn(fonts.text(text, size::BODY, col));
    }
}

fn cdm(p: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief) {
    if d.cdm.is_empty() {
        return;
    }
    section(p, fonts, "Reflection: the Critical Decision-Making Model");
    for step in &d.cdm {
        p.spawn(card()).with_children(|c| {
            c.spawn(fonts.bold(step.step.clone(), size::LARGE, color::TEXT));
            for o in &step.observations {
                c.spawn(widget::bullet(fonts, o.clone()));
            }
            c.spawn(fonts.text(step.question.clone(), size::BODY, color::ACCENT));
        });
    }
}

fn objectives(p: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief) {
    if d.objectives.is_empty() {
        return;
    }
    section(p, fonts, "Learning objectives");
    for o in &d.objectives {
        p.spawn(widget::bullet(fonts, o.clone()));
    }
}

fn instructor(p: &mut ChildSpawnerCommands, fonts: &UiFonts, d: &Debrief) {
    if d.instructor.is_empty() {
        return;
    }
    section(p, fonts, "Instructor actions");
    for n in &d.instructor {
        p.spawn(fonts.text(
            format!(
                "{}  {}",
                clock(n.t),
                crate::assess::debrief::describe_instructor(&n.action)
            ),
            size::BODY,
            color::TEXT,
        ));
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn input(
    keys: Res<ButtonInput<KeyCode>>,
    export: Query<&Interaction, (Changed<Interaction>, With<ExportButton>)>,
    restart_btn: Query<&Interaction, (Changed<Interaction>, With<RestartButton>)>,
    list: Query<&Interaction, (Changed<Interaction>, With<ListButton>)>,
    session: Option<Res<Session>>,
    launch: Res<Launch>,
    mut status: Query<(&mut Text, &mut TextColor), With<ExportStatus>>,
    mut restart: MessageWriter<Restart>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    if keys.just_pressed(KeyCode::KeyX) || export.iter().any(|i| *i == Interaction::Pressed) {
        let Some(session) = &session else { return };
        let Some(d) = &session.debrief else { return };
        let path = report_path(
            session.record_path.as_deref(),
            &crate::records::record::records_dir(launch.records.as_deref()),
            &d.scenario_id,
            &session.trainee,
        );
        let (msg, col) = match export_html(d, &path) {
            Ok(()) => {
                info!("debrief report written to {}", path.display());
                (format!("Report saved: {}", path.display()), color::GOOD)
            }
            Err(e) => {
                warn!("debrief report not written: {e}");
                (format!("The report could not be saved: {e}"), color::BAD)
            }
        };
        if let Ok((mut t, mut c)) = status.single_mut() {
            t.0 = msg;
            c.0 = col;
        }
    }
    if keys.just_pressed(KeyCode::KeyR) || restart_btn.iter().any(|i| *i == Interaction::Pressed) {
        restart.write(Restart);
    }
    // V: review this run in the 3D after-action replay viewer.
    if keys.just_pressed(KeyCode::KeyV) {
        match session.as_ref().and_then(|s| s.record_path.clone()) {
            Some(path) => {
                crate::game::review::FromDebrief::open_replay(&mut commands, path);
                next.set(Screen::Replay);
            }
            None => {
                if let Ok((mut t, mut c)) = status.single_mut() {
                    t.0 = "No record was saved for this run, so it cannot be replayed.".into();
                    c.0 = color::BAD;
                }
            }
        }
    }
    if keys.just_pressed(KeyCode::Enter)
        || keys.just_pressed(KeyCode::NumpadEnter)
        || list.iter().any(|i| *i == Interaction::Pressed)
    {
        next.set(Screen::Select);
    }
}

fn scroll(
    keys: Res<ButtonInput<KeyCode>>,
    mut body: Query<(&ComputedNode, &mut ScrollPosition), With<ScrollBody>>,
) {
    let Ok((node, mut pos)) = body.single_mut() else {
        return;
    };
    let inv = node.inverse_scale_factor;
    let view = node.size.y * inv;
    let max = ((node.content_size.y - node.size.y) * inv).max(0.0);
    let mut dy = 0.0;
    if keys.just_pressed(KeyCode::ArrowDown) {
        dy += 60.0;
    }
    if keys.just_pressed(KeyCode::ArrowUp) {
        dy -= 60.0;
    }
    if keys.just_pressed(KeyCode::PageDown) || keys.just_pressed(KeyCode::Space) {
        dy += view * 0.85;
    }
    if keys.just_pressed(KeyCode::PageUp) {
        dy -= view * 0.85;
    }
    let mut y = pos.0.y + dy;
    if keys.just_pressed(KeyCode::Home) {
        y = 0.0;
    }
    if keys.just_pressed(KeyCode::End) {
        y = max;
    }
    let y = y.clamp(0.0, max);
    if (y - pos.0.y).abs() > 0.01 {
        pos.0.y = y;
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (
            spawn_screen,
            (input, scroll).run_if(in_state(Screen::Debrief)),
        )
            .chain(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_goes_next_to_the_record() {
        let p = report_path(
            Some(Path::new("/r/knife_ann_1.json")),
            Path::new("/r"),
            "knife",
            "Ann",
        );
        assert_eq!(p, PathBuf::from("/r/knife_ann_1.html"));
        let q = report_path(None, Path::new("/recs"), "knife", "Ann");
        assert!(q.starts_with("/recs"));
        assert_eq!(q.extension().and_then(|e| e.to_str()), Some("html"));
    }
}
