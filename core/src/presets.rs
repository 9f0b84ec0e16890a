//! Preset scenarios: the "Base case" and stress cases (MODEL.md §8).
//!
//! Every default figure carries its source note ("value — source"); `[R]` reported, `[E]`
//! estimate, `[D]` arithmetic from cited numbers, `NOT FOUND` looked for and not found (then the
//! value is a labelled estimate). The notes are copied from the project's research file so they
//! ship with the app.

use crate::scenario::{
    CapacityPoint, CorrelationGroup, FleetSettings, Market, MonteCarloSettings, PolicyChoice,
    RentPoint, RentingSettings, Scenario, SharePoint, Site, Sources, SourcingSettings,
    SupplyRegion, CURRENT_SCHEMA_VERSION,
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
const SRC_EFFICIENCY: &str = "28 %/yr (15-40 %) — nodes move to M5-class chips (skipping M3 and M4), and a dedicated server chip goes into mass production in the second half of 2026 for deployment in 2027 (Kuo, via 9to5Mac on primetechbuzz.com; read 2026-12) [E]. The model has one yearly rate, so this generation step is folded into it; rate [E]";
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

/// The fall-2026 wave (the new, Gemini-based Siri, English first): extra requests on the larger
/// model, as a market of their own so the step in compute per request shows (MODEL.md §8).
fn wave(name: &str, share: f64, launch: &str, launch_src: &str) -> Market {
    let mut m = market(name, share, Some(launch), launch_src);
    m.requests_per_user_per_day = tri(0.5, 1.5, 4.0);
    m.cloud_share = fixed(1.0);
    m.server_seconds_per_request = Uncertain::Lognormal90 { p5: 1.5, p95: 6.0 };
    m.sources
        .insert("requests_per_user_per_day".into(), SRC_WAVE_REQUESTS.into());
    m.sources
        .insert("requests_growth_per_year".into(), SRC_WAVE_REQUESTS.into());
    m.sources
        .insert("cloud_share".into(), SRC_WAVE_CLOUD.into());
    m.sources
        .insert("server_seconds_per_request".into(), SRC_WAVE_SECONDS.into());
    m
}

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
        efficiency_gain_per_year: tri(0.15, 0.28, 0.40),
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

const SRC_FOXCONN_OTHERS: &str = "50 % (40-57 %) in 2024-25, 55 % (45-62 %) by 2026-12 of this site's lines taken by other customers [E]. The share of Foxconn's lines that other customers take is NOT FOUND: Hon Hai builds ~50 % (~57 % in Aug 2025) of Nvidia's GB200/300 NVL72 racks (reportify.ai broker notes 2025-08-19 and 2025-10-10) — a share of Nvidia's racks, not of Foxconn's lines, used only as a sign of how busy the lines are. 2026: Nvidia racks go from ~28-30k to 60-70k, backlog > 70k (Morgan Stanley via reportify.ai and dailyalpha.us; read 2026-12) while Foxconn's rack output doubles from ~1,000 to ~2,000 a week (channelnewsasia.com 2025-11-21; read 2026-12): GPU racks take a somewhat larger share of the same lines, +5 points (0 to +10) [E]";
const SRC_QUANTA_OTHERS: &str = "22 % in 2024-25, 27 % (22-32 %) by 2026-12 of this site's lines taken by other customers [E]. NOT FOUND as a share of Quanta's lines: Quanta builds ~22 % of Nvidia's NVL72 racks in 2025 (reportify.ai) — a share of Nvidia's racks, used only as a sign of load. 2026: Nvidia racks 60-70k after ~28-30k (Morgan Stanley via reportify.ai and dailyalpha.us; read 2026-12): +5 points (0 to +10) [E]";
const SRC_WISTRON_OTHERS: &str = "21 % (20-22 %) in 2024-25, 26 % (21-30 %) by 2026-12 of this site's lines taken by other customers [E]. NOT FOUND as a share of Wistron's lines: Wistron builds ~20 % of Nvidia's NVL72 racks in 2025 (reportify.ai) — a share of Nvidia's racks, used only as a sign of load. 2026: Nvidia racks 60-70k after ~28-30k (Morgan Stanley via reportify.ai and dailyalpha.us; read 2026-12): +5 points (0 to +10) [E]";
const SRC_PRICE_TREND: &str = "+3 %/yr (0 to +8 %) — server prices rise 15-30 % in 2026 as DRAM contract prices rise 90-95 % in Q1 2026 (algeriatech.news; britecity.com; read 2026-12) [E]: a trend of at least 0, not falling. The model has one yearly rate over the horizon, so the 2026 jump is spread over it [E]";
const SRC_HOUSTON_GROWTH: &str = "1,500 units/month from 2025-10, 2,250 (1,800-3,000) by 2026-12 — Apple's Houston plant ships Private Cloud Compute servers, and Apple's COO: \"continue expanding the facility to increase production next year\" (macrumors.com 2025-10-24; read 2026-12) [R]; units/month [E]";
const SRC_WAVE_EN: &str = "2026-09 — the new Siri slipped past iOS 26.4 and was set at WWDC 2026-06-08 for fall 2026 in iOS 27, English first; China and the EU later (Bloomberg via gokawiil.com; rainsnews.com; read 2026-12) [E]. Devices: the US and other English markets, 18 % of the base [E]";
const SRC_WAVE_OTHER: &str = "2027-04 — other languages after English (Bloomberg via gokawiil.com; rainsnews.com; read 2026-12); month assumed [E]. Devices: the EU, the iOS 18.4 and iOS 26.1 language markets, 44 % of the base; mainland China still off (not launched, still delayed at WWDC 2026: parameter.io; rainsnews.com; read 2026-12) [E]";
const SRC_WAVE_REQUESTS: &str =
    "1.5 (0.5-4) conversations with the new Siri per active user per day, +25 %/yr — NOT FOUND [E]";
const SRC_WAVE_CLOUD: &str = "100 % — the Gemini-based model (~1.2T parameters) runs on Private Cloud Compute, not on the device (Bloomberg via hardwarezone.com, Nov 2025; deal confirmed Jan 2026; read 2026-12) [R]";
const SRC_WAVE_SECONDS: &str = "3 server-seconds per request (90 % range 1.5-6) — the ~1.2T-parameter model is ~8x the parameters of Apple's own ~150B cloud model (Bloomberg via hardwarezone.com; read 2026-12) [R]; per-request compute steps up 1.5-6x over the 1.0 of the current requests (a mixture-of-experts model uses a fraction of its parameters per token) [E]";
const SRC_RENT: &str = "$2,000 (1,000-4,000) per server-equivalent month [E] — no rent figure found. A node's own cost over 60 months is ~$670 a month ($40,000 / 60); a hosted equivalent priced at 1.5-6x that. Apple's CFO describes a hybrid of first- and third-party capacity (macdailynews.com 2025-10-31), the Siri chatbot may run on Google TPU servers (macrumors.com 2026-01-22), and the Gemini model is reported at ~$1B a year (hardwarezone.com); all read 2026-12";
const SRC_RENT_LIMIT: &str = "0 until 2025-10, then rising to 5,000 (2,000-10,000) server-equivalents a month by 2026-09 [E] — third-party capacity from Apple's CFO's 'hybrid' (macdailynews.com 2025-10-31) and Google TPU servers for the Siri chatbot (macrumors.com 2026-01-22); both read 2026-12; the limit is an estimate (NOT FOUND)";
const SRC_START: &str = "2024-01, 84 months to 2030-12 — kept, although the planning date is 2026-12: the fleet is built up from before the first launch (2024-10), so the servers already in service and their replacement dates come out of the same model instead of a guessed installed fleet; months up to 2026-11 replay what was public, 2026-12 on is the plan [E]";
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

/// Others' share at 2026-12 per supplier: GPU racks take more of the same lines as Nvidia's
/// rack volumes double in 2026 (the 2024-01 point stays; linear in between, MODEL.md §2.2).
fn others_2026(supplier: &str) -> Option<Uncertain> {
    match supplier {
        "Foxconn" => Some(tri(0.45, 0.55, 0.62)),
        "Quanta" => Some(tri(0.22, 0.27, 0.32)),
        "Wistron" => Some(tri(0.21, 0.26, 0.30)),
        _ => None,
    }
}

/// The base case's sites: the table above, then the 2026 updates (others' shares following
/// Nvidia's 2026 rack volumes, Houston's expansion).
fn base_case_sites() -> Vec<Site> {
    let mut sites: Vec<Site> = base_sites().iter().map(site).collect();
    for x in &mut sites {
        let busy = x.other_customers_share[0].share.point() > 0.0;
        if let (true, Some(later)) = (busy, others_2026(&x.supplier)) {
            x.other_customers_share.push(SharePoint {
                month: "2026-12".into(),
                share: later,
            });
        }
        if x.name == "Foxconn Houston" {
            x.capacity = vec![
                CapacityPoint {
                    month: "2025-10".into(),
                    units_per_month: fixed(1500.0),
                },
                CapacityPoint {
                    month: "2026-12".into(),
                    units_per_month: tri(1800.0, 2250.0, 3000.0),
                },
            ];
            x.sources
                .insert("capacity".into(), SRC_HOUSTON_GROWTH.into());
        }
    }
    sites
}

/// The base case's rented third-party capacity (MODEL.md §3.4).
fn base_case_renting() -> RentingSettings {
    RentingSettings {
        rent_usd_per_server_month: tri(1000.0, 2000.0, 4000.0),
        available_server_equivalents: vec![
            RentPoint {
                month: "2025-10".into(),
                server_equivalents: fixed(0.0),
            },
            RentPoint {
                month: "2026-09".into(),
                server_equivalents: tri(2000.0, 5000.0, 10000.0),
            },
        ],
        sources: src(&[
            ("rent_usd_per_server_month", SRC_RENT),
            ("available_server_equivalents", SRC_RENT_LIMIT),
        ]),
    }
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
        price_change_per_year: tri(0.0, 0.03, 0.08),
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
            ("price_change_per_year", SRC_PRICE_TREND),
            (
                "supplier",
                "3i supplier table (Foxconn, Quanta, Wistron/Wiwynn, Lenovo, USI, Supermicro)",
            ),
        ]),
    }
}

/// The schema version whose links were made with today's base case: a link of an older version
/// was made with an older base case, and the app offers to compare it with today's. Schema 3
/// (supplier levers) left the base case as schema 2 had it (`core/tests/levers.rs` checks the
/// frozen base-case links of both).
pub const BASE_CASE_SINCE_SCHEMA: u32 = 2;

/// The default scenario: Apple-silicon inference nodes for an assistant rolled out by market,
/// 2024-01 to 2030-12 (84 months), least-cost sourcing from 15 sites of 6 suppliers.
pub fn base_case() -> Scenario {
    Scenario {
        schema_version: CURRENT_SCHEMA_VERSION,
        name: "Base case".into(),
        notes: "Apple-silicon inference nodes serving the cloud share of assistant requests, rolled out market by market, \
                with the new Siri's larger model from fall 2026 (English first) and rented third-party capacity. \
                Unit = one server node. All figures carry their source and the date they were read; [E] marks estimates."
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
        markets: MARKETS
            .iter()
            .map(|(n, s, l, ls)| market(n, *s, *l, ls))
            .chain([
                wave("New Siri wave: English (iOS 27)", 0.18, "2026-09", SRC_WAVE_EN),
                wave("New Siri wave: other languages", 0.44, "2027-04", SRC_WAVE_OTHER),
            ])
            .collect(),
        supply_regions: REGIONS
            .iter()
            .map(|(n, w, s)| SupplyRegion { name: (*n).into(), risk_weight: fixed(*w), sources: src(&[("risk_weight", s)]) })
            .collect(),
        sites: base_case_sites(),
        extra_demand: Vec::new(),
        commitment: crate::scenario::CommitmentSettings::default(),
        monte_carlo: MonteCarloSettings { seed: 2024, samples: 1000 },
        renting: base_case_renting(),
        correlations: Vec::new(),
        supplier_levers: Vec::new(),
        sources: src(&[
            ("sourcing.backlog_penalty_usd_per_unit_month", "$50,000 per server-month short: requests refused or moved to a partner; set above the unit price so that waiting never beats buying, even in the last months of the horizon (MODEL.md §3) [E]"),
            ("sourcing.holding_cost_usd_per_unit_month", "$400 per server-month held: ~1 %/month of the price [E]"),
            ("sourcing.max_supplier_share", "60 % — no supplier above 60 % of a month's deliveries (diversification policy) [E]"),
            ("sourcing.risk_premium_usd_per_unit", "$2,000 per unit at risk weight 1 (5 % of the unit price) [E]"),
            ("fleet.server_lifetime_months", "60 months (48-72) — usual server depreciation life [E]"),
            ("fleet.initial_fleet_age_months", "no fleet before the first launch (2024-10) [E]"),
            ("monte_carlo.seed", "any fixed number: same seed, same samples"),
            ("start_month", SRC_START),
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

/// "Siri moves to the large model in fall 2026": every assistant request of the wave's markets
/// goes to the larger model, not just the new conversations.
pub fn siri_large_model() -> Scenario {
    let mut s = base_case();
    s.name = "Siri moves to the large model in fall 2026".into();
    s.notes = "What-if: from the fall-2026 wave every Siri request of the wave's markets runs on the ~1.2T-parameter model in the cloud (10 requests/user/day as today's assistant, not 1.5 new conversations).".into();
    for m in s
        .markets
        .iter_mut()
        .filter(|m| m.name.starts_with("New Siri wave"))
    {
        m.requests_per_user_per_day = tri(4.0, 10.0, 20.0);
        m.sources.insert(
            "requests_per_user_per_day".into(),
            "10 (4-20) per active user per day — every assistant request moves to the large model (what-if) [E]".into(),
        );
    }
    s
}

/// "Nvidia takes 70k racks in 2026": others' 2026-12 shares at the top of their ranges.
pub fn nvidia_70k() -> Scenario {
    let mut s = base_case();
    s.name = "Nvidia takes 70k racks in 2026".into();
    s.notes = "Stress: Nvidia's rack volume reaches 70k in 2026 (the top of Morgan Stanley's 60-70k, backlog > 70k): other customers' shares at the GPU server makers at the top of their 2026 ranges.".into();
    for site in &mut s.sites {
        if let Some(p) = site.other_customers_share.get_mut(1) {
            let (_, high) = p.share.support();
            p.share = fixed(high);
            site.sources.insert(
                "other_customers_share".into(),
                format!("{high} by 2026-12 — Nvidia takes 70k racks in 2026: top of the base range (stress case) [E]"),
            );
        }
    }
    s
}

/// "Houston doubles in 2027": Apple's Houston plant doubles its 2026-12 rate by 2027-12.
pub fn houston_doubles() -> Scenario {
    let mut s = base_case();
    s.name = "Houston doubles in 2027".into();
    s.notes =
        "What-if: Apple's Houston server plant doubles its end-2026 output during 2027.".into();
    for site in s.sites.iter_mut().filter(|x| x.name == "Foxconn Houston") {
        site.capacity.push(CapacityPoint {
            month: "2027-12".into(),
            units_per_month: tri(3600.0, 4500.0, 6000.0),
        });
        site.sources.insert(
            "capacity".into(),
            "1,500 units/month from 2025-10, 2,250 (1,800-3,000) by 2026-12, doubled to 4,500 (3,600-6,000) by 2027-12 (what-if) [E]".into(),
        );
    }
    s
}

/// What the GPU boom preset says about its own shortfall chance, with and without the
/// correlation (`core/tests/correlation.rs` recomputes both numbers with the preset's seed and
/// samples and checks them).
pub const GPU_BOOM_NOTES: &str = "A GPU boom moves demand and the GPU server makers' other customers together [E]. Correlated vs independent: short at horizon end 33.2 % vs 31.9 %; P95 unmet 156,476 vs 78,652 servers.";

/// The GPU boom group's note: where the correlation comes from, and the numbers the short notes
/// leave out (checked like [`GPU_BOOM_NOTES`]).
pub const GPU_BOOM_GROUP_NOTE: &str = "Estimate [E]: one GPU cycle drives assistant adoption and Nvidia's rack orders at Foxconn, Quanta and Wistron. Rank correlation 0.6 within demand, 0.8 within the makers' shares, 0.5 between. Correlated vs independent: P5 service level 53.6 % vs 60.2 %; short in some month 79.3 % vs 90.0 % (bad cases fewer but deeper).";

/// Rank correlations of the GPU boom preset [E]: within the demand inputs, within the server
/// makers' shares, between the two.
const BOOM_DEMAND: f64 = 0.6;
const BOOM_SUPPLY: f64 = 0.8;
const BOOM_CROSS: f64 = 0.5;

/// "GPU boom": demand adoption and the GPU server makers' other customers move together
/// (MODEL.md §5.5). [`gpu_boom_uncorrelated`] is the same without the correlation.
pub fn gpu_boom() -> Scenario {
    let mut s = gpu_boom_uncorrelated();
    s.notes = GPU_BOOM_NOTES.into();
    let demand: Vec<String> = s
        .markets
        .iter()
        .enumerate()
        .filter(|(_, m)| m.launch_month.is_some())
        .flat_map(|(i, m)| {
            [
                (
                    format!("markets[{i}].adoption_ceiling"),
                    m.adoption_ceiling.is_uncertain(),
                ),
                (
                    format!("markets[{i}].requests_per_user_per_day"),
                    m.requests_per_user_per_day.is_uncertain(),
                ),
            ]
        })
        .filter_map(|(path, uncertain)| uncertain.then_some(path))
        .collect();
    let supply: Vec<String> = s
        .sites
        .iter()
        .enumerate()
        .filter(|(_, x)| boom_share(x).is_some())
        .map(|(i, x)| {
            format!(
                "sites[{i}].other_customers_share[{}].share",
                x.other_customers_share.len() - 1
            )
        })
        .collect();
    let (d, n) = (demand.len(), demand.len() + supply.len());
    let matrix = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| match (i == j, i < d, j < d) {
                    (true, _, _) => 1.0,
                    (_, true, true) => BOOM_DEMAND,
                    (_, false, false) => BOOM_SUPPLY,
                    _ => BOOM_CROSS,
                })
                .collect()
        })
        .collect();
    s.correlations = vec![CorrelationGroup {
        inputs: demand.into_iter().chain(supply).collect(),
        matrix,
        note: GPU_BOOM_GROUP_NOTE.into(),
    }];
    s
}

/// The GPU server makers' sites whose latest other-customers' share is uncertain: that share
/// with a higher top in a GPU boom (Nvidia rack orders take more of the line) [E].
fn boom_share(site: &Site) -> Option<Uncertain> {
    let last = site.other_customers_share.last()?;
    let gpu_maker = matches!(site.supplier.as_str(), "Foxconn" | "Quanta" | "Wistron");
    if !gpu_maker || !last.share.is_uncertain() {
        return None;
    }
    let (low, high) = last.share.support();
    Some(tri(low, last.share.point(), (high + 0.08).min(0.95)))
}

/// The GPU boom's inputs sampled independently (no correlation group): the comparison its note
/// quotes.
pub fn gpu_boom_uncorrelated() -> Scenario {
    let mut s = base_case();
    s.name = "GPU boom".into();
    for site in &mut s.sites {
        let Some(share) = boom_share(site) else {
            continue;
        };
        if let Some(last) = site.other_customers_share.last_mut() {
            last.share = share;
        }
        site.sources.insert(
            "other_customers_share".into(),
            "GPU boom: the base range with a higher top (Nvidia rack orders take more of the line) [E]".into(),
        );
    }
    s
}

/// "No renting": the base case without rented third-party capacity.
pub fn no_renting() -> Scenario {
    let mut s = base_case();
    s.name = "No renting".into();
    s.notes = "What-if: no third-party capacity is rented; every missing server is backlog.".into();
    s.renting = RentingSettings::default();
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
        (
            "siri-large-model",
            "Siri moves to the large model in fall 2026",
            siri_large_model(),
        ),
        ("nvidia-70k", "Nvidia takes 70k racks in 2026", nvidia_70k()),
        (
            "houston-doubles",
            "Houston doubles in 2027",
            houston_doubles(),
        ),
        ("no-renting", "No renting", no_renting()),
        ("gpu-boom", "GPU boom", gpu_boom()),
    ]
}

/// A preset by id (see [`presets`]).
pub fn preset(id: &str) -> Option<Scenario> {
    presets()
        .into_iter()
        .find(|(i, _, _)| *i == id)
        .map(|(_, _, s)| s)
}
