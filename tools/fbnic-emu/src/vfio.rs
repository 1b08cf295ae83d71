// SPDX-License-Identifier: GPL-2.0

//! The vfio-user side of a port: the socket, the regions and interrupt types
//! announced to the client, and the translation of client messages into
//! device operations.
//!
//! The `vfio_user` crate runs a blocking loop per connection and calls a
//! [`ServerBackend`] for each message. That loop only ever serves one client
//! and only on this port's thread; everything it touches lives in the shared
//! [`FbnicDevice`], so datapath threads can work alongside it.

use std::fmt;
use std::fs::{self, File};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use log::{debug, error, info, warn};
use vfio_bindings::bindings::vfio::{
    vfio_region_info, VFIO_IRQ_INFO_EVENTFD, VFIO_IRQ_SET_ACTION_TRIGGER,
    VFIO_IRQ_SET_ACTION_TYPE_MASK, VFIO_IRQ_SET_DATA_EVENTFD, VFIO_IRQ_SET_DATA_NONE,
    VFIO_IRQ_SET_DATA_TYPE_MASK, VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_MSIX_IRQ_INDEX,
    VFIO_PCI_NUM_IRQS, VFIO_PCI_NUM_REGIONS, VFIO_REGION_INFO_FLAG_READ,
    VFIO_REGION_INFO_FLAG_WRITE,
};
use vfio_user::{DmaMapFlags, DmaUnmapFlags, IrqInfo, Server, ServerBackend, ServerRegion};

use crate::device::{FbnicDevice, CONFIG_REGION};
use crate::memory::Access;
use crate::pci;

// The device's region numbering must be VFIO's.
const _: () = assert!(CONFIG_REGION == VFIO_PCI_CONFIG_REGION_INDEX);

/// The regions announced to the client: the three BARs and the
/// configuration space, all accessed through messages (no mmap), and empty
/// entries for the BAR upper halves, ROM and VGA so that the indices are
/// the standard VFIO PCI ones.
pub fn regions() -> Vec<ServerRegion> {
    (0..VFIO_PCI_NUM_REGIONS)
        .map(|index| {
            let size = match index {
                VFIO_PCI_CONFIG_REGION_INDEX => pci::CONFIG_SPACE_SIZE as u64,
                _ => pci::BARS
                    .iter()
                    .find(|bar| bar.index == index)
                    .map_or(0, |bar| bar.size),
            };
            let flags = if size > 0 {
                VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE
            } else {
                0
            };
            ServerRegion {
                region_info: vfio_region_info {
                    argsz: std::mem::size_of::<vfio_region_info>() as u32,
                    flags,
                    index,
                    cap_offset: 0,
                    size,
                    offset: 0,
                },
                sparse_areas: Vec::new(),
                mmap_fd: None,
            }
        })
        .collect()
}

/// The interrupt types announced to the client: MSI-X only. INTx (the
/// configuration space has no interrupt pin), MSI, error and request
/// interrupts are listed with no vectors, which QEMU takes as "absent".
pub fn irqs(msix_vectors: u16) -> Vec<IrqInfo> {
    (0..VFIO_PCI_NUM_IRQS)
        .map(|index| {
            if index == VFIO_PCI_MSIX_IRQ_INDEX {
                IrqInfo {
                    index,
                    flags: VFIO_IRQ_INFO_EVENTFD,
                    count: msix_vectors.into(),
                }
            } else {
                IrqInfo {
                    index,
                    flags: 0,
                    count: 0,
                }
            }
        })
        .collect()
}

fn invalid(e: impl fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e.to_string())
}

fn unsupported(what: impl fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, what.to_string())
}

/// Connects the vfio-user message loop to a device.
pub struct Backend {
    dev: Arc<FbnicDevice>,
    /// Whether this connection already explained a DMA_MAP without a file
    /// descriptor.
    fdless_explained: bool,
}

impl Backend {
    pub fn new(dev: Arc<FbnicDevice>) -> Self {
        Backend {
            dev,
            fdless_explained: false,
        }
    }

    /// Forgets per-connection state once the client is gone.
    pub fn client_gone(&mut self) {
        self.fdless_explained = false;
        self.dev.disconnect();
    }
}

impl ServerBackend for Backend {
    fn region_read(&mut self, region: u32, offset: u64, data: &mut [u8]) -> io::Result<()> {
        self.dev.region_read(region, offset, data).map_err(|e| {
            // The vfio_user crate logs the failed command with this error.
            debug!("REGION_READ: {e}");
            invalid(e)
        })
    }

    fn region_write(&mut self, region: u32, offset: u64, data: &[u8]) -> io::Result<()> {
        self.dev.region_write(region, offset, data).map_err(|e| {
            debug!("REGION_WRITE: {e}");
            invalid(e)
        })
    }

    fn dma_map(
        &mut self,
        flags: DmaMapFlags,
        offset: u64,
        address: u64,
        size: u64,
        fd: Option<File>,
    ) -> io::Result<()> {
        let access = Access {
            read: flags.contains(DmaMapFlags::READ),
            write: flags.contains(DmaMapFlags::WRITE),
        };
        let Some(fd) = fd else {
            // Memory QEMU cannot share (firmware ROM, device memory such as
            // a VGA framebuffer, or all of RAM if it is not a shared
            // backend). The client would expect DMA_READ/DMA_WRITE messages
            // for it, which this server cannot send; accept the map so the
            // client carries on, and say once why DMA there will fail.
            if self.fdless_explained {
                debug!("DMA_MAP {address:#x}+{size:#x} without a file descriptor");
            } else {
                self.fdless_explained = true;
                info!(
                    "DMA_MAP {address:#x}+{size:#x} came without a file descriptor: device \
                     DMA cannot reach such ranges (guest RAM must be a shared memory \
                     backend, e.g. memory-backend-memfd,share=on; ROM is expected)"
                );
            }
            return Ok(());
        };
        self.dev
            .memory()
            .map(address, size, &fd, offset, access)
            .map_err(|e| {
                warn!("DMA_MAP {address:#x}+{size:#x}: {e}");
                invalid(e)
            })?;
        debug!(
            "DMA_MAP {address:#x}+{size:#x} ({}{}) file offset {offset:#x}",
            if access.read { "r" } else { "-" },
            if access.write { "w" } else { "-" }
        );
        Ok(())
    }

    fn dma_unmap(&mut self, flags: DmaUnmapFlags, address: u64, size: u64) -> io::Result<()> {
        if flags.contains(DmaUnmapFlags::GET_DIRTY_PAGE_INFO) {
            return Err(unsupported("DMA_UNMAP dirty page tracking"));
        }
        if flags.contains(DmaUnmapFlags::UNMAP_ALL) {
            let n = self.dev.memory().unmap_all();
            debug!("DMA_UNMAP all ({n} mappings)");
            return Ok(());
        }
        let n = self.dev.memory().unmap(address, size).map_err(|e| {
            warn!("DMA_UNMAP {address:#x}+{size:#x}: {e}");
            invalid(e)
        })?;
        debug!("DMA_UNMAP {address:#x}+{size:#x} ({n} mappings)");
        Ok(())
    }

    fn reset(&mut self) -> io::Result<()> {
        info!("device reset");
        self.dev.reset();
        Ok(())
    }

    fn set_irqs(
        &mut self,
        index: u32,
        flags: u32,
        start: u32,
        count: u32,
        fds: Vec<File>,
    ) -> io::Result<()> {
        let action = flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
        let data = flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
        // VFIO's "disable": no data and count 0, or eventfds without any
        // descriptors (the client's -1 entries).
        let disable = action == VFIO_IRQ_SET_ACTION_TRIGGER
            && ((data == VFIO_IRQ_SET_DATA_NONE && count == 0)
                || (data == VFIO_IRQ_SET_DATA_EVENTFD && fds.is_empty()));

        if index != VFIO_PCI_MSIX_IRQ_INDEX {
            // Nothing to disable for interrupt types the device lacks.
            return if disable {
                Ok(())
            } else {
                Err(unsupported(format!("SET_IRQS for IRQ index {index}")))
            };
        }
        if action != VFIO_IRQ_SET_ACTION_TRIGGER {
            // The client emulates MSI-X masking itself.
            return Err(unsupported("SET_IRQS mask/unmask for MSI-X"));
        }
        let irqs = self.dev.interrupts();
        match data {
            VFIO_IRQ_SET_DATA_NONE if count == 0 => {
                irqs.detach_all();
                info!("MSI-X: all vectors disconnected");
            }
            VFIO_IRQ_SET_DATA_NONE => {
                // Loopback trigger of vectors start..start+count.
                for v in start..start.saturating_add(count) {
                    let v = u16::try_from(v).map_err(invalid)?;
                    irqs.fire(v).map_err(invalid)?;
                }
            }
            VFIO_IRQ_SET_DATA_EVENTFD if fds.is_empty() => {
                irqs.detach(start, count).map_err(invalid)?;
                debug!(
                    "MSI-X vectors {start}..{} disconnected",
                    u64::from(start) + u64::from(count)
                );
            }
            VFIO_IRQ_SET_DATA_EVENTFD => {
                if fds.len() != count as usize {
                    return Err(invalid(format!(
                        "SET_IRQS names {count} vectors but carries {} eventfds",
                        fds.len()
                    )));
                }
                irqs.attach(start, fds).map_err(invalid)?;
                info!(
                    "MSI-X vectors {start}..{} connected",
                    u64::from(start) + u64::from(count)
                );
            }
            _ => return Err(unsupported(format!("SET_IRQS data type {data:#x}"))),
        }
        Ok(())
    }
}

/// A listening socket. Its file is removed through a [`SocketRemover`], and
/// only if it is still the one this process created.
pub struct Listener {
    path: PathBuf,
    listener: UnixListener,
    id: (u64, u64),
}

impl Listener {
    /// Binds `path`. A socket file left behind by a dead server (nothing
    /// accepts on it) is replaced; a live one, or any other kind of file, is
    /// an error.
    pub fn bind(path: &Path) -> io::Result<Listener> {
        match fs::symlink_metadata(path) {
            Ok(md) if !md.file_type().is_socket() => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a socket", path.display()),
                ));
            }
            Ok(_) => match UnixStream::connect(path) {
                Ok(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::AddrInUse,
                        format!("another server is listening on {}", path.display()),
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                    fs::remove_file(path)?;
                    info!("replaced stale socket {}", path.display());
                }
                Err(e) => return Err(e),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let listener = UnixListener::bind(path)?;
        let md = fs::symlink_metadata(path)?;
        Ok(Listener {
            path: path.to_path_buf(),
            listener,
            id: (md.dev(), md.ino()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A handle that removes the socket file later, from another thread.
    pub fn remover(&self) -> SocketRemover {
        SocketRemover {
            path: self.path.clone(),
            id: self.id,
        }
    }
}

/// Removes a bound socket's file, unless something else replaced it.
pub struct SocketRemover {
    path: PathBuf,
    id: (u64, u64),
}

impl SocketRemover {
    pub fn remove(&self) {
        match fs::symlink_metadata(&self.path) {
            Ok(md) if (md.dev(), md.ino()) == self.id => {
                if let Err(e) = fs::remove_file(&self.path) {
                    warn!("cannot remove {}: {e}", self.path.display());
                }
            }
            Ok(_) => debug!("{} was replaced; leaving it", self.path.display()),
            Err(_) => {}
        }
    }
}

/// Serves `dev` on `listener`, one client at a time, forever.
///
/// A client that disconnects (or whose connection fails) leaves a freshly
/// reset device behind for the next one.
pub fn serve(listener: Listener, dev: Arc<FbnicDevice>) -> ! {
    let path = listener.path.clone();
    let server = Server::from_owned_fd(
        OwnedFd::from(listener.listener),
        true,
        irqs(dev.params().msix_vectors()),
        regions(),
    );
    let mut backend = Backend::new(dev);
    loop {
        // `vfio_user` can panic on some malformed messages; that must cost
        // the connection, not the port.
        let result = panic::catch_unwind(AssertUnwindSafe(|| server.run(&mut backend)));
        match result {
            Ok(Ok(())) => info!("client disconnected"),
            Ok(Err(vfio_user::Error::SocketAccept(e))) => {
                error!("accept on {}: {e}", path.display());
                thread::sleep(Duration::from_secs(1));
                continue;
            }
            Ok(Err(e)) => warn!("connection dropped: {e}"),
            Err(_) => error!("malformed message crashed the vfio-user handler; connection dropped"),
        }
        backend.client_gone();
        info!("device reset; waiting for a client on {}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vfio_bindings::bindings::vfio::{
        VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_BAR2_REGION_INDEX, VFIO_PCI_BAR4_REGION_INDEX,
        VFIO_PCI_INTX_IRQ_INDEX, VFIO_PCI_ROM_REGION_INDEX,
    };

    use crate::device::DeviceParams;
    use crate::identity::DEFAULT_DSN;

    #[test]
    fn regions_follow_vfio_pci_numbering() {
        let r = regions();
        assert_eq!(r.len(), VFIO_PCI_NUM_REGIONS as usize);
        for (i, reg) in r.iter().enumerate() {
            assert_eq!(reg.region_info.index as usize, i);
            assert!(reg.mmap_fd.is_none());
        }
        let size = |i: u32| r[i as usize].region_info.size;
        assert_eq!(size(VFIO_PCI_BAR0_REGION_INDEX), 4 << 20);
        assert_eq!(size(VFIO_PCI_BAR2_REGION_INDEX), 8 << 10);
        assert!(size(VFIO_PCI_BAR4_REGION_INDEX) >= 128 << 10);
        assert_eq!(size(VFIO_PCI_CONFIG_REGION_INDEX), 4096);
        for empty in [1, 3, 5, VFIO_PCI_ROM_REGION_INDEX, 8] {
            assert_eq!(size(empty), 0);
            assert_eq!(r[empty as usize].region_info.flags, 0);
        }
        let rw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
        for used in [0, 2, 4, 7] {
            assert_eq!(r[used as usize].region_info.flags, rw);
        }
    }

    #[test]
    fn bars_are_64bit_memory_bars_whose_upper_halves_are_empty() {
        let dev = FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 8,
            queue_threads: 1,
        });
        let cs = dev.config();
        for bar in pci::BARS {
            let reg = pci::PCI_BASE_ADDRESS_0 + 4 * bar.index as usize;
            let lo = cs.get32(reg);
            assert_eq!(lo & 1, 0, "memory BAR");
            assert_eq!(lo & 0x6, 0x4, "64-bit");
            assert_eq!(lo & 0x8, 0, "non-prefetchable");
            assert!(bar.size.is_power_of_two());
            assert_eq!(regions()[bar.index as usize + 1].region_info.size, 0);
        }
    }

    #[test]
    fn only_msix_has_vectors() {
        let i = irqs(11);
        assert_eq!(i.len(), VFIO_PCI_NUM_IRQS as usize);
        assert_eq!(i[VFIO_PCI_MSIX_IRQ_INDEX as usize].count, 11);
        assert_eq!(
            i[VFIO_PCI_MSIX_IRQ_INDEX as usize].flags,
            VFIO_IRQ_INFO_EVENTFD
        );
        assert_eq!(i[VFIO_PCI_INTX_IRQ_INDEX as usize].count, 0);
    }

    #[test]
    fn set_irqs_semantics() {
        let dev = Arc::new(FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 1,
            queue_threads: 1,
        }));
        let mut be = Backend::new(Arc::clone(&dev));
        let evfd = || {
            // SAFETY: plain eventfd creation; the fd is owned by the File.
            let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC) };
            assert!(fd >= 0);
            // SAFETY: fresh descriptor.
            unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(fd) }
        };
        let trig_fd = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD;
        let trig_none = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_NONE;
        let msix = VFIO_PCI_MSIX_IRQ_INDEX;

        be.set_irqs(msix, trig_fd, 1, 1, vec![evfd()]).unwrap();
        assert!(dev.interrupts().is_connected(1));
        // Count and descriptors disagree.
        assert!(be.set_irqs(msix, trig_fd, 0, 2, vec![evfd()]).is_err());
        // Beyond the table (1 queue: 4 vectors).
        assert!(be.set_irqs(msix, trig_fd, 4, 1, vec![evfd()]).is_err());
        // Loopback trigger.
        be.set_irqs(msix, trig_none, 1, 1, vec![]).unwrap();
        // -1 descriptors disconnect.
        be.set_irqs(msix, trig_fd, 1, 1, vec![]).unwrap();
        assert!(!dev.interrupts().is_connected(1));
        be.set_irqs(msix, trig_fd, 0, 1, vec![evfd()]).unwrap();
        be.set_irqs(msix, trig_none, 0, 0, vec![]).unwrap();
        assert!(!dev.interrupts().is_connected(0));
        // Masking is the client's job; INTx/MSI only accept "disable".
        let mask = VFIO_IRQ_SET_DATA_NONE | (1 << 3);
        assert!(be.set_irqs(msix, mask, 0, 1, vec![]).is_err());
        assert!(be
            .set_irqs(VFIO_PCI_INTX_IRQ_INDEX, trig_none, 0, 0, vec![])
            .is_ok());
        assert!(be
            .set_irqs(VFIO_PCI_INTX_IRQ_INDEX, trig_fd, 0, 1, vec![evfd()])
            .is_err());
    }

    #[test]
    fn stale_sockets_are_replaced_live_ones_refused() {
        let dir = std::env::temp_dir().join(format!("fbnic-emu-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.sock");
        let _ = fs::remove_file(&path);

        // A socket file nobody listens on.
        drop(UnixListener::bind(&path).unwrap());
        let live = Listener::bind(&path).unwrap();
        assert!(Listener::bind(&path).is_err(), "live socket");
        let remover = live.remover();
        drop(live);
        remover.remove();
        assert!(!path.exists());

        fs::write(&path, b"x").unwrap();
        assert!(Listener::bind(&path).is_err(), "regular file");
        fs::remove_file(&path).unwrap();
        fs::remove_dir(&dir).unwrap();
    }
}
