//! Render tests: the real program, on a virtual X display, plays a scenario from a
//! transcript and saves screenshots of the briefing, the run and the debrief; and it tours
//! every screen (recovery panel, scenario list, settings, error overlay, briefing, pause
//! menu, debrief, replay, back to the debrief) at the smallest and the largest text scale.
//! The images must exist and show something (not a blank or single-colour frame); set
//! `DEESCALATE_KEEP_SCREENSHOTS=1` to keep them (the path is printed) and look at them.
//!
//! Needs `Xvfb` (the CI script installs it) and a Vulkan driver (Mesa's lavapipe works; it
//! is slow, hence the generous timeout). Without `Xvfb` on PATH the test says why and
//! passes without running.
#![cfg(feature = "game")]

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(240);

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

/// Kills (and reaps) a child process when dropped, so a failing assertion leaves nothing behind.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let p =
            std::env::temp_dir().join(format!("deescalate-render-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        if std::env::var_os("DEESCALATE_KEEP_SCREENSHOTS").is_some() {
            eprintln!("screenshots are kept in {}", p.display());
        }
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("DEESCALATE_KEEP_SCREENSHOTS").is_none() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A display number nobody is using. A lock file left by an X server that was killed (its
/// process gone) does not count: its lock and socket are removed, as Xvfb itself would.
fn free_display() -> Option<u32> {
    let n = (90..160).find(|n| !display_held(*n))?;
    let _ = std::fs::remove_file(format!("/tmp/.X{n}-lock"));
    let _ = std::fs::remove_file(format!("/tmp/.X11-unix/X{n}"));
    Some(n)
}

/// Whether a running X server holds display `n`: its lock names a live process, or (no lock
/// to read) its socket exists.
fn display_held(n: u32) -> bool {
    match std::fs::read_to_string(format!("/tmp/.X{n}-lock")) {
        Ok(pid) => Path::new(&format!("/proc/{}", pid.trim())).exists(),
        Err(_) => Path::new(&format!("/tmp/.X11-unix/X{n}")).exists(),
    }
}

/// The autoplay script: the scenario's textbook transcript (it walks up to a spot with a
/// clear view of the subject), else its first transcript.
fn transcript(stem: &str, preferred: &str) -> PathBuf {
    let dir = Path::new("tests/transcripts").join(stem);
    let best = dir.join(preferred);
    if best.is_file() {
        return best;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.into_iter().next().unwrap_or(best)
}

struct Stats {
    width: u32,
    height: u32,
    mean: f64,
    stddev: f64,
    dark: f64,
    light: f64,
}

/// Luminance statistics of a PNG (8-bit RGB or RGBA).
fn stats(path: &Path) -> Stats {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(BufReader::new(file))
        .read_info()
        .unwrap_or_else(|e| panic!("{}: not a PNG: {e}", path.display()));
    let mut buf = vec![0; reader.output_buffer_size().expect("image size")];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("{}: unexpected colour type {other:?}", path.display()),
    };
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let (mut sum, mut sq, mut dark, mut light, mut n) = (0.0f64, 0.0f64, 0usize, 0usize, 0usize);
    for row in buf.chunks(info.line_size).take(info.height as usize) {
        for px in row.chunks(channels).take(info.width as usize) {
            let l = 0.2126 * px[0] as f64 + 0.7152 * px[1] as f64 + 0.0722 * px[2] as f64;
            sum += l;
            sq += l * l;
            dark += (l < 60.0) as usize;
            light += (l > 150.0) as usize;
            n += 1;
        }
    }
    let n = n.max(1) as f64;
    let mean = sum / n;
    Stats {
        width: info.width,
        height: info.height,
        mean,
        stddev: (sq / n - mean * mean).max(0.0).sqrt(),
        dark: dark as f64 / n,
        light: light as f64 / n,
    }
}

/// One test at a time: each runs the whole program on a software renderer.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A virtual X display of our own, or `None` (the test is skipped) without `Xvfb`.
fn start_display() -> Option<(KillOnDrop, u32)> {
    let Some(xvfb) = on_path("Xvfb") else {
        eprintln!(
            "render test skipped: Xvfb is not on PATH (install the `xvfb` package; .ci/run does)"
        );
        return None;
    };
    let Some(display) = free_display() else {
        panic!("no free X display number between :90 and :159");
    };
    let x = KillOnDrop(
        Command::new(&xvfb)
            .arg(format!(":{display}"))
            .args(["-screen", "0", "1280x720x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    );
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{display}"));
    let started = Instant::now();
    while !socket.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "Xvfb did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some((x, display))
}

/// Run the trainer with `args` on `display` until it exits; fail with the log's tail if it
/// fails or takes longer than [`TIMEOUT`].
fn run_trainer(tmp: &TempDir, display: u32, args: &[&std::ffi::OsStr], env: &[(&str, &Path)]) {
    let xdg = tmp.0.join("xdg");
    std::fs::create_dir_all(&xdg).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&xdg, std::fs::Permissions::from_mode(0o700));
    }
    let log_path = tmp.0.join("game.log");
    let log = File::create(&log_path).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deescalate"));
    cmd.args(args)
        .env("DISPLAY", format!(":{display}"))
        .env("XDG_RUNTIME_DIR", &xdg)
        // The settings the trainer saves go here, not into the user's own.
        .env("XDG_CONFIG_HOME", tmp.0.join("config"))
        .env_remove("WAYLAND_DISPLAY")
        .env("RUST_LOG", "info,wgpu=error,naga=warn")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut game = KillOnDrop(cmd.spawn().expect("start the game"));
    let started = Instant::now();
    let tail = |n: usize| {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().rev().take(n).collect();
        lines.into_iter().rev().collect::<Vec<_>>().join("\n")
    };
    let status = loop {
        if let Some(status) = game.0.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            panic!(
                "the game did not finish within {} s; last log lines:\n{}",
                TIMEOUT.as_secs(),
                tail(40)
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(
        status.success(),
        "the game exited with {status}; log:\n{}",
        tail(60)
    );
    eprintln!("game finished in {:.1} s", started.elapsed().as_secs_f32());
}

/// The picture exists, is window-sized and is not blank.
fn looks_drawn(path: &Path) -> Stats {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(path.is_file(), "{name} was not saved");
    let s = stats(path);
    eprintln!(
        "{name}: {}x{}, mean {:.1}, stddev {:.1}, dark {:.1}%, light {:.1}%",
        s.width,
        s.height,
        s.mean,
        s.stddev,
        s.dark * 100.0,
        s.light * 100.0
    );
    assert!(s.width >= 640 && s.height >= 360, "{name} is too small");
    assert!(
        s.stddev > 12.0,
        "{name} looks blank (luminance stddev {:.1})",
        s.stddev
    );
    s
}

#[test]
fn autoplay_screenshots_show_the_briefing_the_run_and_the_debrief() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let scenario = Path::new("scenarios/knife_sidewalk.ron");
    assert!(scenario.exists(), "{} is missing", scenario.display());
    let script = transcript("knife_sidewalk", "knife_down_care.txt");
    assert!(script.exists(), "no autoplay script: {}", script.display());
    let Some((_x, display)) = start_display() else {
        return;
    };
    let tmp = TempDir::new();
    let shots = tmp.0.join("shots");
    let records = tmp.0.join("records");
    run_trainer(
        &tmp,
        display,
        &[
            "play".as_ref(),
            scenario.as_os_str(),
            "--autoplay".as_ref(),
            script.as_os_str(),
            "--screenshots".as_ref(),
            shots.as_os_str(),
            "--records".as_ref(),
            records.as_os_str(),
        ],
        &[],
    );
    for name in ["briefing.png", "debrief.png"] {
        looks_drawn(&shots.join(name));
    }
    let s = looks_drawn(&shots.join("gameplay.png"));
    assert!(
        s.dark > 0.02,
        "gameplay.png has no dark regions ({:.1}%)",
        s.dark * 100.0
    );
    assert!(
        s.light > 0.005,
        "gameplay.png has no light regions ({:.1}%)",
        s.light * 100.0
    );
    // The run was recorded.
    let recorded = std::fs::read_dir(&records)
        .map(|rd| rd.filter_map(Result::ok).count())
        .unwrap_or(0);
    assert_eq!(recorded, 1, "one session record was written");
}

/// A records folder with one finished run and `journals` interrupted ones of knife_sidewalk
/// by the same trainee (made with `deescalate run`, the journals cut from its inputs).
fn records_with_interrupted_runs(dir: &Path, journals: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let record = dir.join("finished.json");
    let out = Command::new(env!("CARGO_BIN_EXE_deescalate"))
        .args(["run", "scenarios/knife_sidewalk.ron", "--script"])
        .arg(transcript("knife_sidewalk", "knife_down_care.txt"))
        .args(["-q", "--trainee", "Trainee", "--record"])
        .arg(&record)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
    for n in 0..journals {
        let mut text = serde_json::json!({
            "journal": "deescalate-journal", "version": 1, "trainee": format!("Recruit {}", n + 1),
            "scenario_id": v["scenario_id"], "scenario_hash": v["scenario_hash"],
            "seed": v["seed"], "started_unix": 1_760_000_000 + n as u64
        })
        .to_string();
        text.push('\n');
        for e in v["inputs"]["entries"].as_array().unwrap().iter().take(12) {
            text.push_str(&e.to_string());
            text.push('\n');
        }
        let j = dir.join(format!("interrupted-{n}.journal"));
        std::fs::write(&j, text).unwrap();
        // Not written to for an hour: its writer is gone.
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&j)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
}

#[test]
fn every_screen_at_the_smallest_and_the_largest_text_scale() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some((_x, display)) = start_display() else {
        return;
    };
    let tmp = TempDir::new();
    let shots = tmp.0.join("tour");
    let records = tmp.0.join("records");
    records_with_interrupted_runs(&records, 2);
    // `deescalate --records DIR`, no command: the trainer on that records folder.
    run_trainer(
        &tmp,
        display,
        &["--records".as_ref(), records.as_os_str()],
        &[("DEESCALATE_SCREEN_TOUR", shots.as_path())],
    );
    for pct in [80, 160] {
        // Esc in the replay came back to the same debrief it was opened from.
        let (first, again) = (
            stats(&shots.join(format!("debrief-{pct}.png"))),
            stats(&shots.join(format!("debrief-again-{pct}.png"))),
        );
        assert!(
            (first.mean - again.mean).abs() < 1.0 && (first.stddev - again.stddev).abs() < 1.0,
            "after the replay at {pct} % the screen is not the debrief it came from"
        );
        for screen in [
            "recovery",
            "select",
            "settings",
            "overlay",
            "briefing",
            "pause",
            "debrief",
            "replay",
            "debrief-again",
        ] {
            looks_drawn(&shots.join(format!("{screen}-{pct}.png")));
        }
    }
    // Both interrupted runs were recovered from the folder given with --records.
    let journals = std::fs::read_dir(&records)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "journal"))
        .count();
    assert_eq!(journals, 0, "both interrupted runs were recovered");
}
