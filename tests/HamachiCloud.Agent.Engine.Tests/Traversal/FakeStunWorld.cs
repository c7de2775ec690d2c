using System.Net;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Stun;
using Microsoft.Extensions.Time.Testing;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>NAT behaviours the fake world models (RFC 4787 mapping × filtering).</summary>
internal enum FakeNat
{
    Open,
    FullCone,
    AddressRestricted,
    PortRestricted,
    Symmetric,
    UdpBlocked,
}

/// <summary>
/// One agent behind a modelled NAT and STUN servers with up to four sockets (A:p1, A:p2, B:p1, B:p2),
/// answering like an RFC 5780 server, all driven by a <see cref="FakeTimeProvider"/>: datagrams arrive
/// <see cref="Latency"/> after they are sent; NAT pinholes close 120 s after their last use. <see cref="Drive"/> advances time until a task completes.
/// </summary>
internal sealed class FakeStunWorld
{
    public const ushort LocalPort = 41641;
    public static readonly IPAddress Local = IPAddress.Parse("198.18.1.11");
    public static readonly IPAddress Public = IPAddress.Parse("192.0.2.10");

    private readonly FakeNat _nat;
    private readonly List<(long Due, byte[] Datagram, NetEndpoint From)> _queue = [];
    private readonly Dictionary<(NetEndpoint Mapped, NetEndpoint Remote), long> _pinholes = []; // last use
    private static readonly TimeSpan PinholeLifetime = TimeSpan.FromSeconds(120);
    private readonly Dictionary<NetEndpoint, NetEndpoint> _symmetricPorts = [];
    private readonly Lock _lock = new();

    public FakeStunWorld(FakeNat nat)
    {
        _nat = nat;
        Probe = new NatProbe(Send, LocalPort, Time, System.Security.Cryptography.RandomNumberGenerator.Create());
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public NatProbe Probe { get; }

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Servers by any of their socket endpoints: (server, socket index 0..3).</summary>
    public List<FakeServer> Servers { get; } = [];

    /// <summary>Every request sent, with its destination and CHANGE-REQUEST.</summary>
    public List<(NetEndpoint To, StunChangeRequest Change)> Sent { get; } = [];

    /// <summary>Drop the next N datagrams the agent sends (loss).</summary>
    public int DropNext { get; set; }

    public bool Hairpins { get; set; }

    public FakeServer AddServer(string primary, string? other, ushort port = 3478, ushort altPort = 3479, bool changeSupported = true)
    {
        var server = new FakeServer(Guid.NewGuid(), $"relay{Servers.Count + 1}", IPAddress.Parse(primary), other is null ? null : IPAddress.Parse(other), port, altPort, changeSupported);
        Servers.Add(server);
        return server;
    }

    public NatReport Run(params StunServer[] servers) => Drive(Probe.RunAsync(servers, CancellationToken.None));

    public T Drive<T>(Task<T> task)
    {
        for (var steps = 0; !task.IsCompleted; steps++)
        {
            Assert.True(steps < 100_000, "the probe did not finish");
            Thread.Sleep(1); // let the probe's continuations run before the clock moves on
            Time.Advance(TimeSpan.FromMilliseconds(5));
            Deliver();
        }

        return task.GetAwaiter().GetResult();
    }

    private void Deliver()
    {
        List<(long, byte[] Datagram, NetEndpoint From)> due;
        lock (_lock)
        {
            var now = Time.GetTimestamp();
            due = _queue.Where(q => q.Due <= now).ToList();
            _queue.RemoveAll(q => q.Due <= now);
        }

        foreach (var (_, datagram, from) in due)
        {
            Probe.OnStunDatagram(datagram, from);
        }
    }

    private void Send(ReadOnlySpan<byte> datagram, NetEndpoint to)
    {
        Assert.True(StunMessage.TryParse(datagram, out var request) && request is not null, "the probe sends well-formed STUN");
        lock (_lock)
        {
            Sent.Add((to, request.ChangeRequest ?? StunChangeRequest.None));
            if (DropNext > 0)
            {
                DropNext--;
                return;
            }

            if (_nat == FakeNat.UdpBlocked)
            {
                return;
            }

            var mapped = Map(to);
            _pinholes[(mapped, to)] = Time.GetTimestamp();
            var self = Map(to); // what the agent's own public endpoint is towards "to"
            if (to.Address == NetEndpoint.From(new IPEndPoint(Public, 0)).Address || to == NetEndpoint.From(new IPEndPoint(Local, LocalPort)))
            {
                if (_nat == FakeNat.Open || Hairpins)
                {
                    Enqueue(datagram.ToArray(), self); // the hairpin test comes back to us
                }

                return;
            }

            foreach (var server in Servers)
            {
                var socket = server.IndexOf(to);
                if (socket >= 0)
                {
                    var (answer, origin) = server.Answer(socket, request, mapped);
                    if (answer is not null && Passes(mapped, origin))
                    {
                        Enqueue(answer, origin);
                    }
                }
            }
        }
    }

    private bool Open(long lastUse) => Time.GetElapsedTime(lastUse) < PinholeLifetime;

    private void Enqueue(byte[] datagram, NetEndpoint from) =>
        _queue.Add((Time.GetTimestamp() + (long)(Latency.TotalSeconds * Time.TimestampFrequency), datagram, from));

    private NetEndpoint Map(NetEndpoint to)
    {
        switch (_nat)
        {
            case FakeNat.Open:
                return NetEndpoint.From(new IPEndPoint(Local, LocalPort));
            case FakeNat.Symmetric:
                if (!_symmetricPorts.TryGetValue(to, out var m))
                {
                    m = NetEndpoint.From(new IPEndPoint(Public, 50000 + _symmetricPorts.Count));
                    _symmetricPorts[to] = m;
                }

                return m;
            default:
                return NetEndpoint.From(new IPEndPoint(Public, LocalPort));
        }
    }

    private bool Passes(NetEndpoint mapped, NetEndpoint origin) => _nat switch
    {
        FakeNat.Open or FakeNat.FullCone => true,
        FakeNat.AddressRestricted => _pinholes.Any(p => p.Key.Mapped == mapped && p.Key.Remote.Address == origin.Address && Open(p.Value)),
        _ => _pinholes.TryGetValue((mapped, origin), out var used) && Open(used),
    };
}

/// <summary>A modelled STUN server with sockets A:p1, A:p2, B:p1, B:p2 (B optional).</summary>
internal sealed record FakeServer(Guid Id, string Name, IPAddress A, IPAddress? B, ushort Port, ushort AltPort, bool ChangeSupported)
{
    public NetEndpoint Primary => NetEndpoint.From(new IPEndPoint(A, Port));

    public NetEndpoint? Secondary => B is null ? null : NetEndpoint.From(new IPEndPoint(B, AltPort));

    public StunServer Stun(bool withSecondary = true) =>
        new(Id, Name, withSecondary && Secondary is { } s ? [Primary, s] : [Primary]);

    public int IndexOf(NetEndpoint to)
    {
        for (var i = 0; i < 4; i++)
        {
            if (Socket(i) == to)
            {
                return i;
            }
        }

        return -1;
    }

    public (byte[]? Answer, NetEndpoint Origin) Answer(int socket, StunMessage request, NetEndpoint mapped)
    {
        var change = request.ChangeRequest ?? StunChangeRequest.None;
        var target = socket ^ (change.HasFlag(StunChangeRequest.ChangeIp) ? 2 : 0) ^ (change.HasFlag(StunChangeRequest.ChangePort) ? 1 : 0);
        var buffer = new byte[StunMessage.MaxSize];
        StunMessage answer;
        if (change != StunChangeRequest.None && (!ChangeSupported || Socket(target) is null))
        {
            answer = new StunMessage { Type = StunMessageType.BindingError, TransactionId = request.TransactionId, ErrorCode = 420, ErrorReason = "no" };
            target = socket;
        }
        else
        {
            answer = new StunMessage
            {
                Type = StunMessageType.BindingSuccess,
                TransactionId = request.TransactionId,
                XorMappedAddress = mapped.ToIPEndPoint(),
                ResponseOrigin = Socket(target)!.Value.ToIPEndPoint(),
                OtherAddress = ChangeSupported ? Secondary?.ToIPEndPoint() : null,
            };
        }

        Assert.True(answer.TryWrite(buffer, out var length));
        return (buffer[..length], Socket(target)!.Value);
    }

    private NetEndpoint? Socket(int index) => index switch
    {
        0 => Primary,
        1 => NetEndpoint.From(new IPEndPoint(A, AltPort)),
        2 => B is null ? null : NetEndpoint.From(new IPEndPoint(B, Port)),
        _ => Secondary,
    };
}
