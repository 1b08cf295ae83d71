// SPDX-License-Identifier: GPL-2.0

//! A QEMU TCG plugin (plugin API 7, QEMU 11) that counts the instructions the
//! guest executes, by the start address of their translation block, and
//! writes the counts out whenever the guest executes a marker instruction.
//!
//! Under TCG, the wall-clock and CPU time a guest measures vary by 15-25 %
//! from run to run; the instructions it executes do not. Counting them turns
//! "which driver costs more per GB" into a question with a stable answer,
//! and the counts by address are a profile that needs no sampling.
//!
//! ```text
//! qemu-system-x86_64 ... -plugin libguest_insns.so,out=/tmp/run/insns
//! ```
//!
//! Every guest kernel address that starts a translation block gets a
//! counter of its own (up to `slots`, default 1 Mi); all of user space
//! shares one, as do kernel blocks beyond the table. Each counter is a
//! per-vCPU inline add of the block's length, so the counting costs no
//! callback. When any vCPU executes the marker `xchg %rcx,%rcx` (bytes
//! `48 87 c9`, a no-op that compilers do not emit), the plugin writes
//! `<out>.<n>` (n = 0, 1, ...) with every non-zero counter, summed over the
//! vCPUs:
//!
//! ```text
//! # guest-insns snapshot 3
//! user 123456789
//! overflow 0
//! ffffffff81234560 4711
//! ```
//!
//! A guest marks a window with one marker before and one after; the
//! difference of the two snapshots, attributed to symbols with the guest's
//! `/proc/kallsyms`, is what the window cost (`scripts/insn-report.py`).
//! The marker runs from user space (tests/vm/lib/lab.sh `insn_mark`).

use std::collections::HashMap;
use std::io::Write;

/// The marker instruction: `xchg %rcx,%rcx`.
pub const MARKER: [u8; 3] = [0x48, 0x87, 0xc9];

/// Addresses at or above this are the guest kernel's (x86-64 upper half).
const KERNEL_START: u64 = 1 << 63;

/// The counter every user-space block adds to.
pub const SLOT_USER: usize = 0;
/// The counter of kernel blocks that found the table full.
pub const SLOT_OVERFLOW: usize = 1;
const FIRST_SLOT: usize = 2;

/// Which counter each block start address adds to.
#[derive(Debug)]
pub struct SlotTable {
    by_addr: HashMap<u64, usize>,
    addrs: Vec<u64>,
    capacity: usize,
}

impl SlotTable {
    /// A table of `capacity` counters, the two shared ones included.
    pub fn new(capacity: usize) -> Self {
        Self {
            by_addr: HashMap::new(),
            addrs: vec![0; FIRST_SLOT],
            capacity: capacity.max(FIRST_SLOT),
        }
    }

    /// The counter for a block starting at `vaddr`, allocating one for a
    /// kernel address seen for the first time while there is room.
    pub fn slot(&mut self, vaddr: u64) -> usize {
        if vaddr < KERNEL_START {
            return SLOT_USER;
        }
        if let Some(&slot) = self.by_addr.get(&vaddr) {
            return slot;
        }
        if self.addrs.len() >= self.capacity {
            return SLOT_OVERFLOW;
        }
        let slot = self.addrs.len();
        self.addrs.push(vaddr);
        self.by_addr.insert(vaddr, slot);
        slot
    }

    /// The counters in use so far.
    pub fn len(&self) -> usize {
        self.addrs.len()
    }

    /// Whether only the shared counters exist.
    pub fn is_empty(&self) -> bool {
        self.addrs.len() == FIRST_SLOT
    }

    /// Writes a snapshot: the shared counters by name, then every kernel
    /// block start whose count is not zero. `count(slot)` reads a counter.
    pub fn write_snapshot(
        &self,
        out: &mut impl Write,
        seq: u32,
        count: impl Fn(usize) -> u64,
    ) -> std::io::Result<()> {
        writeln!(out, "# guest-insns snapshot {seq}")?;
        writeln!(out, "user {}", count(SLOT_USER))?;
        writeln!(out, "overflow {}", count(SLOT_OVERFLOW))?;
        for (slot, addr) in self.addrs.iter().enumerate().skip(FIRST_SLOT) {
            let n = count(slot);
            if n != 0 {
                writeln!(out, "{addr:016x} {n}")?;
            }
        }
        Ok(())
    }
}

/// Whether an instruction's bytes are the marker.
pub fn is_marker(bytes: &[u8]) -> bool {
    bytes == MARKER
}

/// Parses the plugin's `key=value` arguments: `out` (required) and `slots`.
pub fn parse_args<'a>(args: impl Iterator<Item = &'a str>) -> Result<(String, usize), String> {
    let (mut out, mut slots) = (None, 1usize << 20);
    for arg in args {
        match arg.split_once('=') {
            Some(("out", v)) if !v.is_empty() => out = Some(v.to_string()),
            Some(("slots", v)) => {
                slots = v
                    .parse()
                    .ok()
                    .filter(|&n| (FIRST_SLOT..=1 << 24).contains(&n))
                    .ok_or_else(|| format!("slots={v}: want a count from 2 to 16M"))?
            }
            _ => return Err(format!("unknown argument {arg:?} (want out=PATH, slots=N)")),
        }
    }
    Ok((out.ok_or("out=PATH is required")?, slots))
}

// The plugin itself; unit tests build without it, as they run without QEMU
// to resolve its symbols.
#[cfg(not(test))]
mod plugin {
    use super::*;
    use std::ffi::{c_char, c_int, c_uint, c_void, CStr};
    use std::fs::File;
    use std::io::BufWriter;
    use std::sync::{Mutex, OnceLock};

    // The plugin API, declared as QEMU 11.1 defines it (include/plugins/
    // qemu-plugin.h, QEMU_PLUGIN_VERSION 7). QEMU resolves these symbols when it
    // loads the plugin.

    #[repr(C)]
    pub struct QemuInfo {
        target_name: *const c_char,
        version_min: c_int,
        version_cur: c_int,
        system_emulation: bool,
        smp_vcpus: c_int,
        max_vcpus: c_int,
    }

    enum Tb {}
    enum Insn {}
    enum Scoreboard {}

    /// `qemu_plugin_u64`: one u64 at `offset` in every vCPU's scoreboard entry.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct U64Entry {
        score: *mut Scoreboard,
        offset: usize,
    }

    const QEMU_PLUGIN_CB_NO_REGS: c_int = 0;
    const QEMU_PLUGIN_INLINE_ADD_U64: c_int = 0;

    extern "C" {
        fn qemu_plugin_register_vcpu_tb_trans_cb(
            id: u64,
            cb: extern "C" fn(*mut Tb, *mut c_void),
            userdata: *mut c_void,
        );
        fn qemu_plugin_tb_n_insns(tb: *const Tb) -> usize;
        fn qemu_plugin_tb_vaddr(tb: *const Tb) -> u64;
        fn qemu_plugin_tb_get_insn(tb: *const Tb, idx: usize) -> *mut Insn;
        fn qemu_plugin_insn_data(insn: *const Insn, dest: *mut c_void, len: usize) -> usize;
        fn qemu_plugin_insn_size(insn: *const Insn) -> usize;
        fn qemu_plugin_register_vcpu_insn_exec_cb(
            insn: *mut Insn,
            cb: extern "C" fn(c_uint, *mut c_void),
            flags: c_int,
            userdata: *mut c_void,
        );
        fn qemu_plugin_scoreboard_new(element_size: usize) -> *mut Scoreboard;
        fn qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(
            tb: *mut Tb,
            op: c_int,
            entry: U64Entry,
            imm: u64,
        );
        fn qemu_plugin_u64_sum(entry: U64Entry) -> u64;
    }

    struct Plugin {
        out: String,
        board: *mut Scoreboard,
        table: Mutex<SlotTable>,
        /// Snapshots written so far; held while one is written.
        snapshots: Mutex<u32>,
    }

    // SAFETY: the scoreboard pointer is only passed back to QEMU's plugin API,
    // which is thread-safe; the table and the snapshot count are behind locks.
    unsafe impl Send for Plugin {}
    // SAFETY: as above.
    unsafe impl Sync for Plugin {}

    static PLUGIN: OnceLock<Plugin> = OnceLock::new();

    impl Plugin {
        fn entry(&self, slot: usize) -> U64Entry {
            U64Entry {
                score: self.board,
                offset: slot * 8,
            }
        }
    }

    /// The API version this plugin was written against.
    #[no_mangle]
    pub static qemu_plugin_version: c_int = 7;

    extern "C" fn on_marker(_vcpu: c_uint, _userdata: *mut c_void) {
        let Some(p) = PLUGIN.get() else { return };
        let mut seq = p.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        let table = p.table.lock().unwrap_or_else(|e| e.into_inner());
        let path = format!("{}.{}", p.out, *seq);
        let written = File::create(&path).and_then(|f| {
            let mut w = BufWriter::new(f);
            // SAFETY: the entry lies within the scoreboard's element, which
            // has room for every slot of the table.
            table.write_snapshot(&mut w, *seq, |slot| unsafe {
                qemu_plugin_u64_sum(p.entry(slot))
            })?;
            w.flush()
        });
        if let Err(e) = written {
            eprintln!("guest-insns: cannot write {path}: {e}");
        }
        *seq += 1;
    }

    extern "C" fn on_translate(tb: *mut Tb, _userdata: *mut c_void) {
        let Some(p) = PLUGIN.get() else { return };
        // SAFETY: `tb` is the block QEMU is translating, valid for this call.
        let (vaddr, n) = unsafe { (qemu_plugin_tb_vaddr(tb), qemu_plugin_tb_n_insns(tb)) };
        let slot = p
            .table
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .slot(vaddr);
        // SAFETY: as above; the entry lies within the scoreboard's element.
        unsafe {
            qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(
                tb,
                QEMU_PLUGIN_INLINE_ADD_U64,
                p.entry(slot),
                n as u64,
            )
        };
        if vaddr >= KERNEL_START {
            return;
        }
        // The marker runs in user space: look for it there only.
        for i in 0..n {
            let mut bytes = [0u8; 16];
            // SAFETY: `i` is below the block's instruction count; the buffer
            // has the room given.
            let insn = unsafe { qemu_plugin_tb_get_insn(tb, i) };
            let len = unsafe {
                if qemu_plugin_insn_size(insn) != MARKER.len() {
                    continue;
                }
                qemu_plugin_insn_data(insn, bytes.as_mut_ptr().cast(), bytes.len())
            };
            if is_marker(&bytes[..len.min(bytes.len())]) {
                // SAFETY: `insn` belongs to the block being translated.
                unsafe {
                    qemu_plugin_register_vcpu_insn_exec_cb(
                        insn,
                        on_marker,
                        QEMU_PLUGIN_CB_NO_REGS,
                        core::ptr::null_mut(),
                    )
                };
            }
        }
    }

    /// Called by QEMU when it loads the plugin.
    ///
    /// # Safety
    ///
    /// QEMU passes a valid `info` and `argc` valid C strings in `argv`.
    #[no_mangle]
    pub unsafe extern "C" fn qemu_plugin_install(
        id: u64,
        info: *const QemuInfo,
        argc: c_int,
        argv: *const *const c_char,
    ) -> c_int {
        // SAFETY: per this function's contract.
        let system = unsafe { (*info).system_emulation };
        if !system {
            eprintln!("guest-insns: needs system emulation");
            return -1;
        }
        let args: Vec<&str> = (0..argc.max(0) as usize)
            // SAFETY: per this function's contract.
            .filter_map(|i| unsafe { CStr::from_ptr(*argv.add(i)) }.to_str().ok())
            .collect();
        let (out, slots) = match parse_args(args.into_iter()) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("guest-insns: {e}");
                return -1;
            }
        };
        // SAFETY: plain allocation; QEMU zeroes the elements.
        let board = unsafe { qemu_plugin_scoreboard_new(slots * 8) };
        if board.is_null() {
            return -1;
        }
        let plugin = Plugin {
            out,
            board,
            table: Mutex::new(SlotTable::new(slots)),
            snapshots: Mutex::new(0),
        };
        if PLUGIN.set(plugin).is_err() {
            eprintln!("guest-insns: loaded twice");
            return -1;
        }
        // SAFETY: `id` is ours; the callback lives as long as the library.
        unsafe { qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate, core::ptr::null_mut()) };
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_blocks_share_a_counter_kernel_blocks_get_their_own() {
        let mut t = SlotTable::new(4);
        assert_eq!(t.slot(0x40_1000), SLOT_USER);
        assert_eq!(t.slot(0x7fff_0000_0000), SLOT_USER);
        let a = t.slot(0xffff_ffff_8100_0000);
        let b = t.slot(0xffff_ffff_c000_1000);
        assert_eq!((a, b), (2, 3));
        assert_eq!(
            t.slot(0xffff_ffff_8100_0000),
            a,
            "same address, same counter"
        );
        // Full: a new kernel address lands in the overflow counter.
        assert_eq!(t.slot(0xffff_ffff_8100_0040), SLOT_OVERFLOW);
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn snapshot_lists_named_counters_then_nonzero_blocks() {
        let mut t = SlotTable::new(8);
        t.slot(0xffff_ffff_8100_0000);
        t.slot(0xffff_ffff_8100_0010);
        t.slot(0xffff_ffff_8100_0020);
        let counts = [7u64, 0, 5, 0, 9];
        let mut out = Vec::new();
        t.write_snapshot(&mut out, 3, |s| counts[s]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "# guest-insns snapshot 3\nuser 7\noverflow 0\n\
             ffffffff81000000 5\nffffffff81000020 9\n"
        );
    }

    #[test]
    fn marker_is_xchg_rcx_rcx_only() {
        assert!(is_marker(&[0x48, 0x87, 0xc9]));
        assert!(!is_marker(&[0x48, 0x87, 0xd2]), "xchg %rdx,%rdx");
        assert!(!is_marker(&[0x48, 0x87]));
    }

    #[test]
    fn arguments() {
        assert_eq!(
            parse_args(["out=/tmp/x"].into_iter()),
            Ok(("/tmp/x".to_string(), 1 << 20))
        );
        assert_eq!(
            parse_args(["slots=64", "out=/o"].into_iter()),
            Ok(("/o".to_string(), 64))
        );
        assert!(parse_args(["slots=64"].into_iter()).is_err(), "out missing");
        assert!(parse_args(["out=/o", "slots=1"].into_iter()).is_err());
        assert!(parse_args(["out=/o", "verbose"].into_iter()).is_err());
    }
}
