import Testing
@testable import Store

/// Ensure that keys are cleaned like Go's `path.Clean(path.Join("/", key))`.
@Test func keysAreCleanedLikeGoPathClean() {
    let cases: [(String, String)] = [
        ("", "/"), ("/", "/"), ("foo", "/foo"), ("/foo/", "/foo"), ("//a//b//", "/a/b"), ("/a/./b", "/a/b"),
        ("/a/../b", "/b"), ("/../..", "/"), ("a/b/../../..", "/"), ("/sp ace", "/sp ace"), ("/a/.../b", "/a/.../b"),
    ]
    for (raw, clean) in cases {
        #expect(KeyPath(raw).path == clean, "\(raw)")
    }
    #expect(KeyPath("/a/b").components == ["a", "b"])
    #expect(KeyPath("/a/b/c").prefix(2) == "/a/b")
    #expect(KeyPath("/").isRoot)
}

/// Ensure that a key is hidden from a watch path only through a `_` segment below the watch path.
@Test func hiddenRuleLooksOnlyBelowTheWatchPath() {
    #expect(KeyPath.isHidden(watchPath: "/", key: "/_foo"))
    #expect(KeyPath.isHidden(watchPath: "/foo", key: "/foo/_bar/baz"))
    #expect(!KeyPath.isHidden(watchPath: "/_foo", key: "/_foo/bar"))
    #expect(!KeyPath.isHidden(watchPath: "/foo", key: "/foo/b_ar"))
    #expect(!KeyPath.isHidden(watchPath: "/foo/bar", key: "/foo"))
    #expect(!KeyPath.isHidden(watchPath: "/foo", key: "/foo"))
}
