// Reason phrases as Go's net/http StatusText spells them (RFC 9110 names), for the status line.

/// Standard reason phrases.
package enum StatusReason {
    static let table: [(Int, String)] = [
        (100, "Continue"), (101, "Switching Protocols"),
        (200, "OK"), (201, "Created"), (202, "Accepted"), (203, "Non-Authoritative Information"),
        (204, "No Content"), (205, "Reset Content"), (206, "Partial Content"),
        (300, "Multiple Choices"), (301, "Moved Permanently"), (302, "Found"), (303, "See Other"),
        (304, "Not Modified"), (307, "Temporary Redirect"), (308, "Permanent Redirect"),
        (400, "Bad Request"), (401, "Unauthorized"), (403, "Forbidden"), (404, "Not Found"),
        (405, "Method Not Allowed"), (406, "Not Acceptable"), (408, "Request Timeout"), (409, "Conflict"),
        (410, "Gone"), (411, "Length Required"), (412, "Precondition Failed"), (413, "Request Entity Too Large"),
        (414, "Request URI Too Long"), (415, "Unsupported Media Type"), (417, "Expectation Failed"),
        (426, "Upgrade Required"), (429, "Too Many Requests"), (431, "Request Header Fields Too Large"),
        (500, "Internal Server Error"), (501, "Not Implemented"), (502, "Bad Gateway"),
        (503, "Service Unavailable"), (504, "Gateway Timeout"), (505, "HTTP Version Not Supported"),
    ]

    private static let byCode: [Int: String] = Dictionary(uniqueKeysWithValues: table)

    /// The reason phrase for `status`, or "" when it has none.
    package static func phrase(_ status: Int) -> String {
        byCode[status] ?? ""
    }
}
