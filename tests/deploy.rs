//! What `build` tells a user about deploying: every spec in `specs/` passes inline unless it
//! acknowledges `template-inline-size` (saying why), the printed `aws cloudformation deploy`
//! command is the one to run (through S3 when the template is too large), and the inline-size
//! warning says how to shrink a template when it can.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_lambdaless-gen");
/// `aws cloudformation deploy --template-file` passes templates up to this size inline.
const INLINE: usize = 51_200;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(spec: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", spec.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend(extra);
    Command::new(BIN)
        .args(&args)
        .current_dir(root())
        .output()
        .expect("binary runs")
}

/// The `deploy:` line `build` printed.
fn deploy_line(o: &Output) -> String {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let line = stdout.lines().find(|l| l.starts_with("deploy: "));
    line.unwrap_or_else(|| panic!("no deploy line in {stdout}"))
        .trim_start_matches("deploy: ")
        .to_owned()
}

#[test]
fn every_example_spec_deploys_inline_or_says_why_not() {
    let mut specs: Vec<PathBuf> = fs::read_dir(root().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 5);
    for spec in specs {
        for (format, file) in [("yaml", "template.yaml"), ("json", "template.json")] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            let o = build(&spec, &out, &["--format", format]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let size = fs::metadata(out.join(file)).unwrap().len() as usize;
            let acknowledged = fs::read_to_string(&spec)
                .unwrap()
                .lines()
                .any(|l| l.trim_start().starts_with("- template-inline-size"));
            assert!(
                size <= INLINE || acknowledged,
                "{} ({format}): {size} bytes, and the spec does not acknowledge template-inline-size",
                spec.display()
            );
            let cmd = deploy_line(&o);
            let name = spec.file_stem().unwrap().to_str().unwrap();
            assert_eq!(
                cmd.contains("--s3-bucket"),
                size > INLINE,
                "{name} ({size} bytes): {cmd}"
            );
            assert!(
                cmd.starts_with(&format!(
                    "aws cloudformation deploy --template-file {} --stack-name ",
                    out.join(file).display()
                )),
                "{cmd}"
            );
            assert!(
                cmd.ends_with(" --capabilities CAPABILITY_IAM")
                    || cmd.ends_with(" --capabilities CAPABILITY_IAM --s3-bucket YOUR_BUCKET"),
                "{cmd}"
            );
        }
    }
}

/// A spec with ten topics and `routes` subscribe routes (about 1.8 KB of template each), and
/// optionally a route that subscribes with the client's own pattern.
fn big_spec(routes: usize, pattern_route: bool, matching: &str) -> String {
    let mut s = String::from("version: 1\nname: big-dash\napi:\n  routes:\n");
    for i in 0..routes {
        s.push_str(&format!(
            "    sub-{i}: {{ do: subscribe, topics: [topic-{}] }}\n",
            i % 10
        ));
    }
    if pattern_route {
        s.push_str("    filter: { do: subscribe, pattern: from-message }\n");
    }
    s.push_str("topics:\n");
    for i in 0..10 {
        s.push_str(&format!(
            "  topic-{i}:\n    pattern: {{ source: [shop.orders], detail-type: [Order{i}] }}\n"
        ));
    }
    s.push_str(&format!("delivery:\n  pattern_matching: {matching}\n"));
    s
}

#[test]
fn a_template_too_large_for_inline_gets_the_s3_command_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("big.yaml");
    fs::write(&spec, big_spec(20, false, "workflow")).unwrap();
    let out = dir.path().join("out");
    let o = build(&spec, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let size = fs::metadata(out.join("template.yaml")).unwrap().len() as usize;
    assert!(size > INLINE, "{size} bytes: grow the spec");
    let cmd = deploy_line(&o);
    assert!(cmd.ends_with(" --s3-bucket YOUR_BUCKET"), "{cmd}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!(
            "warning[template-inline-size]: the template is {size} bytes"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("pattern_matching"), "{stderr}");
    // --deny-warnings fails such a build, and --allow lets a team that deploys through S3 pass.
    let strict = build(&spec, &out, &["--deny-warnings"]);
    assert_eq!(strict.status.code(), Some(1));
    let allowed = build(
        &spec,
        &out,
        &["--deny-warnings", "--allow", "template-inline-size"],
    );
    assert!(allowed.status.success());
}

#[test]
fn paths_with_spaces_are_quoted_in_the_deploy_command() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("dash.yaml");
    fs::write(&spec, big_spec(1, false, "workflow")).unwrap();
    let out = dir.path().join("my out");
    let o = build(&spec, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cmd = deploy_line(&o);
    let quoted = format!("--template-file '{}' ", out.join("template.yaml").display());
    assert!(cmd.contains(&quoted), "{cmd}");
}

#[test]
fn the_inline_warning_offers_eventbridge_matching_only_when_the_matcher_is_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("dash.yaml");
    let out = dir.path().join("out");
    let size = |o: &Output| -> (usize, String) {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let bytes = fs::metadata(out.join("template.yaml")).unwrap().len() as usize;
        (bytes, String::from_utf8_lossy(&o.stderr).into_owned())
    };
    fs::write(&spec, big_spec(20, true, "workflow")).unwrap();
    let (embedded, stderr) = size(&build(&spec, &out, &[]));
    assert!(embedded > INLINE);
    assert!(
        stderr.contains("or set `delivery.pattern_matching: eventbridge`"),
        "{stderr}"
    );
    fs::write(&spec, big_spec(20, true, "eventbridge")).unwrap();
    let (called, stderr) = size(&build(&spec, &out, &[]));
    assert!(called > INLINE, "{called}");
    assert!(!stderr.contains("pattern_matching"), "{stderr}");
    // The advice is worth taking: the matcher is most of ten kilobytes.
    assert!(embedded - called > 8_000, "{embedded} vs {called}");
}
