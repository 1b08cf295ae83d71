// SPDX-License-Identifier: GPL-2.0

//! A BMC sharing a port (`--bmc PORT[=MAC[,MAC...]]`).
//!
//! On the real board a baseboard management controller reaches the network
//! through the NIC: the firmware reports it in its capabilities (present,
//! its MAC addresses), and the host driver keeps MAC DA TCAM entries and
//! action TCAM rules that send the BMC's frames to it, also while the host
//! interface is down. The emulated BMC is a sink and a source of frames:
//!
//! * The RX classifier hands it every frame whose action has
//!   `ACT_TBL0_DEST_BMC` ([`crate::rpc::classify_dest`]), alone or besides
//!   the host (broadcast and multicast go to both when the driver says so).
//! * Host frames whose destination matches a valid TX TCAM entry with the
//!   BMC in its `TCAM_IDX2DEST_MAP` destination set reach it without
//!   touching the wire (the TCE path; the MAC too if the set says so).
//! * `bmc PORT send` on the control socket sends a frame from the BMC to
//!   the wire.
//! * The firmware keeps the host's last `RPC_MAC_SYNC_REQ` (the host's
//!   addresses and flags), which `bmc PORT stats` shows.
//! * A BMC that wants every multicast frame (`all-multi` in `--bmc`) is
//!   reported so in the capabilities (`BMC_ALL_MULTI`); the driver then
//!   keeps an all-multicast MAC DA entry and an action rule for it.
//!
//! Frames from the BMC to the host (the RXB's BMC-to-host FIFO) are not
//! modelled.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use fbnic_hw::csr::{self, tce, tce_ram};
use fbnic_hw::tlv::rpc_mac_sync;

use crate::device::FbnicDevice;
use crate::identity::MacAddr;
use crate::regs::RegisterFile;

/// The EtherType of the BMC's own frames and of the tests' (0x88b5, local
/// experimental).
const TEST_ETHERTYPE: [u8; 2] = [0x88, 0xb5];

/// Most BMC addresses the firmware reports (the driver keeps four).
pub const MAX_ADDRS: usize = fbnic_hw::fw::BMC_ADDRS;

/// The BMC of a port as the command line describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BmcConfig {
    /// Its MAC addresses, one to [`MAX_ADDRS`].
    pub macs: Vec<MacAddr>,
    /// It receives every multicast frame (`FW_CAP_RESP_BMC_ALL_MULTI`).
    pub all_multi: bool,
}

impl BmcConfig {
    /// The default address of port `port`'s BMC: `02:00:5e:00:b0:<port>`.
    pub fn default_for(port: usize) -> Self {
        BmcConfig {
            macs: vec![MacAddr([0x02, 0x00, 0x5e, 0x00, 0xb0, port as u8])],
            all_multi: false,
        }
    }

    /// Parses the `ITEM[,ITEM...]` part of `--bmc PORT=...` for port
    /// `port`: each item a MAC address or `all-multi`; without an address
    /// the BMC has [`BmcConfig::default_for`]'s.
    pub fn parse(port: usize, list: &str) -> Result<Self, String> {
        let mut all_multi = false;
        let mut macs = Vec::new();
        for item in list.split(',') {
            match item {
                "all-multi" if !all_multi => all_multi = true,
                "all-multi" => return Err("--bmc: all-multi given twice".into()),
                _ => macs.push(parse_mac(item)?),
            }
        }
        if macs.is_empty() {
            macs = Self::default_for(port).macs;
        }
        if macs.len() > MAX_ADDRS {
            return Err(format!("--bmc takes 1 to {MAX_ADDRS} MAC addresses"));
        }
        if let Some(m) = macs.iter().find(|m| m.0 == [0; 6]) {
            return Err(format!("--bmc: {m} is not a usable address"));
        }
        Ok(BmcConfig { macs, all_multi })
    }
}

/// Parses `aa:bb:cc:dd:ee:ff`.
pub fn parse_mac(s: &str) -> Result<MacAddr, String> {
    let bad = || format!("'{s}' is not a MAC address (aa:bb:cc:dd:ee:ff)");
    let mut mac = [0u8; 6];
    let mut parts = s.split(':');
    for b in mac.iter_mut() {
        let p = parts.next().ok_or_else(bad)?;
        if p.len() != 2 {
            return Err(bad());
        }
        *b = u8::from_str_radix(p, 16).map_err(|_| bad())?;
    }
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok(MacAddr(mac))
}

/// What the host last told the firmware about its RX filters
/// (`RPC_MAC_SYNC_REQ`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostSync {
    /// Unicast addresses.
    pub uc: Vec<MacAddr>,
    /// Multicast addresses.
    pub mc: Vec<MacAddr>,
    /// `RX_FLAGS_*`.
    pub flags: u32,
}

impl fmt::Display for HostSync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[MacAddr]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            }
        };
        let mut flags = Vec::new();
        for (bit, name) in [
            (rpc_mac_sync::RX_FLAGS_PROMISC, "promisc"),
            (rpc_mac_sync::RX_FLAGS_ALLMULTI, "allmulti"),
            (rpc_mac_sync::RX_FLAGS_BROADCAST, "broadcast"),
        ] {
            if self.flags & bit != 0 {
                flags.push(name);
            }
        }
        write!(
            f,
            "host-uc {} host-mc {} host-flags {}",
            list(&self.uc),
            list(&self.mc),
            if flags.is_empty() {
                "none".to_string()
            } else {
                flags.join(",")
            }
        )
    }
}

/// Frame and byte counts of one direction.
#[derive(Default)]
struct Count {
    frames: AtomicU64,
    bytes: AtomicU64,
}

impl Count {
    fn add(&self, len: usize) {
        self.frames.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
    }

    fn get(&self) -> (u64, u64) {
        (
            self.frames.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }
}

/// The BMC of one port.
pub struct Bmc {
    config: BmcConfig,
    /// Frames from the network (through the RX classifier).
    rx_net: Count,
    /// Those of them addressed to one of the BMC's own addresses.
    rx_own: Count,
    /// Those of them to a group address with EtherType 0x88b5 (local
    /// experimental, which `bmc PORT send` and the tests use): the
    /// multicast a test sends, without the stack's own.
    rx_group_test: Count,
    /// Frames from the host (through the TX TCAM).
    rx_host: Count,
    /// Frames the BMC sent to the wire.
    tx: Count,
    /// The host's last MAC sync, and how many there were.
    sync: Mutex<(Option<HostSync>, u64)>,
}

impl Bmc {
    pub fn new(config: BmcConfig) -> Self {
        Bmc {
            config,
            rx_net: Count::default(),
            rx_own: Count::default(),
            rx_group_test: Count::default(),
            rx_host: Count::default(),
            tx: Count::default(),
            sync: Mutex::new((None, 0)),
        }
    }

    pub fn config(&self) -> &BmcConfig {
        &self.config
    }

    /// A frame from the network reached the BMC.
    pub fn receive_from_net(&self, frame: &[u8]) {
        self.rx_net.add(frame.len());
        if self
            .config
            .macs
            .iter()
            .any(|m| frame.get(..6) == Some(&m.0[..]))
        {
            self.rx_own.add(frame.len());
        }
        let group = frame.first().is_some_and(|b| b & 1 != 0);
        if group && frame.get(12..14) == Some(&TEST_ETHERTYPE[..]) {
            self.rx_group_test.add(frame.len());
        }
    }

    /// A frame from the host reached the BMC.
    pub fn receive_from_host(&self, frame: &[u8]) {
        self.rx_host.add(frame.len());
    }

    /// The BMC sent a frame.
    pub fn sent(&self, frame: &[u8]) {
        self.tx.add(frame.len());
    }

    /// Frames from the network, from the host and sent, so far.
    pub fn frames(&self) -> (u64, u64, u64) {
        (self.rx_net.get().0, self.rx_host.get().0, self.tx.get().0)
    }

    /// Records the host's MAC sync.
    pub fn host_synced(&self, sync: HostSync) {
        let mut s = self.sync.lock().unwrap_or_else(|e| e.into_inner());
        s.0 = Some(sync);
        s.1 += 1;
    }

    /// The host's last MAC sync, if any.
    pub fn host_sync(&self) -> Option<HostSync> {
        self.sync
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clone()
    }

    /// A frame from BMC address 0 to `dst`: EtherType 0x88b5 (local
    /// experimental), `len` bytes in all (at least 60), the payload a
    /// counting pattern.
    pub fn frame_to(&self, dst: MacAddr, len: usize) -> Vec<u8> {
        let mut f = Vec::with_capacity(len.max(60));
        f.extend_from_slice(&dst.0);
        f.extend_from_slice(&self.config.macs[0].0);
        f.extend_from_slice(&TEST_ETHERTYPE);
        let mut i = 0u8;
        while f.len() < len.max(60) {
            f.push(i);
            i = i.wrapping_add(1);
        }
        f
    }

    /// The `bmc PORT stats` line.
    pub fn stats_line(&self) -> String {
        let (rn, rnb) = self.rx_net.get();
        let (ro, rob) = self.rx_own.get();
        let (rg, rgb) = self.rx_group_test.get();
        let (rh, rhb) = self.rx_host.get();
        let (t, tb) = self.tx.get();
        let s = self.sync.lock().unwrap_or_else(|e| e.into_inner());
        let macs: Vec<String> = self.config.macs.iter().map(|m| m.to_string()).collect();
        let sync = match &s.0 {
            Some(h) => h.to_string(),
            None => "host-uc none host-mc none host-flags none".to_string(),
        };
        format!(
            "mac {} rx-frames {rn} rx-bytes {rnb} rx-own-frames {ro} rx-own-bytes {rob} rx-group-test-frames {rg} rx-group-test-bytes {rgb} all-multi {} rx-host-frames {rh} rx-host-bytes {rhb} tx-frames {t} tx-bytes {tb} syncs {} {sync}",
            macs.join(","),
            u8::from(self.config.all_multi),
            s.1
        )
    }
}

/// The control socket's `bmc PORT ...` commands for `dev`:
///
/// ```text
/// bmc PORT stats                 what the BMC received and sent, and the
///                                host's last MAC sync
/// bmc PORT send DST [N [LEN]]    send N frames (default 1) of LEN bytes
///                                (default 60) from the BMC to DST
/// ```
pub fn control(dev: &FbnicDevice, args: &[&str]) -> Result<String, String> {
    let bmc = dev.bmc().ok_or("the port has no BMC (--bmc)")?;
    match args {
        ["stats"] => Ok(bmc.stats_line()),
        ["send", dst, rest @ ..] if rest.len() <= 2 => {
            let dst = parse_mac(dst)?;
            let num = |i: usize, default: usize, max: usize| -> Result<usize, String> {
                rest.get(i).map_or(Ok(default), |a| {
                    a.parse::<usize>()
                        .ok()
                        .filter(|n| (1..=max).contains(n))
                        .ok_or_else(|| format!("'{a}' is not a number in 1..={max}"))
                })
            };
            let n = num(0, 1, 100_000)?;
            let len = num(1, 60, csr::MAX_JUMBO_FRAME_SIZE as usize)?;
            let frame = bmc.frame_to(dst, len);
            for _ in 0..n {
                if !dev.datapath().bmc_send(dev, &frame) {
                    return Err("no carrier: the BMC cannot send".into());
                }
                bmc.sent(&frame);
            }
            Ok(format!("sent {n}"))
        }
        _ => Err("bmc PORT stats | bmc PORT send DST [N [LEN]]".into()),
    }
}

/// Where the TX TCAM sends a host frame to `da`: the `TCAM_DEST_*` set of
/// the lowest valid matching entry, `None` when the TCAM is off or no
/// entry matches (the frame goes to the MAC).
pub fn tx_tcam_dest(csr: &RegisterFile, da: &[u8; 6]) -> Option<u32> {
    let rd = |i: u32| csr.read(i).unwrap_or(0);
    if rd(tce::TXB_CTRL::INDEX) & tce::TXB_CTRL::TCAM_ENABLE.mask() == 0 {
        return None;
    }
    let key = fbnic_hw::csr::rpc_ram::macda_key(*da);
    (0..tce_ram::TCAM_NUM_ENTRIES)
        .find(|&e| {
            rd(tce_ram::TCAM3::INFO.dword(e, 0)) & tce_ram::TCAM3::VALIDATE.mask() != 0
                && (0..tce_ram::TCAM_WORD_LEN).zip(key).all(|(w, k)| {
                    let word = rd(tce_ram::TCAM::INFO.dword(e, w));
                    let care = !tce_ram::TCAM::MASK.get(word) & 0xffff;
                    (u32::from(k) ^ tce_ram::TCAM::VALUE.get(word)) & care == 0
                })
        })
        .map(|e| (rd(tce::TCAM_IDX2DEST_MAP::INDEX) >> (4 * e)) & 0xf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_addresses() {
        let c = BmcConfig::parse(0, "02:00:00:00:00:01,33:33:00:00:00:01").unwrap();
        assert_eq!(c.macs.len(), 2);
        assert_eq!(c.macs[1].0, [0x33, 0x33, 0, 0, 0, 1]);
        assert!(!c.all_multi);
        assert!(BmcConfig::parse(0, "02:00:00:00:00").is_err());
        assert!(BmcConfig::parse(0, "02:00:00:00:00:01:02").is_err());
        assert!(BmcConfig::parse(0, "00:00:00:00:00:00").is_err());
        assert!(BmcConfig::parse(0, "zz:00:00:00:00:01").is_err());
        assert!(BmcConfig::parse(0, "").is_err());
        let five = ["02:00:00:00:00:01"; 5].join(",");
        assert!(BmcConfig::parse(0, &five).is_err());
        // all-multi alone keeps the port's default address.
        let c = BmcConfig::parse(1, "all-multi").unwrap();
        assert!(c.all_multi);
        assert_eq!(c.macs, BmcConfig::default_for(1).macs);
        let c = BmcConfig::parse(0, "all-multi,02:00:00:00:00:09").unwrap();
        assert!(c.all_multi);
        assert_eq!(c.macs[0].0, [2, 0, 0, 0, 0, 9]);
        assert!(BmcConfig::parse(0, "all-multi,all-multi").is_err());
        assert!(BmcConfig::parse(0, "allmulti").is_err());
        assert_eq!(
            BmcConfig::default_for(1).macs[0].to_string(),
            "02:00:5e:00:b0:01"
        );
    }

    #[test]
    fn counts_and_frames() {
        let b = Bmc::new(BmcConfig::default_for(0));
        let f = b.frame_to(MacAddr([0xff; 6]), 0);
        assert_eq!(f.len(), 60);
        assert_eq!(&f[6..12], &[2, 0, 0x5e, 0, 0xb0, 0]);
        b.receive_from_net(&f);
        b.receive_from_net(&f);
        b.sent(&b.frame_to(MacAddr([0xff; 6]), 100));
        let line = b.stats_line();
        assert!(line.contains("rx-frames 2 rx-bytes 120 "), "{line}");
        // Broadcast is not the BMC's own address.
        assert!(line.contains("rx-own-frames 0 "), "{line}");
        let mut mine = f.clone();
        mine[..6].copy_from_slice(&b.config().macs[0].0);
        b.receive_from_net(&mine);
        assert!(b.stats_line().contains("rx-own-frames 1 rx-own-bytes 60 "));
        // Broadcast of EtherType 0x88b5 is a group test frame, the own one not.
        assert!(b
            .stats_line()
            .contains("rx-group-test-frames 2 rx-group-test-bytes 120 all-multi 0 "));
        let mut other = f.clone();
        other[12..14].copy_from_slice(&[0x08, 0x00]);
        b.receive_from_net(&other);
        assert!(b.stats_line().contains("rx-group-test-frames 2 "));
        assert!(line.contains("tx-frames 1 tx-bytes 100 "), "{line}");
        assert!(line.contains("syncs 0 host-uc none"), "{line}");
        b.host_synced(HostSync {
            uc: vec![MacAddr([2, 0, 0x5e, 0, 0x10, 0])],
            mc: vec![],
            flags: rpc_mac_sync::RX_FLAGS_BROADCAST,
        });
        let line = b.stats_line();
        assert!(
            line.ends_with("syncs 1 host-uc 02:00:5e:00:10:00 host-mc none host-flags broadcast"),
            "{line}"
        );
    }

    #[test]
    fn tx_tcam_lookup() {
        let csr = RegisterFile::new(0x10_0000);
        let bmc = [2, 0, 0x5e, 0, 0xb0, 0];
        let entry = 7u32;
        let key = fbnic_hw::csr::rpc_ram::macda_key(bmc);
        for (w, k) in key.iter().enumerate() {
            csr.write(
                tce_ram::TCAM::INFO.dword(entry, w as u32),
                tce_ram::TCAM::VALUE.prep(u32::from(*k)),
            );
        }
        csr.write(
            tce_ram::TCAM3::INFO.dword(entry, 0),
            tce_ram::TCAM3::VALIDATE.mask(),
        );
        csr.write(
            tce::TCAM_IDX2DEST_MAP::INDEX,
            tce::TCAM_DEST_BMC << (4 * entry),
        );
        // Off until the TXB enables the TCAM.
        assert_eq!(tx_tcam_dest(&csr, &bmc), None);
        csr.write(tce::TXB_CTRL::INDEX, tce::TXB_CTRL::TCAM_ENABLE.mask());
        assert_eq!(tx_tcam_dest(&csr, &bmc), Some(tce::TCAM_DEST_BMC));
        assert_eq!(tx_tcam_dest(&csr, &[2, 0, 0x5e, 0, 0xb0, 1]), None);
    }
}
