// The `/mod/dashboard` endpoint: HTTP around `Dashboard.route` (which file, which Cache-Control) — the 302,
// conditional GET (`If-None-Match` → 304 with the same validators), etcd's 404 text for unknown files, and a
// Content-Security-Policy that lets the page load only its own compiled-in files and talk only to this server.

import HTTP
import Modules

extension BatonServer {
    /// The page runs no inline script or style and needs nothing from another origin.
    static let dashboardSecurityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
    ]

    func dashboardEndpoint(_ request: Request, subpath: String) -> Response {
        // etcd's router answers a method mismatch with 404 (reference §4.1).
        guard request.method == .get || request.method == .head else { return Self.notFound }
        switch Dashboard.builtIn.route(path: subpath, query: request.query) {
        case .redirect(let location):
            return Response(status: 302, headers: [("Location", location),
                                                    ("Content-Type", "text/html; charset=utf-8")],
                            body: Array("<a href=\"\(location)\">Found</a>.\n".utf8))
        case .notFound(let name):
            return .text(404, name + ": File not found\n")
        case .asset(let asset, let cacheControl):
            var headers: [(name: String, value: String)] = [("ETag", asset.etag), ("Cache-Control", cacheControl)]
            if let condition = request.headers["If-None-Match"], Dashboard.matches(ifNoneMatch: condition, etag: asset.etag) {
                return Response(status: 304, headers: headers)
            }
            headers.append(("Content-Type", asset.contentType))
            if asset.name == "index.html" { headers += Self.dashboardSecurityHeaders }
            return Response(status: 200, headers: headers, body: asset.bytes)
        }
    }
}
