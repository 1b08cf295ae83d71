// SPDX-License-Identifier: GPL-2.0

//! Hardware monitoring devices.
//!
//! C header: [`include/linux/hwmon.h`](srctree/include/linux/hwmon.h)
//!
//! A driver describes its sensors as channels ([`Channel`]: a sensor type
//! and, per channel, the attributes it has) and answers reads through
//! [`Operations`]. [`Registration`] creates the hwmon device
//! (`hwmon_device_register_with_info()`) and removes it when dropped; the
//! hwmon core then names the files (`temp1_input`, `in0_input`, ...) and
//! scales nothing: values are in the units of the sysfs ABI (millidegrees
//! Celsius, millivolts).
//!
//! # Examples
//!
//! ```
//! use kernel::{
//!     device,
//!     prelude::*,
//!     sync::Arc, //
//! };
//! use kernel_ext::hwmon::{
//!     self,
//!     Channel,
//!     SensorType, //
//! };
//!
//! struct Chip;
//!
//! impl hwmon::Operations for Chip {
//!     fn is_visible(&self, kind: SensorType, attr: u32, _channel: i32) -> u16 {
//!         match (kind, attr) {
//!             (SensorType::Temp, hwmon::temp::INPUT) => 0o444,
//!             _ => 0,
//!         }
//!     }
//!
//!     fn read(&self, _kind: SensorType, _attr: u32, _channel: i32) -> Result<i64> {
//!         Ok(42_000)
//!     }
//! }
//!
//! const CHANNELS: &[Channel] = &[Channel::new(SensorType::Temp, &[hwmon::temp::F_INPUT])];
//!
//! fn register(dev: &device::Device<device::Bound>) -> Result<hwmon::Registration<Chip>> {
//!     hwmon::Registration::new(dev, c"chip", Arc::new(Chip, GFP_KERNEL)?, CHANNELS)
//! }
//! ```

use core::ptr::NonNull;

use kernel::{
    device,
    error::from_err_ptr,
    ffi::{
        c_int,
        c_long,
        c_void, //
    },
    prelude::*,
    sync::Arc, //
};

use crate::kernel_ext::{
    bindings,
    net::raw_device, //
};

/// A sensor type (`enum hwmon_sensor_types`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SensorType {
    /// Temperature (`hwmon_temp`), in millidegrees Celsius.
    Temp,
    /// Voltage (`hwmon_in`), in millivolts.
    In,
}

impl SensorType {
    fn as_raw(self) -> bindings::hwmon_sensor_types {
        match self {
            Self::Temp => bindings::hwmon_sensor_types_hwmon_temp,
            Self::In => bindings::hwmon_sensor_types_hwmon_in,
        }
    }

    fn from_raw(raw: bindings::hwmon_sensor_types) -> Option<Self> {
        match raw {
            bindings::hwmon_sensor_types_hwmon_temp => Some(Self::Temp),
            bindings::hwmon_sensor_types_hwmon_in => Some(Self::In),
            _ => None,
        }
    }
}

/// Temperature attributes: the `attr` of a read, and the `F_` bits of a
/// channel's configuration (`HWMON_T_*`).
pub mod temp {
    use super::bindings;

    /// The measured temperature (`tempN_input`).
    pub const INPUT: u32 = bindings::hwmon_temp_attributes_hwmon_temp_input;
    /// A channel has `tempN_input` (`HWMON_T_INPUT`).
    pub const F_INPUT: u32 = 1 << INPUT;
}

/// Voltage attributes: the `attr` of a read, and the `F_` bits of a
/// channel's configuration (`HWMON_I_*`).
pub mod voltage {
    use super::bindings;

    /// The measured voltage (`inN_input`).
    pub const INPUT: u32 = bindings::hwmon_in_attributes_hwmon_in_input;
    /// A channel has `inN_input` (`HWMON_I_INPUT`).
    pub const F_INPUT: u32 = 1 << INPUT;
}

/// The channels of one sensor type (`HWMON_CHANNEL_INFO()`): one entry of
/// `config` per channel, each the set of attributes that channel has.
pub struct Channel {
    kind: SensorType,
    config: &'static [u32],
}

impl Channel {
    /// Channels of type `kind` with attributes `config` (one mask each).
    pub const fn new(kind: SensorType, config: &'static [u32]) -> Self {
        Self { kind, config }
    }
}

/// What a hwmon device answers (`struct hwmon_ops`).
pub trait Operations: Send + Sync + 'static {
    /// The file mode of attribute `attr` of channel `channel` of `kind`;
    /// 0 hides it.
    fn is_visible(&self, kind: SensorType, attr: u32, channel: i32) -> u16;

    /// Reads attribute `attr` of channel `channel` of `kind`. May sleep.
    fn read(&self, kind: SensorType, attr: u32, channel: i32) -> Result<i64>;
}

/// The tables `hwmon_device_register_with_info()` keeps pointers to.
struct Tables {
    chip: bindings::hwmon_chip_info,
    /// Null-terminated, pointing into `infos`.
    _ptrs: KVec<*const bindings::hwmon_channel_info>,
    /// Pointing into `configs`.
    _infos: KVec<bindings::hwmon_channel_info>,
    /// Each zero-terminated.
    _configs: KVec<KVec<u32>>,
}

/// A registered hwmon device; unregistered when dropped.
///
/// # Invariants
///
/// `hwmon` is a hwmon device registered with `tables` and with the data of
/// `data` as its driver data; both outlive it, as it is unregistered in
/// `drop` before they are freed.
pub struct Registration<T: Operations> {
    hwmon: NonNull<bindings::device>,
    _data: Arc<T>,
    _tables: KBox<Tables>,
}

// SAFETY: The registration only unregisters the device when dropped, which
// may happen on any thread; the tables are never touched after
// registration, and `T` is `Send + Sync`.
unsafe impl<T: Operations> Send for Registration<T> {}
// SAFETY: No method takes `&self`.
unsafe impl<T: Operations> Sync for Registration<T> {}

impl<T: Operations> Registration<T> {
    /// Registers a hwmon device named `name` under `dev`, with the sensors
    /// of `channels`, answered by `data`.
    pub fn new(
        dev: &device::Device<device::Bound>,
        name: &'static CStr,
        data: Arc<T>,
        channels: &[Channel],
    ) -> Result<Self> {
        let mut configs = KVec::with_capacity(channels.len(), GFP_KERNEL)?;
        for channel in channels {
            let mut config = KVec::with_capacity(channel.config.len() + 1, GFP_KERNEL)?;
            config.extend_from_slice(channel.config, GFP_KERNEL)?;
            config.push(0, GFP_KERNEL)?;
            configs.push(config, GFP_KERNEL)?;
        }
        let mut infos = KVec::with_capacity(channels.len(), GFP_KERNEL)?;
        for (channel, config) in channels.iter().zip(configs.iter()) {
            infos.push(
                bindings::hwmon_channel_info {
                    type_: channel.kind.as_raw(),
                    config: config.as_ptr(),
                },
                GFP_KERNEL,
            )?;
        }
        let mut ptrs = KVec::with_capacity(infos.len() + 1, GFP_KERNEL)?;
        for info in infos.iter() {
            ptrs.push(core::ptr::from_ref(info), GFP_KERNEL)?;
        }
        ptrs.push(core::ptr::null(), GFP_KERNEL)?;

        let tables = KBox::new(
            Tables {
                chip: bindings::hwmon_chip_info {
                    ops: &Adapter::<T>::OPS,
                    info: ptrs.as_ptr(),
                },
                _ptrs: ptrs,
                _infos: infos,
                _configs: configs,
            },
            GFP_KERNEL,
        )?;

        // SAFETY: `dev` is a bound device; `name` is a static C string; the
        // chip tables live in `tables`, which the registration keeps until
        // after unregistering, and so is the driver data, an `Arc<T>` the
        // registration holds (the callbacks take it as `&T`).
        let hwmon = from_err_ptr(unsafe {
            bindings::hwmon_device_register_with_info(
                raw_device(dev),
                name.as_char_ptr(),
                Arc::as_ptr(&data).cast_mut().cast(),
                &tables.chip,
                core::ptr::null_mut(),
            )
        })?;
        let hwmon = NonNull::new(hwmon).ok_or(EINVAL)?;

        // INVARIANT: registered above with `tables` and `data`.
        Ok(Self {
            hwmon,
            _data: data,
            _tables: tables,
        })
    }
}

impl<T: Operations> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: By the type invariant, `hwmon` is registered; once this
        // returns, its attributes are gone and no callback runs, so `data`
        // and `tables` may be freed after it.
        unsafe { bindings::hwmon_device_unregister(self.hwmon.as_ptr()) };
    }
}

/// The C callbacks of a `T`.
struct Adapter<T>(core::marker::PhantomData<T>);

impl<T: Operations> Adapter<T> {
    const OPS: bindings::hwmon_ops = bindings::hwmon_ops {
        visible: 0,
        is_visible: Some(Self::is_visible),
        read: Some(Self::read),
        read_string: None,
        write: None,
    };

    /// # Safety
    ///
    /// `drvdata` is the driver data of a [`Registration<T>`].
    unsafe extern "C" fn is_visible(
        drvdata: *const c_void,
        kind: bindings::hwmon_sensor_types,
        attr: u32,
        channel: c_int,
    ) -> bindings::umode_t {
        // SAFETY: By the function's safety requirements, `drvdata` is the
        // `T` that the registration keeps alive.
        let data = unsafe { &*drvdata.cast::<T>() };
        SensorType::from_raw(kind).map_or(0, |kind| data.is_visible(kind, attr, channel))
    }

    /// # Safety
    ///
    /// `dev` is the hwmon device of a [`Registration<T>`] and `val` is
    /// valid for writing.
    unsafe extern "C" fn read(
        dev: *mut bindings::device,
        kind: bindings::hwmon_sensor_types,
        attr: u32,
        channel: c_int,
        val: *mut c_long,
    ) -> c_int {
        // SAFETY: `dev` is a valid device by the function's safety
        // requirements.
        let drvdata = unsafe { kernel::bindings::dev_get_drvdata(dev) };
        // SAFETY: The driver data of the hwmon device is the `T` that the
        // registration keeps alive.
        let data = unsafe { &*drvdata.cast_const().cast::<T>() };
        let Some(kind) = SensorType::from_raw(kind) else {
            return EOPNOTSUPP.to_errno();
        };
        match data.read(kind, attr, channel) {
            Ok(value) => {
                // SAFETY: `val` is valid for writing by the function's
                // safety requirements.
                // CAST: `long` is 64 bits wide where the driver builds.
                unsafe { *val = value as c_long };
                0
            }
            Err(e) => e.to_errno(),
        }
    }
}
