//! Talking: the talk panel (Tab, a right click, or a number key) lists what can be said
//! now along the right side of the view, under the subject's last line, each with the
//! number it keeps while the scene lasts (see `options`); lines already said are dimmed
//! and marked. ↑ ↓ scroll a list longer than the column. The tone selector below is always
//! visible (Q/E or the mouse wheel, calm … shouting, colour-coded); Space is a deliberate
//! tactical pause; H toggles visible hands / drawn weapon.
//!
//! A number key with the panel closed opens it with that line marked (press it again to
//! say it), so a line is never said unseen.

use bevy::input::mouse::{MouseScrollUnit, MouseWheel};
use bevy::prelude::*;
use bevy::ui::UiGlobalTransform;

use super::options::{self, NumberOptions, OptionNumbers};
use super::{TalkSlot, ToneSlot};
use crate::format::vocab::Tone;
use crate::game::live::player::CursorFree;
use crate::game::theme::{UiFonts, color, size, text_row, tone_color};
use crate::game::{PlayState, Screen, Session, TraineeAct};
use crate::sim::{Action, Hands};

/// Whether the talk panel is open. Other plugins may read it (for example to free the
/// mouse cursor while it is open).
#[derive(Resource, Default, Debug)]
pub struct TalkPanel {
    pub open: bool,
    /// A number key opened the panel: this line is marked, the same key says it.
    pub armed: Option<u8>,
    /// A sentence for the trainee about the last number key (shown in the panel).
    pub note: Option<String>,
    /// What the panel shows; rebuilt when it changes.
    shown: Option<PanelView>,
    /// Rows to scroll by (↓ positive), applied once the list is laid out.
    scroll: i32,
    /// The row at the top of the list's view (kept when the panel is redrawn with the
    /// same lines, for example when the subject says something new).
    first_row: usize,
    /// Rows below the view are hidden (as last laid out): ↓ has something to show.
    more_below: bool,
    /// The numbers of the rows in view (as last drawn); `None` before the panel is drawn.
    in_view: Option<Vec<u8>>,
}

/// Everything the open panel shows, to rebuild it only when something changed.
#[derive(Debug, Clone, PartialEq)]
struct PanelView {
    tone: Tone,
    subject: String,
    last_line: Option<String>,
    note: Option<String>,
    armed: Option<u8>,
    rows: Vec<RowView>,
}

#[derive(Debug, Clone, PartialEq)]
struct RowView {
    number: Option<u8>,
    id: String,
    text: String,
    said: bool,
}

#[derive(Component)]
struct OptionRow {
    id: String,
    number: Option<u8>,
}

/// The scrolling list of option rows.
#[derive(Component)]
struct OptionList;

/// "more lines" hints above and below the list (shown only when lines are out of view).
#[derive(Component)]
struct MoreLines {
    below: bool,
}

#[derive(Component)]
struct ToneChip(Tone);

#[derive(Component)]
struct HandsChip;

#[derive(Component)]
struct ToneBar;

/// The "Tab talk · Space pause · Esc menu" reminder (hidden while the panel is open).
#[derive(Component)]
struct KeysHint;

/// Text size on the tone selector (rem).
const TONE_TEXT: f32 = 1.0;

const DIGITS: [(KeyCode, KeyCode); 9] = [
    (KeyCode::Digit1, KeyCode::Numpad1),
    (KeyCode::Digit2, KeyCode::Numpad2),
    (KeyCode::Digit3, KeyCode::Numpad3),
    (KeyCode::Digit4, KeyCode::Numpad4),
    (KeyCode::Digit5, KeyCode::Numpad5),
    (KeyCode::Digit6, KeyCode::Numpad6),
    (KeyCode::Digit7, KeyCode::Numpad7),
    (KeyCode::Digit8, KeyCode::Numpad8),
    (KeyCode::Digit9, KeyCode::Numpad9),
];

/// One step calmer (`-1`) or more forceful (`+1`), stopping at the ends.
pub fn step_tone(t: Tone, dir: i32) -> Tone {
    let i = (t.intensity() as i32 + dir).clamp(0, Tone::ALL.len() as i32 - 1);
    Tone::from_intensity(i as u8)
}

fn reset(mut panel: ResMut<TalkPanel>, mut free: ResMut<CursorFree>) {
    *panel = TalkPanel::default();
    free.0 = false;
}

fn keys_hint(panel: Res<TalkPanel>, mut q: Query<&mut Node, With<KeysHint>>) {
    let want = if panel.open {
        Display::None
    } else {
        Display::Flex
    };
    for mut n in &mut q {
        if n.display != want {
            n.display = want;
        }
    }
}

/// The mouse is free for clicking while the talk panel is open.
fn sync_cursor(panel: Res<TalkPanel>, mut free: ResMut<CursorFree>) {
    if free.0 != panel.open {
        free.0 = panel.open;
    }
}

/// Number key `n` (1–9): the option it says now, or `None` with the panel opened or a
/// note saying why nothing was said. A line out of view is marked (and scrolled to) first.
fn number_key(panel: &mut TalkPanel, line: Option<&str>, n: u8) -> Option<String> {
    let seen = panel.in_view.as_ref().is_none_or(|v| v.contains(&n));
    if panel.open && seen && (panel.armed.is_none() || panel.armed == Some(n)) {
        if line.is_none() {
            panel.note = Some(format!("There is no line {n} just now."));
        }
        return line.map(str::to_string);
    }
    panel.open = true;
    panel.armed = line.map(|_| n);
    panel.note = Some(match line {
        Some(_) => format!("Line {n} is marked: press {n} again to say it."),
        None => format!("There is no line {n} just now."),
    });
    None
}

/// Tone: Q calmer, E more forceful; wheel up more forceful, down calmer.
fn tone_step(
    keys: &ButtonInput<KeyCode>,
    wheel: &mut MessageReader<MouseWheel>,
    acc: &mut f32,
) -> i32 {
    let mut dir = 0;
    if keys.just_pressed(KeyCode::KeyQ) {
        dir -= 1;
    }
    if keys.just_pressed(KeyCode::KeyE) {
        dir += 1;
    }
    for w in wheel.read() {
        *acc += match w.unit {
            MouseScrollUnit::Line => w.y,
            MouseScrollUnit::Pixel => w.y / 40.0,
        };
    }
    while *acc >= 1.0 {
        dir += 1;
        *acc -= 1.0;
    }
    while *acc <= -1.0 {
        dir -= 1;
        *acc += 1.0;
    }
    dir
}

#[allow(clippy::too_many_arguments)]
fn input(
    keys: Res<ButtonInput<KeyCode>>,
    mouse: Res<ButtonInput<MouseButton>>,
    mut wheel: MessageReader<MouseWheel>,
    mut panel: ResMut<TalkPanel>,
    numbers: Res<OptionNumbers>,
    session: Option<ResMut<Session>>,
    rows: Query<(&Interaction, &OptionRow), Changed<Interaction>>,
    chips: Query<(&Interaction, &ToneChip), Changed<Interaction>>,
    hands_chip: Query<&Interaction, (Changed<Interaction>, With<HandsChip>)>,
    mut acts: MessageWriter<TraineeAct>,
    mut wheel_acc: Local<f32>,
) {
    let Some(mut session) = session else {
        wheel.clear();
        return;
    };
    if session.sim.is_finished() {
        wheel.clear();
        panel.open = false;
        return;
    }
    if keys.just_pressed(KeyCode::Tab) || mouse.just_pressed(MouseButton::Right) {
        panel.open = !panel.open;
        panel.armed = None;
        panel.note = None;
    }
    let dir = tone_step(&keys, &mut wheel, &mut wheel_acc);
    if dir != 0 {
        let t = step_tone(session.tone, dir);
        if t != session.tone {
            session.tone = t;
        }
    }
    for (i, chip) in &chips {
        if *i == Interaction::Pressed {
            session.tone = chip.0;
        }
    }
    if keys.just_pressed(KeyCode::KeyH) || hands_chip.iter().any(|i| *i == Interaction::Pressed) {
        session.hands = match session.hands {
            Hands::Visible => Hands::WeaponDrawn,
            Hands::WeaponDrawn => Hands::Visible,
        };
    }
    if keys.just_pressed(KeyCode::Space) || keys.just_pressed(KeyCode::KeyP) {
        acts.write(TraineeAct(Action::Pause));
    }
    // Choosing a line: by its number, or a click on it.
    let offered = session.sim.offered_choices();
    let ids: Vec<&str> = offered.iter().map(|c| c.id.as_str()).collect();
    let mut chosen: Option<String> = None;
    for (n, (digit, numpad)) in (1u8..).zip(DIGITS) {
        if keys.just_pressed(digit) || keys.just_pressed(numpad) {
            chosen = number_key(&mut panel, numbers.option_at(n, &ids), n).or(chosen);
        }
    }
    if panel.open {
        for (i, row) in &rows {
            if *i == Interaction::Pressed && ids.contains(&row.id.as_str()) {
                chosen = Some(row.id.clone());
            }
        }
        if keys.just_pressed(KeyCode::ArrowDown) {
            panel.scroll += 1;
        }
        if keys.just_pressed(KeyCode::ArrowUp) {
            panel.scroll -= 1;
        }
    }
    if let Some(option) = chosen {
        acts.write(TraineeAct(Action::Say {
            option,
            tone: session.tone,
        }));
        panel.open = false;
        panel.armed = None;
        panel.note = None;
    }
}

/// What the open panel should show now.
fn panel_view(session: &Session, panel: &TalkPanel, numbers: &OptionNumbers) -> PanelView {
    let sim = &session.sim;
    let mut rows: Vec<RowView> = sim
        .offers()
        .iter()
        .map(|o| RowView {
            number: numbers.number_of(&o.choice.id),
            id: o.choice.id.clone(),
            text: o.text.to_string(),
            said: sim.has_said(&o.choice.id),
        })
        .collect();
    rows.sort_by_key(|r| r.number.unwrap_or(u8::MAX));
    PanelView {
        tone: session.tone,
        subject: sim.scenario().subject.name.clone(),
        last_line: sim.last_line().map(str::to_string),
        note: panel.note.clone(),
        armed: panel.armed,
        rows,
    }
}

fn render_panel(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    mut panel: ResMut<TalkPanel>,
    numbers: Res<OptionNumbers>,
    session: Option<Res<Session>>,
    slot: Query<Entity, With<TalkSlot>>,
) {
    let Ok(slot) = slot.single() else { return };
    let want = match &session {
        Some(s) if panel.open => Some(panel_view(s, &panel, &numbers)),
        _ => None,
    };
    if want == panel.shown {
        return;
    }
    let rows_changed = want.as_ref().map(|v| &v.rows) != panel.shown.as_ref().map(|v| &v.rows);
    if rows_changed {
        panel.scroll = 0;
        panel.first_row = 0;
    }
    panel.shown = want.clone();
    panel.in_view = None;
    commands.entity(slot).despawn_children();
    let Some(view) = want else { return };
    commands.entity(slot).with_children(|p| {
        p.spawn((
            Node {
                flex_direction: FlexDirection::Column,
                min_height: Val::Px(0.0),
                max_height: Val::Percent(100.0),
                padding: UiRect::axes(Val::Px(14.0), Val::Px(10.0)),
                row_gap: Val::Px(6.0),
                border: UiRect::all(Val::Px(2.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                ..default()
            },
            BackgroundColor(color::PANEL),
            BorderColor::all(tone_color(view.tone).with_alpha(0.8)),
        ))
        .with_children(|b| panel_contents(b, &fonts, &view));
    });
}

fn panel_contents(b: &mut ChildSpawnerCommands, fonts: &UiFonts, view: &PanelView) {
    b.spawn(text_row()).with_children(|r| {
        r.spawn(fonts.text("", size::BODY, color::TEXT))
            .with_children(|t| {
                t.spawn(fonts.span("What do you say?  ", size::BODY, color::TEXT, true));
                t.spawn(fonts.span(
                    format!("({})", view.tone.label()),
                    size::BODY,
                    tone_color(view.tone),
                    true,
                ));
            });
    });
    b.spawn(line(fonts.text(
        "number or click · ↑ ↓ more · Tab closes",
        size::SMALL,
        color::MUTED,
    )));
    if let Some(line) = &view.last_line {
        // The subject's last line stays in view while choosing.
        b.spawn((
            Node {
                padding: UiRect::axes(Val::Px(10.0), Val::Px(6.0)),
                border: UiRect::left(Val::Px(3.0)),
                ..text_row()
            },
            BorderColor::all(color::SUBJECT),
            BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.35)),
        ))
        .with_children(|q| {
            q.spawn(fonts.text(format!("{}:  ", view.subject), size::BODY, color::SUBJECT))
                .with_children(|t| {
                    t.spawn(fonts.span(format!("“{line}”"), size::BODY, color::TEXT, false));
                });
        });
    }
    if let Some(note) = &view.note {
        b.spawn(line(fonts.bold(note.clone(), size::BODY, color::WARN)));
    }
    if view.rows.is_empty() {
        b.spawn(line(fonts.text(
            "Nothing to say right now. Listen, keep your distance, or take a pause (Space).",
            size::BODY,
            color::MUTED,
        )));
        return;
    }
    b.spawn(more_lines(fonts, false));
    b.spawn((
        Node {
            flex_direction: FlexDirection::Column,
            row_gap: Val::Px(2.0),
            min_height: Val::Px(0.0),
            flex_shrink: 1.0,
            overflow: Overflow::clip_y(),
            ..default()
        },
        OptionList,
    ))
    .with_children(|list| {
        for row in &view.rows {
            option_row(
                list,
                fonts,
                row,
                view.armed.is_some() && view.armed == row.number,
            );
        }
    });
    b.spawn(more_lines(fonts, true));
}

fn more_lines(fonts: &UiFonts, below: bool) -> impl Bundle {
    let label = if below {
        "▼ more lines below: ↓"
    } else {
        "▲ more lines above: ↑"
    };
    (
        Node {
            display: Display::None,
            ..text_row()
        },
        children![fonts.bold(label, size::SMALL, color::ACCENT)],
        MoreLines { below },
    )
}

/// Text as a row of the panel's column (see `theme::text_row`).
fn line(text: impl Bundle) -> impl Bundle {
    (text_row(), children![text])
}

fn option_row(list: &mut ChildSpawnerCommands, fonts: &UiFonts, row: &RowView, armed: bool) {
    let text_color = if row.said { color::MUTED } else { color::TEXT };
    let normal = if armed { color::SELECTED } else { Color::NONE };
    list.spawn((
        Button,
        Node {
            column_gap: Val::Px(12.0),
            padding: UiRect::axes(Val::Px(8.0), Val::Px(4.0)),
            border_radius: BorderRadius::all(Val::Px(5.0)),
            align_items: AlignItems::FlexStart,
            ..text_row()
        },
        BackgroundColor(normal),
        crate::game::theme::Hover {
            normal,
            hovered: color::HOVER,
        },
        OptionRow {
            id: row.id.clone(),
            number: row.number,
        },
    ))
    .with_children(|r| {
        r.spawn((
            Node {
                min_width: Val::Px(30.0),
                padding: UiRect::axes(Val::Px(6.0), Val::Px(1.0)),
                justify_content: JustifyContent::Center,
                border_radius: BorderRadius::all(Val::Px(5.0)),
                flex_shrink: 0.0,
                ..default()
            },
            BackgroundColor(if row.said {
                color::PANEL_LIGHT
            } else {
                color::SELECTED
            }),
        ))
        .with_children(|k| {
            let n = row.number.map_or("·".to_string(), |n| n.to_string());
            k.spawn(fonts.bold(n, size::BODY, text_color));
        });
        r.spawn(fonts.text(row.text.clone(), size::BODY, text_color))
            .with_children(|t| {
                if row.said {
                    t.spawn(fonts.span("   (said)", size::SMALL, color::MUTED, true));
                }
            });
    });
}

/// Scroll ↑ ↓ a whole row at a time: the rows above the top one are taken out of the
/// list, and a row the list's bottom edge would cut through is hidden, so no line is ever
/// cut mid-line. "more lines" shows where rows are out of view.
fn scroll_list(
    mut panel: ResMut<TalkPanel>,
    list: Query<(&ComputedNode, &UiGlobalTransform, &Children), With<OptionList>>,
    mut rows: Query<(
        &OptionRow,
        &ComputedNode,
        &UiGlobalTransform,
        &mut Node,
        &mut Visibility,
    )>,
    mut hints: Query<(&MoreLines, &mut Node), Without<OptionRow>>,
) {
    let Ok((node, at, children)) = list.single() else {
        panel.scroll = 0;
        return;
    };
    let k = node.inverse_scale_factor;
    let bottom_edge = (at.translation.y + node.size.y / 2.0) * k;
    // Would the list's bottom edge cut through this row (as last laid out)?
    let cut = |n: &ComputedNode, t: &UiGlobalTransform| {
        (t.translation.y + n.size.y / 2.0) * k > bottom_edge + 0.5
    };
    let step = std::mem::take(&mut panel.scroll);
    let last = children.len().saturating_sub(1);
    // A line marked by its number key is brought to the top if it is out of view.
    let armed = panel.armed.and_then(|n| {
        children.iter().enumerate().find_map(|(i, c)| {
            let (row, node, at, ..) = rows.get(c).ok()?;
            (row.number == Some(n)).then_some((i, cut(node, at)))
        })
    });
    let first = match step {
        s if s > 0 && panel.more_below => (panel.first_row + 1).min(last),
        s if s < 0 => panel.first_row.saturating_sub(1),
        _ => match armed {
            Some((a, out)) if a < panel.first_row || (a > panel.first_row && out) => a,
            _ => panel.first_row.min(last),
        },
    };
    if panel.first_row != first {
        panel.first_row = first;
    }
    let mut below = false;
    let mut in_view = Vec::new();
    for (i, child) in children.iter().enumerate() {
        let Ok((option, n, t, mut row, mut vis)) = rows.get_mut(child) else {
            continue;
        };
        let display = if i < first {
            Display::None
        } else {
            Display::Flex
        };
        if row.display != display {
            row.display = display;
        }
        let seen = i == first || (i > first && !cut(n, t));
        below |= i > first && !seen;
        if seen && let Some(number) = option.number {
            in_view.push(number);
        }
        let want = if seen {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        if *vis != want {
            *vis = want;
        }
    }
    if panel.in_view.as_ref() != Some(&in_view) {
        panel.in_view = Some(in_view);
    }
    if panel.more_below != below {
        panel.more_below = below;
    }
    for (hint, mut node) in &mut hints {
        let more = if hint.below { below } else { first > 0 };
        let want = if more { Display::Flex } else { Display::None };
        if node.display != want {
            node.display = want;
        }
    }
}

fn spawn_tone_bar(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    slot: Query<Entity, (With<ToneSlot>, Without<ToneBar>)>,
) {
    let Ok(slot) = slot.single() else { return };
    commands.entity(slot).insert(ToneBar).with_children(|bar| {
        bar.spawn((
            Node {
                align_items: AlignItems::Center,
                column_gap: Val::Px(6.0),
                padding: UiRect::axes(Val::Px(12.0), Val::Px(6.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.7)),
        ))
        .with_children(|b| {
            b.spawn(fonts.bold("Q", TONE_TEXT, color::MUTED));
            for t in Tone::ALL {
                b.spawn((
                    Button,
                    Node {
                        padding: UiRect::axes(Val::Px(10.0), Val::Px(3.0)),
                        border: UiRect::all(Val::Px(2.0)),
                        border_radius: BorderRadius::all(Val::Px(14.0)),
                        ..default()
                    },
                    BackgroundColor(Color::NONE),
                    BorderColor::all(tone_color(t).with_alpha(0.5)),
                    ToneChip(t),
                ))
                .with_children(|c| {
                    c.spawn((
                        Text::new(capital(t.label())),
                        fonts.font(false, TONE_TEXT),
                        TextColor(tone_color(t)),
                    ));
                });
            }
            b.spawn(fonts.bold("E", TONE_TEXT, color::MUTED));
        });
        bar.spawn((
            Button,
            Node {
                padding: UiRect::axes(Val::Px(14.0), Val::Px(6.0)),
                border: UiRect::all(Val::Px(2.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.7)),
            BorderColor::all(color::BORDER),
            HandsChip,
        ))
        .with_children(|c| {
            c.spawn((
                Text::new(""),
                fonts.font(true, TONE_TEXT),
                TextColor(color::TEXT),
            ));
        });
        bar.spawn((
            Node {
                padding: UiRect::axes(Val::Px(12.0), Val::Px(6.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.7)),
            KeysHint,
        ))
        .with_children(|c| {
            c.spawn(fonts.text(
                "Tab talk  ·  Space pause  ·  Esc menu",
                size::SMALL,
                color::MUTED,
            ));
        });
    });
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn refresh_tone_bar(
    session: Option<Res<Session>>,
    mut chips: Query<(&ToneChip, &Interaction, &mut BackgroundColor, &Children)>,
    mut texts: Query<(&mut TextColor, &mut TextFont)>,
    mut hands: Query<(&Interaction, &Children, &mut BorderColor), With<HandsChip>>,
    mut hand_text: Query<&mut Text>,
    fonts: Res<UiFonts>,
) {
    let Some(session) = session else { return };
    for (chip, inter, mut bg, children) in &mut chips {
        let sel = chip.0 == session.tone;
        let c = tone_color(chip.0);
        bg.0 = if sel {
            c
        } else if *inter == Interaction::Hovered {
            c.with_alpha(0.25)
        } else {
            Color::NONE
        };
        for child in children.iter() {
            if let Ok((mut tc, mut tf)) = texts.get_mut(child) {
                let want = if sel {
                    Color::srgb(0.05, 0.05, 0.07)
                } else {
                    c
                };
                if tc.0 != want {
                    tc.0 = want;
                }
                let font = if sel { &fonts.bold } else { &fonts.regular };
                let source: bevy::text::FontSource = font.clone().into();
                if tf.font != source {
                    tf.font = source;
                }
            }
        }
    }
    for (_, children, mut border) in &mut hands {
        let (label, col) = match session.hands {
            Hands::Visible => ("Hands visible  (H)", color::GOOD),
            Hands::WeaponDrawn => ("WEAPON DRAWN  (H)", color::BAD),
        };
        *border = BorderColor::all(col);
        for child in children.iter() {
            if let Ok(mut t) = hand_text.get_mut(child)
                && t.0 != label
            {
                t.0 = label.to_string();
            }
            if let Ok((mut tc, _)) = texts.get_mut(child)
                && tc.0 != col
            {
                tc.0 = col;
            }
        }
    }
}

/// Choosing what to say, without drawing anything: the panel's state, the option numbers,
/// the keys (headless tests add this).
pub fn choosing_plugin(app: &mut App) {
    app.add_plugins(options::plugin)
        .init_resource::<TalkPanel>()
        .init_resource::<CursorFree>()
        .add_systems(OnEnter(Screen::Playing), reset)
        .add_systems(OnExit(Screen::Playing), reset)
        .add_systems(
            Update,
            (input.run_if(in_state(PlayState::Running)), sync_cursor)
                .chain()
                .after(NumberOptions)
                .run_if(in_state(Screen::Playing)),
        );
}

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(choosing_plugin).add_systems(
        Update,
        (
            render_panel,
            spawn_tone_bar,
            refresh_tone_bar,
            scroll_list,
            keys_hint,
        )
            .chain()
            .after(sync_cursor)
            .run_if(in_state(Screen::Playing)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_steps_stop_at_the_ends() {
        assert_eq!(step_tone(Tone::Calm, -1), Tone::Calm);
        assert_eq!(step_tone(Tone::Calm, 1), Tone::Neutral);
        assert_eq!(step_tone(Tone::Firm, 5), Tone::Shouting);
        assert_eq!(step_tone(Tone::Shouting, 1), Tone::Shouting);
    }

    #[test]
    fn a_number_out_of_view_marks_its_line_before_saying_it() {
        let mut panel = TalkPanel {
            open: true,
            in_view: Some(vec![1, 2]),
            ..default()
        };
        assert_eq!(number_key(&mut panel, Some("name"), 4), None);
        assert_eq!(panel.armed, Some(4), "line 4 is marked and scrolled to");
        panel.in_view = Some(vec![4]);
        assert_eq!(
            number_key(&mut panel, Some("name"), 4).as_deref(),
            Some("name")
        );
        // In view and nothing marked: said at once.
        let mut panel = TalkPanel {
            open: true,
            in_view: Some(vec![1, 2]),
            ..default()
        };
        assert_eq!(
            number_key(&mut panel, Some("intro"), 1).as_deref(),
            Some("intro")
        );
        assert_eq!(number_key(&mut panel, None, 7), None);
        assert!(
            panel
                .note
                .as_deref()
                .is_some_and(|n| n.contains("no line 7"))
        );
    }
}
