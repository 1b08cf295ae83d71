// SPDX-License-Identifier: GPL-2.0

//! Firmware update from a PLDM package (`devlink dev flash`,
//! `fbnic_devlink_flash_update()`).
//!
//! The kernel's PLDM library parses the package; [`Flasher`] is the
//! device's part of it:
//!
//! - A record matches if its PCI descriptors name this function and its
//!   anti-rollback version (a vendor-defined descriptor, 0 without one) is
//!   not older than the device's.
//! - Every component must name a flash section the host may write
//!   ([`Section`]) and carry data. This is checked for all of them before
//!   the first is written, so a package with one bad component writes
//!   nothing. (The C driver finds an unknown component only when its turn
//!   comes, after writing those before it.)
//! - A component is written by asking the firmware to start an update of
//!   its section; the firmware then asks for the image chunk by chunk
//!   (`FW_WRITE_CHUNK_REQ`), each request following the previous chunk,
//!   and ends with `FW_FINISH_UPGRADE_REQ`. Progress goes to devlink as
//!   the C driver reports it: "Initializing" with a 15 s timeout, then
//!   "Flashing" with the offset the firmware asked for.
//!
//! A firmware error, a request out of sequence or a timeout stops the
//! update: the firmware is told (a chunk answer carrying the error), devlink
//! gets "Mailbox encountered error N!", and the user the extack message the
//! C driver gives for the error.

#![forbid(unsafe_code)]

use kernel::{
    prelude::*,
    str::CString, //
};

use super::{
    request::fw_error,
    Expect, //
};
use crate::{
    devlink::FbnicDevlink,
    hw::{
        flash::{
            anti_rollback_version,
            Section,
            START_TIMEOUT_SECS, //
        },
        tlv::{
            finish_upgrade,
            msg,
            start_upgrade,
            write_chunk,
            RAW_DATA_MAX, //
        }, //
    },
    kernel_ext::{
        net::{
            devlink::{
                flash::FlashUpdate,
                Devlink, //
            },
            netlink::ExtAck, //
        },
        pldmfw::{
            self,
            desc,
            Component,
            Mode,
            Record, //
        }, //
    },
    shared::Shared,
};

/// The device's side of a PLDM update.
struct Flasher<'a> {
    dl: &'a Devlink<FbnicDevlink>,
    shared: &'a Shared,
    /// The device's anti-rollback version.
    anti_rollback: u32,
}

/// A C string for a progress message; `None` if memory is short (the
/// notice is then left out).
fn cstring(args: core::fmt::Arguments<'_>) -> Option<CString> {
    CString::try_from_fmt(args).ok()
}

impl Flasher<'_> {
    fn status(
        &self,
        text: core::fmt::Arguments<'_>,
        component: Option<&CStr>,
        done: u64,
        total: u64,
    ) {
        if let Some(text) = cstring(text) {
            self.dl.flash_status(&text, component, done, total);
        }
    }

    /// Writes `data` to `section`: start, then answer the firmware's chunk
    /// requests until it finishes.
    fn write(&self, section: Section, data: &[u8], name: &CStr) -> Result {
        let shared = self.shared;
        let (mbx, regs, dev) = (&shared.mbx, &shared.regs, &*shared.dev);
        let size = u32::try_from(data.len()).map_err(|_| EFBIG)?;

        // The first chunk request follows the start answer at once: wait
        // for both from before the start goes out.
        let mut chunks = mbx.expect(
            dev,
            Expect::answer(msg::FW_WRITE_CHUNK_REQ).or(msg::FW_FINISH_UPGRADE_REQ),
        )?;
        self.dl
            .flash_timeout(c"Initializing", Some(name), START_TIMEOUT_SECS);
        mbx.request(
            regs,
            dev,
            msg::FW_START_UPGRADE_REQ,
            |b| {
                b.put_u32(start_upgrade::SECTION, section.id())?;
                b.put_u32(start_upgrade::IMAGE_LENGTH, size)
            },
            Expect::answer(msg::FW_START_UPGRADE_RESP),
        )
        .and_then(|answer| answer.check(start_upgrade::ERROR))
        .inspect_err(|e| {
            mbx.count_flash_error();
            self.status(
                format_args!("Mailbox encountered error {}!", e.to_errno()),
                Some(name),
                0,
                0,
            )
        })?;

        let sent = self.transfer(&mut chunks, data, size, name);
        if let Err(e) = sent {
            mbx.count_flash_error();
            // Cancel the update on the firmware's side too.
            let _ = mbx.send(regs, msg::FW_WRITE_CHUNK_RESP, |b| {
                b.put_s32(write_chunk::ERROR, e.to_errno())
            });
            self.status(
                format_args!("Mailbox encountered error {}!", e.to_errno()),
                Some(name),
                0,
                0,
            );
        }
        sent
    }

    /// Answers chunk requests until the firmware has the whole image and
    /// says it is finished.
    fn transfer(
        &self,
        chunks: &mut super::request::Pending<'_>,
        data: &[u8],
        size: u32,
        name: &CStr,
    ) -> Result {
        let shared = self.shared;
        let (mut offset, mut length) = (0u32, 0u32);
        loop {
            let answer = chunks.wait().inspect_err(|e| {
                dev_err!(
                    shared.dev,
                    "flash {}: no answer after {} of {} bytes ({:?}); firmware may have crashed\n",
                    name,
                    offset + length,
                    size,
                    e
                )
            })?;
            let attrs = answer.attrs()?;
            if answer.id()? == msg::FW_FINISH_UPGRADE_REQ {
                fw_error(attrs.s32(finish_upgrade::ERROR).unwrap_or(0))?;
                // Finished: the last chunk asked for was the image's end.
                offset += length;
                self.dl
                    .flash_status(c"Flashing", Some(name), offset.into(), size.into());
                if offset != size {
                    dev_err!(
                        shared.dev,
                        "firmware finished the update after {} of {} bytes\n",
                        offset,
                        size
                    );
                    return Err(EIO);
                }
                return Ok(());
            }

            let next_offset = attrs.u32(write_chunk::OFFSET).unwrap_or(0);
            let next_length = attrs.u32(write_chunk::LENGTH).unwrap_or(0);
            // Each request must follow the previous chunk, and fit.
            let end = next_offset.checked_add(next_length);
            if Some(next_offset) != offset.checked_add(length)
                || next_length > u32::from(RAW_DATA_MAX)
                || end.is_none_or(|end| end > size)
            {
                dev_err!(
                    shared.dev,
                    "firmware asked for {} bytes at {} after {} at {} of {}\n",
                    next_length,
                    next_offset,
                    length,
                    offset,
                    size
                );
                return Err(EFAULT);
            }
            (offset, length) = (next_offset, next_length);
            self.dl
                .flash_status(c"Flashing", Some(name), offset.into(), size.into());
            if length == 0 {
                continue;
            }
            // CAST: both within `size`, a `u32` of the slice's length.
            let chunk = data
                .get(offset as usize..(offset + length) as usize)
                .ok_or(EFAULT)?;
            shared
                .mbx
                .send(&shared.regs, msg::FW_WRITE_CHUNK_RESP, |b| {
                    b.put_u32(write_chunk::OFFSET, offset)?;
                    b.put_u32(write_chunk::LENGTH, length)?;
                    b.put_bytes(write_chunk::DATA, chunk)
                })?;
        }
    }
}

#[vtable]
impl pldmfw::Operations for Flasher<'_> {
    fn match_record(&self, record: &Record<'_>) -> bool {
        if !record.pci_match() {
            return false;
        }
        let version = record
            .descriptors()
            .filter(|d| d.kind == desc::VENDOR_DEFINED)
            .find_map(|d| anti_rollback_version(d.data))
            .unwrap_or(0);
        if version < self.anti_rollback {
            self.status(
                format_args!(
                    "New firmware anti-rollback version ({:#x}) is older than device version ({:#x})!",
                    version, self.anti_rollback
                ),
                Some(c"Anti-Rollback"),
                0,
                0,
            );
            return false;
        }
        true
    }

    fn send_component_table(&self, component: &Component) -> Result {
        let id = component.identifier();
        if Section::from_component(id).is_none() {
            let size = component.data().len() as u64;
            self.status(format_args!("Unknown component ID {id}!"), None, 0, size);
            return Err(EINVAL);
        }
        if component.data().is_empty() {
            self.status(format_args!("Component {id} is empty!"), None, 0, 0);
            return Err(EINVAL);
        }
        Ok(())
    }

    fn flash_component(&self, component: &Component) -> Result {
        let section = Section::from_component(component.identifier()).ok_or(EINVAL)?;
        let name = CString::try_from_fmt(format_args!("{}", section.progress_name()))?;
        self.write(section, component.data(), &name)
    }
}

/// What the user reads for a failed update, as in the C driver.
fn reason(err: Error) -> &'static str {
    match err {
        e if e == EINVAL => "Invalid image",
        e if e == EOPNOTSUPP => "Unsupported image",
        e if e == ENOMEM => "Out of memory",
        e if e == EFAULT => "Invalid header",
        e if e == ENOENT => "No matching record",
        e if e == ENODEV => "No matching device",
        e if e == ETIMEDOUT => "Timed out waiting for reply",
        _ => "Unknown error",
    }
}

/// Flashes the package of `params` (`fbnic_devlink_flash_update()`): all
/// its components, or the one the user selected.
pub(crate) fn update(
    dl: &Devlink<FbnicDevlink>,
    shared: &Shared,
    params: &FlashUpdate,
    extack: &mut ExtAck<'_>,
) -> Result {
    let mode = match params.component() {
        None => Mode::Full,
        Some(name) => match Section::from_devlink_name(name.to_bytes()) {
            // CAST: section numbers are below 5.
            Some(section) => Mode::SingleComponent(section.id() as u16),
            None => {
                extack.set_message(c"fbnic: Unknown flash component");
                return Err(EINVAL);
            }
        },
    };
    let caps = shared.mbx.caps().ok_or(ENODEV)?;
    let flasher = Flasher {
        dl,
        shared,
        anti_rollback: caps.anti_rollback,
    };
    pldmfw::flash_image(&shared.dev, params.image(), mode, &flasher).inspect_err(|e| {
        extack.set_message_fmt(format_args!(
            "fbnic: Failed to flash PLDM Image: {} (error: {})",
            reason(*e),
            e.to_errno()
        ))
    })
}
