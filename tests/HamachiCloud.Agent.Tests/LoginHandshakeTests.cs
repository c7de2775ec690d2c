using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Tests;

public sealed class LoginHandshakeTests : IDisposable
{
    private readonly SigningKey _server = SigningKey.Generate();
    private readonly SigningKey _machine = SigningKey.Generate();
    private readonly HelloRequest _hello = LoginHandshake.CreateHello(Maps.Self, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private readonly byte[] _serverNonce = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    public void Dispose()
    {
        _server.Dispose();
        _machine.Dispose();
    }

    private HelloResponse Answer(SigningKey key) =>
        new(ControlProtocol.Version, _serverNonce, key.Sign(LoginTranscript.ServerProof(ControlProtocol.Version, Maps.Self, _hello.AgentNonce, _serverNonce)));

    [Fact]
    public void The_pinned_server_passes_and_the_agent_proof_verifies_with_the_machine_key()
    {
        var answer = Answer(_server);
        Assert.Null(LoginHandshake.CheckServer(_hello, answer, _server.PublicKey));

        var login = LoginHandshake.CreateLogin(_machine, _hello, answer);
        Assert.True(_machine.PublicKey.Verify(LoginTranscript.AgentProof(ControlProtocol.Version, Maps.Self, _hello.AgentNonce, _serverNonce), login.MachineSignature));
        // The agent's signature is over the agent label: it cannot pass as a server proof.
        Assert.False(_machine.PublicKey.Verify(LoginTranscript.ServerProof(ControlProtocol.Version, Maps.Self, _hello.AgentNonce, _serverNonce), login.MachineSignature));
    }

    [Fact]
    public void Another_server_key_a_replayed_answer_or_a_wrong_version_is_refused()
    {
        using var impostor = SigningKey.Generate();
        Assert.Equal(LoginHandshake.IdentityMismatch, LoginHandshake.CheckServer(_hello, Answer(impostor), _server.PublicKey)!.Reason);

        var fresh = LoginHandshake.CreateHello(Maps.Self, new byte[32]);
        Assert.Equal(LoginHandshake.IdentityMismatch, LoginHandshake.CheckServer(fresh, Answer(_server), _server.PublicKey)!.Reason);

        Assert.Equal(LoginErrors.UnsupportedVersion, LoginHandshake.CheckServer(_hello, Answer(_server) with { ProtocolVersion = 99 }, _server.PublicKey)!.Code);
        Assert.NotNull(LoginHandshake.CheckServer(_hello, Answer(_server) with { ServerNonce = [1, 2] }, _server.PublicKey));
        Assert.NotNull(LoginHandshake.CheckServer(_hello, null, _server.PublicKey));
    }

    [Fact]
    public void Login_refusals_carry_a_reason_for_the_cli()
    {
        var refusal = LoginHandshake.Explain(new LoginResponse(false, LoginErrors.KeyExpired));
        Assert.Equal(LoginErrors.KeyExpired, refusal.Code);
        Assert.Contains("hamachi login", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("banned", LoginHandshake.Explain(new LoginResponse(false, LoginErrors.Banned, "range 198.18.0.0/15")).ToString(), StringComparison.Ordinal);
    }
}
