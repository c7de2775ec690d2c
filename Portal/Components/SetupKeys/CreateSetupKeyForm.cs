using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Portal.Components.Devices;

namespace HamachiCloud.Portal.Components.SetupKeys;

/// <summary>The create-setup-key form's values and checks before sending (the Api checks again; its field errors show the same way).</summary>
public sealed class CreateSetupKeyForm
{
    /// <summary>Lifetimes offered, in hours (the Api allows 1 hour to 90 days).</summary>
    public static readonly IReadOnlyList<(int Hours, string Text)> Expiries =
    [
        (1, "1 hour"), (24, "1 day"), (7 * 24, "7 days"), (30 * 24, "30 days"), (90 * 24, "90 days"),
    ];

    public string Name { get; set; } = "";

    /// <summary>False: one-off (one device). True: reusable until it expires or is revoked.</summary>
    public bool Reusable { get; set; }

    public int ExpiresInHours { get; set; } = 24;

    /// <summary>Networks (NetworkDto.Id) an enrolled device takes part in; empty: all of the account's networks.</summary>
    public IReadOnlyCollection<Guid> Networks { get; set; } = [];

    public string? NameError() => NameCheck.Error(Name);

    public string? ExpiryError() =>
        Expiries.Any(e => e.Hours == ExpiresInHours) ? null : "Choose how long the key lasts.";

    public bool IsValid => NameError() is null && ExpiryError() is null;

    public CreateSetupKeyRequest ToRequest() =>
        new(Name.Trim(), Reusable, ExpiresInHours, Networks.Count == 0 ? null : Networks.ToList());
}
