using System.Net;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// The ban list this relay enforces and its version, fed by the Api's push (<see cref="BanWatchService"/>) and by the
/// heartbeat's answer (the fallback). A list replaces the core's only when it is newer (the version ends in the newest
/// change time, which only grows), so a slow heartbeat answer never undoes a pushed ban. Thread-safe.
/// </summary>
public sealed class RelayBanState(RelayCore core, TimeProvider time, ILogger<RelayBanState> logger)
{
    private readonly Lock _lock = new();
    private string? _version;

    public string? Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Applies <paramref name="bans"/> when <paramref name="version"/> is newer than the one held; returns whether it did.</summary>
    public bool Apply(string version, IReadOnlyList<RelayBan> bans)
    {
        lock (_lock)
        {
            if (version == _version || (_version is not null && Newest(version) < Newest(_version)))
            {
                return false;
            }

            var rules = new List<RelayBanRule>(bans.Count);
            foreach (var ban in bans)
            {
                IPNetwork? range = null;
                if (ban.Cidr is not null)
                {
                    if (!IPNetwork.TryParse(ban.Cidr, out var parsed))
                    {
                        logger.LogWarning("ban {Id}: ignoring range '{Range}' (not a CIDR)", ban.Id, ban.Cidr);
                        continue;
                    }

                    range = parsed;
                }

                var keys = new List<byte[]>();
                foreach (var key in ban.NodeKeys ?? [])
                {
                    var bytes = new byte[32];
                    if (Convert.TryFromBase64String(key, bytes, out var written) && written == 32)
                    {
                        keys.Add(bytes);
                    }
                    else
                    {
                        logger.LogWarning("ban {Id}: ignoring node key '{Key}' (not base64 of 32 bytes)", ban.Id, key);
                    }
                }

                rules.Add(new RelayBanRule(ban.Id, range, keys, ban.ExpiresAt));
            }

            core.SetBans(rules, time.GetUtcNow());
            logger.LogInformation("bans {Version} applied: {Count} ban(s)", version, rules.Count);
            _version = version;
            return true;
        }
    }

    /// <summary>The change-time part of a version "count-ticks" (0 when it does not parse).</summary>
    private static long Newest(string version) =>
        long.TryParse(version.AsSpan(version.LastIndexOf('-') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks) ? ticks : 0;
}
