fn main() {
    // tauri.conf.json sits at the repository root; capabilities live here.
    // tauri-build watches only its default capabilities folder, so a change
    // here must rerun this script itself (or the app keeps the old ACL).
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    )
    .expect("tauri build step");
}
