//! The server's side of PDF rendering: the pages are drawn by a child process of the same
//! binary (`stadtlab render-slides`, `pdf::draw_pages`) under a memory limit, and the child is
//! killed when a page takes too long. A PDF of a few megabytes can hold an image that
//! inflates to gigabytes (seen: 1.1 MB of file, 1.25 GB while drawing); in the server's own
//! process that would take the memory every room needs, and hayro cannot be interrupted. One
//! deck is drawn at a time (decks wait their turn).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::pdf::record;
use super::{MAX_SECONDS_PER_PAGE, Rendered, too_large};
use crate::exhibits::ingest::Problem;

/// Address space the drawing child may use (a slide of 1920×1080 with full-size photos needs
/// a few hundred megabytes; the binary itself maps about a hundred).
pub const MAX_RENDER_BYTES: u64 = 2 << 30;
/// The hidden subcommand that draws (see `main.rs`).
pub const RENDER_COMMAND: &str = "render-slides";

static RENDERER: OnceLock<PathBuf> = OnceLock::new();
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Which program draws: the running binary unless set (tests run the server inside the test
/// program and set the `stadtlab` binary here). The first setting counts.
pub fn use_renderer(program: PathBuf) {
    let _ = RENDERER.set(program);
}

fn renderer() -> Result<PathBuf, Problem> {
    if let Some(p) = RENDERER.get() {
        return Ok(p.clone());
    }
    std::env::current_exe().map_err(cannot_start)
}

fn cannot_start(e: impl std::fmt::Display) -> Problem {
    Problem::new(
        "renderer_missing",
        format!("the slide renderer cannot be started: {e}"),
    )
}

/// The child, killed and reaped however rendering ends.
struct Drawing(Child);

impl Drop for Drawing {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(program: PathBuf) -> std::io::Result<Child> {
    let mut command = Command::new(program);
    command
        .arg(RENDER_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("STADTLAB_LOG", "off");
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: between fork and exec only setrlimit runs, which is async-signal-safe and
        // touches no memory of the parent.
        unsafe {
            command.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: MAX_RENDER_BYTES,
                    rlim_max: MAX_RENDER_BYTES,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    command.spawn()
}

/// Reads records from the child until its output ends.
fn read_records(mut out: impl Read, records: mpsc::Sender<(u8, Vec<u8>)>) {
    loop {
        let mut head = [0u8; 5];
        if out.read_exact(&mut head).is_err() {
            return;
        }
        let n = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        let mut body = vec![0u8; n];
        if out.read_exact(&mut body).is_err() || records.send((head[0], body)).is_err() {
            return;
        }
    }
}

/// Renders every page of `bytes` (a PDF) within the limits of [`super`].
pub fn render_pdf(bytes: Vec<u8>) -> Result<Rendered, Problem> {
    check_file(&bytes)?;
    // Decks wait their turn; one held up longer than this is told so.
    let waiting = Instant::now();
    let _turn = loop {
        match ONE_AT_A_TIME.try_lock() {
            Ok(turn) => break turn,
            Err(std::sync::TryLockError::Poisoned(p)) => break p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                if waiting.elapsed() > Duration::from_secs(3 * MAX_SECONDS_PER_PAGE) {
                    return Err(busy());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    };
    let started = Instant::now();
    let mut child = Drawing(spawn(renderer()?).map_err(cannot_start)?);
    let (Some(mut input), Some(output)) = (child.0.stdin.take(), child.0.stdout.take()) else {
        return Err(cannot_start("no pipes to it"));
    };
    // The file goes in on a thread of its own: the child may answer before it read it all.
    std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let (records_tx, records) = mpsc::channel();
    std::thread::spawn(move || read_records(output, records_tx));
    let limit = Duration::from_secs(MAX_SECONDS_PER_PAGE);
    let count = match records.recv_timeout(limit) {
        Ok((record::COUNT, body)) if body.len() == 4 => {
            u32::from_be_bytes([body[0], body[1], body[2], body[3]]) as usize
        }
        Ok((record::REFUSED, body)) => return Err(refusal(&body)),
        Ok(_) => return Err(Problem::new("invalid_pdf", "the PDF could not be read")),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            return Err(Problem::new(
                "pdf_too_slow",
                format!("the PDF could not be opened within {MAX_SECONDS_PER_PAGE} s"),
            ));
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => return Err(ended(&mut child, 0)),
    };
    let mut pages = Vec::with_capacity(count);
    for n in 1..=count {
        match records.recv_timeout(limit) {
            Ok((record::PAGE, png)) => pages.push(png),
            Ok((record::REFUSED, body)) => return Err(refusal(&body)),
            Ok(_) => return Err(ended(&mut child, n)),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(Problem::new(
                    "page_too_slow",
                    format!(
                        "page {n} took longer than {MAX_SECONDS_PER_PAGE} s to draw: simplify it (fewer or smaller pictures) or export it again"
                    ),
                ));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(ended(&mut child, n)),
        }
    }
    Ok(Rendered {
        pages,
        millis: started.elapsed().as_millis() as u64,
    })
}

/// What can be told without drawing: size, the PDF header, the end marker.
fn check_file(bytes: &[u8]) -> Result<(), Problem> {
    if let Some(p) = too_large(bytes.len()) {
        return Err(p);
    }
    if !bytes.starts_with(b"%PDF-")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err(Problem::new("invalid_pdf", "this is not a PDF file"));
    }
    // A PDF ends with its end marker: without one the upload was cut off (the renderer would
    // otherwise show whatever pages it could recover, silently losing the rest).
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(Problem::new(
            "invalid_pdf",
            "the PDF is cut off (its end is missing): upload it again",
        ));
    }
    Ok(())
}

fn refusal(body: &[u8]) -> Problem {
    let text = String::from_utf8_lossy(body);
    let (rule, message) = text.split_once('\n').unwrap_or(("invalid_pdf", &text));
    Problem::new(rule, message)
}

/// Why the child ended before `page` (0: before the page count) was drawn: out of its memory
/// (an allocation that fails aborts it), or a panic on a damaged file (exit code 101).
fn ended(child: &mut Drawing, page: usize) -> Problem {
    let which = if page == 0 {
        "the PDF".to_string()
    } else {
        format!("page {page}")
    };
    let deadline = Instant::now() + Duration::from_secs(1);
    let status = loop {
        match child.0.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => break None,
        }
    };
    if status.is_some_and(|s| s.code() == Some(101)) {
        return Problem::new(
            "invalid_pdf",
            format!("{which} could not be drawn (the file is damaged): export it again"),
        );
    }
    Problem::new(
        "page_too_complex",
        format!(
            "{which} needs more memory to draw than a slide may take ({} GB): make its pictures smaller or export it again",
            MAX_RENDER_BYTES >> 30
        ),
    )
}

fn busy() -> Problem {
    Problem::new(
        "renderer_busy",
        "other slides are being drawn right now: try again in a minute",
    )
}
