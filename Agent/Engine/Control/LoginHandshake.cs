using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// The agent's half of the login challenge–response, as pure steps the control loop performs:
/// <see cref="CreateHello"/>, then <see cref="CheckServer"/> on the answer (refuse before sending
/// anything else), then <see cref="CreateLogin"/>.
/// </summary>
public static class LoginHandshake
{
    public const string IdentityMismatch = "server identity does not match the key pinned at enrolment";

    public static HelloRequest CreateHello(Guid deviceId, byte[] agentNonce, string? agentVersion = null, string? os = null)
    {
        ArgumentNullException.ThrowIfNull(agentNonce);
        if (agentNonce.Length != ControlProtocol.NonceSize)
        {
            throw new ArgumentException($"the agent nonce must be {ControlProtocol.NonceSize} bytes, got {agentNonce.Length}", nameof(agentNonce));
        }

        return new HelloRequest([.. ControlProtocol.SupportedVersions], deviceId, agentNonce, agentVersion, os);
    }

    /// <summary>
    /// Null when the server proved the pinned identity over this hello; otherwise the refusal to
    /// show (server refusal, unsupported version, malformed answer or <see cref="IdentityMismatch"/>).
    /// </summary>
    public static LoginRefusal? CheckServer(HelloRequest hello, HelloResponse? response, SigningPublicKey pinned)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(pinned);
        if (response is null)
        {
            return new LoginRefusal("malformed", "the server sent no hello answer");
        }

        if (response.ErrorCode is not null || response.Error is not null)
        {
            return new LoginRefusal(response.ErrorCode ?? "refused", response.Error ?? "the server refused the hello");
        }

        if (!hello.ProtocolVersions.Contains(response.ProtocolVersion))
        {
            return new LoginRefusal(LoginErrors.UnsupportedVersion, $"the server chose protocol version {response.ProtocolVersion}, which this agent does not speak");
        }

        if (response.ServerNonce is not { Length: ControlProtocol.NonceSize } || response.ServerSignature is null)
        {
            return new LoginRefusal("malformed", "the server's hello answer has no valid nonce or signature");
        }

        var transcript = LoginTranscript.ServerProof(response.ProtocolVersion, hello.DeviceId, hello.AgentNonce, response.ServerNonce);
        return pinned.Verify(transcript, response.ServerSignature) ? null : new LoginRefusal(LoginErrors.BadSignature, IdentityMismatch);
    }

    /// <summary>The machine key's proof over the same transcript (agent label); call only after <see cref="CheckServer"/> passed.</summary>
    public static LoginRequest CreateLogin(SigningKey machineKey, HelloRequest hello, HelloResponse response)
    {
        ArgumentNullException.ThrowIfNull(machineKey);
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(response);
        var transcript = LoginTranscript.AgentProof(response.ProtocolVersion, hello.DeviceId, hello.AgentNonce, response.ServerNonce);
        return new LoginRequest(machineKey.Sign(transcript));
    }

    /// <summary>A refusal with the reason the CLI shows for a login error code.</summary>
    public static LoginRefusal Explain(LoginResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var why = response.ErrorCode switch
        {
            LoginErrors.UnknownDevice => "this device is not known to the server (deleted?); run `hamachi login` again",
            LoginErrors.BadSignature => "the server does not know this device with this machine key (deleted, or enrolled again elsewhere?); run `hamachi login` again",
            LoginErrors.KeyExpired => "this device's key has expired; run `hamachi login` again",
            LoginErrors.Banned => "this address or account is banned",
            LoginErrors.UnsupportedVersion => "the server does not speak this agent's protocol version; update the agent",
            LoginErrors.OutOfOrder => "the server saw a login out of order",
            _ => "login refused",
        };
        return new LoginRefusal(response.ErrorCode ?? "refused", response.Error is null ? why : $"{why}: {response.Error}");
    }
}
