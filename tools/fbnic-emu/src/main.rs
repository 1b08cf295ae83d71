// SPDX-License-Identifier: GPL-2.0

//! fbnic-emu: serve emulated fbnic ports to QEMU over vfio-user.

use std::fs;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;

use log::{error, info};

use fbnic_emu::backend;
use fbnic_emu::bench;
use fbnic_emu::cli::{self, Action, Options};
use fbnic_emu::control;
use fbnic_emu::device::FbnicDevice;
use fbnic_emu::fw;
use fbnic_emu::logger;
use fbnic_emu::queues::Datapath;
use fbnic_emu::vfio::{self, Listener, SocketRemover};

/// Signals that end the process cleanly.
const EXIT_SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Blocks the exit signals in the calling thread, and so in every thread it
/// creates afterwards, so that only [`wait_for_signal`] ever sees them.
fn block_exit_signals() -> io::Result<libc::sigset_t> {
    // SAFETY: sigset_t is plain data, initialised by sigemptyset before use.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid sigset_t and the signal numbers are valid.
    unsafe {
        libc::sigemptyset(&mut set);
        for sig in EXIT_SIGNALS {
            libc::sigaddset(&mut set, sig);
        }
    }
    // SAFETY: valid set pointer; the old mask is not needed.
    let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(set)
}

fn wait_for_signal(set: &libc::sigset_t) -> io::Result<libc::c_int> {
    let mut sig: libc::c_int = 0;
    // SAFETY: `set` is a valid, blocked signal set and `sig` a valid out
    // pointer.
    let rc = unsafe { libc::sigwait(set, &mut sig) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(sig)
}

fn signal_name(sig: libc::c_int) -> &'static str {
    match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "signal",
    }
}

/// Cables the ports (0-1, 2-3, ... unless a TAP takes a port), opens the
/// captures and starts each port's datapath worker.
fn wire_ports(opts: &Options, devs: &[Arc<FbnicDevice>]) -> Result<(), ExitCode> {
    let tapped = |i: usize| opts.taps.iter().any(|t| t.0 == i);
    for pair in (0..devs.len()).collect::<Vec<_>>().chunks_exact(2) {
        let (a, b) = (pair[0], pair[1]);
        if !tapped(a) && !tapped(b) {
            backend::cable(&devs[a], &devs[b]);
            info!("ports {a} and {b} cabled back to back");
        }
    }
    for (port, name) in &opts.taps {
        if let Err(e) = backend::attach_tap(&devs[*port], *port, name) {
            error!("port {port}: cannot attach TAP {name}: {e}");
            return Err(ExitCode::FAILURE);
        }
    }
    for (port, path) in &opts.pcaps {
        match backend::Pcap::create(path) {
            Ok(p) => devs[*port].datapath().add_tap(Arc::new(p)),
            Err(e) => {
                error!("port {port}: cannot create {}: {e}", path.display());
                return Err(ExitCode::FAILURE);
            }
        }
    }
    for (i, dev) in devs.iter().enumerate() {
        if let Err(e) = Datapath::spawn(Arc::clone(dev), format!("port{i}-dp")) {
            error!("port {i}: cannot start its datapath thread: {e}");
            return Err(ExitCode::FAILURE);
        }
    }
    Ok(())
}

fn run(opts: Options) -> ExitCode {
    logger::init(opts.verbosity);

    let signals = match block_exit_signals() {
        Ok(s) => s,
        Err(e) => {
            error!("cannot block signals: {e}");
            return ExitCode::FAILURE;
        }
    };

    if let Some(dir) = &opts.socket_dir {
        if let Err(e) = fs::create_dir_all(dir) {
            error!("cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }

    let devs: Vec<Arc<FbnicDevice>> = (0..opts.sockets.len())
        .map(|i| {
            let dev =
                FbnicDevice::with_link(opts.port_params(i), opts.control.link, opts.control.flap);
            opts.control.apply(&dev);
            for (_, config) in opts.bmcs.iter().filter(|b| b.0 == i) {
                dev.set_bmc(config.clone());
            }
            Arc::new(dev)
        })
        .collect();
    if let Err(code) = wire_ports(&opts, &devs) {
        return code;
    }

    let mut removers: Vec<SocketRemover> = Vec::new();
    let cleanup = |removers: &[SocketRemover]| removers.iter().for_each(SocketRemover::remove);

    for (index, path) in opts.sockets.iter().enumerate() {
        let params = opts.port_params(index);
        let listener = match Listener::bind(path) {
            Ok(l) => l,
            Err(e) => {
                error!("port {index}: cannot listen on {}: {e}", path.display());
                cleanup(&removers);
                return ExitCode::FAILURE;
            }
        };
        removers.push(listener.remover());
        let dev = Arc::clone(&devs[index]);
        if let Err(e) = fw::start(&dev, &format!("port{index}")) {
            error!("port {index}: cannot start its firmware thread: {e}");
            cleanup(&removers);
            return ExitCode::FAILURE;
        }
        let spawned = thread::Builder::new()
            .name(format!("port{index}"))
            .spawn(move || vfio::serve(listener, dev));
        if let Err(e) = spawned {
            error!("port {index}: cannot start its thread: {e}");
            cleanup(&removers);
            return ExitCode::FAILURE;
        }
        let mut out = io::stdout().lock();
        let _ = writeln!(
            out,
            "port {index} listening on {} dsn {:#018x} mac {}",
            path.display(),
            params.dsn,
            params.mac()
        );
        let _ = out.flush();
        info!(
            "port {index}: {} queues, {} MSI-X vectors",
            params.queues,
            params.msix_vectors()
        );
    }

    if let Some(path) = &opts.control.control {
        if let Err(e) = control::serve(
            path,
            devs.clone(),
            opts.control.qmp.clone(),
            opts.sockets.clone(),
        ) {
            error!("cannot serve the control socket {}: {e}", path.display());
            cleanup(&removers);
            return ExitCode::FAILURE;
        }
        info!("control socket on {}", path.display());
    }

    let code = match wait_for_signal(&signals) {
        Ok(sig) => {
            info!("{}: removing sockets and exiting", signal_name(sig));
            ExitCode::SUCCESS
        }
        Err(e) => {
            error!("waiting for signals failed: {e}");
            ExitCode::FAILURE
        }
    };
    cleanup(&removers);
    // Port threads are blocked in accept() or serving a client; returning
    // from main ends them with the process.
    code
}

fn main() -> ExitCode {
    match cli::parse(std::env::args_os().skip(1)) {
        Ok(Action::Help) => {
            print!(
                "{}\nLink, sensors and control:\n{}",
                cli::USAGE,
                control::USAGE
            );
            ExitCode::SUCCESS
        }
        Ok(Action::Ctl(path, words)) => match control::client(&path, &words) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("fbnic-emu ctl: {}: {e}", path.display());
                ExitCode::FAILURE
            }
        },
        Ok(Action::Run(opts)) => run(opts),
        Ok(Action::Bench { quick }) => {
            bench::run(quick, &mut io::stdout().lock());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fbnic-emu: {e}");
            eprintln!("Try 'fbnic-emu --help' for more information.");
            ExitCode::from(2)
        }
    }
}
