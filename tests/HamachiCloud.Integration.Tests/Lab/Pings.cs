using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>ICMP echo over the overlay from inside a lab namespace (iputils <c>ping</c>).</summary>
internal static partial class Pings
{
    /// <summary>
    /// When <paramref name="to"/> first answered <paramref name="from"/>, on <paramref name="clock"/>
    /// (one ping process sending every 100 ms until the first reply); MaxValue if never.
    /// </summary>
    public static TimeSpan FirstAnswer(NetworkNamespace from, string to, TimeSpan limit, Stopwatch clock)
    {
        var seconds = Math.Max(1, (int)(limit - clock.Elapsed).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Run(from, "-c", "1", "-i", "0.1", "-w", seconds, to) == 0 ? clock.Elapsed : TimeSpan.MaxValue;
    }

    /// <summary>True when <paramref name="to"/> answers at least once within <paramref name="within"/>.</summary>
    public static bool Answers(NetworkNamespace from, string to, TimeSpan within) =>
        Run(from, "-c", "1", "-i", "0.1", "-w", Math.Max(1, (int)within.TotalSeconds).ToString(CultureInfo.InvariantCulture), to) == 0;

    private static int Run(NetworkNamespace from, params string[] args)
    {
        using var ping = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", from.Name, "ping", "-n", "-q", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        ping.WaitForExit();
        return ping.ExitCode;
    }

    /// <summary>A ping that runs until stopped, every reply timestamped (<c>ping -D</c>).</summary>
    public sealed partial class Continuous : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];

        public Continuous(NetworkNamespace from, string to, TimeSpan interval)
        {
            var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])["netns", "exec", from.Name, "ping", "-n", "-D", "-i", interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), to])
            {
                start.ArgumentList.Add(arg);
            }

            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_lines)
                    {
                        _lines.Add(e.Data);
                    }
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Transmitted { get; private set; }

        public int Received { get; private set; }

        /// <summary>Unix times of the replies.</summary>
        public List<DateTimeOffset> Replies { get; } = [];

        public double LossPercent => Transmitted == 0 ? 100 : 100.0 * (Transmitted - Received) / Transmitted;

        /// <summary>SIGINT (ping prints its statistics), then parses them and the reply times.</summary>
        public Continuous Stop()
        {
            if (!_process.HasExited)
            {
                using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
                kill.WaitForExit();
            }

            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }

            _process.WaitForExit();
            lock (_lines)
            {
                foreach (var line in _lines)
                {
                    if (Reply().Match(line) is { Success: true } r)
                    {
                        var unix = double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture);
                        Replies.Add(DateTimeOffset.FromUnixTimeMilliseconds((long)(unix * 1000)));
                    }
                    else if (Statistics().Match(line) is { Success: true } s)
                    {
                        Transmitted = int.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture);
                        Received = int.Parse(s.Groups[2].Value, CultureInfo.InvariantCulture);
                    }
                }
            }

            return this;
        }

        public string Summary => $"{Transmitted} sent, {Received} received, {LossPercent:0.00} % loss";

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"^\[(\d+\.\d+)\] \d+ bytes from")]
        private static partial Regex Reply();

        [GeneratedRegex(@"(\d+) packets transmitted, (\d+) received")]
        private static partial Regex Statistics();
    }
}
