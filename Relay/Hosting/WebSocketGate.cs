using System.Net;
using System.Net.Sockets;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// Admission of <c>/relay</c> WebSockets before the upgrade: at most <see cref="RelayOptions.MaxWebSockets"/> open
/// in total and <see cref="RelayOptions.MaxWebSocketsPerAddress"/> per client (an IPv4 address, an IPv6 /64, since
/// one IPv6 host holds a whole /64), so unauthenticated connections (about 170 kB each) cannot exhaust the relay's
/// memory. Counts what it refused and the connections closed for never binding. Thread-safe.
/// </summary>
public sealed class WebSocketGate(int maxTotal, int maxPerAddress)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perClient = [];
    private int _open;
    private long _refusedTotal;
    private long _refusedPerAddress;
    private long _closedBeforeBind;

    public enum Admission
    {
        Admitted,
        TooManyInTotal,
        TooManyFromAddress,
    }

    /// <summary>Takes a place for <paramref name="address"/>; call <see cref="Leave"/> with the same address when admitted.</summary>
    public Admission TryEnter(IPAddress address)
    {
        var client = ClientOf(address);
        lock (_lock)
        {
            if (_open >= maxTotal)
            {
                _refusedTotal++;
                return Admission.TooManyInTotal;
            }

            _perClient.TryGetValue(client, out var count);
            if (count >= maxPerAddress)
            {
                _refusedPerAddress++;
                return Admission.TooManyFromAddress;
            }

            _perClient[client] = count + 1;
            _open++;
            return Admission.Admitted;
        }
    }

    public void Leave(IPAddress address)
    {
        var client = ClientOf(address);
        lock (_lock)
        {
            _open--;
            if (_perClient.TryGetValue(client, out var count) && count > 1)
            {
                _perClient[client] = count - 1;
            }
            else
            {
                _perClient.Remove(client);
            }
        }
    }

    /// <summary>A connection was closed because it made no binding in time.</summary>
    public void ClosedBeforeBind() => Interlocked.Increment(ref _closedBeforeBind);

    public WebSocketCounters Snapshot()
    {
        lock (_lock)
        {
            return new WebSocketCounters(_open, _refusedTotal, _refusedPerAddress, Interlocked.Read(ref _closedBeforeBind));
        }
    }

    /// <summary>The unit a per-client cap counts: the IPv4 address (also when IPv4-mapped) or the IPv6 /64.</summary>
    public static IPAddress ClientOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
