using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Testing;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>Path selection with a hand-driven clock: no sockets, no sleeping.</summary>
public sealed class PeerPathTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly NetEndpoint Relay = VirtualEndpoint.For(0, 0);
    private static readonly NetEndpoint Public = VirtualNetwork.Endpoint("203.0.113.10", 40000);
    private static readonly NetEndpoint Lan = VirtualNetwork.Endpoint("198.18.1.10", 41641);

    [Fact]
    public void Traffic_starts_on_the_relay_moves_to_the_first_answering_candidate_then_to_the_lan()
    {
        var path = NewPath();
        Assert.Equal(PathKind.None, path.Kind);
        path.SetRelay(Relay);
        Assert.Equal(PathKind.Relay, path.Kind);
        Assert.Equal(Relay, path.Current);

        path.SetCandidates([new PathCandidate(Public, CandidateKind.ServerReflexive), new PathCandidate(Lan, CandidateKind.Host)], T0);
        var probes = Tick(path, T0);
        Assert.Equal(2, probes.Count);
        Assert.Equal(new HashSet<NetEndpoint> { Lan, Public }, probes.Select(p => p.To).ToHashSet());

        // A pong from the wrong address or with an unknown txid changes nothing.
        Assert.False(path.OnPong(probes.Single(p => p.To == Public).TxId, Lan, T0.AddMilliseconds(5)));
        Assert.False(path.OnPong(12345, Public, T0.AddMilliseconds(5)));
        Assert.Equal(PathKind.Relay, path.Kind);

        Assert.True(path.OnPong(probes.Single(p => p.To == Public).TxId, Public, T0.AddMilliseconds(30)));
        Assert.Equal(PathKind.Direct, path.Kind);
        Assert.Equal(Public, path.Current);
        Assert.Equal(TimeSpan.FromMilliseconds(30), path.Rtt);

        // The LAN candidate answers later: preferred.
        Assert.True(path.OnPong(probes.Single(p => p.To == Lan).TxId, Lan, T0.AddMilliseconds(40)));
        Assert.Equal(Lan, path.Current);
        Assert.Null(path.WhyNotDirect);
    }

    [Fact]
    public void A_dead_direct_path_falls_back_to_the_relay_within_3_s_and_background_probes_bring_it_back()
    {
        var path = NewPath();
        path.SetRelay(Relay);
        path.SetCandidates([new PathCandidate(Public, CandidateKind.ServerReflexive)], T0);
        Answer(path, Tick(path, T0), T0.AddMilliseconds(10));
        Assert.Equal(PathKind.Direct, path.Kind);

        // Healthy: one ping per second, each answered.
        var now = T0.AddMilliseconds(10);
        var pings = new List<DateTimeOffset>();
        for (var step = 0; step < 100; step++)
        {
            now = now.AddMilliseconds(50);
            var probes = Tick(path, now);
            pings.AddRange(probes.Select(_ => now));
            Answer(path, probes, now.AddMilliseconds(10));
        }

        Assert.InRange(pings.Count, 4, 6);
        Assert.Equal(PathKind.Direct, path.Kind);

        // Cut: nothing answers any more.
        var lastPong = path.DirectLastPong!.Value;
        var cutProbes = 0;
        while (path.Kind == PathKind.Direct)
        {
            now = now.AddMilliseconds(50);
            cutProbes += Tick(path, now).Count;
        }

        var detected = now - lastPong;
        Console.WriteLine($"fallback {detected.TotalSeconds:0.00} s after the last pong, {cutProbes} unanswered pings");
        Assert.InRange(detected, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.2));
        Assert.Equal(Relay, path.Current);
        Assert.Contains("stopped answering", path.WhyNotDirect);

        // Background re-probes with back-off: 2 s, 4 s, 8 s, 8 s ...
        var reprobes = new List<double>();
        var fellBackAt = now;
        List<PathProbe> last = [];
        while (reprobes.Count < 4)
        {
            now = now.AddMilliseconds(50);
            var probes = Tick(path, now);
            if (probes.Count > 0)
            {
                reprobes.Add(Math.Round((now - fellBackAt).TotalSeconds, 1));
                last = probes;
            }
        }

        Assert.Equal([2.0, 6.0, 14.0, 22.0], reprobes);
        Answer(path, last, now.AddMilliseconds(20));
        Assert.Equal(PathKind.Direct, path.Kind);
        Assert.Equal(Public, path.Current);
    }

    [Fact]
    public void Failed_punch_says_why_and_predicts_ports_around_server_reflexive_mappings_bounded()
    {
        var path = NewPath();
        path.SetRelay(Relay);
        path.SetCandidates([new PathCandidate(Public, CandidateKind.ServerReflexive), new PathCandidate(Lan, CandidateKind.Host)], T0);
        var all = new List<PathProbe>();
        for (var now = T0; now < T0.AddSeconds(6); now = now.AddMilliseconds(50))
        {
            var probes = Tick(path, now);
            Assert.True(probes.Count <= 2 + 16, $"{probes.Count} probes in one tick");
            all.AddRange(probes);
        }

        Assert.Equal(PathKind.Relay, path.Kind);
        Assert.Equal("no answer from 18 candidate(s)", path.WhyNotDirect);
        Assert.Equal(6, all.Count(p => p.To == Lan));
        Assert.Equal(6, all.Count(p => p.To == Public));
        var predicted = all.Where(p => p.To.Address == Public.Address && p.To.Port != Public.Port).Select(p => (int)p.To.Port).Distinct().Order().ToArray();
        Assert.Equal([.. Enumerable.Range(Public.Port - 8, 8), .. Enumerable.Range(Public.Port + 1, 8)], predicted);
        Assert.DoesNotContain(all, p => p.To.Address == Lan.Address && p.To.Port != Lan.Port);

        // A predicted port that answers becomes the direct path.
        var guess = all.Last(p => p.To.Port == Public.Port + 3);
        Assert.True(path.OnPong(guess.TxId, guess.To, T0.AddSeconds(4)));
        Assert.Equal(guess.To, path.Direct);
        Assert.Contains(path.Candidates, c => c.Kind == CandidateKind.Predicted && c.Answered);
    }

    [Fact]
    public void A_ping_from_an_unknown_source_is_probed_back_at_once()
    {
        var path = NewPath();
        path.SetRelay(Relay);
        var mapping = VirtualNetwork.Endpoint("198.51.100.20", 61000);
        path.OnPing(mapping, T0);
        var probes = Tick(path, T0);
        Assert.Contains(probes, p => p.To == mapping);
        Answer(path, probes.Where(p => p.To == mapping), T0.AddMilliseconds(8));
        Assert.Equal(mapping, path.Direct);
        Assert.Contains(path.Candidates, c => c.Endpoint == mapping && c.Kind == CandidateKind.PeerReflexive);

        // Pings through the relay teach nothing.
        var other = NewPath();
        other.OnPing(Relay, T0);
        Assert.Empty(other.Candidates);
    }

    [Fact]
    public void Candidate_kinds_follow_the_address_range()
    {
        Assert.Equal(CandidateKind.Host, PathCandidate.Parse("198.18.3.4:51820")!.Value.Kind);
        Assert.Equal(CandidateKind.Host, PathCandidate.Parse("192.168.1.2:1")!.Value.Kind);
        Assert.Equal(CandidateKind.Host, PathCandidate.Parse("[fd00::1]:1")!.Value.Kind);
        Assert.Equal(CandidateKind.ServerReflexive, PathCandidate.Parse("203.0.113.5:51820")!.Value.Kind);
        Assert.Null(PathCandidate.Parse("127.0.0.1:51820"));
        Assert.Null(PathCandidate.Parse("203.0.113.5:0"));
        Assert.Null(PathCandidate.Parse("nonsense"));
    }

    private static PeerPath NewPath() => new(new PathTiming(), RandomNumberGenerator.Create());

    private static List<PathProbe> Tick(PeerPath path, DateTimeOffset now)
    {
        var probes = new List<PathProbe>();
        path.Tick(now, probes);
        return probes;
    }

    private static void Answer(PeerPath path, IEnumerable<PathProbe> probes, DateTimeOffset at)
    {
        foreach (var probe in probes)
        {
            path.OnPong(probe.TxId, probe.To, at);
        }
    }
}
