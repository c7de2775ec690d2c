namespace HamachiCloud.Agent.Commands;

/// <summary>
/// The <c>hamachi</c> command line (hand-parsed: a handful of verbs). Exit codes: 0 ok, 1 runtime
/// failure, 2 usage or configuration error.
/// </summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    private const string Help = """
        usage: hamachi <command>

          genkey                                   print a new private key (WireGuard base64)
          pubkey                                   read a private key on stdin, print its public key
          up --config FILE [--interface NAME]      run the agent standalone from a wg-quick style file
                                                   until SIGINT/SIGTERM (default interface hamachi0)

          login --server URL [--setup-key KEY] [--name NAME]
                                                   enrol this device (device flow in a browser, or a setup key)
          logout                                   delete this device on the server and the local state
          daemon [--interface NAME] [--port N] [--group G] [--socket PATH]
                                                   run the agent (control channel + tunnels) until SIGTERM
          status | list | netcheck                 ask the daemon
          create NAME [--type mesh|hub-and-spoke|gateway] [--password P] | join ID [--password P] | leave ID
          go-online ID | go-offline ID | set-nick NAME | ping PEER [--count N]
          advertise-routes ID [CIDR...]            as a gateway of network ID, offer these LAN prefixes
                                                   (an admin approves them; none: withdraw all)
          set --accept-routes[=true|false]         accept (or stop accepting) public gateway routes on this
                                                   device; off by default, private and ULA routes need no consent

        Every command takes --state-dir DIR (default /var/lib/hamachi, or $HAMACHI_STATE_DIR)
        and --json (machine-readable output).
        """;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Help);
            return args.Length == 0 ? Usage : Ok;
        }

        switch (args[0])
        {
            case "genkey" when args.Length == 1:
                return KeyCommands.GenKey(stdout);
            case "pubkey" when args.Length == 1:
                return KeyCommands.PubKey(stdin, stdout, stderr);
            case "up":
                return ParseUp(args, stderr, out var config, out var name) ? UpCommand.Run(config!, name, stdout, stderr) : Usage;
            case "login":
                return WithArgs(args, ["--server", "--setup-key", "--name"], [], stderr, a => Enrol.LoginCommand.Login(a, stdout, stderr));
            case "logout":
                return WithArgs(args, [], [], stderr, a => Enrol.LoginCommand.Logout(a, stdout, stderr));
            case "daemon":
                return WithArgs(args, ["--interface", "--port", "--group", "--socket"], [], stderr, a => Daemon.DaemonCommand.Run(a, stdout, stderr));
            case "set":
                return WithArgs(args, ["--socket"], ["--accept-routes", "--accept-routes=true", "--accept-routes=false"], stderr,
                    a => ClientCommands.Run(args[0], a, stdout, stderr));
            case "status" or "list" or "netcheck" or "create" or "join" or "leave" or "go-online" or "go-offline" or "set-nick" or "ping" or "advertise-routes":
                return WithArgs(args, ["--password", "--socket", "--count", "--type"], [], stderr, a => ClientCommands.Run(args[0], a, stdout, stderr));
            default:
                stderr.WriteLine($"hamachi: unknown command or arguments '{string.Join(' ', args)}'");
                stderr.WriteLine(Help);
                return Usage;
        }
    }

    private static int WithArgs(string[] args, string[] valueOptions, string[] flags, TextWriter stderr, Func<CliArgs, int> run)
    {
        var parsed = CliArgs.Parse(args, valueOptions, flags, out var error);
        if (parsed is null)
        {
            stderr.WriteLine($"hamachi {args[0]}: {error} (see `hamachi --help`)");
            return Usage;
        }

        return run(parsed);
    }

    private static bool ParseUp(string[] args, TextWriter stderr, out string? config, out string name)
    {
        config = null;
        name = UpCommand.DefaultInterface;
        for (var i = 1; i < args.Length; i++)
        {
            var option = args[i];
            if (option is not ("--config" or "-c" or "--interface" or "-i") || i + 1 >= args.Length)
            {
                stderr.WriteLine($"hamachi up: unexpected argument '{option}' (usage: hamachi up --config FILE [--interface NAME])");
                return false;
            }

            var value = args[++i];
            if (option is "--config" or "-c")
            {
                config = value;
            }
            else
            {
                name = value;
            }
        }

        if (config is null)
        {
            stderr.WriteLine("hamachi up: --config FILE is required");
            return false;
        }

        if (name.Length is 0 or > 15 || name.Any(c => c is '/' or ' ' or ':' || char.IsControl(c)))
        {
            stderr.WriteLine($"hamachi up: --interface '{name}': an interface name is 1-15 characters without '/', ':' or spaces");
            return false;
        }

        return true;
    }
}
