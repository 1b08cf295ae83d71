// SPDX-License-Identifier: GPL-2.0

//! The PTP hardware clock over the device's time counter (the C driver's
//! `fbnic_time.c`).
//!
//! The device counts nanoseconds in a free-running 64-bit counter
//! (`PTP_CTR_VAL_HI:LO`) that advances by a Q16.32 addend on every tick of
//! its 600 MHz clock. The driver leaves the counter running and keeps the
//! clock's offset from it in software: `settime` and `adjtime` only change
//! that offset, `adjfine` changes the addend. Reading the counter takes two
//! registers, so a read is HI, LO, HI again, repeated until both HI agree.
//!
//! Descriptors carry only the low 40 bits of the counter (they wrap every
//! 18 minutes). To extend them, the driver keeps the counter's high 32 bits
//! from a periodic read on the clock's worker while the interface is up,
//! 16 units (about 69 seconds) lower than read, so that every descriptor
//! timestamp is later than it.

#![forbid(unsafe_code)]

use kernel::{
    device::{
        self,
        Bound, //
    },
    new_spinlock,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Arc,
        SpinLock, //
    },
    time::{
        msecs_to_jiffies,
        Delta,
        Instant,
        Jiffies,
        Monotonic, //
    },
    ModuleMetadata, //
};

use crate::{
    hw::{
        csr::ptp,
        reg::RegisterIo, //
    },
    kernel_ext::ptp::{
        self as phc,
        ScaledPpm,
        SystemTimestamps, //
    },
    regs::Regs,
    shared::Shared,
};

/// How often the high bits are read: 2^40 ns / 16, about 69 s, well
/// within the 18 minutes after which the 40-bit timestamps wrap.
const REFRESH_MS: u32 = {
    let ms = (1u64 << 40) / 16 / 1_000_000;
    assert!(ms <= u32::MAX as u64);
    // CAST: checked just above.
    ms as u32
};

/// How far below the counter the kept high bits are, in units of 2^32 ns
/// (about 69 s): descriptor timestamps are always later than the read.
const HIGH_MARGIN: u32 = 16;

/// The registered clock of a device.
pub(crate) type Registration = phc::Registration<Clock>;

/// The clock's state.
#[pin_data]
pub(crate) struct Clock {
    shared: Arc<Shared>,
    /// Serialises the register sequences and the writers of `offset` and
    /// `high` (`time_lock`). Holds when `high` was last read, if ever.
    #[pin]
    lock: SpinLock<Option<Instant<Monotonic>>>,
    /// The clock's time minus the counter's, in nanoseconds.
    offset: Atomic<i64>,
    /// The counter's high 32 bits, [`HIGH_MARGIN`] below the last read.
    high: Atomic<u32>,
}

impl Clock {
    /// Resets the device's counter (`fbnic_ptp_reset()`: running at
    /// nominal rate from 0) and returns the clock's state over it.
    fn new(shared: Arc<Shared>) -> impl PinInit<Self, Error> {
        let regs = &shared.regs;
        let tick = ptp::CTRL::zeroed()
            .set(ptp::CTRL::EN)
            .with(ptp::CTRL::TICK_IVAL, 1);
        regs.write(ptp::CTRL::AT, tick);
        set_addend(regs, ptp::DCLK_PERIOD);
        regs.write_raw(ptp::INIT_HI::AT, 0);
        regs.write_raw(ptp::INIT_LO::AT, 0);
        regs.write(
            ptp::ADJUST::AT,
            ptp::ADJUST::zeroed().set(ptp::ADJUST::INIT),
        );
        regs.write(
            ptp::CTRL::AT,
            tick.set(ptp::CTRL::TQS_OUT_EN)
                .with(ptp::CTRL::MAC_OUT_IVAL, 3),
        );
        regs.read_raw(ptp::SPARE::AT);

        try_pin_init!(Self {
            shared,
            lock <- new_spinlock!(None),
            offset: Atomic::new(0),
            high: Atomic::new(0),
        }? Error)
    }

    /// Resets the counter of `shared`'s device `dev` and registers the
    /// clock (`fbnic_ptp_setup()`).
    pub(crate) fn register(
        dev: &device::Device<Bound>,
        shared: &Arc<Shared>,
    ) -> Result<Arc<Registration>> {
        let reg = Registration::new(
            dev,
            &<crate::LocalModule as ModuleMetadata>::THIS_MODULE,
            c"",
            Self::new(shared.clone()),
        )
        .inspect_err(|e| dev_err!(dev, "Failed to register PTP: {:?}\n", e))?;
        Ok(Arc::new(reg, GFP_KERNEL)?)
    }

    /// Reads the counter, HI LO HI until consistent, with the system time
    /// taken around the LO read. Called with `lock` held.
    fn read_counter(&self, sts: &mut Option<&mut SystemTimestamps<'_>>) -> u64 {
        let regs = &self.shared.regs;
        loop {
            let hi = regs.read_raw(ptp::CTR_VAL_HI::AT);
            if let Some(sts) = sts.as_deref_mut() {
                sts.pre();
            }
            let lo = regs.read_raw(ptp::CTR_VAL_LO::AT);
            if let Some(sts) = sts.as_deref_mut() {
                sts.post();
            }
            if hi == regs.read_raw(ptp::CTR_VAL_HI::AT) {
                return u64::from(hi) << 32 | u64::from(lo);
            }
        }
    }

    /// Reads the counter's high bits into `high` (`fbnic_ptp_refresh_time()`).
    fn refresh(&self) {
        let mut last = self.lock.lock();
        let hi = self.shared.regs.read_raw(ptp::CTR_VAL_HI::AT);
        // A device that is gone reads all ones; its reset is pending.
        if !self.shared.regs.present() {
            return;
        }
        self.high.store(hi.wrapping_sub(HIGH_MARGIN), Relaxed);
        *last = Some(Instant::now());
    }

    /// Warns if the periodic read is more than half a period late
    /// (`fbnic_ptp_fresh_check()`).
    fn fresh_check(&self) {
        let Some(last) = *self.lock.lock() else {
            return;
        };
        let period = Delta::from_millis(i64::from(REFRESH_MS));
        let late = last.elapsed() - period;
        if late.as_nanos() > period.as_nanos() / 2 {
            dev_warn!(
                self.shared.dev,
                "NIC timestamp refresh stall, delayed by {} sec\n",
                late.as_nanos() / phc::NSEC_PER_SEC
            );
        }
    }

    /// The clock's time of a 40-bit descriptor time stamp
    /// (`fbnic_ts40_to_ns()`): bits 63..40 from the kept high bits, one
    /// more if the low 40 wrapped since that read (bits 39..32 of the time
    /// stamp far below the kept ones), plus the offset.
    pub(crate) fn ts40_to_ns(&self, ts40: u64) -> u64 {
        let offset = self.offset.load(Relaxed);
        let high = self.high.load(Relaxed);
        let mut ns = u64::from(high >> 8) << 40 | ts40;
        // CAST: bits 39..32 of each.
        let (ts_top, high_top) = ((ts40 >> 32) as u8, high as u8);
        if ts_top < high_top && high_top - ts_top > u8::MAX / 2 {
            ns = ns.wrapping_add(1 << 40);
        }
        ns.wrapping_add_signed(offset)
    }

    /// Starts the periodic read of the high bits, at interface open
    /// (`fbnic_time_start()`).
    pub(crate) fn start(reg: &Registration) -> Result {
        reg.data().refresh();
        reg.schedule_worker(refresh_jiffies())
    }

    /// Stops the periodic read, at interface stop (`fbnic_time_stop()`).
    pub(crate) fn stop(reg: &Registration) {
        reg.cancel_worker_sync();
        reg.data().fresh_check();
    }

    /// `EIO` if the device is gone, so that what was read is not to be
    /// trusted (`fbnic_present()`).
    fn present(&self) -> Result {
        if self.shared.regs.present() {
            Ok(())
        } else {
            Err(EIO)
        }
    }
}

/// Writes `addend` (ns per tick, Q16.32) into the addend registers; it
/// takes effect with `ADJUST.ADDEND_SET`.
fn set_addend(regs: &Regs, addend: u64) {
    // CAST: the halves of a 64-bit value; the high half is 16 bits wide
    // in the register and the field drops the rest.
    let (ns, subns) = ((addend >> 32) as u32, addend as u32);
    regs.write(
        ptp::ADD_VAL_NS::AT,
        ptp::ADD_VAL_NS::zeroed().with(ptp::ADD_VAL_NS::MASK, ns),
    );
    regs.write_raw(ptp::ADD_VAL_SUBNS::AT, subns);
}

/// The worker's period in jiffies.
fn refresh_jiffies() -> Jiffies {
    msecs_to_jiffies(REFRESH_MS)
}

#[vtable]
impl phc::Operations for Clock {
    /// Just below 10^9 ppb, so that the slowest rate still has a positive
    /// addend.
    const MAX_ADJ: i32 = 999_999_999;

    fn gettimex64(&self, sts: &mut SystemTimestamps<'_>) -> Result<i64> {
        let guard = self.lock.lock();
        let counter = self.read_counter(&mut Some(sts));
        let time = counter.wrapping_add_signed(self.offset.load(Relaxed));
        drop(guard);
        self.present()?;
        // CAST: the clock's time, reinterpreted as the kernel's signed
        // nanoseconds as the C driver does.
        Ok(time as i64)
    }

    fn settime64(&self, ns: i64) -> Result {
        let _guard = self.lock.lock();
        let counter = self.read_counter(&mut None);
        self.present()?;
        // CAST: the counter in the kernel's signed nanoseconds, wrapping
        // as the C driver's arithmetic does.
        self.offset.store(ns.wrapping_sub(counter as i64), Relaxed);
        Ok(())
    }

    fn adjfine(&self, scaled_ppm: ScaledPpm) -> Result {
        let addend = phc::adjust_by_scaled_ppm(ptp::DCLK_PERIOD, scaled_ppm);
        let regs = &self.shared.regs;
        let guard = self.lock.lock();
        set_addend(regs, addend);
        regs.write(
            ptp::ADJUST::AT,
            ptp::ADJUST::zeroed().set(ptp::ADJUST::ADDEND_SET),
        );
        // Flush: the addend registers stay stable for at least 4 clocks.
        regs.read_raw(ptp::SPARE::AT);
        drop(guard);
        self.present()
    }

    fn adjtime(&self, delta: i64) -> Result {
        let _guard = self.lock.lock();
        let offset = self.offset.load(Relaxed);
        self.offset.store(offset.wrapping_add(delta), Relaxed);
        Ok(())
    }

    fn do_aux_work(&self) -> Option<Jiffies> {
        self.fresh_check();
        self.refresh();
        Some(refresh_jiffies())
    }
}
