import Modules
import Store
import Testing

// The per-directory queue mirror: ordering, lazy deletion and the value index.
@Suite struct LockQueueTests {
    /// Ensure that the head is the numerically smallest index whatever the insertion order, and that
    /// removals from the middle and the front keep the order (lazy deletion included).
    @Test func orderAndHead() {
        let queue = LockQueue(directory: "/_etcd/mod/lock/q")
        for index in [10, 9, 100, 11, 2] as [EtcdIndex] {
            queue[index] = LockEntry(key: "", value: "-", requestedTTL: nil, owned: false)
        }
        #expect(queue.head() == 2)
        #expect(queue.indexes() == [2, 9, 10, 11, 100])
        queue.remove(10)
        queue.remove(2)
        #expect(queue.head() == 9)
        queue[10] = LockEntry(key: "", value: "-", requestedTTL: nil, owned: false)
        #expect(queue.indexes() == [9, 10, 11, 100])
        for index in 200..<400 as Range<EtcdIndex> { queue[index] = LockEntry(key: "", value: "-", requestedTTL: nil, owned: false) }
        for index in 200..<399 as Range<EtcdIndex> { queue.remove(index) }
        #expect(queue.indexes() == [9, 10, 11, 100, 399])
        #expect(queue.count == 5)
    }

    /// Ensure that lookups by value find the first entry in queue order and follow value changes, and that
    /// `-` (value-less entries) is found by walking the queue.
    @Test func lookupByValue() {
        let queue = LockQueue(directory: "/_etcd/mod/lock/q")
        queue[7] = LockEntry(key: "", value: "a", requestedTTL: nil, owned: false)
        queue[5] = LockEntry(key: "", value: "a", requestedTTL: nil, owned: false)
        queue[6] = LockEntry(key: "", value: "-", requestedTTL: nil, owned: false)
        queue[8] = LockEntry(key: "", value: "-", requestedTTL: nil, owned: false)
        #expect(queue.first(withValue: "a") == 5)
        #expect(queue.first(withValue: "-") == 6)
        queue.setValue("b", of: 5)
        #expect(queue.first(withValue: "a") == 7)
        #expect(queue.first(withValue: "b") == 5)
        queue.remove(6)
        #expect(queue.first(withValue: "-") == 8)
        queue.remove(7)
        #expect(queue.first(withValue: "a") == nil)
    }

    /// Ensure that only canonical decimal names directly in a lock directory count as entries.
    @Test func entryKeys() {
        #expect(LockPath.entry(ofKey: "/_etcd/mod/lock/foo/12")! == ("/_etcd/mod/lock/foo", 12))
        #expect(LockPath.entry(ofKey: "/_etcd/mod/lock/3")! == ("/_etcd/mod/lock", 3))
        #expect(LockPath.entry(ofKey: "/_etcd/mod/lock/foo/012") == nil)
        #expect(LockPath.entry(ofKey: "/_etcd/mod/lock/foo/1x") == nil)
        #expect(LockPath.entry(ofKey: "/_etcd/mod/lockx/1") == nil)
        #expect(LockPath.entry(ofKey: "/other/1") == nil)
        #expect(LockPath.removes("/_etcd", "/_etcd/mod/lock/a"))
        #expect(!LockPath.removes("/_etcd/mod/lock/a", "/_etcd/mod/lock/ab"))
        #expect(LockPath.directory(forName: "a//b/./c/..") == "/_etcd/mod/lock/a/b")
    }
}
