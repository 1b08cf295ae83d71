// SPDX-License-Identifier: GPL-2.0

//! MSI-X vectors as eventfds.
//!
//! QEMU emulates the MSI-X table, PBA and per-vector masking itself. For each
//! vector the guest enables, it hands the device an eventfd (VFIO SET_IRQS);
//! raising the interrupt is writing to that eventfd, which any thread may do.
//! A vector without an eventfd is one the guest has not enabled: firing it
//! is not an error, the message is simply not delivered, as with a real
//! function whose MSI-X is disabled.

use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Why an interrupt operation failed.
#[derive(Debug)]
pub enum IrqError {
    /// Vectors `[start, start + count)` are not all below `vectors`.
    OutOfRange {
        start: u32,
        count: u32,
        vectors: u16,
    },
    /// Writing to the vector's eventfd failed.
    Signal { vector: u16, err: io::Error },
}

impl fmt::Display for IrqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IrqError::OutOfRange {
                start,
                count,
                vectors,
            } => write!(
                f,
                "MSI-X vectors {start}..{} outside the {vectors} the device has",
                u64::from(*start) + u64::from(*count)
            ),
            IrqError::Signal { vector, err } => {
                write!(f, "cannot signal MSI-X vector {vector}: {err}")
            }
        }
    }
}

impl std::error::Error for IrqError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IrqError::Signal { err, .. } => Some(err),
            IrqError::OutOfRange { .. } => None,
        }
    }
}

/// The MSI-X vectors of one function.
pub struct Interrupts {
    vectors: RwLock<Vec<Option<File>>>,
}

impl Interrupts {
    /// `count` vectors, none connected.
    pub fn new(count: u16) -> Self {
        Interrupts {
            vectors: RwLock::new((0..count).map(|_| None).collect()),
        }
    }

    fn vectors(&self) -> RwLockReadGuard<'_, Vec<Option<File>>> {
        // Every update is a single slot assignment, so a panic elsewhere
        // cannot leave the table half-updated: ignore poisoning.
        self.vectors.read().unwrap_or_else(|e| e.into_inner())
    }

    fn vectors_mut(&self) -> RwLockWriteGuard<'_, Vec<Option<File>>> {
        self.vectors.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Number of vectors.
    pub fn count(&self) -> u16 {
        // The table is created with a u16 length and never resized.
        self.vectors().len() as u16
    }

    fn range(&self, start: u32, count: u32) -> Result<std::ops::Range<usize>, IrqError> {
        let vectors = self.count();
        match start.checked_add(count) {
            Some(end) if end <= u32::from(vectors) => Ok(start as usize..end as usize),
            _ => Err(IrqError::OutOfRange {
                start,
                count,
                vectors,
            }),
        }
    }

    /// Connects eventfds to vectors `start..start + fds.len()`, replacing
    /// (and closing) any previous ones.
    pub fn attach(&self, start: u32, fds: Vec<File>) -> Result<(), IrqError> {
        let count = u32::try_from(fds.len()).unwrap_or(u32::MAX);
        let range = self.range(start, count)?;
        let mut vectors = self.vectors_mut();
        for (slot, fd) in vectors[range].iter_mut().zip(fds) {
            *slot = Some(fd);
        }
        Ok(())
    }

    /// Disconnects vectors `start..start + count`.
    pub fn detach(&self, start: u32, count: u32) -> Result<(), IrqError> {
        let range = self.range(start, count)?;
        self.vectors_mut()[range].fill_with(|| None);
        Ok(())
    }

    /// Disconnects every vector.
    pub fn detach_all(&self) {
        self.vectors_mut().fill_with(|| None);
    }

    /// True if `vector` has an eventfd.
    pub fn is_connected(&self, vector: u16) -> bool {
        self.vectors()
            .get(usize::from(vector))
            .is_some_and(|v| v.is_some())
    }

    /// Raises `vector`. Returns `Ok(false)` if the guest has not enabled it.
    pub fn fire(&self, vector: u16) -> Result<bool, IrqError> {
        let vectors = self.vectors();
        let slot = vectors
            .get(usize::from(vector))
            .ok_or(IrqError::OutOfRange {
                start: vector.into(),
                count: 1,
                vectors: vectors.len() as u16,
            })?;
        let Some(fd) = slot else {
            return Ok(false);
        };
        // An eventfd adds the 8-byte value written to its counter.
        let mut fd: &File = fd;
        fd.write_all(&1u64.to_ne_bytes())
            .map_err(|err| IrqError::Signal { vector, err })?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::os::fd::FromRawFd;

    fn eventfd() -> File {
        // SAFETY: plain eventfd creation.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        assert!(fd >= 0, "eventfd: {}", io::Error::last_os_error());
        // SAFETY: `fd` is a fresh descriptor nobody else owns.
        unsafe { File::from_raw_fd(fd) }
    }

    fn counter(f: &File) -> Option<u64> {
        let mut b = [0u8; 8];
        let mut f: &File = f;
        f.read_exact(&mut b).ok().map(|_| u64::from_ne_bytes(b))
    }

    #[test]
    fn firing_a_connected_vector_signals_its_eventfd() {
        let irqs = Interrupts::new(4);
        let (a, b) = (eventfd(), eventfd());
        irqs.attach(2, vec![a.try_clone().unwrap(), b.try_clone().unwrap()])
            .unwrap();
        assert!(irqs.is_connected(2) && irqs.is_connected(3));
        assert!(irqs.fire(3).unwrap());
        assert!(irqs.fire(3).unwrap());
        assert_eq!(counter(&b), Some(2));
        assert_eq!(counter(&a), None, "vector 2 not fired");
    }

    #[test]
    fn unconnected_vectors_are_not_delivered() {
        let irqs = Interrupts::new(4);
        assert!(!irqs.fire(0).unwrap());
        let a = eventfd();
        irqs.attach(0, vec![a.try_clone().unwrap()]).unwrap();
        irqs.detach(0, 1).unwrap();
        assert!(!irqs.fire(0).unwrap());
        assert_eq!(counter(&a), None);
    }

    #[test]
    fn vector_ranges_are_checked() {
        let irqs = Interrupts::new(4);
        assert!(matches!(irqs.fire(4), Err(IrqError::OutOfRange { .. })));
        assert!(irqs.attach(3, vec![eventfd(), eventfd()]).is_err());
        assert!(!irqs.is_connected(3), "failed attach changes nothing");
        assert!(irqs.detach(u32::MAX, 2).is_err());
        assert!(irqs.detach(0, 4).is_ok());
        irqs.attach(0, vec![eventfd()]).unwrap();
        irqs.detach_all();
        assert!(!irqs.is_connected(0));
    }
}
