// SPDX-License-Identifier: GPL-2.0

//! `fbnic-emu bench`: what the queue engines cost per packet.
//!
//! Two ports cabled back to back, each with driver-side rings in an
//! in-process memfd ([`crate::testbed`]). Port A sends, port B receives;
//! only the time spent inside the two ports' [`Datapath::run_once`] is
//! counted, so the figures are the emulator's own cost (descriptor reads,
//! DMA copies, offloads, classification, completions), not the stand-in
//! driver's. One thread runs both engines, as if each port had a core.
//!
//! [`Datapath::run_once`]: crate::queues::Datapath::run_once

use std::io::Write;
use std::time::{Duration, Instant};

use fbnic_hw::desc::{L3Type, L4Type, TxMeta};

use crate::backend;
use crate::identity::DEFAULT_DSN;
use crate::queues::Datapath;
use crate::testbed::{cso_meta, Testbed};

/// What one benchmark run sends.
#[derive(Clone, Copy, Debug)]
pub enum Load {
    /// Plain frames of this many bytes (no FCS).
    Frames(usize),
    /// TCP sends of this many payload bytes, segmented by the device at
    /// MSS 1448.
    Tso(usize),
}

/// One result.
#[derive(Clone, Copy, Debug)]
pub struct Figures {
    /// Packets (TX descriptor chains) sent.
    pub sends: u64,
    /// Frames that reached port B's RX queues.
    pub frames: u64,
    /// Engine time of both ports.
    pub engine: Duration,
}

impl Figures {
    pub fn ns_per_send(&self) -> f64 {
        self.engine.as_nanos() as f64 / self.sends.max(1) as f64
    }

    pub fn ns_per_frame(&self) -> f64 {
        self.engine.as_nanos() as f64 / self.frames.max(1) as f64
    }

    pub fn frames_per_sec(&self) -> f64 {
        self.frames as f64 / self.engine.as_secs_f64().max(1e-9)
    }
}

/// Ethernet + IPv4 + TCP frame of `len` bytes from A to B, flow `flow`
/// (the source port), seeded for CSO or, with `lso`, for LSO.
fn tcp_frame(len: usize, flow: u16, lso: bool) -> Vec<u8> {
    let len = len.max(54);
    let mut f = vec![0u8; len];
    f[..6].copy_from_slice(&[0x02, 0x00, 0x5e, 0x00, 0x10, 0x01]);
    f[6..12].copy_from_slice(&[0x02, 0x00, 0x5e, 0x00, 0x10, 0x00]);
    f[12..14].copy_from_slice(&[0x08, 0x00]);
    let total = ((len - 14).min(65535)) as u16;
    f[14..24].copy_from_slice(&[
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        1,
        0x40,
        0,
        64,
        6,
    ]);
    f[26..30].copy_from_slice(&[10, 0, 0, 1]);
    f[30..34].copy_from_slice(&[10, 0, 0, 2]);
    let ip = crate::csum::finish(crate::csum::add(0, &f[14..34]));
    f[24..26].copy_from_slice(&ip.to_be_bytes());
    f[34..36].copy_from_slice(&flow.to_be_bytes());
    f[36..38].copy_from_slice(&5201u16.to_be_bytes());
    f[46] = 0x50;
    f[47] = 0x10;
    for (i, b) in f[54..].iter_mut().enumerate() {
        *b = i as u8;
    }
    let l4_len = if lso { 0 } else { (len - 34) as u32 };
    let seed = crate::csum::fold(crate::csum::pseudo(&f[26..30], &f[30..34], 6, l4_len));
    f[50..52].copy_from_slice(&seed.to_be_bytes());
    f
}

/// What each queue sends for `load`: its frame (or TSO send), the TX
/// metadata, and how many to post before waiting for them (small enough
/// for the rings and the receiver's buffers).
fn workload(load: Load, queues: u16) -> (Vec<Vec<u8>>, TxMeta, u64) {
    let (bytes, meta) = match load {
        Load::Frames(n) => (n, cso_meta()),
        Load::Tso(n) => (
            n + 54,
            TxMeta {
                l2_hlen: 14,
                l3_type: L3Type::Ipv4,
                l3_ihlen: 20,
                csum_offset: 16,
                l4_hlen: 20,
                l4_type: L4Type::Tcp,
                mss: 1448,
                req_lso: true,
                ..TxMeta::default()
            },
        ),
    };
    let frames = (0..queues)
        .map(|q| tcp_frame(bytes, 40000 + q, matches!(load, Load::Tso(_))))
        .collect();
    let per_batch = match load {
        Load::Frames(n) if n <= 2048 => 32,
        Load::Frames(_) => 8,
        Load::Tso(_) => 2,
    };
    (frames, meta, per_batch)
}

/// Sends `sends` packets of `load` spread over `queues` queues and
/// measures the engines.
pub fn measure(queues: u16, load: Load, sends: u64) -> std::io::Result<Figures> {
    let mut a = Testbed::new(queues, DEFAULT_DSN)?;
    let mut b = Testbed::new(queues, DEFAULT_DSN + 1)?;
    backend::cable(&a.dev, &b.dev);
    let (frames, meta, per_batch) = workload(load, queues);
    let mut fig = Figures {
        sends: 0,
        frames: 0,
        engine: Duration::ZERO,
    };
    while fig.sends < sends {
        for q in 0..queues {
            for _ in 0..per_batch {
                a.send(q, meta, &frames[usize::from(q)], 4096);
            }
        }
        fig.sends += u64::from(queues) * per_batch;
        let t = Instant::now();
        loop {
            a.datapath().run_once(&a.dev);
            b.datapath().run_once(&b.dev);
            if !a.datapath().has_tx_work() && b.datapath().inbox_len() == 0 {
                break;
            }
        }
        fig.engine += t.elapsed();
        for q in 0..queues {
            a.poll_tx(q);
            fig.frames += b.poll_rx(q).len() as u64;
        }
    }
    Ok(fig)
}

/// Sends `sends` packets of `load` spread over `queues` queues between two
/// ports whose engines run on their own worker threads, `threads` per
/// port (`--queue-threads`), as in the emulator proper; `engine` is the
/// wall time from the first send to the last frame received, this thread
/// standing in for both drivers meanwhile.
pub fn measure_threads(
    queues: u16,
    threads: u16,
    load: Load,
    sends: u64,
) -> std::io::Result<Figures> {
    let mut a = Testbed::with_threads(queues, threads, DEFAULT_DSN)?;
    let mut b = Testbed::with_threads(queues, threads, DEFAULT_DSN + 1)?;
    backend::cable(&a.dev, &b.dev);
    // A frame that finds no buffer waits for one (this thread posts them
    // as it polls), as with pause on a real link, rather than being lost.
    for q in 0..queues {
        b.set_drop_never(q, true);
    }
    let mut workers = Datapath::spawn(a.dev.clone(), "bench-a".into())?;
    workers.extend(Datapath::spawn(b.dev.clone(), "bench-b".into())?);
    let (frames, meta, per_batch) = workload(load, queues);
    let per_send = match load {
        Load::Frames(_) => 1,
        Load::Tso(n) => n.div_ceil(1448) as u64,
    };
    let mut fig = Figures {
        sends: 0,
        frames: 0,
        engine: Duration::ZERO,
    };
    let t = Instant::now();
    let give_up = t + Duration::from_secs(60);
    while fig.sends < sends {
        for q in 0..queues {
            for _ in 0..per_batch {
                a.send(q, meta, &frames[usize::from(q)], 4096);
            }
        }
        fig.sends += u64::from(queues) * per_batch;
        while fig.frames < fig.sends * per_send && Instant::now() < give_up {
            for q in 0..queues {
                a.poll_tx(q);
                fig.frames += b.poll_rx(q).len() as u64;
            }
            // The workers need the cores more than this loop.
            std::thread::yield_now();
        }
    }
    fig.engine = t.elapsed();
    for t in [&a, &b] {
        t.datapath().shutdown();
    }
    for w in workers {
        let _ = w.join();
    }
    if fig.frames < fig.sends * per_send {
        return Err(std::io::Error::other(format!(
            "{} of {} frames arrived",
            fig.frames,
            fig.sends * per_send
        )));
    }
    Ok(fig)
}

/// Times of one case taken before the best is kept: a 2-core host shared
/// with VMs slows a run now and then, never speeds one up.
const TRIES: usize = 3;

/// [`measure`] [`TRIES`] times; the run with the least engine time per
/// frame.
fn best_of(queues: u16, load: Load, sends: u64) -> std::io::Result<Figures> {
    best_run(|| measure(queues, load, sends))
}

/// The run of `run` with the least time per frame in [`TRIES`].
fn best_run(run: impl Fn() -> std::io::Result<Figures>) -> std::io::Result<Figures> {
    let mut best: Option<Figures> = None;
    for _ in 0..TRIES {
        let f = run()?;
        if best.is_none_or(|b| f.ns_per_frame() < b.ns_per_frame()) {
            best = Some(f);
        }
    }
    best.ok_or_else(|| std::io::Error::other("no run"))
}

/// Runs the benchmark and prints a table.
pub fn run(quick: bool, out: &mut impl Write) {
    let scale = if quick { 1 } else { 10 };
    let cases: Vec<(&str, u16, Load, u64)> = vec![
        ("64 B frames", 1, Load::Frames(60), 20_000 * scale),
        ("1500 B frames", 1, Load::Frames(1500), 10_000 * scale),
        ("9000 B frames", 1, Load::Frames(9000), 2_000 * scale),
        ("64 KB TSO sends", 1, Load::Tso(65536 - 54), 500 * scale),
        ("64 B frames", 2, Load::Frames(60), 20_000 * scale),
        ("64 B frames", 4, Load::Frames(60), 20_000 * scale),
        ("64 B frames", 8, Load::Frames(60), 20_000 * scale),
        ("1500 B frames", 8, Load::Frames(1500), 10_000 * scale),
    ];
    let _ = writeln!(
        out,
        "fbnic-emu engine cost (TX port + RX port, one thread, CSO/RSS on; best of {TRIES})\n\
         {:<18} {:>6} {:>10} {:>10} {:>12} {:>14}",
        "load", "queues", "sends", "frames", "ns/frame", "frames/s"
    );
    for (name, queues, load, sends) in cases {
        match best_of(queues, load, sends) {
            Ok(f) => {
                let _ = writeln!(
                    out,
                    "{name:<18} {queues:>6} {:>10} {:>10} {:>12.0} {:>14.0}{}",
                    f.sends,
                    f.frames,
                    f.ns_per_frame(),
                    f.frames_per_sec(),
                    match load {
                        Load::Tso(_) =>
                            format!("  ({:.1} us per 64 KB send)", f.ns_per_send() / 1000.0),
                        Load::Frames(_) => String::new(),
                    }
                );
            }
            Err(e) => {
                let _ = writeln!(out, "{name:<18} {queues:>6} failed: {e}");
            }
        }
    }
    threads(quick, out);
}

/// The engines on their worker threads, one and two per port: frames per
/// second of wall time, and the speed-up of two threads.
fn threads(quick: bool, out: &mut impl Write) {
    let scale = if quick { 1 } else { 10 };
    let cases: [(&str, Load, u64); 3] = [
        ("64 B frames", Load::Frames(60), 20_000 * scale),
        ("1500 B frames", Load::Frames(1500), 10_000 * scale),
        ("64 KB TSO sends", Load::Tso(65536 - 54), 200 * scale),
    ];
    let queues = 4;
    let _ = writeln!(
        out,
        "\nworker threads per port (wall clock; this thread drives both ports' rings; best of {TRIES})\n\
         {:<18} {:>6} {:>7} {:>14} {:>9}",
        "load", "queues", "threads", "frames/s", "speed-up"
    );
    for (name, load, sends) in cases {
        let mut one = None;
        for threads in [1, 2] {
            match best_run(|| measure_threads(queues, threads, load, sends)) {
                Ok(f) => {
                    let fps = f.frames_per_sec();
                    let up = one.map_or(String::new(), |o: f64| format!("{:.2}x", fps / o));
                    one.get_or_insert(fps);
                    let _ = writeln!(
                        out,
                        "{name:<18} {queues:>6} {threads:>3} threads {fps:>14.0} {up:>9}"
                    );
                }
                Err(e) => {
                    let _ = writeln!(
                        out,
                        "{name:<18} {queues:>6} {threads:>3} threads failed: {e}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_send_arrives() {
        let f = measure(2, Load::Frames(60), 256).unwrap();
        assert_eq!(f.frames, f.sends);
        let f = measure(1, Load::Tso(10_000), 4).unwrap();
        assert_eq!(f.frames, 4 * 10_000u64.div_ceil(1448));
    }

    /// The sender stops at the far port's soft inbox limit and goes on
    /// once the far port has placed what it holds: nothing is dropped.
    #[test]
    fn a_full_inbox_holds_the_sender_back() {
        use crate::queues::INBOX_SOFT_LIMIT;

        let mut a = Testbed::new(2, DEFAULT_DSN).unwrap();
        let mut b = Testbed::new(2, DEFAULT_DSN + 1).unwrap();
        backend::cable(&a.dev, &b.dev);
        let meta = cso_meta();
        let sends = 300;
        for q in 0..2 {
            let frame = tcp_frame(60, 40000 + q, false);
            for _ in 0..sends {
                a.send(q, meta, &frame, 4096);
            }
        }
        for _ in 0..64 {
            a.datapath().run_once(&a.dev);
        }
        assert_eq!(b.datapath().inbox_len(), INBOX_SOFT_LIMIT);
        assert!(a.datapath().has_tx_work());
        let mut frames = 0;
        for _ in 0..1000 {
            b.datapath().run_once(&b.dev);
            for q in 0..2 {
                a.poll_tx(q);
                frames += b.poll_rx(q).len();
            }
            a.datapath().run_once(&a.dev);
            if frames == 2 * sends {
                break;
            }
        }
        assert_eq!(frames, 2 * sends);
    }
}
