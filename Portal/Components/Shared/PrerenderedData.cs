using System.IO.Compression;
using System.Text.Json;
using HamachiCloud.Api.Contracts;
using Microsoft.AspNetCore.Components;

namespace HamachiCloud.Portal.Components.Shared;

/// <summary>
/// Hands what a page read while prerendering to its interactive render (Blazor's
/// <see cref="PersistentComponentState"/>), so the circuit does not read it again and the prerendered
/// rows do not vanish behind a spinner. The value is written with the REST conventions
/// (<see cref="HamachiJson"/>: the Api's records round-trip exactly) and Brotli-compressed: the state
/// travels in the page and comes back in the circuit's first message, which the Blazor hub caps
/// (<see cref="CircuitMessageLimit"/>). A value larger than <see cref="MaxBytes"/> compressed is not
/// carried: the interactive render then reads it again, as without this.
/// </summary>
public static class PrerenderedData
{
    /// <summary>Compressed bytes one value may take (a 256-member list takes about a quarter of it).</summary>
    public const int MaxBytes = 96 * 1024;

    /// <summary>
    /// The Blazor hub's MaximumReceiveMessageSize: the state comes back base64 twice (state, then
    /// data protection), about 1.8 × <see cref="MaxBytes"/>, with room for a second value.
    /// </summary>
    public const int CircuitMessageLimit = 256 * 1024;

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> (call it from a RegisterOnPersisting callback).</summary>
    public static bool Persist<T>(PersistentComponentState state, string key, T value)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, HamachiJson.Options);
        using var packed = new MemoryStream(json.Length / 4 + 64);
        using (var brotli = new BrotliStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write(json);
        }

        if (packed.Length > MaxBytes)
        {
            return false;
        }

        state.PersistAsJson(key, packed.ToArray());
        return true;
    }

    /// <summary>Takes (once) the value stored under <paramref name="key"/> by the prerender; false when there is none or it does not read back.</summary>
    public static bool TryTake<T>(PersistentComponentState state, string key, out T? value)
    {
        value = default;
        if (!state.TryTakeFromJson<byte[]>(key, out var packed) || packed is null)
        {
            return false;
        }

        try
        {
            using var brotli = new BrotliStream(new MemoryStream(packed), CompressionMode.Decompress);
            value = JsonSerializer.Deserialize<T>(brotli, HamachiJson.Options);
            return value is not null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return false; // read it again instead
        }
    }
}
