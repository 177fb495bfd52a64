//! Widgets as functions that return bundles: the backdrop and panel of a modal, a bordered
//! panel, a selectable list row and its highlight. Every screen builds its panels from
//! these instead of spelling out the nodes again.

use super::color;
use bevy::prelude::*;
use bevy::ui::FocusPolicy;

/// A full-window shade over everything below `z`, centring its child, swallowing clicks.
pub fn modal_backdrop(z: i32) -> impl Bundle {
    modal_backdrop_above(z, Val::Px(0.0))
}

/// A modal backdrop whose panel keeps clear of the bottom `room` of the window (where a
/// status line of its own is shown).
pub fn modal_backdrop_above(z: i32, room: Val) -> impl Bundle {
    (
        Node {
            position_type: PositionType::Absolute,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            padding: UiRect::bottom(room),
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
        list_row_node(),
        BackgroundColor(row_background(selected, false)),
        row_border(selected),
    )
}

/// The layout of a [`list_row`].
pub fn list_row_node() -> Node {
    Node {
        flex_direction: FlexDirection::Row,
        align_items: AlignItems::Center,
        justify_content: JustifyContent::SpaceBetween,
        column_gap: Val::Px(12.0),
        padding: UiRect::axes(Val::Px(12.0), Val::Px(8.0)),
        border: UiRect::all(Val::Px(2.0)),
        border_radius: BorderRadius::all(Val::Px(6.0)),
        ..default()
    }
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

/// A bar across a screen (header or footer): items spread out, wrapping onto a second line
/// rather than running off the window when the text is large.
pub fn bar() -> Node {
    Node {
        justify_content: JustifyContent::SpaceBetween,
        align_items: AlignItems::Center,
        flex_wrap: FlexWrap::Wrap,
        column_gap: Val::Px(16.0),
        row_gap: Val::Px(8.0),
        ..super::text_row()
    }
}

/// A row of buttons, wrapping when they do not fit.
pub fn button_row() -> Node {
    Node {
        column_gap: Val::Px(10.0),
        row_gap: Val::Px(8.0),
        flex_wrap: FlexWrap::Wrap,
        flex_shrink: 0.0,
        max_width: Val::Percent(100.0),
        ..default()
    }
}

/// Key hints under a screen or panel: small, muted, wrapping.
pub fn key_hints(fonts: &super::UiFonts, text: impl Into<String>) -> impl Bundle {
    (
        fonts.text(text, super::size::SMALL, color::MUTED),
        Node {
            flex_shrink: 1.0,
            ..default()
        },
    )
}

/// The title of a section inside a panel, with space above it.
pub fn section_title(fonts: &super::UiFonts, text: impl Into<String>) -> impl Bundle {
    (
        fonts.bold(text, super::size::LARGE, color::TEXT),
        Node {
            margin: UiRect::top(Val::Px(8.0)),
            ..default()
        },
    )
}

/// The heading of a group of list rows (small capitals in the accent colour).
pub fn group_heading(fonts: &super::UiFonts, text: &str) -> impl Bundle {
    (
        fonts.bold(text.to_uppercase(), super::size::SMALL, color::ACCENT),
        Node {
            margin: UiRect::new(Val::Px(4.0), Val::Px(0.0), Val::Px(8.0), Val::Px(0.0)),
            flex_shrink: 0.0,
            ..default()
        },
    )
}

/// A clickable card in a list (title and lines under it); `row_background` and
/// `row_border` show the selection.
pub fn list_card() -> impl Bundle {
    (
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
    )
}

/// A dark block for monospace text (error listings).
pub fn code_block() -> impl Bundle {
    (
        Node {
            padding: UiRect::all(Val::Px(10.0)),
            border_radius: BorderRadius::all(Val::Px(4.0)),
            ..default()
        },
        BackgroundColor(Color::srgb(0.04, 0.045, 0.06)),
    )
}

/// A column `width` wide (`Auto`: the room left) holding a scrolling panel (filled by
/// `fill`) and, under it, the hint `more` while there is more below.
pub fn scrolling_column(
    cols: &mut bevy::ecs::hierarchy::ChildSpawnerCommands,
    fonts: &super::UiFonts,
    (width, more): (Val, &str),
    marker: impl Bundle,
    fill: impl FnOnce(&mut bevy::ecs::hierarchy::ChildSpawnerCommands),
) {
    let grow = if width == Val::Auto { 1.0 } else { 0.0 };
    cols.spawn(Node {
        flex_direction: FlexDirection::Column,
        width,
        flex_grow: grow,
        flex_shrink: if grow > 0.0 { 1.0 } else { 0.0 },
        flex_basis: if grow > 0.0 { Val::Px(0.0) } else { Val::Auto },
        min_height: Val::Px(0.0),
        row_gap: Val::Px(4.0),
        ..default()
    })
    .with_children(|col| {
        let panel = col
            .spawn((
                scroll_panel(Node {
                    flex_grow: 1.0,
                    min_height: Val::Px(0.0),
                    row_gap: Val::Px(4.0),
                    ..super::panel_node()
                }),
                marker,
            ))
            .with_children(fill)
            .id();
        col.spawn((
            fonts.text(more, super::size::SMALL, color::ACCENT),
            super::ScrollHint(panel),
            Node {
                align_self: AlignSelf::End,
                ..default()
            },
        ));
    });
}

/// A key's badge before a line (its number): `look` is (background, digit colour).
pub fn key_badge(
    fonts: &super::UiFonts,
    key: impl Into<String>,
    look: (Color, Color),
) -> impl Bundle {
    (
        Node {
            min_width: Val::Px(26.0),
            padding: UiRect::axes(Val::Px(4.0), Val::Px(0.0)),
            justify_content: JustifyContent::Center,
            border_radius: BorderRadius::all(Val::Px(5.0)),
            flex_shrink: 0.0,
            ..default()
        },
        BackgroundColor(look.0),
        children![fonts.bold(key, super::size::BODY, look.1)],
    )
}

/// A translucent dark frame over the 3D view (the tone selector's pieces, the HUD), laid
/// out by `node` with the padding and corners filled in.
pub fn overlay_frame(node: Node) -> impl Bundle {
    (
        Node {
            padding: UiRect::axes(Val::Px(12.0), Val::Px(6.0)),
            border_radius: BorderRadius::all(Val::Px(8.0)),
            ..node
        },
        BackgroundColor(color::OVERLAY),
    )
}

/// A notice framed in `border` (a refused action, the end of the run), holding `content`.
pub fn notice(border: Color, content: impl Bundle) -> impl Bundle {
    (
        Node {
            padding: UiRect::axes(Val::Px(16.0), Val::Px(8.0)),
            border: UiRect::all(Val::Px(2.0)),
            border_radius: BorderRadius::all(Val::Px(6.0)),
            ..default()
        },
        BackgroundColor(color::PANEL),
        BorderColor::all(border),
        children![content],
    )
}

/// A small rounded patch of colour `width` × `height` pixels: the key of a chart or legend.
pub fn swatch(fill: Color, width: f32, height: f32) -> impl Bundle {
    (
        Node {
            width: Val::Px(width),
            height: Val::Px(height),
            border_radius: BorderRadius::all(Val::Px(2.0)),
            ..default()
        },
        BackgroundColor(fill),
    )
}
