// SPDX-License-Identifier: GPL-2.0

//! A device that stops behaving like one, on demand from the control
//! socket, to show how a driver copes:
//!
//! * `fault PORT mmio gone`: the function drops off the bus as far as its
//!   registers go: every BAR0 and BAR4 read returns all ones and writes
//!   are lost, as on a PCIe link that went down (configuration space,
//!   DMA and the engines carry on). `fault PORT mmio back` ends it (the
//!   device's state is what it was: what the driver wrote meanwhile is
//!   lost). `fault PORT mmio` alone reports `ok mmio present|gone reads
//!   N`, N the reads answered with all ones so far.
//! * `fault PORT irq storm [SECONDS]`: every MSI-X vector the guest
//!   connected fires every [`STORM_PERIOD`] for SECONDS (default 5), with
//!   no cause behind it and whatever the interrupt block's masks say.
//! * `fault PORT irq lost [N]`: the next N MSI-X messages of queue vectors
//!   (from [`csr::NON_NAPI_VECTORS`] up) are lost on their way: the
//!   vector masks itself and its cause clears as if delivered
//!   ([`crate::intr`]), and the driver never hears of it.
//! * `fault PORT irq stop` ends a storm; `fault PORT irq` alone reports
//!   `ok irq storm on|off fired N lost M left K`.
//!
//! `fault PORT clear` ends all of them. They outlive function resets: a
//! device that is gone stays gone.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use fbnic_hw::csr;
use log::{info, warn};

use crate::device::FbnicDevice;

/// How often a storm fires each vector.
pub const STORM_PERIOD: Duration = Duration::from_micros(250);
/// A storm's default length.
const STORM_SECONDS: f64 = 5.0;
/// The longest storm.
const STORM_MAX_SECONDS: f64 = 600.0;

/// The device-level faults of one port.
#[derive(Debug, Default)]
pub struct Hostile {
    gone: AtomicBool,
    /// Reads answered with all ones.
    gone_reads: AtomicU64,
    /// The running storm's stop flag.
    storm: Mutex<Option<Arc<AtomicBool>>>,
    /// MSI-X messages a storm sent.
    stormed: Arc<AtomicU64>,
}

impl Hostile {
    /// Whether the BARs read all ones; counts the read if so.
    pub fn gone_read(&self) -> bool {
        let gone = self.gone.load(Ordering::Relaxed);
        if gone {
            self.gone_reads.fetch_add(1, Ordering::Relaxed);
        }
        gone
    }

    /// Whether BAR writes are lost.
    pub fn gone(&self) -> bool {
        self.gone.load(Ordering::Relaxed)
    }

    pub fn set_gone(&self, gone: bool) {
        self.gone.store(gone, Ordering::Relaxed);
    }

    /// Reads answered with all ones so far.
    pub fn gone_reads(&self) -> u64 {
        self.gone_reads.load(Ordering::Relaxed)
    }

    /// Whether a storm is running.
    pub fn storming(&self) -> bool {
        self.storm
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_some_and(|stop| !stop.load(Ordering::Relaxed))
    }

    /// MSI-X messages storms sent so far.
    pub fn stormed(&self) -> u64 {
        self.stormed.load(Ordering::Relaxed)
    }

    /// Ends a running storm.
    pub fn stop_storm(&self) {
        if let Some(stop) = self.storm.lock().unwrap_or_else(|e| e.into_inner()).take() {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

/// Starts a storm on `dev` for `length` (replacing one that runs).
pub fn storm(dev: &Arc<FbnicDevice>, length: Duration) -> Result<(), String> {
    let h = dev.hostile();
    h.stop_storm();
    let stop = Arc::new(AtomicBool::new(false));
    let fired = Arc::clone(&h.stormed);
    let dev2 = Arc::clone(dev);
    let stop2 = Arc::clone(&stop);
    thread::Builder::new()
        .name("irq-storm".into())
        .spawn(move || {
            let end = Instant::now() + length;
            let msix = dev2.intr().msix();
            while !stop2.load(Ordering::Relaxed) && Instant::now() < end {
                for v in 0..msix.count() {
                    if let Ok(true) = msix.fire(v) {
                        fired.fetch_add(1, Ordering::Relaxed);
                    }
                }
                thread::sleep(STORM_PERIOD);
            }
            stop2.store(true, Ordering::Relaxed);
            info!("interrupt storm over");
        })
        .map_err(|e| format!("cannot start the storm: {e}"))?;
    *h.storm.lock().unwrap_or_else(|e| e.into_inner()) = Some(stop);
    Ok(())
}

/// Every fault of this module off.
pub fn clear(dev: &FbnicDevice) {
    let h = dev.hostile();
    h.set_gone(false);
    h.stop_storm();
    dev.intr().set_lost(0);
}

fn report(dev: &FbnicDevice, kind: &str) -> String {
    let h = dev.hostile();
    if kind == "mmio" {
        let state = if h.gone() { "gone" } else { "present" };
        format!("mmio {state} reads {}", h.gone_reads())
    } else {
        let (lost, left) = dev.intr().lost();
        let storm = if h.storming() { "on" } else { "off" };
        format!(
            "irq storm {storm} fired {} lost {lost} left {left}",
            h.stormed()
        )
    }
}

/// `fault PORT mmio ...` and `fault PORT irq ...`: `kind` is mmio or irq,
/// `arg` and `n` the words after it. The control answer, or why not.
pub fn control(
    dev: &Arc<FbnicDevice>,
    kind: &str,
    arg: Option<&str>,
    n: Option<&str>,
) -> Result<String, String> {
    let Some(arg) = arg else {
        return Ok(report(dev, kind));
    };
    let h = dev.hostile();
    match (kind, arg) {
        ("mmio", "gone") => h.set_gone(true),
        ("mmio", "back") => h.set_gone(false),
        ("irq", "storm") => {
            let seconds = match n {
                None => STORM_SECONDS,
                Some(s) => s
                    .parse::<f64>()
                    .ok()
                    .filter(|s| *s > 0.0 && *s <= STORM_MAX_SECONDS)
                    .ok_or_else(|| format!("'{s}': want seconds in (0, {STORM_MAX_SECONDS}]"))?,
            };
            storm(dev, Duration::from_secs_f64(seconds))?;
        }
        ("irq", "lost") => {
            let n = match n {
                None => 1,
                Some(s) => s.parse().map_err(|_| format!("'{s}' is not a count"))?,
            };
            dev.intr().set_lost(n);
        }
        ("irq", "stop") => h.stop_storm(),
        ("mmio", other) => return Err(format!("mmio {other}: want gone or back")),
        (_, other) => return Err(format!("irq {other}: want storm, lost or stop")),
    }
    warn!("fault {kind} {arg} {}", n.unwrap_or(""));
    Ok(String::new())
}

/// The first vector a lost-interrupt fault applies to.
pub const FIRST_LOSSY_VECTOR: u16 = csr::NON_NAPI_VECTORS as u16;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DeviceParams;
    use crate::identity::DEFAULT_DSN;
    use crate::pci;

    use std::fs::File;
    use std::io::Read;
    use std::os::fd::FromRawFd;

    /// n eventfds, and a second handle of each to read it.
    fn eventfds(n: usize) -> (Vec<File>, Vec<File>) {
        (0..n)
            .map(|_| {
                // SAFETY: plain eventfd creation.
                let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
                assert!(fd >= 0);
                // SAFETY: `fd` is a fresh descriptor nobody else owns.
                let f = unsafe { File::from_raw_fd(fd) };
                (f.try_clone().unwrap(), f)
            })
            .unzip()
    }

    /// What an eventfd counted since it was last read.
    fn count(f: &File) -> u64 {
        let mut b = [0u8; 8];
        let mut f: &File = f;
        f.read_exact(&mut b).map_or(0, |_| u64::from_ne_bytes(b))
    }

    fn device() -> Arc<FbnicDevice> {
        Arc::new(FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
            queue_threads: 1,
        }))
    }

    fn rd(dev: &FbnicDevice, region: u32, reg: u32) -> u32 {
        let mut b = [0u8; 4];
        dev.region_read(region, u64::from(reg) * 4, &mut b).unwrap();
        u32::from_le_bytes(b)
    }

    fn wr(dev: &FbnicDevice, region: u32, reg: u32, v: u32) {
        dev.region_write(region, u64::from(reg) * 4, &v.to_le_bytes())
            .unwrap();
    }

    #[test]
    fn a_gone_device_reads_all_ones_and_loses_writes() {
        let dev = device();
        let scratch = csr::intr::SW_AC_MODE::at(csr::intr::BitmapIdx::new_const::<0>()).index();
        let fw_zero = csr::mbx::FW_ZERO_REG::AT.index();
        let csr_bar = pci::BAR_CSR.index;
        let fw_bar = pci::BAR_FW.index;
        wr(&dev, csr_bar, scratch, 0x1234);
        assert_eq!(rd(&dev, csr_bar, scratch), 0x1234);
        assert_ne!(rd(&dev, fw_bar, fw_zero), u32::MAX);
        assert_eq!(control(&dev, "mmio", Some("gone"), None), Ok(String::new()));
        assert_eq!(rd(&dev, csr_bar, scratch), u32::MAX);
        assert_eq!(rd(&dev, fw_bar, fw_zero), u32::MAX);
        wr(&dev, csr_bar, scratch, 0x5678);
        // Resets do not bring it back.
        dev.reset();
        assert_eq!(rd(&dev, csr_bar, scratch), u32::MAX);
        assert_eq!(
            control(&dev, "mmio", None, None).unwrap(),
            "mmio gone reads 3"
        );
        control(&dev, "mmio", Some("back"), None).unwrap();
        // The write while gone was lost; the reset's value shows.
        assert_ne!(rd(&dev, csr_bar, scratch), 0x5678);
        assert_ne!(rd(&dev, fw_bar, fw_zero), u32::MAX);
        control(&dev, "mmio", Some("gone"), None).unwrap();
        clear(&dev);
        assert_eq!(
            control(&dev, "mmio", None, None).unwrap(),
            "mmio present reads 3"
        );
        assert!(control(&dev, "mmio", Some("away"), None).is_err());
    }

    #[test]
    fn storms_fire_connected_vectors_until_stopped() {
        let dev = device();
        let (fds, files) = eventfds(2);
        dev.intr().msix().attach(0, fds).unwrap();
        control(&dev, "irq", Some("storm"), Some("30")).unwrap();
        assert!(dev.hostile().storming());
        thread::sleep(Duration::from_millis(100));
        let fired = dev.hostile().stormed();
        assert!(fired >= 2, "fired {fired}");
        control(&dev, "irq", Some("stop"), None).unwrap();
        assert!(!dev.hostile().storming());
        thread::sleep(Duration::from_millis(20));
        let after = dev.hostile().stormed();
        thread::sleep(Duration::from_millis(50));
        assert_eq!(dev.hostile().stormed(), after, "the storm went on");
        assert!(count(&files[0]) > 0);
        // A short storm ends by itself.
        control(&dev, "irq", Some("storm"), Some("0.05")).unwrap();
        thread::sleep(Duration::from_millis(300));
        assert!(!dev.hostile().storming());
        assert!(control(&dev, "irq", None, None)
            .unwrap()
            .starts_with("irq storm off fired "));
        for bad in [Some("0"), Some("-1"), Some("x"), Some("601")] {
            assert!(control(&dev, "irq", Some("storm"), bad).is_err(), "{bad:?}");
        }
        assert!(control(&dev, "irq", Some("hail"), None).is_err());
    }

    #[test]
    fn lost_interrupts_of_queue_vectors() {
        let dev = device();
        let (fds, files) = eventfds(4);
        dev.intr().msix().attach(0, fds).unwrap();
        let unmask = |v: u16| {
            let vector = csr::intr::VectorIdx::new(u32::from(v)).unwrap();
            let (word, bit) = csr::intr::vector_bit(vector);
            wr(
                &dev,
                pci::BAR_CSR.index,
                csr::intr::MASK_CLEAR::at(word).index(),
                bit,
            );
        };
        control(&dev, "irq", Some("lost"), Some("2")).unwrap();
        // The mailbox vector is not a queue vector: delivered.
        unmask(0);
        dev.intr().assert(0);
        assert_eq!(count(&files[0]), 1);
        // Two queue interrupts lost: each masks its vector, nothing sent.
        for _ in 0..2 {
            unmask(FIRST_LOSSY_VECTOR);
            dev.intr().assert(FIRST_LOSSY_VECTOR);
            assert!(dev.intr().is_masked(FIRST_LOSSY_VECTOR));
        }
        let v = usize::from(FIRST_LOSSY_VECTOR);
        assert_eq!(count(&files[v]), 0);
        assert_eq!(
            control(&dev, "irq", None, None).unwrap(),
            "irq storm off fired 0 lost 2 left 0"
        );
        // The third is delivered.
        unmask(FIRST_LOSSY_VECTOR);
        dev.intr().assert(FIRST_LOSSY_VECTOR);
        assert_eq!(count(&files[v]), 1);
        control(&dev, "irq", Some("lost"), Some("5")).unwrap();
        clear(&dev);
        assert_eq!(dev.intr().lost(), (2, 0));
    }
}
