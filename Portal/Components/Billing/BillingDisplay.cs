using System.Globalization;
using HamachiCloud.Api.Contracts.Billing;

namespace HamachiCloud.Portal.Components.Billing;

/// <summary>How billing values read on the pages: prices, statuses, dates.</summary>
public static class BillingDisplay
{
    public static string Price(int? cents, string currency) => cents switch
    {
        null => "—",
        0 => "Free",
        _ => string.Create(CultureInfo.InvariantCulture, $"{cents.Value / 100m:0.00} {currency}"),
    };

    public static string Status(SubscriptionDto s) => s.Status switch
    {
        "active" => s.Source == "grant" ? "Granted" : "Active",
        "past_due" => s.GraceEndsAt is { } g ? $"Payment failed: fix it by {Date(g)}" : "Payment failed",
        "cancelled" => s.EndsAt is { } e ? $"Cancelled: ends {Date(e)}" : "Cancelled",
        _ => "Ended",
    };

    public static string Period(SubscriptionDto s) =>
        s.Source == "grant"
            ? s.EndsAt is { } g ? $"granted until {Date(g)}" : "granted, open-ended"
            : s.Status == "active" && s.EndsAt is { } e ? $"{s.BillingPeriod ?? ""}, renews {Date(e)}".TrimStart(',', ' ')
            : s.BillingPeriod ?? "";

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Usage(NetworkPlanDto n) => $"{n.MemberCount}/{n.MemberLimit}";

    /// <summary>Bytes in binary units, e.g. "0 B", "512 KiB", "3.4 GiB".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
