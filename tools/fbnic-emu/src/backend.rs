// SPDX-License-Identifier: GPL-2.0

//! What a port is cabled to, and packet capture.
//!
//! - [`PeerWire`]: another emulated port of the same process; frames go
//!   into that port's inbox and its own worker places them, exactly as if
//!   they had arrived from a network.
//! - [`TapWire`]: a Linux TAP interface, so that host-side software (a
//!   network namespace, say) can talk to a guest port. A reader thread
//!   feeds frames written to the TAP into the port's inbox.
//! - [`Pcap`]: writes every frame a port sends or receives to a classic
//!   pcap file.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::Path;
use std::sync::{Arc, Mutex, Weak};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use log::{error, info, warn};

use crate::device::FbnicDevice;
use crate::queues::{InboxLevel, Tap, Wire};
use crate::stats::Dir;

/// The cable to another port of this process.
pub struct PeerWire {
    peer: Weak<FbnicDevice>,
    /// The peer's inbox level, watched for congestion per frame.
    level: InboxLevel,
}

impl PeerWire {
    pub fn new(peer: &Arc<FbnicDevice>) -> Self {
        PeerWire {
            peer: Arc::downgrade(peer),
            level: peer.datapath().inbox_level(),
        }
    }
}

impl Wire for PeerWire {
    fn send(&self, frame: &[u8]) {
        if let Some(peer) = self.peer.upgrade() {
            peer.datapath().receive(&peer, frame);
        }
    }

    fn send_buf(&self, frame: &mut Vec<u8>) {
        if let Some(peer) = self.peer.upgrade() {
            peer.datapath().receive_buf(&peer, frame);
        }
    }

    fn congested(&self) -> bool {
        // A port that is gone takes frames (into nothing), as before.
        self.level.congested() && self.peer.strong_count() > 0
    }
}

/// Cables ports `a` and `b` back to back.
pub fn cable(a: &Arc<FbnicDevice>, b: &Arc<FbnicDevice>) {
    a.datapath().set_wire(Some(Arc::new(PeerWire::new(b))));
    b.datapath().set_wire(Some(Arc::new(PeerWire::new(a))));
}

/// `struct ifreq` as TUNSETIFF takes it: name and flags, padded to the
/// kernel's 40 bytes.
#[repr(C)]
struct IfReq {
    name: [libc::c_char; libc::IFNAMSIZ],
    flags: libc::c_short,
    _pad: [u8; 22],
}

const TUNSETIFF: libc::c_ulong = 0x4004_54ca;
const IFF_TAP: libc::c_short = 0x0002;
const IFF_NO_PI: libc::c_short = 0x1000;

/// Opens (creating if needed) the TAP interface `name`.
fn open_tap(name: &str) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/net/tun")?;
    let mut req = IfReq {
        name: [0; libc::IFNAMSIZ],
        flags: IFF_TAP | IFF_NO_PI,
        _pad: [0; 22],
    };
    if name.len() >= libc::IFNAMSIZ || name.bytes().any(|b| b == 0) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "bad interface name",
        ));
    }
    for (d, s) in req.name.iter_mut().zip(name.bytes()) {
        *d = s as libc::c_char;
    }
    // SAFETY: TUNSETIFF reads and writes a `struct ifreq`, which `req`
    // lays out (name, flags, padding to full size); the fd is open.
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), TUNSETIFF, &mut req as *mut IfReq) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(file)
}

/// A port's cable to a TAP interface.
pub struct TapWire {
    file: File,
}

impl Wire for TapWire {
    fn send(&self, frame: &[u8]) {
        // One write is one frame; a TAP that is down refuses with EIO,
        // which is a cable nobody listens on.
        let mut f = &self.file;
        if let Err(e) = f.write(frame) {
            if e.raw_os_error() != Some(libc::EIO) {
                warn!("TAP write of {} bytes failed: {e}", frame.len());
            }
        }
    }
}

/// Cables `dev` to the TAP interface `name` and starts the thread that
/// feeds frames from it into the port.
pub fn attach_tap(dev: &Arc<FbnicDevice>, port: usize, name: &str) -> io::Result<()> {
    let file = open_tap(name)?;
    // SAFETY: dup of an open fd; the new fd is owned by the File below.
    let reader_fd = unsafe { libc::dup(file.as_raw_fd()) };
    if reader_fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `reader_fd` is a fresh fd nobody else owns.
    let mut reader = unsafe { File::from_raw_fd(reader_fd) };
    dev.datapath().set_wire(Some(Arc::new(TapWire { file })));
    let weak = Arc::downgrade(dev);
    let tap = name.to_owned();
    thread::Builder::new()
        .name(format!("tap{port}"))
        .spawn(move || {
            let mut buf = vec![0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => return,
                    Ok(n) => match weak.upgrade() {
                        Some(dev) => {
                            dev.datapath().receive(&dev, &buf[..n]);
                        }
                        None => return,
                    },
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        error!("TAP {tap}: read failed: {e}");
                        return;
                    }
                }
            }
        })?;
    info!("port {port} cabled to TAP {name}");
    Ok(())
}

/// A pcap capture file (microsecond timestamps, Ethernet link type).
pub struct Pcap {
    out: Mutex<BufWriter<File>>,
}

impl Pcap {
    /// Creates (truncating) `path` and writes the file header.
    pub fn create(path: &Path) -> io::Result<Self> {
        let mut out = BufWriter::new(File::create(path)?);
        let mut hdr = Vec::with_capacity(24);
        hdr.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        hdr.extend_from_slice(&2u16.to_le_bytes());
        hdr.extend_from_slice(&4u16.to_le_bytes());
        hdr.extend_from_slice(&0i32.to_le_bytes());
        hdr.extend_from_slice(&0u32.to_le_bytes());
        hdr.extend_from_slice(&65535u32.to_le_bytes());
        // LINKTYPE_ETHERNET.
        hdr.extend_from_slice(&1u32.to_le_bytes());
        out.write_all(&hdr)?;
        out.flush()?;
        Ok(Pcap {
            out: Mutex::new(out),
        })
    }
}

impl Tap for Pcap {
    fn frame(&self, _dir: Dir, frame: &[u8]) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let caplen = frame.len().min(65535);
        let mut rec = Vec::with_capacity(16 + caplen);
        rec.extend_from_slice(&(now.as_secs() as u32).to_le_bytes());
        rec.extend_from_slice(&now.subsec_micros().to_le_bytes());
        rec.extend_from_slice(&(caplen as u32).to_le_bytes());
        rec.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        rec.extend_from_slice(&frame[..caplen]);
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        // Flushed per frame so that a capture can be read while the
        // emulator runs (tests do); capture is a debugging aid, not a fast
        // path.
        if let Err(e) = out.write_all(&rec).and_then(|_| out.flush()) {
            warn!("pcap write failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcap_file_layout() {
        let dir = std::env::temp_dir().join(format!("fbnic-pcap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.pcap");
        let p = Pcap::create(&path).unwrap();
        p.frame(Dir::Tx, &[1, 2, 3, 4, 5, 6, 7]);
        p.frame(Dir::Rx, &[9; 60]);
        let data = std::fs::read(&path).unwrap();
        assert_eq!(&data[..4], &0xa1b2_c3d4u32.to_le_bytes());
        assert_eq!(data.len(), 24 + 16 + 7 + 16 + 60);
        assert_eq!(u32::from_le_bytes(data[32..36].try_into().unwrap()), 7);
        assert_eq!(&data[40..47], &[1, 2, 3, 4, 5, 6, 7]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
