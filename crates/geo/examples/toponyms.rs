//! Print the toponyms of a text and where they resolve, one line each.
//!
//! `cargo run -p dyad-geo --release --example toponyms -- FILE [ISO3...]`
//! (FILE `-` reads standard input; the ISO3 codes are the article's countries).

use std::io::Read;

use dyad_geo::{gazetteer, Context};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: toponyms FILE [ISO3...]");
        std::process::exit(2);
    };
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(&path).map(|t| text = t)
    };
    if let Err(e) = read {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    }
    let g = gazetteer();
    let base = Context::new(args);
    for (n, range) in dyad_text::sentences(&text).into_iter().enumerate() {
        let toks = dyad_text::Tokens::new(&text, range);
        let found = g.find(&text, &toks);
        let mut ctx = base.clone();
        ctx.add_mentions(g, &found);
        for t in &found {
            let p = g.resolve(t, &ctx);
            println!(
                "{n}\t{}\t{}\t{}",
                t.text,
                p.map_or("-".to_string(), |p| format!(
                    "{} {} {} {} {}",
                    p.geonames_id,
                    p.name,
                    p.country.as_deref().unwrap_or("-"),
                    p.admin1.as_deref().unwrap_or("-"),
                    p.precision
                )),
                [
                    (t.near, "near"),
                    (t.weak, "weak"),
                    (t.qualifier, "qualifier"),
                    (t.admin_word, "admin-word"),
                ]
                .iter()
                .filter(|f| f.0)
                .map(|f| f.1)
                .collect::<Vec<_>>()
                .join(",")
            );
        }
    }
}
