// libFuzzer target for RequestParser (built by run.sh together with Sources/HTTP in one module). The first
// input byte picks the limits (tiny ones reach every limit branch), the second a split offset; the rest is
// the request stream. Properties checked, each a trap on failure:
//  - parsing never crashes and `consumed` is in 1...count;
//  - a decision (complete or invalid) on any prefix equals the decision on the whole input;
//  - a parser that saw a prefix answers the whole input exactly as a fresh parser does;
//  - the answer does not depend on where in the buffer the request starts;
//  - pipelined requests after the first parse the same way.

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzOneInput(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count >= 2 else { return 0 }
    let config = data[0], splitSeed = Int(data[1])
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: count - 2))
    let limits: ParserLimits = switch config % 4 {
    case 0: ParserLimits()
    case 1: ParserLimits(maxRequestLineBytes: 24, maxHeaderBytes: 40, maxBodyBytes: 16)
    case 2: ParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 128, maxBodyBytes: 256)
    default: ParserLimits(maxRequestLineBytes: 1, maxHeaderBytes: 0, maxBodyBytes: 0)
    }
    checkStream(bytes, limits: limits, splitSeed: splitSeed)
    return 0
}

private func checkStream(_ bytes: [UInt8], limits: ParserLimits, splitSeed: Int) {
    var start = 0
    var rounds = 0
    while start <= bytes.count && rounds < 8 {
        let stream = Array(bytes[start...])
        var fresh = RequestParser(limits: limits)
        let whole = fresh.parse(stream, from: 0)
        checkOne(stream, whole: whole, limits: limits, splitSeed: splitSeed)
        guard case .complete(_, let consumed) = whole else { return }
        start += consumed
        rounds += 1
    }
}

private func checkOne(_ stream: [UInt8], whole: ParseResult, limits: ParserLimits, splitSeed: Int) {
    if case .complete(_, let consumed) = whole {
        precondition(consumed >= 1 && consumed <= stream.count, "consumed out of range")
    }
    // Same answer at another start offset.
    var shifted = RequestParser(limits: limits)
    precondition(shifted.parse([0x47, 0x0A] + stream, from: 2) == whole, "start offset changed the answer")

    // A parser that saw a prefix first.
    let split = stream.isEmpty ? 0 : splitSeed % (stream.count + 1)
    var resumed = RequestParser(limits: limits)
    let early = resumed.parse(Array(stream[..<split]), from: 0)
    checkPrefix(early, whole: whole)
    precondition(resumed.parse(stream, from: 0) == whole, "resumed parse differs from fresh parse")

    // Byte at a time (small inputs only, it is quadratic): the first decision is the final one.
    guard stream.count <= 600 else { return }
    var trickle = RequestParser(limits: limits)
    for n in 0...stream.count {
        let answer = trickle.parse(Array(stream[..<n]), from: 0)
        if case .incomplete = answer { continue }
        precondition(answer == whole, "decision on a prefix differs from the whole")
        break
    }
}

private func checkPrefix(_ early: ParseResult, whole: ParseResult) {
    if case .incomplete = early { return }
    precondition(early == whole, "decision on a prefix differs from the whole")
}
