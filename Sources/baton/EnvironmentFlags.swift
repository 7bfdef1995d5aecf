// `BATON_<FLAG>` environment variables as a lower-priority source of the serve flags. They are turned into
// ordinary `--flag value` arguments before parsing, so validation and help stay in one place.

enum EnvironmentFlags {
    /// Options that take a value.
    static let options = ["addr", "bind-addr", "name", "data-dir", "cors", "peer-addr", "max-connections",
                          "max-body-bytes", "max-header-bytes", "header-timeout", "idle-timeout", "log-level",
                          "sync", "snapshot-count", "fail-writes-after"]
    /// Boolean flags (`BATON_MEMORY=1` or `true`).
    static let flags = ["memory"]

    static func apply(to arguments: inout [String], environment: [String: String]) {
        // Only the serve command (the default) reads the environment.
        if let first = arguments.first, !first.hasPrefix("-"), first != "serve" { return }
        for name in options {
            guard let value = environment[variable(name)], !isGiven(name, in: arguments) else { continue }
            arguments += ["--\(name)", value]
        }
        for name in flags {
            guard let value = environment[variable(name)]?.lowercased(), !isGiven(name, in: arguments) else { continue }
            if value == "1" || value == "true" || value == "yes" { arguments.append("--\(name)") }
        }
    }

    static func variable(_ name: String) -> String {
        "BATON_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    private static func isGiven(_ name: String, in arguments: [String]) -> Bool {
        arguments.contains { arg in
            arg == "-\(name)" || arg == "--\(name)" || arg.hasPrefix("-\(name)=") || arg.hasPrefix("--\(name)=")
        }
    }
}
