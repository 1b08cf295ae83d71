// SPDX-License-Identifier: GPL-2.0

//! The device's sensors as a hwmon device named "fbnic": the ASIC's
//! temperature (`temp1_input`, millidegrees Celsius) and voltage
//! (`in0_input`, millivolts), each read from the firmware on demand with a
//! `TSENE_READ_REQ`, as the C driver's `fbnic_hwmon.c` and
//! `fbnic_mac_get_sensor_asic()` do. A read fails with the firmware's
//! error, or `ETIMEDOUT` when it does not answer.

#![forbid(unsafe_code)]

use kernel::prelude::*;

use crate::{
    fw::Expect,
    hw::tlv::{
        msg,
        tsene, //
    },
    kernel_ext::hwmon::{
        self,
        Channel,
        SensorType, //
    },
    shared::Shared,
};

/// One temperature and one voltage channel, each with its input only.
pub(crate) const CHANNELS: &[Channel] = &[
    Channel::new(SensorType::Temp, &[hwmon::temp::F_INPUT]),
    Channel::new(SensorType::In, &[hwmon::voltage::F_INPUT]),
];

/// The hwmon device's name.
pub(crate) const NAME: &CStr = c"fbnic";

impl hwmon::Operations for Shared {
    fn is_visible(&self, kind: SensorType, attr: u32, _channel: i32) -> u16 {
        match (kind, attr) {
            (SensorType::Temp, hwmon::temp::INPUT) | (SensorType::In, hwmon::voltage::INPUT) => {
                0o444
            }
            _ => 0,
        }
    }

    fn read(&self, kind: SensorType, _attr: u32, _channel: i32) -> Result<i64> {
        let answer = self
            .mbx
            .request(
                &self.regs,
                &self.dev,
                msg::TSENE_READ_REQ,
                |_| Ok(()),
                Expect::answer(msg::TSENE_READ_RESP),
            )
            .inspect_err(|e| {
                if *e != ETIMEDOUT {
                    dev_err!(self.dev, "sensor read request failed: {}\n", e.to_errno());
                }
            })?;
        answer.check(tsene::ERROR).inspect_err(|e| {
            dev_err!(
                self.dev,
                "firmware returned error {} for the sensor read\n",
                e.to_errno()
            )
        })?;
        let attrs = answer.attrs()?;

        // Both readings or neither, as the C driver takes them.
        let (Some(therm), Some(volt)) = (attrs.s32(tsene::THERM), attrs.s32(tsene::VOLT)) else {
            dev_err!(
                self.dev,
                "sensor answer without temperature or voltage; dropped\n"
            );
            return Err(EINVAL);
        };
        Ok(match kind {
            SensorType::Temp => therm,
            SensorType::In => volt,
        }
        .into())
    }
}
