using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Devices;

/// <summary>Section <c>Devices</c>: when an enrolled device that is never seen any more is removed (daily, <c>Jobs/StaleDeviceJob</c>).</summary>
public sealed class DeviceCleanupOptions
{
    public const string Section = "Devices";

    /// <summary>A device offline and unseen (or never seen since enrolment) for this many days is removed like a deletion by its owner (default 180).</summary>
    public int StaleAfterDays { get; set; } = 180;

    internal sealed class Validator : IValidateOptions<DeviceCleanupOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeviceCleanupOptions o) =>
            o.StaleAfterDays is >= 1 and <= 36500
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{Section}:StaleAfterDays must be 1..36500 (got {o.StaleAfterDays})");
    }
}
