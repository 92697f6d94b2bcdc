//! WebKitGTK settings that keep the window's memory down on Linux (Windows
//! uses WebView2, which these do not concern). Each is measured on its own
//! in docs/BENCHMARKS.md ("The window").
//!
//! They are environment variables because WebKit's web and network
//! processes read them when they start, so they must be set before GTK and
//! WebKit do. A value the user has set is kept (e.g.
//! `WEBKIT_DISABLE_COMPOSITING_MODE=0` to compare).

/// Sets the variables. Call first thing in `main`, before any thread starts.
pub fn configure() {
    #[cfg(target_os = "linux")]
    for (name, value) in [
        // No accelerated compositing: the page is painted in software straight
        // into the window, so no GL layers live in Mesa's llvmpipe. The largest
        // share: about 90 MiB less, and half the CPU until the tree shows.
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        // No DMA-BUF renderer in the window process (about 4 MiB).
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        // JavaScriptCore interprets instead of compiling to machine code:
        // 9–16 MiB less, start-up CPU unchanged (the UI's script is small).
        ("JSC_useJIT", "false"),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
}
