// SPDX-License-Identifier: GPL-2.0

//! Firmware that misbehaves on purpose (issue 17), from the control socket
//! (`fault PORT tlv|flood|silence|flash-crash|fw ...`):
//!
//! - **Inconsistent TLV lengths** ([`TlvFault`]): a `LOG_MSG_REQ` whose
//!   text attribute claims more bytes than its message holds, or whose
//!   nested array holds an element running past the array into the next
//!   attribute. The host's parser must reject both and go on.
//! - **A flood**: while on, the firmware keeps every posted buffer filled
//!   with unsolicited `TSENE_READ_RESP` messages (an answer no request
//!   asked for), as fast as the host gives buffers back. Real answers
//!   queue behind at most one ring of them.
//! - **Silence**: the firmware neither reads requests nor delivers
//!   messages, so heartbeats go unanswered; once it ends, the firmware
//!   takes up the rings where it stopped.
//! - **A crash in the middle of a flash**: once the next upgrade has taken
//!   `CHUNKS` chunks, the firmware dies: the messages it had queued are
//!   lost, it is silent for a while, then it comes back as after a reboot
//!   (uptime from 0, no upgrade, no owner, log forwarding off).

use std::time::{Duration, Instant};

use fbnic_hw::tlv::{log_msg, msg, tsene, Header, HDR_LEN};
use log::{info, warn};

use super::messages::{build, MsgError, UPGRADE_CHUNK};
use super::{lock, Firmware};
use crate::device::FbnicDevice;

/// Default chunks of an upgrade before a `flash-crash` fires.
pub const CRASH_AFTER_CHUNKS: u32 = 2;
/// Default time a crashed firmware stays silent before it reboots.
pub const CRASH_DOWN: Duration = Duration::from_secs(3);
/// Longest reboot time the control socket takes.
const CRASH_DOWN_MAX_SECS: u64 = 600;
/// Most malformed messages queued by one command.
const TLV_MAX: u32 = 1000;

/// A malformed message the firmware can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlvFault {
    /// An attribute whose length runs past the end of its message.
    AttrOverrun,
    /// An element of a nested array whose length runs past the array (but
    /// not past the message: it overlaps the next attribute).
    NestOverrun,
}

impl std::str::FromStr for TlvFault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "attr-overrun" => Ok(TlvFault::AttrOverrun),
            "nest-overrun" => Ok(TlvFault::NestOverrun),
            _ => Err(format!("'{s}': want attr-overrun or nest-overrun")),
        }
    }
}

/// The plan of a `flash-crash` fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrashPlan {
    /// Image chunks the firmware takes before it dies.
    pub after_chunks: u32,
    /// How long it stays silent before it reboots.
    pub down: Duration,
}

/// The misbehaviour of one port's firmware, and what it did so far.
#[derive(Clone, Debug, Default)]
pub struct Hostile {
    /// Fill every posted buffer with unsolicited messages.
    pub flood: bool,
    /// Unsolicited messages queued so far.
    pub flooded: u64,
    /// Answer nothing (`silence start`).
    pub silent: bool,
    /// Crash in the next upgrade.
    pub crash: Option<CrashPlan>,
    /// Crashed, silent until then.
    pub down_until: Option<Instant>,
    /// Crashes so far.
    pub crashes: u64,
    /// Malformed messages queued so far.
    pub malformed: u64,
}

/// Offsets of the attributes of the container holding `data[start..end]`.
fn attrs_in(data: &[u8], start: usize, end: usize) -> Vec<(usize, Header)> {
    let mut out = Vec::new();
    let mut off = start;
    while off + HDR_LEN <= end {
        let raw = u32::from_le_bytes([data[off], data[off + 1], data[off + 2], data[off + 3]]);
        let h = Header::from_raw(raw);
        out.push((off, h));
        let len = usize::from(h.len).max(HDR_LEN);
        off += (len + 3) & !3;
    }
    out
}

/// Adds `more` to the length of the attribute header at `off`.
fn grow(data: &mut [u8], off: usize, h: Header, more: u16) {
    let raw = Header {
        len: h.len.saturating_add(more),
        ..h
    }
    .to_raw();
    data[off..off + HDR_LEN].copy_from_slice(&raw.to_le_bytes());
}

/// Builds the malformed message of `kind`.
pub fn malformed_message(kind: TlvFault) -> Result<Vec<u8>, MsgError> {
    let mut m = match kind {
        TlvFault::AttrOverrun => build(msg::LOG_MSG_REQ, |b| {
            b.put_u32(log_msg::MSEC, 1)?;
            b.put_u64(log_msg::INDEX, 1)?;
            b.put_string(log_msg::MSG, b"fbnic-emu: attribute overrun")
        })?,
        // The text array first, so that its element's overrun lands in
        // the arrays after it, inside the message.
        TlvFault::NestOverrun => build(msg::LOG_MSG_REQ, |b| {
            b.put_u32(log_msg::MSEC, 1)?;
            b.put_u64(log_msg::INDEX, 1)?;
            b.put_string(log_msg::MSG, b"fbnic-emu: nest overrun")?;
            b.put_u32(log_msg::LENGTH, 1)?;
            b.nested(log_msg::MSG_ARRAY, |b| {
                b.put_string(log_msg::MSG, b"fbnic-emu: the element")
            })?;
            b.nested(log_msg::MSEC_ARRAY, |b| b.put_u32(log_msg::MSEC, 2))?;
            b.nested(log_msg::INDEX_ARRAY, |b| b.put_u64(log_msg::INDEX, 2))
        })?,
    };
    let end = m.len();
    let attrs = attrs_in(&m, HDR_LEN, end);
    let invalid = || MsgError::Invalid("malformed message template".into());
    match kind {
        TlvFault::AttrOverrun => {
            let &(off, h) = attrs
                .iter()
                .find(|(_, h)| h.id == log_msg::MSG)
                .ok_or_else(invalid)?;
            // Past the end of the message by 64 bytes.
            let more = u16::try_from(end - off + 64 - usize::from(h.len)).map_err(|_| invalid())?;
            grow(&mut m, off, h, more);
        }
        TlvFault::NestOverrun => {
            let &(off, h) = attrs
                .iter()
                .find(|(_, h)| h.id == log_msg::MSG_ARRAY)
                .ok_or_else(invalid)?;
            let inner = attrs_in(&m, off + HDR_LEN, off + usize::from(h.len));
            let &(eoff, eh) = inner.first().ok_or_else(invalid)?;
            // Eight bytes into the next attribute.
            grow(&mut m, eoff, eh, 8);
        }
    }
    Ok(m)
}

/// One unsolicited message of a flood.
pub fn flood_message() -> Result<Vec<u8>, MsgError> {
    build(msg::TSENE_READ_RESP, |b| {
        b.put_s32(tsene::THERM, 45_000)?;
        b.put_s32(tsene::VOLT, 750)
    })
}

impl Firmware {
    /// The misbehaviour settings and counters.
    pub fn hostile(&self) -> Hostile {
        lock(&self.hostile).clone()
    }

    /// Changes the misbehaviour settings.
    pub fn set_hostile(&self, f: impl FnOnce(&mut Hostile)) {
        f(&mut lock(&self.hostile));
        self.ring_doorbell();
    }

    /// Queues `n` malformed messages of `kind` for the host.
    pub fn inject_malformed(&self, kind: TlvFault, n: u32) -> Result<(), MsgError> {
        let m = malformed_message(kind)?;
        let mut r = lock(&self.rings);
        for _ in 0..n {
            r.outbox.push_back(m.clone());
        }
        drop(r);
        lock(&self.hostile).malformed += u64::from(n);
        info!("fault injection: {n} malformed messages ({kind:?}) queued");
        self.ring_doorbell();
        Ok(())
    }

    /// Whether the firmware works now: not silenced, not crashed. A crashed
    /// firmware whose time is up reboots here.
    pub(super) fn answering(&self) -> bool {
        let mut h = lock(&self.hostile);
        if let Some(until) = h.down_until {
            if Instant::now() < until {
                return false;
            }
            h.down_until = None;
            info!("fault injection: the firmware rebooted after its crash");
        }
        !h.silent
    }

    /// Tops the queue of messages up with unsolicited ones while a flood
    /// is on: at most one ring's worth waits at a time.
    pub(super) fn flood(&self) {
        let mut h = lock(&self.hostile);
        if !h.flood {
            return;
        }
        let Ok(m) = flood_message() else {
            return;
        };
        let mut r = lock(&self.rings);
        while r.outbox.len() < fbnic_hw::csr::mbx::DESC_LEN as usize {
            r.outbox.push_back(m.clone());
            h.flooded += 1;
        }
    }

    /// Crashes now if a crash is planned and the upgrade took its chunks:
    /// queued messages are lost, the session state goes, the uptime starts
    /// over, and nothing is answered until the reboot. True if it did.
    pub(super) fn crash_if_due(&self) -> bool {
        let mut h = lock(&self.hostile);
        let Some(plan) = h.crash else {
            return false;
        };
        let mut st = lock(&self.state);
        let due = st
            .upgrade
            .as_ref()
            .is_some_and(|u| u.requested.0 >= plan.after_chunks.saturating_mul(UPGRADE_CHUNK));
        if !due {
            return false;
        }
        st.reset();
        drop(st);
        h.crash = None;
        h.crashes += 1;
        h.down_until = Some(Instant::now() + plan.down);
        drop(h);
        let mut r = lock(&self.rings);
        let lost = r.outbox.len() as u64;
        r.outbox.clear();
        r.stats.messages_dropped += lost;
        drop(r);
        *lock(&self.boot) = Instant::now() + plan.down;
        warn!(
            "fault injection: the firmware crashed in the middle of a flash ({lost} messages lost); back in {:?}",
            plan.down
        );
        true
    }
}

/// Ends every misbehaviour of `dev`'s firmware; a crashed one reboots now.
pub fn clear(dev: &FbnicDevice) {
    dev.firmware().set_hostile(|h| {
        h.flood = false;
        h.silent = false;
        h.crash = None;
        if h.down_until.is_some() {
            h.down_until = Some(Instant::now());
        }
    });
}

fn report(h: &Hostile) -> String {
    let onoff = |b: bool| if b { "on" } else { "off" };
    format!(
        "fw flood {} flooded {} silent {} down {} crash {} crashes {} malformed {}",
        onoff(h.flood),
        h.flooded,
        onoff(h.silent),
        onoff(h.down_until.is_some_and(|t| Instant::now() < t)),
        if h.crash.is_some() { "armed" } else { "off" },
        h.crashes,
        h.malformed
    )
}

fn start_stop(arg: Option<&str>, usage: &str) -> Result<bool, String> {
    match arg {
        Some("start") => Ok(true),
        Some("stop") => Ok(false),
        _ => Err(usage.into()),
    }
}

/// `fault PORT tlv|flood|silence|flash-crash|fw ...`: `kind` and the
/// words after it. The control answer, or why not.
pub fn control(dev: &FbnicDevice, kind: &str, args: &[&str]) -> Result<String, String> {
    let fw = dev.firmware();
    let num = |s: Option<&&str>, default: u64, max: u64| -> Result<u64, String> {
        s.map_or(Ok(default), |s| {
            s.parse::<u64>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| format!("'{s}': want a number up to {max}"))
        })
    };
    match kind {
        "fw" => return Ok(report(&fw.hostile())),
        "tlv" => {
            let usage = "fault PORT tlv attr-overrun|nest-overrun [N]";
            let what = args.first().ok_or(usage)?.parse::<TlvFault>()?;
            let n = num(args.get(1), 1, u64::from(TLV_MAX))?;
            // CAST: at most TLV_MAX.
            fw.inject_malformed(what, n as u32)
                .map_err(|e| e.to_string())?;
        }
        "flood" => {
            let on = start_stop(args.first().copied(), "fault PORT flood start|stop")?;
            fw.set_hostile(|h| h.flood = on);
        }
        "silence" => {
            let on = start_stop(args.first().copied(), "fault PORT silence start|stop")?;
            fw.set_hostile(|h| h.silent = on);
        }
        "flash-crash" => {
            let after = num(args.first(), u64::from(CRASH_AFTER_CHUNKS), 1 << 20)?;
            let secs = num(args.get(1), CRASH_DOWN.as_secs(), CRASH_DOWN_MAX_SECS)?;
            let plan = CrashPlan {
                // CAST: at most 2^20.
                after_chunks: after as u32,
                down: Duration::from_secs(secs),
            };
            fw.set_hostile(|h| h.crash = Some(plan));
        }
        other => return Err(format!("unknown firmware fault '{other}'")),
    }
    Ok(String::new())
}
