using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>Section <c>ControlPlane</c>: the agent hub, map batching, presence and enrolment.</summary>
public sealed class ControlPlaneOptions
{
    public const string Section = "ControlPlane";

    /// <summary>How often collected changes become map updates (one message per affected device per tick).</summary>
    public int BatchIntervalMilliseconds { get; set; } = 150;

    /// <summary>How long a device that dropped without goodbye stays online for its peers (they verify it meanwhile).</summary>
    public int OfflineGraceSeconds { get; set; } = 60;

    /// <summary>Lifetime of an enrolled device's keys; after it, login is refused with key_expired.</summary>
    public int DeviceKeyLifetimeDays { get; set; } = 180;

    /// <summary>
    /// How often each node re-checks its live sessions against bans, deleted devices and key
    /// expiry (a change made on the same node is enforced at once; other nodes' ban changes
    /// within this plus the ban cache age of 15 s).
    /// </summary>
    public int SessionCheckSeconds { get; set; } = 5;

    /// <summary>How often this node stamps its liveness (table ApiNodes) and looks for dead nodes.</summary>
    public int NodeHeartbeatSeconds { get; set; } = 5;

    /// <summary>A node silent this long is dead: another node treats its devices' sessions as lost (verify, then offline after the grace).</summary>
    public int NodeTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Largest hub message an agent may send, in bytes (SignalR's MaximumReceiveMessageSize for
    /// the agent hub). Agents send small records (hello, login, commands, a discovery report of at
    /// most 16 endpoints); a bigger frame closes the connection before it is parsed.
    /// </summary>
    public int MaximumReceiveMessageBytes { get; set; } = 64 * 1024;

    internal sealed class Validator : IValidateOptions<ControlPlaneOptions>
    {
        public ValidateOptionsResult Validate(string? name, ControlPlaneOptions o)
        {
            var failures = new List<string>();
            if (o.BatchIntervalMilliseconds is < 10 or > 3_600_000)
            {
                failures.Add($"{Section}:BatchIntervalMilliseconds must be 10..3600000");
            }

            if (o.OfflineGraceSeconds is < 1 or > 3600)
            {
                failures.Add($"{Section}:OfflineGraceSeconds must be 1..3600");
            }

            if (o.SessionCheckSeconds is < 1 or > 3600)
            {
                failures.Add($"{Section}:SessionCheckSeconds must be 1..3600");
            }

            if (o.NodeHeartbeatSeconds is < 1 or > 300)
            {
                failures.Add($"{Section}:NodeHeartbeatSeconds must be 1..300");
            }

            if (o.NodeTimeoutSeconds < 2 * o.NodeHeartbeatSeconds || o.NodeTimeoutSeconds > 3600)
            {
                failures.Add($"{Section}:NodeTimeoutSeconds must be at least twice NodeHeartbeatSeconds and at most 3600");
            }

            if (o.DeviceKeyLifetimeDays is < 1 or > 3650)
            {
                failures.Add($"{Section}:DeviceKeyLifetimeDays must be 1..3650");
            }

            if (o.MaximumReceiveMessageBytes is < 1024 or > 16 * 1024 * 1024)
            {
                failures.Add($"{Section}:MaximumReceiveMessageBytes must be 1024..16777216");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
