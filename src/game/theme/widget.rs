//! Widgets as functions that return bundles: the backdrop and panel of a modal, a bordered
//! panel, a selectable list row and its highlight. Every screen builds its panels from
//! these instead of spelling out the nodes again.

use super::color;
use bevy::prelude::*;
use bevy::ui::FocusPolicy;

/// A full-window shade over everything below `z`, centring its child, swallowing clicks.
pub fn modal_backdrop(z: i32) -> impl Bundle {
    (
        Node {
            position_type: PositionType::Absolute,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            ..super::screen_root()
        },
        BackgroundColor(color::SHADE),
        FocusPolicy::Block,
        GlobalZIndex(z),
    )
}

/// The solid panel of a modal, `width` logical pixels wide (less on a small window),
/// with a border in `border`; what does not fit is clipped or scrolls (`overflow`).
pub fn modal_panel(width: f32, border: Color, overflow: Overflow) -> impl Bundle {
    (
        Node {
            width: Val::Px(width),
            overflow,
            max_width: Val::Percent(96.0),
            max_height: Val::Percent(96.0),
            row_gap: Val::Px(10.0),
            padding: UiRect::all(Val::Px(28.0)),
            ..super::panel_node()
        },
        BackgroundColor(color::PANEL_SOLID),
        BorderColor::all(border),
    )
}

/// A bordered panel on the translucent background, tighter than a modal.
pub fn panel() -> impl Bundle {
    (
        Node {
            padding: UiRect::axes(Val::Px(16.0), Val::Px(10.0)),
            ..super::panel_node()
        },
        BackgroundColor(color::PANEL),
        BorderColor::all(color::BORDER),
    )
}

/// A row of a list or menu (label left, value or buttons right).
pub fn list_row(selected: bool) -> impl Bundle {
    (
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            justify_content: JustifyContent::SpaceBetween,
            column_gap: Val::Px(12.0),
            padding: UiRect::axes(Val::Px(12.0), Val::Px(8.0)),
            border: UiRect::all(Val::Px(2.0)),
            border_radius: BorderRadius::all(Val::Px(6.0)),
            ..default()
        },
        BackgroundColor(row_background(selected, false)),
        row_border(selected),
    )
}

/// A list row's background: selected, hovered, or plain.
pub fn row_background(selected: bool, hovered: bool) -> Color {
    if selected {
        color::SELECTED
    } else if hovered {
        color::HOVER
    } else {
        color::PANEL_LIGHT
    }
}

/// A list row's border: the accent when selected.
pub fn row_border(selected: bool) -> BorderColor {
    BorderColor::all(if selected { color::ACCENT } else { Color::NONE })
}

/// A bullet point: an accent dot and wrapping text.
pub fn bullet(fonts: &super::UiFonts, text: impl Into<String>) -> impl Bundle {
    (
        Node {
            column_gap: Val::Px(10.0),
            ..default()
        },
        children![
            fonts.text("•", super::size::BODY, color::ACCENT),
            fonts.text(text, super::size::BODY, color::TEXT),
        ],
    )
}

/// A solid bordered panel laid out by `node` whose content scrolls with the mouse wheel
/// (see `theme::Scrollable`).
pub fn scroll_panel(node: Node) -> impl Bundle {
    (
        Node {
            overflow: Overflow::scroll_y(),
            ..node
        },
        BackgroundColor(color::PANEL_SOLID),
        BorderColor::all(color::BORDER),
        ScrollPosition::default(),
        super::Scrollable,
        bevy::ui::RelativeCursorPosition::default(),
    )
}

/// A clickable [`list_row`] that lights up under the mouse (keeping its selection colour).
pub fn list_button(selected: bool) -> impl Bundle {
    (
        Button,
        list_row(selected),
        super::Hover {
            normal: row_background(selected, false),
            hovered: row_background(selected, true),
        },
    )
}

/// A horizontal level meter: a track `width` pixels wide holding a fill whose width the caller
/// sets (a percentage) on the child it spawns with [`level_fill`].
pub fn level_track(width: f32) -> impl Bundle {
    (
        Node {
            width: Val::Px(width),
            height: Val::Px(10.0),
            border_radius: BorderRadius::all(Val::Px(5.0)),
            overflow: Overflow::clip(),
            ..default()
        },
        BackgroundColor(color::PANEL_LIGHT),
    )
}

/// The fill of a [`level_track`], `percent` of it, in `fill`.
pub fn level_fill(percent: f32, fill: Color) -> impl Bundle {
    (
        Node {
            width: Val::Percent(percent.clamp(0.0, 100.0)),
            height: Val::Percent(100.0),
            ..default()
        },
        BackgroundColor(fill),
    )
}
