// SPDX-License-Identifier: GPL-2.0

//! What the service task does about a device that misbehaves as a whole:
//!
//! - It dropped off the bus (its register reads return all ones,
//!   [`Regs::gone`](crate::regs::Regs::gone)): the driver logs it once,
//!   detaches the interface (`netif_device_detach()`: the stack stops
//!   transmitting and runs no TX watchdog) and the service task stops.
//!   Nothing touches the device any more; unbinding works as usual, and a
//!   function reset (`/sys/bus/pci/devices/*/reset`, or PCI error
//!   recovery) quiesces the port and brings it back if the device answers
//!   again. (The C driver's `fbnic_rd32()` does the same, but its service
//!   task goes on.)
//! - An interrupt got lost: the device wrote completions for a queue pair
//!   and its MSI-X message never arrived, so NAPI never runs and the
//!   vector, masked by its own delivery, stays masked. Once a second the
//!   service task looks for a queue vector that had no interrupt since
//!   the last look and whose NAPI instance is not scheduled (under load
//!   NAPI polls on with the interrupt masked) while a completion waits at
//!   the position its poll reads next, and fires that vector's interrupt
//!   (unmasked), as the depletion check does for an RX ring short of
//!   pages. It counts and logs each time (rate-limited). The C driver has
//!   no such check: a lost interrupt stalls the queue pair until the
//!   interface goes down and up.
//! - The device stopped sending on a TX queue: descriptors wait and the
//!   queue's head has not moved for [`TX_HANG_CHECKS`] seconds. The
//!   stack's watchdog catches this only for a queue it stopped; a queue
//!   that BQL and TCP's small-queue limit keep below its stop threshold
//!   (a TCP stream's queue, typically) hangs unnoticed. The service task
//!   then does what a TX timeout does: it logs, counts and resets the
//!   queues.

#![forbid(unsafe_code)]

use kernel::{
    prelude::*,
    sync::atomic::Relaxed, //
};

use super::Service;
use crate::kernel_ext::net;

/// Seconds (service checks) for which a TX queue with descriptors
/// outstanding may make no progress. The stack's watchdog reports a queue
/// it stopped within twice its period (`watchdog_timeo`, 5 s): one second
/// more leaves such a queue to the watchdog.
const TX_HANG_CHECKS: u32 = 11;

impl Service {
    /// Whether the device was found gone; the first time, logs it and
    /// detaches the interface.
    pub(super) fn device_gone(&self) -> bool {
        let regs = &self.shared.regs;
        if let Some((bar, at)) = regs.take_gone_report() {
            dev_err!(
                self.shared.dev,
                "BAR{} dword {:#x} read all ones, and so did the register that reads zero: the device is gone; register access stopped and the interface detached until a reset\n",
                bar,
                at
            );
            if let Some(handle) = self.netdev.as_ref() {
                handle.with(|dev| dev.detach());
            }
        }
        regs.gone()
    }

    /// Fires the interrupt of each queue vector whose completions wait and
    /// which had no interrupt since the last call.
    pub(super) fn rearm_stalled(&self) {
        let Some(handle) = self.netdev.as_ref() else {
            return;
        };
        handle.with(|dev| {
            let port = dev.data();
            let layout = port.layout();
            let pairs = || port.queues.iter().take(layout.pairs() as usize);
            for (i, q) in port.napis().iter().enumerate().take(layout.napis as usize) {
                let (Some(irqs), Some(seen)) = (self.irqs.get(i), self.irqs_seen.get(i)) else {
                    break;
                };
                // CAST: at most 128 vectors and queues.
                let serviced = |p: u32| {
                    let rx = p < layout.rx && layout.rx_napi(p) == i as u32;
                    layout.tcq_napi(p) == i as u32 || rx
                };
                let now = irqs.load(Relaxed);
                // A scheduled instance is polling (under load NAPI keeps
                // polling with its interrupt masked): not a lost interrupt.
                if seen.xchg(now, Relaxed) != now
                    || q.napi.is_scheduled()
                    || !pairs()
                        .enumerate()
                        .any(|(p, pair)| serviced(p as u32) && pair.rings.completions_waiting())
                {
                    continue;
                }
                let n = self.irq_rearms.fetch_add(1, Relaxed) + 1;
                if net::ratelimit() {
                    dev_warn!(
                        self.shared.dev,
                        "queue vector {}: completions waiting and no interrupt for a second (lost?): firing it ({} so far)\n",
                        i,
                        n
                    );
                }
                q.rings.unmask_and_kick(&self.shared.regs);
            }
        });
    }

    /// Resets the queues when a TX queue with descriptors outstanding
    /// made no progress for [`TX_HANG_CHECKS`] checks in a row.
    pub(super) fn tx_hang_check(&self) {
        let Some(handle) = self.netdev.as_ref() else {
            return;
        };
        handle.with(|dev| {
            let port = dev.data();
            let tx = port.layout().tx as usize;
            let queues = port.queues.iter().zip(&self.tx_seen).zip(&self.tx_still);
            for (q, ((pair, seen), still)) in queues.take(tx).enumerate() {
                let head = pair.rings.tx_outstanding();
                // u32::MAX stands for "nothing outstanding": a real head
                // there costs one check at most.
                let last = seen.xchg(head.unwrap_or(u32::MAX), Relaxed);
                let checks = match head {
                    Some(head) if head == last => still.load(Relaxed) + 1,
                    _ => 0,
                };
                if checks < TX_HANG_CHECKS {
                    still.store(checks, Relaxed);
                    continue;
                }
                still.store(0, Relaxed);
                // CAST: at most 128 queues.
                port.tx_hung(q as u32, checks);
                // One reset covers every queue.
                break;
            }
        });
    }
}
