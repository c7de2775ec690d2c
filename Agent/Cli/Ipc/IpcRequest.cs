namespace HamachiCloud.Agent.Ipc;

/// <summary>One CLI request to the daemon (one JSON line on the Unix socket): a command name from <see cref="IpcCommands"/> and its arguments.</summary>
public sealed record IpcRequest(string Command, IReadOnlyList<string> Args);
