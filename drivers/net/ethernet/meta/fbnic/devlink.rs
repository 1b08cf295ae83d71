// SPDX-License-Identifier: GPL-2.0

//! The devlink instance of a PCI function (`fbnic_devlink.c`): what
//! `devlink dev info` reports, and the health reporters `fw` (firmware
//! crashes, found by the heartbeat) and `otp` (the one-time-programmable
//! memory's status, which the firmware's boot ROM writes).
//!
//! The versions are those of the firmware's capabilities, reported as the
//! C driver reports them: the running and stored management firmware
//! (`fw`) and bootloader (`fw.bootloader`), the stored UEFI driver
//! (`fw.undi`, which the host never runs), each with its commit under
//! `<name>.commit` when the firmware sent one; and the serial number from
//! the PCIe Device Serial Number. The three stored versions name the flash
//! sections `devlink dev flash ... component` may select (`fw`,
//! `fw.bootloader`, `fw.undi`; see `fw/flash.rs`), which the C driver
//! does not offer: it updates whole packages only.

#![forbid(unsafe_code)]

use kernel::{
    prelude::*,
    str::CString,
    sync::Arc, //
};

use crate::hw::reg::RegisterIo;
use crate::{
    hw::{
        csr::mbx::{
            NS_OTP_STATUS,
            NS_OTP_WRITE_STATUS, //
        },
        fw::VersionStr,
    },
    kernel_ext::net::{
        devlink::{
            self,
            flash::FlashUpdate,
            health::{
                self,
                Fmsg,
                Reporter, //
            },
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
    /// Stored, and a flash component of that name.
    Component,
}

/// Reports version `v` of component `name`, and its commit if it has one.
fn put_version(req: &mut InfoRequest, slot: Slot, name: &CStr, v: &VersionStr) -> Result {
    let put = |req: &mut InfoRequest, name: &CStr, value: &CStr| match slot {
        Slot::Running => req.put_running(name, value),
        Slot::Component => req.put_stored_component(name, value),
    };
    put(
        req,
        name,
        &CString::try_from_fmt(format_args!("{}", v.number()))?,
    )?;
    if let Some(commit) = v.commit() {
        let name = name.to_str().map_err(|_| EINVAL)?;
        // The commit is no component of its own.
        let put = |req: &mut InfoRequest, name: &CStr, value: &CStr| match slot {
            Slot::Running => req.put_running(name, value),
            Slot::Component => req.put_stored(name, value),
        };
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
        put_version(req, Slot::Component, version::FW, &caps.stored)?;
        put_version(
            req,
            Slot::Component,
            version::FW_BOOTLOADER,
            &caps.stored_bootloader,
        )?;
        put_version(req, Slot::Component, version::FW_UNDI, &caps.stored_undi)?;

        if let Some(dsn) = this.dsn {
            // The DSN's bytes, most significant first, as "%8phD" prints
            // them.
            let b = dsn.to_be_bytes();
            let serial = CString::try_from_fmt(format_args!(
                "{:02x}-{:02x}-{:02x}-{:02x}-{:02x}-{:02x}-{:02x}-{:02x}",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
            ))?;
            req.put_serial_number(&serial)?;
        }
        Ok(())
    }

    fn flash_update(dl: &Devlink<Self>, params: &FlashUpdate, extack: &mut ExtAck<'_>) -> Result {
        crate::fw::flash::update(dl, &dl.data().shared, params, extack)
    }
}

/// The health reporters of a PCI function, for whoever detects a fault.
#[derive(Clone)]
pub(crate) struct Health {
    fw: Arc<Reporter<FwReporter>>,
    otp: Arc<Reporter<OtpReporter>>,
}

impl Health {
    /// Creates the reporters on the instance `builder` is setting up
    /// (`fbnic_devlink_health_create()`).
    pub(crate) fn new(
        builder: &mut devlink::Builder<'_, FbnicDevlink>,
        shared: &Arc<Shared>,
    ) -> Result<Self> {
        let fw = builder
            .create_reporter(FwReporter {
                shared: shared.clone(),
            })
            .inspect_err(|e| dev_warn!(shared.dev, "FW fault reporter: {:?}\n", e))?;
        let otp = builder
            .create_reporter(OtpReporter {
                shared: shared.clone(),
            })
            .inspect_err(|e| dev_warn!(shared.dev, "OTP fault reporter: {:?}\n", e))?;
        Ok(Self { fw, otp })
    }

    /// The firmware stopped answering heartbeats and is about to be taken
    /// over again (`fbnic_health_check()`).
    pub(crate) fn firmware_crashed(&self) {
        // Fails only once the instance is going away, or inside the grace
        // period of a recovery that the reporter does not have.
        let msg = c"Firmware crash detected!";
        let _ = self.fw.report(msg);
        self.fw.data().shared.mbx.log_note(msg);
        self.otp_check(c"error detected after firmware recovery");
    }

    /// Reports `msg` if the OTP status shows an error
    /// (`fbnic_devlink_otp_check()`).
    pub(crate) fn otp_check(&self, msg: &CStr) {
        let shared = &self.otp.data().shared;
        if shared.regs.read_raw(NS_OTP_STATUS::AT) != 0 {
            let _ = self.otp.report(msg);
            shared.mbx.log_note(msg);
        }
    }
}

/// The `fw` reporter: firmware crashes.
pub(crate) struct FwReporter {
    shared: Arc<Shared>,
}

#[vtable]
impl health::Operations for FwReporter {
    const NAME: &'static CStr = c"fw";

    /// The firmware's uptime at its last heartbeat, if heartbeats are
    /// being exchanged (`fbnic_fw_reporter_diagnose()`).
    fn diagnose(&self, fmsg: &mut Fmsg, _extack: &mut ExtAck<'_>) -> Result {
        let Some(uptime_ms) = self.shared.mbx.last_heartbeat() else {
            return Ok(());
        };
        // CAST: the seconds of a 64-bit millisecond count, as C's u32.
        let sec = (uptime_ms / 1000) as u32;
        let msec = (uptime_ms % 1000) as u32;
        fmsg.pair(c"last_heartbeat", |f| {
            f.object(|f| {
                f.pair(c"fw_uptime", |f| {
                    f.object(|f| {
                        f.put_u32(c"sec", sec);
                        f.put_u32(c"msec", msec);
                    })
                })
            })
        });
        Ok(())
    }

    /// The firmware's coredump, read through the mailbox
    /// (`fbnic_fw_reporter_dump()`).
    fn dump(&self, fmsg: &mut Fmsg, extack: &mut ExtAck<'_>) -> Result {
        let shared = &self.shared;
        let dump = shared
            .mbx
            .coredump(&shared.regs, &shared.dev)
            .map_err(|e| {
                extack.set_message_fmt(format_args!("fbnic: {}", e.step));
                e.err
            })?;
        fmsg.binary_pair(c"FW coredump", |value| value.put(&dump));
        Ok(())
    }
}

/// The `otp` reporter: the OTP memory's status registers.
pub(crate) struct OtpReporter {
    shared: Arc<Shared>,
}

#[vtable]
impl health::Operations for OtpReporter {
    const NAME: &'static CStr = c"otp";

    /// The status and the write status's data and ECC parts
    /// (`fbnic_otp_reporter_dump()`).
    fn dump(&self, fmsg: &mut Fmsg, _extack: &mut ExtAck<'_>) -> Result {
        let regs = &self.shared.regs;
        let status = regs.read_raw(NS_OTP_STATUS::AT);
        let write = regs.read(NS_OTP_WRITE_STATUS::AT);
        fmsg.pair(c"OTP", |f| {
            f.object(|f| {
                f.put_u32(c"Status", status);
                f.put_u32(c"Data", write.get(NS_OTP_WRITE_STATUS::DATA_STATUS_MASK));
                f.put_u32(c"ECC", write.get(NS_OTP_WRITE_STATUS::ECC_STATUS_MASK));
            })
        });
        Ok(())
    }
}
