//! Counting and the figures computed from counts: accuracy, precision/recall/F1, a confusion
//! matrix.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// `correct` out of `scored`; undefined (`None`, JSON null, "n/a") when nothing was scored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratio {
    pub correct: usize,
    pub scored: usize,
}

impl Ratio {
    pub fn add(&mut self, correct: bool) {
        self.scored += 1;
        if correct {
            self.correct += 1;
        }
    }
    pub fn value(&self) -> Option<f64> {
        (self.scored > 0).then(|| self.correct as f64 / self.scored as f64)
    }
    /// `0.412 (132/322)` or `n/a (0/0)`.
    pub fn show(&self) -> String {
        format!(
            "{} ({}/{})",
            show_opt(self.value()),
            self.correct,
            self.scored
        )
    }
    /// Insert `{name}_accuracy`, `{name}_correct` and `{name}_scored` into a JSON object.
    pub fn put(&self, obj: &mut Map<String, Value>, name: &str) {
        obj.insert(format!("{name}_accuracy"), num(self.value()));
        obj.insert(format!("{name}_correct"), self.correct.into());
        obj.insert(format!("{name}_scored"), self.scored.into());
    }
}

/// A figure rounded to four decimals for JSON (null when undefined).
pub fn num(v: Option<f64>) -> Value {
    match v {
        Some(x) if x.is_finite() => Value::from((x * 10_000.0).round() / 10_000.0),
        _ => Value::Null,
    }
}

/// A figure with three decimals, or `n/a`.
pub fn show_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |x| format!("{x:.3}"))
}

/// Precision, recall and F1 from true positives, false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    /// Count one decision: `gold` says positive, `ours` says positive.
    pub fn add(&mut self, gold: bool, ours: bool) {
        match (gold, ours) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    pub fn precision(&self) -> Option<f64> {
        let d = self.tp + self.fp;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
    pub fn recall(&self) -> Option<f64> {
        let d = self.tp + self.fn_;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
    /// Harmonic mean of precision and recall; 0 when both are 0, undefined when either is.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        })
    }
    pub fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("precision".into(), num(self.precision()));
        m.insert("recall".into(), num(self.recall()));
        m.insert("f1".into(), num(self.f1()));
        m.insert("tp".into(), self.tp.into());
        m.insert("fp".into(), self.fp.into());
        m.insert("fn".into(), self.fn_.into());
        m.into()
    }
}

/// The label for "the system gave nothing" in a confusion matrix.
pub const NONE: &str = "NONE";

/// Gold label × our label counts. Our label may be [`NONE`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Confusion {
    cells: BTreeMap<(String, String), usize>,
}

impl Confusion {
    pub fn add(&mut self, gold: &str, ours: &str) {
        *self.cells.entry((gold.into(), ours.into())).or_default() += 1;
    }
    pub fn get(&self, gold: &str, ours: &str) -> usize {
        self.cells
            .get(&(gold.to_string(), ours.to_string()))
            .copied()
            .unwrap_or(0)
    }
    pub fn total(&self) -> usize {
        self.cells.values().sum()
    }
    /// Gold labels, sorted.
    pub fn gold_labels(&self) -> Vec<String> {
        let s: BTreeSet<&String> = self.cells.keys().map(|(g, _)| g).collect();
        s.into_iter().cloned().collect()
    }
    /// Our labels, sorted, with [`NONE`] last when present.
    pub fn our_labels(&self) -> Vec<String> {
        let s: BTreeSet<&String> = self.cells.keys().map(|(_, o)| o).collect();
        let mut v: Vec<String> = s.into_iter().filter(|l| *l != NONE).cloned().collect();
        if self.cells.keys().any(|(_, o)| o == NONE) {
            v.push(NONE.into());
        }
        v
    }
    /// Every label that is a class: gold labels and ours, without [`NONE`].
    pub fn classes(&self) -> Vec<String> {
        let mut s: BTreeSet<String> = self.gold_labels().into_iter().collect();
        s.extend(self.our_labels().into_iter().filter(|l| l != NONE));
        s.into_iter().collect()
    }
    /// One-vs-rest counts for a class: a record whose gold is `class` and ours is not (or
    /// NONE) is a false negative; ours `class` and gold not, a false positive.
    pub fn prf(&self, class: &str) -> Prf {
        let mut p = Prf::default();
        for ((g, o), n) in &self.cells {
            let (g, o) = (g == class, o == class);
            for _ in 0..*n {
                p.add(g, o);
            }
        }
        p
    }
    /// Number of records whose gold label is `class`.
    pub fn support(&self, class: &str) -> usize {
        self.cells
            .iter()
            .filter(|((g, _), _)| g == class)
            .map(|(_, n)| n)
            .sum()
    }
    /// Mean F1 over the gold classes (a class with undefined F1 counts as 0).
    pub fn macro_f1(&self) -> Option<f64> {
        let gold = self.gold_labels();
        if gold.is_empty() {
            return None;
        }
        let sum: f64 = gold.iter().map(|c| self.prf(c).f1().unwrap_or(0.0)).sum();
        Some(sum / gold.len() as f64)
    }
    /// `{"GOLD": {"OURS": n, …}, …}` with only the non-zero cells.
    pub fn json(&self) -> Value {
        let mut rows: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
        for ((g, o), n) in &self.cells {
            rows.entry(g).or_default().insert(o.clone(), (*n).into());
        }
        rows.into_iter()
            .map(|(g, m)| (g.to_string(), Value::from(m)))
            .collect::<Map<_, _>>()
            .into()
    }
    /// `{"CLASS": {"precision", "recall", "f1", "support", "tp", "fp", "fn"}, …}`.
    pub fn per_class_json(&self) -> Value {
        let mut m = Map::new();
        for c in self.classes() {
            let mut v = self.prf(&c).json();
            if let Some(o) = v.as_object_mut() {
                o.insert("support".into(), self.support(&c).into());
            }
            m.insert(c, v);
        }
        m.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_undefined_when_empty() {
        let mut r = Ratio::default();
        assert_eq!(r.value(), None);
        assert_eq!(r.show(), "n/a (0/0)");
        r.add(true);
        r.add(false);
        assert_eq!(r.value(), Some(0.5));
        let mut m = Map::new();
        r.put(&mut m, "mode");
        assert_eq!(m["mode_accuracy"], Value::from(0.5));
        assert_eq!(m["mode_scored"], Value::from(2));
    }

    #[test]
    fn prf_counts() {
        let mut p = Prf::default();
        p.add(true, true);
        p.add(true, false);
        p.add(false, true);
        p.add(false, true);
        p.add(false, false);
        assert_eq!((p.tp, p.fp, p.fn_), (1, 2, 1));
        assert!((p.precision().unwrap() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(p.recall(), Some(0.5));
        assert!((p.f1().unwrap() - 0.4).abs() < 1e-9);
        assert_eq!(Prf::default().f1(), None);
        let zero = Prf {
            tp: 0,
            fp: 1,
            fn_: 1,
        };
        assert_eq!(zero.f1(), Some(0.0));
    }

    #[test]
    fn confusion_one_vs_rest() {
        let mut c = Confusion::default();
        c.add("AGREE", "AGREE");
        c.add("AGREE", NONE);
        c.add("REJECT", "AGREE");
        c.add("REJECT", "REJECT");
        c.add("ASSAULT", "COERCE");
        assert_eq!(c.total(), 5);
        assert_eq!(c.our_labels(), vec!["AGREE", "COERCE", "REJECT", NONE]);
        assert_eq!(c.classes(), vec!["AGREE", "ASSAULT", "COERCE", "REJECT"]);
        let a = c.prf("AGREE");
        assert_eq!((a.tp, a.fp, a.fn_), (1, 1, 1));
        let k = c.prf("COERCE");
        assert_eq!((k.tp, k.fp, k.fn_), (0, 1, 0));
        assert_eq!(k.recall(), None);
        assert_eq!(c.support("REJECT"), 2);
        assert_eq!(c.json()["AGREE"][NONE], Value::from(1));
        // AGREE 0.5, ASSAULT 0, REJECT 2/3.
        let m = c.macro_f1().unwrap();
        assert!((m - (0.5 + 0.0 + 2.0 / 3.0) / 3.0).abs() < 1e-9);
    }
}
