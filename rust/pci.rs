// SPDX-License-Identifier: GPL-2.0

//! PCI device setup that `kernel::pci` leaves to `unsafe` code or does not
//! undo.
//!
//! - [`DmaMasked`] sets a driver's DMA addressing limit before its probe runs,
//!   the one moment at which the kernel crate's `unsafe` requirement for
//!   changing the mask provably holds.
//! - [`EnabledDevice`] enables a device's memory space and disables the
//!   device again when dropped, which `pci::Device::enable_device_mem()`
//!   alone never does (C drivers get this from `pcim_enable_device()`).
//! - [`alloc_irq_vectors`] allocates MSI-X vectors for as long as the device
//!   is bound, so that device-managed interrupt handlers
//!   ([`crate::kernel_ext::irq`]) are always freed before their vectors.
//! - [`serial_number`] reads the Device Serial Number capability.
//! - [`Lifecycle`] and [`Adapter`]: system sleep, shutdown and error
//!   recovery callbacks, which `kernel::pci::Driver` lacks.
//! - [`save_state`] and [`restore_state`] keep the configuration space
//!   across a reset.
//!
//! C header: [`include/linux/pci.h`](srctree/include/linux/pci.h)

use core::{
    marker::PhantomData,
    num::NonZero, //
};
use kernel::{
    bindings,
    device::{
        Bound,
        Core, //
    },
    devres,
    dma::{
        Device as _,
        DmaMask, //
    },
    pci,
    prelude::*,
    sync::aref::ARef, //
};

mod lifecycle;

pub use lifecycle::{
    Adapter,
    ChannelState,
    ErsResult,
    Lifecycle, //
};

/// Returns the C `struct pci_dev` behind `pdev`.
///
/// `pci::Device` keeps its raw accessor crate-private; this is the same
/// conversion, relying on the layout the type declares: it is
/// `#[repr(transparent)]` over `Opaque<bindings::pci_dev>` (plus a zero-sized
/// context marker), so a pointer to it is a pointer to the C object.
pub(crate) fn as_raw<Ctx: kernel::device::DeviceContext>(
    pdev: &pci::Device<Ctx>,
) -> *mut bindings::pci_dev {
    core::ptr::from_ref(pdev)
        .cast::<bindings::pci_dev>()
        .cast_mut()
}

/// A PCI driver whose device needs a DMA mask other than the default 32 bits.
///
/// Register the driver as [`DmaMasked<Self>`] to have the mask set before
/// [`pci::Driver::probe`] runs.
pub trait DmaDriver: pci::Driver {
    /// The DMA masks to try, widest first. The first one the platform
    /// accepts is set for both streaming and coherent mappings.
    const DMA_MASKS: &'static [DmaMask];
}

/// The PCI driver `T`, with its DMA mask set before its probe runs.
///
/// Changing a device's DMA mask is only sound while nothing allocates or
/// maps DMA memory for that device, which is why
/// [`kernel::dma::Device::dma_set_mask_and_coherent`] is `unsafe`. Before
/// `T::probe` runs, that is certain: the bus calls probe with the device lock
/// held, no driver is bound, the previous binding's resources were released
/// when it ended, and `T`'s own code has not run for this device yet. So this
/// adapter sets the mask there, and drivers stay free of `unsafe`.
///
/// If no mask of [`DmaDriver::DMA_MASKS`] is accepted, probe fails with the
/// error of the last attempt.
///
/// # Examples
///
/// ```
/// use kernel::{
///     device::Core,
///     dma::DmaMask,
///     pci,
///     prelude::*, //
/// };
/// use kernel_ext::pci::{
///     DmaDriver,
///     DmaMasked, //
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
///         pdev: &'bound pci::Device<Core<'_>>,
///         _id_info: Option<&'bound Self::IdInfo>,
///     ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
///         // The mask is set: map DMA memory for the device from here on.
///         dev_info!(pdev, "probed\n");
///         Ok(())
///     }
/// }
///
/// impl DmaDriver for MyDriver {
///     const DMA_MASKS: &'static [DmaMask] = &[DmaMask::new::<46>(), DmaMask::new::<32>()];
/// }
///
/// // Registered as `DmaMasked<MyDriver>`, e.g. with
/// // `kernel::module_pci_driver!`.
/// type Registered = DmaMasked<MyDriver>;
/// ```
pub struct DmaMasked<T>(PhantomData<T>);

impl<T: DmaDriver> pci::Driver for DmaMasked<T> {
    type IdInfo = T::IdInfo;
    type Data<'bound> = T::Data<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = T::ID_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        id_info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        pin_init::pin_init_scope(move || {
            set_dma_mask(pdev, T::DMA_MASKS)?;
            Ok(T::probe(pdev, id_info))
        })
    }

    fn unbind<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        T::unbind(pdev, this);
    }
}

#[vtable]
impl<T: DmaDriver + Lifecycle> Lifecycle for DmaMasked<T> {
    type OwnerModule = T::OwnerModule;
    const HAS_SUSPEND: bool = T::HAS_SUSPEND;
    const HAS_RESUME: bool = T::HAS_RESUME;
    const HAS_SHUTDOWN: bool = T::HAS_SHUTDOWN;
    const HAS_ERROR_DETECTED: bool = T::HAS_ERROR_DETECTED;
    const HAS_SLOT_RESET: bool = T::HAS_SLOT_RESET;
    const HAS_ERROR_RESUME: bool = T::HAS_ERROR_RESUME;
    const HAS_RESET_PREPARE: bool = T::HAS_RESET_PREPARE;
    const HAS_RESET_DONE: bool = T::HAS_RESET_DONE;

    fn suspend<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
    ) -> Result {
        T::suspend(pdev, this)
    }

    fn resume<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
    ) -> Result {
        T::resume(pdev, this)
    }

    fn shutdown<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        T::shutdown(pdev, this)
    }

    fn error_detected<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
        state: ChannelState,
    ) -> ErsResult {
        T::error_detected(pdev, this, state)
    }

    fn slot_reset<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        this: Pin<&Self::Data<'bound>>,
    ) -> ErsResult {
        T::slot_reset(pdev, this)
    }

    fn error_resume<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        T::error_resume(pdev, this)
    }

    fn reset_prepare<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        T::reset_prepare(pdev, this)
    }

    fn reset_done<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        T::reset_done(pdev, this)
    }
}

/// Sets the first mask of `masks` that the platform accepts.
fn set_dma_mask(pdev: &pci::Device<Core<'_>>, masks: &[DmaMask]) -> Result {
    let mut last = Err(EINVAL);

    for &mask in masks {
        // SAFETY: Called only from `DmaMasked::probe` before the driver's
        // probe: nothing allocates or maps DMA memory for this device
        // concurrently (see `DmaMasked`).
        last = unsafe { pdev.dma_set_mask_and_coherent(mask) };
        if last.is_ok() {
            dev_dbg!(pdev, "DMA mask {:#x}\n", mask.value());
            return Ok(());
        }
    }

    if let Err(e) = last {
        dev_err!(pdev, "DMA configuration failed: {:?}\n", e);
    }
    last
}

/// A PCI device with its memory space enabled for as long as this value
/// lives.
///
/// [`pci::Device::enable_device_mem`] has no counterpart in the kernel crate,
/// so a device enabled with it stays enabled (and keeps bus mastering on)
/// after the driver unbinds. Dropping an `EnabledDevice` disables the device
/// again, which also turns bus mastering off, as `pcim_enable_device()` does
/// for C drivers. Keep it in the driver's data, declared after every field
/// that still accesses the device when dropped (fields drop in declaration
/// order).
///
/// # Examples
///
/// ```
/// use kernel::{
///     device::Core,
///     pci,
///     prelude::*, //
/// };
/// use kernel_ext::pci::EnabledDevice;
///
/// struct Data<'bound> {
///     // Fields that still use the device when dropped come first.
///     _enabled: EnabledDevice<'bound>,
/// }
///
/// fn probe<'bound>(pdev: &'bound pci::Device<Core<'_>>) -> Result<Data<'bound>> {
///     let enabled = EnabledDevice::new(pdev)?;
///     pdev.set_master();
///     Ok(Data { _enabled: enabled })
/// }
/// ```
///
/// # Invariants
///
/// `pdev` was enabled by [`EnabledDevice::new`], and this value holds that
/// enable count until it is dropped.
pub struct EnabledDevice<'bound> {
    pdev: &'bound pci::Device<Bound>,
}

impl<'bound> EnabledDevice<'bound> {
    /// Enables the memory space of `pdev` (`pci_enable_device_mem()`).
    ///
    /// Bus mastering is separate: call [`pci::Device::set_master`] once the
    /// device may start DMA.
    pub fn new(pdev: &'bound pci::Device<Core<'_>>) -> Result<Self> {
        pdev.enable_device_mem()?;

        // INVARIANT: The device was just enabled.
        Ok(Self { pdev })
    }
}

impl Drop for EnabledDevice<'_> {
    fn drop(&mut self) {
        // SAFETY: `self.pdev` is a valid, bound PCI device for `'bound`, and
        // by the type invariant it holds an enable count of ours to drop.
        unsafe { bindings::pci_disable_device(as_raw(self.pdev)) };
    }
}

/// The device-managed allocation behind [`IrqVectors`]: frees the vectors
/// when the device's resource list releases it, at unbind.
///
/// # Invariants
///
/// `pdev` has MSI-X vectors allocated by [`alloc_irq_vectors`], owned by
/// this value.
struct VectorAllocation {
    pdev: ARef<pci::Device>,
}

impl Drop for VectorAllocation {
    fn drop(&mut self) {
        // SAFETY: By the type invariant the vectors are allocated and ours.
        // Interrupt handlers on them are device-managed too and were
        // registered later, so the device's resource list freed them first.
        unsafe { bindings::pci_free_irq_vectors(as_raw(&*self.pdev)) };
    }
}

/// Allocates between `min` and `max` MSI-X vectors for `pdev`. They stay
/// allocated until the device is unbound.
///
/// Unlike `pci::Device::alloc_irq_vectors()`, whose
/// `pci::IrqVectorRegistration` frees the vectors when dropped, the
/// allocation is device-managed: interrupt handlers installed with
/// [`crate::kernel_ext::irq::request_threaded`] (also device-managed, and
/// installed later) are therefore always freed before the vectors they
/// use, in whatever order the driver drops things.
///
/// # Examples
///
/// ```
/// # use kernel::{device::Bound, pci, prelude::*};
/// use kernel_ext::pci::alloc_irq_vectors;
///
/// # fn no_run(pdev: &pci::Device<Bound>) -> Result {
/// // Vector 0 for the mailbox, one more for each of up to 8 queues.
/// let vectors = alloc_irq_vectors(pdev, 2, 9)?;
/// let queues = vectors.len() - 1;
/// let mailbox = vectors.index(0)?;
/// dev_info!(pdev, "mailbox on IRQ {}, {} queues\n", mailbox.irq(), queues);
/// # Ok(())
/// # }
/// ```
pub fn alloc_irq_vectors(pdev: &pci::Device<Bound>, min: u32, max: u32) -> Result<IrqVectors<'_>> {
    // SAFETY: `pdev` is a valid, bound PCI device.
    let ret =
        unsafe { bindings::pci_alloc_irq_vectors(as_raw(pdev), min, max, bindings::PCI_IRQ_MSIX) };
    let len = u32::try_from(ret).map_err(|_| Error::from_errno(ret))?;
    let len = NonZero::new(len).ok_or(EINVAL)?;

    // INVARIANT: Allocated just above.
    let allocation = VectorAllocation { pdev: pdev.into() };
    devres::register(pdev.as_ref(), allocation, GFP_KERNEL)?;

    // INVARIANT: `len` vectors allocated just above, freed by the device's
    // resource list when `pdev` is unbound, which `'_` outlasts.
    Ok(IrqVectors { pdev, len })
}

/// The MSI-X vectors [`alloc_irq_vectors`] allocated to a device: the
/// device-managed counterpart of `pci::IrqVectorRegistration`.
///
/// # Invariants
///
/// `pdev` has `len` MSI-X vectors allocated, which stay allocated while it
/// is bound, at least for `'a`.
#[derive(Clone, Copy)]
pub struct IrqVectors<'a> {
    pdev: &'a pci::Device<Bound>,
    len: NonZero<u32>,
}

impl<'a> IrqVectors<'a> {
    /// Returns the number of allocated vectors, at least the `min` that
    /// [`alloc_irq_vectors`] was asked for.
    pub fn len(&self) -> u32 {
        self.len.get()
    }

    /// Returns the vector at `index` (its MSI-X table entry), or
    /// [`EINVAL`] if `index` is not below [`Self::len`].
    pub fn index(&self, index: u32) -> Result<IrqVector<'a>> {
        if index >= self.len() {
            return Err(EINVAL);
        }
        // SAFETY: `self.pdev` is a valid, bound PCI device.
        let irq = unsafe { bindings::pci_irq_vector(as_raw(self.pdev), index) };
        let irq = u32::try_from(irq).map_err(|_| Error::from_errno(irq))?;

        // INVARIANT: `pci_irq_vector()` resolved an allocated vector of
        // `self.pdev`, allocated for `'a` by the invariant of `Self`.
        Ok(IrqVector {
            pdev: self.pdev,
            irq,
        })
    }
}

/// One of the vectors of an [`IrqVectors`], resolved to its Linux interrupt
/// number: what [`crate::kernel_ext::irq`] installs handlers on. The
/// counterpart of `pci::IrqVector`.
///
/// # Invariants
///
/// `irq` is the interrupt number of an MSI-X vector allocated to `pdev`,
/// which stays allocated for `'a`.
pub struct IrqVector<'a> {
    pdev: &'a pci::Device<Bound>,
    irq: u32,
}

impl<'a> IrqVector<'a> {
    /// Returns the Linux interrupt number (`pci_irq_vector()`).
    pub fn irq(&self) -> u32 {
        self.irq
    }

    /// Returns the device the vector belongs to.
    pub fn device(&self) -> &'a pci::Device<Bound> {
        self.pdev
    }
}

/// Returns the device's serial number from its PCIe Device Serial Number
/// extended capability (`pci_get_dsn()`), or `None` if it has none.
pub fn serial_number<Ctx: kernel::device::DeviceContext>(pdev: &pci::Device<Ctx>) -> Option<u64> {
    // SAFETY: `pdev` is a valid PCI device; reading config space has no
    // other requirement.
    let dsn = unsafe { bindings::pci_get_dsn(as_raw(pdev)) };
    // The C function returns 0 when the capability is missing.
    (dsn != 0).then_some(dsn)
}

/// Saves the configuration space of `pdev` (`pci_save_state()`), for
/// [`restore_state`] after a reset that the driver handles itself, such as
/// the one of error recovery.
pub fn save_state(pdev: &pci::Device<Core<'_>>) {
    // SAFETY: `pdev` is a valid PCI device, and the core context (device
    // lock held) serializes this with the core's own save and restore.
    // The function fails only without memory for extended capabilities,
    // whose state is then not restored; nothing to undo.
    let _ = unsafe { bindings::pci_save_state(as_raw(pdev)) };
}

/// Puts `pdev` in D0 and writes back the configuration space that
/// [`save_state`] saved (`pci_set_power_state(D0)`, `pci_restore_state()`):
/// BARs, command register (memory space, bus mastering), MSI-X. Does
/// nothing to the configuration space if none was saved since the last
/// restore.
pub fn restore_state(pdev: &pci::Device<Core<'_>>) {
    // SAFETY: `pdev` is a valid PCI device, and the core context (device
    // lock held) serializes the power state change. A device that cannot
    // enter D0 keeps its state; the restore below is harmless then.
    let _ = unsafe { bindings::pci_set_power_state(as_raw(pdev), PCI_D0) };
    // SAFETY: As above.
    unsafe { bindings::pci_restore_state(as_raw(pdev)) };
}

/// Full power (`PCI_D0`, a cast of 0 that bindgen does not see).
const PCI_D0: bindings::pci_power_t = 0;
