//! Preset scenarios: the "Base case" and stress cases (MODEL.md §8).
//!
//! Every default figure carries its source note ("value — source"); `[R]` reported, `[E]`
//! estimate, `[D]` arithmetic from cited numbers, `NOT FOUND` looked for and not found (then the
//! value is a labelled estimate). The notes are copied from the project's research file so they
//! ship with the app.

use crate::scenario::{
    CapacityPoint, FleetSettings, Market, MonteCarloSettings, PolicyChoice, Scenario, SharePoint,
    Site, Sources, SourcingSettings, SupplyRegion, CURRENT_SCHEMA_VERSION,
};
use crate::uncertain::Uncertain;

fn fixed(v: f64) -> Uncertain {
    Uncertain::Fixed(v)
}
fn tri(l: f64, m: f64, h: f64) -> Uncertain {
    Uncertain::tri(l, m, h)
}
fn src(pairs: &[(&str, &str)]) -> Sources {
    // Inserted one by one: `collect` would sort them first (one more sort in the wasm).
    let mut sources = Sources::new();
    for (k, v) in pairs {
        sources.insert(k.to_string(), v.to_string());
    }
    sources
}

const IPHONE_BASE: f64 = 1.4e9;
const SRC_BASE: &str = "1.4B active iPhones worldwide — Morgan Stanley's installed-base figure (pymnts.com 2025-04-22) [R]; not disclosed by Apple. Split by market: [E]";
const SRC_GROWTH: &str = "+3 %/yr — Apple active devices 2.2B (Feb 2024) -> >2.35B (Jan 2025) -> >2.5B (Jan 2026), about +6 %/yr for all devices (macrumors.com, idropnews.com, AppleInsider) [R]; iPhone base assumed slower [E]";
const SRC_CAPABLE: &str =
    "15 % — AI-capable share ~15 % of the device lineup mid-2024 (Morgan Stanley via minipip) [R]";
const SRC_CEILING: &str = "95 % — nearly every device is eventually replaced by a capable one [E]";
const SRC_UPGRADE: &str = "31 %/yr — 31 % of old iPhones expected to upgrade within 12 months (Morgan Stanley via bgr.com) [R]; gives ~57 % capable by 2026 (3i: 50-60 % by 2026) [D]";
const SRC_ADOPTION: &str = "60 % — 80 % of eligible US owners used the features, 42 % rate them very important (Morgan Stanley, Apr 2025, pymnts.com) [R]; regular use set at 60 % [E]";
const SRC_MIDPOINT: &str =
    "6 months, steepness 0.5/month — adoption S-curve after launch, NOT FOUND [E]";
const SRC_REQUESTS: &str = "10 requests/active user/day, +25 %/yr — NOT FOUND [E]";
const SRC_CLOUD: &str =
    "20 % — share of requests sent to Private Cloud Compute; most run on device. NOT FOUND [E]";
const SRC_SECONDS: &str = "1.0 server-seconds per request on an Apple-silicon node (rumoured 4x M2 Ultra, gentic.news, speculative) — NOT FOUND [E]";
const SRC_EFFICIENCY: &str = "25 %/yr — M2 Ultra -> M4 nodes, 'Baltra' inference chip from 2027 (trendforce.com 2025-12-17) [R]; rate [E]";
const SRC_PEAK: &str =
    "peak/average 2.0, target utilisation 60 %, redundancy headroom 25 % — NOT FOUND [E]";

/// (name, share of the iPhone base, launch month, launch source)
const MARKETS: [(&str, f64, Option<&str>, &str); 7] = [
    ("United States", 0.12, Some("2024-10"), "2024-10 — iOS 18.1, US English, late Oct 2024 (igamesnews.com) [R]"),
    ("Other English (UK, CA, AU, IE, NZ, ZA)", 0.06, Some("2024-12"), "2024-12 — iOS 18.2 English locales (igamesnews.com) [R]"),
    ("European Union", 0.13, Some("2025-04"), "2025-04 — withheld in 2024 citing the DMA; EU launch NOT confirmed in sources read (bestintechnology.de); assumed with the iOS 18.4 languages [E]"),
    ("Japan, Korea, India, Singapore, Latin America", 0.25, Some("2025-04"), "2025-04 — iOS 18.4: French, German, Italian, Portuguese, Spanish, Japanese, Korean, Simplified Chinese, English (India, Singapore) (paikia.com; sipoch.com) [R]"),
    ("iOS 26.1 languages (Nordics, NL, PT, TR, VN, TW/HK)", 0.06, Some("2025-11"), "2025-11 — iOS 26.1 beta 2025-09-23 (tomshw.it) [R]; release month [E]"),
    ("Mainland China", 0.20, None, "off — stalled at CAC approval (FT, Jun 2025); not launched as of sources read (bgr.com; neowin.net; 9meters.com) [R]. Off by default (3i)"),
    ("Rest of world", 0.18, Some("2027-04"), "2027-04 — no announcement found; assumed [E]"),
];

fn market(name: &str, share: f64, launch: Option<&str>, launch_src: &str) -> Market {
    Market {
        name: name.into(),
        installed_base_units: fixed(IPHONE_BASE * share),
        installed_base_growth_per_year: tri(0.0, 0.03, 0.06),
        capable_share_at_start: fixed(0.15),
        capable_share_ceiling: fixed(0.95),
        upgrade_rate_per_year: tri(0.25, 0.31, 0.36),
        launch_month: launch.map(String::from),
        adoption_ceiling: tri(0.4, 0.6, 0.8),
        adoption_midpoint_months: tri(3.0, 6.0, 12.0),
        adoption_steepness_per_month: fixed(0.5),
        requests_per_user_per_day: tri(4.0, 10.0, 20.0),
        requests_growth_per_year: tri(0.10, 0.25, 0.50),
        cloud_share: tri(0.1, 0.2, 0.4),
        server_seconds_per_request: Uncertain::Lognormal90 { p5: 0.5, p95: 2.0 },
        efficiency_gain_per_year: tri(0.15, 0.25, 0.35),
        peak_to_average: fixed(2.0),
        target_utilisation: fixed(0.6),
        redundancy_headroom: fixed(0.25),
        sources: src(&[
            (
                "installed_base_units",
                &format!(
                    "{:.0}M = {:.0} % of {SRC_BASE}",
                    IPHONE_BASE * share / 1e6,
                    share * 100.0
                ),
            ),
            ("installed_base_growth_per_year", SRC_GROWTH),
            ("capable_share_at_start", SRC_CAPABLE),
            ("capable_share_ceiling", SRC_CEILING),
            ("upgrade_rate_per_year", SRC_UPGRADE),
            ("launch_month", launch_src),
            ("adoption_ceiling", SRC_ADOPTION),
            ("adoption_midpoint_months", SRC_MIDPOINT),
            ("adoption_steepness_per_month", SRC_MIDPOINT),
            ("requests_per_user_per_day", SRC_REQUESTS),
            ("requests_growth_per_year", SRC_REQUESTS),
            ("cloud_share", SRC_CLOUD),
            ("server_seconds_per_request", SRC_SECONDS),
            ("efficiency_gain_per_year", SRC_EFFICIENCY),
            ("peak_to_average", SRC_PEAK),
            ("target_utilisation", SRC_PEAK),
            ("redundancy_headroom", SRC_PEAK),
        ]),
    }
}

const REGIONS: [(&str, f64, &str); 7] = [
    ("Taiwan", 1.0, "1.0 — Taiwan builds >90 % of global AI servers (visive.ai 2025-08-21) [R]; weight [E]"),
    ("Vietnam", 0.4, "0.4 — SE Asia share of Taiwan-ODM server capacity rising 23 % -> ~50 % (trendforce.com 2023-08-23) [R]; weight [E]"),
    ("Thailand", 0.4, "0.4 — as Vietnam [E]"),
    ("Malaysia", 0.4, "0.4 — as Vietnam [E]"),
    ("Mexico", 0.3, "0.3 — tariff and policy exposure [E]"),
    ("India", 0.4, "0.4 — newer server base (Lenovo Puducherry, Sep 2024) [E]"),
    ("United States", 0.1, "0.1 — domestic plants (Houston, Dallas) [E]"),
];

const SRC_FOXCONN_OTHERS: &str = "50 % (40-57 %) — Hon Hai ~50 % of GB200/300 NVL72 racks 2025 (reportify.ai broker note 2025-10-10), ~57 % (2025-08-19) [E]; 3i";
const SRC_QUANTA_OTHERS: &str = "22 % — Quanta 22 % of NVL72 racks 2025 (reportify.ai) [E]; 3i";
const SRC_WISTRON_OTHERS: &str =
    "21 % (20-22 %) — Wistron 20 % of NVL72 racks 2025 (reportify.ai) [E]; 3i";
const SRC_PRICE: &str = "Apple-silicon node price NOT FOUND (3e: user input, no default); $40,000 assumed for a 4x M2 Ultra-class node [E]; for scale an 8-GPU Hopper server is $250-320k (3e)";
const SRC_QUALIFIED: &str = "0 — already building Apple-silicon servers (Nikkei via Taipei Times 2024-11-07; FII Vietnam for Apple, trendforce.com 2023-08-07) [R]";
const SRC_EXISTING_QUAL: &str = "from 2024-11 (Nikkei report), 8 months (6-12) — qualifying a line in an existing building ~6-8 months (Apple Houston, Pegatron Texas; 3d) [E]";
const SRC_CAPACITY: &str =
    "line capacity for this server class, NOT FOUND (ODM capacity is reported for GPU racks) [E]";

struct SiteSpec {
    name: &'static str,
    supplier: &'static str,
    region: &'static str,
    units_per_month: f64,
    others: Uncertain,
    others_src: &'static str,
    qual: Qual,
    price: f64,
    capacity_src: &'static str,
}

#[derive(Clone, Copy)]
enum Qual {
    /// Already qualified.
    Ready,
    /// Existing building, qualification from 2024-11.
    Existing,
    /// Start month, lead time, ramp months, source.
    New(&'static str, Uncertain, f64, &'static str),
}

fn base_sites() -> Vec<SiteSpec> {
    let s =
        |name, supplier, region, units_per_month, others, others_src, qual, price, capacity_src| {
            SiteSpec {
                name,
                supplier,
                region,
                units_per_month,
                others,
                others_src,
                qual,
                price,
                capacity_src,
            }
        };
    let foxconn = tri(0.40, 0.50, 0.57);
    let quanta = fixed(0.22);
    let wistron = tri(0.20, 0.21, 0.22);
    vec![
        s("Foxconn Taiwan", "Foxconn", "Taiwan", 1200.0, foxconn, SRC_FOXCONN_OTHERS, Qual::Ready, 40_000.0, SRC_CAPACITY),
        s("Foxconn Vietnam", "Foxconn", "Vietnam", 600.0, foxconn, SRC_FOXCONN_OTHERS, Qual::Ready, 38_000.0, SRC_CAPACITY),
        s("Foxconn Mexico", "Foxconn", "Mexico", 600.0, foxconn, SRC_FOXCONN_OTHERS, Qual::Existing, 42_000.0,
          "Chihuahua, >$500M, 20,000 Blackwell servers 'presumably per month' for all customers (Bloomberg via herosweb.com) [E]; line for this class [E]"),
        s("Foxconn Houston", "Foxconn", "United States", 1500.0, fixed(0.0), "0 — Apple's own server plant [E]",
          Qual::New("2025-02", tri(6.0, 8.0, 12.0), 6.0,
            "announced 2025-02-24, production from late Oct 2025: ~8 months (hngn.com; trendforce.com 2025-12-17) [R]; 250,000 sq ft plant (3h)"),
          48_000.0, "Apple Houston server plant, 250,000 sq ft (hngn.com 2025-02-25) [R]; units/month [E]"),
        s("Quanta Taiwan", "Quanta", "Taiwan", 600.0, quanta, SRC_QUANTA_OTHERS, Qual::Ready, 40_000.0, SRC_CAPACITY),
        s("Quanta Thailand", "Quanta", "Thailand", 400.0, quanta, SRC_QUANTA_OTHERS, Qual::Existing, 39_000.0,
          "Quanta server capacity in Thailand (trendforce.com 2023-08-23) [R]; units/month [E]"),
        s("Wistron Taiwan", "Wistron", "Taiwan", 500.0, wistron, SRC_WISTRON_OTHERS, Qual::Ready, 40_000.0, SRC_CAPACITY),
        s("Wistron Malaysia", "Wistron", "Malaysia", 300.0, wistron, SRC_WISTRON_OTHERS, Qual::Existing, 39_000.0,
          "Wistron/Wiwynn Malaysia (evertiq.com/news/54224) [R]; units/month [E]"),
        s("Wistron Dallas", "Wistron", "United States", 500.0, wistron, SRC_WISTRON_OTHERS,
          Qual::New("2025-04", tri(12.0, 13.0, 15.0), 6.0,
            "new US AI-supercomputer plants ramp within 12-15 months of the 2025-04-14 announcement (industryweek.com) [R]"),
          46_000.0, SRC_CAPACITY),
        s("Lenovo India", "Lenovo", "India", 4200.0, fixed(0.9),
          "90 % — Puducherry builds enterprise AI servers for many customers, 60 % exported to APAC (theregister.com 2024-09-19) [R]; share for others [E]",
          Qual::Existing, 41_000.0, "50,000 AI rack servers/yr = ~4,200/month (theregister.com 2024-09-19) [R]"),
        s("Lenovo Mexico", "Lenovo", "Mexico", 300.0, fixed(0.8), "80 % — Monterrey builds servers for many customers [E]",
          Qual::Existing, 42_000.0, "Monterrey also builds servers (border-now.com) [R]; units/month [E]"),
        s("USI Taiwan", "USI", "Taiwan", 300.0, fixed(0.3), "30 % — USI server capacity and others' share NOT FOUND (3b) [E]",
          Qual::Existing, 43_000.0, "USI 'smaller supplier for extra production' (Nikkei via Taipei Times 2024-11-07) [R]; capacity NOT FOUND [E]"),
        s("Supermicro US", "Supermicro", "United States", 1000.0, fixed(0.95),
          "95 % — lines busy with its own GPU-rack customers (KeyBanc: 23 % AI server share 2024, benzinga.com) [E]",
          Qual::Existing, 45_000.0, "4,000-5,000 racks/month total (gfmreview.com; theregister.com 2024-06-05) [R]; for this class [E]"),
        s("Supermicro Malaysia", "Supermicro", "Malaysia", 500.0, fixed(0.95),
          "95 % — as Supermicro US [E]", Qual::Existing, 43_000.0, SRC_CAPACITY),
        s("New SE Asia site", "Foxconn", "Thailand", 1500.0, fixed(0.0), "0 — dedicated to this programme [E]",
          Qual::New("2024-11", tri(6.0, 10.0, 15.0), 6.0,
            "qualification NOT FOUND; proxies 6-8 months (existing building) to 12-15 months (new plants): triangular 6/10/15 from the Nikkei report 2024-11 (3d, 3i) [E]"),
          38_000.0, "SE Asia capacity outside China for Apple servers (Nikkei via Taipei Times 2024-11-07) [R]; units/month [E]"),
    ]
}

fn site(spec: &SiteSpec) -> Site {
    let (qstart, lead, ramp, qual_src) = match spec.qual {
        Qual::Ready => (None, fixed(0.0), 0.0, SRC_QUALIFIED),
        Qual::Existing => (
            Some("2024-11".to_string()),
            tri(6.0, 8.0, 12.0),
            3.0,
            SRC_EXISTING_QUAL,
        ),
        Qual::New(m, lead, ramp, s) => (Some(m.to_string()), lead, ramp, s),
    };
    Site {
        name: spec.name.into(),
        supplier: spec.supplier.into(),
        region: spec.region.into(),
        capacity: vec![CapacityPoint {
            month: "2024-01".into(),
            units_per_month: fixed(spec.units_per_month),
        }],
        other_customers_share: vec![SharePoint {
            month: "2024-01".into(),
            share: spec.others,
        }],
        qualification_start_month: qstart,
        qualification_lead_time_months: lead,
        ramp_months: fixed(ramp),
        yield_share: fixed(0.97),
        unit_price_usd: tri(spec.price * 0.8, spec.price, spec.price * 1.3),
        price_change_per_year: fixed(-0.03),
        reservable_share: 1.0,
        reservation_fee_usd_per_unit_month: 0.0,
        spot_allowed: true,
        spot_premium_share: fixed(0.0),
        reserved_units_per_month: Vec::new(),
        sources: src(&[
            (
                "capacity",
                &format!(
                    "{} units/month — {}",
                    spec.units_per_month, spec.capacity_src
                ),
            ),
            ("other_customers_share", spec.others_src),
            ("qualification_start_month", qual_src),
            ("qualification_lead_time_months", qual_src),
            (
                "ramp_months",
                "linear ramp to full rate after the first unit (3i) [E]",
            ),
            ("yield_share", "97 % — NOT FOUND [E]"),
            (
                "unit_price_usd",
                &format!("${} (-20 %/+30 %) — {SRC_PRICE}", spec.price),
            ),
            ("price_change_per_year", "-3 %/yr — NOT FOUND [E]"),
            (
                "supplier",
                "3i supplier table (Foxconn, Quanta, Wistron/Wiwynn, Lenovo, USI, Supermicro)",
            ),
        ]),
    }
}

/// The default scenario: Apple-silicon inference nodes for an assistant rolled out by market,
/// 2024-01 to 2030-12 (84 months), least-cost sourcing from 15 sites of 6 suppliers.
pub fn base_case() -> Scenario {
    Scenario {
        schema_version: CURRENT_SCHEMA_VERSION,
        name: "Base case".into(),
        notes: "Apple-silicon inference nodes serving the cloud share of assistant requests, rolled out market by market. \
                Unit = one server node. All figures carry their source; [E] marks estimates."
            .into(),
        start_month: "2024-01".into(),
        horizon_months: 84,
        sourcing: SourcingSettings {
            policy: PolicyChoice::LeastCost,
            backlog_penalty_usd_per_unit_month: fixed(50_000.0),
            holding_cost_usd_per_unit_month: fixed(400.0),
            allow_build_ahead: false,
            max_supplier_share: Some(0.6),
            max_region_share: None,
            risk_premium_usd_per_unit: fixed(2_000.0),
        },
        fleet: FleetSettings { server_lifetime_months: tri(48.0, 60.0, 72.0), initial_fleet_age_months: fixed(0.0) },
        markets: MARKETS.iter().map(|(n, s, l, ls)| market(n, *s, *l, ls)).collect(),
        supply_regions: REGIONS
            .iter()
            .map(|(n, w, s)| SupplyRegion { name: (*n).into(), risk_weight: fixed(*w), sources: src(&[("risk_weight", s)]) })
            .collect(),
        sites: base_sites().iter().map(site).collect(),
        extra_demand: Vec::new(),
        commitment: crate::scenario::CommitmentSettings::default(),
        monte_carlo: MonteCarloSettings { seed: 2024, samples: 1000 },
        sources: src(&[
            ("sourcing.backlog_penalty_usd_per_unit_month", "$50,000 per server-month short: requests refused or moved to a partner; set above the unit price so that waiting never beats buying, even in the last months of the horizon (MODEL.md §3) [E]"),
            ("sourcing.holding_cost_usd_per_unit_month", "$400 per server-month held: ~1 %/month of the price [E]"),
            ("sourcing.max_supplier_share", "60 % — no supplier above 60 % of a month's deliveries (diversification policy) [E]"),
            ("sourcing.risk_premium_usd_per_unit", "$2,000 per unit at risk weight 1 (5 % of the unit price) [E]"),
            ("fleet.server_lifetime_months", "60 months (48-72) — usual server depreciation life [E]"),
            ("fleet.initial_fleet_age_months", "no fleet before the first launch (2024-10) [E]"),
            ("monte_carlo.seed", "any fixed number: same seed, same samples"),
        ]),
    }
}

/// "Other customers keep the lines longer": others' shares stay at the high end and rise a
/// further 10 points through 2026 (GPU-rack demand >60,000 NVL72 racks possible in 2026, 3c).
pub fn others_keep_lines() -> Scenario {
    let mut s = base_case();
    s.name = "Other customers keep the lines longer".into();
    s.notes =
        "Stress: other customers' shares at the top of their ranges and +10 points by 2026-12 \
               (GB200/300 racks 28-34k in 2025, >60k possible in 2026: reportify.ai [E])."
            .into();
    for site in &mut s.sites {
        let (_, high) = site.other_customers_share[0].share.support();
        if high <= 0.0 {
            continue;
        }
        // To the hundredth: 0.57 + 0.10 is 0.67, not 0.6699999999999999.
        let later = ((high + 0.10).min(0.98) * 100.0).round() / 100.0;
        site.other_customers_share = vec![
            SharePoint {
                month: "2024-01".into(),
                share: fixed(high),
            },
            SharePoint {
                month: "2026-12".into(),
                share: fixed(later),
            },
        ];
        site.sources.insert(
            "other_customers_share".into(),
            format!("{high} rising to {later} by 2026-12 — stress case: top of the base range +10 points [E]"),
        );
    }
    s
}

/// "New South-East-Asia site slips a year": its qualification lead time +12 months.
pub fn sea_site_slips() -> Scenario {
    let mut s = base_case();
    s.name = "New South-East-Asia site slips a year".into();
    s.notes =
        "Stress: the new SE Asia site qualifies 12 months later than in the base case.".into();
    for site in s.sites.iter_mut().filter(|x| x.name == "New SE Asia site") {
        site.qualification_lead_time_months = tri(18.0, 22.0, 27.0);
        site.sources.insert(
            "qualification_lead_time_months".into(),
            "triangular 18/22/27 — base 6/10/15 plus one year (stress case) [E]".into(),
        );
    }
    s
}

/// "Faster adoption": adoption reaches its midpoint in 3 months, a 75 % ceiling and 15
/// requests per user per day.
pub fn faster_adoption() -> Scenario {
    let mut s = base_case();
    s.name = "Faster adoption".into();
    s.notes =
        "Stress: adoption midpoint 3 months after launch, ceiling 75 %, 15 requests/user/day."
            .into();
    for m in &mut s.markets {
        m.adoption_midpoint_months = tri(2.0, 3.0, 6.0);
        m.adoption_ceiling = tri(0.6, 0.75, 0.9);
        m.requests_per_user_per_day = tri(8.0, 15.0, 25.0);
        m.sources.insert(
            "adoption_midpoint_months".into(),
            "3 months — faster-adoption stress case [E]".into(),
        );
        m.sources.insert(
            "adoption_ceiling".into(),
            "75 % — faster-adoption stress case [E]".into(),
        );
        m.sources.insert(
            "requests_per_user_per_day".into(),
            "15/day — faster-adoption stress case [E]".into(),
        );
    }
    s
}

/// "China launches in 2026": the mainland market switches on in 2026-06.
pub fn china_launches() -> Scenario {
    let mut s = base_case();
    s.name = "China launches in 2026".into();
    s.notes = "What-if: mainland China launches in 2026-06 (partners Alibaba and Baidu, Feb 2025; stalled at CAC approval).".into();
    for m in s.markets.iter_mut().filter(|m| m.name == "Mainland China") {
        m.launch_month = Some("2026-06".into());
        m.sources.insert(
            "launch_month".into(),
            "2026-06 — what-if; not launched as of sources read [E]".into(),
        );
    }
    s
}

/// "No region above half": the base case with a 50 % cap per supply region (Taiwan).
pub fn region_cap() -> Scenario {
    let mut s = base_case();
    s.name = "No region above half".into();
    s.notes = "Policy: no supply region above 50 % of any month's deliveries (Taiwan builds >90 % of AI servers).".into();
    s.sourcing.max_region_share = Some(0.5);
    s.sources.insert(
        "sourcing.max_region_share".into(),
        "50 % — diversification what-if [E]".into(),
    );
    s
}

/// All presets: (id, display name, scenario). The first is the default.
pub fn presets() -> Vec<(&'static str, &'static str, Scenario)> {
    vec![
        ("base", "Base case", base_case()),
        (
            "others-keep-lines",
            "Other customers keep the lines longer",
            others_keep_lines(),
        ),
        (
            "sea-site-slips",
            "New South-East-Asia site slips a year",
            sea_site_slips(),
        ),
        ("faster-adoption", "Faster adoption", faster_adoption()),
        ("china-launches", "China launches in 2026", china_launches()),
        ("region-cap", "No region above half", region_cap()),
    ]
}

/// A preset by id (see [`presets`]).
pub fn preset(id: &str) -> Option<Scenario> {
    presets()
        .into_iter()
        .find(|(i, _, _)| *i == id)
        .map(|(_, _, s)| s)
}
