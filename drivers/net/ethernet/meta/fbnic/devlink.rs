// SPDX-License-Identifier: GPL-2.0

//! The devlink instance of a PCI function (`fbnic_devlink.c`): what
//! `devlink dev info` reports.
//!
//! The versions are those of the firmware's capabilities, reported as the
//! C driver reports them: the running and stored management firmware
//! (`fw`) and bootloader (`fw.bootloader`), the stored UEFI driver
//! (`fw.undi`, which the host never runs), each with its commit under
//! `<name>.commit` when the firmware sent one; and the serial number from
//! the PCIe Device Serial Number.

#![forbid(unsafe_code)]

use kernel::{
    prelude::*,
    str::CString,
    sync::Arc, //
};

use crate::{
    hw::fw::VersionStr,
    kernel_ext::net::{
        devlink::{
            self,
            version,
            Devlink,
            InfoRequest, //
        },
        netlink::ExtAck, //
    },
    shared::Shared, //
};

/// The private data of the devlink instance.
pub(crate) struct FbnicDevlink {
    shared: Arc<Shared>,
    /// The PCIe Device Serial Number, if the function has one.
    dsn: Option<u64>,
}

impl FbnicDevlink {
    pub(crate) fn new(shared: Arc<Shared>, dsn: Option<u64>) -> Self {
        Self { shared, dsn }
    }
}

/// Where a version goes in `devlink dev info`.
#[derive(Clone, Copy)]
enum Slot {
    Running,
    Stored,
}

/// Reports version `v` of component `name`, and its commit if it has one.
fn put_version(req: &mut InfoRequest, slot: Slot, name: &CStr, v: &VersionStr) -> Result {
    let put = |req: &mut InfoRequest, name: &CStr, value: &CStr| match slot {
        Slot::Running => req.put_running(name, value),
        Slot::Stored => req.put_stored(name, value),
    };
    put(req, name, &CString::try_from_fmt(format_args!("{}", v.number()))?)?;
    if let Some(commit) = v.commit() {
        let name = name.to_str().map_err(|_| EINVAL)?;
        put(
            req,
            &CString::try_from_fmt(format_args!("{name}.commit"))?,
            &CString::try_from_fmt(format_args!("{commit}"))?,
        )?;
    }
    Ok(())
}

#[vtable]
impl devlink::Operations for FbnicDevlink {
    fn info_get(dl: &Devlink<Self>, req: &mut InfoRequest, _extack: &mut ExtAck<'_>) -> Result {
        let this = dl.data();
        // Probe does not get this far without the capabilities.
        let caps = this.shared.mbx.caps().ok_or(EIO)?;

        put_version(req, Slot::Running, version::FW, &caps.running)?;
        put_version(
            req,
            Slot::Running,
            version::FW_BOOTLOADER,
            &caps.running_bootloader,
        )?;
        put_version(req, Slot::Stored, version::FW, &caps.stored)?;
        put_version(
            req,
            Slot::Stored,
            version::FW_BOOTLOADER,
            &caps.stored_bootloader,
        )?;
        put_version(req, Slot::Stored, version::FW_UNDI, &caps.stored_undi)?;

        if let Some(dsn) = this.dsn {
            // The DSN's bytes, most significant first, as "%8phD" prints
            // them.
            let b = dsn.to_be_bytes();
            let serial = CString::try_from_fmt(format_args!(
                "{:02x}-{:02x}-{:02x}-{:02x}-{:02x}-{:02x}-{:02x}-{:02x}",
                b[0],
                b[1],
                b[2],
                b[3],
                b[4],
                b[5],
                b[6],
                b[7]
            ))?;
            req.put_serial_number(&serial)?;
        }
        Ok(())
    }
}
