import Foundation

/// Finds the built `hearth` (or `hearth-server`) executable for the end-to-end tests.
///
/// `swift test` builds every product of the package, `hearth` included, into the same products
/// directory as the test bundle (`<scratch>/<triple>/debug/`), whatever `--scratch-path` says.
/// So the binary is looked for beside the running test executable first; `HEARTH_BIN`
/// (`HEARTH_SERVER_BIN` for the server) overrides.
enum HearthBinary {
    struct NotFound: Error, CustomStringConvertible {
        var name: String
        var variable: String
        var searched: [String]
        var description: String {
            "the \(name) executable was not found (looked in \(searched.joined(separator: ", "))); "
                + "build it with `swift build --product \(name)` or set \(variable) to its path"
        }
    }

    static func locate() throws -> URL {
        try locate("hearth", override: "HEARTH_BIN")
    }

    /// The `hearth-server` executable, found the same way (`HEARTH_SERVER_BIN` overrides).
    static func locateServer() throws -> URL {
        try locate("hearth-server", override: "HEARTH_SERVER_BIN")
    }

    static func locate(_ name: String, override variable: String) throws -> URL {
        let fileManager = FileManager.default
        if let override = ProcessInfo.processInfo.environment[variable], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var directories: [URL] = []
        // Linux: the test runner is `<products>/HearthPackageTests.xctest`.
        if let executable = try? fileManager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first, first.contains("/") {
            directories.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        // macOS: `xctest` loads `<products>/HearthPackageTests.xctest` as a bundle.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        // Last resort: the default scratch path of the package this file belongs to.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        directories.append(packageRoot.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if fileManager.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw NotFound(name: name, variable: variable, searched: directories.map(\.path))
    }
}
