//! Test support: a real, throwaway PostgreSQL server for the store's tests. No mock: tests
//! that ask for PostgreSQL get a cluster made with `initdb` in a temporary directory and
//! started with `pg_ctl` on a free loopback port, or the server `DYAD_TEST_POSTGRES_URL`
//! names. Each caller gets its own fresh database on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The line a test prints when it cannot run against PostgreSQL.
pub const SKIPPED: &str = "SKIPPED: PostgreSQL store tests (no initdb/pg_ctl found)";

struct Server {
    /// Base URL without a database name: `postgres://user@127.0.0.1:port`.
    base: String,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static NEXT_DB: AtomicU64 = AtomicU64::new(0);

fn find_bin(name: &str) -> Option<PathBuf> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|d| d.path().join("bin").join(name))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// initdb refuses to run as root: as root, run the server as `postgres` (or `nobody`).
fn server_user() -> Option<String> {
    if !is_root() {
        return None;
    }
    for u in ["postgres", "nobody"] {
        let ok = Command::new("id")
            .arg("-u")
            .arg(u)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(u.to_string());
        }
    }
    None
}

fn run_as(user: &Option<String>, bin: &Path, args: &[&str]) -> Result<(), String> {
    let mut cmd = match user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.arg("-u").arg(u).arg("--").arg(bin);
            c
        }
        None => Command::new(bin),
    };
    let out = cmd
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} {}: {}{}",
            bin.display(),
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

fn start() -> Result<Server, String> {
    if let Ok(url) = std::env::var("DYAD_TEST_POSTGRES_URL") {
        let base = match url.rfind('/') {
            Some(i) if i > url.find("://").map_or(0, |s| s + 2) => url[..i].to_string(),
            _ => url.clone(),
        };
        return Ok(Server { base });
    }
    let (Some(initdb), Some(pg_ctl)) = (find_bin("initdb"), find_bin("pg_ctl")) else {
        return Err("no initdb/pg_ctl found".into());
    };
    let user = server_user();
    let dir = std::env::temp_dir().join(format!("dyad-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if let Some(u) = &user {
        let st = Command::new("chown")
            .arg("-R")
            .arg(u)
            .arg(&dir)
            .status()
            .map_err(|e| e.to_string())?;
        if !st.success() {
            return Err(format!("chown {u} {} failed", dir.display()));
        }
    }
    let data = dir.join("data");
    let data_s = data.to_string_lossy().to_string();
    let dir_s = dir.to_string_lossy().to_string();
    run_as(
        &user,
        &initdb,
        &[
            "-D",
            &data_s,
            "-A",
            "trust",
            "-U",
            "dyad",
            "--no-sync",
            "-E",
            "UTF8",
        ],
    )?;
    let port = free_port()?;
    let opts = format!(
        "-p {port} -k {dir_s} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    );
    let log = dir.join("log").to_string_lossy().to_string();
    run_as(
        &user,
        &pg_ctl,
        &[
            "-D", &data_s, "-l", &log, "-o", &opts, "-w", "-t", "60", "start",
        ],
    )?;
    // A watchdog stops the server and removes its directory when this process exits.
    let runas = user
        .as_ref()
        .map(|u| format!("runuser -u {u} -- "))
        .unwrap_or_default();
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
         {runas}'{pg_ctl}' -D '{data_s}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir_s}'",
        pid = std::process::id(),
        pg_ctl = pg_ctl.display(),
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    Ok(Server {
        base: format!("postgres://dyad@127.0.0.1:{port}"),
    })
}

/// A URL of a fresh, empty database on the test server; or `Err` with the reason there is
/// none. With `CI` set, tests should fail on `Err` rather than skip.
pub fn fresh_database() -> Result<String, String> {
    let server = SERVER.get_or_init(start).as_ref().map_err(Clone::clone)?;
    let name = format!(
        "dyad_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin =
        postgres::Client::connect(&format!("{}/postgres", server.base), postgres::NoTls)
            .map_err(|e| format!("connect {}: {e}", server.base))?;
    // One statement each: CREATE DATABASE cannot run inside a transaction block.
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&sql)
            .map_err(|e| format!("{sql}: {e:?}"))?;
    }
    Ok(format!("{}/{name}", server.base))
}

/// The store URLs a test should run against: a SQLite file in `dir`, and a fresh PostgreSQL
/// database when a server can be had. Without one it prints [`SKIPPED`], or panics when the
/// environment variable `CI` is set.
pub fn backends(dir: &Path) -> Vec<String> {
    let mut out = vec![dir
        .join(format!(
            "store-{}.db",
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        ))
        .to_string_lossy()
        .to_string()];
    match fresh_database() {
        Ok(url) => out.push(url),
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("PostgreSQL store tests cannot run in CI: {e}");
            }
            // Say plainly why, once per test.
            println!("{SKIPPED}: {e}");
        }
    }
    out
}
