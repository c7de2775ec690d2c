using System.Net;

namespace HamachiCloud.Relay.Stun;

/// <summary>
/// The relay's STUN socket addresses: index = ipIndex*2 + portIndex, i.e. 0 = A:p1 (primary, also the relay
/// port), 1 = A:p2, 2 = B:p1, 3 = B:p2. Missing ones are null (no alternate address and/or port).
/// </summary>
public sealed class StunSockets
{
    private readonly IPEndPoint?[] _endpoints = new IPEndPoint?[4];

    public StunSockets(IPAddress primary, int port, IPAddress? alternateAddress, int alternatePort)
    {
        _endpoints[0] = new IPEndPoint(primary, port);
        if (alternatePort != 0)
        {
            _endpoints[1] = new IPEndPoint(primary, alternatePort);
        }

        if (alternateAddress is not null)
        {
            _endpoints[2] = new IPEndPoint(alternateAddress, port);
            if (alternatePort != 0)
            {
                _endpoints[3] = new IPEndPoint(alternateAddress, alternatePort);
            }
        }
    }

    public IPEndPoint? this[int index] => _endpoints[index];

    /// <summary>The configured sockets' indices.</summary>
    public IEnumerable<int> Indices => Enumerable.Range(0, 4).Where(i => _endpoints[i] is not null);

    /// <summary>The socket that differs in IP and/or port as asked, or -1 when that one does not exist.</summary>
    public int Changed(int index, bool changeIp, bool changePort)
    {
        var ip = index >> 1;
        var port = index & 1;
        var target = ((changeIp ? 1 - ip : ip) << 1) | (changePort ? 1 - port : port);
        return _endpoints[target] is null ? -1 : target;
    }

    /// <summary>The "other" address for OTHER-ADDRESS/CHANGED-ADDRESS: both changed if possible, else one, else none.</summary>
    public IPEndPoint? Other(int index)
    {
        foreach (var (ip, port) in new[] { (true, true), (true, false), (false, true) })
        {
            var i = Changed(index, ip, port);
            if (i >= 0)
            {
                return _endpoints[i];
            }
        }

        return null;
    }
}
