// SPDX-License-Identifier: GPL-2.0

//! Requests that wait for the firmware's answer (the C driver's
//! `fbnic_fw_completion` and `fbnic_mbx_wait_for_cmpl()`).
//!
//! A caller arms a waiter with what the answer must look like
//! ([`Expect`]: its message ID, and attributes it must echo from the
//! request), sends its request and sleeps. The mailbox poll path (the
//! mailbox interrupt) checks every message from the firmware and hands it
//! to the one waiter it matches; the caller wakes up with a copy of it
//! ([`Answer`]). An answer that nobody waits for (late, after its waiter
//! timed out, or never asked for), that repeats the wrong attributes or that
//! is malformed is logged and dropped: it never completes another waiter.
//!
//! At most [`SLOTS`] waiters are armed at once, one per answer ID: a second
//! request of the same kind waits until the first one is done, so that the
//! answers cannot be mixed up. A late answer can still reach a newer waiter
//! of the same kind when the messages carry nothing to tell them apart
//! (`TSENE_READ_RESP`); [`Expect::echo`] closes that gap for the ones that
//! do.
//!
//! ```ignore
//! let answer = shared.mbx.request(
//!     &shared.regs,
//!     msg::TSENE_READ_REQ,
//!     |_| Ok(()),
//!     Expect::answer(msg::TSENE_READ_RESP),
//! )?;
//! let attrs = answer.attrs()?;
//! answer.check(tsene::ERROR)?;
//! ```

#![forbid(unsafe_code)]

use kernel::{
    device,
    prelude::*,
    sync::CondVarTimeoutResult,
    time::{
        delay::fsleep,
        msecs_to_jiffies,
        Delta,
        Instant,
        Monotonic, //
    }, //
};

use super::{
    health::{
        ratelimit,
        Verdict, //
    },
    Mailbox,
    DESCS,
    PAGE,
    POLL_STEP, //
};
use crate::{
    hw::tlv::{
        self,
        fw_to_host_schema,
        Attrs,
        Message,
        MsgBuilder, //
    },
    regs::Regs, //
};

/// How long a request waits for its answer by default
/// (`FBNIC_MBX_RX_TO_SEC`).
pub(crate) const ANSWER_TIMEOUT: Delta = Delta::from_secs(10);
/// Most waiters armed at once (`FBNIC_MBX_CMPL_SLOTS`).
pub(crate) const SLOTS: usize = 4;
/// Most attributes an answer must echo.
const ECHOES: usize = 4;
/// Most message IDs one waiter takes.
const IDS: usize = 2;

/// What the answer to a request must look like, and how long to wait
/// for it.
#[derive(Clone, Copy)]
pub(crate) struct Expect {
    ids: [u16; IDS],
    n_ids: usize,
    echo: [(u16, u32); ECHOES],
    n_echo: usize,
    timeout: Delta,
}

impl Expect {
    /// An answer with message ID `id`, within [`ANSWER_TIMEOUT`].
    pub(crate) const fn answer(id: u16) -> Self {
        Self {
            ids: [id; IDS],
            n_ids: 1,
            echo: [(0, 0); ECHOES],
            n_echo: 0,
            timeout: ANSWER_TIMEOUT,
        }
    }

    /// Also takes a message with ID `id` as the answer (the firmware ends
    /// a flash update with `FW_FINISH_UPGRADE_REQ` where it otherwise asks
    /// for a chunk). Ignored past two IDs.
    pub(crate) const fn or(mut self, id: u16) -> Self {
        if self.n_ids < IDS {
            self.ids[self.n_ids] = id;
            self.n_ids += 1;
        }
        self
    }

    /// The answer must carry u32 attribute `attr` with `value` (the
    /// request's, echoed). Ignored past four attributes.
    pub(crate) const fn echo(mut self, attr: u16, value: u32) -> Self {
        if self.n_echo < ECHOES {
            self.echo[self.n_echo] = (attr, value);
            self.n_echo += 1;
        }
        self
    }

    /// Waits `timeout` instead of [`ANSWER_TIMEOUT`].
    #[allow(
        dead_code,
        reason = "flash and coredump wait C's 10 s per answer; for an answer that takes longer"
    )]
    pub(crate) const fn timeout(mut self, timeout: Delta) -> Self {
        self.timeout = timeout;
        self
    }

    fn ids(&self) -> &[u16] {
        &self.ids[..self.n_ids]
    }

    fn takes(&self, id: u16) -> bool {
        self.ids().contains(&id)
    }
}

/// A message from the firmware that answered a request. It passed the
/// schema of its message ID and the [`Expect`] of its waiter.
pub(crate) struct Answer {
    buf: KBox<[u8; PAGE]>,
    len: usize,
}

impl Answer {
    /// The message.
    pub(crate) fn message(&self) -> Result<Message<'_>> {
        Message::parse(&self.buf[..self.len]).map_err(|_| EINVAL)
    }

    /// The message's ID.
    pub(crate) fn id(&self) -> Result<u16> {
        Ok(self.message()?.id())
    }

    /// The message's attributes, by its schema.
    pub(crate) fn attrs(&self) -> Result<Attrs<'_>> {
        let msg = self.message()?;
        let schema = fw_to_host_schema(msg.id()).ok_or(EINVAL)?;
        msg.attrs(schema).map_err(|_| EINVAL)
    }

    /// The error the firmware reported in s32 attribute `attr`, if any
    /// (absent or 0 is success; see [`fw_error`]).
    pub(crate) fn check(&self, attr: u16) -> Result {
        fw_error(self.attrs()?.s32(attr).unwrap_or(0))
    }
}

/// An error code from the firmware (a negative errno) as a kernel error.
/// Something else than 0 or a negative errno becomes `EIO`.
pub(crate) fn fw_error(code: i32) -> Result {
    // MAX_ERRNO: error codes are -1 ..= -4095.
    match code {
        0 => Ok(()),
        -4095..=-1 => Err(Error::from_errno(code)),
        _ => Err(EIO),
    }
}

/// One armed waiter.
struct Slot {
    ticket: u64,
    expect: Expect,
    /// Where the poll path copies the answer; `None` while the waiter has
    /// it.
    buf: Option<KBox<[u8; PAGE]>>,
    /// Set by the poll path: the answer's length, or why there is none.
    outcome: Option<Result<usize>>,
}

/// The armed waiters, under the mailbox lock.
pub(super) struct Waiters {
    slots: [Option<Slot>; SLOTS],
    last_ticket: u64,
    /// The ticket of the waiter that sent each TX descriptor (0: none).
    tx_owner: [u64; DESCS],
}

impl Waiters {
    pub(super) const fn new() -> Self {
        Self {
            slots: [const { None }; SLOTS],
            last_ticket: 0,
            tx_owner: [0; DESCS],
        }
    }

    /// Arms a waiter with the page in `buf`; `EBUSY` while another one
    /// takes one of the same IDs or all slots are taken.
    fn arm(&mut self, expect: Expect, buf: &mut Option<KBox<[u8; PAGE]>>) -> Result<u64> {
        let busy = self
            .slots
            .iter()
            .flatten()
            .any(|s| expect.ids().iter().any(|id| s.expect.takes(*id)));
        let free = self.slots.iter_mut().find(|s| s.is_none());
        let (false, Some(free), Some(buf)) = (busy, free, buf.take()) else {
            return Err(EBUSY);
        };
        self.last_ticket += 1;
        *free = Some(Slot {
            ticket: self.last_ticket,
            expect,
            buf: Some(buf),
            outcome: None,
        });
        Ok(self.last_ticket)
    }

    fn slot(&mut self, ticket: u64) -> Option<&mut Slot> {
        self.slots.iter_mut().flatten().find(|s| s.ticket == ticket)
    }

    fn disarm(&mut self, ticket: u64) {
        for slot in &mut self.slots {
            if slot.as_ref().is_some_and(|s| s.ticket == ticket) {
                *slot = None;
            }
        }
        for owner in &mut self.tx_owner {
            if *owner == ticket {
                *owner = 0;
            }
        }
    }

    /// Records that TX descriptor `desc` carries `ticket`'s request.
    pub(super) fn sent(&mut self, desc: u32, ticket: u64) {
        if let Some(owner) = self.tx_owner.get_mut(desc as usize) {
            *owner = ticket;
        }
    }

    /// TX descriptor `desc` was retired, `failed` if the firmware flagged
    /// it: its waiter gets `EIO`, as no answer will come. Returns whether
    /// a waiter was completed.
    pub(super) fn retired(&mut self, desc: u32, failed: bool) -> bool {
        let Some(owner) = self.tx_owner.get_mut(desc as usize) else {
            return false;
        };
        let ticket = core::mem::take(owner);
        if !failed || ticket == 0 {
            return false;
        }
        match self.slot(ticket) {
            Some(slot) if slot.outcome.is_none() => {
                slot.outcome = Some(Err(EIO));
                true
            }
            _ => false,
        }
    }

    /// Completes every waiter with `err` (the mailbox stopped).
    pub(super) fn fail_all(&mut self, err: Error) {
        for slot in self.slots.iter_mut().flatten() {
            slot.outcome.get_or_insert(Err(err));
        }
        self.tx_owner = [0; DESCS];
    }

    /// Hands message `msg` to the waiter it answers. A message no waiter
    /// takes is logged (rate-limited) and dropped.
    pub(super) fn deliver(&mut self, msg: &Message<'_>, dev: &device::Device) -> Verdict {
        let id = msg.id();
        let Some(schema) = fw_to_host_schema(id) else {
            dev_dbg!(dev, "ignoring firmware message {:#x}\n", id);
            return Verdict::Unexpected;
        };
        let attrs = match msg.attrs(schema) {
            Ok(attrs) => attrs,
            Err(e) => {
                if ratelimit() {
                    dev_warn!(
                        dev,
                        "malformed firmware message {:#x} dropped: {}\n",
                        id,
                        format_args!("{e}")
                    );
                }
                return Verdict::Malformed;
            }
        };
        let Some(slot) = self.slots.iter_mut().flatten().find(|s| s.expect.takes(id)) else {
            if ratelimit() {
                dev_warn!(
                    dev,
                    "firmware message {:#x} dropped: no request waits for it (late, unexpected)\n",
                    id
                );
            }
            return Verdict::Unexpected;
        };
        let expect = &slot.expect;
        for &(attr, want) in &expect.echo[..expect.n_echo] {
            let got = attrs.u32(attr);
            if got != Some(want) {
                if ratelimit() {
                    dev_warn!(
                        dev,
                        "firmware message {:#x} dropped: attribute {:#x} is {:?}, asked {}\n",
                        id,
                        attr,
                        got,
                        want
                    );
                }
                return Verdict::Unexpected;
            }
        }
        let (None, Some(buf)) = (&slot.outcome, &mut slot.buf) else {
            if ratelimit() {
                dev_warn!(
                    dev,
                    "firmware message {:#x} dropped: its waiter has not taken the last one yet\n",
                    id
                );
            }
            return Verdict::Unexpected;
        };
        let bytes = msg.as_bytes();
        // Cannot fail: a message fits the page it came in.
        let Some(dst) = buf.get_mut(..bytes.len()) else {
            return Verdict::Taken;
        };
        dst.copy_from_slice(bytes);
        slot.outcome = Some(Ok(bytes.len()));
        Verdict::Completed
    }
}

/// An armed waiter: what [`Mailbox::expect`] and [`Mailbox::send_expect`]
/// return. Disarmed when dropped.
pub(crate) struct Pending<'a> {
    mbx: &'a Mailbox,
    dev: &'a device::Device,
    ticket: u64,
    expect: Expect,
}

impl Pending<'_> {
    /// Waits for the next answer. `ETIMEDOUT` if none comes in time, `EIO`
    /// if the firmware failed the request, `EPIPE` if the mailbox stopped.
    /// Can be called again for the next answer of the same kind (the
    /// firmware's requests during a flash update).
    pub(crate) fn wait(&mut self) -> Result<Answer> {
        let spare = new_page()?;
        let start = Instant::<Monotonic>::now();
        let mut st = self.mbx.state.lock();
        let mut spare = Some(spare);
        loop {
            let slot = st.waiters.slot(self.ticket).ok_or(EPIPE)?;
            if slot.buf.is_none() {
                slot.buf = spare.take();
            }
            if let Some(outcome) = slot.outcome.take() {
                let len = outcome?;
                let buf = slot.buf.take().ok_or(EINVAL)?;
                // The next answer of a series may come before the caller
                // waits again (the firmware's next chunk request): give
                // the slot a page for it now.
                slot.buf = spare.take();
                return Ok(Answer { buf, len });
            }

            let left = self.expect.timeout - start.elapsed();
            if left <= Delta::ZERO {
                dev_warn!(
                    self.dev,
                    "no answer {:#x} from the firmware within {} ms\n",
                    self.expect.ids[0],
                    self.expect.timeout.as_millis()
                );
                return Err(ETIMEDOUT);
            }
            let jiffies =
                msecs_to_jiffies(u32::try_from(left.as_millis_ceil()).unwrap_or(u32::MAX));
            if let CondVarTimeoutResult::Signal { .. } = self
                .mbx
                .answered
                .wait_interruptible_timeout(&mut st, jiffies)
            {
                // Finish the request like the C driver, which does not let
                // signals interrupt it: look again in a while.
                drop(st);
                fsleep(POLL_STEP);
                st = self.mbx.state.lock();
            }
        }
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        self.mbx.state.lock().waiters.disarm(self.ticket);
        // A request of the same kind may wait for the slot.
        self.mbx.answered.notify_all();
    }
}

/// A zeroed page for an answer.
fn new_page() -> Result<KBox<[u8; PAGE]>> {
    KBox::init(pin_init::init_zeroed(), GFP_KERNEL)
}

impl Mailbox {
    /// Sends message `id`, built by `fill`, without waiting for anything.
    pub(crate) fn send(
        &self,
        regs: &Regs,
        id: u16,
        fill: impl FnOnce(&mut MsgBuilder<'_>) -> core::result::Result<(), tlv::BuildError>,
    ) -> Result {
        let mut st = self.state.lock();
        self.send_locked(&mut st, regs, id, fill).map(|_| ())
    }

    /// Arms a waiter for a message the firmware sends on its own (no
    /// request). Waits up to the timeout of `expect` while another waiter
    /// takes the same message IDs, then `EBUSY`.
    pub(crate) fn expect<'a>(
        &'a self,
        dev: &'a device::Device,
        expect: Expect,
    ) -> Result<Pending<'a>> {
        let mut buf = Some(new_page()?);
        let start = Instant::<Monotonic>::now();
        let mut st = self.state.lock();
        loop {
            if !st.ready {
                return Err(ENODEV);
            }
            if let Ok(ticket) = st.waiters.arm(expect, &mut buf) {
                return Ok(Pending {
                    mbx: self,
                    dev,
                    ticket,
                    expect,
                });
            }
            let left = expect.timeout - start.elapsed();
            if left <= Delta::ZERO {
                return Err(EBUSY);
            }
            let jiffies =
                msecs_to_jiffies(u32::try_from(left.as_millis_ceil()).unwrap_or(u32::MAX));
            if let CondVarTimeoutResult::Signal { .. } =
                self.answered.wait_interruptible_timeout(&mut st, jiffies)
            {
                drop(st);
                fsleep(POLL_STEP);
                st = self.state.lock();
            }
        }
    }

    /// Arms a waiter for `expect`, then sends message `id` built by `fill`.
    /// The request goes out only once the waiter is armed, so its answer
    /// cannot come first.
    pub(crate) fn send_expect<'a>(
        &'a self,
        regs: &Regs,
        dev: &'a device::Device,
        id: u16,
        fill: impl FnOnce(&mut MsgBuilder<'_>) -> core::result::Result<(), tlv::BuildError>,
        expect: Expect,
    ) -> Result<Pending<'a>> {
        let pending = self.expect(dev, expect)?;
        let mut st = self.state.lock();
        let desc = self.send_locked(&mut st, regs, id, fill)?;
        st.waiters.sent(desc, pending.ticket);
        drop(st);
        Ok(pending)
    }

    /// Sends message `id` built by `fill` and waits for its answer
    /// (`fbnic_mbx_map_req_w_cmpl()` then `fbnic_mbx_wait_for_cmpl()`).
    pub(crate) fn request(
        &self,
        regs: &Regs,
        dev: &device::Device,
        id: u16,
        fill: impl FnOnce(&mut MsgBuilder<'_>) -> core::result::Result<(), tlv::BuildError>,
        expect: Expect,
    ) -> Result<Answer> {
        self.send_expect(regs, dev, id, fill, expect)?.wait()
    }
}
