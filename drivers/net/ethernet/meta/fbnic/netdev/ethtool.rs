// SPDX-License-Identifier: GPL-2.0

//! The ethtool operations of the interface: driver and firmware (`-i`),
//! link settings, ring sizes and header split (`-g`/`-G`), channels
//! (`-l`/`-L`), interrupt moderation (`-c`/`-C`), RSS (`-x`/`-X`, hash
//! fields, the additional context), flow rules (`-n`/`-N`), statistics
//! (`-S`, with the eth-mac, eth-ctrl and rmon groups), the module EEPROM
//! (`-m`, in `eeprom.rs`), the self-tests (`-t`, in `selftest.rs`) and
//! the hardware clock (`-T`).

#![forbid(unsafe_code)]

mod link;
mod regs;

use kernel::{
    prelude::*,
    sync::atomic::Relaxed, //
};

use super::{
    channels::{
        self,
        ChannelsError,
        Layout, //
    },
    hwtstamp,
    Port,
    QueueConfig, //
};
use crate::{
    classifier,
    fw,
    hw::{
        csr,
        fw::Capabilities,
        toeplitz, //
    },
    kernel_ext::net::{
        self,
        ethtool::{
            self,
            coalesce,
            ring_params,
            rss_hash,
            so_timestamping,
            Channels,
            Coalesce,
            DrvInfo,
            EthCtrlStats,
            EthMacStats,
            EthPhyStats,
            ExtAck,
            FecParam,
            FecStats,
            FlowRule,
            KernelRingParam,
            LinkExtStats,
            LinkKsettings,
            ModuleEeprom,
            PauseParam,
            PauseStats,
            RegDump,
            RingParam,
            RmonStats,
            RuleCount,
            RxfhContext,
            RxfhFields,
            RxfhParam,
            SelfTest,
            StatsData,
            StringSet,
            Strings,
            TcpDataSplit,
            TsInfo,
            TsStats, //
        },
        Rtnl, //
    },
    nfc::Refused,
    rpc::{
        self,
        FlowClass, //
    },
    txrx::{
        self,
        HeaderSplit,
        RingSizes,
        SizeError, //
    }, //
};

impl Port {
    /// Creates (`new` gives the core's context, for the table in use) or
    /// changes RSS context `context`, the device's table 1: the table the
    /// request has, or one spread over all RX queues for a new context
    /// without one. The context shares the key and hash function of
    /// context 0, so a request for another key or function fails.
    fn set_context(
        dev: &net::Device<Self>,
        context: u32,
        new: Option<&mut RxfhContext>,
        param: &RxfhParam,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        let port = dev.data();
        if context != 1 {
            return Err(EINVAL);
        }
        if param.hfunc() != rss_hash::NO_CHANGE && param.hfunc() != rss_hash::TOP {
            extack.set_message(c"fbnic: only the Toeplitz hash is supported");
            return Err(EOPNOTSUPP);
        }
        if param.key().is_some() {
            extack.set_message(c"fbnic: RSS contexts share the key of context 0");
            return Err(EOPNOTSUPP);
        }
        let queues = port.config().rx;
        let table = match (param.indir(), new) {
            (Some(indir), _) => rpc::indir::checked(indir, queues).map_err(|_| EINVAL)?,
            (None, Some(ctx)) => {
                let table = rpc::indir::spread(queues);
                for (entry, &q) in ctx.indir_mut().iter_mut().zip(&table) {
                    *entry = u32::from(q);
                }
                table
            }
            (None, None) => return Ok(()),
        };
        let mut rss = port.rss.lock();
        rss.context1 = Some(table);
        if dev.is_running() {
            rpc::write_rss(&port.shared.regs, &rss);
        }
        Ok(())
    }
}

#[vtable]
impl ethtool::Operations for Port {
    fn get_drvinfo(dev: &net::Device<Self>, info: &mut DrvInfo) {
        let shared = &dev.data().shared;
        info.set_driver(c"fbnic");
        info.set_bus_info(shared.dev.name());
        if let Some(Capabilities { running, .. }) = shared.mbx.caps() {
            info.set_fw_version(format_args!("{running}"));
        }
    }

    fn get_ringparam(
        dev: &net::Device<Self>,
        ring: &mut RingParam,
        kernel_ring: &mut KernelRingParam,
    ) {
        let port = dev.data();
        let s = port.config().sizes;
        ring.set_rx(s.rcq, RingSizes::MAX);
        ring.set_rx_mini(s.hpq, RingSizes::MAX);
        ring.set_rx_jumbo(s.ppq, RingSizes::MAX);
        ring.set_tx(s.twq, RingSizes::MAX);
        // The mode in effect (auto splits, as the C driver always does);
        // the core reports the configured hds-thresh.
        let split = port.header_split();
        kernel_ring.set_tcp_data_split(if split.enabled {
            TcpDataSplit::On
        } else {
            TcpDataSplit::Off
        });
        kernel_ring.set_hds_thresh_max(txrx::HDS_THRESH_MAX);
    }

    const SUPPORTED_RING_PARAMS: u32 = ring_params::TCP_DATA_SPLIT | ring_params::HDS_THRESH;

    fn set_ringparam(
        dev: &net::Device<Self>,
        rtnl: &Rtnl<'_>,
        ring: &RingParam,
        kernel_ring: &KernelRingParam,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        let port = dev.data();
        // Check everything before changing anything. Sizes round up to a
        // power of two, as in the C driver (0 stays 0 and is refused).
        let sizes = RingSizes::requested(ring.tx(), ring.rx(), ring.rx_mini(), ring.rx_jumbo())
            .inspect_err(|e| {
                extack.set_message(match e {
                    SizeError::TooSmall => c"fbnic: requested ring size too small (64 at least)",
                    SizeError::TooLarge => c"fbnic: requested ring size too large (65536 at most)",
                })
            })
            .map_err(|_| EINVAL)?;
        let thresh = kernel_ring.hds_thresh();
        if thresh > txrx::HDS_THRESH_MAX {
            extack.set_message(c"hds-thresh is larger than a header buffer");
            return Err(EINVAL);
        }
        let split = HeaderSplit {
            enabled: kernel_ring.tcp_data_split() != TcpDataSplit::Off,
            thresh,
        };
        // A single-buffer XDP program must keep getting whole frames.
        if super::xdp::split_frames(port.xdp.has_frags(), dev.mtu(), split) {
            extack.set_message(c"Use higher HDS threshold or multi-buf capable program");
            return Err(EINVAL);
        }

        // New ring sizes first: the only part that can fail.
        {
            let mut config = port.config.lock();
            if sizes != config.sizes {
                let new = QueueConfig { sizes, ..*config };
                port.reconfigure(dev, rtnl, &mut config, new)
                    .inspect_err(|e| {
                        if *e == ENOMEM {
                            extack.set_message(c"fbnic: no memory for rings of that size");
                        }
                    })?;
            }
        }

        // Read before `split` is taken: starting the datapath (under
        // `config`) takes `split`, so `config` must never wait inside it.
        let drop_mode = port.drop_mode(port.config().rx);
        let mut cur = port.split.lock();
        if *cur == split {
            return Ok(());
        }
        *cur = split;
        if dev.is_running() {
            for q in &port.queues {
                q.rings
                    .set_header_split(&port.shared.regs, split, drop_mode);
            }
        }
        Ok(())
    }

    fn get_channels(dev: &net::Device<Self>, channels: &mut Channels) {
        let port = dev.data();
        // Every queue of the device, whatever the vectors (`fbnic_get_channels()`).
        let max = csr::queue::MAX_QUEUES;
        let (combined, rx, tx) = port.config().layout().channels();
        channels.set_combined(combined, max);
        channels.set_rx(rx, max);
        channels.set_tx(tx, max);
        channels.set_other(csr::NON_NAPI_VECTORS, csr::NON_NAPI_VECTORS);
    }

    fn set_channels(dev: &net::Device<Self>, rtnl: &Rtnl<'_>, ch: &Channels) -> Result {
        let port = dev.data();
        let max = csr::queue::MAX_QUEUES;
        let req = channels::Request {
            combined: ch.combined(),
            rx: ch.rx(),
            tx: ch.tx(),
            other: ch.other(),
        };
        let layout = Layout::for_request(req, max, port.vectors, csr::NON_NAPI_VECTORS)
            .inspect_err(|e| match e {
                ChannelsError::Other => dev_err!(
                    port.shared.dev,
                    "the other channels are fixed at {}\n",
                    csr::NON_NAPI_VECTORS
                ),
                ChannelsError::Mixed => dev_err!(
                    port.shared.dev,
                    "RX-only, TX-only and combined channels cannot all be set at once\n"
                ),
                ChannelsError::Vectors => dev_err!(
                    port.shared.dev,
                    "RX-only and TX-only channels need a queue vector each, with the combined ones: {} at most\n",
                    port.vectors
                ),
                ChannelsError::Range => dev_err!(
                    port.shared.dev,
                    "at most {} RX and {} TX queues\n",
                    max,
                    max
                ),
            })
            .map_err(|_| EINVAL)?;

        let mut config = port.config.lock();
        if layout == config.layout() {
            return Ok(());
        }
        let new = QueueConfig {
            rx: layout.rx,
            tx: layout.tx,
            napis: layout.napis,
            ..*config
        };
        port.reconfigure(dev, rtnl, &mut config, new)
    }

    const SUPPORTED_COALESCE: u32 =
        coalesce::RX_USECS | coalesce::TX_USECS | coalesce::RX_MAX_FRAMES;

    fn get_coalesce(dev: &net::Device<Self>, c: &mut Coalesce) -> Result {
        let port = dev.data();
        c.set_rx_usecs(port.rx_usecs.load(Relaxed));
        c.set_tx_usecs(port.tx_usecs.load(Relaxed));
        c.set_rx_max_frames(port.rx_frames.load(Relaxed));
        Ok(())
    }

    fn set_coalesce(dev: &net::Device<Self>, c: &Coalesce) -> Result {
        let port = dev.data();
        if c.rx_usecs() > txrx::MAX_USECS || c.tx_usecs() > txrx::MAX_USECS {
            dev_err!(
                port.shared.dev,
                "coalescing timeouts above {} us are not supported\n",
                txrx::MAX_USECS
            );
            return Err(EINVAL);
        }
        if c.rx_max_frames() > txrx::MAX_RX_FRAMES {
            dev_err!(
                port.shared.dev,
                "rx-frames above {} are not supported\n",
                txrx::MAX_RX_FRAMES
            );
            return Err(EINVAL);
        }
        // The timeouts take effect at each queue's next interrupt re-arm.
        port.rx_usecs.store(c.rx_usecs(), Relaxed);
        port.tx_usecs.store(c.tx_usecs(), Relaxed);
        port.rx_frames.store(c.rx_max_frames(), Relaxed);
        if dev.is_running() {
            for q in &port.queues {
                q.rings.set_rx_frames(&port.shared.regs, c.rx_max_frames());
            }
        }
        Ok(())
    }

    fn get_rx_ring_count(dev: &net::Device<Self>) -> u32 {
        dev.data().config().rx
    }

    fn get_rxfh_indir_size(_dev: &net::Device<Self>) -> u32 {
        csr::rpc_ram::RSS_TBL_SIZE
    }

    fn get_rxfh_key_size(_dev: &net::Device<Self>) -> u32 {
        // CAST: 40 bytes.
        toeplitz::KEY_LEN as u32
    }

    fn get_rxfh(dev: &net::Device<Self>, param: &mut RxfhParam) -> Result {
        let rss = dev.data().rss.lock();
        param.set_hfunc(rss_hash::TOP);
        if let Some(indir) = param.indir_mut() {
            for (dst, &q) in indir.iter_mut().zip(rss.table.iter()) {
                *dst = u32::from(q);
            }
        }
        if let Some(key) = param.key_mut() {
            let n = key.len().min(rss.key.len());
            key[..n].copy_from_slice(&rss.key[..n]);
        }
        Ok(())
    }

    fn set_rxfh(dev: &net::Device<Self>, param: &RxfhParam) -> Result {
        let port = dev.data();
        if param.rss_context() != 0 {
            return Err(EOPNOTSUPP);
        }
        if param.hfunc() != rss_hash::NO_CHANGE && param.hfunc() != rss_hash::TOP {
            dev_err!(port.shared.dev, "only the Toeplitz hash is supported\n");
            return Err(EOPNOTSUPP);
        }
        // Check everything before changing anything.
        let queues = port.config().rx;
        let table = param
            .indir()
            .map(|indir| rpc::indir::checked(indir, queues))
            .transpose()
            .map_err(|_| EINVAL)?;
        let key: Option<&[u8; toeplitz::KEY_LEN]> = match param.key() {
            Some(key) => Some(key.try_into().map_err(|_| EINVAL)?),
            None => None,
        };

        let mut rss = port.rss.lock();
        if let Some(table) = table {
            rss.table = table;
        }
        if let Some(key) = key {
            rss.key = *key;
        }
        if dev.is_running() {
            rpc::write_rss(&port.shared.regs, &rss);
        }
        Ok(())
    }

    fn get_rxfh_fields(dev: &net::Device<Self>, fields: &mut RxfhFields) -> Result {
        let class = FlowClass::of_flow_type(fields.flow_type()).ok_or(EINVAL)?;
        fields.set_fields(dev.data().rss.lock().fields(class));
        Ok(())
    }

    fn set_rxfh_fields(
        dev: &net::Device<Self>,
        fields: &RxfhFields,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        let port = dev.data();
        let Some(class) = FlowClass::of_flow_type(fields.flow_type()) else {
            extack.set_message(c"fbnic: no RSS hash setting for this flow type");
            return Err(EINVAL);
        };
        // One set of fields per class for all contexts (the core asks for
        // others only of drivers that declare per-context fields).
        if fields.rss_context() != 0 {
            return Err(EOPNOTSUPP);
        }
        let mut rss = port.rss.lock();
        rss.set_fields(class, fields.fields()).inspect_err(|_| {
            extack.set_message(c"fbnic: cannot hash this flow type over those fields");
        })?;
        if dev.is_running() {
            let ts_classes = port.tstamp.lock().rx_classes();
            classifier::write_rss_rules(&port.shared.regs, &rss, &port.rules.lock(), ts_classes);
        }
        Ok(())
    }

    fn get_rule_count(dev: &net::Device<Self>) -> Result<RuleCount> {
        Ok(dev.data().rules.lock().count())
    }

    fn get_rule(dev: &net::Device<Self>, location: u32) -> Result<FlowRule> {
        dev.data().rules.lock().get(location)
    }

    fn get_rule_locations(dev: &net::Device<Self>, locations: &mut [u32]) -> Result<u32> {
        dev.data().rules.lock().locations(locations)
    }

    fn insert_rule(dev: &net::Device<Self>, rule: &FlowRule) -> Result<u32> {
        let port = dev.data();
        let rx_queues = port.config().rx;
        let rss = port.rss.lock();
        let regs = dev.is_running().then_some(&port.shared.regs);
        port.rules
            .lock()
            .insert(rule, rx_queues, &rss, regs)
            .map_err(|Refused(e, why)| {
                dev_info!(port.shared.dev, "flow rule refused: {}\n", why);
                e
            })
    }

    fn delete_rule(dev: &net::Device<Self>, location: u32) -> Result {
        let port = dev.data();
        let rss = port.rss.lock();
        let regs = dev.is_running().then_some(&port.shared.regs);
        port.rules.lock().delete(location, &rss, regs)
    }

    const RXFH_MAX_CONTEXTS: u32 = rpc::RSS_CONTEXTS;

    fn create_rxfh_context(
        dev: &net::Device<Self>,
        context: u32,
        ctx: &mut RxfhContext,
        param: &RxfhParam,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        ctx.set_hfunc(rss_hash::TOP);
        Self::set_context(dev, context, Some(ctx), param, extack)
    }

    fn modify_rxfh_context(
        dev: &net::Device<Self>,
        context: u32,
        _ctx: &mut RxfhContext,
        param: &RxfhParam,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        Self::set_context(dev, context, None, param, extack)
    }

    fn remove_rxfh_context(
        dev: &net::Device<Self>,
        context: u32,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        if context != 1 {
            return Err(EINVAL);
        }
        // The table stays in the device: no rule points at it any more.
        dev.data().rss.lock().context1 = None;
        Ok(())
    }

    /// The device's clock, its receive and transmit time stamps, and
    /// software transmit time stamps.
    fn get_ts_info(dev: &net::Device<Self>, info: &mut TsInfo) -> Result {
        info.set_phc_index(dev.data().clock.index());
        info.set_so_timestamping(
            so_timestamping::TX_SOFTWARE
                | so_timestamping::TX_HARDWARE
                | so_timestamping::RX_HARDWARE
                | so_timestamping::RAW_HARDWARE,
        );
        info.set_tx_types(hwtstamp::TX_TYPES);
        info.set_rx_filters(hwtstamp::RX_FILTERS);
        Ok(())
    }

    /// The transmit time stamps of every queue pair's slot, in use or not
    /// (`fbnic_get_ts_stats()`).
    fn get_ts_stats(dev: &net::Device<Self>, stats: &mut TsStats) {
        let (_, tx) = dev.data().totals();
        stats.pkts(tx.ts_packets).lost(tx.ts_lost).err(tx.ts_err);
    }

    fn get_eth_mac_stats(dev: &net::Device<Self>, stats: &mut EthMacStats) {
        let shared = &dev.data().shared;
        shared.mac_stats.fill(&shared.regs, stats);
    }

    fn get_eth_ctrl_stats(dev: &net::Device<Self>, stats: &mut EthCtrlStats) {
        let shared = &dev.data().shared;
        shared.mac_stats.fill_ctrl(&shared.regs, stats);
    }

    fn get_rmon_stats(dev: &net::Device<Self>, stats: &mut RmonStats<'_>) {
        let shared = &dev.data().shared;
        shared.mac_stats.fill_rmon(&shared.regs, stats);
    }

    fn get_module_eeprom_by_page(
        dev: &net::Device<Self>,
        eeprom: &mut ModuleEeprom<'_>,
        extack: &mut ExtAck<'_>,
    ) -> Result<u32> {
        super::eeprom::read(&dev.data().shared, eeprom, extack)
    }

    fn self_test(dev: &net::Device<Self>, rtnl: &Rtnl<'_>, test: &mut SelfTest<'_>) {
        super::selftest::run(dev, rtnl, test);
    }

    fn get_sset_count(dev: &net::Device<Self>, set: StringSet) -> Result<u32> {
        match set {
            StringSet::Stats => {
                let port = dev.data();
                let n = port.shared.hw_stats.count(port.queues.len()) + fw::COUNTER_NAMES.len();
                // CAST: a few thousand at most.
                Ok(n as u32)
            }
            StringSet::Test => Ok(super::selftest::count()),
            StringSet::Other(_) => Err(EOPNOTSUPP),
        }
    }

    fn get_strings(dev: &net::Device<Self>, set: StringSet, strings: &mut Strings<'_>) {
        match set {
            StringSet::Stats => {
                let port = dev.data();
                port.shared.hw_stats.names(port.queues.len(), strings);
                fw::COUNTER_NAMES
                    .iter()
                    .for_each(|n| strings.push(format_args!("{n}")));
            }
            StringSet::Test => super::selftest::names(strings),
            StringSet::Other(_) => {}
        }
    }

    fn get_ethtool_stats(dev: &net::Device<Self>, data: &mut StatsData<'_>) {
        let port = dev.data();
        let shared = &port.shared;
        let queues = port
            .queues
            .iter()
            .map(|q| (q.rings.rx_stats(), q.rings.tx_stats(), q.rings.xdp_stats()));
        shared.hw_stats.values(&shared.regs, queues, data);
        let fw = shared.mbx.counters().values();
        fw.into_iter().for_each(|v| data.push(v));
    }

    fn get_regs_len(dev: &net::Device<Self>) -> u32 {
        regs::get_regs_len(dev)
    }

    fn get_regs(dev: &net::Device<Self>, dump: &mut RegDump<'_>) {
        regs::get_regs(dev, dump)
    }

    const CAP_LINK_LANES: bool = true;

    fn get_link_ksettings(dev: &net::Device<Self>, settings: &mut LinkKsettings) -> Result {
        link::get_link_ksettings(dev, settings)
    }

    fn get_pauseparam(dev: &net::Device<Self>, pause: &mut PauseParam) {
        link::get_pauseparam(dev, pause)
    }

    fn set_pauseparam(dev: &net::Device<Self>, pause: &PauseParam) -> Result {
        link::set_pauseparam(dev, pause)
    }

    fn get_pause_stats(dev: &net::Device<Self>, stats: &mut PauseStats) {
        link::get_pause_stats(dev, stats)
    }

    fn get_fecparam(dev: &net::Device<Self>, fec: &mut FecParam) -> Result {
        link::get_fecparam(dev, fec)
    }

    fn get_fec_stats(dev: &net::Device<Self>, stats: &mut FecStats) {
        link::get_fec_stats(dev, stats)
    }

    fn get_eth_phy_stats(dev: &net::Device<Self>, stats: &mut EthPhyStats) {
        link::get_eth_phy_stats(dev, stats)
    }

    fn get_link_ext_stats(dev: &net::Device<Self>, stats: &mut LinkExtStats) {
        link::get_link_ext_stats(dev, stats)
    }
}
