// SPDX-License-Identifier: GPL-2.0

//! The callbacks of a PCI driver beyond probe and unbind: system sleep
//! (`dev_pm_ops`), shutdown, and error recovery (`pci_error_handlers`).
//!
//! Linux 7.3's `kernel::pci::Adapter` registers a `struct pci_driver` with
//! probe and remove only. A driver that implements [`Lifecycle`] as well is
//! registered through [`Adapter`] instead, which fills in the callbacks the
//! driver implements and leaves the rest to `kernel::pci::Adapter`.
//!
//! Every callback gets the device, in the [`Core`] context (the bus calls
//! them with the device lock held), and the driver's data of the current
//! binding, as [`pci::Driver::unbind`] does. The bus only calls them while
//! a driver is bound, between a successful probe and the start of unbind.
//!
//! C headers: [`include/linux/pci.h`](srctree/include/linux/pci.h),
//! [`include/linux/pm.h`](srctree/include/linux/pm.h)

use core::marker::PhantomData;
use kernel::{
    bindings,
    container_of,
    device::{
        self,
        Core,
        CoreInternal, //
    },
    driver,
    error::{
        from_result,
        VTABLE_DEFAULT_ERROR, //
    },
    pci,
    prelude::*,
    types::Opaque,
    ThisModule, //
};

/// The state of the PCI channel when an error is reported
/// (`pci_channel_state_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelState {
    /// The channel works: I/O to the device is possible.
    Normal,
    /// I/O to the device is blocked until it is reset; recovery may work.
    Frozen,
    /// The device is gone for good: do not touch it any more.
    PermFailure,
}

impl ChannelState {
    fn from_raw(state: bindings::pci_channel_state_t) -> Self {
        match state {
            bindings::pci_channel_io_normal => Self::Normal,
            bindings::pci_channel_io_frozen => Self::Frozen,
            // Anything the core may add later is treated as the worst case.
            _ => Self::PermFailure,
        }
    }
}

/// What a driver's error handler asks the recovery to do next
/// (`pci_ers_result_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ErsResult {
    /// The device must be reset.
    NeedReset = bindings::pci_ers_result_PCI_ERS_RESULT_NEED_RESET,
    /// The device cannot be recovered: disconnect it.
    Disconnect = bindings::pci_ers_result_PCI_ERS_RESULT_DISCONNECT,
    /// The device works again.
    Recovered = bindings::pci_ers_result_PCI_ERS_RESULT_RECOVERED,
}

/// The optional callbacks of a PCI driver that the bus calls outside of
/// probe and unbind.
///
/// Implement the ones the driver needs, with `#[vtable]`, and register the
/// driver as [`Adapter<Self>`]. Each gets the device and the driver's data
/// of the binding, like [`pci::Driver::unbind`].
///
/// # Examples
///
/// ```
/// use kernel::{
///     device::Core,
///     pci,
///     prelude::*, //
/// };
/// use kernel_ext::pci::{
///     ErsResult,
///     ChannelState,
///     Lifecycle, //
/// };
///
/// struct MyDriver;
///
/// kernel::pci_device_table!(
///     PCI_TABLE,
///     <MyDriver as pci::Driver>::IdInfo,
///     [(pci::DeviceId::from_id(pci::Vendor::META, 0x0013), ())]
/// );
///
/// impl pci::Driver for MyDriver {
///     type IdInfo = ();
///     type Data<'bound> = ();
///
///     const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;
///
///     fn probe<'bound>(
///         _pdev: &'bound pci::Device<Core<'_>>,
///         _id_info: Option<&'bound Self::IdInfo>,
///     ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
///         Ok(())
///     }
/// }
///
/// #[vtable]
/// impl Lifecycle for MyDriver {
///     fn suspend<'bound>(pdev: &'bound pci::Device<Core<'_>>, _this: Pin<&()>) -> Result {
///         dev_info!(pdev, "stopping the device\n");
///         Ok(())
///     }
///
///     fn resume<'bound>(pdev: &'bound pci::Device<Core<'_>>, _this: Pin<&()>) -> Result {
///         dev_info!(pdev, "starting the device again\n");
///         Ok(())
///     }
///
///     fn error_detected<'bound>(
///         _pdev: &'bound pci::Device<Core<'_>>,
///         _this: Pin<&()>,
///         state: ChannelState,
///     ) -> ErsResult {
///         match state {
///             ChannelState::PermFailure => ErsResult::Disconnect,
///             _ => ErsResult::NeedReset,
///         }
///     }
/// }
///
/// // Registered with `kernel::module_driver!(<T>, kernel_ext::pci::Adapter<T>, { ... })`.
/// type Registered = kernel_ext::pci::Adapter<MyDriver>;
/// ```
#[vtable]
pub trait Lifecycle: pci::Driver {
    /// System sleep (`dev_pm_ops.suspend`, also `freeze` and `poweroff`
    /// of hibernation): quiesce the device before it loses power. An error
    /// aborts the sleep.
    fn suspend<'bound>(
        _pdev: &'bound pci::Device<Core<'_>>,
        _this: Pin<&Self::Data<'bound>>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Wake-up (`dev_pm_ops.resume`, also `thaw` and `restore`): the
    /// device is powered and its configuration space restored; bring it
    /// back to the state it had before [`Lifecycle::suspend`].
    fn resume<'bound>(
        _pdev: &'bound pci::Device<Core<'_>>,
        _this: Pin<&Self::Data<'bound>>,
    ) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The system powers off or reboots (`pci_driver.shutdown`): stop all
    /// DMA and interrupts. The driver stays bound; nothing is freed.
    fn shutdown<'bound>(_pdev: &'bound pci::Device<Core<'_>>, _this: Pin<&Self::Data<'bound>>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// An error was detected on the device's link
    /// (`pci_error_handlers.error_detected`). With
    /// [`ChannelState::PermFailure`] the device must not be accessed.
    fn error_detected<'bound>(
        _pdev: &'bound pci::Device<Core<'_>>,
        _this: Pin<&Self::Data<'bound>>,
        _state: ChannelState,
    ) -> ErsResult {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The device was reset during error recovery
    /// (`pci_error_handlers.slot_reset`): make it work again, but keep
    /// traffic stopped until [`Lifecycle::error_resume`].
    fn slot_reset<'bound>(
        _pdev: &'bound pci::Device<Core<'_>>,
        _this: Pin<&Self::Data<'bound>>,
    ) -> ErsResult {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Error recovery is over (`pci_error_handlers.resume`): let traffic
    /// flow again.
    fn error_resume<'bound>(_pdev: &'bound pci::Device<Core<'_>>, _this: Pin<&Self::Data<'bound>>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The device is about to be reset, e.g. a function reset through
    /// sysfs (`pci_error_handlers.reset_prepare`): quiesce it. The core
    /// saves and restores the configuration space around the reset.
    fn reset_prepare<'bound>(
        _pdev: &'bound pci::Device<Core<'_>>,
        _this: Pin<&Self::Data<'bound>>,
    ) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The reset announced by [`Lifecycle::reset_prepare`] is done
    /// (`pci_error_handlers.reset_done`): bring the device back up.
    fn reset_done<'bound>(_pdev: &'bound pci::Device<Core<'_>>, _this: Pin<&Self::Data<'bound>>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// Registers the PCI driver `T` with its [`Lifecycle`] callbacks, for
/// `kernel::module_driver!` (in place of `kernel::pci::Adapter<T>`).
pub struct Adapter<T>(PhantomData<T>);

// SAFETY: The layout is that of `kernel::pci::Adapter<T>`: the C type is
// `struct pci_driver` (`repr(C)`), which embeds its `struct device_driver`
// at the given offset, and `T::Data` is the driver's data, as probe stores
// it (probe is `kernel::pci::Adapter<T>`'s).
unsafe impl<T: Lifecycle + 'static> driver::DriverLayout for Adapter<T> {
    type DriverType = bindings::pci_driver;
    type DriverData<'bound> = T::Data<'bound>;
    const DEVICE_DRIVER_OFFSET: usize = core::mem::offset_of!(bindings::pci_driver, driver);
}

// SAFETY: `unregister` is `kernel::pci::Adapter<T>`'s, which is valid after
// its `register` succeeded, which `register` below ends with.
unsafe impl<T: Lifecycle + 'static> driver::RegistrationOps for Adapter<T> {
    unsafe fn register(
        pdrv: &Opaque<Self::DriverType>,
        name: &'static CStr,
        module: &'static ThisModule,
    ) -> Result {
        // SAFETY: The driver is not registered yet, so nothing else reads
        // its fields; the tables are `'static`.
        unsafe {
            let raw = pdrv.get();
            if T::HAS_SUSPEND || T::HAS_RESUME {
                (*raw).driver.pm = Self::PM_OPS;
            }
            if T::HAS_SHUTDOWN {
                (*raw).shutdown = Some(Self::shutdown_callback);
            }
            if T::HAS_ERROR_DETECTED
                || T::HAS_SLOT_RESET
                || T::HAS_ERROR_RESUME
                || T::HAS_RESET_PREPARE
                || T::HAS_RESET_DONE
            {
                (*raw).err_handler = Self::ERR_HANDLERS;
            }
        }
        // SAFETY: Our caller's guarantee (`pdrv` stays pinned and valid
        // until `unregister`) is what this call needs.
        unsafe {
            <kernel::pci::Adapter<T> as driver::RegistrationOps>::register(pdrv, name, module)
        }
    }

    unsafe fn unregister(pdrv: &Opaque<Self::DriverType>) {
        // SAFETY: Registered by `register` above, through this function.
        unsafe { <kernel::pci::Adapter<T> as driver::RegistrationOps>::unregister(pdrv) }
    }
}

impl<T: Lifecycle + 'static> Adapter<T> {
    /// `SET_SYSTEM_SLEEP_PM_OPS(suspend, resume)`: the same pair for
    /// suspend to RAM and for hibernation.
    const PM_TABLE: bindings::dev_pm_ops = bindings::dev_pm_ops {
        suspend: if T::HAS_SUSPEND {
            Some(Self::suspend_callback)
        } else {
            None
        },
        resume: if T::HAS_RESUME {
            Some(Self::resume_callback)
        } else {
            None
        },
        freeze: if T::HAS_SUSPEND {
            Some(Self::suspend_callback)
        } else {
            None
        },
        thaw: if T::HAS_RESUME {
            Some(Self::resume_callback)
        } else {
            None
        },
        poweroff: if T::HAS_SUSPEND {
            Some(Self::suspend_callback)
        } else {
            None
        },
        restore: if T::HAS_RESUME {
            Some(Self::resume_callback)
        } else {
            None
        },
        ..pin_init::zeroed()
    };
    const PM_OPS: &'static bindings::dev_pm_ops = &Self::PM_TABLE;

    const ERR_TABLE: bindings::pci_error_handlers = bindings::pci_error_handlers {
        error_detected: if T::HAS_ERROR_DETECTED {
            Some(Self::error_detected_callback)
        } else {
            None
        },
        slot_reset: if T::HAS_SLOT_RESET {
            Some(Self::slot_reset_callback)
        } else {
            None
        },
        resume: if T::HAS_ERROR_RESUME {
            Some(Self::error_resume_callback)
        } else {
            None
        },
        reset_prepare: if T::HAS_RESET_PREPARE {
            Some(Self::reset_prepare_callback)
        } else {
            None
        },
        reset_done: if T::HAS_RESET_DONE {
            Some(Self::reset_done_callback)
        } else {
            None
        },
        ..pin_init::zeroed()
    };
    const ERR_HANDLERS: &'static bindings::pci_error_handlers = &Self::ERR_TABLE;

    /// Returns the device and the driver's data of its binding.
    ///
    /// # Safety
    ///
    /// `pdev` is a valid PCI device bound to `T` through this adapter, and
    /// the caller is a bus callback that runs with the device lock held,
    /// which keeps it bound for `'a`, the duration of the callback.
    unsafe fn bound<'a>(
        pdev: *mut bindings::pci_dev,
    ) -> (&'a pci::Device<CoreInternal<'a>>, Pin<&'a T::Data<'a>>) {
        // SAFETY: `pdev` is valid for `'a` (the caller's guarantee), and
        // `pci::Device` is a transparent wrapper of `struct pci_dev`, as
        // `kernel::pci::Adapter` casts it too. The core context holds: the
        // bus calls us with the device lock held.
        let core = unsafe { &*pdev.cast::<pci::Device<CoreInternal<'a>>>() };
        let dev: &device::Device<CoreInternal<'a>> = core.as_ref();
        // SAFETY: The device is bound to `T` (the caller's guarantee), so
        // probe stored a `T::Data` as its driver data, which unbind has not
        // taken yet: unbind also runs under the device lock.
        let data = unsafe { dev.drvdata_borrow::<T::Data<'a>>() };
        (core, data)
    }

    /// # Safety
    ///
    /// Called by the PM core with the `struct device` of a PCI device bound
    /// to this driver, under its device lock.
    unsafe extern "C" fn suspend_callback(dev: *mut bindings::device) -> c_int {
        // SAFETY: The PM core calls a PCI driver's `dev_pm_ops` with the
        // device embedded in its `struct pci_dev`.
        let pdev = unsafe { container_of!(dev, bindings::pci_dev, dev) };
        // SAFETY: Bound to us, under the device lock (see above).
        let (p, d) = unsafe { Self::bound(pdev) };
        from_result(|| T::suspend(p, d).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for [`Self::suspend_callback`].
    unsafe extern "C" fn resume_callback(dev: *mut bindings::device) -> c_int {
        // SAFETY: As in `suspend_callback`.
        let pdev = unsafe { container_of!(dev, bindings::pci_dev, dev) };
        // SAFETY: As in `suspend_callback`.
        let (p, d) = unsafe { Self::bound(pdev) };
        from_result(|| T::resume(p, d).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the PCI core with a device bound to this driver, under its
    /// device lock (`pci_device_shutdown()`).
    unsafe extern "C" fn shutdown_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: The caller's guarantee.
        let (p, d) = unsafe { Self::bound(pdev) };
        T::shutdown(p, d)
    }

    /// # Safety
    ///
    /// Called by the PCI error recovery with a device bound to this driver,
    /// under its device lock (as every `pci_error_handlers` callback).
    unsafe extern "C" fn error_detected_callback(
        pdev: *mut bindings::pci_dev,
        state: bindings::pci_channel_state_t,
    ) -> bindings::pci_ers_result_t {
        let state = ChannelState::from_raw(state);
        // SAFETY: The caller's guarantee.
        let (p, d) = unsafe { Self::bound(pdev) };
        T::error_detected(p, d, state) as u32
    }

    /// # Safety
    ///
    /// As for [`Self::error_detected_callback`].
    unsafe extern "C" fn slot_reset_callback(
        pdev: *mut bindings::pci_dev,
    ) -> bindings::pci_ers_result_t {
        // SAFETY: The caller's guarantee.
        let (p, d) = unsafe { Self::bound(pdev) };
        T::slot_reset(p, d) as u32
    }

    /// # Safety
    ///
    /// As for [`Self::error_detected_callback`].
    unsafe extern "C" fn error_resume_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: The caller's guarantee.
        let (p, d) = unsafe { Self::bound(pdev) };
        T::error_resume(p, d)
    }

    /// # Safety
    ///
    /// As for [`Self::error_detected_callback`] (`pci_dev_save_and_disable()`
    /// documents that its caller holds the device lock).
    unsafe extern "C" fn reset_prepare_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: The caller's guarantee.
        let (p, d) = unsafe { Self::bound(pdev) };
        T::reset_prepare(p, d)
    }

    /// # Safety
    ///
    /// As for [`Self::reset_prepare_callback`].
    unsafe extern "C" fn reset_done_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: The caller's guarantee.
        let (p, d) = unsafe { Self::bound(pdev) };
        T::reset_done(p, d)
    }
}
