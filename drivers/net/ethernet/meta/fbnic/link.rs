// SPDX-License-Identifier: GPL-2.0

//! The Ethernet link: whether the PCS reports it up, the wait for link
//! training after it comes back, and the MAC enabled while it is up.
//!
//! The firmware picks the link mode (speed, lanes, FEC) and reports it in
//! its capabilities; the driver only watches it. The PCS signals changes on
//! interrupt vector 1 (cause `SIG_PCS_INTR_STS`, routed through
//! `INTR_MSIX_CTRL`), and the service task looks once a second as well, to
//! notice the end of training. Both end up in [`Link::update`].
//!
//! Pause frames follow `ethtool -A`: when the link comes up the MAC, the
//! RX buffer's pause generation and its pause storm protection are set up
//! for them, and the RX queues' drop mode with them ([`flow`]). A change
//! set by hand while the link is up cycles it, as phylink does.

#![forbid(unsafe_code)]

pub(crate) mod flow;

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Mutex, //
    },
    time::{
        Delta,
        Instant,
        Monotonic, //
    }, //
};

use crate::hw::reg::RegisterIo;
use crate::{
    hw::{
        csr::{
            intr,
            mac,
            rxb,
            sig, //
        },
        fw::{
            Fec,
            LinkConfig, //
        }, //
    },
    regs::Regs, //
};

/// How long the link must stay locked after it came back before it counts
/// as up: the time the physical layer needs for link training (the C
/// driver's PMD state machine).
const TRAINING: Delta = Delta::from_secs(4);

/// Where the physical layer is (`FBNIC_PMD_*`).
#[derive(Clone, Copy)]
enum Pmd {
    /// Passing data: the state at load, so that a link that is already up
    /// is used at once.
    SendData,
    /// No signal; training starts when it comes.
    Initialize,
    /// Signal since the given time; up once [`TRAINING`] has passed.
    Training(Instant<Monotonic>),
}

/// What the link changed to in [`Link::update`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Change {
    /// Nothing.
    None,
    /// It came up.
    Up,
    /// It went down.
    Down,
}

/// The pause frame settings of `ethtool -A`: negotiated (the default) or
/// set by hand.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Pause {
    /// Whether pause is negotiated with the link partner.
    pub(crate) autoneg: bool,
    /// Whether received pause frames are honoured without negotiation.
    pub(crate) rx: bool,
    /// Whether pause frames are sent without negotiation.
    pub(crate) tx: bool,
}

impl Pause {
    /// What the MAC does, `(rx, tx)`: negotiated pause resolves to both
    /// directions, which is what the C driver's PCS (xpcs) reports for
    /// every fbnic link mode (`xpcs_resolve_pma()`); otherwise the
    /// settings made by hand (phylink's manual flow control).
    fn resolved(self) -> (bool, bool) {
        if self.autoneg {
            (true, true)
        } else {
            (self.rx, self.tx)
        }
    }
}

struct State {
    pmd: Pmd,
    /// The pause frame settings.
    pause: Pause,
    /// Whether `ethtool -A` set them.
    pause_set: bool,
    /// How often the link went down since probe.
    down_events: u64,
    /// Whether the link is reported up (carrier on, MAC enabled).
    up: bool,
    /// Whether the interface is open, so that link changes matter.
    open: bool,
}

/// The link of one port.
#[pin_data]
pub(crate) struct Link {
    config: LinkConfig,
    #[pin]
    state: Mutex<State>,
    /// Whether the MAC sends pause frames, as resolved when the link last
    /// came up (`fbn->tx_pause`); read without the lock, from atomic
    /// context too.
    tx_pause: Atomic<bool>,
}

impl Link {
    /// A link in the configuration the firmware reported.
    pub(crate) fn new(config: LinkConfig) -> impl PinInit<Self> {
        pin_init!(Self {
            config,
            state <- new_mutex!(State {
                pmd: Pmd::SendData,
                pause: Pause {
                    autoneg: true,
                    rx: false,
                    tx: false,
                },
                pause_set: false,
                down_events: 0,
                up: false,
                open: false,
            }),
            tx_pause: Atomic::new(false),
        })
    }

    /// The configuration.
    pub(crate) fn config(&self) -> LinkConfig {
        self.config
    }

    /// Whether the link is reported up.
    pub(crate) fn is_up(&self) -> bool {
        self.state.lock().up
    }

    /// The pause frame settings.
    pub(crate) fn pause(&self) -> Pause {
        self.state.lock().pause
    }

    /// Changes the pause frame settings. If what the MAC does changes
    /// (negotiation turned on or off, or the settings made by hand) while
    /// the link is up, the link goes down and comes up again with them, as
    /// phylink cycles it (`phylink_ethtool_set_pauseparam()`): returns
    /// true then, and the caller reports both changes.
    pub(crate) fn set_pause(&self, regs: &Regs, pause: Pause) -> bool {
        let mut st = self.state.lock();
        let old = st.pause;
        st.pause = pause;
        st.pause_set = true;
        let changed = old.autoneg != pause.autoneg
            || (!pause.autoneg && (old.rx, old.tx) != (pause.rx, pause.tx));
        if !(changed && st.up) {
            return false;
        }
        self.mac_down(regs, old);
        st.down_events += 1;
        self.mac_up(regs, pause);
        true
    }

    /// Whether the MAC sends pause frames, as the link last came up with.
    pub(crate) fn tx_pause(&self) -> bool {
        self.tx_pause.load(Relaxed)
    }

    /// Whether the pause frame settings were set ([`Link::set_pause`]).
    pub(crate) fn pause_set(&self) -> bool {
        self.state.lock().pause_set
    }

    /// How often the link went down since probe.
    pub(crate) fn down_events(&self) -> u64 {
        self.state.lock().down_events
    }

    /// Whether the interface is open (between [`Link::start`] and
    /// [`Link::stop`]).
    pub(crate) fn is_open(&self) -> bool {
        self.state.lock().open
    }

    /// Starts watching the link when the interface opens: routes the PCS
    /// cause to vector 1, clears stale events and checks the link once
    /// (`fbnic_mac_request_irq()`, `fbnic_mac_prepare()`).
    pub(crate) fn start(&self, regs: &Regs) -> Change {
        regs.write(
            intr::MSIX_CTRL::at(intr::PCS_SOURCE),
            intr::MSIX_CTRL::zeroed()
                .with(intr::MSIX_CTRL::VECTOR, intr::PCS_VECTOR.get())
                .set(intr::MSIX_CTRL::ENABLE),
        );
        regs.write_raw(intr::MSIX_CTRL::at(intr::RXB_SOURCE), 0);
        regs.write_raw(sig::PCS_INTR_MASK::AT, !0);
        regs.write_raw(sig::PCS_INTR_STS::AT, !0);

        let mut st = self.state.lock();
        if !self.pcs_link_up(regs) {
            st.pmd = Pmd::Initialize;
        }
        st.open = true;
        drop(st);
        self.update(regs)
    }

    /// Stops watching the link when the interface closes: unroutes and
    /// masks the PCS cause and disables the MAC (`fbnic_mac_free_irq()`,
    /// link down), unless a BMC shares the port (`keep_mac`: the C
    /// driver's `phylink_suspend()` with the MAC kept for it). Returns
    /// [`Change::Down`] if the link was up.
    pub(crate) fn stop(&self, regs: &Regs, keep_mac: bool) -> Change {
        let mut st = self.state.lock();
        let change = if st.up {
            st.down_events += 1;
            Change::Down
        } else {
            Change::None
        };
        st.open = false;
        st.up = false;
        regs.write(
            intr::MSIX_CTRL::at(intr::PCS_SOURCE),
            intr::MSIX_CTRL::zeroed().with(intr::MSIX_CTRL::VECTOR, intr::PCS_VECTOR.get()),
        );
        regs.write_raw(sig::PCS_INTR_MASK::AT, !0);
        let pause = st.pause;
        let (word, bit) = intr::vector_bit(intr::PCS_VECTOR);
        regs.write_raw(intr::MASK_SET::at(word), bit);
        regs.wrfl();
        if !keep_mac {
            self.mac_down(regs, pause);
        }
        change
    }

    /// Reads the link state and reports a change, enabling or disabling
    /// the MAC to match (`fbnic_mac_get_link()` and the MAC link up/down
    /// callbacks). Re-arms the link interrupt.
    pub(crate) fn update(&self, regs: &Regs) -> Change {
        let mut st = self.state.lock();
        if !st.open {
            // Acknowledge but leave the cause masked: nothing listens.
            regs.write_raw(
                sig::PCS_INTR_STS::AT,
                sig::PCS_INTR_LINK_DOWN | sig::PCS_INTR_LINK_UP,
            );
            return Change::None;
        }

        // The status bits latch; flush them so they show the present
        // state, then take the events that led here.
        regs.write_raw(
            sig::PCS_OUT0::AT,
            sig::PCS_OUT0::LINK.mask()
                | sig::PCS_OUT0::BLOCK_LOCK.mask()
                | sig::PCS_OUT0::AMPS_LOCK.mask(),
        );
        regs.write_raw(sig::PCS_OUT1::AT, sig::PCS_OUT1::FCFEC_LOCK.mask());
        regs.wrfl();
        regs.write_raw(
            sig::PCS_INTR_STS::AT,
            sig::PCS_INTR_LINK_DOWN | sig::PCS_INTR_LINK_UP,
        );

        let signal = self.pcs_link_up(regs);
        let link = match (signal, st.pmd) {
            (false, _) => {
                st.pmd = Pmd::Initialize;
                false
            }
            (true, Pmd::SendData) => true,
            (true, Pmd::Training(since)) if since.elapsed() >= TRAINING => {
                st.pmd = Pmd::SendData;
                true
            }
            (true, Pmd::Training(_)) => false,
            (true, Pmd::Initialize) => {
                st.pmd = Pmd::Training(Instant::now());
                false
            }
        };

        // Only changes of the link state interrupt from here on.
        regs.write_raw(
            sig::PCS_INTR_MASK::AT,
            !(sig::PCS_INTR_LINK_DOWN | sig::PCS_INTR_LINK_UP),
        );
        let (word, bit) = intr::vector_bit(intr::PCS_VECTOR);
        regs.write_raw(intr::MASK_CLEAR::at(word), bit);

        let change = match (st.up, link) {
            (false, true) => {
                self.mac_up(regs, st.pause);
                Change::Up
            }
            (true, false) => {
                self.mac_down(regs, st.pause);
                st.down_events += 1;
                Change::Down
            }
            _ => Change::None,
        };
        st.up = link;
        change
    }

    fn pcs_link_up(&self, regs: &Regs) -> bool {
        let out0 = regs.read_raw(sig::PCS_OUT0::AT);
        let out1 = regs.read_raw(sig::PCS_OUT1::AT);
        self.config.pcs_link_up(out0, out1)
    }

    /// The `MAC_COMMAND_CONFIG` bits every state has: promiscuous (the RX
    /// parser filters, not the MAC), TX padding, pause frames only as
    /// `pause` resolves, and no fault handling without FEC.
    fn command_config(&self, pause: Pause) -> u32 {
        let (rx_pause, tx_pause) = pause.resolved();
        let mut cfg =
            mac::COMMAND_CONFIG::TX_PAD_EN.mask() | mac::COMMAND_CONFIG::PROMISC_EN.mask();
        if !tx_pause {
            cfg |= mac::COMMAND_CONFIG::TX_PAUSE_DIS.mask();
        }
        if !rx_pause {
            cfg |= mac::COMMAND_CONFIG::RX_PAUSE_DIS.mask();
        }
        if self.config.fec == Fec::Off {
            cfg |= mac::COMMAND_CONFIG::FLT_HDL_DIS.mask();
        }
        cfg
    }

    const MAC_RESETS: u32 = sig::MAC_IN0::RESET_FF_TX_CLK.mask()
        | sig::MAC_IN0::RESET_TX_CLK.mask()
        | sig::MAC_IN0::RESET_FF_RX_CLK.mask()
        | sig::MAC_IN0::RESET_RX_CLK.mask();

    /// Sets up pause frame generation in the RX buffer and pause storm
    /// protection, takes the MAC out of reset and enables both directions
    /// (`fbnic_mac_link_up_asic()`). Returns whether the MAC sends pause
    /// frames (remembered for [`Link::tx_pause`]).
    fn mac_up(&self, regs: &Regs, pause: Pause) {
        let (_, tx_pause) = pause.resolved();
        self.tx_pause.store(tx_pause, Relaxed);
        rxb_pause_config(regs, tx_pause);
        regs.rmw_raw(sig::MAC_IN0::AT, Self::MAC_RESETS, 0);
        regs.write_raw(
            mac::COMMAND_CONFIG::AT,
            self.command_config(pause)
                | mac::COMMAND_CONFIG::RX_ENA.mask()
                | mac::COMMAND_CONFIG::TX_ENA.mask(),
        );
    }

    /// Disables the MAC and holds it in reset.
    fn mac_down(&self, regs: &Regs, pause: Pause) {
        regs.rmw_raw(sig::MAC_IN0::AT, 0, Self::MAC_RESETS);
        regs.write_raw(mac::COMMAND_CONFIG::AT, self.command_config(pause));
    }
}

/// Programs the RX buffer's pause, drop and ECN thresholds of every FIFO
/// in use and enables drop and ECN, without pause (the thresholds and
/// enables of `fbnic_mac_init_rxb()`), once at probe.
pub(crate) fn init_rxb(regs: &Regs) {
    for i in rxb::FifoIdx::all() {
        let Some(t) = flow::fifo_thresholds(i.get()) else {
            continue;
        };
        if let (Some(p), Some(d), Some(e)) = (
            rxb::PauseThldIdx::new(i.get()),
            rxb::DropThldIdx::new(i.get()),
            rxb::EcnThldIdx::new(i.get()),
        ) {
            regs.write_raw(rxb::PAUSE_THLD::at(p), t.pause);
            regs.write_raw(rxb::DROP_THLD::at(d), t.drop);
            regs.write_raw(rxb::ECN_THLD::at(e), t.ecn);
        }
    }
    regs.write_raw(
        rxb::PAUSE_DROP_CTRL::AT,
        flow::pause_drop_ctrl(false, false),
    );
}

/// The pause storm timeout in milliseconds: the C driver's default, which
/// only its `pfc-prevention-tout` tunable changes.
const STORM_TIMEOUT_MS: u32 = rxb::PS_TO_DEFAULT_MS;

/// The network interface's instance of the per-source RXB registers.
fn net_storm() -> Option<rxb::PauseStormIdx> {
    rxb::PauseStormIdx::new(rxb::INTF_NET)
}

/// Restarts the pause storm timer of the network interface, leaving a
/// storm state the RX buffer may be in (`fbnic_mac_ps_protect_to_reset()`).
fn storm_reset(regs: &Regs) {
    let Some(net) = net_storm() else {
        return;
    };
    let time = rxb::PAUSE_STORM::THLD_TIME.prep(flow::storm_time(STORM_TIMEOUT_MS));
    regs.write_raw(rxb::PAUSE_STORM_UNIT_WR::AT, rxb::PS_CLK_DIV);
    regs.write_raw(
        rxb::PAUSE_STORM::at(net),
        time | rxb::PAUSE_STORM::FORCE_NORMAL.mask(),
    );
    regs.wrfl();
    regs.write_raw(rxb::PAUSE_STORM::at(net), time);
}

/// Pause frame generation and pause storm protection for a link that
/// comes up sending pause frames or not (`fbnic_mac_tx_pause_config()`,
/// `fbnic_mac_ps_protect_config()`): the RX buffer asks for pause frames
/// from its pausing FIFOs, and a storm of them (the host not draining the
/// buffer for the timeout) is cut short and raises the storm interrupt
/// cause, which the service task handles ([`storm_check`]).
fn rxb_pause_config(regs: &Regs, tx_pause: bool) {
    let ps_protect = tx_pause && STORM_TIMEOUT_MS != 0;
    storm_reset(regs);
    regs.write_raw(
        rxb::PAUSE_DROP_CTRL::AT,
        flow::pause_drop_ctrl(tx_pause, ps_protect),
    );
    let ps = rxb::ERR_INTR_STS::PS.prep(rxb::PS_EN_MASK);
    regs.write_raw(rxb::ERR_INTR_STS::AT, ps);
    // The storm causes are unmasked only with protection on.
    let all = rxb::ERR_INTR_STS::PS.mask();
    if ps_protect {
        regs.rmw_raw(rxb::ERR_INTR_MASK::AT, all, 0);
    } else {
        regs.rmw_raw(rxb::ERR_INTR_MASK::AT, 0, all);
    }
}

/// From the service task: if the MAC sends pause frames and the network
/// interface had a pause storm, acknowledges it and restarts the storm
/// timer (`fbnic_mac_ps_protect_handler()`). Returns whether there was one.
pub(crate) fn storm_check(regs: &Regs) -> bool {
    let cmd = regs.read_raw(mac::COMMAND_CONFIG::AT);
    if cmd & mac::COMMAND_CONFIG::TX_PAUSE_DIS.mask() != 0 || STORM_TIMEOUT_MS == 0 {
        return false;
    }
    let ps = rxb::ERR_INTR_STS::PS.prep(rxb::PS_EN_MASK);
    if regs.read_raw(rxb::ERR_INTR_STS::AT) & ps == 0 {
        return false;
    }
    regs.write_raw(rxb::ERR_INTR_STS::AT, ps);
    storm_reset(regs);
    true
}
