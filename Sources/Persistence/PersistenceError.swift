// The one error type of the Persistence module. Damage found on disk names the file and the byte offset of
// the damaged record, so an operator can look at it (and decide to cut it off) instead of a silent loss.

/// A failure to read, write or recover the data directory.
package struct PersistenceError: Error, CustomStringConvertible, Equatable {
    /// The file concerned (path as opened), or "" when none.
    package let file: String
    /// Byte offset of the damaged record, when the failure is damage inside a file.
    package let offset: Int?
    package let reason: String

    package init(file: String, offset: Int? = nil, _ reason: String) {
        self.file = file
        self.offset = offset
        self.reason = reason
    }

    /// "wal-…log at offset 4096: record checksum mismatch (…)".
    package var description: String {
        var text = file.isEmpty ? "" : file
        if let offset { text += " at offset \(offset)" }
        return text.isEmpty ? reason : text + ": " + reason
    }
}
