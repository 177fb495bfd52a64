//! The trainee's view as the graphics preset says: multisampling, depth prepass, and below full render
//! scale the 3D view drawn into a smaller image that a full-window picture behind the
//! interface shows scaled up (the interface itself stays sharp).

use super::markers::PlayerCamera;
use crate::game::graphics::Graphics;
use crate::game::state::Screen;
use bevy::camera::RenderTarget;
use bevy::prelude::*;
use bevy::render::render_resource::TextureFormat;
use bevy::window::PrimaryWindow;

/// The trainee's view as the preset says: multisampling, and below full render scale the
/// 3D view drawn into a smaller image that a full-window picture behind the interface
/// shows scaled up.
pub(super) fn dress_view(
    mut commands: Commands,
    graphics: Res<Graphics>,
    cams: Query<Entity, Added<PlayerCamera>>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut images: ResMut<Assets<Image>>,
) {
    let preset = graphics.preset();
    for cam in &cams {
        let msaa = if preset.msaa {
            Msaa::Sample4
        } else {
            Msaa::Off
        };
        commands.entity(cam).insert(msaa);
        let Some(window) = window.as_deref() else {
            continue;
        };
        if preset.render_scale >= 0.999 {
            continue;
        }
        let size = window.physical_size().as_vec2() * preset.render_scale.clamp(0.25, 1.0);
        let image = Image::new_target_texture(
            size.x.max(1.0) as u32,
            size.y.max(1.0) as u32,
            TextureFormat::Rgba8Unorm,
            Some(TextureFormat::Rgba8UnormSrgb),
        );
        let handle = images.add(image);
        commands
            .entity(cam)
            .insert(RenderTarget::Image(handle.clone().into()))
            .remove::<bevy::ui::IsDefaultUiCamera>();
        commands.spawn((
            Name::new("Scaled 3D view"),
            ImageNode::new(handle),
            Node {
                position_type: PositionType::Absolute,
                width: Val::Percent(100.0),
                height: Val::Percent(100.0),
                ..default()
            },
            GlobalZIndex(-1000),
            DespawnOnExit(Screen::Playing),
        ));
    }
}
