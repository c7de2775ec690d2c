namespace HamachiCloud.Agent.Ipc;

/// <summary>
/// A gateway route in <c>hamachi list</c>: the LAN prefix, the gateway device it goes through, and its
/// state here: "routed", "not routed: …" (the conflict), "serving", "pending approval", "rejected".
/// </summary>
public sealed record RouteListing(string Prefix, string Gateway, string Status);
