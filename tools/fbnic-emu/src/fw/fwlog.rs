// SPDX-License-Identifier: GPL-2.0

//! The firmware's own log, as fbnic_fw.c and fbnic_fw_log.c receive it.
//!
//! The firmware notes what it does (boot, ownership, flash updates, log
//! forwarding) in a history of its last [`HISTORY`] lines, each with a
//! sequence number and its uptime in milliseconds. Once the host enables
//! forwarding (`LOG_SEND_LOGS_REQ` with `SEND_LOGS`), every new line also
//! goes to the host as a `LOG_MSG_REQ`; with `HISTORY` the lines kept so
//! far go first, up to [`log_msg::MAX_LOG_HISTORY`] lines a message: one
//! in the plain attributes, the rest in the three parallel arrays.

use std::collections::VecDeque;

use fbnic_hw::tlv::{log_msg, msg};

use super::messages::{build, MsgError};

/// Lines the firmware keeps for the history.
pub const HISTORY: usize = 64;

/// One log line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub index: u64,
    /// Uptime in milliseconds; the protocol's field is 32 bits and wraps.
    pub msec: u32,
    pub text: String,
}

/// The log and whether the host wants it.
#[derive(Debug, Default)]
pub struct FwLog {
    lines: VecDeque<Line>,
    last_index: u64,
    /// Forwarding to the host is on.
    pub enabled: bool,
}

impl FwLog {
    /// Notes `text` at uptime `ms`; returns the message to send if the
    /// host gets the log.
    pub fn note(&mut self, ms: u64, text: String) -> Result<Option<Vec<u8>>, MsgError> {
        self.last_index += 1;
        let line = Line {
            index: self.last_index,
            msec: ms as u32,
            text,
        };
        log::debug!("firmware log [{}] {}", line.index, line.text);
        if self.lines.len() == HISTORY {
            self.lines.pop_front();
        }
        self.lines.push_back(line.clone());
        if self.enabled {
            Ok(Some(lines_message(std::slice::from_ref(&line))?))
        } else {
            Ok(None)
        }
    }

    /// Turns forwarding on; with `history`, returns the kept lines as
    /// messages to send, oldest first.
    pub fn enable(&mut self, history: bool) -> Result<Vec<Vec<u8>>, MsgError> {
        self.enabled = true;
        if !history {
            return Ok(Vec::new());
        }
        let lines: Vec<Line> = self.lines.iter().cloned().collect();
        lines
            .chunks(log_msg::MAX_LOG_HISTORY as usize)
            .map(lines_message)
            .collect()
    }

    /// The lines kept, oldest first.
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter()
    }
}

/// A `LOG_MSG_REQ` with `lines` (1 to 14): the first in the plain
/// attributes, the others in the arrays.
fn lines_message(lines: &[Line]) -> Result<Vec<u8>, MsgError> {
    let (first, rest) = lines
        .split_first()
        .ok_or_else(|| MsgError::Invalid("an empty log message".into()))?;
    build(msg::LOG_MSG_REQ, |b| {
        b.put_u32(log_msg::MSEC, first.msec)?;
        b.put_u64(log_msg::INDEX, first.index)?;
        b.put_string(log_msg::MSG, first.text.as_bytes())?;
        if rest.is_empty() {
            return Ok(());
        }
        b.put_u32(log_msg::LENGTH, rest.len() as u32)?;
        b.nested(log_msg::MSEC_ARRAY, |b| {
            rest.iter()
                .try_for_each(|l| b.put_u32(log_msg::MSEC, l.msec))
        })?;
        b.nested(log_msg::INDEX_ARRAY, |b| {
            rest.iter()
                .try_for_each(|l| b.put_u64(log_msg::INDEX, l.index))
        })?;
        b.nested(log_msg::MSG_ARRAY, |b| {
            rest.iter()
                .try_for_each(|l| b.put_string(log_msg::MSG, l.text.as_bytes()))
        })
    })
}
