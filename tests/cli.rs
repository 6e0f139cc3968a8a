//! End-to-end tests of the binary: files written, exit codes, atomicity, determinism, and
//! that the standalone `.asl.json` / `.vtl` files are exactly what the template embeds.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_lambdaless-gen");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .expect("binary runs")
}

fn specs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(root().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

fn build(spec: &Path, out: &Path, format: &str) {
    let o = run(&[
        "build",
        spec.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert!(
        o.status.success(),
        "{}: {}",
        spec.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_owned(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn files_are_what_the_template_embeds() {
    for spec in specs() {
        for format in ["yaml", "json"] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            build(&spec, &out, format);
            let text = fs::read_to_string(out.join(format!("template.{format}"))).unwrap();
            let template: Value = if format == "yaml" {
                serde_yaml::from_str(&text).unwrap()
            } else {
                serde_json::from_str(&text).unwrap()
            };
            let resources = template["Resources"].as_object().unwrap();
            let mut machines = 0;
            let mut mappings = 0;
            for (id, r) in resources {
                let props = &r["Properties"];
                match r["Type"].as_str().unwrap() {
                    "AWS::StepFunctions::StateMachine" => {
                        let name = props["StateMachineName"]["Fn::Sub"]
                            .as_str()
                            .unwrap()
                            .rsplit('-')
                            .next()
                            .unwrap()
                            .to_owned();
                        let file: Value = serde_json::from_str(
                            &fs::read_to_string(out.join(format!("statemachines/{name}.asl.json")))
                                .unwrap(),
                        )
                        .unwrap();
                        // YAML embeds the definition as a string, JSON as an object.
                        let embedded: Value = match props["DefinitionString"].as_str() {
                            Some(text) => serde_json::from_str(text).unwrap(),
                            None => props["Definition"].clone(),
                        };
                        assert_eq!(format == "yaml", props["Definition"].is_null());
                        assert_eq!(file, embedded, "{} {id}", spec.display());
                        machines += 1;
                    }
                    "AWS::ApiGatewayV2::Integration" => {
                        let key = resources[id.trim_end_matches("Integration")]["Properties"]
                            ["RouteKey"]
                            .as_str()
                            .unwrap()
                            .replace('$', "_");
                        let vtl =
                            fs::read_to_string(out.join(format!("mappings/{key}.request.vtl")))
                                .unwrap();
                        assert_eq!(
                            vtl,
                            props["RequestTemplates"]["$default"].as_str().unwrap(),
                            "{} {id}",
                            spec.display()
                        );
                        mappings += 1;
                    }
                    "AWS::ApiGatewayV2::IntegrationResponse" => {
                        if let Some(t) = props["ResponseTemplates"]["$default"].as_str() {
                            let integration = props["IntegrationId"]["Ref"].as_str().unwrap();
                            let key = resources[integration.trim_end_matches("Integration")]
                                ["Properties"]["RouteKey"]
                                .as_str()
                                .unwrap()
                                .replace('$', "_");
                            assert_eq!(
                                fs::read_to_string(
                                    out.join(format!("mappings/{key}.response.vtl"))
                                )
                                .unwrap(),
                                t
                            );
                            mappings += 1;
                        }
                    }
                    "AWS::Lambda::Function" | "AWS::Serverless::Function" => {
                        panic!("no Lambda, ever")
                    }
                    _ => {}
                }
            }
            assert_eq!(
                machines,
                fs::read_dir(out.join("statemachines")).unwrap().count(),
                "{}",
                spec.display()
            );
            assert_eq!(
                mappings,
                fs::read_dir(out.join("mappings")).unwrap().count(),
                "{}",
                spec.display()
            );
        }
    }
}

#[test]
fn builds_are_byte_identical() {
    for spec in specs() {
        let dir = tempfile::tempdir().unwrap();
        build(&spec, &dir.path().join("a"), "yaml");
        build(&spec, &dir.path().join("b"), "yaml");
        assert_eq!(
            tree(&dir.path().join("a")),
            tree(&dir.path().join("b")),
            "{}",
            spec.display()
        );
    }
}

#[test]
fn output_names_no_region_partition_or_lambda() {
    for spec in specs() {
        let dir = tempfile::tempdir().unwrap();
        build(&spec, &dir.path().join("o"), "yaml");
        for (path, bytes) in tree(&dir.path().join("o")) {
            let text = String::from_utf8(bytes).unwrap();
            for bad in ["us-east-1", "arn:aws:", "AWS::Lambda"] {
                assert!(
                    !text.contains(bad),
                    "{} {}: contains {bad}",
                    spec.display(),
                    path.display()
                );
            }
        }
    }
}

#[test]
fn a_failed_build_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&root().join("specs/seed.yaml"), &out, "yaml");
    let before = tree(&out);
    let bad = dir.path().join("bad.yaml");
    fs::write(&bad, "version: 1\nname: seed\ntopics: {}\n").unwrap();
    let o = run(&["build", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree(&out), before);
    let siblings: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        siblings.len(),
        2,
        "no temporary folder left behind: {siblings:?}"
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("precious.txt"), "keep me").unwrap();
    let o = run(&[
        "build",
        "specs/seed.yaml",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(dir.path().join("precious.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn exit_codes() {
    assert_eq!(
        run(&["check", "specs/seed.yaml", "specs/topics.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "specs/does-not-exist.yaml"]).status.code(),
        Some(1)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["build"]).status.code(), Some(2));
    let schema = run(&["schema"]);
    assert!(schema.status.success());
    assert_eq!(
        String::from_utf8(schema.stdout).unwrap(),
        fs::read_to_string(root().join("schemas/lambdaless.schema.json")).unwrap()
    );
}

#[test]
fn every_invalid_spec_fails_check_with_a_location_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&root().join("specs/seed.yaml"), &out, "yaml");
    let before = tree(&out);
    for e in fs::read_dir(root().join("specs/invalid")).unwrap() {
        let p = Path::new("specs/invalid").join(e.unwrap().file_name());
        let o = run(&["check", p.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {err}", p.display());
        assert!(!err.contains("panicked"), "{}", p.display());
        let b = run(&["build", p.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(b.status.code(), Some(1), "build {}", p.display());
        assert!(
            !String::from_utf8_lossy(&b.stderr).contains("panicked"),
            "build {}",
            p.display()
        );
        assert_eq!(
            tree(&out),
            before,
            "build {} changed the output folder",
            p.display()
        );
        let name = p.display().to_string();
        assert!(
            err.contains(&format!("[{name}:")),
            "{}: no file:line:col in {err}",
            p.display()
        );
    }
}

#[test]
fn check_json_locates_every_diagnostic() {
    let mut args = vec!["check".to_owned(), "--format".to_owned(), "json".to_owned()];
    let mut files: Vec<String> = fs::read_dir(root().join("specs/invalid"))
        .unwrap()
        .map(|e| format!("specs/invalid/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    args.extend(files.iter().cloned());
    let o = Command::new(BIN)
        .args(&args)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let diags: Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    let diags = diags.as_array().unwrap();
    assert!(diags.len() >= files.len());
    for d in diags {
        for key in ["file", "severity", "code", "message"] {
            assert!(d[key].is_string(), "{d}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{d}");
        }
    }
    for f in &files {
        assert!(
            diags
                .iter()
                .any(|d| d["file"] == f.as_str() && d["severity"] == "error"),
            "{f} has no error"
        );
    }
}

#[test]
fn warnings_pass_check_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("warn.yaml");
    fs::write(&spec, "version: 1\nname: warn\napi:\n  routes:\n    $connect: { do: connect }\ntopics:\n  orders:\n    pattern: { source: [a] }\n").unwrap();
    let s = spec.to_str().unwrap();
    assert_eq!(run(&["check", s]).status.code(), Some(0));
    let denied = run(&["check", "--deny-warnings", s]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stderr).contains("warn.yaml:7:3"));
    let out = dir.path().join("out");
    assert_eq!(
        run(&["build", "--deny-warnings", s, "-o", out.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    assert!(!out.exists());
}

#[test]
fn hostile_files_fail_fast_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.yaml");
    fs::write(&huge, "a: b\n".repeat(10 * 1024 * 1024)).unwrap();
    let deep = dir.path().join("deep.yaml");
    fs::write(&deep, "[".repeat(100_000)).unwrap();
    let deep_map = dir.path().join("deep-map.yaml");
    fs::write(&deep_map, "{a: ".repeat(100_000)).unwrap();
    for f in [&huge, &deep, &deep_map] {
        let started = std::time::Instant::now();
        let o = run(&["check", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", f.display());
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{}: {:?}",
            f.display(),
            started.elapsed()
        );
    }
}

/// The `test-pattern` examples shown in README.md, with their documented output and exit codes.
#[test]
fn test_pattern_readme_examples() {
    let o = run(&[
        "test-pattern",
        "--spec",
        "specs/topics.yaml",
        "--topic",
        "big-payments",
        "--event",
        "specs/events/big-payment.json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "match     #1 (7bf73129-1428-4cd3-a780-95db273d1602)\n"
    );
    let o = run(&[
        "test-pattern",
        "--pattern",
        r#"{"source":["shop.orders"],"detail":{"total":[{"numeric":[">",100]}]}}"#,
        "--event",
        "{\"source\":\"shop.orders\",\"detail\":{\"total\":150}}\n{\"source\":\"shop.orders\",\"detail\":{\"total\":50}}\n{\"source\":\"shop.orders\",\"detail\":{}}",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let single = "match     #1\n\
        no-match  #2: $.detail.total is 50; expected [{\"numeric\":[\">\",100]}]\n\
        no-match  #3: $.detail.total is missing; expected [{\"numeric\":[\">\",100]}]\n\
        1 of 3 events match\n";
    assert_eq!(String::from_utf8_lossy(&o.stdout), single);
    let routed = "#1 (e1): topics orders; routes subscribe\n\
        #2 (e2): topics big-payments; routes subscribe\n\
        #3 (e3): none\n\
        3 events\n  orders        1\n  big-payments  1\n  (no topic)    1\n";
    let o = run(&[
        "test-pattern",
        "--spec",
        "specs/topics.yaml",
        "--event",
        "specs/events/stream.jsonl",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&o.stdout), routed);
    let o = run(&[
        "test-pattern",
        "--spec",
        "specs/topics.yaml",
        "--event",
        "specs/events/stream.jsonl",
        "--format",
        "json",
    ]);
    let json = String::from_utf8_lossy(&o.stdout).into_owned();
    let o = run(&[
        "test-pattern",
        "--pattern",
        "source: [shop.orders]",
        "--event",
        r#"{"source":"shop.payments"}"#,
        "--format",
        "json",
    ]);
    let json_single = String::from_utf8_lossy(&o.stdout).into_owned();
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    for shown in [single, routed, &json, &json_single] {
        assert!(
            readme.contains(shown),
            "README shows the real output:\n{shown}"
        );
    }
}

#[test]
fn test_pattern_exit_codes() {
    let ok = run(&[
        "test-pattern",
        "--quiet",
        "--pattern",
        r#"{"source":[{"prefix":"shop."}]}"#,
        "--event",
        r#"[{"source":"shop.a"},{"source":"shop.b"}]"#,
    ]);
    assert_eq!((ok.status.code(), ok.stdout.len()), (Some(0), 0));
    let invalid = run(&[
        "test-pattern",
        "--pattern",
        r#"{"source":[{"Prefix":"shop."}]}"#,
        "--event",
        "{}",
    ]);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("did you mean `prefix`"));
    let bad_event = run(&[
        "test-pattern",
        "--pattern",
        r#"{"source":["a"]}"#,
        "--event",
        "{not json",
    ]);
    assert_eq!(bad_event.status.code(), Some(2));
    let unknown_topic = run(&[
        "test-pattern",
        "--spec",
        "specs/topics.yaml",
        "--topic",
        "nope",
        "--event",
        "{}",
    ]);
    assert_eq!(unknown_topic.status.code(), Some(2));
    assert_eq!(
        run(&["test-pattern", "--event", "{}"]).status.code(),
        Some(2)
    );
}

/// The seed spec without its acknowledgement of catch-all-anonymous and anonymous-standard
/// (two warnings), written into `dir`.
fn bare_seed(dir: &Path) -> String {
    let mut text = fs::read_to_string(root().join("specs/seed.yaml")).unwrap();
    for line in ["  - catch-all-anonymous\n", "  - anonymous-standard\n"] {
        assert!(text.contains(line), "the seed acknowledges {line}");
        text = text.replace(line, "");
    }
    let path = dir.join("seed.yaml");
    fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Issue 21: the README's first command builds the seed without a warning: the seed
/// acknowledges its deliberate choices, and `build` names them in one note line.
#[test]
fn the_readmes_first_command_prints_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&["build", "specs/seed.yaml", "-o", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        err,
        "note: specs/seed.yaml acknowledges template-inline-size, catch-all-anonymous, \
         anonymous-standard (`lambdaless-gen check specs/seed.yaml` shows each)\n"
    );
    let check = run(&["check", "--deny-warnings", "specs/seed.yaml"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "note[catch-all-anonymous]: acknowledged in the spec: topic `all` matches every event, \
             and anyone who knows the URL can connect (`api.auth: none`)\n  --> specs/seed.yaml:17:3\n"
        ),
        "check locates each acknowledged warning, briefly: {err}"
    );
}

/// Issue 6: a catch-all topic with `api.auth: none` warns at the topic; `--deny-warnings` fails.
#[test]
fn catch_all_topic_with_anonymous_clients_warns() {
    let dir = tempfile::tempdir().unwrap();
    let seed = bare_seed(dir.path());
    let o = run(&["check", &seed]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[catch-all-anonymous]") && err.contains("seed.yaml:17:3]"),
        "{err}"
    );
    assert_eq!(
        run(&["check", "--deny-warnings", &seed]).status.code(),
        Some(1)
    );
    let json = run(&["check", "--format", "json", &seed]);
    let diags: Value = serde_json::from_slice(&json.stdout).unwrap();
    let warning = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "catch-all-anonymous")
        .expect("a catch-all-anonymous warning");
    assert_eq!(
        (warning["line"].as_u64(), warning["column"].as_u64()),
        (Some(17), Some(3))
    );
    // Signed clients only: no warning.
    let spec = dir.path().join("iam.yaml");
    let text = fs::read_to_string(&seed)
        .unwrap()
        .replace("  stage: dev\n", "  stage: dev\n  auth: iam\n");
    fs::write(&spec, text).unwrap();
    let o = run(&["check", spec.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("catch-all-anonymous"), "{err}");
}

/// Issue 9: the code heads each report (`error[code]: message`, as rustc does); after a YAML
/// error, what parses before it is still checked, and a note (severity `note` in JSON, not
/// counted in the summary) says which checks waited.
#[test]
fn reports_are_headed_by_their_code_and_yaml_errors_keep_what_can_be_checked() {
    let spec = "specs/invalid/yaml-tab-before-key.yaml";
    let o = run(&["check", spec]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let headers: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with(' ') && l.contains('['))
        .collect();
    assert_eq!(headers.len(), 3, "{err}");
    assert!(headers[0].starts_with("error[pattern-numeric-value]: topic `orders`"));
    assert!(headers[1].starts_with("error[yaml-syntax]: a tab indents this line"));
    assert!(headers[2].starts_with("note[checks-skipped]: only lines 1-10"));
    assert!(
        err.contains("[specs/invalid/yaml-tab-before-key.yaml:11:1]"),
        "{err}"
    );
    assert!(err.ends_with("error: 2 errors in 1 spec(s)\n"), "{err}");

    let json = run(&["check", "--format", "json", spec]);
    let diags: Value = serde_json::from_slice(&json.stdout).unwrap();
    let summary: Vec<(&str, &str)> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["severity"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            ("error", "pattern-numeric-value"),
            ("error", "yaml-syntax"),
            ("note", "checks-skipped")
        ]
    );
    assert_eq!(
        (diags[1]["line"].as_u64(), diags[1]["column"].as_u64()),
        (Some(11), Some(1))
    );
}

/// Issue 11: `--allow CODE` silences a warning (only warnings; unknown codes get a
/// did-you-mean), and `acknowledge:` in the spec reports the warning as an acknowledged note
/// that `--deny-warnings` accepts.
#[test]
fn warnings_can_be_allowed_on_the_command_line_or_acknowledged_in_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    let seed = &bare_seed(dir.path());
    let bare = fs::read_to_string(seed).unwrap();
    let all = [
        "--allow",
        "anonymous-standard",
        "--allow",
        "catch-all-anonymous",
    ];
    let o = run(&[&["check", "--deny-warnings"][..], &all[..], &[seed]].concat());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("catch-all-anonymous"), "{err}");
    let o = run(&[
        "check",
        "--deny-warnings",
        "--allow",
        "anonymous-standard",
        seed,
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the catch-all warning still fails the check"
    );
    for (code, says) in [
        ("schema-type", "cannot be allowed"),
        ("catch-all", "did you mean `catch-all-anonymous`"),
    ] {
        let o = run(&["check", "--allow", code, seed]);
        assert_eq!(o.status.code(), Some(2), "--allow {code}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(says),
            "--allow {code}"
        );
    }
    let spec = dir.path().join("ack.yaml");
    let text = bare.replace("acknowledge:\n", "acknowledge:\n  - catch-all-anonymous\n");
    assert!(
        text.contains("- catch-all-anonymous"),
        "the seed has no acknowledge list"
    );
    fs::write(&spec, text).unwrap();
    let path = spec.to_str().unwrap();
    let o = run(&[
        "check",
        "--deny-warnings",
        "--allow",
        "anonymous-standard",
        path,
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("note[catch-all-anonymous]: acknowledged in the spec"),
        "{err}"
    );
    let json = run(&["check", "--format", "json", path]);
    let diags: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(diags
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "catch-all-anonymous" && d["severity"] == "note"));
}

/// Issue 21: a misspelt topic in a route is one error with a did-you-mean, not also a
/// `topic-unused` warning for the topic it meant; a spec without `version` is underlined at
/// one place (its first key), not over every line.
#[test]
fn a_misspelt_topic_and_a_missing_version_are_reported_once_in_one_place() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("typo.yaml");
    fs::write(
        &spec,
        "version: 1\nname: shop\napi:\n  routes:\n    subscribe: { do: subscribe, topics: [orders, payment] }\n\
         topics:\n  orders:\n    pattern: { source: [shop.orders] }\n  payments:\n    pattern: { source: [shop.payments] }\n  audit:\n    pattern: { source: [shop.audit] }\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "json", spec.to_str().unwrap()]);
    let diags: Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<(&str, &str)> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["help"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("route-unknown-topic", "did you mean `payments`?"),
            (
                "topic-unused",
                "list it in a subscribe route's `topics`, or add a `pattern: from-message` route"
            )
        ],
        "{diags:#}"
    );
    assert!(
        diags[1]["message"].as_str().unwrap().contains("`audit`"),
        "only the topic no route meant is unused: {diags:#}"
    );

    let spec = dir.path().join("no-version.yaml");
    fs::write(
        &spec,
        "# a comment\nname: bad\ntopics:\n  orders:\n    pattern: { source: [shop.orders] }\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "json", spec.to_str().unwrap()]);
    let diags: Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &diags[0];
    assert_eq!(d["code"], "schema-missing-key");
    assert_eq!(
        [&d["line"], &d["column"], &d["end_line"], &d["end_column"]],
        [2, 1, 2, 5],
        "the first key, `name`: {d:#}"
    );
}

/// Issue 21: the README's list of the warning codes `--allow` and `acknowledge:` accept is the
/// code registry's (`Code::WARNINGS`, each with its one-line description).
#[test]
fn the_readmes_warning_codes_are_the_registrys() {
    use lambdaless_gen::diagnostic::Code;
    let want: String = Code::WARNINGS
        .iter()
        .map(|c| format!("- `{c}`: {}\n", c.doc()))
        .collect();
    let path = root().join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let start = "(UPDATE_README=1 cargo test --test cli) -->\n";
    let from = readme
        .find(start)
        .expect("README.md has the warning codes' markers")
        + start.len();
    let to = from
        + readme[from..]
            .find("<!-- end of warning codes -->")
            .expect("the end marker");
    let have = &readme[from..to];
    if have != want && std::env::var_os("UPDATE_README").is_some() {
        fs::write(&path, format!("{}{want}{}", &readme[..from], &readme[to..])).unwrap();
        return;
    }
    assert_eq!(
        have, want,
        "README.md's warning codes differ from Code::WARNINGS: run \
         `UPDATE_README=1 cargo test --test cli` and review the diff"
    );
}
