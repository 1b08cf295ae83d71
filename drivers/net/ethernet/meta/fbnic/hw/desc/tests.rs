// SPDX-License-Identifier: GPL-2.0

//! Unit tests of the descriptor formats: round trips, layouts, rejected
//! values and total decoding of arbitrary patterns.

use super::*;

/// A deterministic stream of 64-bit patterns (xorshift) for total-decode
/// tests.
fn patterns() -> impl Iterator<Item = u64> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let fixed = [
        0,
        u64::MAX,
        1 << 63,
        0x5555_5555_5555_5555,
        0xaaaa_aaaa_aaaa_aaaa,
    ];
    fixed
        .into_iter()
        .chain(core::iter::from_fn(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            Some(x)
        }))
        .take(4096)
}

#[test]
fn tx_meta_round_trip() {
    // A TSO'd TCP/IPv4 frame as fbnic_tx_offloads() describes it.
    let meta = TxMeta {
        l2_hlen: 14,
        l3_type: L3Type::Ipv4,
        l3_ihlen: 20,
        csum_offset: 16,
        l4_hlen: 32,
        l4_type: L4Type::Tcp,
        req_lso: true,
        req_completion: true,
        dest_mac: true,
        mss: 1448,
        ..TxMeta::default()
    };
    let raw = meta.encode().unwrap();
    assert_eq!(twd::L2_HLEN_MASK.get(raw), 7);
    assert_eq!(twd::L3_IHLEN_MASK.get(raw), 10);
    assert_eq!(twd::CSUM_OFFSET_MASK.get(raw), 8);
    assert_eq!(twd::L4_HLEN_MASK.get(raw), 8);
    assert_eq!(twd::MSS_MASK.get(raw), 1448);
    assert_eq!(TwdType::of(raw), TwdType::Meta);
    assert_eq!(TxMeta::decode(raw), Ok(meta));
    assert_eq!(meta.csum_start(), 34);
}

#[test]
fn tx_meta_rejects_what_the_driver_would_not_offload() {
    let odd = TxMeta {
        l2_hlen: 15,
        ..TxMeta::default()
    };
    assert_eq!(
        odd.encode(),
        Err(DescError::Misaligned {
            field: "L2_HLEN",
            value: 15,
            align: 2
        })
    );
    let long = TxMeta {
        l2_hlen: 128,
        ..TxMeta::default()
    };
    assert_eq!(
        long.encode(),
        Err(DescError::Overflow {
            field: "L2_HLEN",
            value: 64
        })
    );
    let l4 = TxMeta {
        l4_hlen: 62,
        ..TxMeta::default()
    };
    assert!(matches!(
        l4.encode(),
        Err(DescError::Misaligned {
            field: "L4_HLEN",
            ..
        })
    ));
    let mss = TxMeta {
        mss: 0x4000,
        ..TxMeta::default()
    };
    assert!(matches!(
        mss.encode(),
        Err(DescError::Overflow { field: "MSS", .. })
    ));
    assert_eq!(
        TxMeta::decode(
            TxAddrLen {
                addr: 0,
                len: 1,
                last: true
            }
            .encode()
            .unwrap()
        ),
        Err(DescError::WrongType { found: 3 })
    );
}

#[test]
fn errors_display_their_context() {
    use std::string::ToString;
    let e = TxMeta {
        l2_hlen: 15,
        ..TxMeta::default()
    }
    .encode()
    .unwrap_err();
    assert_eq!(e.to_string(), "L2_HLEN value 0xf is not a multiple of 2");
}

#[test]
fn tx_addr_len_round_trip() {
    let al = TxAddrLen {
        addr: 0x3fff_ffff_fffe,
        len: 0xffff,
        last: false,
    };
    let raw = al.encode().unwrap();
    assert_eq!(TwdType::of(raw), TwdType::Al);
    assert!(TwdType::of(raw).is_al());
    assert_eq!(TxAddrLen::decode(raw), Ok(al));
    let last = TxAddrLen { last: true, ..al };
    assert_eq!(TwdType::of(last.encode().unwrap()), TwdType::LastAl);
    assert!(matches!(
        TxAddrLen {
            addr: 1 << 46,
            len: 1,
            last: true
        }
        .encode(),
        Err(DescError::Overflow { field: "ADDR", .. })
    ));
    assert_eq!(TxAddrLen::decode(0), Err(DescError::WrongType { found: 0 }));
}

#[test]
fn twq1_default_meta_and_buffers() {
    // The C driver's value: ETH_HLEN in 2-byte units and REQ_COMPLETION.
    let raw = TWQ1_DEFAULT_META.encode().unwrap();
    assert_eq!(raw, 7 | twd::FLAG_REQ_COMPLETION);
    assert_eq!(TxMeta::decode(raw), Ok(TWQ1_DEFAULT_META));
    // A frame in three buffers: AL, AL, LAST_AL.
    let bufs = [
        (0x1000_0040u64, 1400u32),
        (0x2000_0000, 4096),
        (0x3000_0000, 10),
    ];
    let mut descs = [0u64; 3];
    for (i, &(addr, len)) in bufs.iter().enumerate() {
        descs[i] = twq1_buffer(addr, len, i + 1 == bufs.len()).unwrap();
    }
    assert_eq!(
        descs.map(TwdType::of),
        [TwdType::Al, TwdType::Al, TwdType::LastAl]
    );
    for (&d, &(addr, len)) in descs.iter().zip(bufs.iter()) {
        let al = TxAddrLen::decode(d).unwrap();
        assert_eq!((al.addr, u32::from(al.len)), (addr, len));
    }
    // Empty and oversized buffers, and addresses beyond 46 bits, are
    // refused.
    for (addr, len) in [(0x1000, 0), (0x1000, 65536), (1u64 << 46, 64)] {
        assert!(matches!(
            twq1_buffer(addr, len, true),
            Err(DescError::Overflow { .. })
        ));
    }
}

#[test]
fn tcd_round_trip_and_layout() {
    for (c, done) in [
        (TxCompletion::Head0 { head: 0xabcd }, true),
        (TxCompletion::Head1 { head: 0x1234 }, false),
        (
            TxCompletion::Timestamp {
                ts: 0xff_ffff_ffff,
                status: 0x3,
            },
            true,
        ),
    ] {
        let raw = c.encode(done).unwrap();
        assert_eq!(TxCompletion::decode(raw), Ok(c));
        assert_eq!(TxCompletion::done(raw), done);
    }
    let raw = TxCompletion::Head1 { head: 5 }.encode(true).unwrap();
    assert_eq!(raw, 1 << 63 | 1 << 60 | 5 << 16);
    assert!(TxCompletion::Timestamp {
        ts: 1 << 40,
        status: 0
    }
    .encode(false)
    .is_err());
    assert!(TxCompletion::Timestamp {
        ts: 0,
        status: 0x1000
    }
    .encode(false)
    .is_err());
    assert_eq!(
        TxCompletion::decode(2 << 61),
        Err(DescError::WrongType { found: 2 })
    );
}

#[test]
fn tcd_timestamp_status() {
    assert!(!TxCompletion::ts_failed(0));
    let status = |raw: u64| match TxCompletion::decode(raw) {
        Ok(TxCompletion::Timestamp { status, .. }) => status,
        other => panic!("{other:?}"),
    };
    let ts = 1 << 61;
    assert!(TxCompletion::ts_failed(status(ts | tcd::STATUS_TS_INVALID)));
    assert!(TxCompletion::ts_failed(status(
        ts | tcd::STATUS_ILLEGAL_TS_REQ
    )));
    // Other status bits are not about the time stamp.
    assert!(!TxCompletion::ts_failed(status(ts | 1 << 50)));
}

#[test]
fn done_phase_flips_every_lap() {
    assert!(done_for_position(0, 1024));
    assert!(done_for_position(1023, 1024));
    assert!(!done_for_position(1024, 1024));
    assert!(!done_for_position(2047, 1024));
    assert!(done_for_position(2048, 1024));
}

#[test]
fn rx_buffer_descriptor() {
    let bd = RxBufDesc {
        addr: 0x1234_5678_9000,
        id: 0xbeef,
    };
    let raw = bd.encode().unwrap();
    assert_eq!(raw, 0xbeef << 48 | 0x1234_5678_9000);
    assert_eq!(RxBufDesc::decode(raw), bd);
    assert!(matches!(
        RxBufDesc {
            addr: 0x1001,
            id: 0
        }
        .encode(),
        Err(DescError::Misaligned { align: 4096, .. })
    ));
    assert!(RxBufDesc {
        addr: 1 << 46,
        id: 0
    }
    .encode()
    .is_err());
    // 64 KiB pages: 16 fragments per page, IDs step with addresses.
    assert_eq!(bd::frag_count(65536), 16);
    assert_eq!(bd::frag_count(4096), 1);
    assert_eq!(bd::frag_count(0), 1);
    let f = RxBufDesc::fragment(0x10_0000, 3, 5, 16);
    assert_eq!(
        f,
        RxBufDesc {
            addr: 0x10_5000,
            id: 53
        }
    );
    let al = RxAddrLen {
        buff_id: f.id,
        ..RxAddrLen::default()
    };
    assert_eq!(al.page_and_frag(16), (3, 5));
    assert_eq!(al.page_and_frag(0), (53, 0));
}

#[test]
fn rcd_round_trip() {
    let cases = [
        RxCompletion::HdrAl(RxAddrLen {
            buff_id: 7,
            len: 1514,
            off: 256,
            page_fin: true,
            overflow: true,
            dma_hint: 4,
        }),
        RxCompletion::PayAl(RxAddrLen {
            buff_id: 0xffff,
            len: 8191,
            off: 4095,
            page_fin: false,
            ..RxAddrLen::default()
        }),
        RxCompletion::OptMeta(RxOptMeta {
            ts: Some(0x12_3456_789a),
            action: Some(63),
            opt_type: 2,
        }),
        RxCompletion::OptMeta(RxOptMeta::default()),
        RxCompletion::Meta(RxMeta {
            rss_hash: 0xdead_beef,
            l2_csum: 0xffff,
            l3_type: L3Type::V6InV6,
            l4_type: L4Type::Udp,
            l4_csum_unnecessary: true,
            err_mac_eop: false,
            err_truncated: true,
            err_parser: true,
            ecn: true,
        }),
    ];
    for c in cases {
        for done in [false, true] {
            let raw = c.encode(done).unwrap();
            assert_eq!(RxCompletion::decode(raw), c);
            assert_eq!(RxCompletion::done(raw), done);
        }
    }
    let RxCompletion::Meta(m) = RxCompletion::decode(3 << 61 | rcd::META_ERR_TRUNCATED_FRAME)
    else {
        panic!("type 3 is META");
    };
    assert!(m.uncorrectable());
}

#[test]
fn rcd_rejects_oversized_fields() {
    let too_long = RxAddrLen {
        len: 8192,
        ..RxAddrLen::default()
    };
    assert!(RxCompletion::HdrAl(too_long).encode(true).is_err());
    let bad_off = RxAddrLen {
        off: 4096,
        ..RxAddrLen::default()
    };
    assert!(RxCompletion::PayAl(bad_off).encode(true).is_err());
    let hint = RxAddrLen {
        dma_hint: 1,
        ..RxAddrLen::default()
    };
    assert!(RxCompletion::PayAl(hint).encode(true).is_err());
    assert!(RxCompletion::HdrAl(RxAddrLen {
        dma_hint: 64,
        ..RxAddrLen::default()
    })
    .encode(true)
    .is_err());
    let action = RxOptMeta {
        action: Some(64),
        ..RxOptMeta::default()
    };
    assert!(RxCompletion::OptMeta(action).encode(true).is_err());
}

#[test]
fn mailbox_descriptor() {
    // A host-to-FW message of 9 dwords in the page at 0x1_2345_6000.
    let d = MbxDesc {
        len: 36,
        eom: true,
        addr: 0x1_2345_6000,
        host_cmpl: true,
        ..MbxDesc::default()
    };
    let raw = d.encode().unwrap();
    assert_eq!(raw, 36 << 48 | 1 << 46 | 0x1_2345_6000 | 1);
    assert_eq!(MbxDesc::decode(raw), d);
    let (lo, hi) = MbxDesc::split(raw);
    assert_eq!(MbxDesc::join(lo, hi), raw);
    assert_eq!(
        MbxDesc::decode(mbx_desc::SKIP),
        MbxDesc {
            fw_cmpl: true,
            host_cmpl: true,
            ..MbxDesc::default()
        }
    );
    assert!(MbxDesc {
        addr: 4,
        ..MbxDesc::default()
    }
    .encode()
    .is_err());
    assert!(MbxDesc {
        addr: 1 << 46,
        ..MbxDesc::default()
    }
    .encode()
    .is_err());
}

#[test]
fn every_pattern_decodes_and_reencodes_stably() {
    for raw in patterns() {
        // RX completions: decode is total and encode(decode(x)) keeps
        // every defined bit.
        let c = RxCompletion::decode(raw);
        let again = c.encode(RxCompletion::done(raw)).unwrap();
        assert_eq!(RxCompletion::decode(again), c);
        // TX completions and descriptors: total decode, no panics.
        if let Ok(t) = TxCompletion::decode(raw) {
            assert_eq!(
                TxCompletion::decode(t.encode(TxCompletion::done(raw)).unwrap()),
                Ok(t)
            );
        }
        match TwdType::of(raw) {
            TwdType::Meta => {
                let m = TxMeta::decode(raw).unwrap();
                assert_eq!(TxMeta::decode(m.encode().unwrap()), Ok(m));
            }
            TwdType::Al | TwdType::LastAl => {
                let al = TxAddrLen::decode(raw).unwrap();
                assert_eq!(TxAddrLen::decode(al.encode().unwrap()), Ok(al));
            }
            TwdType::OptMeta => assert!(TxMeta::decode(raw).is_err()),
        }
        let bd = RxBufDesc::decode(raw);
        assert_eq!(RxBufDesc::decode(bd.encode().unwrap()), bd);
        let m = MbxDesc::decode(raw);
        assert_eq!(MbxDesc::decode(m.encode().unwrap()), m);
    }
}

#[test]
fn dma_addresses_are_46_bits_in_every_descriptor() {
    // DMA_BIT_MASK(46) in fbnic_probe(); each address field tops out at
    // bit 45.
    assert_eq!(DMA_ADDR_BITS, 46);
    let top = (1u64 << DMA_ADDR_BITS) - 1;
    assert_eq!(twd::ADDR_MASK.mask(), top);
    assert_eq!(bd::DESC_ADDR_MASK.mask(), top & !0xfff);
    assert_eq!(mbx_desc::ADDR_MASK.mask(), top & !0x7);
}

#[test]
fn rx_packets_take_at_most_seven_completions() {
    // FBNIC_MAX_RX_PKT_DESC: a header, at most four payload pieces, an
    // optional OPT_META and the META.
    assert_eq!(rcd::MAX_PKT_DESC, 7);
}

#[test]
fn rx_headers_are_placed_in_128_byte_granules() {
    // The driver's FBNIC_RX_HROOM on 4 KiB pages (192 with 320 bytes of
    // tail room): the first header at 256.
    assert_eq!(bd::ALIGN, 128);
    assert_eq!(bd::hdr_first_off(192), 256);
    assert_eq!(bd::hdr_first_off(128), 128);
    assert_eq!(bd::hdr_first_off(0), 0);
    // fbnic_hdr_pg_end(): ALIGN(off + len + troom + hroom, 128), here
    // 256 + 60 + 320 + 192 = 828 -> 896.
    assert_eq!(bd::hdr_next_off(256, 60, 192, 320), 896);
    assert_eq!(bd::hdr_next_off(0, 128, 0, 0), 128, "exact granule");
    assert_eq!(bd::align(1), 128);
    assert_eq!(bd::align(u32::MAX), 0xffff_ff80, "saturates");
    assert_eq!(bd::hdr_next_off(u32::MAX, 1, 1, 1), 0xffff_ff80);
}

#[test]
fn tx_meta_encode_agrees_with_the_field_by_field_checks() {
    // Each length at and around its field's edges: 0, odd, half a unit,
    // one unit, the largest whole unit that fits, around it, the next one
    // and far beyond.
    let by2 = |m: u16| [0, 1, 2, 3, m - 2, m - 1, m, m + 1, m + 2, u16::MAX];
    let by4 = |m: u16| [0, 1, 2, 4, 6, m - 4, m - 2, m, m + 2, m + 4, u16::MAX];
    let mut checked = 0;
    for l2 in by2(126) {
        for l3o in by2(510) {
            for l3i in by2(510) {
                for csum in by2(30) {
                    for l4 in by4(60) {
                        for mss in [0, 1460, 16383, 16384, u16::MAX] {
                            let m = TxMeta {
                                l2_hlen: l2,
                                l3_ohlen: l3o,
                                l3_ihlen: l3i,
                                csum_offset: csum,
                                l4_hlen: l4,
                                mss,
                                l3_type: L3Type::Ipv6,
                                l4_type: L4Type::Tcp,
                                req_lso: true,
                                req_completion: true,
                                dest_mac: true,
                                ..TxMeta::default()
                            };
                            assert_eq!(m.encode(), m.encode_checked(), "{m:?}");
                            assert_eq!(m.fits(), m.encode_checked().is_ok(), "{m:?}");
                            checked += usize::from(m.encode().is_ok());
                        }
                    }
                }
            }
        }
    }
    // Both outcomes were seen: 4 values of each length fit (0, one unit,
    // the largest and the one below it), and 3 of the 5 MSSs.
    assert_eq!(checked, 4usize.pow(5) * 3);
}
