using HamachiCloud.Agent.Config;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Commands;

/// <summary>
/// Builds and starts the data plane from a parsed file over a TUN device and a UDP socket. Takes
/// ownership of both; disposing the result stops everything.
/// </summary>
public static class AgentComposition
{
    public static IDisposable Start(AgentConfig config, ITunDevice tun, IPacketConn conn, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(time);
        throw new NotSupportedException("the data plane (branch 'engine') is not merged into this build yet");
    }
}
