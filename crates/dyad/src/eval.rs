//! `dyad eval`: code the labelled sets (PLOVER gold records, MUC-3/4, our gold cases) with the
//! built-in coder and score them. Parsing and scoring live in `dyad-eval`; this wires paths,
//! codes in parallel and prints a table per set, or one JSON object per set per line.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use clap::{Args, ValueEnum};
use dyad_coder::Coder;
use dyad_eval::gold::GoldSet;
use dyad_eval::muc::MucSet;
use dyad_eval::plover::PloverSet;
use dyad_model::{Article, Event};
use rayon::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalSet {
    /// PLOVER gold standard records (shared/eval/plover_gsr).
    Plover,
    /// MUC-3/4 dev, tst1, tst2 (shared/eval/muc34).
    Muc,
    /// Our gold coding cases (testdata/coding).
    Gold,
    /// Every set.
    All,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// One JSON object per set per line instead of tables.
    #[arg(long)]
    pub json: bool,
    /// The set to score.
    #[arg(long, value_enum, default_value = "all")]
    pub set: EvalSet,
    /// The shared folder that holds `eval/` (default: ../shared from the current directory,
    /// else the one beside this repository).
    #[arg(long, value_name = "DIR")]
    pub shared: Option<PathBuf>,
}

/// The MUC parts scored, in order.
const MUC_SPLITS: [&str; 3] = ["dev", "tst1", "tst2"];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_dir(arg: Option<PathBuf>) -> PathBuf {
    if let Some(d) = arg {
        return d;
    }
    let here = PathBuf::from("../shared");
    if here.join("eval").is_dir() {
        return here;
    }
    let beside_repo = repo_root().join("../shared");
    if beside_repo.join("eval").is_dir() {
        return beside_repo;
    }
    here
}

fn gold_dir() -> PathBuf {
    let here = PathBuf::from("testdata/coding");
    if here.is_dir() {
        return here;
    }
    repo_root().join("testdata/coding")
}

/// Code articles on rayon's pool; a coder panic gives `None` for that article.
fn code(coder: &dyn Coder, articles: &[Article], what: &str) -> Vec<Option<Vec<Event>>> {
    let t = Instant::now();
    let out: Vec<_> = articles
        .par_iter()
        .map(|a| dyad_eval::code_one(coder, a))
        .collect();
    eprintln!(
        "dyad eval: {what}: {} articles coded in {:.1} s",
        articles.len(),
        t.elapsed().as_secs_f64()
    );
    out
}

pub fn run(args: EvalArgs) -> Result<u8> {
    let want = |s: EvalSet| args.set == s || args.set == EvalSet::All;
    let shared = shared_dir(args.shared.clone());
    let eval = shared.join("eval");

    // Load everything first, so that a missing file stops the run before any coding.
    let plover = if want(EvalSet::Plover) {
        Some(PloverSet::load(
            &eval.join("plover_gsr/PLOVER_GSR_CAMEO.json"),
        )?)
    } else {
        None
    };
    let muc = if want(EvalSet::Muc) {
        Some(MucSet::load(&eval.join("muc34"), &MUC_SPLITS)?)
    } else {
        None
    };
    let gold = if want(EvalSet::Gold) {
        Some(GoldSet::load(&gold_dir())?)
    } else {
        None
    };

    let coder = dyad_eval::builtin_coder()?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut emit = |json: serde_json::Value, table: String| -> io::Result<()> {
        if args.json {
            writeln!(out, "{}", dyad_eval::json_line(&json))
        } else {
            writeln!(out, "{table}")
        }?;
        out.flush()
    };
    if let Some(set) = plover {
        let r = set.score(&code(&coder, &set.articles(), "plover"));
        emit(r.json(), r.table())?;
    }
    if let Some(set) = muc {
        let r = set.score(&code(&coder, &set.articles(), "muc"));
        emit(r.json(), r.table())?;
    }
    if let Some(set) = gold {
        let r = set.score(&code(&coder, &set.articles(), "gold"));
        emit(r.json(), r.table())?;
    }
    Ok(0)
}
