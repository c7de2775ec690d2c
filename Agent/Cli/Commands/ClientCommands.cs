using System.Diagnostics;
using HamachiCloud.Agent.Ipc;
using HamachiCloud.Agent.State;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Commands;

/// <summary>
/// The verbs that ask the running daemon over its Unix socket: <c>status</c>, <c>list</c>,
/// <c>create</c>, <c>join</c>, <c>leave</c>, <c>go-online</c>, <c>go-offline</c>, <c>set-nick</c>,
/// <c>netcheck</c>, <c>advertise-routes</c>, <c>set --accept-routes</c>, and <c>ping</c> (resolves the peer through <c>list</c>, then the system ping).
/// </summary>
public static class ClientCommands
{
    public static int Run(string verb, CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var socket = args.Value("--socket") ?? new StateDirectory(args.StateDir).SocketPath;
        try
        {
            return verb switch
            {
                "status" => Status(socket, args, stdout),
                "list" => List(socket, args, stdout),
                "netcheck" => Netcheck(socket, args, stdout),
                "ping" => Ping(socket, args, stdout, stderr),
                IpcCommands.AdvertiseRoutes => AdvertiseRoutes(socket, args, stdout, stderr),
                "set" => Set(socket, args, stdout, stderr),
                _ => Command(verb, socket, args, stdout, stderr),
            };
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            stderr.WriteLine($"hamachi {verb}: {e.Message}");
            return CommandLine.Failure;
        }
    }

    private static IpcResponse Call(string socket, string command, params string[] args) =>
        IpcClient.CallAsync(socket, new IpcRequest(command, args), CancellationToken.None).GetAwaiter().GetResult();

    private static int Status(string socket, CliArgs args, TextWriter stdout)
    {
        var status = IpcClient.Result<DaemonStatus>(Call(socket, IpcCommands.Status));
        if (args.Json)
        {
            Output.Json(stdout, status);
            return CommandLine.Ok;
        }

        Output.Table(stdout, ["", ""],
        [
            ["device", $"{status.Name} ({status.DeviceId})"],
            ["server", $"{status.ServerUrl} — {(status.Connected ? "connected" : "disconnected" + (status.LastError is null ? "" : ": " + status.LastError))}"],
            ["address", $"{status.VirtualIPv4}  {status.VirtualIPv6}"],
            ["node key", status.NodeKey],
            ["udp port", status.ListenPort.ToString()],
            ["map", status.MapVersion is null ? "none" : $"v{status.MapVersion} from {status.MapSource}"],
            ["tunnels", status.Tunnels.ToString()],
            ["routes", status.Routes is { Count: > 0 } r ? string.Join(", ", r) : "-"],
            ["public routes", (status.AcceptPublicRoutes, status.ServerAcceptsPublicRoutes) switch
            {
                (true, true) => "accepted",
                (true, false) => "accepted here, not on the server",
                _ => "not accepted (`hamachi set --accept-routes`)",
            } + (status.RoutesRefused > 0 ? $"; {status.RoutesRefused} gateway route(s) refused by this agent" : "")],
            .. status.Serving is { Count: > 0 } s ? [["gateway for", string.Join(", ", s)]] : Array.Empty<string[]>(),
            .. (status.RouteConflicts ?? []).Select(c => new[] { "not routed", c }),
        ]);
        return CommandLine.Ok;
    }

    private static int List(string socket, CliArgs args, TextWriter stdout)
    {
        var networks = IpcClient.Result<List<NetworkListing>>(Call(socket, IpcCommands.List));
        if (args.Json)
        {
            Output.Json(stdout, networks);
            return CommandLine.Ok;
        }

        if (networks.Count == 0)
        {
            stdout.WriteLine("no networks: `hamachi create NAME` or `hamachi join ID`");
        }

        foreach (var network in networks)
        {
            stdout.WriteLine($"[{network.NetworkId}] {network.Name} ({network.Type}, {(network.OverPlanLimit ? "inactive: over plan limit" : network.Online ? "online" : "offline")})");
            if (network.OverPlanLimit)
            {
                stdout.WriteLine("  the network's plan allows fewer members than it has: no tunnels until its owner upgrades or chooses you to stay");
            }

            if (network.OpenToAnyone)
            {
                stdout.WriteLine($"  open: anyone who knows the id {network.NetworkId} can join, without a password or approval");
            }

            if (network.PublicRoutes is { } offered)
            {
                stdout.WriteLine($"  {offered}");
            }

            Output.Table(stdout, ["  nickname", "device", "ip", "status", "path", "latency", "endpoint", "handshake"],
                network.Members.Select(m => new[]
                {
                    "  " + m.Nickname, m.DeviceName, m.IPv4, m.Status, m.Path, m.LatencyMilliseconds is { } ms ? $"{ms:0.#} ms" : "-", m.Endpoint ?? "-",
                    m.LastHandshakeSecondsAgo is { } s ? $"{s:0.#} s ago" : "-",
                }));
            if (network.Routes is { Count: > 0 } routes)
            {
                Output.Table(stdout, ["  route", "gateway", "status"], routes.Select(r => new[] { "  " + r.Prefix, r.Gateway, r.Status }));
            }
        }

        return CommandLine.Ok;
    }

    private static int Netcheck(string socket, CliArgs args, TextWriter stdout)
    {
        var result = IpcClient.Result<NetcheckResult>(Output.Spin(stdout, "checking the network…", () => Call(socket, IpcCommands.Netcheck)));
        if (args.Json)
        {
            Output.Json(stdout, result);
            return CommandLine.Ok;
        }

        Output.Table(stdout, ["", ""], NetcheckRows(result));
        return CommandLine.Ok;
    }

    /// <summary>The netcheck table: one row per fact, then one per relay with its STUN round trip.</summary>
    internal static IEnumerable<string[]> NetcheckRows(NetcheckResult result)
    {
        var nat = result.Nat;
        yield return ["UDP port", result.ListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        yield return ["Local endpoints", result.LocalEndpoints.Count == 0 ? "-" : string.Join(", ", result.LocalEndpoints)];
        if (nat is null)
        {
            yield return ["NAT", "not measured (no relay known yet)"];
            yield break;
        }

        yield return ["UDP", nat.UdpBlocked switch { true => "blocked (relay over TCP only)", false => "yes", null => "unknown" }];
        yield return ["Mapped address", nat.MappedEndpoint ?? "-"];
        yield return ["Mapping", nat.Mapping ?? "unknown"];
        yield return ["Filtering", nat.Filtering ?? "unknown"];
        yield return ["Port preservation", YesNo(nat.PortPreserved)];
        yield return ["Hairpinning", YesNo(nat.Hairpinning)];
        foreach (var relay in nat.Relays ?? [])
        {
            yield return [$"Relay {relay.Name}", relay.Milliseconds is { } ms ? $"{ms.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} ms" : "no answer"];
        }
    }

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "unknown" };

    private static int Command(string verb, string socket, CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var password = args.Value("--password");
        var positional = args.Positionals;
        if (positional.Count != 1)
        {
            stderr.WriteLine($"hamachi {verb}: expected one argument ({(verb == IpcCommands.SetNick ? "NAME" : verb == IpcCommands.Create ? "NAME" : "NETWORK-ID")})");
            return CommandLine.Usage;
        }

        string[] callArgs = verb switch
        {
            IpcCommands.Create => [positional[0], Ipc.NetworkTypes.Parse(args.Value("--type")).ToString(), .. password is null ? Array.Empty<string>() : [password]],
            IpcCommands.Join when password is not null => [positional[0], password],
            _ => [positional[0]],
        };
        var result = IpcClient.Result<CommandResult>(Output.Spin(stdout, $"{verb} {positional[0]}…", () => Call(socket, verb, callArgs)));
        if (args.Json)
        {
            Output.Json(stdout, result);
        }
        else if (result.Ok)
        {
            stdout.WriteLine(result.NetworkId is null ? $"{verb}: ok" : $"{verb}: ok ({result.NetworkId})");
            if (result.Pending)
            {
                stdout.WriteLine("  waiting for the network's owner or admins to approve you; you are connected once they do");
            }

            if (verb == IpcCommands.Create)
            {
                // The server's default for a network created without a password is approval, never open.
                stdout.WriteLine(password is null
                    ? "  joins wait for your approval (Portal: the network's Join requests); `--password` lets anyone with the password in"
                    : "  anyone with the id and the password can join");
            }
        }
        else
        {
            stderr.WriteLine($"hamachi {verb}: {result.Error} ({result.ErrorCode})");
        }

        return result.Ok ? CommandLine.Ok : CommandLine.Failure;
    }

    private static int AdvertiseRoutes(string socket, CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positionals.Count < 1)
        {
            stderr.WriteLine("hamachi advertise-routes: expected NETWORK-ID [CIDR...] (no CIDR withdraws every route)");
            return CommandLine.Usage;
        }

        var result = IpcClient.Result<CommandResult>(Call(socket, IpcCommands.AdvertiseRoutes, [.. args.Positionals]));
        if (args.Json)
        {
            Output.Json(stdout, result);
        }
        else if (result.Ok)
        {
            stdout.WriteLine(args.Positionals.Count == 1
                ? $"advertise-routes: ok ({result.NetworkId}): no routes advertised"
                : $"advertise-routes: ok ({result.NetworkId}): {string.Join(", ", args.Positionals.Skip(1))} — a network admin approves them (`hamachi list` shows the status)");
        }
        else
        {
            stderr.WriteLine($"hamachi advertise-routes: {result.Error} ({result.ErrorCode})");
        }

        return result.Ok ? CommandLine.Ok : CommandLine.Failure;
    }

    private static int Set(string socket, CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        bool? accept = args.Flag("--accept-routes=false") ? false : args.Flag("--accept-routes") || args.Flag("--accept-routes=true") ? true : null;
        if (accept is null || args.Positionals.Count != 0 || (args.Flag("--accept-routes=false") && (args.Flag("--accept-routes") || args.Flag("--accept-routes=true"))))
        {
            stderr.WriteLine("hamachi set: expected --accept-routes, --accept-routes=true or --accept-routes=false");
            return CommandLine.Usage;
        }

        var result = IpcClient.Result<CommandResult>(Call(socket, IpcCommands.SetAcceptRoutes, accept.Value ? "true" : "false"));
        if (args.Json)
        {
            Output.Json(stdout, result);
        }
        else if (result.Ok)
        {
            stdout.WriteLine(accept.Value
                ? "set: ok: this device accepts public gateway routes (approved routes outside the private ranges; `hamachi list` shows them)"
                : "set: ok: this device does not accept public gateway routes (private and ULA routes still apply)");
        }
        else
        {
            stderr.WriteLine($"hamachi set: {result.Error} ({result.ErrorCode})");
        }

        return result.Ok ? CommandLine.Ok : CommandLine.Failure;
    }

    private static int Ping(string socket, CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positionals.Count != 1)
        {
            stderr.WriteLine("hamachi ping: expected PEER (nickname, device name or virtual IP)");
            return CommandLine.Usage;
        }

        var peer = args.Positionals[0];
        var networks = IpcClient.Result<List<NetworkListing>>(Call(socket, IpcCommands.List));
        var member = networks.SelectMany(n => n.Members).FirstOrDefault(m => m.Path != "self" && (m.IPv4 == peer
            || string.Equals(m.Nickname, peer, StringComparison.OrdinalIgnoreCase) || string.Equals(m.DeviceName, peer, StringComparison.OrdinalIgnoreCase)));
        if (member is null)
        {
            stderr.WriteLine($"hamachi ping: no peer '{peer}' in your networks (see `hamachi list`)");
            return CommandLine.Failure;
        }

        var count = args.Value("--count") ?? "4";
        var start = new ProcessStartInfo("ping", ["-c", count, "-W", "1", member.IPv4]) { UseShellExecute = false, RedirectStandardOutput = true };
        using var ping = Process.Start(start) ?? throw new IOException("cannot start ping");
        var text = ping.StandardOutput.ReadToEnd();
        ping.WaitForExit();
        if (args.Json)
        {
            Output.Json(stdout, new { peer = member.Nickname, ip = member.IPv4, ok = ping.ExitCode == 0, output = text });
        }
        else
        {
            stdout.Write(text);
        }

        return ping.ExitCode == 0 ? CommandLine.Ok : CommandLine.Failure;
    }
}
