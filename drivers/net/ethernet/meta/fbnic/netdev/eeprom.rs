// SPDX-License-Identifier: GPL-2.0

//! The plug-in module's EEPROM (`ethtool -m`), read through the firmware
//! with `QSFP_READ_REQ`, as the C driver's
//! `fbnic_get_module_eeprom_by_page()` does: the same limits, and the same
//! messages for user space (with the module name in front, as
//! `NL_SET_ERR_MSG_MOD()` puts it). The answer must echo the bank, page, offset
//! and length asked for; one that does not is dropped, and the read times
//! out unless the right one comes.

#![forbid(unsafe_code)]

use kernel::prelude::*;

use crate::{
    fw::Expect,
    hw::tlv::{
        msg,
        qsfp,
        RAW_DATA_MAX, //
    },
    kernel_ext::net::ethtool::{
        ExtAck,
        ModuleEeprom, //
    },
    shared::Shared,
};

/// The only I2C address the firmware reads (the module's first 256 bytes
/// and its pages).
const I2C_ADDRESS: u8 = 0x50;

/// Reads what `eeprom` asks for into it; returns the byte count.
pub(super) fn read(
    shared: &Shared,
    eeprom: &mut ModuleEeprom<'_>,
    extack: &mut ExtAck<'_>,
) -> Result<u32> {
    if eeprom.i2c_address() != I2C_ADDRESS {
        extack.set_message(c"fbnic: Invalid i2c address. Only 0x50 is supported");
        return Err(EINVAL);
    }
    let (bank, page) = (u32::from(eeprom.bank()), u32::from(eeprom.page()));
    let (offset, length) = (eeprom.offset(), eeprom.length());
    if length == 0 || length > u32::from(RAW_DATA_MAX) {
        extack.set_message(c"fbnic: Failed to transmit EEPROM read request");
        return Err(EINVAL);
    }

    let expect = Expect::answer(msg::QSFP_READ_RESP)
        .echo(qsfp::BANK, bank)
        .echo(qsfp::PAGE, page)
        .echo(qsfp::OFFSET, offset)
        .echo(qsfp::LENGTH, length);
    let mut pending = shared
        .mbx
        .send_expect(
            &shared.regs,
            &shared.dev,
            msg::QSFP_READ_REQ,
            |b| {
                b.put_u32(qsfp::BANK, bank)?;
                b.put_u32(qsfp::PAGE, page)?;
                b.put_u32(qsfp::OFFSET, offset)?;
                b.put_u32(qsfp::LENGTH, length)
            },
            expect,
        )
        .inspect_err(|_| extack.set_message(c"fbnic: Failed to transmit EEPROM read request"))?;
    let answer = pending.wait().inspect_err(|e| {
        extack.set_message(if *e == ETIMEDOUT {
            c"fbnic: Timed out waiting for firmware response"
        } else {
            c"fbnic: Failed to read EEPROM"
        })
    })?;
    drop(pending);

    answer
        .check(qsfp::ERROR)
        .inspect_err(|_| extack.set_message(c"fbnic: Failed to read EEPROM"))?;
    let attrs = answer.attrs()?;
    let Some(data) = attrs.get(qsfp::DATA) else {
        extack.set_message(c"fbnic: Failed to read EEPROM");
        return Err(ENODATA);
    };
    let dst = eeprom.data();
    let Some(src) = data.bytes().get(..dst.len()) else {
        dev_warn!(
            shared.dev,
            "module EEPROM answer with {} bytes for {} asked; dropped\n",
            data.bytes().len(),
            dst.len()
        );
        extack.set_message(c"fbnic: Failed to read EEPROM");
        return Err(EINVAL);
    };
    dst.copy_from_slice(src);
    Ok(length)
}
