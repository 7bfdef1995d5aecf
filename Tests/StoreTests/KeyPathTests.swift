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

/// Ensure that keys are split byte-wise like Go (a combining mark after "/" does not glue the slash to the
/// next segment) and that an already-clean key keeps its exact path and components.
@Test func keysSplitByteWise() {
    let combining = KeyPath("/a/\u{301}b")
    #expect(combining.components == ["a", "\u{301}b"])
    #expect(combining.path == "/a/\u{301}b")
    #expect(KeyPath("/fill/1-2-3").components == ["fill", "1-2-3"])
    #expect(KeyPath("/fill/1-2-3").path == "/fill/1-2-3")
    #expect(KeyPath("/a/b/.").path == "/a/b")
    #expect(KeyPath("/a/b/..").components == ["a"])
    #expect(KeyPath("/é/ü").components == ["é", "ü"])
}
