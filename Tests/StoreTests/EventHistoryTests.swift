import Testing
@testable import Store

private func event(_ key: String, _ index: EtcdIndex, _ action: EventAction = .create) -> Event {
    Event(action: action, node: NodeView(key: key, modifiedIndex: index, createdIndex: index))
}

/// Ensure that the ring keeps only the newest `capacity` events (TestEventQueue).
@Test func historyKeepsNewestEvents() throws {
    var history = EventHistory(capacity: 100)
    for index in 1...200 { history.append(event("/foo", EtcdIndex(index))) }
    #expect(history.startIndex == 101 && history.lastIndex == 200)
    let all = try history.scan(key: "/foo", recursive: false, from: 101, currentIndex: 200, limit: .max)
    #expect(all.map(\.index) == Array(101...200))
}

/// Ensure that scanning finds the first match at or after the index, recursively by path prefix, nothing for a
/// future index, and 401 before the start (TestScanHistory).
@Test func historyScanSemantics() throws {
    var history = EventHistory(capacity: 10)
    history.append(event("/foo", 1))
    history.append(event("/foo/bar", 2))
    history.append(event("/foo/foo", 3))
    history.append(event("/foo/bar/bar", 4))
    history.append(event("/foo/foo/foo", 5))
    func first(_ key: String, _ recursive: Bool, _ index: EtcdIndex) throws -> EtcdIndex? {
        try history.scan(key: key, recursive: recursive, from: index, currentIndex: 5, limit: 1).first?.index
    }
    #expect(try first("/foo", false, 1) == 1)
    #expect(try first("/foo/bar", false, 1) == 2)
    #expect(try first("/foo/bar", true, 3) == 4)
    #expect(try first("/foo", true, 4) == 4)
    #expect(try first("/foo/foo/foo", false, 6) == nil)
    #expect(try first("/fo", true, 1) == nil)
    #expect(try first("/", true, 3) == 3)
}

/// Ensure that scanning still works after the ring wrapped around (TestFullEventQueue) and 401 names the oldest.
@Test func historyScanAfterWrapAround() throws {
    var history = EventHistory(capacity: 10)
    for index in 1...25 { history.append(event(index % 2 == 0 ? "/even" : "/odd", EtcdIndex(index))) }
    #expect(try history.scan(key: "/even", recursive: false, from: 17, currentIndex: 25, limit: 1).first?.index == 18)
    #expect(try history.scan(key: "/odd", recursive: false, from: 16, currentIndex: 25, limit: .max).map(\.index)
        == [17, 19, 21, 23, 25])
    do {
        _ = try history.scan(key: "/odd", recursive: false, from: 15, currentIndex: 25, limit: 1)
        Issue.record("expected 401")
    } catch {
        #expect(error == EtcdError(.eventIndexCleared, cause: "the requested history has been cleared [16/15]", index: 25))
    }
}

/// Ensure that the history scan matches an ancestor's delete or expire, like a live watcher would.
@Test func historyScanMatchesAncestorRemoval() throws {
    var history = EventHistory(capacity: 10)
    history.append(event("/a/b/c", 1, .set))
    history.append(event("/a", 2, .delete))
    history.append(event("/a/bc", 3, .set))
    #expect(try history.scan(key: "/a/b/c", recursive: false, from: 2, currentIndex: 3, limit: 1).first?.index == 2)
    #expect(try history.scan(key: "/ab", recursive: false, from: 2, currentIndex: 3, limit: 1).isEmpty)
}
