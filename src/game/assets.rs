//! Scenario files as Bevy assets, hot reload, and the scenario library.
//!
//! Scenario files live in the top-level `scenarios/` folder (asset source `scenarios://`);
//! a `play PATH` outside it gets its own source (`play://`) for the file's folder. The
//! [`ScenarioLoader`] never fails on bad content: a file with errors loads as a
//! [`ScenarioFile`] holding the rendered diagnostics, so a broken edit can be shown on
//! screen while the last good version keeps running.
//!
//! Resources for the UI:
//! - [`Library`]: every `scenarios/*.ron` with title, expected minutes, objectives, mode,
//!   or the errors of a broken file (rescanned while the select screen is open);
//! - [`ScenarioErrors`]: the diagnostics of the active scenario's file when its latest
//!   version does not load (the previous good version stays active);
//! - [`ReloadNotice`]: set when a changed file was picked up, for a "scenario reloaded" toast.
//!
//! The select screen starts a scenario by writing a [`StartScenario`] message (or by
//! inserting an [`ActiveScenario`] taken from [`LibraryEntry::playable`] and switching to
//! [`Screen::Briefing`] itself).

use crate::check;
use crate::format::scenario::{Environment, MAX_FILE_BYTES, Mode, Scenario};
use crate::game::state::{ActiveScenario, Launch, Screen};
use crate::records::record::content_hash;
use bevy::asset::io::{AssetSourceBuilder, Reader};
use bevy::asset::{AssetLoader, AssetPath, LoadContext, LoadState};
use bevy::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Asset source name of the scenario library folder.
pub const LIBRARY_SOURCE: &str = "scenarios";
/// Asset source name of the folder of a `play PATH` outside the library.
pub const PLAY_SOURCE: &str = "play";
/// How often the select screen rescans the library folder for added or removed files.
const RESCAN_SECS: f32 = 2.0;
/// How long the "scenario reloaded" notice is meant to stay up.
pub const NOTICE_SECS: f64 = 4.0;

/// One scenario file as loaded: the scenario, or why it cannot be used.
#[derive(Asset, TypePath, Debug, Clone)]
pub struct ScenarioFile {
    /// The path shown in diagnostics (`scenarios/x.ron`).
    pub label: String,
    pub content: Result<LoadedScenario, String>,
}

#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub scenario: Arc<Scenario>,
    /// SHA-256 of the file's bytes.
    pub hash: String,
    /// Rendered warnings, if any (the scenario is usable).
    pub warnings: Option<String>,
}

impl ScenarioFile {
    /// Check `bytes` as a scenario file labelled `label`. Never fails: problems become text.
    pub fn from_bytes(label: &str, bytes: &[u8]) -> ScenarioFile {
        let content = if bytes.len() > MAX_FILE_BYTES {
            Err(format!(
                "{label}: the file is too large ({:.1} MiB); scenario files are limited to {} MiB",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ))
        } else {
            match std::str::from_utf8(bytes) {
                Err(e) => Err(format!(
                    "{label}: the file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                    e.valid_up_to()
                )),
                Ok(text) => {
                    let report = check::check_source(label, text);
                    match report.scenario.clone() {
                        Some(scenario) if !report.has_errors() => Ok(LoadedScenario {
                            scenario: Arc::new(scenario),
                            hash: content_hash(bytes),
                            warnings: (!report.diagnostics.is_empty())
                                .then(|| report.render(false).trim_end().to_string()),
                        }),
                        _ => {
                            let text = report.render(false).trim_end().to_string();
                            Err(if text.is_empty() {
                                format!("{label}: the scenario could not be read")
                            } else {
                                text
                            })
                        }
                    }
                }
            }
        };
        ScenarioFile {
            label: label.to_string(),
            content,
        }
    }
}

/// Reads scenario RON files. Only unreadable files fail; bad content loads as errors.
#[derive(TypePath, Default)]
pub struct ScenarioLoader {
    roots: ScenarioRoots,
}

impl AssetLoader for ScenarioLoader {
    type Asset = ScenarioFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        load_context: &mut LoadContext<'_>,
    ) -> Result<ScenarioFile, std::io::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        let label = self.roots.label(load_context.path());
        Ok(ScenarioFile::from_bytes(&label, &bytes))
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

/// Where scenario files come from (resolved once, before the asset plugin is built).
#[derive(Resource, Debug, Clone, Default)]
pub struct ScenarioRoots {
    /// The library folder (absolute).
    pub library: PathBuf,
    /// How the library folder is shown (`scenarios`, or an absolute path).
    pub library_label: PathBuf,
    /// Folder of a launch scenario outside the library (absolute), for the `play://` source.
    pub play_dir: Option<PathBuf>,
    /// The asset path of `Launch.scenario`, if any.
    pub launch: Option<AssetPath<'static>>,
    /// `Launch.scenario` as given (shown, and stored in records).
    pub launch_label: Option<PathBuf>,
}

impl ScenarioRoots {
    /// Resolve the library folder (`$DEESCALATE_SCENARIOS`, else `./scenarios`, else
    /// `scenarios/` next to the executable) and where `launch.scenario` lives.
    pub fn resolve(launch: &Launch) -> ScenarioRoots {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let from_env = std::env::var_os("DEESCALATE_SCENARIOS")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        let next_to_exe = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join("scenarios")));
        let (library, library_label) = match from_env {
            Some(p) => (absolute(&cwd, &p), p),
            None if cwd.join("scenarios").is_dir() || next_to_exe.is_none() => (
                absolute(&cwd, Path::new("scenarios")),
                PathBuf::from("scenarios"),
            ),
            None => {
                let p = next_to_exe.unwrap_or_default();
                if p.is_dir() {
                    (absolute(&cwd, &p), p)
                } else {
                    (
                        absolute(&cwd, Path::new("scenarios")),
                        PathBuf::from("scenarios"),
                    )
                }
            }
        };
        let mut roots = ScenarioRoots {
            library,
            library_label,
            ..default()
        };
        if let Some(given) = &launch.scenario {
            let abs = absolute(&cwd, given);
            let file = abs.file_name().map(PathBuf::from).unwrap_or_default();
            roots.launch_label = Some(given.clone());
            match abs.strip_prefix(&roots.library) {
                Ok(rel) if !rel.as_os_str().is_empty() => {
                    roots.launch = Some(
                        AssetPath::from_path_buf(rel.to_path_buf()).with_source(LIBRARY_SOURCE),
                    );
                }
                _ => {
                    roots.play_dir = abs.parent().map(Path::to_path_buf);
                    roots.launch = Some(AssetPath::from_path_buf(file).with_source(PLAY_SOURCE));
                }
            }
        }
        roots
    }

    /// The path shown for an asset path of one of our sources.
    pub fn label(&self, path: &AssetPath) -> String {
        let source = path.source().as_str();
        if source == Some(PLAY_SOURCE) {
            if let Some(l) = &self.launch_label {
                return l.display().to_string();
            }
            if let Some(d) = &self.play_dir {
                return d.join(path.path()).display().to_string();
            }
        }
        if source == Some(LIBRARY_SOURCE) {
            return self.library_label.join(path.path()).display().to_string();
        }
        path.path().display().to_string()
    }
}

/// Absolute, normalised path (symlinks resolved where the file exists).
fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    if let Ok(c) = std::fs::canonicalize(&joined) {
        return c;
    }
    // Not there (yet): canonicalise the parent and keep the file name.
    match (joined.parent(), joined.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(joined),
        _ => joined,
    }
}

/// Register the `scenarios://` (and, for a `play PATH` outside it, `play://`) asset
/// sources. Must run before `AssetPlugin` is added (asset sources are built then).
pub fn register_sources(app: &mut App, launch: &Launch) {
    let roots = ScenarioRoots::resolve(launch);
    let lib = roots.library.to_string_lossy().to_string();
    app.register_asset_source(
        LIBRARY_SOURCE,
        AssetSourceBuilder::platform_default(&lib, None),
    );
    if let Some(dir) = &roots.play_dir {
        let dir = dir.to_string_lossy().to_string();
        app.register_asset_source(
            PLAY_SOURCE,
            AssetSourceBuilder::platform_default(&dir, None),
        );
    }
    app.insert_resource(roots);
}

/// Diagnostics of the active scenario's file when its latest version has errors
/// (the last good version keeps running). `None` when the file is fine.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct ScenarioErrors(pub Option<String>);

/// Set when the active scenario was reloaded from disk.
#[derive(Resource, Debug, Clone, Default)]
pub struct ReloadNotice(pub Option<Notice>);

#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    /// `Time<Real>::elapsed_secs_f64()` when it happened; show it for [`NOTICE_SECS`].
    pub at: f64,
    /// Counts reloads, so a UI can tell two reloads apart.
    pub generation: u32,
}

impl ReloadNotice {
    /// The notice text while it is fresh.
    pub fn current(&self, now: f64) -> Option<&str> {
        self.0
            .as_ref()
            .filter(|n| now - n.at < NOTICE_SECS)
            .map(|n| n.text.as_str())
    }
}

/// Start a scenario from the library (or any path): it becomes the [`ActiveScenario`] and
/// the briefing opens. A broken file puts its errors in [`ScenarioErrors`] instead.
#[derive(Message, Debug, Clone)]
pub struct StartScenario(pub PathBuf);

/// One file of the library.
#[derive(Clone)]
pub struct LibraryEntry {
    /// As shown and stored in records (`scenarios/knife_sidewalk.ron`).
    pub path: PathBuf,
    /// The scenario's title, or the file name while loading or when broken.
    pub title: String,
    pub expected_minutes: Option<f32>,
    pub objectives: Vec<String>,
    pub mode: Option<Mode>,
    pub environment: Option<Environment>,
    /// Rendered diagnostics when the file cannot be used.
    pub errors: Option<String>,
    /// Rendered warnings of a usable file.
    pub warnings: Option<String>,
    loaded: Option<ActiveScenario>,
    handle: Handle<ScenarioFile>,
    file: PathBuf,
}

impl LibraryEntry {
    /// Still being read.
    pub fn is_loading(&self) -> bool {
        self.loaded.is_none() && self.errors.is_none()
    }

    /// The scenario ready to play, if the file has no errors.
    pub fn playable(&self) -> Option<&ActiveScenario> {
        self.loaded.as_ref()
    }

    fn refresh(&mut self, file: &ScenarioFile) {
        match &file.content {
            Ok(l) => {
                let s = &l.scenario;
                self.title = s.title.clone();
                self.expected_minutes = Some(s.expected_minutes);
                self.objectives = s.objectives.clone();
                self.mode = Some(s.mode);
                self.environment = Some(s.place.environment);
                self.errors = None;
                self.warnings = l.warnings.clone();
                self.loaded = Some(ActiveScenario {
                    scenario: Arc::clone(s),
                    path: self.path.clone(),
                    hash: l.hash.clone(),
                });
            }
            Err(e) => {
                self.title = file_title(&self.path);
                self.expected_minutes = None;
                self.objectives.clear();
                self.mode = None;
                self.environment = None;
                self.errors = Some(e.clone());
                self.warnings = None;
                self.loaded = None;
            }
        }
    }
}

fn file_title(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| p.display().to_string())
}

/// The scenarios in the library folder, sorted by file name.
#[derive(Resource, Clone, Default)]
pub struct Library {
    pub entries: Vec<LibraryEntry>,
    /// The library folder as shown.
    pub folder: PathBuf,
    /// Set if the folder cannot be read.
    pub folder_error: Option<String>,
    /// Handle of `Launch.scenario` (also when it lives outside the library).
    launch: Option<(Handle<ScenarioFile>, PathBuf)>,
    /// Whether `Launch.scenario` has been started (it opens the briefing once).
    launched: bool,
}

impl Library {
    pub fn find(&self, path: &Path) -> Option<&LibraryEntry> {
        let abs = absolute(
            &std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            path,
        );
        self.entries
            .iter()
            .find(|e| e.path == path || e.file == abs)
    }

    /// Every entry that can be played.
    pub fn playable(&self) -> impl Iterator<Item = &LibraryEntry> {
        self.entries.iter().filter(|e| e.loaded.is_some())
    }
}

/// The handle of the file behind [`ActiveScenario`] (kept alive so hot reload sees it).
#[derive(Resource, Clone, Default)]
struct ActiveFile {
    handle: Option<Handle<ScenarioFile>>,
    /// Absolute path of the active file.
    file: PathBuf,
}

/// The scenario a record or journal was made on, found by its id and content hash in the
/// known scenario folders (the academy library, the launch scenario's folder, the bundled
/// `scenarios/`), exactly as the command line finds it. No path stored in a record or
/// journal is ever opened.
#[derive(Debug, Clone)]
pub struct RunScenario {
    pub scenario: Arc<Scenario>,
    /// The file it was found in.
    pub path: PathBuf,
    /// The file is the very version the run was made on.
    pub exact: bool,
}

impl RunScenario {
    /// Find scenario `id` whose file hashes to `hash` (else another version of `id`).
    pub fn find(
        roots: Option<&ScenarioRoots>,
        id: &str,
        hash: &str,
    ) -> Result<RunScenario, String> {
        let mut folders: Vec<PathBuf> = Vec::new();
        if let Some(r) = roots {
            folders.push(r.library.clone());
            folders.extend(r.play_dir.clone());
        }
        let mut library = crate::records::library::Library::new(&folders);
        let found = library.find(id, hash).map_err(|e| {
            if !e.starts_with("no scenario") {
                return e; // found, but the file has errors
            }
            format!(
                "the scenario of this run (`{id}`) is in none of the scenario folders ({}); \
                 put its file into the scenario library",
                library.describe()
            )
        })?;
        Ok(RunScenario {
            exact: found.is_exact(hash),
            scenario: found.scenario,
            path: found.path,
        })
    }

    /// A warning when the scenario changed since the run was made.
    pub fn notice(&self) -> Option<String> {
        (!self.exact).then(|| {
            format!(
                "{} has changed since this run; the replay uses the current version",
                self.path.display()
            )
        })
    }
}

pub fn plugin(app: &mut App) {
    if !app.world().contains_resource::<ScenarioRoots>() {
        // The sources were not registered before `AssetPlugin` (a test, say): scenarios
        // can still come from the default source; the library falls back to `scenarios`.
        let launch = app
            .world()
            .get_resource::<Launch>()
            .cloned()
            .unwrap_or_default();
        let roots = ScenarioRoots::resolve(&launch);
        app.insert_resource(roots);
    }
    let roots = app.world().resource::<ScenarioRoots>().clone();
    app.init_asset::<ScenarioFile>()
        .register_asset_loader(ScenarioLoader { roots })
        .init_resource::<Launch>()
        .init_resource::<Library>()
        .init_resource::<ScenarioErrors>()
        .init_resource::<ReloadNotice>()
        .init_resource::<ActiveFile>()
        .add_message::<StartScenario>()
        .add_systems(Startup, (scan_library, load_launch).chain())
        .add_systems(
            Update,
            (
                rescan_library.run_if(in_state(Screen::Select)),
                track_files,
                track_launch_failure,
                start_scenario,
                follow_active,
            )
                .chain(),
        );
}

fn list_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x.eq_ignore_ascii_case("ron"))
                && p.file_name()
                    .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
                && p.is_file()
        })
        .collect();
    files.sort();
    Ok(files)
}

fn sync_library(lib: &mut Library, roots: &ScenarioRoots, server: &AssetServer) {
    lib.folder = roots.library_label.clone();
    let files = match list_files(&roots.library) {
        Ok(f) => {
            lib.folder_error = None;
            f
        }
        Err(e) => {
            lib.folder_error = Some(format!("cannot read the scenarios folder: {e}"));
            Vec::new()
        }
    };
    lib.entries.retain(|e| files.contains(&e.file));
    for file in files {
        if lib.entries.iter().any(|e| e.file == file) {
            continue;
        }
        let Some(name) = file.file_name().map(PathBuf::from) else {
            continue;
        };
        let path = roots.library_label.join(&name);
        let handle =
            server.load::<ScenarioFile>(AssetPath::from_path_buf(name).with_source(LIBRARY_SOURCE));
        lib.entries.push(LibraryEntry {
            title: file_title(&path),
            path,
            expected_minutes: None,
            objectives: Vec::new(),
            mode: None,
            environment: None,
            errors: None,
            warnings: None,
            loaded: None,
            handle,
            file,
        });
    }
    lib.entries.sort_by(|a, b| a.file.cmp(&b.file));
}

fn scan_library(mut lib: ResMut<Library>, roots: Res<ScenarioRoots>, server: Res<AssetServer>) {
    sync_library(&mut lib, &roots, &server);
}

fn rescan_library(
    mut lib: ResMut<Library>,
    roots: Res<ScenarioRoots>,
    server: Res<AssetServer>,
    time: Res<Time<Real>>,
    mut since: Local<f32>,
    files: Res<Assets<ScenarioFile>>,
) {
    *since += time.delta_secs();
    if *since < RESCAN_SECS {
        return;
    }
    *since = 0.0;
    let before = lib.entries.len();
    sync_library(&mut lib, &roots, &server);
    if lib.entries.len() != before {
        // Newly found files that were already loaded (a file put back) need their info.
        for e in &mut lib.entries {
            if let Some(f) = files.get(&e.handle) {
                e.refresh(f);
            }
        }
    }
}

fn load_launch(mut lib: ResMut<Library>, roots: Res<ScenarioRoots>, server: Res<AssetServer>) {
    if let (Some(asset), Some(label)) = (&roots.launch, &roots.launch_label) {
        let handle = server.load::<ScenarioFile>(asset.clone());
        lib.launch = Some((handle, label.clone()));
    }
}

/// Keep library entries up to date as files load or change.
fn track_files(
    mut events: MessageReader<AssetEvent<ScenarioFile>>,
    files: Res<Assets<ScenarioFile>>,
    mut lib: ResMut<Library>,
) {
    for ev in events.read() {
        let id = match ev {
            AssetEvent::Added { id }
            | AssetEvent::Modified { id }
            | AssetEvent::LoadedWithDependencies { id } => *id,
            _ => continue,
        };
        let Some(file) = files.get(id) else { continue };
        for e in lib.entries.iter_mut().filter(|e| e.handle.id() == id) {
            e.refresh(file);
        }
    }
}

/// A launch file that cannot even be read (missing, permissions) fails to load: show why.
fn track_launch_failure(
    lib: Res<Library>,
    server: Res<AssetServer>,
    mut errors: ResMut<ScenarioErrors>,
    mut reported: Local<bool>,
) {
    if lib.launched || *reported {
        return;
    }
    let Some((handle, label)) = &lib.launch else {
        return;
    };
    if let LoadState::Failed(err) = server.load_state(handle.id()) {
        *reported = true;
        let why = match std::fs::metadata(label) {
            Err(e) => e.to_string(),
            Ok(_) => err.to_string(),
        };
        errors.0 = Some(format!(
            "{}: cannot read the scenario file: {why}",
            label.display()
        ));
    }
}

/// Launch scenario and [`StartScenario`] requests: make the scenario active and open the briefing.
fn start_scenario(
    mut commands: Commands,
    mut requests: MessageReader<StartScenario>,
    mut lib: ResMut<Library>,
    files: Res<Assets<ScenarioFile>>,
    server: Res<AssetServer>,
    roots: Res<ScenarioRoots>,
    mut errors: ResMut<ScenarioErrors>,
    mut active_file: ResMut<ActiveFile>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut pick: Option<PendingStart> = None;
    let mut asked = false;
    for StartScenario(path) in requests.read() {
        asked = true;
        match requested(&lib, &roots, &server, &cwd, path) {
            Ok(start) => pick = Some(start),
            Err(why) => errors.0 = Some(why),
        }
    }
    if asked {
        // A scenario chosen on the select screen supersedes the launch scenario.
        lib.launched = true;
    }
    // The launch scenario opens the briefing once, as soon as it has loaded without errors
    // (while it has errors, `follow_active` shows them).
    if pick.is_none()
        && !lib.launched
        && *screen.get() == Screen::Select
        && let Some((h, label)) = &lib.launch
        && files.get(h.id()).is_some_and(|f| f.content.is_ok())
    {
        let (handle, path, file) = (h.clone(), label.clone(), absolute(&cwd, label));
        pick = Some(PendingStart { handle, path, file });
        lib.launched = true;
    }
    let Some(start) = pick else {
        return;
    };
    match files.get(start.handle.id()).map(|f| &f.content) {
        Some(Ok(l)) => begin(
            &mut commands,
            l,
            start,
            &mut active_file,
            &mut errors,
            &mut next,
        ),
        Some(Err(e)) => errors.0 = Some(e.clone()),
        // Not loaded yet: start it when it arrives.
        None => commands.insert_resource(start),
    }
}

/// The scenario a request names: a library entry, a file in the library folder, or the
/// launch file; anything else is refused with the reason.
fn requested(
    lib: &Library,
    roots: &ScenarioRoots,
    server: &AssetServer,
    cwd: &Path,
    path: &Path,
) -> Result<PendingStart, String> {
    let abs = absolute(cwd, path);
    if let Some(e) = lib.entries.iter().find(|e| e.file == abs || e.path == path) {
        let (handle, path, file) = (e.handle.clone(), e.path.clone(), e.file.clone());
        return Ok(PendingStart { handle, path, file });
    }
    if let Ok(rel) = abs.strip_prefix(&roots.library) {
        let handle = server.load::<ScenarioFile>(
            AssetPath::from_path_buf(rel.to_path_buf()).with_source(LIBRARY_SOURCE),
        );
        let path = path.to_path_buf();
        return Ok(PendingStart {
            handle,
            path,
            file: abs,
        });
    }
    if let Some((h, label)) = lib.launch.as_ref().filter(|(_, l)| absolute(cwd, l) == abs) {
        let (handle, path) = (h.clone(), label.clone());
        return Ok(PendingStart {
            handle,
            path,
            file: abs,
        });
    }
    Err(format!(
        "{}: only scenarios in the {} folder can be opened from here",
        path.display(),
        roots.library_label.display()
    ))
}

/// Make a loaded scenario active and open its briefing.
fn begin(
    commands: &mut Commands,
    l: &LoadedScenario,
    start: PendingStart,
    active_file: &mut ActiveFile,
    errors: &mut ScenarioErrors,
    next: &mut NextState<Screen>,
) {
    commands.insert_resource(ActiveScenario {
        scenario: Arc::clone(&l.scenario),
        path: start.path,
        hash: l.hash.clone(),
    });
    // Keep the handle alive and remember which file is active (hot reload follows it).
    active_file.handle = Some(start.handle);
    active_file.file = start.file;
    errors.0 = None;
    next.set(Screen::Briefing);
}

/// A start request: the file's handle, the path it was asked by, and the file itself. As a
/// resource: a request for a file that was still loading.
#[derive(Resource, Clone)]
struct PendingStart {
    handle: Handle<ScenarioFile>,
    path: PathBuf,
    file: PathBuf,
}

/// Hot reload: follow the active file. A valid new version replaces [`ActiveScenario`]
/// (used by the next run); one with errors is shown and the old version kept.
fn follow_active(
    mut commands: Commands,
    mut events: MessageReader<AssetEvent<ScenarioFile>>,
    files: Res<Assets<ScenarioFile>>,
    active: Option<ResMut<ActiveScenario>>,
    mut active_file: ResMut<ActiveFile>,
    pending: Option<Res<PendingStart>>,
    mut errors: ResMut<ScenarioErrors>,
    notice: ResMut<ReloadNotice>,
    time: Res<Time<Real>>,
    mut next: ResMut<NextState<Screen>>,
    lib: Res<Library>,
) {
    let changed: Vec<AssetId<ScenarioFile>> = events
        .read()
        .filter_map(|ev| match ev {
            AssetEvent::Added { id }
            | AssetEvent::Modified { id }
            | AssetEvent::LoadedWithDependencies { id } => Some(*id),
            _ => None,
        })
        .collect();
    if let Some(p) = pending {
        if let Some(file) = files.get(p.handle.id()) {
            match &file.content {
                Ok(l) => begin(
                    &mut commands,
                    l,
                    p.clone(),
                    &mut active_file,
                    &mut errors,
                    &mut next,
                ),
                Err(e) => errors.0 = Some(e.clone()),
            }
            commands.remove_resource::<PendingStart>();
        }
        return;
    }
    let Some(handle) = &active_file.handle else {
        // No scenario is active yet: a launch file with errors shows them until it is fixed.
        if !lib.launched
            && let Some((h, _)) = &lib.launch
            && let Some(Err(e)) = files.get(h.id()).map(|f| &f.content)
        {
            show_errors(&mut errors, e);
        }
        return;
    };
    if !changed.contains(&handle.id()) {
        return;
    }
    let Some(file) = files.get(handle.id()) else {
        return;
    };
    match &file.content {
        Err(e) => show_errors(&mut errors, e),
        Ok(l) => {
            if errors.0.is_some() {
                errors.0 = None;
            }
            if let Some(active) = active {
                reloaded(active, l, &file.label, notice, time.elapsed_secs_f64());
            }
        }
    }
}

/// Show a file's errors (unless they are shown already).
fn show_errors(errors: &mut ScenarioErrors, e: &str) {
    if errors.0.as_deref() != Some(e) {
        errors.0 = Some(e.to_string());
    }
}

/// A changed, valid version of the active file replaces the scenario and says so.
fn reloaded(
    mut active: ResMut<ActiveScenario>,
    l: &LoadedScenario,
    label: &str,
    mut notice: ResMut<ReloadNotice>,
    now: f64,
) {
    if active.hash == l.hash {
        return;
    }
    active.scenario = Arc::clone(&l.scenario);
    active.hash = l.hash.clone();
    let generation = notice.0.as_ref().map_or(1, |n| n.generation + 1);
    notice.0 = Some(Notice {
        text: format!(
            "Scenario reloaded: {} (used from the next run)",
            l.scenario.title
        ),
        at: now,
        generation,
    });
    info!("scenario reloaded from {label}");
}
