// Unit tests of `Dashboard`: which path serves which compiled-in file with which Cache-Control, the build
// version in index.html, strong ETags and If-None-Match matching (SPEC §5, reference §3.1). No sockets.

import Modules
import Testing

@Suite struct DashboardRouteTests {
    let dashboard = Dashboard.builtIn

    private func asset(_ path: String, query: String = "") -> (DashboardAsset, String)? {
        if case .asset(let a, let cache) = dashboard.route(path: path, query: query) { return (a, cache) }
        return nil
    }

    /// Ensure that the bare mount point redirects to the directory form, as etcd's `/mod/dashboard` → 302.
    @Test func bareMountPointRedirects() {
        #expect(dashboard.route(path: "", query: "") == .redirect(location: "/mod/dashboard/"))
    }

    /// Ensure that the landing page and every in-app route (deep links) serve index.html, revalidated on load.
    @Test func appRoutesServeIndex() throws {
        for path in ["/", "/keys", "/keys/", "/keys/a/b%20c", "/locks", "/locks/printer/x", "/stats", "//keys"] {
            let (a, cache) = try #require(asset(path), "\(path)")
            #expect(a.name == "index.html", "\(path)")
            #expect(a.contentType == "text/html; charset=utf-8")
            #expect(cache == Dashboard.revalidate)
        }
    }

    /// Ensure that unknown assets and unknown top-level paths are 404 with the name etcd puts in its text.
    @Test func unknownPathsAreNotFound() {
        #expect(dashboard.route(path: "/static/nope.js", query: "") == .notFound(name: "nope.js"))
        #expect(dashboard.route(path: "/static/", query: "") == .notFound(name: "static"))
        #expect(dashboard.route(path: "/static/app.js/x", query: "") == .notFound(name: "x"))
        #expect(dashboard.route(path: "/index.html", query: "") == .notFound(name: "index.html"))
        #expect(dashboard.route(path: "/browser", query: "") == .notFound(name: "browser"))
        #expect(dashboard.route(path: "/static/index.html", query: "") == .notFound(name: "index.html"))
    }

    /// Ensure that index.html names every asset with the build version, and that exactly those URLs are
    /// cached as immutable while the unversioned (or stale-versioned) ones are revalidated.
    @Test func versionedAssetURLsAreImmutable() throws {
        let html = String(decoding: dashboard.index.bytes, as: UTF8.self)
        #expect(!html.contains("{{version}}"))
        let names = ["app.css", "favicon.svg", "util.js", "api.js", "model.js", "overview.js", "keys.js",
                     "locks.js", "stats.js", "app.js"]
        for name in names {
            #expect(html.contains("/mod/dashboard/static/\(name)?v=\(dashboard.version)"), "\(name)")
            let (a, cache) = try #require(asset("/static/" + name, query: "v=" + dashboard.version))
            #expect(!a.bytes.isEmpty)
            #expect(cache == Dashboard.immutable)
            #expect(asset("/static/" + name)?.1 == Dashboard.revalidate)
            #expect(asset("/static/" + name, query: "v=0000")?.1 == Dashboard.revalidate)
        }
    }

    /// Ensure that content types follow the file extension.
    @Test func contentTypes() {
        #expect(asset("/static/app.js")?.0.contentType == "text/javascript; charset=utf-8")
        #expect(asset("/static/app.css")?.0.contentType == "text/css; charset=utf-8")
        #expect(asset("/static/favicon.svg")?.0.contentType == "image/svg+xml")
    }

    /// Ensure that ETags are strong, differ between files and change with the content, and that the
    /// version changes when any file changes.
    @Test func etagsAndVersionFollowContent() {
        let a = Dashboard(files: [("index.html", Array("<p>{{version}}</p>".utf8)), ("app.js", Array("1".utf8))])
        let b = Dashboard(files: [("index.html", Array("<p>{{version}}</p>".utf8)), ("app.js", Array("2".utf8))])
        #expect(a.version != b.version)
        #expect(a.index.etag != b.index.etag) // index.html embeds the version
        guard case .asset(let jsA, _) = a.route(path: "/static/app.js", query: ""),
              case .asset(let jsB, _) = b.route(path: "/static/app.js", query: "") else {
            Issue.record("app.js not served")
            return
        }
        #expect(jsA.etag != jsB.etag)
        #expect(jsA.etag.hasPrefix("\"") && jsA.etag.hasSuffix("\"") && !jsA.etag.hasPrefix("W/"))
        #expect(String(decoding: a.index.bytes, as: UTF8.self) == "<p>\(a.version)</p>")
        let again = Dashboard(files: [("index.html", Array("<p>{{version}}</p>".utf8)), ("app.js", Array("1".utf8))])
        #expect(again.version == a.version && again.index == a.index)
    }

    /// Ensure that If-None-Match matches the ETag itself, one of a list, `*`, and the weak form.
    @Test func ifNoneMatch() {
        let tag = "\"0123456789abcdef\""
        #expect(Dashboard.matches(ifNoneMatch: tag, etag: tag))
        #expect(Dashboard.matches(ifNoneMatch: "\"x\", \(tag)", etag: tag))
        #expect(Dashboard.matches(ifNoneMatch: " W/\(tag) ", etag: tag))
        #expect(Dashboard.matches(ifNoneMatch: "*", etag: tag))
        #expect(!Dashboard.matches(ifNoneMatch: "\"0123456789abcdee\"", etag: tag))
        #expect(!Dashboard.matches(ifNoneMatch: "", etag: tag))
    }
}
