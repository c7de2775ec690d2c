using System.Net;

namespace HamachiCloud.Agent.Engine.IO;

/// <summary>A prefix this machine is directly on (an interface address's subnet), e.g. eth0 198.18.7.0/24.</summary>
public sealed record LocalPrefix(string Interface, IPNetwork Prefix);
