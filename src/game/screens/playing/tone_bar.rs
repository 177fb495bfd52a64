//! The tone selector along the bottom of the view: a chip per tone (calm … shouting) in its
//! colour, filled when chosen; the hands chip (visible hands or a drawn weapon); and the
//! keys reminder. What Q/E, the wheel and a click on a chip do is the talk panel's input.

use bevy::prelude::*;

use super::ToneSlot;
use super::talk::KeysHint;
use crate::format::vocab::Tone;
use crate::game::Session;
use crate::game::theme::{UiFonts, color, size, tone_color, widget};
use crate::sim::Hands;

#[derive(Component)]
pub(super) struct ToneChip(pub(super) Tone);

#[derive(Component)]
pub(super) struct HandsChip;

#[derive(Component)]
pub(super) struct ToneBar;

/// Text size on the tone selector (rem).
const TONE_TEXT: f32 = 1.0;

/// The tone selector, the hands chip and the keys reminder, once, in the HUD's tone slot.
pub(super) fn spawn_tone_bar(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    slot: Query<Entity, (With<ToneSlot>, Without<ToneBar>)>,
) {
    let Ok(slot) = slot.single() else { return };
    commands.entity(slot).insert(ToneBar).with_children(|bar| {
        // Q and E stay at the sides; the chips wrap between them on a narrow view.
        bar.spawn(widget::overlay_frame(Node {
            align_items: AlignItems::Center,
            column_gap: Val::Px(6.0),
            max_width: Val::Percent(100.0),
            ..default()
        }))
        .with_children(|b| {
            b.spawn(fonts.bold("Q", TONE_TEXT, color::MUTED));
            b.spawn(Node {
                justify_content: JustifyContent::Center,
                flex_wrap: FlexWrap::Wrap,
                column_gap: Val::Px(6.0),
                row_gap: Val::Px(4.0),
                flex_shrink: 1.0,
                min_width: Val::Px(0.0),
                ..default()
            })
            .with_children(|chips| {
                for t in Tone::ALL {
                    chips.spawn(tone_chip(&fonts, t));
                }
            });
            b.spawn(fonts.bold("E", TONE_TEXT, color::MUTED));
        });
        bar.spawn((
            Button,
            widget::overlay_frame(Node {
                border: UiRect::all(Val::Px(2.0)),
                ..default()
            }),
            BorderColor::all(color::BORDER),
            HandsChip,
            children![(
                Text::new(""),
                fonts.font(true, TONE_TEXT),
                TextColor(color::TEXT)
            )],
        ));
        bar.spawn((
            widget::overlay_frame(Node::default()),
            KeysHint,
            children![fonts.text(
                "Tab talk  ·  Space pause  ·  Esc menu",
                size::SMALL,
                color::MUTED,
            )],
        ));
    });
}

/// One tone on the selector: a rounded chip in the tone's colour (filled when chosen).
fn tone_chip(fonts: &UiFonts, t: Tone) -> impl Bundle {
    (
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
        children![(
            Text::new(capital(t.label())),
            fonts.font(false, TONE_TEXT),
            TextColor(tone_color(t)),
        )],
    )
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The chosen tone's chip filled, the hovered one tinted; the hands chip's label and colour.
pub(super) fn refresh_tone_bar(
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
