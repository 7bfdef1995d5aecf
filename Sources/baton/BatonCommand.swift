// The command line: `baton` (= `baton serve`). Flags are accepted etcd-style with one dash (`-addr x`,
// `-cors='*'`) and with two (`--addr x`), and each can also come from the environment as `BATON_<FLAG>`
// (dashes become underscores: `BATON_BIND_ADDR`); a flag on the command line wins over the environment.

import ArgumentParser
import Foundation
import Logging
import Server

@main
struct BatonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Fair locks, leader election and a watched key tree over HTTP (etcd v2 compatible).",
        version: BatonVersion.string,
        subcommands: [ServeCommand.self, BenchCommand.self],
        defaultSubcommand: ServeCommand.self)

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        EnvironmentFlags.apply(to: &arguments, environment: ProcessInfo.processInfo.environment)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

enum BatonVersion {
    static let string = "0.1.0"
}

/// Both spellings of a long option: `-name` and `--name`.
func both(_ name: String) -> NameSpecification {
    [.customLong(name, withSingleDash: true), .customLong(name)]
}
