//! `play --autoplay SCRIPT --benchmark N`: time N frames of the scripted run once it has
//! warmed up, print one line
//! `benchmark: N frames, X fps, p50 Y ms, p95 Z ms, peak rss W MB` and quit with success.
//! Warmed up, as the minimal scene of the frame budget counts it: after 10 gameplay frames,
//! and once no render pipeline is still compiling (until then the software renderer spends
//! its frames compiling shaders and draws less than the scene). Frame times are real
//! (wall-clock) times between frames; peak memory is the process's
//! high-water resident set (`VmHWM`). A second line, `loaded: …`, counts what the run holds
//! (meshes, materials, images, font atlases, render pipelines, entities): where memory goes.

use crate::game::state::{Launch, Screen};
use bevy::prelude::*;
use bevy::render::render_resource::{CachedPipelineState, PipelineCache};
use bevy::render::{Render, RenderApp, RenderSystems};
use bevy::text::FontAtlasSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Gameplay frames not measured: at least this many, as the minimal scene skips...
const WARM_UP_FRAMES: u32 = 10;
/// ...and at most this many while render pipelines are still compiling.
const WARM_UP_MAX_FRAMES: u32 = 200;

/// Frames measured so far.
#[derive(Resource, Debug, Default)]
struct Bench {
    frames: Vec<f32>,
    last: Option<Instant>,
    /// Gameplay frames of the warm-up so far.
    warm_up: u32,
    warm: bool,
    done: bool,
}

/// Render pipelines compiled and still compiling: counted in the render world, read in the
/// main world.
#[derive(Resource, Clone, Default)]
struct Pipelines {
    ready: Arc<AtomicUsize>,
    pending: Arc<AtomicUsize>,
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Bench>().add_systems(
        Last,
        measure.run_if(|launch: Res<Launch>| launch.benchmark.is_some()),
    );
    let benchmarking = app
        .world()
        .get_resource::<Launch>()
        .is_some_and(|l| l.benchmark.is_some());
    let pipelines = Pipelines::default();
    app.insert_resource(pipelines.clone());
    if let Some(render) = app.get_sub_app_mut(RenderApp)
        && benchmarking
    {
        render
            .insert_resource(pipelines)
            .add_systems(Render, count_pipelines.in_set(RenderSystems::Cleanup));
    }
}

fn count_pipelines(cache: Res<PipelineCache>, count: Res<Pipelines>) {
    let ready = cache
        .pipelines()
        .filter(|p| matches!(p.state, CachedPipelineState::Ok(_)))
        .count();
    count.ready.store(ready, Ordering::Relaxed);
    let pending = cache.waiting_pipelines().count();
    count.pending.store(pending, Ordering::Relaxed);
}

fn measure(
    launch: Res<Launch>,
    screen: Res<State<Screen>>,
    mut bench: ResMut<Bench>,
    mut exit: MessageWriter<AppExit>,
    held: Held,
) {
    let Some(n) = launch.benchmark else { return };
    if bench.done {
        return;
    }
    let playing = *screen.get() == Screen::Playing;
    if playing && !bench.warm {
        bench.warm_up += 1;
        let compiling = held.pipelines.pending.load(Ordering::Relaxed) > 0;
        bench.warm =
            bench.warm_up >= WARM_UP_MAX_FRAMES || (bench.warm_up >= WARM_UP_FRAMES && !compiling);
    }
    let measuring = playing && bench.warm;
    let now = Instant::now();
    if measuring && let Some(last) = bench.last {
        let ms = now.duration_since(last).as_secs_f32() * 1000.0;
        bench.frames.push(ms);
    }
    bench.last = measuring.then_some(now);
    // The run ended before N frames: report what was measured.
    let ended = !playing && bench.warm_up > 0;
    if bench.frames.len() >= n as usize || ended {
        println!("{}", report(&bench.frames, peak_rss_mb()));
        println!("{}", held.line());
        bench.done = true;
        exit.write(AppExit::Success);
    }
}

/// What the run holds when the measurement ends (each asset store only if rendering is on).
#[derive(bevy::ecs::system::SystemParam)]
struct Held<'w, 's> {
    meshes: Option<Res<'w, Assets<Mesh>>>,
    materials: Option<Res<'w, Assets<StandardMaterial>>>,
    images: Option<Res<'w, Assets<Image>>>,
    atlases: Option<Res<'w, FontAtlasSet>>,
    pipelines: Res<'w, Pipelines>,
    entities: Query<'w, 's, Entity>,
}

impl Held<'_, '_> {
    /// `loaded: 12 meshes (3400 vertices), 40 materials, 9 images (5.1 MB), 6 font
    /// atlases (6.0 MB), 45 render pipelines, 812 entities`.
    fn line(&self) -> String {
        let meshes = self.meshes.as_deref();
        let vertices: usize = meshes.map_or(0, |m| m.iter().map(|(_, m)| m.count_vertices()).sum());
        let images = self.images.as_deref();
        let image_bytes: usize = images.map_or(0, |i| {
            i.iter()
                .filter_map(|(_, i)| i.data.as_ref().map(Vec::len))
                .sum()
        });
        let (atlases, atlas_bytes) = match (self.atlases.as_deref(), images) {
            (Some(set), Some(images)) => (
                set.values().map(Vec::len).sum::<usize>(),
                set.total_bytes(images),
            ),
            _ => (0, 0),
        };
        let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
        format!(
            "loaded: {} meshes ({vertices} vertices), {} materials, {} images ({:.1} MB), \
             {atlases} font atlases ({:.1} MB), {} render pipelines, {} entities",
            meshes.map_or(0, |m| m.len()),
            self.materials.as_deref().map_or(0, |m| m.len()),
            images.map_or(0, |i| i.len()),
            mb(image_bytes as u64),
            mb(atlas_bytes),
            self.pipelines.ready.load(Ordering::Relaxed),
            self.entities.iter().count()
        )
    }
}

/// The benchmark line for these frame times (milliseconds).
fn report(frames: &[f32], rss_mb: Option<u64>) -> String {
    let mut sorted = frames.to_vec();
    sorted.sort_by(f32::total_cmp);
    let total: f32 = frames.iter().sum();
    let fps = if total > 0.0 {
        frames.len() as f32 * 1000.0 / total
    } else {
        0.0
    };
    let pct = |p: f32| {
        if sorted.is_empty() {
            0.0
        } else {
            sorted[((sorted.len() - 1) as f32 * p).round() as usize]
        }
    };
    let rss = rss_mb.map_or("?".to_string(), |m| m.to_string());
    format!(
        "benchmark: {} frames, {fps:.2} fps, p50 {:.1} ms, p95 {:.1} ms, peak rss {rss} MB",
        frames.len(),
        pct(0.5),
        pct(0.95)
    )
}

/// The process's peak resident memory (`VmHWM` in /proc/self/status), MB.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_has_the_promised_shape() {
        let frames = [100.0, 200.0, 300.0, 400.0];
        assert_eq!(
            report(&frames, Some(512)),
            "benchmark: 4 frames, 4.00 fps, p50 300.0 ms, p95 400.0 ms, peak rss 512 MB"
        );
    }
}
