// The request method. The common methods are cases so routing is a cheap switch; any other RFC 7230 token
// is kept verbatim in `.other`, because etcd answers unknown methods per route (404 or 405), not here.

/// An HTTP request method; methods are case-sensitive tokens, so "get" is `.other("get")`.
package enum HTTPMethod: Equatable, Sendable {
    case get, head, post, put, delete, options, patch, other(String)

    /// Maps the method token's bytes without building a String for the common methods.
    package init(token bytes: ArraySlice<UInt8>) {
        switch bytes.count {
        case 3:
            if HTTPMethod.matches(bytes, HTTPMethod.getBytes) { self = .get; return }
            if HTTPMethod.matches(bytes, HTTPMethod.putBytes) { self = .put; return }
        case 4:
            if HTTPMethod.matches(bytes, HTTPMethod.headBytes) { self = .head; return }
            if HTTPMethod.matches(bytes, HTTPMethod.postBytes) { self = .post; return }
        case 5:
            if HTTPMethod.matches(bytes, HTTPMethod.patchBytes) { self = .patch; return }
        case 6:
            if HTTPMethod.matches(bytes, HTTPMethod.deleteBytes) { self = .delete; return }
        case 7:
            if HTTPMethod.matches(bytes, HTTPMethod.optionsBytes) { self = .options; return }
        default:
            break
        }
        self = .other(String(decoding: bytes, as: UTF8.self))
    }

    /// A small number for each common method (0 for `.other`), which a parsed request line keeps so that a
    /// remembered line need not recognise its method again (see RequestLineMemo).
    var code: UInt8 {
        switch self {
        case .get: 1
        case .head: 2
        case .post: 3
        case .put: 4
        case .delete: 5
        case .options: 6
        case .patch: 7
        case .other: 0
        }
    }

    /// The common method with this `code`; nil for 0.
    init?(code: UInt8) {
        switch code {
        case 1: self = .get
        case 2: self = .head
        case 3: self = .post
        case 4: self = .put
        case 5: self = .delete
        case 6: self = .options
        case 7: self = .patch
        default: return nil
        }
    }

    /// Written out rather than synthesized: the synthesized `==` was reached through the Equatable witness
    /// from other modules, four calls per request (callgrind).
    package static func == (a: HTTPMethod, b: HTTPMethod) -> Bool {
        switch (a, b) {
        case (.get, .get), (.head, .head), (.post, .post), (.put, .put), (.delete, .delete),
             (.options, .options), (.patch, .patch):
            true
        case (.other(let x), .other(let y)):
            x == y
        default:
            false
        }
    }

    /// The method as it appears on the wire.
    package var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .patch: "PATCH"
        case .other(let token): token
        }
    }

    private static let getBytes: [UInt8] = Array("GET".utf8)
    private static let putBytes: [UInt8] = Array("PUT".utf8)
    private static let headBytes: [UInt8] = Array("HEAD".utf8)
    private static let postBytes: [UInt8] = Array("POST".utf8)
    private static let patchBytes: [UInt8] = Array("PATCH".utf8)
    private static let deleteBytes: [UInt8] = Array("DELETE".utf8)
    private static let optionsBytes: [UInt8] = Array("OPTIONS".utf8)

    private static func matches(_ bytes: ArraySlice<UInt8>, _ name: [UInt8]) -> Bool {
        var i = bytes.startIndex
        for b in name {
            if bytes[i] != b { return false }
            i += 1
        }
        return true
    }
}
