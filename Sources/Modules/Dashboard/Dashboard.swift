// The dashboard's files, compiled into the binary (SwiftPM `embedInCode` of `Assets/`), and the map from a
// request path below `/mod/dashboard` to what to answer (SPEC §5, reference §3.1).
//
// URL layout:
//   /mod/dashboard                   → 302 /mod/dashboard/
//   /mod/dashboard/ and the app's own routes (keys[/…], locks[/…], stats) → index.html, so a deep link or a
//                                      reload of any view works (the page routes with history.pushState)
//   /mod/dashboard/static/<file>     → that asset; any other name → 404
//   anything else below it           → 404 (a typo is not silently turned into the landing page)
// Invariants: every asset's bytes, strong ETag and the build `version` are computed once, at first use;
// index.html names its assets as `static/<file>?v=<version>`, so those URLs are immutable and may be
// cached for a year, while index.html itself and unversioned asset URLs are revalidated on every load
// (`no-cache` + ETag → 304). No clock, no I/O: a pure function of the path.

/// One file of the dashboard as it is served.
package struct DashboardAsset: Sendable, Equatable {
    package let name: String
    package let contentType: String
    package let bytes: [UInt8]
    /// A strong validator: a quoted 64-bit FNV-1a hash of `bytes`.
    package let etag: String
}

/// What to answer for a path below `/mod/dashboard`.
package enum DashboardRoute: Sendable, Equatable {
    case redirect(location: String)
    /// Serve `asset` with this `Cache-Control`.
    case asset(DashboardAsset, cacheControl: String)
    /// Unknown asset or path; `name` is the last path segment, for etcd's `<name>: File not found`.
    case notFound(name: String)
}

package struct Dashboard: Sendable {
    package static let mountPoint = "/mod/dashboard"
    /// Top-level views of the single-page app; their paths (and anything below them) serve index.html.
    package static let appRoutes: Set<String> = ["keys", "locks", "stats"]
    package static let revalidate = "no-cache"
    package static let immutable = "public, max-age=31536000, immutable"

    /// The dashboard built into this binary.
    package static let builtIn = Dashboard(files: [
        ("index.html", PackageResources.index_html),
        ("app.css", PackageResources.app_css),
        ("favicon.svg", PackageResources.favicon_svg),
        ("util.js", PackageResources.util_js),
        ("api.js", PackageResources.api_js),
        ("model.js", PackageResources.model_js),
        ("overview.js", PackageResources.overview_js),
        ("keys.js", PackageResources.keys_js),
        ("locks.js", PackageResources.locks_js),
        ("stats.js", PackageResources.stats_js),
        ("app.js", PackageResources.app_js),
    ])

    /// Hash of every file: changes whenever any asset changes, so versioned asset URLs never go stale.
    package let version: String
    package let index: DashboardAsset
    private let statics: [String: DashboardAsset]

    /// `files` must contain `index.html`; every `{{version}}` in it is replaced by `version`.
    package init(files: [(name: String, bytes: [UInt8])]) {
        var hash = Self.fnv1aOffset
        for file in files {
            hash = Self.fnv1a(Array(file.name.utf8), hash)
            hash = Self.fnv1a(file.bytes, hash)
        }
        let version = Self.hex(hash)
        self.version = version
        var statics: [String: DashboardAsset] = [:]
        var index: DashboardAsset?
        for file in files {
            if file.name == "index.html" {
                let html = String(decoding: file.bytes, as: UTF8.self).replacingAll("{{version}}", with: version)
                index = Self.asset(file.name, Array(html.utf8))
            } else {
                statics[file.name] = Self.asset(file.name, file.bytes)
            }
        }
        self.index = index ?? Self.asset("index.html", [])
        self.statics = statics
    }

    /// Maps `path` (the request path after `/mod/dashboard`, e.g. "", "/", "/keys/a", "/static/app.js") and
    /// the raw query to a route.
    package func route(path: String, query: String) -> DashboardRoute {
        if path.isEmpty { return .redirect(location: Self.mountPoint + "/") }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first else { return .asset(index, cacheControl: Self.revalidate) }
        if first == "static" {
            guard segments.count == 2, let asset = statics[String(segments[1])] else {
                return .notFound(name: String(segments.last ?? first))
            }
            return .asset(asset, cacheControl: query == "v=" + version ? Self.immutable : Self.revalidate)
        }
        if Self.appRoutes.contains(String(first)) { return .asset(index, cacheControl: Self.revalidate) }
        return .notFound(name: String(segments.last ?? first))
    }

    /// Whether an `If-None-Match` header value matches `etag` (a list, `*`, weak forms compared weakly as
    /// RFC 9110 §13.1.2 asks for GET).
    package static func matches(ifNoneMatch header: String, etag: String) -> Bool {
        for candidate in header.split(separator: ",") {
            var tag = candidate.drop { $0 == " " || $0 == "\t" }
            while let last = tag.last, last == " " || last == "\t" { tag = tag.dropLast() }
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag[...] { return true }
        }
        return false
    }

    static func contentType(for name: String) -> String {
        let ext = name.split(separator: ".").last.map(String.init) ?? ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "json": return "application/json"
        default: return "application/octet-stream"
        }
    }

    private static func asset(_ name: String, _ bytes: [UInt8]) -> DashboardAsset {
        DashboardAsset(name: name, contentType: contentType(for: name), bytes: bytes,
                       etag: "\"" + hex(fnv1a(bytes, fnv1aOffset)) + "\"")
    }

    private static let fnv1aOffset: UInt64 = 0xcbf2_9ce4_8422_2325

    private static func fnv1a(_ bytes: [UInt8], _ start: UInt64) -> UInt64 {
        var h = start
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free; Modules imports only Store).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
