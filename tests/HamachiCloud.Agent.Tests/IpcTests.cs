using System.Collections.Concurrent;
using HamachiCloud.Agent.Ipc;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Agent.Tests;

/// <summary>CLI ↔ daemon over a real Unix socket in a temp directory, with a fake backend.</summary>
public sealed class IpcTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hamachi-ipc-").FullName;
    private readonly FakeBackend _backend = new();
    private readonly CancellationTokenSource _stop = new();
    private IpcServer? _server;
    private Task? _serving;

    private string Socket => Path.Combine(_dir, "hamachi.sock");

    public Task InitializeAsync()
    {
        _server = IpcServer.Listen(Socket, _backend);
        _serving = _server.RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _server!.DisposeAsync();
        await _serving!;
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Status_and_list_round_trip_as_typed_records()
    {
        var status = IpcClient.Result<DaemonStatus>(await IpcClient.CallAsync(Socket, new IpcRequest(IpcCommands.Status, []), CancellationToken.None));
        Assert.Equal(_backend.Status(), status);

        var list = IpcClient.Result<List<NetworkListing>>(await IpcClient.CallAsync(Socket, new IpcRequest(IpcCommands.List, []), CancellationToken.None));
        var member = Assert.Single(Assert.Single(list).Members);
        Assert.Equal(("peer1", "direct", 1.5), (member.Nickname, member.Path, member.LastHandshakeSecondsAgo));
    }

    [Fact]
    public void Netcheck_prints_the_NAT_report_as_a_table_and_as_JSON()
    {
        var args = HamachiCloud.Agent.Commands.CliArgs.Parse(["netcheck", "--socket", Socket], ["--socket"], ["--json"], out _)!;
        var table = new StringWriter();
        Assert.Equal(0, HamachiCloud.Agent.Commands.ClientCommands.Run("netcheck", args, table, TextWriter.Null));
        var lines = table.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("UDP                yes", lines);
        Assert.Contains("Mapped address     192.0.2.18:41641", lines);
        Assert.Contains("Mapping            endpoint-independent", lines);
        Assert.Contains("Filtering          address-and-port-dependent", lines);
        Assert.Contains("Port preservation  yes", lines);
        Assert.Contains("Hairpinning        no", lines);
        Assert.Contains("Relay eu-1         12.5 ms", lines);
        Assert.Contains("Relay us-1         no answer", lines);

        var jsonArgs = HamachiCloud.Agent.Commands.CliArgs.Parse(["netcheck", "--socket", Socket, "--json"], ["--socket"], ["--json"], out _)!;
        var json = new StringWriter();
        Assert.Equal(0, HamachiCloud.Agent.Commands.ClientCommands.Run("netcheck", jsonArgs, json, TextWriter.Null));
        var parsed = System.Text.Json.JsonSerializer.Deserialize<NetcheckResult>(json.ToString(), HamachiCloud.Agent.Engine.Control.ControlJson.Options)!;
        Assert.Equal("address-and-port-dependent", parsed.Nat!.Filtering);
        Assert.Equal(12.5, parsed.Nat.Relays![0].Milliseconds);
    }

    [Fact]
    public async Task Commands_reach_the_backend_with_their_arguments_and_errors_come_back()
    {
        var joined = IpcClient.Result<CommandResult>(await IpcClient.CallAsync(Socket, new IpcRequest(IpcCommands.Join, ["123-456-789", "pw"]), CancellationToken.None));
        Assert.True(joined.Ok);
        await IpcClient.CallAsync(Socket, new IpcRequest(IpcCommands.GoOffline, ["123-456-789"]), CancellationToken.None);
        await IpcClient.CallAsync(Socket, new IpcRequest(IpcCommands.Create, ["lan", "hub-and-spoke"]), CancellationToken.None);
        await IpcClient.CallAsync(Socket, new IpcRequest(IpcCommands.AdvertiseRoutes, ["123-456-789", "198.18.77.0/24", "2001:db8::/64"]), CancellationToken.None);
        await IpcClient.CallAsync(Socket, new IpcRequest(IpcCommands.AdvertiseRoutes, ["123-456-789"]), CancellationToken.None);
        Assert.Equal(["join 123-456-789 pw", "online 123-456-789 False", "create lan HubAndSpoke ", "routes 123-456-789 198.18.77.0/24 2001:db8::/64", "routes 123-456-789 "],
            _backend.Calls);

        var missing = await IpcClient.CallAsync(Socket, new IpcRequest(IpcCommands.Leave, []), CancellationToken.None);
        Assert.False(missing.Ok);
        Assert.Contains("missing network id", missing.Error, StringComparison.Ordinal);
        var unknown = await IpcClient.CallAsync(Socket, new IpcRequest("reboot", []), CancellationToken.None);
        Assert.Contains("unknown command", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_accept_routes_reaches_the_backend_and_list_shows_the_public_routes_offered()
    {
        foreach (var (flag, call) in new[] { ("--accept-routes", "accept-routes True"), ("--accept-routes=true", "accept-routes True"), ("--accept-routes=false", "accept-routes False") })
        {
            var code = HamachiCloud.Agent.Commands.CommandLine.Run(["set", flag, "--socket", Socket], TextReader.Null, TextWriter.Null, TextWriter.Null);
            Assert.Equal(0, code);
            Assert.True(_backend.Calls.TryDequeue(out var got));
            Assert.Equal(call, got);
        }

        var usage = new StringWriter();
        Assert.Equal(2, HamachiCloud.Agent.Commands.CommandLine.Run(["set", "--socket", Socket], TextReader.Null, TextWriter.Null, usage));
        Assert.Contains("expected --accept-routes", usage.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, HamachiCloud.Agent.Commands.CommandLine.Run(["set", "--accept-routes=maybe", "--socket", Socket], TextReader.Null, TextWriter.Null, TextWriter.Null));
        Assert.Empty(_backend.Calls);

        _backend.Networks = [new NetworkListing("123-456-789", "office", "Gateway", true, [], [new RouteListing("203.0.113.0/24", "gw-1", "not routed: public route")],
            PublicRoutes: "public routes offered by the gateway: 203.0.113.0/24 — not accepted on this device (`hamachi set --accept-routes` accepts them)")];
        var list = new StringWriter();
        Assert.Equal(0, HamachiCloud.Agent.Commands.CommandLine.Run(["list", "--socket", Socket], TextReader.Null, list, TextWriter.Null));
        Assert.Contains("  public routes offered by the gateway: 203.0.113.0/24 — not accepted on this device", list.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void List_says_plainly_which_networks_anyone_with_the_id_can_join_and_create_says_who_can_join()
    {
        _backend.Networks =
        [
            new NetworkListing("123-456-789", "lan", "Mesh", true, [], OpenToAnyone: true),
            new NetworkListing("987-654-321", "office", "Mesh", true, []),
        ];
        var args = HamachiCloud.Agent.Commands.CliArgs.Parse(["list", "--socket", Socket], ["--socket"], ["--json"], out _)!;
        var list = new StringWriter();
        Assert.Equal(0, HamachiCloud.Agent.Commands.ClientCommands.Run("list", args, list, TextWriter.Null));
        var lines = list.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var open = Array.FindIndex(lines, l => l.StartsWith("open: anyone who knows the id 123-456-789 can join", StringComparison.Ordinal));
        Assert.Equal(Array.FindIndex(lines, l => l.StartsWith("[123-456-789] lan", StringComparison.Ordinal)) + 1, open);
        Assert.DoesNotContain(lines, l => l.Contains("987-654-321 can join", StringComparison.Ordinal));

        var create = new StringWriter();
        var createArgs = HamachiCloud.Agent.Commands.CliArgs.Parse(["create", "games", "--socket", Socket], ["--socket", "--password", "--type"], ["--json"], out _)!;
        Assert.Equal(0, HamachiCloud.Agent.Commands.ClientCommands.Run("create", createArgs, create, TextWriter.Null));
        Assert.Contains("joins wait for your approval", create.ToString(), StringComparison.Ordinal);

        var join = new StringWriter();
        var joinArgs = HamachiCloud.Agent.Commands.CliArgs.Parse(["join", "555-555-555", "--socket", Socket], ["--socket", "--password"], ["--json"], out _)!;
        Assert.Equal(0, HamachiCloud.Agent.Commands.ClientCommands.Run("join", joinArgs, join, TextWriter.Null));
        Assert.Contains("waiting for the network's owner or admins to approve you", join.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_socket_is_open_to_owner_and_group_only()
    {
        var mode = File.GetUnixFileMode(Socket);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
    }

    private sealed class FakeBackend : IDaemonBackend
    {
        private readonly DaemonStatus _status = new(Maps.Self, "box", "https://hc.example", true, null, "100.64.0.100", "fd00::100", "key", 41641, 3, "server", 1);

        public ConcurrentQueue<string> Calls { get; } = new();

        public DaemonStatus Status() => _status;

        public IReadOnlyList<NetworkListing> Networks { get; set; } =
            [new NetworkListing("123-456-789", "lan", "Mesh", true, [new MemberListing("peer1", "pc1", "100.64.0.1", true, "online", "direct", "198.18.0.1:41641", 1.5)])];

        public IReadOnlyList<NetworkListing> List() => Networks;

        public Task<NetcheckResult> NetcheckAsync(CancellationToken ct) => Task.FromResult(new NetcheckResult(["198.18.0.100:41641"], 41641,
            new NatReport("192.0.2.18:41641", true, false, true, false, false, "endpoint-independent", "address-and-port-dependent", [new RelayLatency(Guid.Empty, "eu-1", 12.5), new RelayLatency(Guid.Empty, "us-1", null)])));

        public Task<CommandResult> CreateNetworkAsync(string name, NetworkType type, string? password, CancellationToken ct) => Done($"create {name} {type} {password}");

        public Task<CommandResult> JoinNetworkAsync(string networkId, string? password, CancellationToken ct) =>
            networkId == "555-555-555" ? Task.FromResult(new CommandResult(true, NetworkId: networkId, Pending: true)) : Done($"join {networkId} {password}");

        public Task<CommandResult> LeaveNetworkAsync(string networkId, CancellationToken ct) => Done($"leave {networkId}");

        public Task<CommandResult> SetOnlineAsync(string networkId, bool online, CancellationToken ct) => Done($"online {networkId} {online}");

        public Task<CommandResult> SetNicknameAsync(string nickname, CancellationToken ct) => Done($"nick {nickname}");

        public Task<CommandResult> AdvertiseRoutesAsync(string networkId, IReadOnlyList<string> prefixes, CancellationToken ct) =>
            Done($"routes {networkId} {string.Join(' ', prefixes)}");

        public Task<CommandResult> SetAcceptRoutesAsync(bool accept, CancellationToken ct) => Done($"accept-routes {accept}");

        private Task<CommandResult> Done(string call)
        {
            Calls.Enqueue(call);
            return Task.FromResult(new CommandResult(true, NetworkId: "123-456-789"));
        }
    }
}
