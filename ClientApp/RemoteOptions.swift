import ArgumentParser

/// `--server URL --token TOKEN [--insecure]`, shared by `init` and `remote set`.
struct RemoteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The central server, e.g. https://hearth.example.org.", valueName: "url"))
    var server: String?
    @Option(help: ArgumentHelp("This node's token, from `hearth-server node add`.", valueName: "token"))
    var token: String?
    @Flag(help: "Allow sending the token over plain http to a host outside loopback and private networks.")
    var insecure = false

    func validate() throws {
        if (server == nil) != (token == nil) {
            throw ValidationError("--server and --token go together: give both or neither")
        }
    }
}
