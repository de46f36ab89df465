use dyad_dict::formats::{self, *};
fn parse_all(text: &str) {
    let _ = tabari_verbs::parse(text, "f");
    let _ = petrarch_verbs::parse_dialect(text, "f", petrarch_verbs::Dialect::Petrarch1);
    let _ = petrarch_verbs::parse_dialect(text, "f", petrarch_verbs::Dialect::Petrarch2);
    let _ = actors::parse(text, "f");
    let _ = agents::parse(text, "f");
    let _ = discards::parse(text, "f");
    let _ = issues::parse(text, "f");
    let _ = options::parse(text, "f");
    let _ = project::parse(text, "f");
}
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
#[test]
fn heavy() {
    let base = "/work/shared/anchors/";
    let files = [
        "tabari/TABARI.Demo.verbs",
        "petrarch2/CAMEO.2.0.txt",
        "petrarch2/PETR.Validate.verbs.txt",
        "petrarch2/PETR.Validate.actors.txt",
        "petrarch2/Phoenix.agents.txt",
        "petrarch2/Phoenix.IssueCoding.txt",
        "tabari/Validate.options",
        "tabari/Validate.project",
        "tabari/TABARI.Demo.actors",
    ];
    let mut rng = Rng(12345);
    let alphabet: Vec<char> = "[]{}()<>|_-+*$%^&~!#;:=/ \t\n<!---->\"'.,?\u{e9}\u{FFFD}\0AZ09"
        .chars()
        .collect();
    for f in files {
        let text = formats::decode(&std::fs::read(format!("{base}{f}")).unwrap()).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        for _ in 0..300 {
            // take a window of 40 lines and mutate a few chars
            let start = (rng.next() as usize) % lines.len();
            let mut chunk: Vec<char> = lines[start..(start + 40).min(lines.len())]
                .join("\n")
                .chars()
                .collect();
            for _ in 0..(1 + rng.next() % 6) {
                if chunk.is_empty() {
                    break;
                }
                let p = (rng.next() as usize) % chunk.len();
                match rng.next() % 3 {
                    0 => {
                        chunk.remove(p);
                    }
                    1 => chunk.insert(p, alphabet[(rng.next() as usize) % alphabet.len()]),
                    _ => chunk[p] = alphabet[(rng.next() as usize) % alphabet.len()],
                }
            }
            let s: String = chunk.into_iter().collect();
            parse_all(&s);
        }
    }
    for _ in 0..100_000 {
        let len = (rng.next() % 40) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(rng.next() as usize) % alphabet.len()])
            .collect();
        parse_all(&s);
    }
}
