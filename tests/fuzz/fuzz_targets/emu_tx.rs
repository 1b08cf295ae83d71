// SPDX-License-Identifier: GPL-2.0

//! The emulator's TX offloads and RX parser (`tools/fbnic-emu/src/lso.rs`,
//! `parse.rs`): what a driver hands the device is untrusted there. The
//! input is a TWD META descriptor (8 bytes), a `TCE_LSO_CTRL` value (4
//! bytes) and a frame. The META decoder feeds checksum insertion and
//! segmentation, which must fail with an error value, never index out of
//! the frame, and, when they succeed, keep the payload: the segments carry
//! the headers once each and the payload in order. The parser must keep
//! every offset it reports inside the frame.

#![no_main]

use fbnic_emu::lso::{checksum_partial, segment, LsoCtrl};
use fbnic_emu::parse::parse;
use fbnic_fuzz::{le32, le64};
use fbnic_hw::desc::TxMeta;
use libfuzzer_sys::fuzz_target;

fn check_parse(frame: &[u8]) {
    let p = parse(frame);
    assert!(p.l2_len <= frame.len(), "{p:?}");
    if let Some(off) = p.l4_off {
        assert!(off <= frame.len(), "L4 offset past the frame: {p:?}");
    }
    if let (Some(off), Some((len, _, _))) = (p.l4_off, p.l4) {
        assert!(off + len <= frame.len(), "L4 header past the frame: {p:?}");
    }
    assert!(
        p.headers_end() <= frame.len(),
        "headers end past the frame: {p:?}"
    );
    let _ = (p.l3_type(), p.l4_type());
}

fuzz_target!(|data: &[u8]| {
    let frame = data.get(12..).unwrap_or(&[]);
    check_parse(frame);
    let Ok(meta) = TxMeta::decode(le64(data, 0)) else {
        return;
    };
    let mut pkt = frame.to_vec();
    match checksum_partial(&meta, &mut pkt) {
        Ok(()) => {
            let field = meta.csum_start() as usize + usize::from(meta.csum_offset);
            assert!(field + 2 <= pkt.len());
            // Only the checksum field changed.
            assert_eq!(pkt[..field], frame[..field]);
            assert_eq!(pkt[field + 2..], frame[field + 2..]);
        }
        Err(e) => {
            let _ = e.to_string();
            assert_eq!(pkt, frame, "a failed checksum insertion changed the frame");
        }
    }
    let ctrl = LsoCtrl::from_reg(le32(data, 8));
    let hdr_len = meta.csum_start() as usize + usize::from(meta.l4_hlen);
    let mut scratch = Vec::new();
    let mut payload = Vec::new();
    let mut emitted = 0usize;
    let result = segment(&meta, ctrl, frame, &mut scratch, |seg| {
        emitted += 1;
        assert!(seg.len() >= hdr_len, "a segment shorter than the headers");
        assert!(
            seg.len() - hdr_len <= usize::from(meta.mss),
            "a segment over the MSS"
        );
        payload.extend_from_slice(&seg[hdr_len..]);
    });
    match result {
        Ok(n) => {
            assert_eq!(n, emitted, "segment count");
            assert!(n >= 1);
            assert_eq!(payload, frame[hdr_len..], "the payload changed");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
