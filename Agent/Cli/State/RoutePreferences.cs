namespace HamachiCloud.Agent.State;

/// <summary>
/// This device's own choice about gateway routes (<c>routes.json</c>): whether it accepts public
/// routes. Absent file: not accepted. The server keeps its own record; both must say yes.
/// </summary>
public sealed record RoutePreferences(bool AcceptPublicRoutes);
