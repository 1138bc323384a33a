//! Strings that shrink well against a live target: a proptest [`Strategy`] whose trees start
//! from any drawn string (a valid value, a dictionary entry, random text) and shrink it by
//! deleting runs of characters, then by making each character the plainest of its class.
//!
//! The schedule is deterministic, so the same failing string against the same target always
//! shrinks to the same minimal one.

use proptest::strategy::{BoxedStrategy, NewTree, Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// A string strategy: values from `source`, shrunk by [`TextTree`].
#[derive(Debug, Clone)]
pub struct Text {
    source: BoxedStrategy<String>,
}

impl Text {
    /// Draws starting values from `source`.
    pub fn new(source: BoxedStrategy<String>) -> Self {
        Text { source }
    }
}

impl Strategy for Text {
    type Tree = TextTree;
    type Value = String;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(TextTree::new(&self.source.new_tree(runner)?.current()))
    }
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Deleting runs of `size` characters, from `pos`.
    Delete,
    /// Replacing the run of `size` characters at `pos` by each character's plain option
    /// number `stage` (see [`plain`]).
    Plain {
        stage: usize,
    },
    Done,
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Delete { pos: usize },
    Replace,
}

/// The shrinking tree of one string.
#[derive(Debug, Clone)]
pub struct TextTree {
    /// The simplest string known to fail.
    best: Vec<char>,
    /// The string under test.
    current: Vec<char>,
    phase: Phase,
    size: usize,
    pos: usize,
    /// What made `current` from `best` (None when `current` is `best`).
    last: Option<Step>,
}

impl TextTree {
    /// A tree starting at `text`.
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let size = chars.len();
        TextTree {
            best: chars.clone(),
            current: chars,
            phase: Phase::Delete,
            size,
            pos: 0,
            last: None,
        }
    }

    /// Proposes the next candidate simpler than `best`; false when there is none.
    fn propose(&mut self) -> bool {
        loop {
            match self.phase {
                Phase::Delete => {
                    if self.size == 0 {
                        self.phase = Phase::Plain { stage: 0 };
                        self.size = self.best.len();
                        self.pos = 0;
                        continue;
                    }
                    if self.pos >= self.best.len() {
                        self.size /= 2;
                        self.pos = 0;
                        continue;
                    }
                    let end = (self.pos + self.size).min(self.best.len());
                    let mut candidate = self.best.clone();
                    candidate.drain(self.pos..end);
                    self.last = Some(Step::Delete { pos: self.pos });
                    self.pos += self.size;
                    self.current = candidate;
                    return true;
                }
                Phase::Plain { stage } => {
                    if self.size == 0 {
                        self.phase = Phase::Done;
                        continue;
                    }
                    if self.pos >= self.best.len() {
                        self.size /= 2;
                        self.pos = 0;
                        continue;
                    }
                    let (at, end) = (self.pos, (self.pos + self.size).min(self.best.len()));
                    let next = (stage + 1) % STAGES;
                    if next == 0 {
                        self.pos += self.size;
                    }
                    self.phase = Phase::Plain { stage: next };
                    let mut candidate = self.best.clone();
                    for c in &mut candidate[at..end] {
                        *c = plain(*c, stage);
                    }
                    if candidate == self.best {
                        continue;
                    }
                    self.last = Some(Step::Replace);
                    self.current = candidate;
                    return true;
                }
                Phase::Done => return false,
            }
        }
    }
}

/// How many plain options a character has.
const STAGES: usize = 3;

/// Plain option `stage` of `c`: the plainest character of each class it belongs to, in the
/// order whitespace (a space), control (NUL), non-ASCII (`é`), upper case (`A`), lower case
/// (`a`), digit (`0`), then `a` for the rest. Punctuation stays itself until `a` (each mark
/// means something different to a parser). A character in two classes (a tab, a no-break
/// space) thus gets to keep either.
fn plain(c: char, stage: usize) -> char {
    let classes = [
        (c.is_whitespace(), ' '),
        (c.is_control(), '\0'),
        (!c.is_ascii(), 'é'),
        (c.is_ascii_uppercase(), 'A'),
        (c.is_ascii_lowercase(), 'a'),
        (c.is_ascii_digit(), '0'),
    ];
    let mut options = classes.iter().filter(|(is, _)| *is).map(|(_, p)| *p);
    let first = options.next().unwrap_or(c);
    let second = options.next().unwrap_or(first);
    [first, second, 'a'][stage.min(STAGES - 1)]
}

impl ValueTree for TextTree {
    type Value = String;

    fn current(&self) -> String {
        self.current.iter().collect()
    }

    /// `current` failed: keep it, and propose something simpler still.
    fn simplify(&mut self) -> bool {
        if let Some(step) = self.last.take() {
            self.best = self.current.clone();
            if let Step::Delete { pos } = step {
                // The run at `pos` is gone; what follows moved there: try it next.
                self.pos = pos;
            }
        }
        self.propose()
    }

    /// `current` passed: drop it, and propose the next candidate instead.
    fn complicate(&mut self) -> bool {
        self.last = None;
        self.current = self.best.clone();
        self.propose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shrinks `start` while `fails` holds, as proptest's runner drives a tree.
    fn shrink(start: &str, fails: impl Fn(&str) -> bool) -> (String, usize) {
        let mut tree = TextTree::new(start);
        let mut best = start.to_owned();
        let mut steps = 0;
        if !tree.simplify() {
            return (best, steps);
        }
        loop {
            steps += 1;
            let candidate = tree.current();
            let more = if fails(&candidate) {
                best = candidate;
                tree.simplify()
            } else {
                tree.complicate()
            };
            if !more {
                return (best, steps);
            }
        }
    }

    #[test]
    fn shrinks_to_the_smallest_plainest_string_that_still_fails() {
        let (long, steps) = shrink(&"3fa85f64-".repeat(100), |s| s.chars().count() > 64);
        assert_eq!(long, "a".repeat(65));
        assert!(steps < 400, "{steps}");
        assert_eq!(
            shrink("3FA85F64-5717-4562", |s| s.chars().any(|c| c.is_ascii_uppercase())).0,
            "A"
        );
        assert_eq!(shrink("abc\u{7}def", |s| s.chars().any(char::is_control)).0, "\0");
        assert_eq!(shrink("ab\ncd", |s| s.chars().any(char::is_control)).0, "\0");
        assert_eq!(shrink("ab\u{a0}cd", |s| !s.is_ascii()).0, "é");
        assert_eq!(shrink("ab\u{a0}cd", |s| s.chars().any(char::is_whitespace)).0, " ");
        assert_eq!(shrink("00000000-0000", |s| s == "00000000-0000").0, "00000000-0000");
        assert_eq!(shrink("a%2Fb", |s| s.contains('%')).0, "%");
    }
}
