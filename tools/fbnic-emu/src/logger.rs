// SPDX-License-Identifier: GPL-2.0

//! A minimal stderr logger for the `log` facade.
//!
//! Each line carries the time since start and the thread name, which is the
//! port (`port0`, `port1`, ...) for everything a port's vfio-user thread and
//! the `vfio_user` crate log on its behalf.

use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

use log::{LevelFilter, Log, Metadata, Record};

struct StderrLogger {
    start: Instant,
}

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let t = self.start.elapsed();
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("-");
        // One write per line so that lines from different ports do not mix;
        // a failing stderr has nowhere to be reported.
        let line = format!(
            "[{:5}.{:03}] fbnic-emu {name} {}: {}\n",
            t.as_secs(),
            t.subsec_millis(),
            record.level(),
            record.args()
        );
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    fn flush(&self) {}
}

static LOGGER: OnceLock<StderrLogger> = OnceLock::new();

/// Installs the logger: info by default, debug at verbosity 1, trace above.
pub fn init(verbosity: u8) {
    let level = match verbosity {
        0 => LevelFilter::Info,
        1 => LevelFilter::Debug,
        _ => LevelFilter::Trace,
    };
    let logger = LOGGER.get_or_init(|| StderrLogger {
        start: Instant::now(),
    });
    // Only fails if a logger is already installed, in which case that one
    // stays and only the level changes.
    let _ = log::set_logger(logger);
    log::set_max_level(level);
}
