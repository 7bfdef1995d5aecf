import Testing
@testable import Store

/// Ensure that every error code maps to etcd's HTTP status (`error/error.go`, reference §4.11).
@Test func errorCodesMapToEtcdStatuses() {
    #expect(EtcdError(.keyNotFound).httpStatus == 404)
    #expect(EtcdError(.testFailed).httpStatus == 412)
    #expect(EtcdError(.nodeExist).httpStatus == 412)
    #expect(EtcdError(.notFile).httpStatus == 403)
    #expect(EtcdError(.directoryNotEmpty).httpStatus == 403)
    #expect(EtcdError(.raftInternal).httpStatus == 500)
    #expect(EtcdError(.leaderElect).httpStatus == 500)
    #expect(EtcdError(.notDir).httpStatus == 400)
    #expect(EtcdError(.rootReadOnly).httpStatus == 400)
    #expect(EtcdError(.eventIndexCleared).httpStatus == 400)
    #expect(EtcdError(.clientInternal).httpStatus == 400)
}

/// Ensure that messages are the exact strings etcd v0.4 sends, not the stale documentation's.
@Test func errorMessagesAreEtcdsExactText() {
    #expect(EtcdErrorCode.keyNotFound.message == "Key not found")
    #expect(EtcdErrorCode.testFailed.message == "Compare failed")
    #expect(EtcdErrorCode.nodeExist.message == "Key already exists")
    #expect(EtcdErrorCode.eventIndexCleared.message == "The event in requested index is outdated and cleared")
    #expect(EtcdErrorCode.ttlNaN.message == "The given TTL in POST form is not a number")
    #expect(EtcdErrorCode.allCases.count == 28)
    #expect(Set(EtcdErrorCode.allCases.map(\.message)).count == 28)
}
