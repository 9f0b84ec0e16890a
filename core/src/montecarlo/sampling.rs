//! A Monte Carlo run's life (MODEL.md §5.2): prepared, sampled in batches or on threads, merged
//! from blocks in sample order, and summarised.

use super::*;

impl MonteCarlo {
    /// Prepare a run of `samples` samples with `seed`. Validates the scenario and runs the
    /// deterministic case (the reference line of the charts).
    pub fn new(scenario: &Scenario, samples: usize, seed: u64) -> Result<MonteCarlo, McError> {
        MonteCarlo::for_range(scenario, samples, seed, 0..samples)
    }

    /// Prepare the samples `range` of a run of `samples` samples with `seed` (a share of the
    /// run for one thread or worker; [`MonteCarlo::merge`] joins the shares in sample order).
    /// Sample `s` gets the same values whichever share runs it (MODEL.md §5.2, §5.5).
    pub fn for_range(
        scenario: &Scenario,
        samples: usize,
        seed: u64,
        range: std::ops::Range<usize>,
    ) -> Result<MonteCarlo, McError> {
        let end = range.end.min(samples);
        let first = range.start.min(end);
        let samples_here = end - first;
        let mut engine = Engine::new(scenario).map_err(McError::Invalid)?;
        let names = Names::new(scenario);
        let mut deterministic = SampleSeries::default();
        evaluate(&mut engine, &names, |_, u| u.point(), &mut deterministic)
            .map_err(McError::Invalid)?;
        let months = scenario.horizon_months as usize;
        let cap = samples_here.saturating_mul(months);
        // An empty share (a value that only collects blocks) draws nothing.
        let plan = (first < end)
            .then(|| correlate::Plan::new(scenario, seed, samples))
            .flatten();
        Ok(MonteCarlo {
            month_labels: (0..months)
                .map(|t| format_month(names.start + t as MonthIndex))
                .collect(),
            engine,
            names,
            seed,
            samples,
            first,
            end,
            done: first,
            ok_index: Vec::with_capacity(samples_here),
            failed: Vec::new(),
            months,
            plan,
            needed: Vec::with_capacity(cap),
            available: Vec::with_capacity(cap),
            delivered: Vec::with_capacity(cap),
            backlog: Vec::with_capacity(cap),
            short_count: vec![0; months],
            any_short: 0,
            service_level: Vec::with_capacity(samples_here),
            total_cost: Vec::with_capacity(samples_here),
            unmet: Vec::with_capacity(samples_here),
            backlog_peak: Vec::with_capacity(samples_here),
            deterministic,
            work: SampleSeries::default(),
            taken_short: vec![0; months],
            taken_any: 0,
            taken_ok: 0,
            taken_failed: 0,
            taken_failed_listed: 0,
        })
    }

    /// A run with the scenario's own `monte_carlo.samples` and `monte_carlo.seed`.
    pub fn from_scenario(scenario: &Scenario) -> Result<MonteCarlo, McError> {
        let mc = &scenario.monte_carlo;
        MonteCarlo::new(scenario, mc.samples as usize, mc.seed)
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// Index of the next sample to run: the samples run so far for a whole run (its share's
    /// end once a share has run), computed or failed.
    pub fn done(&self) -> usize {
        self.done
    }
    /// Samples this value holds (run so far, merged shares included), computed or failed.
    pub fn stored(&self) -> usize {
        self.done - self.first
    }
    /// Samples of those that could be computed (their numbers are stored, in sample order).
    pub(super) fn ok(&self) -> usize {
        self.ok_index.len()
    }
    /// Samples of those that could not be computed.
    pub fn failed(&self) -> usize {
        self.stored() - self.ok()
    }
    /// The first [`MAX_FAILED_LISTED`] samples that could not be computed.
    pub fn failed_samples(&self) -> &[FailedSample] {
        &self.failed
    }
    /// The samples of this value's share, `first..end`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first..self.end
    }
    /// Samples asked for (the whole run).
    pub fn total(&self) -> usize {
        self.samples
    }
    /// Whether every sample of this value's share has run.
    pub fn is_finished(&self) -> bool {
        self.done >= self.end
    }

    /// Run up to `n` more samples (fewer at the end). Returns how many ran. A sample that
    /// cannot be computed is recorded ([`MonteCarlo::failed_samples`]) and the run goes on.
    pub fn run_next(&mut self, n: usize) -> Result<usize, McError> {
        let end = (self.done + n).min(self.end);
        let start = self.done;
        for s in start..end {
            let seed = self.seed;
            let key = rng::sample_key(seed, s as u64);
            let plan = self.plan.as_ref();
            let result = evaluate(
                &mut self.engine,
                &self.names,
                |path, u| {
                    if !u.is_uncertain() {
                        return u.point();
                    }
                    if let Some(v) = plan.and_then(|p| p.value(&path, s)) {
                        return v;
                    }
                    dist::sample(u, &mut rng::Stream::new(key, path_key(&path)))
                },
                &mut self.work,
            );
            self.done = s + 1;
            if let Err(error) = result {
                if self.failed.len() < MAX_FAILED_LISTED {
                    self.failed.push(FailedSample {
                        index: s,
                        message: error.to_string(),
                    });
                }
                continue;
            }
            let w = &self.work;
            self.needed.extend_from_slice(&w.deliveries_needed);
            self.available.extend_from_slice(&w.available);
            self.delivered.extend_from_slice(&w.delivered);
            self.backlog.extend_from_slice(&w.backlog);
            for (c, &short) in self.short_count.iter_mut().zip(&w.short) {
                *c += short as u32;
            }
            self.any_short += w.short.iter().any(|&x| x) as usize;
            self.service_level.push(w.outcome.service_level);
            self.total_cost.push(w.outcome.total_cost_usd);
            self.unmet.push(w.outcome.unmet_units);
            self.backlog_peak.push(w.outcome.backlog_peak_units);
            self.ok_index.push(s);
        }
        Ok(end - start)
    }

    /// Run every remaining sample; `progress(done, total)` is called after each batch of
    /// `batch` samples and returns `false` to cancel (the samples run so far are kept).
    /// Returns whether the run finished.
    pub fn run_all(
        &mut self,
        batch: usize,
        mut progress: impl FnMut(usize, usize) -> bool,
    ) -> Result<bool, McError> {
        while !self.is_finished() {
            self.run_next(batch.max(1))?;
            if !progress(self.done, self.samples) {
                return Ok(self.is_finished());
            }
        }
        Ok(true)
    }

    /// Append `next`, the share of the same run that starts where this one ends (samples
    /// merge in sample order, so the result is the same as one value running them all).
    pub fn merge(&mut self, next: MonteCarlo) -> Result<(), String> {
        if next.first != self.done || next.seed != self.seed || next.samples != self.samples {
            return Err(format!(
                "samples {}..{} of seed {} do not follow samples {}..{} of seed {}",
                next.first, next.done, next.seed, self.first, self.done, self.seed
            ));
        }
        self.needed.extend_from_slice(&next.needed);
        self.available.extend_from_slice(&next.available);
        self.delivered.extend_from_slice(&next.delivered);
        self.backlog.extend_from_slice(&next.backlog);
        for (c, n) in self.short_count.iter_mut().zip(&next.short_count) {
            *c += n;
        }
        self.any_short += next.any_short;
        self.service_level.extend_from_slice(&next.service_level);
        self.total_cost.extend_from_slice(&next.total_cost);
        self.unmet.extend_from_slice(&next.unmet);
        self.backlog_peak.extend_from_slice(&next.backlog_peak);
        self.ok_index.extend_from_slice(&next.ok_index);
        self.note_failed(&next.failed);
        self.done = next.done;
        self.end = self.end.max(next.end);
        Ok(())
    }

    /// The samples run since the last call, as a block (a worker sends it to the page).
    pub fn take_block(&mut self) -> SampleBlock {
        let (a, b, m) = (self.taken_ok, self.ok(), self.months);
        let block = SampleBlock {
            first: self.first + self.taken_ok + self.taken_failed,
            count: self.stored() - self.taken_ok - self.taken_failed,
            ok_index: self.ok_index[a..b].to_vec(),
            failed_count: self.failed() - self.taken_failed,
            failed: self.failed[self.taken_failed_listed..].to_vec(),
            needed: self.needed[a * m..b * m].to_vec(),
            available: self.available[a * m..b * m].to_vec(),
            delivered: self.delivered[a * m..b * m].to_vec(),
            backlog: self.backlog[a * m..b * m].to_vec(),
            short_count: self
                .short_count
                .iter()
                .zip(&self.taken_short)
                .map(|(now, then)| now - then)
                .collect(),
            any_short: self.any_short - self.taken_any,
            service_level: self.service_level[a..b].to_vec(),
            total_cost: self.total_cost[a..b].to_vec(),
            unmet: self.unmet[a..b].to_vec(),
            backlog_peak: self.backlog_peak[a..b].to_vec(),
        };
        self.taken_ok = b;
        self.taken_failed = self.failed();
        self.taken_failed_listed = self.failed.len();
        self.taken_short.clone_from(&self.short_count);
        self.taken_any = self.any_short;
        block
    }

    /// List the first of `listed`, failed samples that follow the ones held, up to
    /// [`MAX_FAILED_LISTED`].
    pub(super) fn note_failed(&mut self, listed: &[FailedSample]) {
        let room = MAX_FAILED_LISTED.saturating_sub(self.failed.len());
        self.failed.extend(listed.iter().take(room).cloned());
    }

    /// Append `block`, the samples that follow the ones held (blocks merge in sample order).
    pub fn absorb(&mut self, block: &SampleBlock) -> Result<(), String> {
        let m = self.months;
        let n = block.count;
        let k = block.ok_index.len();
        let in_order = block.ok_index.windows(2).all(|w| w[0] < w[1])
            && block
                .ok_index
                .iter()
                .all(|&i| (block.first..block.first + n).contains(&i));
        let fits = block.needed.len() == k * m
            && block.available.len() == k * m
            && block.delivered.len() == k * m
            && block.backlog.len() == k * m
            && block.short_count.len() == m
            && k + block.failed_count == n
            && block.failed.len() <= block.failed_count
            && in_order
            && [
                &block.service_level,
                &block.total_cost,
                &block.unmet,
                &block.backlog_peak,
            ]
            .iter()
            .all(|v| v.len() == k);
        if block.first != self.done || !fits || block.first + n > self.samples {
            return Err(format!(
                "samples {}..{} do not follow samples {}..{}",
                block.first,
                block.first + n,
                self.first,
                self.done
            ));
        }
        self.needed.extend_from_slice(&block.needed);
        self.available.extend_from_slice(&block.available);
        self.delivered.extend_from_slice(&block.delivered);
        self.backlog.extend_from_slice(&block.backlog);
        for (c, x) in self.short_count.iter_mut().zip(&block.short_count) {
            *c += x;
        }
        self.any_short += block.any_short;
        self.service_level.extend_from_slice(&block.service_level);
        self.total_cost.extend_from_slice(&block.total_cost);
        self.unmet.extend_from_slice(&block.unmet);
        self.backlog_peak.extend_from_slice(&block.backlog_peak);
        self.ok_index.extend_from_slice(&block.ok_index);
        self.note_failed(&block.failed);
        self.done += n;
        self.end = self.end.max(self.done);
        Ok(())
    }

    /// Run the samples of `range` on `threads` threads (contiguous shares, merged in sample
    /// order): the same numbers, to the bit, as one thread (MODEL.md §5.2, §5.5).
    pub fn run_threads(
        scenario: &Scenario,
        samples: usize,
        seed: u64,
        threads: usize,
    ) -> Result<MonteCarlo, McError> {
        let threads = threads.clamp(1, samples.max(1));
        let bounds: Vec<usize> = (0..=threads).map(|i| samples * i / threads).collect();
        let shares: Vec<Result<MonteCarlo, McError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = bounds
                .windows(2)
                .map(|w| {
                    let (a, b) = (w[0], w[1]);
                    scope.spawn(move || {
                        let mut mc = MonteCarlo::for_range(scenario, samples, seed, a..b)?;
                        mc.run_next(b - a)?;
                        Ok(mc)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a Monte Carlo thread panicked"))
                .collect()
        });
        let mut shares = shares.into_iter();
        let mut all = shares.next().expect("at least one share")?;
        for share in shares {
            all.merge(share?).expect("shares are contiguous");
        }
        Ok(all)
    }

    /// Bands, shortfall chances and distributions of the samples run so far (MODEL.md §5.3),
    /// over the samples that could be computed; the others are listed.
    pub fn summary(&self) -> Summary {
        let n = self.ok();
        let m = self.months;
        let mut scratch = Vec::with_capacity(n.max(1));
        let det = &self.deterministic;
        Summary {
            samples_done: self.done,
            samples_total: self.samples,
            samples_failed: self.failed(),
            failed_samples: self.failed.clone(),
            seed: self.seed,
            months: self.month_labels.clone(),
            deliveries_needed: Band::from_samples(&self.needed, n, m, &mut scratch),
            available: Band::from_samples(&self.available, n, m, &mut scratch),
            delivered: Band::from_samples(&self.delivered, n, m, &mut scratch),
            backlog: Band::from_samples(&self.backlog, n, m, &mut scratch),
            shortfall_probability: self
                .short_count
                .iter()
                .map(|&c| if n > 0 { c as f64 / n as f64 } else { f64::NAN })
                .collect(),
            any_shortfall_probability: if n > 0 {
                self.any_short as f64 / n as f64
            } else {
                f64::NAN
            },
            total_cost_usd: Distribution::from_samples(&self.total_cost, &mut scratch),
            unmet_units: Distribution::from_samples(&self.unmet, &mut scratch),
            service_level: Distribution::from_samples(&self.service_level, &mut scratch),
            backlog_peak_units: Distribution::from_samples(&self.backlog_peak, &mut scratch),
            deterministic: Deterministic {
                deliveries_needed: det.deliveries_needed.clone(),
                available: det.available.clone(),
                delivered: det.delivered.clone(),
                backlog: det.backlog.clone(),
                outcome: det.outcome,
            },
        }
    }

    /// The sensitivity ranking (MODEL.md §5.4) for `metric`: 2 evaluations per uncertain input.
    /// An input whose P10 or P90 cannot be computed gets no bar and is listed in
    /// [`Tornado::skipped`] with the reason; never an error (the `Result` is kept for callers).
    pub fn tornado(&mut self, metric: KeyMetric) -> Result<Tornado, McError> {
        let scenario = self.engine.scenario().clone();
        Ok(tornado::compute(&scenario, metric, |choose| {
            let mut out = SampleSeries::default();
            evaluate(&mut self.engine, &self.names, choose, &mut out).map(|_| out.outcome)
        }))
    }

    /// FNV-1a hash of every stored number of the samples run so far, in sample order (the
    /// bit-reproducibility check: the same scenario and seed give the same hash on every
    /// platform).
    pub fn hash(&self) -> u64 {
        let mut h: u64 = 0xCBF2_9CE4_8422_2325;
        let mut eat = |v: f64| {
            for b in v.to_bits().to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01B3);
            }
        };
        let m = self.months;
        for s in 0..self.ok() {
            for series in [
                &self.needed,
                &self.available,
                &self.delivered,
                &self.backlog,
            ] {
                series[s * m..(s + 1) * m].iter().for_each(|&v| eat(v));
            }
            eat(self.service_level[s]);
            eat(self.total_cost[s]);
            eat(self.unmet[s]);
            eat(self.backlog_peak[s]);
        }
        h
    }

    /// The headline numbers of sample `s` (run so far; `None` if it failed).
    pub fn outcome(&self, s: usize) -> Option<Outcome> {
        let k = self.ok_index.binary_search(&s).ok()?;
        Some(Outcome {
            service_level: self.service_level[k],
            total_cost_usd: self.total_cost[k],
            unmet_units: self.unmet[k],
            backlog_peak_units: self.backlog_peak[k],
        })
    }
}
