using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR;

namespace HamachiCloud.Agent.Tests;

/// <summary>
/// A stand-in control server: answers hello with <see cref="FakeServer.HelloKey"/>'s signature
/// (the real server's key or an impostor's) and records every call the agent makes.
/// </summary>
internal sealed class FakeHub(FakeServer server) : Hub<IAgentClient>, IAgentHub
{
    public Task<HelloResponse> Hello(HelloRequest request)
    {
        server.Calls.Enqueue(nameof(Hello));
        var nonce = new byte[ControlProtocol.NonceSize];
        Context.Items["hello"] = (request, nonce);
        var proof = LoginTranscript.ServerProof(ControlProtocol.Version, request.DeviceId, request.AgentNonce, nonce);
        return Task.FromResult(new HelloResponse(ControlProtocol.Version, nonce, server.HelloKey.Sign(proof)));
    }

    public async Task<LoginResponse> Login(LoginRequest request)
    {
        server.Calls.Enqueue(nameof(Login));
        var (hello, nonce) = ((HelloRequest, byte[]))Context.Items["hello"]!;
        var ok = server.MachineKey.Verify(LoginTranscript.AgentProof(ControlProtocol.Version, hello.DeviceId, hello.AgentNonce, nonce), request.MachineSignature);
        if (!ok)
        {
            return new LoginResponse(false, LoginErrors.BadSignature, "machine signature does not verify");
        }

        await Clients.Caller.NetworkMap(Maps.Sign(server.ServerKey, Maps.Map(1, Maps.Peer(1))));
        return new LoginResponse(true);
    }

    public Task ReportDiscovery(DiscoveryReport report)
    {
        server.Calls.Enqueue(nameof(ReportDiscovery));
        return Task.CompletedTask;
    }

    public Task RequestNetworkMap() => Record(nameof(RequestNetworkMap));

    public Task<CommandResult> CreateNetwork(string name, NetworkType type, string? password) => Command(nameof(CreateNetwork));

    public Task<CommandResult> JoinNetwork(string networkId, string? password) => Command(nameof(JoinNetwork));

    public Task<CommandResult> LeaveNetwork(string networkId) => Command(nameof(LeaveNetwork));

    public Task<CommandResult> SetOnline(string networkId, bool online) => Command(nameof(SetOnline));

    public Task<CommandResult> SetNickname(string nickname) => Command(nameof(SetNickname));

    public Task<CommandResult> AdvertiseRoutes(string networkId, string[] prefixes) => Command($"{nameof(AdvertiseRoutes)} {networkId} {string.Join(' ', prefixes)}");

    public Task<CommandResult> SetAcceptRoutes(bool accept) => Command($"{nameof(SetAcceptRoutes)} {accept}");

    public Task ReportPaths(PathReport report) => Record(nameof(ReportPaths));

    public Task<RelayTokenGrant> GetRelayTokens(string peerNodeKey)
    {
        server.Calls.Enqueue(nameof(GetRelayTokens));
        return Task.FromResult(new RelayTokenGrant([], RelayTokenErrors.NoRelay, "the fake hub has no relays"));
    }

    public Task Goodbye() => Record(nameof(Goodbye));

    private Task Record(string call)
    {
        server.Calls.Enqueue(call);
        return Task.CompletedTask;
    }

    private Task<CommandResult> Command(string call)
    {
        server.Calls.Enqueue(call);
        return Task.FromResult(new CommandResult(true));
    }
}
