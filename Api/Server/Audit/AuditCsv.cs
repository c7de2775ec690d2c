using System.Globalization;
using System.Text;
using HamachiCloud.Api.Contracts.Audit;

namespace HamachiCloud.Api.Audit;

/// <summary>
/// The audit log as CSV (RFC 4180): a header row, then one row per event with the fields of <see cref="AuditEventDto"/>
/// in order. Fields are quoted when needed; a field starting with =, +, - or @ gets a leading apostrophe so a
/// spreadsheet does not run it as a formula (details and emails are user-controlled).
/// </summary>
internal static class AuditCsv
{
    public static readonly string[] Header = ["id", "at", "actorUserId", "actorEmail", "action", "targetType", "targetId", "networkId", "ipAddress", "details"];

    public static string Write(IEnumerable<AuditEventDto> events)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Header)).Append("\r\n");
        foreach (var e in events)
        {
            string?[] fields =
            [
                e.Id.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), e.ActorUserId?.ToString(), e.ActorEmail,
                e.Action, e.TargetType, e.TargetId, e.NetworkId?.ToString(), e.IpAddress, e.Details,
            ];
            csv.Append(string.Join(',', fields.Select(Field))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
