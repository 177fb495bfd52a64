//! Talking: the talk panel (opened on demand with Tab or a right click) lists what can be
//! said now, numbered 1–9; the tone selector below it is always visible (Q/E or the mouse
//! wheel, calm … shouting, colour-coded); Space is a deliberate tactical pause; H toggles
//! visible hands / drawn weapon.

use bevy::input::mouse::{MouseScrollUnit, MouseWheel};
use bevy::prelude::*;

use super::{TalkSlot, ToneSlot};
use crate::format::vocab::Tone;
use crate::game::live::player::CursorFree;
use crate::game::theme::{UiFonts, color, size, tone_color};
use crate::game::{PlayState, Screen, Session, TraineeAct};
use crate::sim::{Action, Hands};

/// Whether the talk panel is open. Other plugins may read it (for example to free the
/// mouse cursor while it is open).
#[derive(Resource, Default, Debug)]
pub struct TalkPanel {
    pub open: bool,
    /// What the panel shows (scene and option ids); rebuilt when it changes.
    shown: Option<Vec<String>>,
    /// Requested scroll offset (↑ ↓ when the panel does not fit).
    scroll: f32,
}

#[derive(Component)]
struct OptionRow(String);

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
    panel.open = false;
    panel.shown = None;
    free.0 = false;
}

/// Apply the ↑ ↓ scroll to the talk slot, clamped to what overflows.
fn scroll_panel(
    mut panel: ResMut<TalkPanel>,
    mut slot: Query<(&ComputedNode, &mut ScrollPosition), With<TalkSlot>>,
) {
    let Ok((node, mut pos)) = slot.single_mut() else {
        return;
    };
    let max = ((node.content_size.y - node.size.y) * node.inverse_scale_factor).max(0.0);
    let y = panel.scroll.clamp(0.0, max);
    if panel.scroll != y {
        panel.scroll = y;
    }
    if (pos.0.y - y).abs() > 0.01 {
        pos.0.y = y;
    }
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

fn input(
    keys: Res<ButtonInput<KeyCode>>,
    mouse: Res<ButtonInput<MouseButton>>,
    mut wheel: MessageReader<MouseWheel>,
    mut panel: ResMut<TalkPanel>,
    session: Option<ResMut<Session>>,
    options: Query<(&Interaction, &OptionRow), Changed<Interaction>>,
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
    }
    // Tone: Q calmer, E more forceful; wheel up more forceful, down calmer.
    let mut dir = 0;
    if keys.just_pressed(KeyCode::KeyQ) {
        dir -= 1;
    }
    if keys.just_pressed(KeyCode::KeyE) {
        dir += 1;
    }
    for w in wheel.read() {
        let notch = match w.unit {
            MouseScrollUnit::Line => w.y,
            MouseScrollUnit::Pixel => w.y / 40.0,
        };
        *wheel_acc += notch;
    }
    while *wheel_acc >= 1.0 {
        dir += 1;
        *wheel_acc -= 1.0;
    }
    while *wheel_acc <= -1.0 {
        dir -= 1;
        *wheel_acc += 1.0;
    }
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
    // Choosing a line.
    let mut chosen: Option<String> = None;
    if panel.open {
        let offered = session.sim.offered_choices();
        for (n, (digit, numpad)) in DIGITS.iter().enumerate() {
            if (keys.just_pressed(*digit) || keys.just_pressed(*numpad))
                && let Some(c) = offered.get(n)
            {
                chosen = Some(c.id.clone());
            }
        }
        for (i, row) in &options {
            if *i == Interaction::Pressed {
                chosen = Some(row.0.clone());
            }
        }
    }
    if panel.open && (keys.just_pressed(KeyCode::ArrowDown) || keys.just_pressed(KeyCode::ArrowUp))
    {
        panel.scroll += if keys.just_pressed(KeyCode::ArrowDown) {
            60.0
        } else {
            -60.0
        };
    }
    if let Some(option) = chosen {
        acts.write(TraineeAct(Action::Say {
            option,
            tone: session.tone,
        }));
        panel.open = false;
    }
}

fn render_panel(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    mut panel: ResMut<TalkPanel>,
    session: Option<Res<Session>>,
    slot: Query<Entity, With<TalkSlot>>,
) {
    let Ok(slot) = slot.single() else { return };
    let want: Option<Vec<String>> = match (&session, panel.open) {
        (Some(s), true) => {
            let mut v = vec![s.sim.scene_id().to_string(), s.tone.label().to_string()];
            v.extend(s.sim.offered_choices().iter().map(|c| c.id.clone()));
            Some(v)
        }
        _ => None,
    };
    if want == panel.shown {
        return;
    }
    panel.shown = want.clone();
    panel.scroll = 0.0;
    commands.entity(slot).despawn_children();
    let (Some(session), Some(_)) = (session, want) else {
        return;
    };
    // The scene's options in this visit's order, each with the wording drawn for it.
    let offered = session.sim.offers();
    commands.entity(slot).with_children(|p| {
        p.spawn((
            Node {
                flex_direction: FlexDirection::Column,
                padding: UiRect::axes(Val::Px(14.0), Val::Px(10.0)),
                row_gap: Val::Px(2.0),
                border: UiRect::all(Val::Px(2.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                ..default()
            },
            BackgroundColor(color::PANEL),
            BorderColor::all(tone_color(session.tone).with_alpha(0.8)),
        ))
        .with_children(|b| {
            b.spawn((
                Text::new("What do you say?   "),
                fonts.font(true, size::BODY),
                TextColor(color::TEXT),
            ))
            .with_children(|t| {
                t.spawn(fonts.span(
                    format!("in a {} voice", session.tone.label()),
                    size::BODY,
                    tone_color(session.tone),
                    true,
                ));
                t.spawn(fonts.span(
                    "    number or click to say it · Tab closes",
                    size::SMALL,
                    color::MUTED,
                    false,
                ));
            });
            if offered.is_empty() {
                b.spawn(fonts.text(
                    "Nothing to say right now. Listen, keep your distance, or take a pause (Space).",
                    size::BODY,
                    color::MUTED,
                ));
            }
            for (n, c) in offered.iter().enumerate().take(9) {
                b.spawn((
                    Button,
                    Node {
                        column_gap: Val::Px(14.0),
                        padding: UiRect::axes(Val::Px(10.0), Val::Px(4.0)),
                        border_radius: BorderRadius::all(Val::Px(5.0)),
                        align_items: AlignItems::Center,
                        ..default()
                    },
                    BackgroundColor(Color::NONE),
                    crate::game::theme::Hover {
                        normal: Color::NONE,
                        hovered: color::HOVER,
                    },
                    OptionRow(c.choice.id.clone()),
                ))
                .with_children(|r| {
                    r.spawn((
                        Node {
                            width: Val::Px(34.0),
                            height: Val::Px(34.0),
                            justify_content: JustifyContent::Center,
                            align_items: AlignItems::Center,
                            border_radius: BorderRadius::all(Val::Px(5.0)),
                            flex_shrink: 0.0,
                            ..default()
                        },
                        BackgroundColor(color::SELECTED),
                    ))
                    .with_children(|k| {
                        k.spawn(fonts.bold(format!("{}", n + 1), size::BODY, color::TEXT));
                    });
                    r.spawn(fonts.text(c.text.to_string(), size::BODY, color::TEXT));
                });
            }
            if offered.len() > 9 {
                b.spawn(fonts.text(
                    format!("({} more lines are not shown: scenarios should offer at most nine)", offered.len() - 9),
                    size::SMALL,
                    color::WARN,
                ));
            }
        });
    });
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

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TalkPanel>()
        .init_resource::<CursorFree>()
        .add_systems(OnEnter(Screen::Playing), reset)
        .add_systems(OnExit(Screen::Playing), reset)
        .add_systems(
            Update,
            (
                input.run_if(in_state(PlayState::Running)),
                render_panel,
                spawn_tone_bar,
                refresh_tone_bar,
                scroll_panel,
                keys_hint,
                sync_cursor,
            )
                .chain()
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
}
