using System.Text.Json;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Opens a <see cref="SignedMessage"/>: the signature is checked against the pinned server key
/// first, and only verified bytes are parsed. Denies on anything unexpected.
/// </summary>
public static class SignedPayloads
{
    /// <summary>The parsed payload, or null with <paramref name="error"/> saying why it was refused.</summary>
    public static T? Open<T>(SignedMessage? message, SigningPublicKey pinned, out string? error)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(pinned);
        var what = typeof(T).Name;
        if (message?.Payload is null || message.Signature is null)
        {
            error = $"{what}: empty signed message";
            return null;
        }

        if (!pinned.Verify(message.Payload, message.Signature))
        {
            error = $"{what}: signature does not verify against the pinned server key {pinned}";
            return null;
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(message.Payload, ControlJson.Options);
            error = value is null ? $"{what}: payload is null" : null;
            return value;
        }
        catch (JsonException e)
        {
            error = $"{what}: signed payload is not valid JSON ({e.Message})";
            return null;
        }
    }
}
