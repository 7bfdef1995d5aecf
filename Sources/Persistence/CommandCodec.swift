// The binary form of a Store `Command` inside a log record: one tag byte, then the case's fields in
// declaration order. Optional fields are announced by a presence-bit byte; expirations are absolute
// Unix milliseconds (zig-zag varints), so a replayed TTL ends when the original one would have.
// Tags are part of the on-disk format: never renumber them, only add.

import Store

/// Encodes and decodes Commands; see the file header.
package enum CommandCodec {
    private enum Tag: UInt8 {
        case set = 1, create, createInOrder, update, compareAndSwap, delete, compareAndDelete, expire
    }

    package static func encode(_ command: Command, into w: inout ByteWriter) {
        switch command {
        case let .set(key, value, dir, expiration):
            w.byte(Tag.set.rawValue)
            putFile(key, value, dir, expiration, into: &w)
        case let .create(key, value, dir, expiration):
            w.byte(Tag.create.rawValue)
            putFile(key, value, dir, expiration, into: &w)
        case let .createInOrder(directory, value, dir, expiration):
            w.byte(Tag.createInOrder.rawValue)
            putFile(directory, value, dir, expiration, into: &w)
        case let .update(key, value, expiration):
            w.byte(Tag.update.rawValue)
            w.byte(expiration == nil ? 0 : 1)
            w.string(key)
            w.string(value)
            if let expiration { w.signed(expiration.milliseconds) }
        case let .compareAndSwap(key, value, prevValue, prevIndex, expiration):
            w.byte(Tag.compareAndSwap.rawValue)
            w.byte((prevValue == nil ? 0 : 1) | (prevIndex == nil ? 0 : 2) | (expiration == nil ? 0 : 4))
            w.string(key)
            w.string(value)
            if let prevValue { w.string(prevValue) }
            if let prevIndex { w.varint(prevIndex) }
            if let expiration { w.signed(expiration.milliseconds) }
        case let .delete(key, dir, recursive):
            w.byte(Tag.delete.rawValue)
            w.byte((dir ? 1 : 0) | (recursive ? 2 : 0))
            w.string(key)
        case let .compareAndDelete(key, prevValue, prevIndex):
            w.byte(Tag.compareAndDelete.rawValue)
            w.byte((prevValue == nil ? 0 : 1) | (prevIndex == nil ? 0 : 2))
            w.string(key)
            if let prevValue { w.string(prevValue) }
            if let prevIndex { w.varint(prevIndex) }
        case let .expire(key):
            w.byte(Tag.expire.rawValue)
            w.string(key)
        }
    }

    private static func putFile(_ key: String, _ value: String, _ dir: Bool, _ expiration: Timestamp?,
                                into w: inout ByteWriter) {
        w.byte((dir ? 1 : 0) | (expiration == nil ? 0 : 2))
        w.string(key)
        w.string(value)
        if let expiration { w.signed(expiration.milliseconds) }
    }

    package static func decode(_ r: inout ByteReader) throws(ByteReader.Failure) -> Command {
        let raw = try r.byte()
        guard let tag = Tag(rawValue: raw) else { throw .malformed("unknown command tag \(raw)") }
        switch tag {
        case .set, .create, .createInOrder:
            let flags = try r.byte()
            let key = try r.string()
            let value = try r.string()
            let expiration = flags & 2 != 0 ? Timestamp(milliseconds: try r.signed()) : nil
            let dir = flags & 1 != 0
            switch tag {
            case .set: return .set(key: key, value: value, dir: dir, expiration: expiration)
            case .create: return .create(key: key, value: value, dir: dir, expiration: expiration)
            default: return .createInOrder(directory: key, value: value, dir: dir, expiration: expiration)
            }
        case .update:
            let flags = try r.byte()
            let key = try r.string()
            let value = try r.string()
            let expiration = flags & 1 != 0 ? Timestamp(milliseconds: try r.signed()) : nil
            return .update(key: key, value: value, expiration: expiration)
        case .compareAndSwap:
            let flags = try r.byte()
            let key = try r.string()
            let value = try r.string()
            let prevValue = flags & 1 != 0 ? try r.string() : nil
            let prevIndex = flags & 2 != 0 ? try r.varint() : nil
            let expiration = flags & 4 != 0 ? Timestamp(milliseconds: try r.signed()) : nil
            return .compareAndSwap(key: key, value: value, prevValue: prevValue, prevIndex: prevIndex,
                                   expiration: expiration)
        case .delete:
            let flags = try r.byte()
            return .delete(key: try r.string(), dir: flags & 1 != 0, recursive: flags & 2 != 0)
        case .compareAndDelete:
            let flags = try r.byte()
            let key = try r.string()
            let prevValue = flags & 1 != 0 ? try r.string() : nil
            let prevIndex = flags & 2 != 0 ? try r.varint() : nil
            return .compareAndDelete(key: key, prevValue: prevValue, prevIndex: prevIndex)
        case .expire:
            return .expire(key: try r.string())
        }
    }
}
