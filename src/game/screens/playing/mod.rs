//! The playing screen's interface, laid out so the subject in the middle of the view stays
//! in sight: the HUD in the top-left corner, the talk panel (when open) in a column along
//! the right side, the window's full height, and at the bottom of what is left one
//! subtitle line above the tone selector. The pause menu sits over it all.

pub mod hud;
pub mod options;
pub mod pause;
pub mod subtitles;
pub mod talk;
mod tone_bar;

use crate::game::state::Screen;
use crate::game::theme;
use bevy::prelude::*;
use bevy::text::RemSize;

pub use talk::TalkPanel;

/// The full-window frame of the playing screen's panels.
#[derive(Component)]
pub struct PlayingLayout;

/// Slot for the subtitle line, at the bottom above the tone selector.
#[derive(Component)]
pub struct SubtitleSlot;

/// Slot for the talk panel: a column along the right side of the window.
#[derive(Component)]
pub struct TalkSlot;

/// Slot for the tone selector and hands indicator, along the bottom.
#[derive(Component)]
pub struct ToneSlot;

/// Width of the talk panel's column at text scale 1 (wider with larger text, less on a
/// narrow window).
const TALK_WIDTH: f32 = 440.0;

fn spawn_layout(mut commands: Commands) {
    commands.spawn((
        Node {
            position_type: PositionType::Absolute,
            left: Val::Px(0.0),
            right: Val::Px(0.0),
            top: Val::Px(0.0),
            bottom: Val::Px(0.0),
            column_gap: Val::Px(12.0),
            padding: UiRect::new(Val::Px(16.0), Val::Px(16.0), Val::Px(12.0), Val::Px(8.0)),
            ..default()
        },
        PlayingLayout,
        DespawnOnExit(Screen::Playing),
        children![view_column(), talk_column()],
    ));
}

/// The view: the scene, and along its bottom the subtitle above the tone selector
/// (centred on what the talk column leaves).
fn view_column() -> impl Bundle {
    (
        Node {
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::FlexEnd,
            align_items: AlignItems::Center,
            row_gap: Val::Px(8.0),
            flex_grow: 1.0,
            min_width: Val::Px(0.0),
            ..default()
        },
        children![
            (
                Node {
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    max_width: Val::Px(900.0),
                    flex_shrink: 0.0,
                    ..default()
                },
                SubtitleSlot,
            ),
            (
                Node {
                    align_items: AlignItems::Center,
                    justify_content: JustifyContent::Center,
                    flex_wrap: FlexWrap::Wrap,
                    column_gap: Val::Px(12.0),
                    row_gap: Val::Px(6.0),
                    max_width: Val::Percent(100.0),
                    flex_shrink: 0.0,
                    ..default()
                },
                ToneSlot,
            ),
        ],
    )
}

/// The talk column, the window's full height (taking no room while the panel is closed).
fn talk_column() -> impl Bundle {
    (
        Node {
            display: Display::None,
            flex_direction: FlexDirection::Column,
            width: Val::Px(TALK_WIDTH),
            max_width: Val::Percent(40.0),
            flex_shrink: 0.0,
            min_height: Val::Px(0.0),
            ..default()
        },
        TalkSlot,
    )
}

/// Larger text gets a wider talk column (by the square root of the scale, so 130 % text
/// is 14 % wider), so more lines fit without covering more of the scene than needed.
fn talk_width(rem: Res<RemSize>, mut slot: Query<&mut Node, With<TalkSlot>>) {
    let scale = (rem.0 / theme::BASE_REM).max(0.5);
    let want = Val::Px(TALK_WIDTH * scale.sqrt());
    for mut node in &mut slot {
        if node.width != want {
            node.width = want;
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((subtitles::plugin, talk::plugin, hud::plugin, pause::plugin))
        .add_systems(OnEnter(Screen::Playing), spawn_layout)
        .add_systems(Update, talk_width.run_if(in_state(Screen::Playing)));
}
