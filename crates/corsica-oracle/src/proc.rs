//! Child processes in their own process group, stopped by that group's id (never by name).

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// A running child that leads its own process group.
pub struct Proc {
    child: Child,
    /// What it is, for messages.
    pub name: String,
    /// The process id (and process-group id).
    pub pid: u32,
    stopped: bool,
}

impl Proc {
    /// Spawns `cmd` as the leader of a new process group.
    pub fn spawn(name: &str, mut cmd: Command) -> std::io::Result<Self> {
        cmd.process_group(0);
        let child = cmd.spawn().map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot start {name} ({:?}): {e}", cmd.get_program()),
            )
        })?;
        let pid = child.id();
        Ok(Self {
            child,
            name: name.to_owned(),
            pid,
            stopped: false,
        })
    }

    /// Takes the child's stdout (if piped).
    pub fn take_stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout.take()
    }

    /// Takes the child's stderr (if piped).
    pub fn take_stderr(&mut self) -> Option<std::process::ChildStderr> {
        self.child.stderr.take()
    }

    /// Whether the group leader is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends a signal to the whole group.
    pub fn signal(&self, sig: Signal) {
        let _ = killpg(Pid::from_raw(self.pid as i32), sig);
    }

    /// Stops the group: `first` (SIGTERM or SIGINT), then SIGKILL after `grace`.
    pub fn stop_with(&mut self, first: Signal, grace: Duration) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        self.signal(first);
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if !self.alive() {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        // Children of the leader may outlive it: kill what is left of the group.
        self.signal(Signal::SIGKILL);
        let _ = self.child.wait();
    }

    /// Stops the group with SIGTERM, then SIGKILL.
    pub fn stop(&mut self) {
        self.stop_with(Signal::SIGTERM, Duration::from_secs(3));
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop_with(Signal::SIGKILL, Duration::from_millis(500));
    }
}

/// Forwards every line of `r` (lossy UTF-8) to `tx`, tagged with `tag`, until end of stream.
pub fn forward_lines<R: Read + Send + 'static>(
    r: R,
    tag: &'static str,
    tx: Sender<(&'static str, String)>,
) {
    let _ = thread::Builder::new()
        .name(format!("oracle-{tag}"))
        .spawn(move || {
            let mut reader = BufReader::new(r);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                            buf.pop();
                        }
                        if tx
                            .send((tag, String::from_utf8_lossy(&buf).into_owned()))
                            .is_err()
                        {
                            break;
                        }
                    }
                }
            }
        });
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir {
    /// Its path.
    pub path: PathBuf,
}

impl TempDir {
    /// Creates `corsica-oracle-<pid>-<n>-<what>`.
    pub fn new(what: &str) -> std::io::Result<Self> {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("corsica-oracle-{}-{n}-{what}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        Ok(Self { path })
    }

    /// A path inside it.
    pub fn join(&self, p: impl AsRef<Path>) -> PathBuf {
        self.path.join(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("CORSICA_ORACLE_KEEP_TMP").is_none() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
