// SPDX-License-Identifier: GPL-2.0

//! Reading the firmware's coredump (the mailbox half of
//! `fbnic_fw_reporter_dump()`): ask for its size, creating one if there is
//! none, then read it piece by piece, one request and answer per
//! [`RAW_DATA_MAX`] bytes.
//!
//! Each answer must be the piece that was asked for: the same offset, the
//! same length, and at least that much data. Anything else fails the read
//! with the step that failed, for the user.

#![forbid(unsafe_code)]

use kernel::{
    alloc::KVVec,
    device,
    prelude::*, //
};

use super::{
    Expect,
    Mailbox, //
};
use crate::{
    hw::tlv::{
        coredump_info,
        coredump_read,
        msg,
        RAW_DATA_MAX, //
    },
    regs::Regs, //
};

/// Why reading the coredump failed: the error, and which step failed.
pub(crate) struct DumpError {
    pub(crate) err: Error,
    pub(crate) step: Step,
}

/// The steps of reading a coredump, as the failure message names them.
#[derive(Clone, Copy)]
pub(crate) enum Step {
    /// Sending the size request.
    SendInfo,
    /// Waiting for its answer.
    WaitInfo,
    /// The firmware reported an error, or no dump.
    InfoError,
    /// The firmware reported a dump of size 0.
    EmptyDump,
    /// Sending the request for a piece.
    SendRead,
    /// Waiting for piece `.0` of `.1`.
    WaitRead(u32, u32),
    /// Piece `.0` of `.1` came back with an error or not as asked.
    BadPiece(u32, u32),
}

impl Step {
    fn fail(self, err: Error) -> DumpError {
        DumpError { err, step: self }
    }
}

impl core::fmt::Display for Step {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::SendInfo => f.write_str("Failed to transmit core dump info msg"),
            Self::WaitInfo => f.write_str("Timed out waiting on core dump info"),
            Self::InfoError => f.write_str("Firmware core dump returned error"),
            Self::EmptyDump => f.write_str("Firmware core dump returned size 0"),
            Self::SendRead => f.write_str("Failed to transmit core dump msg"),
            Self::WaitRead(i, n) => write!(f, "Timed out waiting on core dump ({i}/{n})"),
            Self::BadPiece(i, n) => write!(f, "No data for core dump chunk ({i}/{n})"),
        }
    }
}

impl Mailbox {
    /// Reads the firmware's coredump, asking the firmware to create one if
    /// there is none (`COREDUMP_GET_INFO_REQ` with `REQ_CREATE`, then
    /// `COREDUMP_READ_REQ` for each piece).
    pub(crate) fn coredump(
        &self,
        regs: &Regs,
        dev: &device::Device,
    ) -> Result<KVVec<u8>, DumpError> {
        let info = self
            .send_expect(
                regs,
                dev,
                msg::COREDUMP_GET_INFO_REQ,
                |b| b.put_flag(coredump_info::REQ_CREATE),
                Expect::answer(msg::COREDUMP_GET_INFO_RESP),
            )
            .map_err(|e| Step::SendInfo.fail(e))?
            .wait()
            .map_err(|e| Step::WaitInfo.fail(e))?;
        info.check(coredump_info::ERROR)
            .map_err(|e| Step::InfoError.fail(e))?;
        let attrs = info.attrs().map_err(|e| Step::InfoError.fail(e))?;
        if !attrs.flag(coredump_info::AVAILABLE) {
            return Err(Step::InfoError.fail(ENOENT));
        }
        let size = attrs.u32(coredump_info::SIZE).unwrap_or(0);
        if size == 0 {
            return Err(Step::EmptyDump.fail(EIO));
        }

        let stride = u32::from(RAW_DATA_MAX);
        let pieces = size.div_ceil(stride);
        let mut dump = KVVec::with_capacity(size as usize, GFP_KERNEL)
            .map_err(|_| Step::EmptyDump.fail(ENOMEM))?;
        for index in 0..pieces {
            let offset = index * stride;
            let length = (size - offset).min(stride);
            let (n, of) = (index + 1, pieces);
            let answer = self
                .send_expect(
                    regs,
                    dev,
                    msg::COREDUMP_READ_REQ,
                    |b| {
                        // Zeroes are left out, as in C.
                        if offset != 0 {
                            b.put_u32(coredump_read::OFFSET, offset)?;
                        }
                        b.put_u32(coredump_read::LENGTH, length)
                    },
                    Expect::answer(msg::COREDUMP_READ_RESP),
                )
                .map_err(|e| Step::SendRead.fail(e))?
                .wait()
                .map_err(|e| Step::WaitRead(n, of).fail(e))?;

            let bad = Step::BadPiece(n, of);
            answer
                .check(coredump_read::ERROR)
                .map_err(|e| bad.fail(e))?;
            let attrs = answer.attrs().map_err(|e| bad.fail(e))?;
            let data = attrs
                .get(coredump_read::DATA)
                .ok_or(bad.fail(ENODATA))?
                .bytes();
            let got_offset = attrs.u32(coredump_read::OFFSET).unwrap_or(0);
            let got_length = attrs.u32(coredump_read::LENGTH).unwrap_or(0);
            if got_offset != offset || got_length != length || data.len() < length as usize {
                dev_err!(
                    dev,
                    "coredump piece at {} of {} bytes ({} in the message) for {} of {}\n",
                    got_offset,
                    got_length,
                    data.len(),
                    offset,
                    length
                );
                return Err(bad.fail(EINVAL));
            }
            dump.extend_from_slice(&data[..length as usize], GFP_KERNEL)
                .map_err(|_| bad.fail(ENOMEM))?;
        }
        Ok(dump)
    }
}
