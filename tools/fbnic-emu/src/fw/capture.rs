// SPDX-License-Identifier: GPL-2.0

//! Recording of the mailbox traffic, for the fuzzers' seed corpus
//! (`tests/fuzz`, Documentation/fuzzing.md).
//!
//! With `FBNIC_EMU_MBX_CAPTURE=<dir>` in its environment the emulator
//! writes every message it reads from a request descriptor and every
//! message it delivers into a posted buffer to a file of its own in
//! `<dir>`, named `<pid>-<seq>-<direction>-<msg id>.bin` (direction `h2f`
//! for host to firmware, `f2h` for firmware to host). The bytes are the
//! buffer as it crossed the mailbox: a request is the descriptor's whole
//! `LEN`, a delivered message exactly its own length. Without the variable
//! nothing is recorded; a write that fails is logged once and recording
//! stops.

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;

use log::warn;

/// The environment variable naming the capture directory.
pub const ENV: &str = "FBNIC_EMU_MBX_CAPTURE";

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// A request the host posted.
    HostToFw,
    /// A message the firmware delivered to the host.
    FwToHost,
}

impl Direction {
    fn tag(self) -> &'static str {
        match self {
            Direction::HostToFw => "h2f",
            Direction::FwToHost => "f2h",
        }
    }
}

static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
static SEQ: AtomicU64 = AtomicU64::new(0);
static FAILED: AtomicBool = AtomicBool::new(false);

fn dir() -> Option<&'static PathBuf> {
    DIR.get_or_init(|| {
        let dir = PathBuf::from(std::env::var_os(ENV)?);
        match fs::create_dir_all(&dir) {
            Ok(()) => Some(dir),
            Err(e) => {
                warn!("{ENV}={}: {e}: not recording the mailbox", dir.display());
                None
            }
        }
    })
    .as_ref()
}

/// The file name of message `seq` going `dir` whose first dword is `bytes`'
/// (the message ID is its low 12 bits; 0 if the buffer is shorter).
fn file_name(pid: u32, seq: u64, dir: Direction, bytes: &[u8]) -> String {
    let id = bytes
        .first_chunk::<4>()
        .map_or(0, |h| u32::from_le_bytes(*h) & 0xfff);
    format!("{pid}-{seq:06}-{}-{id:03x}.bin", dir.tag())
}

/// Records one message if capturing is on.
pub fn record(direction: Direction, bytes: &[u8]) {
    let Some(dir) = dir() else {
        return;
    };
    if FAILED.load(Ordering::Relaxed) {
        return;
    }
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let path = dir.join(file_name(std::process::id(), seq, direction, bytes));
    if let Err(e) = fs::write(&path, bytes) {
        if !FAILED.swap(true, Ordering::Relaxed) {
            warn!("{}: {e}: mailbox recording stops", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_direction_and_message_id() {
        let hdr = 0x0003_8011u32.to_le_bytes();
        assert_eq!(
            file_name(7, 42, Direction::HostToFw, &hdr),
            "7-000042-h2f-011.bin"
        );
        assert_eq!(
            file_name(7, 43, Direction::FwToHost, &[1, 2]),
            "7-000043-f2h-000.bin"
        );
    }
}
