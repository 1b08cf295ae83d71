// SPDX-License-Identifier: GPL-2.0

//! Queue management (`netdev_queue_mgmt_ops`): restarting one RX queue
//! with new memory, without resetting the device, when a memory provider
//! (devmem TCP, io_uring zero-copy receive) is bound to it or unbound
//! from it.
//!
//! What the C driver's `fbnic_queue_mem_alloc()`, `fbnic_queue_stop()` and
//! `fbnic_queue_start()` do, for the RX queue only: the new ring and its
//! page pools are allocated while the queue runs; stopping disables the
//! queue's NAPI instance (polling stops for the other queues it services,
//! for the moment of the swap; their rings are not touched), disables the
//! queue's buffer and completion queues and waits for the device to be
//! done with them; starting programs the new ring and enables the NAPI
//! instance again. The TX queues keep running throughout, and the other
//! RX queues too unless they share the NAPI instance.
//!
//! The core holds the device's instance lock around these and around
//! every other callback of the device (`netdev_need_ops_lock()`), so the
//! queue configuration cannot change in between.

#![forbid(unsafe_code)]

use kernel::{
    prelude::*,
    sync::atomic::Relaxed, //
};

use super::Port;
use crate::{
    kernel_ext::net::{
        self,
        queue_mgmt::{
            self,
            QueueConfig, //
        }, //
    },
    txrx::{
        QueuePair,
        RxMem, //
    },
};

impl Port {
    /// The queue pair of RX queue `idx` and the one holding the NAPI
    /// instance that services it, if `idx` is an RX queue in use.
    fn rx_queue(&self, idx: u32) -> Result<(&QueuePair, &QueuePair)> {
        let layout = self.layout();
        if idx >= layout.rx {
            return Err(EINVAL);
        }
        let q = self.queues.get(idx as usize).ok_or(EINVAL)?;
        let owner = self
            .napis()
            .get(layout.rx_napi(idx) as usize)
            .ok_or(EINVAL)?;
        Ok((q, owner))
    }
}

impl queue_mgmt::Operations for Port {
    type QueueMem = RxMem;

    fn mem_alloc(dev: &net::Device<Self>, _qcfg: &QueueConfig, idx: u32) -> Result<RxMem> {
        let port = dev.data();
        let (q, _) = port.rx_queue(idx)?;
        q.rings
            .alloc_rx(dev, dev.bound_parent(), port.config().sizes)
    }

    fn stop(dev: &net::Device<Self>, idx: u32) -> Result<RxMem> {
        let port = dev.data();
        let regs = &port.shared.regs;
        let (q, owner) = port.rx_queue(idx)?;
        owner.napi.disable();
        let stopped = owner
            .napi
            .with_disabled(|napi| match q.rings.stop_rx(regs, napi) {
                Ok(mem) => Ok(mem),
                Err(e) => {
                    dev_err!(
                        port.shared.dev,
                        "RX queue {} did not go idle: {:?}; keeping its ring\n",
                        idx,
                        e
                    );
                    let setup = port.queue_setup(&port.config(), idx);
                    let _ = q.rings.restart_rx(regs, dev, &setup, napi);
                    Err(e)
                }
            })
            .unwrap_or(Err(EBUSY));
        if stopped.is_err() {
            port.resume_napi(owner);
        }
        stopped
    }

    fn start(dev: &net::Device<Self>, _qcfg: &QueueConfig, mem: &mut RxMem, idx: u32) -> Result {
        let port = dev.data();
        let regs = &port.shared.regs;
        let (q, owner) = port.rx_queue(idx)?;
        let setup = port.queue_setup(&port.config(), idx);
        let started = owner
            .napi
            .with_disabled(|napi| q.rings.start_rx(regs, dev, &setup, mem, napi))
            .unwrap_or(Err(EBUSY));
        // Polling resumes either way: the other queues of the instance run
        // on, and the core starts this one again with its old ring.
        port.resume_napi(owner);
        if started.is_ok() {
            let n = port.rx_restarts.fetch_add(1, Relaxed) + 1;
            dev_info!(
                port.shared.dev,
                "RX queue {} restarted with new memory ({} restarts)\n",
                idx,
                n
            );
        }
        started
    }
}

impl Port {
    /// Enables a NAPI instance the queue management disabled, re-arms its
    /// interrupt and fires it once, for what arrived meanwhile.
    fn resume_napi(&self, owner: &QueuePair) {
        owner.napi.enable();
        self.arm(owner);
        owner.rings.kick(&self.shared.regs);
    }
}
