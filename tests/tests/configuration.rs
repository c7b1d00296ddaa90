//! Settings from initializationOptions, workspace/configuration and
//! project files; reloads; invalid configuration reported to the user.

use std::time::Duration;

use dunderls_e2e::{capabilities, file_uri, Server, TIMEOUT};
use serde_json::{json, Value};

const SRC: &str = "class A:\n    def __eq__(self, o):\n        return True\n";

fn codes(diags: &Value) -> Vec<String> {
    diags
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Wait for a publication for `uri` whose codes are `want` (publications
/// in between are skipped).
fn wait_codes(s: &mut Server, uri: &str, want: &[&str]) -> Value {
    let want: Vec<String> = want.iter().map(|c| c.to_string()).collect();
    s.wait_for(TIMEOUT, |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && codes(&m["params"]["diagnostics"]) == want
    })
    .unwrap_or_else(|| {
        panic!(
            "no publication with {want:?} for {uri}; stderr:\n{}",
            s.stderr()
        )
    })
}

fn show_message(s: &mut Server, fragment: &str) -> Value {
    let fragment = fragment.to_string();
    s.wait_for(TIMEOUT, |m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains(&fragment))
    })
    .unwrap_or_else(|| panic!("no showMessage containing {fragment:?}"))
}

#[test]
fn initialization_options_and_severity() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), json!({"ignore": ["DUN401"]}));
    s.open("file:///a.py", SRC);
    assert_eq!(codes(&s.published("file:///a.py", 1)), Vec::<String>::new());
    assert_eq!(s.shutdown_and_exit().code(), Some(0));

    let mut s = Server::start();
    s.initialize(
        capabilities(&["utf-16"]),
        json!({"settings": {"severity": {"DUN401": "error"}}}),
    );
    s.open("file:///a.py", SRC);
    let d = s.published("file:///a.py", 1);
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn workspace_configuration_is_pulled_and_re_pulled() {
    let mut s = Server::start();
    *s.settings.lock().expect("settings") = json!({"ignore": ["DUN401"]});
    let mut caps = capabilities(&["utf-16"]);
    caps["workspace"]["configuration"] = json!(true);
    caps["workspace"]["didChangeConfiguration"] = json!({"dynamicRegistration": true});
    s.initialize(caps, Value::Null);
    let req = s
        .wait_for(TIMEOUT, |m| m["method"] == "workspace/configuration")
        .expect("the server asks for its settings after initialized");
    assert_eq!(req["params"]["items"][0]["section"], "dunderls");
    let uri = "file:///cfg.py";
    s.open(uri, SRC);
    wait_codes(&mut s, uri, &[]);
    // The user changes the settings: Neovim-style notification without
    // payload; the server pulls again and re-publishes.
    *s.settings.lock().expect("settings") = json!({"select": ["DUN4"]});
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    wait_codes(&mut s, uri, &["DUN401"]);
    // An invalid value is shown to the user, not silently ignored.
    *s.settings.lock().expect("settings") = json!({"select": ["DUN999"]});
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let m = show_message(&mut s, "DUN999");
    assert_eq!(m["params"]["type"], 1, "an error");
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn did_change_configuration_payload_without_pull_support() {
    let mut s = Server::start();
    s.initialize(capabilities(&["utf-16"]), Value::Null);
    let uri = "file:///push.py";
    s.open(uri, SRC);
    wait_codes(&mut s, uri, &["DUN401"]);
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dunderls": {"ignore": ["eq-without-hash"]}}}),
    );
    wait_codes(&mut s, uri, &[]);
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}

#[test]
fn project_files_are_honoured_reloaded_and_editor_settings_win() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.dunderls]\nignore = [\"DUN401\"]\n",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("pkg")).expect("mkdir");
    let file = root.join("pkg").join("m.py");
    std::fs::write(&file, SRC).expect("write");
    let uri = file_uri(&file);

    let mut s = Server::start();
    let mut caps = capabilities(&["utf-16"]);
    caps["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": true});
    s.initialize_in(root, caps, Value::Null);
    let reg = s
        .wait_for(TIMEOUT, |m| m["method"] == "client/registerCapability")
        .expect("a file watcher is registered");
    let watchers = &reg["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert!(watchers.to_string().contains("pyproject.toml"), "{reg}");
    s.open(&uri, SRC);
    wait_codes(&mut s, &uri, &[]);

    // The project file changes on disk.
    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.dunderls]\nselect = [\"DUN4\"]\nseverity = { DUN401 = \"hint\" }\n",
    )
    .expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("pyproject.toml")), "type": 2}]}),
    );
    let m = wait_codes(&mut s, &uri, &["DUN401"]);
    assert_eq!(
        m["params"]["diagnostics"][0]["severity"], 4,
        "severity from the project file"
    );

    // An invalid project file is reported.
    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.dunderls]\nselekt = [\"DUN4\"]\n",
    )
    .expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("pyproject.toml")), "type": 2}]}),
    );
    let m = show_message(&mut s, "selekt");
    assert!(
        m["params"]["message"]
            .as_str()
            .is_some_and(|t| t.contains("pyproject.toml")),
        "{m}"
    );
    assert_eq!(s.shutdown_and_exit().code(), Some(0));

    // Editor settings override the project file key by key.
    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.dunderls]\nignore = [\"DUN401\"]\nseverity = { DUN401 = \"error\" }\n",
    )
    .expect("write");
    let mut s = Server::start();
    s.initialize_in(root, capabilities(&["utf-16"]), json!({"ignore": []}));
    s.open(&uri, SRC);
    let m = wait_codes(&mut s, &uri, &["DUN401"]);
    assert_eq!(
        m["params"]["diagnostics"][0]["severity"], 1,
        "project severity kept"
    );
    std::thread::sleep(Duration::from_millis(1));
    assert_eq!(s.shutdown_and_exit().code(), Some(0));
}
