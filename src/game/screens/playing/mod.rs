//! The playing screen's interface: the bottom third of the window holds the subtitles,
//! the talk panel and the tone selector (stacked in [`BottomStack`]); the corners hold the
//! HUD; the middle stays clear for the 3D view. The pause menu sits over it all.

pub mod hud;
pub mod pause;
pub mod subtitles;
pub mod talk;

use crate::game::state::Screen;
use crate::game::theme;
use bevy::prelude::*;

pub use talk::TalkPanel;

/// The column at the bottom of the window while playing: subtitles above the talk panel
/// above the tone selector.
#[derive(Component)]
pub struct BottomStack;

/// Slot for the subtitles inside [`BottomStack`].
#[derive(Component)]
pub struct SubtitleSlot;

/// Slot for the talk panel inside [`BottomStack`].
#[derive(Component)]
pub struct TalkSlot;

/// Slot for the tone selector and hands indicator inside [`BottomStack`].
#[derive(Component)]
pub struct ToneSlot;

fn spawn_bottom_stack(mut commands: Commands, fonts: Res<theme::UiFonts>) {
    commands
        .spawn((
            Node {
                position_type: PositionType::Absolute,
                left: Val::Px(0.0),
                right: Val::Px(0.0),
                bottom: Val::Px(0.0),
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: Val::Px(8.0),
                padding: UiRect::new(Val::Px(24.0), Val::Px(24.0), Val::Px(0.0), Val::Px(14.0)),
                // The top of the window stays clear for the HUD and the scene.
                max_height: Val::Percent(70.0),
                ..default()
            },
            BottomStack,
            DespawnOnExit(Screen::Playing),
        ))
        .with_children(|s| {
            s.spawn((
                Node {
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    row_gap: Val::Px(6.0),
                    max_width: Val::Px(1040.0),
                    min_height: Val::Px(0.0),
                    flex_shrink: 0.0,
                    ..default()
                },
                SubtitleSlot,
            ));
            let talk = s
                .spawn((
                    Node {
                        flex_direction: FlexDirection::Column,
                        width: Val::Px(1040.0),
                        max_width: Val::Percent(100.0),
                        // With large text the talk panel gives way (and scrolls with ↑ ↓).
                        min_height: Val::Px(0.0),
                        flex_shrink: 1.0,
                        overflow: Overflow::scroll_y(),
                        ..default()
                    },
                    ScrollPosition::default(),
                    TalkSlot,
                ))
                .id();
            s.spawn((
                Text::new("▼ more lines: ↑ ↓"),
                fonts.font(true, theme::size::SMALL),
                TextColor(theme::color::ACCENT),
                theme::ScrollHint(talk),
                Node {
                    flex_shrink: 0.0,
                    ..default()
                },
            ));
            s.spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    align_items: AlignItems::Center,
                    justify_content: JustifyContent::Center,
                    flex_wrap: FlexWrap::Wrap,
                    column_gap: Val::Px(12.0),
                    row_gap: Val::Px(6.0),
                    max_width: Val::Percent(100.0),
                    min_height: Val::Px(0.0),
                    flex_shrink: 0.0,
                    ..default()
                },
                ToneSlot,
            ));
        });
}

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((subtitles::plugin, talk::plugin, hud::plugin, pause::plugin))
        .add_systems(OnEnter(Screen::Playing), spawn_bottom_stack);
}
