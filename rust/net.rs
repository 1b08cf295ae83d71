// SPDX-License-Identifier: GPL-2.0

//! Networking: network devices, their ethtool operations and socket
//! buffers.
//!
//! These complement `kernel::net` (which has PHY drivers only) for a driver
//! of a network interface card: [`Device`] and friends wrap
//! `struct net_device` and `struct net_device_ops`, [`ethtool`] wraps
//! `struct ethtool_ops`, [`skbuff`] wraps `struct sk_buff`.

mod device;
pub mod ethtool;
mod napi;
pub mod skbuff;

pub use device::{
    Builder, Device, Features, Handle, Operations, Registration, Stats64, TxQueue, TxResult,
    ETH_ALEN,
};
pub use napi::{Napi, Poll};
