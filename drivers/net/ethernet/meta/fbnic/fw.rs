// SPDX-License-Identifier: GPL-2.0

//! The firmware mailbox: two rings of 16 descriptors in BAR4, one per
//! direction, each pointing at a 4 KiB page that holds one TLV message.
//!
//! - Host to firmware (TX): the driver writes a message into a page and
//!   posts its descriptor; the firmware reads it and completes the
//!   descriptor (`FW_CMPL`, with `FW_ERR` if it failed).
//! - Firmware to host (RX): the driver keeps 15 empty pages posted; the
//!   firmware writes one whole message into the next one and completes it
//!   with the message length.
//!
//! Each completion raises cause 0 of interrupt vector 0 (the first
//! interrupt after a TX ring reset is the firmware's "alive" signal).
//! Before the interrupt handler is up the driver polls instead.
//!
//! Every message from the firmware goes through [`hw::tlv`] and
//! [`hw::fw`] before anything in it is used: a malformed message is
//! logged and dropped, never acted on.
//!
//! The pages are one coherent DMA allocation per ring, page `i` for
//! descriptor `i`: a page is reused only when its descriptor is free again,
//! so no page is ever posted twice.

#![forbid(unsafe_code)]

mod coredump;
pub(crate) mod flash;
mod health;
mod log;
pub(crate) mod request;
mod ring;

pub(crate) use health::{
    FwCounters,
    NAMES as COUNTER_NAMES, //
};
pub(crate) use request::Expect;

use kernel::{
    device,
    dma::Coherent,
    new_condvar,
    new_mutex,
    prelude::*,
    sync::{
        CondVar,
        Mutex, //
    },
    time::{
        delay::fsleep,
        Delta,
        Instant,
        Monotonic, //
    }, //
};

use crate::hw::reg::RegisterIo;
use crate::{
    hw::{
        csr::{
            intr,
            mbx,
            pul, //
        },
        desc::MbxDesc,
        fw::{
            Capabilities,
            CapsError,
            MbxRing, //
        },
        tlv::{
            self,
            heartbeat,
            msg,
            ownership,
            Message,
            MsgBuilder, //
        }, //
    },
    regs::Regs, //
};
use health::{
    ratelimit,
    Verdict, //
};
use request::Waiters;
use ring::{
    page_addr,
    post_desc,
    rd_desc,
    read_page_word,
    reset_ring,
    take_event,
    write_page_word, //
};

/// Bytes in a mailbox page ([`mbx::PAGE_SIZE`]).
// CAST: 4096 fits.
const PAGE: usize = mbx::PAGE_SIZE as usize;
/// Dwords in a mailbox page.
const PAGE_DWORDS: usize = PAGE / 4;
/// Descriptors per ring.
const DESCS: usize = mbx::DESC_LEN as usize;

/// How long the firmware gets to show signs of life and to answer the
/// capabilities request (`fbnic_mbx_poll_tx_ready()`).
const READY_TIMEOUT: Delta = Delta::from_secs(10);
/// Polling step while waiting for the firmware without interrupts.
const POLL_STEP: Delta = Delta::from_millis(20);
/// Heartbeat period (`FW_HEARTBEAT_PERIOD`).
const HEARTBEAT_PERIOD: Delta = Delta::from_secs(10);
/// How long to wait for the firmware to answer an ownership request.
const OWNERSHIP_TIMEOUT: Delta = Delta::from_secs(10);
/// How long to wait at teardown for the firmware to read what was sent.
const FLUSH_TIMEOUT: Delta = Delta::from_secs(1);

/// Heartbeat bookkeeping (`fbnic_fw_check_heartbeat()`).
struct Heartbeat {
    /// Whether the host owns the NIC and checks the heartbeat.
    enabled: bool,
    /// When the last ownership or heartbeat request went out.
    last_request: Instant<Monotonic>,
    /// Whether a response arrived since `last_request`.
    answered: bool,
    /// Firmware time from the last response, and from the one before the
    /// last request: time going backwards means the firmware restarted.
    fw_time: u64,
    prev_fw_time: u64,
}

/// What the firmware told the host.
struct Replies {
    /// The firmware's capabilities, once a valid response came in.
    caps: Option<Capabilities>,
    /// Why the last capabilities response was rejected.
    caps_error: Option<CapsError>,
    heartbeat: Heartbeat,
    /// The firmware's log lines.
    log: log::FwLog,
}

/// Mailbox state, under the mailbox lock.
struct State {
    /// Both rings are initialized and the firmware is alive.
    ready: bool,
    rx: MbxRing,
    tx: MbxRing,
    /// Descriptors the firmware completed with an error.
    tx_errors: u64,
    rx_errors: u64,
    /// What `ethtool -S` shows of a misbehaving firmware.
    counters: FwCounters,
    replies: Replies,
    /// Requests waiting for the firmware's answer.
    waiters: Waiters,
    /// Where a received message is copied before it is parsed, so that
    /// the firmware cannot change it while it is being checked.
    scratch: KBox<[u8; PAGE]>,
    /// Where a message to the firmware is built.
    tx_scratch: KBox<[u8; PAGE]>,
}

/// The firmware mailbox of one device.
#[pin_data]
pub(crate) struct Mailbox {
    /// Firmware-to-host pages, page `i` for RX descriptor `i`.
    rx_pages: Coherent<[u32]>,
    /// Host-to-firmware pages, page `i` for TX descriptor `i`.
    tx_pages: Coherent<[u32]>,
    #[pin]
    state: Mutex<State>,
    /// Signalled when a waiter got its answer or gave up its slot.
    #[pin]
    answered: CondVar,
}

impl Mailbox {
    /// Allocates the mailbox pages. The rings stay down until
    /// [`Mailbox::start`].
    pub(crate) fn new(dev: &device::Device<device::Bound>) -> Result<impl PinInit<Self, Error>> {
        let rx_pages = Coherent::<u32>::zeroed_slice(dev, DESCS * PAGE_DWORDS, GFP_KERNEL)?;
        let tx_pages = Coherent::<u32>::zeroed_slice(dev, DESCS * PAGE_DWORDS, GFP_KERNEL)?;
        let scratch = KBox::new([0u8; PAGE], GFP_KERNEL)?;
        let tx_scratch = KBox::init(pin_init::init_zeroed(), GFP_KERNEL)?;

        Ok(try_pin_init!(Self {
            rx_pages,
            tx_pages,
            // Built in place: the state is too large to build on the stack
            // and move.
            state <- new_mutex!(init!(State {
                ready: false,
                rx: MbxRing::new(),
                tx: MbxRing::new(),
                tx_errors: 0,
                rx_errors: 0,
                counters: FwCounters::default(),
                replies: Replies {
                    caps: None,
                    caps_error: None,
                    heartbeat: Heartbeat {
                        enabled: false,
                        last_request: Instant::now(),
                        answered: false,
                        fw_time: 0,
                        prev_fw_time: 0,
                    },
                    log: log::FwLog::new(),
                },
                waiters: Waiters::new(),
                scratch,
                tx_scratch,
            })),
            answered <- new_condvar!("fbnic::fw::answered"),
        }? Error))
    }

    /// Resets both rings, waits for the firmware to show signs of life,
    /// starts the rings and asks for the firmware's capabilities, polling
    /// until they arrive (`fbnic_fw_request_mbx()` before the interrupt is
    /// enabled). Returns the capabilities.
    ///
    /// Fails if the firmware does not answer within 10 s, or answers with
    /// capabilities the driver does not accept.
    pub(crate) fn start(&self, regs: &Regs, dev: &device::Device) -> Result<Capabilities> {
        let mut st = self.state.lock();
        st.ready = false;
        st.replies.caps = None;
        st.replies.caps_error = None;
        st.rx = MbxRing::new();
        st.tx = MbxRing::new();

        // The firmware mailbox cause is acknowledged by software only, and
        // a stale one must not count as the firmware's answer.
        let (word, bit) = intr::vector_bit(intr::FW_VECTOR);
        regs.write_raw(intr::SW_AC_MODE::at(word), !bit);
        regs.write_raw(intr::CLEAR::at(word), bit);
        reset_ring(regs, mbx::RX_IDX);
        reset_ring(regs, mbx::TX_IDX);

        // Resetting the TX ring makes the firmware raise the mailbox cause;
        // keep resetting until it does, in case the first one was lost.
        let start = Instant::<Monotonic>::now();
        loop {
            if start.elapsed() > READY_TIMEOUT {
                dev_err!(dev, "firmware mailbox did not become ready\n");
                return Err(ETIMEDOUT);
            }
            reset_ring(regs, mbx::TX_IDX);
            if !regs.fw_present() {
                return Err(ENODEV);
            }
            fsleep(POLL_STEP);
            if take_event(regs) {
                break;
            }
        }

        // The firmware is alive: let it DMA, and give it pages to write to.
        regs.write(
            pul::OB_TLP_HDR_AW_CFG::AT,
            pul::OB_TLP_HDR_AW_CFG::zeroed().set(pul::OB_TLP_HDR_AW_CFG::BME),
        );
        regs.write(
            pul::OB_TLP_HDR_AR_CFG::AT,
            pul::OB_TLP_HDR_AR_CFG::zeroed().set(pul::OB_TLP_HDR_AR_CFG::BME),
        );
        st.ready = true;
        while let Some(slot) = st.rx.post() {
            self.post_rx(regs, slot)?;
        }

        'request: loop {
            let (tx_errors, rx_errors) = (st.tx_errors, st.rx_errors);
            self.send_locked(&mut st, regs, msg::HOST_CAP_REQ, |_| Ok(()))?;

            loop {
                drop(st);
                fsleep(POLL_STEP);
                st = self.state.lock();
                self.poll_locked(&mut st, regs, dev);

                if let Some(caps) = st.replies.caps {
                    return Ok(caps);
                }
                if let Some(e) = st.replies.caps_error {
                    dev_err!(
                        dev,
                        "firmware capabilities rejected: {}\n",
                        format_args!("{e}")
                    );
                    return Err(match e {
                        CapsError::TooOld(_) => ENODEV,
                        _ => EINVAL,
                    });
                }
                if start.elapsed() > READY_TIMEOUT {
                    dev_err!(dev, "no capabilities response from the firmware\n");
                    return Err(ETIMEDOUT);
                }
                // The firmware flagged the request or its answer as failed:
                // it will not answer this one, ask again.
                if st.tx_errors != tx_errors || st.rx_errors != rx_errors {
                    continue 'request;
                }
            }
        }
    }

    /// Stops the mailbox: waits a little for the firmware to read what was
    /// sent, then resets both rings, which also stops the firmware's DMA
    /// into the pages (`fbnic_fw_free_mbx()`).
    pub(crate) fn stop(&self, regs: &Regs, dev: &device::Device) {
        if self.state.lock().ready {
            self.disable_log(regs, dev);
        }
        let (word, bit) = intr::vector_bit(intr::FW_VECTOR);
        regs.write_raw(intr::MASK_SET::at(word), bit);

        let start = Instant::<Monotonic>::now();
        let mut st = self.state.lock();
        while st.ready && !st.tx.is_empty() && start.elapsed() < FLUSH_TIMEOUT {
            drop(st);
            fsleep(POLL_STEP);
            st = self.state.lock();
            self.poll_locked(&mut st, regs, dev);
        }
        if !st.tx.is_empty() {
            dev_warn!(dev, "firmware did not read all mailbox messages\n");
        }

        st.ready = false;
        // Again: an interrupt handler that ran before `ready` went false
        // may have unmasked the vector since the first time.
        regs.write_raw(intr::MASK_SET::at(word), bit);
        st.replies.heartbeat.enabled = false;
        st.waiters.fail_all(EPIPE);
        self.answered.notify_all();
        reset_ring(regs, mbx::RX_IDX);
        reset_ring(regs, mbx::TX_IDX);
        st.rx = MbxRing::new();
        st.tx = MbxRing::new();
    }

    /// Handles what the firmware completed: called from the mailbox
    /// interrupt (`fbnic_mbx_poll()`). Returns whether the mailbox is up,
    /// i.e. whether its interrupt is to be unmasked again: a stopped
    /// mailbox keeps it masked (until probe or resume unmasks it after
    /// [`Mailbox::start`]).
    pub(crate) fn poll(&self, regs: &Regs, dev: &device::Device) -> bool {
        let mut st = self.state.lock();
        self.poll_locked(&mut st, regs, dev);
        st.ready
    }

    fn poll_locked(&self, st: &mut State, regs: &Regs, dev: &device::Device) {
        take_event(regs);
        if !st.ready {
            return;
        }
        self.process_tx(st, regs, dev);
        self.process_rx(st, regs, dev);
    }

    /// Retires the TX descriptors the firmware completed.
    fn process_tx(&self, st: &mut State, regs: &Regs, dev: &device::Device) {
        while !st.tx.is_empty() {
            let desc = MbxDesc::decode(rd_desc(regs, mbx::TX_IDX, st.tx.head()));
            if !desc.fw_cmpl {
                break;
            }
            if desc.fw_err {
                st.tx_errors += 1;
                st.counters.errors += 1;
                if ratelimit() {
                    dev_warn!(
                        dev,
                        "firmware failed a mailbox request ({} errors so far)\n",
                        st.counters.errors
                    );
                }
            }
            if st.waiters.retired(st.tx.head(), desc.fw_err) {
                self.answered.notify_all();
            }
            st.tx.retire();
        }
    }

    /// Handles the messages the firmware wrote and gives each page back:
    /// at most one ring's worth a call, so that a firmware refilling the
    /// pages as fast as they come back cannot keep the caller here. What
    /// it completes meanwhile raises the interrupt again.
    fn process_rx(&self, st: &mut State, regs: &Regs, dev: &device::Device) {
        for _ in 0..DESCS {
            if st.rx.is_empty() {
                break;
            }
            let head = st.rx.head();
            let desc = MbxDesc::decode(rd_desc(regs, mbx::RX_IDX, head));
            if !desc.fw_cmpl {
                break;
            }

            let len = usize::from(desc.len);
            if desc.fw_err {
                st.rx_errors += 1;
                st.counters.errors += 1;
                if ratelimit() {
                    dev_warn!(
                        dev,
                        "firmware reported an error on a mailbox message; dropped\n"
                    );
                }
            } else if len > PAGE {
                st.counters.malformed += 1;
                if ratelimit() {
                    dev_warn!(
                        dev,
                        "firmware mailbox descriptor with length {}; dropped\n",
                        len
                    );
                }
            } else if len > 0 {
                self.copy_rx(&mut st.scratch, head, len);
                let st = &mut *st;
                let verdict =
                    handle_message(&mut st.replies, &mut st.waiters, &st.scratch[..len], dev);
                if verdict.count(&mut st.counters) {
                    self.answered.notify_all();
                }
            }

            // Give a page back: this descriptor's stays out of the ring as
            // the one free slot, and the previous free slot's is posted.
            regs.write_raw(
                mbx::IPC_MBX::at(mbx::RX_IDX, mbx::DescIdx::wrapping(head)),
                0,
            );
            st.rx.retire();
            if let Some(slot) = st.rx.post() {
                // Cannot fail: the address is a valid coherent page.
                let _ = self.post_rx(regs, slot);
            }
        }
    }

    /// Copies the first `len` bytes (rounded up to dwords) of RX page
    /// `slot` into `scratch`.
    fn copy_rx(&self, scratch: &mut [u8; PAGE], slot: u32, len: usize) {
        let base = slot as usize * PAGE_DWORDS;
        for (i, chunk) in scratch
            .chunks_exact_mut(4)
            .take(len.div_ceil(4))
            .enumerate()
        {
            let word = read_page_word(&self.rx_pages, base + i).unwrap_or(0);
            chunk.copy_from_slice(&word.to_le_bytes());
        }
    }

    /// Posts RX page `slot` for the firmware to write a message into.
    fn post_rx(&self, regs: &Regs, slot: u32) -> Result {
        let addr = page_addr(self.rx_pages.dma_address(), slot);
        let desc = MbxDesc {
            len: PAGE as u16,
            addr,
            host_cmpl: true,
            ..Default::default()
        }
        .encode()
        .map_err(|_| EINVAL)?;
        post_desc(regs, mbx::RX_IDX, slot, desc);
        Ok(())
    }

    /// Builds message `id` with `fill` and sends it to the firmware.
    /// Returns the TX descriptor that carries it.
    fn send_locked(
        &self,
        st: &mut State,
        regs: &Regs,
        id: u16,
        fill: impl FnOnce(&mut MsgBuilder<'_>) -> core::result::Result<(), tlv::BuildError>,
    ) -> Result<u32> {
        if !st.ready || !regs.fw_present() {
            return Err(ENODEV);
        }
        if st.tx.free() == 0 {
            return Err(EBUSY);
        }

        // The largest host message is a flash image chunk, most of a page.
        let slot = st.tx.tail();
        let mut builder = MsgBuilder::new(&mut st.tx_scratch[..], id).map_err(|_| EINVAL)?;
        fill(&mut builder).map_err(|_| EINVAL)?;
        let bytes = builder.finish();

        let base = slot as usize * PAGE_DWORDS;
        for (i, chunk) in bytes.chunks(4).enumerate() {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            write_page_word(&self.tx_pages, base + i, u32::from_le_bytes(word))?;
        }

        let desc = MbxDesc {
            len: bytes.len() as u16,
            eom: true,
            addr: page_addr(self.tx_pages.dma_address(), slot),
            host_cmpl: true,
            ..Default::default()
        }
        .encode()
        .map_err(|_| EINVAL)?;
        st.tx.post();
        post_desc(regs, mbx::TX_IDX, slot, desc);
        Ok(slot)
    }

    /// Takes or releases ownership of the NIC (`OWNERSHIP_REQ`). Taking it
    /// starts the heartbeat: the firmware's answer counts as the first
    /// response.
    pub(crate) fn set_ownership(&self, regs: &Regs, take: bool) -> Result {
        let mut st = self.state.lock();
        self.send_locked(&mut st, regs, msg::OWNERSHIP_REQ, |b| {
            if take {
                b.put_flag(ownership::FLAG)?;
            }
            Ok(())
        })?;
        let hb = &mut st.replies.heartbeat;
        hb.last_request = Instant::now();
        hb.answered = false;
        hb.prev_fw_time = 0;
        hb.enabled = take;
        Ok(())
    }

    /// Waits, sleeping, for the firmware to answer the ownership request
    /// (through the mailbox interrupt), then sends the first heartbeat
    /// request (`fbnic_fw_init_heartbeat()`).
    pub(crate) fn wait_ownership(&self, regs: &Regs) -> Result {
        let start = Instant::<Monotonic>::now();
        loop {
            fsleep(Delta::from_millis(200));
            let mut st = self.state.lock();
            if st.replies.heartbeat.answered {
                return self.send_heartbeat(&mut st, regs);
            }
            if start.elapsed() > OWNERSHIP_TIMEOUT {
                return Err(ETIMEDOUT);
            }
        }
    }

    fn send_heartbeat(&self, st: &mut State, regs: &Regs) -> Result {
        self.send_locked(st, regs, msg::HEARTBEAT_REQ, |_| Ok(()))?;
        let hb = &mut st.replies.heartbeat;
        hb.last_request = Instant::now();
        hb.answered = false;
        hb.prev_fw_time = hb.fw_time;
        Ok(())
    }

    /// Checks the heartbeat and sends the next request once a period has
    /// passed (`fbnic_fw_check_heartbeat()`, from the service task).
    /// Returns `true` if the firmware had stopped answering and ownership
    /// was requested again to recover (`fbnic_health_check()`); `crashed`
    /// runs just before, with the mailbox idle, to report the crash.
    pub(crate) fn check_heartbeat(
        &self,
        regs: &Regs,
        dev: &device::Device,
        crashed: impl FnOnce(),
    ) -> bool {
        let mut st = self.state.lock();
        if st.replies.heartbeat.last_request.elapsed() < HEARTBEAT_PERIOD {
            return false;
        }

        if st.replies.heartbeat.enabled {
            let hb = &st.replies.heartbeat;
            if !hb.answered || hb.fw_time < hb.prev_fw_time {
                dev_warn!(dev, "firmware did not respond to heartbeat message\n");
                st.replies.heartbeat.enabled = false;
                st.counters.heartbeat_lost += 1;
            }
            if self.send_heartbeat(&mut st, regs).is_err() {
                dev_warn!(dev, "failed to send heartbeat message\n");
            }
            return false;
        }

        // The heartbeat stopped while the interface is up: once the
        // firmware has read everything, take ownership again.
        if st.ready && st.tx.is_empty() {
            dev_warn!(dev, "firmware stopped answering; taking ownership again\n");
            drop(st);
            crashed();
            let taken = self.set_ownership(regs, true).is_ok();
            if taken {
                self.state.lock().counters.recoveries += 1;
            }
            return taken;
        }
        false
    }

    /// The firmware's uptime in milliseconds at its last heartbeat answer,
    /// or `None` while the host and the firmware exchange no heartbeats
    /// (not owned, or not two answers yet).
    pub(crate) fn last_heartbeat(&self) -> Option<u64> {
        let st = self.state.lock();
        let hb = &st.replies.heartbeat;
        (hb.prev_fw_time != 0).then_some(hb.fw_time)
    }

    /// The counters of a misbehaving firmware ([`health`]).
    pub(crate) fn counters(&self) -> FwCounters {
        self.state.lock().counters
    }

    /// Counts a firmware update that failed on the device's side.
    pub(crate) fn count_flash_error(&self) {
        self.state.lock().counters.flash_errors += 1;
    }

    /// The firmware's capabilities, if known.
    pub(crate) fn caps(&self) -> Option<Capabilities> {
        self.state.lock().replies.caps
    }
}

/// Acts on one message from the firmware, after checking it. Says what
/// became of it.
fn handle_message(
    st: &mut Replies,
    waiters: &mut Waiters,
    bytes: &[u8],
    dev: &device::Device,
) -> Verdict {
    let msg = match Message::parse(bytes) {
        Ok(msg) => msg,
        Err(e) => {
            if ratelimit() {
                dev_warn!(
                    dev,
                    "malformed firmware message dropped: {}\n",
                    format_args!("{e}")
                );
            }
            return Verdict::Malformed;
        }
    };

    // A message whose attributes break their schema.
    let malformed = |what: &str, e: &dyn core::fmt::Display| {
        if ratelimit() {
            dev_warn!(
                dev,
                "malformed firmware {} dropped: {}\n",
                what,
                format_args!("{e}")
            );
        }
        Verdict::Malformed
    };
    match msg.id() {
        msg::FW_CAP_RESP => match Capabilities::parse(&msg) {
            Ok(caps) => st.caps = Some(caps),
            Err(e) => {
                st.caps_error = Some(e);
                return malformed("capabilities message", &e);
            }
        },
        msg::OWNERSHIP_RESP => match msg.attrs(ownership::RESP_SCHEMA) {
            Ok(attrs) => {
                st.heartbeat.answered = true;
                st.heartbeat.fw_time = attrs.u64(ownership::TIME).unwrap_or(0);
            }
            Err(e) => return malformed("ownership response", &e),
        },
        msg::LOG_MSG_REQ => return st.log.take(&msg, dev),
        msg::HEARTBEAT_RESP => match msg.attrs(heartbeat::RESP_SCHEMA) {
            Ok(attrs) => {
                st.heartbeat.answered = true;
                st.heartbeat.fw_time = attrs.u64(heartbeat::UPTIME).unwrap_or(0);
            }
            Err(e) => return malformed("heartbeat response", &e),
        },
        _ => return waiters.deliver(&msg, dev),
    }
    Verdict::Taken
}
