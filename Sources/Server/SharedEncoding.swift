// The wire bytes of one response, kept while it answers many requests at once: one write can wake thousands
// of watchers of a key with the same event, and encoding it per watcher (status line, headers, JSON copy)
// was a large part of the fan-out cost. Bytes depend on the framing (HEAD, keep-alive, HTTP/1.0 keep-alive),
// so they are reused only for the framing they were encoded for; CORS responses (per-origin headers) are
// never shared.

import HTTP
import Store

/// One response's encoding for one framing, reused across slots.
struct SharedEncoding {
    private var framing: (headOnly: Bool, keepAlive: Bool, http10KeepAlive: Bool)?
    private var encoded: [UInt8] = []

    /// The bytes for a slot with `framing`, when they were encoded for the same framing.
    func bytes(for framing: ResponseFraming) -> [UInt8]? {
        guard framing.corsOrigin == nil, let mine = self.framing, mine.headOnly == framing.headOnly,
              mine.keepAlive == framing.keepAlive, mine.http10KeepAlive == framing.http10KeepAlive
        else { return nil }
        return encoded
    }

    /// Keeps `bytes` as the encoding for `framing`, unless something is already kept or CORS applies.
    mutating func remember(_ bytes: [UInt8], for framing: ResponseFraming) {
        guard self.framing == nil, framing.corsOrigin == nil else { return }
        self.framing = (framing.headOnly, framing.keepAlive, framing.http10KeepAlive)
        encoded = bytes
    }
}

/// One event's answer to its one-shot watchers during a settle: the response and its shared encoding.
struct SharedAnswer {
    var event: Event
    var etcdIndex: EtcdIndex
    var response: Response
    var encoding = SharedEncoding()
}
