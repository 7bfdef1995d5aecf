/// A parameter name a handler reads on every request, prepared once (a `static let`): its bytes and whether
/// comparing them answers String equality, which `value(_: String)` works out per call (~100 instructions
/// per name a handler asks for and the request does not have; a keys PUT asks for five; callgrind).
package struct FormName: Sendable {
    package let text: String
    let bytes: [UInt8]
    let comparesAsBytes: Bool
    /// The bit of `FormValues.keyLengthBits` for this name's length; all bits for a name that does not
    /// compare as bytes (a key of another length may equal it as a String).
    package let lengthBit: UInt64

    package init(_ text: String) {
        let bytes = Array(text.utf8)
        self.text = text
        self.bytes = bytes
        comparesAsBytes = FormBytes.comparesAsBytes(bytes.span)
        lengthBit = !comparesAsBytes ? ~0 : bytes.count < 63 ? 1 << UInt64(bytes.count) : 1 << 63
    }
}

