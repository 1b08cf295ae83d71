// SPDX-License-Identifier: GPL-2.0

//! The fbnic interrupt block (BAR0 `INTR` and `INTR_CQ` sections): the
//! per-vector status/mask bitmaps in front of the MSI-X vectors, cause
//! routing (`INTR_MSIX_CTRL`) and the completion-queue rearm registers.
//!
//! # Model
//!
//! Each vector `v` has one bit (bit `v % 32` of bitmap dword `v / 32`) in
//! four pieces of state:
//!
//! - **status**: a pending cause. Device blocks raise it
//!   ([`InterruptController::assert`]); software raises it by writing
//!   `INTR_SET` and drops it by writing `INTR_CLEAR`. `INTR_STATUS` reads it.
//! - **mask**: 1 = masked. `INTR_MASK_SET` / `INTR_MASK_CLEAR` (and the
//!   `UNMASK` bit of `INTR_CQ_REARM(v)`) change it; `INTR_MASK` reads it.
//! - **auto-clear mode** (`INTR_SW_AC_MODE`): when set, delivering the
//!   vector also clears its status; the driver turns it off for the
//!   mailbox vector 0 so that the "firmware has something" bit stays
//!   visible until the handler clears it.
//! - **software status** (`INTR_SW_STATUS`): the subset of status raised
//!   through `INTR_SET`; it clears together with the status bit. The C
//!   driver never reads it; it is kept so the register is not a lie.
//!
//! Whenever a vector has status set and is unmasked, it is delivered: the
//! MSI-X message is sent, the vector masks itself (so one cause gives one
//! message until software unmasks it again) and, in auto-clear mode, its
//! status clears. This is exactly what `fbnic_msix_test()` checks
//! (`ethtool -t`): a `SET` while masked does not interrupt, the following
//! `MASK_CLEAR` does, a second `MASK_CLEAR` does not, an unmasked `SET`
//! does and leaves status clear and mask set.
//!
//! Reset state: no status, every vector masked, auto-clear on for every
//! vector (the driver only ever writes `SW_AC_MODE(0)`, and relies on its
//! NAPI vectors above 31 auto-clearing), no cause routed.
//!
//! `INTR_MSIX_CTRL(n)` routes internal cause `n` (PCS link change = 34,
//! RX buffer errors = 7) to a vector while its `ENABLE` bit is set;
//! [`InterruptController::raise_cause`] honours that routing.
//!
//! `INTR_CQ_REARM(v)` (stride 4 dwords) carries the NAPI re-enable: `UNMASK`
//! unmasks `v` (delivering a pending cause at once) and the coalescing
//! timeouts are latched when their `UPD_EN` bit is set. The datapath reads
//! them with [`InterruptController::rearm_state`] and can register a
//! [`RearmHook`] to learn about every rearm write.
//!
//! Everything is behind one mutex, so any thread (the vfio-user thread
//! serving MMIO, the firmware thread, datapath engines) may use the
//! controller; the MSI-X eventfd is written under that lock so messages
//! leave in the order the state changed.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use fbnic_hw::csr::intr;
use fbnic_hw::reg::RegInfo;
use log::{debug, warn};

use crate::interrupts::Interrupts;
use crate::regblock::{Bus, RegisterBlock};

/// Bitmap dwords per state (`FBNIC_INTR_*_CNT`).
const WORDS: usize = intr::BITMAP_CNT as usize;
/// Vectors the block can address.
const MAX_VECTORS: usize = intr::MAX_MSIX_VECS as usize;
/// Rearm register sets.
const REARM_SETS: usize = intr::CQ_REARM_CNT as usize;
/// Largest coalescing timeout (a 14-bit field).
const TIMEOUT_MAX: u32 = 0x3fff;

/// The coalescing state a vector's `INTR_CQ_REARM` writes left behind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RearmState {
    /// RX completion timeout in microseconds (14 bits).
    pub rcq_timeout: u16,
    /// TX completion timeout in microseconds (14 bits).
    pub tcq_timeout: u16,
    /// Raw value of the last write.
    pub last_write: u32,
    /// Number of writes with `UNMASK` set since reset.
    pub unmasks: u64,
}

/// Called after every `INTR_CQ_REARM(v)` write, with `v` and the vector's
/// state after the write. It runs on the thread that performed the MMIO
/// write (the vfio-user thread): it must only record or signal, not block.
pub type RearmHook = Arc<dyn Fn(u16, RearmState) + Send + Sync>;

struct State {
    status: [u32; WORDS],
    mask: [u32; WORDS],
    sw_status: [u32; WORDS],
    ac_mode: [u32; WORDS],
    msix_ctrl: Box<[u32; intr::MSIX_CTRL_CNT as usize]>,
    rearm: Box<[RearmState; REARM_SETS]>,
}

impl State {
    fn new() -> Self {
        State {
            status: [0; WORDS],
            mask: [intr::MASK::INFO.reset; WORDS],
            sw_status: [0; WORDS],
            ac_mode: [intr::SW_AC_MODE::INFO.reset; WORDS],
            msix_ctrl: Box::new([0; intr::MSIX_CTRL_CNT as usize]),
            rearm: Box::new([RearmState::default(); REARM_SETS]),
        }
    }
}

/// What an access to the interrupt block's register window means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reg {
    Status(usize),
    Mask(usize),
    Set(usize),
    Clear(usize),
    SwStatus(usize),
    AcMode(usize),
    MaskSet(usize),
    MaskClear(usize),
    MsixCtrl(usize),
    Rearm(usize),
    RcqTimeout(usize),
    TcqTimeout(usize),
}

/// A register array's decoder, and what an access to an instance means.
type Decoder<I> = (fn(u32) -> Option<I>, fn(usize) -> Reg);

fn decode(reg: u32) -> Option<Reg> {
    let bitmaps: [Decoder<intr::BitmapIdx>; 8] = [
        (intr::STATUS::decode, Reg::Status),
        (intr::MASK::decode, Reg::Mask),
        (intr::SET::decode, Reg::Set),
        (intr::CLEAR::decode, Reg::Clear),
        (intr::SW_STATUS::decode, Reg::SwStatus),
        (intr::SW_AC_MODE::decode, Reg::AcMode),
        (intr::MASK_SET::decode, Reg::MaskSet),
        (intr::MASK_CLEAR::decode, Reg::MaskClear),
    ];
    for (decode, kind) in bitmaps {
        if let Some(n) = decode(reg) {
            return Some(kind(n.get() as usize));
        }
    }
    // The routing table runs past the block's END delimiter (0x5f): the
    // PCS cause is entry 34 at dword 0x62.
    if let Some(n) = intr::MSIX_CTRL::decode(reg) {
        return Some(Reg::MsixCtrl(n.get() as usize));
    }
    let sets: [Decoder<intr::VectorIdx>; 3] = [
        (intr::CQ_REARM::decode, Reg::Rearm),
        (intr::RCQ_TIMEOUT::decode, Reg::RcqTimeout),
        (intr::TCQ_TIMEOUT::decode, Reg::TcqTimeout),
    ];
    sets.into_iter()
        .find_map(|(decode, kind)| decode(reg).map(|v| kind(v.get() as usize)))
}

/// The interrupt block of one function, in front of its MSI-X vectors.
pub struct InterruptController {
    state: Mutex<State>,
    /// Queue interrupts still to lose (`fault PORT irq lost`,
    /// [`crate::hostile`]), and how many were lost.
    lose: AtomicU32,
    lost: AtomicU64,
    msix: Interrupts,
    rearm_hook: RwLock<Option<RearmHook>>,
}

impl InterruptController {
    /// A controller in its reset state delivering to `msix`.
    pub fn new(msix: Interrupts) -> Self {
        InterruptController {
            state: Mutex::new(State::new()),
            lose: AtomicU32::new(0),
            lost: AtomicU64::new(0),
            msix,
            rearm_hook: RwLock::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update below is a handful of word operations that cannot
        // panic half-way; a poisoned lock still guards consistent state.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The MSI-X vectors (eventfds) behind the block.
    pub fn msix(&self) -> &Interrupts {
        &self.msix
    }

    /// Back to the reset state. The MSI-X eventfds (client state) and the
    /// rearm hook (datapath wiring) stay.
    pub fn reset(&self) {
        *self.lock() = State::new();
    }

    /// How many MSI-X vectors are unmasked (a cause would fire them).
    pub fn unmasked_vectors(&self) -> u32 {
        self.lock().mask.iter().map(|m| m.count_zeros()).sum()
    }

    /// True if `reg` (a BAR0 dword index) belongs to this block.
    pub fn owns(reg: u32) -> bool {
        decode(reg).is_some()
    }

    /// Guest read of `reg`, or `None` if the register is not in this block.
    pub fn read(&self, reg: u32) -> Option<u32> {
        let st = self.lock();
        Some(match decode(reg)? {
            Reg::Status(n) => st.status[n],
            Reg::Mask(n) => st.mask[n],
            Reg::SwStatus(n) => st.sw_status[n],
            Reg::AcMode(n) => st.ac_mode[n],
            // Write-only strobes read as 0.
            Reg::Set(_) | Reg::Clear(_) | Reg::MaskSet(_) | Reg::MaskClear(_) => 0,
            Reg::MsixCtrl(n) => st.msix_ctrl[n],
            Reg::Rearm(v) => {
                let r = &st.rearm[v];
                intr::CQ_REARM::RCQ_TIMEOUT.prep(u32::from(r.rcq_timeout))
                    | intr::CQ_REARM::TCQ_TIMEOUT.prep(u32::from(r.tcq_timeout))
            }
            Reg::RcqTimeout(v) => u32::from(st.rearm[v].rcq_timeout),
            Reg::TcqTimeout(v) => u32::from(st.rearm[v].tcq_timeout),
        })
    }

    /// Guest write of `reg`; returns false if the register is not in this
    /// block (the caller then stores it as plain memory).
    pub fn write(&self, reg: u32, val: u32) -> bool {
        let Some(r) = decode(reg) else {
            return false;
        };
        let mut rearmed = None;
        {
            let mut st = self.lock();
            match r {
                // Read-only views of the state.
                Reg::Status(_) | Reg::Mask(_) | Reg::SwStatus(_) => {
                    debug!("write {val:#x} to read-only interrupt register {reg:#x} ignored");
                }
                Reg::Set(n) => {
                    st.status[n] |= val;
                    st.sw_status[n] |= val;
                    self.deliver(&mut st, n);
                }
                Reg::Clear(n) => {
                    st.status[n] &= !val;
                    st.sw_status[n] &= !val;
                }
                Reg::AcMode(n) => st.ac_mode[n] = val,
                Reg::MaskSet(n) => st.mask[n] |= val,
                Reg::MaskClear(n) => {
                    st.mask[n] &= !val;
                    self.deliver(&mut st, n);
                }
                Reg::MsixCtrl(n) => st.msix_ctrl[n] = val,
                Reg::Rearm(v) => {
                    let r = &mut st.rearm[v];
                    r.last_write = val;
                    if val & intr::CQ_REARM::RCQ_TIMEOUT_UPD_EN.mask() != 0 {
                        // A 14-bit field always fits in u16.
                        r.rcq_timeout = intr::CQ_REARM::RCQ_TIMEOUT.get(val) as u16;
                    }
                    if val & intr::CQ_REARM::TCQ_TIMEOUT_UPD_EN.mask() != 0 {
                        r.tcq_timeout = intr::CQ_REARM::TCQ_TIMEOUT.get(val) as u16;
                    }
                    if val & intr::CQ_REARM::INTR_UNMASK.mask() != 0 {
                        r.unmasks += 1;
                        let (n, bit) = (v / 32, 1u32 << (v % 32));
                        st.mask[n] &= !bit;
                        self.deliver(&mut st, n);
                    }
                    rearmed = Some((v as u16, st.rearm[v]));
                }
                // The direct timeout registers hold the 14-bit value in
                // their low bits.
                Reg::RcqTimeout(v) => st.rearm[v].rcq_timeout = (val & TIMEOUT_MAX) as u16,
                Reg::TcqTimeout(v) => st.rearm[v].tcq_timeout = (val & TIMEOUT_MAX) as u16,
            }
        }
        if let Some((v, state)) = rearmed {
            let hook = self
                .rearm_hook
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            if let Some(hook) = hook {
                hook(v, state);
            }
        }
        true
    }

    /// Delivers every vector of bitmap word `n` that has status set and is
    /// unmasked: MSI-X message, auto-mask, auto-clear.
    fn deliver(&self, st: &mut State, n: usize) {
        let mut ready = st.status[n] & !st.mask[n];
        while ready != 0 {
            let bit = ready & ready.wrapping_neg();
            ready &= !bit;
            st.mask[n] |= bit;
            if st.ac_mode[n] & bit != 0 {
                st.status[n] &= !bit;
                st.sw_status[n] &= !bit;
            }
            let vector = n as u32 * 32 + bit.trailing_zeros();
            if vector >= u32::from(crate::hostile::FIRST_LOSSY_VECTOR) && self.take_lost() {
                debug!("vector {vector}: message lost (fault)");
                continue;
            }
            // n < 8, so the vector is below 256.
            match self.msix.fire(vector as u16) {
                Ok(true) => {}
                Ok(false) => debug!("vector {vector} delivered but not enabled by the guest"),
                Err(e) => warn!("vector {vector}: {e}"),
            }
        }
    }

    /// Raises the cause of `vector` (a device block has something for the
    /// driver); delivers it at once if the vector is unmasked.
    pub fn assert(&self, vector: u16) {
        let v = usize::from(vector);
        if v >= MAX_VECTORS {
            warn!("interrupt for vector {vector} beyond the block's {MAX_VECTORS}");
            return;
        }
        let mut st = self.lock();
        let (n, bit) = (v / 32, 1u32 << (v % 32));
        st.status[n] |= bit;
        self.deliver(&mut st, n);
    }

    /// Raises internal cause `source` through `INTR_MSIX_CTRL(source)`.
    /// Returns the vector it was routed to, or `None` if the route is
    /// disabled (the cause is then dropped, as in hardware).
    pub fn raise_cause(&self, source: u32) -> Option<u16> {
        let ctrl = self.msix_ctrl(source)?;
        if ctrl & intr::MSIX_CTRL::ENABLE.mask() == 0 {
            return None;
        }
        // An 8-bit field.
        let vector = intr::MSIX_CTRL::VECTOR.get(ctrl) as u16;
        self.assert(vector);
        Some(vector)
    }

    /// `INTR_MSIX_CTRL(source)`, or `None` past the table.
    pub fn msix_ctrl(&self, source: u32) -> Option<u32> {
        self.lock().msix_ctrl.get(source as usize).copied()
    }

    /// True if `vector` has a pending cause.
    pub fn is_pending(&self, vector: u16) -> bool {
        let v = usize::from(vector);
        v < MAX_VECTORS && self.lock().status[v / 32] & (1 << (v % 32)) != 0
    }

    /// True if `vector` is masked.
    pub fn is_masked(&self, vector: u16) -> bool {
        let v = usize::from(vector);
        v >= MAX_VECTORS || self.lock().mask[v / 32] & (1 << (v % 32)) != 0
    }

    /// The coalescing state of `vector`, or `None` past the rearm table.
    pub fn rearm_state(&self, vector: u16) -> Option<RearmState> {
        self.lock().rearm.get(usize::from(vector)).copied()
    }

    /// Loses the next `n` messages of queue vectors (0: none).
    pub fn set_lost(&self, n: u32) {
        self.lose.store(n, Ordering::Relaxed);
    }

    /// Queue interrupts lost so far, and still to lose.
    pub fn lost(&self) -> (u64, u32) {
        (
            self.lost.load(Ordering::Relaxed),
            self.lose.load(Ordering::Relaxed),
        )
    }

    /// Uses up one interrupt to lose, if any is left.
    fn take_lost(&self) -> bool {
        let take = self
            .lose
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok();
        if take {
            self.lost.fetch_add(1, Ordering::Relaxed);
        }
        take
    }

    /// Installs (or with `None` removes) the hook called after every
    /// `INTR_CQ_REARM` write.
    pub fn set_rearm_hook(&self, hook: Option<RearmHook>) {
        *self.rearm_hook.write().unwrap_or_else(|e| e.into_inner()) = hook;
    }
}

impl RegisterBlock for InterruptController {
    fn registers(&self) -> &'static [&'static [RegInfo]] {
        &[intr::REGISTERS]
    }

    fn read(&self, reg: u32) -> Option<u32> {
        InterruptController::read(self, reg)
    }

    fn write(&self, _bus: &Bus<'_>, reg: u32, val: u32) -> bool {
        InterruptController::write(self, reg, val)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::io::{self, Read};
    use std::os::fd::FromRawFd;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn eventfd() -> File {
        // SAFETY: plain eventfd creation.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        assert!(fd >= 0, "eventfd: {}", io::Error::last_os_error());
        // SAFETY: `fd` is a fresh descriptor nobody else owns.
        unsafe { File::from_raw_fd(fd) }
    }

    /// A controller with `n` vectors, each wired to an eventfd we keep.
    fn controller(n: u16) -> (InterruptController, Vec<File>) {
        let msix = Interrupts::new(n);
        let fds: Vec<File> = (0..n).map(|_| eventfd()).collect();
        msix.attach(0, fds.iter().map(|f| f.try_clone().unwrap()).collect())
            .unwrap();
        (InterruptController::new(msix), fds)
    }

    /// Messages delivered on `fd` since the last call.
    fn fired(fd: &File) -> u64 {
        let mut b = [0u8; 8];
        let mut f: &File = fd;
        match f.read_exact(&mut b) {
            Ok(()) => u64::from_ne_bytes(b),
            Err(_) => 0,
        }
    }

    #[test]
    fn reset_state_is_masked_quiet_and_auto_clearing() {
        let (ic, _fds) = controller(4);
        for n in 0..8 {
            assert_eq!(ic.read(intr::STATUS::INFO.dword(n, 0)), Some(0));
            assert_eq!(ic.read(intr::MASK::INFO.dword(n, 0)), Some(!0));
            assert_eq!(ic.read(intr::SW_AC_MODE::INFO.dword(n, 0)), Some(!0));
            assert_eq!(ic.read(intr::SW_STATUS::INFO.dword(n, 0)), Some(0));
        }
        assert_eq!(ic.read(intr::MSIX_CTRL::INFO.dword(34, 0)), Some(0));
        assert_eq!(ic.read(intr::CQ_REARM::INFO.dword(5, 0)), Some(0));
        assert_eq!(ic.read(0x3ff), None, "outside the block");
        assert_eq!(
            ic.read(intr::CQ_REARM::INFO.dword(0, 0) + 3),
            None,
            "rearm set padding"
        );
    }

    /// The exact sequence of `fbnic_msix_test()` for one vector.
    #[test]
    fn driver_self_test_sequence() {
        let (ic, fds) = controller(40);
        for v in [2u32, 31, 33] {
            let (n, m) = (v / 32, 1u32 << (v % 32));
            let fd = &fds[v as usize];
            ic.write(intr::MASK_SET::INFO.dword(n, 0), m);
            ic.write(intr::CLEAR::INFO.dword(n, 0), m);
            // Masked: SET must not interrupt.
            ic.write(intr::SET::INFO.dword(n, 0), m);
            assert_eq!(fired(fd), 0, "v{v}: masked SET fired");
            assert_ne!(ic.read(intr::STATUS::INFO.dword(n, 0)).unwrap() & m, 0);
            assert_ne!(ic.read(intr::SW_STATUS::INFO.dword(n, 0)).unwrap() & m, 0);
            // Unmask with status pending: fires once.
            ic.write(intr::MASK_CLEAR::INFO.dword(n, 0), m);
            assert_eq!(fired(fd), 1, "v{v}: unmask with pending status");
            // Auto-masked and auto-cleared, so a second unmask is quiet.
            ic.write(intr::MASK_CLEAR::INFO.dword(n, 0), m);
            assert_eq!(fired(fd), 0, "v{v}: second unmask fired");
            // Unmasked SET fires...
            ic.write(intr::SET::INFO.dword(n, 0), m);
            assert_eq!(fired(fd), 1, "v{v}: unmasked SET");
            // ...and leaves status clear and mask set.
            assert_eq!(ic.read(intr::STATUS::INFO.dword(n, 0)).unwrap() & m, 0);
            assert_ne!(ic.read(intr::MASK::INFO.dword(n, 0)).unwrap() & m, 0);
            assert_eq!(ic.read(intr::SW_STATUS::INFO.dword(n, 0)).unwrap() & m, 0);
        }
        // No other vector was disturbed.
        assert_eq!(fired(&fds[3]), 0);
    }

    #[test]
    fn mailbox_vector_without_auto_clear_keeps_status_until_cleared() {
        let (ic, fds) = controller(4);
        // fbnic_mbx_init(): auto-clear off for vector 0 only.
        ic.write(intr::SW_AC_MODE::INFO.dword(0, 0), !1);
        ic.write(intr::CLEAR::INFO.dword(0, 0), 1);
        // Firmware signals while masked (the "alive" bit the driver polls).
        ic.assert(0);
        assert_eq!(fired(&fds[0]), 0);
        assert_eq!(ic.read(intr::STATUS::INFO.dword(0, 0)), Some(1));
        // Handler unmasks: fires, masks, status stays.
        ic.write(intr::MASK_CLEAR::INFO.dword(0, 0), 1);
        assert_eq!(fired(&fds[0]), 1);
        assert_eq!(ic.read(intr::STATUS::INFO.dword(0, 0)), Some(1));
        assert_eq!(ic.read(intr::MASK::INFO.dword(0, 0)).unwrap() & 1, 1);
        // Clear then unmask: quiet.
        ic.write(intr::CLEAR::INFO.dword(0, 0), 1);
        ic.write(intr::MASK_CLEAR::INFO.dword(0, 0), 1);
        assert_eq!(fired(&fds[0]), 0);
        // Firmware signals while unmasked: immediate.
        ic.assert(0);
        assert_eq!(fired(&fds[0]), 1);
        assert!(ic.is_pending(0) && ic.is_masked(0));
        // Vector 1 still auto-clears.
        ic.write(intr::MASK_CLEAR::INFO.dword(0, 0), 2);
        ic.assert(1);
        assert_eq!(fired(&fds[1]), 1);
        assert!(!ic.is_pending(1));
    }

    #[test]
    fn every_transition_of_one_vector() {
        // (masked, pending, auto-clear) x operation -> (fires, masked, pending)
        #[derive(Clone, Copy, Debug)]
        enum Op {
            Set,
            Clear,
            MaskSet,
            MaskClear,
            Assert,
        }
        let ops = [Op::Set, Op::Clear, Op::MaskSet, Op::MaskClear, Op::Assert];
        for masked in [false, true] {
            for pending in [false, true] {
                for ac in [false, true] {
                    for op in ops {
                        let (ic, fds) = controller(3);
                        let v = 2u32;
                        let m = 1u32 << v;
                        ic.write(intr::SW_AC_MODE::INFO.dword(0, 0), if ac { !0 } else { !m });
                        // Reach the start state without firing.
                        if pending {
                            ic.write(intr::SET::INFO.dword(0, 0), m);
                        }
                        if !masked {
                            if pending {
                                // Unmasking would fire; set state directly.
                                let mut st = ic.lock();
                                st.mask[0] &= !m;
                            } else {
                                ic.write(intr::MASK_CLEAR::INFO.dword(0, 0), m);
                            }
                        }
                        assert_eq!(fired(&fds[2]), 0);
                        match op {
                            Op::Set => {
                                ic.write(intr::SET::INFO.dword(0, 0), m);
                            }
                            Op::Clear => {
                                ic.write(intr::CLEAR::INFO.dword(0, 0), m);
                            }
                            Op::MaskSet => {
                                ic.write(intr::MASK_SET::INFO.dword(0, 0), m);
                            }
                            Op::MaskClear => {
                                ic.write(intr::MASK_CLEAR::INFO.dword(0, 0), m);
                            }
                            Op::Assert => ic.assert(2),
                        }
                        let now_pending_raw = match op {
                            Op::Set | Op::Assert => true,
                            Op::Clear => false,
                            _ => pending,
                        };
                        let now_unmasked = match op {
                            Op::MaskSet => false,
                            Op::MaskClear => true,
                            _ => !masked,
                        };
                        let fires = now_pending_raw && now_unmasked;
                        let ctx = format!("masked={masked} pending={pending} ac={ac} op={op:?}");
                        assert_eq!(fired(&fds[2]), u64::from(fires), "{ctx}: fired");
                        assert_eq!(ic.is_masked(2), !now_unmasked || fires, "{ctx}: mask");
                        assert_eq!(
                            ic.is_pending(2),
                            now_pending_raw && !(fires && ac),
                            "{ctx}: status"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn cause_routing_follows_msix_ctrl() {
        let (ic, fds) = controller(4);
        ic.write(intr::MASK_CLEAR::INFO.dword(0, 0), !0);
        // Not routed: dropped.
        assert_eq!(ic.raise_cause(intr::MSIX_CTRL_PCS_IDX), None);
        assert_eq!(fired(&fds[1]), 0);
        // fbnic_mac_request_irq(): PCS cause to vector 1, enabled.
        ic.write(
            intr::MSIX_CTRL::INFO.dword(intr::MSIX_CTRL_PCS_IDX, 0),
            1 | intr::MSIX_CTRL::ENABLE.mask(),
        );
        assert_eq!(ic.raise_cause(intr::MSIX_CTRL_PCS_IDX), Some(1));
        assert_eq!(fired(&fds[1]), 1);
        // fbnic_mac_free_irq(): vector kept, enable dropped.
        ic.write(intr::MSIX_CTRL::INFO.dword(intr::MSIX_CTRL_PCS_IDX, 0), 1);
        assert_eq!(ic.raise_cause(intr::MSIX_CTRL_PCS_IDX), None);
        assert_eq!(ic.raise_cause(intr::MSIX_CTRL_CNT), None);
        assert_eq!(ic.msix_ctrl(intr::MSIX_CTRL_PCS_IDX), Some(1));
    }

    #[test]
    fn cq_rearm_unmasks_and_latches_timeouts() {
        let (ic, fds) = controller(8);
        let seen = Arc::new(AtomicU32::new(0));
        let s = Arc::clone(&seen);
        ic.set_rearm_hook(Some(Arc::new(move |v, st: RearmState| {
            s.store(
                u32::from(v) << 16 | u32::from(st.rcq_timeout),
                Ordering::SeqCst,
            );
        })));
        // Pending cause on masked vector 5, then the NAPI rearm.
        ic.assert(5);
        assert_eq!(fired(&fds[5]), 0);
        let val = intr::CQ_REARM::RCQ_TIMEOUT.prep(30)
            | intr::CQ_REARM::RCQ_TIMEOUT_UPD_EN.mask()
            | intr::CQ_REARM::TCQ_TIMEOUT.prep(400)
            | intr::CQ_REARM::TCQ_TIMEOUT_UPD_EN.mask()
            | intr::CQ_REARM::INTR_UNMASK.mask();
        assert!(ic.write(intr::CQ_REARM::INFO.dword(5, 0), val));
        assert_eq!(fired(&fds[5]), 1);
        let st = ic.rearm_state(5).unwrap();
        assert_eq!((st.rcq_timeout, st.tcq_timeout, st.unmasks), (30, 400, 1));
        assert_eq!(seen.load(Ordering::SeqCst), 5 << 16 | 30);
        // Without UPD_EN the timeouts stay; without UNMASK no unmask.
        ic.write(
            intr::CQ_REARM::INFO.dword(5, 0),
            intr::CQ_REARM::RCQ_TIMEOUT.prep(7),
        );
        assert_eq!(ic.rearm_state(5).unwrap().rcq_timeout, 30);
        assert!(ic.is_masked(5));
        assert_eq!(ic.read(intr::RCQ_TIMEOUT::INFO.dword(5, 0)), Some(30));
        assert_eq!(ic.read(intr::TCQ_TIMEOUT::INFO.dword(5, 0)), Some(400));
        assert_eq!(
            ic.read(intr::CQ_REARM::INFO.dword(5, 0)),
            Some(intr::CQ_REARM::RCQ_TIMEOUT.prep(30) | intr::CQ_REARM::TCQ_TIMEOUT.prep(400))
        );
        ic.reset();
        assert_eq!(ic.rearm_state(5), Some(RearmState::default()));
        assert!(ic.is_masked(5));
    }

    #[test]
    fn strobes_read_zero_and_status_is_read_only() {
        let (ic, fds) = controller(4);
        ic.write(intr::STATUS::INFO.dword(0, 0), !0);
        ic.write(intr::MASK::INFO.dword(0, 0), 0);
        assert_eq!(ic.read(intr::STATUS::INFO.dword(0, 0)), Some(0));
        assert_eq!(ic.read(intr::MASK::INFO.dword(0, 0)), Some(!0));
        assert_eq!(ic.read(intr::SET::INFO.dword(0, 0)), Some(0));
        assert_eq!(ic.read(intr::MASK_CLEAR::INFO.dword(0, 0)), Some(0));
        // A vector beyond the MSI-X table is latched but not delivered.
        ic.write(intr::MASK_CLEAR::INFO.dword(7, 0), !0);
        ic.assert(255);
        assert!(ic.is_masked(255));
        ic.assert(300);
        assert!(fds.iter().all(|f| fired(f) == 0));
    }
}
