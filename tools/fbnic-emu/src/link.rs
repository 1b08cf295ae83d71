// SPDX-License-Identifier: GPL-2.0

//! The Ethernet link as the driver sees it: the PCS pages (through the
//! driver's software MDIO bus, fbnic_mdio.c, and pcs-xpcs), the `SIG`
//! block's PCS status and link-change interrupt, and the port's configured
//! speed and FEC, which the firmware also reports in `FW_CAP_RESP`.
//!
//! The "cable" is up or down ([`Link::set_carrier`]); while it is up every
//! status register reads what a trained link of the configured mode shows:
//!
//! - `SIG_PCS_OUT0`: `LINK` plus exactly the per-lane lock bits
//!   `fbnic_mac_get_link_status()` expects for the mode (alignment-marker
//!   locks with RS-FEC, block locks without FEC, `SIG_PCS_OUT1` FC-FEC locks
//!   with BASE-R FEC). Writes only "flush" the latches: ignored.
//! - PCS `CTRL1` reports the speed selection of the mode and its reset bit
//!   (15) clears at once; `STAT1` has `LSTATUS` (latching low, as pcs-xpcs
//!   expects: a drop is reported by the next read even if the link is back);
//!   BASE-R `STAT1` has block lock; fault registers read 0.
//!
//! A carrier change sets `LINK_UP`/`LINK_DOWN` in `SIG_PCS_INTR_STS` (write
//! one to clear) and, unless `SIG_PCS_INTR_MASK` masks it, raises the PCS
//! cause, which `INTR_MSIX_CTRL(34)` routes to vector 1.
//!
//! Carrier changes come from the control socket or from a flap scheduled at
//! start-up relative to the first time the host takes ownership (`open`).

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use fbnic_hw::csr::{intr as csr_intr, mdio, pcs, sig};
use fbnic_hw::fw;
use fbnic_hw::reg::RegInfo;
use log::info;

use crate::device::FbnicDevice;
use crate::intr::InterruptController;
use crate::regblock::{Bus, RegisterBlock};

/// Port speeds and lane layouts the firmware can report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkSpeed {
    /// 25GBASE-CR, one lane.
    G25,
    /// 50GBASE-CR, one PAM4 lane (RS-FEC only).
    G50,
    /// 50GBASE-CR2, two lanes (LAUI-2).
    G50R2,
    /// 100GBASE-CR2, two PAM4 lanes (RS-FEC only).
    G100,
}

/// Forward error correction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FecMode {
    None,
    /// Reed-Solomon (clause 91/134).
    Rs,
    /// BASE-R / Fire code (clause 74).
    BaseR,
}

/// Speed and FEC of a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkConfig {
    pub speed: LinkSpeed,
    pub fec: FecMode,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            speed: LinkSpeed::G100,
            fec: FecMode::Rs,
        }
    }
}

impl FromStr for LinkSpeed {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "25" | "25g" | "25G" => LinkSpeed::G25,
            "50" | "50g" | "50G" => LinkSpeed::G50,
            "50r2" | "50gr2" | "50G-R2" => LinkSpeed::G50R2,
            "100" | "100g" | "100G" => LinkSpeed::G100,
            _ => return Err(format!("link speed '{s}' is not one of 25, 50, 50r2, 100")),
        })
    }
}

impl FromStr for FecMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "none" | "off" => FecMode::None,
            "rs" => FecMode::Rs,
            "baser" => FecMode::BaseR,
            _ => return Err(format!("FEC '{s}' is not one of rs, baser, none")),
        })
    }
}

impl LinkSpeed {
    /// The interface in the driver's terms.
    pub fn aui(self) -> fw::Aui {
        match self {
            LinkSpeed::G25 => fw::Aui::Gaui25,
            LinkSpeed::G50 => fw::Aui::Gaui50x1,
            LinkSpeed::G50R2 => fw::Aui::Laui2,
            LinkSpeed::G100 => fw::Aui::Gaui100x2,
        }
    }

    /// Megabits per second.
    pub fn mbps(self) -> u32 {
        fw::LinkConfig {
            aui: self.aui(),
            fec: fw::Fec::Rs,
        }
        .speed_mbps()
    }

    /// PCS `CTRL1` speed selection (`MDIO_PCS_CTRL1_SPEED*`).
    fn ctrl1_speed(self) -> u32 {
        match self {
            LinkSpeed::G25 => mdio::PCS_CTRL1_SPEED25G,
            LinkSpeed::G50 | LinkSpeed::G50R2 => mdio::PCS_CTRL1_SPEED50G,
            LinkSpeed::G100 => mdio::PCS_CTRL1_SPEED100G,
        }
    }
}

impl LinkConfig {
    /// The configuration in the driver's terms (`fbnic_hw::fw`), which
    /// owns the lane masks, the PCS status and the firmware encoding.
    pub fn hw(&self) -> fw::LinkConfig {
        fw::LinkConfig {
            aui: self.speed.aui(),
            fec: match self.fec {
                FecMode::None => fw::Fec::Off,
                FecMode::Rs => fw::Fec::Rs,
                FecMode::BaseR => fw::Fec::BaseR,
            },
        }
    }

    /// Checks the combination exists: the PAM4 modes run RS-FEC only (the
    /// driver forces RS for them whatever the firmware says).
    pub fn validate(&self) -> Result<(), String> {
        if self.hw().is_valid() {
            return Ok(());
        }
        Err(format!(
            "{} Mb/s on {} runs RS-FEC only",
            self.speed.mbps(),
            if self.speed == LinkSpeed::G50 {
                "one lane"
            } else {
                "two lanes"
            }
        ))
    }

    /// `SIG_PCS_OUT0` and `SIG_PCS_OUT1` of a trained link.
    fn pcs_out(&self) -> (u32, u32) {
        self.hw().pcs_out()
    }
}

impl fmt::Display for LinkConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lanes = match self.speed {
            LinkSpeed::G25 | LinkSpeed::G50 => "",
            LinkSpeed::G50R2 | LinkSpeed::G100 => " (2 lanes)",
        };
        let fec = match self.fec {
            FecMode::None => "no FEC",
            FecMode::Rs => "RS-FEC",
            FecMode::BaseR => "BASE-R FEC",
        };
        write!(f, "{}G{lanes} {fec}", self.speed.mbps() / 1000)
    }
}

/// A link flap to run once the host first takes ownership.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlapPlan {
    /// From ownership to carrier loss.
    pub after: Duration,
    /// How long the carrier stays down.
    pub down_for: Duration,
}

struct State {
    carrier: bool,
    /// `STAT1.LSTATUS` latched low since the last read, per PCS page.
    lstatus_latched_low: [bool; pcs::MDIO_ADDRS as usize],
    /// Stored `CTRL1` bits other than speed and reset, per page.
    ctrl1: [u32; pcs::MDIO_ADDRS as usize],
    intr_sts: u32,
    intr_mask: u32,
    /// Carrier changes due: (when, up).
    scheduled: Vec<(Instant, bool)>,
    changes: u64,
}

impl State {
    fn new() -> Self {
        State {
            carrier: true,
            lstatus_latched_low: [false; pcs::MDIO_ADDRS as usize],
            ctrl1: [0; pcs::MDIO_ADDRS as usize],
            intr_sts: 0,
            intr_mask: sig::PCS_INTR_MASK::INFO.reset,
            scheduled: Vec::new(),
            changes: 0,
        }
    }
}

/// The link of one port.
pub struct Link {
    config: LinkConfig,
    flap: Option<FlapPlan>,
    state: Mutex<State>,
    /// `State::carrier`, stored with it under the lock, for the datapath,
    /// which asks for every frame.
    carrier: AtomicBool,
}

impl Link {
    /// A link of `config`, carrier up; `flap` runs once after the first
    /// ownership.
    pub fn new(config: LinkConfig, flap: Option<FlapPlan>) -> Self {
        Link {
            config,
            flap,
            state: Mutex::new(State::new()),
            carrier: AtomicBool::new(State::new().carrier),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn config(&self) -> LinkConfig {
        self.config
    }

    /// True if the cable is "plugged" (carrier from the partner).
    pub fn carrier(&self) -> bool {
        self.carrier.load(Ordering::Acquire)
    }

    /// Carrier changes since start.
    pub fn changes(&self) -> u64 {
        self.lock().changes
    }

    /// Register state back to reset; carrier and schedule (the outside
    /// world) stay.
    pub fn reset(&self) {
        let mut st = self.lock();
        st.lstatus_latched_low = [false; pcs::MDIO_ADDRS as usize];
        st.ctrl1 = [0; pcs::MDIO_ADDRS as usize];
        st.intr_sts = 0;
        st.intr_mask = sig::PCS_INTR_MASK::INFO.reset;
    }

    /// Plugs or unplugs the cable; raises the PCS cause on a change.
    pub fn set_carrier(&self, dev: &FbnicDevice, up: bool) {
        let raise = {
            let mut st = self.lock();
            if st.carrier == up {
                return;
            }
            st.carrier = up;
            self.carrier.store(up, Ordering::Release);
            st.changes += 1;
            if !up {
                st.lstatus_latched_low = [true; pcs::MDIO_ADDRS as usize];
            }
            st.intr_sts |= if up {
                sig::PCS_INTR_LINK_UP
            } else {
                sig::PCS_INTR_LINK_DOWN
            };
            st.intr_sts & !st.intr_mask != 0
        };
        info!("link {}", if up { "up" } else { "down" });
        if raise {
            dev.intr().raise_cause(csr_intr::MSIX_CTRL_PCS_IDX);
        }
    }

    /// Schedules a carrier change `after` from now.
    pub fn schedule(&self, after: Duration, up: bool) {
        self.lock().scheduled.push((Instant::now() + after, up));
    }

    /// The firmware saw the host take ownership (`first` for the first
    /// time since start): starts the planned flap.
    pub fn host_took_ownership(&self, first: bool) {
        if let (true, Some(plan)) = (first, self.flap) {
            info!(
                "link flap planned in {:?}, down for {:?}",
                plan.after, plan.down_for
            );
            self.schedule(plan.after, false);
            self.schedule(plan.after + plan.down_for, true);
        }
    }

    /// Runs the carrier changes that are due.
    pub fn tick(&self, dev: &FbnicDevice) {
        let now = Instant::now();
        let due: Vec<bool> = {
            let mut st = self.lock();
            st.scheduled.sort_by_key(|&(t, _)| t);
            let n = st.scheduled.iter().take_while(|&&(t, _)| t <= now).count();
            st.scheduled.drain(..n).map(|(_, up)| up).collect()
        };
        for up in due {
            self.set_carrier(dev, up);
        }
    }

    /// Guest read of a link register, or `None` if `reg` is not one.
    pub fn read(&self, reg: u32) -> Option<u32> {
        let mut st = self.lock();
        let (out0, out1) = if st.carrier {
            self.config.pcs_out()
        } else {
            (0, 0)
        };
        Some(match reg {
            sig::PCS_OUT0::INDEX => out0,
            sig::PCS_OUT1::INDEX => out1,
            sig::PCS_INTR_STS::INDEX => st.intr_sts,
            sig::PCS_INTR_MASK::INDEX => st.intr_mask,
            _ => {
                let (page, off) = pcs_page(reg)?;
                match off {
                    mdio::CTRL1 => st.ctrl1[page] | self.config.speed.ctrl1_speed(),
                    mdio::STAT1 => {
                        let up = st.carrier && !st.lstatus_latched_low[page];
                        st.lstatus_latched_low[page] = false;
                        if up {
                            mdio::STAT1_LSTATUS
                        } else {
                            0
                        }
                    }
                    mdio::PCS_BASER_STAT1 if st.carrier => mdio::PCS_BASER_STAT1_BLKLK,
                    mdio::PCS_BASER_STAT1 => 0,
                    _ => return None,
                }
            }
        })
    }

    /// Guest write of a link register; false if `reg` is not one. A change
    /// of the link interrupt mask that unmasks a pending event raises the
    /// PCS cause in `intr`.
    pub fn write(&self, intr: &InterruptController, reg: u32, val: u32) -> bool {
        let raise = {
            let mut st = self.lock();
            match reg {
                // Writes latch fresh status; the status is always fresh.
                sig::PCS_OUT0::INDEX | sig::PCS_OUT1::INDEX => false,
                sig::PCS_INTR_STS::INDEX => {
                    if let Some(sts) = sig::PCS_INTR_STS::INFO.apply_write(st.intr_sts, val) {
                        st.intr_sts = sts;
                    }
                    false
                }
                sig::PCS_INTR_MASK::INDEX => {
                    st.intr_mask = val;
                    st.intr_sts & !val != 0
                }
                _ => match pcs_page(reg) {
                    Some((page, mdio::CTRL1)) => {
                        // Reset completes at once; speed follows the mode.
                        st.ctrl1[page] = val & !(mdio::CTRL1_RESET | mdio::CTRL1_SPEEDSEL);
                        false
                    }
                    // Status registers are read-only.
                    Some((_, mdio::STAT1 | mdio::PCS_BASER_STAT1)) => false,
                    _ => return false,
                },
            }
        };
        if raise {
            intr.raise_cause(csr_intr::MSIX_CTRL_PCS_IDX);
        }
        true
    }
}

impl RegisterBlock for Link {
    fn registers(&self) -> &'static [&'static [RegInfo]] {
        &[pcs::REGISTERS, sig::REGISTERS]
    }

    fn read(&self, reg: u32) -> Option<u32> {
        Link::read(self, reg)
    }

    fn write(&self, bus: &Bus<'_>, reg: u32, val: u32) -> bool {
        Link::write(self, bus.intr, reg, val)
    }
}

/// (PCS instance, register offset) of a BAR0 dword in the PCS pages.
fn pcs_page(reg: u32) -> Option<(usize, u32)> {
    pcs::PCS::decode(reg).map(|(n, r)| (n.get() as usize, r.get()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DeviceParams;
    use crate::identity::DEFAULT_DSN;

    fn cfg(speed: LinkSpeed, fec: FecMode) -> LinkConfig {
        LinkConfig { speed, fec }
    }

    #[test]
    fn pcs_out_matches_the_drivers_lane_masks() {
        // The examples of the hardware map plus the BASE-R case.
        assert_eq!(
            cfg(LinkSpeed::G100, FecMode::Rs).pcs_out(),
            (0x0800_001e, 0)
        );
        assert_eq!(cfg(LinkSpeed::G50, FecMode::Rs).pcs_out(), (0x0800_0006, 0));
        assert_eq!(cfg(LinkSpeed::G25, FecMode::Rs).pcs_out(), (0x0800_0002, 0));
        assert_eq!(
            cfg(LinkSpeed::G50R2, FecMode::None).pcs_out(),
            (0x0800_0000 | 0x63 << 5, 0)
        );
        assert_eq!(
            cfg(LinkSpeed::G50R2, FecMode::BaseR).pcs_out(),
            (0x0800_0000, 0xf << 8)
        );
        assert!(cfg(LinkSpeed::G100, FecMode::None).validate().is_err());
        assert!(cfg(LinkSpeed::G25, FecMode::BaseR).validate().is_ok());
    }

    fn device(config: LinkConfig) -> FbnicDevice {
        FbnicDevice::with_link(
            DeviceParams {
                dsn: DEFAULT_DSN,
                queues: 2,
                queue_threads: 1,
            },
            config,
            None,
        )
    }

    #[test]
    fn pcs_registers_follow_speed_and_carrier() {
        let dev = device(cfg(LinkSpeed::G25, FecMode::Rs));
        let ctrl1 = pcs::PCS::INFO.dword(0, mdio::CTRL1);
        assert_eq!(dev.csr_read(ctrl1), 0x2054);
        // Soft reset self-clears, speed stays.
        dev.csr_write(ctrl1, mdio::CTRL1_RESET);
        assert_eq!(dev.csr_read(ctrl1), 0x2054);
        assert_eq!(
            dev.csr_read(pcs::PCS::INFO.dword(0, mdio::STAT1)),
            mdio::STAT1_LSTATUS
        );
        assert_eq!(
            dev.csr_read(pcs::PCS::INFO.dword(0, mdio::PCS_BASER_STAT1)),
            mdio::PCS_BASER_STAT1_BLKLK
        );
        // Other PCS registers are storage; fault registers read 0.
        assert_eq!(dev.csr_read(pcs::PCS::INFO.dword(0, 0x8)), 0);
        dev.link().set_carrier(&dev, false);
        assert_eq!(dev.csr_read(sig::PCS_OUT0::INDEX), 0);
        assert_eq!(dev.csr_read(pcs::PCS::INFO.dword(0, mdio::STAT1)), 0);
        // Latching low: a drop and recovery between two reads is still
        // reported by the first read.
        dev.link().set_carrier(&dev, true);
        assert_eq!(
            dev.csr_read(pcs::PCS::INFO.dword(0, mdio::STAT1)),
            mdio::STAT1_LSTATUS
        );
        dev.link().set_carrier(&dev, false);
        dev.link().set_carrier(&dev, true);
        assert_eq!(dev.csr_read(pcs::PCS::INFO.dword(0, mdio::STAT1)), 0);
        assert_eq!(
            dev.csr_read(pcs::PCS::INFO.dword(0, mdio::STAT1)),
            mdio::STAT1_LSTATUS
        );
        assert_eq!(dev.csr_read(sig::PCS_OUT0::INDEX), 0x0800_0002);
        // The flush write changes nothing.
        dev.csr_write(sig::PCS_OUT0::INDEX, !0);
        assert_eq!(dev.csr_read(sig::PCS_OUT0::INDEX), 0x0800_0002);
    }

    #[test]
    fn link_changes_interrupt_through_the_pcs_route() {
        let dev = device(LinkConfig::default());
        // Reset: causes masked.
        dev.link().set_carrier(&dev, false);
        assert_eq!(
            dev.csr_read(sig::PCS_INTR_STS::INDEX),
            sig::PCS_INTR_LINK_DOWN
        );
        assert!(!dev.intr().is_pending(1));
        // W1C.
        dev.csr_write(sig::PCS_INTR_STS::INDEX, sig::PCS_INTR_LINK_DOWN);
        assert_eq!(dev.csr_read(sig::PCS_INTR_STS::INDEX), 0);
        // The driver routes the PCS cause to vector 1 and unmasks.
        dev.csr_write(
            csr_intr::MSIX_CTRL::INFO.dword(csr_intr::MSIX_CTRL_PCS_IDX, 0),
            1 | csr_intr::MSIX_CTRL::ENABLE.mask(),
        );
        dev.csr_write(
            sig::PCS_INTR_MASK::INDEX,
            !(sig::PCS_INTR_LINK_UP | sig::PCS_INTR_LINK_DOWN),
        );
        dev.link().set_carrier(&dev, true);
        assert_eq!(
            dev.csr_read(sig::PCS_INTR_STS::INDEX),
            sig::PCS_INTR_LINK_UP
        );
        assert!(dev.intr().is_pending(1), "PCS cause reached vector 1");
        // Unmasking with a pending cause raises it too.
        dev.csr_write(csr_intr::CLEAR::INFO.dword(0, 0), 2);
        dev.csr_write(sig::PCS_INTR_MASK::INDEX, !0);
        dev.csr_write(sig::PCS_INTR_MASK::INDEX, 0);
        assert!(dev.intr().is_pending(1));
    }

    #[test]
    fn planned_flap_runs_once_after_first_ownership() {
        let dev = FbnicDevice::with_link(
            DeviceParams {
                dsn: DEFAULT_DSN,
                queues: 2,
                queue_threads: 1,
            },
            LinkConfig::default(),
            Some(FlapPlan {
                after: Duration::ZERO,
                down_for: Duration::from_millis(30),
            }),
        );
        dev.link().host_took_ownership(true);
        dev.link().tick(&dev);
        assert!(!dev.link().carrier());
        std::thread::sleep(Duration::from_millis(40));
        dev.link().tick(&dev);
        assert!(dev.link().carrier());
        assert_eq!(dev.link().changes(), 2);
        dev.link().host_took_ownership(false);
        dev.link().tick(&dev);
        assert_eq!(dev.link().changes(), 2);
    }
}
