// SPDX-License-Identifier: GPL-2.0

//! debugfs directories of a module and of its devices, with read-only
//! text files shown through a `seq_file`.
//!
//! C header: [`include/linux/debugfs.h`](srctree/include/linux/debugfs.h)
//!
//! The layout C drivers use is a directory named after the module at the
//! top of debugfs, created at module load, and one directory per device
//! in it. `kernel::debugfs` makes subdirectories only from a [`Dir`] handle
//! of its own, which a probe function has no way to reach, so this layer
//! finds the module's directory by name instead: [`ModuleDir`] creates it
//! and removes it with everything left in it; [`Dir::new`] creates a
//! device's directory in it.
//!
//! As with `kernel::debugfs`, failures are not errors: debugfs is a
//! debugging aid, and a directory that could not be created leaves its
//! files out.
//!
//! # Examples
//!
//! ```
//! use kernel::{
//!     prelude::*,
//!     seq_file::SeqFile,
//!     seq_print,
//!     sync::Arc, //
//! };
//! use kernel_ext::debugfs::{
//!     Dir,
//!     ModuleDir,
//!     Show, //
//! };
//!
//! struct Counter(u32);
//!
//! impl Show for Counter {
//!     fn show(&self, m: &SeqFile) -> Result {
//!         seq_print!(m, "{}\n", self.0);
//!         Ok(())
//!     }
//! }
//!
//! // At module load.
//! let top = ModuleDir::new(c"my_driver");
//! // At probe: my_driver/0000:01:00.0/counter.
//! let mut dir = Dir::new(c"my_driver", c"0000:01:00.0");
//! dir.show_file(c"counter", Arc::new(Counter(7), GFP_KERNEL)?)?;
//! // The device's directory goes at unbind, the module's at unload.
//! drop(dir);
//! drop(top);
//! # Ok::<(), Error>(())
//! ```

use core::marker::PhantomData;
use kernel::{
    error::{
        from_err_ptr,
        from_result, //
    },
    prelude::*,
    seq_file::SeqFile,
    sync::Arc, //
};

use crate::kernel_ext::bindings;

/// Permissions of a file only its owner (root) reads.
const MODE_READ_OWNER: u16 = 0o400;

/// `dentry` if it is a real one, NULL for NULL or an error pointer (a
/// debugfs call that failed, or debugfs off).
fn valid(dentry: *mut bindings::dentry) -> *mut bindings::dentry {
    from_err_ptr(dentry).unwrap_or(core::ptr::null_mut())
}

/// A module's directory at the top of debugfs: created by [`ModuleDir::new`]
/// and removed, with whatever is still in it, when dropped.
///
/// # Invariants
///
/// `dentry` is NULL or a directory this value created and nothing else
/// removes.
pub struct ModuleDir {
    dentry: *mut bindings::dentry,
}

// SAFETY: The directory may be removed from any thread; the value gives no
// other access to it.
unsafe impl Send for ModuleDir {}
// SAFETY: `&ModuleDir` gives no access at all.
unsafe impl Sync for ModuleDir {}

impl ModuleDir {
    /// Creates directory `name` at the top of debugfs
    /// (`debugfs_create_dir(name, NULL)`).
    pub fn new(name: &CStr) -> Self {
        // SAFETY: `name` is a C string for the call; NULL is the root.
        let dentry =
            unsafe { bindings::debugfs_create_dir(name.as_char_ptr(), core::ptr::null_mut()) };
        // INVARIANT: Created above, or NULL.
        Self {
            dentry: valid(dentry),
        }
    }
}

impl Drop for ModuleDir {
    fn drop(&mut self) {
        // SAFETY: By the type invariant the directory is ours (or NULL,
        // which `debugfs_remove` ignores); the removal is recursive and
        // waits for the readers of the files in it.
        unsafe { bindings::debugfs_remove(self.dentry) };
    }
}

/// Something a debugfs file shows as text.
pub trait Show: Send + Sync {
    /// Writes the file's contents; an error is what `read()` returns.
    fn show(&self, m: &SeqFile) -> Result;
}

/// Keeps the data of a directory's files alive.
trait Keep: Send + Sync {}
impl<T: Send + Sync> Keep for T {}

/// A device's directory in a module's directory, with its files: removed
/// when dropped, after which the files' data is released.
///
/// # Invariants
///
/// `dentry` is NULL or a directory this value created and nothing else
/// removes; `data` holds the data of every file in it, whose inodes point
/// to it.
pub struct Dir {
    dentry: *mut bindings::dentry,
    data: KVec<Arc<dyn Keep>>,
}

// SAFETY: As for `ModuleDir`; the files' data is `Send + Sync`.
unsafe impl Send for Dir {}
// SAFETY: `&Dir` gives no access at all.
unsafe impl Sync for Dir {}

impl Dir {
    /// Creates directory `name` in the top-level directory `parent` (a
    /// [`ModuleDir`]). Without it the directory is not created, and files
    /// added to it are left out.
    pub fn new(parent: &CStr, name: &CStr) -> Self {
        // SAFETY: `parent` is a C string for the call; NULL is the root.
        // The result holds a reference, or is NULL or an error.
        let top =
            valid(unsafe { bindings::debugfs_lookup(parent.as_char_ptr(), core::ptr::null_mut()) });
        let mut dentry = core::ptr::null_mut();
        if !top.is_null() {
            // SAFETY: `top` is a valid directory, referenced; `name` is a C
            // string for the call.
            dentry = valid(unsafe { bindings::debugfs_create_dir(name.as_char_ptr(), top) });
            // SAFETY: Drops the reference `debugfs_lookup` took.
            unsafe { bindings::dput(top) };
        }
        // INVARIANT: Created above, or NULL; no file yet.
        Self {
            dentry,
            data: KVec::new(),
        }
    }

    /// Adds read-only file `name` that shows `data` (mode 0400, as C
    /// drivers' debug files are). Fails only if no memory is left to keep
    /// `data`; the file is left out if the directory is.
    pub fn show_file<T: Show + 'static>(&mut self, name: &CStr, data: Arc<T>) -> Result {
        if self.dentry.is_null() {
            return Ok(());
        }
        let ptr = Arc::as_ptr(&data).cast_mut().cast::<c_void>();
        self.data.push(data, GFP_KERNEL)?;
        // SAFETY: The directory is valid (type invariant) and `name` a C
        // string for the call. The inode gets a pointer to a `T` that
        // `self.data` keeps alive until after the directory and its files
        // are removed (see `Drop`), as `ShowOps::<T>::FOPS` requires.
        let file = unsafe {
            bindings::debugfs_create_file_full(
                name.as_char_ptr(),
                MODE_READ_OWNER,
                self.dentry,
                ptr,
                core::ptr::null(),
                &ShowOps::<T>::FOPS,
            )
        };
        // A file that could not be created is left out, like any debugfs
        // failure; its data is kept until the directory goes anyway.
        let _ = file;
        Ok(())
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        // SAFETY: By the type invariant the directory is ours (or NULL).
        // The removal is recursive and waits until no reader is left in
        // its files, so `data`, dropped after this, is no longer used.
        unsafe { bindings::debugfs_remove(self.dentry) };
    }
}

/// The file operations of a file that shows a `T`.
struct ShowOps<T>(PhantomData<T>);

impl<T: Show> ShowOps<T> {
    /// # Safety
    ///
    /// `inode`'s private pointer is a `T` valid while the file exists,
    /// `file` a file being opened.
    unsafe extern "C" fn open(inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
        // SAFETY: `inode` is valid during open.
        let data = unsafe { (*inode).i_private };
        // SAFETY: `show` gets `data` as the seq_file's private pointer,
        // which is a `T` valid while the file exists, as it requires.
        unsafe { bindings::single_open(file, Some(Self::show), data) }
    }

    /// # Safety
    ///
    /// `seq` is a live seq_file whose private pointer is a `T` that stays
    /// valid during the call.
    unsafe extern "C" fn show(seq: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
        // SAFETY: Per the safety requirement.
        let data = unsafe { &*(*seq).private.cast::<T>() };
        // SAFETY: `seq` is live for the call; the kernel crate's
        // `seq_file` is the same C type.
        let m = unsafe { SeqFile::from_raw(seq.cast()) };
        from_result(|| data.show(m).map(|()| 0))
    }

    const FOPS: bindings::file_operations = bindings::file_operations {
        open: Some(Self::open),
        read: Some(bindings::seq_read),
        llseek: Some(bindings::seq_lseek),
        release: Some(bindings::single_release),
        ..pin_init::zeroed()
    };
}
