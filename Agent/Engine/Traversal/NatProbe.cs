using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Stun;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// NAT discovery over the agent's one UDP socket (RFC 5780 style, against the relays' STUN service).
/// It sends through a <see cref="StunSend"/> delegate and is fed every STUN datagram the socket
/// receives (<see cref="OnStunDatagram"/>, from the socket mux); answers are matched by transaction id.
/// A run (<see cref="RunAsync"/>):
/// <list type="number">
/// <item>Binding request to every relay's primary STUN endpoint (latency per relay; none answers → UDP blocked).</item>
/// <item>Against the first answering relay, at the same time: CHANGE-REQUEST "change IP and port" and
/// "change port" (filtering), and a Binding request to the own mapped endpoint (hairpinning).</item>
/// <item>Binding request to that relay's second STUN endpoint (else its OTHER-ADDRESS) (mapping).</item>
/// </list>
/// Step 3 comes after step 2 so its pinhole cannot let the change answers through; for the same reason
/// the filtering test is skipped while an earlier run's pinhole may still be open
/// (<see cref="NatProbeOptions.FilteringQuietPeriod"/>). <see cref="NatClassifier"/> does the classifying.
/// Thread-safe; one run at a time. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class NatProbe
{
    private const int RequestSize = 64;

    private readonly StunSend _send;
    private readonly ushort _localPort;
    private readonly TimeProvider _time;
    private readonly RandomNumberGenerator _random;
    private readonly NatProbeOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<StunTransactionId, Pending> _pending = [];
    private readonly Dictionary<NetEndpoint, long> _lastSent = [];
    private Task<NatReport>? _current;
    private long _unmatched;
    private long _malformed;
    private NatObservations? _lastObservations;

    public NatProbe(StunSend send, ushort localPort, TimeProvider time, RandomNumberGenerator random, NatProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        _send = send;
        _localPort = localPort;
        _time = time;
        _random = random;
        _options = options ?? new NatProbeOptions();
    }

    /// <summary>The UDP socket's local port (for the port-preservation test and the discovery report).</summary>
    public ushort LocalPort => _localPort;

    /// <summary>The report of the last completed run, or null before the first.</summary>
    public NatReport? Last { get; private set; }

    /// <summary>The server-reflexive endpoint of the last run, or null (not run, UDP blocked).</summary>
    public NetEndpoint? ServerReflexive { get; private set; }

    /// <summary>STUN datagrams that matched no transaction of ours (late answers, strangers' requests).</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);

    /// <summary>STUN datagrams that did not parse.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Feeds a STUN datagram received on the socket (called on the receive thread; returns at once).
    /// Binding responses complete the matching transaction; a Binding request carrying one of our own
    /// transaction ids is the hairpin test coming back. Anything else is counted and dropped.
    /// </summary>
    public void OnStunDatagram(ReadOnlySpan<byte> datagram, NetEndpoint from)
    {
        if (!StunMessage.TryParse(datagram, out var message) || message is null)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        Pending? pending;
        lock (_lock)
        {
            _pending.TryGetValue(message.TransactionId, out pending);
        }

        if (pending is null || pending.Hairpin != (message.Type == StunMessageType.BindingRequest))
        {
            Interlocked.Increment(ref _unmatched);
            return;
        }

        if (pending.Hairpin)
        {
            pending.Done.TrySetResult(new Answer(null, from, TimeSpan.Zero));
            return;
        }

        if (!StunBinding.TryParseResponse(datagram, out var response))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        pending.Done.TrySetResult(new Answer(response, from, _time.GetElapsedTime(pending.Started)));
    }

    /// <summary>
    /// Runs the discovery against <paramref name="servers"/> and returns (and keeps) the report. While a run
    /// is in progress, callers get that run (their servers and token are ignored).
    /// </summary>
    public Task<NatReport> RunAsync(IReadOnlyList<StunServer> servers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(servers);
        TaskCompletionSource<NatReport> run;
        lock (_lock)
        {
            if (_current is { IsCompleted: false } current)
            {
                return current;
            }

            run = new TaskCompletionSource<NatReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            _current = run.Task;
        }

        _ = CompleteAsync(run, servers.Where(s => s.Endpoints.Count > 0).ToList(), ct);
        return run.Task;
    }

    private async Task CompleteAsync(TaskCompletionSource<NatReport> run, List<StunServer> servers, CancellationToken ct)
    {
        try
        {
            var observations = await ObserveAsync(servers, ct).ConfigureAwait(false);
            var report = NatClassifier.Classify(observations);
            _lastObservations = observations;
            Last = report;
            ServerReflexive = observations.Bindings.Select(b => b.Mapped).FirstOrDefault(m => m is not null);
            run.TrySetResult(report);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            run.TrySetCanceled(ct);
        }
        catch (Exception e)
        {
            run.TrySetException(e);
        }
    }

    private async Task<NatObservations> ObserveAsync(List<StunServer> servers, CancellationToken ct)
    {
        var firstRound = await Task.WhenAll(servers.Select(s => TransactAsync(s.Endpoints[0], StunChangeRequest.None, ct))).ConfigureAwait(false);
        var bindings = new List<(NetEndpoint, NetEndpoint?)>();
        var relays = new List<RelayLatency>();
        var primary = -1;
        for (var i = 0; i < servers.Count; i++)
        {
            var answer = firstRound[i];
            var mapped = answer?.Response?.Mapped is { } m ? NetEndpoint.From(m) : (NetEndpoint?)null;
            bindings.Add((servers[i].Endpoints[0], mapped));
            relays.Add(new RelayLatency(servers[i].RelayId, servers[i].Name, mapped is null ? null : Math.Round(answer!.Rtt.TotalMilliseconds, 2)));
            if (primary < 0 && mapped is not null)
            {
                primary = i;
            }
        }

        if (primary < 0)
        {
            return new NatObservations(_localPort, bindings, relays, ProbeOutcome.NotRun, ProbeOutcome.NotRun, ProbeOutcome.NotRun);
        }

        var server = servers[primary];
        var first = firstRound[primary]!.Response!.Value;
        var reflexive = NetEndpoint.From(first.Mapped!);
        NetEndpoint? other = first.Other is { } o ? NetEndpoint.From(o) : null;
        var second = server.Endpoints.Count > 1 ? server.Endpoints[1] : other;

        var hairpin = HairpinAsync(reflexive, ct);
        ProbeOutcome changeBoth, changePort;
        if (FilteringPinholeMayBeOpen(server.Endpoints[0], second, other))
        {
            (changeBoth, changePort) = _lastObservations is { } last ? (last.ChangeIpAndPort, last.ChangePort) : (ProbeOutcome.NotRun, ProbeOutcome.NotRun);
        }
        else
        {
            var both = ChangeAsync(server.Endpoints[0], StunChangeRequest.ChangeIp | StunChangeRequest.ChangePort, ct);
            var port = ChangeAsync(server.Endpoints[0], StunChangeRequest.ChangePort, ct);
            changeBoth = await both.ConfigureAwait(false);
            changePort = await port.ConfigureAwait(false);
        }

        var hairpinOutcome = await hairpin.ConfigureAwait(false);
        if (second is { } s && s != server.Endpoints[0])
        {
            var answer = await TransactAsync(s, StunChangeRequest.None, ct).ConfigureAwait(false);
            bindings.Add((s, answer?.Response?.Mapped is { } m ? NetEndpoint.From(m) : null));
        }

        return new NatObservations(_localPort, bindings, relays, changeBoth, changePort, hairpinOutcome);
    }

    /// <summary>True when this probe sent to anything but the primary at the primary's or the other address within the quiet period.</summary>
    private bool FilteringPinholeMayBeOpen(NetEndpoint primary, NetEndpoint? second, NetEndpoint? other)
    {
        lock (_lock)
        {
            foreach (var (to, at) in _lastSent)
            {
                var related = to.Address == primary.Address || to.Address == second?.Address || to.Address == other?.Address;
                if (to != primary && related && _time.GetElapsedTime(at) < _options.FilteringQuietPeriod)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async Task<ProbeOutcome> ChangeAsync(NetEndpoint to, StunChangeRequest change, CancellationToken ct)
    {
        var answer = await TransactAsync(to, change, ct).ConfigureAwait(false);
        return answer is null ? ProbeOutcome.Silent
            : answer.Response is { IsSuccess: true } ? ProbeOutcome.Answered
            : ProbeOutcome.Unsupported;
    }

    private async Task<ProbeOutcome> HairpinAsync(NetEndpoint self, CancellationToken ct) =>
        await TransactAsync(self, StunChangeRequest.None, ct, hairpin: true).ConfigureAwait(false) is null ? ProbeOutcome.Silent : ProbeOutcome.Answered;

    /// <summary>One transaction with retransmissions; null on timeout.</summary>
    private async Task<Answer?> TransactAsync(NetEndpoint to, StunChangeRequest change, CancellationToken ct, bool hairpin = false)
    {
        var id = StunTransactionId.New(_random);
        var request = new byte[RequestSize];
        if (!StunBinding.TryWriteRequest(request, id, change, out var length))
        {
            throw new InvalidOperationException($"stun binding request to {to}: does not fit {RequestSize} bytes");
        }

        var pending = new Pending(hairpin, _time.GetTimestamp());
        lock (_lock)
        {
            _pending[id] = pending;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var elapsed = TimeSpan.Zero;
            foreach (var at in _options.Retransmits.Append(_options.Timeout))
            {
                Send(request.AsSpan(0, length), to);
                var wait = at - elapsed;
                elapsed = at;
                if (wait <= TimeSpan.Zero)
                {
                    continue;
                }

                var timer = Task.Delay(wait, _time, stop.Token);
                if (await Task.WhenAny(pending.Done.Task, timer).ConfigureAwait(false) == pending.Done.Task)
                {
                    return await pending.Done.Task.ConfigureAwait(false);
                }

                ct.ThrowIfCancellationRequested();
            }

            return null;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            lock (_lock)
            {
                _pending.Remove(id);
            }
        }
    }

    private void Send(ReadOnlySpan<byte> datagram, NetEndpoint to)
    {
        lock (_lock)
        {
            _lastSent[to] = _time.GetTimestamp();
        }

        _send(datagram, to);
    }

    private sealed record Answer(StunBindingResponse? Response, NetEndpoint From, TimeSpan Rtt);

    private sealed class Pending(bool hairpin, long started)
    {
        public bool Hairpin { get; } = hairpin;

        public long Started { get; } = started;

        public TaskCompletionSource<Answer> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
