//! The bundled example project's cross-module findings describe what
//! CPython really does: each case is run and must fail as the finding says.

use std::path::Path;
use std::process::Command;

const CASES: &str = r#"
import importlib, sys
def outcome(action):
    try:
        action()
    except Exception as e:
        return f"{type(e).__name__}: {' '.join(str(e).split())}"
    return "ok"

from shop.products import Product
from shop.store.memory import MemoryStore
from shop.geometry.labelled import LabelledPoint
print("DUN401", outcome(lambda: hash(Product(1, "a"))))
print("DUN202", outcome(MemoryStore))
print("DUN111", outcome(lambda: LabelledPoint(1, 2, "p")))
print("DUN603", outcome(lambda: importlib.import_module("shop.plugins.csv_plugin")))
print("DUN607", outcome(lambda: importlib.import_module("shop.plugins.json_plugin")))
"#;

#[test]
fn cross_module_examples_fail_at_runtime_as_reported() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let out = Command::new(dunderls_testkit::python())
        .args(["-B", "-c", CASES])
        .current_dir(&examples)
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "DUN401 TypeError: unhashable type: 'Product'",
        "DUN202 TypeError: Can't instantiate abstract class MemoryStore",
        "DUN111 AttributeError: 'LabelledPoint' object has no attribute 'colour'",
        "DUN603 TypeError: Plugin.__init_subclass__() got an unexpected keyword argument 'format'",
        "DUN607 TypeError: Cannot create a consistent method resolution order (MRO) for bases Plugin, ExportMixin",
    ] {
        assert!(text.contains(expected), "expected `{expected}` in:\n{text}");
    }
}
