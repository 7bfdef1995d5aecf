// Helpers shared by the parser tests: byte conversion and the split-at-every-offset check.
import HTTP
import Testing

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

func parseWhole(_ s: String, limits: ParserLimits = .init()) -> ParseResult {
    var parser = RequestParser(limits: limits)
    return parser.parse(bytes(s), from: 0)
}

/// Parses `wire` whole, then every proper prefix (fresh and resumed), and returns the whole result.
/// Every prefix must be incomplete; a parser that saw a prefix must then answer the whole exactly as a fresh one.
@discardableResult
func checkEverySplit(_ wire: [UInt8], limits: ParserLimits = .init(),
                     sourceLocation: SourceLocation = #_sourceLocation) -> ParseResult {
    var fresh = RequestParser(limits: limits)
    let whole = fresh.parse(wire, from: 0)
    for k in 0..<wire.count {
        var parser = RequestParser(limits: limits)
        let prefix = parser.parse(Array(wire[..<k]), from: 0)
        guard case .incomplete = prefix else {
            Issue.record("prefix of \(k) bytes gave \(prefix)", sourceLocation: sourceLocation)
            return whole
        }
        let resumed = parser.parse(wire, from: 0)
        #expect(resumed == whole, "resumed after \(k) bytes", sourceLocation: sourceLocation)
    }
    return whole
}

/// The request of a `.complete` result, recording an issue otherwise.
func completed(_ result: ParseResult, consumed expected: Int? = nil,
               sourceLocation: SourceLocation = #_sourceLocation) -> Request? {
    guard case .complete(let request, let consumed) = result else {
        Issue.record("expected a complete request, got \(result)", sourceLocation: sourceLocation)
        return nil
    }
    if let expected { #expect(consumed == expected, sourceLocation: sourceLocation) }
    return request
}
