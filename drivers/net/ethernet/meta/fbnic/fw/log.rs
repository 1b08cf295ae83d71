// SPDX-License-Identifier: GPL-2.0

//! The firmware log (`fbnic_fw_log.c`): lines the firmware sends once the
//! host asks for them (`LOG_SEND_LOGS_REQ`), kept in 512 KiB, oldest lines
//! first to go, and shown in debugfs as `fbnic/<PCI name>/fw_log`.
//!
//! A `LOG_MSG_REQ` carries one line in its plain attributes and `LENGTH`
//! more (below 14) in three parallel arrays of timestamps, indexes and
//! texts. A message with a line missing a part, or arrays of another
//! length, is dropped whole, as the C driver does. The driver adds lines of
//! its own for the faults its health reporters see, with index 0.

#![forbid(unsafe_code)]

use core::mem::size_of;
use kernel::{
    device,
    prelude::*,
    seq_file::SeqFile,
    seq_print, //
};

use super::{
    health::{
        ratelimit,
        Verdict, //
    },
    Mailbox, //
};
use crate::{
    hw::{
        flash::{
            LogLine,
            LOG_SIZE, //
        },
        tlv::{
            cap_resp::{
                FwVersion,
                MIN_FW_VER_CODE_HIST,
                MIN_FW_VER_CODE_LOG, //
            },
            log_msg,
            msg,
            send_logs,
            Attr,
            Attrs,
            Message, //
        },
    },
    regs::Regs,
};

/// One line.
struct Entry {
    index: u64,
    msec: u32,
    text: KVec<u8>,
}

impl Entry {
    /// What the line takes of the log's room.
    fn cost(&self) -> usize {
        size_of::<Self>() + self.text.len() + 1
    }
}

/// The lines kept, oldest first.
pub(super) struct FwLog {
    entries: KVec<Entry>,
    bytes: usize,
}

impl FwLog {
    pub(super) const fn new() -> Self {
        Self {
            entries: KVec::new(),
            bytes: 0,
        }
    }

    /// Adds a line, dropping the oldest ones to make room.
    fn write(&mut self, index: u64, msec: u32, text: &[u8]) -> Result {
        let mut copy = KVec::with_capacity(text.len(), GFP_KERNEL)?;
        copy.extend_from_slice(text, GFP_KERNEL)?;
        let entry = Entry {
            index,
            msec,
            text: copy,
        };
        let cost = entry.cost();
        while self.bytes + cost > LOG_SIZE {
            let Ok(old) = self.entries.remove(0) else {
                break;
            };
            self.bytes -= old.cost();
        }
        self.entries.push(entry, GFP_KERNEL)?;
        self.bytes += cost;
        Ok(())
    }

    /// Takes the lines of a `LOG_MSG_REQ` (`fbnic_fw_parse_log_req()`).
    /// A message that breaks the format counts as malformed; one the log
    /// cannot hold (memory) is used all the same.
    pub(super) fn take(&mut self, msg: &Message<'_>, dev: &device::Device) -> Verdict {
        match self.parse(msg) {
            Ok(()) => Verdict::Taken,
            Err(e) => {
                let why = if e == ENOMEM {
                    "firmware log message dropped: out of memory"
                } else {
                    "malformed firmware log message dropped: bad attribute or array lengths"
                };
                if ratelimit() {
                    dev_warn!(dev, "{}\n", why);
                }
                if e == ENOMEM {
                    Verdict::Taken
                } else {
                    Verdict::Malformed
                }
            }
        }
    }

    fn parse(&mut self, msg: &Message<'_>) -> Result {
        let attrs = msg.attrs(log_msg::REQ_SCHEMA).map_err(|_| EINVAL)?;
        let extra = attrs.u32(log_msg::LENGTH).unwrap_or(0);
        if extra >= log_msg::MAX_LOG_HISTORY {
            return Err(E2BIG);
        }
        // CAST: below 14.
        let lines = extra as usize + 1;

        let msecs = column(&attrs, log_msg::MSEC, log_msg::MSEC_ARRAY, lines)?;
        let indexes = column(&attrs, log_msg::INDEX, log_msg::INDEX_ARRAY, lines)?;
        let texts = column(&attrs, log_msg::MSG, log_msg::MSG_ARRAY, lines)?;

        for ((msec, index), text) in msecs.iter().zip(indexes.iter()).zip(texts.iter()) {
            let msec = msec.u32().ok_or(EINVAL)?;
            let index = index.u64().ok_or(EINVAL)?;
            let text = text.cstr().ok_or(EINVAL)?;
            self.write(index, msec, text)?;
        }
        Ok(())
    }

    /// Shows the lines, oldest first (`fbnic_dbg_fw_log_show()`).
    fn show(&self, m: &SeqFile) {
        for e in self.entries.iter() {
            let text = core::str::from_utf8(&e.text).unwrap_or("(not UTF-8)");
            let line = LogLine {
                index: e.index,
                msec: e.msec,
                text,
            };
            seq_print!(m, "{}", format_args!("{line}"));
        }
    }
}

/// One part of the `lines` lines of a message: the plain attribute `plain`,
/// then the elements of array `array`, which must hold the rest.
fn column<'a>(attrs: &Attrs<'a>, plain: u16, array: u16, lines: usize) -> Result<KVec<Attr<'a>>> {
    let mut out = KVec::with_capacity(lines, GFP_KERNEL)?;
    out.push(attrs.get(plain).ok_or(EINVAL)?, GFP_KERNEL)?;
    if lines > 1 {
        let items = attrs
            .array(array, plain, log_msg::REQ_SCHEMA)
            .map_err(|_| EINVAL)?
            .ok_or(EINVAL)?;
        if items.len() != lines - 1 {
            return Err(EINVAL);
        }
        for item in items.iter() {
            out.push(item, GFP_KERNEL)?;
        }
    }
    Ok(out)
}

impl Mailbox {
    /// Asks the firmware to send its log, with the lines it kept from
    /// before if `history` and the firmware is new enough to do that
    /// safely (`fbnic_fw_log_enable()`). Firmware too old for logs is
    /// left alone, with a warning.
    pub(crate) fn enable_log(&self, regs: &Regs, dev: &device::Device, history: bool) {
        let Some(version) = self.caps().map(|c| c.running.version()) else {
            return;
        };
        let history = history && version >= MIN_FW_VER_CODE_HIST;
        if let Err(e) = self.send_logs(regs, dev, version, true, history) {
            dev_warn!(dev, "Unable to enable firmware logs: {:?}\n", e);
        }
    }

    /// Asks the firmware to stop sending its log (`fbnic_fw_log_disable()`).
    pub(crate) fn disable_log(&self, regs: &Regs, dev: &device::Device) {
        let Some(version) = self.caps().map(|c| c.running.version()) else {
            return;
        };
        if let Err(e) = self.send_logs(regs, dev, version, false, false) {
            dev_warn!(dev, "Unable to disable firmware logs: {:?}\n", e);
        }
    }

    fn send_logs(
        &self,
        regs: &Regs,
        dev: &device::Device,
        version: FwVersion,
        enable: bool,
        history: bool,
    ) -> Result {
        if version < MIN_FW_VER_CODE_LOG {
            dev_warn!(
                dev,
                "Firmware version is too old to support firmware logs!\n"
            );
            return Ok(());
        }
        self.send(regs, msg::LOG_SEND_LOGS_REQ, |b| {
            if enable {
                b.put_flag(send_logs::SEND_LOGS)?;
                b.put_u32(send_logs::VERSION, send_logs::LOG_VERSION)?;
                if history {
                    b.put_flag(send_logs::HISTORY)?;
                }
            }
            Ok(())
        })
    }

    /// Adds a line of the driver's own, stamped with the firmware's time at
    /// its last heartbeat (`fbnic_devlink_fw_report()`).
    pub(crate) fn log_note(&self, text: &CStr) {
        let mut st = self.state.lock();
        // CAST: the log's timestamps are 32 bits of milliseconds, as C's.
        let msec = st.replies.heartbeat.fw_time as u32;
        let _ = st.replies.log.write(0, msec, text.to_bytes());
    }

    /// Shows the log (the debugfs file `fw_log`).
    pub(crate) fn show_log(&self, m: &SeqFile) {
        self.state.lock().replies.log.show(m);
    }
}
