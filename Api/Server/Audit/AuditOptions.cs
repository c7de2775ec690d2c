using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Audit;

/// <summary>Section <c>Audit</c>: how long audit events are kept (pruned daily by <c>Jobs/AuditRetentionJob</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Events older than this many days are deleted (default 365).</summary>
    public int RetentionDays { get; set; } = 365;

    internal sealed class Validator : IValidateOptions<AuditOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuditOptions o) =>
            o.RetentionDays is >= 1 and <= 36500
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{Section}:RetentionDays must be 1..36500 (got {o.RetentionDays})");
    }
}
