//! Look and feel: fonts, colours, text sizes and small widget helpers shared by every screen.
//!
//! Sizes are in `rem` (`FontSize::Rem`): one rem is [`BASE_REM`] logical pixels at text
//! scale 1.0, so the text-scale setting only has to change `RemSize`. The whole interface
//! is laid out for a 1280x720 window and `UiScale` follows the window size.

pub mod chart;
pub mod widget;

use bevy::camera::RenderTarget;
use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::input::mouse::{MouseScrollUnit, MouseWheel};
use bevy::prelude::*;
use bevy::text::{FontSize, LineHeight, RemSize};
use bevy::ui::RelativeCursorPosition;
use bevy::window::PrimaryWindow;

use crate::format::vocab::Tone;
use crate::game::settings::Settings;

/// Logical pixels per rem at text scale 1.0 (at the 1280x720 baseline).
pub const BASE_REM: f32 = 20.0;

/// Text sizes in rem.
pub mod size {
    pub const SMALL: f32 = 0.9;
    pub const BODY: f32 = 1.1;
    pub const LARGE: f32 = 1.3;
    pub const HEADING: f32 = 1.6;
    pub const TITLE: f32 = 2.2;
}

/// Colours. Light text on near-black panels (contrast well above WCAG AAA).
pub mod color {
    use bevy::prelude::Color;

    pub const BG: Color = Color::srgb(0.055, 0.065, 0.085);
    pub const PANEL: Color = Color::srgba(0.07, 0.08, 0.105, 0.93);
    pub const PANEL_SOLID: Color = Color::srgb(0.09, 0.105, 0.135);
    pub const PANEL_LIGHT: Color = Color::srgb(0.13, 0.15, 0.19);
    pub const BORDER: Color = Color::srgb(0.3, 0.34, 0.42);
    pub const TEXT: Color = Color::srgb(0.97, 0.97, 0.95);
    pub const MUTED: Color = Color::srgb(0.74, 0.77, 0.82);
    pub const ACCENT: Color = Color::srgb(0.42, 0.74, 1.0);
    /// Text on an `ACCENT` background (a marked line's number).
    pub const ON_ACCENT: Color = Color::srgb(0.03, 0.06, 0.12);
    pub const SELECTED: Color = Color::srgb(0.15, 0.3, 0.52);
    pub const HOVER: Color = Color::srgb(0.19, 0.23, 0.3);
    pub const GOOD: Color = Color::srgb(0.38, 0.87, 0.47);
    pub const WARN: Color = Color::srgb(1.0, 0.8, 0.28);
    pub const ORANGE: Color = Color::srgb(1.0, 0.58, 0.22);
    pub const BAD: Color = Color::srgb(1.0, 0.4, 0.37);
    pub const SUBJECT: Color = Color::srgb(1.0, 0.86, 0.45);
    pub const PARTNER: Color = Color::srgb(0.5, 0.86, 1.0);
    pub const RADIO: Color = Color::srgb(0.62, 1.0, 0.62);
    pub const BYSTANDER: Color = Color::srgb(1.0, 0.7, 0.5);
    pub const TRAINEE: Color = Color::srgb(0.8, 0.84, 0.92);
    pub const SHADE: Color = Color::srgba(0.0, 0.0, 0.0, 0.6);
    /// Frames drawn straight over the 3D view (HUD, tone selector).
    pub const OVERLAY: Color = Color::srgba(0.0, 0.0, 0.0, 0.68);
}

/// Metres for display: `4`, `4.5` (no trailing `.0`).
pub fn metres(v: f32) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let r = (v * 10.0).round() / 10.0;
    if (r - r.round()).abs() < 1e-4 {
        format!("{:.0}", r)
    } else {
        format!("{r:.1}")
    }
}

/// The colour of each tone on the tone selector, calm (green) … shouting (red).
pub fn tone_color(t: Tone) -> Color {
    match t {
        Tone::Calm => Color::srgb(0.3, 0.85, 0.65),
        Tone::Neutral => Color::srgb(0.62, 0.77, 0.97),
        Tone::Firm => Color::srgb(1.0, 0.86, 0.3),
        Tone::Commanding => Color::srgb(1.0, 0.56, 0.2),
        Tone::Shouting => Color::srgb(1.0, 0.3, 0.3),
    }
}

/// The bundled fonts (DejaVu, see `fonts/LICENSE-DejaVu.txt`): wide glyph coverage for
/// scenario text (quotes, dashes, accents) and a monospace face for error listings.
#[derive(Resource, Clone, Default)]
pub struct UiFonts {
    pub regular: Handle<Font>,
    pub bold: Handle<Font>,
    pub mono: Handle<Font>,
}

impl UiFonts {
    pub(crate) fn load(app: &mut App) -> UiFonts {
        let Some(mut fonts) = app.world_mut().get_resource_mut::<Assets<Font>>() else {
            return UiFonts::default();
        };
        UiFonts {
            regular: fonts.add(Font::from_bytes(
                include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/assets/fonts/DejaVuSans.ttf"
                ))
                .to_vec(),
            )),
            bold: fonts.add(Font::from_bytes(
                include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/assets/fonts/DejaVuSans-Bold.ttf"
                ))
                .to_vec(),
            )),
            mono: fonts.add(Font::from_bytes(
                include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/assets/fonts/DejaVuSansMono.ttf"
                ))
                .to_vec(),
            )),
        }
    }

    /// Regular text, `size` in rem.
    pub fn text(&self, s: impl Into<String>, size: f32, color: Color) -> impl Bundle {
        styled(self.regular.clone(), s.into(), size, color)
    }

    /// Bold text, `size` in rem.
    pub fn bold(&self, s: impl Into<String>, size: f32, color: Color) -> impl Bundle {
        styled(self.bold.clone(), s.into(), size, color)
    }

    /// Monospace text, `size` in rem.
    pub fn mono(&self, s: impl Into<String>, size: f32, color: Color) -> impl Bundle {
        styled(self.mono.clone(), s.into(), size, color)
    }

    /// A span to append to a `Text` (for mixed colours on one line).
    pub fn span(&self, s: impl Into<String>, size: f32, color: Color, bold: bool) -> impl Bundle {
        (
            TextSpan::new(s),
            self.font(bold, size),
            TextColor(color),
            LineHeight::RelativeToFont(1.3),
        )
    }

    pub fn font(&self, bold: bool, size: f32) -> TextFont {
        TextFont {
            font: if bold {
                self.bold.clone()
            } else {
                self.regular.clone()
            }
            .into(),
            font_size: FontSize::Rem(size),
            ..default()
        }
    }
}

fn styled(font: Handle<Font>, s: String, size: f32, color: Color) -> impl Bundle {
    (
        Text::new(s),
        TextFont {
            font: font.into(),
            font_size: FontSize::Rem(size),
            ..default()
        },
        TextColor(color),
        LineHeight::RelativeToFont(1.3),
    )
}

/// A clickable button; `hover_system` lights it up under the mouse.
#[derive(Component, Clone, Copy)]
pub struct Hover {
    pub normal: Color,
    pub hovered: Color,
}

impl Hover {
    pub const BUTTON: Hover = Hover {
        normal: color::PANEL_LIGHT,
        hovered: color::HOVER,
    };
}

/// A node that scrolls with the mouse wheel while the pointer is over it (it needs
/// `Overflow::scroll_y()`, a `ScrollPosition` and a `RelativeCursorPosition`).
#[derive(Component, Clone, Copy, Default)]
pub struct Scrollable;

/// Wheel-scroll the hovered [`Scrollable`] (the innermost one if they nest).
fn wheel_scroll(
    mut wheel: MessageReader<MouseWheel>,
    mut q: Query<(&RelativeCursorPosition, &ComputedNode, &mut ScrollPosition), With<Scrollable>>,
) {
    let mut dy = 0.0;
    for w in wheel.read() {
        dy -= match w.unit {
            MouseScrollUnit::Line => w.y * 60.0,
            MouseScrollUnit::Pixel => w.y,
        };
    }
    if dy == 0.0 {
        return;
    }
    // The innermost hovered scrollable: the one with the smallest area.
    let mut best: Option<(f32, Mut<ScrollPosition>, f32)> = None;
    for (i, node, pos) in &mut q {
        if !i.cursor_over() {
            continue;
        }
        let area = node.size.x * node.size.y;
        let max = ((node.content_size.y - node.size.y) * node.inverse_scale_factor).max(0.0);
        if best.as_ref().is_none_or(|(a, _, _)| area < *a) {
            best = Some((area, pos, max));
        }
    }
    if let Some((_, mut pos, max)) = best {
        let y = (pos.0.y + dy).clamp(0.0, max);
        if (y - pos.0.y).abs() > 0.01 {
            pos.0.y = y;
        }
    }
}

/// How far to scroll `view` (its current offset `scroll`, logical pixels) so that `item`
/// is wholly visible; `None` when it already is or is not laid out yet. Both are given as
/// laid out (`ComputedNode`, `UiGlobalTransform`: physical pixels, centres).
pub fn scroll_to_show(
    item: (&ComputedNode, &UiGlobalTransform),
    view: (&ComputedNode, &UiGlobalTransform),
    scroll: f32,
) -> Option<f32> {
    let ((item, item_at), (view, view_at)) = (item, view);
    if item.size.y <= 0.0 || view.size.y <= 0.0 {
        return None;
    }
    let inv = view.inverse_scale_factor;
    let top = ((item_at.translation.y - item.size.y / 2.0)
        - (view_at.translation.y - view.size.y / 2.0))
        * inv;
    let bottom = top + item.size.y * inv;
    let view_h = view.size.y * inv;
    if top < 0.0 {
        Some((scroll + top).max(0.0))
    } else if bottom > view_h + 0.5 {
        Some(scroll + (bottom - view_h).min(top))
    } else {
        None
    }
}

/// A "more below" hint shown while the target [`Scrollable`] has content under its fold.
#[derive(Component, Clone, Copy)]
pub struct ScrollHint(pub Entity);

fn scroll_hints(
    mut hints: Query<(&ScrollHint, &mut Visibility)>,
    targets: Query<(&ComputedNode, &ScrollPosition)>,
) {
    for (hint, mut vis) in &mut hints {
        let more = targets.get(hint.0).is_ok_and(|(node, pos)| {
            let max = (node.content_size.y - node.size.y) * node.inverse_scale_factor;
            max - pos.0.y > 4.0
        });
        let want = if more {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        if *vis != want {
            *vis = want;
        }
    }
}

/// A standard button node (padding, rounded corners, border).
pub fn button_node() -> Node {
    Node {
        padding: UiRect::axes(Val::Px(18.0), Val::Px(10.0)),
        border: UiRect::all(Val::Px(2.0)),
        border_radius: BorderRadius::all(Val::Px(6.0)),
        justify_content: JustifyContent::Center,
        align_items: AlignItems::Center,
        flex_shrink: 0.0,
        ..default()
    }
}

/// Spawn a labelled button with a marker component.
pub fn spawn_button(
    p: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    label: &str,
    marker: impl Bundle,
) -> Entity {
    p.spawn((
        Button,
        button_node(),
        BackgroundColor(Hover::BUTTON.normal),
        BorderColor::all(color::BORDER),
        Hover::BUTTON,
        marker,
    ))
    .with_children(|b| {
        // Button labels never wrap (a wrapped label also inflates the row's height).
        b.spawn((
            fonts.bold(label, size::BODY, color::TEXT),
            TextLayout::no_wrap(),
        ));
    })
    .id()
}

/// A row that holds wrapping text, as a flex item of a column with a definite height.
///
/// Bevy's text measure answers a min-content query with the text's one-word-a-line
/// height even when the width is known, and a column's automatic minimum size for its
/// items comes from exactly that query: without `min_height: 0` such a row is drawn
/// several lines too tall. `flex_shrink: 0` keeps it from being squeezed instead.
pub fn text_row() -> Node {
    Node {
        min_height: Val::Px(0.0),
        flex_shrink: 0.0,
        ..default()
    }
}

/// A full-window root node for a screen.
pub fn screen_root() -> Node {
    Node {
        width: Val::Percent(100.0),
        height: Val::Percent(100.0),
        flex_direction: FlexDirection::Column,
        ..default()
    }
}

/// A bordered panel.
pub fn panel_node() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        padding: UiRect::all(Val::Px(16.0)),
        border: UiRect::all(Val::Px(2.0)),
        border_radius: BorderRadius::all(Val::Px(8.0)),
        row_gap: Val::Px(6.0),
        ..default()
    }
}

/// The camera the interface is drawn with when no 3D view draws to the window (menus,
/// briefing, debrief, and a 3D view at reduced render scale, which draws into an image the
/// interface shows). Otherwise the 3D camera (marked `IsDefaultUiCamera`) carries the
/// interface and this one is switched off.
#[derive(Component)]
pub struct UiCamera;

fn spawn_ui_camera(mut commands: Commands) {
    commands.spawn((
        Camera2d,
        Camera {
            order: 100,
            clear_color: ClearColorConfig::Custom(color::BG),
            ..default()
        },
        UiCamera,
    ));
}

/// The interface camera clears the window and draws the interface whenever no 3D camera
/// draws to the window itself (a 3D view at reduced render scale draws into an image the
/// interface shows).
fn ui_camera_toggle(
    mut cams: Query<&mut Camera, With<UiCamera>>,
    world_cams: Query<(&Camera, Option<&RenderTarget>), (With<Camera3d>, Without<UiCamera>)>,
) {
    let has_3d = world_cams
        .iter()
        .any(|(c, t)| c.is_active && !matches!(t, Some(RenderTarget::Image(_))));
    for mut cam in &mut cams {
        if cam.is_active == has_3d {
            cam.is_active = !has_3d;
        }
    }
}

/// The interface is designed at 1280x720; scale it with the window.
fn follow_window_size(
    windows: Query<&Window, (With<PrimaryWindow>, Changed<Window>)>,
    mut ui_scale: ResMut<UiScale>,
) {
    let Ok(w) = windows.single() else { return };
    let (width, height) = (w.resolution.width(), w.resolution.height());
    if width < 1.0 || height < 1.0 {
        return;
    }
    let s = (width / 1280.0).min(height / 720.0).clamp(0.5, 4.0);
    if (ui_scale.0 - s).abs() > 1e-3 {
        ui_scale.0 = s;
    }
}

/// Text scale setting → the rem size every text uses.
fn apply_text_scale(settings: Res<Settings>, mut rem: ResMut<RemSize>) {
    let want = BASE_REM * settings.text_scale;
    if settings.is_changed() && (rem.0 - want).abs() > 1e-3 {
        rem.0 = want;
    }
}

fn hover_system(mut q: Query<(&Interaction, &Hover, &mut BackgroundColor), Changed<Interaction>>) {
    for (i, h, mut bg) in &mut q {
        bg.0 = match i {
            Interaction::Hovered | Interaction::Pressed => h.hovered,
            Interaction::None => h.normal,
        };
    }
}

pub fn plugin(app: &mut App) {
    let fonts = UiFonts::load(app);
    app.insert_resource(fonts)
        .init_resource::<UiScale>()
        .init_resource::<RemSize>()
        .add_systems(Startup, spawn_ui_camera)
        .add_systems(
            Update,
            (
                ui_camera_toggle,
                follow_window_size,
                apply_text_scale,
                hover_system,
                wheel_scroll,
                scroll_hints,
            ),
        );
}
