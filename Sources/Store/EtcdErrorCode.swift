// etcd's error table (`error/error.go`, v0.4.6), code for code, with the exact message text clients see.
// The documentation's older spellings ("Key Not Found", "Test Failed") are stale; these are what the code sent.

/// Every etcd v2 error code; the raw value is the `errorCode` of the JSON envelope.
package enum EtcdErrorCode: Int, Sendable, CaseIterable {
    case keyNotFound = 100
    case testFailed = 101
    case notFile = 102
    case noMorePeer = 103
    case notDir = 104
    case nodeExist = 105
    case keyIsPreserved = 106
    case rootReadOnly = 107
    case directoryNotEmpty = 108
    case existingPeerAddress = 109

    case valueRequired = 200
    case prevValueRequired = 201
    case ttlNaN = 202
    case indexNaN = 203
    case valueOrTTLRequired = 204
    case timeoutNaN = 205
    case nameRequired = 206
    case indexOrValueRequired = 207
    case indexValueMutex = 208
    case invalidField = 209

    case raftInternal = 300
    case leaderElect = 301

    case watcherCleared = 400
    case eventIndexCleared = 401
    case standbyInternal = 402
    case invalidActiveSize = 403
    case invalidRemoveDelay = 404

    case clientInternal = 500

    /// The exact `message` etcd v0.4 puts in the envelope.
    package var message: String {
        switch self {
        case .keyNotFound: "Key not found"
        case .testFailed: "Compare failed"
        case .notFile: "Not a file"
        case .noMorePeer: "Reached the max number of peers in the cluster"
        case .notDir: "Not a directory"
        case .nodeExist: "Key already exists"
        case .keyIsPreserved: "The prefix of given key is a keyword in etcd"
        case .rootReadOnly: "Root is read only"
        case .directoryNotEmpty: "Directory not empty"
        case .existingPeerAddress: "Peer address has existed"
        case .valueRequired: "Value is Required in POST form"
        case .prevValueRequired: "PrevValue is Required in POST form"
        case .ttlNaN: "The given TTL in POST form is not a number"
        case .indexNaN: "The given index in POST form is not a number"
        case .valueOrTTLRequired: "Value or TTL is required in POST form"
        case .timeoutNaN: "The given timeout in POST form is not a number"
        case .nameRequired: "Name is required in POST form"
        case .indexOrValueRequired: "Index or value is required"
        case .indexValueMutex: "Index and value cannot both be specified"
        case .invalidField: "Invalid field"
        case .raftInternal: "Raft Internal Error"
        case .leaderElect: "During Leader Election"
        case .watcherCleared: "watcher is cleared due to etcd recovery"
        case .eventIndexCleared: "The event in requested index is outdated and cleared"
        case .standbyInternal: "Standby Internal Error"
        case .invalidActiveSize: "Invalid active size"
        case .invalidRemoveDelay: "Standby remove delay"
        case .clientInternal: "Client Internal Error"
        }
    }

    /// The HTTP status etcd's `Error.Write` picks for this code.
    package var httpStatus: Int {
        switch self {
        case .keyNotFound: 404
        case .testFailed, .nodeExist: 412
        case .notFile, .directoryNotEmpty: 403
        case .raftInternal, .leaderElect: 500
        default: 400
        }
    }
}
