using System.Text.Json;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// JSON of signed control payloads (<see cref="Protocol.Control.NetworkMap"/>, deltas): System.Text.Json
/// web defaults (camelCase, enums as numbers), UTF-8 — the same settings the server signs with.
/// </summary>
public static class ControlJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
