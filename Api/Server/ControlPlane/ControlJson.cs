using System.Text.Json;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// JSON of signed control payloads: System.Text.Json web defaults (camelCase, enums as numbers),
/// UTF-8. The agent parses with the same defaults after it has verified the signature.
/// </summary>
internal static class ControlJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new JsonException($"empty {typeof(T).Name} payload");

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"empty {typeof(T).Name} payload");
}
