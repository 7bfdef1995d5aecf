// The counters of `GET /v2/stats/store`, in etcd's JSON field order. Write counters count applied commands
// (so replay reproduces them); gets and watchers are local, as in etcd.

/// etcd's store statistics.
package struct StoreStats: Equatable, Sendable {
    package var getsSuccess: UInt64 = 0
    package var getsFail: UInt64 = 0
    package var setsSuccess: UInt64 = 0
    package var setsFail: UInt64 = 0
    package var deleteSuccess: UInt64 = 0
    package var deleteFail: UInt64 = 0
    package var updateSuccess: UInt64 = 0
    package var updateFail: UInt64 = 0
    package var createSuccess: UInt64 = 0
    package var createFail: UInt64 = 0
    package var compareAndSwapSuccess: UInt64 = 0
    package var compareAndSwapFail: UInt64 = 0
    package var compareAndDeleteSuccess: UInt64 = 0
    package var compareAndDeleteFail: UInt64 = 0
    package var expireCount: UInt64 = 0
    package var watchers: Int = 0

    package init() {}
}
