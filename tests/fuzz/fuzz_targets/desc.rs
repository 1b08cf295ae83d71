// SPDX-License-Identifier: GPL-2.0

//! The descriptor decoders (`hw/desc`): every 8 bytes of the input is one
//! raw descriptor, decoded as each format. Decoding is total; a decoded
//! value always encodes again (its fields fit their widths), and
//! decode -> encode -> decode is the identity, with encode giving back the
//! raw bits the format defines.

#![no_main]

use fbnic_hw::desc::{
    bd, mbx_desc, rcd, tcd, twd, MbxDesc, RxBufDesc, RxCompletion, TxAddrLen, TxCompletion, TxMeta,
    DMA_ADDR_BITS,
};
use libfuzzer_sys::fuzz_target;

fn rx(raw: u64) {
    let done = RxCompletion::done(raw);
    let c = RxCompletion::decode(raw);
    let enc = c
        .encode(done)
        .unwrap_or_else(|e| panic!("{c:?} from {raw:#x} does not encode: {e}"));
    assert_eq!(RxCompletion::decode(enc), c, "RCD round trip of {raw:#x}");
    assert_eq!(RxCompletion::done(enc), done);
    assert_eq!(enc & !raw, 0, "encode set bits that were clear in {raw:#x}");
    assert_eq!(rcd::TYPE_MASK.get(enc), rcd::TYPE_MASK.get(raw));
    match c {
        RxCompletion::HdrAl(al) | RxCompletion::PayAl(al) => {
            assert!(al.len <= 8191 && al.off <= 4095, "{al:?}");
            for count in [0u16, 1, 2, 4, 16] {
                let (page, frag) = al.page_and_frag(count);
                let c = count.max(1);
                assert!(frag < c);
                assert_eq!(
                    u32::from(page) * u32::from(c) + u32::from(frag),
                    u32::from(al.buff_id)
                );
            }
            if matches!(c, RxCompletion::PayAl(_)) {
                assert!(!al.overflow && al.dma_hint == 0);
            }
        }
        RxCompletion::OptMeta(m) => {
            assert!(m.ts.is_none_or(|t| t < 1 << 40));
            assert!(m.action.is_none_or(|a| a <= 63));
        }
        RxCompletion::Meta(m) => {
            assert_eq!(
                m.uncorrectable(),
                raw & rcd::META_UNCORRECTABLE_ERR_MASK != 0
            );
        }
    }
}

fn tx(raw: u64) {
    let done = TxCompletion::done(raw);
    match TxCompletion::decode(raw) {
        Ok(c) => {
            let enc = c
                .encode(done)
                .unwrap_or_else(|e| panic!("{c:?} does not encode: {e}"));
            assert_eq!(
                TxCompletion::decode(enc),
                Ok(c),
                "TCD round trip of {raw:#x}"
            );
            assert_eq!(enc & !raw, 0, "encode set bits that were clear in {raw:#x}");
            if let TxCompletion::Timestamp { ts, status } = c {
                assert!(ts < 1 << 40 && status < 1 << 12);
                let _ = TxCompletion::ts_failed(status);
            }
        }
        Err(_) => assert!(
            tcd::TYPE_MASK.get(raw) >= 2,
            "TCD type {} rejected",
            tcd::TYPE_MASK.get(raw)
        ),
    }
    match TxMeta::decode(raw) {
        Ok(m) => {
            let enc = m
                .encode()
                .unwrap_or_else(|e| panic!("{m:?} does not encode: {e}"));
            assert_eq!(
                TxMeta::decode(enc),
                Ok(m),
                "TWD META round trip of {raw:#x}"
            );
            assert_eq!(enc & !raw, 0);
            assert!(m.l2_hlen <= 126 && m.l2_hlen % 2 == 0);
            assert!(m.l3_ohlen <= 510 && m.l3_ihlen <= 510);
            assert!(m.csum_offset <= 30 && m.l4_hlen <= 60 && m.l4_hlen % 4 == 0);
            assert!(m.mss <= 16383);
            assert_eq!(
                m.csum_start(),
                u32::from(m.l2_hlen) + u32::from(m.l3_ohlen) + u32::from(m.l3_ihlen)
            );
        }
        Err(_) => assert_ne!(twd::TYPE_MASK.get(raw), twd::TYPE_META),
    }
    match TxAddrLen::decode(raw) {
        Ok(al) => {
            let enc = al
                .encode()
                .unwrap_or_else(|e| panic!("{al:?} does not encode: {e}"));
            assert_eq!(TxAddrLen::decode(enc), Ok(al));
            assert_eq!(enc & !raw, 0);
            assert!(al.addr < 1 << DMA_ADDR_BITS);
        }
        Err(_) => assert!(
            matches!(twd::TYPE_MASK.get(raw), t if t != twd::TYPE_AL && t != twd::TYPE_LAST_AL)
        ),
    }
}

fn bufs(raw: u64) {
    let b = RxBufDesc::decode(raw);
    let enc = b
        .encode()
        .unwrap_or_else(|e| panic!("{b:?} does not encode: {e}"));
    assert_eq!(RxBufDesc::decode(enc), b);
    assert_eq!(
        enc,
        raw & (bd::DESC_ADDR_MASK.mask() | bd::DESC_ID_MASK.mask())
    );
    let m = MbxDesc::decode(raw);
    let enc = m
        .encode()
        .unwrap_or_else(|e| panic!("{m:?} does not encode: {e}"));
    assert_eq!(MbxDesc::decode(enc), m);
    assert_eq!(enc & !raw, 0);
    assert!(m.addr % 8 == 0 && m.addr < 1 << 46);
    let (lo, hi) = MbxDesc::split(raw);
    assert_eq!(MbxDesc::join(lo, hi), raw);
    assert_eq!(m.len as u64, mbx_desc::LEN_MASK.get(raw));
}

fuzz_target!(|data: &[u8]| {
    for chunk in data.chunks(8) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        let raw = u64::from_le_bytes(b);
        rx(raw);
        tx(raw);
        bufs(raw);
    }
});
