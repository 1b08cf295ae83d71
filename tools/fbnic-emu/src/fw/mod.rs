// SPDX-License-Identifier: GPL-2.0

//! The device's management firmware as the host sees it: the two BAR4
//! mailbox rings and the TLV messages exchanged over them.
//!
//! # Mailbox (fbnic_fw.c)
//!
//! Two rings of 16 descriptors in BAR4 ([`csr::mbx`]): ring 1 carries
//! host-to-firmware requests (the host's "TX"), ring 0 firmware-to-host
//! messages (the host's "RX", buffers the host posts). The firmware keeps
//! one index per ring:
//!
//! - **Requests**: at the request index, a descriptor with `HOST_CMPL` and
//!   without `FW_CMPL` is a message of `LEN` bytes at `ADDR`; the firmware
//!   reads it from guest memory, handles it and writes the descriptor back
//!   with `FW_CMPL` (plus `FW_ERR` if the message was unreadable, malformed
//!   or unknown). A descriptor with both bits and no buffer is a "skip" left
//!   by a ring reset; an all-zero one (the host's stop marker) ends the walk.
//! - **Messages to the host** wait in a queue until the descriptor at the
//!   buffer index is a posted buffer (`HOST_CMPL`, no `FW_CMPL`); the whole
//!   message goes into that one buffer and the descriptor is completed with
//!   `LEN` = message bytes.
//! - Each completed descriptor raises vector 0's cause
//!   (`INTR_STATUS(0)` bit 0) through the interrupt block.
//! - Ring resets: the host flushes the read path (`PUL_OB_TLP_HDR_AR_CFG`
//!   `FLUSH`) before re-initialising the request ring and the write path
//!   (`AW_CFG` `FLUSH`) before the buffer ring. The firmware then restarts
//!   that ring at index 0; for the request ring it also raises vector 0's
//!   cause, the "firmware alive" signal `fbnic_mbx_poll_tx_ready()` waits
//!   for. Queued messages die with a buffer ring reset. DMA only happens
//!   while the path's bus-master bit (`BME`) is set.
//!
//! Descriptor writes only record a doorbell (the vfio-user thread must not
//! do DMA work); the firmware thread ([`start`]) walks the rings. Tests
//! call [`Firmware::poll`] directly.
//!
//! The message handlers are in [`messages`]; the module EEPROM images in
//! [`qsfp`]; the recording of the traffic for fuzzing seeds in
//! [`capture`].

pub mod capture;
pub mod fwlog;
pub mod hostile;
pub mod messages;
pub mod qsfp;

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::thread;
use std::time::{Duration, Instant};

use fbnic_hw::csr::{self, mbx, pul};
use fbnic_hw::desc::{mbx_desc, MbxDesc};
use fbnic_hw::tlv::{self, Message};
use log::{debug, info, warn};

use crate::device::FbnicDevice;

pub use messages::{FwVersions, Sensors};

/// Largest buffer the host posts or sends (one page, `mbx::PAGE_SIZE`).
pub const PAGE_SIZE: usize = mbx::PAGE_SIZE as usize;

/// The slot after `idx` on a mailbox ring, as the driver counts it
/// ([`mbx::DescIdx::wrapping`]).
fn next(idx: u32) -> u32 {
    mbx::DescIdx::wrapping(idx + 1).get()
}

/// Faults the control socket can inject into the firmware.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Handle this many of the next requests without sending their answer.
    pub drop_responses: u32,
    /// Corrupt the header of this many of the next messages to the host.
    pub corrupt_messages: u32,
    /// Complete this many of the next requests with `FW_ERR`, unhandled.
    pub fw_err_requests: u32,
    /// Do not answer heartbeats.
    pub heartbeat_stopped: bool,
}

/// Counters for the control socket's `status` and for tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FwStats {
    /// Requests completed.
    pub requests: u64,
    /// Requests completed with `FW_ERR`.
    pub request_errors: u64,
    /// Messages delivered to the host.
    pub messages: u64,
    /// Messages dropped (buffer too small, buffer ring reset).
    pub messages_dropped: u64,
    /// Request-ring resets seen.
    pub resets: u64,
}

/// Everything the firmware thread and the register paths share.
pub(crate) struct Rings {
    /// Next request descriptor to look at.
    pub(crate) req_idx: u32,
    /// Next buffer descriptor to fill.
    pub(crate) buf_idx: u32,
    /// Messages waiting for a buffer.
    pub(crate) outbox: VecDeque<Vec<u8>>,
    /// The host wrote a descriptor or a PUL control since the last walk.
    pub(crate) doorbell: bool,
    pub(crate) stats: FwStats,
}

/// The firmware of one port.
pub struct Firmware {
    rings: Mutex<Rings>,
    wake: Condvar,
    pub(crate) state: Mutex<messages::FwState>,
    faults: Mutex<Faults>,
    hostile: Mutex<hostile::Hostile>,
    /// When the firmware booted (later after a crash).
    boot: Mutex<Instant>,
}

impl Default for Firmware {
    fn default() -> Self {
        Self::new()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The protected state is updated field by field with no panicking code
    // in between; a poisoned lock still guards consistent data.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Firmware {
    /// Firmware at power-on.
    pub fn new() -> Self {
        Firmware {
            rings: Mutex::new(Rings {
                req_idx: 0,
                buf_idx: 0,
                outbox: VecDeque::new(),
                doorbell: false,
                stats: FwStats::default(),
            }),
            wake: Condvar::new(),
            state: Mutex::new(messages::FwState::new()),
            faults: Mutex::new(Faults::default()),
            hostile: Mutex::new(hostile::Hostile::default()),
            boot: Mutex::new(Instant::now()),
        }
    }

    /// Milliseconds since the firmware "booted" (the emulator started).
    pub fn uptime_ms(&self) -> u64 {
        u64::try_from(lock(&self.boot).elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Back to power-on state (function reset): rings at 0, nothing
    /// queued, no owner, no upgrade in progress.
    pub fn reset(&self) {
        let mut r = lock(&self.rings);
        r.req_idx = 0;
        r.buf_idx = 0;
        r.outbox.clear();
        drop(r);
        lock(&self.state).reset();
    }

    /// Records that the host touched the mailbox and wakes the thread.
    pub fn ring_doorbell(&self) {
        lock(&self.rings).doorbell = true;
        self.wake.notify_one();
    }

    /// Waits up to `timeout` for a doorbell; true if there was one.
    pub fn wait(&self, timeout: Duration) -> bool {
        let r = lock(&self.rings);
        let (r, _) = self
            .wake
            .wait_timeout_while(r, timeout, |r| !r.doorbell)
            .unwrap_or_else(|e| e.into_inner());
        r.doorbell
    }

    /// The host reset the request ring (`AR_CFG` flush): start over at
    /// descriptor 0 and raise the "alive" cause.
    pub fn reset_request_ring(&self, dev: &FbnicDevice) {
        let mut r = lock(&self.rings);
        r.req_idx = 0;
        r.stats.resets += 1;
        drop(r);
        dev.intr().assert(csr::FW_MSIX_ENTRY as u16);
    }

    /// The host reset the buffer ring (`AW_CFG` flush): start over at
    /// descriptor 0; queued messages are lost, as in-flight writes are.
    pub fn reset_buffer_ring(&self) {
        let mut r = lock(&self.rings);
        r.buf_idx = 0;
        let n = r.outbox.len() as u64;
        r.outbox.clear();
        r.stats.messages_dropped += n;
    }

    /// Current fault settings.
    pub fn faults(&self) -> Faults {
        *lock(&self.faults)
    }

    /// Changes the fault settings.
    pub fn set_faults(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut lock(&self.faults));
    }

    /// Current counters.
    pub fn stats(&self) -> FwStats {
        lock(&self.rings).stats
    }

    /// Images written by completed firmware upgrades, oldest first.
    pub fn flashed(&self) -> Vec<messages::Flashed> {
        lock(&self.state).flashed.clone()
    }

    /// The firmware's log lines kept for the history, oldest first.
    pub fn log_lines(&self) -> Vec<fwlog::Line> {
        lock(&self.state).log.lines().cloned().collect()
    }

    /// True while the host holds ownership (between open and close).
    pub fn owned(&self) -> bool {
        lock(&self.state).owned
    }

    /// Sensor readings returned to `TSENE_READ_REQ`.
    pub fn sensors(&self) -> Sensors {
        lock(&self.state).sensors
    }

    /// Sets the sensor readings.
    pub fn set_sensors(&self, f: impl FnOnce(&mut Sensors)) {
        f(&mut lock(&self.state).sensors);
    }

    /// Walks both rings: handles posted requests, delivers queued messages
    /// into posted buffers, and raises vector 0 if anything completed.
    /// A silenced or crashed firmware ([`hostile`]) does nothing.
    pub fn poll(&self, dev: &FbnicDevice) {
        lock(&self.rings).doorbell = false;
        if !self.answering() || self.crash_if_due() {
            return;
        }
        let mut completed = self.walk_requests(dev);
        self.flood();
        completed |= self.deliver_messages(dev);
        if completed {
            dev.intr().assert(csr::FW_MSIX_ENTRY as u16);
        }
    }

    /// Handles posted requests. The rings lock is held for each whole
    /// descriptor, so a ring reset from the vfio-user thread (a `FLUSH`
    /// write) waits for the descriptor in flight and is never undone by it.
    fn walk_requests(&self, dev: &FbnicDevice) -> bool {
        let mut completed = false;
        // At most one lap: a ring full of skips must not spin.
        for _ in 0..mbx::DESC_LEN {
            if self.crash_if_due() {
                break;
            }
            let mut r = lock(&self.rings);
            let cfg = dev.csr().read(pul::OB_TLP_HDR_AR_CFG::INDEX).unwrap_or(0);
            if cfg & pul::OB_TLP_HDR_AR_CFG::BME.mask() == 0 {
                break;
            }
            let idx = r.req_idx;
            let raw = read_desc(dev, mbx::TX_IDX, idx);
            let d = MbxDesc::decode(raw);
            if !d.host_cmpl {
                break;
            }
            if d.fw_cmpl {
                // A skip descriptor from a ring reset.
                r.req_idx = next(idx);
                continue;
            }
            let (ok, replies) = self.handle_request(dev, &d);
            r.outbox.extend(replies);
            let mut done = raw | mbx_desc::FW_CMPL;
            if !ok {
                done |= mbx_desc::FW_ERR;
            }
            write_desc(dev, mbx::TX_IDX, idx, done);
            r.req_idx = next(idx);
            r.stats.requests += 1;
            if !ok {
                r.stats.request_errors += 1;
            }
            completed = true;
        }
        completed
    }

    /// Reads, checks and handles one request: (false for `FW_ERR`, the
    /// messages to send back).
    fn handle_request(&self, dev: &FbnicDevice, d: &MbxDesc) -> (bool, Vec<Vec<u8>>) {
        {
            let mut f = lock(&self.faults);
            if f.fw_err_requests > 0 {
                f.fw_err_requests -= 1;
                info!("fault injection: completing a request with FW_ERR");
                return (false, Vec::new());
            }
        }
        let len = usize::from(d.len);
        if !(tlv::HDR_LEN..=PAGE_SIZE).contains(&len) {
            warn!("mailbox request with bad length {len}: FW_ERR");
            return (false, Vec::new());
        }
        let mut buf = vec![0u8; len];
        if let Err(e) = dev.memory().read(d.addr, &mut buf) {
            warn!("mailbox request at {:#x}: {e}: FW_ERR", d.addr);
            return (false, Vec::new());
        }
        capture::record(capture::Direction::HostToFw, &buf);
        let msg = match Message::parse(&buf) {
            Ok(m) => m,
            Err(e) => {
                warn!(
                    "malformed mailbox request ({e}): FW_ERR; first bytes {:02x?}",
                    &buf[..len.min(16)]
                );
                return (false, Vec::new());
            }
        };
        match messages::handle(self, dev, &msg) {
            Ok(replies) => {
                let drop_reply = {
                    let mut f = lock(&self.faults);
                    if f.drop_responses > 0 && !replies.is_empty() {
                        f.drop_responses -= 1;
                        true
                    } else {
                        false
                    }
                };
                if drop_reply {
                    info!(
                        "fault injection: dropping the answer to message {:#x}",
                        msg.id()
                    );
                    (true, Vec::new())
                } else {
                    (true, replies)
                }
            }
            Err(e) => {
                warn!("mailbox request {:#x} rejected: {e}: FW_ERR", msg.id());
                (false, Vec::new())
            }
        }
    }

    /// Writes queued messages into posted buffers, holding the rings lock
    /// for each one: a buffer-ring reset (after which the host frees its
    /// pages) waits for the write in flight, and bus mastering is checked
    /// before every write.
    fn deliver_messages(&self, dev: &FbnicDevice) -> bool {
        let mut completed = false;
        for _ in 0..mbx::DESC_LEN {
            let mut r = lock(&self.rings);
            let cfg = dev.csr().read(pul::OB_TLP_HDR_AW_CFG::INDEX).unwrap_or(0);
            if r.outbox.is_empty() || cfg & pul::OB_TLP_HDR_AW_CFG::BME.mask() == 0 {
                break;
            }
            let idx = r.buf_idx;
            let raw = read_desc(dev, mbx::RX_IDX, idx);
            let d = MbxDesc::decode(raw);
            if !d.host_cmpl {
                break;
            }
            if d.fw_cmpl {
                if d.len == 0 && d.addr == 0 {
                    // A skip descriptor.
                    r.buf_idx = next(idx);
                    continue;
                }
                // A filled buffer the host has not taken back: ring full.
                break;
            }
            let Some(mut msg) = r.outbox.pop_front() else {
                break;
            };
            self.maybe_corrupt(&mut msg);
            let fits = msg.len() <= usize::from(d.len);
            let written = fits && dev.memory().write(d.addr, &msg).is_ok();
            let mut done = (raw & !mbx_desc::LEN_MASK.mask()) | mbx_desc::FW_CMPL;
            if written {
                capture::record(capture::Direction::FwToHost, &msg);
                done |= mbx_desc::LEN_MASK.prep(msg.len() as u64);
                r.stats.messages += 1;
            } else {
                warn!(
                    "cannot deliver a {}-byte message into the {}-byte buffer at {:#x}: FW_ERR",
                    msg.len(),
                    d.len,
                    d.addr
                );
                done |= mbx_desc::FW_ERR;
                r.stats.messages_dropped += 1;
            }
            write_desc(dev, mbx::RX_IDX, idx, done);
            r.buf_idx = next(idx);
            completed = true;
        }
        completed
    }

    /// Applies a pending `corrupt-message` fault to `msg`.
    fn maybe_corrupt(&self, msg: &mut Vec<u8>) {
        let mut f = lock(&self.faults);
        if f.corrupt_messages == 0 || msg.len() < tlv::HDR_LEN {
            return;
        }
        f.corrupt_messages -= 1;
        // Claim one dword more than the attributes fill: the host's parser
        // must reject it.
        let hdr = u32::from_le_bytes([msg[0], msg[1], msg[2], msg[3]]);
        msg[..4].copy_from_slice(&hdr.wrapping_add(1 << 16).to_le_bytes());
        msg.extend_from_slice(&[0; 4]);
        info!("fault injection: corrupting a message to the host");
    }
}

fn read_desc(dev: &FbnicDevice, ring: mbx::MbxIdx, idx: u32) -> u64 {
    let (lo, hi) = desc_dwords(ring, idx);
    let fw = dev.fw();
    MbxDesc::join(fw.read(lo).unwrap_or(0), fw.read(hi).unwrap_or(0))
}

/// The BAR4 dwords of descriptor `idx` of mailbox `ring`: low, high.
fn desc_dwords(ring: mbx::MbxIdx, idx: u32) -> (u32, u32) {
    (
        mbx::IPC_MBX::INFO.dword(ring.get(), idx),
        mbx::IPC_MBX_HI::INFO.dword(ring.get(), idx),
    )
}

/// Writes a descriptor back high dword first, so that a host reading low
/// then high never sees the new ownership bits with a stale length.
fn write_desc(dev: &FbnicDevice, ring: mbx::MbxIdx, idx: u32, raw: u64) {
    let (lo, hi) = desc_dwords(ring, idx);
    let (low, high) = MbxDesc::split(raw);
    dev.fw().write(hi, high);
    dev.fw().write(lo, low);
}

/// Starts the firmware thread of `dev`. It holds only a weak reference and
/// ends once the device is dropped. Besides serving doorbells it wakes
/// every 20 ms for timed work (scheduled link events).
pub fn start(dev: &Arc<FbnicDevice>, name: &str) -> std::io::Result<()> {
    let weak: Weak<FbnicDevice> = Arc::downgrade(dev);
    thread::Builder::new()
        .name(format!("{name}-fw"))
        .spawn(move || loop {
            let Some(dev) = weak.upgrade() else {
                debug!("device gone, firmware thread exits");
                return;
            };
            dev.firmware().wait(Duration::from_millis(20));
            dev.firmware().poll(&dev);
            dev.link().tick(&dev);
        })
        .map(|_| ())
}

#[cfg(test)]
mod tests;
