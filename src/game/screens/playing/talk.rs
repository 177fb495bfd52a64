//! Talking: the talk panel (Tab, a right click, or a number key) lists what can be said
//! now in a column down the right side of the view, under the subject's last line, each
//! with the number it keeps while the scene lasts (see `options`), cut to a few lines (two
//! at the largest text; the marked line in full); lines already said are dimmed and
//! marked. ↑ ↓ scroll a list longer than the column. The tone selector below is always
//! visible (Q/E or the mouse wheel, calm … shouting, colour-coded); Space is a deliberate
//! tactical pause; H toggles visible hands / drawn weapon.
//!
//! A number key with the panel closed opens it with that line marked (press it again, or
//! hold V and say it — see `voice`), so a line is never said unseen.

use bevy::input::mouse::{MouseScrollUnit, MouseWheel};
use bevy::prelude::*;
use bevy::text::RemSize;
use bevy::ui::UiGlobalTransform;

use super::TalkSlot;
use super::options::{self, NumberOptions, OptionNumbers};
use super::tone_bar::{self, HandsChip, ToneChip};
use crate::format::vocab::Tone;
use crate::game::live::player::CursorFree;
use crate::game::theme::{UiFonts, color, size, text_row, tone_color, widget};
use crate::game::{PlayState, Screen, Session, TraineeAct};
use crate::sim::{Action, Hands};

/// Whether the talk panel is open. Other plugins may read it (for example to free the
/// mouse cursor while it is open).
#[derive(Resource, Default, Debug)]
pub struct TalkPanel {
    pub open: bool,
    /// A number key opened the panel: this line is marked, the same key says it.
    pub armed: Option<u8>,
    /// The option id of the `armed` line.
    marked: Option<String>,
    /// The option the moving mouse pointer rests on (the line held V says, when none is
    /// marked by its number).
    hovered: Option<String>,
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

impl TalkPanel {
    /// Close the panel, forgetting the marked line (it was said, or Tab closed it).
    pub fn close(&mut self) {
        self.open = false;
        self.armed = None;
        self.marked = None;
        self.note = None;
    }

    /// The line the trainee has picked without saying it yet: marked by its number, else
    /// under the mouse pointer. Holding V says it in the tone measured from the voice.
    pub fn marked_line(&self) -> Option<&str> {
        if !self.open {
            return None;
        }
        self.marked.as_deref().or(self.hovered.as_deref())
    }
}

/// Everything the open panel shows, to rebuild it only when something changed.
#[derive(Debug, Clone, PartialEq)]
struct PanelView {
    /// Logical pixels per rem (the text scale): rows are clamped to a height in pixels.
    rem: f32,
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

/// The "Tab talk · Space pause · Esc menu" reminder (hidden while the panel is open).
#[derive(Component)]
pub(super) struct KeysHint;

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
    panel.marked = line.map(str::to_string);
    panel.note = Some(match line {
        Some(_) => format!("Line {n} is marked: press {n} again, or hold V and say it."),
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

/// Tab or a right click opens and closes the panel; Q/E, the wheel or a chip sets the
/// tone; H or the hands chip toggles the hands; Space (or P) pauses.
fn toggles(
    keys: &ButtonInput<KeyCode>,
    mouse: &ButtonInput<MouseButton>,
    panel: &mut TalkPanel,
    session: &mut Session,
    dir: i32,
) {
    if keys.just_pressed(KeyCode::Tab) || mouse.just_pressed(MouseButton::Right) {
        let open = !panel.open;
        panel.close();
        panel.open = open;
    }
    if dir != 0 {
        let t = step_tone(session.tone, dir);
        if t != session.tone {
            session.tone = t;
        }
    }
    if keys.just_pressed(KeyCode::KeyH) {
        session.hands = toggled(session.hands);
    }
}

fn toggled(hands: Hands) -> Hands {
    match hands {
        Hands::Visible => Hands::WeaponDrawn,
        Hands::WeaponDrawn => Hands::Visible,
    }
}

/// The line chosen this frame by its number key or a click, if any (a number key may
/// instead open the panel with its line marked); ↑ ↓ scroll the open list.
fn choose(
    keys: &ButtonInput<KeyCode>,
    panel: &mut TalkPanel,
    numbers: &OptionNumbers,
    ids: &[&str],
    clicked: Option<&str>,
) -> Option<String> {
    let mut chosen: Option<String> = None;
    for (n, (digit, numpad)) in (1u8..).zip(DIGITS) {
        if keys.just_pressed(digit) || keys.just_pressed(numpad) {
            chosen = number_key(panel, numbers.option_at(n, ids), n).or(chosen);
        }
    }
    if !panel.open {
        return chosen;
    }
    if keys.just_pressed(KeyCode::ArrowDown) {
        panel.scroll += 1;
    }
    if keys.just_pressed(KeyCode::ArrowUp) {
        panel.scroll -= 1;
    }
    clicked
        .filter(|id| ids.contains(id))
        .map(str::to_string)
        .or(chosen)
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
    chips: Query<
        (&Interaction, Option<&ToneChip>),
        (Changed<Interaction>, Or<(With<ToneChip>, With<HandsChip>)>),
    >,
    mut acts: MessageWriter<TraineeAct>,
    mut wheel_acc: Local<f32>,
) {
    let dir = tone_step(&keys, &mut wheel, &mut wheel_acc);
    let Some(mut session) = session else { return };
    if session.sim.is_finished() {
        panel.open = false;
        return;
    }
    toggles(&keys, &mouse, &mut panel, &mut session, dir);
    // A tone chip sets its tone; the hands chip (no tone) toggles the hands.
    for (_, chip) in chips.iter().filter(|(i, _)| **i == Interaction::Pressed) {
        match chip {
            Some(ToneChip(t)) => session.tone = *t,
            None => session.hands = toggled(session.hands),
        }
    }
    if keys.just_pressed(KeyCode::Space) || keys.just_pressed(KeyCode::KeyP) {
        acts.write(TraineeAct(Action::Pause));
    }
    let offered = session.sim.offered_choices();
    let ids: Vec<&str> = offered.iter().map(|c| c.id.as_str()).collect();
    let clicked = rows
        .iter()
        .find(|(i, _)| **i == Interaction::Pressed)
        .map(|(_, row)| row.id.as_str());
    if let Some(option) = choose(&keys, &mut panel, &numbers, &ids, clicked) {
        acts.write(TraineeAct(Action::Say {
            option,
            tone: session.tone,
        }));
        panel.close();
    }
}

/// What the open panel should show now.
fn panel_view(
    session: &Session,
    panel: &TalkPanel,
    numbers: &OptionNumbers,
    rem: f32,
) -> PanelView {
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
        rem,
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
    rem: Res<RemSize>,
    mut panel: ResMut<TalkPanel>,
    numbers: Res<OptionNumbers>,
    session: Option<Res<Session>>,
    mut slot: Query<(Entity, &mut Node), With<TalkSlot>>,
) {
    let Ok((slot, mut slot_node)) = slot.single_mut() else {
        return;
    };
    let want = match &session {
        Some(s) if panel.open => Some(panel_view(s, &panel, &numbers, rem.0)),
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
    // Closed, the column takes no room: the subtitle and tone selector centre on the view.
    slot_node.display = if want.is_some() {
        Display::Flex
    } else {
        Display::None
    };
    commands.entity(slot).despawn_children();
    if let Some(view) = want {
        spawn_panel(&mut commands, slot, &fonts, &view);
    }
}

/// The open panel in the talk column `slot`, framed in the colour of its tone.
fn spawn_panel(commands: &mut Commands, slot: Entity, fonts: &UiFonts, view: &PanelView) {
    commands.entity(slot).with_children(|p| {
        p.spawn((
            Node {
                flex_direction: FlexDirection::Column,
                min_height: Val::Px(0.0),
                max_height: Val::Percent(100.0),
                padding: UiRect::axes(Val::Px(10.0), Val::Px(6.0)),
                row_gap: Val::Px(3.0),
                border: UiRect::all(Val::Px(2.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                ..default()
            },
            BackgroundColor(color::PANEL),
            BorderColor::all(tone_color(view.tone).with_alpha(0.8)),
        ))
        .with_children(|b| panel_contents(b, fonts, view));
    });
}

fn panel_contents(b: &mut ChildSpawnerCommands, fonts: &UiFonts, view: &PanelView) {
    b.spawn(line(header(fonts, view.tone)));
    if let Some(said) = &view.last_line {
        // The subject's last line stays in view while choosing (the subtitle gives way).
        b.spawn(subject_line(fonts, &view.subject, said));
    }
    if let Some(note) = &view.note {
        b.spawn(line(fonts.bold(note.clone(), size::SMALL, color::WARN)));
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
            let marked = view.armed.is_some() && view.armed == row.number;
            // A few lines a row (two at the largest text), so several rows fit at any text
            // size; the marked one in full.
            let clamp = (!marked).then(|| row_lines(view.rem));
            option_row(list, fonts, row, marked, clamp.map(|n| (n, view.rem)));
        }
    });
    b.spawn(more_lines(fonts, true));
}

/// "Say it calm · 1–9 · Tab closes": the tone the line goes out in, and the keys.
fn header(fonts: &UiFonts, tone: Tone) -> impl Bundle {
    (
        fonts.text("Say it ", size::SMALL, color::MUTED),
        children![
            fonts.span(tone.label(), size::SMALL, tone_color(tone), true),
            fonts.span(" · 1–9 · Tab closes", size::SMALL, color::MUTED, false,),
        ],
    )
}

/// The subject's last line, compact (small text; a rule in the subject's colour), so that
/// four lines to say fit under it at the largest text size.
fn subject_line(fonts: &UiFonts, subject: &str, said: &str) -> impl Bundle {
    (
        Node {
            padding: UiRect::axes(Val::Px(8.0), Val::Px(2.0)),
            border: UiRect::left(Val::Px(3.0)),
            ..text_row()
        },
        BorderColor::all(color::SUBJECT),
        BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.35)),
        children![(
            fonts.text(format!("{subject}: "), size::SMALL, color::SUBJECT),
            children![fonts.span(format!("“{said}”"), size::SMALL, color::TEXT, false)],
        )],
    )
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

/// One option: its number badge and its words, cut to `clamp`'s lines at its rem size
/// (ending in "…", see [`clamp_lines`]) unless it is the marked line.
fn option_row(
    list: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    row: &RowView,
    marked: bool,
    clamp: Option<(f32, f32)>,
) {
    let text_color = if row.said { color::MUTED } else { color::TEXT };
    let normal = if marked { color::SELECTED } else { Color::NONE };
    list.spawn((
        Button,
        Node {
            column_gap: Val::Px(8.0),
            padding: UiRect::axes(Val::Px(4.0), Val::Px(1.0)),
            border: UiRect::all(Val::Px(2.0)),
            border_radius: BorderRadius::all(Val::Px(5.0)),
            align_items: AlignItems::FlexStart,
            ..text_row()
        },
        BackgroundColor(normal),
        BorderColor::all(if marked { color::ACCENT } else { Color::NONE }),
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
        let n = row.number.map_or("·".to_string(), |n| n.to_string());
        r.spawn(widget::key_badge(fonts, n, badge_look(row.said, marked)));
        r.spawn(Node {
            flex_direction: FlexDirection::Column,
            flex_grow: 1.0,
            min_width: Val::Px(0.0),
            max_height: clamp.map_or(Val::Auto, |(lines, rem)| {
                Val::Px(lines * rem * size::BODY * LINE_HEIGHT)
            }),
            overflow: Overflow::clip_y(),
            ..default()
        })
        .with_children(|words| {
            let mut text = words.spawn((
                fonts.text(row.text.clone(), size::BODY, text_color),
                Node {
                    flex_shrink: 0.0,
                    ..default()
                },
            ));
            if let Some((lines, _)) = clamp {
                text.insert(Clamped::new(&row.text, lines));
            }
            if row.said {
                text.with_child(fonts.span("   (said)", size::SMALL, color::MUTED, true));
            }
        });
    });
}

/// A number badge's colours (background, digit): the marked line's stands out from the
/// row's highlight (a light badge, dark digit); a line already said is dimmed.
fn badge_look(said: bool, marked: bool) -> (Color, Color) {
    match (marked, said) {
        (true, _) => (color::ACCENT, color::ON_ACCENT),
        (false, true) => (color::PANEL_LIGHT, color::MUTED),
        (false, false) => (color::SELECTED, color::TEXT),
    }
}

/// The theme's line height (of the text size).
const LINE_HEIGHT: f32 = 1.3;

/// Lines of text an option row shows at `rem` logical pixels a rem: four at the default
/// text size or smaller, three at 130 %, two from 140 % (the marked row shows all).
fn row_lines(rem: f32) -> f32 {
    (4.0 * crate::game::theme::BASE_REM / rem + 0.01)
        .floor()
        .clamp(2.0, 4.0)
}

/// A clamped row's words, how many of them show now (then "…"), and what the layouts so far
/// said: the most words known to fit its box and the fewest known not to.
#[derive(Component)]
struct Clamped {
    /// Lines the box holds.
    lines: f32,
    words: Vec<String>,
    shown: usize,
    fits: usize,
    over: usize,
    done: bool,
}

impl Clamped {
    fn new(full: &str, lines: f32) -> Clamped {
        let words: Vec<String> = full.split(' ').map(str::to_string).collect();
        Clamped {
            lines,
            shown: words.len(),
            fits: 0,
            over: words.len() + 1,
            words,
            done: false,
        }
    }

    /// The words to show next, given whether the current ones fit and how many lines
    /// they took; `None` once settled on the most words that fit.
    fn next(&mut self, fits: bool, lines: f32) -> Option<String> {
        if fits {
            self.fits = self.shown;
        } else {
            self.over = self.shown;
        }
        let shown = if self.over - self.fits <= 1 {
            self.done = true;
            self.fits
        } else if self.fits == 0 {
            // First guess from the lines taken (the last one may be short).
            let share = self.lines / (lines - 0.5).max(self.lines);
            ((self.shown as f32 * share) as usize).clamp(1, self.over - 1)
        } else {
            (self.fits + self.over) / 2
        };
        if shown == self.shown {
            return None;
        }
        self.shown = shown;
        Some(self.text())
    }

    fn text(&self) -> String {
        let head = self.words[..self.shown].join(" ");
        if self.shown == self.words.len() {
            return head;
        }
        let head = head.trim_end_matches([' ', ',', '.', ';', ':', '—', '-']);
        format!("{head}…")
    }
}

/// Fit a clamped row's words to its box (two lines), ending in "…": a few layouts' search
/// for the most words that fit (the box clips meanwhile, so nothing jumps).
fn clamp_lines(
    mut texts: Query<(&mut Clamped, &mut Text, &ComputedNode, &ChildOf)>,
    boxes: Query<&ComputedNode, Without<Clamped>>,
) {
    for (mut clamped, mut text, node, parent) in &mut texts {
        let Ok(room) = boxes.get(parent.parent()).map(|b| b.size.y) else {
            continue;
        };
        if clamped.done || room <= 0.0 || node.size.y <= 0.0 {
            continue;
        }
        let lines = node.size.y / room * clamped.lines;
        if let Some(words) = clamped.next(node.size.y <= room + 1.0, lines) {
            text.0 = words;
        }
    }
}

/// The option row a moving mouse pointer rests on (one the pointer happened to be over
/// when the panel opened does not count).
fn track_hover(
    mut moved: MessageReader<bevy::window::CursorMoved>,
    mut panel: ResMut<TalkPanel>,
    rows: Query<(&Interaction, &OptionRow), Changed<Interaction>>,
) {
    let moving = moved.read().count() > 0;
    for (i, row) in &rows {
        match i {
            Interaction::Hovered if moving => panel.hovered = Some(row.id.clone()),
            Interaction::None if panel.hovered.as_ref() == Some(&row.id) => panel.hovered = None,
            _ => {}
        }
    }
    if !panel.open && panel.hovered.is_some() {
        panel.hovered = None;
    }
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
    // A line marked by its number key is brought to the top if it is out of view.
    let armed = panel.armed.and_then(|n| {
        children.iter().enumerate().find_map(|(i, c)| {
            let (row, node, at, ..) = rows.get(c).ok()?;
            (row.number == Some(n)).then_some((i, cut(node, at)))
        })
    });
    let first = top_row(&mut panel, children.len(), armed);
    let mut below = false;
    let mut in_view = Vec::new();
    for (i, child) in children.iter().enumerate() {
        let Ok((option, n, t, mut row, mut vis)) = rows.get_mut(child) else {
            continue;
        };
        let seen = i == first || (i > first && !cut(n, t));
        below |= i > first && !seen;
        if seen && let Some(number) = option.number {
            in_view.push(number);
        }
        show_row(&mut row, &mut vis, i >= first, seen);
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

/// The row at the top of the list's view after this frame's ↑ ↓ (`rows` in all; `armed`:
/// the marked row's index and whether the bottom edge cuts it).
fn top_row(panel: &mut TalkPanel, rows: usize, armed: Option<(usize, bool)>) -> usize {
    let step = std::mem::take(&mut panel.scroll);
    let last = rows.saturating_sub(1);
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
    first
}

/// A row above the view is taken out of the layout; one below it is laid out but hidden.
fn show_row(row: &mut Node, vis: &mut Visibility, laid_out: bool, seen: bool) {
    let display = if laid_out {
        Display::Flex
    } else {
        Display::None
    };
    if row.display != display {
        row.display = display;
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
            track_hover,
            clamp_lines,
            tone_bar::spawn_tone_bar,
            tone_bar::refresh_tone_bar,
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
    use bevy::ecs::system::RunSystemOnce;

    #[test]
    fn a_clamped_row_settles_on_the_most_words_that_fit() {
        let full = "Claire, I'm going to ask you straight, because I'd rather know. Are you \
                    thinking about killing yourself tonight?";
        // A box that holds 40 characters over its two lines (20 a line).
        let fits = |s: &str| s.chars().count() <= 40;
        let mut c = Clamped::new(full, 2.0);
        let mut shown = full.to_string();
        let mut layouts = 0;
        while let Some(next) = c.next(fits(&shown), shown.chars().count() as f32 / 20.0) {
            shown = next;
            layouts += 1;
            assert!(layouts < 8, "still searching: {shown}");
        }
        assert_eq!(shown, "Claire, I'm going to ask you straight…");
        assert!(c.done);
        // A short line is left as it is.
        let mut c = Clamped::new("Tell me about him.", 2.0);
        assert_eq!(c.next(true, 1.0), None);
        assert!(c.done);
    }

    #[test]
    fn the_marked_lines_number_stands_out_from_its_highlight() {
        let luminance = |c: Color| {
            let c = c.to_linear();
            0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue
        };
        let contrast = |a: Color, b: Color| {
            let (a, b) = (luminance(a), luminance(b));
            (a.max(b) + 0.05) / (a.min(b) + 0.05)
        };
        let (badge, digit) = badge_look(false, true);
        assert!(
            contrast(badge, color::SELECTED) >= 3.0,
            "badge on the highlight"
        );
        for (said, marked) in [(false, false), (true, false), (false, true), (true, true)] {
            let (badge, digit) = badge_look(said, marked);
            assert!(contrast(digit, badge) >= 4.5, "digit on its badge");
        }
        assert_ne!(badge, color::SELECTED);
        assert!(contrast(digit, badge) >= 7.0);
    }

    /// The playing screen's layout in a headless app (Bevy's UI layout and text measuring,
    /// no window or GPU): a 1280x720 target at text scale `scale`.
    fn layout_app(scale: f32) -> App {
        use bevy::camera::{ComputedCameraValues, RenderTargetInfo, Viewport};
        let mut app = App::new();
        app.add_plugins((
            MinimalPlugins,
            AssetPlugin::default(),
            bevy::input::InputPlugin,
            bevy::window::WindowPlugin {
                primary_window: None,
                ..default()
            },
            bevy::image::ImagePlugin::default(),
            bevy::transform::TransformPlugin,
            bevy::text::TextPlugin,
            bevy::ui::UiPlugin,
        ));
        // A system of these plugins wants a resource of one this app leaves out: skip it.
        app.set_error_handler(bevy::ecs::error::warn);
        let fonts = UiFonts::load(&mut app);
        let size = UVec2::new(1280, 720);
        app.insert_resource(fonts)
            .insert_resource(RemSize(crate::game::theme::BASE_REM * scale))
            .init_resource::<TalkPanel>()
            .add_systems(Startup, super::super::spawn_layout)
            .add_systems(
                Update,
                (super::super::talk_width, clamp_lines, scroll_list).chain(),
            );
        app.world_mut().spawn((
            Camera2d,
            Camera {
                computed: ComputedCameraValues {
                    target_info: Some(RenderTargetInfo {
                        physical_size: size,
                        scale_factor: 1.0,
                    }),
                    ..default()
                },
                viewport: Some(Viewport {
                    physical_size: size,
                    ..default()
                }),
                ..default()
            },
        ));
        app.update();
        app
    }

    /// Open the panel on `view` and let it lay out (and its rows settle on two lines).
    fn show(app: &mut App, view: &PanelView) {
        let world = app.world_mut();
        let (slot, mut node) = world
            .query_filtered::<(Entity, &mut Node), With<TalkSlot>>()
            .single_mut(world)
            .unwrap();
        node.display = Display::Flex;
        world.entity_mut(slot).despawn_children();
        *world.resource_mut::<TalkPanel>() = TalkPanel {
            open: true,
            armed: view.armed,
            ..default()
        };
        let fonts = world.resource::<UiFonts>().clone();
        let view = view.clone();
        world
            .run_system_once(move |mut c: Commands| spawn_panel(&mut c, slot, &fonts, &view))
            .unwrap();
        for _ in 0..12 {
            app.update();
        }
    }

    /// Each option row's rectangle (logical pixels: left, top, right, bottom) and whether
    /// it is shown, in list order.
    fn row_rects(app: &mut App) -> Vec<(Rect, bool)> {
        let world = app.world_mut();
        let list = world
            .query_filtered::<&Children, With<OptionList>>()
            .single(world)
            .unwrap()
            .to_vec();
        let mut rows = world.query::<(&ComputedNode, &UiGlobalTransform, &Visibility, &Node)>();
        list.iter()
            .map(|e| {
                let (n, t, v, node) = rows.get(world, *e).unwrap();
                let rect = Rect::from_center_size(t.translation, n.size);
                let shown = *v != Visibility::Hidden && node.display != Display::None;
                (rect, shown)
            })
            .collect()
    }

    /// The views of every scene of bridge_railing with four lines or more to say.
    fn bridge_railing_views() -> Vec<PanelView> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bridge_railing.ron");
        let (scenario, _) = crate::check::load_scenario(&path).unwrap();
        scenario
            .scenes
            .iter()
            .filter(|s| s.options.len() >= 4)
            .map(|scene| PanelView {
                rem: 0.0,
                tone: Tone::Calm,
                subject: scenario.subject.name.clone(),
                last_line: scene.lines.first().cloned(),
                note: None,
                armed: None,
                rows: (1u8..)
                    .zip(&scene.options)
                    .map(|(n, o)| RowView {
                        number: Some(n),
                        id: o.id.clone(),
                        text: o.text.clone(),
                        said: false,
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn at_every_text_size_four_lines_of_every_bridge_railing_scene_show_beside_the_subject() {
        let (_, largest) = crate::game::settings::TEXT_SCALE_RANGE;
        let views = bridge_railing_views();
        assert!(views.len() >= 3, "{} scenes", views.len());
        for scale in [0.8, 1.0, 1.3, 1.4, largest] {
            let mut app = layout_app(scale);
            let rem = app.world().resource::<RemSize>().0;
            for view in &views {
                show(
                    &mut app,
                    &PanelView {
                        rem,
                        ..view.clone()
                    },
                );
                let rows = row_rects(&mut app);
                let what = format!("{:.0} %, {:?} {rows:?}", scale * 100.0, view.last_line);
                for (i, (rect, shown)) in rows.iter().take(4).enumerate() {
                    assert!(*shown, "row {} hidden at {what}", i + 1);
                    assert!(
                        rect.min.y >= 0.0 && rect.max.y <= 720.0 && rect.max.x <= 1280.0,
                        "row {} at {rect:?} at {what}",
                        i + 1
                    );
                    // The column leaves the middle of the view (where the subject stands).
                    assert!(rect.min.x > 700.0, "row {} at {rect:?} at {what}", i + 1);
                    // A few lines at most (a line is 1.3 of the text size): two at 160 %.
                    let lines = rect.height() / (rem * size::BODY * LINE_HEIGHT);
                    let most = row_lines(rem);
                    assert!(
                        lines < most + 0.6,
                        "row {} is {lines:.1} lines at {what}",
                        i + 1
                    );
                }
            }
        }
    }

    #[test]
    fn rows_have_fewer_lines_as_the_text_grows() {
        let lines = |scale: f32| row_lines(crate::game::theme::BASE_REM * scale);
        assert_eq!(
            [0.8, 1.0, 1.2, 1.3, 1.4, 1.6].map(lines),
            [4.0, 4.0, 3.0, 3.0, 2.0, 2.0]
        );
    }

    #[test]
    fn the_marked_line_shows_in_full() {
        let mut app = layout_app(1.3);
        let rem = app.world().resource::<RemSize>().0;
        let view = bridge_railing_views().remove(0);
        let long = (0..4).max_by_key(|i| view.rows[*i].text.len()).unwrap();
        let number = view.rows[long].number;
        show(
            &mut app,
            &PanelView {
                rem,
                armed: number,
                ..view.clone()
            },
        );
        let mut texts = app.world_mut().query::<(&Text, Option<&Clamped>)>();
        let world = app.world();
        let shown: Vec<&str> = texts.iter(world).map(|(t, _)| t.0.as_str()).collect();
        assert!(
            shown.contains(&view.rows[long].text.as_str()),
            "the marked line in full: {shown:?}"
        );
        // The others are cut short, ending in "…".
        assert!(
            texts
                .iter(world)
                .filter_map(|(t, c)| c.map(|_| t))
                .any(|t| t.0.ends_with('…')),
            "{shown:?}"
        );
    }

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
