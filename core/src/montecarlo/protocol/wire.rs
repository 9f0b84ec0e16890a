//! The compact binary form of the worker's replies: little-endian numbers and length-prefixed
//! strings, written by [`Writer`] and read back by [`Reader`], which names what is missing or
//! malformed instead of panicking.

use super::*;

pub(super) struct Writer(pub(super) Vec<u8>);

impl Writer {
    pub(super) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(super) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(super) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(super) fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    pub(super) fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }
    pub(super) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(super) fn f64s(&mut self, v: &[f64]) {
        self.list(v, |w, &x| w.f64(x));
    }
    /// A length, then each item as `item` writes it.
    pub(super) fn list<T>(&mut self, v: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.len(v.len());
        v.iter().for_each(|x| item(self, x));
    }
    pub(super) fn failed(&mut self, v: &[FailedSample]) {
        self.list(v, |w, f| {
            w.u64(f.index as u64);
            w.str(&f.message);
        });
    }
    pub(super) fn band(&mut self, b: &Band) {
        let Band {
            p5,
            p25,
            p50,
            p75,
            p95,
        } = b;
        for v in [p5, p25, p50, p75, p95] {
            self.f64s(v);
        }
    }
    pub(super) fn distribution(&mut self, d: &Distribution) {
        for x in [d.mean, d.min, d.max, d.p5, d.p25, d.p50, d.p75, d.p95] {
            self.f64(x);
        }
        self.f64s(&d.histogram.edges);
        self.list(&d.histogram.counts, |w, &c| w.u32(c));
    }
    pub(super) fn outcome(&mut self, o: &Outcome) {
        let Outcome {
            service_level,
            total_cost_usd,
            unmet_units,
            backlog_peak_units,
        } = *o;
        for x in [
            service_level,
            total_cost_usd,
            unmet_units,
            backlog_peak_units,
        ] {
            self.f64(x);
        }
    }
    pub(super) fn summary(&mut self, s: &Summary) {
        let Summary {
            samples_done,
            samples_total,
            samples_failed,
            failed_samples,
            seed,
            months,
            deliveries_needed,
            available,
            delivered,
            backlog,
            shortfall_probability,
            any_shortfall_probability,
            total_cost_usd,
            unmet_units,
            service_level,
            backlog_peak_units,
            deterministic,
        } = s;
        self.u64(*samples_done as u64);
        self.u64(*samples_total as u64);
        self.u64(*samples_failed as u64);
        self.failed(failed_samples);
        self.u64(*seed);
        self.list(months, |w, m| w.str(m));
        for b in [deliveries_needed, available, delivered, backlog] {
            self.band(b);
        }
        self.f64s(shortfall_probability);
        self.f64(*any_shortfall_probability);
        for d in [
            total_cost_usd,
            unmet_units,
            service_level,
            backlog_peak_units,
        ] {
            self.distribution(d);
        }
        let Deterministic {
            deliveries_needed,
            available,
            delivered,
            backlog,
            outcome,
        } = deterministic;
        for v in [deliveries_needed, available, delivered, backlog] {
            self.f64s(v);
        }
        self.outcome(outcome);
    }
    pub(super) fn block(&mut self, b: &SampleBlock) {
        let SampleBlock {
            first,
            count,
            ok_index,
            failed_count,
            failed,
            needed,
            available,
            delivered,
            backlog,
            short_count,
            any_short,
            service_level,
            total_cost,
            unmet,
            backlog_peak,
        } = b;
        self.u64(*first as u64);
        self.u64(*count as u64);
        self.list(ok_index, |w, &i| w.u64(i as u64));
        self.u64(*failed_count as u64);
        self.failed(failed);
        for v in [needed, available, delivered, backlog] {
            self.f64s(v);
        }
        self.list(short_count, |w, &c| w.u32(c));
        self.u64(*any_short as u64);
        for v in [service_level, total_cost, unmet, backlog_peak] {
            self.f64s(v);
        }
    }
    pub(super) fn tornado(&mut self, t: &Tornado) {
        let Tornado {
            metric,
            base,
            bars,
            groups,
            skipped,
        } = t;
        self.str(metric.id());
        self.outcome(base);
        self.len(bars.len());
        for b in bars {
            let TornadoBar {
                input,
                low_value,
                median_value,
                high_value,
                at_low,
                at_high,
                swing,
            } = b;
            self.str(input);
            for &x in [low_value, median_value, high_value] {
                self.f64(x);
            }
            self.outcome(at_low);
            self.outcome(at_high);
            self.f64(*swing);
        }
        self.list(skipped, |w, x| w.str(x));
        self.len(groups.len());
        for g in groups {
            let GroupBar {
                kind,
                name,
                inputs,
                at_low,
                at_high,
                swing,
            } = g;
            self.u8(kind.id());
            self.str(name);
            self.list(inputs, |w, x| w.str(x));
            self.outcome(at_low);
            self.outcome(at_high);
            self.f64(*swing);
        }
    }
}

pub(super) struct Reader<'a>(pub(super) &'a [u8]);

impl Reader<'_> {
    pub(super) fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    pub(super) fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }
    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }
    pub(super) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
    pub(super) fn f64(&mut self) -> Option<f64> {
        Some(f64::from_bits(self.u64()?))
    }
    /// A list's length, refused when the rest cannot hold that many items of `item` bytes.
    pub(super) fn len(&mut self, item: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.checked_mul(item)? <= self.0.len()).then_some(n)
    }
    pub(super) fn str(&mut self) -> Option<String> {
        let n = self.len(1)?;
        String::from_utf8(self.bytes(n)?.to_vec()).ok()
    }
    /// A length (each item at least `min_bytes` long), then each item as `item` reads it.
    pub(super) fn list<T>(
        &mut self,
        min_bytes: usize,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        let n = self.len(min_bytes)?;
        (0..n).map(|_| item(self)).collect()
    }
    pub(super) fn strs(&mut self) -> Option<Vec<String>> {
        self.list(4, Self::str)
    }
    pub(super) fn failed(&mut self) -> Option<Vec<FailedSample>> {
        self.list(12, |r| {
            Some(FailedSample {
                index: r.u64()?.try_into().ok()?,
                message: r.str()?,
            })
        })
    }
    pub(super) fn f64s(&mut self) -> Option<Vec<f64>> {
        let n = self.len(8)?;
        (0..n).map(|_| self.f64()).collect()
    }
    pub(super) fn band(&mut self) -> Option<Band> {
        Some(Band {
            p5: self.f64s()?,
            p25: self.f64s()?,
            p50: self.f64s()?,
            p75: self.f64s()?,
            p95: self.f64s()?,
        })
    }
    pub(super) fn distribution(&mut self) -> Option<Distribution> {
        Some(Distribution {
            mean: self.f64()?,
            min: self.f64()?,
            max: self.f64()?,
            p5: self.f64()?,
            p25: self.f64()?,
            p50: self.f64()?,
            p75: self.f64()?,
            p95: self.f64()?,
            histogram: Histogram {
                edges: self.f64s()?,
                counts: self.list(4, Self::u32)?,
            },
        })
    }
    pub(super) fn outcome(&mut self) -> Option<Outcome> {
        Some(Outcome {
            service_level: self.f64()?,
            total_cost_usd: self.f64()?,
            unmet_units: self.f64()?,
            backlog_peak_units: self.f64()?,
        })
    }
    pub(super) fn summary(&mut self) -> Option<Box<Summary>> {
        Some(Box::new(Summary {
            samples_done: self.u64()?.try_into().ok()?,
            samples_total: self.u64()?.try_into().ok()?,
            samples_failed: self.u64()?.try_into().ok()?,
            failed_samples: self.failed()?,
            seed: self.u64()?,
            months: self.strs()?,
            deliveries_needed: self.band()?,
            available: self.band()?,
            delivered: self.band()?,
            backlog: self.band()?,
            shortfall_probability: self.f64s()?,
            any_shortfall_probability: self.f64()?,
            total_cost_usd: self.distribution()?,
            unmet_units: self.distribution()?,
            service_level: self.distribution()?,
            backlog_peak_units: self.distribution()?,
            deterministic: Deterministic {
                deliveries_needed: self.f64s()?,
                available: self.f64s()?,
                delivered: self.f64s()?,
                backlog: self.f64s()?,
                outcome: self.outcome()?,
            },
        }))
    }
    pub(super) fn block(&mut self) -> Option<SampleBlock> {
        Some(SampleBlock {
            first: self.u64()?.try_into().ok()?,
            count: self.u64()?.try_into().ok()?,
            ok_index: self.list(8, |r| r.u64()?.try_into().ok())?,
            failed_count: self.u64()?.try_into().ok()?,
            failed: self.failed()?,
            needed: self.f64s()?,
            available: self.f64s()?,
            delivered: self.f64s()?,
            backlog: self.f64s()?,
            short_count: self.list(4, Self::u32)?,
            any_short: self.u64()?.try_into().ok()?,
            service_level: self.f64s()?,
            total_cost: self.f64s()?,
            unmet: self.f64s()?,
            backlog_peak: self.f64s()?,
        })
    }
    pub(super) fn tornado(&mut self) -> Option<Box<Tornado>> {
        let metric = KeyMetric::from_id(&self.str()?)?;
        let base = self.outcome()?;
        let n = self.len(1)?;
        let bars = (0..n)
            .map(|_| {
                Some(TornadoBar {
                    input: self.str()?,
                    low_value: self.f64()?,
                    median_value: self.f64()?,
                    high_value: self.f64()?,
                    at_low: self.outcome()?,
                    at_high: self.outcome()?,
                    swing: self.f64()?,
                })
            })
            .collect::<Option<_>>()?;
        let skipped = self.strs()?;
        let n = self.len(1)?;
        let groups = (0..n)
            .map(|_| {
                Some(GroupBar {
                    kind: GroupKind::from_id(self.u8()?)?,
                    name: self.str()?,
                    inputs: self.strs()?,
                    at_low: self.outcome()?,
                    at_high: self.outcome()?,
                    swing: self.f64()?,
                })
            })
            .collect::<Option<_>>()?;
        Some(Box::new(Tornado {
            metric,
            base,
            bars,
            groups,
            skipped,
        }))
    }
    pub(super) fn reply(&mut self) -> Option<Reply> {
        Some(match self.u8()? {
            0 => Reply::Ready,
            1 => Reply::Progress {
                run_id: self.u32()?,
                done: self.u32()?,
                total: self.u32()?,
                failed: self.u32()?,
            },
            2 => Reply::Partial {
                run_id: self.u32()?,
                summary: self.summary()?,
            },
            3 => Reply::Done {
                run_id: self.u32()?,
                summary: self.summary()?,
                tornado: self.tornado()?,
                sample_ms: self.f64()?,
            },
            4 => Reply::Failed {
                run_id: self.u32()?,
                message: self.str()?,
            },
            5 => Reply::Samples {
                run_id: self.u32()?,
                block: Box::new(self.block()?),
            },
            6 => Reply::ShareDone {
                run_id: self.u32()?,
                tornado: match self.u8()? {
                    0 => None,
                    1 => Some(self.tornado()?),
                    _ => return None,
                },
                sample_ms: self.f64()?,
            },
            _ => return None,
        })
    }
}
