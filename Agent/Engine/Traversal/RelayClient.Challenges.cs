using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// The relay client's answers to Bind challenges: a relay makes or moves a binding only for a BindProof from the
/// source it challenged, so a captured Bind replayed from elsewhere cannot take the agent's relayed traffic
/// (<see cref="RelayBindProof"/>). Each Challenge is answered at once over the transport it came on, unless that
/// transport must not hold the binding (a retiring WebSocket; UDP while the WebSocket carries the relay for good).
/// </summary>
public sealed partial class RelayClient
{
    /// <summary>
    /// A Challenge naming a relay key other than the cached one costs an X25519; a forged flood of them (the relay's
    /// UDP address can be spoofed) gets at most one per relay per this interval.
    /// </summary>
    private static readonly TimeSpan ProofKeyRederive = TimeSpan.FromMilliseconds(100);

    /// <summary>The BindProof frame answering <paramref name="challenge"/>, or null when it is not to be answered. Under the lock.</summary>
    private byte[]? AnswerChallenge(NodeKey peer, RelayPeerState state, RelayTransportState relay, RelayFrame challenge, RelayWebSocketLink? via, DateTimeOffset now)
    {
        if (state.Grant is null)
        {
            return null;
        }

        if (via is not null ? via.Role == RelayLinkRole.Retiring || via.Channel is null : relay.Link is { Role: RelayLinkRole.Active } && !relay.Quick)
        {
            return null; // this transport is on its way out: the binding stays where the client's traffic goes
        }

        if (relay.ProofRelayKey is null || !challenge.RelayKey.SequenceEqual(relay.ProofRelayKey))
        {
            if (now - relay.LastProofKeyDerive < ProofKeyRederive)
            {
                return null;
            }

            relay.LastProofKeyDerive = now;
            var key = new byte[RelayBindProof.KeySize];
            if (!RelayBindProof.TryDeriveAgentKey(_nodeKey, challenge.RelayKey, key))
            {
                _log($"{now:HH:mm:ss.fff} relay {relay.Udp}: challenge for {peer} with an invalid relay key; not answered");
                return null;
            }

            if (relay.ProofKey is not null)
            {
                CryptographicOperations.ZeroMemory(relay.ProofKey);
            }

            relay.ProofRelayKey = challenge.RelayKey.ToArray();
            relay.ProofKey = key;
        }

        Span<byte> proof = stackalloc byte[RelayBindProof.ProofSize];
        RelayBindProof.Compute(relay.ProofKey!, challenge.Cookie, state.Grant.Token, proof);
        var frame = new byte[RelayFrame.BindProofSize];
        RelayFrame.TryWriteBindProof(frame, state.Grant.Token, challenge.Cookie, proof, out _);
        if (via is not null)
        {
            state.WebSocketBindsUnanswered++; // the proof's BindOk (or Refused) answers it
        }

        return frame;
    }

    private void SendProof(int relayIndex, byte[] frame, RelayWebSocketLink? via)
    {
        if (via is null)
        {
            _mux.SendRaw(frame, _mux.RelayEndpoint(relayIndex));
        }
        else
        {
            via.Channel?.Enqueue(frame);
        }
    }
}
