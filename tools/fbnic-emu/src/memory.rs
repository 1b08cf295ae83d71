// SPDX-License-Identifier: GPL-2.0

//! Guest memory as QEMU shares it over vfio-user.
//!
//! With a shareable memory backend QEMU sends every guest RAM section in a
//! DMA_MAP message together with the file descriptor backing it. Mapping that
//! file `MAP_SHARED` gives the device the guest's own pages: device "DMA" is
//! a plain memory copy, from any thread, with no socket round trip.
//!
//! Addresses here are I/O virtual addresses as the guest programs them into
//! descriptors (guest physical addresses: there is no vIOMMU). Every access
//! is checked against the current mappings; an address the guest never
//! mapped, or an access running off the end of guest RAM, is an error for the
//! caller to report, never a crash of the emulator.
//!
//! The guest and QEMU change this memory concurrently with the device, as
//! with real DMA, so it is only ever copied through raw pointers and never
//! borrowed as a Rust slice.

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::os::fd::AsRawFd;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Which directions of device access a mapping allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// The device may read (host to device DMA).
    pub read: bool,
    /// The device may write (device to host DMA).
    pub write: bool,
}

impl Access {
    pub const READ_WRITE: Access = Access {
        read: true,
        write: true,
    };
    pub const READ_ONLY: Access = Access {
        read: true,
        write: false,
    };
}

/// Why a guest memory operation failed.
#[derive(Debug)]
pub enum MemError {
    /// Some byte of `[addr, addr + len)` is not in any mapping.
    NotMapped { addr: u64, len: u64 },
    /// `addr + len` does not fit in 64 bits.
    Overflow { addr: u64, len: u64 },
    /// The range lies in a mapping that does not allow this direction.
    Denied { addr: u64, len: u64, write: bool },
    /// A DMA_MAP that is empty, grants no access, or wraps around.
    InvalidMap { iova: u64, size: u64 },
    /// A DMA_MAP overlapping an existing mapping.
    Overlap { iova: u64, size: u64 },
    /// A DMA_UNMAP that would split a mapping.
    PartialUnmap { iova: u64, size: u64 },
    /// mmap() of the file descriptor QEMU sent failed.
    Mmap(io::Error),
}

impl fmt::Display for MemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemError::NotMapped { addr, len } => {
                write!(f, "{len} bytes at {addr:#x} are not in mapped guest memory")
            }
            MemError::Overflow { addr, len } => {
                write!(f, "{len} bytes at {addr:#x} wrap around the address space")
            }
            MemError::Denied { addr, len, write } => write!(
                f,
                "device {} of {len} bytes at {addr:#x} not allowed by the mapping",
                if *write { "write" } else { "read" }
            ),
            MemError::InvalidMap { iova, size } => {
                write!(f, "invalid DMA mapping of {size:#x} bytes at {iova:#x}")
            }
            MemError::Overlap { iova, size } => write!(
                f,
                "DMA mapping of {size:#x} bytes at {iova:#x} overlaps an existing one"
            ),
            MemError::PartialUnmap { iova, size } => write!(
                f,
                "DMA unmap of {size:#x} bytes at {iova:#x} covers only part of a mapping"
            ),
            MemError::Mmap(e) => write!(f, "cannot mmap guest memory: {e}"),
        }
    }
}

impl std::error::Error for MemError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MemError::Mmap(e) => Some(e),
            _ => None,
        }
    }
}

/// One DMA_MAP'd range, mapped into this process.
///
/// # Invariants
/// `host` points to a live `MAP_SHARED` mapping of `size` bytes, created by
/// this struct and unmapped only by its `Drop`; `size` fits in `usize` and
/// `iova + size` does not overflow.
struct Mapping {
    iova: u64,
    size: u64,
    host: NonNull<u8>,
    access: Access,
}

// SAFETY: the mapping is plain shared memory owned by this struct (see the
// invariants); it is only accessed through raw-pointer copies, which are
// sound from any thread.
unsafe impl Send for Mapping {}
// SAFETY: as above; no `&`-method hands out references into the memory.
unsafe impl Sync for Mapping {}

impl Mapping {
    fn end(&self) -> u64 {
        // Cannot overflow, by the invariants.
        self.iova + self.size
    }

    fn contains(&self, addr: u64) -> bool {
        addr >= self.iova && addr < self.end()
    }

    /// Host pointer for `addr`, which must lie in the mapping.
    fn host_ptr(&self, addr: u64) -> *mut u8 {
        debug_assert!(self.contains(addr));
        // `addr - iova < size`, which fits in usize (invariants).
        let off = (addr - self.iova) as usize;
        // SAFETY: `off` is inside the mapping of `size` bytes.
        unsafe { self.host.as_ptr().add(off) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `host`/`size` describe a mapping this struct created and
        // nobody else unmaps (invariants); no reference into it outlives
        // `self` (GuestSlice holds an Arc<Mapping>).
        unsafe {
            libc::munmap(self.host.as_ptr().cast(), self.size as usize);
        }
    }
}

/// All guest memory the device can reach, shared between the vfio-user
/// message thread (which maps and unmaps) and any number of device threads.
pub struct GuestMemory {
    /// Sorted by `iova`, non-overlapping.
    maps: RwLock<Vec<Arc<Mapping>>>,
    /// Distinguishes this object in the threads' [`RECENT`] caches.
    id: u64,
    /// Bumped (under the write lock) by every change of `maps`: a cached
    /// mapping of an older generation is not used.
    generation: AtomicU64,
}

impl Default for GuestMemory {
    fn default() -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        GuestMemory {
            maps: RwLock::default(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            generation: AtomicU64::new(0),
        }
    }
}

/// A mapping a thread used lately, valid while its memory's generation is
/// unchanged. The `Arc` keeps it mapped; an unmapped one stays so until a
/// newer one takes its slot (address space only: the pages are the
/// guest's, shared).
struct Recent {
    owner: u64,
    generation: u64,
    map: Arc<Mapping>,
}

/// Slots of the per-thread cache: a worker serves one port, a test or the
/// benchmark both ports of a cable.
const RECENT_SLOTS: usize = 4;

thread_local! {
    /// The mappings of this thread's last accesses, and the slot the next
    /// one replaces: a descriptor or buffer access that hits one needs no
    /// lock and no search.
    static RECENT: RefCell<([Option<Recent>; RECENT_SLOTS], usize)> =
        const { RefCell::new(([None, None, None, None], 0)) };
}

impl GuestMemory {
    /// No memory mapped yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls `f` with the host address of `addr` if one mapping holds all
    /// of `[addr, addr + len)` and allows the direction (`write`); `None`
    /// otherwise, for the caller's general path (which also finds the
    /// error, if any). The mapping stays mapped while `f` runs.
    fn with_host<R>(
        &self,
        addr: u64,
        len: usize,
        write: bool,
        f: impl FnOnce(*mut u8) -> R,
    ) -> Option<R> {
        let generation = self.generation.load(Ordering::Acquire);
        let end = addr.checked_add(len as u64)?;
        RECENT.with_borrow_mut(|(recent, next)| {
            let hit = recent.iter().flatten().find(|r| {
                r.owner == self.id
                    && r.generation == generation
                    && r.map.contains(addr)
                    && end <= r.map.end()
                    && if write {
                        r.map.access.write
                    } else {
                        r.map.access.read
                    }
            });
            if let Some(r) = hit {
                return Some(f(r.map.host_ptr(addr)));
            }
            let maps = self.maps();
            let m = Self::whole(&maps, addr, len as u64, write)?;
            let out = f(m.host_ptr(addr));
            recent[*next] = Some(Recent {
                owner: self.id,
                // Read under the lock: the generation of `maps`.
                generation: self.generation.load(Ordering::Acquire),
                map: Arc::clone(m),
            });
            *next = (*next + 1) % RECENT_SLOTS;
            Some(out)
        })
    }

    fn maps(&self) -> RwLockReadGuard<'_, Vec<Arc<Mapping>>> {
        // A panic while holding the lock cannot leave the Vec inconsistent
        // (all updates are single Vec operations), so poisoning is ignored.
        self.maps.read().unwrap_or_else(|e| e.into_inner())
    }

    fn maps_mut(&self) -> RwLockWriteGuard<'_, Vec<Arc<Mapping>>> {
        self.maps.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Maps `size` bytes of `fd` at `file_offset` as guest range `iova`.
    pub fn map(
        &self,
        iova: u64,
        size: u64,
        fd: &impl AsRawFd,
        file_offset: u64,
        access: Access,
    ) -> Result<(), MemError> {
        let invalid = MemError::InvalidMap { iova, size };
        if size == 0 || (!access.read && !access.write) || iova.checked_add(size).is_none() {
            return Err(invalid);
        }
        let len = usize::try_from(size).map_err(|_| MemError::InvalidMap { iova, size })?;
        let offset = libc::off_t::try_from(file_offset).map_err(|_| invalid)?;

        let mut maps = self.maps_mut();
        let end = iova + size;
        if maps.iter().any(|m| iova < m.end() && m.iova < end) {
            return Err(MemError::Overlap { iova, size });
        }

        let prot = if access.write {
            libc::PROT_READ | libc::PROT_WRITE
        } else {
            libc::PROT_READ
        };
        // SAFETY: a fresh mapping chosen by the kernel (NULL hint); the fd is
        // valid for the duration of the call because the caller borrows it.
        let host = unsafe {
            libc::mmap(
                ptr::null_mut(),
                len,
                prot,
                libc::MAP_SHARED,
                fd.as_raw_fd(),
                offset,
            )
        };
        if host == libc::MAP_FAILED {
            return Err(MemError::Mmap(io::Error::last_os_error()));
        }
        let host = NonNull::new(host.cast::<u8>())
            .ok_or_else(|| MemError::Mmap(io::Error::other("mmap returned NULL")))?;

        let pos = maps.partition_point(|m| m.iova < iova);
        maps.insert(
            pos,
            Arc::new(Mapping {
                iova,
                size,
                host,
                access,
            }),
        );
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// Removes every mapping inside `[iova, iova + size)` and returns how
    /// many there were. A mapping only partly inside the range is an error
    /// and nothing is removed.
    ///
    /// The memory stays mapped in this process until the last
    /// [`GuestSlice`] referring to it is dropped, so an access racing with
    /// the unmap never touches unmapped host memory.
    pub fn unmap(&self, iova: u64, size: u64) -> Result<usize, MemError> {
        let end = iova.checked_add(size).ok_or(MemError::Overflow {
            addr: iova,
            len: size,
        })?;
        let mut maps = self.maps_mut();
        let overlaps = |m: &Mapping| iova < m.end() && m.iova < end;
        if maps
            .iter()
            .any(|m| overlaps(m) && (m.iova < iova || m.end() > end))
        {
            return Err(MemError::PartialUnmap { iova, size });
        }
        let before = maps.len();
        maps.retain(|m| !overlaps(m));
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(before - maps.len())
    }

    /// Removes all mappings (client gone, or DMA_UNMAP with UNMAP_ALL).
    pub fn unmap_all(&self) -> usize {
        let mut maps = self.maps_mut();
        let n = maps.len();
        maps.clear();
        self.generation.fetch_add(1, Ordering::AcqRel);
        n
    }

    /// The mapped ranges as `(iova, size)`, in address order.
    pub fn ranges(&self) -> Vec<(u64, u64)> {
        self.maps().iter().map(|m| (m.iova, m.size)).collect()
    }

    /// Splits `[addr, addr + len)` into `(mapping index, addr, len)` pieces,
    /// one per mapping, checking that every byte is mapped and, unless
    /// `write` is `None`, that the mapping allows that direction. Adjacent
    /// mappings are crossed: QEMU splits RAM into sections at arbitrary page
    /// boundaries and a buffer may span two.
    fn pieces(
        maps: &[Arc<Mapping>],
        addr: u64,
        len: u64,
        write: Option<bool>,
    ) -> Result<Vec<(usize, u64, u64)>, MemError> {
        let end = addr
            .checked_add(len)
            .ok_or(MemError::Overflow { addr, len })?;
        let mut out = Vec::new();
        let mut cur = addr;
        while cur < end {
            let idx = maps
                .partition_point(|m| m.iova <= cur)
                .checked_sub(1)
                .filter(|&i| maps[i].contains(cur))
                .ok_or(MemError::NotMapped { addr, len })?;
            let m = &maps[idx];
            if let Some(write) = write {
                let allowed = if write { m.access.write } else { m.access.read };
                if !allowed {
                    return Err(MemError::Denied { addr, len, write });
                }
            }
            let n = (end - cur).min(m.end() - cur);
            out.push((idx, cur, n));
            cur += n;
        }
        Ok(out)
    }

    /// The mapping holding all of `[addr, addr + len)` if one does and it
    /// allows the direction (`write`): the common case, which needs no
    /// list of pieces. `None` sends the caller to [`Self::pieces`], which
    /// also finds the error if there is one.
    fn whole(maps: &[Arc<Mapping>], addr: u64, len: u64, write: bool) -> Option<&Arc<Mapping>> {
        let end = addr.checked_add(len)?;
        let idx = maps.partition_point(|m| m.iova <= addr).checked_sub(1)?;
        let m = &maps[idx];
        let allowed = if write { m.access.write } else { m.access.read };
        (m.contains(addr) && end <= m.end() && allowed).then_some(m)
    }

    /// Copies guest memory at `addr` into `buf`.
    pub fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), MemError> {
        let len = buf.len();
        // SAFETY: `with_host` passes the host address of `[addr, addr +
        // len)`, inside a mapping that allows reads and stays mapped during
        // the call; `buf` is distinct memory of `len` bytes.
        let copy = |p: *mut u8| unsafe { ptr::copy_nonoverlapping(p, buf.as_mut_ptr(), len) };
        if self.with_host(addr, len, false, copy).is_some() {
            return Ok(());
        }
        let maps = self.maps();
        let mut done = 0usize;
        for (idx, at, n) in Self::pieces(&maps, addr, buf.len() as u64, Some(false))? {
            let n = n as usize;
            // SAFETY: `pieces` checked that `[at, at + n)` lies in mapping
            // `idx`, which stays mapped while `maps` is held; `buf[done..]`
            // has at least `n` bytes since the pieces sum to `buf.len()`.
            unsafe {
                ptr::copy_nonoverlapping(maps[idx].host_ptr(at), buf.as_mut_ptr().add(done), n);
            }
            done += n;
        }
        Ok(())
    }

    /// Copies `buf` into guest memory at `addr`. Nothing is written unless
    /// the whole range is mapped writable.
    pub fn write(&self, addr: u64, buf: &[u8]) -> Result<(), MemError> {
        let len = buf.len();
        // SAFETY: as in `read`, with the mapping checked writable (and
        // therefore mapped PROT_WRITE).
        let copy = |p: *mut u8| unsafe { ptr::copy_nonoverlapping(buf.as_ptr(), p, len) };
        if self.with_host(addr, len, true, copy).is_some() {
            return Ok(());
        }
        let maps = self.maps();
        let mut done = 0usize;
        for (idx, at, n) in Self::pieces(&maps, addr, buf.len() as u64, Some(true))? {
            let n = n as usize;
            // SAFETY: as in `read`, with the mapping checked writable (and
            // therefore mapped PROT_WRITE).
            unsafe {
                ptr::copy_nonoverlapping(buf.as_ptr().add(done), maps[idx].host_ptr(at), n);
            }
            done += n;
        }
        Ok(())
    }

    /// Reads a little-endian u32 (descriptor words, completion entries).
    pub fn read_u32(&self, addr: u64) -> Result<u32, MemError> {
        let mut b = [0u8; 4];
        self.read(addr, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    /// Reads a little-endian u64.
    pub fn read_u64(&self, addr: u64) -> Result<u64, MemError> {
        // SAFETY: `with_host` passes the host address of 8 readable bytes
        // that stay mapped during the call; no alignment is assumed.
        let load = |p: *mut u8| unsafe { ptr::read_unaligned(p.cast::<u64>()) };
        if let Some(v) = self.with_host(addr, 8, false, load) {
            return Ok(u64::from_le(v));
        }
        let mut b = [0u8; 8];
        self.read(addr, &mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    /// Writes a little-endian u32.
    pub fn write_u32(&self, addr: u64, val: u32) -> Result<(), MemError> {
        self.write(addr, &val.to_le_bytes())
    }

    /// Writes a little-endian u64.
    pub fn write_u64(&self, addr: u64, val: u64) -> Result<(), MemError> {
        // SAFETY: as in `read_u64`, with 8 writable bytes.
        let store = |p: *mut u8| unsafe { ptr::write_unaligned(p.cast::<u64>(), val.to_le()) };
        if self.with_host(addr, 8, true, store).is_some() {
            return Ok(());
        }
        self.write(addr, &val.to_le_bytes())
    }

    /// Resolves `[addr, addr + len)` to one contiguous piece of host memory.
    ///
    /// Unlike [`read`](Self::read) and [`write`](Self::write) the range must
    /// lie within a single mapping. The returned slice keeps that mapping
    /// alive (see [`unmap`](Self::unmap)) without holding any lock, so it can
    /// be kept across a whole descriptor's worth of copies.
    pub fn translate(&self, addr: u64, len: u64) -> Result<GuestSlice, MemError> {
        let maps = self.maps();
        // Permissions are checked per access on the slice.
        let pieces = Self::pieces(&maps, addr, len, None)?;
        match pieces.as_slice() {
            [] => Ok(GuestSlice {
                map: None,
                addr,
                len: 0,
            }),
            [(idx, _, _)] => Ok(GuestSlice {
                map: Some(Arc::clone(&maps[*idx])),
                addr,
                // The piece lies in one mapping, whose size fits in usize.
                len: len as usize,
            }),
            _ => Err(MemError::NotMapped { addr, len }),
        }
    }
}

/// A range of guest memory inside one mapping, from [`GuestMemory::translate`].
pub struct GuestSlice {
    /// `None` only for an empty slice.
    map: Option<Arc<Mapping>>,
    addr: u64,
    len: usize,
}

impl GuestSlice {
    /// Guest address of the first byte.
    pub fn addr(&self) -> u64 {
        self.addr
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty slice.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Checks `[offset, offset + n)` against the slice and the mapping's
    /// permission, returning the host pointer to `offset`.
    fn at(&self, offset: usize, n: usize, write: bool) -> Result<*mut u8, MemError> {
        let err = MemError::NotMapped {
            addr: self.addr.saturating_add(offset as u64),
            len: n as u64,
        };
        let end = offset.checked_add(n).ok_or(MemError::Overflow {
            addr: self.addr,
            len: n as u64,
        })?;
        if end > self.len {
            return Err(err);
        }
        let Some(map) = &self.map else {
            // Empty slice: only empty accesses pass the bound check above.
            return Ok(NonNull::dangling().as_ptr());
        };
        let allowed = if write {
            map.access.write
        } else {
            map.access.read
        };
        if !allowed {
            return Err(MemError::Denied {
                addr: self.addr + offset as u64,
                len: n as u64,
                write,
            });
        }
        Ok(map.host_ptr(self.addr + offset as u64))
    }

    /// Copies `buf.len()` bytes at `offset` within the slice into `buf`.
    pub fn read_at(&self, offset: usize, buf: &mut [u8]) -> Result<(), MemError> {
        let src = self.at(offset, buf.len(), false)?;
        // SAFETY: `at` checked the range lies inside the live mapping held
        // by `self.map`; `buf` is a distinct Rust allocation.
        unsafe { ptr::copy_nonoverlapping(src, buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }

    /// Copies `buf` to `offset` within the slice.
    pub fn write_at(&self, offset: usize, buf: &[u8]) -> Result<(), MemError> {
        let dst = self.at(offset, buf.len(), true)?;
        // SAFETY: as in `read_at`, and the mapping is writable.
        unsafe { ptr::copy_nonoverlapping(buf.as_ptr(), dst, buf.len()) };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::os::fd::FromRawFd;
    use std::os::unix::fs::FileExt;

    /// A memfd of `size` bytes standing in for QEMU's guest RAM backend.
    fn memfd(size: u64) -> File {
        // SAFETY: memfd_create with a valid NUL-terminated name.
        let fd = unsafe { libc::memfd_create(c"fbnic-emu-test".as_ptr(), libc::MFD_CLOEXEC) };
        assert!(fd >= 0, "memfd_create: {}", io::Error::last_os_error());
        // SAFETY: `fd` is a fresh descriptor nobody else owns.
        let f = unsafe { File::from_raw_fd(fd) };
        f.set_len(size).unwrap();
        f
    }

    /// Guest RAM with a hole: [0x1000, 0x3000) from file offset 0 and
    /// [0x3000, 0x4000) from file offset 0x2000 (adjacent sections), then a
    /// read-only page at 0x10000 from file offset 0x3000.
    fn guest() -> (GuestMemory, File) {
        let f = memfd(0x4000);
        let mem = GuestMemory::new();
        mem.map(0x1000, 0x2000, &f, 0, Access::READ_WRITE).unwrap();
        mem.map(0x3000, 0x1000, &f, 0x2000, Access::READ_WRITE)
            .unwrap();
        mem.map(0x10000, 0x1000, &f, 0x3000, Access::READ_ONLY)
            .unwrap();
        (mem, f)
    }

    #[test]
    fn writes_reach_the_shared_file_and_read_back() {
        let (mem, f) = guest();
        mem.write_u64(0x1008, 0x0102_0304_0506_0708).unwrap();
        let mut b = [0u8; 8];
        f.read_exact_at(&mut b, 0x8).unwrap();
        assert_eq!(u64::from_le_bytes(b), 0x0102_0304_0506_0708);
        assert_eq!(mem.read_u32(0x100c).unwrap(), 0x0102_0304);

        // And what the "guest" writes to the file, the device reads.
        f.write_all_at(&0xfeed_beefu32.to_le_bytes(), 0x3000)
            .unwrap();
        assert_eq!(mem.read_u32(0x10000).unwrap(), 0xfeed_beef);
    }

    #[test]
    fn accesses_may_span_adjacent_mappings() {
        let (mem, f) = guest();
        let data: Vec<u8> = (0..32).collect();
        mem.write(0x3000 - 16, &data).unwrap();
        let mut back = [0u8; 32];
        mem.read(0x3000 - 16, &mut back).unwrap();
        assert_eq!(&back[..], &data[..]);
        let mut tail = [0u8; 16];
        f.read_exact_at(&mut tail, 0x2000).unwrap();
        assert_eq!(&tail[..], &data[16..]);
    }

    #[test]
    fn out_of_range_and_straddling_accesses_fail() {
        let (mem, _f) = guest();
        let mut b = [0u8; 8];
        // Below, between and above the mappings.
        assert!(matches!(
            mem.read(0x0, &mut b),
            Err(MemError::NotMapped { .. })
        ));
        assert!(matches!(
            mem.read(0x8000, &mut b),
            Err(MemError::NotMapped { .. })
        ));
        assert!(matches!(
            mem.read(0x11000, &mut b),
            Err(MemError::NotMapped { .. })
        ));
        // Running off the end of RAM into the hole, or into RAM from below.
        assert!(matches!(
            mem.read(0x3ffc, &mut b),
            Err(MemError::NotMapped { .. })
        ));
        assert!(matches!(
            mem.read(0xffc, &mut b),
            Err(MemError::NotMapped { .. })
        ));
        // Wrapping the address space.
        assert!(matches!(
            mem.read(u64::MAX - 3, &mut b),
            Err(MemError::Overflow { .. })
        ));
        assert!(matches!(
            mem.read_u64(u64::MAX),
            Err(MemError::Overflow { .. })
        ));
        // A failed write writes nothing.
        mem.write_u32(0x3ffc, 0x1111_1111).unwrap();
        assert!(mem.write_u64(0x3ffc, 0).is_err());
        assert_eq!(mem.read_u32(0x3ffc).unwrap(), 0x1111_1111);
        // Empty accesses are fine anywhere.
        assert!(mem.read(0x0, &mut []).is_ok());
    }

    #[test]
    fn read_only_mappings_refuse_device_writes() {
        let (mem, f) = guest();
        assert!(matches!(
            mem.write_u32(0x10000, 1),
            Err(MemError::Denied { write: true, .. })
        ));
        let mut b = [0u8; 4];
        f.read_exact_at(&mut b, 0x3000).unwrap();
        assert_eq!(b, [0; 4]);
        let s = mem.translate(0x10000, 16).unwrap();
        assert!(s.read_at(0, &mut b).is_ok());
        assert!(matches!(s.write_at(0, &b), Err(MemError::Denied { .. })));
    }

    #[test]
    fn translate_needs_one_mapping_and_checks_bounds() {
        let (mem, f) = guest();
        let s = mem.translate(0x1ff0, 0x20).unwrap();
        assert_eq!((s.addr(), s.len()), (0x1ff0, 0x20));
        s.write_at(0x10, &[0xaa; 0x10]).unwrap();
        let mut b = [0u8; 0x10];
        f.read_exact_at(&mut b, 0x1000).unwrap();
        assert_eq!(b, [0xaa; 0x10]);
        // Outside the slice, even if the memory behind it is mapped.
        assert!(s.read_at(0x18, &mut b).is_err());
        assert!(s.write_at(usize::MAX, &[1]).is_err());
        // Across two mappings, into a hole, or wrapping: no translation.
        assert!(mem.translate(0x2ff0, 0x20).is_err());
        assert!(mem.translate(0x3ff0, 0x20).is_err());
        assert!(mem.translate(u64::MAX, 2).is_err());
        assert!(mem.translate(0x8000, 0).unwrap().is_empty());
    }

    #[test]
    fn invalid_and_overlapping_maps_are_refused() {
        let (mem, f) = guest();
        let e = |r: Result<(), MemError>| r.unwrap_err();
        assert!(matches!(
            e(mem.map(0x2000, 0x1000, &f, 0, Access::READ_WRITE)),
            MemError::Overlap { .. }
        ));
        assert!(matches!(
            e(mem.map(0x20000, 0, &f, 0, Access::READ_WRITE)),
            MemError::InvalidMap { .. }
        ));
        assert!(matches!(
            e(mem.map(u64::MAX - 0xfff, 0x2000, &f, 0, Access::READ_WRITE)),
            MemError::InvalidMap { .. }
        ));
        let none = Access {
            read: false,
            write: false,
        };
        assert!(matches!(
            e(mem.map(0x20000, 0x1000, &f, 0, none)),
            MemError::InvalidMap { .. }
        ));
        // The kernel refuses an unaligned file offset.
        assert!(matches!(
            e(mem.map(0x20000, 0x1000, &f, 0x10, Access::READ_WRITE)),
            MemError::Mmap(_)
        ));
        assert_eq!(mem.ranges().len(), 3);
    }

    #[test]
    fn unmap_removes_whole_mappings_only() {
        let (mem, _f) = guest();
        assert!(matches!(
            mem.unmap(0x1000, 0x1000),
            Err(MemError::PartialUnmap { .. })
        ));
        assert_eq!(mem.ranges().len(), 3);
        // A slice taken before the unmap stays usable.
        let s = mem.translate(0x1000, 8).unwrap();
        assert_eq!(mem.unmap(0x0, 0x4000).unwrap(), 2);
        assert_eq!(mem.ranges(), vec![(0x10000, 0x1000)]);
        assert!(mem.read_u32(0x1000).is_err());
        s.write_at(0, &[1, 2, 3, 4]).unwrap();
        assert_eq!(mem.unmap(0x5000, 0x1000).unwrap(), 0);
        assert!(mem.unmap(u64::MAX, 2).is_err());
        assert_eq!(mem.unmap_all(), 1);
        assert!(mem.ranges().is_empty());
    }
}
