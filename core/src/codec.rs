//! Scenario links: the whole scenario in a URL fragment, short, exact and durable.
//!
//! Link format v1 is `v1.` followed by base64url (no padding) of zlib (RFC 1950) data with a
//! preset dictionary, holding the scenario's compact JSON:
//!
//! 1. **Compact JSON** ([`compact_json`]): fields equal to their default are left out, and so
//!    are fields of a table row equal to the row before; source notes the app ships are written
//!    as their number in a frozen, append-only list (`links/strings.json`); numbers are written
//!    in the shortest form that reads back to the same `f64`, so a round trip is exact, seed
//!    included.
//! 2. **Deflate with a preset dictionary** (`links/dictionary_v1.txt`: every field name and the
//!    base case), so a scenario close to a preset costs a few hundred characters at most.
//! 3. **Checksums**: the dictionary's and the data's Adler-32 catch a damaged link.
//!
//! The prefix names the link format; the JSON carries its own `schema_version`, and opening a
//! link upgrades it like a file ([`crate::migrate`]). Both frozen files are part of format v1
//! for ever: `strings.json` may only grow at the end, `dictionary_v1.txt` never changes (a new
//! dictionary means a new format, `v2.`, while `v1.` keeps opening).
//!
//! Opening is defensive: the link's length, the decompressed size (checked *while*
//! decompressing, so a decompression bomb never allocates past [`MAX_DECODED_BYTES`]) and the
//! scenario itself are checked, and every failure is a [`LinkError`] with a plain message.
//!
//! ```
//! use rackplan_core::{codec, Scenario};
//! let mut s = Scenario::default();
//! s.name = "Base case".into();
//! let link = codec::encode_link(&s);
//! assert!(link.starts_with("v1."));
//! let opened = codec::decode_link(&format!("https://example.org/app/#{link}")).unwrap();
//! assert_eq!(opened.scenario, s);
//! ```

use crate::load::{LoadError, Loaded};
use crate::migrate::{self, Object, RowBase};
use crate::scenario::{Scenario, CURRENT_SCHEMA_VERSION};
use crate::validate::Issue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::inflate::TINFLStatus;
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::fmt;
use std::sync::OnceLock;

/// The link format this build writes (the `v1.` prefix).
pub const LINK_FORMAT: u32 = 1;
/// Hard limit on a link's decompressed JSON, bytes.
pub const MAX_DECODED_BYTES: usize = 256 * 1024;
/// Longest link payload accepted, characters (base64 of the largest compressed scenario that
/// could still decompress within [`MAX_DECODED_BYTES`], with room to spare).
pub const MAX_LINK_CHARS: usize = MAX_DECODED_BYTES * 4 / 3 + 1024;

/// Why a link could not be opened. `Display` gives the message shown to the planner.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkError {
    /// Nothing after the `#`.
    Empty,
    /// No `vN.` prefix: not a rackplan scenario link.
    NotALink,
    /// A link format this build does not know (made by a newer rackplan, or never released).
    UnknownFormat { found: String },
    /// Longer than [`MAX_LINK_CHARS`].
    TooLong { chars: usize },
    /// A character that base64url does not use (position is 1-based, counted in the payload).
    BadCharacter { position: usize, found: char },
    /// The link was cut short (copied partly, or shortened by a mail or chat program).
    Truncated,
    /// The bytes do not decompress or fail the checksum: the link was altered.
    Corrupt { detail: String },
    /// The scenario would be larger than [`MAX_DECODED_BYTES`] once decompressed.
    TooLarge,
    /// The link's JSON is an empty object `{}`: it holds no scenario (rackplan never writes one;
    /// opening it would replace the current work with nothing).
    NoScenario,
    /// The link decoded, but the scenario in it is not valid (newer schema, wrong types, values
    /// out of range...).
    Invalid(LoadError),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => f.write_str("This link has no scenario in it (nothing after the #)."),
            LinkError::NotALink => f.write_str(
                "This is not a rackplan scenario link: the part after the # should start with \"v1.\".",
            ),
            LinkError::UnknownFormat { found } => write!(
                f,
                "This link uses link format \"{found}\", which this version of rackplan cannot read (it reads up to v{LINK_FORMAT}). If it was made by a newer rackplan, reload the page to update."
            ),
            LinkError::TooLong { chars } => write!(
                f,
                "This link is too long to be a scenario ({chars} characters; at most {MAX_LINK_CHARS})."
            ),
            LinkError::BadCharacter { position, found } => write!(
                f,
                "This link is damaged: character {position} ({found:?}) cannot appear in a scenario link. Copy the whole link again."
            ),
            LinkError::Truncated => f.write_str(
                "This link is incomplete: it was cut short, perhaps when it was copied or sent. Copy the whole link again.",
            ),
            LinkError::Corrupt { detail } => write!(
                f,
                "This link is damaged and cannot be read ({detail}). Copy the whole link again."
            ),
            LinkError::TooLarge => write!(
                f,
                "This link holds more than {} KiB of scenario, the most rackplan opens.",
                MAX_DECODED_BYTES / 1024
            ),
            LinkError::NoScenario => write!(f, "This link {}.", migrate::NO_SCENARIO),
            LinkError::Invalid(LoadError::Parse { message, .. }) => {
                write!(f, "The scenario in this link is not valid: {message}.")
            }
            LinkError::Invalid(LoadError::Invalid(issues)) => {
                f.write_str("The scenario in this link is not valid:")?;
                for issue in issues
                    .iter()
                    .filter(|i| i.severity == crate::Severity::Error)
                {
                    write!(f, "\n{issue}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LinkError {}

/// The compact JSON a link carries (link format v1):
/// - fields equal to their default are left out, and so are fields of a table row equal to the
///   same field of the row before ([`RowBase::PreviousRow`]);
/// - a source note or the notes, when it is one of the texts the app ships ([`link_strings`]),
///   is written as its index in that frozen list;
/// - whole numbers are written without `.0`.
pub fn compact_json(scenario: &Scenario) -> String {
    let mut value = scenario.to_json_value();
    let defaults = migrate::frozen_defaults(CURRENT_SCHEMA_VERSION)
        .expect("the current version has frozen defaults");
    if let Value::Object(obj) = &mut value {
        obj.insert("schema_version".into(), Value::from(CURRENT_SCHEMA_VERSION));
        migrate::compact(obj, &defaults, RowBase::PreviousRow);
        let index = string_index();
        map_texts(obj, &mut |text| {
            if let Value::String(t) = text {
                if let Some(&i) = index.get(t.as_str()) {
                    *text = Value::from(i);
                }
            }
            Ok(())
        })
        .expect("packing texts never fails");
    }
    shorten_numbers(&mut value);
    value.to_string()
}

/// The inverse of [`compact_json`]'s packing: texts by index back, every field filled in.
fn unpack(value: &mut Value) -> Result<(), LinkError> {
    let Value::Object(obj) = value else {
        return Err(LinkError::Invalid(LoadError::Invalid(vec![Issue::error(
            "",
            "a scenario must be a JSON object { ... }",
        )])));
    };
    let version = migrate::schema_version_of(obj)
        .map_err(|e| LinkError::Invalid(LoadError::Invalid(vec![migrate::version_issue(e)])))?;
    let strings = link_strings();
    map_texts(obj, &mut |text| {
        if let Value::Number(n) = text {
            let found = n
                .as_u64()
                .and_then(|i| strings.get(usize::try_from(i).ok()?));
            match found {
                Some(s) => *text = Value::String(s.clone()),
                None => {
                    return Err(LinkError::Corrupt {
                        detail: format!("unknown text number {n}"),
                    })
                }
            }
        }
        Ok(())
    })?;
    let defaults = migrate::frozen_defaults(version).expect("every released version has defaults");
    migrate::expand(obj, &defaults, RowBase::PreviousRow);
    Ok(())
}

/// The texts a link may refer to by number: every source note and scenario note the app ships.
/// Frozen: entries are only ever appended (old links refer to them by position).
pub fn link_strings() -> &'static [String] {
    static STRINGS: OnceLock<Vec<String>> = OnceLock::new();
    STRINGS.get_or_init(|| {
        serde_json::from_str(include_str!("links/strings.json"))
            .expect("links/strings.json is a JSON array of strings")
    })
}

fn string_index() -> &'static FxHashMap<&'static str, usize> {
    static INDEX: OnceLock<FxHashMap<&'static str, usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = FxHashMap::default();
        for (i, s) in link_strings().iter().enumerate() {
            index.entry(s.as_str()).or_insert(i);
        }
        index
    })
}

/// Apply `f` to every value that may be packed as a text number: the top-level `notes` and the
/// values of every `sources` map (top level and in table rows).
fn map_texts(
    obj: &mut Object,
    f: &mut dyn FnMut(&mut Value) -> Result<(), LinkError>,
) -> Result<(), LinkError> {
    if let Some(notes) = obj.get_mut("notes") {
        f(notes)?;
    }
    fn sources(
        obj: &mut Object,
        f: &mut dyn FnMut(&mut Value) -> Result<(), LinkError>,
    ) -> Result<(), LinkError> {
        if let Some(Value::Object(map)) = obj.get_mut("sources") {
            for v in map.values_mut() {
                f(v)?;
            }
        }
        Ok(())
    }
    sources(obj, f)?;
    // Schema 2: the renting section's notes (MODEL.md §3.4).
    if let Some(Value::Object(renting)) = obj.get_mut("renting") {
        sources(renting, f)?;
    }
    for table in ["markets", "supply_regions", "sites", "extra_demand"] {
        if let Some(Value::Array(rows)) = obj.get_mut(table) {
            for row in rows.iter_mut() {
                if let Value::Object(row) = row {
                    sources(row, f)?;
                }
            }
        }
    }
    Ok(())
}

/// Write whole floating-point numbers as integers (`1.0` -> `1`); -0.0 stays as it is.
fn shorten_numbers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|_| n.is_f64()) {
                if x.fract() == 0.0 && x.abs() < 9.0e15 && !(x == 0.0 && x.is_sign_negative()) {
                    *v = Value::from(x as i64);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(shorten_numbers),
        Value::Object(o) => o.values_mut().for_each(shorten_numbers),
        _ => {}
    }
}

/// The link payload for a scenario (`v1.` + base64url of the zlib-compressed compact JSON),
/// to put after the `#` of the app's address.
pub fn encode_link(scenario: &Scenario) -> String {
    encode_json(&compact_json(scenario))
}

/// Wrap any JSON text as a link payload (tests freeze hand-made links with it).
pub fn encode_json(json: &str) -> String {
    let packed = zlib_with_dictionary(json.as_bytes(), DICTIONARY_V1.as_bytes());
    format!("v{LINK_FORMAT}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The preset dictionary of link format v1 (RFC 1950 `FDICT`): text that links are likely to
/// repeat (every field name, the base case), so deflate can refer back to it. Frozen: a link
/// decodes only with the very bytes it was written with.
const DICTIONARY_V1: &str = include_str!("links/dictionary_v1.txt");

/// zlib (RFC 1950) with a preset dictionary: header with `FDICT` and the dictionary's Adler-32,
/// raw deflate that may refer back into the dictionary, Adler-32 of the data.
fn zlib_with_dictionary(data: &[u8], dictionary: &[u8]) -> Vec<u8> {
    use miniz_oxide::deflate::core::{
        compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
    };
    // Raw deflate (negative window bits), best compression.
    let mut c = CompressorOxide::new(create_comp_flags_from_zip_params(10, -15, 0));
    // Run the dictionary through the compressor and throw its output away: the compressor's
    // window then holds the dictionary, and after a sync flush the data's blocks start on a
    // byte boundary, decodable by any inflater whose window holds the same dictionary.
    let mut scratch = vec![0u8; dictionary.len() * 2 + 1024];
    let (status, used, _) = compress(&mut c, dictionary, &mut scratch, TDEFLFlush::Sync);
    assert!(
        status == TDEFLStatus::Okay && used == dictionary.len(),
        "dictionary primed"
    );
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    let cmf = 0x78u8; // deflate, 32 KiB window
    let flg_base = 0xC0u8 | 0x20; // best compression, FDICT
    let fcheck = (31 - ((u16::from(cmf) << 8 | u16::from(flg_base)) % 31)) % 31;
    out.extend_from_slice(&[cmf, flg_base | fcheck as u8]);
    out.extend_from_slice(&adler32(dictionary).to_be_bytes());
    let mut input = data;
    let mut buf = vec![0u8; data.len() + 1024];
    loop {
        let (status, used, written) = compress(&mut c, input, &mut buf, TDEFLFlush::Finish);
        out.extend_from_slice(&buf[..written]);
        input = &input[used..];
        match status {
            TDEFLStatus::Done => break,
            TDEFLStatus::Okay => continue,
            other => panic!("deflate failed: {other:?}"),
        }
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// Inflate [`zlib_with_dictionary`] output, never producing more than `limit` bytes (checked
/// while inflating: the output buffer grows only up to the limit).
fn inflate_with_dictionary(
    packed: &[u8],
    dictionary: &[u8],
    limit: usize,
) -> Result<Vec<u8>, LinkError> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    let corrupt = |detail: &str| LinkError::Corrupt {
        detail: detail.into(),
    };
    if packed.len() < 6 {
        return Err(LinkError::Truncated);
    }
    let (cmf, flg) = (packed[0], packed[1]);
    if cmf & 0x0F != 8 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 || flg & 0x20 == 0 {
        return Err(corrupt("bad header"));
    }
    if packed[2..6] != adler32(dictionary).to_be_bytes() {
        return Err(corrupt("made with another dictionary"));
    }
    let mut input = &packed[6..];
    // The dictionary sits in the output buffer before the data, so back references reach it.
    let start = dictionary.len();
    let mut out = dictionary.to_vec();
    out.resize(start + (input.len() * 4).clamp(1024, limit + 1), 0);
    let mut pos = start;
    let mut d = Box::<DecompressorOxide>::default();
    loop {
        let (status, used, written) = decompress(
            &mut d,
            input,
            &mut out,
            pos,
            // "More input may follow": the end of the link in mid-stream then reads as
            // NeedsMoreInput (cut short), not as zeros that fail later as "damaged".
            inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF
                | inflate_flags::TINFL_FLAG_HAS_MORE_INPUT,
        );
        pos += written;
        input = &input[used.min(input.len())..];
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput => {
                if out.len() - start > limit {
                    return Err(LinkError::TooLarge);
                }
                let grown = (out.len() - start).saturating_mul(2).min(limit + 1);
                out.resize(start + grown, 0);
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err(LinkError::Truncated)
            }
            _ => return Err(corrupt("not compressed scenario data")),
        }
    }
    if pos - start > limit {
        return Err(LinkError::TooLarge);
    }
    let data = out[start..pos].to_vec();
    match input.len() {
        0..4 => Err(LinkError::Truncated),
        4 if input == adler32(&data).to_be_bytes() => Ok(data),
        4 => Err(corrupt("checksum mismatch")),
        _ => Err(corrupt("extra data after the end")),
    }
}

/// Adler-32 (RFC 1950).
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in bytes.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    b << 16 | a
}

/// The payload of a link given as a full address (`https://…/#v1.…`), a fragment (`#v1.…`) or
/// the bare payload; surrounding white space is ignored.
pub fn link_payload(input: &str) -> &str {
    let s = input.trim();
    match s.find('#') {
        Some(i) => s[i + 1..].trim(),
        None => s,
    }
}

/// Whether a piece of text looks like a link rather than a file name (for the CLI, which
/// checks first whether a file of that name exists).
pub fn looks_like_link(input: &str) -> bool {
    let t = input.trim();
    t.starts_with('#') || t.contains("://") || (split_format(t).is_ok() && !t.ends_with(".json"))
}

/// Decompress and parse a link into its JSON value as written (compact), without validating.
pub fn decode_value(input: &str) -> Result<Value, LinkError> {
    let payload = link_payload(input);
    if payload.is_empty() {
        return Err(LinkError::Empty);
    }
    let (format, body) = split_format(payload)?;
    if format != LINK_FORMAT {
        return Err(LinkError::UnknownFormat {
            found: format!("v{format}"),
        });
    }
    if body.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong {
            chars: payload.chars().count(),
        });
    }
    let body = body.trim_end_matches('=');
    if let Some((i, c)) = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(LinkError::BadCharacter {
            position: prefix_len(payload) + body[..i].chars().count() + 1,
            found: c,
        });
    }
    if body.is_empty() || body.len() % 4 == 1 {
        return Err(LinkError::Truncated);
    }
    // Lenient about the unused low bits of the last character, so a link cut anywhere reads
    // as cut short (the checksums still catch any change to the data).
    const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    );
    let packed = LENIENT.decode(body).map_err(|e| LinkError::Corrupt {
        detail: e.to_string(),
    })?;
    let bytes = inflate_with_dictionary(&packed, DICTIONARY_V1.as_bytes(), MAX_DECODED_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| LinkError::Corrupt {
        detail: "not text".into(),
    })?;
    serde_json::from_str(&text).map_err(|e| LinkError::Corrupt {
        detail: format!("not JSON: {e}"),
    })
}

/// Open a link: decode, upgrade from its schema version, validate. The result is the scenario
/// with any warnings; nothing is applied anywhere, so a bad link never replaces current work.
pub fn decode_link(input: &str) -> Result<Loaded, LinkError> {
    let mut value = decode_value(input)?;
    // `{}`: nothing at all. (`{"schema_version":1}` is the link rackplan writes for the default
    // scenario, frozen in core/tests/fixtures/links/v1/default.link: it keeps opening.)
    if matches!(&value, Value::Object(o) if o.is_empty()) {
        return Err(LinkError::NoScenario);
    }
    unpack(&mut value)?;
    crate::load::load_value(value).map_err(LinkError::Invalid)
}

/// The schema version a link's scenario was written with, before any upgrade (`None` if the
/// link does not decode): a link of an older schema was made with an older base case.
pub fn link_schema_version(input: &str) -> Option<u32> {
    match decode_value(input).ok()? {
        Value::Object(o) => migrate::schema_version_of(&o).ok(),
        _ => None,
    }
}

/// Characters of `payload` before the body (`v1.` = 3).
fn prefix_len(payload: &str) -> usize {
    payload.find('.').map_or(0, |i| i + 1)
}

/// `v12.body` -> (12, "body").
fn split_format(payload: &str) -> Result<(u32, &str), LinkError> {
    let rest = payload.strip_prefix('v').ok_or(LinkError::NotALink)?;
    let (n, body) = rest.split_once('.').ok_or(LinkError::NotALink)?;
    if n.is_empty() || n.len() > 6 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NotALink);
    }
    let format: u32 = n.parse().map_err(|_| LinkError::NotALink)?;
    if format == 0 {
        return Err(LinkError::UnknownFormat {
            found: format!("v{n}"),
        });
    }
    Ok((format, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scenario_round_trips_and_is_tiny() {
        let s = Scenario::default();
        let link = encode_link(&s);
        assert!(link.len() < 48, "{link}");
        assert_eq!(decode_link(&link).unwrap().scenario, s);
        assert_eq!(compact_json(&s), r#"{"schema_version":3}"#);
    }

    #[test]
    fn payload_is_found_in_addresses() {
        assert_eq!(link_payload("  https://a.b/x/?q=1#v1.abc \n"), "v1.abc");
        assert_eq!(link_payload("#v1.abc"), "v1.abc");
        assert_eq!(link_payload("v1.abc"), "v1.abc");
        assert!(looks_like_link("#v1.abc"));
        assert!(looks_like_link("v1.eJyrVg"));
        assert!(looks_like_link("http://x/#v1.abc"));
        assert!(!looks_like_link("scenario.json"));
        assert!(!looks_like_link("v1.json"));
    }

    #[test]
    fn bad_character_position_is_one_based_in_the_payload() {
        let err = decode_value("#v1.ab*c").unwrap_err();
        assert_eq!(
            err,
            LinkError::BadCharacter {
                position: 6,
                found: '*'
            }
        );
    }
}
