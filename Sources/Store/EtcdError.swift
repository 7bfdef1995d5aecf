// The one error type of the key tree (and of the modules built on it): etcd's envelope
// `{"errorCode":C,"message":M,"cause":X,"index":I}`. `index` is the store index when the error happened.

/// An etcd v2 error as the JSON envelope shows it.
package struct EtcdError: Error, Equatable, Sendable {
    package var code: EtcdErrorCode
    package var cause: String
    package var index: EtcdIndex

    package init(_ code: EtcdErrorCode, cause: String = "", index: EtcdIndex = 0) {
        self.code = code
        self.cause = cause
        self.index = index
    }

    package var message: String { code.message }

    /// 100→404; 101,105→412; 102,108→403; 300–399→500; everything else 400.
    package var httpStatus: Int { code.httpStatus }
}
