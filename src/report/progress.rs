//! The live progress display of `run` and `fuzz`: an `indicatif` bar on standard error when
//! it is a terminal (drawn once the run has lasted a moment), a plain line every few seconds
//! otherwise (CI logs), nothing when quiet.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long a run goes before a bar appears: shorter runs finish without one.
const MOMENT: Duration = Duration::from_millis(500);
/// How often a line is written where no bar can be drawn.
const EVERY: Duration = Duration::from_secs(5);

/// A progress display for `total` units (`scenarios`, `examples`; a spinner when unknown).
pub struct ProgressDisplay {
    total: Option<u64>,
    unit: &'static str,
    terminal: bool,
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    last: Instant,
}

impl ProgressDisplay {
    /// A display for `total` units; `quiet` shows nothing.
    pub fn new(total: Option<u64>, unit: &'static str, quiet: bool) -> Self {
        let now = Instant::now();
        ProgressDisplay {
            total,
            unit,
            terminal: std::io::stderr().is_terminal(),
            quiet,
            bar: None,
            started: now,
            last: now,
        }
    }

    /// `done` units so far, with a short message (`812 req/s · 3 failing`), made only when
    /// it is shown: this runs once per result.
    pub fn update(&mut self, done: u64, message: impl FnOnce() -> String) {
        if self.quiet {
            return;
        }
        if self.terminal {
            if self.bar.is_none() && self.started.elapsed() >= MOMENT {
                self.bar = Some(self.bar());
            }
            if let Some(bar) = &self.bar {
                bar.set_position(done);
                bar.set_message(message());
            }
        } else if self.last.elapsed() >= EVERY {
            self.last = Instant::now();
            let of = self.total.map(|t| format!("/{t}")).unwrap_or_default();
            let line = format!("progress: {done}{of} {} · {}", self.unit, message());
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }

    /// A new total (scenarios made at run time were added).
    pub fn set_total(&mut self, total: u64) {
        if self.total.is_some_and(|t| t != total) {
            self.total = Some(total);
            if let Some(bar) = &self.bar {
                bar.set_length(total);
            }
        }
    }

    fn bar(&self) -> indicatif::ProgressBar {
        let bar = match self.total {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let template = format!(
            "{{spinner}} {{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {} · {{msg}}",
            self.unit
        );
        let style = indicatif::ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
