//! Overlays on every screen: the errors of a scenario file that failed to (re)load (in a
//! readable monospace panel; the last good version keeps running), the "scenario
//! reloaded" toast, and F12 screenshots with a toast saying where they went.

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use std::path::PathBuf;

use crate::game::Launch;
use crate::game::assets::{ReloadNotice, ScenarioErrors};
use crate::game::theme::{UiFonts, color, size};

#[derive(Component)]
struct ErrorPanel;

#[derive(Component)]
struct ErrorText;

#[derive(Component)]
struct Toast;

#[derive(Component)]
struct ToastText;

/// A short message at the top of the window.
#[derive(Resource, Default)]
struct ToastState {
    text: String,
    /// Shown from `from` (a screenshot's own toast starts after the picture) to `until`.
    from: f64,
    until: f64,
}

fn spawn(mut commands: Commands, fonts: Res<UiFonts>) {
    spawn_error_panel(&mut commands, &fonts);
    spawn_toast(&mut commands, &fonts);
}

/// The hidden panel for a scenario file's errors (the listing scrolls).
fn spawn_error_panel(commands: &mut Commands, fonts: &UiFonts) {
    commands
        .spawn((
            Node {
                position_type: PositionType::Absolute,
                right: Val::Px(16.0),
                top: Val::Px(72.0),
                width: Val::Px(820.0),
                max_width: Val::Percent(70.0),
                max_height: Val::Percent(75.0),
                flex_direction: FlexDirection::Column,
                padding: UiRect::all(Val::Px(14.0)),
                row_gap: Val::Px(6.0),
                border: UiRect::all(Val::Px(3.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                overflow: Overflow::clip(),
                ..default()
            },
            BackgroundColor(Color::srgba(0.08, 0.03, 0.03, 0.95)),
            BorderColor::all(color::BAD),
            GlobalZIndex(40),
            Visibility::Hidden,
            ErrorPanel,
        ))
        .with_children(|p| {
            p.spawn(fonts.bold("The scenario file has errors", size::LARGE, color::BAD));
            p.spawn(fonts.text(
                "Nothing was changed: the last good version stays in use. Fix the file and save it; this panel goes away by itself.",
                size::SMALL,
                color::TEXT,
            ));
            // The listing scrolls (mouse wheel) when it is longer than the panel.
            p.spawn((
                Node {
                    padding: UiRect::all(Val::Px(8.0)),
                    overflow: Overflow::scroll_y(),
                    flex_shrink: 1.0,
                    min_height: Val::Px(0.0),
                    ..default()
                },
                BackgroundColor(Color::srgb(0.03, 0.03, 0.04)),
                ScrollPosition::default(),
                crate::game::theme::Scrollable,
                bevy::ui::RelativeCursorPosition::default(),
            ))
            .with_children(|m| {
                m.spawn((fonts.mono("", 0.8, color::TEXT), ErrorText));
            });
        });
}

/// The hidden toast at the top of the window.
fn spawn_toast(commands: &mut Commands, fonts: &UiFonts) {
    commands
        .spawn((
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(70.0),
                left: Val::Px(0.0),
                right: Val::Px(0.0),
                justify_content: JustifyContent::Center,
                ..default()
            },
            GlobalZIndex(45),
            Visibility::Hidden,
            Toast,
        ))
        .with_children(|t| {
            t.spawn((
                Node {
                    padding: UiRect::axes(Val::Px(18.0), Val::Px(8.0)),
                    border: UiRect::all(Val::Px(2.0)),
                    border_radius: BorderRadius::all(Val::Px(6.0)),
                    max_width: Val::Px(1000.0),
                    ..default()
                },
                BackgroundColor(color::PANEL_SOLID),
                BorderColor::all(color::ACCENT),
            ))
            .with_children(|b| {
                b.spawn((fonts.text("", size::BODY, color::TEXT), ToastText));
            });
        });
}

/// At most this many lines of diagnostics are shown (the rest is summarised).
const MAX_ERROR_LINES: usize = 28;

/// The report trimmed to what fits the panel.
pub fn clip_report(report: &str) -> String {
    let lines: Vec<&str> = report.lines().collect();
    if lines.len() <= MAX_ERROR_LINES {
        return report.trim_end().to_string();
    }
    let more = lines.len() - MAX_ERROR_LINES;
    format!(
        "{}\n… {more} more lines (run `deescalate check` on the file for all of them)",
        lines[..MAX_ERROR_LINES].join("\n")
    )
}

fn errors(
    errors: Res<ScenarioErrors>,
    mut panel: Query<&mut Visibility, With<ErrorPanel>>,
    mut text: Query<&mut Text, With<ErrorText>>,
) {
    if !errors.is_changed() {
        return;
    }
    if let Ok(mut v) = panel.single_mut() {
        *v = if errors.0.is_some() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
    }
    if let (Ok(mut t), Some(e)) = (text.single_mut(), &errors.0) {
        t.0 = clip_report(e);
    }
}

fn toast(
    notice: Res<ReloadNotice>,
    mut state: ResMut<ToastState>,
    time: Res<Time<Real>>,
    mut seen: Local<u32>,
    mut root: Query<&mut Visibility, With<Toast>>,
    mut text: Query<&mut Text, With<ToastText>>,
) {
    let now = time.elapsed_secs_f64();
    if let Some(n) = &notice.0
        && n.generation != *seen
    {
        *seen = n.generation;
        state.text = n.text.clone();
        state.from = n.at;
        state.until = n.at + crate::game::assets::NOTICE_SECS.max(6.0);
    }
    let show = now >= state.from && now < state.until && !state.text.is_empty();
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
    if show
        && let Ok(mut t) = text.single_mut()
        && t.0 != state.text
    {
        t.0 = state.text.clone();
    }
}

/// F12 saves a screenshot into the records folder's `screenshots/`.
fn screenshot(
    mut commands: Commands,
    keys: Res<ButtonInput<KeyCode>>,
    launch: Res<Launch>,
    mut state: ResMut<ToastState>,
    time: Res<Time<Real>>,
    mut n: Local<u32>,
) {
    if !keys.just_pressed(KeyCode::F12) {
        return;
    }
    let dir: PathBuf =
        crate::records::record::records_dir(launch.records.as_deref()).join("screenshots");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        state.text = format!("Screenshot not saved: cannot create {}: {e}", dir.display());
        state.from = time.elapsed_secs_f64();
        state.until = state.from + 5.0;
        return;
    }
    *n += 1;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let path = dir.join(format!("deescalate-{secs}-{}.png", *n));
    state.text = format!("Screenshot saved to {}", path.display());
    state.from = time.elapsed_secs_f64() + 0.5;
    state.until = state.from + 4.0;
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path));
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ToastState>()
        .add_systems(Startup, spawn)
        .add_systems(Update, (errors, screenshot, toast).chain());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_reports_are_clipped() {
        let long: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let c = clip_report(&long);
        assert!(c.lines().count() <= MAX_ERROR_LINES + 1);
        assert!(c.contains("72 more lines"));
        assert_eq!(clip_report("a\nb\n"), "a\nb");
    }
}
