using System.Text.Json;
using System.Text.Json.Serialization;

namespace HamachiCloud.Api.Contracts;

/// <summary>
/// The JSON conventions of the REST API, shared by the server and every client: camelCase
/// members, kebab-case enum values ("hub-and-spoke"), unknown members rejected.
/// </summary>
public static class HamachiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the conventions to options the host owns (ASP.NET Core's).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        return options;
    }
}
