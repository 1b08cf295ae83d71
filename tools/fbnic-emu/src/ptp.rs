// SPDX-License-Identifier: GPL-2.0

//! The device's PTP clock (BAR0 `PTP` block, fbnic_time.c).
//!
//! In hardware a free-running counter of nanoseconds advances by the
//! Q16.32 addend (`PTP_ADD_VAL_NS`/`_SUBNS`) on every 600 MHz tick. Here it
//! follows the host's monotonic clock, scaled by `addend / nominal`, so the
//! driver's `adjfine` changes its rate as it would on the device:
//!
//! - `PTP_CTRL.EN` runs the counter; with it clear the counter holds.
//! - `PTP_ADJUST` is a strobe register: `INIT` loads `PTP_INIT_HI:LO`,
//!   `ADDEND_SET` takes the addend from `PTP_ADD_VAL_*` (from that instant
//!   on), `ADD_NUDGE`/`SUB_NUDGE` step the counter by `PTP_NUDGE_NS`.
//! - `PTP_CTR_VAL_HI/LO` (and the `MONO` copy) read the counter; the driver
//!   reads HI, LO, HI again to get a consistent 64-bit value.
//!
//! The driver keeps `adjtime`/`settime` offsets in software, so these are
//! all the registers it needs. The counter is the device's time base:
//! [`PtpClock::now_ns`] is what TX/RX timestamps should carry.

use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use fbnic_hw::csr::ptp;
use fbnic_hw::reg::RegInfo;

use crate::regblock::{Bus, RegisterBlock};
use crate::regs::RegisterFile;

/// The addend of a clock running at nominal rate: ns per tick in Q32.32.
pub const NOMINAL_ADDEND: u64 = ptp::DCLK_PERIOD;

struct State {
    enabled: bool,
    /// Counter value at `anchor`.
    base: u64,
    anchor: Instant,
    addend: u64,
}

impl State {
    fn new() -> Self {
        State {
            enabled: false,
            base: 0,
            anchor: Instant::now(),
            addend: NOMINAL_ADDEND,
        }
    }

    fn value_at(&self, now: Instant) -> u64 {
        if !self.enabled {
            return self.base;
        }
        let elapsed = now.saturating_duration_since(self.anchor).as_nanos();
        let advanced = elapsed * u128::from(self.addend) / u128::from(NOMINAL_ADDEND);
        self.base.wrapping_add(advanced as u64)
    }

    /// Folds the time elapsed so far into `base`, so that a rate or state
    /// change applies from `now` on.
    fn rebase(&mut self, now: Instant) {
        self.base = self.value_at(now);
        self.anchor = now;
    }
}

/// The PTP counter of one function.
pub struct PtpClock {
    state: Mutex<State>,
}

impl Default for PtpClock {
    fn default() -> Self {
        Self::new()
    }
}

impl PtpClock {
    /// A stopped counter at 0, nominal rate (the reset state).
    pub fn new() -> Self {
        PtpClock {
            state: Mutex::new(State::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Plain data updated whole under the lock; poisoning cannot leave
        // it inconsistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to the reset state.
    pub fn reset(&self) {
        *self.lock() = State::new();
    }

    /// The counter now, in nanoseconds (the device's time base).
    pub fn now_ns(&self) -> u64 {
        self.lock().value_at(Instant::now())
    }

    /// Guest read of a PTP register, or `None` if `reg` is plain storage.
    pub fn read(&self, reg: u32) -> Option<u32> {
        match reg {
            ptp::CTR_VAL_HI::INDEX | ptp::MONO_PTP_CTR_HI::INDEX => {
                Some((self.now_ns() >> 32) as u32)
            }
            ptp::CTR_VAL_LO::INDEX | ptp::MONO_PTP_CTR_LO::INDEX => Some(self.now_ns() as u32),
            // A strobe register: nothing to read back.
            ptp::ADJUST::INDEX => Some(0),
            _ => None,
        }
    }

    /// Guest write of a PTP register; `regs` holds the plain-storage
    /// operands (`INIT_*`, `NUDGE_*`, `ADD_VAL_*`). Returns false if `reg`
    /// is plain storage (the caller stores it).
    pub fn write(&self, regs: &RegisterFile, reg: u32, val: u32) -> bool {
        let now = Instant::now();
        let operand = |r: u32| regs.read(r).unwrap_or(0);
        match reg {
            ptp::CTRL::INDEX => {
                let mut st = self.lock();
                st.rebase(now);
                st.enabled = val & ptp::CTRL::EN.mask() != 0;
                drop(st);
                // The other control bits (outputs, tick interval) are kept
                // as written.
                regs.write(reg, val);
                true
            }
            ptp::ADJUST::INDEX => {
                let mut st = self.lock();
                st.rebase(now);
                if val & ptp::ADJUST::INIT.mask() != 0 {
                    st.base = u64::from(operand(ptp::INIT_HI::INDEX)) << 32
                        | u64::from(operand(ptp::INIT_LO::INDEX));
                }
                if val & ptp::ADJUST::ADDEND_SET.mask() != 0 {
                    let ns = u64::from(ptp::ADD_VAL_NS::MASK.get(operand(ptp::ADD_VAL_NS::INDEX)));
                    st.addend = ns << 32 | u64::from(operand(ptp::ADD_VAL_SUBNS::INDEX));
                }
                let nudge = u64::from(operand(ptp::NUDGE_NS::INDEX));
                if val & ptp::ADJUST::ADD_NUDGE.mask() != 0 {
                    st.base = st.base.wrapping_add(nudge);
                }
                if val & ptp::ADJUST::SUB_NUDGE.mask() != 0 {
                    st.base = st.base.wrapping_sub(nudge);
                }
                true
            }
            // The counter itself is read-only.
            ptp::CTR_VAL_HI::INDEX
            | ptp::CTR_VAL_LO::INDEX
            | ptp::MONO_PTP_CTR_HI::INDEX
            | ptp::MONO_PTP_CTR_LO::INDEX => true,
            _ => false,
        }
    }
}

impl RegisterBlock for PtpClock {
    fn registers(&self) -> &'static [&'static [RegInfo]] {
        &[ptp::REGISTERS]
    }

    fn read(&self, reg: u32) -> Option<u32> {
        PtpClock::read(self, reg)
    }

    fn write(&self, bus: &Bus<'_>, reg: u32, val: u32) -> bool {
        PtpClock::write(self, bus.csr, reg, val)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{DeviceParams, FbnicDevice};
    use crate::identity::DEFAULT_DSN;
    use std::thread::sleep;
    use std::time::Duration;

    fn device() -> FbnicDevice {
        FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
            queue_threads: 1,
        })
    }

    /// The driver's read: HI, LO, HI again until stable.
    fn read(dev: &FbnicDevice) -> u64 {
        loop {
            let hi = dev.csr_read(ptp::CTR_VAL_HI::INDEX);
            let lo = dev.csr_read(ptp::CTR_VAL_LO::INDEX);
            if hi == dev.csr_read(ptp::CTR_VAL_HI::INDEX) {
                return u64::from(hi) << 32 | u64::from(lo);
            }
        }
    }

    /// fbnic_ptp_reset(): nominal addend, counter initialised to 0, enabled.
    fn driver_reset(dev: &FbnicDevice) {
        dev.csr_write(ptp::CTRL::INDEX, ptp::CTRL::EN.mask());
        dev.csr_write(ptp::ADD_VAL_NS::INDEX, (NOMINAL_ADDEND >> 32) as u32);
        dev.csr_write(ptp::ADD_VAL_SUBNS::INDEX, NOMINAL_ADDEND as u32);
        dev.csr_write(ptp::INIT_HI::INDEX, 0);
        dev.csr_write(ptp::INIT_LO::INDEX, 0);
        dev.csr_write(ptp::ADJUST::INDEX, ptp::ADJUST::INIT.mask());
        dev.csr_write(
            ptp::CTRL::INDEX,
            ptp::CTRL::EN.mask() | ptp::CTRL::TQS_OUT_EN.mask(),
        );
    }

    #[test]
    fn counter_holds_until_enabled_then_runs_at_nominal_rate() {
        let dev = device();
        assert_eq!(read(&dev), 0);
        sleep(Duration::from_millis(5));
        assert_eq!(read(&dev), 0, "disabled at reset");
        driver_reset(&dev);
        // Host time around both reads bounds the counter's advance.
        let host0 = Instant::now();
        let t0 = read(&dev);
        sleep(Duration::from_millis(50));
        let dt = read(&dev) - t0;
        let host = host0.elapsed().as_nanos() as u64;
        assert!(dt >= 50_000_000 && dt <= host, "{dt} vs {host}");
        assert_eq!(
            dev.csr_read(ptp::CTRL::INDEX),
            ptp::CTRL::EN.mask() | ptp::CTRL::TQS_OUT_EN.mask()
        );
        // Disabling holds the value.
        dev.csr_write(ptp::CTRL::INDEX, 0);
        let held = read(&dev);
        sleep(Duration::from_millis(5));
        assert_eq!(read(&dev), held);
    }

    #[test]
    fn init_nudge_and_addend() {
        let dev = device();
        driver_reset(&dev);
        dev.csr_write(ptp::CTRL::INDEX, 0);
        dev.csr_write(ptp::INIT_HI::INDEX, 7);
        dev.csr_write(ptp::INIT_LO::INDEX, 100);
        dev.csr_write(ptp::ADJUST::INDEX, ptp::ADJUST::INIT.mask());
        assert_eq!(read(&dev), 7 << 32 | 100);
        dev.csr_write(ptp::NUDGE_NS::INDEX, 50);
        dev.csr_write(ptp::ADJUST::INDEX, ptp::ADJUST::ADD_NUDGE.mask());
        assert_eq!(read(&dev), 7 << 32 | 150);
        dev.csr_write(ptp::ADJUST::INDEX, ptp::ADJUST::SUB_NUDGE.mask());
        dev.csr_write(ptp::ADJUST::INDEX, ptp::ADJUST::SUB_NUDGE.mask());
        assert_eq!(read(&dev), 7 << 32 | 50);
        assert_eq!(dev.csr_read(ptp::ADJUST::INDEX), 0);
        // Twice the nominal addend: the counter runs twice as fast.
        let fast = 2 * NOMINAL_ADDEND;
        dev.csr_write(ptp::ADD_VAL_NS::INDEX, (fast >> 32) as u32);
        dev.csr_write(ptp::ADD_VAL_SUBNS::INDEX, fast as u32);
        dev.csr_write(ptp::ADJUST::INDEX, ptp::ADJUST::ADDEND_SET.mask());
        dev.csr_write(ptp::CTRL::INDEX, ptp::CTRL::EN.mask());
        let host0 = Instant::now();
        let t0 = read(&dev);
        sleep(Duration::from_millis(40));
        let dt = read(&dev) - t0;
        let host = host0.elapsed().as_nanos() as u64;
        assert!(
            dt >= 80_000_000 && dt <= 2 * host + 1_000_000,
            "{dt} vs 2x{host}"
        );
        // Writes to the counter are ignored; reset stops it at 0.
        dev.csr_write(ptp::CTR_VAL_LO::INDEX, 0);
        assert!(read(&dev) > t0);
        dev.reset();
        assert_eq!(read(&dev), 0);
        assert_eq!(dev.ptp().now_ns(), 0);
    }
}
