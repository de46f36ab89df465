//! Print what the coder sees in a sentence: tokens, dictionary matches and events.
//! `cargo run -p dyad-coder --example explain -- "Israeli troops attacked Hamas."`

use dyad_coder::{Coder, PhraseCoder};

fn main() {
    let text = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let dict = match dyad_dict::builtin::dictionary() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    for r in dyad_text::sentences(&text) {
        let toks = dyad_text::Tokens::new(&text, r.clone());
        println!("sentence {:?}", &text[r]);
        println!("norm {:?}", toks.norm);
        let mut matches = Vec::new();
        dict.find(&text, &toks, &mut matches);
        for m in &matches {
            let words: Vec<&str> = (m.start..m.end).map(|i| toks.norm_of(i)).collect();
            println!("  match {:?} {:?}", words.join(" "), m.phrase.hits);
        }
    }
    let coder = PhraseCoder::new(dict);
    let article = dyad_model::Article {
        id: "explain".into(),
        text,
        ..Default::default()
    };
    for e in coder.code(&article).events {
        println!(
            "event {} {} -> {} [{}] {}",
            e.cameo.code,
            e.source.as_ref().map_or("-", |a| a.code.as_str()),
            e.target.as_ref().map_or("-", |a| a.code.as_str()),
            e.evidence.trigger.text,
            e.evidence.rule
        );
    }
}
