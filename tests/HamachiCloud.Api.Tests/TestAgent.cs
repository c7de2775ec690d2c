using System.Security.Cryptography;
using System.Threading.Channels;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Enrolment;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// A minimal agent over a real SignalR client (MessagePack, long polling through the TestServer):
/// enrols, logs in (checking the server's signature against the pinned key), verifies every map
/// and delta, applies deltas, and records what it received.
/// </summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
    private readonly List<string> _received = [];
    private HubConnection? _connection;
    private byte[] _agentNonce = [];

    private bool _ownsKey = true;

    private TestAgent(SigningKey machineKey, EnrolResponse enrolment, string nodeKey)
    {
        MachineKey = machineKey;
        Enrolment = enrolment;
        NodeKey = nodeKey;
        PinnedServerKey = SigningPublicKey.FromBytes(Convert.FromBase64String(enrolment.ServerIdentityKey));
    }

    public SigningKey MachineKey { get; }
    public EnrolResponse Enrolment { get; }
    public Guid DeviceId => Enrolment.DeviceId;

    /// <summary>The node key it enrolled with (base64 of 32 bytes).</summary>
    public string NodeKey { get; }
    public SigningPublicKey PinnedServerKey { get; set; }
    public HubConnection Connection => _connection ?? throw new InvalidOperationException("not connected");
    public NetworkMap? Map { get; private set; }
    public List<VerifyPeersRequest> VerifyRequests { get; } = [];
    public List<(string Code, string Reason)> Goodbyes { get; } = [];
    public bool Closed { get; private set; }

    /// <summary>Kinds of messages received, in order ("map", "delta", "verify", "goodbye", "relay-tokens").</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>Enrols with a setup key (anonymous client) or, when <paramref name="setupKey"/> is null, with the client's token.</summary>
    public static async Task<TestAgent> EnrolAsync(HamachiClient client, string name, string? setupKey = null)
    {
        var machine = SigningKey.Generate();
        var request = new EnrolRequest(name, machine.PublicKey.ToBase64(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), setupKey);
        return new TestAgent(machine, await client.EnrolAsync(request), request.NodeKey);
    }

    public static async Task<TestAgent> EnrolWithSetupKeyAsync(ApiFactory f, TestUser owner, string name)
    {
        var key = await owner.Client.CreateSetupKeyAsync(new Contracts.SetupKeys.CreateSetupKeyRequest("key for " + name));
        return await EnrolAsync(new HamachiClient(f.CreateClient()), name, key.Key);
    }

    /// <param name="webSocket">One WebSocket (the session lives in one request) instead of long polling (a request per send).</param>
    /// <param name="headers">Extra request headers on every request of the connection (e.g. X-Forwarded-For from a proxy).</param>
    public async Task ConnectAsync(ApiFactory f, string? clientAddress = null, bool webSocket = false, IReadOnlyDictionary<string, string>? headers = null)
    {
        var server = f.Server;
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, ControlProtocol.HubPath), o =>
            {
                o.Transports = webSocket ? HttpTransportType.WebSockets : HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (clientAddress is not null)
                {
                    o.Headers[TestClientAddress.Header] = clientAddress;
                }

                foreach (var (name, value) in headers ?? new Dictionary<string, string>())
                {
                    o.Headers[name] = value;
                }

                if (webSocket)
                {
                    o.SkipNegotiation = true;
                    o.WebSocketFactory = async (context, ct) =>
                    {
                        var client = server.CreateWebSocketClient();
                        client.ConfigureRequest = r =>
                        {
                            if (clientAddress is not null)
                            {
                                r.Headers[TestClientAddress.Header] = clientAddress;
                            }

                            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
                            {
                                r.Headers[name] = value;
                            }
                        };
                        return await client.ConnectAsync(context.Uri, ct);
                    };
                }
            })
            .AddMessagePackProtocol()
            .Build();
        _connection.On<SignedMessage>(nameof(IAgentClient.NetworkMap), OnMap);
        _connection.On<SignedMessage>(nameof(IAgentClient.NetworkMapDelta), OnDelta);
        _connection.On<VerifyPeersRequest>(nameof(IAgentClient.VerifyPeers), r => Record("verify", () => VerifyRequests.Add(r)));
        _connection.On<string, string>(nameof(IAgentClient.Goodbye), (c, r) => Record("goodbye", () => Goodbyes.Add((c, r))));
        _connection.On(nameof(IAgentClient.RelayTokensChanged), () => Record("relay-tokens", () => { }));
        _connection.Closed += _ =>
        {
            Record("closed", () => Closed = true);
            return Task.CompletedTask;
        };
        await _connection.StartAsync();
    }

    public async Task<HelloResponse> HelloAsync(int[]? versions = null, Guid? deviceId = null, string agentVersion = "test", string? os = "TestOS 1.0")
    {
        _agentNonce = RandomNumberGenerator.GetBytes(ControlProtocol.NonceSize);
        _helloDevice = deviceId ?? DeviceId;
        _hello = await Connection.InvokeAsync<HelloResponse>(nameof(IAgentHub.Hello),
            new HelloRequest(versions ?? ControlProtocol.SupportedVersions, _helloDevice, _agentNonce, agentVersion, os));
        return _hello;
    }

    /// <summary>The last login request this agent sent (what an eavesdropper could capture and replay).</summary>
    public LoginRequest? LastLogin { get; private set; }

    /// <summary>Sends <paramref name="request"/> as this session's login, whatever transcript it signs (a replay).</summary>
    public Task<LoginResponse> SendLoginAsync(LoginRequest request) =>
        Connection.InvokeAsync<LoginResponse>(nameof(IAgentHub.Login), request);

    private HelloResponse? _hello;
    private Guid _helloDevice;

    /// <summary>True when the hello's signature verifies against the pinned server key (what an agent checks before sending anything).</summary>
    public bool ServerProofVerifies() =>
        _hello is { Error: null } h
        && PinnedServerKey.Verify(LoginTranscript.ServerProof(h.ProtocolVersion, _helloDevice, _agentNonce, h.ServerNonce), h.ServerSignature);

    public Task<LoginResponse> LoginAsync(SigningKey? signWith = null)
    {
        var h = _hello ?? throw new InvalidOperationException("hello first");
        var transcript = LoginTranscript.AgentProof(h.ProtocolVersion, _helloDevice, _agentNonce, h.ServerNonce);
        LastLogin = new LoginRequest((signWith ?? MachineKey).Sign(transcript));
        return SendLoginAsync(LastLogin);
    }

    /// <summary>Connect, hello (refusing a server that fails the pinned-key check), login.</summary>
    public async Task<LoginResponse> ConnectAndLoginAsync(ApiFactory f)
    {
        await ConnectAsync(f);
        await HelloAsync();
        Assert.True(ServerProofVerifies(), "the server's hello signature must verify against the pinned key");
        var login = await LoginAsync();
        Assert.True(login.Ok, $"{login.ErrorCode}: {login.Error}");
        await WaitUntilAsync(a => a.Map is not null, "the full map after login");
        return login;
    }

    /// <summary>Waits (default 10 s) until <paramref name="condition"/> holds, re-checking after every received message.</summary>
    public async Task WaitUntilAsync(Func<TestAgent, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!condition(this))
        {
            try
            {
                await _events.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"device {Enrolment.DeviceId}: timed out waiting for {what}; received {string.Join(",", Received)}");
            }
        }
    }

    public PeerInfo? Peer(TestAgent other) => Map?.Peers.FirstOrDefault(p => p.DeviceId == other.DeviceId);

    /// <summary>Another connection of the same enrolled device (same machine key, which the original owns), not yet connected.</summary>
    public TestAgent Clone() => new(MachineKey, Enrolment, NodeKey) { PinnedServerKey = PinnedServerKey, _ownsKey = false };

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_ownsKey)
        {
            MachineKey.Dispose();
        }
    }

    private void OnMap(SignedMessage signed)
    {
        Assert.True(PinnedServerKey.Verify(signed.Payload, signed.Signature), "map signature");
        var map = ControlJson.Deserialize<NetworkMap>(signed.Payload);
        Assert.Equal(DeviceId, map.DeviceId);
        Record("map", () => Map = map);
    }

    private void OnDelta(SignedMessage signed)
    {
        Assert.True(PinnedServerKey.Verify(signed.Payload, signed.Signature), "delta signature");
        var delta = ControlJson.Deserialize<NetworkMapDelta>(signed.Payload);
        Record("delta", () =>
        {
            if (Map is not null && Map.Version == delta.FromVersion)
            {
                Map = NetworkMapDiff.Apply(Map, delta);
            }
            else
            {
                _ = Connection.InvokeAsync(nameof(IAgentHub.RequestNetworkMap));
            }
        });
    }

    private void Record(string kind, Action apply)
    {
        lock (_received)
        {
            apply();
            _received.Add(kind);
        }

        _events.Writer.TryWrite(kind);
    }

    /// <summary>Sets the device's key expiry in the database (as time passing would).</summary>
    public async Task ExpireKeyAsync(ApiFactory f)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
        var device = await db.Devices.FindAsync(DeviceId);
        device!.KeyExpiresAt = DateTimeOffset.UnixEpoch;
        await db.SaveChangesAsync();
    }
}
