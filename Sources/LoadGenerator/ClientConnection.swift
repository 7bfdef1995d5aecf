// ClientConnection: one keep-alive HTTP/1.1 client connection of the load generator, on the loop thread.
//
// Requests may be pipelined: each `send` queues its completion, and responses are matched to completions in
// order (HTTP/1.1 answers in request order). When the connection ends, every completion still queued is
// called once with the failure, and `onClose` runs last; a completion is never called twice.
import UV

/// Why a request got no response.
package enum RequestFailure: Error, Equatable, Sendable {
    /// The peer closed (or reset) the connection before answering.
    case closed(String)
    /// The response could not be parsed.
    case malformed(String)

    /// A short stable name for the error table ("closed", "reset", "malformed").
    package var kind: String {
        switch self {
        case .closed(let why): return why
        case .malformed: return "malformed"
        }
    }
}

/// An HTTP client connection with in-order completions.
package final class ClientConnection: TCPConnectionDelegate {
    package typealias Completion = (Result<ClientResponse, RequestFailure>) -> Void

    private let tcp: TCPConnection
    private var parser = ResponseParser()
    private var pending: [(head: Bool, completion: Completion)] = []
    private var pendingStart = 0
    private var ended = false
    /// Runs once, after the last completion, when the connection is gone.
    package var onClose: (() -> Void)?

    init(tcp: TCPConnection) {
        self.tcp = tcp
        tcp.setNoDelay(true)
        tcp.delegate = self
        tcp.startReading()
    }

    /// Dials `host:port` (optionally from `sourceHost`) and hands back a ready connection.
    package static func connect(loop: Loop, host: String, port: UInt16, sourceHost: String?,
                                _ completion: @escaping (Result<ClientConnection, UVError>) -> Void) {
        TCPConnection.connect(loop: loop, host: host, port: port, sourceHost: sourceHost) { result in
            completion(result.map { ClientConnection(tcp: $0) })
        }
    }

    /// Requests not answered yet.
    package var outstanding: Int { pending.count - pendingStart }

    /// True once the connection ended; `send` then fails at once.
    package var isClosed: Bool { ended }

    /// Writes one encoded request; `completion` gets its response. `head` marks a HEAD request.
    package func send(_ request: [UInt8], head: Bool = false, _ completion: @escaping Completion) {
        if ended {
            completion(.failure(.closed("closed")))
            return
        }
        pending.append((head, completion))
        tcp.write(request)
    }

    /// Closes the connection; queued completions fail with `.closed("closed")`.
    package func close() {
        tcp.close()
    }

    package func connectionDidRead(_ bytes: borrowing ReadBytes) {
        parser.feed(bytes.array)
        while pendingStart < pending.count {
            let response: ClientResponse?
            do {
                response = try parser.next(head: pending[pendingStart].head)
            } catch {
                failAll(.malformed("\(error)"))
                tcp.close()
                return
            }
            guard let response else { break }
            let completion = pending[pendingStart].completion
            pendingStart += 1
            compactPending()
            completion(.success(response))
            if response.closes || ended {
                failAll(.closed("closed"))
                tcp.close()
                return
            }
        }
    }

    package func connectionDidEnd(_ error: UVError?) {
        if error == nil, pendingStart < pending.count, let last = parser.finishAtClose() {
            let completion = pending[pendingStart].completion
            pendingStart += 1
            completion(.success(last))
        }
        failAll(.closed(error.map { $0.name == "ECONNRESET" ? "reset" : $0.name.lowercased() } ?? "closed"))
    }

    package func connectionDidDrain() {}

    package func connectionDidClose() {
        failAll(.closed("closed"))
        let done = onClose
        onClose = nil
        done?()
    }

    private func failAll(_ failure: RequestFailure) {
        ended = true
        while pendingStart < pending.count {
            let completion = pending[pendingStart].completion
            pendingStart += 1
            completion(.failure(failure))
        }
        pending.removeAll()
        pendingStart = 0
    }

    private func compactPending() {
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
    }
}
