//! What the trainer's process keeps in memory: the C allocator's options (one heap arena,
//! large blocks returned to the system when freed) and render buffers sized to what the scene
//! uses (the shadow maps). Measured beside the minimal Bevy scene under Mesa's
//! software renderer: README, "Frame budget, measured".

use crate::game::graphics::Graphics;
use bevy::light::{DirectionalLightShadowMap, PointLightShadowMap};
use bevy::prelude::*;

/// glibc gives every thread that allocates an arena of its own (up to eight per core): bevy's
/// task pools, the render thread and the software rasteriser's threads each keep freed memory
/// in theirs. One arena, and blocks of 128 KiB or more mapped (and unmapped when freed) rather
/// than carved from the heap, keep the resident set close to what is in use. Call before any
/// thread starts. Elsewhere (other C libraries, other systems) this does nothing.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const M_MMAP_THRESHOLD: i32 = -3;
        const M_ARENA_MAX: i32 = -8;
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // SAFETY: `mallopt` only sets allocator parameters; both are documented glibc
        // options with in-range values, set before the app starts its threads.
        unsafe {
            mallopt(M_ARENA_MAX, 1);
            mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        }
    }
}

pub fn plugin(app: &mut App) {
    app.insert_resource(PointLightShadowMap {
        size: UNUSED_SHADOW_MAP,
    })
    .insert_resource(DirectionalLightShadowMap {
        size: UNUSED_SHADOW_MAP,
    })
    .add_systems(PostUpdate, (size_point_shadow_map, size_sun_shadow_map));
}

/// Side of the point-light shadow map while no point light casts shadows, texels.
const UNUSED_SHADOW_MAP: usize = 1;

/// Bevy keeps a cube map for point-light shadows whether or not a light casts any: at its
/// default 1024 texels a side that is six faces of 32-bit depth, 24 MB, cleared and so resident
/// under a software renderer. The trainer's point lights (street lamps, ceiling lights, the
/// subject's key light) cast none, so the map stays at one texel until a light does; then it
/// takes the preset's shadow-map size.
fn size_point_shadow_map(
    lights: Query<&PointLight>,
    graphics: Option<Res<Graphics>>,
    mut map: ResMut<PointLightShadowMap>,
) {
    let size = match graphics {
        Some(g) if lights.iter().any(|l| l.shadow_maps_enabled) => g.preset().shadow_map,
        _ => UNUSED_SHADOW_MAP,
    };
    if map.size != size {
        map.size = size;
    }
}

/// The same for the sun's (or moon's) shadow map: bevy keeps one layer of it, at the preset's
/// 512 or 1024 texels a side, even at night or under cloud when the sun casts no shadow.
fn size_sun_shadow_map(
    lights: Query<&DirectionalLight>,
    graphics: Option<Res<Graphics>>,
    mut map: ResMut<DirectionalLightShadowMap>,
) {
    let size = match graphics {
        Some(g) if lights.iter().any(|l| l.shadow_maps_enabled) => g.preset().shadow_map,
        _ => UNUSED_SHADOW_MAP,
    };
    if map.size != size {
        map.size = size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::graphics::Quality;

    fn app() -> App {
        let mut app = App::new();
        app.insert_resource(Graphics(Quality::High, false))
            .add_plugins(plugin);
        app
    }

    #[test]
    fn the_point_shadow_map_is_tiny_until_a_point_light_casts_shadows() {
        let mut app = app();
        app.world_mut().spawn(PointLight::default());
        app.update();
        assert_eq!(app.world().resource::<PointLightShadowMap>().size, 1);
        let lamp = app
            .world_mut()
            .spawn(PointLight {
                shadow_maps_enabled: true,
                ..default()
            })
            .id();
        app.update();
        let high = Quality::High.preset().shadow_map;
        assert_eq!(app.world().resource::<PointLightShadowMap>().size, high);
        app.world_mut().despawn(lamp);
        app.update();
        assert_eq!(app.world().resource::<PointLightShadowMap>().size, 1);
    }

    #[test]
    fn the_sun_shadow_map_is_tiny_at_night_and_full_size_when_the_sun_casts_shadows() {
        let mut app = app();
        let sun = app.world_mut().spawn(DirectionalLight::default()).id();
        app.update();
        assert_eq!(app.world().resource::<DirectionalLightShadowMap>().size, 1);
        app.world_mut().entity_mut(sun).insert(DirectionalLight {
            shadow_maps_enabled: true,
            ..default()
        });
        app.update();
        let high = Quality::High.preset().shadow_map;
        assert_eq!(
            app.world().resource::<DirectionalLightShadowMap>().size,
            high
        );
    }
}
