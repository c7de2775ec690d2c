using System.Text.Json;

namespace HamachiCloud.Agent.Ipc;

/// <summary>The daemon's answer (one JSON line): the command's result, or why it failed.</summary>
public sealed record IpcResponse(bool Ok, string? Error, JsonElement? Result);
