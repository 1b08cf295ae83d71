// SPDX-License-Identifier: GPL-2.0

//! The mailbox driven the way fbnic_fw.c drives it, against guest memory
//! backed by a memfd.

use std::fs::File;
use std::io;
use std::os::fd::FromRawFd;

use fbnic_hw::csr::{intr, mbx, pul};
use fbnic_hw::desc::{mbx_desc, MbxDesc};
use fbnic_hw::tlv::{
    self, cap_resp, msg, qsfp, start_upgrade, test, write_chunk, Message, MsgBuilder,
};

use super::messages::{coredump_bytes, MAX_IMAGE, UPGRADE_CHUNK};
use super::PAGE_SIZE;
use crate::device::{DeviceParams, FbnicDevice};
use crate::identity::DEFAULT_DSN;
use crate::memory::Access;

/// Guest address of the first page; TX buffers use pages 0..16, RX
/// buffers pages 16..32.
const BASE: u64 = 0x10_0000;

fn memfd(size: u64) -> File {
    // SAFETY: memfd_create with a valid NUL-terminated name.
    let fd = unsafe { libc::memfd_create(c"fbnic-fw-test".as_ptr(), libc::MFD_CLOEXEC) };
    assert!(fd >= 0, "memfd_create: {}", io::Error::last_os_error());
    // SAFETY: `fd` is a fresh descriptor nobody else owns.
    let f = unsafe { File::from_raw_fd(fd) };
    f.set_len(size).unwrap();
    f
}

/// A minimal host side of the mailbox, following fbnic_fw.c.
struct Host {
    dev: FbnicDevice,
    _mem: File,
    tx_head: u32,
    tx_tail: u32,
    rx_head: u32,
    rx_tail: u32,
}

impl Host {
    fn new() -> Self {
        let dev = FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
            queue_threads: 1,
        });
        let mem = memfd(32 * PAGE_SIZE as u64);
        dev.memory()
            .map(BASE, 32 * PAGE_SIZE as u64, &mem, 0, Access::READ_WRITE)
            .unwrap();
        let mut h = Host {
            dev,
            _mem: mem,
            tx_head: 0,
            tx_tail: 0,
            rx_head: 0,
            rx_tail: 0,
        };
        h.init();
        h
    }

    fn wr_desc(&self, ring: mbx::MbxIdx, idx: u32, raw: u64) {
        let (lo, hi) = MbxDesc::split(raw);
        let reg = mbx::IPC_MBX::INFO.dword(ring.get(), idx);
        self.dev.fw_write(reg + 1, hi);
        self.dev.fw_write(reg, lo);
    }

    fn rd_desc(&self, ring: mbx::MbxIdx, idx: u32) -> MbxDesc {
        let reg = mbx::IPC_MBX::INFO.dword(ring.get(), idx);
        MbxDesc::decode(MbxDesc::join(
            self.dev.fw_read(reg),
            self.dev.fw_read(reg + 1),
        ))
    }

    fn reset_ring(&self, ring: mbx::MbxIdx) {
        if ring == mbx::RX_IDX {
            self.dev.csr_write(
                pul::OB_TLP_HDR_AW_CFG::INDEX,
                pul::OB_TLP_HDR_AW_CFG::FLUSH.mask() | pul::OB_TLP_HDR_AW_CFG::FLUSH_MODE.mask(),
            );
        } else {
            self.dev.csr_write(
                pul::OB_TLP_HDR_AR_CFG::INDEX,
                pul::OB_TLP_HDR_AR_CFG::FLUSH.mask(),
            );
        }
        let reg = mbx::IPC_MBX::INFO.dword(ring.get(), 0);
        self.dev.fw_write(reg, 0);
        self.dev.fw_write(reg + 1, 0);
        for d in (1..mbx::DESC_LEN).rev() {
            let reg = mbx::IPC_MBX::INFO.dword(ring.get(), d);
            self.dev.fw_write(reg, mbx_desc::SKIP as u32);
            self.dev.fw_write(reg + 1, 0);
        }
    }

    /// fbnic_mbx_init() + fbnic_mbx_poll_tx_ready() up to the caps request.
    fn init(&mut self) {
        self.dev.csr_write(intr::SW_AC_MODE::INFO.dword(0, 0), !1);
        self.dev.csr_write(intr::CLEAR::INFO.dword(0, 0), 1);
        self.reset_ring(mbx::RX_IDX);
        self.reset_ring(mbx::TX_IDX);
        assert_eq!(
            self.dev.csr_read(intr::STATUS::INFO.dword(0, 0)) & 1,
            1,
            "firmware alive"
        );
        self.dev.csr_write(intr::CLEAR::INFO.dword(0, 0), 1);
        self.dev.csr_write(
            pul::OB_TLP_HDR_AW_CFG::INDEX,
            pul::OB_TLP_HDR_AW_CFG::BME.mask(),
        );
        self.dev.csr_write(
            pul::OB_TLP_HDR_AR_CFG::INDEX,
            pul::OB_TLP_HDR_AR_CFG::BME.mask(),
        );
        for _ in 0..mbx::DESC_LEN - 1 {
            self.post_rx_buffer();
        }
    }

    fn rx_page(idx: u32) -> u64 {
        BASE + u64::from(16 + idx) * PAGE_SIZE as u64
    }

    fn post_rx_buffer(&mut self) {
        let tail = self.rx_tail;
        self.rx_tail = (tail + 1) % mbx::DESC_LEN;
        self.dev
            .fw_write(mbx::IPC_MBX::INFO.dword(mbx::RX_IDX.get(), self.rx_tail), 0);
        let d = MbxDesc {
            len: PAGE_SIZE as u16,
            addr: Self::rx_page(tail),
            host_cmpl: true,
            ..Default::default()
        };
        self.wr_desc(mbx::RX_IDX, tail, d.encode().unwrap());
    }

    /// Places `bytes` (a message, possibly malformed) on the TX ring.
    fn send_raw(&mut self, bytes: &[u8], len: u16) {
        let tail = self.tx_tail;
        let addr = BASE + u64::from(tail) * PAGE_SIZE as u64;
        self.dev.memory().write(addr, bytes).unwrap();
        self.tx_tail = (tail + 1) % mbx::DESC_LEN;
        self.dev
            .fw_write(mbx::IPC_MBX::INFO.dword(mbx::TX_IDX.get(), self.tx_tail), 0);
        let d = MbxDesc {
            len,
            eom: true,
            addr,
            host_cmpl: true,
            ..Default::default()
        };
        self.wr_desc(mbx::TX_IDX, tail, d.encode().unwrap());
    }

    fn send(&mut self, id: u16, fill: impl FnOnce(&mut MsgBuilder<'_>)) {
        let mut buf = vec![0u8; PAGE_SIZE];
        let mut b = MsgBuilder::new(&mut buf, id).unwrap();
        fill(&mut b);
        let len = b.len();
        self.send_raw(&buf[..len], len as u16);
    }

    /// Runs the firmware, then reaps TX completions: returns FW_ERR flags.
    fn poll_tx(&mut self) -> Vec<bool> {
        self.dev.firmware().poll(&self.dev);
        let mut errs = Vec::new();
        while self.tx_head != self.tx_tail {
            let d = self.rd_desc(mbx::TX_IDX, self.tx_head);
            if !d.fw_cmpl {
                break;
            }
            errs.push(d.fw_err);
            self.tx_head = (self.tx_head + 1) % mbx::DESC_LEN;
        }
        errs
    }

    /// Reaps messages from the RX ring (reposting buffers).
    fn poll_rx(&mut self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let d = self.rd_desc(mbx::RX_IDX, self.rx_head);
            if !d.fw_cmpl {
                break;
            }
            assert!(!d.fw_err);
            let mut buf = vec![0u8; usize::from(d.len)];
            self.dev.memory().read(d.addr, &mut buf).unwrap();
            out.push(buf);
            self.dev
                .fw_write(mbx::IPC_MBX::INFO.dword(mbx::RX_IDX.get(), self.rx_head), 0);
            self.rx_head = (self.rx_head + 1) % mbx::DESC_LEN;
            // Repost the same page at the tail, as the driver does.
            let tail = self.rx_tail;
            self.rx_tail = (tail + 1) % mbx::DESC_LEN;
            let repost = MbxDesc {
                len: PAGE_SIZE as u16,
                addr: d.addr,
                host_cmpl: true,
                ..Default::default()
            };
            self.wr_desc(mbx::RX_IDX, tail, repost.encode().unwrap());
        }
        out
    }

    /// Sends a message and returns (FW_ERR, replies).
    fn request(&mut self, id: u16, fill: impl FnOnce(&mut MsgBuilder<'_>)) -> (bool, Vec<Vec<u8>>) {
        self.send(id, fill);
        let errs = self.poll_tx();
        assert_eq!(errs.len(), 1, "one completion");
        (errs[0], self.poll_rx())
    }
}

fn parse(bytes: &[u8]) -> Message<'_> {
    Message::parse(bytes).unwrap()
}

#[test]
fn capabilities_handshake() {
    let mut h = Host::new();
    let (err, replies) = h.request(msg::HOST_CAP_REQ, |_| {});
    assert!(!err);
    assert_eq!(replies.len(), 1);
    let m = parse(&replies[0]);
    assert_eq!(m.id(), msg::FW_CAP_RESP);
    let a = m.attrs(tlv::fw_to_host_schema(m.id()).unwrap()).unwrap();
    assert!(a.u32(cap_resp::VERSION).unwrap() >= cap_resp::MIN_FW_VER_CODE_LOG.0);
    assert_eq!(
        a.u32(cap_resp::FW_LINK_SPEED),
        Some(cap_resp::LINK_MODE_100CR2)
    );
    assert_eq!(a.u32(cap_resp::FW_LINK_FEC), Some(cap_resp::LINK_FEC_RS));
    assert_eq!(a.str(cap_resp::VERSION_COMMIT_STR), Some("fbnic-emu"));
    assert!(a.u32(cap_resp::UEFI_VERSION).is_some());
    assert!(!a.flag(cap_resp::BMC_PRESENT));
    // Every completion raised vector 0's cause.
    assert_eq!(h.dev.csr_read(intr::STATUS::INFO.dword(0, 0)) & 1, 1);
}

#[test]
fn a_bmc_is_reported_and_hears_the_host_mac_sync() {
    use fbnic_hw::fw::Capabilities;
    use fbnic_hw::tlv::rpc_mac_sync;
    let mut h = Host::new();
    let macs = "02:00:5e:00:b0:00,33:33:00:00:00:01";
    assert!(h
        .dev
        .set_bmc(crate::bmc::BmcConfig::parse(0, macs).unwrap()));
    let (err, replies) = h.request(msg::HOST_CAP_REQ, |_| {});
    assert!(!err);
    // What the driver's own parser makes of it.
    let caps = Capabilities::parse(&parse(&replies[0])).unwrap();
    assert!(caps.bmc_present);
    assert_eq!(caps.bmc_addr_count, 2);
    assert_eq!(caps.bmc_addrs[0], [2, 0, 0x5e, 0, 0xb0, 0]);
    assert_eq!(caps.bmc_addrs[1], [0x33, 0x33, 0, 0, 0, 1]);
    assert!(!caps.bmc_all_multi);

    let host = [2, 0, 0x5e, 0, 0x10, 0];
    let (err, replies) = h.request(msg::RPC_MAC_SYNC_REQ, |b| {
        b.nested(rpc_mac_sync::UC_ARRAY, |n| {
            n.put_mac(rpc_mac_sync::MAC_ADDR, &host)
        })
        .unwrap();
        b.put_u32(rpc_mac_sync::RX_FLAGS, rpc_mac_sync::RX_FLAGS_BROADCAST)
            .unwrap();
    });
    assert!(!err && replies.is_empty());
    let sync = h.dev.bmc().unwrap().host_sync().unwrap();
    assert_eq!(sync.uc, [crate::identity::MacAddr(host)]);
    assert!(sync.mc.is_empty());
    assert_eq!(sync.flags, rpc_mac_sync::RX_FLAGS_BROADCAST);

    // Nine unicast addresses are more than the array holds: FW_ERR.
    let (err, _) = h.request(msg::RPC_MAC_SYNC_REQ, |b| {
        b.nested(rpc_mac_sync::UC_ARRAY, |n| {
            (0..9u8).try_for_each(|i| n.put_mac(rpc_mac_sync::MAC_ADDR, &[2, 0, 0, 0, 0, i]))
        })
        .unwrap();
    });
    assert!(err);
}

#[test]
fn a_bmc_that_wants_all_multicast_says_so() {
    use fbnic_hw::fw::Capabilities;
    let mut h = Host::new();
    assert!(h
        .dev
        .set_bmc(crate::bmc::BmcConfig::parse(0, "all-multi").unwrap()));
    let (err, replies) = h.request(msg::HOST_CAP_REQ, |_| {});
    assert!(!err);
    let caps = Capabilities::parse(&parse(&replies[0])).unwrap();
    assert!(caps.bmc_present);
    assert!(caps.bmc_all_multi);
    assert_eq!(caps.bmc_addr_count, 1);
}
#[test]
fn ring_wraps_many_times() {
    let mut h = Host::new();
    for i in 0..100u64 {
        let (err, replies) = h.request(msg::HEARTBEAT_REQ, |_| {});
        assert!(!err, "request {i}");
        let m = parse(&replies[0]);
        assert_eq!(m.id(), msg::HEARTBEAT_RESP);
    }
    let s = h.dev.firmware().stats();
    assert_eq!((s.requests, s.request_errors, s.messages), (100, 0, 100));
}

#[test]
fn malformed_requests_get_fw_err_and_the_mailbox_continues() {
    let mut h = Host::new();
    let hdr = |id: u32, len_dw: u32| (len_dw << 16 | 1 << 15 | id).to_le_bytes();
    // Not a message (is_msg clear).
    h.send_raw(&0x0001_0010u32.to_le_bytes(), 4);
    // Length longer than the descriptor.
    h.send_raw(&hdr(0x10, 8), 4);
    // Attribute overrunning the message.
    let mut bad = hdr(0x12, 2).to_vec();
    bad.extend_from_slice(&0x0010_0000u32.to_le_bytes());
    h.send_raw(&bad, 8);
    // Unknown message id.
    h.send_raw(&hdr(0x7ff, 1), 4);
    // Descriptor length 0 and beyond a page.
    h.send_raw(&hdr(0x10, 1), 0);
    // Wrong attribute size (ownership flag with a value).
    let mut flag = hdr(0x12, 3).to_vec();
    flag.extend_from_slice(&0x0008_0000u32.to_le_bytes());
    flag.extend_from_slice(&1u32.to_le_bytes());
    h.send_raw(&flag, 12);
    assert_eq!(h.poll_tx(), vec![true; 6]);
    assert!(h.poll_rx().is_empty());
    // Still serving.
    let (err, replies) = h.request(msg::HOST_CAP_REQ, |_| {});
    assert!(!err);
    assert_eq!(parse(&replies[0]).id(), msg::FW_CAP_RESP);
    assert_eq!(h.dev.firmware().stats().request_errors, 6);
}

#[test]
fn unmapped_request_buffer_is_an_error() {
    let mut h = Host::new();
    let d = MbxDesc {
        len: 4,
        eom: true,
        addr: 0x4000_0000,
        host_cmpl: true,
        ..Default::default()
    };
    h.tx_tail = 1;
    h.wr_desc(mbx::TX_IDX, 0, d.encode().unwrap());
    assert_eq!(h.poll_tx(), vec![true]);
}

#[test]
fn no_dma_without_bus_mastering() {
    let mut h = Host::new();
    h.dev.csr_write(pul::OB_TLP_HDR_AR_CFG::INDEX, 0);
    h.send(msg::HOST_CAP_REQ, |_| {});
    assert!(h.poll_tx().is_empty(), "request not read");
    h.dev.csr_write(
        pul::OB_TLP_HDR_AR_CFG::INDEX,
        pul::OB_TLP_HDR_AR_CFG::BME.mask(),
    );
    h.dev.csr_write(pul::OB_TLP_HDR_AW_CFG::INDEX, 0);
    assert_eq!(h.poll_tx(), vec![false]);
    assert!(h.poll_rx().is_empty(), "answer not written");
    h.dev.csr_write(
        pul::OB_TLP_HDR_AW_CFG::INDEX,
        pul::OB_TLP_HDR_AW_CFG::BME.mask(),
    );
    h.dev.firmware().poll(&h.dev);
    assert_eq!(h.poll_rx().len(), 1);
}

#[test]
fn ownership_heartbeat_and_faults() {
    let mut h = Host::new();
    let (_, r) = h.request(msg::OWNERSHIP_REQ, |b| b.put_flag(0).unwrap());
    let m = parse(&r[0]);
    assert_eq!(m.id(), msg::OWNERSHIP_RESP);
    let t0 = m
        .attrs(tlv::ownership::RESP_SCHEMA)
        .unwrap()
        .u64(1)
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let (_, r) = h.request(msg::HEARTBEAT_REQ, |_| {});
    let t1 = parse(&r[0])
        .attrs(tlv::heartbeat::RESP_SCHEMA)
        .unwrap()
        .u64(0)
        .unwrap();
    assert!(t1 > t0, "uptime advances");
    h.dev.firmware().set_faults(|f| f.heartbeat_stopped = true);
    let (err, r) = h.request(msg::HEARTBEAT_REQ, |_| {});
    assert!(!err && r.is_empty());
    h.dev.firmware().set_faults(|f| {
        f.heartbeat_stopped = false;
        f.drop_responses = 1;
    });
    assert!(h.request(msg::HOST_CAP_REQ, |_| {}).1.is_empty());
    assert_eq!(h.request(msg::HOST_CAP_REQ, |_| {}).1.len(), 1);
    h.dev.firmware().set_faults(|f| f.fw_err_requests = 1);
    assert_eq!(h.request(msg::HOST_CAP_REQ, |_| {}), (true, vec![]));
    h.dev.firmware().set_faults(|f| f.corrupt_messages = 1);
    let (_, r) = h.request(msg::HOST_CAP_REQ, |_| {});
    let m = parse(&r[0]);
    assert!(
        m.attrs(cap_resp::SCHEMA).is_err(),
        "corrupted message must not parse"
    );
    let (_, r) = h.request(msg::HOST_CAP_REQ, |_| {});
    assert!(parse(&r[0]).attrs(cap_resp::SCHEMA).is_ok());
}

#[test]
fn test_message_is_echoed() {
    let mut h = Host::new();
    let (err, r) = h.request(msg::TEST, |b| {
        b.put_u64(test::U64, 0x0123_4567_89ab_cdef).unwrap();
        b.put_s32(test::S32, -5).unwrap();
        b.put_string(test::STRING, b"hello").unwrap();
        b.nested(test::NESTED, |n| n.put_u32(test::U32, 7)).unwrap();
    });
    assert!(!err);
    let a = parse(&r[0]).attrs(test::SCHEMA).unwrap();
    assert_eq!(a.u64(test::U64), Some(0x0123_4567_89ab_cdef));
    assert_eq!(a.str(test::STRING), Some("hello"));
}

#[test]
fn sensors_are_reported_and_injectable() {
    let mut h = Host::new();
    h.dev.firmware().set_sensors(|s| s.millidegrees = 71_500);
    let (_, r) = h.request(msg::TSENE_READ_REQ, |_| {});
    let a = parse(&r[0]).attrs(tlv::tsene::RESP_SCHEMA).unwrap();
    assert_eq!(a.s32(tlv::tsene::THERM), Some(71_500));
    assert_eq!(a.s32(tlv::tsene::VOLT), Some(750));
    h.dev.firmware().set_sensors(|s| s.error = Some(5));
    let (_, r) = h.request(msg::TSENE_READ_REQ, |_| {});
    let a = parse(&r[0]).attrs(tlv::tsene::RESP_SCHEMA).unwrap();
    assert_eq!(a.s32(tlv::tsene::ERROR), Some(-5));
    assert_eq!(a.s32(tlv::tsene::THERM), None);
}

fn qsfp_read(
    h: &mut Host,
    bank: u32,
    page: u32,
    offset: u32,
    len: u32,
) -> (Option<Vec<u8>>, Option<i32>) {
    let (err, r) = h.request(msg::QSFP_READ_REQ, |b| {
        b.put_u32(qsfp::BANK, bank).unwrap();
        b.put_u32(qsfp::PAGE, page).unwrap();
        b.put_u32(qsfp::OFFSET, offset).unwrap();
        b.put_u32(qsfp::LENGTH, len).unwrap();
    });
    assert!(!err);
    let m = parse(&r[0]);
    let a = m.attrs(qsfp::RESP_SCHEMA).unwrap();
    // The driver insists on the echo.
    assert_eq!(
        (
            a.u32(qsfp::BANK),
            a.u32(qsfp::PAGE),
            a.u32(qsfp::OFFSET),
            a.u32(qsfp::LENGTH)
        ),
        (Some(bank), Some(page), Some(offset), Some(len))
    );
    (
        a.get(qsfp::DATA).map(|d| d.bytes().to_vec()),
        a.s32(qsfp::ERROR),
    )
}

#[test]
fn qsfp_reads_and_bounds() {
    let mut h = Host::new();
    let (data, err) = qsfp_read(&mut h, 0, 0, 0, 128);
    assert_eq!(
        (data.as_ref().map(|d| (d.len(), d[0])), err),
        (Some((128, 0x11)), None)
    );
    let (data, _) = qsfp_read(&mut h, 0, 3, 128, 128);
    assert_eq!(data.map(|d| d.len()), Some(128));
    for (bank, page, offset, len) in [
        (1, 0, 0, 1),
        (0, 9, 128, 1),
        (0, 0, 200, 100),
        (0, 2, 0, 16),
    ] {
        let (data, err) = qsfp_read(&mut h, bank, page, offset, len);
        assert_eq!(
            (data, err),
            (None, Some(-22)),
            "{bank}/{page}/{offset}/{len}"
        );
    }
}

#[test]
fn coredump_info_and_read() {
    let mut h = Host::new();
    let (_, r) = h.request(msg::COREDUMP_GET_INFO_REQ, |b| b.put_flag(0).unwrap());
    let a = parse(&r[0]).attrs(tlv::coredump_info::RESP_SCHEMA).unwrap();
    assert!(a.flag(tlv::coredump_info::AVAILABLE));
    let size = a.u32(tlv::coredump_info::SIZE).unwrap();
    let stride = u32::from(tlv::RAW_DATA_MAX);
    let mut dump = Vec::new();
    let mut off = 0;
    while off < size {
        let len = stride.min(size - off);
        let (_, r) = h.request(msg::COREDUMP_READ_REQ, |b| {
            if off != 0 {
                b.put_u32(tlv::coredump_read::OFFSET, off).unwrap();
            }
            b.put_u32(tlv::coredump_read::LENGTH, len).unwrap();
        });
        let a = parse(&r[0]).attrs(tlv::coredump_read::RESP_SCHEMA).unwrap();
        assert_eq!(a.u32(tlv::coredump_read::LENGTH), Some(len));
        dump.extend_from_slice(a.get(tlv::coredump_read::DATA).unwrap().bytes());
        off += len;
    }
    assert_eq!(dump, coredump_bytes(0, size));
    assert!(dump.starts_with(b"fbnic-emu firmware coredump"));
    // Past the end: an error, not data.
    let (_, r) = h.request(msg::COREDUMP_READ_REQ, |b| {
        b.put_u32(tlv::coredump_read::OFFSET, size).unwrap();
        b.put_u32(tlv::coredump_read::LENGTH, 1).unwrap();
    });
    let a = parse(&r[0]).attrs(tlv::coredump_read::RESP_SCHEMA).unwrap();
    assert_eq!(a.s32(tlv::coredump_read::ERROR), Some(-22));
}

/// The devlink flash protocol of fbnic_flash_component().
#[test]
fn firmware_upgrade_chunk_protocol() {
    let mut h = Host::new();
    let image: Vec<u8> = (0..7000u32).map(|i| (i * 7) as u8).collect();
    let (_, r) = h.request(msg::FW_START_UPGRADE_REQ, |b| {
        b.put_u32(
            start_upgrade::SECTION,
            start_upgrade::QSPI_SECTION_CONTROL_FW,
        )
        .unwrap();
        b.put_u32(start_upgrade::IMAGE_LENGTH, image.len() as u32)
            .unwrap();
    });
    assert_eq!(r.len(), 2, "ack and first chunk request");
    let ack = parse(&r[0]);
    assert_eq!(ack.id(), msg::FW_START_UPGRADE_RESP);
    assert_eq!(
        ack.attrs(start_upgrade::RESP_SCHEMA).unwrap().s32(0),
        Some(0)
    );
    let mut req = r[1].clone();
    let mut chunks = 0;
    loop {
        let m = parse(&req);
        if m.id() == msg::FW_FINISH_UPGRADE_REQ {
            let a = m.attrs(tlv::finish_upgrade::REQ_SCHEMA).unwrap();
            assert_eq!(a.s32(tlv::finish_upgrade::ERROR), Some(0));
            break;
        }
        assert_eq!(m.id(), msg::FW_WRITE_CHUNK_REQ);
        let a = m.attrs(write_chunk::REQ_SCHEMA).unwrap();
        let (off, len) = (
            a.u32(write_chunk::OFFSET).unwrap(),
            a.u32(write_chunk::LENGTH).unwrap(),
        );
        assert!(len <= UPGRADE_CHUNK && len > 0);
        let data = &image[off as usize..(off + len) as usize];
        let (err, r) = h.request(msg::FW_WRITE_CHUNK_RESP, |b| {
            b.put_u32(write_chunk::OFFSET, off).unwrap();
            b.put_u32(write_chunk::LENGTH, len).unwrap();
            b.put_bytes(write_chunk::DATA, data).unwrap();
        });
        assert!(!err);
        chunks += 1;
        req = r[0].clone();
    }
    assert_eq!(chunks, 3);
    let st = super::lock(&h.dev.firmware().state);
    assert_eq!(st.flashed.len(), 1);
    assert_eq!(st.flashed[0].size, 7000);
    assert_eq!(
        st.flashed[0].fnv1a,
        super::messages::fnv1a_for_tests(&image)
    );
}

#[test]
fn firmware_upgrade_errors() {
    let mut h = Host::new();
    // Unknown section, empty image and one bigger than the flash (which
    // the emulator once tried to allocate whole) are refused in the ack.
    for (section, len) in [(9, 100), (1, 0), (1, MAX_IMAGE + 1), (1, u32::MAX)] {
        let (_, r) = h.request(msg::FW_START_UPGRADE_REQ, |b| {
            b.put_u32(start_upgrade::SECTION, section).unwrap();
            b.put_u32(start_upgrade::IMAGE_LENGTH, len).unwrap();
        });
        assert_eq!(r.len(), 1);
        let a = parse(&r[0]).attrs(start_upgrade::RESP_SCHEMA).unwrap();
        assert_eq!(a.s32(start_upgrade::ERROR), Some(-22));
    }
    // A chunk with no upgrade running is a protocol error.
    let (err, _) = h.request(msg::FW_WRITE_CHUNK_RESP, |b| {
        b.put_u32(write_chunk::OFFSET, 0).unwrap();
    });
    assert!(err);
    // A chunk answering the wrong offset ends the upgrade with an error.
    h.request(msg::FW_START_UPGRADE_REQ, |b| {
        b.put_u32(start_upgrade::SECTION, 1).unwrap();
        b.put_u32(start_upgrade::IMAGE_LENGTH, 10).unwrap();
    });
    let (_, r) = h.request(msg::FW_WRITE_CHUNK_RESP, |b| {
        b.put_u32(write_chunk::OFFSET, 4).unwrap();
        b.put_u32(write_chunk::LENGTH, 6).unwrap();
        b.put_bytes(write_chunk::DATA, &[0; 6]).unwrap();
    });
    let m = parse(&r[0]);
    assert_eq!(m.id(), msg::FW_FINISH_UPGRADE_REQ);
    assert_eq!(
        m.attrs(tlv::finish_upgrade::REQ_SCHEMA).unwrap().s32(0),
        Some(-22)
    );
    // The host cancelling (ERROR in its answer) ends it quietly.
    h.request(msg::FW_START_UPGRADE_REQ, |b| {
        b.put_u32(start_upgrade::SECTION, 1).unwrap();
        b.put_u32(start_upgrade::IMAGE_LENGTH, 10).unwrap();
    });
    let (err, r) = h.request(msg::FW_WRITE_CHUNK_RESP, |b| {
        b.put_s32(write_chunk::ERROR, -5).unwrap()
    });
    assert!(!err && r.is_empty());
    assert!(super::lock(&h.dev.firmware().state).upgrade.is_none());
}

#[test]
fn buffer_ring_reset_drops_queued_messages() {
    let mut h = Host::new();
    h.dev.csr_write(pul::OB_TLP_HDR_AW_CFG::INDEX, 0);
    h.send(msg::HOST_CAP_REQ, |_| {});
    assert_eq!(h.poll_tx(), vec![false]);
    h.reset_ring(mbx::RX_IDX);
    h.rx_head = 0;
    h.rx_tail = 0;
    h.dev.csr_write(
        pul::OB_TLP_HDR_AW_CFG::INDEX,
        pul::OB_TLP_HDR_AW_CFG::BME.mask(),
    );
    for _ in 0..mbx::DESC_LEN - 1 {
        h.post_rx_buffer();
    }
    h.dev.firmware().poll(&h.dev);
    assert!(h.poll_rx().is_empty());
    assert_eq!(h.dev.firmware().stats().messages_dropped, 1);
}

#[test]
fn logs_enable_sends_a_log_line() {
    let mut h = Host::new();
    let (err, r) = h.request(msg::LOG_SEND_LOGS_REQ, |b| {
        b.put_flag(tlv::send_logs::SEND_LOGS).unwrap();
        b.put_u32(tlv::send_logs::VERSION, tlv::send_logs::LOG_VERSION)
            .unwrap();
        b.put_flag(tlv::send_logs::HISTORY).unwrap();
    });
    assert!(!err);
    // The history first (the two boot lines), then the line about
    // enabling.
    assert_eq!(r.len(), 2);
    let a = parse(&r[0]).attrs(tlv::log_msg::REQ_SCHEMA).unwrap();
    assert_eq!(a.str(tlv::log_msg::MSG), Some("fbnic-emu firmware booted"));
    assert_eq!(a.u64(tlv::log_msg::INDEX), Some(1));
    assert_eq!(a.u32(tlv::log_msg::LENGTH), Some(1));
    let a = parse(&r[1]).attrs(tlv::log_msg::REQ_SCHEMA).unwrap();
    assert!(a.str(tlv::log_msg::MSG).unwrap().contains("100G"));
    assert_eq!(a.u64(tlv::log_msg::INDEX), Some(3));
    // Disable: accepted, nothing sent.
    assert_eq!(h.request(msg::LOG_SEND_LOGS_REQ, |_| {}), (false, vec![]));
}

#[test]
fn log_history_goes_in_arrays_of_up_to_14_lines() {
    use super::fwlog::FwLog;
    use tlv::log_msg;
    let mut log = FwLog::default();
    for i in 0..20 {
        assert_eq!(log.note(1000 + i, format!("line {i}")).unwrap(), None);
    }
    let msgs = log.enable(true).unwrap();
    assert_eq!(msgs.len(), 2);
    let m = parse(&msgs[0]);
    let a = m.attrs(log_msg::REQ_SCHEMA).unwrap();
    assert_eq!(a.str(log_msg::MSG), Some("line 0"));
    assert_eq!(a.u32(log_msg::LENGTH), Some(13));
    let texts = a
        .array(log_msg::MSG_ARRAY, log_msg::MSG, log_msg::REQ_SCHEMA)
        .unwrap()
        .unwrap();
    let texts: Vec<_> = texts.iter().map(|t| t.str().unwrap().to_string()).collect();
    assert_eq!(texts.first().map(String::as_str), Some("line 1"));
    assert_eq!(texts.last().map(String::as_str), Some("line 13"));
    let msecs = a
        .array(log_msg::MSEC_ARRAY, log_msg::MSEC, log_msg::REQ_SCHEMA)
        .unwrap()
        .unwrap();
    assert_eq!(msecs.iter().last().and_then(|m| m.u32()), Some(1013));
    let a2 = parse(&msgs[1]);
    let a2 = a2.attrs(log_msg::REQ_SCHEMA).unwrap();
    assert_eq!(a2.str(log_msg::MSG), Some("line 14"));
    assert_eq!(a2.u32(log_msg::LENGTH), Some(5));
    // From now on each line goes out as it is noted.
    let live = log.note(2000, "live".into()).unwrap().unwrap();
    let live = parse(&live);
    let live = live.attrs(log_msg::REQ_SCHEMA).unwrap();
    assert_eq!(live.u64(log_msg::INDEX), Some(21));
    assert_eq!(live.get(log_msg::LENGTH).map(|l| l.u32()), None);
}

mod hostile;
